"""Mẫu 04 (apology), 05 (control slip) and 06 (tracking book) as real PDFs, read back with pypdf."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime

import pytest
from PySide6.QtGui import QImage, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from forms import (
    HandOverLine,
    apply_page_layout,
    build_document,
    page_layout,
    print_to,
    write_pdf,
)
from forms.context import TrackingBookData
from forms.render import FORM_NAMES, default_title

A4_LANDSCAPE = (841.89, 595.28)
pytestmark = pytest.mark.usefixtures("gui")


def squeeze(text: str) -> str:
    """Without any white space: a code wrapped in a narrow cell reads in one piece."""
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- Mẫu 04


def test_apology_prints_every_field(tmp_path, apology, read_pdf):
    pdf = read_pdf(write_pdf(apology, tmp_path / "xin-loi.pdf"))
    text = pdf.text

    assert len(pdf.pages) == 1
    for expected in (
        "UBND TỈNH ĐỒNG NAI",
        "UBND XÃ TÂN PHÚ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã Tân Phú, ngày 24 tháng 11 năm 2026",  # the day the leader approved it
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi Ông (Bà): Nguyễn Thị Hồng Nhung",
        "Địa chỉ: Ấp 3, xã Tân Phú, tỉnh Đồng Nai",
        "Số điện thoại: 0912 345 678",
        "UBND xã Tân Phú xin lỗi Ông (Bà) về việc hồ sơ đề nghị giải quyết thủ tục hành chính "
        "Đăng ký kết hôn bị chậm so với thời hạn quy định.",
        "Ngày 20 tháng 11 năm 2026, UBND xã Tân Phú tiếp nhận hồ sơ của Ông (Bà), mã hồ sơ: "
        "000.00.01.H56-261120-0012",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 08 giờ 30 phút, ngày 25 tháng 11 năm 2026.",
        "Lý do: Chờ xác minh tình trạng hôn nhân của bên nữ tại nơi cư trú trước đây "
        "(UBND xã Hòa Bình, tỉnh Đồng Nai).",
        "sẽ trả kết quả giải quyết hồ sơ cho Ông (Bà) vào 16 giờ 00 phút, ngày 02 tháng 12 năm 2026",
        "Xin trân trọng cảm ơn sự hợp tác của Ông (Bà)./.",
        "Nơi nhận: - Như trên; - Lưu: VT.",
        "THỦ TRƯỞNG CƠ QUAN (Ký tên, đóng dấu) Đặng Quốc Bảo",
    ):
        assert expected in text, expected
    assert pdf.reader.metadata.title == (
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả – 000.00.01.H56-261120-0012")


def test_apology_signer_and_recipients_follow_the_data(tmp_path, apology, read_pdf):
    data = dataclasses.replace(apology, signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                               recipients=("Như trên", "Chủ tịch UBND xã", "Lưu: VT, BPMC"))

    text = read_pdf(write_pdf(data, tmp_path / "x.pdf")).text

    assert "Nơi nhận: - Như trên; - Chủ tịch UBND xã; - Lưu: VT, BPMC." in text
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Ký tên, đóng dấu) Đặng Quốc Bảo" in text


# --------------------------------------------------------------------------- Mẫu 05


def test_control_slip_lists_every_hand_over(tmp_path, control_slip, read_pdf):
    pdf = read_pdf(write_pdf(control_slip, tmp_path / "kiem-soat.pdf"))
    text = pdf.text

    assert len(pdf.pages) == 1
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Quyển số: 2026, Số thứ tự: 0001",
        "Mã hồ sơ: 000.00.01.H56-261127-0001",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Chủ hồ sơ: Nguyễn Thị Hồng Nhung",
        "Thời gian tiếp nhận hồ sơ: 08 giờ 15 phút, ngày 27 tháng 11 năm 2026",
        "Thời gian hẹn trả kết quả: 14 giờ 00 phút, ngày 03 tháng 12 năm 2026",
        "Cơ quan (bộ phận) giải quyết hồ sơ: UBND xã Tân Phú – Tư pháp - Hộ tịch",
        "Cơ quan phối hợp giải quyết hồ sơ: …………………",
        "TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ KẾT QUẢ GIẢI QUYẾT HỒ SƠ "
        "(Trước hạn/ Đúng hạn/ Quá hạn) GHI CHÚ",
        "1. Giao: Trần Thị Thu Hà (Bộ phận một cửa) 2. Nhận: Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch) "
        "09 giờ 05 phút, ngày 27/11/2026 Người giao Người nhận Trước hạn",
        "1. Giao: Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch) 2. Nhận: Bộ phận tiếp nhận và trả kết quả "
        "10 giờ 40 phút, ngày 03/12/2026 Người giao Người nhận Đúng hạn",
        "2. Nhận: Nguyễn Thị Hồng Nhung (chủ hồ sơ) 08 giờ 00 phút, ngày 04/12/2026 "
        "Người giao Người nhận Quá hạn Trả tại Bộ phận một cửa",
        # the dotted row for the next hand-over, written in by hand
        "1. Giao: ………………… 2. Nhận: ………………… …… giờ …… phút, ngày ……/……/……… "
        "Người giao Người nhận",
    ):
        assert expected in text, expected
    assert text.count("Người giao Người nhận") == 4
    assert pdf.reader.metadata.title == (
        "Phiếu kiểm soát quá trình giải quyết hồ sơ – 000.00.01.H56-261127-0001")


def test_control_slip_qr_code_decodes_to_the_dossier_code(tmp_path, control_slip, read_pdf):
    zxingcpp = pytest.importorskip("zxingcpp")
    pdf = read_pdf(write_pdf(control_slip, tmp_path / "k.pdf"))
    qr = next(image for image in pdf.images(0) if int(image["/Width"]) > 100)
    width, height = int(qr["/Width"]), int(qr["/Height"])
    data = qr.get_data()
    fmt = (QImage.Format.Format_RGB888 if len(data) == 3 * width * height
           else QImage.Format.Format_Grayscale8)
    image = QImage(data, width, height, len(data) // height, fmt).copy()

    assert [r.text for r in zxingcpp.read_barcodes(image)] == [control_slip.dossier_code]


def test_a_long_control_slip_keeps_each_hand_over_whole(tmp_path, control_slip, read_pdf):
    lines = tuple(
        HandOverLine(f"Cán bộ giao số {i:02d} (Bộ phận một cửa)", f"Cán bộ nhận số {i:02d} (Địa chính)",
                     datetime(2026, 11, 27 + i // 10, 8 + i % 9, i), "Trước hạn", f"Lần {i:02d}")
        for i in range(14)
    )
    pdf = read_pdf(write_pdf(dataclasses.replace(control_slip, hand_overs=lines),
                             tmp_path / "dai.pdf"))

    pages = [pdf.page_text(i) for i in range(len(pdf.pages))]
    assert len(pages) >= 2
    assert pages[1].startswith("TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ")  # headings repeated
    text = " ".join(pages)
    for line in lines:
        # a row is never split over two pages: from the giver to the note in one piece
        assert re.search(re.escape(f"1. Giao: {line.giver}") + r".*?Người giao Người nhận "
                         + re.escape(f"Trước hạn {line.note}"), text), line.giver
        assert sum(f"Giao: {line.giver}" in page for page in pages) == 1
    assert pages[-1].endswith(f"Mã hồ sơ: {control_slip.dossier_code} — Trang {len(pages)}/"
                              f"{len(pages)}")


# --------------------------------------------------------------------------- Mẫu 06


def test_tracking_book_has_one_row_per_dossier_on_landscape_pages(tmp_path, tracking_book,
                                                                  read_pdf):
    pdf = read_pdf(write_pdf(tracking_book, tmp_path / "so.pdf"))
    pages = [pdf.page_text(i) for i in range(len(pdf.pages))]

    for page in pdf.pages:
        assert float(page.mediabox.width) == pytest.approx(A4_LANDSCAPE[0], abs=1.5)
        assert float(page.mediabox.height) == pytest.approx(A4_LANDSCAPE[1], abs=1.5)
        assert page.get("/Rotate") in (None, 0)
    first = pages[0]
    for expected in (
        "UBND TỈNH ĐỒNG NAI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã Tân Phú, ngày 01 tháng 12 năm 2026",
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01/11/2026 đến ngày 30/11/2026 — Tổng số: 40 hồ sơ",
        "1 000.00.01.H56- 261102-0001 Đăng ký khai sinh 1 Nguyễn Thị Hồng Nhung "
        "Ấp 1, xã Tân Phú, tỉnh Đồng Nai 0912 345 000 02/11/2026 05/11/2026 04/11/2026 "
        "05/11/2026 Trần Thị Thu Hà Nguyễn Thị Hồng Nhung (chủ hồ sơ) Trần Thị Thu Hà",
    ):
        assert expected in first, expected
    headings = ("STT Mã hồ sơ Nội dung hồ sơ Số lượng (bộ) Họ tên chủ hồ sơ Địa chỉ Số điện thoại "
                "Nhận hồ sơ Hẹn trả kết quả Chuyển hồ sơ đến cơ quan giải quyết Nhận kết quả từ cơ "
                "quan giải quyết Trả kết quả Người nhận hồ sơ Ghi chú Ngày Bên giao Bên nhận")
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert headings in page  # the column headings on every page
        assert page.endswith("Sổ theo dõi hồ sơ từ ngày 01/11/2026 đến ngày 30/11/2026 — "
                             f"Trang {number}/{len(pages)}")
    assert sum("SỔ THEO DÕI HỒ SƠ" in page for page in pages) == 1
    flat = squeeze(" ".join(pages))
    positions = []
    for row in tracking_book.rows:
        assert flat.count(squeeze(row.dossier_code)) == 1, row.dossier_code
        positions.append(flat.index(squeeze(row.dossier_code)))
    assert positions == sorted(positions)  # in reception order
    assert "Côngdânrúthồsơ" in flat
    assert pdf.reader.metadata.title == (
        "Sổ theo dõi hồ sơ – từ ngày 01/11/2026 đến ngày 30/11/2026")


def test_a_long_book_never_splits_a_row(tmp_path, office, make_book_rows, read_pdf):
    rows = tuple(
        dataclasses.replace(
            row, applicant_address=f"Số {i} đường Nguyễn Văn Cừ, khu phố {i % 9}, ấp Tân Hòa, "
                                   f"xã Tân Phú, tỉnh Đồng Nai, cuốidòng{i:03d}")
        for i, row in enumerate(make_book_rows(120))
    )
    book = TrackingBookData(office, date(2026, 11, 1), date(2026, 11, 30), rows, len(rows),
                            datetime(2026, 12, 1, 8, 0))
    pdf = read_pdf(write_pdf(book, tmp_path / "dai.pdf"))

    pages = [squeeze(pdf.page_text(i)) for i in range(len(pdf.pages))]
    assert len(pages) >= 8
    for i, row in enumerate(rows):
        on = [n for n, page in enumerate(pages) if squeeze(row.dossier_code) in page]
        assert len(on) == 1, row.dossier_code
        # the last line of the row's tallest cell is on the same page as its first line
        assert f"cuốidòng{i:03d}" in pages[on[0]]
    assert all(page.startswith("STTMãhồsơ") for page in pages[1:])


def test_an_empty_book_says_so(tmp_path, office, read_pdf):
    book = TrackingBookData(office, date(2026, 11, 1), date(2026, 11, 30), (), 0,
                            datetime(2026, 12, 1, 8, 0))
    pdf = read_pdf(write_pdf(book, tmp_path / "rong.pdf"))

    assert len(pdf.pages) == 1
    assert "Tổng số: 0 hồ sơ" in pdf.text
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ này." in pdf.text


def test_the_book_declares_landscape_and_the_slips_portrait(tracking_book, control_slip, apology):
    assert page_layout(tracking_book).orientation() == QPageLayout.Orientation.Landscape
    for data in (control_slip, apology, None):
        assert page_layout(data).orientation() == QPageLayout.Orientation.Portrait
    document = build_document(tracking_book)
    assert document.pageSize().width() > document.pageSize().height()
    assert default_title(tracking_book).startswith(FORM_NAMES[TrackingBookData])


def test_print_preview_of_the_book_is_landscape(qapp, tmp_path, tracking_book, read_pdf):
    """What the preview dialog does: the printer takes the book's layout, then print_to."""
    document = build_document(tracking_book)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    assert apply_page_layout(printer, tracking_book)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    preview = QPrintPreviewWidget(printer)
    preview.paintRequested.connect(lambda p: print_to(document, p))
    preview.updatePreview()
    pages = preview.pageCount()
    assert pages > 1

    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_to(document, printer)
    pdf = read_pdf(tmp_path / "printed.pdf")
    assert len(pdf.pages) == pages
    assert float(pdf.pages[0].mediabox.width) == pytest.approx(A4_LANDSCAPE[0], abs=1.5)
    flat = squeeze(pdf.text)
    assert all(flat.count(squeeze(row.dossier_code)) == 1 for row in tracking_book.rows)
    preview.deleteLater()
