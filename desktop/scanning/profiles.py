"""Scan profiles: resolution and colour per kind of paper.

A profile says how a kind of paper is scanned (dpi; colour, grey or black and
white) and what the workspace does afterwards (straighten pages, drop blank
ones). The defaults below suit a commune's papers; the office's own choices
are kept in the database setting ``scan.profiles`` (only the kinds it
changed), by `desktop.services.digitisation`.

Why these defaults: text forms are legible and small at 200 dpi grey (about
100–200 KB a page); papers with a red seal (certificates, extracts, results)
are scanned in colour so the seal shows; ID cards and portrait photos are
small, so 300 dpi colour costs little.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from desktop.domain.text import fold


class ColourMode(StrEnum):
    COLOUR = "colour"
    GREY = "grey"
    BW = "bw"

    @property
    def label_vi(self) -> str:
        return {"colour": "Màu", "grey": "Thang xám", "bw": "Đen trắng"}[self.value]


MIN_DPI = 75
MAX_DPI = 600


@dataclass(frozen=True)
class ScanProfile:
    dpi: int = 200
    mode: ColourMode = ColourMode.GREY
    feeder: bool = False  # the automatic document feeder rather than the glass
    deskew: bool = True  # straighten pages automatically after capture
    drop_blank: bool = False  # remove blank pages (the back sides of a feeder batch)

    def __post_init__(self) -> None:
        if not MIN_DPI <= int(self.dpi) <= MAX_DPI:
            raise ValueError(f"dpi {self.dpi} outside {MIN_DPI}..{MAX_DPI}")
        object.__setattr__(self, "dpi", int(self.dpi))
        object.__setattr__(self, "mode", ColourMode(self.mode))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["mode"] = self.mode.value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], base: ScanProfile | None = None) -> ScanProfile:
        """A profile from stored JSON; unknown keys are ignored, missing ones come from `base`."""
        base = base or cls()
        known = {k: data[k] for k in ("dpi", "mode", "feeder", "deskew", "drop_blank") if k in data}
        try:
            return replace(base, **known)
        except (ValueError, TypeError):
            return base


#: Kinds of paper, with the Vietnamese label the profile editor shows.
KINDS: dict[str, str] = {
    "general": "Giấy tờ thông thường",
    "form": "Tờ khai, đơn, phiếu",
    "certificate": "Giấy chứng nhận, trích lục, bản sao có dấu đỏ",
    "id_card": "Giấy tờ tùy thân (thẻ căn cước, hộ chiếu)",
    "photo": "Ảnh chân dung",
    "text_bw": "Văn bản chỉ có chữ (đen trắng)",
    "result": "Kết quả giải quyết",
}

DEFAULT_PROFILES: dict[str, ScanProfile] = {
    "general": ScanProfile(200, ColourMode.GREY),
    "form": ScanProfile(200, ColourMode.GREY),
    "certificate": ScanProfile(200, ColourMode.COLOUR),
    "id_card": ScanProfile(300, ColourMode.COLOUR, deskew=False),
    "photo": ScanProfile(300, ColourMode.COLOUR, deskew=False),
    "text_bw": ScanProfile(300, ColourMode.BW),
    "result": ScanProfile(200, ColourMode.COLOUR),
}

# Folded keywords of a component's name → its kind; the first rule that matches wins.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id_card", ("can cuoc", "cmnd", "chung minh nhan dan", "ho chieu", "the thuong tru",
                 "dinh danh")),
    ("photo", ("anh chan dung", "anh 3x4", "anh 4x6", "anh mau")),
    ("form", ("to khai", "don de nghi", "don xin", "don ", "phieu ", "ban khai", "van ban de nghi")),
    ("certificate", ("giay chung nhan", "trich luc", "giay khai sinh", "giay khai tu",
                     "giay phep", "quyet dinh", "ban sao", "so ho khau", "giay xac nhan",
                     "chung thu", "bang ", "van bang", "chung chi", "giay to")),
)


def kind_for(name: str, *, result: bool = False) -> str:
    """The kind of paper a component (or result) name suggests; "general" when unsure."""
    if result:
        return "result"
    folded = fold(name) + " "
    for kind, words in _RULES:
        if any(w in folded for w in words):
            return kind
    return "general"


def merged(overrides: Mapping[str, Any] | None) -> dict[str, ScanProfile]:
    """The default profiles with the office's stored changes (JSON as in settings) applied."""
    profiles = dict(DEFAULT_PROFILES)
    for kind, data in (overrides or {}).items():
        if kind in profiles and isinstance(data, Mapping):
            profiles[kind] = ScanProfile.from_json(data, profiles[kind])
    return profiles
