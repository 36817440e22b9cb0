"""Refresh the Vietnamese translation of the interface.

    .venv/bin/python build/i18n.py           # lupdate sources -> .ts, lrelease .ts -> .qm

Source strings are English (in tr() calls under desktop/ui); the Vietnamese
text lives in resources/translations/motcua_vi.ts, edited with Qt Linguist
(`pyside6-linguist`) or by hand. tests/unit/test_translations.py fails when a
string has no Vietnamese translation or the .qm is stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "motcua_vi.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    exe = Path(sys.executable).parent / f"pyside6-{name}"
    return str(exe) if exe.exists() else f"pyside6-{name}"


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop" / "ui").rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none", *sources(),
                    "-ts", str(ts)], cwd=ROOT, check=True, capture_output=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, check=True,
                   capture_output=True)


def main() -> int:
    lupdate(TS)
    lrelease(TS, QM)
    print(f"updated {TS.relative_to(ROOT)} and {QM.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
