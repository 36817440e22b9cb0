"""Reminders in the GUI: the banner after login, "Xem", dismissing, preferences (offscreen)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desktop.services import auth, processing, reception, reminders
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.office import initialise_office
from desktop.store.database import Store, open_store
from desktop.store.models import AuditEvent, Dossier, Role
from desktop.ui.app import AppController, make_application
from desktop.ui.main_window import MainWindow
from tests.conftest import admin_form, office_form, sample_form

PASSWORD = "mat-khau-456"


@pytest.fixture
def controller(qapp, data_paths):
    make_application([])
    c = AppController(data_paths)
    yield c
    c.close()


@pytest.fixture
def office(data_paths) -> dict[str, Actor]:
    """An office with a desk officer and a specialist (username "tuphap")."""
    store = open_store(data_paths)
    try:
        admin_officer = initialise_office(store, office_form(), admin_form())
        admin = Actor.of(admin_officer)
        with store.transaction() as s:
            confirm_missing_units(s, admin)
            desk = auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                       password=PASSWORD, roles=[Role.FRONT_DESK])
            spec = auth.create_officer(s, admin, username="tuphap", full_name="Phạm Thị Ngọc Lan",
                                       password=PASSWORD, roles=[Role.SPECIALIST])
            staff = {"desk": Actor.of(desk), "spec": Actor.of(spec)}
    finally:
        store.close()
    return staff


def assigned(store: Store, staff: dict[str, Actor], due: datetime) -> int:
    """A dossier handed over to the specialist, due at `due`."""
    form = sample_form(store)
    d = reception.receive(store, staff["desk"], form).dossier_id
    processing.hand_over(store, staff["desk"], d, staff["spec"].officer_id)
    with store.transaction() as s:
        s.get_one(Dossier, d).due_at = due
    return d


def with_store(data_paths, fn):  # noqa: ANN001, ANN201
    store = open_store(data_paths)
    try:
        return fn(store)
    finally:
        store.close()


def log_in(qtbot, controller: AppController, username: str = "tuphap") -> MainWindow:
    assert controller.start()
    dialog = controller.dialog
    dialog.user_edit.setText(username)
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(controller.main_window_shown, timeout=20000) as shown:
        dialog.login_button.click()
    window: MainWindow = shown.args[0]
    qtbot.waitUntil(lambda: window.reminders.prefs is not None, timeout=10000)
    return window


def current_area(window: MainWindow) -> str:
    return window.area_keys()[window.nav.currentRow()]


def test_banner_after_login_view_and_dismiss(qtbot, controller, data_paths, office) -> None:
    now = datetime.now()

    def prepare(store: Store) -> None:
        with store.reading() as s:
            soon = reminders.soon_threshold(s, now, 2)
        assigned(store, office, now - timedelta(days=1))
        assigned(store, office, soon - timedelta(minutes=30))

    with_store(data_paths, prepare)
    window = log_in(qtbot, controller)
    banner = window.reminders.banner
    qtbot.waitUntil(banner.isVisible, timeout=10000)
    assert banner.message.text() == (
        "Bạn có 1 hồ sơ quá hạn và 1 hồ sơ đến hạn trong 2 ngày làm việc tới.")
    assert banner.level == "overdue"
    assert "quá hạn từ" in banner.detail.text()
    # The banner sits above the pages, in the window's content.
    assert banner.mapTo(window, banner.rect().topLeft()).y() < window.pages.mapTo(
        window, window.pages.rect().topLeft()).y()
    assert current_area(window) == "home"
    assert window.reminders.tray is None  # no notification area offscreen: the banner only

    banner.view_button.click()
    assert current_area(window) == "processing"

    banner.close_button.click()
    assert not banner.isVisible()
    with qtbot.waitSignal(window.reminders.checked, timeout=10000):
        window.reminders.check()
    assert not banner.isVisible()  # nothing changed: stays dismissed

    assigned(controller.store, office, now - timedelta(hours=3))  # a change: it comes back
    window.reminders.check()
    qtbot.waitUntil(banner.isVisible, timeout=10000)
    assert banner.message.text().startswith("Bạn có 2 hồ sơ quá hạn")


def test_no_banner_when_the_officer_switched_reminders_off(
        qtbot, controller, data_paths, office) -> None:
    def prepare(store: Store) -> None:
        assigned(store, office, datetime.now() - timedelta(days=2))
        reminders.save_preferences(store, office["spec"], reminders.PreferencesForm(
            enabled=False, due_soon_days=2, tray=True, interval_minutes=10))

    with_store(data_paths, prepare)
    window = log_in(qtbot, controller)
    assert window.reminders.prefs.enabled is False
    assert window.reminders.current is None
    assert not window.reminders.banner.isVisible()


def test_no_banner_without_anything_due(qtbot, controller, data_paths, office) -> None:
    with_store(data_paths, lambda store: assigned(store, office,
                                                  datetime.now() + timedelta(days=30)))
    window = log_in(qtbot, controller)
    assert window.reminders.current is not None and not window.reminders.current.any
    assert not window.reminders.banner.isVisible()


def test_the_dialog_saves_the_officers_preferences(qtbot, controller, data_paths, office) -> None:
    with_store(data_paths, lambda store: assigned(store, office,
                                                  datetime.now() - timedelta(days=1)))
    window = log_in(qtbot, controller)
    qtbot.waitUntil(window.reminders.banner.isVisible, timeout=10000)
    file_menu = window.menuBar().actions()[0].menu()
    entry = [a for a in file_menu.actions() if a.text() in ("Reminders…", "Nhắc việc…")]
    assert len(entry) == 1
    entry[0].trigger()
    dialog = window.reminders.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
    assert dialog.days_spin.value() == 2 and dialog.enabled_check.isChecked()
    dialog.days_spin.setValue(5)
    dialog.interval_spin.setValue(30)
    dialog.tray_check.setChecked(False)
    with qtbot.waitSignal(dialog.finished, timeout=10000):
        dialog.save_button.click()
    assert window.reminders.dialog is None
    qtbot.waitUntil(lambda: window.reminders.prefs.due_soon_days == 5, timeout=10000)
    qtbot.waitUntil(lambda: "5 ngày làm việc" in window.reminders.current.message_vi
                    or not window.reminders.current.due_soon, timeout=10000)
    assert window.reminders._timer.interval() == 30 * 60_000

    with controller.store.reading() as s:
        prefs = reminders.get_preferences(s, office["spec"].officer_id)
        events = s.execute(select(AuditEvent).where(
            AuditEvent.action == "reminders.preferences")).scalars().all()
    assert prefs == reminders.Preferences(enabled=True, due_soon_days=5, tray=False,
                                          interval_minutes=30)
    assert [e.actor_id for e in events] == [office["spec"].officer_id]
    assert json.loads(events[0].after)["due_soon_days"] == 5

    # Switched off in the dialog: the banner goes away.
    dialog = window.reminders.open_preferences()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
    assert dialog.days_spin.value() == 5 and not dialog.tray_check.isChecked()
    dialog.enabled_check.setChecked(False)
    assert not dialog.days_spin.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=10000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not window.reminders.banner.isVisible(), timeout=10000)
    assert window.reminders.current is None
