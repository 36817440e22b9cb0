"""Processing a dossier after reception: one function per action of the national status set.

hand_over (2→4), request_supplement (2/4→5), receive_supplement (5→4),
require_payment (2/4→6), record_payment (6→4), withdraw (→7), stop (→8),
resume (8→4), finish (→9), return_result (9→10); the late-result apology
(Mẫu 04: propose, approve or reject, print) and the state-secret mark.

Every action is one transaction (`store.transaction()`) and changes the status
only through `services.dossiers.transition`, which writes, with the change, its
progress row (a Vietnamese sentence), the audit event, the outbox item and the
search-queue entry. Checks come first and in this order, so a refused action
writes nothing:

1. the dossier exists and its status allows the action (`ValidationError` on
   the field ``"status"``: the action is not possible in this status);
2. the officer's role (`PermissionDenied`);
3. the input (`ValidationError`, one Vietnamese message per field).

`actions_for` runs checks 1 and 2 (and the input-free preconditions of the
apology) for every action, so the UI offers exactly what would be accepted.

Who may do what (an officer may hold several roles):

- desk work (hand over, return the result): FRONT_DESK or ADMIN;
- processing (supplement, payment, finish): SPECIALIST or LEADER, or the
  dossier's assignee; while the dossier is still at the desk (status 2) a desk
  officer may also ask for papers or payment;
- receiving supplement papers or a payment: desk or processing;
- withdrawal (the applicant's request, made at the desk): desk or LEADER;
- stop and resume: SPECIALIST or LEADER;
- apology: proposed by desk or processing, approved/rejected by a LEADER only;
- state secret: LEADER or ADMIN.

A dossier must have an assignee whenever it is in processing (4): the actions
that go back to 4 (receive_supplement, record_payment, resume) take
`specialist_id` and require it when the dossier has none yet (it went to 5, 6
or 8 straight from the desk).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.domain.calendar import InvalidDuration, TimeUnit, WorkCalendar, extend_for_supplement
from desktop.domain.calendar import due_at as compute_due
from desktop.domain.errors import DomainError
from desktop.domain.identity import validate_id_number, validate_old_id
from desktop.domain.status import Status
from desktop.domain.text import fold, nfc
from desktop.services import audit, digitisation, dossiers
from desktop.services.actor import Actor
from desktop.services.calendar import load_calendar
from desktop.services.office import get_office
from desktop.services.validation import Collector, PermissionDenied, ValidationError
from desktop.store.database import Store
from desktop.store.models import (
    Apology,
    Dossier,
    DossierFee,
    DossierResult,
    Officer,
    OutboxItem,
    OutboxState,
    ProgressRow,
    ResultReturn,
    Role,
    SupplementRound,
)
from forms.context import (
    ApologyData,
    ComponentLine,
    OfficeInfo,
    PersonInfo,
    SupplementData,
)

MIN_REASON = 10
MAX_AMOUNT = 10**12  # đồng
#: Statuses in which a dossier is being worked on (and can be late). Stopped (8) is paused.
IN_PROGRESS: frozenset[int] = frozenset({2, 4, 5, 6})

# ------------------------------------------------------------------------- actions

HAND_OVER = "hand_over"
REQUEST_SUPPLEMENT = "request_supplement"
RECEIVE_SUPPLEMENT = "receive_supplement"
REQUIRE_PAYMENT = "require_payment"
RECORD_PAYMENT = "record_payment"
WITHDRAW = "withdraw"
STOP = "stop"
RESUME = "resume"
FINISH = "finish"
RETURN_RESULT = "return_result"
PROPOSE_APOLOGY = "propose_apology"
APPROVE_APOLOGY = "approve_apology"
REJECT_APOLOGY = "reject_apology"
MARK_STATE_SECRET = "mark_state_secret"

#: Every action, in the order the UI lists them.
ACTIONS: tuple[str, ...] = (
    HAND_OVER, REQUEST_SUPPLEMENT, RECEIVE_SUPPLEMENT, REQUIRE_PAYMENT, RECORD_PAYMENT,
    FINISH, RETURN_RESULT, STOP, RESUME, WITHDRAW, PROPOSE_APOLOGY, APPROVE_APOLOGY,
    REJECT_APOLOGY, MARK_STATE_SECRET,
)

#: Button / menu labels (Vietnamese: this layer has no Qt translations).
ACTION_LABELS_VI: dict[str, str] = {
    HAND_OVER: "Chuyển xử lý",
    REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    REQUIRE_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    RECORD_PAYMENT: "Đã thực hiện nghĩa vụ tài chính",
    FINISH: "Hoàn thành xử lý",
    RETURN_RESULT: "Trả kết quả",
    STOP: "Dừng xử lý",
    RESUME: "Tiếp tục xử lý",
    WITHDRAW: "Công dân rút hồ sơ",
    PROPOSE_APOLOGY: "Lập phiếu xin lỗi, hẹn lại",
    APPROVE_APOLOGY: "Duyệt phiếu xin lỗi",
    REJECT_APOLOGY: "Không duyệt phiếu xin lỗi",
    MARK_STATE_SECRET: "Đánh dấu hồ sơ mật",
}

# What the action does, for "Không thể … khi hồ sơ đang ở trạng thái …".
_VERBS_VI = {
    HAND_OVER: "chuyển hồ sơ cho chuyên viên xử lý",
    REQUEST_SUPPLEMENT: "yêu cầu bổ sung hồ sơ",
    RECEIVE_SUPPLEMENT: "nhận hồ sơ bổ sung",
    REQUIRE_PAYMENT: "yêu cầu thực hiện nghĩa vụ tài chính",
    RECORD_PAYMENT: "ghi nhận đã thực hiện nghĩa vụ tài chính",
    FINISH: "hoàn thành xử lý",
    RETURN_RESULT: "trả kết quả",
    STOP: "dừng xử lý",
    RESUME: "tiếp tục xử lý",
    WITHDRAW: "ghi nhận công dân rút hồ sơ",
    PROPOSE_APOLOGY: "lập phiếu xin lỗi và hẹn lại ngày trả kết quả",
    APPROVE_APOLOGY: "duyệt phiếu xin lỗi",
    REJECT_APOLOGY: "từ chối phiếu xin lỗi",
    MARK_STATE_SECRET: "đánh dấu hồ sơ mật",
}


def _is_desk(actor: Actor, d: Dossier) -> bool:
    return actor.has(Role.FRONT_DESK) or actor.has(Role.ADMIN)


def _is_processor(actor: Actor, d: Dossier) -> bool:
    return (actor.has(Role.SPECIALIST) or actor.has(Role.LEADER)
            or (actor.officer_id is not None and d.assignee_id == actor.officer_id))


def _desk_or_processor(actor: Actor, d: Dossier) -> bool:
    return _is_desk(actor, d) or _is_processor(actor, d)


def _processor_or_desk_at_reception(actor: Actor, d: Dossier) -> bool:
    return _is_processor(actor, d) or (d.status == Status.RECEIVED and _is_desk(actor, d))


def _specialist_or_leader(actor: Actor, d: Dossier) -> bool:
    return actor.has(Role.SPECIALIST) or actor.has(Role.LEADER)


def _desk_or_leader(actor: Actor, d: Dossier) -> bool:
    return _is_desk(actor, d) or actor.has(Role.LEADER)


def _leader(actor: Actor, d: Dossier) -> bool:
    return actor.has(Role.LEADER)


def _leader_or_admin(actor: Actor, d: Dossier) -> bool:
    return actor.has(Role.LEADER) or actor.has(Role.ADMIN)


@dataclass(frozen=True)
class _Rule:
    sources: frozenset[Status]  # statuses the action starts from
    target: Status | None  # None: the status does not change
    allowed: Callable[[Actor, Dossier], bool]
    denied_vi: str


_S = Status
_RULES: dict[str, _Rule] = {
    HAND_OVER: _Rule(
        frozenset({_S.RECEIVED}), _S.PROCESSING, _is_desk,
        "Chỉ cán bộ bộ phận một cửa mới chuyển hồ sơ cho chuyên viên xử lý."),
    REQUEST_SUPPLEMENT: _Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING}), _S.SUPPLEMENT_REQUESTED,
        _processor_or_desk_at_reception,
        "Chỉ chuyên viên xử lý hoặc lãnh đạo mới yêu cầu bổ sung hồ sơ đang xử lý "
        "(cán bộ một cửa chỉ yêu cầu khi hồ sơ chưa chuyển xử lý)."),
    RECEIVE_SUPPLEMENT: _Rule(
        frozenset({_S.SUPPLEMENT_REQUESTED}), _S.PROCESSING, _desk_or_processor,
        "Chỉ cán bộ một cửa, chuyên viên xử lý hoặc lãnh đạo mới nhận hồ sơ bổ sung."),
    REQUIRE_PAYMENT: _Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING}), _S.FINANCIAL_OBLIGATION,
        _processor_or_desk_at_reception,
        "Chỉ chuyên viên xử lý hoặc lãnh đạo mới yêu cầu thực hiện nghĩa vụ tài chính "
        "(cán bộ một cửa chỉ yêu cầu khi hồ sơ chưa chuyển xử lý)."),
    RECORD_PAYMENT: _Rule(
        frozenset({_S.FINANCIAL_OBLIGATION}), _S.PROCESSING, _desk_or_processor,
        "Chỉ cán bộ một cửa, chuyên viên xử lý hoặc lãnh đạo mới ghi nhận việc nộp thuế, "
        "phí, lệ phí."),
    FINISH: _Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING, _S.FINANCIAL_OBLIGATION}), _S.PROCESSED,
        _is_processor,
        "Chỉ chuyên viên được giao, chuyên viên xử lý hoặc lãnh đạo mới hoàn thành xử lý hồ sơ."),
    RETURN_RESULT: _Rule(
        frozenset({_S.PROCESSED}), _S.RETURNED, _is_desk,
        "Chỉ cán bộ bộ phận một cửa mới trả kết quả cho công dân."),
    STOP: _Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING, _S.SUPPLEMENT_REQUESTED,
                   _S.FINANCIAL_OBLIGATION}), _S.STOPPED, _specialist_or_leader,
        "Chỉ chuyên viên xử lý hoặc lãnh đạo mới dừng xử lý hồ sơ."),
    RESUME: _Rule(
        frozenset({_S.STOPPED}), _S.PROCESSING, _specialist_or_leader,
        "Chỉ chuyên viên xử lý hoặc lãnh đạo mới cho tiếp tục xử lý hồ sơ đã dừng."),
    WITHDRAW: _Rule(
        frozenset({_S.NEW_ONLINE, _S.RECEIVED, _S.PROCESSING, _S.SUPPLEMENT_REQUESTED,
                   _S.FINANCIAL_OBLIGATION, _S.STOPPED}), _S.WITHDRAWN, _desk_or_leader,
        "Chỉ cán bộ bộ phận một cửa hoặc lãnh đạo mới ghi nhận việc công dân rút hồ sơ."),
    PROPOSE_APOLOGY: _Rule(
        frozenset(Status(s) for s in IN_PROGRESS), None, _desk_or_processor,
        "Chỉ cán bộ một cửa, chuyên viên xử lý hoặc lãnh đạo mới lập phiếu xin lỗi."),
    APPROVE_APOLOGY: _Rule(
        frozenset(Status(s) for s in IN_PROGRESS), None, _leader,
        "Chỉ lãnh đạo mới duyệt phiếu xin lỗi và hẹn lại ngày trả kết quả."),
    REJECT_APOLOGY: _Rule(
        frozenset(Status(s) for s in IN_PROGRESS), None, _leader,
        "Chỉ lãnh đạo mới duyệt phiếu xin lỗi và hẹn lại ngày trả kết quả."),
    MARK_STATE_SECRET: _Rule(
        frozenset(Status), None, _leader_or_admin,
        "Chỉ lãnh đạo hoặc quản trị hệ thống mới đánh dấu hồ sơ chứa bí mật nhà nước."),
}
del _S


def rule_of(action: str) -> tuple[frozenset[Status], Status | None]:
    """(statuses the action starts from, status it leads to or None) — for tests and docs."""
    rule = _RULES[action]
    return rule.sources, rule.target


# ------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Outcome:
    """What an action left: the dossier's new status and due date."""

    dossier_id: int
    code: str
    status: int
    due_at: datetime | None


def _outcome(d: Dossier) -> Outcome:
    return Outcome(d.id, d.code or "", d.status, d.due_at)


# ---------------------------------------------------------------------- the checks


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)


def _load(session: Session, dossier_id: int) -> Dossier:
    d = session.get(Dossier, dossier_id) if isinstance(dossier_id, int) else None
    if d is None:
        raise ValidationError({"dossier": "Không tìm thấy hồ sơ này."})
    return d


def _check_rule(actor: Actor, d: Dossier, action: str) -> None:
    """Status machine first (ValidationError), then the officer's role (PermissionDenied)."""
    rule = _RULES[action]
    if d.status not in rule.sources:
        raise ValidationError({"status": (
            f"Không thể {_VERBS_VI[action]} khi hồ sơ đang ở trạng thái "
            f'"{Status(d.status).label}".')})
    if not rule.allowed(actor, d):
        raise PermissionDenied(rule.denied_vi)


def late_threshold(calendar: WorkCalendar, now: datetime) -> datetime:
    """A dossier in progress is late or going to be late when due before this: now + 1 working day."""
    return compute_due(now, 1, TimeUnit.WORKING_DAYS, calendar)


def is_late_or_soon(d: Dossier, now: datetime, calendar: WorkCalendar) -> bool:
    """Status 2, 4, 5 or 6 and due before now + 1 working day."""
    return (d.status in IN_PROGRESS and d.due_at is not None
            and d.due_at < late_threshold(calendar, now))


def _pending_apology(session: Session, dossier_id: int) -> Apology | None:
    return session.execute(
        select(Apology).where(Apology.dossier_id == dossier_id, Apology.state == "pending")
        .order_by(Apology.id.desc()).limit(1)
    ).scalar_one_or_none()


def _check_apology_preconditions(session: Session, d: Dossier, now: datetime) -> None:
    if not is_late_or_soon(d, now, load_calendar(session)):
        raise ValidationError({"dossier": (
            "Hồ sơ còn trong hạn (hạn trả kết quả sau hơn một ngày làm việc nữa): "
            "chưa cần lập phiếu xin lỗi và hẹn lại.")})
    if _pending_apology(session, d.id) is not None:
        raise ValidationError({"dossier": (
            "Hồ sơ đã có phiếu xin lỗi đang chờ lãnh đạo duyệt.")})


def _check_state_secret_preconditions(d: Dossier) -> None:
    if d.state_secret:
        raise ValidationError({"dossier": "Hồ sơ này đã được đánh dấu chứa bí mật nhà nước."})


def actions_for(session: Session, actor: Actor, dossier_id: int, *,
                now: datetime | None = None) -> list[str]:
    """The actions this officer may do on the dossier now (status machine ∩ role), in UI order.

    Exactly the actions whose function would accept the call given valid input.
    """
    now = _now(now)
    d = _load(session, dossier_id)
    allowed: list[str] = []
    pending: Apology | None | bool = False  # looked up once, on demand
    for action in ACTIONS:
        try:
            _check_rule(actor, d, action)
            if action == PROPOSE_APOLOGY:
                _check_apology_preconditions(session, d, now)
            elif action in (APPROVE_APOLOGY, REJECT_APOLOGY):
                if pending is False:
                    pending = _pending_apology(session, d.id)
                if pending is None:
                    continue
            elif action == MARK_STATE_SECRET:
                _check_state_secret_preconditions(d)
        except (ValidationError, PermissionDenied):
            continue
        allowed.append(action)
    return allowed


# --------------------------------------------------------------------- input checks


def _text(value: str | None) -> str:
    return nfc(" ".join((value or "").split()))


def _reason(c: Collector, reason: str | None, what_vi: str, field: str = "reason") -> str:
    reason = _text(reason)
    if len(reason) < MIN_REASON:
        c.add(field, f"Phải ghi rõ lý do {what_vi} (ít nhất {MIN_REASON} ký tự).")
    return reason


def _officer_for_processing(session: Session, c: Collector, officer_id: int | None,
                            field: str = "specialist_id") -> Officer | None:
    officer = session.get(Officer, officer_id) if isinstance(officer_id, int) else None
    if officer is None or not officer.active or not (
            officer.role_set & {Role.SPECIALIST, Role.LEADER}):
        c.add(field, "Chọn một chuyên viên xử lý (hoặc lãnh đạo) đang làm việc để nhận hồ sơ.")
        return None
    return officer


def _assignee_changes(session: Session, c: Collector, d: Dossier,
                      specialist_id: int | None) -> tuple[dict[str, Any], str]:
    """For actions returning to processing (4): the assignee, required if the dossier has none."""
    if specialist_id is None and d.assignee_id is not None:
        return {}, ""
    if specialist_id is None:
        c.add("specialist_id", "Hồ sơ chưa có chuyên viên xử lý: chọn người nhận hồ sơ để "
                               "xử lý tiếp.")
        return {}, ""
    officer = _officer_for_processing(session, c, specialist_id)
    if officer is None:
        return {}, ""
    if officer.id == d.assignee_id:
        return {}, ""
    return {"assignee_id": officer.id}, f"; chuyển xử lý cho {officer.full_name}"


def _when(at: datetime | None) -> str:
    return f"{at:%H:%M} ngày {at:%d/%m/%Y}" if at else "(chưa có)"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


# ------------------------------------------------------------------------ hand-over


def hand_over(store: Store, actor: Actor, dossier_id: int, specialist_id: int, *,
              note: str = "", now: datetime | None = None) -> Outcome:
    """2 → 4: the desk hands the dossier to a named specialist (or leader), who becomes its assignee."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, HAND_OVER)
        c = Collector()
        officer = _officer_for_processing(session, c, specialist_id)
        note = _text(note)
        c.raise_if_any()
        assert officer is not None
        content = f"Chuyển xử lý cho {officer.full_name}"
        if note:
            content += f". Ghi chú: {note}"
        dossiers.transition(session, actor, d, Status.PROCESSING, content=content, at=now,
                            changes={"assignee_id": officer.id}, step_deadline=d.due_at)
        return _outcome(d)


# ----------------------------------------------------------------------- supplement


def request_supplement(store: Store, actor: Actor, dossier_id: int, missing: list[str],
                       reason: str, *, now: datetime | None = None) -> Outcome:
    """2/4 → 5: ask the applicant for papers; records the round (DanhSachHoSoBoSung)."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, REQUEST_SUPPLEMENT)
        c = Collector()
        papers: list[str] = []
        for item in missing or ():
            text = _text(item) if isinstance(item, str) else ""
            if text and text not in papers:
                papers.append(text)
        if not papers:
            c.add("missing", "Ghi ít nhất một giấy tờ công dân cần bổ sung.")
        reason = _reason(c, reason, "yêu cầu bổ sung")
        c.raise_if_any()
        session.add(SupplementRound(
            uid=str(uuid.uuid4()), dossier_id=d.id, requested_at=now,
            requested_by=actor.officer_id, requested_by_name=actor.name[:255], content=reason,
            missing=json.dumps(papers, ensure_ascii=False), previous_due_at=d.due_at,
            received_by_name="", state="open",
        ))
        content = f"Yêu cầu bổ sung: {'; '.join(papers)}. Lý do: {reason}"
        dossiers.transition(session, actor, d, Status.SUPPLEMENT_REQUESTED, content=content,
                            at=now)
        return _outcome(d)


def _open_round(session: Session, d: Dossier) -> SupplementRound | None:
    return session.execute(
        select(SupplementRound)
        .where(SupplementRound.dossier_id == d.id, SupplementRound.state == "open")
        .order_by(SupplementRound.requested_at.desc(), SupplementRound.id.desc()).limit(1)
    ).scalar_one_or_none()


def _close_open_rounds(session: Session, d: Dossier) -> None:
    """The dossier leaves 5 without the papers (stopped, withdrawn): its round ends unanswered."""
    if d.status == Status.SUPPLEMENT_REQUESTED:
        for rnd in session.execute(select(SupplementRound).where(
                SupplementRound.dossier_id == d.id, SupplementRound.state == "open")).scalars():
            rnd.state = "closed"


def _round_from_progress(session: Session, d: Dossier) -> SupplementRound:
    """A round for a dossier put in status 5 without one (imported or demo data)."""
    row = session.execute(
        select(ProgressRow).where(ProgressRow.dossier_id == d.id,
                                  ProgressRow.status == int(Status.SUPPLEMENT_REQUESTED))
        .order_by(ProgressRow.acted_at.desc(), ProgressRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    at = row.acted_at if row is not None else d.updated_at
    rnd = SupplementRound(
        uid=str(uuid.uuid4()), dossier_id=d.id, requested_at=at,
        requested_by=row.officer_id if row is not None else None,
        requested_by_name=row.officer_name if row is not None else "",
        content=row.content if row is not None else "", missing="[]",
        previous_due_at=d.due_at, received_by_name="", state="open",
    )
    session.add(rnd)
    return rnd


def receive_supplement(store: Store, actor: Actor, dossier_id: int, *,
                       specialist_id: int | None = None, now: datetime | None = None) -> Outcome:
    """5 → 4: the papers came in; the due date moves by the working time the dossier waited.

    new due = extend_for_supplement(old due, requested_at, now); `original_due_at`
    stays; the round keeps both dates (previous_due_at, new_due_at) and the time
    of receipt. `specialist_id` is required only when the dossier has no assignee.
    """
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, RECEIVE_SUPPLEMENT)
        c = Collector()
        changes, handed = _assignee_changes(session, c, d, specialist_id)
        rnd = _open_round(session, d)
        requested_at = rnd.requested_at if rnd is not None else None
        if requested_at is not None and now < requested_at:
            c.add("now", "Thời điểm nhận hồ sơ bổ sung không thể trước thời điểm yêu cầu bổ sung.")
        c.raise_if_any()
        if rnd is None:
            rnd = _round_from_progress(session, d)
        old_due = d.due_at
        new_due = old_due
        if old_due is not None:
            try:
                new_due = extend_for_supplement(old_due, min(rnd.requested_at, now), now,
                                                load_calendar(session))
            except InvalidDuration as exc:  # pragma: no cover - guarded above
                raise ValidationError({"now": exc.message_vi}) from exc
        rnd.state = "received"
        rnd.received_at = now
        rnd.received_by = actor.officer_id
        rnd.received_by_name = actor.name[:255]
        rnd.new_due_at = new_due
        changes["due_at"] = new_due
        if new_due != old_due:
            content = (f"Nhận hồ sơ bổ sung, tiếp tục xử lý; hẹn trả kết quả dời từ "
                       f"{_when(old_due)} sang {_when(new_due)}")
        else:
            content = "Nhận hồ sơ bổ sung, tiếp tục xử lý"
        dossiers.transition(session, actor, d, Status.PROCESSING, content=content + handed,
                            at=now, changes=changes, step_deadline=new_due)
        return _outcome(d)


@dataclass(frozen=True)
class SupplementRoundInfo:
    """One round of DanhSachHoSoBoSung, as stored."""

    id: int
    uid: str
    requested_at: datetime
    requested_by_name: str
    content: str
    missing: tuple[str, ...]
    previous_due_at: datetime | None
    received_at: datetime | None
    received_by_name: str
    new_due_at: datetime | None
    state: str  # open | received | closed (the dossier was stopped or withdrawn meanwhile)

    @property
    def open(self) -> bool:
        return self.state == "open"


def supplement_rounds(session: Session, dossier_id: int) -> list[SupplementRoundInfo]:
    """The dossier's supplement rounds, oldest first."""
    rows = session.execute(
        select(SupplementRound).where(SupplementRound.dossier_id == dossier_id)
        .order_by(SupplementRound.requested_at, SupplementRound.id)
    ).scalars()
    return [SupplementRoundInfo(
        r.id, r.uid, r.requested_at, r.requested_by_name, r.content,
        tuple(json.loads(r.missing or "[]")), r.previous_due_at, r.received_at,
        r.received_by_name, r.new_due_at, r.state) for r in rows]


def supplement_request_data(session: Session, dossier_id: int) -> SupplementData:
    """Mẫu 02 for the dossier's latest supplement round (reprintable)."""
    d = _load(session, dossier_id)
    rnd = session.execute(
        select(SupplementRound).where(SupplementRound.dossier_id == d.id)
        .order_by(SupplementRound.requested_at.desc(), SupplementRound.id.desc()).limit(1)
    ).scalar_one_or_none()
    if rnd is None:
        raise ValidationError({"dossier": "Hồ sơ này chưa có yêu cầu bổ sung nào."})
    office = get_office(session)
    by_name = {fold(pc.name): pc for pc in d.procedure.components}
    missing = []
    for name in json.loads(rnd.missing or "[]"):
        pc = by_name.get(fold(name))
        missing.append(ComponentLine(name, pc.originals, pc.certified, pc.photocopies)
                       if pc is not None else ComponentLine(name))
    return SupplementData(
        office=_office_info(office), procedure_name=d.procedure.name,
        applicant=_applicant(d), missing=tuple(missing), reason=rnd.content,
        officer_name=rnd.requested_by_name, officer_contact=office.phone if office else "",
        issued_at=rnd.requested_at, dossier_code=d.code or "",
    )


# ------------------------------------------------------------------------ payment


def require_payment(store: Store, actor: Actor, dossier_id: int, amount: int, description: str,
                    *, now: datetime | None = None) -> Outcome:
    """2/4 → 6: the applicant must pay taxes, fees or charges first (one fee row, unpaid)."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, REQUIRE_PAYMENT)
        c = Collector()
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
            c.add("amount", "Số tiền phải nộp là một số nguyên dương (đồng).")
        description = _text(description)
        if not description:
            c.add("description", "Ghi rõ khoản phải nộp (thuế, phí, lệ phí…).")
        c.raise_if_any()
        session.add(DossierFee(dossier_id=d.id, name=description[:255], amount=amount,
                               paid=False, paid_online=False))
        content = f"Yêu cầu thực hiện nghĩa vụ tài chính: {description}, số tiền {_money(amount)}"
        dossiers.transition(session, actor, d, Status.FINANCIAL_OBLIGATION, content=content,
                            at=now, changes={"fee_total": (d.fee_total or 0) + amount})
        return _outcome(d)


def record_payment(store: Store, actor: Actor, dossier_id: int, *, online: bool,
                   specialist_id: int | None = None, now: datetime | None = None) -> Outcome:
    """6 → 4: the applicant paid; every unpaid fee row is marked paid (online or not)."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, RECORD_PAYMENT)
        c = Collector()
        changes, handed = _assignee_changes(session, c, d, specialist_id)
        c.raise_if_any()
        online = bool(online)
        paid = 0
        for fee in session.execute(
                select(DossierFee).where(DossierFee.dossier_id == d.id,
                                         DossierFee.paid.is_(False))).scalars():
            fee.paid = True
            fee.paid_online = online
            paid += fee.amount
        changes["paid_online"] = bool(d.paid_online) or online
        how = "nộp trực tuyến" if online else "nộp trực tiếp"
        content = "Công dân đã thực hiện nghĩa vụ tài chính"
        content += f" ({how}, {_money(paid)})" if paid else f" ({how})"
        dossiers.transition(session, actor, d, Status.PROCESSING,
                            content=content + ", tiếp tục xử lý" + handed, at=now,
                            changes=changes, step_deadline=d.due_at)
        return _outcome(d)


# ----------------------------------------------------------- withdraw, stop, resume


def withdraw(store: Store, actor: Actor, dossier_id: int, reason: str, *,
             now: datetime | None = None) -> Outcome:
    """→ 7: the applicant withdrew the dossier; the reason is mandatory; processing ends."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, WITHDRAW)
        c = Collector()
        reason = _reason(c, reason, "công dân rút hồ sơ")
        c.raise_if_any()
        _close_open_rounds(session, d)
        dossiers.transition(session, actor, d, Status.WITHDRAWN,
                            content=f"Công dân yêu cầu rút hồ sơ: {reason}", at=now,
                            changes={"finished_at": now, "reason": reason})
        return _outcome(d)


def stop(store: Store, actor: Actor, dossier_id: int, reason: str, *,
         now: datetime | None = None) -> Outcome:
    """→ 8: processing stops (specialist or leader); the reason is mandatory."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, STOP)
        c = Collector()
        reason = _reason(c, reason, "dừng xử lý")
        c.raise_if_any()
        _close_open_rounds(session, d)
        dossiers.transition(session, actor, d, Status.STOPPED, content=f"Dừng xử lý: {reason}",
                            at=now, changes={"reason": reason})
        return _outcome(d)


def resume(store: Store, actor: Actor, dossier_id: int, *, specialist_id: int | None = None,
           now: datetime | None = None) -> Outcome:
    """8 → 4: a stopped dossier goes on (specialist or leader); the stop reason is cleared."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, RESUME)
        c = Collector()
        changes, handed = _assignee_changes(session, c, d, specialist_id)
        c.raise_if_any()
        changes["reason"] = ""
        dossiers.transition(session, actor, d, Status.PROCESSING,
                            content="Tiếp tục xử lý hồ sơ" + handed, at=now, changes=changes,
                            step_deadline=d.due_at)
        return _outcome(d)


# ------------------------------------------------------------------ result, return


def finish(store: Store, actor: Actor, dossier_id: int, results: list[str], *,
           now: datetime | None = None) -> Outcome:
    """→ 9: processed; the result documents are recorded and go back to the desk."""
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, FINISH)
        c = Collector()
        names: list[str] = []
        for item in results or ():
            text = _text(item) if isinstance(item, str) else ""
            if text and text not in names:
                names.append(text)
        if not names:
            c.add("results", "Ghi tên ít nhất một giấy tờ kết quả (ví dụ: Giấy chứng nhận kết hôn).")
        elif any(len(n) > 1000 for n in names):
            c.add("results", "Tên giấy tờ kết quả quá dài (tối đa 1000 ký tự).")
        c.raise_if_any()
        codes = {fold(r.name): r.code for r in d.procedure.results}
        for name in names:
            session.add(DossierResult(dossier_id=d.id, name=name, code=codes.get(fold(name), ""),
                                      recorded_at=now))
        content = ("Đã xử lý xong, chuyển kết quả về Bộ phận một cửa: " + "; ".join(names))
        dossiers.transition(session, actor, d, Status.PROCESSED, content=content, at=now,
                            changes={"finished_at": now})
        return _outcome(d)


@dataclass(frozen=True)
class ResultDocument:
    name: str
    code: str
    recorded_at: datetime


def results_of(session: Session, dossier_id: int) -> list[ResultDocument]:
    rows = session.execute(select(DossierResult).where(DossierResult.dossier_id == dossier_id)
                           .order_by(DossierResult.id)).scalars()
    return [ResultDocument(r.name, r.code, r.recorded_at) for r in rows]


def _same_person(d: Dossier, name: str, id_number: str) -> bool:
    own_ids = {x for x in (d.applicant_id_number, d.applicant_old_id) if x}
    if id_number and own_ids:
        return id_number in own_ids
    return fold(name) == fold(d.applicant_name or "")


def return_result(store: Store, actor: Actor, dossier_id: int, *, receiver_name: str,
                  receiver_id_number: str = "", by_post: bool = False,
                  now: datetime | None = None) -> Outcome:
    """9 → 10: the result is handed to the applicant or an authorised person (or posted).

    The receiver counts as the applicant when the ID number matches the
    applicant's (or, without ID numbers, the name does); otherwise as an
    authorised person.
    """
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, RETURN_RESULT)
        c = Collector()
        name = _text(receiver_name)
        if not name:
            c.add("receiver_name", "Ghi họ tên người nhận kết quả.")
        elif len(name) > 255:
            c.add("receiver_name", "Họ tên người nhận quá dài.")
        id_number = "".join((receiver_id_number or "").split())
        if id_number:
            try:
                if len(id_number) == 12:
                    validate_id_number(id_number)
                elif len(id_number) == 9:
                    validate_old_id(id_number)
                else:
                    c.add("receiver_id_number", "Số giấy tờ của người nhận gồm 12 chữ số (số định "
                                                "danh cá nhân) hoặc 9 chữ số (CMND cũ).")
            except DomainError as exc:
                c.add("receiver_id_number", exc.message_vi)
        c.raise_if_any()
        is_applicant = _same_person(d, name, id_number)
        session.add(ResultReturn(
            dossier_id=d.id, returned_at=now, returned_by=actor.officer_id, receiver_name=name,
            receiver_id_number=id_number, receiver_is_applicant=is_applicant,
            by_post=bool(by_post)))
        who = "chủ hồ sơ" if is_applicant else "người được ủy quyền"
        if by_post:
            content = f"Trả kết quả qua dịch vụ bưu chính công ích cho {name} ({who})"
        else:
            content = f"Trả kết quả cho {name} ({who})"
        dossiers.transition(session, actor, d, Status.RETURNED, content=content, at=now,
                            changes={"returned_at": now, "return_by_post": bool(by_post)})
        return _outcome(d)


# ----------------------------------------------------------------- state secrets


def mark_state_secret(store: Store, actor: Actor, dossier_id: int, *,
                      now: datetime | None = None) -> Outcome:
    """The dossier holds state secrets (leader or admin): it never leaves the office again.

    `services.dossiers` writes no outbox item for such a dossier; its items not
    yet sent (pending, failed, conflict) are withdrawn here, in the same
    transaction. No progress row: nothing about the dossier may be sent. Papers
    digitised before the marking are erased (rows in the transaction, files
    right after it), since such papers are never digitised.
    """
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, MARK_STATE_SECRET)
        _check_state_secret_preconditions(d)
        before = dossiers.snapshot(d)
        unsent = (OutboxState.PENDING, OutboxState.FAILED, OutboxState.CONFLICT)
        withdrawn = session.execute(
            delete(OutboxItem).where(OutboxItem.dossier_id == d.id, OutboxItem.state.in_(unsent))
        ).rowcount
        in_flight = len(session.execute(
            select(OutboxItem.id).where(OutboxItem.dossier_id == d.id,
                                        OutboxItem.state == OutboxState.IN_FLIGHT)).all())
        # Digital copies of its papers must not exist either (never digitised).
        erased, orphans = digitisation.erase_for_state_secret(session, d.id)
        d.state_secret = True
        d.updated_at = now
        d.version += 1
        session.flush()
        after = dossiers.snapshot(d)
        after["outbox_withdrawn"] = withdrawn
        after["outbox_in_flight"] = in_flight
        after["digitised_copies_erased"] = erased
        audit.record(session, actor, "dossier.state_secret", "dossier", d.code or d.uid,
                     before=before, after=after, at=now)
        outcome = _outcome(d)
    digitisation.delete_files(store, orphans)
    return outcome


# ---------------------------------------------------------------------- apologies


def propose_apology(store: Store, actor: Actor, dossier_id: int, reason: str,
                    new_due_at: datetime, *, now: datetime | None = None) -> int:
    """A pending apology with a new appointment (Mẫu 04) for a late dossier; returns its id.

    The dossier must be in progress and late or going to be late (due before
    now + 1 working day), with no other apology pending. A leader must approve
    it before it is printed and before the due date moves.
    """
    now = _now(now)
    with store.transaction() as session:
        d = _load(session, dossier_id)
        _check_rule(actor, d, PROPOSE_APOLOGY)
        _check_apology_preconditions(session, d, now)
        c = Collector()
        reason = _reason(c, reason, "trễ hạn")
        if not isinstance(new_due_at, datetime):
            c.add("new_due_at", "Chọn ngày hẹn trả kết quả mới.")
        else:
            new_due_at = new_due_at.replace(microsecond=0)
            if new_due_at <= now:
                c.add("new_due_at", "Ngày hẹn trả kết quả mới phải ở tương lai.")
            elif d.due_at is not None and new_due_at <= d.due_at:
                c.add("new_due_at", f"Ngày hẹn mới phải sau ngày hẹn hiện tại ({_when(d.due_at)}).")
        c.raise_if_any()
        apology = Apology(dossier_id=d.id, reason=reason, original_due_at=d.due_at,
                          new_due_at=new_due_at, proposed_by=actor.officer_id, proposed_at=now,
                          state="pending")
        session.add(apology)
        session.flush()
        audit.record(session, actor, "apology.propose", "apology", apology.id, after={
            "dossier": d.code or d.uid, "reason": reason,
            "original_due_at": d.due_at.isoformat() if d.due_at else None,
            "new_due_at": new_due_at.isoformat()}, at=now)
        return apology.id


def _load_pending_apology(session: Session, actor: Actor, apology_id: int,
                          action: str) -> tuple[Apology, Dossier]:
    apology = session.get(Apology, apology_id) if isinstance(apology_id, int) else None
    if apology is None:
        raise ValidationError({"apology": "Không tìm thấy phiếu xin lỗi này."})
    d = _load(session, apology.dossier_id)
    if not actor.has(Role.LEADER):
        raise PermissionDenied(_RULES[action].denied_vi)
    if apology.state != "pending":
        raise ValidationError({"apology": "Phiếu xin lỗi này đã được lãnh đạo xem xét."})
    _check_rule(actor, d, action)
    return apology, d


def approve_apology(store: Store, leader: Actor, apology_id: int, *,
                    now: datetime | None = None) -> Outcome:
    """A leader approves: the dossier's due date becomes the new one (original_due_at is kept)."""
    now = _now(now)
    with store.transaction() as session:
        apology, d = _load_pending_apology(session, leader, apology_id, APPROVE_APOLOGY)
        if d.due_at is not None and apology.new_due_at <= d.due_at:
            raise ValidationError({"new_due_at": (
                f"Ngày hẹn mới ({_when(apology.new_due_at)}) không còn sau ngày hẹn hiện tại "
                f"({_when(d.due_at)}); hãy lập phiếu mới.")})
        apology.state = "approved"
        apology.approved_by = leader.officer_id
        apology.approved_at = now
        # The new appointment goes to the province like any change (outbox); the
        # original due date stays in original_due_at (set at reception) for statistics.
        dossiers.update(session, leader, d, action="apology.approve",
                        changes={"due_at": apology.new_due_at}, at=now,
                        note={"apology": apology.id, "reason": apology.reason,
                              "previous_due_at": _when(apology.original_due_at)})
        return _outcome(d)


def reject_apology(store: Store, leader: Actor, apology_id: int, *,
                   now: datetime | None = None) -> None:
    """A leader rejects the proposal: nothing changes on the dossier."""
    now = _now(now)
    with store.transaction() as session:
        apology, d = _load_pending_apology(session, leader, apology_id, REJECT_APOLOGY)
        apology.state = "rejected"
        apology.approved_by = leader.officer_id
        apology.approved_at = now
        audit.record(session, leader, "apology.reject", "apology", apology.id,
                     before={"state": "pending"},
                     after={"state": "rejected", "dossier": d.code or d.uid}, at=now)


def apology_data(session: Session, apology_id: int) -> ApologyData:
    """Mẫu 04 for an apology, from what is stored: only an approved one can be printed
    (ValidationError while it is pending or after it was rejected)."""
    apology = session.get(Apology, apology_id) if isinstance(apology_id, int) else None
    if apology is None:
        raise ValidationError({"apology": "Không tìm thấy phiếu xin lỗi này."})
    if apology.state == "pending":
        raise ValidationError({"apology": "Phiếu xin lỗi đang chờ lãnh đạo duyệt nên chưa in được."})
    if apology.state != "approved" or apology.approved_at is None:
        raise ValidationError({"apology": "Phiếu xin lỗi này không được duyệt nên không in được."})
    d = session.get_one(Dossier, apology.dossier_id)
    approver = session.get(Officer, apology.approved_by) if apology.approved_by else None
    proposer = session.get(Officer, apology.proposed_by) if apology.proposed_by else None
    return ApologyData(
        office=_office_info(get_office(session)), applicant=_applicant(d),
        dossier_code=d.code or "", procedure_name=d.procedure.name,
        received_at=d.received_at, original_due_at=apology.original_due_at,
        reason=apology.reason, new_due_at=apology.new_due_at,
        approved_by_name=approver.full_name if approver else "",
        approved_at=apology.approved_at,
        proposed_by_name=proposer.full_name if proposer else "",
    )


@dataclass(frozen=True)
class ApologyInfo:
    id: int
    dossier_id: int
    state: str
    reason: str
    original_due_at: datetime | None
    new_due_at: datetime
    proposed_at: datetime
    approved_at: datetime | None


def apologies_of(session: Session, dossier_id: int) -> list[ApologyInfo]:
    rows = session.execute(select(Apology).where(Apology.dossier_id == dossier_id)
                           .order_by(Apology.id)).scalars()
    return [ApologyInfo(a.id, a.dossier_id, a.state, a.reason, a.original_due_at, a.new_due_at,
                        a.proposed_at, a.approved_at) for a in rows]


# ------------------------------------------------------------------------- helpers


def _office_info(office: Any) -> OfficeInfo:
    if office is None:
        return OfficeInfo(name="", parent_name="", place_name="", agency_code="")
    return OfficeInfo(name=office.name, parent_name=office.parent_name,
                      place_name=office.place_name or office.name, agency_code=office.agency_code,
                      address=office.address, phone=office.phone)


def _applicant(d: Dossier) -> PersonInfo:
    return PersonInfo(name=d.applicant_name, id_number=d.applicant_id_number or d.applicant_old_id,
                      address=d.applicant_address, phone=d.applicant_phone,
                      email=d.applicant_email)
