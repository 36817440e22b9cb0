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


def sort_key(text: str) -> str:
    """The key names sort by: ``fold`` (tone marks and đ ignored, lower case).

    Plain code-point order puts "Đặng", "Ánh", "Ứng" after "Zô"; by this key they sort
    among the D's, A's and U's, as a reader looking for them expects. (Strict dictionary
    order, with Đ after D and Ă, Â after A, is not what people search by.)
    """
    return fold(text)
