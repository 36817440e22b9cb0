"""Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ (the control slip), from the store.

Pure queries on a Session, like ``processing.supplement_request_data``: the
caller opens it (``store.reading()``) and prints the returned data.

The slip's rows are the dossier's hand-overs, read from its progress rows
(QuaTrinhXuLy), in order:

- to processing (status 4): the acting officer (the desk, or whoever received
  the supplement papers or the payment, or resumed it) gives the dossier to
  the assignee of that moment, read from the audit trail's snapshot written
  with the step (falling back to today's assignee);
- a supplement request (5): the processing officer gives it back to the applicant;
- processed (9): the processing officer gives the result to the one-stop desk;
- returned (10): the desk gives the result to whoever received it (result_returns).

Each row's KẾT QUẢ compares the hand-over time with the due date in force
for that step (`timeliness`). Dossiers still open get dotted rows for the
hand-overs to come, filled in by hand.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.services.office import get_office
from desktop.services.reception import _sequence_number
from desktop.services.validation import ValidationError
from desktop.store.models import (
    Apology,
    AuditEvent,
    Dossier,
    Office,
    Officer,
    ProgressRow,
    ResultReturn,
)
from forms.context import (
    BEFORE_DUE,
    ON_DUE,
    OVERDUE,
    ControlSlipData,
    HandOverLine,
    OfficeInfo,
    PersonInfo,
)

#: Progress statuses that hand the dossier (or its result) to someone else.
HAND_OVER_STATUSES: frozenset[int] = frozenset({
    Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PROCESSED, Status.RETURNED})
#: A slip of a dossier still open has at least this many rows (dotted ones to fill in).
MIN_ROWS = 3
#: No hand-over is left for these.
_CLOSED: frozenset[int] = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.RETURNED})
DESK_VI = "Bộ phận tiếp nhận và trả kết quả"
# The note of a hand-over back to processing, by the status it leaves.
_BACK_TO_PROCESSING_VI = {
    Status.SUPPLEMENT_REQUESTED: "Đã nhận hồ sơ bổ sung",
    Status.FINANCIAL_OBLIGATION: "Đã thực hiện nghĩa vụ tài chính",
    Status.STOPPED: "Tiếp tục xử lý",
}


def timeliness(at: datetime, due: datetime | None) -> str:
    """KẾT QUẢ GIẢI QUYẾT HỒ SƠ of a hand-over at ``at`` against the due date ``due``.

    After the due time: Quá hạn; earlier on the due day: Đúng hạn; on an
    earlier day: Trước hạn. Empty without a due date.
    """
    if due is None:
        return ""
    if at > due:
        return OVERDUE
    if at.date() == due.date():
        return ON_DUE
    return BEFORE_DUE


def _who(name: str, unit: str) -> str:
    return f"{name} ({unit})" if name and unit else name or unit


def _office_info(office: Office | None) -> OfficeInfo:
    if office is None:
        return OfficeInfo(name="", parent_name="", place_name="", agency_code="")
    return OfficeInfo(name=office.name, parent_name=office.parent_name,
                      place_name=office.place_name or office.name,
                      agency_code=office.agency_code, address=office.address, phone=office.phone)


def _legal_due(session: Session, d: Dossier) -> datetime | None:
    """The due date a late result is measured against: before any approved apology moved it."""
    first = session.execute(
        select(Apology.original_due_at)
        .where(Apology.dossier_id == d.id, Apology.state == "approved")
        .order_by(Apology.approved_at, Apology.id).limit(1)
    ).scalar_one_or_none()
    return first or d.due_at


def _assignees(session: Session, d: Dossier, rows: list[ProgressRow]) -> dict[datetime, int]:
    """The assignee right after each step to processing (4), from the audit snapshots.

    One query, narrowed by the indexed time column to the steps' own times.
    """
    times = [r.acted_at for r in rows if r.status == Status.PROCESSING]
    if not times:
        return {}
    events = session.execute(
        select(AuditEvent.at, AuditEvent.after).where(
            AuditEvent.at.in_(times), AuditEvent.entity == "dossier",
            AuditEvent.entity_id == (d.code or d.uid),
            AuditEvent.action == f"dossier.{Status.PROCESSING.name.lower()}")
    ).all()
    found: dict[datetime, int] = {}
    for at, after in events:
        try:
            assignee = json.loads(after or "{}").get("assignee_id")
        except (ValueError, AttributeError):
            continue
        if isinstance(assignee, int):
            found[at] = assignee
    return found


def hand_overs(session: Session, d: Dossier) -> list[HandOverLine]:
    """The dossier's hand-overs, oldest first (see the module's docstring)."""
    rows = session.execute(
        select(ProgressRow).where(ProgressRow.dossier_id == d.id)
        .order_by(ProgressRow.acted_at, ProgressRow.id)
    ).scalars().all()
    assignee_at = _assignees(session, d, rows)
    officers = {o.id: o for o in session.execute(
        select(Officer).where(Officer.id.in_(
            {*assignee_at.values(), *([d.assignee_id] if d.assignee_id else [])}))).scalars()}
    returned = session.execute(
        select(ResultReturn).where(ResultReturn.dossier_id == d.id)).scalar_one_or_none()
    legal_due = _legal_due(session, d)
    applicant = f"{d.applicant_name} (chủ hồ sơ)"

    lines: list[HandOverLine] = []
    previous: int | None = None
    for row in rows:
        status = row.status
        if status in HAND_OVER_STATUSES and previous is not None:
            giver = _who(row.officer_name, row.department)
            note = ""
            if status == Status.PROCESSING:
                officer = officers.get(assignee_at.get(row.acted_at, d.assignee_id or -1))
                receiver = _who(officer.full_name, officer.department) if officer else ""
                note = _BACK_TO_PROCESSING_VI.get(Status(previous), "")
            elif status == Status.SUPPLEMENT_REQUESTED:
                receiver, note = applicant, "Yêu cầu bổ sung hồ sơ"
            elif status == Status.PROCESSED:
                receiver, note = DESK_VI, "Đã có kết quả giải quyết"
            else:  # RETURNED
                receiver = applicant
                if returned is not None:
                    who = "chủ hồ sơ" if returned.receiver_is_applicant else "người được ủy quyền"
                    receiver = f"{returned.receiver_name} ({who})"
                    if returned.by_post:
                        note = "Trả qua dịch vụ bưu chính công ích"
            due = row.step_deadline or legal_due
            lines.append(HandOverLine(giver=giver, receiver=receiver, at=row.acted_at,
                                      result=timeliness(row.acted_at, due), note=note))
        previous = status
    return lines


def control_slip_data(session: Session, dossier_id: int) -> ControlSlipData:
    """Mẫu 05 for a received dossier, reprintable at any time (ValidationError otherwise)."""
    d = session.get(Dossier, dossier_id) if isinstance(dossier_id, int) else None
    if d is None:
        raise ValidationError({"dossier": "Không tìm thấy hồ sơ này."})
    if d.received_at is None or d.status == Status.REFUSED:
        raise ValidationError({"dossier": "Hồ sơ này chưa được tiếp nhận nên chưa có phiếu "
                                          "kiểm soát quá trình giải quyết."})
    office = get_office(session)
    info = _office_info(office)
    assignee = session.get(Officer, d.assignee_id) if d.assignee_id else None
    body = info.name
    if assignee is not None and assignee.department:
        body = f"{info.name} – {assignee.department}" if info.name else assignee.department
    lines = hand_overs(session, d)
    blank = 0 if d.status in _CLOSED else max(1, MIN_ROWS - len(lines))
    return ControlSlipData(
        office=info,
        dossier_code=d.code or "",
        procedure_name=d.procedure.name,
        applicant=PersonInfo(name=d.applicant_name,
                             id_number=d.applicant_id_number or d.applicant_old_id,
                             address=d.applicant_address, phone=d.applicant_phone,
                             email=d.applicant_email),
        received_at=d.received_at,
        due_at=d.due_at,
        processing_body=body,
        hand_overs=tuple(lines),
        book_number=str(d.received_at.year),
        sequence_number=_sequence_number(session, d),
        blank_rows=blank,
    )
