"""Mẫu 06 — Sổ theo dõi hồ sơ as a spreadsheet (XLSX), with openpyxl; no Qt.

The sheet starts with the official heading rows (the agency on the left, the
national header on the right, the title, the period), then two rows of column
headings (bold, ruled, wrapped, frozen, repeated on every printed page), then
one row per dossier. Dates are real Excel dates shown as dd/mm/yyyy. The
workbook is written in openpyxl's write-only mode: rows stream to the file, so
a 100,000-row book never sits in memory. Pages are set up as A4 landscape,
one page wide.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from forms.context import OfficeInfo, TrackingBookData, TrackingBookRow

__all__ = ["COLUMNS", "FIRST_ROW", "HEADING_ROWS", "write_tracking_book"]

FONT_NAME = "Times New Roman"  # the administrative typeface every office PC has
DATE_FORMAT = "dd/mm/yyyy"
STYLE_HEADING = "Sổ theo dõi – tiêu đề"
STYLE_PLAIN_HEADING = "Sổ theo dõi – cơ quan chủ quản"
STYLE_TITLE = "Sổ theo dõi – tên sổ"
STYLE_PERIOD = "Sổ theo dõi – kỳ"
STYLE_COLUMN = "Sổ theo dõi – tên cột"
STYLE_TEXT = "Sổ theo dõi – chữ"
STYLE_CENTRED = "Sổ theo dõi – số"
STYLE_DATE = "Sổ theo dõi – ngày"

#: (heading, sub-heading under "Trả kết quả" or "", width in characters), one per column.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("STT", "", 6),
    ("Mã hồ sơ", "", 27),
    ("Nội dung hồ sơ", "", 40),
    ("Số lượng (bộ)", "", 9),
    ("Họ tên chủ hồ sơ", "", 24),
    ("Địa chỉ", "", 34),
    ("Số điện thoại", "", 15),
    ("Nhận hồ sơ", "", 12),
    ("Hẹn trả kết quả", "", 12),
    ("Chuyển hồ sơ đến cơ quan giải quyết", "", 14),
    ("Nhận kết quả từ cơ quan giải quyết", "", 14),
    ("Trả kết quả", "Ngày", 12),
    ("Trả kết quả", "Bên giao", 20),
    ("Trả kết quả", "Bên nhận", 26),
    ("Người nhận hồ sơ", "", 20),
    ("Ghi chú", "", 26),
)
HEADING_ROWS = (8, 9)  # the two rows of column headings
FIRST_ROW = 10  # the first dossier
_DATE_COLUMNS = frozenset({8, 9, 10, 11, 12})  # 1-based
_LAST = get_column_letter(len(COLUMNS))


def _named_styles(workbook: Workbook) -> None:
    """The sheet's styles, registered once as named styles ("Sổ theo dõi – …").

    A write-only sheet styles each cell on its own; giving a cell a named style
    costs a lookup, while setting its font, border and alignment one by one
    hashes each of them (eight times slower over 100,000 rows).
    """
    thin = Side(style="thin", color="000000")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = {"wrap_text": True}
    plain, bold = Font(name=FONT_NAME, size=11), Font(name=FONT_NAME, size=11, bold=True)
    centre = Alignment(horizontal="center", vertical="center", **wrap)
    for name, font, alignment, border, number_format in (
        (STYLE_HEADING, bold, centre, Border(), "General"),
        (STYLE_TITLE, Font(name=FONT_NAME, size=14, bold=True), centre, Border(), "General"),
        (STYLE_PLAIN_HEADING, plain, centre, Border(), "General"),
        (STYLE_PERIOD, Font(name=FONT_NAME, size=12, italic=True), centre, Border(), "General"),
        (STYLE_COLUMN, bold, centre, ruled, "General"),
        (STYLE_TEXT, plain, Alignment(horizontal="left", vertical="top", **wrap), ruled,
         "General"),
        (STYLE_CENTRED, plain, Alignment(horizontal="center", vertical="top", **wrap), ruled,
         "General"),
        (STYLE_DATE, plain, Alignment(horizontal="center", vertical="top", **wrap), ruled,
         DATE_FORMAT),
    ):
        workbook.add_named_style(NamedStyle(name=name, font=font, alignment=alignment,
                                            border=border, number_format=number_format))


def _cell(ws: WriteOnlyWorksheet, value: object, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.style = style
    return cell


def _period(book: TrackingBookData) -> str:
    total = f"{book.total:,}".replace(",", ".")
    return (f"Từ ngày {book.start:%d/%m/%Y} đến ngày {book.end:%d/%m/%Y} — "
            f"Tổng số: {total} hồ sơ")


def _place_date(office: OfficeInfo, moment: datetime) -> str:
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    text = f"ngày {moment.day:02d} tháng {month} năm {moment.year}"
    return f"{office.place_name}, {text}" if office.place_name else text


def _heading(ws: WriteOnlyWorksheet, book: TrackingBookData) -> None:
    """Rows 1–9: agency and national header, title, period, the column headings."""
    width = len(COLUMNS)
    left, right = 6, 10  # the agency spans A–F, the national header J–P

    def line(cells: dict[int, WriteOnlyCell]) -> list[object]:
        return [cells.get(c) for c in range(1, width + 1)]

    office = book.office
    ws.append(line({1: _cell(ws, office.parent_name.upper() or None, STYLE_PLAIN_HEADING),
                    right: _cell(ws, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", STYLE_HEADING)}))
    ws.append(line({1: _cell(ws, office.name.upper(), STYLE_HEADING),
                    right: _cell(ws, "Độc lập - Tự do - Hạnh phúc", STYLE_HEADING)}))
    ws.append(line({right: _cell(ws, _place_date(office, book.issued_at), STYLE_PERIOD)}))
    ws.append([])
    ws.append(line({1: _cell(ws, "SỔ THEO DÕI HỒ SƠ", STYLE_TITLE)}))
    ws.append(line({1: _cell(ws, _period(book), STYLE_PERIOD)}))
    ws.append([])
    for row in (1, 2):
        ws.merged_cells.add(f"A{row}:{get_column_letter(left)}{row}")
    for row in (1, 2, 3):
        ws.merged_cells.add(f"{get_column_letter(right)}{row}:{_LAST}{row}")
    for row in (5, 6):
        ws.merged_cells.add(f"A{row}:{_LAST}{row}")

    top, sub = HEADING_ROWS
    first = [_cell(ws, title, STYLE_COLUMN) for title, _, _ in COLUMNS]
    second = [_cell(ws, subtitle or None, STYLE_COLUMN) for _, subtitle, _ in COLUMNS]
    ws.append(first)
    ws.append(second)
    group = [i for i, (_, subtitle, _) in enumerate(COLUMNS, start=1) if subtitle]
    for column, (_, subtitle, _) in enumerate(COLUMNS, start=1):
        if not subtitle:
            letter = get_column_letter(column)
            ws.merged_cells.add(f"{letter}{top}:{letter}{sub}")
    ws.merged_cells.add(f"{get_column_letter(group[0])}{top}:{get_column_letter(group[-1])}{top}")


def _as_date(value: datetime | date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _values(number: int, row: TrackingBookRow) -> tuple[object, ...]:
    return (
        number, row.dossier_code, row.procedure_name, row.sets_count, row.applicant_name,
        row.applicant_address, row.applicant_phone, _as_date(row.received_at),
        _as_date(row.due_at), _as_date(row.handed_over_at), _as_date(row.finished_at),
        _as_date(row.returned_at), row.returned_by, row.returned_to, row.received_by,
        row.note,
    )


def _setup(ws: WriteOnlyWorksheet) -> None:
    """Column widths, frozen headings, A4 landscape one page wide: before any row is written."""
    for column, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{HEADING_ROWS[0]}:{HEADING_ROWS[1]}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_tracking_book(book: TrackingBookData, path: Path,
                        rows: Iterable[TrackingBookRow] | None = None) -> int:
    """Write the book to ``path`` (atomically); returns the number of dossier rows written.

    ``rows`` (an iterator, e.g. straight from the database) replaces ``book.rows``.
    ``OSError`` (a full disk, a read-only folder) leaves no partial file behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.open("xb").close()  # an unwritable folder fails now, before any row is read
    workbook = Workbook(write_only=True)
    _named_styles(workbook)
    ws = workbook.create_sheet("Sổ theo dõi hồ sơ")
    _setup(ws)
    _heading(ws, book)
    styles = [STYLE_DATE if c in _DATE_COLUMNS else STYLE_CENTRED if c in (1, 4) else STYLE_TEXT
              for c in range(1, len(COLUMNS) + 1)]
    count = 0
    try:
        for count, row in enumerate(book.rows if rows is None else rows, start=1):
            ws.append([_cell(ws, value if value != "" else None, style)
                       for value, style in zip(_values(count, row), styles, strict=True)])
        # Zipped in memory (a few MB even for 100,000 rows), then written out in one go: a
        # full disk then fails in our own write, not in a half-written zip openpyxl holds.
        content = BytesIO()
        workbook.save(content)
        with tmp.open("wb") as fh:
            fh.write(content.getbuffer())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        _discard(ws)
        raise
    return count


def _discard(ws: WriteOnlyWorksheet) -> None:
    """After a failure: end the sheet's row stream and remove openpyxl's temporary file
    (left alone, the stream would write to a closed file when collected)."""
    try:
        if not ws.closed:
            ws.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None and os.path.exists(writer.out):
            writer.cleanup()
    except (OSError, ValueError):
        pass
