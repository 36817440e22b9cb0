"""Online backups of the SQLite file, and restoring one safely.

A backup is made with SQLite's online backup API, so it is consistent even
while the app is writing. Restoring never overwrites a damaged database: the
damaged file is renamed aside first; a healthy one is backed up first.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.store.engine import APPLICATION_ID
from desktop.store.errors import InvalidBackup

SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_PREFIX = "motcua-"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    schema_revision: str
    office_name: str
    dossier_count: int
    size_bytes: int


def _timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


def backup_database(db_path: Path, backups_dir: Path, reason: str = "manual") -> Path:
    """Copy the live database into backups_dir and return the new file's path."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = backups_dir / f"{BACKUP_PREFIX}{_timestamp()}-{reason}.db"
    n = 1
    while target.exists():
        n += 1
        target = backups_dir / f"{BACKUP_PREFIX}{_timestamp()}-{reason}-{n}.db"
    tmp = target.with_suffix(".db.part")
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    _fsync(tmp)
    os.replace(tmp, target)
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def inspect_backup(path: Path) -> BackupInfo:
    """Check that `path` is a sound database of this app; raise InvalidBackup if not."""
    path = Path(path)
    if not path.is_file():
        raise InvalidBackup(path, "không tìm thấy tệp")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise InvalidBackup(path, "không phải tệp SQLite")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidBackup(path, str(exc)) from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise InvalidBackup(path, "tệp không do Một Cửa tạo ra")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise InvalidBackup(path, f"tệp bị hỏng: {check}")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        office = conn.execute("SELECT name FROM office WHERE id = 1").fetchone()
        dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    except sqlite3.Error as exc:
        raise InvalidBackup(path, f"thiếu bảng dữ liệu ({exc})") from exc
    finally:
        conn.close()
    return BackupInfo(
        path=path,
        made_at=datetime.fromtimestamp(path.stat().st_mtime),
        schema_revision=revision[0] if revision else "",
        office_name=office[0] if office else "",
        dossier_count=dossiers,
        size_bytes=path.stat().st_size,
    )


def peek_backup(path: Path) -> BackupInfo:
    """What a backup holds, read quickly for a list (no integrity check: that runs in
    `inspect_backup` before a restore); raise InvalidBackup if it is not ours."""
    path = Path(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise InvalidBackup(path, "tệp không do Một Cửa tạo ra")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            office = conn.execute("SELECT name FROM office WHERE id = 1").fetchone()
            dossiers = conn.execute("SELECT max(rowid) FROM dossiers").fetchone()[0] or 0
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise InvalidBackup(path, str(exc)) from exc
    st = path.stat()
    return BackupInfo(path=path, made_at=datetime.fromtimestamp(st.st_mtime),
                      schema_revision=revision[0] if revision else "",
                      office_name=office[0] if office else "", dossier_count=dossiers,
                      size_bytes=st.st_size)


def backup_reason(path: Path) -> str:
    """daily, manual, before-migration-0007, before-restore… from the file's name."""
    stem = Path(path).stem.removeprefix(BACKUP_PREFIX)
    parts = stem.split("-", 2)  # yyyymmdd, hhmmss, reason[-n] (n: several in one second)
    return re.sub(r"-\d{1,2}$", "", parts[2]) if len(parts) == 3 else ""


def list_backups(backups_dir: Path) -> list[Path]:
    """Backup files, newest first."""
    if not backups_dir.is_dir():
        return []
    files = [p for p in backups_dir.glob(f"{BACKUP_PREFIX}*.db") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def latest_backup(backups_dir: Path) -> Path | None:
    backups = list_backups(backups_dir)
    return backups[0] if backups else None


def set_aside(db_path: Path, label: str) -> Path:
    """Rename the database (and its WAL/SHM) aside, never deleting it."""
    aside = db_path.with_name(f"{db_path.name}.{label}-{_timestamp()}")
    os.replace(db_path, aside)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def restore_backup(backup: Path, db_path: Path, backups_dir: Path, *, current_ok: bool) -> Path | None:
    """Put `backup` in place of the database. Returns where the old file went.

    The caller holds the instance lock, so no connection is open on db_path.
    A healthy current database is backed up first; a damaged one is set aside.
    """
    inspect_backup(backup)
    kept: Path | None = None
    if db_path.exists():
        if current_ok:
            kept = backup_database(db_path, backups_dir, "before-restore")
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(db_path.with_name(db_path.name + suffix))
        else:
            kept = set_aside(db_path, "damaged")
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(backup, tmp)
    _fsync(tmp)
    os.replace(tmp, db_path)
    return kept
