"""Typed settings stored in the database, with defaults.

Keys are dotted names; values are JSON. Only the keys in DEFAULTS exist, so a
typo is an error rather than a silently ignored setting.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.store.models import Setting

DEFAULTS: dict[str, Any] = {
    "office_hours": {"morning": ["07:00", "11:30"], "afternoon": ["13:30", "17:00"]},
    "login.max_failures": 5,
    "login.lock_minutes": 15,
    "sync.server_url": "",
    # The province's own CA bundle (PEM file or folder), trusted besides the usual ones.
    "sync.ca_bundle": "",
    # sync/engine.py: the pull cursor, seconds between rounds in the GUI, the catalogue
    # version last fetched, a number-block request not yet answered, the last integrity check.
    "sync.cursor": 0,
    "sync.interval_seconds": 60,
    "sync.catalogue_version": "",
    "sync.calendar_version": "",
    # When the catalogue and calendar were last asked for (ISO time; once a day).
    "sync.reference_checked_at": "",
    # Where a round goes on looking through papers: the first component / attachment id
    # that still waited for a download / an upload (earlier ones are done).
    "sync.downloads_from": 0,
    "sync.files_from": 0,
    # The national-portal connector: MATTHC → hash of its LayDanhSachTTHC line when last
    # loaded, and a download URL template with {sha256} for DuongDanTaiTepTin ("" = none).
    "sync.dvcqg_catalogue": {},
    "sync.file_url": "",
    "sync.block_request": None,
    "sync.integrity": {},
    # How the desk talks to the province: "motcua" (this project's protocol, sync/engine.py)
    # or "dvcqg" (the national portal's services at sync.server_url, sync/connectors/dvcqg.py).
    "sync.connector": "motcua",
    "ui.recent_procedures": [],
    # how many automatic daily backups to keep (services.maintenance.daily_backup)
    "backup.keep_daily": 14,
    # officer id (as text) → that officer's reminder preferences (services.reminders)
    "reminders.officers": {},
    # kind of paper → the office's changes to its scan profile (desktop.scanning.profiles)
    "scan.profiles": {},
}


def get(session: Session, key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(key)
    raw = session.execute(select(Setting.value).where(Setting.key == key)).scalar_one_or_none()
    return DEFAULTS[key] if raw is None else json.loads(raw)


def put(session: Session, key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = session.get(Setting, key)
    encoded = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=encoded))
    else:
        row.value = encoded
