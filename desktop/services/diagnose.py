"""`motcua diagnose`: one zip for IT support — logs, crash reports, versions, `check`.

No database and no personal data: the logs hold actions and ids only (see
desktop/logs.py), crash reports are redacted (desktop/crash.py), settings are
included without anything secret (the sync credentials live in the OS keyring,
never in the database), and the check lists problems by row or file hash.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import sqlite3
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from desktop import __version__
from desktop.paths import DataPaths

PACKAGES = ("PySide6-Essentials", "PySide6-Addons", "SQLAlchemy", "alembic", "httpx", "keyring",
            "holidays", "pikepdf", "img2pdf", "pypdfium2", "Pillow", "openpyxl",
            "pydantic", "argon2-cffi", "segno")


def versions() -> dict[str, str]:
    out = {"motcua": __version__, "python": platform.python_version(),
           "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
           "frozen": str(bool(getattr(sys, "frozen", False)))}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def _check_text(paths: DataPaths) -> str:
    if not paths.database.exists():
        return f"Không có cơ sở dữ liệu tại {paths.database}.\n"
    from desktop.services.maintenance import run_check
    from desktop.store.database import open_store

    try:
        store = open_store(paths, migrate_now=False)
    except Exception as exc:  # noqa: BLE001 - the bundle reports whatever went wrong
        return f"Không mở được cơ sở dữ liệu: {getattr(exc, 'message_vi', None) or exc}\n"
    try:
        report = run_check(store, full=True)
    finally:
        store.close()
    lines = [f"✓ {n}" for n in report.notes] + [f"✗ {p}" for p in report.problems]
    lines.append("Kết quả: không có lỗi." if report.ok else f"Kết quả: {len(report.problems)} lỗi.")
    return "\n".join(lines) + "\n"


def _settings_text(paths: DataPaths) -> str:
    if not paths.database.exists():
        return "{}\n"
    try:
        conn = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute("SELECT key, value FROM settings").fetchall())
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"(không đọc được: {exc})\n"
    rows.pop("ui.recent_procedures", None)  # harmless, but says what the desk did
    return json.dumps({"schema": revision[0] if revision else None, "settings": rows},
                      ensure_ascii=False, indent=2) + "\n"


def make_bundle(paths: DataPaths, target: Path | None = None) -> Path:
    """Write the support zip (into the data folder's logs/ unless `target` is given)."""
    if target is None:
        paths.logs.mkdir(parents=True, exist_ok=True)
        target = paths.logs / f"motcua-diagnose-{datetime.now():%Y%m%d-%H%M%S}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("versions.json", json.dumps(versions(), ensure_ascii=False, indent=2))
        zf.writestr("check.txt", _check_text(paths))
        zf.writestr("settings.json", _settings_text(paths))
        listing = []
        if paths.backups.is_dir():
            listing = [f"{p.name}\t{p.stat().st_size}" for p in sorted(paths.backups.iterdir())]
        zf.writestr("backups.txt", "\n".join(listing) + "\n")
        if paths.logs.is_dir():
            for log in sorted(paths.logs.iterdir()):
                if log.is_file() and (log.name.startswith("motcua.log")
                                      or log.name.startswith("crash-")):
                    zf.write(log, f"logs/{log.name}")
    tmp.replace(target)
    return target
