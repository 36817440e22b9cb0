"""The tracking book (Mẫu 06) as an XLSX workbook, read back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from forms import TrackingBookData
from forms.xlsx import COLUMNS, FIRST_ROW, HEADING_ROWS, write_tracking_book


def test_the_workbook_has_the_official_heading_and_one_row_per_dossier(tmp_path, tracking_book):
    path = tmp_path / "so-theo-doi.xlsx"
    assert write_tracking_book(tracking_book, path) == len(tracking_book.rows)

    ws = load_workbook(path).active
    assert ws.title == "Sổ theo dõi hồ sơ"
    assert ws["A1"].value == "UBND TỈNH ĐỒNG NAI"
    assert ws["A2"].value == "UBND XÃ TÂN PHÚ" and ws["A2"].font.b
    assert ws["J1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and ws["J1"].font.b
    assert ws["J2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws["J3"].value == "Xã Tân Phú, ngày 01 tháng 12 năm 2026"
    assert ws["A5"].value == "SỔ THEO DÕI HỒ SƠ" and ws["A5"].font.b
    assert ws["A6"].value == "Từ ngày 01/11/2026 đến ngày 30/11/2026 — Tổng số: 40 hồ sơ"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:F1", "J1:P1", "A5:P5", "A6:P6", "L8:N8", "A8:A9", "P8:P9"} <= merged

    top, sub = HEADING_ROWS
    headings = [ws.cell(top, c).value for c in range(1, len(COLUMNS) + 1)]
    assert headings == [
        "STT", "Mã hồ sơ", "Nội dung hồ sơ", "Số lượng (bộ)", "Họ tên chủ hồ sơ", "Địa chỉ",
        "Số điện thoại", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả", None, None, "Người nhận hồ sơ",
        "Ghi chú"]
    assert [ws.cell(sub, c).value for c in (12, 13, 14)] == ["Ngày", "Bên giao", "Bên nhận"]
    for c in (c for c, title in enumerate(headings, start=1) if title):
        cell = ws.cell(top, c)
        assert cell.font.b and cell.alignment.wrap_text and cell.border.top.style == "thin"
    assert ws.freeze_panes == f"A{FIRST_ROW}"
    assert ws.print_title_rows == f"${top}:${sub}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["C"].width >= 30 and ws.column_dimensions["A"].width <= 8

    first = [ws.cell(FIRST_ROW, c).value for c in range(1, len(COLUMNS) + 1)]
    assert first == [
        1, "000.00.01.H56-261102-0001", "Đăng ký khai sinh", 1, "Nguyễn Thị Hồng Nhung",
        "Ấp 1, xã Tân Phú, tỉnh Đồng Nai", "0912 345 000", datetime(2026, 11, 2),
        datetime(2026, 11, 5), None, datetime(2026, 11, 4), datetime(2026, 11, 5),
        "Trần Thị Thu Hà", "Nguyễn Thị Hồng Nhung (chủ hồ sơ)", "Trần Thị Thu Hà", None]
    received = ws.cell(FIRST_ROW, 8)
    assert received.number_format == "dd/mm/yyyy" and received.is_date
    assert ws.cell(FIRST_ROW, 3).alignment.wrap_text
    assert ws.cell(FIRST_ROW, 3).border.left.style == "thin"
    last = FIRST_ROW + len(tracking_book.rows) - 1
    assert ws.max_row == last
    assert ws.cell(last, 1).value == len(tracking_book.rows)
    assert ws.cell(last, 2).value == tracking_book.rows[-1].dossier_code
    notes = [ws.cell(r, 16).value for r in range(FIRST_ROW, last + 1)]
    assert notes.count("Công dân rút hồ sơ") == sum(1 for r in tracking_book.rows if r.note)


def test_rows_can_be_streamed(tmp_path, office, make_book_rows):
    rows = make_book_rows(25)
    book = TrackingBookData(office, date(2026, 11, 1), date(2026, 11, 30), (), 2500,
                            datetime(2026, 12, 1))
    path = tmp_path / "lon.xlsx"

    written = write_tracking_book(book, path, rows=(rows[i % 25] for i in range(2500)))

    assert written == 2500
    ws = load_workbook(path, read_only=True).active
    codes = [r[0] for r in ws.iter_rows(min_row=FIRST_ROW, min_col=2, max_col=2, values_only=True)]
    assert len(codes) == 2500 and codes[:2] == [rows[0].dossier_code, rows[1].dossier_code]


def test_an_unwritable_place_leaves_no_file(tmp_path, tracking_book):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_tracking_book(tracking_book, blocker / "so.xlsx")

    good = tmp_path / "so.xlsx"
    write_tracking_book(tracking_book, good)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder", "so.xlsx"]


def test_a_failure_while_writing_leaves_no_file(tmp_path, tracking_book):
    def rows():
        yield from tracking_book.rows[:5]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_tracking_book(tracking_book, tmp_path / "so.xlsx", rows=rows())

    assert list(tmp_path.iterdir()) == []
