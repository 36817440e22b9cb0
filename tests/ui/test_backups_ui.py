"""Quản trị › Sao lưu: back up now, ask for a restore, and the restore at the next start."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.services import maintenance
from desktop.store.database import open_store
from desktop.store.models import Office
from desktop.ui.admin.backups_tab import BackupsTab
from desktop.ui.app import AppController, make_application
from desktop.ui.context import UiContext
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.tasks import TaskRunner


@pytest.fixture
def ctx(qapp, office_store, admin):
    make_application([])
    runner = TaskRunner()
    yield UiContext(office_store, runner, admin, "UBND xã Tân Phú", "000.00.01.H56", 1)
    runner.shutdown()


def test_back_up_now_then_ask_for_a_restore(qtbot, ctx, office_store, monkeypatch) -> None:
    tab = BackupsTab(ctx)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.keep.value() == 14, timeout=10000)
    assert tab.table.rowCount() == 0
    tab.back_up_now()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10000)
    assert tab.table.item(0, 1).text() == "Sao lưu thủ công"
    assert tab.table.item(0, 4).text() == "UBND xã Tân Phú"

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)  # the "close now?" box
    tab.table.selectRow(0)
    tab.restore_selected()
    qtbot.waitUntil(lambda: not tab.pending.isHidden(), timeout=10000)
    assert "UBND xã Tân Phú" in asked[0]
    assert maintenance.pending_restore(office_store.paths) is not None
    tab.cancel_restore()
    qtbot.waitUntil(lambda: tab.pending.isHidden(), timeout=10000)
    assert maintenance.pending_restore(office_store.paths) is None

    tab.keep.setValue(5)
    tab.save_keep()
    qtbot.waitUntil(lambda: "5" in tab.message.text(), timeout=10000)


def test_the_restore_runs_before_the_login_window(qtbot, qapp, office_store, admin,
                                                  data_paths) -> None:
    backup = maintenance.make_backup(office_store, admin)
    with office_store.transaction() as s:
        s.get(Office, 1).name = "UBND xã Đổi Tên"
    maintenance.request_restore(office_store, admin, backup)
    office_store.close()

    make_application([])
    controller = AppController(data_paths)
    try:
        assert controller.start()
        dialog = controller.dialog
        assert isinstance(dialog, LoginDialog)
        texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "Đã khôi phục dữ liệu từ bản sao lưu" in texts
    finally:
        controller.close()
    store = open_store(data_paths)
    try:
        with store.reading() as s:
            assert s.get(Office, 1).name == "UBND xã Tân Phú"
    finally:
        store.close()
