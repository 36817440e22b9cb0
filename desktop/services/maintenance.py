"""Health of an office's data: `motcua check`, backups and restore."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from desktop.paths import DataPaths
from desktop.services import audit
from desktop.services.actor import Actor
from desktop.store import migrate
from desktop.store.backup import (
    BackupInfo,
    backup_database,
    backup_reason,
    inspect_backup,
    list_backups,
    restore_backup,
)
from desktop.store.database import Store, open_store
from desktop.store.errors import StoreError
from desktop.store.files import FileProblem, FileStore
from desktop.store.models import Attachment, Dossier, DossierComponent, DossierResult, StoredFile


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: every missing or damaged digitised file, for a screen that lists them
    file_problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def file_path(paths: DataPaths, sha256: str) -> Path:
    """Where a content-addressed file lives in the data folder (desktop.store.files)."""
    return FileStore(paths).path_of(sha256)


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
    _check_files(store, report, full=full)
    return report


#: `motcua check` names at most this many files per kind of problem.
LISTED_FILES = 50


def _check_files(store: Store, report: CheckReport, *, full: bool) -> None:
    """Every digitised file the database knows: present, and (full check) unchanged.

    A full check re-reads and hashes every file; `--quick` compares sizes only.
    """
    where: dict[str, str] = {}
    with store.reading() as session:
        sizes = dict(session.execute(select(StoredFile.sha256, StoredFile.size)).all())
        for sha, code, comp, result in session.execute(
                select(Attachment.sha256, Dossier.code, DossierComponent.name, DossierResult.name)
                .join(Dossier, Dossier.id == Attachment.dossier_id)
                .outerjoin(DossierComponent, DossierComponent.id == Attachment.component_id)
                .outerjoin(DossierResult, DossierResult.id == Attachment.result_id)
                .order_by(Attachment.id)):
            where.setdefault(sha, f"hồ sơ {code or '?'}, {comp or result or '?'}")
        for sha, code, name in session.execute(
                select(DossierComponent.file_sha256, Dossier.code, DossierComponent.name)
                .join(Dossier, Dossier.id == DossierComponent.dossier_id)
                .where(DossierComponent.file_sha256.is_not(None))):
            where.setdefault(sha, f"hồ sơ {code or '?'}, {name}")
    files = FileStore(store.paths)
    expected = sorted(set(sizes) | set(where))
    checked: list[tuple[str, int | None]] = []
    for sha in expected:
        try:
            files.path_of(sha)
        except ValueError:
            report.problems.append("Mã tệp số hóa không hợp lệ trong cơ sở dữ liệu "
                                   f"({where.get(sha, sha)}).")
            continue
        checked.append((sha, sizes.get(sha)))
    problems = files.verify(checked, full=full)
    report.file_problems = problems
    missing = [p for p in problems if p.kind == "missing"]
    corrupt = [p for p in problems if p.kind == "corrupt"]

    def listing(items: list[FileProblem]) -> str:
        lines = [f"\n    – {p.sha256[:16]}… ({where.get(p.sha256, 'chưa gắn với hồ sơ nào')}): "
                 f"files/{p.sha256[:2]}/{p.sha256}" for p in items[:LISTED_FILES]]
        if len(items) > LISTED_FILES:
            lines.append(f"\n    … và {len(items) - LISTED_FILES} tệp khác.")
        return "".join(lines)

    if missing:
        report.problems.append(f"Thiếu {len(missing)} tệp số hóa được tham chiếu:"
                               + listing(missing))
    if corrupt:
        report.problems.append(
            f"{len(corrupt)} tệp số hóa bị thay đổi hoặc hỏng (nội dung không khớp mã băm); "
            "hãy khôi phục từ bản sao lưu hoặc số hóa lại:" + listing(corrupt))
    if not problems:
        how = "đủ và nguyên vẹn" if full else "đủ (kiểm tra nhanh: chỉ so kích thước)"
        report.notes.append(f"Tệp số hóa: {len(checked)} tệp, {how}.")
    known = set(expected)
    unused = sum(1 for sha in files.stored_hashes() if sha not in known)
    if unused:
        report.notes.append(f"{unused} tệp trong thư mục files chưa gắn với hồ sơ nào (một lần "
                            "lưu bị hủy giữa chừng); không ảnh hưởng dữ liệu.")


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


# ------------------------------------------------------------------ daily backups

DAILY = "daily"
DAILY_EVERY = timedelta(hours=20)  # once a working day, whenever the app runs


def daily_backup(store: Store, *, keep: int, now: datetime | None = None) -> Path | None:
    """Back the database up when the newest daily backup is older than a working day,
    then keep only the `keep` newest daily backups (manual, before-migration and
    before-restore copies are never pruned). Returns the new backup, if one was made."""
    now = now or datetime.now()
    daily = [p for p in list_backups(store.paths.backups) if backup_reason(p) == DAILY]
    made: Path | None = None
    newest = max((datetime.fromtimestamp(p.stat().st_mtime) for p in daily), default=None)
    if newest is None or now - newest >= DAILY_EVERY:
        made = backup_database(store.paths.database, store.paths.backups, DAILY)
        with store.transaction() as session:
            audit.record(session, Actor.system("backup"), "backup.create", "database", made.name,
                         after={"reason": DAILY})
        daily.insert(0, made)
    for old in daily[max(keep, 1):]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    return made


# ------------------------------------------------------------- restore on restart

def request_restore(store: Store, actor: Actor, backup: Path) -> BackupInfo:
    """Ask for `backup` to replace the database at the next start (the running app keeps
    the file open). The backup is checked now; the request is audited."""
    info = inspect_backup(backup)
    marker = store.paths.pending_restore
    tmp = marker.with_suffix(".part")
    tmp.write_text(json.dumps({"backup": str(Path(backup).resolve()), "actor": actor.name,
                               "officer_id": actor.officer_id,
                               "at": datetime.now().isoformat(timespec="seconds")},
                              ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, marker)
    with store.transaction() as session:
        audit.record(session, actor, "backup.restore_requested", "database", Path(backup).name,
                     after={"office": info.office_name, "dossiers": info.dossier_count,
                            "schema": info.schema_revision})
    return info


def cancel_restore(paths: DataPaths) -> bool:
    marker = paths.pending_restore
    try:
        marker.unlink()
        return True
    except FileNotFoundError:
        return False


def pending_restore(paths: DataPaths) -> Path | None:
    marker = paths.pending_restore
    try:
        return Path(json.loads(marker.read_text(encoding="utf-8"))["backup"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def apply_pending_restore(paths: DataPaths) -> str | None:
    """At start-up, before the store opens (the caller holds the instance lock): carry
    out a requested restore. Returns a Vietnamese sentence for the officer, or None."""
    marker = paths.pending_restore
    if not marker.exists():
        return None
    backup = pending_restore(paths)
    try:
        marker.unlink()
    except OSError:
        pass
    if backup is None:
        return "Yêu cầu khôi phục dữ liệu bị hỏng nên đã bỏ qua; dữ liệu hiện tại vẫn giữ nguyên."
    try:
        kept = restore(paths, backup, Actor.system("restore"))
    except (StoreError, OSError, sqlite3.Error) as exc:
        why = getattr(exc, "message_vi", None) or str(exc)
        return f"Không khôi phục được từ bản sao lưu {backup.name}: {why}. Dữ liệu hiện tại vẫn giữ nguyên."
    kept_text = f" Dữ liệu trước đó được giữ ở {kept.name}." if kept else ""
    return f"Đã khôi phục dữ liệu từ bản sao lưu {backup.name}.{kept_text}"


def set_daily_backups_kept(store: Store, actor: Actor, keep: int) -> int:
    """How many daily backups to keep (1–365), audited."""
    from desktop.services import settings
    from desktop.services.validation import ValidationError

    if not isinstance(keep, int) or not 1 <= keep <= 365:
        raise ValidationError({"keep": "Số bản sao lưu hằng ngày được giữ phải từ 1 đến 365."})
    with store.transaction() as session:
        before = settings.get(session, "backup.keep_daily")
        if before != keep:
            settings.put(session, "backup.keep_daily", keep)
            audit.record(session, actor, "settings.backup_keep", "settings", "backup.keep_daily",
                         before={"keep": before}, after={"keep": keep})
    return keep
