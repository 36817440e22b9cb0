"""Sync in the GUI against the real reference server on 127.0.0.1 (offscreen): the status-bar
indicator (offline, then changes waiting while it syncs, then synced) and the sync page
(a conflict listed with the province's message, reviewed; a failed change sent again)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from desktop.services import settings
from desktop.store.database import open_store
from desktop.store.models import Dossier, OutboxItem
from desktop.ui.app import AppController, make_application
from desktop.ui.main_window import MainWindow
from sync.server.province import add_status_change
from tests.sync import conftest as sync_fixtures
from tests.sync.desk_support import LOCAL_PASSWORD, make_desk, server_side
from tests.sync.support import PASSWORD, free_socket

#: The real reference server on 127.0.0.1 (the sync tests' session fixture).
province = sync_fixtures.province


@pytest.fixture
def controller(qapp, data_paths):
    make_application([])
    c = AppController(data_paths)
    yield c
    c.close()


def log_in(qtbot, controller: AppController, username: str = "tiepnhan1") -> MainWindow:
    assert controller.start()
    dialog = controller.dialog
    dialog.user_edit.setText(username)
    dialog.password_edit.setText(LOCAL_PASSWORD)
    with qtbot.waitSignal(controller.main_window_shown, timeout=20000) as shown:
        dialog.login_button.click()
    return shown.args[0]


def prepare(data_paths, province, url: str, dossiers: int = 2):  # noqa: ANN001, ANN201
    store = open_store(data_paths)
    desk = make_desk(store, province.store, province.base_url)
    ids = [desk.receive() for _ in range(dossiers)]
    with desk.client() as c:
        c.login(PASSWORD)  # the province password, kept in the (test) keyring
    with store.transaction() as s:
        settings.put(s, "sync.server_url", url)
        settings.put(s, "sync.interval_seconds", 3600)  # rounds only when the test asks
    return store, desk, ids


def test_status_shows_offline_then_waiting_then_synced(qtbot, controller, data_paths, province,
                                                       memory_keyring) -> None:
    sock = free_socket()  # a province address where nothing answers
    try:
        store, desk, _ids = prepare(data_paths, province,
                                    f"http://127.0.0.1:{sock.getsockname()[1]}")
        store.close()
        window = log_in(qtbot, controller)
        seen = []
        window.sync.status_changed.connect(lambda status: seen.append(
            (status.state, status.waiting)))
        qtbot.waitUntil(lambda: window.sync.status.state == "offline", timeout=20000)
    finally:
        sock.close()
    assert window.sync.status.waiting == 2
    assert window.sync_label.text() == window.sync.status_text()
    assert "2" in window.sync_label.text()
    assert "máy chủ" in window.sync_label.toolTip()
    # The province answers again: the indicator shows the waiting changes, then synced.
    with controller.store.transaction() as s:
        settings.put(s, "sync.server_url", province.base_url)
    with qtbot.waitSignal(window.sync.round_finished, timeout=20000) as finished:
        window.sync.sync_now()
    assert finished.args[0].ok, finished.args[0].summary_vi()
    assert ("syncing", 2) in seen
    assert seen.index(("syncing", 2)) > seen.index(("offline", 2))
    assert (window.sync.status.state, window.sync.status.waiting) == ("synced", 0)
    assert window.sync_label.text() == window.sync.status_text()
    assert len(server_side(province.store, desk.agency).dossiers) == 2
    # A new change made by the officer: counted at once.
    desk.store = controller.store
    desk.receive()
    window.refresh_sync_state()
    qtbot.waitUntil(lambda: window.sync.status.state == "waiting", timeout=10000)
    assert window.sync.status.waiting == 1


def test_sync_page_lists_a_conflict_and_sends_a_failed_change_again(
        qtbot, controller, data_paths, province, memory_keyring) -> None:
    store, desk, (first, _second) = prepare(data_paths, province, province.base_url)
    assert desk.engine().run_round().ok
    with store.reading() as s:
        uid = s.get_one(Dossier, first).uid
    add_status_change(province.store, desk.agency, uid, 7)  # the citizen withdrew online
    desk.hand_over(first)  # meanwhile, at the desk
    store.close()
    window = log_in(qtbot, controller)
    qtbot.waitUntil(lambda: window.sync.status.conflicts == 1, timeout=20000)
    assert "sync" in window.area_keys()
    window.go_to("sync")
    page = window.page("sync")
    qtbot.waitUntil(lambda: page.conflict_table.rowCount() == 1, timeout=10000)
    message = page.conflict_table.item(0, 3).text()
    assert "Công dân yêu cầu rút hồ sơ" in message and "Không gửi 1 thay đổi" in message
    page.conflict_table.selectRow(0)
    detail = page.conflict_detail.toPlainText()
    assert '"status": 7' in detail and '"status": 4' in detail  # both sides kept
    page.filter_combo.setCurrentIndex(2)  # conflicts and refusals
    qtbot.waitUntil(lambda: [i.state for i in page.items] == ["conflict"], timeout=10000)
    assert "Công dân yêu cầu rút hồ sơ" in page.item_table.item(0, 6).text()
    page.item_table.selectRow(0)
    assert not page.retry_button.isEnabled()  # a conflict is not sent again
    assert page.resolve_button.isEnabled()
    page.resolve_button.click()
    qtbot.waitUntil(lambda: page.conflict_table.rowCount() == 0, timeout=10000)
    # A change that failed (back-off for an hour): "Gửi lại" sends it now.
    desk.store = controller.store
    desk.receive()
    with controller.store.transaction() as s:
        s.execute(update(OutboxItem).where(OutboxItem.state == "pending").values(
            state="failed", attempts=3, last_error="Máy chủ của tỉnh không trả lời kịp.",
            next_attempt_at=datetime.now() + timedelta(hours=1)))
    page.filter_combo.setCurrentIndex(1)  # failed
    qtbot.waitUntil(lambda: [i.state for i in page.items] == ["failed"], timeout=10000)
    page.item_table.selectRow(0)
    assert page.retry_button.isEnabled()
    with qtbot.waitSignal(window.sync.round_finished, timeout=20000):
        page.retry_button.click()
    qtbot.waitUntil(lambda: window.sync.status.state == "synced", timeout=20000)
    with controller.store.reading() as s:
        states = s.execute(select(OutboxItem.state).order_by(OutboxItem.id)).scalars().all()
    assert states == ["sent", "sent", "conflict", "sent"]


def test_the_app_syncs_through_the_national_portal_by_configuration(
        qtbot, controller, data_paths, province, memory_keyring) -> None:
    """sync.connector = "dvcqg": the status bar's rounds speak the portal's services."""
    from sync.connectors.dvcqg import PortalClient

    store, desk, _ids = prepare(data_paths, province, f"{province.base_url}/dvcqg")
    portal = PortalClient(f"{province.base_url}/dvcqg", desk.agency, "tiepnhan1")
    portal.login(PASSWORD)  # the officer's portal password, kept in the (test) keyring
    portal.close()
    with store.transaction() as s:
        settings.put(s, "sync.connector", "dvcqg")
    store.close()
    window = log_in(qtbot, controller)
    with qtbot.waitSignal(window.sync.round_finished, timeout=20000) as finished:
        window.sync.sync_now()
    report = finished.args[0]
    assert report.ok and report.pushed == 2, report.summary_vi()
    assert type(window.sync._engine).__name__ == "DvcqgEngine"
    assert len(server_side(province.store, desk.agency).dossiers) == 2


def test_an_administrator_picks_the_national_portal_connection(qtbot, qapp, office_store,
                                                               admin) -> None:
    """The sync page's "Kết nối" choice is saved with the address (audited)."""
    from desktop.store.models import AuditEvent
    from desktop.ui.context import UiContext
    from desktop.ui.sync import SyncPage
    from desktop.ui.sync_status import SyncStatusController
    from desktop.ui.tasks import TaskRunner

    make_application([])
    runner = TaskRunner()
    try:
        ctx = UiContext(office_store, runner, admin, "UBND xã Tân Phú", "000.00.01.H56", 1)
        controller = SyncStatusController(ctx, interval_seconds=3600)
        page = SyncPage(ctx, controller)
        qtbot.addWidget(page)
        assert page.connector_combo.isEnabled()
        qtbot.waitUntil(lambda: page.connector_combo.currentData() == "motcua", timeout=10000)
        page.server_edit.setText("https://dvc.tinh.gov.vn/lgsp")
        page.connector_combo.setCurrentIndex(page.connector_combo.findData("dvcqg"))
        assert "DongBoHoSoMC" in page.connector_combo.currentText()
        page.save_server()

        def saved() -> bool:
            with office_store.reading() as s:
                return settings.get(s, "sync.connector") == "dvcqg"

        qtbot.waitUntil(saved, timeout=10000)
        with office_store.reading() as s:
            assert settings.get(s, "sync.server_url") == "https://dvc.tinh.gov.vn/lgsp"
            assert s.execute(select(AuditEvent.after).where(
                AuditEvent.action == "sync.server")).scalar_one().count("dvcqg") == 1
        controller.stop()
    finally:
        runner.shutdown()
