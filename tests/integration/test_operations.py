"""Operations for IT staff: daily backups, restore at the next start, diagnose, crash reports."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import zipfile

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desktop import cli, crash
from desktop.services import maintenance
from desktop.services.actor import Actor
from desktop.store.backup import backup_reason, list_backups
from desktop.store.database import open_store
from desktop.store.models import AuditEvent, Office


def _age(path, hours: float) -> None:
    t = time.time() - hours * 3600
    os.utime(path, (t, t))


def test_daily_backup_once_a_working_day_and_only_the_newest_kept(office_store) -> None:
    first = maintenance.daily_backup(office_store, keep=3)
    assert first is not None and backup_reason(first) == "daily"
    assert maintenance.daily_backup(office_store, keep=3) is None  # not again the same day
    manual = maintenance.make_backup(office_store, Actor.system("test"))
    made = [first]
    for _ in range(4):  # four more working days
        for p in list_backups(office_store.paths.backups):
            _age(p, (time.time() - p.stat().st_mtime) / 3600 + 21)
        made.append(maintenance.daily_backup(office_store, keep=3))
        assert made[-1] is not None
    daily = [p for p in list_backups(office_store.paths.backups) if backup_reason(p) == "daily"]
    assert daily == made[:-4:-1]  # the three newest, newest first
    assert manual.exists()  # a backup made by hand is never pruned
    with office_store.reading() as s:
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "backup.create")).scalar_one() == 6


def test_a_restore_asked_for_runs_at_the_next_start(office_store, admin, data_paths) -> None:
    backup = maintenance.make_backup(office_store, admin)
    with office_store.transaction() as s:
        s.get(Office, 1).name = "UBND xã Đã Đổi Tên"
    info = maintenance.request_restore(office_store, admin, backup)
    assert info.office_name == "UBND xã Tân Phú"
    assert maintenance.pending_restore(data_paths) == backup.resolve()
    office_store.close()

    message = maintenance.apply_pending_restore(data_paths)
    assert message.startswith("Đã khôi phục dữ liệu từ bản sao lưu")
    assert not data_paths.pending_restore.exists()
    assert maintenance.apply_pending_restore(data_paths) is None  # once only
    store = open_store(data_paths)
    try:
        with store.reading() as s:
            assert s.get(Office, 1).name == "UBND xã Tân Phú"
            actions = s.execute(select(AuditEvent.action)).scalars().all()
        assert "backup.restore" in actions
        kept = [p for p in list_backups(data_paths.backups) if "before-restore" in p.name]
        assert kept  # the data of before the restore was kept
    finally:
        store.close()


def test_a_damaged_restore_request_changes_nothing(office_store, data_paths) -> None:
    data_paths.pending_restore.write_text("{not json", encoding="utf-8")
    office_store.close()
    message = maintenance.apply_pending_restore(data_paths)
    assert "bỏ qua" in message and not data_paths.pending_restore.exists()
    bogus = data_paths.root / "bogus.db"
    bogus.write_bytes(b"not a database at all")
    data_paths.pending_restore.write_text(json.dumps({"backup": str(bogus)}), encoding="utf-8")
    message = maintenance.apply_pending_restore(data_paths)
    assert message.startswith("Không khôi phục được") and "giữ nguyên" in message
    store = open_store(data_paths)
    store.close()


def test_diagnose_bundles_logs_versions_and_check_without_personal_data(office_store, admin,
                                                                        data_paths, tmp_path,
                                                                        capsys) -> None:
    from desktop.services import reception
    from desktop.services.catalogue import confirm_missing_units
    from tests.integration.test_processing import _form  # a dossier of Nguyễn Văn Đức

    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
    reception.receive(office_store, admin, _form(office_store))
    data_paths.logs.mkdir(exist_ok=True)
    (data_paths.logs / "motcua.log").write_text("2026-11-28 INFO desktop: dossier 1 received\n",
                                                 encoding="utf-8")
    crash.write_report(data_paths, "crash report text\n")
    office_store.close()
    out = tmp_path / "support.zip"
    assert cli.main(["--data-dir", str(data_paths.root), "diagnose", "--output", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"versions.json", "check.txt", "settings.json", "backups.txt",
                "logs/motcua.log"} <= names
        assert any(n.startswith("logs/crash-") for n in names)
        assert "Kết quả: không có lỗi." in zf.read("check.txt").decode()
        everything = b"".join(zf.read(n) for n in names).decode("utf-8")
    assert not any(n.endswith(".db") for n in names)
    for personal in ("Nguyễn Văn Đức", "001090123456"):
        assert personal not in everything


def test_crash_reports_are_saved_and_redacted(data_paths) -> None:
    try:
        raise IntegrityError("INSERT INTO dossiers (applicant_name, applicant_id_number) "
                             "VALUES (?, ?)", ("Nguyễn Văn Đức", "001090123456"),
                             Exception("UNIQUE constraint failed: dossiers.code 'X-1'"))
    except IntegrityError as exc:
        text_ = crash.report_text(type(exc), exc, exc.__traceback__)
    assert "Nguyễn Văn Đức" not in text_ and "001090123456" not in text_
    assert "IntegrityError" in text_ and "test_operations.py" in text_

    seen: list = []
    old_sys, old_thread = sys.excepthook, threading.excepthook
    try:
        crash.install(data_paths, seen.append)
        worker = threading.Thread(target=lambda: 1 / 0, name="db-writer_0")
        worker.start()
        worker.join()
        try:
            raise ValueError("số định danh 001090123456 không hợp lệ")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook, threading.excepthook = old_sys, old_thread
    reports = sorted(data_paths.logs.glob("crash-*.txt"))
    assert len(reports) == 2 and seen == reports
    body = reports[0].read_text(encoding="utf-8") + reports[1].read_text(encoding="utf-8")
    assert "ZeroDivisionError" in body and "db-writer_0" in body
    assert "001090123456" not in body
