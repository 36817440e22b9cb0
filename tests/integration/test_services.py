"""Services on a real SQLite file: setup, login and lockout, audit chain, codes, calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from desktop.domain.codes import BlockExhausted, parse_dossier_code
from desktop.services import audit, auth, calendar, numbering
from desktop.services.actor import Actor
from desktop.services.office import get_office, initialise_office
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.models import AuditEvent, CalendarOverride, NumberBlock, Procedure, Role
from tests.conftest import ADMIN_PASSWORD, admin_form, office_form


def test_setup_creates_office_admin_catalogue_and_calendar(office_store) -> None:
    with office_store.reading() as s:
        office = get_office(s)
        assert office.agency_code == "000.00.01.H56"
        assert s.execute(select(func.count()).select_from(Procedure)).scalar_one() == 39
        birth = s.execute(select(Procedure).where(Procedure.code == "1.001193")).scalar_one()
        assert birth.name == "Thủ tục đăng ký khai sinh"
        assert birth.field.name == "Hộ tịch"
        assert birth.results[0].name == "Giấy khai sinh"
        tet = s.get(CalendarOverride, date(2026, 2, 17))
        assert tet.kind == "day_off"
        assert s.get(CalendarOverride, date(2026, 1, 10)).kind == "working_day"
        actions = s.execute(select(AuditEvent.action)).scalars().all()
        assert {"office.create", "officer.create", "catalogue.seed", "calendar.seed"} <= set(actions)


def test_setup_reports_every_bad_field_and_writes_nothing(store) -> None:
    with pytest.raises(ValidationError) as err:
        initialise_office(store, office_form(name=" ", agency_code="H56", desk_number=12),
                          admin_form(username="A B", password="123", password_confirm="123"))
    e = err.value.errors
    assert set(e) >= {"name", "agency_code", "desk_number", "admin_username", "admin_password"}
    assert "000.00.01.H56" in e["agency_code"]  # the message shows an example
    with store.reading() as s:
        assert get_office(s) is None
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 0


def test_certification_procedures_get_the_15h_cutoff(office_store) -> None:
    with office_store.reading() as s:
        birth = s.execute(select(Procedure).where(Procedure.code == "1.001193")).scalar_one()
        assert birth.cutoff == "15:00"


def test_login_locks_after_repeated_failures(office_store) -> None:
    now = datetime(2026, 11, 27, 9, 0)
    for i in range(4):
        with pytest.raises(auth.LoginFailed) as err:
            auth.authenticate(office_store, "quantri", "sai-mat-khau", now=now)
        assert f"Còn {4 - i} lần thử" in err.value.message_vi
    with pytest.raises(auth.LoginFailed) as err:
        auth.authenticate(office_store, "quantri", "sai-mat-khau", now=now)
    assert "tạm khóa" in err.value.message_vi
    # Even the right password is refused while locked...
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(office_store, "quantri", ADMIN_PASSWORD, now=now + timedelta(minutes=5))
    # ...and accepted after the lock expires.
    officer = auth.authenticate(office_store, "quantri", ADMIN_PASSWORD, now=now + timedelta(minutes=16))
    assert officer.full_name == "Nguyễn Thị Hồng Nhung"
    with office_store.reading() as s:
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.action.like("login.%"))).scalars().all()
    assert actions.count("login.failed") == 4 and "login.locked" in actions and "login.success" in actions


def test_unknown_user_gets_the_same_message(office_store) -> None:
    with pytest.raises(auth.LoginFailed) as err:
        auth.authenticate(office_store, "khong-co", "abcdefgh")
    assert err.value.message_vi == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_only_admins_manage_officers(office_store, admin) -> None:
    with office_store.transaction() as s:
        clerk = auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Văn Bình",
                                    password="mat-khau-456", roles=[Role.FRONT_DESK])
    clerk_actor = Actor(clerk.id, clerk.full_name, roles=frozenset({Role.FRONT_DESK}))
    with pytest.raises(PermissionDenied), office_store.transaction() as s:
        auth.create_officer(s, clerk_actor, username="x-user", full_name="X",
                            password="mat-khau-456", roles=[Role.FRONT_DESK])
    with pytest.raises(ValidationError) as err, office_store.transaction() as s:
        auth.create_officer(s, admin, username="tiepnhan1", full_name="Trùng tên",
                            password="mat-khau-456", roles=[Role.FRONT_DESK])
    assert "đã có người dùng" in err.value.errors["username"]


def test_admin_cannot_remove_own_admin_role(office_store, admin) -> None:
    with pytest.raises(ValidationError), office_store.transaction() as s:
        auth.update_officer(s, admin, admin.officer_id, full_name=admin.name, title="",
                            department="", roles=[Role.FRONT_DESK], active=True)


def test_audit_chain_detects_changed_and_deleted_rows(office_store, admin) -> None:
    with office_store.transaction() as s:
        for i in range(3):
            audit.record(s, admin, "test.action", "thing", i, after={"n": i})
    with office_store.reading() as s:
        assert audit.verify_chain(s) == []
    with office_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET after = '{\"n\": 99}' WHERE id = 3"))
    with office_store.reading() as s:
        problems = audit.verify_chain(s)
    assert [p.event_id for p in problems] == [3]
    assert "bị sửa" in problems[0].message_vi
    with office_store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id IN (3, 4)"))
    with office_store.reading() as s:
        assert any("bị xóa" in p.message_vi for p in audit.verify_chain(s))


def test_dossier_codes_follow_the_desk_block_and_restart_daily(office_store) -> None:
    day = date(2026, 11, 27)
    with office_store.transaction() as s:
        office = get_office(s)
        codes = [numbering.next_dossier_code(s, office, day) for _ in range(3)]
        next_day = numbering.next_dossier_code(s, office, day + timedelta(days=1))
    assert codes == ["000.00.01.H56-261127-0001", "000.00.01.H56-261127-0002",
                     "000.00.01.H56-261127-0003"]
    assert next_day.endswith("-261128-0001")


def test_two_desks_never_issue_the_same_code(tmp_path) -> None:
    from desktop.paths import DataPaths
    from desktop.store.database import open_store

    day = date(2026, 11, 27)
    issued: list[str] = []
    for desk in (1, 2):
        st = open_store(DataPaths(tmp_path / f"desk{desk}"))
        initialise_office(st, office_form(desk_number=desk), admin_form())
        with st.transaction() as s:
            office = get_office(s)
            issued += [numbering.next_dossier_code(s, office, day) for _ in range(50)]
        st.close()
    assert len(set(issued)) == 100
    assert {parse_dossier_code(c).seq for c in issued[50:]} <= set(range(1001, 2001))


def test_exhausted_block_asks_for_sync(office_store) -> None:
    day = date(2026, 11, 27)
    with office_store.transaction() as s:
        office = get_office(s)
        numbering.next_dossier_code(s, office, day)
        s.execute(text("UPDATE number_blocks SET last_used = last"))
        with pytest.raises(BlockExhausted) as err:
            numbering.next_dossier_code(s, office, day)
        assert "đồng bộ" in err.value.message_vi.lower()
        numbering.add_province_block(s, day, office.desk_number, 9001, 9010)
        assert numbering.next_dossier_code(s, office, day).endswith("-9001")
        assert s.execute(select(func.count()).select_from(NumberBlock)).scalar_one() == 2


def test_calendar_overrides_change_due_dates(office_store, admin) -> None:
    from desktop.domain.calendar import TimeUnit, due_at

    received = datetime(2026, 12, 1, 8, 0)  # a Tuesday
    with office_store.reading() as s:
        before = due_at(received, 2, TimeUnit.WORKING_DAYS, calendar.load_calendar(s))
    with office_store.transaction() as s:
        calendar.set_override(s, admin, date(2026, 12, 2), "day_off", "Nghỉ bầu cử")
    with office_store.reading() as s:
        after = due_at(received, 2, TimeUnit.WORKING_DAYS, calendar.load_calendar(s))
    assert after - before == timedelta(days=1)
    clerk = Actor(99, "Cán bộ", roles=frozenset({Role.FRONT_DESK}))
    with pytest.raises(PermissionDenied), office_store.transaction() as s:
        calendar.set_override(s, clerk, date(2026, 12, 3), "day_off", "Không được phép")


def test_offline_block_is_used_before_a_province_block(office_store) -> None:
    day = date(2026, 11, 27)
    with office_store.transaction() as s:
        office = get_office(s)
        numbering.next_dossier_code(s, office, day)
        numbering.add_province_block(s, day, office.desk_number, 9001, 9100)
        assert numbering.next_dossier_code(s, office, day).endswith("-0002")


def test_concurrent_writers_never_draw_the_same_number(office_store) -> None:
    import threading

    day = date(2026, 11, 27)
    codes: list[str] = []
    lock = threading.Lock()

    def desk_worker() -> None:
        for _ in range(40):
            with office_store.transaction() as s:
                code = numbering.next_dossier_code(s, get_office(s), day)
            with lock:
                codes.append(code)

    threads = [threading.Thread(target=desk_worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == 120 and len(set(codes)) == 120
