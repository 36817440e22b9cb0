"""The server's database: engine, sessions, tables, reference data.

SQLite (the default: a file) runs in WAL mode with a busy timeout, and every
write transaction starts with ``BEGIN IMMEDIATE``, so writers queue on the
database lock instead of failing half-way; reads run on a second engine in
ordinary (deferred) transactions, which WAL lets run beside a writer.
PostgreSQL (any SQLAlchemy URL, e.g. ``postgresql+psycopg://…``) uses one
engine; the code that must serialise (the change-log counter, an office's
number blocks) takes row locks with ``SELECT … FOR UPDATE``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sync.protocol import VN_TZ, CalendarDay, ProcedureRecord, canonical_json, sha256_text
from sync.server import models as m

T = TypeVar("T")
Clock = Callable[[], datetime]

BUSY_TIMEOUT_MS = 10_000


def system_clock() -> datetime:
    return datetime.now(UTC)


def default_url(path: str) -> str:
    return f"sqlite:///{path}"


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    # hide_parameters: an error message never carries a dossier's data into a log.
    engine = create_engine(url, hide_parameters=True,
                           connect_args={"timeout": BUSY_TIMEOUT_MS / 1000,
                                         "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class ServerStore:
    """Engines and transactions of one server database."""

    def __init__(self, database_url: str, *, clock: Clock = system_clock) -> None:
        self.url = database_url
        self.clock = clock
        url = make_url(database_url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if not url.database or url.database == ":memory:":
                raise ValueError("the reference server needs an SQLite file, not :memory:")
            self.write_engine = _sqlite_engine(database_url, immediate=True)
            self.read_engine = _sqlite_engine(database_url, immediate=False)
        else:
            self.write_engine = self.read_engine = create_engine(
                database_url, pool_pre_ping=True, hide_parameters=True)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)

    # --- time ----------------------------------------------------------------------

    def now(self) -> datetime:
        """Vietnam local time, naive (the protocol's convention), whole seconds."""
        return self.clock().astimezone(VN_TZ).replace(tzinfo=None, microsecond=0)

    def epoch(self) -> float:
        return self.clock().timestamp()

    # --- transactions --------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def run_write(self, fn: Callable[[Session], T], *, attempts: int = 3) -> T:
        """Run ``fn`` in a write transaction; retry when a unique constraint or a lock
        lost a race (another request inserted the same key first)."""
        for attempt in range(attempts):
            try:
                with self.write() as session:
                    return fn(session)
            except (IntegrityError, OperationalError):
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()

    # --- schema and reference data -------------------------------------------------

    def create_tables(self) -> None:
        m.Base.metadata.create_all(self.write_engine)
        with self.write() as session:
            if session.get(m.Meta, "change_cursor") is None:
                session.add(m.Meta(key="change_cursor", value="0"))

    def seed(self, procedures: dict[str, Any] | None, holidays: dict[str, Any] | None) -> None:
        """Load the catalogue and the calendar when their tables are empty."""
        with self.write() as session:
            if procedures and session.execute(select(m.Procedure).limit(1)).first() is None:
                self._seed_procedures(session, procedures)
            if holidays and session.execute(select(m.CalendarDay).limit(1)).first() is None:
                self._seed_calendar(session, holidays)

    @staticmethod
    def _seed_procedures(session: Session, data: dict[str, Any]) -> None:
        records = [ProcedureRecord.model_validate(r) for r in data.get("procedures", [])]
        for position, rec in enumerate(records):
            session.add(m.Procedure(code=rec.code, position=position, name=rec.name,
                                    field=rec.field,
                                    record=canonical_json(rec.model_dump(mode="json"))))
        version = sha256_text(canonical_json([r.model_dump(mode="json") for r in records]))
        _set_meta(session, "catalogue_version", version)

    @staticmethod
    def _seed_calendar(session: Session, table: dict[str, Any]) -> None:
        days: dict[Any, CalendarDay] = {}
        for year in table.get("years", {}).values():
            for key, kind in (("days_off", "day_off"), ("make_up_working_days", "working_day")):
                for row in year.get(key, ()):
                    d = CalendarDay(date=row["date"], kind=kind, name=row["name"],
                                    status=row.get("status", ""))
                    days[d.date] = d
        for d in days.values():
            session.add(m.CalendarDay(day=d.date, kind=d.kind, name=d.name, status=d.status))
        ordered = [days[k].model_dump(mode="json") for k in sorted(days)]
        _set_meta(session, "calendar_version", sha256_text(canonical_json(ordered)))


def _set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(m.Meta, key)
    if row is None:
        session.add(m.Meta(key=key, value=value))
    else:
        row.value = value


def get_meta(session: Session, key: str, default: str = "") -> str:
    row = session.get(m.Meta, key)
    return default if row is None else row.value


def next_cursor(session: Session) -> int:
    """The next change-log cursor, under a row lock held until commit."""
    row = session.execute(select(m.Meta).where(m.Meta.key == "change_cursor")
                          .with_for_update()).scalar_one()
    value = int(row.value) + 1
    row.value = str(value)
    return value


def load_seed(name: str) -> dict[str, Any] | None:
    """resources/seed/<name>.json (the published catalogue, the official calendar)."""
    try:
        import resources
    except ImportError:  # a server installed without the desktop's resources
        return None
    try:
        return resources.seed(name)
    except OSError:
        return None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
