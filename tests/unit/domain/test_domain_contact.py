from __future__ import annotations

import pytest

from desktop.domain.contact import InvalidContact, normalize_email, normalize_phone


@pytest.mark.parametrize("raw, expected", [
    ("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"), ("0251.3820.000", "02513820000"), ("(0251) 3820-000", "02513820000"),
])
def test_phone_numbers_are_normalised(raw, expected) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "091234567", "09123456789012", "abc", "1912345678", ""])
def test_bad_phone_numbers_are_refused_in_vietnamese(raw) -> None:
    with pytest.raises(InvalidContact) as err:
        normalize_phone(raw)
    assert "Số điện thoại" in err.value.message_vi


def test_email() -> None:
    assert normalize_email(" An.Nguyen@Example.VN ") == "an.nguyen@example.vn"
    with pytest.raises(InvalidContact):
        normalize_email("an@nguyen")
