"""The printed forms as a citizen gets them: real PDF files, read back with pypdf."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from forms import ComponentLine, PersonInfo, build_document, pdf_bytes, print_to, write_pdf
from forms.render import FORM_NAMES, qr_image

ROOT = Path(__file__).resolve().parents[2]
A4_POINTS = (595.28, 841.89)
PORTRAIT_FORMS = ["receipt", "supplement", "refusal", "apology", "control_slip"]

pytestmark = pytest.mark.usefixtures("gui")


def form(request: pytest.FixtureRequest, name: str):
    return request.getfixturevalue(name)


# --------------------------------------------------------------------------- Mẫu 01


def test_receipt_prints_every_field(tmp_path, receipt, read_pdf):
    path = write_pdf(receipt, tmp_path / "giay-hen.pdf")

    assert path == tmp_path / "giay-hen.pdf"
    pdf = read_pdf(path)
    text = pdf.text
    assert len(pdf.pages) == 1
    for expected in (
        # national header, place and date
        "UBND TỈNH ĐỒNG NAI",
        "UBND XÃ TÂN PHÚ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã Tân Phú, ngày 27 tháng 11 năm 2026",
        # title, code, log book
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "000.00.01.H56-261127-0001",
        "Quyển số: 03",
        "Số thứ tự: 0001",
        # who and what
        "Tiếp nhận hồ sơ của Ông (Bà): Nguyễn Thị Hồng Nhung",
        "Số định danh cá nhân: 075190001234",
        "Số điện thoại: 0912 345 678",
        "Email: nhung.nth@example.vn",
        "Địa chỉ: Ấp 3, xã Tân Phú, tỉnh Đồng Nai",
        "Hình thức nộp hồ sơ: Trực tiếp tại Bộ phận một cửa",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        # the numbered points
        "1. Thành phần hồ sơ nộp gồm:",
        "STT Tên thành phần hồ sơ Số lượng Bản chính Bản chứng thực Bản photo",
        "2. Số lượng hồ sơ: 01 bộ.",
        "3. Thời gian giải quyết hồ sơ theo quy định: 01 ngày làm việc.",
        "4. Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 27 tháng 11 năm 2026.",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 03 tháng 12 năm 2026",
        "6. Đăng ký nhận kết quả tại: Bộ phận một cửa UBND xã Tân Phú.",
        "7. Phí, lệ phí: Miễn lệ phí.",
        # signatures
        "NGƯỜI NỘP HỒ SƠ (Ký, ghi rõ họ tên) Nguyễn Thị Hồng Nhung",
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) Trần Văn An",
    ):
        assert expected in text, expected
    for line in receipt.components:
        assert line.name in text
    assert "Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp 1 0 0" in text

    meta = pdf.reader.metadata
    assert meta.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả – 000.00.01.H56-261127-0001"
    assert meta.creator == "Một Cửa"


def test_receipt_names_the_submitter_and_the_owner(tmp_path, receipt, read_pdf):
    brother = PersonInfo(name="Nguyễn Văn Hùng", address="Thôn 2, xã Tân Phú", phone="0987 654 321")
    data = dataclasses.replace(receipt, submitter=brother, fee_text="")

    text = read_pdf(write_pdf(data, tmp_path / "r.pdf")).text

    assert "Tiếp nhận hồ sơ của Ông (Bà): Nguyễn Văn Hùng" in text
    # (pypdf puts a space where the bold name ends: "Nhung ; địa chỉ")
    assert "Chủ hồ sơ: Nguyễn Thị Hồng Nhung" in text
    assert "; địa chỉ: Ấp 3, xã Tân Phú, tỉnh Đồng Nai" in text
    assert "NGƯỜI NỘP HỒ SƠ (Ký, ghi rõ họ tên) Nguyễn Văn Hùng" in text
    assert "Phí, lệ phí" not in text  # no fee line when there is no fee text


def test_receipt_blanks_are_dotted_for_the_pen(tmp_path, receipt, read_pdf):
    data = dataclasses.replace(
        receipt, applicant=PersonInfo(name="Lò Văn Páo"), book_number="", sequence_number=""
    )

    text = read_pdf(write_pdf(data, tmp_path / "r.pdf")).text

    assert "Số định danh cá nhân: …………………" in text
    assert "Quyển số: ………………… Số thứ tự: …………………" in text


# --------------------------------------------------------------------------- Mẫu 02, 03


def test_supplement_request(tmp_path, supplement, read_pdf):
    pdf = read_pdf(write_pdf(supplement, tmp_path / "bo-sung.pdf"))
    text = pdf.text

    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Xã Tân Phú, ngày 05 tháng 01 năm 2026",
        "Hồ sơ của Ông (Bà): Nguyễn Thị Hồng Nhung",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn",
        "Yêu cầu Ông (Bà) hoàn thiện hồ sơ gồm những nội dung như sau:",
        "Thành phần hồ sơ cần bổ sung, hoàn thiện",
        "Lý do: Hồ sơ thiếu Giấy xác nhận tình trạng hôn nhân của bên nam. "
        "Bản sao Căn cước chưa được chứng thực.",
        "liên hệ công chức Trần Văn An, điện thoại 0912 000 111 để được hướng dẫn",
        "NGƯỜI HƯỚNG DẪN (Ký, ghi rõ họ tên) Trần Văn An",
        "000.00.01.H56-260105-0003",
    ):
        assert expected in text, expected
    for line in supplement.missing:
        assert line.name in text
    assert pdf.reader.metadata.title == (
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ – 000.00.01.H56-260105-0003"
    )


def test_supplement_without_code_has_no_qr(tmp_path, supplement, read_pdf):
    data = dataclasses.replace(supplement, dossier_code="", missing=())
    pdf = read_pdf(write_pdf(data, tmp_path / "bo-sung.pdf"))

    assert all(int(image["/Width"]) < 10 for image in pdf.images(0))  # only the header rules
    assert "Mã hồ sơ" not in pdf.text
    assert pdf.reader.metadata.title == "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"


def test_refusal_states_its_reason(tmp_path, refusal, read_pdf):
    text = read_pdf(write_pdf(refusal, tmp_path / "tu-choi.pdf")).text

    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Xã Tân Phú, ngày 02 tháng 3 năm 2026",
        "Tiếp nhận hồ sơ của Ông (Bà): Nguyễn Thị Hồng Nhung",
        "Nội dung yêu cầu giải quyết: Cấp bản sao trích lục hộ tịch",
        "Bộ phận tiếp nhận và trả kết quả UBND xã Tân Phú thông báo không tiếp nhận, "
        "giải quyết hồ sơ này với lý do cụ thể như sau: "
        "Yêu cầu không thuộc thẩm quyền của UBND xã Tân Phú "
        "(sự kiện hộ tịch đã đăng ký tại UBND xã Hòa Bình).",
        "NGƯỜI NỘP HỒ SƠ (Ký, ghi rõ họ tên) Nguyễn Thị Hồng Nhung",
        "NGƯỜI TỪ CHỐI (Ký, ghi rõ họ tên) Trần Văn An",
    ):
        assert expected in text, expected


# --------------------------------------------------------------------------- every form


@pytest.mark.parametrize("name", [*PORTRAIT_FORMS, "tracking_book"])
def test_fonts_are_embedded(request, tmp_path, read_pdf, name):
    pdf = read_pdf(write_pdf(form(request, name), tmp_path / f"{name}.pdf"))

    fonts = pdf.fonts()
    assert fonts
    for font in fonts:
        assert "NotoSerif" in str(font["/BaseFont"])
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    names = {str(font["/BaseFont"]) for font in fonts}
    assert any("Bold" in n for n in names) and any("Italic" in n for n in names)


@pytest.mark.parametrize("name", PORTRAIT_FORMS)
def test_pages_are_a4_portrait(request, tmp_path, read_pdf, name):
    pdf = read_pdf(write_pdf(form(request, name), tmp_path / f"{name}.pdf"))

    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4_POINTS[0], abs=1.5)
        assert height == pytest.approx(A4_POINTS[1], abs=1.5)


def test_long_dossier_runs_over_pages_without_losing_a_row(tmp_path, receipt, read_pdf):
    components = tuple(
        ComponentLine(
            f"Thành phần số {i:02d}: Bản sao Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở "
            f"và tài sản khác gắn liền với đất kèm theo sơ đồ thửa đất, mã tài liệu TL-{i:02d}",
            originals=i % 2,
            certified=1,
            photocopies=2,
        )
        for i in range(1, 26)
    )
    pdf = read_pdf(write_pdf(dataclasses.replace(receipt, components=components), tmp_path / "l.pdf"))

    pages = [pdf.page_text(i) for i in range(len(pdf.pages))]
    assert len(pages) >= 2
    text = " ".join(pages)
    for line in components:
        # A row is never split over two pages: each name reads in one piece, then its counts.
        assert f"{line.name} {line.originals} {line.certified} {line.photocopies}" in text
    header = "STT Tên thành phần hồ sơ Số lượng Bản chính Bản chứng thực Bản photo"
    assert pages[1].startswith(header)  # the table's header is repeated on the next page
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Mã hồ sơ: 000.00.01.H56-261127-0001 — Trang {number}/{len(pages)}")
    # the signatures stay together, on the last page, and not alone there
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) Trần Văn An" in pages[-1]
    assert not pages[-1].startswith("NGƯỜI NỘP HỒ SƠ")


def test_signatures_are_not_left_alone_on_a_second_page(tmp_path, receipt, read_pdf):
    """Six components just overflow the page at the normal spacing: the form is tightened."""
    components = (
        *receipt.components,
        ComponentLine("Văn bản ủy quyền (nếu người đi đăng ký không phải cha, mẹ của trẻ)", 1),
        ComponentLine("Giấy tờ tùy thân của người đi đăng ký (xuất trình)", photocopies=1),
        ComponentLine(
            "Giấy tờ chứng minh nơi cư trú (trường hợp chưa cập nhật trên Cơ sở dữ liệu "
            "quốc gia về dân cư)",
            certified=1,
        ),
    )
    data = dataclasses.replace(receipt, components=components)
    pdf = read_pdf(write_pdf(data, tmp_path / "six.pdf"))

    assert len(pdf.pages) == 1
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) Trần Văn An" in pdf.text


def test_markup_in_values_is_printed_literally(tmp_path, receipt, read_pdf):
    name = 'Lê <b>&"Sơn</b> &amp; <i>x</i>'
    data = dataclasses.replace(
        receipt,
        applicant=PersonInfo(name=name, address="<br/>Thôn 2 & 3"),
        components=(ComponentLine("<table><tr><td>Tờ khai</td></tr></table>", originals=1),),
        procedure_name="${procedure} $$",
    )

    document = build_document(data)
    plain = document.toPlainText()
    assert name in plain
    assert "<br/>Thôn 2 & 3" in plain
    assert "<table><tr><td>Tờ khai</td></tr></table>" in plain
    assert "${procedure} $$" in plain

    text = read_pdf(write_pdf(data, tmp_path / "x.pdf")).text
    assert f"Tiếp nhận hồ sơ của Ông (Bà): {name}" in text
    assert "<table><tr><td>Tờ khai</td></tr></table> 1 0 0" in text


def _qr_modules(image_obj) -> list[list[bool]]:
    """Read the embedded QR image back (8-bit RGB or grey), one sample per module."""
    width, height = int(image_obj["/Width"]), int(image_obj["/Height"])
    data = image_obj.get_data()
    channels = len(data) // (width * height)
    return [[data[(y * width + x) * channels] < 128 for x in range(width)] for y in range(height)]


def test_qr_code_is_on_page_one_and_encodes_the_dossier_code(tmp_path, receipt, read_pdf):
    pdf = read_pdf(write_pdf(receipt, tmp_path / "r.pdf"))

    images = [image for image in pdf.images(0) if int(image["/Width"]) > 100]
    assert len(images) == 1
    qr = images[0]
    assert qr.get("/Filter") != "/DCTDecode"  # lossless: JPEG would blur the modules
    pixels = _qr_modules(qr)

    expected = segno.make(receipt.dossier_code, error="m", micro=False)
    modules = expected.symbol_size(scale=1, border=4)[0]
    side = len(pixels)
    assert side % modules == 0
    scale = side // modules
    sampled = [
        [pixels[y * scale + scale // 2][x * scale + scale // 2] for x in range(modules)]
        for y in range(modules)
    ]
    assert sampled == [[bool(v) for v in row] for row in expected.matrix_iter(scale=1, border=4)]
    # every module is a solid block of pure black or white pixels
    assert all(
        pixels[y][x] == sampled[y // scale][x // scale] for y in range(side) for x in range(side)
    )


def test_qr_code_decodes_back(tmp_path, receipt, read_pdf):
    zxingcpp = pytest.importorskip("zxingcpp")
    pdf = read_pdf(write_pdf(receipt, tmp_path / "r.pdf"))
    qr = next(image for image in pdf.images(0) if int(image["/Width"]) > 100)
    width, height = int(qr["/Width"]), int(qr["/Height"])
    data = qr.get_data()
    fmt = QImage.Format.Format_RGB888 if len(data) == 3 * width * height else QImage.Format.Format_Grayscale8
    image = QImage(data, width, height, len(data) // height, fmt).copy()

    results = zxingcpp.read_barcodes(image)

    assert [r.text for r in results] == [receipt.dossier_code]


def test_qr_image_is_about_25_mm_at_300_dpi(gui):
    image = qr_image("000.00.01.H56-261127-0001")

    assert image.width() == image.height()
    assert 280 <= image.width() <= 340  # 25 mm is 295 px at 300 dpi
    assert {image.pixelColor(x, y).value() for x in range(0, 300, 7) for y in range(0, 300, 7)} <= {
        0,
        255,
    }


# --------------------------------------------------------------------------- devices and API


def test_pdf_bytes_is_the_same_pdf(receipt):
    data = pdf_bytes(receipt)

    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def test_print_to_follows_the_device_page_layout(tmp_path, receipt, read_pdf):
    """A printer set to Letter with other margins gets whole Letter pages, nothing clipped."""
    path = tmp_path / "letter.pdf"
    writer = QPdfWriter(str(path))
    writer.setResolution(600)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(10, 10, 10, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    print_to(build_document(receipt), writer)
    del writer

    pdf = read_pdf(path)
    page = pdf.pages[0]
    assert float(page.mediabox.width) == pytest.approx(612, abs=1)
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) Trần Văn An" in pdf.text


def test_print_to_prints_any_text_document(tmp_path, read_pdf):
    document = QTextDocument()
    document.setHtml("<p>Sổ theo dõi hồ sơ</p>")
    path = tmp_path / "any.pdf"
    writer = QPdfWriter(str(path))
    print_to(document, writer)
    del writer

    assert "Sổ theo dõi hồ sơ" in read_pdf(path).text


def test_build_document_is_page_sized_with_a_title(receipt):
    document = build_document(receipt)

    assert document.pageSize().width() > 0 and 0 < document.pageSize().height() < 10_000
    assert document.pageCount() >= 1
    assert document.metaInformation(QTextDocument.MetaInformation.DocumentTitle) == (
        f"{FORM_NAMES[type(receipt)]} – {receipt.dossier_code}"
    )


def test_build_document_rejects_other_data():
    with pytest.raises(TypeError):
        build_document(object())  # type: ignore[arg-type]


def test_write_pdf_replaces_a_file_atomically(tmp_path, receipt, refusal, read_pdf):
    path = tmp_path / "phieu.pdf"
    write_pdf(receipt, path)
    write_pdf(refusal, path, title="Phiếu số 7")

    pdf = read_pdf(path)
    assert "PHIẾU TỪ CHỐI" in pdf.text
    assert pdf.reader.metadata.title == "Phiếu số 7"
    assert [p.name for p in tmp_path.iterdir()] == ["phieu.pdf"]  # no temporary file left


# --------------------------------------------------------------------------- process level

_CLI_SCRIPT = """
import sys
from datetime import datetime
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from forms import OfficeInfo, PersonInfo, RefusalData, write_pdf
from forms.render import ensure_gui_app
office = OfficeInfo("UBND xã Tân Phú", "UBND tỉnh Đồng Nai", "Xã Tân Phú", "000.00.01.H56")
data = RefusalData(office, "Đăng ký khai sinh", PersonInfo("Nguyễn Thị Hồng Nhung"),
                   "Không thuộc thẩm quyền", "Trần Văn An", "0912 000 111",
                   datetime(2026, 11, 27, 9, 0), "000.00.01.H56-261127-0009")
assert QCoreApplication.instance() is None
write_pdf(data, Path(sys.argv[1]))
app = QCoreApplication.instance()
assert type(app).__name__ == "QGuiApplication", type(app)
assert ensure_gui_app() is app
print("ok")
"""


def test_write_pdf_from_a_bare_process_makes_its_own_gui_app(tmp_path, read_pdf):
    path = tmp_path / "cli.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _CLI_SCRIPT, str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert "Không thuộc thẩm quyền" in read_pdf(path).text


def test_the_data_classes_import_without_qt():
    code = (
        "import sys, forms, forms.context\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
        "assert forms.ReceiptData is forms.context.ReceiptData\n"
        "assert callable(forms.write_pdf)\n"  # the Qt part loads on first use
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr


def test_print_preview_and_printer_use_the_same_renderer(qapp, tmp_path, receipt, read_pdf):
    """What QPrintPreviewDialog does: paintRequested(printer) -> print_to(document, printer)."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    from forms import apply_page_layout

    document = build_document(dataclasses.replace(
        receipt, components=receipt.components * 6  # 18 rows: two pages
    ))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    assert apply_page_layout(printer)
    preview = QPrintPreviewWidget(printer)
    preview.paintRequested.connect(lambda p: print_to(document, p))
    preview.updatePreview()
    assert preview.pageCount() == 2

    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_to(document, printer)
    pdf = read_pdf(tmp_path / "printed.pdf")
    assert len(pdf.pages) == 2
    assert float(pdf.pages[0].mediabox.width) == pytest.approx(A4_POINTS[0], abs=1.5)
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pdf.page_text(1)
    preview.deleteLater()


def test_qt_void_calls_keep_none_alive():
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every void call (setText, …),
    so a long-running app aborted with 'none_dealloc'; pyproject pins PySide6 < 6.12."""
    document = QTextDocument()
    before = sys.getrefcount(None)
    for _ in range(500):
        document.setDocumentMargin(0)
    assert sys.getrefcount(None) >= before - 10
