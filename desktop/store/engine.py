"""Engine and session factory for the local SQLite file.

WAL mode (readers never block the writer), foreign keys on, a busy timeout
so a short write by another connection of this process never fails a read,
and the SQLite `application_id` that marks the file as ours (backups keep it,
restore checks it).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

# "MCUA" as a 32-bit integer: written into the SQLite header of every database we create.
APPLICATION_ID = 0x4D435541


def make_engine(db_path: Path, *, echo: bool = False, autocheckpoint: bool = True) -> Engine:
    """`autocheckpoint=False`: commits never copy the WAL into the database file
    themselves; the owner calls Store.checkpoint() when the desk is idle (the GUI
    does, every few seconds off the UI thread). A checkpoint on a large office
    file took up to half a second and landed on every ~20th save otherwise."""
    engine = create_engine(f"sqlite:///{db_path}", echo=echo)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        # pysqlite's own transaction handling starts a transaction only before
        # a write, so a read-then-write unit of work would not be atomic.
        # Switch it off and emit BEGIN ourselves (the "begin" event below),
        # as SQLAlchemy's documentation recommends for SQLite.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 5000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        if not autocheckpoint:
            cur.execute("PRAGMA wal_autocheckpoint = 0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        # Writers take the write lock at BEGIN (IMMEDIATE), so two writers queue
        # on busy_timeout instead of failing when a read turns into a write.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_writer_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose transactions begin IMMEDIATE: for units of work that write."""
    return sessionmaker(engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
