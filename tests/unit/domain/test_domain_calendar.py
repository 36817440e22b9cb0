from __future__ import annotations

import json
import time as clock
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import (
    DomainError,
    DueDate,
    InvalidDuration,
    InvalidHolidayTable,
    InvalidOfficeHours,
    OfficeHours,
    TimeUnit,
    WorkCalendar,
    due_at,
    explain_due,
    extend_for_supplement,
    load_holiday_table,
)

HOLIDAYS_JSON = Path(__file__).resolve().parents[3] / "resources" / "seed" / "holidays.json"
DAYS_OFF, WORKING_DAYS = load_holiday_table(json.loads(HOLIDAYS_JSON.read_text(encoding="utf-8")))
# The official 2025–2027 schedule, as an office loads it.
OFFICIAL = WorkCalendar(days_off=DAYS_OFF, working_days=WORKING_DAYS)

WD = TimeUnit.WORKING_DAYS
CD = TimeUnit.CALENDAR_DAYS
WH = TimeUnit.WORKING_HOURS


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm)


# --- units and office hours ------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("Ngày làm việc", WD),
        ("ngày làm việc ", WD),
        ("Ngày", CD),
        ("Giờ", WH),
        ("Giờ làm việc", WH),
        (None, None),
    ],
)
def test_time_unit_from_catalogue_label(label, unit):
    assert TimeUnit.from_label(label) is unit


def test_unknown_time_unit_label():
    with pytest.raises(InvalidDuration) as info:
        TimeUnit.from_label("Tháng")
    assert '"Tháng"' in info.value.message_vi


def test_time_unit_values_and_labels():
    assert [u.value for u in TimeUnit] == ["working_days", "calendar_days", "working_hours"]
    assert [u.label_vi for u in TimeUnit] == ["ngày làm việc", "ngày", "giờ làm việc"]


def test_office_hours_defaults():
    hours = OfficeHours()
    assert (hours.morning_start, hours.morning_end) == (time(7), time(11, 30))
    assert (hours.afternoon_start, hours.afternoon_end) == (time(13, 30), time(17))
    assert hours.minutes_per_day == 480


def test_office_hours_must_be_ordered():
    with pytest.raises(InvalidOfficeHours) as info:
        OfficeHours(morning_start=time(12), morning_end=time(11))
    assert "Giờ làm việc không hợp lệ" in info.value.message_vi
    with pytest.raises(InvalidOfficeHours):
        OfficeHours(afternoon_start=time(11))
    assert OfficeHours(time(8), time(12), time(12), time(16)).minutes_per_day == 480


# --- holiday table -----------------------------------------------------------------------


def test_load_holiday_table_reads_every_year():
    assert DAYS_OFF[date(2025, 9, 2)] == "Quốc khánh 2/9"
    assert DAYS_OFF[date(2026, 2, 17)] == "Tết Nguyên đán – mùng 1"
    assert DAYS_OFF[date(2027, 5, 3)] == "Nghỉ bù Quốc tế Lao động (thứ Hai)"
    assert set(WORKING_DAYS) == {date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)}
    assert WORKING_DAYS[date(2026, 1, 10)].startswith("LÀM BÙ")


def test_load_holiday_table_tolerates_missing_lists():
    assert load_holiday_table({"years": {}}) == ({}, {})
    assert load_holiday_table({"years": {"2030": {}}}) == ({}, {})


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"years": {"2026": {"days_off": [{"date": "2026-02-30", "name": "x"}]}}},
        {"years": {"2026": {"days_off": [{"name": "x"}]}}},
        {"years": []},
    ],
)
def test_load_holiday_table_rejects_malformed_tables(data):
    with pytest.raises(InvalidHolidayTable) as info:
        load_holiday_table(data)
    assert "Bảng ngày nghỉ" in info.value.message_vi


# --- working days --------------------------------------------------------------------------


def test_tet_2026_is_off():
    for offset in range(9):
        day = date(2026, 2, 14) + timedelta(days=offset)
        assert not OFFICIAL.is_working_day(day), day
    assert OFFICIAL.is_working_day(date(2026, 2, 13))
    assert OFFICIAL.is_working_day(date(2026, 2, 23))
    assert OFFICIAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_make_up_saturdays_2026_are_working_days():
    assert OFFICIAL.is_working_day(date(2026, 1, 10))
    assert OFFICIAL.is_working_day(date(2026, 8, 22))
    assert OFFICIAL.day_off_name(date(2026, 1, 10)) is None
    assert not OFFICIAL.is_working_day(date(2026, 1, 2))  # swapped for 10/01


def test_national_day_2026_break():
    for day in (
        date(2026, 8, 29),
        date(2026, 8, 30),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
    ):
        assert not OFFICIAL.is_working_day(day)
    assert OFFICIAL.next_working_day(date(2026, 8, 28)) == date(2026, 9, 3)


def test_day_off_names():
    assert OFFICIAL.day_off_name(date(2026, 2, 17)) == "Tết Nguyên đán – mùng 1"
    assert OFFICIAL.day_off_name(date(2026, 3, 7)) == "Thứ Bảy"
    assert OFFICIAL.day_off_name(date(2026, 3, 8)) == "Chủ nhật"
    assert OFFICIAL.day_off_name(date(2026, 3, 9)) is None


def test_public_holidays_come_from_the_holidays_package():
    calendar = WorkCalendar()
    assert not calendar.is_working_day(date(2026, 9, 2))
    assert "Quốc khánh" in calendar.day_off_name(date(2026, 9, 2))
    assert not calendar.is_working_day(date(2030, 2, 4))  # Tết 2030 (Vietnamese lunar calendar)
    # The package knows this swap: 31/8 off, Saturday 22/8 worked instead.
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.is_working_day(date(2026, 8, 22))


def test_without_public_holidays_only_weekends_and_the_table_count():
    calendar = WorkCalendar(public_holidays=False, days_off={date(2026, 3, 4): "Bão"})
    assert calendar.is_working_day(date(2026, 9, 2))
    assert not calendar.is_working_day(date(2026, 3, 4))
    assert calendar.day_off_name(date(2026, 3, 4)) == "Bão"
    assert not calendar.is_working_day(date(2026, 3, 7))


def test_working_days_win_over_everything():
    day = date(2026, 9, 2)
    calendar = WorkCalendar(days_off={day: "Nghỉ"}, working_days={day: "Làm bù"})
    assert calendar.is_working_day(day)
    assert calendar.day_off_name(day) is None


def test_office_day_off_name_wins_over_holiday_name():
    calendar = WorkCalendar(days_off={date(2026, 9, 2): "Quốc khánh (lịch của xã)"})
    assert calendar.day_off_name(date(2026, 9, 2)) == "Quốc khánh (lịch của xã)"


def test_working_minutes_between():
    minutes = OFFICIAL.working_minutes_between
    assert minutes(at(2026, 3, 2, 7), at(2026, 3, 2, 17)) == 480
    assert minutes(at(2026, 3, 2, 11), at(2026, 3, 2, 14)) == 60
    assert minutes(at(2026, 3, 6, 16), at(2026, 3, 9, 8)) == 120
    assert minutes(at(2026, 3, 2, 18), at(2026, 3, 3, 6)) == 0
    assert minutes(at(2026, 3, 3), at(2026, 3, 2)) == 0
    assert minutes(at(2026, 2, 13, 7), at(2026, 2, 23, 17)) == 960


# --- due dates: concrete 2026 cases ----------------------------------------------------------


def test_tet_2026_is_skipped():
    due = explain_due(at(2026, 2, 13, 9), 5, WD, OFFICIAL)
    assert due.at == at(2026, 2, 27, 9)
    assert [day for day, _ in due.skipped] == [
        date(2026, 2, 14) + timedelta(days=i) for i in range(9)
    ]
    assert dict(due.skipped)[date(2026, 2, 17)] == "Tết Nguyên đán – mùng 1"
    assert due.rule_vi == "5 ngày làm việc, trừ 4 ngày nghỉ cuối tuần và 5 ngày nghỉ lễ"


def test_new_year_2026_swap_and_make_up_saturday():
    due = explain_due(at(2025, 12, 31, 9), 1, WD, OFFICIAL)
    assert due.at == at(2026, 1, 5, 9)
    assert due.rule_vi == "1 ngày làm việc, trừ 2 ngày nghỉ cuối tuần và 2 ngày nghỉ lễ"
    # Saturday 10/01/2026 is worked.
    assert due_at(at(2026, 1, 9, 9), 1, WD, OFFICIAL) == at(2026, 1, 10, 9)
    assert due_at(at(2026, 1, 9, 9), 1, WD, WorkCalendar()) == at(2026, 1, 12, 9)


def test_april_30_and_may_1_2026():
    due = explain_due(at(2026, 4, 29, 9), 3, WD, OFFICIAL)
    assert due.at == at(2026, 5, 6, 9)
    assert [day for day, _ in due.skipped] == [
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 5, 2),
        date(2026, 5, 3),
    ]


def test_national_day_2026():
    due = explain_due(at(2026, 8, 28, 9), 3, WD, OFFICIAL)
    assert due.at == at(2026, 9, 7, 9)
    assert due.rule_vi == "3 ngày làm việc, trừ 4 ngày nghỉ cuối tuần và 3 ngày nghỉ lễ"
    assert due_at(at(2026, 8, 21, 9), 1, WD, OFFICIAL) == at(2026, 8, 22, 9)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 3, 3, 7), at(2026, 3, 3, 17)),  # a period end stays
        (at(2026, 3, 2, 9), at(2026, 3, 3, 9)),
        (at(2026, 3, 2, 17, 30), at(2026, 3, 3, 17)),  # after 17:00
        (at(2026, 3, 2, 17), at(2026, 3, 3, 17)),
        (at(2026, 3, 2, 6, 15), at(2026, 3, 2, 17)),  # before 07:00
        (at(2026, 3, 2, 12), at(2026, 3, 3, 11, 30)),  # lunch break → 13:30
        (at(2026, 3, 2, 11, 30), at(2026, 3, 3, 11, 30)),
        (at(2026, 3, 7, 10), at(2026, 3, 9, 17)),  # Saturday
        (at(2026, 3, 6, 18), at(2026, 3, 9, 17)),  # Friday evening
    ],
)
def test_one_working_day(received, due):
    assert due_at(received, 1, WD, OFFICIAL) == due


def test_reception_on_saturday_lists_the_weekend():
    due = explain_due(at(2026, 3, 7, 10), 1, WD, OFFICIAL)
    assert due.skipped == ((date(2026, 3, 7), "Thứ Bảy"), (date(2026, 3, 8), "Chủ nhật"))
    assert due.rule_vi == "1 ngày làm việc, trừ 2 ngày nghỉ cuối tuần"


@pytest.mark.parametrize("half", [0.5, Decimal("0.5"), Decimal("0.50")])
def test_half_a_working_day(half):
    due = explain_due(at(2026, 3, 2, 9), half, WD, OFFICIAL)
    assert due.at == at(2026, 3, 2, 15)  # 150 min in the morning, 90 in the afternoon
    assert due.rule_vi == "0,5 ngày làm việc"
    assert due_at(at(2026, 3, 2, 12), half, WD, OFFICIAL) == at(2026, 3, 3, 7, 30)


def test_working_hours():
    assert due_at(at(2026, 3, 2, 10), 4, WH, OFFICIAL) == at(2026, 3, 2, 16)
    assert due_at(at(2026, 3, 2, 16), 8, WH, OFFICIAL) == at(2026, 3, 3, 16)
    assert explain_due(at(2026, 3, 2, 10), 4, WH, OFFICIAL).rule_vi == "4 giờ làm việc"


def test_same_day():
    due = explain_due(at(2026, 3, 2, 9), 0, WD, OFFICIAL)
    assert due == DueDate(at=at(2026, 3, 2, 17), rule_vi="trong ngày", skipped=())
    assert due_at(at(2026, 3, 2, 18), 0, WD, OFFICIAL) == at(2026, 3, 3, 17)
    assert due_at(at(2026, 3, 2, 9), 0, CD, OFFICIAL) == at(2026, 3, 2, 17)


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    due = explain_due(at(2026, 8, 12, 9), 20, CD, OFFICIAL)  # 1/9/2026
    assert due.at == at(2026, 9, 3, 9)
    assert [day for day, _ in due.skipped] == [date(2026, 9, 1), date(2026, 9, 2)]
    assert due.rule_vi == "20 ngày, hạn rơi vào ngày nghỉ nên dời qua 2 ngày nghỉ lễ"


def test_calendar_days():
    assert due_at(at(2026, 3, 2, 10), 5, CD, OFFICIAL) == at(2026, 3, 9, 10)  # Sat → Mon
    assert due_at(at(2026, 3, 2, 10), 3, CD, OFFICIAL) == at(2026, 3, 5, 10)
    assert due_at(at(2026, 3, 2, 18), 15, CD, OFFICIAL) == at(2026, 3, 18, 7)
    assert due_at(at(2026, 3, 2, 9), 0.5, CD, OFFICIAL) == at(2026, 3, 2, 17)  # clamped
    plain = explain_due(at(2026, 3, 2, 10), 3, CD, OFFICIAL)
    assert plain.rule_vi == "3 ngày" and plain.skipped == ()


@pytest.mark.parametrize(
    ("received", "amount", "due"),
    [
        (at(2026, 3, 2, 15, 30), 0, at(2026, 3, 3, 17)),
        (at(2026, 3, 2, 15, 30), 1, at(2026, 3, 3, 17)),
        (at(2026, 3, 2, 15), 0, at(2026, 3, 2, 17)),  # at 15:00 is not after 15:00
        (at(2026, 3, 2, 14, 59), 0, at(2026, 3, 2, 17)),
        (at(2026, 2, 13, 15, 30), 0, at(2026, 2, 23, 17)),  # before Tết
        (at(2026, 3, 7, 16), 0, at(2026, 3, 9, 17)),  # Saturday: normal rule
    ],
)
def test_certification_cutoff(received, amount, due):
    assert due_at(received, amount, WD, OFFICIAL, cutoff=time(15)) == due


def test_cutoff_is_explained():
    due = explain_due(at(2026, 3, 2, 15, 30), 0, WD, OFFICIAL, cutoff=time(15))
    assert due.rule_vi == "trong ngày; tiếp nhận sau 15 giờ nên tính từ ngày làm việc tiếp theo"


def test_custom_office_hours():
    calendar = WorkCalendar(hours=OfficeHours(time(7, 30), time(11, 30), time(13), time(17)))
    assert calendar.hours.minutes_per_day == 480
    assert due_at(at(2026, 3, 2, 7), 1, WD, calendar) == at(2026, 3, 2, 17)
    assert due_at(at(2026, 3, 2, 12), 1, WD, calendar) == at(2026, 3, 3, 11, 30)
    assert due_at(at(2026, 3, 2, 12), 0.5, WD, calendar) == at(2026, 3, 2, 17)


def test_missing_unit():
    with pytest.raises(InvalidDuration) as info:
        due_at(at(2026, 3, 2), 1, None, OFFICIAL)
    assert isinstance(info.value, DomainError)
    assert info.value.message_vi == (
        "Thủ tục chưa có đơn vị thời gian giải quyết; cần xác nhận trong danh mục."
    )


@pytest.mark.parametrize(
    "amount",
    [-1, -0.5, Decimal("-2"), float("nan"), Decimal("NaN"), float("inf"), None, "3", True],
)
def test_invalid_amounts(amount):
    with pytest.raises(InvalidDuration) as info:
        due_at(at(2026, 3, 2), amount, WD, OFFICIAL)
    assert "Thời hạn giải quyết" in info.value.message_vi or "thời hạn" in info.value.message_vi


def test_sixty_working_days_is_fast():
    received = at(2026, 1, 5, 9)
    due_at(received, 60, WD, OFFICIAL)
    start = clock.perf_counter()
    for _ in range(200):
        due = due_at(received, 60, WD, OFFICIAL)
    per_call = (clock.perf_counter() - start) / 200
    assert OFFICIAL.working_minutes_between(received, due) == 60 * 480
    assert per_call < 0.002


# --- supplement rounds ---------------------------------------------------------------------


def test_extend_for_supplement_adds_the_office_time_the_applicant_took():
    due = at(2026, 3, 5, 17)
    assert extend_for_supplement(due, at(2026, 3, 3, 9), at(2026, 3, 4, 9), OFFICIAL) == at(
        2026, 3, 6, 17
    )
    # Friday 16:00 → Monday 08:00 is two office hours.
    assert extend_for_supplement(due, at(2026, 3, 6, 16), at(2026, 3, 9, 8), OFFICIAL) == at(
        2026, 3, 6, 9
    )
    # Waiting over a weekend costs the office nothing.
    assert extend_for_supplement(due, at(2026, 3, 7, 9), at(2026, 3, 8, 9), OFFICIAL) == due


def test_extend_for_supplement_rejects_reversed_periods():
    with pytest.raises(InvalidDuration) as info:
        extend_for_supplement(at(2026, 3, 5, 17), at(2026, 3, 4), at(2026, 3, 3), OFFICIAL)
    assert "bổ sung" in info.value.message_vi


# --- properties ----------------------------------------------------------------------------

instants = st.builds(
    lambda day, minute: datetime.combine(day, time()) + timedelta(minutes=minute),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(0, 24 * 60 - 1),
)
positive_amounts = st.one_of(
    st.integers(1, 60),
    st.decimals(min_value=Decimal("0.25"), max_value=Decimal("60"), places=2),
)
working_units = st.sampled_from([WD, WH])
cutoffs = st.sampled_from([None, time(15)])


def in_office_hours(instant: datetime, calendar: WorkCalendar) -> bool:
    hours = calendar.hours
    clock_time = instant.time()
    return calendar.is_working_day(instant.date()) and (
        hours.morning_start <= clock_time <= hours.morning_end
        or hours.afternoon_start <= clock_time <= hours.afternoon_end
    )


@given(instants, st.one_of(st.just(0), positive_amounts), st.sampled_from(list(TimeUnit)), cutoffs)
def test_due_is_never_before_reception_and_on_a_working_day(received, amount, unit, cutoff):
    due = explain_due(received, amount, unit, OFFICIAL, cutoff=cutoff)
    assert due.at >= received
    assert OFFICIAL.is_working_day(due.at.date())
    assert in_office_hours(due.at, OFFICIAL)
    for day, name in due.skipped:
        assert not OFFICIAL.is_working_day(day) and name
    assert due.rule_vi


@given(instants, positive_amounts, working_units)
def test_working_due_is_exactly_the_office_time_after_reception(received, amount, unit):
    due = due_at(received, amount, unit, OFFICIAL)
    per_unit = 480 if unit is WD else 60
    expected = Decimal(str(amount)) * per_unit
    assert abs(OFFICIAL.working_minutes_between(received, due) - expected) < 1


@given(instants, positive_amounts, positive_amounts, working_units)
def test_due_is_monotonic_in_amount(received, a, b, unit):
    low, high = sorted([Decimal(str(a)), Decimal(str(b))])
    assert due_at(received, low, unit, OFFICIAL) <= due_at(received, high, unit, OFFICIAL)


@given(instants, st.integers(0, 60), st.integers(0, 60), st.sampled_from([WD, CD]), cutoffs)
def test_due_is_monotonic_in_whole_days(received, a, b, unit, cutoff):
    low, high = sorted([a, b])
    assert due_at(received, low, unit, OFFICIAL, cutoff=cutoff) <= due_at(
        received, high, unit, OFFICIAL, cutoff=cutoff
    )


@given(instants, positive_amounts, working_units, instants, st.integers(0, 20 * 24 * 60))
def test_extend_for_supplement_adds_exactly_the_waiting_office_minutes(
    received, amount, unit, paused, waited
):
    due = due_at(received, amount, unit, OFFICIAL)
    resumed = paused + timedelta(minutes=waited)
    new_due = extend_for_supplement(due, paused, resumed, OFFICIAL)
    waiting = OFFICIAL.working_minutes_between(paused, resumed)
    assert new_due >= due
    assert OFFICIAL.working_minutes_between(due, new_due) == waiting
    assert in_office_hours(new_due, OFFICIAL)
