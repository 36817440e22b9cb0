"""The reports area and the leaders' dashboard through the GUI, on a real store with dossiers."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desktop.domain import periods
from desktop.services import auth
from desktop.services.actor import Actor
from desktop.services.reports import engine, indicators, snapshots
from desktop.services.reports.engine import TOTAL_KEY
from desktop.store.models import Dossier, Field, Procedure, Role
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.reports import DashboardPage, ReportsPage
from desktop.ui.tasks import TaskRunner

Q3 = periods.quarter(2026, 3)
TODAY = date(2026, 10, 2)  # the default period is then September 2026
NOW = datetime(2026, 10, 2, 9, 0)


def _add(session, name: str, procedure_id: int, status: int, *, received: str, due: str,
         channel: str = "1", finished: str | None = None, fee: int = 0,
         paid_online: bool = False) -> int:
    times = [datetime.fromisoformat(t) for t in (received, finished) if t]
    d = Dossier(uid=str(uuid.uuid4()), code=f"TEST-{name}", procedure_id=procedure_id,
                channel=channel, status=status, applicant_name=f"Công dân {name}",
                received_at=datetime.fromisoformat(received), due_at=datetime.fromisoformat(due),
                original_due_at=datetime.fromisoformat(due),
                finished_at=datetime.fromisoformat(finished) if finished else None,
                fee_total=fee, paid_online=paid_online, created_at=min(times),
                updated_at=max(times))
    session.add(d)
    session.flush()
    return d.id


@pytest.fixture
def office(office_store, admin):
    """Dossiers in each month of Q3 2026 (two fields), some still open; a leader, a specialist."""
    with office_store.transaction() as s:
        procs = s.execute(select(Procedure.id, Field.name).join(Field, Field.id == Procedure.field_id)
                          .order_by(Procedure.id)).all()
        first: dict[str, int] = {}
        for pid, fname in procs:
            first.setdefault(fname, pid)
        p1, p2 = list(first.values())[:2]
        n = 0
        for month in (7, 8, 9):
            for day, pid in ((3, p1), (10, p2), (17, p1)):
                n += 1
                _add(s, f"m{n}", pid, 10, channel="2" if n % 2 else "1",
                     received=f"2026-{month:02d}-{day:02d} 09:00",
                     due=f"2026-{month:02d}-{day + 3:02d} 09:00",
                     finished=f"2026-{month:02d}-{day + (2 if n % 3 else 5):02d} 10:00",
                     fee=20_000, paid_online=bool(n % 2))
        # Still open: overdue now, due within 3 days, waiting for a supplement.
        _add(s, "late", p1, 4, received="2026-09-20 08:00", due="2026-09-25 08:00")
        _add(s, "soon", p2, 2, received="2026-09-29 08:00", due="2026-10-03 08:00")
        _add(s, "supp", p1, 5, received="2026-09-28 08:00", due="2026-10-20 08:00")
        made = {
            "leader": auth.create_officer(s, admin, username="lanhdao", full_name="Lê Văn Minh",
                                          password="mat-khau-456", roles=[Role.LEADER]),
            "spec": auth.create_officer(s, admin, username="tuphap", full_name="Phạm Thị Lan",
                                        password="mat-khau-456", roles=[Role.SPECIALIST]),
        }
    return {k: Actor(o.id, o.full_name, o.title, o.department, frozenset(o.role_set))
            for k, o in made.items()}


@pytest.fixture
def runner():
    make_application([])
    r = TaskRunner()
    yield r
    r.shutdown()


def ctx_of(store, runner, actor) -> UiContext:
    return UiContext(store, runner, actor, "UBND xã Tân Phú", "000.00.01.H56", 1)


def open_reports(qtbot, store, runner, actor) -> ReportsPage:
    page = ReportsPage(ctx_of(store, runner, actor), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    return page


def make(qtbot, page: ReportsPage, period: periods.Period, report: str = "bieu06") -> None:
    page.report_choice.setCurrentIndex(page.report_choice.findData(report))
    page.period_chooser.set_period(period)
    with qtbot.waitSignal(page.result_shown, timeout=20000):
        page.make_button.click()


def total_row(page: ReportsPage) -> int:
    return page.table.rowCount() - 1


def test_the_report_chooser_lists_every_definition_and_defaults_to_last_month(
        qtbot, office_store, office, runner) -> None:
    from desktop.services.reports.definitions import REPORTS

    page = open_reports(qtbot, office_store, runner, office["leader"])
    keys = [page.report_choice.itemData(i) for i in range(page.report_choice.count())]
    assert keys == list(REPORTS)
    assert page.period_chooser.period() == periods.month(2026, 9)
    page.period_chooser.kind.setCurrentIndex(4)  # custom dates
    page.period_chooser.start.setDate(date(2026, 9, 10))
    page.period_chooser.end.setDate(date(2026, 9, 1))
    assert page.period_chooser.period() is None
    assert page.period_chooser.error.text()


def test_biểu_06_on_screen_equals_the_engine_and_exports(qtbot, office_store, office, runner,
                                                        tmp_path) -> None:
    page = open_reports(qtbot, office_store, runner, office["leader"])
    make(qtbot, page, Q3)
    with office_store.reading() as s:
        expected = engine.run(s, "bieu06", Q3)
    assert page.result.total.cells == expected.total.cells
    last = total_row(page)
    assert page.table.item(last, 1).text() == "Tổng cộng"
    assert page.table.item(last, 2).font().bold()
    columns = [c.key for c in page.result.columns]
    for i, key in enumerate(columns, start=2):
        assert page.table.item(last, i).text() == str(expected.total.cells[key])
    assert expected.total.cells["3"] == 12
    assert page.checks.text()

    xlsx = tmp_path / "bieu06.xlsx"
    written: list = []
    page.export_xlsx(xlsx, on_done=written.append)
    qtbot.waitUntil(lambda: bool(written), timeout=20000)
    sheet = load_workbook(xlsx).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "Biểu số 06" in text and "Quý III năm 2026" in text and "Tổng cộng" in text

    pdf = page.export_pdf(tmp_path / "bieu06.pdf")
    assert pdf is not None
    pdf_text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "06" in pdf_text and "2026" in pdf_text

    assert page.export_pdf(tmp_path / "no-such-folder" / "x.pdf") is None
    assert page.message.text()


def test_a_cell_drills_down_to_its_dossiers(qtbot, office_store, office, runner) -> None:
    page = open_reports(qtbot, office_store, runner, office["leader"])
    make(qtbot, page, Q3)
    last = total_row(page)
    col = 2 + [c.key for c in page.result.columns].index("3")
    dialog = page.open_cell(last, col)
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.loading and dialog.table.rowCount() > 0, timeout=20000)
    with office_store.reading() as s:
        expected = engine.all_cell_dossiers(s, "bieu06", Q3, TOTAL_KEY, "3")
    assert dialog.ids == expected
    codes = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert "TEST-m1" in codes
    dialog.close()


def test_a_leader_saves_a_snapshot_and_reopens_it(qtbot, office_store, office, runner) -> None:
    page = open_reports(qtbot, office_store, runner, office["leader"])
    make(qtbot, page, Q3)
    assert page.save_button.isEnabled()
    page.save_button.click()
    qtbot.waitUntil(lambda: page.last_saved is not None, timeout=20000)
    assert "đồng bộ" in page.message.text()  # sent at the next sync
    assert not page.save_button.isEnabled()  # already saved
    qtbot.waitUntil(lambda: len(page.snapshot_list) == 1, timeout=20000)
    with office_store.reading() as s:
        infos = snapshots.list_snapshots(s)
    assert [i.id for i in infos] == [page.last_saved.id]
    assert page.snapshot_table.item(0, 2).text() == "Lê Văn Minh"

    make(qtbot, page, periods.month(2026, 9))
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(page.result_shown, timeout=20000):
        page.open_snapshot(0)
    assert page.snapshot is not None and page.result.period == Q3
    assert page.origin.isVisible() and "Lê Văn Minh" in page.origin.text()
    assert not page.save_button.isEnabled()
    assert page.open_cell(total_row(page), 2) is None  # frozen numbers: no drill-down


def test_a_specialist_cannot_save(qtbot, office_store, office, runner) -> None:
    page = open_reports(qtbot, office_store, runner, office["spec"])
    make(qtbot, page, Q3)
    assert not page.save_button.isEnabled()
    assert page.save_button.toolTip()
    page.save_snapshot()
    with office_store.reading() as s:
        assert snapshots.list_snapshots(s) == []


def test_the_tracking_book_is_a_report_like_any_other(qtbot, office_store, office, runner) -> None:
    page = open_reports(qtbot, office_store, runner, office["leader"])
    make(qtbot, page, periods.month(2026, 9), report="mau06")
    assert page.result.kind == "listing"
    assert page.table.rowCount() == len(page.result.rows) == 6
    assert page.open_cell(0, 2) is None


def test_the_dashboard_shows_the_indicators_trend_and_lists(qtbot, office_store, office,
                                                            runner) -> None:
    page = DashboardPage(ctx_of(office_store, runner, office["leader"]), today=TODAY, now=NOW)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.show()
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.period_chooser.set_period(Q3)
    with office_store.reading() as s:
        expected = indicators.dashboard(s, Q3, NOW)
    for key, card in page.cards.items():
        assert card.value.text() == expected.indicators[key].percent_vi
        assert str(expected.indicators[key].denominator) in card.detail.text()
    assert page.chart.axes()[0].count() == 3  # July, August, September
    for key, series in page.series.items():
        assert series.count() == sum(1 for m in expected.trend
                                     if m.indicators[key].rate is not None)
    assert page.series[indicators.ON_TIME].count() == 3
    for key, box in page.lists.items():
        assert box.count == expected.lists[key].count == 1
        assert box.table.rowCount() == 1
    assert page.lists[indicators.OVERDUE].table.item(0, 0).text() == "TEST-late"

    dialog = page.open_indicator(indicators.ONLINE)
    qtbot.waitUntil(lambda: not dialog.loading and dialog.table.rowCount() > 0, timeout=20000)
    with office_store.reading() as s:
        numerator = indicators.drill_all(s, indicators.ONLINE, Q3).ids
        denominator = indicators.drill_all(s, indicators.ONLINE, Q3, indicators.DENOMINATOR).ids
    assert tuple(dialog.ids) == numerator
    dialog.chooser.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not dialog.loading and len(dialog.ids) == len(denominator),
                    timeout=20000)
    assert tuple(dialog.ids) == denominator
    dialog.close()

    shown: list = []
    page.show_dossier = lambda i, code: shown.append(code)
    box = page.lists[indicators.SUPPLEMENT]
    box.table.cellDoubleClicked.emit(0, 0)
    assert shown == ["TEST-supp"]
