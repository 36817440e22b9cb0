"""The local store: schema, migrations, refusal of damaged or newer files, locks, full disks."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from desktop.paths import DataPaths
from desktop.store import migrate
from desktop.store.backup import backup_database, inspect_backup
from desktop.store.database import open_store
from desktop.store.engine import APPLICATION_ID
from desktop.store.errors import (
    AlreadyRunning,
    DatabaseCorrupt,
    DataDirNotWritable,
    DiskFull,
    InvalidBackup,
    NewerDatabase,
)
from desktop.store.lock import InstanceLock
from desktop.store.models import Base, Setting


def test_new_store_has_current_schema_and_pragmas(store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA application_id")).scalar() == APPLICATION_ID
    assert migrate.current_revision(store.engine) == migrate.head_revision()


def test_migrations_match_the_models(store) -> None:
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": _include_name})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def _include_name(name, type_, parent_names) -> bool:  # noqa: ANN001
    return not (type_ == "table" and name and name.startswith("dossier_search"))


def test_reopening_does_not_migrate_or_back_up(data_paths) -> None:
    open_store(data_paths).close()
    again = open_store(data_paths)
    again.close()
    assert again.migrated_from is None
    assert not data_paths.backups.exists() or not list(data_paths.backups.iterdir())


def test_database_from_a_newer_version_is_refused_and_left_alone(data_paths) -> None:
    s = open_store(data_paths)
    with s.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    s.close()
    before = data_paths.database.read_bytes()
    with pytest.raises(NewerDatabase) as err:
        open_store(data_paths)
    assert "phiên bản Một Cửa mới hơn" in err.value.message_vi
    assert data_paths.database.read_bytes() == before


def test_garbage_file_is_reported_corrupt_and_never_overwritten(data_paths) -> None:
    data_paths.root.mkdir(parents=True)
    garbage = os.urandom(8192)
    data_paths.database.write_bytes(garbage)
    with pytest.raises(DatabaseCorrupt) as err:
        open_store(data_paths)
    assert err.value.last_backup is None
    assert "bị hỏng" in err.value.message_vi
    assert data_paths.database.read_bytes() == garbage


def test_corrupt_database_names_the_last_backup(data_paths) -> None:
    s = open_store(data_paths)
    s.close()
    backup = backup_database(data_paths.database, data_paths.backups, "daily")
    # Damage the file past its header, as a failing disk would.
    raw = bytearray(data_paths.database.read_bytes())
    raw[100:4096] = os.urandom(3996)
    for suffix in ("-wal", "-shm"):
        Path(str(data_paths.database) + suffix).unlink(missing_ok=True)
    data_paths.database.write_bytes(bytes(raw))
    with pytest.raises(DatabaseCorrupt) as err:
        open_store(data_paths)
    assert err.value.last_backup == backup
    assert backup.name in err.value.message_vi


def test_backup_is_inspectable_and_a_foreign_file_is_not(store, tmp_path) -> None:
    path = backup_database(store.paths.database, store.paths.backups, "manual")
    info = inspect_backup(path)
    assert info.schema_revision == migrate.head_revision()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(InvalidBackup):
        inspect_backup(other)
    text_file = tmp_path / "notes.db"
    text_file.write_text("không phải cơ sở dữ liệu")
    with pytest.raises(InvalidBackup):
        inspect_backup(text_file)


def test_second_instance_is_refused(data_paths) -> None:
    data_paths.root.mkdir(parents=True)
    with InstanceLock(data_paths):
        with pytest.raises(AlreadyRunning) as err:
            InstanceLock(data_paths).acquire()
        assert "đang mở" in err.value.message_vi
    InstanceLock(data_paths).acquire().release()  # free again once released


def test_second_instance_in_another_process_is_refused(data_paths) -> None:
    data_paths.root.mkdir(parents=True)
    motcua = shutil.which("motcua") or str(Path(os.sys.executable).parent / "motcua")
    with InstanceLock(data_paths):
        proc = subprocess.run(
            [motcua, "--data-dir", str(data_paths.root), "init", "--office-name", "UBND xã A",
             "--agency-code", "000.00.01.H56", "--desk", "1", "--admin-user", "quantri",
             "--admin-name", "Nguyễn Văn A"],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "MOTCUA_ADMIN_PASSWORD": "mat-khau-123"},
        )
    assert proc.returncode == 1
    assert "đang mở" in proc.stderr


# ------------------------------------------------------------ read-only and full disks

def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def tmpfs(path: Path, *options: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    opts = ",".join(options) or "size=4m"
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a read-only tmpfs")
def test_read_only_data_folder_gives_a_clear_message(tmp_path) -> None:
    with tmpfs(tmp_path / "ro", "size=1m", "ro") as mnt:
        with pytest.raises(DataDirNotWritable) as err:
            open_store(DataPaths(mnt / "office"))
    assert "Không ghi được" in err.value.message_vi


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions; covered by the tmpfs test")
def test_unwritable_data_folder_gives_a_clear_message(tmp_path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    with pytest.raises(DataDirNotWritable):
        open_store(DataPaths(locked / "office"))


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small tmpfs")
def test_full_disk_gives_a_clear_message_and_keeps_saved_data(tmp_path) -> None:
    with tmpfs(tmp_path / "small", "size=3m") as mnt:
        paths = DataPaths(mnt / "office")
        store = open_store(paths)
        with store.transaction() as session:
            session.add(Setting(key="sync.server_url", value='"https://tinh.example"'))
        # Fill the disk, leaving a few KB.
        filler = mnt / "filler"
        with filler.open("wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        with pytest.raises(DiskFull) as err:
            with store.transaction() as session:
                for i in range(2000):
                    session.add(Setting(key=f"x{i}", value="y" * 2000))
        assert "đã đầy" in err.value.message_vi
        store.close()
        filler.unlink()
        again = open_store(paths)
        with again.reading() as session:
            assert session.get(Setting, "sync.server_url").value == '"https://tinh.example"'
            assert session.get(Setting, "x1") is None
        again.close()


def test_revision_list_matches_the_migration_scripts() -> None:
    assert list(migrate.REVISIONS) == migrate.script_revisions()


@pytest.mark.skipif(len(migrate.REVISIONS) < 2, reason="needs a second schema revision")
def test_migration_keeps_a_backup_of_the_old_database(data_paths) -> None:
    from desktop.store.engine import make_engine

    data_paths.root.mkdir(parents=True)
    engine = make_engine(data_paths.database)
    from alembic import command

    command.upgrade(migrate.alembic_config(engine), migrate.REVISIONS[0])
    with engine.begin() as conn:
        conn.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
    engine.dispose()
    store = open_store(data_paths)
    store.close()
    assert store.migrated_from == migrate.REVISIONS[0]
    kept = list(data_paths.backups.glob(f"*before-migration-{migrate.REVISIONS[0]}.db"))
    assert len(kept) == 1
    assert inspect_backup(kept[0]).schema_revision == migrate.REVISIONS[0]
