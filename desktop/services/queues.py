""""Việc của tôi": the dossiers waiting for this officer's action, and their count for the badge.

What waits for whom (an officer with several roles gets the union):

- desk (FRONT_DESK): online submissions to check and receive (1), received
  dossiers to hand over (2), results to hand back (9);
- everyone, for the dossiers assigned to them (specialists, leaders):
  processing (4) and waiting for a payment (6); waiting for papers (5) when this
  officer asked for them (the open supplement round, whoever holds the
  dossier; without a round, the assignee); an unassigned dossier in 6 waits
  for whoever required the payment;
- leader (LEADER): apologies waiting for approval, and every overdue dossier
  (2, 4, 5, 6 past the due date) not already listed above for this officer and
  without a pending apology (that one is listed as the apology to approve).

Urgency, only for dossiers in progress (2, 4, 5, 6): overdue (due before now),
due within 3 days (calendar days, as on the home page), normal. Results waiting
at the desk (9) and online submissions (1) are never "late" for the office.

Plans are chosen here, not left to SQLite (its statistics can be missing or far
off, as after the demo's sampled ANALYZE): every statement names its index
(INDEXED BY). A list is, per part, one walk of `ix_dossiers_status_due` (status
→ due date) or `ix_dossiers_assignee_status_due` (migration 0005: officer →
status → due date) in due-date order, stopped at `limit`; a count is the same
range counted. The leader's "overdue" part is counted as all overdue dossiers of
the status minus this officer's own ones (each a small range), so that no
row has to be read for its assignee. `plan()` returns the statements and their
EXPLAIN QUERY PLAN.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.services.actor import Actor
from desktop.store.models import Role

DUE_SOON_DAYS = 3
IN_PROGRESS = (2, 4, 5, 6)
DEFAULT_LIMIT = 200

_STATUS_DUE = "ix_dossiers_status_due"
_ASSIGNEE = "ix_dossiers_assignee_status_due"


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NORMAL = "normal"

    @property
    def label_vi(self) -> str:
        return _URGENCY_LABELS[self]


_URGENCY_LABELS = {Urgency.OVERDUE: "Quá hạn", Urgency.DUE_SOON: "Sắp đến hạn",
                   Urgency.NORMAL: "Trong hạn"}
_RANK = {Urgency.OVERDUE: 0, Urgency.DUE_SOON: 1, Urgency.NORMAL: 2}


class Kind(StrEnum):
    RECEIVE_ONLINE = "receive_online"
    HAND_OVER = "hand_over"
    RETURN_RESULT = "return_result"
    PROCESS = "process"
    SUPPLEMENT = "supplement"
    PAYMENT = "payment"
    APPROVE_APOLOGY = "approve_apology"
    OVERDUE = "overdue"


TODO_VI: dict[Kind, str] = {
    Kind.RECEIVE_ONLINE: "Kiểm tra và tiếp nhận hồ sơ nộp trực tuyến",
    Kind.HAND_OVER: "Chuyển hồ sơ cho chuyên viên xử lý",
    Kind.RETURN_RESULT: "Trả kết quả cho công dân",
    Kind.PROCESS: "Xử lý hồ sơ",
    Kind.SUPPLEMENT: "Chờ công dân bổ sung giấy tờ; nhận hồ sơ bổ sung khi công dân nộp",
    Kind.PAYMENT: "Chờ công dân thực hiện nghĩa vụ tài chính; ghi nhận khi công dân đã nộp",
    Kind.APPROVE_APOLOGY: "Duyệt phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)",
    Kind.OVERDUE: "Hồ sơ quá hạn: đôn đốc xử lý",
}


@dataclass(frozen=True)
class WorkItem:
    id: int  # the dossier's id
    code: str
    applicant: str
    procedure: str
    status: int
    due_at: datetime | None
    urgency: Urgency
    todo: str  # what to do, in Vietnamese
    kind: Kind
    apology_id: int | None = None  # for Kind.APPROVE_APOLOGY


@dataclass(frozen=True)
class WorkCounts:
    total: int
    overdue: int
    due_soon: int
    by_kind: dict[Kind, int] = field(default_factory=dict)


def urgency_of(status: int, due_at: datetime | None, now: datetime) -> Urgency:
    if status not in IN_PROGRESS or due_at is None:
        return Urgency.NORMAL
    if due_at < now:
        return Urgency.OVERDUE
    if due_at < now + timedelta(days=DUE_SOON_DAYS):
        return Urgency.DUE_SOON
    return Urgency.NORMAL


# --------------------------------------------------------------------- the parts

_NO_PENDING_APOLOGY = ("NOT EXISTS (SELECT 1 FROM apologies AS a "
                       "WHERE a.dossier_id = d.id AND a.state = 'pending')")
_OPEN_ROUND_BY_ME = ("EXISTS (SELECT 1 FROM supplement_rounds AS r WHERE r.dossier_id = d.id "
                     "AND r.state = 'open' AND r.requested_by = :me)")
_ANY_OPEN_ROUND = ("EXISTS (SELECT 1 FROM supplement_rounds AS r WHERE r.dossier_id = d.id "
                   "AND r.state = 'open')")
_PAYMENT_ASKED_BY_ME = ("EXISTS (SELECT 1 FROM progress_rows AS p WHERE p.dossier_id = d.id "
                        "AND p.status = 6 AND p.officer_id = :me)")


@dataclass(frozen=True)
class _Part:
    """One index range of dossiers waiting for the officer (the parts are disjoint)."""

    kind: Kind
    status: int
    index: str
    where: str  # over `dossiers AS d`; parameters :me, :now
    # For the leader's overdue part: this officer's own parts of the same status,
    # left out of the list and subtracted from the count.
    exclude: tuple[_Part, ...] = ()
    # The dossier waits for the citizen (papers, payment): listed so the desk can act when
    # the citizen comes, but nothing the desk could hurry (services.reminders skips it).
    waiting_for_citizen: bool = False

    def list_where(self) -> str:
        if not self.exclude:
            return self.where
        return self.where + "".join(f" AND NOT ({p.where})" for p in self.exclude)


def _parts(actor: Actor) -> list[_Part]:
    """The officer's parts, in priority order."""
    parts: list[_Part] = []
    desk = actor.has(Role.FRONT_DESK)
    if desk:
        parts += [
            _Part(Kind.RECEIVE_ONLINE, 1, _STATUS_DUE, "d.status = 1"),
            _Part(Kind.HAND_OVER, 2, _STATUS_DUE, "d.status = 2"),
            _Part(Kind.RETURN_RESULT, 9, _STATUS_DUE, "d.status = 9"),
            # The citizen brings the papers or the receipt of payment to the desk.
            _Part(Kind.SUPPLEMENT, 5, _STATUS_DUE, "d.status = 5", waiting_for_citizen=True),
            _Part(Kind.PAYMENT, 6, _STATUS_DUE, "d.status = 6", waiting_for_citizen=True),
        ]
    mine: dict[int, list[_Part]] = {4: [], 5: [], 6: []}
    if actor.officer_id is not None:
        mine[4] = [_Part(Kind.PROCESS, 4, _ASSIGNEE, "d.assignee_id = :me AND d.status = 4")]
        mine[5] = [
            _Part(Kind.SUPPLEMENT, 5, _STATUS_DUE, f"d.status = 5 AND {_OPEN_ROUND_BY_ME}"),
            _Part(Kind.SUPPLEMENT, 5, _ASSIGNEE,
                  f"d.assignee_id = :me AND d.status = 5 AND NOT {_ANY_OPEN_ROUND}"),
        ]
        mine[6] = [
            _Part(Kind.PAYMENT, 6, _ASSIGNEE, "d.assignee_id = :me AND d.status = 6"),
            _Part(Kind.PAYMENT, 6, _ASSIGNEE,
                  f"d.assignee_id IS NULL AND d.status = 6 AND {_PAYMENT_ASKED_BY_ME}"),
        ]
        if desk:  # the desk's parts already hold every dossier in 5 and 6
            mine[5], mine[6] = [], []
        parts += mine[4] + mine[5] + mine[6]
    if actor.has(Role.LEADER):
        for status in IN_PROGRESS:
            if desk and status in (2, 5, 6):
                continue  # every dossier in these is already listed as the desk's
            parts.append(_Part(
                Kind.OVERDUE, status, _STATUS_DUE,
                f"d.status = {status} AND d.due_at < :now AND {_NO_PENDING_APOLOGY}",
                exclude=tuple(mine.get(status, ()))))
    return parts


def _ts(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (text compares in time order)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _params(actor: Actor, now: datetime, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"me": actor.officer_id if actor.officer_id is not None else -1,
                           "now": _ts(now)}
    out.update({k: _ts(v) if isinstance(v, datetime) else v for k, v in more.items()})
    return out


def _list_sql(part: _Part) -> str:
    if part.status == 1:  # online submissions: first come, first served
        return (f"SELECT d.id, d.status, d.due_at, d.submitted_at FROM dossiers AS d "
                f"INDEXED BY {part.index} WHERE {part.list_where()} "
                "ORDER BY d.submitted_at, d.id LIMIT :limit")
    return (f"SELECT d.id, d.status, d.due_at, NULL FROM dossiers AS d INDEXED BY {part.index} "
            f"WHERE {part.list_where()} ORDER BY d.due_at, d.id LIMIT :limit")


def _count_sql(part: _Part, extra: str = "") -> str:
    return ("SELECT count(*), "
            "coalesce(sum(d.due_at < :now), 0), "
            "coalesce(sum(d.due_at >= :now AND d.due_at < :soon), 0) "
            f"FROM dossiers AS d INDEXED BY {part.index} WHERE {part.where}{extra}")


_APOLOGY_LIST = (
    "SELECT a.id, a.dossier_id, d.status, d.due_at FROM apologies AS a "
    "INDEXED BY ix_apologies_state JOIN dossiers AS d ON d.id = a.dossier_id "
    "WHERE a.state = 'pending' ORDER BY a.id LIMIT :limit")
_APOLOGY_COUNT = (
    "SELECT count(*), "
    "coalesce(sum(d.status IN (2, 4, 5, 6) AND d.due_at < :now), 0), "
    "coalesce(sum(d.status IN (2, 4, 5, 6) AND d.due_at >= :now AND d.due_at < :soon), 0) "
    "FROM apologies AS a INDEXED BY ix_apologies_state JOIN dossiers AS d ON d.id = a.dossier_id "
    "WHERE a.state = 'pending'")


# ------------------------------------------------------------------------ reading


def my_work(session: Session, actor: Actor, now: datetime, *,
            limit: int = DEFAULT_LIMIT) -> list[WorkItem]:
    """The `limit` most pressing items for this officer: overdue first, then by due date.

    `counts()` gives the totals: the list is capped (a desk with thousands of
    uncollected results still sees the most pressing work first).
    """
    conn = session.connection()
    params = _params(actor, now, limit=limit)
    candidates: list[tuple[tuple, int, Kind, int | None]] = []
    for part in _parts(actor):
        for dossier_id, status, due, submitted in conn.execute(text(_list_sql(part)), params):
            due = _as_datetime(due)
            candidates.append((_sort_key(status, due, _as_datetime(submitted), dossier_id, now),
                               dossier_id, part.kind, None))
    if actor.has(Role.LEADER):
        for apology_id, dossier_id, status, due in conn.execute(text(_APOLOGY_LIST), params):
            due = _as_datetime(due)
            candidates.append((_sort_key(status, due, None, dossier_id, now), dossier_id,
                               Kind.APPROVE_APOLOGY, apology_id))
    chosen = heapq.nsmallest(limit, candidates, key=lambda c: c[0])
    details = _details(session, sorted({c[1] for c in chosen}))
    items = []
    for _, dossier_id, kind, apology_id in chosen:
        code, applicant, procedure, status, due = details[dossier_id]
        items.append(WorkItem(dossier_id, code, applicant, procedure, status, due,
                              urgency_of(status, due, now), TODO_VI[kind], kind, apology_id))
    return items


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _sort_key(status: int, due: datetime | None, submitted: datetime | None, dossier_id: int,
              now: datetime) -> tuple:
    rank = _RANK[urgency_of(status, due, now)]
    when = submitted if status == 1 else due
    return (rank, when is None, when or datetime.min, dossier_id)


def _details(session: Session, ids: list[int]) -> dict[int, tuple]:
    out: dict[int, tuple] = {}
    conn = session.connection()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        rows = conn.execute(text(
            "SELECT d.id, d.code, d.applicant_name, p.name, d.status, d.due_at "
            f"FROM dossiers AS d JOIN procedures AS p ON p.id = d.procedure_id "
            f"WHERE d.id IN ({marks})"), {f"i{n}": v for n, v in enumerate(chunk)})
        for row in rows:
            out[row[0]] = (row[1] or "", row[2], row[3], row[4], _as_datetime(row[5]))
    return out


def counts(session: Session, actor: Actor, now: datetime) -> WorkCounts:
    """How many items wait for this officer (the badge), and how many are late or nearly."""
    conn = session.connection()
    params = _params(actor, now, soon=now + timedelta(days=DUE_SOON_DAYS))
    by_kind: dict[Kind, int] = {}
    overdue = due_soon = 0
    for part in _parts(actor):
        n, late, near = conn.execute(text(_count_sql(part)), params).one()
        for mine in part.exclude:  # already counted as this officer's own work
            m, m_late, m_near = conn.execute(text(_count_sql(
                mine, f" AND d.due_at < :now AND {_NO_PENDING_APOLOGY}")), params).one()
            n, late, near = n - m, late - m_late, near - m_near
        by_kind[part.kind] = by_kind.get(part.kind, 0) + n
        if part.status in IN_PROGRESS:
            overdue += late
            due_soon += near
    if actor.has(Role.LEADER):
        n, late, near = conn.execute(text(_APOLOGY_COUNT), params).one()
        by_kind[Kind.APPROVE_APOLOGY] = n
        overdue += late
        due_soon += near
    return WorkCounts(total=sum(by_kind.values()), overdue=overdue, due_soon=due_soon,
                      by_kind=by_kind)


def plan(session: Session, actor: Actor, now: datetime) -> list[tuple[str, str, list[str]]]:
    """(kind, statement, EXPLAIN QUERY PLAN lines) of every list statement for this officer."""
    conn = session.connection()
    params = _params(actor, now, limit=DEFAULT_LIMIT, soon=now)
    out = []
    statements = [(p.kind.value, _list_sql(p)) for p in _parts(actor)]
    statements += [(p.kind.value + " (count)", _count_sql(p)) for p in _parts(actor)]
    if actor.has(Role.LEADER):
        statements += [("approve_apology", _APOLOGY_LIST)]
    for kind, sql in statements:
        rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql), params).all()
        out.append((kind, sql, [r[-1] for r in rows]))
    return out
