"""The motcua command for IT staff: init, check, backup and restore on real data folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.cli import main
from desktop.services import auth
from desktop.services.actor import Actor
from desktop.store.database import open_store
from desktop.store.models import DossierComponent, Officer, Role

INIT = ["init", "--office-name", "UBND xã Tân Phú", "--agency-code", "000.00.01.H56",
        "--desk", "2", "--admin-user", "quantri", "--admin-name", "Nguyễn Văn An",
        "--place", "Xã Tân Phú"]


@pytest.fixture
def initialised(data_paths, monkeypatch):
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", "mat-khau-123")
    assert main(["--data-dir", str(data_paths.root), *INIT]) == 0
    return data_paths


def run(data_paths, *args: str) -> int:
    return main(["--data-dir", str(data_paths.root), *args])


def test_init_sets_up_the_office_once(initialised, capsys) -> None:
    s = open_store(initialised)
    with s.reading() as session:
        officer = session.execute(select(Officer)).scalar_one()
        assert officer.full_name == "Nguyễn Văn An" and Role.ADMIN in officer.role_set
    s.close()
    assert run(initialised, *INIT) == 1
    assert "đã được thiết lập" in capsys.readouterr().err


def test_init_reports_bad_input_in_vietnamese(data_paths, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MOTCUA_ADMIN_PASSWORD", "ngan")
    args = [a if a != "000.00.01.H56" else "ABC" for a in INIT]
    assert run(data_paths, *args) == 1
    err = capsys.readouterr().err
    assert "000.00.01.H56" in err and "ít nhất 8 ký tự" in err


def test_init_without_password_and_without_terminal_is_refused(data_paths, monkeypatch, capsys) -> None:
    monkeypatch.delenv("MOTCUA_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    assert run(data_paths, *INIT) == 2
    assert "MOTCUA_ADMIN_PASSWORD" in capsys.readouterr().err


def test_check_passes_then_finds_a_tampered_audit_row(initialised, capsys) -> None:
    assert run(initialised, "check") == 0
    assert "không có lỗi" in capsys.readouterr().out
    s = open_store(initialised)
    with s.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor_name = 'người khác' WHERE id = 2"))
    s.close()
    assert run(initialised, "check") == 1
    assert "bị sửa" in capsys.readouterr().out


def test_check_finds_a_missing_digitised_file(initialised, capsys) -> None:
    s = open_store(initialised)
    with s.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO dossiers (uid, code, procedure_id, channel, status, applicant_kind, "
            "applicant_id_number, applicant_old_id, applicant_name, applicant_sex, applicant_address, "
            "applicant_phone, applicant_email, submitter_id_number, submitter_name, submitter_sex, "
            "submitter_address, submitter_phone, submitter_email, summary, note, sets_count, "
            "return_by_post, fee_total, paid_online, state_secret, created_at, updated_at, version) "
            "VALUES ('u1', 'c1', 1, '1', 2, '1', '', '', 'A', '', '', '', '', '', '', '', '', '', '', "
            "'', '', 1, 0, 0, 0, 0, '2026-11-27 08:00:00', '2026-11-27 08:00:00', 1)"))
    with s.transaction() as session:
        session.add(DossierComponent(dossier_id=1, name="Tờ khai", file_sha256="ab" * 32))
    s.close()
    assert run(initialised, "check") == 1
    assert "Thiếu 1 tệp" in capsys.readouterr().out


def test_backup_list_and_restore_latest(initialised, capsys) -> None:
    assert run(initialised, "backup") == 0
    assert "Đã sao lưu" in capsys.readouterr().out
    s = open_store(initialised)
    with s.transaction() as session:
        auth.create_officer(session, Actor.system("test"), username="moi", full_name="Cán bộ mới",
                            password="mat-khau-456", roles=[Role.FRONT_DESK])
    s.close()
    assert run(initialised, "backup", "--list") == 0
    assert "motcua-" in capsys.readouterr().out
    assert run(initialised, "restore", "--latest") == 0
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out and "before-restore" in out
    s = open_store(initialised)
    with s.reading() as session:
        names = set(session.execute(select(Officer.username)).scalars())
    s.close()
    assert names == {"quantri"}


def test_restore_refuses_a_file_that_is_not_a_backup(initialised, tmp_path, capsys) -> None:
    before = initialised.database.read_bytes()
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    assert run(initialised, "restore", str(bogus)) == 1
    assert "không phải là bản sao lưu hợp lệ" in capsys.readouterr().err
    assert initialised.database.read_bytes() == before


def test_restore_sets_a_damaged_database_aside(initialised, capsys) -> None:
    assert run(initialised, "backup") == 0
    for suffix in ("-wal", "-shm"):
        Path(str(initialised.database) + suffix).unlink(missing_ok=True)
    initialised.database.write_bytes(b"hong hoan toan" * 100)
    assert run(initialised, "check") == 1
    assert "bị hỏng" in capsys.readouterr().err
    assert run(initialised, "restore", "--latest") == 0
    kept = [p for p in initialised.root.iterdir() if ".damaged-" in p.name]
    assert kept and kept[0].read_bytes() == b"hong hoan toan" * 100
    assert run(initialised, "check") == 0


def test_console_script_runs(data_paths) -> None:
    exe = Path(sys.executable).parent / "motcua"
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "bộ phận một cửa" in proc.stdout
