"""One renderer for print preview, printing and PDF export.

A form is an HTML template (``forms/templates/mau0N.html``, Qt's rich-text
subset, styled by ``style.css``) filled with escaped values and loaded into a
``QTextDocument``. The same document is then painted onto any
``QPagedPaintDevice`` by :func:`print_to`: a ``QPdfWriter`` for PDF files, a
``QPrinter`` for printing and for ``QPrintPreviewDialog`` (whose
``paintRequested(printer)`` handler calls ``print_to(document, printer)``).

Only QtGui is used here (no widgets), so a PDF can be made from the CLI with a
bare ``QGuiApplication`` (:func:`ensure_gui_app`, e.g. under
``QT_QPA_PLATFORM=offscreen``). The bundled Noto Serif fonts are registered
once (:func:`ensure_fonts`); Qt embeds the subset of them that a page uses in
every PDF, so Vietnamese diacritics print the same on any machine.

Page geometry: A4 portrait, margins 20 mm left and 15 mm top/right/bottom, a
6 mm band at the foot of the body for "Mã hồ sơ … — Trang i/n" when a form
runs over one page. A form may declare landscape instead (``LANDSCAPE_FORMS``:
the tracking book, Mẫu 06, 15 mm margins): :func:`page_layout` and
:func:`apply_page_layout` take the form's data for that. :func:`print_to` lays
the document out again for the device it is given (its own page size, margins
and resolution), so a printer set to another paper size still gets whole,
unclipped pages.

The tracking book can run to thousands of rows. It is not paginated by
re-laying the whole book out (as the short forms are) but page by page
(:func:`_book_pages`): each page is a document of its own holding the rows
that fit, so the cost grows linearly with the rows and painting a page never
walks the whole book.
"""

from __future__ import annotations

import html
import math
import os
import sys
import threading
import weakref
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from string import Template

import segno
from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
)

import resources
from forms.context import (
    ApologyData,
    ComponentLine,
    ControlSlipData,
    FormData,
    HandOverLine,
    OfficeInfo,
    PersonInfo,
    ReceiptData,
    RefusalData,
    ReportData,
    SupplementData,
    TrackingBookData,
    TrackingBookRow,
)

__all__ = [
    "CREATOR",
    "FORM_NAMES",
    "LANDSCAPE_FORMS",
    "apply_page_layout",
    "build_document",
    "default_title",
    "ensure_fonts",
    "ensure_gui_app",
    "page_layout",
    "pdf_bytes",
    "print_to",
    "qr_image",
    "short_date",
    "vn_date",
    "vn_datetime",
    "write_pdf",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_FILES = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf")
FALLBACK_FAMILY = "Noto Serif"
CREATOR = "Một Cửa"

BODY_PT = 13.0
PAGE_MARGINS_MM = (20.0, 15.0, 15.0, 15.0)  # left, top, right, bottom
LANDSCAPE_MARGINS_MM = (15.0, 15.0, 15.0, 15.0)
FOOTER_MM = 6.0  # reserved at the foot of the body for the page number
PDF_DPI = 300
QR_MM = 25.0  # printed size of the QR image, quiet zone included
BOOK_CELL_PADDING_PX = 2  # cellpadding of templates/book_table.html
CSS_DPI = 96.0  # what "px" means in the templates (Qt's default logical DPI)

DOTS = "…………………"  # a blank to be filled in by hand

FORM_NAMES: dict[type, str] = {
    ReceiptData: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    SupplementData: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    RefusalData: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    ApologyData: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    ControlSlipData: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    TrackingBookData: "Sổ theo dõi hồ sơ",
    ReportData: "Báo cáo định kỳ",
}
#: Forms printed on landscape pages (wide tables); every other form is portrait.
LANDSCAPE_FORMS: frozenset[type] = frozenset({TrackingBookData, ReportData})

_FOOTER_PROPERTY = "motcuaFooter"
# Documents made by build_document -> their data, so print_to can lay a form out again.
_SOURCES: weakref.WeakKeyDictionary[QTextDocument, FormData] = weakref.WeakKeyDictionary()
_sources_lock = threading.Lock()
_lock = threading.Lock()
_family: str | None = None
_app: QGuiApplication | None = None


# --------------------------------------------------------------------------- Qt set-up


def ensure_gui_app() -> QCoreApplication:
    """The running application; creates a ``QGuiApplication`` if there is none.

    Fonts and painting need a GUI application. When none exists (the CLI, a
    script) one is created; on a Linux machine without a display it uses the
    ``offscreen`` platform unless ``QT_QPA_PLATFORM`` says otherwise. A plain
    ``QCoreApplication`` cannot be upgraded, so that is an error.
    """
    global _app
    app = QCoreApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(sys.argv[:1] or ["motcua"])
        return _app
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("Printing forms needs a QGuiApplication, but a QCoreApplication is running.")
    return app


def ensure_fonts() -> str:
    """Register the bundled Noto Serif faces (once); return the serif family name."""
    global _family
    with _lock:
        if _family is not None:
            return _family
        ensure_gui_app()
        family = FALLBACK_FAMILY
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resources.path("fonts", name)))
            if font_id >= 0:
                families = QFontDatabase.applicationFontFamilies(font_id)
                if families:
                    family = families[0]
        _family = family
        return family


def is_landscape(data: FormData | None) -> bool:
    """True for a form printed on landscape pages (see ``LANDSCAPE_FORMS``)."""
    return data is not None and type(data) in LANDSCAPE_FORMS


def page_layout(data: FormData | None = None) -> QPageLayout:
    """A4 portrait, 20 mm left and 15 mm top/right/bottom margins; A4 landscape with 15 mm
    margins for a form in ``LANDSCAPE_FORMS`` (pass the form's data)."""
    if is_landscape(data):
        orientation, (left, top, right, bottom) = (
            QPageLayout.Orientation.Landscape, LANDSCAPE_MARGINS_MM)
    else:
        orientation, (left, top, right, bottom) = (
            QPageLayout.Orientation.Portrait, PAGE_MARGINS_MM)
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(left, top, right, bottom),
        QPageLayout.Unit.Millimeter,
    )


def apply_page_layout(device: QPagedPaintDevice, data: FormData | None = None) -> bool:
    """Give a ``QPrinter``/``QPdfWriter`` the page layout of the form ``data`` (before preview
    or printing); without data, the portrait layout of most forms."""
    return device.setPageLayout(page_layout(data))


# --------------------------------------------------------------------------- text helpers


class Markup(str):
    """HTML made by this module from escaped parts: inserted into templates as is."""


def _esc(value: object, *, blank: str = DOTS) -> Markup:
    """Escape a value for the template; line breaks are kept; empty values become a blank."""
    text = "" if value is None else str(value)
    if not text.strip():
        return Markup(html.escape(blank))
    lines = [html.escape(line, quote=True) for line in text.strip().splitlines()]
    return Markup("<br/>".join(lines))


@cache
def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _render(template: str, /, **values: object) -> Markup:
    """Fill ``templates/<template>``: every value is escaped unless it is Markup made here."""
    safe = {k: v if isinstance(v, Markup) else _esc(v) for k, v in values.items()}
    return Markup(_template(template).substitute(safe))


def vn_date(moment: datetime) -> str:
    """``ngày 05 tháng 01 năm 2026``: day < 10 and months 1, 2 take a leading zero (NĐ 30/2020)."""
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"ngày {moment.day:02d} tháng {month} năm {moment.year}"


def vn_datetime(moment: datetime) -> str:
    """``08 giờ 05 phút, ngày 27 tháng 11 năm 2026``."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {vn_date(moment)}"


def short_date(moment: date | datetime | None) -> str:
    """``05/01/2026`` (tables); empty for no date."""
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}" if moment is not None else ""


def _short_datetime(moment: datetime) -> Markup:
    """``08 giờ 05 phút,`` / ``ngày 27/11/2026`` on two lines (the control slip's rows)."""
    return Markup(f"{moment.hour:02d} giờ {moment.minute:02d} phút,<br/>ngày {short_date(moment)}")


def _period(start: date, end: date) -> str:
    return f"Từ ngày {short_date(start)} đến ngày {short_date(end)}"


def default_title(data: FormData) -> str:
    """The PDF title: the form's name and the dossier code (the period, for the tracking book)."""
    name = FORM_NAMES[type(data)]
    if isinstance(data, TrackingBookData):
        return f"{name} – {_period(data.start, data.end).lower()}"
    return f"{name} – {data.dossier_code}" if data.dossier_code else name


def _footer_label(data: FormData) -> str:
    """What the foot of every page says before "Trang i/n" (when there is more than one page)."""
    if isinstance(data, TrackingBookData):
        return f"{FORM_NAMES[TrackingBookData]} {_period(data.start, data.end).lower()}"
    return f"Mã hồ sơ: {data.dossier_code}" if data.dossier_code else ""


# --------------------------------------------------------------------------- images


def qr_image(text: str, *, size_px: int | None = None) -> QImage:
    """A crisp black-on-white QR code (error level M, 4-module quiet zone) as a grey image.

    Each module is a whole number of pixels, sized so the image is about
    ``QR_MM`` at 300 dpi (or ``size_px``): no resampling blurs the modules.
    """
    qr = segno.make(text, error="m", micro=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    target = size_px if size_px is not None else round(QR_MM / 25.4 * PDF_DPI)
    scale = max(2, math.ceil(target / modules))
    side = modules * scale
    rows = bytearray()
    for row in qr.matrix_iter(scale=scale, border=4):
        rows.extend(0 if dark else 255 for dark in row)
    image = QImage(bytes(rows), side, side, side, QImage.Format.Format_Grayscale8)
    return image.copy()  # own the pixels


@lru_cache(maxsize=16)
def _qr_resource(code: str) -> QImage:
    return qr_image(code)


@cache
def _rule_image() -> QImage:
    """One black pixel, stretched by the templates into the short rules of the header."""
    image = QImage(1, 1, QImage.Format.Format_Grayscale8)
    image.fill(QColor(0, 0, 0))
    return image


def _screen_dpi() -> float:
    """Qt's default logical DPI: what a template "px" and an unpainted layout are measured in."""
    screen = QGuiApplication.primaryScreen()
    return float(round(screen.logicalDotsPerInchY())) if screen is not None else CSS_DPI


# --------------------------------------------------------------------------- fragments


def _header(office: OfficeInfo, moment: datetime) -> Markup:
    authority = (
        _render("authority.html", parent_name=office.parent_name.upper())
        if office.parent_name.strip()
        else Markup("")
    )
    return _render(
        "header.html",
        authority=authority,
        agency_name=office.name.upper(),
        place_date=f"{office.place_name}, {vn_date(moment)}" if office.place_name else vn_date(moment),
    )


def _code_cell(code: str, *, qr_px: int, book: Markup | None = None) -> Markup:
    if not code:
        return Markup("")
    block = _render("code_block.html", dossier_code=code, qr_size=str(qr_px),
                    book=book or Markup(""))
    return _render("code_cell.html", code_block=block)


def _count(value: int) -> str:
    return str(value) if value else "0"


def _components(
    lines: tuple[ComponentLine, ...], *, heading: str, breaks: frozenset[int] = frozenset()
) -> Markup:
    """The components table; split into tables that start on a new page before each index
    in ``breaks`` (so that no row is split over two pages, see :func:`_device_document`)."""
    if not lines:
        blank = Markup("&nbsp;")
        rows = _render("component_row.html", number=blank, name=blank, originals=blank,
                       certified=blank, photocopies=blank)
        return _render("components.html", name_heading=heading, rows=rows, continuation="")
    cuts = [0, *sorted(i for i in breaks if 0 < i < len(lines)), len(lines)]
    tables = []
    for first, stop in zip(cuts, cuts[1:], strict=False):
        rows = "".join(
            _render(
                "component_row.html",
                number=str(number),
                name=line.name,
                originals=_count(line.originals),
                certified=_count(line.certified),
                photocopies=_count(line.photocopies),
            )
            for number, line in enumerate(lines[first:stop], start=first + 1)
        )
        tables.append(_render(
            "components.html",
            name_heading=heading,
            rows=Markup(rows),
            continuation=Markup("page-break-before: always;" if first else ""),
        ))
    return Markup("".join(tables))


def _signature(role: str, name: str, *, hint: str = "(Ký, ghi rõ họ tên)") -> Markup:
    return _render("signature.html", role=role, hint=hint, name=_esc(name, blank=" "))


def _signatures(left: Markup, right: Markup) -> Markup:
    return _render("signatures.html", left=left, right=right)


def _person(person: PersonInfo) -> dict[str, object]:
    return {
        "person_name": person.name,
        "person_id": person.id_number,
        "person_address": person.address,
        "person_phone": person.phone,
        "person_email": person.email,
    }


# --------------------------------------------------------------------------- the forms


def _receipt_html(data: ReceiptData, qr_px: int, breaks: frozenset[int]) -> str:
    person = data.submitter or data.applicant
    owner = Markup("")
    if data.submitter is not None and data.submitter != data.applicant:
        owner = _render("owner.html", name=data.applicant.name, address=data.applicant.address)
    book = _render("book.html", book_number=data.book_number, sequence_number=data.sequence_number)
    return _render(
        "mau01.html",
        header=_header(data.office, data.received_at),
        office_name=data.office.name,
        code_cell=_code_cell(data.dossier_code, book=book, qr_px=qr_px),
        channel=data.channel_label,
        owner=owner,
        procedure=data.procedure_name,
        components=_components(data.components, heading="Tên thành phần hồ sơ", breaks=breaks),
        sets=f"{data.sets_count:02d}",
        processing_time=data.processing_time_text,
        received=vn_datetime(data.received_at),
        due=vn_datetime(data.due_at),
        result_place=data.result_place,
        fee=_render("fee.html", fee=data.fee_text) if data.fee_text.strip() else Markup(""),
        signatures=_signatures(
            _signature("NGƯỜI NỘP HỒ SƠ", person.name),
            _signature("NGƯỜI TIẾP NHẬN HỒ SƠ", data.officer_name),
        ),
        **_person(person),
    )


def _supplement_html(data: SupplementData, qr_px: int, breaks: frozenset[int]) -> str:
    return _render(
        "mau02.html",
        header=_header(data.office, data.issued_at),
        office_name=data.office.name,
        code_cell=_code_cell(data.dossier_code, qr_px=qr_px),
        procedure=data.procedure_name,
        components=_components(
            data.missing, heading="Thành phần hồ sơ cần bổ sung, hoàn thiện", breaks=breaks
        ),
        reason=data.reason,
        officer_contact=data.officer_contact,
        signatures=_signatures(Markup(""), _signature("NGƯỜI HƯỚNG DẪN", data.officer_name)),
        **_person(data.applicant),
    )


def _refusal_html(data: RefusalData, qr_px: int, breaks: frozenset[int]) -> str:
    del breaks  # no table that could run over a page
    return _render(
        "mau03.html",
        header=_header(data.office, data.issued_at),
        office_name=data.office.name,
        code_cell=_code_cell(data.dossier_code, qr_px=qr_px),
        procedure=data.procedure_name,
        reason=data.reason,
        officer_contact=data.officer_contact,
        signatures=_signatures(
            _signature("NGƯỜI NỘP HỒ SƠ", data.applicant.name),
            _signature("NGƯỜI TỪ CHỐI", data.officer_name),
        ),
        **_person(data.applicant),
    )


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _recipients(names: tuple[str, ...]) -> Markup:
    items = "".join(
        _render("recipient.html", name=name, end=Markup(";" if i < len(names) - 1 else "."))
        for i, name in enumerate(names)
    )
    return _render("recipients.html", items=Markup(items))


def _apology_html(data: ApologyData, qr_px: int, breaks: frozenset[int]) -> str:
    del breaks  # no table that could run over a page
    received = (_sentence_start(vn_date(data.received_at)) if data.received_at
                else "Ngày … tháng … năm …")
    return _render(
        "mau04.html",
        header=_header(data.office, data.approved_at),
        office_name=data.office.name,
        code_cell=_code_cell(data.dossier_code, qr_px=qr_px),
        procedure=data.procedure_name,
        received=received,
        dossier_code=data.dossier_code,
        original_due=vn_datetime(data.original_due_at) if data.original_due_at else "",
        reason=data.reason,
        new_due=vn_datetime(data.new_due_at),
        signatures=_signatures(
            _recipients(data.recipients),
            _signature(data.signer_title, data.approved_by_name, hint="(Ký tên, đóng dấu)"),
        ),
        **_person(data.applicant),
    )


def _hand_over_row(line: HandOverLine | None) -> Markup:
    """One row of the control slip; ``None`` is a dotted row to be filled in by hand."""
    if line is None:
        return _render("hand_over_row.html", giver="", receiver="",
                       time=Markup("…… giờ …… phút,<br/>ngày ……/……/………"),
                       result=Markup("&nbsp;"),
                       note=Markup("&nbsp;"))
    return _render(
        "hand_over_row.html",
        giver=line.giver,
        receiver=line.receiver,
        time=_short_datetime(line.at),
        result=_esc(line.result, blank=" "),
        note=_esc(line.note, blank=" "),
    )


def _hand_overs(data: ControlSlipData, breaks: frozenset[int]) -> Markup:
    """The hand-over table, split before each row index in ``breaks`` (as ``_components``)."""
    lines: list[HandOverLine | None] = [*data.hand_overs, *([None] * data.blank_rows)]
    cuts = [0, *sorted(i for i in breaks if 0 < i < len(lines)), len(lines)]
    tables = []
    for first, stop in zip(cuts, cuts[1:], strict=False):
        tables.append(_render(
            "hand_overs.html",
            rows=Markup("".join(_hand_over_row(line) for line in lines[first:stop])),
            continuation=Markup("page-break-before: always;" if first else ""),
        ))
    return Markup("".join(tables))


def _control_slip_html(data: ControlSlipData, qr_px: int, breaks: frozenset[int]) -> str:
    return _render(
        "mau05.html",
        header=_header(data.office, data.received_at),
        code_cell=_code_cell(data.dossier_code, qr_px=qr_px),
        book_number=data.book_number,
        sequence_number=data.sequence_number,
        procedure=data.procedure_name,
        person_name=data.applicant.name,
        received=vn_datetime(data.received_at),
        due=vn_datetime(data.due_at) if data.due_at else "",
        processing_body=data.processing_body,
        coordinating=data.coordinating_bodies,
        hand_overs=_hand_overs(data, breaks),
    )


def _book_row(number: int, row: TrackingBookRow) -> str:
    def cell(value: object) -> Markup:
        return _esc(value, blank=" ")

    return _render(
        "book_row.html",
        number=str(number),
        code=cell(row.dossier_code),
        procedure=cell(row.procedure_name),
        sets=str(row.sets_count),
        name=cell(row.applicant_name),
        address=cell(row.applicant_address),
        phone=cell(row.applicant_phone),
        received=cell(short_date(row.received_at)),
        due=cell(short_date(row.due_at)),
        handed_over=cell(short_date(row.handed_over_at)),
        finished=cell(short_date(row.finished_at)),
        returned=cell(short_date(row.returned_at)),
        returned_by=cell(row.returned_by),
        returned_to=cell(row.returned_to),
        received_by=cell(row.received_by),
        note=cell(row.note),
    )


def _book_html(data: TrackingBookData, start: int, stop: int, *, heading: bool) -> str:
    """Rows ``start`` to ``stop`` of the book in one table; the heading above it if asked."""
    if data.rows:
        rows = Markup("".join(_book_row(n, row) for n, row in
                              enumerate(data.rows[start:stop], start=start + 1)))
    else:
        rows = _render("book_empty.html")
    head = Markup("")
    if heading:
        total = f"{data.total:,}".replace(",", ".")
        head = _render("book_heading.html", header=_header(data.office, data.issued_at),
                       period=f"{_period(data.start, data.end)} — Tổng số: {total} hồ sơ")
    return _render("mau06.html", heading=head, table=_render("book_table.html", rows=rows))


def _tracking_book_html(data: TrackingBookData, qr_px: int, breaks: frozenset[int]) -> str:
    """The whole book in one table (the screen document; print_to paginates it by page)."""
    del qr_px, breaks
    return _book_html(data, 0, len(data.rows), heading=True)


def _report_widths(data: ReportData) -> list[str]:
    """Column widths in percent: STT narrow (4 %), the row label wide (22 %), the counts
    share the rest."""
    labels = [i for i, c in enumerate(data.columns) if not c.numeric]
    fixed = {i: (3.5 if n == 0 and len(labels) > 1 else 20.0) for n, i in enumerate(labels)}
    numeric = len(data.columns) - len(labels)
    each = (100.0 - sum(fixed.values())) / numeric if numeric else 0.0
    return [f"{fixed.get(i, each):.2f}%" for i in range(len(data.columns))]


def _report_html(data: ReportData, qr_px: int, breaks: frozenset[int]) -> str:
    """A periodic report of counts (Biểu số 06): headings from the columns' paths; the table
    split before each row index in ``breaks`` (a new table, headings repeated, on a new page)."""
    del qr_px
    widths = _report_widths(data)
    blank = Markup("")
    grid = data.heading_grid()
    head_rows = []
    for level in range(data.depth):
        cells = [_render("bieu06_th.html", rowspan=str(c.rowspan), colspan=str(c.colspan),
                         width=widths[c.column] if c.colspan == 1 else blank, text=c.text)
                 for c in grid if c.row == level]
        head_rows.append(Markup("<tr>" + "".join(cells) + "</tr>"))
    numbers = [_render("bieu06_th.html", rowspan="1", colspan="1", width=widths[i],
                       text=c.number or " ")
               for i, c in enumerate(data.columns)]
    head_rows.append(Markup("<tr>" + "".join(numbers) + "</tr>"))
    body = []
    for row in data.rows:
        weight = "bold" if row.total else "normal"
        cells = [_render("bieu06_td.html", align="center", weight=weight,
                         text=_esc(row.number, blank=" ")),
                 _render("bieu06_td.html", align="center" if row.total else "left",
                         weight=weight, text=row.label)]
        cells += [_render("bieu06_td.html", align="right", weight=weight,
                          text=f"{value:,}".replace(",", "."))
                  for value in row.values]
        body.append(Markup("<tr>" + "".join(cells) + "</tr>"))
    head = Markup("".join(head_rows))
    cuts = [0, *sorted(i for i in breaks if 0 < i < len(body)), len(body)]
    tables = Markup("".join(
        _render("bieu06_table.html", head=head, rows=Markup("".join(body[first:stop])),
                continuation=Markup("page-break-before: always;" if first else ""))
        for first, stop in zip(cuts, cuts[1:], strict=False)))
    notes = Markup("".join(_render("bieu06_note.html", text=note) for note in data.notes))
    return _render(
        "bieu06.html",
        form_label=data.form_label,
        issued_by=data.issued_by,
        header=_header(data.office, data.issued_at),
        title=data.title.upper(),
        period_name=data.period_name,
        period_range=data.period_range,
        reporting_unit=data.reporting_unit,
        receiving_unit=data.receiving_unit,
        unit=data.unit,
        tables=tables,
        notes=notes,
        signatures=_render("bieu06_signatures.html", left_role=data.signers[0],
                           right_role=data.signers[1],
                           left_name=_esc(data.signer_names[0], blank=" "),
                           right_name=_esc(data.signer_names[1], blank=" ")),
    )


_BUILDERS = {
    ReceiptData: _receipt_html,
    SupplementData: _supplement_html,
    RefusalData: _refusal_html,
    ApologyData: _apology_html,
    ControlSlipData: _control_slip_html,
    TrackingBookData: _tracking_book_html,
    ReportData: _report_html,
}


def _make_document(
    data: FormData, breaks: frozenset[int] = frozenset(), *, compact: bool = False
) -> QTextDocument:
    try:
        builder = _BUILDERS[type(data)]
    except KeyError:
        raise TypeError(f"no printed form for {type(data).__name__}") from None
    qr_px = round(QR_MM / 25.4 * _screen_dpi())
    return _new_document(data, builder(data, qr_px, breaks), compact=compact)


def _new_document(
    data: FormData, body: str, *, compact: bool = False,
    page: tuple[QPagedPaintDevice, float, float] | None = None,
) -> QTextDocument:
    """A document for ``data`` holding the HTML ``body``: fonts, style sheet, images, title.

    ``page`` (device, width, height): lay it out for that device from the start
    (otherwise it is first laid out for the screen, and again by :func:`_fit`).
    """
    family = ensure_fonts()
    document = QTextDocument()
    document.setDocumentMargin(0)
    if page is not None:
        _fit(document, *page)
    font = QFont(family)
    font.setPointSizeF(BODY_PT)
    document.setDefaultFont(font)
    css = _template("style.css").template
    if compact:
        css += "\n" + _template("compact.css").template
    document.setDefaultStyleSheet(css)
    image = QTextDocument.ResourceType.ImageResource
    document.addResource(image, QUrl("rule:black"), _rule_image())
    if data.dossier_code:
        document.addResource(image, QUrl("qr:code"), _qr_resource(data.dossier_code))
    document.setHtml(body)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, default_title(data))
    document.setProperty(_FOOTER_PROPERTY, _footer_label(data))
    return document


def build_document(data: FormData) -> QTextDocument:
    """The form as a page-sized ``QTextDocument`` (A4 body, portrait or landscape, laid out
    for the screen).

    The document carries its images (``qr:code``, the header rules) as
    resources and its title as ``DocumentTitle`` meta information. Paint it
    with :func:`print_to`, which lays the form out again for the target device.
    """
    document = _make_document(data)
    dpi = _screen_dpi()
    body = page_layout(data).paintRect(QPageLayout.Unit.Millimeter)
    document.setPageSize(QSizeF(body.width() / 25.4 * dpi, (body.height() - FOOTER_MM) / 25.4 * dpi))
    with _sources_lock:
        _SOURCES[document] = data
    return document


# --------------------------------------------------------------------------- painting


def _print_palette() -> QPalette:
    """Black on white whatever the desktop theme (a dark theme must not print white text)."""
    palette = QPalette()
    black, white = QColor(0, 0, 0), QColor(255, 255, 255)
    for role, color in (
        (QPalette.ColorRole.Text, black),
        (QPalette.ColorRole.WindowText, black),
        (QPalette.ColorRole.Base, white),
        (QPalette.ColorRole.Window, white),
    ):
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, color)
    return palette


def _row_extent(document: QTextDocument, table: QTextTable, row: int) -> tuple[float, float]:
    """Top of the first line and bottom of the last line of a table row, in layout units."""
    layout = document.documentLayout()
    tops, bottoms = [], []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        if cell.row() != row or cell.column() != column:
            continue
        tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    return (min(tops), max(bottoms)) if tops else (0.0, 0.0)


def _straddles(top: float, bottom: float, page_height: float) -> bool:
    return int(top // page_height) != int((bottom - 1) // page_height)


def _block_before(document: QTextDocument, frame: QTextFrame) -> QTextBlock | None:
    """The last non-empty paragraph before ``frame``, if it is not inside a table."""
    block = document.findBlock(frame.firstPosition() - 1)
    while block.isValid() and not block.text().strip():
        block = block.previous()
    if not block.isValid() or QTextCursor(block).currentTable() is not None:
        return None
    return block


def _break_before(block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)


def _row_tables(document: QTextDocument) -> list[QTextTable]:
    """The top-level tables with header rows: the components tables, in order."""
    return [
        frame
        for frame in document.rootFrame().childFrames()
        if isinstance(frame, QTextTable) and frame.format().headerRowCount() > 0
    ]


def _first_split_row(document: QTextDocument, page_height: float) -> int | None:
    """Index (over all components tables) of the first row split by a page break.

    Rows taller than most of a page are left to split: they cannot be kept whole.
    """
    offset = 0
    for table in _row_tables(document):
        header_rows = table.format().headerRowCount()
        for row in range(header_rows, table.rows()):
            top, bottom = _row_extent(document, table, row)
            if bottom - top < 0.8 * page_height and _straddles(top, bottom, page_height):
                return offset + row - header_rows
        offset += table.rows() - header_rows
    return None


def _fit(document: QTextDocument, device: QPagedPaintDevice, width: float, height: float) -> None:
    document.setDocumentMargin(0)
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(QSizeF(width, height))


def _device_document(
    source: QTextDocument, device: QPagedPaintDevice, width: float, height: float
) -> QTextDocument:
    """``source`` laid out for ``device``, paginated like a person would do it by hand.

    A form made by :func:`build_document` is built again from its data with the
    components table split before any row that a page break would cut in two
    (the new table starts on the next page under a repeated header); the
    paragraph introducing the table goes along when even its first row does not
    fit; the closing signatures are never split nor left alone on a page. When
    that costs a page, a tighter spacing (``compact.css``) is tried and kept if
    it saves the page. Any other document is printed as it is (a copy of it).
    """
    with _sources_lock:
        data = _SOURCES.get(source)
    if data is None:
        document = source.clone()
        _fit(document, device, width, height)
        return document
    document = _paginate(data, device, width, height, compact=False)
    if document.pageCount() > 1:
        tighter = _paginate(data, device, width, height, compact=True)
        if tighter.pageCount() < document.pageCount():
            return tighter
    return document


def _paginate(
    data: FormData, device: QPagedPaintDevice, width: float, height: float, *, compact: bool
) -> QTextDocument:
    breaks: set[int] = set()
    heading_break = False
    rows = _row_count(data)
    for _attempt in range(rows + 2):
        document = _make_document(data, frozenset(breaks), compact=compact)
        _fit(document, device, width, height)
        tables = _row_tables(document)
        if heading_break and tables and (block := _block_before(document, tables[0])):
            _break_before(block)
        split = _first_split_row(document, height)
        if split is None or split in breaks or (split == 0 and heading_break):
            break
        if split == 0:
            heading_break = True
        else:
            breaks.add(split)
    _keep_closing_table_together(document, height)
    return document


def _row_count(data: FormData) -> int:
    """Rows of the form's splittable table (components, missing papers, hand-overs)."""
    if isinstance(data, ControlSlipData):
        return len(data.hand_overs) + data.blank_rows
    if isinstance(data, ReportData):
        return len(data.rows)
    return len(getattr(data, "components", getattr(data, "missing", ())))


# --------------------------------------------------------------------------- the book


def _rows_on_first_page(document: QTextDocument, table: QTextTable, height: float,
                        pad: float) -> int:
    """How many body rows of ``table`` (laid out on one endless page) end above ``height``,
    with the padding and the rule below them (``pad``: the cell padding)."""
    header_rows = table.format().headerRowCount()
    previous: float | None = None  # bottom of the row before
    gap = 2.5 * pad  # until measured: padding below, the rule, padding above
    for row in range(header_rows, table.rows()):
        top, bottom = _row_extent(document, table, row)
        if previous is not None:
            gap = top - previous  # from a row's last line to the next row's first
        if bottom + gap - pad > height:
            return row - header_rows
        previous = bottom
    return table.rows() - header_rows


def _book_pages(data: TrackingBookData, device: QPagedPaintDevice, width: float,
                height: float) -> list[QTextDocument]:
    """The book as one document per page.

    A page document holds the heading (first page only) and the next rows, a
    few more than fitted on the page before, laid out on one endless page (so
    Qt moves no row to a next page: they follow each other as on paper). The
    rows that end below the page's foot are removed from it and start the next
    page. Each row is laid out about 1.2 times: the cost grows linearly with
    the rows. A row taller than a page gets a page of its own (and is cut there).
    """
    rows = len(data.rows)
    pad = BOOK_CELL_PADDING_PX * device.logicalDpiY() / CSS_DPI
    endless = (device, width, 64 * height)
    pages: list[QTextDocument] = []
    start, fitted = 0, 12
    while start < rows or not pages:
        want = fitted + max(2, fitted // 4)
        while True:
            stop = min(rows, start + want)
            document = _new_document(data, _book_html(data, start, stop, heading=not pages),
                                     page=endless)
            table = _row_tables(document)[0]
            fits = _rows_on_first_page(document, table, height, pad)
            if fits < stop - start or stop >= rows:
                break
            want *= 2  # everything fitted with room to spare: try more rows
        fits = max(fits, 1) if stop > start else 0  # a row taller than a page: alone, cut
        if fits < stop - start:
            table.removeRows(table.format().headerRowCount() + fits, stop - start - fits)
        pages.append(document)
        fitted = max(fits, 1)
        start += fits
    return pages


def _keep_closing_table_together(document: QTextDocument, page_height: float) -> None:
    """Never split the last top-level table (the signatures) over two pages.

    When it would be split, or would start a page by itself, it goes to the
    next page together with the paragraph before it, so that page does not
    hold the signatures alone.
    """
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    if not tables:
        return
    closing = tables[-1]
    layout = document.documentLayout()
    rect = layout.frameBoundingRect(closing)
    if rect.height() >= page_height:
        return
    before = _block_before(document, closing)
    before_top = layout.blockBoundingRect(before).top() if before is not None else rect.top()
    split = _straddles(rect.top(), rect.bottom(), page_height)
    alone = int(before_top // page_height) != int(rect.top() // page_height)
    if not (split or alone):
        return
    if before is not None and rect.bottom() - before_top < page_height:
        _break_before(before)
    else:
        fmt = closing.format()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        closing.setFormat(fmt)


def _device_pages(
    source: QTextDocument, device: QPagedPaintDevice, width: float, height: float
) -> list[tuple[QTextDocument, int]]:
    """The pages to paint, each as (document laid out for ``device``, page of it)."""
    with _sources_lock:
        data = _SOURCES.get(source)
    if isinstance(data, TrackingBookData):
        return [(page, 0) for page in _book_pages(data, device, width, height)]
    document = _device_document(source, device, width, height)
    return [(document, page) for page in range(document.pageCount())]


def print_to(document: QTextDocument, device: QPagedPaintDevice) -> None:
    """Paint ``document`` onto ``device`` (QPdfWriter, QPrinter, a preview's printer).

    The device's own page layout and resolution are used (see
    :func:`apply_page_layout` for the forms' A4 layout). The caller's document
    is not changed: a form from :func:`build_document` is laid out again from
    its data for the device (:func:`_device_document`), any other document is
    copied. Pages are numbered at the foot ("Mã hồ sơ … — Trang i/n") when
    there is more than one. Raises ``RuntimeError`` if the device cannot be
    painted on (no printer, unwritable file).
    """
    family = ensure_fonts()
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("Không mở được máy in hoặc tệp PDF để in biểu mẫu.")
    # Images (the QR code) go into a PDF losslessly: JPEG would blur the modules.
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    try:
        width, height = float(device.width()), float(device.height())
        footer = FOOTER_MM / 25.4 * device.logicalDpiY()
        body_height = height - footer
        sheets = _device_pages(document, device, width, body_height)
        pages = len(sheets)

        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = _print_palette()
        footer_label = str(document.property(_FOOTER_PROPERTY) or "")
        footer_font = QFont(family)
        footer_font.setPointSizeF(9)
        for page, (doc, index) in enumerate(sheets):
            if page and not device.newPage():
                raise RuntimeError("Không sang được trang mới khi in biểu mẫu.")
            top = index * body_height
            painter.save()
            painter.translate(0, -top)
            clip = QRectF(0, top, width, body_height)
            painter.setClipRect(clip)
            context.clip = clip
            doc.documentLayout().draw(painter, context)
            painter.restore()
            if pages > 1:
                text = f"Trang {page + 1}/{pages}"
                if footer_label:
                    text = f"{footer_label} — {text}"
                painter.save()
                painter.setFont(footer_font)
                painter.setPen(QColor(0, 0, 0))
                painter.drawText(
                    QRectF(0, body_height, width, footer),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                    text,
                )
                painter.restore()
    finally:
        painter.end()


# --------------------------------------------------------------------------- PDF


def _pdf_writer(target: str | QIODevice, title: str, data: FormData) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(data))
    writer.setTitle(title)
    writer.setCreator(CREATOR)
    return writer


def pdf_bytes(data: FormData, *, title: str | None = None) -> bytes:
    """The form as a PDF (A4 in the form's orientation, 300 dpi, fonts embedded)."""
    if isinstance(data, TrackingBookData):
        # print_to makes the book's pages from its data: the screen document of a long
        # book (seconds to build) would go unused.
        document = _new_document(data, _book_html(data, 0, 0, heading=True))
        with _sources_lock:
            _SOURCES[document] = data
    else:
        document = build_document(data)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _pdf_writer(buffer, title or default_title(data), data)
    print_to(document, writer)
    del writer
    buffer.close()
    return bytes(buffer.data().data())


def write_pdf(data: FormData, path: Path, *, title: str | None = None) -> Path:
    """Write the form to ``path`` (atomically: a partial file never replaces a good one)."""
    path = Path(path)
    content = pdf_bytes(data, title=title)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("xb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
