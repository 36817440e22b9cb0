"""The dossier list page with pytest-qt (offscreen): paging, sorting, filters, search, detail, keys.

The interface strings of this page are compared through the widgets' state,
not their (translated) texts; status labels are the national Vietnamese ones.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, text

from desktop.domain.status import Status
from desktop.domain.text import fold, sort_key
from desktop.paths import DataPaths
from desktop.services import demo
from desktop.services import dossier_query as dq
from desktop.services.actor import Actor
from desktop.services.dossier_query import DossierFilter, SortKey
from desktop.store.database import Store, open_store
from desktop.store.models import Officer
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.dossiers import DossierListModel, DossiersPage
from desktop.ui.dossiers.model import COLUMNS
from desktop.ui.tasks import TaskRunner

N = 700
WAIT = 20_000


@pytest.fixture
def qapp_vi(qapp):
    make_application([])  # translator, fonts, theme: as the real app
    return qapp


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    paths = DataPaths(tmp_path_factory.mktemp("list") / "data")
    demo.create_demo(paths, dossiers=N, seed=5)
    store = open_store(paths)
    yield store
    store.close()


def _context(store: Store) -> UiContext:
    with store.reading() as s:
        officer = s.execute(select(Officer).where(Officer.username == "admin")).scalar_one()
        actor = Actor.of(officer)
    return UiContext(store, TaskRunner(), actor, "UBND xã Tân Phú", "000.00.01.H56", 1)


@pytest.fixture
def ctx(qapp_vi, office) -> Iterator[UiContext]:
    context = _context(office)
    yield context
    context.runner.shutdown()


@pytest.fixture
def page(qtbot, ctx) -> Iterator[DossiersPage]:
    p = DossiersPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    qtbot.waitExposed(p)
    _wait_loaded(qtbot, p.model)
    qtbot.waitUntil(lambda: p.filters.procedure_combo.count() > 1, timeout=WAIT)
    yield p
    _dispose(p)


def _dispose(page: DossiersPage) -> None:
    """Delete the page (with its timers) now, before its runner stops."""
    page.close()
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _wait_loaded(qtbot, model: DossierListModel) -> None:
    qtbot.waitUntil(lambda: model.pages_loaded > 0 and not model.loading, timeout=WAIT)


def _reference(store: Store, flt: DossierFilter, sort: SortKey, now: datetime) -> list[int]:
    with store.reading() as s:
        return [r.id for r in dq.iter_all(s, flt, sort, now)]


def _apply(qtbot, page: DossiersPage, change) -> None:  # noqa: ANN001
    """Change a filter and wait for the new first page."""
    with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
        change()
    _wait_loaded(qtbot, page.model)


# ------------------------------------------------------------------------------- paging


def test_model_fetches_page_by_page_never_everything(qtbot, ctx) -> None:
    model = DossierListModel(ctx)
    model.set_query(DossierFilter())
    _wait_loaded(qtbot, model)
    assert model.rowCount() == dq.PAGE_SIZE < N
    assert model.canFetchMore()
    model.fetchMore()
    assert not model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 2 * dq.PAGE_SIZE, timeout=WAIT)
    _wait_loaded(qtbot, model)
    while model.canFetchMore():
        before = model.rowCount()
        model.fetchMore()
        _wait_loaded(qtbot, model)
        assert model.rowCount() - before <= dq.PAGE_SIZE
    assert model.rowCount() == N
    ids = [r.id for r in model.rows]
    assert len(set(ids)) == N
    assert ids == _reference(ctx.store, DossierFilter(), SortKey(), model.now)


def test_stale_pages_are_dropped(qtbot, ctx) -> None:
    model = DossierListModel(ctx)
    model.set_query(DossierFilter(statuses=frozenset({10})))
    model.set_query(DossierFilter(statuses=frozenset({1})))  # before the first one arrives
    _wait_loaded(qtbot, model)
    qtbot.wait(200)
    assert model.rows and {r.status for r in model.rows} == {1}
    qtbot.waitUntil(lambda: model.total is not None, timeout=WAIT)
    assert model.total == len(model.rows)


def test_the_view_fetches_more_when_scrolled(qtbot, page) -> None:
    assert page.model.rowCount() == dq.PAGE_SIZE
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > dq.PAGE_SIZE, timeout=WAIT)
    assert page.model.rowCount() <= 2 * dq.PAGE_SIZE


# ------------------------------------------------------------------------------ sorting


def _click_header(qtbot, page: DossiersPage, column: str) -> None:
    header = page.table.horizontalHeader()
    section = [c for c, _ in COLUMNS].index(column)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    _wait_loaded(qtbot, page.model)


def test_clicking_a_header_sorts_on_the_server(qtbot, page, ctx) -> None:
    default = [r.id for r in page.model.rows]
    _click_header(qtbot, page, "applicant_name")
    first = page.model.sort_key
    assert first.column == "applicant_name"
    names = [r.applicant_name for r in page.model.rows]
    keys = [sort_key(n) for n in names]  # tone marks and đ ignored: "Đặng" among the D's
    assert keys == sorted(keys, reverse=first.descending)
    assert [r.id for r in page.model.rows] != default
    assert [r.id for r in page.model.rows] == _reference(
        ctx.store, DossierFilter(), first, page.model.now)[:dq.PAGE_SIZE]
    _click_header(qtbot, page, "applicant_name")  # the other direction
    assert page.model.sort_key == SortKey("applicant_name", not first.descending)
    names = [r.applicant_name for r in page.model.rows]
    keys = [sort_key(n) for n in names]
    assert keys == sorted(keys, reverse=not first.descending)
    _click_header(qtbot, page, "status")
    statuses = [r.status for r in page.model.rows]
    assert statuses == sorted(statuses, reverse=page.model.sort_key.descending)


# ------------------------------------------------------------------------------ filters


def test_filters_update_the_table(qtbot, page, ctx) -> None:
    bar = page.filters
    _apply(qtbot, page, lambda: page.show_status({1}))
    assert page.model.rows and {r.status for r in page.model.rows} == {1}
    assert bar.status_button.statuses() == {1}
    qtbot.waitUntil(lambda: page.model.total == len(page.model.rows), timeout=WAIT)
    shown = page.model.index(0, [c for c, _ in COLUMNS].index("status")).data()
    assert shown == Status.NEW_ONLINE.label

    _apply(qtbot, page, lambda: page.show_status({2, 4, 5, 6}))
    assert {r.status for r in page.model.rows} <= {2, 4, 5, 6}
    _apply(qtbot, page, lambda: bar.overdue_check.setChecked(True))
    now = page.model.now
    assert page.model.rows and all(r.is_overdue(now) for r in page.model.rows)
    assert page.model.urgency(page.model.rows[0]) == "overdue"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None

    _apply(qtbot, page, bar.clear)
    assert page.model.filter == DossierFilter()
    _apply(qtbot, page, lambda: bar.due_spin.setValue(10))
    assert all(r.is_due_within(page.model.now, 10) for r in page.model.rows)
    _apply(qtbot, page, bar.clear)

    _apply(qtbot, page, lambda: bar.channel_combo.setCurrentIndex(bar.channel_combo.findData("3")))
    assert page.model.rows and {r.channel for r in page.model.rows} == {"3"}
    _apply(qtbot, page, bar.clear)

    field_index = 1
    field_id = bar.field_combo.itemData(field_index)
    _apply(qtbot, page, lambda: bar.field_combo.setCurrentIndex(field_index))
    with ctx.store.reading() as s:
        names = {c.name for c in dq.filter_choices(s).fields if c.id == field_id}
    assert {r.field_name for r in page.model.rows} <= names
    # The procedure list now offers only that field's procedures.
    offered = {bar.procedure_combo.itemData(i) for i in range(1, bar.procedure_combo.count())}
    with ctx.store.reading() as s:
        of_field = {p.id for p in dq.filter_choices(s).procedures if p.field_id == field_id}
    assert offered == of_field
    _apply(qtbot, page, bar.clear)

    procedure_id = page.model.rows[0].procedure_name
    index = bar.procedure_combo.findText(procedure_id)
    _apply(qtbot, page, lambda: bar.procedure_combo.setCurrentIndex(index))
    assert {r.procedure_name for r in page.model.rows} == {procedure_id}
    _apply(qtbot, page, bar.clear)

    day = page.model.rows[5].received_at.date()
    qday = QDate(day.year, day.month, day.day)
    _apply(qtbot, page, lambda: bar.from_edit.setDate(qday))
    _apply(qtbot, page, lambda: bar.to_edit.setDate(qday))
    assert page.model.rows and {r.received_at.date() for r in page.model.rows} == {day}
    assert page.model.filter.received_from == page.model.filter.received_to == day


def test_procedure_combo_narrows_as_the_officer_types(qtbot, page) -> None:
    combo = page.filters.procedure_combo
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=WAIT)
    qtbot.mouseClick(combo.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.lineEdit().selectedText() == combo.currentText(), timeout=WAIT)
    qtbot.keyClicks(combo.lineEdit(), "khai sinh")  # typed without diacritics
    assert combo.lineEdit().text() == "khai sinh"
    proxy = combo._proxy
    assert 0 < proxy.rowCount() < combo.count()
    for row in range(proxy.rowCount()):
        assert "khai sinh" in proxy.index(row, 0).data().lower()
    first = proxy.index(0, 0)
    with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
        combo.completer().activated[type(first)].emit(first)
    _wait_loaded(qtbot, page.model)
    assert page.model.filter.procedure_id == combo.currentData() is not None
    assert {r.procedure_name for r in page.model.rows} <= {combo.currentText()}


def test_search_box_filters_after_a_pause(qtbot, page, ctx) -> None:
    target = page.model.rows[7]
    typed = fold(target.applicant_name)  # as typed on a keyboard without Vietnamese input
    with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
        qtbot.keyClicks(page.filters.search_edit, typed)
    _wait_loaded(qtbot, page.model)
    assert page.model.filter.text == typed
    ids = [r.id for r in page.model.rows]
    assert target.id in ids
    assert ids == _reference(ctx.store, DossierFilter(text=typed), SortKey(),
                             page.model.now)[:dq.PAGE_SIZE]
    # By code, all at once: exactly that dossier.
    page.filters.search_edit.clear()
    _apply(qtbot, page, lambda: page.filters.search_edit.setText(target.code))
    assert [r.id for r in page.model.rows] == [target.id]
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=WAIT)
    assert "1" in page.count_label.text()


# ------------------------------------------------------------------------------- detail


def test_detail_pane_shows_fields_components_and_timeline(qtbot, page, ctx) -> None:
    with ctx.store.reading() as s:
        (dossier_id,) = s.execute(text(
            "SELECT id FROM dossiers WHERE status = 10 AND (SELECT count(*) FROM "
            "dossier_components c WHERE c.dossier_id = dossiers.id) >= 2 "
            "ORDER BY id DESC LIMIT 1")).one()
        expected = dq.detail(s, dossier_id)
    _apply(qtbot, page, lambda: page.filters.search_edit.setText(expected.code))
    page._select_row(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None
                    and page.detail.detail.id == dossier_id, timeout=WAIT)
    pane = page.detail
    assert expected.code in pane.heading.text()
    assert Status(10).label in pane.heading.text()
    comps = pane.components_table
    assert comps.rowCount() == len(expected.components) >= 2
    assert [comps.item(r, 0).text() for r in range(comps.rowCount())] == [
        c.name for c in expected.components]
    steps = pane.timeline_table
    assert steps.rowCount() == len(expected.timeline)
    assert [steps.item(r, 3).text() for r in range(steps.rowCount())] == [
        Status(t.status).label for t in expected.timeline]
    assert steps.item(0, 0).text() == expected.timeline[0].acted_at.strftime("%d/%m/%Y %H:%M")
    assert steps.item(0, 1).text() == expected.timeline[0].officer_name
    info = [pane.form.itemAt(i).widget().text() for i in range(pane.form.count())
            if pane.form.itemAt(i).widget() is not None]
    assert any(expected.applicant_name in t for t in info)
    assert any(expected.applicant_id_number in t for t in info)


# ----------------------------------------------------------------------------- keyboard


def test_keyboard_search_table_and_activation(qtbot, page) -> None:
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=WAIT)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.filters.search_edit.hasFocus(), timeout=WAIT)

    # Enter in the search box: to the table, first row selected.
    qtbot.keyClick(page.filters.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.table.hasFocus(), timeout=WAIT)
    assert page.table.currentIndex().row() == 0

    # Enter on a row, and a double-click, open the dossier.
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.dossier_activated, timeout=WAIT) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [page.model.rows[1].id]
    rect = page.table.visualRect(page.model.index(2, 0))
    with qtbot.waitSignal(page.dossier_activated, timeout=WAIT) as opened:
        # (QTest's double-click needs the press of the first click before it)
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [page.model.rows[2].id]

    # Escape in the table goes back to the search box; Escape there clears the search.
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.filters.search_edit.hasFocus(), timeout=WAIT)
    _apply(qtbot, page, lambda: qtbot.keyClicks(page.filters.search_edit, "nguyen"))
    assert page.model.filter.text == "nguyen"
    with qtbot.waitSignal(page.model.first_page_loaded, timeout=WAIT):
        qtbot.keyClick(page.filters.search_edit, Qt.Key.Key_Escape)
    assert page.filters.search_edit.text() == "" and page.model.filter.text == ""

    # Down in the search box also goes to the table.
    page.focus_search()
    qtbot.keyClick(page.filters.search_edit, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.table.hasFocus(), timeout=WAIT)


def test_refresh_keeps_the_selected_dossier(qtbot, page) -> None:
    page._select_row(4)
    chosen = page.selected_id()
    _apply(qtbot, page, page.refresh)
    qtbot.waitUntil(lambda: page.selected_id() == chosen, timeout=WAIT)


# --------------------------------------------------------------------- a million dossiers


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store with 1,000,000 minimal dossiers, written by one recursive CTE (a few seconds)."""
    paths = DataPaths(tmp_path_factory.mktemp("million") / "data")
    store = open_store(paths)
    started = time.monotonic()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        conn.execute(text("INSERT INTO fields (id, code, name) VALUES (1, 'HT', 'Hộ tịch')"))
        conn.execute(text(
            "INSERT INTO procedures (id, code, name, field_id, online_level, announced_by, "
            "applicants, source_url, unconfirmed_notes, active) "
            "VALUES (1, '1.001193', 'Thủ tục đăng ký khai sinh', 1, '3', '', '', '', '', 1)"))
        conn.execute(text("""
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000)
            INSERT INTO dossiers (id, uid, code, procedure_id, channel, status, applicant_kind,
                applicant_id_number, applicant_old_id, applicant_name, applicant_sex,
                applicant_address, applicant_phone, applicant_email, submitter_id_number,
                submitter_name, submitter_sex, submitter_address, submitter_phone,
                submitter_email, summary, note, reason, sets_count, received_at,
                return_by_post, fee_total, paid_online, state_secret, created_at, updated_at,
                version)
            SELECT x, printf('u%09d', x), NULL, 1, '1', 10, '1', '', '', 'Nguyễn Văn An', '',
                '', '', '', '', '', '', '', '', '', '', '', '', 1,
                strftime('%Y-%m-%d %H:%M:%S.000000', 1600000000 + x * 60, 'unixepoch'),
                0, 0, 0, 0, '2020-09-13 12:26:40.000000', '2020-09-13 12:26:40.000000', 1
            FROM n"""))
    assert time.monotonic() - started < 120  # a few seconds on the 2-core test machine
    yield store
    store.close()


def test_a_million_dossiers_first_page_only(qtbot, qapp_vi, million) -> None:
    context = _context_for_million(million)
    try:
        model = DossierListModel(context)
        counts: list[tuple[int, bool]] = []
        model.count_changed.connect(lambda n, more: counts.append((n, more)))
        model.set_query(DossierFilter())
        _wait_loaded(qtbot, model)
        assert model.rowCount() == dq.PAGE_SIZE
        assert model.rows[0].id == 1_000_000  # newest reception first
        assert model.canFetchMore()
        qtbot.waitUntil(lambda: counts and counts[-1][0] >= 0, timeout=WAIT)
        assert counts[-1] == (dq.COUNT_CAP, True)  # shown as "more than 100.000"

        page = DossiersPage(context)
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        qtbot.waitUntil(lambda: page.model.pages_loaded > 0, timeout=WAIT)
        assert page.model.rowCount() <= 2 * dq.PAGE_SIZE
        _click_header(qtbot, page, "applicant_name")
        assert page.model.rowCount() == dq.PAGE_SIZE
        _dispose(page)
    finally:
        context.runner.shutdown()


def _context_for_million(store: Store) -> UiContext:
    return UiContext(store, TaskRunner(), Actor.system("test"), "UBND xã Tân Phú",
                     "000.00.01.H56", 1)
