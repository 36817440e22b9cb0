"""Reminders: the officer's dossiers that are overdue or due within a few working days.

Scope: exactly what waits for this officer in "Việc của tôi" (`services.queues`,
the same parts per role), counted only for dossiers in progress (2, 4, 5, 6),
the only ones that can be late. So a specialist is reminded of the dossiers
assigned to them (and the papers or payments they asked for), the desk of the
received dossiers still to hand over, and a leader also of every overdue
dossier of the office (and of the dossiers of the apologies waiting for them).

"Due soon" means due before `now + N working days` of the office calendar
(as `processing.late_threshold` does for one day), N chosen by each officer.

Every statement walks the same indexes as the queue (INDEXED BY), stopped at
that threshold: a count reads only the overdue and nearly due rows of each
range, and the list of the most urgent reads at most `URGENT_SHOWN` rows per
range, so a check stays quick on a million dossiers.

Preferences are per officer, in the setting ``reminders.officers`` (officer id
→ preferences); an officer who never saved any has the defaults. Saving is one
transaction with its audit event.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from desktop.domain.calendar import TimeUnit
from desktop.domain.calendar import due_at as compute_due
from desktop.services import audit, queues, settings
from desktop.services.actor import Actor
from desktop.services.calendar import load_calendar
from desktop.services.validation import Collector, PermissionDenied
from desktop.store.database import Store
from desktop.store.models import Role

SETTING = "reminders.officers"
MIN_DAYS, MAX_DAYS = 1, 10
MIN_INTERVAL, MAX_INTERVAL = 1, 240  # minutes between two checks
URGENT_SHOWN = 3  # dossiers named in the reminder
DEFAULT_DAYS, DEFAULT_INTERVAL = 2, 10

_SOON = " AND d.due_at < :soon"
_APOLOGY_URGENT = (
    "SELECT d.id, d.due_at FROM apologies AS a INDEXED BY ix_apologies_state "
    "JOIN dossiers AS d ON d.id = a.dossier_id WHERE a.state = 'pending' "
    "AND d.status IN (2, 4, 5, 6) AND d.due_at < :soon ORDER BY d.due_at, d.id LIMIT :limit")


# ---------------------------------------------------------------------- preferences


@dataclass(frozen=True)
class Preferences:
    """How one officer wants to be reminded."""

    enabled: bool = True
    due_soon_days: int = DEFAULT_DAYS  # working days ahead that count as "due soon"
    tray: bool = True  # also a desktop notification (besides the banner in the window)
    interval_minutes: int = DEFAULT_INTERVAL  # how often the app checks again

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_stored(cls, raw: object) -> Preferences:
        """Read stored preferences leniently: a missing or unusable value is the default."""
        if not isinstance(raw, Mapping):
            return cls()
        default = cls()

        def number(key: str, low: int, high: int) -> int:
            value = raw.get(key)
            ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
            return value if ok else getattr(default, key)

        def flag(key: str) -> bool:
            value = raw.get(key)
            return value if isinstance(value, bool) else getattr(default, key)

        return cls(enabled=flag("enabled"),
                   due_soon_days=number("due_soon_days", MIN_DAYS, MAX_DAYS),
                   tray=flag("tray"),
                   interval_minutes=number("interval_minutes", MIN_INTERVAL, MAX_INTERVAL))


@dataclass
class PreferencesForm:
    """What the officer entered (numbers may come as text)."""

    enabled: bool
    due_soon_days: int | str
    tray: bool
    interval_minutes: int | str


def get_preferences(session: Session, officer_id: int | None) -> Preferences:
    """This officer's preferences (the defaults if they never saved any)."""
    if officer_id is None:
        return Preferences()
    return Preferences.from_stored(settings.get(session, SETTING).get(str(officer_id)))


def _whole_number(c: Collector, field: str, value: object, low: int, high: int,
                  message_vi: str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        c.add(field, message_vi)
        return 0
    if not low <= number <= high:
        c.add(field, message_vi)
    return number


def validate(form: PreferencesForm) -> Preferences:
    """The preferences, or ValidationError with one Vietnamese message per field."""
    c = Collector()
    days = _whole_number(c, "due_soon_days", form.due_soon_days, MIN_DAYS, MAX_DAYS,
                         f"Số ngày làm việc báo trước phải là một số từ {MIN_DAYS} "
                         f"đến {MAX_DAYS}.")
    interval = _whole_number(c, "interval_minutes", form.interval_minutes, MIN_INTERVAL,
                             MAX_INTERVAL, f"Thời gian kiểm tra lại phải là một số từ "
                                           f"{MIN_INTERVAL} đến {MAX_INTERVAL} phút.")
    if not isinstance(form.enabled, bool):
        c.add("enabled", "Chọn bật hoặc tắt nhắc việc.")
    if not isinstance(form.tray, bool):
        c.add("tray", "Chọn có hoặc không hiện thông báo trên màn hình.")
    c.raise_if_any()
    return Preferences(enabled=form.enabled, due_soon_days=days, tray=form.tray,
                       interval_minutes=interval)


def save_preferences(store: Store, actor: Actor, form: PreferencesForm, *,
                     at: datetime | None = None) -> Preferences:
    """Save the logged-in officer's own preferences; one transaction with its audit event.

    Nothing is written (and nothing audited) when the preferences do not change.
    """
    if actor.officer_id is None:
        raise PermissionDenied("Chỉ cán bộ đã đăng nhập mới đặt được chế độ nhắc việc của mình.")
    prefs = validate(form)
    key = str(actor.officer_id)
    with store.transaction() as session:
        table = dict(settings.get(session, SETTING))
        saved = key in table
        before = Preferences.from_stored(table.get(key))
        if saved and before == prefs:
            return prefs
        table[key] = prefs.as_dict()
        settings.put(session, SETTING, table)
        audit.record(session, actor, "reminders.preferences", "officer", actor.officer_id,
                     before=before.as_dict() if saved else None, after=prefs.as_dict(), at=at)
    return prefs


# ------------------------------------------------------------------------ the check


@dataclass(frozen=True)
class UrgentDossier:
    """One of the dossiers named in the reminder."""

    id: int
    code: str
    procedure: str
    due_at: datetime
    overdue: bool

    def line_vi(self) -> str:
        when = self.due_at.strftime("%H:%M %d/%m/%Y")
        state = "quá hạn từ" if self.overdue else "hạn"
        return f"{self.code or 'Chưa có mã'} — {self.procedure} ({state} {when})"


@dataclass(frozen=True)
class Reminder:
    """What to remind this officer of, at `checked_at`."""

    overdue: int
    due_soon: int
    due_soon_days: int
    soon_before: datetime  # due before this (and not yet overdue) = due soon
    most_urgent: tuple[UrgentDossier, ...]
    checked_at: datetime

    @property
    def any(self) -> bool:
        return self.overdue > 0 or self.due_soon > 0

    @property
    def level(self) -> str:
        """"overdue", "due_soon" or "" (nothing to remind of): the banner's colour."""
        if self.overdue:
            return "overdue"
        return "due_soon" if self.due_soon else ""

    @property
    def key(self) -> tuple[int, int, int]:
        """What a change is: the banner comes back and the notification is shown again."""
        return (self.overdue, self.due_soon, self.due_soon_days)

    @property
    def message_vi(self) -> str:
        """One sentence: "Bạn có 3 hồ sơ quá hạn và 5 hồ sơ đến hạn trong 2 ngày làm việc tới."."""
        late = f"{self.overdue} hồ sơ quá hạn"
        soon = f"{self.due_soon} hồ sơ đến hạn trong {self.due_soon_days} ngày làm việc tới"
        if self.overdue and self.due_soon:
            return f"Bạn có {late} và {soon}."
        if self.overdue:
            return f"Bạn có {late}."
        if self.due_soon:
            return f"Bạn có {soon}."
        return (f"Không có hồ sơ nào quá hạn hoặc đến hạn trong {self.due_soon_days} "
                "ngày làm việc tới.")

    def lines_vi(self) -> list[str]:
        """The most urgent dossiers, one line each (code — procedure (due))."""
        return [item.line_vi() for item in self.most_urgent]

    def is_news_after(self, previous: Reminder | None) -> bool:
        """Worth a desktop notification, given the last reminder notified (or None).

        Once per change: something to remind of, and not the same counts again;
        not when the only change is that fewer dossiers are late or nearly due
        (the officer dealt with some).
        """
        if not self.any:
            return False
        if previous is None or not previous.any or previous.due_soon_days != self.due_soon_days:
            return True
        return self.overdue > previous.overdue or self.due_soon > previous.due_soon


def soon_threshold(session: Session, now: datetime, days: int) -> datetime:
    """Due before this = due within `days` working days of the office calendar."""
    return compute_due(now, days, TimeUnit.WORKING_DAYS, load_calendar(session))


def check(session: Session, actor: Actor, now: datetime, *,
          days: int = DEFAULT_DAYS, limit: int = URGENT_SHOWN) -> Reminder:
    """Count this officer's overdue and nearly due dossiers and name the most urgent ones."""
    soon = soon_threshold(session, now, days)
    conn = session.connection()
    params = queues._params(actor, now, soon=soon, limit=limit)
    overdue, due_soon = _counts(conn, actor, params)
    urgent = _most_urgent(session, conn, actor, params, limit, now) if overdue or due_soon else ()
    return Reminder(overdue=overdue, due_soon=due_soon, due_soon_days=days, soon_before=soon,
                    most_urgent=urgent, checked_at=now)


def check_for(session: Session, actor: Actor, now: datetime) -> tuple[Preferences,
                                                                      Reminder | None]:
    """The officer's preferences, and the reminder (None when they switched reminders off)."""
    prefs = get_preferences(session, actor.officer_id)
    if not prefs.enabled:
        return prefs, None
    return prefs, check(session, actor, now, days=prefs.due_soon_days)


def _in_progress_parts(actor: Actor) -> list[queues._Part]:
    """The officer's parts in progress, less the desk's "waiting for the citizen" (papers,
    payment): the desk lists them to act when the citizen comes, but cannot hurry them,
    so they are nobody's reminder at the desk (the specialist who asked is reminded)."""
    return [p for p in queues._parts(actor)
            if p.status in queues.IN_PROGRESS and not p.waiting_for_citizen]


def _counts(conn: Connection, actor: Actor, params: dict[str, Any]) -> tuple[int, int]:
    """(overdue, due soon) over the officer's queue, as `queues.counts` but stopped at :soon."""
    overdue = due_soon = 0
    for part in _in_progress_parts(actor):
        _, late, near = conn.execute(text(queues._count_sql(part, _SOON)), params).one()
        for mine in part.exclude:  # the leader's own dossiers, already counted
            _, m_late, m_near = conn.execute(text(queues._count_sql(
                mine, f" AND d.due_at < :now AND {queues._NO_PENDING_APOLOGY}")), params).one()
            late, near = late - m_late, near - m_near
        overdue += late
        due_soon += near
    if actor.has(Role.LEADER):
        _, late, near = conn.execute(text(queues._APOLOGY_COUNT), params).one()
        overdue += late
        due_soon += near
    return overdue, due_soon


def _most_urgent(session: Session, conn: Connection, actor: Actor, params: dict[str, Any],
                 limit: int, now: datetime) -> tuple[UrgentDossier, ...]:
    """The `limit` dossiers due first (overdue ones first, by due date)."""
    candidates: dict[int, datetime] = {}
    statements = [
        (f"SELECT d.id, d.due_at FROM dossiers AS d INDEXED BY {part.index} "
         f"WHERE {part.list_where()}{_SOON} ORDER BY d.due_at, d.id LIMIT :limit")
        for part in _in_progress_parts(actor)]
    if actor.has(Role.LEADER):
        statements.append(_APOLOGY_URGENT)
    for sql in statements:
        for dossier_id, due in conn.execute(text(sql), params):
            due = queues._as_datetime(due)
            if due is not None:
                candidates[dossier_id] = due
    chosen = heapq.nsmallest(limit, candidates.items(), key=lambda c: (c[1], c[0]))
    details = queues._details(session, [dossier_id for dossier_id, _ in chosen])
    return tuple(
        UrgentDossier(id=dossier_id, code=details[dossier_id][0],
                      procedure=details[dossier_id][2], due_at=due, overdue=due < now)
        for dossier_id, due in chosen if dossier_id in details)
