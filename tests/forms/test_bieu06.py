"""Biểu số 06 as a printed form: the merged headings, one page for a commune, long reports."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop.domain import periods
from desktop.services.reports import definitions
from forms import write_pdf
from forms.context import HeadingCell, ReportColumn, ReportData, ReportRow

A4_LANDSCAPE = (841.89, 595.28)


def _columns() -> tuple[ReportColumn, ...]:
    printed = definitions.BIEU_06.printed_columns
    return (ReportColumn(("STT",), "(1)", numeric=False),
            ReportColumn(("Lĩnh vực giải quyết",), "(2)", numeric=False),
            *(ReportColumn(c.path, c.number) for c in printed))


def _report(office, rows: int) -> ReportData:
    period = periods.quarter(2026, 3)
    body = tuple(ReportRow(str(i), f"Lĩnh vực thứ {i}",
                           (11 * i, i, 5 * i, 5 * i, 9 * i, 3 * i, 3 * i, 3 * i, 2 * i, i, i))
                 for i in range(1, rows + 1))
    total = ReportRow("", "Tổng cộng", tuple(sum(r.values[j] for r in body) for j in range(11)),
                      total=True)
    return ReportData(
        office=office, form_label="Biểu số 06",
        issued_by="Ban hành kèm theo Thông tư số 01/2020/TT-VPCP",
        title=definitions.BIEU_06.title, period_name=period.name_vi,
        period_range=period.range_vi, reporting_unit=office.name,
        receiving_unit=office.parent_name, unit="Số hồ sơ TTHC", columns=_columns(),
        rows=(*body, total), issued_at=datetime(2026, 10, 5, 9, 0),
        notes=("Số hồ sơ công dân rút trong kỳ: 3.",))


def test_the_headings_of_bieu06_merge_as_on_the_official_form(office) -> None:
    data = _report(office, 1)
    assert data.depth == 3
    grid = {(c.row, c.column): c for c in data.heading_grid()}
    assert grid[(0, 0)] == HeadingCell("STT", 0, 0, rowspan=3)
    assert grid[(0, 1)] == HeadingCell("Lĩnh vực giải quyết", 0, 1, rowspan=3)
    assert grid[(0, 2)] == HeadingCell("Số hồ sơ nhận giải quyết", 0, 2, colspan=4)
    assert grid[(0, 6)] == HeadingCell("Kết quả giải quyết", 0, 6, colspan=7)
    assert grid[(1, 2)] == HeadingCell("Tổng số", 1, 2, rowspan=2)
    assert grid[(1, 3)] == HeadingCell("Trong đó", 1, 3, colspan=3)
    assert grid[(1, 6)] == HeadingCell("Số hồ sơ đã giải quyết", 1, 6, colspan=4)
    assert grid[(1, 10)] == HeadingCell("Số hồ sơ đang giải quyết", 1, 10, colspan=3)
    assert [grid[(2, c)].text for c in range(3, 13)] == [
        "Từ kỳ trước chuyển qua", "Mới tiếp nhận trực tuyến",
        "Mới tiếp nhận trực tiếp hoặc qua bưu chính", "Tổng số", "Trước hạn", "Đúng hạn",
        "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]
    # Every column is covered exactly once on every heading row.
    for level in range(3):
        covered = sorted(col for c in data.heading_grid()
                         if c.row <= level < c.row + c.rowspan
                         for col in range(c.column, c.column + c.colspan))
        assert covered == list(range(13))


@pytest.mark.usefixtures("gui")
def test_a_commune_report_is_one_landscape_page(office, tmp_path, read_pdf) -> None:
    pdf = read_pdf(write_pdf(_report(office, 8), tmp_path / "bieu06.pdf"))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1.5)
    text = pdf.text
    for expected in ("Biểu số 06", "Kỳ báo cáo: Quý III năm 2026 (Từ ngày 01/07/2026 đến ngày "
                     "30/09/2026)", "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)",
                     "Lĩnh vực thứ 8", "Tổng cộng 396 36 180 180 324 108 108 108 72 36 36",
                     "Số hồ sơ công dân rút trong kỳ: 3.", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ",
                     "(Ký tên, đóng dấu)"):
        assert expected in text, expected


@pytest.mark.usefixtures("gui")
def test_a_long_report_repeats_its_headings_and_splits_no_row(office, tmp_path,
                                                             read_pdf) -> None:
    pdf = read_pdf(write_pdf(_report(office, 45), tmp_path / "dai.pdf"))
    pages = len(pdf.pages)
    assert pages >= 2
    for i in range(pages):
        page = pdf.page_text(i)
        assert "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)" in page, i
        assert f"Trang {i + 1}/{pages}" in page
    text = pdf.text
    for i in range(1, 46):  # each row whole, once
        assert text.count(f"Lĩnh vực thứ {i} ") == 1, i
    last = pdf.page_text(pages - 1)
    assert "Tổng cộng" in last and "THỦ TRƯỞNG ĐƠN VỊ" in last
