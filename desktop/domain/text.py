"""Vietnamese text helpers: Unicode normalisation and accent folding for search."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form (precomposed letters, as Vietnamese is stored)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold Vietnamese text for accent-insensitive search.

    Drops tone and vowel marks, maps đ/Đ to d, lowercases and collapses
    whitespace: ``fold("Nguyễn  Văn Đức") == "nguyen van duc"``.
    """
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "d")
    return " ".join(bare.lower().split())
