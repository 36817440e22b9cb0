"""The audit trail: append-only rows chained by SHA-256 hashes.

Each row's hash covers the previous row's hash and the row's own content, so
`verify_chain` finds a row that was changed, inserted or deleted afterwards.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.services.actor import Actor
from desktop.store.models import AuditEvent

GENESIS = "0" * 64


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _digest(prev_hash: str, at: datetime, actor_id: int | None, actor_name: str, action: str,
            entity: str, entity_id: str, before: str | None, after: str | None) -> str:
    material = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor_id, actor_name, action,
         entity, entity_id, before, after],
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: object = "",
           *, before: Any = None, after: Any = None, at: datetime | None = None) -> AuditEvent:
    """Append one audit row in the caller's transaction."""
    at = at or datetime.now()
    prev = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none() or GENESIS
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
    problems: list[ChainProblem] = []
    prev = GENESIS
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    for ev in rows:
        if ev.prev_hash != prev:
            problems.append(ChainProblem(
                ev.id, f"Nhật ký #{ev.id}: dòng liền trước đã bị xóa hoặc chèn thêm."))
        expected = _digest(ev.prev_hash, ev.at, ev.actor_id, ev.actor_name, ev.action,
                           ev.entity, ev.entity_id, ev.before, ev.after)
        if expected != ev.hash:
            problems.append(ChainProblem(ev.id, f"Nhật ký #{ev.id}: nội dung đã bị sửa."))
        prev = ev.hash
    return problems
