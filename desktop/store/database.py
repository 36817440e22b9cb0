"""Opening an office's local store: checks, backup, migration, engine.

`open_store` is the one way into the database. In order it:
1. makes sure the data folder exists and is writable (clear message if read-only or full);
2. refuses a damaged file (never overwriting it) and names the last backup;
3. refuses a database written by a newer version of the app;
4. keeps a backup copy, then runs pending Alembic migrations;
5. returns a Store with the engine and the session factory.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desktop.paths import DataPaths
from desktop.store import migrate
from desktop.store.backup import SQLITE_HEADER, backup_database, latest_backup
from desktop.store.engine import (
    APPLICATION_ID,
    make_engine,
    make_session_factory,
    make_writer_factory,
)
from desktop.store.errors import (
    DatabaseCorrupt,
    DataDirNotWritable,
    DiskFull,
    NewerDatabase,
    StoreError,
)


@dataclass
class Store:
    paths: DataPaths
    engine: Engine
    session_factory: sessionmaker[Session] = field(repr=False)
    migrated_from: str | None = None
    writer_factory: sessionmaker[Session] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.writer_factory is None:
            self.writer_factory = make_writer_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work that writes: BEGIN IMMEDIATE, commit on success, roll back on error."""
        with translate_errors(self.paths.root), self.writer_factory.begin() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A writer session that the caller commits itself (e.g. commit, then raise)."""
        with translate_errors(self.paths.root), self.writer_factory() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with translate_errors(self.paths.root), self.session_factory() as session:
            yield session

    def checkpoint(self, mode: str = "PASSIVE") -> None:
        """Copy committed pages from the WAL into the database file (off the UI thread)."""
        with translate_errors(self.paths.root):
            raw = self.engine.raw_connection()  # autocommit: no snapshot to hold it back
            try:
                raw.driver_connection.execute(f"PRAGMA wal_checkpoint({mode})")
            finally:
                raw.close()

    def close(self) -> None:
        self.engine.dispose()


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlite3.Error | DBAPIError):
        msg = str(exc).lower()
        return "disk is full" in msg or "disk i/o error" in msg and "full" in msg
    return False


@contextmanager
def translate_errors(root: Path) -> Iterator[None]:
    """Turn low-level storage failures into StoreErrors with Vietnamese messages."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError, OSError) as exc:
        if is_disk_full(exc):
            raise DiskFull(root) from exc
        msg = str(exc).lower()
        if "readonly" in msg or "read-only" in msg or (
            isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
        ):
            raise DataDirNotWritable(root, str(exc)) from exc
        raise


def ensure_writable(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / ".write-probe"
        with probe.open("wb") as fh:
            fh.write(b"0" * 4096)
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(root) from exc
        raise DataDirNotWritable(root, exc.strerror or str(exc)) from exc


def _check_file(db: Path, backups_dir: Path) -> None:
    """Cheap start-up check of an existing file (the full check is `motcua check`)."""
    try:
        with db.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DataDirNotWritable(db.parent, exc.strerror or str(exc)) from exc
    if header != SQLITE_HEADER:
        raise DatabaseCorrupt(db, "phần đầu tệp không đúng định dạng SQLite", latest_backup(backups_dir))
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if app_id not in (0, APPLICATION_ID):
                raise DatabaseCorrupt(db, "tệp không do Một Cửa tạo ra", latest_backup(backups_dir))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(db, str(exc), latest_backup(backups_dir)) from exc


def open_store(paths: DataPaths, *, migrate_now: bool = True,
               autocheckpoint: bool = True) -> Store:
    ensure_writable(paths.root)
    db = paths.database
    existed = db.exists() and db.stat().st_size > 0
    if existed:
        _check_file(db, paths.backups)
    engine = make_engine(db, autocheckpoint=autocheckpoint)
    try:
        with translate_errors(paths.root):
            revision = migrate.current_revision(engine)
            if revision is not None and revision not in migrate.known_revisions():
                raise NewerDatabase(revision)
            migrated_from = None
            if migrate_now and revision != migrate.head_revision():
                if existed and revision is not None:
                    backup_database(db, paths.backups, f"before-migration-{revision}")
                    migrated_from = revision
                migrate.upgrade_to_head(engine)
                # A fresh database: make sure the marker is there even if the
                # migration ran on a connection whose pragma was reset.
                with engine.begin() as conn:
                    conn.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
    except StoreError:
        engine.dispose()
        raise
    except sqlite3.DatabaseError as exc:
        engine.dispose()
        raise DatabaseCorrupt(db, str(exc), latest_backup(paths.backups)) from exc
    except DBAPIError as exc:
        engine.dispose()
        if isinstance(exc.orig, sqlite3.DatabaseError) and "malformed" in str(exc).lower():
            raise DatabaseCorrupt(db, str(exc.orig), latest_backup(paths.backups)) from exc
        raise
    return Store(paths, engine, make_session_factory(engine), migrated_from)
