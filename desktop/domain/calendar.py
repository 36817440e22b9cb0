"""Working-day calendar of an office and the due date (ngày hẹn trả) of a dossier.

All datetimes are naive and in the office's local time (Asia/Ho_Chi_Minh).

Working time is counted in office minutes, as the provincial systems do:
office hours are 07:00–11:30 and 13:30–17:00 by default (8 h), and one
working day is one day's worth of office minutes. A reception time is first
moved to the next moment the office is open (before 07:00 → 07:00; lunch
break → 13:30; after 17:00 or on a day off → 07:00 of the next working day),
then the processing time is counted forward through office hours.

Days off are Saturdays, Sundays, the public holidays computed by the
``holidays`` package, and the office's own table (the year's announced
swaps and closures); official make-up working Saturdays are working days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from desktop.domain.errors import DomainError
from desktop.domain.text import fold

Amount = int | float | Decimal

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_WEEKDAY_NAMES = {5: "Thứ Bảy", 6: "Chủ nhật"}


class InvalidDuration(DomainError):
    code = "invalid_duration"


class InvalidOfficeHours(DomainError):
    code = "invalid_office_hours"


class InvalidHolidayTable(DomainError):
    code = "invalid_holiday_table"


class TimeUnit(StrEnum):
    """Unit of a procedure's processing time."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"

    @classmethod
    def from_label(cls, text: str | None) -> TimeUnit | None:
        """Map a catalogue label ("Ngày làm việc", "Ngày", "Giờ") to a unit; None stays None.

        Raises InvalidDuration for a label that is not a known unit.
        """
        if text is None:
            return None
        unit = _UNITS_BY_LABEL.get(fold(text))
        if unit is None:
            raise InvalidDuration(
                f'Đơn vị thời gian "{text.strip()}" không được hỗ trợ '
                "(chỉ có ngày làm việc, ngày, giờ làm việc).",
                code="unknown_time_unit",
            )
        return unit

    @property
    def label_vi(self) -> str:
        """Lower-case Vietnamese name of the unit, for sentences."""
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
}
_UNITS_BY_LABEL = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.CALENDAR_DAYS,
    "gio": TimeUnit.WORKING_HOURS,
    "gio lam viec": TimeUnit.WORKING_HOURS,
}


@dataclass(frozen=True)
class OfficeHours:
    """The office's opening hours: a morning and an afternoon period."""

    morning_start: time = time(7, 0)
    morning_end: time = time(11, 30)
    afternoon_start: time = time(13, 30)
    afternoon_end: time = time(17, 0)

    def __post_init__(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise InvalidOfficeHours(
                "Giờ làm việc không hợp lệ: buổi sáng "
                f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M} phải kết thúc trước "
                f"buổi chiều {self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}."
            )

    @property
    def minutes_per_day(self) -> int:
        """Office minutes in one working day (480 for the default 8 hours)."""
        return _minutes(self.morning_start, self.morning_end) + _minutes(
            self.afternoon_start, self.afternoon_end
        )


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


DEFAULT_OFFICE_HOURS = OfficeHours()
_NO_DAYS: Mapping[date, str] = MappingProxyType({})


class WorkCalendar:
    """Which days an office works, and how much office time lies between two instants.

    A day is a working day when it is in ``working_days`` (make-up working
    Saturdays; this wins over everything), or else when it is Monday–Friday,
    not in ``days_off`` and not a public holiday. With ``public_holidays``,
    the holidays (and the make-up Saturdays the ``holidays`` package knows)
    come from ``holidays.country_holidays("VN")``, computed once per year.
    """

    def __init__(
        self,
        *,
        days_off: Mapping[date, str] = _NO_DAYS,
        working_days: Mapping[date, str] = _NO_DAYS,
        hours: OfficeHours = DEFAULT_OFFICE_HOURS,
        public_holidays: bool = True,
    ) -> None:
        self.hours = hours
        self._days_off = dict(days_off)
        self._working_days = dict(working_days)
        self._public_holidays = public_holidays
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}

    def _public(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        """(holidays, make-up working days) of ``year`` from the ``holidays`` package."""
        cached = self._years.get(year)
        if cached is None:
            import holidays  # imported lazily: it takes a while to load

            table = holidays.country_holidays("VN", years=year, language="vi")
            cached = (dict(table), frozenset(getattr(table, "weekend_workdays", ())))
            self._years[year] = cached
        return cached

    def is_working_day(self, day: date) -> bool:
        """True when the office works on ``day``."""
        if day in self._working_days:
            return True
        if day in self._days_off:
            return False
        if self._public_holidays:
            holidays_of_year, workdays = self._public(day.year)
            if day in workdays:
                return True
            if day in holidays_of_year:
                return False
        return day.weekday() < 5

    def day_off_name(self, day: date) -> str | None:
        """Why the office is closed on ``day`` (in Vietnamese), or None on a working day."""
        if self.is_working_day(day):
            return None
        if day in self._days_off:
            return self._days_off[day]
        if self._public_holidays:
            name = self._public(day.year)[0].get(day)
            if name:
                return name
        return _WEEKDAY_NAMES[day.weekday()]

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole office minutes between two instants (0 when ``end`` is not after ``start``)."""
        return _office_time(self, start, end) // _ONE_MINUTE


def load_holiday_table(data: Mapping[str, Any]) -> tuple[dict[date, str], dict[date, str]]:
    """Read an office holiday table (the parsed holidays.json) into (days_off, working_days).

    Each year under ``"years"`` lists ``"days_off"`` and ``"make_up_working_days"``
    as objects with ``"date"`` (ISO) and ``"name"``; the name becomes the value.
    """
    days_off: dict[date, str] = {}
    working_days: dict[date, str] = {}
    try:
        for table in data["years"].values():
            for key, target in (("days_off", days_off), ("make_up_working_days", working_days)):
                for row in table.get(key, ()):
                    target[date.fromisoformat(row["date"])] = row["name"]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidHolidayTable(
            f"Bảng ngày nghỉ không đúng định dạng ({type(exc).__name__}: {exc})."
        ) from exc
    return days_off, working_days


@dataclass(frozen=True)
class DueDate:
    """A due date with how it was computed, for the receipt and for the officer."""

    at: datetime
    rule_vi: str
    skipped: tuple[tuple[date, str], ...]


def due_at(
    received_at: datetime,
    amount: Amount | None,
    unit: TimeUnit | None,
    calendar: WorkCalendar,
    *,
    cutoff: time | None = None,
) -> datetime:
    """The due date of a dossier received at ``received_at``; see explain_due."""
    return explain_due(received_at, amount, unit, calendar, cutoff=cutoff).at


def explain_due(
    received_at: datetime,
    amount: Amount | None,
    unit: TimeUnit | None,
    calendar: WorkCalendar,
    *,
    cutoff: time | None = None,
) -> DueDate:
    """Compute the due date of a dossier, with the rule applied and the days off skipped.

    - Working days / working hours: ``amount`` days (of ``minutes_per_day``
      office minutes) or hours of office time counted from the normalised
      reception time; a due time that falls on the end of a period stays
      there (received Tue 07:00 + 1 working day → Tue 17:00).
    - Calendar days: the normalised reception time plus ``amount`` days; if
      that day is a day off, the next working day at the same clock time
      (kept inside office hours).
    - ``amount`` 0 means "trong ngày": the end of the normalised reception day.
    - ``cutoff`` (e.g. 15:00 for certification): a dossier received after it
      on a working day is counted from 07:00 of the next working day.

    Raises InvalidDuration for a missing, negative or non-finite amount or a
    missing unit.
    """
    if unit is None:
        raise InvalidDuration(
            "Thủ tục chưa có đơn vị thời gian giải quyết; cần xác nhận trong danh mục.",
            code="missing_time_unit",
        )
    value = _checked_amount(amount)
    hours = calendar.hours

    after_cutoff = (
        cutoff is not None
        and calendar.is_working_day(received_at.date())
        and received_at.time() > cutoff
    )
    if after_cutoff:
        start = datetime.combine(calendar.next_working_day(received_at.date()), hours.morning_start)
    else:
        start = _normalise(calendar, received_at)

    skipped_from = received_at.date()
    rule = "trong ngày" if value == 0 else f"{_format_amount(value)} {unit.label_vi}"
    if value == 0:
        due = datetime.combine(start.date(), hours.afternoon_end)
    elif unit is TimeUnit.CALENDAR_DAYS:
        end = start + timedelta(seconds=_round_seconds(value * 86400))
        due_day = end.date()
        if not calendar.is_working_day(due_day):
            due_day = calendar.next_working_day(due_day)
        due = _clamp_into_office_hours(datetime.combine(due_day, end.time()), hours)
        skipped_from = end.date()
    else:
        per_unit = hours.minutes_per_day if unit is TimeUnit.WORKING_DAYS else 60
        office_time = timedelta(seconds=_round_seconds(value * per_unit * 60))
        due = _add_office_time(calendar, start, office_time)

    skipped = _days_off_between(calendar, skipped_from, due.date())
    if skipped:
        summary = _summarise_days_off(skipped)
        if unit is TimeUnit.CALENDAR_DAYS and value != 0:
            rule += f", hạn rơi vào ngày nghỉ nên dời qua {summary}"
        else:
            rule += f", trừ {summary}"
    if cutoff is not None and after_cutoff:
        rule += f"; tiếp nhận sau {_format_clock(cutoff)} nên tính từ ngày làm việc tiếp theo"
    return DueDate(at=due, rule_vi=rule, skipped=skipped)


def extend_for_supplement(
    due: datetime, paused_at: datetime, resumed_at: datetime, calendar: WorkCalendar
) -> datetime:
    """The new due date after a supplement round.

    The dossier waited for the applicant from ``paused_at`` (supplement
    requested) to ``resumed_at`` (supplement received); that waiting time
    does not count against the office. The new appointment is the old one
    plus the office working time that passed while waiting, counted forward
    through office hours from the old appointment.
    """
    if resumed_at < paused_at:
        raise InvalidDuration(
            "Thời điểm nhận hồ sơ bổ sung không thể trước thời điểm yêu cầu bổ sung.",
            code="invalid_supplement_period",
        )
    waiting = _office_time(calendar, paused_at, resumed_at)
    if not waiting:
        return due
    return _add_office_time(calendar, _normalise(calendar, due), waiting)


# --- office-time arithmetic -------------------------------------------------------------


def _periods(hours: OfficeHours, day: date) -> tuple[tuple[datetime, datetime], ...]:
    return (
        (datetime.combine(day, hours.morning_start), datetime.combine(day, hours.morning_end)),
        (datetime.combine(day, hours.afternoon_start), datetime.combine(day, hours.afternoon_end)),
    )


def _normalise(calendar: WorkCalendar, instant: datetime) -> datetime:
    """The first moment at or after ``instant`` when the office is open (or opens)."""
    day = instant.date()
    if calendar.is_working_day(day):
        for start, end in _periods(calendar.hours, day):
            if instant < end:
                return max(instant, start)
    return datetime.combine(calendar.next_working_day(day), calendar.hours.morning_start)


def _add_office_time(calendar: WorkCalendar, start: datetime, duration: timedelta) -> datetime:
    """Walk forward from ``start`` (a normalised instant) through ``duration`` of office time."""
    remaining = duration
    day = start.date()
    while True:
        for period_start, period_end in _periods(calendar.hours, day):
            begin = max(start, period_start)
            if begin >= period_end:
                continue
            available = period_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day = calendar.next_working_day(day)


def _office_time(calendar: WorkCalendar, start: datetime, end: datetime) -> timedelta:
    """Office time between two instants (zero when ``end`` is not after ``start``)."""
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for period_start, period_end in _periods(calendar.hours, day):
                overlap = min(end, period_end) - max(start, period_start)
                if overlap > timedelta(0):
                    total += overlap
        day += _ONE_DAY
    return total


def _clamp_into_office_hours(instant: datetime, hours: OfficeHours) -> datetime:
    clock = instant.time()
    if clock < hours.morning_start:
        clock = hours.morning_start
    elif hours.morning_end < clock < hours.afternoon_start:
        clock = hours.afternoon_start
    elif clock > hours.afternoon_end:
        clock = hours.afternoon_end
    return datetime.combine(instant.date(), clock)


# --- amounts and wording ----------------------------------------------------------------


def _checked_amount(amount: Amount | None) -> Decimal:
    if amount is None:
        raise InvalidDuration(
            "Thủ tục chưa có thời hạn giải quyết; cần xác nhận trong danh mục.",
            code="missing_duration",
        )
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        raise InvalidDuration(f"Thời hạn giải quyết phải là một số, không phải {amount!r}.")
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    if not value.is_finite():
        raise InvalidDuration(f"Thời hạn giải quyết {amount} không hợp lệ.")
    if value < 0:
        raise InvalidDuration(f"Thời hạn giải quyết không thể là số âm ({_format_amount(value)}).")
    return value


def _round_seconds(seconds: Decimal) -> int:
    return int(seconds.to_integral_value(rounding=ROUND_HALF_UP))


def _format_amount(value: Decimal) -> str:
    """5 → "5", 0.5 → "0,5" (Vietnamese decimal comma)."""
    return format(value.normalize(), "f").replace(".", ",")


def _format_clock(clock: time) -> str:
    return f"{clock.hour} giờ" if clock.minute == 0 else f"{clock.hour} giờ {clock.minute:02d}"


def _days_off_between(
    calendar: WorkCalendar, first: date, end: date
) -> tuple[tuple[date, str], ...]:
    """The days off from ``first`` up to but not including ``end``, with their names."""
    skipped = []
    day = first
    while day < end:
        name = calendar.day_off_name(day)
        if name is not None:
            skipped.append((day, name))
        day += _ONE_DAY
    return tuple(skipped)


def _summarise_days_off(skipped: tuple[tuple[date, str], ...]) -> str:
    """E.g. "2 ngày nghỉ cuối tuần và 1 ngày nghỉ lễ"."""
    weekend = sum(1 for day, _ in skipped if day.weekday() >= 5)
    parts = []
    if weekend:
        parts.append(f"{weekend} ngày nghỉ cuối tuần")
    if len(skipped) > weekend:
        parts.append(f"{len(skipped) - weekend} ngày nghỉ lễ")
    return " và ".join(parts)
