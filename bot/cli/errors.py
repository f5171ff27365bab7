from __future__ import annotations


class CliError(Exception):
    """A problem the operator can fix; printed as one clear line, never a traceback."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
