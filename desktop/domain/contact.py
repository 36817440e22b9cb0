"""Phone numbers and e-mail addresses as typed at the desk."""

from __future__ import annotations

import re

from desktop.domain.errors import DomainError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class InvalidContact(DomainError):
    pass


def normalize_phone(text: str) -> str:
    """'+84 912 345 678' → '0912345678'; raises InvalidContact when it is not a VN number.

    Mobile numbers have 10 digits (0 + 9), landlines 11 (02x + 8).
    """
    digits = re.sub(r"[\s.\-()]", "", text or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise InvalidContact(
            f'Số điện thoại "{text.strip()}" không hợp lệ: cần 10 chữ số (di động) '
            "hoặc 11 chữ số (cố định), bắt đầu bằng 0.",
            code="invalid_phone",
        )
    return digits


def normalize_email(text: str) -> str:
    value = (text or "").strip()
    if not _EMAIL.match(value):
        raise InvalidContact(f'Địa chỉ thư điện tử "{value}" không hợp lệ.', code="invalid_email")
    return value.lower()
