"""Base class of the errors the domain raises for problems a user can fix.

Every domain error carries a Vietnamese sentence for the user (``message_vi``)
and a short machine code (``code``) that callers and tests can branch on.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; ``message_vi`` tells the user what and how to fix it."""

    code: str = "domain_error"

    def __init__(self, message_vi: str, *, code: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message_vi
