"""Input validation errors that carry one Vietnamese message per field."""

from __future__ import annotations


class ValidationError(Exception):
    """Raised by a service when input is wrong; nothing was written.

    `errors` maps a field name to its Vietnamese message, so a form can show
    each message next to its field.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.message_vi = "\n".join(errors.values())


class PermissionDenied(Exception):
    def __init__(self, message_vi: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


class Collector:
    """Gather field errors, then raise them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message_vi: str) -> None:
        self.errors.setdefault(field, message_vi)

    def required(self, field: str, value: str | None, label_vi: str) -> str:
        value = (value or "").strip()
        if not value:
            self.add(field, f"Vui lòng nhập {label_vi}.")
        return value

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))
