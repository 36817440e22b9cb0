"""The GUI from start-up to the main window, driven with pytest-qt (offscreen)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from desktop.paths import DataPaths
from desktop.store.backup import backup_database
from desktop.store.database import open_store
from desktop.store.lock import InstanceLock
from desktop.ui.app import AppController, make_application
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.setup_dialog import SetupDialog
from tests.conftest import ADMIN_PASSWORD, admin_form, office_form


@pytest.fixture
def qapp_vi(qapp):
    make_application([])  # translator, fonts, theme: as the real app
    return qapp


@pytest.fixture
def controller(qapp_vi, data_paths):
    c = AppController(data_paths)
    yield c
    c.close()


def _answer_next_message_box(qtbot, button_text: str | None = None) -> list[str]:
    """Click a button of the next modal QMessageBox; returns its text for asserts."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        for b in box.buttons():
            if button_text is None or b.text() == button_text:
                b.click()
                return

    QTimer.singleShot(20, click)
    return seen


def test_first_run_setup_then_main_window_in_vietnamese(qtbot, controller) -> None:
    assert controller.start()
    dialog = controller.dialog
    assert isinstance(dialog, SetupDialog)
    assert dialog.windowTitle() == "Thiết lập Một Cửa"
    dialog.new_button.click()
    # A wrong form shows each message next to its field and keeps what was typed.
    dialog.name_edit.setText("UBND xã Tân Phú")
    dialog.code_edit.setText("H56")
    dialog.finish_button.click()
    qtbot.waitUntil(lambda: dialog.finish_button.isEnabled() and bool(dialog.office_form.error_text("agency_code")))
    assert "000.00.01.H56" in dialog.office_form.error_text("agency_code")
    assert dialog.office_form.error_text("admin_username")
    assert dialog.name_edit.text() == "UBND xã Tân Phú"
    # Corrected, it sets up the office and logs the administrator in.
    dialog.code_edit.setText("000.00.01.H56")
    dialog.admin_name_edit.setText("Nguyễn Thị Hồng Nhung")
    dialog.admin_user_edit.setText("quantri")
    dialog.admin_pw_edit.setText(ADMIN_PASSWORD)
    dialog.admin_pw2_edit.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(controller.main_window_shown, timeout=20000) as shown:
        dialog.finish_button.click()
    window: MainWindow = shown.args[0]
    assert window.area_keys() == ["home", "reception", "processing", "dossiers", "reports",
                                  "dashboard", "inspection", "admin", "sync"]
    assert window.area_labels() == ["Tổng quan", "Tiếp nhận", "Xử lý", "Hồ sơ", "Báo cáo",
                                    "Bảng điều hành", "Giám sát", "Quản trị", "Đồng bộ"]
    assert "UBND xã Tân Phú" in window.office_label.text()
    assert "Quầy 1" in window.office_label.text()
    assert "Nguyễn Thị Hồng Nhung" in window.officer_label.text()
    qtbot.waitUntil(lambda: window.home.loaded, timeout=10000)
    qtbot.waitUntil(lambda: "Ngoại tuyến" in window.sync_label.text(), timeout=10000)
    assert window.menuBar().actions()[0].text() == "&Tệp"


def _set_up_office(data_paths: DataPaths) -> None:
    from desktop.services.office import initialise_office

    s = open_store(data_paths)
    initialise_office(s, office_form(), admin_form())
    s.close()


def test_login_wrong_then_right_password(qtbot, controller, data_paths) -> None:
    _set_up_office(data_paths)
    assert controller.start()
    dialog = controller.dialog
    assert isinstance(dialog, LoginDialog)
    dialog.user_edit.setText("quantri")
    dialog.password_edit.setText("sai-mat-khau")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10000)
    assert "Còn 4 lần thử" in dialog.error_label.text()
    assert dialog.password_edit.text() == ""
    dialog.password_edit.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(controller.main_window_shown, timeout=10000) as shown:
        dialog.login_button.click()
    window = shown.args[0]
    # Logging out returns to the login dialog; nothing is lost.
    window.logout_requested.emit()
    assert isinstance(controller.dialog, LoginDialog)


def test_non_admin_does_not_see_administration(qtbot, controller, data_paths) -> None:
    from desktop.services import auth
    from desktop.services.actor import Actor
    from desktop.store.models import Role

    _set_up_office(data_paths)
    s = open_store(data_paths)
    with s.transaction() as session:
        auth.create_officer(session, Actor.system("test"), username="tiepnhan1",
                            full_name="Trần Văn Bình", password="mat-khau-456",
                            roles=[Role.FRONT_DESK])
    s.close()
    assert controller.start()
    dialog = controller.dialog
    dialog.user_edit.setText("tiepnhan1")
    dialog.password_edit.setText("mat-khau-456")
    with qtbot.waitSignal(controller.main_window_shown, timeout=10000) as shown:
        dialog.login_button.click()
    assert shown.args[0].area_keys() == ["home", "reception", "processing", "dossiers", "reports",
                                         "sync"]


def test_corrupt_database_offers_the_last_backup_and_keeps_the_damaged_file(
        qtbot, controller, data_paths) -> None:
    _set_up_office(data_paths)
    backup_database(data_paths.database, data_paths.backups, "daily")
    for suffix in ("-wal", "-shm"):
        data_paths.database.with_name(data_paths.database.name + suffix).unlink(missing_ok=True)
    damaged = b"SQLite format 3\x00" + os.urandom(20000)
    data_paths.database.write_bytes(damaged)
    seen = _answer_next_message_box(qtbot, "Khôi phục bản sao lưu gần nhất")
    seen += _answer_next_message_box(qtbot)  # "restored" notice
    assert controller.start()
    assert "bị hỏng" in seen[0]
    assert isinstance(controller.dialog, LoginDialog)
    kept = [p for p in data_paths.root.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_newer_database_is_refused_with_a_message(qtbot, controller, data_paths) -> None:
    _set_up_office(data_paths)
    s = open_store(data_paths)
    with s.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    s.close()
    seen = _answer_next_message_box(qtbot)
    assert not controller.start()
    assert "mới hơn" in seen[0]
    assert controller.exit_code == 1


def test_second_instance_is_refused_with_a_message(qtbot, controller, data_paths) -> None:
    data_paths.root.mkdir(parents=True)
    with InstanceLock(data_paths):
        seen = _answer_next_message_box(qtbot)
        assert not controller.start()
    assert "đang mở" in seen[0]
