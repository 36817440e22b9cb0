"""Printed forms: sample data and a reader for the PDFs the renderer writes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms import (
    ComponentLine,
    OfficeInfo,
    PersonInfo,
    ReceiptData,
    RefusalData,
    SupplementData,
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
