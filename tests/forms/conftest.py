"""Printed forms: sample data and a reader for the PDFs the renderer writes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms import (
    ApologyData,
    ComponentLine,
    ControlSlipData,
    HandOverLine,
    OfficeInfo,
    PersonInfo,
    ReceiptData,
    RefusalData,
    SupplementData,
    TrackingBookData,
    TrackingBookRow,
)

CODE = "000.00.01.H56-261127-0001"
APPLICANT = "Nguyễn Thị Hồng Nhung"


@pytest.fixture
def gui(qapp):
    """The application (pytest-qt's QApplication is a QGuiApplication) with the fonts loaded."""
    from forms.render import ensure_fonts

    ensure_fonts()
    return qapp


@pytest.fixture
def office() -> OfficeInfo:
    return OfficeInfo(
        name="UBND xã Tân Phú",
        parent_name="UBND tỉnh Đồng Nai",
        place_name="Xã Tân Phú",
        agency_code="000.00.01.H56",
        address="Thôn 1, xã Tân Phú",
        phone="0251 3820 000",
    )


@pytest.fixture
def nhung() -> PersonInfo:
    return PersonInfo(
        name=APPLICANT,
        id_number="075190001234",
        address="Ấp 3, xã Tân Phú, tỉnh Đồng Nai",
        phone="0912 345 678",
        email="nhung.nth@example.vn",
    )


@pytest.fixture
def receipt(office: OfficeInfo, nhung: PersonInfo) -> ReceiptData:
    return ReceiptData(
        office=office,
        dossier_code=CODE,
        procedure_name="Đăng ký khai sinh",
        channel_label="Trực tiếp tại Bộ phận một cửa",
        applicant=nhung,
        submitter=None,
        components=(
            ComponentLine("Tờ khai đăng ký khai sinh (theo mẫu)", originals=1),
            ComponentLine("Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp", originals=1),
            ComponentLine(
                "Giấy chứng nhận kết hôn của cha, mẹ trẻ (nếu cha, mẹ đã đăng ký kết hôn)",
                certified=1,
                photocopies=1,
            ),
        ),
        sets_count=1,
        processing_time_text="01 ngày làm việc",
        received_at=datetime(2026, 11, 27, 8, 15),
        due_at=datetime(2026, 12, 3, 14, 0),
        result_place="Bộ phận một cửa UBND xã Tân Phú",
        officer_name="Trần Văn An",
        book_number="03",
        fee_text="Miễn lệ phí",
        sequence_number="0001",
    )


@pytest.fixture
def supplement(office: OfficeInfo, nhung: PersonInfo) -> SupplementData:
    return SupplementData(
        office=office,
        procedure_name="Đăng ký kết hôn",
        applicant=nhung,
        missing=(
            ComponentLine("Giấy xác nhận tình trạng hôn nhân của bên nam", originals=1),
            ComponentLine("Bản sao Căn cước của bên nữ", certified=1),
        ),
        reason="Hồ sơ thiếu Giấy xác nhận tình trạng hôn nhân của bên nam.\n"
        "Bản sao Căn cước chưa được chứng thực.",
        officer_name="Trần Văn An",
        officer_contact="công chức Trần Văn An, điện thoại 0912 000 111",
        issued_at=datetime(2026, 1, 5, 9, 30),
        dossier_code="000.00.01.H56-260105-0003",
    )


@pytest.fixture
def refusal(office: OfficeInfo, nhung: PersonInfo) -> RefusalData:
    return RefusalData(
        office=office,
        procedure_name="Cấp bản sao trích lục hộ tịch",
        applicant=nhung,
        reason="Yêu cầu không thuộc thẩm quyền của UBND xã Tân Phú "
        "(sự kiện hộ tịch đã đăng ký tại UBND xã Hòa Bình).",
        officer_name="Trần Văn An",
        officer_contact="công chức Trần Văn An, điện thoại 0912 000 111",
        issued_at=datetime(2026, 3, 2, 10, 0),
        dossier_code="000.00.01.H56-260302-0007",
    )


@pytest.fixture
def apology(office: OfficeInfo, nhung: PersonInfo) -> ApologyData:
    return ApologyData(
        office=office,
        applicant=nhung,
        dossier_code="000.00.01.H56-261120-0012",
        procedure_name="Đăng ký kết hôn",
        received_at=datetime(2026, 11, 20, 8, 30),
        original_due_at=datetime(2026, 11, 25, 8, 30),
        reason="Chờ xác minh tình trạng hôn nhân của bên nữ tại nơi cư trú trước đây "
        "(UBND xã Hòa Bình, tỉnh Đồng Nai).",
        new_due_at=datetime(2026, 12, 2, 16, 0),
        approved_by_name="Đặng Quốc Bảo",
        approved_at=datetime(2026, 11, 24, 15, 0),
        proposed_by_name="Phạm Thị Ngọc Lan",
    )


@pytest.fixture
def control_slip(office: OfficeInfo, nhung: PersonInfo) -> ControlSlipData:
    return ControlSlipData(
        office=office,
        dossier_code=CODE,
        procedure_name="Đăng ký khai sinh",
        applicant=nhung,
        received_at=datetime(2026, 11, 27, 8, 15),
        due_at=datetime(2026, 12, 3, 14, 0),
        processing_body="UBND xã Tân Phú – Tư pháp - Hộ tịch",
        hand_overs=(
            HandOverLine("Trần Thị Thu Hà (Bộ phận một cửa)", "Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch)",
                         datetime(2026, 11, 27, 9, 5), "Trước hạn"),
            HandOverLine("Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch)", "Bộ phận tiếp nhận và trả kết quả",
                         datetime(2026, 12, 3, 10, 40), "Đúng hạn"),
            HandOverLine("Trần Thị Thu Hà (Bộ phận một cửa)", "Nguyễn Thị Hồng Nhung (chủ hồ sơ)",
                         datetime(2026, 12, 4, 8, 0), "Quá hạn", "Trả tại Bộ phận một cửa"),
        ),
        book_number="2026",
        sequence_number="0001",
        blank_rows=1,
    )


def book_rows(count: int, *, first: date = date(2026, 11, 2)) -> tuple[TrackingBookRow, ...]:
    """``count`` dossiers of a tracking book, a few of each kind (returned, in progress, …)."""
    names = ("Nguyễn Thị Hồng Nhung", "Lê Văn Sơn", "Hoàng Thị Ánh Tuyết", "Phan Đình Khải")
    procedures = ("Đăng ký khai sinh", "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
                  "Đăng ký kết hôn", "Cấp Giấy xác nhận tình trạng hôn nhân")
    rows = []
    for i in range(count):
        received = datetime.combine(first, datetime.min.time()) + timedelta(hours=7, minutes=37 * i)
        returned = i % 3 == 0
        rows.append(TrackingBookRow(
            dossier_code=f"000.00.01.H56-{received:%y%m%d}-{i + 1:04d}",
            procedure_name=procedures[i % 4],
            sets_count=1 + i % 2,
            applicant_name=names[i % 4],
            applicant_address=f"Ấp {1 + i % 7}, xã Tân Phú, tỉnh Đồng Nai",
            applicant_phone=f"0912 345 {i % 1000:03d}",
            received_at=received,
            due_at=received + timedelta(days=3),
            handed_over_at=received + timedelta(hours=1) if i % 5 else None,
            finished_at=received + timedelta(days=2) if returned or i % 3 == 1 else None,
            returned_at=received + timedelta(days=3) if returned else None,
            returned_by="Trần Thị Thu Hà" if returned else "",
            returned_to=f"{names[i % 4]} (chủ hồ sơ)" if returned else "",
            received_by="Trần Thị Thu Hà",
            note="Công dân rút hồ sơ" if i % 11 == 10 else "",
        ))
    return tuple(rows)


@pytest.fixture
def make_book_rows() -> Callable[[int], tuple[TrackingBookRow, ...]]:
    return book_rows


@pytest.fixture
def tracking_book(office: OfficeInfo) -> TrackingBookData:
    rows = book_rows(40)
    return TrackingBookData(office=office, start=date(2026, 11, 1), end=date(2026, 11, 30),
                            rows=rows, total=len(rows), issued_at=datetime(2026, 12, 1, 8, 0))


def normalize(text: str) -> str:
    """NFC, every run of white space (tabs, line breaks of wrapped lines) one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class Pdf:
    path: Path
    reader: PdfReader

    @property
    def pages(self) -> list:
        return list(self.reader.pages)

    def page_text(self, index: int) -> str:
        return normalize(self.reader.pages[index].extract_text())

    @property
    def text(self) -> str:
        return " ".join(self.page_text(i) for i in range(len(self.reader.pages)))

    def images(self, index: int) -> list:
        resources = self.reader.pages[index]["/Resources"]
        xobjects = resources.get("/XObject", {})
        found = []
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
        return found

    def fonts(self) -> list:
        seen = {}
        for page in self.reader.pages:
            for ref in page["/Resources"].get("/Font", {}).values():
                font = ref.get_object()
                seen[font.indirect_reference.idnum if font.indirect_reference else id(font)] = font
        return list(seen.values())


@pytest.fixture
def read_pdf() -> Callable[[Path], Pdf]:
    def read(path: Path) -> Pdf:
        return Pdf(path, PdfReader(str(path)))

    return read
