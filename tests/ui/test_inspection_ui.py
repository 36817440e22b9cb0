"""The audit inspection page with pytest-qt (offscreen): filters, pages, the detail, the chain check.

Interface strings are compared through the widgets' state, not their
(translated) texts; the audit's own labels and the chain report are the
services' Vietnamese.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, text

from desktop.services import audit, auth, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.store.models import AuditEvent, Dossier, Officer, Role
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.inspection import InspectionPage
from desktop.ui.inspection.detail import AFTER_BG, BEFORE_BG
from desktop.ui.tasks import TaskRunner
from tests.conftest import sample_form

WAIT = 20_000
PASSWORD = "mat-khau-456"


@dataclass
class Office:
    admin: Actor
    desk: Actor
    spec: Actor
    codes: list[str]


def _actor(officer: Officer) -> Actor:
    return Actor.of(officer)


@pytest.fixture
def office(office_store, admin) -> Office:
    """Three dossiers received and handed over in the last days, one of them finished."""
    store = office_store
    with store.transaction() as s:
        confirm_missing_units(s, admin)
        desk = _actor(auth.create_officer(s, admin, username="tiepnhan1",
                                          full_name="Trần Thị Thu Hà", password=PASSWORD,
                                          roles=[Role.FRONT_DESK]))
        spec = _actor(auth.create_officer(s, admin, username="tuphap",
                                          full_name="Phạm Thị Ngọc Lan", password=PASSWORD,
                                          roles=[Role.SPECIALIST], department="Tư pháp - Hộ tịch"))
    form = sample_form(store)
    start = datetime.combine(date.today() - timedelta(days=4), time(9, 0))
    ids = []
    for k in range(3):
        at = start + timedelta(days=k)
        d = reception.receive(store, desk, form, now=at).dossier_id
        processing.hand_over(store, desk, d, spec.officer_id, now=at + timedelta(minutes=10))
        ids.append(d)
    processing.finish(store, spec, ids[0], ["Giấy xác nhận tình trạng hôn nhân"],
                      now=start + timedelta(hours=3))
    with store.reading() as s:
        codes = [s.get_one(Dossier, d).code for d in ids]
    return Office(admin, desk, spec, codes)


@pytest.fixture
def ctx(qapp, office_store, office) -> Iterator[UiContext]:
    make_application([])  # translator, fonts, theme: as the real app
    context = UiContext(office_store, TaskRunner(), office.admin, "UBND xã Tân Phú",
                        "000.00.01.H56", 1)
    yield context
    context.runner.shutdown()


def open_page(qtbot, ctx: UiContext, *, page_size: int | None = None) -> InspectionPage:
    page = InspectionPage(ctx)
    qtbot.addWidget(page)
    if page_size is not None:
        page.model.page_size = page_size
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.filters.officer_combo.count() > 1, timeout=WAIT)
    return page


@pytest.fixture
def page(qtbot, ctx) -> Iterator[InspectionPage]:
    p = open_page(qtbot, ctx)
    yield p
    dispose(p)


def dispose(page: InspectionPage) -> None:
    """Delete the page (with its timers) now, before its runner stops."""
    page.close()
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_loaded(qtbot, page: InspectionPage) -> None:
    qtbot.waitUntil(lambda: page.model.pages_loaded > 0 and not page.model.loading,
                    timeout=WAIT)


def apply(qtbot, page: InspectionPage, change) -> None:  # noqa: ANN001
    """Change a filter and wait for the new first page."""
    with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
        change()
    wait_loaded(qtbot, page)


def type_text(widget, text_: str) -> None:  # noqa: ANN001
    """Key events carrying any text (QTest.keyClicks only knows ASCII)."""
    for ch in text_:
        target = QApplication.focusWidget() or widget
        key = ord(ch.upper()) if ch.isascii() and ch.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def audit_ids(store, where: str = "1 = 1", **params) -> list[int]:  # noqa: ANN003
    """Audit rows of the last 30 days matching `where`, newest first."""
    since = datetime.combine(date.today() - timedelta(days=30), datetime.min.time())
    with store.reading() as s:
        rows = s.execute(select(AuditEvent.id, AuditEvent.at).where(
            text(where), AuditEvent.at >= since).params(**params)).all()
    return [r.id for r in sorted(rows, key=lambda r: (r.at, r.id), reverse=True)]


# ------------------------------------------------------------------------------ loading


def test_nothing_is_read_before_the_page_is_shown(qtbot, ctx) -> None:
    page = InspectionPage(ctx)
    qtbot.addWidget(page)
    qtbot.wait(200)
    assert page.model.pages_loaded == 0 and not page.model.loading
    assert page.filters.officer_combo.count() == 1  # only "all officers"
    page.show()
    wait_loaded(qtbot, page)
    assert page.model.rowCount() > 0
    dispose(page)


def test_shows_the_last_30_days_newest_first_page_by_page(qtbot, ctx, office_store,
                                                          office) -> None:
    with office_store.transaction() as s:
        for _ in range(40):  # more rows than the table shows at once
            auth.login(s, "tuphap", PASSWORD)
    page = open_page(qtbot, ctx, page_size=5)
    expected = audit_ids(office_store)
    assert len(expected) > 50
    assert page.filters.from_edit.date().toPython() == date.today() - timedelta(days=30)
    assert page.filters.to_edit.date().toPython() == date.today()
    # The view asks for pages until its rows fill it: whole pages of 5, in order.
    loaded = [r.id for r in page.model.rows]
    assert loaded == expected[:len(loaded)] and len(loaded) == 5 * page.model.pages_loaded
    assert not page.model.exhausted
    # Scrolling to the end of the table reads the next pages, until there are no more.
    for _ in range(20):
        if page.model.exhausted:
            break
        pages = page.model.pages_loaded
        page.table.scrollToBottom()
        qtbot.waitUntil(lambda p=pages: page.model.pages_loaded > p, timeout=WAIT)  # noqa: B023
    assert [r.id for r in page.model.rows] == expected
    dispose(page)


# ------------------------------------------------------------------------------ filters


def test_filter_by_an_officer_shows_only_their_rows(qtbot, page, office, office_store) -> None:
    spec = office.spec.officer_id
    apply(qtbot, page, lambda: page.filters.set_officer(spec))
    rows = page.model.rows
    assert rows and {r.actor_id for r in rows} == {spec}
    assert [r.id for r in rows] == audit_ids(office_store, "actor_id = :a", a=spec)
    assert {r.actor_name for r in rows} == {"Phạm Thị Ngọc Lan"}
    # Back to everyone with the "clear filters" button.
    apply(qtbot, page, page.filters.clear_button.click)
    assert len(page.model.rows) == len(audit_ids(office_store))


def test_filter_by_action_and_period(qtbot, page, office_store) -> None:
    apply(qtbot, page, lambda: page.filters.set_action("dossier.processing"))
    assert [r.id for r in page.model.rows] == audit_ids(office_store,
                                                        "action = 'dossier.processing'")
    assert len(page.model.rows) == 3
    start = date.today() - timedelta(days=3)
    apply(qtbot, page, lambda: page.filters.set_period(start, date.today()))
    assert page.model.filter.start == start and page.model.filter.end == date.today()
    expected = audit_ids(office_store, "action = 'dossier.processing' AND at >= :s",
                         s=f"{start.isoformat()} 00:00:00.000000")
    assert [r.id for r in page.model.rows] == expected and len(expected) == 2


def test_dossier_code_with_enter_shows_its_whole_history(qtbot, page, office) -> None:
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=WAIT)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.filters.dossier_edit.hasFocus(), timeout=WAIT)
    type_text(page.filters.dossier_edit, office.codes[0])
    qtbot.wait(400)
    assert page.model.filter.dossier is None  # nothing happens before Enter
    apply(qtbot, page, lambda: qtbot.keyClick(page.filters.dossier_edit, Qt.Key.Key_Return))
    assert page.model.filter.dossier == office.codes[0]
    assert page.model.filter.start is None and not page.filters.from_edit.isEnabled()
    actions = [r.action for r in reversed(page.model.rows)]
    assert actions == ["dossier.received", "dossier.processing", "dossier.processed"]
    assert {r.dossier_code for r in page.model.rows} == {office.codes[0]}
    # Escape clears the box and the filter.
    apply(qtbot, page, lambda: qtbot.keyClick(page.filters.dossier_edit, Qt.Key.Key_Escape))
    assert page.model.filter.dossier is None and page.filters.from_edit.isEnabled()


def test_an_unknown_dossier_code_says_so(qtbot, page) -> None:
    page.filters.dossier_edit.setText("000.00.01.H56-990101-0001")
    page.filters.apply_dossier()
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=WAIT)
    assert "Không tìm thấy hồ sơ" in page.error_label.text()
    assert page.model.rowCount() == 0


# ------------------------------------------------------------------------------ detail


def test_selecting_a_row_shows_before_and_after(qtbot, page) -> None:
    apply(qtbot, page, lambda: page.filters.set_action("dossier.processing"))
    page.table.setFocus()
    page._select_row(0)
    qtbot.waitUntil(lambda: page.detail.entry is not None, timeout=WAIT)
    assert page.detail.entry.id == page.model.rows[0].id
    rows = page.detail.rows()
    changed = [r for r in rows if r[3]]
    assert changed[0] == ("Trạng thái", "Được tiếp nhận", "Đang xử lý", True)
    assert ("Cán bộ xử lý", "", "Phạm Thị Ngọc Lan", True) in changed
    assert rows[:len(changed)] == changed  # the changes come first
    assert ("Người yêu cầu: họ tên", "Nguyễn Văn Đức", "Nguyễn Văn Đức", False) in rows
    table = page.detail.table
    assert table.item(0, 1).background().color() == BEFORE_BG
    assert table.item(0, 2).background().color() == AFTER_BG
    assert table.item(len(rows) - 1, 2).background().style() == Qt.BrushStyle.NoBrush
    # Only the changed fields, on demand.
    page.detail.only_changed.setChecked(True)
    assert page.detail.rows() == changed
    # A login records no data: the pane says so instead of an empty table.
    apply(qtbot, page, lambda: page.filters.set_action(None))
    with page.ctx.store.transaction() as s:
        auth.login(s, "tuphap", PASSWORD)
    apply(qtbot, page, page.refresh)
    page._select_row(0)
    assert page.model.rows[0].action == "login.success"
    assert page.detail.stack.currentWidget() is page.detail.placeholder


def test_refresh_keeps_the_selected_event(qtbot, page) -> None:
    page._select_row(3)
    chosen = page.selected_entry().id
    apply(qtbot, page, page.refresh)
    qtbot.waitUntil(lambda: page.selected_entry() is not None
                    and page.selected_entry().id == chosen, timeout=WAIT)


# ---------------------------------------------------------------------------- the chain


def test_verify_reports_an_intact_chain_then_a_tampered_row(qtbot, page, office_store) -> None:
    with office_store.reading() as s:
        total = s.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
    page.verify_button.click()
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=WAIT)
    assert page.last_report.ok
    assert page.chain_label.text() == f"Chuỗi nhật ký toàn vẹn ({total} dòng)"
    assert page.chain_box.objectName() == "chainOk"
    assert page.verify_button.isEnabled() and page.progress.isHidden()

    victim = page.model.rows[2].id
    with office_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor_name = 'Người khác' WHERE id = :id"),
                     {"id": victim})
    page.last_report = None
    page.verify_button.click()
    qtbot.waitUntil(lambda: page.last_report is not None, timeout=WAIT)
    assert not page.last_report.ok
    assert page.chain_box.objectName() == "chainBroken"
    assert f"Nhật ký #{victim}: nội dung đã bị sửa." in page.chain_label.text()
    assert "Chuỗi nhật ký bị phá vỡ: 1 vấn đề" in page.chain_label.text()


def test_verify_runs_in_the_background_and_can_be_stopped(qtbot, page, monkeypatch) -> None:
    release = threading.Event()
    started = threading.Event()
    real = audit.scan_chain

    def slow(session, **kwargs):  # noqa: ANN001, ANN003, ANN202
        started.set()
        release.wait(10)
        return real(session, **kwargs)

    monkeypatch.setattr(audit, "scan_chain", slow)
    page.verify_button.click()
    assert started.wait(5)
    # The page stays responsive: the list still reads pages meanwhile.
    apply(qtbot, page, page.refresh)
    assert page.progress.isVisible() and page.verify_button.isEnabled()
    page.verify_button.click()  # stop
    assert not page.verify_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=WAIT)
    assert page.last_report is None and page.chain_box.objectName() == "chainInfo"
    assert page.progress.isHidden()


def test_the_main_window_builds_the_page_on_first_visit(qtbot, ctx, monkeypatch) -> None:
    """What the lead's one line in MainWindow does: a lazily built area that loads when shown.
    Closing the window stops a running chain check (the runner's shutdown would wait for it)."""
    from desktop.ui.main_window import MainWindow

    release = threading.Event()
    real = audit.scan_chain
    monkeypatch.setattr(audit, "scan_chain", lambda session, **kw: (release.wait(10), real(
        session, **kw))[1])
    window = MainWindow(ctx)
    try:
        if "inspection" not in window.area_keys():
            window._add_area("inspection", window.tr("Inspection"), lambda: InspectionPage(ctx))
        window.show()
        qtbot.waitExposed(window)
        index = window.area_keys().index("inspection")
        assert not isinstance(window.pages.widget(index), InspectionPage)  # not built yet
        window.go_to("inspection")
        page = window.pages.widget(index)
        assert isinstance(page, InspectionPage)
        wait_loaded(qtbot, page)
        assert page.model.rowCount() > 0
        # Away and back: what was recorded meanwhile is read.
        window.go_to("home")
        with ctx.store.transaction() as s:
            auth.login(s, "tuphap", PASSWORD)
        with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
            window.go_to("inspection")
        assert page.model.rows[0].action == "login.success"
        page.verify()
        check = page._check
        window.go_to("home")
        assert check is not None and not check.cancelled  # it goes on while elsewhere
        window.close()
        assert check.cancelled
    finally:
        release.set()
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
