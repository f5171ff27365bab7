"""The session cookie's signature and the forms' CSRF tokens, both HMACs under the panel secret."""

from __future__ import annotations

import hashlib
import hmac


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def cookie(self, session_token: str) -> str:
        return f"{session_token}.{self._mac('session', session_token)}"

    def session_token(self, cookie: str | None) -> str | None:
        """The session token of a cookie whose signature holds, else None."""
        if not cookie or "." not in cookie:
            return None
        token, _, mac = cookie.rpartition(".")
        return token if hmac.compare_digest(mac, self._mac("session", token)) else None

    def csrf(self, session_token: str) -> str:
        """The token every form of this session carries: bound to the session, unknown to other sites."""
        return self._mac("csrf", session_token)

    def csrf_ok(self, session_token: str, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(sent, self.csrf(session_token))
