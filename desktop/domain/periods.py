"""Reporting periods (kỳ báo cáo): a month, a quarter, six months, a year or custom dates.

Nghị định 09/2019/NĐ-CP sets the periodic reports of the administration:
monthly, quarterly, six-monthly and yearly. A period is a range of whole
days, ``start`` to ``end`` inclusive; its instants are ``[start 00:00, the
day after end 00:00)`` (`Period.bounds`), so a dossier received at 23:59:59
on the last day is inside and one at 00:00 of the next day is not.

Keys (for the command line and stored snapshots) and Vietnamese names::

    "2026-09"                 Tháng 9 năm 2026
    "2026-Q3"                 Quý III năm 2026
    "2026-H1" / "2026-H2"     6 tháng đầu năm 2026 / 6 tháng cuối năm 2026
    "2026"                    Năm 2026
    "2026-01-05..2026-02-10"  Từ ngày 05/01/2026 đến ngày 10/02/2026

Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from desktop.domain.errors import DomainError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "PeriodError",
    "PeriodKind",
    "custom",
    "half",
    "month",
    "parse_period",
    "quarter",
    "year",
]

MIN_YEAR, MAX_YEAR = 2000, 2100
ROMAN = ("I", "II", "III", "IV")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"  # six months
    YEAR = "year"
    CUSTOM = "custom"


class PeriodError(DomainError):
    """A period that cannot be read or does not exist (month 13, end before start, …)."""

    code = "bad_period"


def _check_year(value: int) -> int:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise PeriodError(f"Năm {value} nằm ngoài khoảng báo cáo được ({MIN_YEAR}–{MAX_YEAR}).")
    return value


def _month_end(y: int, m: int) -> date:
    first_next = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return first_next - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole days ``start`` … ``end`` (inclusive) of one kind; make it with the functions below."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"Ngày kết thúc kỳ ({self.end:%d/%m/%Y}) phải sau hoặc trùng ngày bắt đầu "
                f"({self.start:%d/%m/%Y}).")
        _check_year(self.start.year)
        _check_year(self.end.year)

    # ------------------------------------------------------------------ naming

    @property
    def key(self) -> str:
        """The text `parse_period` reads back: "2026-09", "2026-Q3", "2026-H1", "2026", "a..b"."""
        y = self.start.year
        if self.kind is PeriodKind.MONTH:
            return f"{y}-{self.start.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{y}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.HALF:
            return f"{y}-H{1 if self.start.month == 1 else 2}"
        if self.kind is PeriodKind.YEAR:
            return str(y)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def name_vi(self) -> str:
        """"Tháng 9 năm 2026", "Quý III năm 2026", "6 tháng đầu năm 2026", "Năm 2026", …"""
        y = self.start.year
        if self.kind is PeriodKind.MONTH:
            return f"Tháng {self.start.month} năm {y}"
        if self.kind is PeriodKind.QUARTER:
            return f"Quý {ROMAN[(self.start.month - 1) // 3]} năm {y}"
        if self.kind is PeriodKind.HALF:
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {y}"
        if self.kind is PeriodKind.YEAR:
            return f"Năm {y}"
        return self.range_vi

    @property
    def range_vi(self) -> str:
        """"Từ ngày 01/07/2026 đến ngày 30/09/2026" (printed under every report's title)."""
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def __str__(self) -> str:
        return self.key

    # ------------------------------------------------------------------ instants

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """``[start 00:00, day after end 00:00)``: the period's instants, half-open."""
        return (datetime.combine(self.start, time.min),
                datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, moment: date | datetime) -> bool:
        """True when the day (or the instant) lies within the period."""
        day = moment.date() if isinstance(moment, datetime) else moment
        return self.start <= day <= self.end

    # ------------------------------------------------------------------ neighbours

    def previous(self) -> Period:
        """The period of the same kind just before (custom: as many days, ending the day before)."""
        y, m = self.start.year, self.start.month
        if self.kind is PeriodKind.MONTH:
            return month(y - 1, 12) if m == 1 else month(y, m - 1)
        if self.kind is PeriodKind.QUARTER:
            q = (m - 1) // 3 + 1
            return quarter(y - 1, 4) if q == 1 else quarter(y, q - 1)
        if self.kind is PeriodKind.HALF:
            return half(y - 1, 2) if m == 1 else half(y, 1)
        if self.kind is PeriodKind.YEAR:
            return year(y - 1)
        end = self.start - timedelta(days=1)
        return custom(end - timedelta(days=self.days - 1), end)

    def months(self) -> tuple[Period, ...]:
        """The months the period touches, in order (for trends).

        A month cut by a custom period is clipped to it (a custom period
        inside one month gives itself); otherwise these are whole months.
        """
        out: list[Period] = []
        y, m = self.start.year, self.start.month
        while date(y, m, 1) <= self.end:
            first, last = date(y, m, 1), _month_end(y, m)
            if first >= self.start and last <= self.end:
                out.append(month(y, m))
            else:
                out.append(custom(max(first, self.start), min(last, self.end)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)


# ------------------------------------------------------------------ constructors


def month(y: int, m: int) -> Period:
    _check_year(y)
    if not 1 <= m <= 12:
        raise PeriodError(f"Tháng {m} không tồn tại (chỉ có tháng 1 đến 12).")
    return Period(PeriodKind.MONTH, date(y, m, 1), _month_end(y, m))


def quarter(y: int, q: int) -> Period:
    _check_year(y)
    if not 1 <= q <= 4:
        raise PeriodError(f"Quý {q} không tồn tại (chỉ có quý I đến IV).")
    return Period(PeriodKind.QUARTER, date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


def half(y: int, h: int) -> Period:
    _check_year(y)
    if h not in (1, 2):
        raise PeriodError("Chỉ có 6 tháng đầu năm (H1) và 6 tháng cuối năm (H2).")
    return Period(PeriodKind.HALF, date(y, 1 if h == 1 else 7, 1),
                  date(y, 6, 30) if h == 1 else date(y, 12, 31))


def year(y: int) -> Period:
    _check_year(y)
    return Period(PeriodKind.YEAR, date(y, 1, 1), date(y, 12, 31))


def custom(start: date, end: date) -> Period:
    """Any range of whole days; a range that is exactly a month, quarter, half or year is
    still custom (its name says the dates, as asked)."""
    if isinstance(start, datetime):
        start = start.date()
    if isinstance(end, datetime):
        end = end.date()
    return Period(PeriodKind.CUSTOM, start, end)


_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda g: month(int(g[0]), int(g[1]))),
    (re.compile(r"(\d{4})-?Q([1-4])", re.I), lambda g: quarter(int(g[0]), int(g[1]))),
    (re.compile(r"(\d{4})-?[HS]([12])", re.I), lambda g: half(int(g[0]), int(g[1]))),
    (re.compile(r"(\d{4})"), lambda g: year(int(g[0]))),
)
_DATE = r"(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
_CUSTOM = re.compile(rf"{_DATE}(?:\s*(?:\.\.|–|—)\s*|\s+){_DATE}")


def _parse_day(text: str) -> date:
    try:
        if "/" in text:
            d, m, y = (int(part) for part in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"Ngày {text!r} không tồn tại.") from None


def parse_period(text: str, *, start: date | None = None, end: date | None = None) -> Period:
    """Read a period: "2026-09", "2026-Q3", "2026-H1", "2026", "2026-01-05..2026-02-10"
    (also dd/mm/yyyy dates). Without text, ``start`` and ``end`` give a custom period."""
    raw = (text or "").strip()
    if not raw:
        if start is None or end is None:
            raise PeriodError("Chọn kỳ báo cáo (tháng, quý, 6 tháng, năm) hoặc từ ngày … "
                              "đến ngày ….")
        return custom(start, end)
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            return build(match.groups())
    match = _CUSTOM.fullmatch(raw)
    if match:
        return custom(_parse_day(match.group(1)), _parse_day(match.group(2)))
    raise PeriodError(
        f"Không hiểu kỳ báo cáo {raw!r}. Viết ví dụ 2026-09 (tháng), 2026-Q3 (quý), "
        "2026-H1 (6 tháng), 2026 (năm) hoặc 2026-01-05..2026-02-10.")
