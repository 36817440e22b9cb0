"""What comes in from the province: online dossiers and the province's own changes.

The sync engine (sync/engine.py) calls these inside its transactions; they
never write an outbox item (the data came from the province, it does not go
back), but they do write, like every change of a dossier, its progress rows,
an audit event (actor "province") and its search entry.

Input is plain data: the province's dossier record as a mapping in the shape
of sync.protocol.DossierRecord (``model_dump()``), so this module does not
depend on the wire models.

- ``create_online``: a dossier submitted on the portal (status 1) is created
  with the province's uid, its papers, fees and progress rows; a second call
  for the same uid changes nothing.
- ``apply_record``: the province's state of a dossier replaces the local one
  (the conflict rules in ARCHITECTURE.md, "Sync": the province wins on the
  status and on whatever it changed). Desk-only data stays: the code, the
  assignee, the state-secret flag, results, apologies. Supplement rounds are
  merged by uid (``merge_supplement_rounds``): a round the province started is
  added, a round it marked received or closed follows it, and a round still
  open when the province moved the dossier out of "supplement requested"
  (withdrawn, stopped…) is closed — nobody waits for those papers any more.
  Progress rows are history: the province's rows missing here are added,
  none is ever removed.
- ``mark_synced``: what the province has acknowledged of a dossier (its
  version and status there), the basis of the integrity check.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.services import audit, search
from desktop.services.actor import Actor
from desktop.services.dossiers import snapshot
from desktop.store.models import (
    Dossier,
    DossierComponent,
    DossierFee,
    Procedure,
    ProgressRow,
    SupplementRound,
    SyncDossier,
)

#: Who acts when the province's data is applied (audit trail, progress rows have no officer).
PROVINCE = Actor(officer_id=None, name="province")

#: Snapshot fields the province's record sets on the local dossier. Not: uid (the same),
#: code (set by the desk; taken only when the desk has none), procedure_id (the desk's own
#: catalogue id, mapped from procedure_code), assignee_id (a local officer id),
#: state_secret (the desk's decision), version (set apart).
RECORD_FIELDS = (
    "channel", "status", "applicant_kind", "applicant_id_number", "applicant_old_id",
    "applicant_name", "applicant_birth_date", "applicant_sex", "applicant_address",
    "applicant_phone", "applicant_email", "submitter_id_number", "submitter_name",
    "submitter_birth_date", "submitter_sex", "submitter_address", "submitter_phone",
    "submitter_email", "summary", "note", "reason", "sets_count", "submitted_at",
    "received_at", "due_at", "original_due_at", "refused_at", "finished_at", "returned_at",
    "return_by_post", "fee_total", "paid_online",
)
_TEXT_FIELDS = {name for name in RECORD_FIELDS
                if name not in ("sets_count", "submitted_at", "received_at", "due_at",
                                "original_due_at", "refused_at", "finished_at", "returned_at",
                                "return_by_post", "fee_total", "paid_online", "status",
                                "applicant_birth_date", "submitter_birth_date")}


class UnknownProcedure(LookupError):
    """The province's dossier names a procedure (MaTTHC) the desk's catalogue does not have."""

    def __init__(self, code: str | None) -> None:
        super().__init__(code)
        self.procedure_code = code or ""
        self.message_vi = (f"Thủ tục mã {code or '(không có mã)'} chưa có trong danh mục thủ tục "
                           "của xã: chưa nhận được hồ sơ này. Hãy cập nhật danh mục rồi đồng bộ lại.")


@dataclass(frozen=True)
class Applied:
    dossier_id: int
    code: str | None
    #: The local state before (None: the dossier was created) and after.
    before: dict[str, Any] | None
    after: dict[str, Any]
    status_changed: bool
    progress_added: int


def procedure_id_for(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    return session.execute(select(Procedure.id).where(Procedure.code == code)).scalar_one_or_none()


def find(session: Session, uid: str) -> Dossier | None:
    return session.execute(select(Dossier).where(Dossier.uid == uid)).scalar_one_or_none()


def _set_fields(dossier: Dossier, snap: Mapping[str, Any]) -> None:
    for name in RECORD_FIELDS:
        if name not in snap:
            continue
        value = snap[name]
        if value is None and name in _TEXT_FIELDS:
            value = ""
        if name == "status":
            value = int(Status(int(value)))
        setattr(dossier, name, value)


def add_progress_rows(session: Session, dossier_id: int, rows: Iterable[Mapping[str, Any]]) -> int:
    """Add the rows (QuaTrinhXuLy) not already here, by uid; returns how many were added."""
    rows = list(rows)
    uids = [r["uid"] for r in rows]
    if not uids:
        return 0
    have = set(session.execute(select(ProgressRow.uid).where(ProgressRow.uid.in_(uids))).scalars())
    added = 0
    for r in rows:
        if r["uid"] in have:
            continue
        have.add(r["uid"])
        session.add(ProgressRow(
            uid=r["uid"], dossier_id=dossier_id, officer_id=None,
            officer_name=(r.get("officer_name") or "")[:50],
            officer_title=r.get("officer_title") or "", department=r.get("department") or "",
            acted_at=r["acted_at"], content=r.get("content") or "", status=int(r["status"]),
            started_at=r.get("started_at"), step_deadline=r.get("step_deadline")))
        added += 1
    if added:
        session.flush()
    return added


def mark_synced(session: Session, dossier_id: int, *, version: int, status: int,
                province_version: int | None = None, at: datetime) -> None:
    """Record what the province has of a dossier (after an answer, a pull or a repair)."""
    row = session.get(SyncDossier, dossier_id)
    if row is None:
        session.add(SyncDossier(dossier_id=dossier_id, server_version=version,
                                server_status=status, province_version=province_version or 0,
                                synced_at=at))
        return
    row.server_version = version
    row.server_status = status
    if province_version is not None:
        row.province_version = max(row.province_version, province_version)
    row.synced_at = at


def create_online(session: Session, record: Mapping[str, Any], *, at: datetime) -> Applied | None:
    """A dossier submitted online, as the province sent it; None when it is already here."""
    snap = record["dossier"]
    if find(session, snap["uid"]) is not None:
        return None
    procedure_id = procedure_id_for(session, snap.get("procedure_code"))
    if procedure_id is None:
        raise UnknownProcedure(snap.get("procedure_code"))
    d = Dossier(uid=snap["uid"], procedure_id=procedure_id, code=snap.get("code") or None,
                created_at=at, updated_at=at, version=int(record["version"]),
                state_secret=False)
    _set_fields(d, snap)
    d.applicant_name = d.applicant_name or ""
    d.components = [
        DossierComponent(position=i, name=c.get("name") or "", originals=c.get("originals") or 0,
                         certified=c.get("certified") or 0,
                         photocopies=c.get("photocopies") or 0,
                         present=bool(c.get("present", True)),
                         digitisation_state=int(c.get("digitisation_state") or 0),
                         file_sha256=c.get("file_sha256"))
        for i, c in enumerate(record.get("components") or [])
    ]
    d.fees = [DossierFee(name=(f.get("name") or "Lệ phí")[:255], amount=f.get("amount") or 0,
                         paid=bool(f.get("paid")), paid_online=bool(f.get("paid_online")))
              for f in record.get("fees") or []]
    session.add(d)
    session.flush()
    added = add_progress_rows(session, d.id, record.get("progress") or [])
    after = snapshot(d)
    audit.record(session, PROVINCE, "sync.online_dossier", "dossier", d.uid, after=after, at=at)
    search.enqueue(session, d.id)
    mark_synced(session, d.id, version=int(record["version"]), status=d.status,
                province_version=int(record.get("province_version") or 0), at=at)
    return Applied(d.id, d.code, None, after, True, added)


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


_ROUND_STATES = ("open", "received", "closed")


def merge_supplement_rounds(session: Session, dossier: Dossier,
                            rounds: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Bring the dossier's supplement rounds in line with the province's record.

    Returns {round uid: what happened} ("added", "received", "closed") for the audit
    event. A round's state only moves forward (open → received or closed): a
    province record older than the desk's own receipt of the papers changes nothing.
    """
    local = {r.uid: r for r in session.execute(select(SupplementRound).where(
        SupplementRound.dossier_id == dossier.id)).scalars()}
    changed: dict[str, str] = {}
    for data in rounds:
        uid = str(data.get("uid") or "")
        state = str(data.get("state") or "open")
        if not uid or state not in _ROUND_STATES:
            continue
        row = local.get(uid)
        if row is None:
            row = SupplementRound(
                uid=uid, dossier_id=dossier.id,
                requested_at=_when(data.get("requested_at")) or dossier.updated_at,
                requested_by=None, requested_by_name=str(data.get("requested_by_name") or ""),
                content=str(data.get("content") or ""),
                missing=json.dumps(list(data.get("missing") or []), ensure_ascii=False),
                previous_due_at=_when(data.get("previous_due_at")), received_by_name="",
                state="open")
            session.add(row)
            local[uid] = row
            changed[uid] = "added"
        if row.state == "open" and state == "received":
            row.state = "received"
            row.received_at = _when(data.get("received_at"))
            row.received_by_name = str(data.get("received_by_name") or "")
            row.new_due_at = _when(data.get("new_due_at"))
            changed[uid] = "received"
        elif row.state == "open" and state == "closed":
            row.state = "closed"
            changed[uid] = "closed"
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        for row in local.values():
            if row.state == "open":
                row.state = "closed"
                changed[row.uid] = "closed"
    session.flush()
    return changed


def apply_record(session: Session, dossier: Dossier, record: Mapping[str, Any], *,
                 at: datetime, repair: bool = False) -> Applied:
    """Make the local dossier the province's record (the province wins); progress rows merged.

    ``repair``: found by the integrity check rather than announced by the province
    (only the audit action differs).
    """
    snap = record["dossier"]
    before = snapshot(dossier)
    old_status = dossier.status
    _set_fields(dossier, snap)
    if not dossier.code and snap.get("code"):
        dossier.code = snap["code"]
    pid = procedure_id_for(session, snap.get("procedure_code"))
    if pid is not None:
        dossier.procedure_id = pid
    dossier.version = int(record["version"])
    dossier.updated_at = at
    session.flush()
    added = add_progress_rows(session, dossier.id, record.get("progress") or [])
    rounds = merge_supplement_rounds(session, dossier, record.get("supplement_rounds") or [])
    after = snapshot(dossier)
    if rounds:
        after = {**after, "supplement_rounds": rounds}
    entity = dossier.code or dossier.uid
    if repair:
        audit.record(session, PROVINCE, "sync.repair", "dossier", entity, before=before,
                     after=after, at=at)
    else:
        audit.record(session, PROVINCE, "sync.province_status", "dossier", entity,
                     before=before, after=after, at=at)
    search.enqueue(session, dossier.id)
    mark_synced(session, dossier.id, version=dossier.version, status=dossier.status,
                province_version=int(record.get("province_version") or 0), at=at)
    return Applied(dossier.id, dossier.code, before, after, dossier.status != old_status, added)
