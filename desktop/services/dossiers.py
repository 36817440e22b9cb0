"""The one way to change a dossier.

`create` and `transition` are the only functions that write a dossier's
status. Each writes, in the caller's transaction: the change, its progress
row (QuaTrinhXuLy), an audit event with the state before and after, an
outbox item for the province, and the dossier's search entry. `update`
changes other fields (a new appointment after an approved apology) the same
way, without a progress row.

An outbox item carries the dossier's snapshot and what hangs on it: its
submitted papers (TaiLieuNop, with the digitised file's SHA-256), fees
(DanhSachLePhi), supplement rounds (DanhSachHoSoBoSung), result documents
(DanhSachGiayToKetQua, with their digitised file), who received the result,
and approved apologies.
Callers add those rows before calling here (the session flushes them).
A state-secret dossier gets no outbox item at all.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.status import Status, check_initial, check_transition
from desktop.services import audit, outbox, search
from desktop.services.actor import Actor
from desktop.store.models import (
    Apology,
    Attachment,
    Dossier,
    DossierComponent,
    DossierFee,
    DossierResult,
    OutboxItem,
    OutboxState,
    ProgressRow,
    ResultReturn,
    SupplementRound,
)

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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def related(session: Session, dossier_id: int) -> dict[str, Any]:
    """What hangs on a dossier and goes to the province with it."""
    rounds = session.execute(select(SupplementRound).where(SupplementRound.dossier_id == dossier_id)
                             .order_by(SupplementRound.id)).scalars()
    results = session.execute(select(DossierResult).where(DossierResult.dossier_id == dossier_id)
                              .order_by(DossierResult.id)).scalars()
    ret = session.execute(select(ResultReturn).where(ResultReturn.dossier_id == dossier_id)
                          ).scalar_one_or_none()
    apologies = session.execute(select(Apology).where(Apology.dossier_id == dossier_id,
                                                      Apology.state == "approved")
                                .order_by(Apology.id)).scalars()
    components = session.execute(select(DossierComponent).where(
        DossierComponent.dossier_id == dossier_id).order_by(DossierComponent.position,
                                                            DossierComponent.id)).scalars()
    fees = session.execute(select(DossierFee).where(DossierFee.dossier_id == dossier_id)
                           .order_by(DossierFee.id)).scalars()
    result_files = {result_id: sha for result_id, sha in session.execute(
        select(Attachment.result_id, Attachment.sha256).where(
            Attachment.dossier_id == dossier_id, Attachment.kind == "result",
            Attachment.removed_at.is_(None)))}
    return {
        "components": [{
            "name": c.name or "?", "originals": c.originals, "certified": c.certified,
            "photocopies": c.photocopies, "present": c.present,
            "digitisation_state": c.digitisation_state, "file_sha256": c.file_sha256,
        } for c in components],
        "fees": [{"name": f.name, "amount": f.amount, "paid": f.paid,
                  "paid_online": f.paid_online} for f in fees],
        "supplement_rounds": [{
            "uid": r.uid, "requested_at": _iso(r.requested_at),
            "requested_by_name": r.requested_by_name, "content": r.content,
            "missing": json.loads(r.missing or "[]"), "previous_due_at": _iso(r.previous_due_at),
            "received_at": _iso(r.received_at), "received_by_name": r.received_by_name,
            "new_due_at": _iso(r.new_due_at), "state": r.state,
        } for r in rounds],
        "results": [{"name": r.name, "code": r.code, "recorded_at": _iso(r.recorded_at),
                     "file_sha256": result_files.get(r.id)} for r in results],
        "result_return": None if ret is None else {
            "returned_at": _iso(ret.returned_at), "receiver_name": ret.receiver_name,
            "receiver_id_number": ret.receiver_id_number,
            "receiver_is_applicant": ret.receiver_is_applicant, "by_post": ret.by_post,
        },
        "apologies": [{"reason": a.reason, "original_due_at": _iso(a.original_due_at),
                       "new_due_at": _iso(a.new_due_at), "approved_at": _iso(a.approved_at)}
                      for a in apologies],
    }


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


def _publish(session: Session, actor: Actor, dossier: Dossier, progress: ProgressRow | None,
             action: str, before: dict[str, Any] | None, at: datetime,
             note: dict[str, Any] | None = None) -> None:
    after = snapshot(dossier)
    audit.record(session, actor, action, "dossier", dossier.code or dossier.uid,
                 before=before, after=after if note is None else {**after, "change": note}, at=at)
    if not dossier.state_secret:  # state-secret content never leaves the office
        payload: dict[str, Any] = {"dossier": after, **related(session, dossier.id)}
        if note is not None:
            payload["change"] = note
        if progress is not None:
            payload["progress"] = {
                "uid": progress.uid, "officer_name": progress.officer_name,
                "officer_title": progress.officer_title, "department": progress.department,
                "acted_at": progress.acted_at.isoformat(), "content": progress.content,
                "status": progress.status,
                "step_deadline": _iso(progress.step_deadline),
            }
        outbox.enqueue(session, actor, action, payload, dossier_id=dossier.id, at=at)
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


def _apply(dossier: Dossier, changes: dict[str, Any] | None, at: datetime) -> None:
    for name, value in (changes or {}).items():
        if name not in SNAPSHOT_FIELDS or name in ("uid", "status", "version"):
            raise ValueError(f"not a changeable dossier field: {name}")
        setattr(dossier, name, value)
    dossier.updated_at = at
    dossier.version += 1


def update(session: Session, actor: Actor, dossier: Dossier, *, action: str,
           changes: dict[str, Any], at: datetime, note: dict[str, Any] | None = None) -> None:
    """Change fields of a dossier that keep its status (audit, outbox, search; no progress row).

    `action` names the change ("dossier.new_appointment"); `note` adds what the
    change was about (an apology's id and reason) to the audit event and outbox item.
    """
    if not changes:
        raise ValueError("nothing to change")
    before = snapshot(dossier)
    _apply(dossier, changes, at)
    session.flush()
    _publish(session, actor, dossier, None, action, before, at, note)


def papers_changed(session: Session, actor: Actor, dossier: Dossier, *, at: datetime) -> None:
    """A paper or result of the dossier was digitised, reused or taken off: tell the province.

    The caller writes the audit event (it knows which paper). When the dossier's
    latest queued change was never tried, it is brought up to date instead (one
    request instead of two: reception and the scans right after it); otherwise a
    change of its own, ``dossier.papers``, goes up with the dossier's next version.
    """
    if dossier.state_secret:
        return
    session.flush()
    queued = session.execute(select(OutboxItem).where(
        OutboxItem.dossier_id == dossier.id, OutboxItem.state == OutboxState.PENDING,
        OutboxItem.attempts == 0).order_by(OutboxItem.id.desc()).limit(1)).scalar_one_or_none()
    newer = queued is not None and session.execute(select(OutboxItem.id).where(
        OutboxItem.dossier_id == dossier.id, OutboxItem.id > queued.id)).first() is not None
    if queued is not None and not newer:
        payload = json.loads(queued.payload)
        payload.update(related(session, dossier.id))
        queued.payload = json.dumps(payload, ensure_ascii=False, default=str)
        return
    _apply(dossier, None, at)
    session.flush()
    payload: dict[str, Any] = {"dossier": snapshot(dossier), **related(session, dossier.id)}
    outbox.enqueue(session, actor, "dossier.papers", payload, dossier_id=dossier.id, at=at)


def transition(session: Session, actor: Actor, dossier: Dossier, target: Status | int, *,
               content: str, at: datetime, changes: dict[str, Any] | None = None,
               step_deadline: datetime | None = None) -> ProgressRow:
    """Move a dossier to `target` (checked against the national status set)."""
    target = Status(target)
    check_transition(dossier.status, target)
    before = snapshot(dossier)
    _apply(dossier, changes, at)
    dossier.status = int(target)
    session.flush()
    progress = _progress(session, actor, dossier, content, at, step_deadline)
    _publish(session, actor, dossier, progress, f"dossier.{target.name.lower()}", before, at)
    return progress
