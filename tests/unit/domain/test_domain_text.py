from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import fold, nfc


def test_fold_vietnamese_names():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("  TRẦN   THỊ\tHỒNG  ") == "tran thi hong"
    assert fold("đ") == fold("Đ") == fold("d") == "d"
    assert fold("Ủy ban nhân dân xã Đông Hòa") == "uy ban nhan dan xa dong hoa"


def test_fold_ignores_normalisation_form():
    name = "Phạm Ngọc Ánh"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "pham ngoc anh"


def test_nfc_composes():
    decomposed = unicodedata.normalize("NFD", "Hà Nội")
    assert decomposed != "Hà Nội"
    assert nfc(decomposed) == "Hà Nội"


@given(st.text())
def test_fold_is_idempotent_and_has_no_marks(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert "đ" not in folded
    assert not any(unicodedata.combining(ch) for ch in folded)
