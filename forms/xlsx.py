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

from forms.context import OfficeInfo, ReportData, TrackingBookData, TrackingBookRow

__all__ = ["COLUMNS", "FIRST_ROW", "HEADING_ROWS", "REPORT_FIRST_HEADING_ROW", "write_report",
           "write_tracking_book"]

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


# --------------------------------------------------------------- periodic reports (Biểu 06)

REPORT_FIRST_HEADING_ROW = 9  # the column headings of a periodic report start here


def write_report(data: ReportData, path: Path) -> int:
    """A periodic report of counts (Biểu số 06) as a spreadsheet, written atomically.

    The same layout as the printed form: the form label (top right), the
    national header, the title, the period and the units, the merged column
    headings (``data.heading_grid()``) and the numbers row, one row per field
    and the bold total row (real numbers, as values), the notes and the
    signatures. A4 landscape, one page wide. Returns the number of body rows.
    """
    from openpyxl.styles import Alignment, Border, Font, Side

    path = Path(path)
    width = len(data.columns)
    last = get_column_letter(width)
    right = max(1, width - 2)  # the form label: the last three columns
    thin = Side(style="thin", color="000000")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)

    def font(size: float = 11, **kw: bool) -> Font:
        return Font(name=FONT_NAME, size=size, **kw)

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    workbook = Workbook()
    ws = workbook.active
    ws.title = data.form_label[:31] or "Báo cáo"

    def put(row: int, column: int, value: object, *, span: int = 1, f: Font | None = None,
            align: Alignment | None = None) -> None:
        cell = ws.cell(row=row, column=column, value=value)
        cell.font = f or font()
        cell.alignment = align or centre
        if span > 1:
            ws.merge_cells(start_row=row, start_column=column, end_row=row,
                           end_column=column + span - 1)

    office = data.office
    half = max(1, width // 3)
    put(1, right, data.form_label, span=width - right + 1, f=font(12, bold=True))
    put(2, right, data.issued_by, span=width - right + 1, f=font(10, italic=True))
    put(3, 1, office.parent_name.upper() or None, span=half)
    put(3, half + 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", span=right - half - 1,
        f=font(bold=True))
    put(4, 1, office.name.upper(), span=half, f=font(bold=True))
    put(4, half + 1, "Độc lập - Tự do - Hạnh phúc", span=right - half - 1, f=font(bold=True))
    put(5, half + 1, _place_date(office, data.issued_at), span=right - half - 1,
        f=font(italic=True))
    put(6, 1, data.title.upper(), span=width, f=font(13, bold=True))
    ws.row_dimensions[6].height = 36
    put(7, 1, f"Kỳ báo cáo: {data.period_name} ({data.period_range})", span=width, f=font(12))
    left = Alignment(horizontal="left", vertical="center")
    put(8, 1, f"Đơn vị báo cáo: {data.reporting_unit}", span=half, align=left)
    put(8, half + 1, f"Đơn vị nhận báo cáo: {data.receiving_unit}", span=right - half - 1,
        align=left)
    put(8, right, f"Đơn vị tính: {data.unit}", span=width - right + 1, f=font(italic=True),
        align=Alignment(horizontal="right", vertical="center"))

    top = REPORT_FIRST_HEADING_ROW
    heading = font(10, bold=True)
    for c in data.heading_grid():
        row, column = top + c.row, c.column + 1
        ws.cell(row=row, column=column, value=c.text)
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=row, start_column=column,
                           end_row=row + c.rowspan - 1, end_column=column + c.colspan - 1)
    numbers_row = top + data.depth
    for column, c in enumerate(data.columns, start=1):
        ws.cell(row=numbers_row, column=column, value=c.number)
    for row in range(top, numbers_row + 1):
        for column in range(1, width + 1):
            cell = ws.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border = heading, centre, ruled
    body = numbers_row + 1
    labels = sum(1 for c in data.columns if not c.numeric)  # STT and the label, or the label
    for offset, r in enumerate(data.rows):
        row = body + offset
        f = font(11, bold=r.total)
        number = int(r.number) if r.number.isdigit() else (r.number or None)
        values: list[object] = [number, r.label] if labels == 2 else [r.label]
        values += r.values
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            cell.font, cell.border = f, ruled
            numeric = data.columns[column - 1].numeric
            cell.alignment = Alignment(
                horizontal="right" if numeric else ("center" if column == 1 or r.total
                                                    else "left"),
                vertical="center", wrap_text=True)
            if numeric:
                cell.number_format = "#,##0"
    end = body + len(data.rows)
    for offset, note in enumerate(data.notes):
        put(end + 1 + offset, 1, note, span=width, f=font(10, italic=True), align=left)
    sign = end + 2 + len(data.notes)
    quarter = max(1, width // 2)
    for column, span, role, hint, name in (
            (1, quarter, data.signers[0], "(Ký, ghi rõ họ tên)", data.signer_names[0]),
            (quarter + 1, width - quarter, data.signers[1], "(Ký tên, đóng dấu)",
             data.signer_names[1])):
        put(sign, column, role, span=span, f=font(bold=True))
        put(sign + 1, column, hint, span=span, f=font(italic=True))
        if name:
            put(sign + 5, column, name, span=span, f=font(bold=True))

    widths = {0: 6.0}
    for column, c in enumerate(data.columns):
        w = widths.get(column, 12.0 if c.numeric else 34.0)
        ws.column_dimensions[get_column_letter(column + 1)].width = w
    for row in range(top, numbers_row):
        ws.row_dimensions[row].height = 30 if row < numbers_row - 1 else 60
    ws.freeze_panes = f"A{body}"
    ws.print_title_rows = f"{top}:{numbers_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{last}{sign + 6}"

    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        content = BytesIO()
        workbook.save(content)
        with tmp.open("xb") as fh:
            fh.write(content.getbuffer())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(data.rows)
