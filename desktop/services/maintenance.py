"""Health of an office's data: `motcua check`, backups and restore."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from desktop.paths import DataPaths
from desktop.services import audit
from desktop.services.actor import Actor
from desktop.store import migrate
from desktop.store.backup import backup_database, inspect_backup, restore_backup
from desktop.store.database import Store, open_store
from desktop.store.errors import StoreError
from desktop.store.models import DossierComponent


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def file_path(paths: DataPaths, sha256: str) -> Path:
    """Where a content-addressed file lives in the data folder."""
    return paths.files / sha256[:2] / sha256


def run_check(store: Store, *, full: bool = True) -> CheckReport:
    report = CheckReport()
    with store.engine.connect() as conn:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(text(f"PRAGMA {pragma}"))]
        if rows != ["ok"]:
            report.problems += [f"Cơ sở dữ liệu hỏng: {r}" for r in rows[:20]]
        else:
            report.notes.append("Tệp cơ sở dữ liệu: toàn vẹn.")
        fk = list(conn.execute(text("PRAGMA foreign_key_check")))
        if fk:
            report.problems.append(f"{len(fk)} dòng tham chiếu tới dữ liệu không tồn tại.")
    current = migrate.current_revision(store.engine)
    head = migrate.head_revision()
    if current != head:
        report.problems.append(f"Lược đồ dữ liệu {current} chưa được nâng cấp lên {head}.")
    else:
        report.notes.append(f"Lược đồ dữ liệu: {current} (mới nhất).")
    with store.reading() as session:
        chain = audit.verify_chain(session)
        report.problems += [p.message_vi for p in chain[:50]]
        if not chain:
            report.notes.append("Nhật ký thao tác: chuỗi băm liền mạch.")
        hashes = session.execute(
            select(DossierComponent.file_sha256).where(DossierComponent.file_sha256.is_not(None))
            .distinct()
        ).scalars()
        missing = [h for h in hashes if not file_path(store.paths, h).is_file()]
        if missing:
            report.problems.append(f"Thiếu {len(missing)} tệp số hóa được tham chiếu.")
        else:
            report.notes.append("Tệp số hóa được tham chiếu: đủ.")
    return report


def make_backup(store: Store, actor: Actor, reason: str = "manual") -> Path:
    path = backup_database(store.paths.database, store.paths.backups, reason)
    with store.transaction() as session:
        audit.record(session, actor, "backup.create", "database", path.name)
    return path


def restore(paths: DataPaths, backup: Path, actor: Actor) -> Path | None:
    """Replace the database with `backup` (the caller holds the instance lock)."""
    inspect_backup(backup)
    current_ok = True
    if paths.database.exists():
        try:
            open_store(paths, migrate_now=False).close()
        except StoreError:
            current_ok = False
        except sqlite3.DatabaseError:
            current_ok = False
    kept = restore_backup(backup, paths.database, paths.backups, current_ok=current_ok)
    store = open_store(paths)
    try:
        with store.transaction() as session:
            audit.record(session, actor, "backup.restore", "database", backup.name,
                         after={"kept_previous_as": kept.name if kept else None})
    finally:
        store.close()
    return kept
