"""The office's working calendar: public holidays, the official schedule, its own overrides."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.domain.calendar import OfficeHours, WorkCalendar, load_holiday_table
from desktop.services import audit, settings
from desktop.services.actor import Actor
from desktop.services.validation import Collector, PermissionDenied
from desktop.store.models import CalendarOverride, Role

KINDS = ("day_off", "working_day")


def _hm(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


def office_hours(session: Session) -> OfficeHours:
    cfg = settings.get(session, "office_hours")
    return OfficeHours(
        morning_start=_hm(cfg["morning"][0]), morning_end=_hm(cfg["morning"][1]),
        afternoon_start=_hm(cfg["afternoon"][0]), afternoon_end=_hm(cfg["afternoon"][1]),
    )


def load_calendar(session: Session) -> WorkCalendar:
    days_off: dict[date, str] = {}
    working: dict[date, str] = {}
    for row in session.execute(select(CalendarOverride)).scalars():
        (days_off if row.kind == "day_off" else working)[row.day] = row.name
    return WorkCalendar(days_off=days_off, working_days=working, hours=office_hours(session))


def seed_calendar(session: Session, actor: Actor, table: Mapping[str, Any], *,
                  at: datetime | None = None) -> int:
    """Load the official schedule (resources/seed/holidays.json) as 'seed' overrides."""
    days_off, working = load_holiday_table(table)
    existing = {row.day for row in session.execute(select(CalendarOverride)).scalars()}
    n = 0
    for kind, rows in (("day_off", days_off), ("working_day", working)):
        for day, name in rows.items():
            if day not in existing:
                session.add(CalendarOverride(day=day, kind=kind, name=name, source="seed"))
                n += 1
    session.flush()
    audit.record(session, actor, "calendar.seed", "calendar", "", after={"days": n}, at=at)
    return n


def apply_province_calendar(session: Session, actor: Actor, table: Mapping[str, Any], *,
                            at: datetime | None = None) -> dict[str, int]:
    """Take the province's official schedule (the sync's refresh), in the holidays.json shape.

    For the years the province lists, its days replace the seeded (estimated) and
    earlier province days, and a seeded or province day it no longer lists goes
    (an estimate the official announcement moved). The office's own entries
    always win (Quản trị › Lịch làm việc). Returns counts for the audit event.
    """
    days_off, working = load_holiday_table(table)
    wanted = {day: ("day_off", name) for day, name in days_off.items()}
    wanted.update({day: ("working_day", name) for day, name in working.items()})
    years = {int(y) for y in (table.get("years") or {})}
    rows = {row.day: row for row in session.execute(select(CalendarOverride)).scalars()}
    counts = {"added": 0, "changed": 0, "removed": 0, "office_kept": 0}
    for day, (kind, name) in wanted.items():
        row = rows.get(day)
        if row is None:
            session.add(CalendarOverride(day=day, kind=kind, name=name, source="province"))
            counts["added"] += 1
        elif row.source == "office":
            counts["office_kept"] += int(row.kind != kind)
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name, row.source = kind, name, "province"
            counts["changed"] += 1
        else:
            row.source = "province"  # the same day, now confirmed by the province
    for day, row in rows.items():
        if day.year in years and day not in wanted and row.source in ("seed", "province"):
            session.delete(row)
            counts["removed"] += 1
    session.flush()
    if any(counts.values()):
        audit.record(session, actor, "calendar.province", "calendar", "",
                     after={**counts, "years": sorted(years)}, at=at)
    return counts


def list_overrides(session: Session, year: int | None = None) -> list[CalendarOverride]:
    q = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        q = q.where(CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31)))
    return list(session.execute(q).scalars())


def set_override(session: Session, actor: Actor, day: date, kind: str, name: str) -> None:
    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới sửa được lịch làm việc.")
    c = Collector()
    if kind not in KINDS:
        c.add("kind", "Chọn loại ngày: ngày nghỉ hoặc ngày làm bù.")
    name = c.required("name", name, "tên hoặc lý do của ngày")
    c.raise_if_any()
    row = session.get(CalendarOverride, day)
    before = None if row is None else {"kind": row.kind, "name": row.name}
    if row is None:
        session.add(CalendarOverride(day=day, kind=kind, name=name, source="office"))
    else:
        row.kind, row.name, row.source = kind, name, "office"
    audit.record(session, actor, "calendar.set", "calendar", day.isoformat(),
                 before=before, after={"kind": kind, "name": name})


def remove_override(session: Session, actor: Actor, day: date) -> None:
    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới sửa được lịch làm việc.")
    row = session.get(CalendarOverride, day)
    if row is None:
        return
    before = {"kind": row.kind, "name": row.name}
    session.execute(delete(CalendarOverride).where(CalendarOverride.day == day))
    audit.record(session, actor, "calendar.remove", "calendar", day.isoformat(), before=before)
