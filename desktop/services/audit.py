"""The audit trail: append-only rows chained by SHA-256 hashes.

Each row's hash covers the previous row's hash and the row's own content, so
`verify_chain` finds a row that was changed, inserted or deleted afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, text
from sqlalchemy.orm import Session

from desktop.services.actor import Actor
from desktop.store.models import AuditEvent

GENESIS = "0" * 64
#: The newest row's hash, by rowid. NOT INDEXED: with statistics that think the table
#: tiny (the demo's ANALYZE), SQLite read a whole index and sorted it instead, 0.4 s per
#: event on three million rows.
_LAST_HASH = "SELECT hash FROM audit_events NOT INDEXED ORDER BY id DESC LIMIT 1"


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _digest(prev_hash: str, at: datetime, actor_id: int | None, actor_name: str, action: str,
            entity: str, entity_id: str, before: str | None, after: str | None) -> str:
    return _digest_iso(prev_hash, at.isoformat(timespec="microseconds"), actor_id, actor_name,
                       action, entity, entity_id, before, after)


def _digest_iso(prev_hash: str, at_iso: str, actor_id: int | None, actor_name: str, action: str,
                entity: str, entity_id: str, before: str | None, after: str | None) -> str:
    material = json.dumps(
        [prev_hash, at_iso, actor_id, actor_name, action, entity, entity_id, before, after],
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: object = "",
           *, before: Any = None, after: Any = None, at: datetime | None = None) -> AuditEvent:
    """Append one audit row in the caller's transaction."""
    at = at or datetime.now()
    prev = session.execute(text(_LAST_HASH)).scalar_one_or_none() or GENESIS
    before_s, after_s = _canonical(before), _canonical(after)
    event = AuditEvent(
        at=at, actor_id=actor.officer_id, actor_name=actor.name, action=action,
        entity=entity, entity_id=str(entity_id), before=before_s, after=after_s,
        prev_hash=prev,
        hash=_digest(prev, at, actor.officer_id, actor.name, action, entity, str(entity_id),
                     before_s, after_s),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    message_vi: str


def verify_chain(session: Session) -> list[ChainProblem]:
    """Every problem of the chain, oldest first (see `scan_chain`)."""
    return list(scan_chain(session, max_problems=None).problems)


#: `scan_chain` reads the trail in batches of this many rows (memory stays flat).
SCAN_BATCH = 5000
#: The problems `scan_chain` keeps by default (all of them are counted).
MAX_PROBLEMS = 1000


class ChainCheckCancelled(Exception):
    """The caller's `cancelled()` turned true while `scan_chain` was reading."""


@dataclass(frozen=True)
class ChainReport:
    """What `scan_chain` found: rows read, the first problems and how many there were."""

    rows: int
    problems: tuple[ChainProblem, ...]
    problem_count: int

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def message_vi(self) -> str:
        rows = f"{self.rows:,}".replace(",", ".")
        if self.ok:
            return f"Chuỗi nhật ký toàn vẹn ({rows} dòng)"
        count = f"{self.problem_count:,}".replace(",", ".")
        return f"Chuỗi nhật ký bị phá vỡ: {count} vấn đề trong {rows} dòng"


def scan_chain(session: Session, *, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None,
               max_problems: int | None = MAX_PROBLEMS) -> ChainReport:
    """Recompute the chain in id order, streaming (millions of rows in flat memory).

    A row whose `prev_hash` is not the previous row's hash follows a deleted or
    inserted row; a row whose own hash does not match its content was changed.
    `progress(last id read, highest id)` is called after each batch (from the
    caller's thread); `cancelled()` is polled there too and raises
    ChainCheckCancelled. Only the first `max_problems` problems are kept (None: all).
    """
    top = session.execute(text("SELECT max(id) FROM audit_events NOT INDEXED")).scalar_one() or 0
    # The driver's rows as they are (half the time of typed rows on millions); `at` is
    # turned into the ISO text the hash covers exactly as a typed read would (see _at_iso).
    # NOT INDEXED: the table in rowid order; with stale statistics SQLite was seen to
    # read the time index and sort millions of rows before returning the first one.
    connection = session.connection()
    parse_at = DateTime().dialect_impl(connection.dialect).result_processor(
        connection.dialect, None)
    result = connection.execution_options(yield_per=SCAN_BATCH).exec_driver_sql(
        "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before, after, "
        "prev_hash, hash FROM audit_events NOT INDEXED ORDER BY id")
    problems: list[ChainProblem] = []
    found = rows = 0
    prev = GENESIS

    def problem(event_id: int, message_vi: str) -> None:
        nonlocal found
        found += 1
        if max_problems is None or len(problems) < max_problems:
            problems.append(ChainProblem(event_id, message_vi))

    for batch in result.partitions():
        if cancelled is not None and cancelled():
            result.close()
            raise ChainCheckCancelled
        for (event_id, at, actor_id, actor_name, action, entity, entity_id, before, after,
             prev_hash, own_hash) in batch:
            if prev_hash != prev:
                problem(event_id,
                        f"Nhật ký #{event_id}: dòng liền trước đã bị xóa hoặc chèn thêm.")
            expected = _digest_iso(prev_hash, _at_iso(at, parse_at), actor_id, actor_name,
                                   action, entity, entity_id, before, after)
            if expected != own_hash:
                problem(event_id, f"Nhật ký #{event_id}: nội dung đã bị sửa.")
            prev = own_hash
        rows += len(batch)
        if progress is not None:
            progress(batch[-1][0], top)
    return ChainReport(rows, tuple(problems), found)


def _at_iso(stored: Any, parse: Callable[[Any], Any] | None) -> str:
    """`at` as stored → `datetime.isoformat(timespec="microseconds")` of its typed value.

    SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff"; for that form the ISO text is the
    same characters with a "T". Anything else (a row written by hand) goes through
    SQLAlchemy's own conversion, as a typed read would.
    """
    if isinstance(stored, str) and len(stored) == 26 and stored[10] == " " \
            and stored[19] == ".":
        return f"{stored[:10]}T{stored[11:]}"
    value = parse(stored) if parse is not None and isinstance(stored, str) else stored
    return value.isoformat(timespec="microseconds")
