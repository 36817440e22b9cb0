"""Every interface string has its Vietnamese translation, and the compiled .qm is current."""

from __future__ import annotations

import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "build"))
import i18n  # noqa: E402


def _messages(ts: Path) -> dict[tuple[str, str], str | None]:
    out: dict[tuple[str, str], str | None] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished")
            out[(name, msg.findtext("source"))] = (tr.text or "").strip() if done else None
    return out


def test_every_interface_string_is_translated(tmp_path) -> None:
    fresh = tmp_path / "motcua_vi.ts"
    shutil.copy(i18n.TS, fresh)
    i18n.lupdate(fresh)  # merges the strings found in the sources now
    missing = [f"{ctx}: {src!r}" for (ctx, src), vi in _messages(fresh).items() if not vi]
    assert not missing, "strings without a Vietnamese translation:\n" + "\n".join(missing)


def test_placeholders_survive_translation() -> None:
    import re

    for (ctx, src), vi in _messages(i18n.TS).items():
        if vi is None:
            continue
        assert set(re.findall(r"\{\w+\}", src)) == set(re.findall(r"\{\w+\}", vi)), (ctx, src)


def test_compiled_translation_is_current(tmp_path) -> None:
    qm = tmp_path / "motcua_vi.qm"
    i18n.lrelease(i18n.TS, qm)
    assert qm.read_bytes() == i18n.QM.read_bytes(), "run build/i18n.py to recompile the .qm"
