"""Phone numbers in one form (E.164), so the directory, shared contacts and typed numbers compare equal."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-./()]")
_TURKEY = "90"
_NATIONAL_DIGITS = 10  # 532 123 45 67


def normalise_phone(text: str) -> str:
    """`0532 123 45 67`, `+90 532 123 4567`, `905321234567` and `5321234567` all give `+905321234567`.

    Numbers with another country code are kept as `+<digits>`. ValueError when it is not a phone number.
    """
    compact = _SEPARATORS.sub("", text.strip())
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif compact.startswith("0"):
        digits = _TURKEY + compact[1:]
    elif len(compact) == _NATIONAL_DIGITS:
        digits = _TURKEY + compact
    else:
        digits = compact
    if not digits.isdigit():
        raise ValueError(f"not a phone number: {text!r}")
    if digits.startswith(_TURKEY) and len(digits) != len(_TURKEY) + _NATIONAL_DIGITS:
        raise ValueError(f"a Turkish phone number has 10 digits after 0 or +90: {text!r}")
    if not 8 <= len(digits) <= 15:
        raise ValueError(f"not a phone number: {text!r}")
    return "+" + digits
