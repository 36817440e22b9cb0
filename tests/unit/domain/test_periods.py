"""Reporting periods: parsing, Vietnamese names, previous period, months, instants."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import periods
from desktop.domain.periods import Period, PeriodError, PeriodKind, parse_period


@pytest.mark.parametrize(("text", "kind", "start", "end", "name"), [
    ("2026-09", PeriodKind.MONTH, date(2026, 9, 1), date(2026, 9, 30), "Tháng 9 năm 2026"),
    ("2026-02", PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28), "Tháng 2 năm 2026"),
    ("2028-02", PeriodKind.MONTH, date(2028, 2, 1), date(2028, 2, 29), "Tháng 2 năm 2028"),
    ("2026-Q1", PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31), "Quý I năm 2026"),
    ("2026-Q3", PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30), "Quý III năm 2026"),
    ("2026-q4", PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31), "Quý IV năm 2026"),
    ("2026-H1", PeriodKind.HALF, date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
    ("2026-H2", PeriodKind.HALF, date(2026, 7, 1), date(2026, 12, 31),
     "6 tháng cuối năm 2026"),
    ("2026", PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31), "Năm 2026"),
    ("2026-01-05..2026-02-10", PeriodKind.CUSTOM, date(2026, 1, 5), date(2026, 2, 10),
     "Từ ngày 05/01/2026 đến ngày 10/02/2026"),
    ("05/01/2026 – 10/02/2026", PeriodKind.CUSTOM, date(2026, 1, 5), date(2026, 2, 10),
     "Từ ngày 05/01/2026 đến ngày 10/02/2026"),
    (" 2026-07-01 2026-07-01 ", PeriodKind.CUSTOM, date(2026, 7, 1), date(2026, 7, 1),
     "Từ ngày 01/07/2026 đến ngày 01/07/2026"),
])
def test_periods_are_read_and_named_in_vietnamese(text, kind, start, end, name) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.name_vi) == (kind, start, end, name)
    assert period.range_vi == f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    assert parse_period(period.key) == period


def test_custom_from_dates_and_the_instants_of_a_period() -> None:
    period = parse_period("", start=date(2026, 7, 1), end=date(2026, 9, 30))
    assert period.kind is PeriodKind.CUSTOM
    low, high = period.bounds
    # From 00:00 of the first day up to (not including) 00:00 of the day after the last.
    assert low == datetime(2026, 7, 1, 0, 0)
    assert high == datetime(2026, 10, 1, 0, 0)
    assert period.contains(datetime(2026, 9, 30, 23, 59, 59))
    assert not period.contains(datetime(2026, 10, 1, 0, 0))
    assert not period.contains(date(2026, 6, 30))
    assert period.days == 92


@pytest.mark.parametrize(("text", "message"), [
    ("2026-13", "Tháng 13 không tồn tại"),
    ("2026-00", "Tháng 0 không tồn tại"),
    ("2026-Q5", "Không hiểu kỳ báo cáo"),
    ("quý ba", "Không hiểu kỳ báo cáo"),
    ("1999", "ngoài khoảng"),
    ("2026-02-30..2026-03-01", "không tồn tại"),
    ("2026-03-01..2026-02-01", "phải sau hoặc trùng ngày bắt đầu"),
    ("", "Chọn kỳ báo cáo"),
])
def test_bad_periods_are_refused_with_a_vietnamese_message(text, message) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert message in err.value.message_vi


@pytest.mark.parametrize(("text", "previous"), [
    ("2026-01", "2025-12"), ("2026-09", "2026-08"), ("2026-Q1", "2025-Q4"),
    ("2026-Q3", "2026-Q2"), ("2026-H1", "2025-H2"), ("2026-H2", "2026-H1"), ("2026", "2025"),
    ("2026-01-05..2026-01-14", "2025-12-26..2026-01-04"),
])
def test_previous_period(text, previous) -> None:
    assert parse_period(text).previous() == parse_period(previous)


def test_months_inside_a_period_for_trends() -> None:
    assert [m.key for m in parse_period("2026-Q3").months()] == ["2026-07", "2026-08", "2026-09"]
    assert len(parse_period("2026").months()) == 12
    # A custom period clips its first and last months.
    months = parse_period("2026-01-20..2026-03-05").months()
    assert [m.key for m in months] == ["2026-01-20..2026-01-31", "2026-02", "2026-03-01..2026-03-05"]


# --------------------------------------------------------------------------- properties

years = st.integers(min_value=periods.MIN_YEAR + 1, max_value=periods.MAX_YEAR - 1)
days = st.dates(min_value=date(periods.MIN_YEAR + 1, 1, 1),
                max_value=date(periods.MAX_YEAR - 1, 12, 31))


@st.composite
def any_period(draw) -> Period:
    kind = draw(st.sampled_from(list(PeriodKind)))
    y = draw(years)
    if kind is PeriodKind.MONTH:
        return periods.month(y, draw(st.integers(1, 12)))
    if kind is PeriodKind.QUARTER:
        return periods.quarter(y, draw(st.integers(1, 4)))
    if kind is PeriodKind.HALF:
        return periods.half(y, draw(st.integers(1, 2)))
    if kind is PeriodKind.YEAR:
        return periods.year(y)
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(0, 800)))
    if end.year >= periods.MAX_YEAR:
        end = start
    return periods.custom(start, end)


@given(any_period())
def test_a_key_reads_back_as_the_same_period(period: Period) -> None:
    assert parse_period(period.key) == period
    assert parse_period(str(period)) == period


@given(any_period())
def test_previous_period_ends_the_day_before_and_has_the_same_kind(period: Period) -> None:
    try:
        previous = period.previous()
    except periods.PeriodError:
        # Only a period reaching back before the first reportable year has no previous one.
        assert (period.start - timedelta(days=366 * 5)).year < periods.MIN_YEAR + 5
        return
    assert previous.kind is period.kind
    assert previous.end + timedelta(days=1) == period.start
    if period.kind is PeriodKind.CUSTOM:
        assert previous.days == period.days


@given(any_period())
def test_months_cover_the_period_exactly_once(period: Period) -> None:
    months = period.months()
    assert months[0].start == period.start
    assert months[-1].end == period.end
    for a, b in zip(months, months[1:], strict=False):
        assert a.end + timedelta(days=1) == b.start
        assert a.start.month == a.end.month and a.start.year == a.end.year
    assert sum(m.days for m in months) == period.days


@given(any_period(), st.datetimes(min_value=datetime(periods.MIN_YEAR + 1, 1, 1),
                                  max_value=datetime(periods.MAX_YEAR - 1, 12, 31)))
def test_bounds_are_half_open_whole_days(period: Period, moment: datetime) -> None:
    low, high = period.bounds
    assert (low <= moment < high) == period.contains(moment)
    assert low.time() == high.time() == datetime.min.time()
