"""Reminders on a real SQLite file: who is reminded of what, working days, per-officer preferences."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from desktop.services import auth, calendar, processing, queues, reception, reminders, settings
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.reminders import Preferences, PreferencesForm
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.models import AuditEvent, Dossier, Officer, Procedure, Role
from tests.conftest import sample_form

NOW = datetime(2026, 11, 26, 9, 30)  # a Thursday
DAY_OFF = date(2026, 11, 30)  # the Monday after: an office day off (set in the fixture)
# From NOW: 2 working days end Tue 1/12 09:30 (Fri, then Tue: Sat, Sun and Mon are off);
# 5 working days end Fri 4/12 09:30.
SOON_2 = datetime(2026, 12, 1, 9, 30)
SOON_5 = datetime(2026, 12, 4, 9, 30)
PASSWORD = "mat-khau-456"


@dataclass
class Staff:
    desk: Actor
    spec: Actor
    spec2: Actor
    leader: Actor


@dataclass
class Dossiers:
    overdue: int  # spec, due Wed 25/11
    tomorrow: int  # spec, due Fri 27/11
    after_day_off: int  # spec, due Tue 1/12 09:00: within 2 working days only thanks to Mon off
    in_5_days: int  # spec, due Thu 3/12: within 5 working days, not 2
    later: int  # spec, due 10/12
    supplement: int  # status 5, papers asked by spec, due Fri 27/11 15:00
    at_desk: int  # status 2, overdue
    spec2_overdue: int  # assigned to spec2, overdue
    finished: int  # status 9, due long ago: never late for the office


def _actor(officer: Officer, *roles: Role) -> Actor:
    return Actor(officer.id, officer.full_name, officer.title, officer.department, frozenset(roles))


@pytest.fixture
def staff(office_store, admin) -> Staff:
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
        calendar.set_override(s, admin, DAY_OFF, "day_off", "Nghỉ bù theo quyết định của UBND xã")

        def make(username: str, name: str, *roles: Role) -> Officer:
            return auth.create_officer(s, admin, username=username, full_name=name,
                                       password=PASSWORD, roles=list(roles), title="Công chức")

        return Staff(
            desk=_actor(make("tiepnhan1", "Trần Thị Thu Hà", Role.FRONT_DESK), Role.FRONT_DESK),
            spec=_actor(make("tuphap", "Phạm Thị Ngọc Lan", Role.SPECIALIST), Role.SPECIALIST),
            spec2=_actor(make("diachinh", "Hoàng Văn Dũng", Role.SPECIALIST), Role.SPECIALIST),
            leader=_actor(make("lanhdao", "Đặng Quốc Bảo", Role.LEADER), Role.LEADER),
        )


def _receive(store, staff: Staff) -> int:
    form = sample_form(store)
    return reception.receive(store, staff.desk, form, now=datetime(2026, 11, 20, 8, 0)).dossier_id


def _made(store, staff: Staff, due: datetime, *, to: Actor | None = None, status: int = 4) -> int:
    """A dossier in `status` (2, 4, 5 or 9) due at `due`."""
    at = datetime(2026, 11, 20, 9, 0)
    d = _receive(store, staff)
    if status != 2:
        officer = to or staff.spec
        processing.hand_over(store, staff.desk, d, officer.officer_id, now=at)
        if status == 5:
            processing.request_supplement(store, officer, d, ["Giấy xác nhận cư trú"],
                                          "Thiếu giấy tờ chứng minh nơi cư trú", now=at)
        elif status == 9:
            processing.finish(store, officer, d, ["Giấy xác nhận tình trạng hôn nhân"], now=at)
    with store.transaction() as s:
        row = s.get_one(Dossier, d)
        assert row.status == status
        row.due_at = due
    return d


@pytest.fixture
def made(office_store, staff) -> Dossiers:
    st = office_store
    return Dossiers(
        overdue=_made(st, staff, datetime(2026, 11, 25, 10, 0)),
        tomorrow=_made(st, staff, datetime(2026, 11, 27, 10, 0)),
        after_day_off=_made(st, staff, datetime(2026, 12, 1, 9, 0)),
        in_5_days=_made(st, staff, datetime(2026, 12, 3, 16, 0)),
        later=_made(st, staff, datetime(2026, 12, 10, 10, 0)),
        supplement=_made(st, staff, datetime(2026, 11, 27, 15, 0), status=5),
        at_desk=_made(st, staff, datetime(2026, 11, 25, 9, 0), status=2),
        spec2_overdue=_made(st, staff, datetime(2026, 11, 24, 16, 0), to=staff.spec2),
        finished=_made(st, staff, datetime(2026, 11, 1, 10, 0), status=9),
    )


def _check(store, actor: Actor, days: int = 2) -> reminders.Reminder:
    with store.reading() as s:
        return reminders.check(s, actor, NOW, days=days)


# ------------------------------------------------------------------------ the check


def test_due_soon_counts_working_days_over_the_weekend_and_the_office_day_off(
        office_store, staff, made) -> None:
    r = _check(office_store, staff.spec)
    assert r.soon_before == SOON_2
    assert (r.overdue, r.due_soon) == (1, 3)  # tomorrow, after the day off, the supplement
    assert r.message_vi == ("Bạn có 1 hồ sơ quá hạn và 3 hồ sơ đến hạn trong 2 ngày làm việc "
                            "tới.")
    five = _check(office_store, staff.spec, days=5)
    assert five.soon_before == SOON_5
    assert (five.overdue, five.due_soon) == (1, 4)  # … and the one due Thu 3/12
    assert "4 hồ sơ đến hạn trong 5 ngày làm việc tới" in five.message_vi
    one = _check(office_store, staff.spec, days=1)
    assert one.soon_before == datetime(2026, 11, 27, 9, 30)
    assert (one.overdue, one.due_soon) == (1, 0)
    assert one.message_vi == "Bạn có 1 hồ sơ quá hạn."


def test_the_most_urgent_dossiers_are_named_overdue_first(office_store, staff, made) -> None:
    r = _check(office_store, staff.spec)
    assert [u.id for u in r.most_urgent] == [made.overdue, made.tomorrow, made.supplement]
    assert [u.overdue for u in r.most_urgent] == [True, False, False]
    with office_store.reading() as s:
        code = s.get_one(Dossier, made.overdue).code
        procedure = s.get_one(Procedure, s.get_one(Dossier, made.overdue).procedure_id).name
    first = r.most_urgent[0]
    assert (first.code, first.procedure, first.due_at) == (code, procedure,
                                                           datetime(2026, 11, 25, 10, 0))
    assert r.lines_vi()[0] == f"{code} — {procedure} (quá hạn từ 10:00 25/11/2026)"
    assert r.level == "overdue" and r.any


def test_each_role_is_reminded_of_its_own_queue(office_store, staff, made) -> None:
    desk = _check(office_store, staff.desk)
    assert (desk.overdue, desk.due_soon) == (1, 0)  # the received dossier not handed over
    assert [u.id for u in desk.most_urgent] == [made.at_desk]
    spec2 = _check(office_store, staff.spec2)
    assert (spec2.overdue, spec2.due_soon) == (1, 0)
    assert spec2.message_vi == "Bạn có 1 hồ sơ quá hạn."
    leader = _check(office_store, staff.leader)  # every overdue dossier of the office
    assert (leader.overdue, leader.due_soon) == (3, 0)
    assert {u.id for u in leader.most_urgent} == {made.overdue, made.at_desk, made.spec2_overdue}
    assert made.finished not in {u.id for u in leader.most_urgent}
    # The same overdue figure as the "Việc của tôi" badge.
    with office_store.reading() as s:
        for actor in (staff.desk, staff.spec, staff.spec2, staff.leader):
            assert queues.counts(s, actor, NOW).overdue == _check(office_store, actor).overdue


def test_a_leader_handling_dossiers_and_an_apology_is_not_counted_twice(
        office_store, staff, made) -> None:
    boss = _made(office_store, staff, datetime(2026, 11, 25, 8, 0), to=staff.leader)
    processing.propose_apology(office_store, staff.spec, made.overdue,
                               "Chờ xác minh thông tin hộ tịch tại xã khác",
                               datetime(2026, 12, 8, 10, 0), now=NOW)
    leader = _check(office_store, staff.leader)
    assert (leader.overdue, leader.due_soon) == (4, 0)
    assert boss in {u.id for u in leader.most_urgent}
    assert len(leader.most_urgent) == reminders.URGENT_SHOWN


def test_nothing_to_remind_of(office_store, staff, made) -> None:
    nobody = Actor(None, "Cổng dịch vụ công")
    r = _check(office_store, nobody)
    assert (r.overdue, r.due_soon, r.most_urgent, r.level) == (0, 0, (), "")
    assert not r.any
    assert r.message_vi == ("Không có hồ sơ nào quá hạn hoặc đến hạn trong 2 ngày làm việc "
                            "tới.")


def test_only_due_soon(office_store, staff) -> None:
    _made(office_store, staff, datetime(2026, 11, 27, 10, 0))
    r = _check(office_store, staff.spec)
    assert r.message_vi == "Bạn có 1 hồ sơ đến hạn trong 2 ngày làm việc tới."
    assert r.level == "due_soon"


# ---------------------------------------------------------------------- preferences


def _audits(store) -> list[AuditEvent]:
    with store.reading() as s:
        return list(s.execute(select(AuditEvent).where(
            AuditEvent.action == "reminders.preferences").order_by(AuditEvent.id)).scalars())


def _prefs(store, actor: Actor) -> Preferences:
    with store.reading() as s:
        return reminders.get_preferences(s, actor.officer_id)


def test_preferences_default_then_saved_per_officer_and_audited(office_store, staff) -> None:
    assert _prefs(office_store, staff.spec) == Preferences(True, 2, True, 10)
    saved = reminders.save_preferences(office_store, staff.spec, PreferencesForm(
        enabled=True, due_soon_days="5", tray=False, interval_minutes=30))
    assert saved == Preferences(enabled=True, due_soon_days=5, tray=False, interval_minutes=30)
    assert _prefs(office_store, staff.spec) == saved
    assert _prefs(office_store, staff.spec2) == Preferences()  # independent
    reminders.save_preferences(office_store, staff.spec2, PreferencesForm(
        enabled=False, due_soon_days=2, tray=True, interval_minutes=10))
    assert _prefs(office_store, staff.spec2).enabled is False
    assert _prefs(office_store, staff.spec) == saved
    events = _audits(office_store)
    assert [(e.actor_id, e.entity, e.entity_id) for e in events] == [
        (staff.spec.officer_id, "officer", str(staff.spec.officer_id)),
        (staff.spec2.officer_id, "officer", str(staff.spec2.officer_id))]
    assert events[0].before is None
    assert json.loads(events[0].after) == saved.as_dict()
    # A change records the preferences before it; saving the same again writes nothing.
    reminders.save_preferences(office_store, staff.spec, PreferencesForm(
        enabled=True, due_soon_days=3, tray=False, interval_minutes=30))
    reminders.save_preferences(office_store, staff.spec, PreferencesForm(
        enabled=True, due_soon_days=3, tray=False, interval_minutes=30))
    events = _audits(office_store)
    assert len(events) == 3
    assert json.loads(events[2].before) == saved.as_dict()
    assert json.loads(events[2].after)["due_soon_days"] == 3


@pytest.mark.parametrize(("days", "interval", "fields"), [
    (0, 10, {"due_soon_days"}),
    (11, 10, {"due_soon_days"}),
    ("hai", 10, {"due_soon_days"}),
    (2, 0, {"interval_minutes"}),
    (2, "", {"interval_minutes"}),
    (True, 241, {"due_soon_days", "interval_minutes"}),
])
def test_wrong_preferences_are_refused_in_vietnamese_and_nothing_is_written(
        office_store, staff, days, interval, fields) -> None:
    with pytest.raises(ValidationError) as err:
        reminders.save_preferences(office_store, staff.spec, PreferencesForm(
            enabled=True, due_soon_days=days, tray=True, interval_minutes=interval))
    assert set(err.value.errors) == fields
    if "due_soon_days" in fields:
        assert err.value.errors["due_soon_days"] == (
            "Số ngày làm việc báo trước phải là một số từ 1 đến 10.")
    if "interval_minutes" in fields:
        assert "từ 1 đến 240 phút" in err.value.errors["interval_minutes"]
    assert _audits(office_store) == []
    assert _prefs(office_store, staff.spec) == Preferences()


def test_only_a_logged_in_officer_has_preferences(office_store) -> None:
    with pytest.raises(PermissionDenied):
        reminders.save_preferences(office_store, Actor.system("test"), PreferencesForm(
            enabled=True, due_soon_days=2, tray=True, interval_minutes=10))


def test_check_for_follows_the_officers_preferences(office_store, staff, made) -> None:
    with office_store.reading() as s:
        prefs, r = reminders.check_for(s, staff.spec, NOW)
    assert prefs == Preferences() and r is not None and r.due_soon == 3
    reminders.save_preferences(office_store, staff.spec, PreferencesForm(
        enabled=True, due_soon_days=5, tray=True, interval_minutes=10))
    with office_store.reading() as s:
        assert reminders.check_for(s, staff.spec, NOW)[1].due_soon == 4
    reminders.save_preferences(office_store, staff.spec, PreferencesForm(
        enabled=False, due_soon_days=5, tray=True, interval_minutes=10))
    with office_store.reading() as s:
        prefs, r = reminders.check_for(s, staff.spec, NOW)
    assert r is None and not prefs.enabled


def test_unusable_stored_preferences_fall_back_to_the_defaults(office_store, staff) -> None:
    with office_store.transaction() as s:
        settings.put(s, reminders.SETTING, {
            str(staff.spec.officer_id): {"due_soon_days": 99, "tray": "yes", "enabled": False},
            str(staff.spec2.officer_id): "junk"})
    assert _prefs(office_store, staff.spec) == Preferences(enabled=False)
    assert _prefs(office_store, staff.spec2) == Preferences()


def _reminder(overdue: int, due_soon: int, days: int = 2) -> reminders.Reminder:
    return reminders.Reminder(overdue=overdue, due_soon=due_soon, due_soon_days=days,
                              soon_before=SOON_2, most_urgent=(), checked_at=NOW)


def test_a_notification_is_news_once_per_change_and_not_for_fewer_dossiers() -> None:
    assert _reminder(1, 0).is_news_after(None)
    assert not _reminder(0, 0).is_news_after(None)
    assert not _reminder(1, 2).is_news_after(_reminder(1, 2))  # the same again
    assert _reminder(2, 1).is_news_after(_reminder(1, 2))  # one more became overdue
    assert _reminder(1, 3).is_news_after(_reminder(1, 2))
    assert not _reminder(1, 1).is_news_after(_reminder(1, 2))  # one was dealt with
    assert _reminder(1, 1).is_news_after(_reminder(0, 0))
    assert _reminder(1, 1, days=5).is_news_after(_reminder(1, 2))  # other preferences
    assert _reminder(1, 2).key != _reminder(1, 2, days=5).key
