"""`motcua smoke`: the packaged build's self-test (build/build_linux.sh runs it).

Opens the data folder's database (backing it up and migrating it when it is
older), imports every module of the app, then opens the main window offscreen
for its first administrator and builds and shows each area. The dashboard
draws its chart (QtCharts); the PDF viewer shows a small PDF (QtPdf), made
with pikepdf, rendered with pdfium, encoded by Pillow and made again into a PDF
by img2pdf; Vietnamese sorting (ICU's collation data), dates, numbers, case,
time zones and the public holidays (holidays' Vietnamese names) are checked.
It closes everything and returns 0.

Anything that fails returns 1 with a message naming it: a missing module,
font, translation, migration script, Qt module or plugin, ICU data in the
frozen folder shows up here rather than on an office PC. Errors Qt would only
print — an exception raised in a slot (a page built on a navigation signal, a
timer) or a background task logging its failure — are recorded too and fail
the run.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop.paths import DataPaths

#: Modules never imported on their own: Alembic loads the migration scripts by path.
_NOT_IMPORTED = ("desktop.store.migrations",)
#: How long the dashboard may take to count (a slow office PC, a large database).
_WAIT_S = 60.0


class _Failures(logging.Handler):
    """Collects what went wrong: exceptions in slots, errors logged by the app."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.items: list[str] = []

    def add(self, what: str) -> None:
        self.items.append(what)
        print(f"smoke: LỖI / FAILED — {what}", file=sys.stderr, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f": {type(exc).__name__}: {exc}"
            traceback.print_exception(*record.exc_info, file=sys.stderr)
        self.add(f"log {record.name}: {text}")

    def excepthook(self, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        self.add(f"uncaught in a Qt slot: {exc_type.__name__}: {exc}")


def run(paths: DataPaths) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = _Failures()
    saved_hook = sys.excepthook
    root = logging.getLogger()
    sys.excepthook = failures.excepthook
    root.addHandler(failures)
    try:
        _run(paths, failures)
    except Exception as exc:  # noqa: BLE001 - the self-test reports whatever went wrong
        traceback.print_exc(file=sys.stderr)
        failures.add(f"{type(exc).__name__}: {getattr(exc, 'message_vi', None) or exc}")
    finally:
        root.removeHandler(failures)
        sys.excepthook = saved_hook
    if failures.items:
        print(f"smoke: THẤT BẠI / FAILED — {len(failures.items)} lỗi:", file=sys.stderr)
        for item in failures.items:
            print(f"  - {item}", file=sys.stderr)
        return 1
    print("smoke: OK")
    return 0


def _step(failures: _Failures, what: str, fn: Callable[[], Any]) -> Any:
    """Run one check; an exception is recorded as a failure of `what`, not raised."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - every check reports, the run goes on
        traceback.print_exc(file=sys.stderr)
        failures.add(f"{what}: {type(exc).__name__}: {exc}")
        return None


def _run(paths: DataPaths, failures: _Failures) -> None:
    from sqlalchemy import select

    from desktop.services.actor import Actor
    from desktop.services.office import get_office
    from desktop.store.database import open_store
    from desktop.store.migrate import current_revision
    from desktop.store.models import Officer, OfficerRole, Role
    from desktop.store.revisions import HEAD
    from desktop.ui.app import make_application
    from desktop.ui.context import UiContext
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    app = make_application([])
    store = open_store(paths)
    runner = TaskRunner()
    try:
        revision = current_revision(store.engine)
        if revision != HEAD:
            failures.add(f"schema {revision}, expected {HEAD}")
            return
        count = _import_everything(failures)
        with store.reading() as session:
            admin = session.execute(
                select(Officer).join(OfficerRole, OfficerRole.officer_id == Officer.id)
                .where(OfficerRole.role == Role.ADMIN).order_by(Officer.id).limit(1)
            ).scalar_one()
            office = get_office(session)
            ctx = UiContext(store, runner, Actor.of(admin), office.name, office.agency_code,
                            office.desk_number)
        window = MainWindow(ctx)
        window.show()
        app.processEvents()
        for key in window.area_keys():
            # page() calls the area's factory directly, so its exception reaches us (the
            # navigation signal's slot would only print it); then show it as a click would.
            _step(failures, f"area {key}", lambda k=key: window.page(k))
            window.go_to(key)
            app.processEvents()
        _step(failures, "dashboard (QtCharts)", lambda: _check_dashboard(app, window, ctx))
        _step(failures, "PDF viewer (QtPdf)", lambda: _check_pdf(app))
        _step(failures, "Vietnamese locale (ICU)", _check_locale)
        _step(failures, "public holidays", _check_holidays)
        _step(failures, "printed forms (fonts, QR code)", _check_forms)
        app.processEvents()
        print(f"smoke: schema {revision}; {count} modules; areas: "
              f"{', '.join(window.area_labels())}", flush=True)
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        runner.shutdown()
        store.close()
        app.processEvents()


def _import_everything(failures: _Failures) -> int:
    """Import every module of the app: pages and dialogs are imported lazily, on first use."""
    import importlib
    import pkgutil

    import desktop
    import forms

    names: list[str] = []
    for package in (desktop, forms):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.startswith(_NOT_IMPORTED):
                names.append(info.name)
    if "desktop.ui.main_window" not in names:
        failures.add(f"the app's modules cannot be listed (found {len(names)})")
    for name in names:
        _step(failures, f"import {name}", lambda n=name: importlib.import_module(n))
    return len(names)


def _wait(app, until: Callable[[], bool], seconds: float = _WAIT_S) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.01)
    return True


def _check_dashboard(app, window, ctx) -> None:  # noqa: ANN001
    """The dashboard counts and draws the monthly trend chart."""
    from desktop.services.reports import indicators as ind
    from desktop.ui.reports import DashboardPage

    if "dashboard" in window.area_keys():
        page = window.page("dashboard")
    else:
        page = DashboardPage(ctx)
        page.resize(1000, 700)
    if page.data is None and not page.loading:
        page.refresh()
    if not _wait(app, lambda: page.data is not None or not page.loading):
        raise RuntimeError(f"the dashboard did not count within {_WAIT_S:.0f} s")
    if page.data is None:
        raise RuntimeError(f"the dashboard did not count: {page.status.text()}")
    series = page.chart.series()
    if len(series) != len(ind.INDICATOR_KEYS):
        raise RuntimeError(f"the chart has {len(series)} series, expected "
                           f"{len(ind.INDICATOR_KEYS)}")
    page.chart_view.resize(800, 300)
    if page.chart_view.grab().isNull():
        raise RuntimeError("the chart cannot be drawn")


def _tiny_pdf(path: Path) -> None:
    """One A6 page with a black square in its middle, made with pikepdf."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(298, 420))
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(b"0 0 0 rg 99 160 100 100 re f")
    pdf.save(path)


def _check_pdf(app) -> None:  # noqa: ANN001
    """QtPdf shows a PDF in the viewer; pdfium renders it, Pillow encodes the page."""
    import io

    import pypdfium2 as pdfium
    from PySide6.QtCore import QSize

    from desktop.ui.digitise.viewer import PdfViewer

    with tempfile.TemporaryDirectory(prefix="motcua-smoke-") as tmp:
        path = Path(tmp) / "smoke.pdf"
        _tiny_pdf(path)

        viewer = PdfViewer()
        try:
            viewer.resize(500, 700)
            viewer.show()
            if not viewer.open_file(path):
                raise RuntimeError(f"QtPdf cannot open the PDF ({viewer.document.error()})")
            if viewer.page_count() != 1:
                raise RuntimeError(f"QtPdf sees {viewer.page_count()} pages, expected 1")
            app.processEvents()
            image = viewer.document.render(0, QSize(149, 210))
            if image.isNull() or image.pixelColor(74, 105).lightness() > 64:
                raise RuntimeError("QtPdf renders no page (the square is not black)")
            if viewer.grab().isNull():
                raise RuntimeError("the viewer cannot be drawn")
            viewer.document.close()
        finally:
            viewer.close()
            viewer.deleteLater()

        doc = pdfium.PdfDocument(str(path))
        try:
            pil = doc[0].render(scale=0.5).to_pil()
        finally:
            doc.close()
        if pil.convert("L").getpixel((pil.width // 2, pil.height // 2)) > 64:
            raise RuntimeError("pdfium renders no page (the square is not black)")
        encoded = {}
        for fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
            out = io.BytesIO()
            pil.convert("RGB").save(out, fmt)
            encoded[fmt] = out.getvalue()
            if not encoded[fmt]:
                raise RuntimeError(f"Pillow cannot write {fmt}")
        # A scanned page becomes a PDF page as the digitisation does it: img2pdf.
        import img2pdf
        import pikepdf

        made = img2pdf.convert(encoded["JPEG"])
        with pikepdf.open(io.BytesIO(made)) as assembled:
            if len(assembled.pages) != 1:
                raise RuntimeError("img2pdf made no page")


def _check_locale() -> None:
    """Vietnamese collation (ICU's vi tailoring), dates, numbers, case mapping, time zones."""
    from functools import cmp_to_key

    from PySide6.QtCore import QCollator, QDate, QDateTime, QLocale, QTime, QTimeZone

    vi = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    collator = QCollator(vi)
    words = ["Zung", "az", "Đặng", "ăn", "Dung", "An"]
    got = sorted(words, key=cmp_to_key(collator.compare))
    # In Vietnamese ă and đ are letters of their own, after a and d: ICU with its vi
    # collation data sorts so (Linux; the root order, used when that data is missing,
    # puts "ăn" before "az" and "Đặng" before "Dung"). Windows sorts with its own API.
    expected = ["An", "az", "ăn", "Dung", "Đặng", "Zung"]
    if sys.platform.startswith("linux") and got != expected:
        raise RuntimeError(f"Vietnamese sorting: {got}, expected {expected}")
    if got[0] != "An" or got.index("Đặng") > got.index("Zung"):
        raise RuntimeError(f"Vietnamese sorting: {got} (code point order?)")
    when = vi.toString(QDate(2026, 9, 2), "dddd, d MMMM yyyy")
    if "tháng" not in when.lower():
        raise RuntimeError(f"Vietnamese date: {when!r}")
    if vi.toString(1234567.5, "f", 1) != "1.234.567,5":
        raise RuntimeError(f"Vietnamese number: {vi.toString(1234567.5, 'f', 1)!r}")
    if vi.toUpper("đặng thị ướt") != "ĐẶNG THỊ ƯỚT" or vi.toLower("ĐẶNG") != "đặng":
        raise RuntimeError("Vietnamese upper / lower case")
    zone = QTimeZone(b"Asia/Ho_Chi_Minh")
    moment = QDateTime(QDate(2026, 9, 2), QTime(9, 0), QTimeZone.utc())
    if not zone.isValid() or zone.offsetFromUtc(moment) != 7 * 3600:
        raise RuntimeError("time zone Asia/Ho_Chi_Minh: not UTC+7")
    name = zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, vi)
    if not name:
        raise RuntimeError("time zone Asia/Ho_Chi_Minh has no Vietnamese name")


def _check_holidays() -> None:
    """The public holidays of Vietnam, named in Vietnamese (holidays' translation files)."""
    from desktop.domain.calendar import WorkCalendar

    name = WorkCalendar().day_off_name(date(2026, 9, 2))  # a Wednesday
    if not name or "Quốc khánh" not in name:
        raise RuntimeError(f"National Day 2026-09-02 is {name!r}, expected 'Quốc khánh'")


def _check_forms() -> None:
    """The printed forms' bundled fonts load and a QR code is drawn."""
    from PySide6.QtGui import QFontDatabase

    import resources
    from forms.render import FONT_FILES, ensure_fonts, qr_image

    missing = [name for name in FONT_FILES if not resources.path("fonts", name).is_file()]
    if missing:
        raise RuntimeError(f"fonts missing: {', '.join(missing)}")
    family = ensure_fonts()
    if family not in QFontDatabase.families():
        raise RuntimeError(f"font family {family!r} not loaded")
    if qr_image("000.00.01.H56-260902-0001").isNull():
        raise RuntimeError("no QR code")
