"""Administration through the GUI: officers, the calendar, confirming a procedure's time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.store.models import CalendarOverride, Officer, Procedure, Role
from desktop.ui.admin.calendar_tab import DayDialog
from desktop.ui.admin.catalogue_tab import ProcedureTimeDialog
from desktop.ui.admin.officers_tab import OfficerDialog
from desktop.ui.admin.page import AdminPage
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.tasks import TaskRunner


@pytest.fixture
def ctx(qapp, office_store, admin):
    make_application([])
    runner = TaskRunner()
    yield UiContext(office_store, runner, admin, "UBND xã Tân Phú", "000.00.01.H56", 1)
    runner.shutdown()


def test_admin_adds_an_officer_and_sees_field_errors(qtbot, ctx, office_store) -> None:
    dialog = OfficerDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("Tiep Nhan")
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.form.error_text("username")), timeout=10000)
    assert dialog.form.error_text("full_name") and dialog.form.error_text("password")
    dialog.user_edit.setText("tiepnhan1")
    dialog.name_edit.setText("Trần Thị Thu Hà")
    dialog.role_checks[Role.FRONT_DESK].setChecked(True)
    dialog.pw_edit.setText("mat-khau-456")
    dialog.pw2_edit.setText("mat-khau-456")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save()
    with office_store.reading() as s:
        officer = s.execute(select(Officer).where(Officer.username == "tiepnhan1")).scalar_one()
        assert officer.role_set == {Role.FRONT_DESK}


def test_admin_adds_a_day_off(qtbot, ctx, office_store) -> None:
    dialog = DayDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(date(2026, 12, 24))
    dialog.name_edit.setText("Nghỉ bầu cử đại biểu HĐND")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save()
    with office_store.reading() as s:
        assert s.get(CalendarOverride, date(2026, 12, 24)).name == "Nghỉ bầu cử đại biểu HĐND"


def test_admin_confirms_a_procedure_time_unit(qtbot, ctx, office_store) -> None:
    with office_store.reading() as s:
        proc = s.execute(select(Procedure).where(Procedure.code == "1.001193")).scalar_one()
    assert proc.time_unit is None
    dialog = ProcedureTimeDialog(ctx, proc)
    qtbot.addWidget(dialog)
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("working_days"))
    dialog.cutoff_edit.setText("25:00")
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.form.error_text("cutoff")), timeout=10000)
    dialog.cutoff_edit.setText("15:00")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save()
    with office_store.reading() as s:
        proc = s.get_one(Procedure, proc.id)
        assert (proc.time_unit, proc.cutoff) == ("working_days", "15:00")


def test_admin_page_shows_all_tabs_in_vietnamese(qtbot, ctx) -> None:
    page = AdminPage(ctx)
    qtbot.addWidget(page)
    labels = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert labels == ["Cơ quan", "Cán bộ", "Lịch làm việc", "Danh mục thủ tục", "Sao lưu"]
    qtbot.waitUntil(lambda: page.officers_tab.table.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: page.catalogue_tab.table.rowCount() == 39, timeout=10000)


def test_admin_confirms_all_missing_units_at_once(qtbot, ctx, office_store) -> None:
    page = AdminPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "28" in page.catalogue_tab.summary.text(), timeout=10000)
    page.catalogue_tab.confirm_all(ask=False)
    qtbot.waitUntil(lambda: " 0 " in page.catalogue_tab.summary.text(), timeout=10000)
    with office_store.reading() as s:
        assert s.execute(select(Procedure).where(Procedure.time_unit.is_(None))).first() is None
