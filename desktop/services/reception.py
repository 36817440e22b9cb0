"""Reception at the desk: receive, refuse, guide an incomplete dossier, drafts, online queue.

The form travels as plain dataclasses (ReceptionForm), so the UI, drafts and
tests share one shape. Every function that changes a dossier goes through
services.dossiers (progress row, audit event, outbox item, search entry in the
same transaction). Printing data for the slips (Mẫu 01/02/03) is built here
from the stored dossier, so a reprint always shows what was saved.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.calendar import DueDate, InvalidDuration, TimeUnit, explain_due
from desktop.domain.contact import InvalidContact, normalize_email, normalize_phone
from desktop.domain.errors import DomainError
from desktop.domain.identity import InvalidIdNumber, Sex, validate_id_number, validate_old_id
from desktop.domain.status import Status
from desktop.domain.text import nfc
from desktop.services import audit, dossiers
from desktop.services.actor import Actor
from desktop.services.calendar import load_calendar
from desktop.services.catalogue import fee_for, is_conditional_component
from desktop.services.numbering import next_dossier_code
from desktop.services.office import get_office
from desktop.services.validation import Collector, PermissionDenied, ValidationError
from desktop.store.database import Store
from desktop.store.models import (
    Channel,
    Dossier,
    DossierComponent,
    DossierFee,
    Draft,
    Office,
    Procedure,
    Role,
)
from forms.context import (
    ComponentLine as PrintedComponent,
)
from forms.context import (
    OfficeInfo,
    PersonInfo,
    ReceiptData,
    RefusalData,
    SupplementData,
)

CHANNEL_LABELS = {
    Channel.IN_PERSON: "Trực tiếp",
    Channel.ONLINE: "Trực tuyến",
    Channel.POST: "Qua dịch vụ bưu chính công ích",
}
MIN_REASON = 10


class ComponentState(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    NOT_NEEDED = "not_needed"


@dataclass
class PersonForm:
    id_number: str = ""
    old_id: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    def is_empty(self) -> bool:
        return not any((self.id_number, self.old_id, self.name, self.birth_date, self.address,
                        self.phone, self.email))


@dataclass
class ComponentLine:
    name: str
    procedure_component_id: int | None = None
    originals: int = 0
    certified: int = 0
    photocopies: int = 0
    state: str = ComponentState.MISSING
    required: bool = True


@dataclass
class ReceptionForm:
    procedure_id: int | None = None
    channel: str = Channel.IN_PERSON.value
    applicant: PersonForm = field(default_factory=PersonForm)
    has_submitter: bool = False
    submitter: PersonForm = field(default_factory=PersonForm)
    components: list[ComponentLine] = field(default_factory=list)
    summary: str = ""
    note: str = ""
    sets_count: int = 1
    return_by_post: bool = False
    draft_id: int | None = None

    # -- drafts are JSON of this form
    def to_json(self) -> str:
        data = asdict(self)
        for person in ("applicant", "submitter"):
            bd = data[person]["birth_date"]
            data[person]["birth_date"] = bd.isoformat() if bd else None
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ReceptionForm:
        data = json.loads(text)

        def person(d: dict[str, Any]) -> PersonForm:
            bd = d.get("birth_date")
            return PersonForm(**{**d, "birth_date": date.fromisoformat(bd) if bd else None})

        return cls(
            procedure_id=data.get("procedure_id"), channel=data.get("channel", "1"),
            applicant=person(data.get("applicant", {})),
            has_submitter=data.get("has_submitter", False),
            submitter=person(data.get("submitter", {})),
            components=[ComponentLine(**c) for c in data.get("components", [])],
            summary=data.get("summary", ""), note=data.get("note", ""),
            sets_count=data.get("sets_count", 1), return_by_post=data.get("return_by_post", False),
            draft_id=data.get("draft_id"),
        )

    def is_blank(self) -> bool:
        return (self.procedure_id is None and self.applicant.is_empty()
                and self.submitter.is_empty() and not self.summary.strip())

    def title(self) -> str:
        name = self.applicant.name.strip() or "(chưa có tên)"
        return name[:100]


# ----------------------------------------------------------------- catalogue side


def components_for(session: Session, procedure_id: int) -> list[ComponentLine]:
    """The procedure's checklist: conditional papers start as not needed, others as missing."""
    proc = session.get_one(Procedure, procedure_id)
    lines = []
    for c in proc.components:
        conditional = is_conditional_component(c.name)
        lines.append(ComponentLine(
            name=c.name, procedure_component_id=c.id, originals=c.originals,
            certified=c.certified, photocopies=c.photocopies,
            state=ComponentState.NOT_NEEDED if conditional else ComponentState.MISSING,
            required=not conditional,
        ))
    return lines


def _time_of(proc: Procedure, channel: str) -> tuple[float | None, str | None]:
    if channel == Channel.ONLINE.value and proc.online_time_unit:
        return proc.online_time_amount, proc.online_time_unit
    return proc.time_amount, proc.time_unit


def _cutoff(proc: Procedure):  # noqa: ANN202
    if not proc.cutoff:
        return None
    from datetime import time

    hh, mm = proc.cutoff.split(":")
    return time(int(hh), int(mm))


def due_preview(session: Session, procedure_id: int, channel: str, received_at: datetime) -> DueDate:
    """The due date and the rule that produced it; raises InvalidDuration when unconfirmed."""
    proc = session.get_one(Procedure, procedure_id)
    amount, unit = _time_of(proc, channel)
    if unit is None:
        raise InvalidDuration(
            "Thủ tục này chưa được xác nhận đơn vị thời hạn giải quyết (ngày làm việc, ngày hay "
            "giờ). Quản trị viên cần xác nhận trong Quản trị › Danh mục thủ tục.",
            code="missing_time_unit",
        )
    return explain_due(received_at, amount, TimeUnit(unit), load_calendar(session),
                       cutoff=_cutoff(proc))


def processing_time_text(proc: Procedure, channel: str) -> str:
    amount, unit = _time_of(proc, channel)
    if unit is None or amount is None:
        return "Chưa xác định"
    n = int(amount) if float(amount).is_integer() else amount
    if n == 0:
        return "Trong ngày làm việc"
    return f"{n} {TimeUnit(unit).label_vi}"


def recent_procedures(session: Session, actor: Actor, *, sample: int = 400) -> list[int]:
    """Procedure ids this officer received most often among their latest dossiers."""
    latest = (select(Dossier.procedure_id).where(Dossier.received_by_id == actor.officer_id)
              .order_by(Dossier.id.desc()).limit(sample).subquery())
    rows = session.execute(
        select(latest.c.procedure_id, func.count()).group_by(latest.c.procedure_id)
        .order_by(func.count().desc())
    ).all()
    return [r[0] for r in rows]


# ------------------------------------------------------------------ validation


def _check_person(c: Collector, prefix: str, p: PersonForm, *, strict: bool) -> PersonForm:
    name = nfc(" ".join(p.name.split()))
    if not name:
        c.add(f"{prefix}.name", "Vui lòng nhập họ và tên.")
    id_number = p.id_number.strip()
    sex = Sex(p.sex) if p.sex in (Sex.MALE.value, Sex.FEMALE.value) else None
    if id_number:
        try:
            validate_id_number(id_number, birth_date=p.birth_date, sex=sex)
        except InvalidIdNumber as exc:
            c.add(f"{prefix}.id_number", exc.message_vi)
    elif strict and not p.old_id.strip():
        c.add(f"{prefix}.id_number", "Vui lòng nhập số định danh cá nhân (12 chữ số) hoặc quét "
                                     "mã QR trên thẻ căn cước.")
    old_id = p.old_id.strip()
    if old_id:
        try:
            validate_old_id(old_id)
        except DomainError as exc:
            c.add(f"{prefix}.old_id", exc.message_vi)
    if p.birth_date is not None:
        if p.birth_date > date.today():
            c.add(f"{prefix}.birth_date", "Ngày sinh không thể ở tương lai.")
        elif p.birth_date.year < 1900:
            c.add(f"{prefix}.birth_date", "Ngày sinh trước năm 1900 không hợp lệ.")
    address = " ".join(p.address.split())
    if strict and not address:
        c.add(f"{prefix}.address", "Vui lòng nhập địa chỉ.")
    phone = p.phone.strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except InvalidContact as exc:
            c.add(f"{prefix}.phone", exc.message_vi)
    email = p.email.strip()
    if email:
        try:
            email = normalize_email(email)
        except InvalidContact as exc:
            c.add(f"{prefix}.email", exc.message_vi)
    return PersonForm(id_number=id_number, old_id=old_id, name=name, birth_date=p.birth_date,
                      sex=p.sex if sex else "", address=address, phone=phone, email=email)


def _check_procedure(session: Session, c: Collector, form: ReceptionForm) -> Procedure | None:
    if form.procedure_id is None:
        c.add("procedure", "Vui lòng chọn thủ tục hành chính.")
        return None
    proc = session.get(Procedure, form.procedure_id)
    if proc is None or not proc.active:
        c.add("procedure", "Thủ tục này không còn trong danh mục.")
        return None
    if form.channel not in {ch.value for ch in Channel}:
        c.add("channel", "Chọn kênh nộp hồ sơ.")
    return proc


def validate_for_receipt(session: Session, form: ReceptionForm) -> tuple[Procedure, PersonForm, PersonForm | None]:
    c = Collector()
    proc = _check_procedure(session, c, form)
    applicant = _check_person(c, "applicant", form.applicant, strict=True)
    submitter = _check_person(c, "submitter", form.submitter, strict=True) if form.has_submitter else None
    present = [line for line in form.components if line.state == ComponentState.PRESENT]
    missing = [line for line in form.components if line.state == ComponentState.MISSING]
    if missing:
        names = "; ".join(_short(line.name) for line in missing[:3])
        more = f" và {len(missing) - 3} thành phần khác" if len(missing) > 3 else ""
        c.add("components", f"Hồ sơ còn thiếu: {names}{more}. Hãy in phiếu hướng dẫn bổ sung "
                            "(Mẫu 02) và lưu nháp, hoặc đánh dấu thành phần là không cần.")
    elif not present:
        c.add("components", "Hồ sơ phải có ít nhất một thành phần đã nộp.")
    for line in present:
        if line.originals + line.certified + line.photocopies <= 0:
            c.add("components", f"Ghi số bản đã nộp của: {_short(line.name)}.")
            break
    if not 1 <= form.sets_count <= 99:
        c.add("sets_count", "Số bộ hồ sơ từ 1 đến 99.")
    if proc is not None and _time_of(proc, form.channel)[1] is None:
        c.add("procedure", "Thủ tục này chưa được xác nhận đơn vị thời hạn giải quyết; quản trị "
                           "viên cần xác nhận trong Quản trị › Danh mục thủ tục.")
    c.raise_if_any()
    assert proc is not None
    return proc, applicant, submitter


def _short(name: str, n: int = 70) -> str:
    name = " ".join(name.split())
    return name if len(name) <= n else name[: n - 1] + "…"


def _require_desk(actor: Actor) -> None:
    if not (actor.has(Role.FRONT_DESK) or actor.has(Role.ADMIN)):
        raise PermissionDenied("Chỉ cán bộ bộ phận một cửa mới tiếp nhận hoặc từ chối hồ sơ.")


# ------------------------------------------------------------------- receiving


@dataclass(frozen=True)
class Saved:
    dossier_id: int
    code: str


def _apply_person(d: Dossier, prefix: str, p: PersonForm) -> None:
    setattr(d, f"{prefix}_id_number", p.id_number)
    setattr(d, f"{prefix}_name", p.name)
    setattr(d, f"{prefix}_birth_date", p.birth_date)
    setattr(d, f"{prefix}_sex", p.sex)
    setattr(d, f"{prefix}_address", p.address)
    setattr(d, f"{prefix}_phone", p.phone)
    setattr(d, f"{prefix}_email", p.email)
    if prefix == "applicant":
        d.applicant_old_id = p.old_id


def receive(store: Store, actor: Actor, form: ReceptionForm, *, now: datetime | None = None) -> Saved:
    """Status 2: a new dossier with its code, components, fees and due date; one transaction."""
    _require_desk(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        proc, applicant, submitter = validate_for_receipt(session, form)
        office = get_office(session)
        due = due_preview(session, proc.id, form.channel, now)
        d = Dossier(
            procedure_id=proc.id, channel=form.channel, status=int(Status.RECEIVED),
            applicant_kind="1", summary=(form.summary.strip() or proc.name)[:1000],
            note=form.note.strip(), sets_count=form.sets_count, submitted_at=now,
            received_at=now, due_at=due.at, original_due_at=due.at,
            return_by_post=form.return_by_post or form.channel == Channel.POST.value,
            received_by_id=actor.officer_id, code=next_dossier_code(session, office, now.date()),
        )
        _apply_person(d, "applicant", applicant)
        if submitter is not None:
            _apply_person(d, "submitter", submitter)
        d.components = [
            DossierComponent(procedure_component_id=line.procedure_component_id, position=i,
                             name=line.name, originals=line.originals, certified=line.certified,
                             photocopies=line.photocopies, present=True, digitisation_state=0)
            for i, line in enumerate(form.components) if line.state == ComponentState.PRESENT
        ]
        fee = fee_for(proc, Channel(form.channel))
        if fee:
            d.fees = [DossierFee(name=f"Lệ phí {proc.name}"[:255], amount=fee)]
        d.fee_total = fee
        dossiers.create(session, actor, d, content="Tiếp nhận hồ sơ", at=now, step_deadline=due.at)
        if form.draft_id is not None:
            _delete_draft(session, actor, form.draft_id)
        return Saved(d.id, d.code)


def refuse(store: Store, actor: Actor, form: ReceptionForm, reason: str, *,
           now: datetime | None = None) -> Saved:
    """Status 3 at the desk: the dossier is recorded with the mandatory reason (Mẫu 03)."""
    _require_desk(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        c = Collector()
        proc = _check_procedure(session, c, form)
        applicant = _check_person(c, "applicant", form.applicant, strict=False)
        reason = _check_reason(c, reason)
        c.raise_if_any()
        office = get_office(session)
        d = Dossier(
            procedure_id=proc.id, channel=form.channel, status=int(Status.REFUSED),
            applicant_kind="1", summary=(form.summary.strip() or proc.name)[:1000],
            note=form.note.strip(), submitted_at=now, refused_at=now, reason=reason,
            received_by_id=actor.officer_id, code=next_dossier_code(session, office, now.date()),
        )
        _apply_person(d, "applicant", applicant)
        dossiers.create(session, actor, d, content=f"Từ chối tiếp nhận: {reason}", at=now)
        if form.draft_id is not None:
            _delete_draft(session, actor, form.draft_id)
        return Saved(d.id, d.code)


def _check_reason(c: Collector, reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        c.add("reason", "Phải ghi rõ lý do (ít nhất 10 ký tự): người dân có quyền được biết vì "
                        "sao hồ sơ không được tiếp nhận.")
    return reason


def supplement_guidance(store: Store, actor: Actor, form: ReceptionForm, reason: str, *,
                        now: datetime | None = None) -> SupplementData:
    """Mẫu 02 for an incomplete dossier at the desk: nothing is received; the form stays a draft."""
    _require_desk(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        c = Collector()
        proc = _check_procedure(session, c, form)
        applicant = _check_person(c, "applicant", form.applicant, strict=False)
        missing = [line for line in form.components if line.state == ComponentState.MISSING]
        if not missing:
            c.add("components", "Không có thành phần nào được đánh dấu còn thiếu.")
        reason = " ".join((reason or "").split()) or "Hồ sơ chưa đủ thành phần theo quy định."
        c.raise_if_any()
        office = get_office(session)
        audit.record(session, actor, "reception.guidance", "draft", form.draft_id or "",
                     after={"procedure": proc.code, "missing": [m.name for m in missing]}, at=now)
        return SupplementData(
            office=_office_info(office), procedure_name=proc.name,
            applicant=_person_info(applicant), reason=reason, officer_name=actor.name,
            officer_contact=office.phone or "", issued_at=now,
            missing=tuple(PrintedComponent(m.name, m.originals, m.certified, m.photocopies)
                          for m in missing),
        )


# ---------------------------------------------------------------- online queue


def receive_online(store: Store, actor: Actor, dossier_id: int, *,
                   now: datetime | None = None) -> Saved:
    """1 → 2: an online dossier checked and received; the due date runs from now."""
    _require_desk(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        d = session.get_one(Dossier, dossier_id)
        due = due_preview(session, d.procedure_id, d.channel, now)
        changes: dict[str, Any] = {"received_at": now, "due_at": due.at, "original_due_at": due.at}
        if not d.code:
            changes["code"] = next_dossier_code(session, get_office(session), now.date())
        d.received_by_id = actor.officer_id
        dossiers.transition(session, actor, d, Status.RECEIVED, content="Tiếp nhận hồ sơ trực tuyến",
                            at=now, changes=changes, step_deadline=due.at)
        return Saved(d.id, d.code)


def refuse_online(store: Store, actor: Actor, dossier_id: int, reason: str, *,
                  now: datetime | None = None) -> Saved:
    _require_desk(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        c = Collector()
        reason = _check_reason(c, reason)
        c.raise_if_any()
        d = session.get_one(Dossier, dossier_id)
        dossiers.transition(session, actor, d, Status.REFUSED, content=f"Từ chối tiếp nhận: {reason}",
                            at=now, changes={"refused_at": now, "reason": reason})
        return Saved(d.id, d.code)


# ----------------------------------------------------------------------- drafts


def save_draft(store: Store, actor: Actor, form: ReceptionForm, *, now: datetime | None = None) -> int:
    """Create or update this officer's draft; returns its id. Never raises on bad input."""
    now = now or datetime.now()
    with store.transaction() as session:
        draft = session.get(Draft, form.draft_id) if form.draft_id else None
        if draft is None or draft.officer_id != actor.officer_id:
            draft = Draft(officer_id=actor.officer_id, kind="reception", created_at=now,
                          payload="{}", title="", updated_at=now)
            session.add(draft)
            session.flush()
            form.draft_id = draft.id
        draft.payload = form.to_json()
        draft.title = form.title()
        draft.updated_at = now
        return draft.id


@dataclass(frozen=True)
class DraftInfo:
    id: int
    title: str
    updated_at: datetime


def list_drafts(session: Session, actor: Actor) -> list[DraftInfo]:
    rows = session.execute(
        select(Draft).where(Draft.officer_id == actor.officer_id, Draft.kind == "reception")
        .order_by(Draft.updated_at.desc())
    ).scalars()
    return [DraftInfo(d.id, d.title, d.updated_at) for d in rows]


def load_draft(session: Session, actor: Actor, draft_id: int) -> ReceptionForm:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.officer_id != actor.officer_id:
        raise ValidationError({"draft": "Không tìm thấy bản nháp này."})
    form = ReceptionForm.from_json(draft.payload)
    form.draft_id = draft.id
    return form


def discard_draft(store: Store, actor: Actor, draft_id: int) -> None:
    with store.transaction() as session:
        _delete_draft(session, actor, draft_id)


def _delete_draft(session: Session, actor: Actor, draft_id: int) -> None:
    draft = session.get(Draft, draft_id)
    if draft is not None and draft.officer_id == actor.officer_id:
        session.delete(draft)


# ---------------------------------------------------------------- printed slips


def _office_info(office: Office) -> OfficeInfo:
    return OfficeInfo(name=office.name, parent_name=office.parent_name,
                      place_name=office.place_name or office.name, agency_code=office.agency_code,
                      address=office.address, phone=office.phone)


def _person_info(p: PersonForm) -> PersonInfo:
    return PersonInfo(name=p.name, id_number=p.id_number or p.old_id, address=p.address,
                      phone=p.phone, email=p.email)


def _dossier_person(d: Dossier, prefix: str) -> PersonInfo:
    return PersonInfo(
        name=getattr(d, f"{prefix}_name"), id_number=getattr(d, f"{prefix}_id_number"),
        address=getattr(d, f"{prefix}_address"), phone=getattr(d, f"{prefix}_phone"),
        email=getattr(d, f"{prefix}_email"),
    )


def receipt_data(session: Session, dossier_id: int, officer_name: str | None = None) -> ReceiptData:
    """Mẫu 01 for a received dossier, from what is stored (reprintable at any time)."""
    d = session.get_one(Dossier, dossier_id)
    if d.received_at is None or d.due_at is None:
        raise ValidationError({"dossier": "Hồ sơ này chưa được tiếp nhận nên chưa có giấy biên nhận."})
    office = get_office(session)
    proc = d.procedure
    if officer_name is None:
        from desktop.store.models import Officer

        officer = session.get(Officer, d.received_by_id) if d.received_by_id else None
        officer_name = officer.full_name if officer else ""
    fee_text = f"{d.fee_total:,} đồng".replace(",", ".") if d.fee_total else "Không thu phí"
    return ReceiptData(
        office=_office_info(office), dossier_code=d.code or "", procedure_name=proc.name,
        channel_label=CHANNEL_LABELS[Channel(d.channel)],
        applicant=_dossier_person(d, "applicant"),
        submitter=_dossier_person(d, "submitter") if d.submitter_name else None,
        components=tuple(PrintedComponent(c.name, c.originals, c.certified, c.photocopies)
                         for c in d.components if c.present),
        sets_count=d.sets_count, processing_time_text=processing_time_text(proc, d.channel),
        received_at=d.received_at, due_at=d.due_at,
        result_place=("Gửi qua dịch vụ bưu chính công ích" if d.return_by_post
                      else f"Bộ phận tiếp nhận và trả kết quả, {office.name}"),
        officer_name=officer_name, book_number=str(d.received_at.year),
        sequence_number=_sequence_number(session, d), fee_text=fee_text,
    )


def _sequence_number(session: Session, d: Dossier) -> str:
    """'Số thứ tự' in the year's book ('Quyển số' = the year), by reception order."""
    if d.received_at is None:
        return ""
    start = datetime(d.received_at.year, 1, 1)
    n = session.execute(
        select(func.count()).select_from(Dossier)
        .where(Dossier.received_at >= start, Dossier.received_at <= d.received_at,
               Dossier.id <= d.id)
    ).scalar_one()
    return f"{n:04d}"


def refusal_data(session: Session, dossier_id: int, officer_name: str) -> RefusalData:
    d = session.get_one(Dossier, dossier_id)
    office = get_office(session)
    return RefusalData(
        office=_office_info(office), procedure_name=d.procedure.name,
        applicant=_dossier_person(d, "applicant"), reason=d.reason, officer_name=officer_name,
        officer_contact=office.phone or "", issued_at=d.refused_at or d.updated_at,
        dossier_code=d.code or "",
    )




# ------------------------------------------------------------- the online queue


@dataclass(frozen=True)
class QueueRow:
    id: int
    code: str
    submitted_at: datetime | None
    applicant_name: str
    applicant_id_number: str
    procedure_name: str
    components: tuple[str, ...]


def online_queue(session: Session, *, limit: int = 500) -> list[QueueRow]:
    """Dossiers submitted online (status 1), oldest first: first come, first served."""
    rows = session.execute(
        select(Dossier).where(Dossier.status == int(Status.NEW_ONLINE))
        .order_by(Dossier.submitted_at, Dossier.id).limit(limit)
    ).scalars().all()
    return [QueueRow(d.id, d.code or "", d.submitted_at, d.applicant_name, d.applicant_id_number,
                     d.procedure.name, tuple(c.name for c in d.components)) for d in rows]


def slip_for(session: Session, dossier_id: int, officer_name: str) -> ReceiptData | RefusalData:
    """The slip to (re)print for a dossier: the refusal slip if refused, else the receipt."""
    d = session.get_one(Dossier, dossier_id)
    if d.status == int(Status.REFUSED):
        return refusal_data(session, dossier_id, officer_name)
    return receipt_data(session, dossier_id)
