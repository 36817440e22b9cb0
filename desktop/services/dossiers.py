"""The one way to change a dossier.

`create` and `transition` are the only functions that write a dossier's
status. Each writes, in the caller's transaction: the change, its progress
row (QuaTrinhXuLy), an audit event with the state before and after, an
outbox item for the province, and the dossier's search entry.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain.status import Status, check_initial, check_transition
from desktop.services import audit, outbox, search
from desktop.services.actor import Actor
from desktop.store.models import Dossier, ProgressRow

# Fields whose value goes into the audit trail and the outbox snapshot.
SNAPSHOT_FIELDS = (
    "uid", "code", "procedure_id", "channel", "status", "applicant_kind",
    "applicant_id_number", "applicant_old_id", "applicant_name", "applicant_birth_date",
    "applicant_sex", "applicant_address", "applicant_phone", "applicant_email",
    "submitter_id_number", "submitter_name", "submitter_birth_date", "submitter_sex",
    "submitter_address", "submitter_phone", "submitter_email", "summary", "note", "reason",
    "sets_count", "submitted_at", "received_at", "due_at", "original_due_at", "refused_at",
    "finished_at", "returned_at", "return_by_post", "fee_total", "paid_online",
    "state_secret", "assignee_id", "version",
)


def snapshot(dossier: Dossier) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(dossier, name)
        out[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def _progress(session: Session, actor: Actor, dossier: Dossier, content: str, at: datetime,
              step_deadline: datetime | None) -> ProgressRow:
    row = ProgressRow(
        uid=str(uuid.uuid4()), dossier_id=dossier.id, officer_id=actor.officer_id,
        officer_name=actor.name[:50], officer_title=actor.title, department=actor.department,
        acted_at=at, content=content, status=dossier.status, started_at=at,
        step_deadline=step_deadline,
    )
    session.add(row)
    session.flush()
    return row


def _publish(session: Session, actor: Actor, dossier: Dossier, progress: ProgressRow,
             action: str, before: dict[str, Any] | None, at: datetime) -> None:
    after = snapshot(dossier)
    audit.record(session, actor, action, "dossier", dossier.code or dossier.uid,
                 before=before, after=after, at=at)
    if not dossier.state_secret:  # state-secret content never leaves the office
        outbox.enqueue(session, actor, action, {
            "dossier": after,
            "progress": {
                "uid": progress.uid, "officer_name": progress.officer_name,
                "officer_title": progress.officer_title, "department": progress.department,
                "acted_at": progress.acted_at.isoformat(), "content": progress.content,
                "status": progress.status,
                "step_deadline": progress.step_deadline.isoformat() if progress.step_deadline else None,
            },
        }, dossier_id=dossier.id, at=at)
    search.enqueue(session, dossier.id)


def create(session: Session, actor: Actor, dossier: Dossier, *, content: str, at: datetime,
           step_deadline: datetime | None = None) -> ProgressRow:
    """Insert a new dossier in an initial status (1, 2 or 3)."""
    check_initial(dossier.status)
    dossier.uid = dossier.uid or str(uuid.uuid4())
    dossier.created_at = dossier.created_at or at
    dossier.updated_at = at
    dossier.version = 1
    session.add(dossier)
    session.flush()
    progress = _progress(session, actor, dossier, content, at, step_deadline)
    _publish(session, actor, dossier, progress, f"dossier.{Status(dossier.status).name.lower()}",
             None, at)
    return progress


def transition(session: Session, actor: Actor, dossier: Dossier, target: Status | int, *,
               content: str, at: datetime, changes: dict[str, Any] | None = None,
               step_deadline: datetime | None = None) -> ProgressRow:
    """Move a dossier to `target` (checked against the national status set)."""
    target = Status(target)
    check_transition(dossier.status, target)
    before = snapshot(dossier)
    for name, value in (changes or {}).items():
        if name not in SNAPSHOT_FIELDS or name in ("uid", "status", "version"):
            raise ValueError(f"not a changeable dossier field: {name}")
        setattr(dossier, name, value)
    dossier.status = int(target)
    dossier.updated_at = at
    dossier.version += 1
    session.flush()
    progress = _progress(session, actor, dossier, content, at, step_deadline)
    _publish(session, actor, dossier, progress, f"dossier.{target.name.lower()}", before, at)
    return progress
