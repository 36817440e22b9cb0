"""What a printed form needs to know: plain, frozen data (no Qt, no database).

The caller (a service or the UI) fills these from its own records; the renderer
(`forms.render`) turns them into a page-sized document. Every string here is
printed as text: it is HTML-escaped by the renderer, so a citizen's name such as
``<b>Lê & Sơn</b>`` prints literally.

Times are the office's local wall-clock time (naive or aware, printed as given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OfficeInfo:
    """The receiving unit and its parent authority, as printed in the national header."""

    name: str  # "UBND xã Tân Phú" (printed in bold upper case)
    parent_name: str  # "UBND tỉnh Đồng Nai" (printed in upper case above the name)
    place_name: str  # "Xã Tân Phú" in "Xã Tân Phú, ngày 27 tháng 11 năm 2026"
    agency_code: str  # "000.00.01.H56"
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PersonInfo:
    """A citizen (applicant, chủ hồ sơ) or the person who hands the dossier in."""

    name: str
    id_number: str = ""  # số định danh cá nhân / CCCD
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ComponentLine:
    """One row of a components table: a document and how many copies of each kind."""

    name: str
    originals: int = 0  # bản chính
    certified: int = 0  # bản sao chứng thực
    photocopies: int = 0  # bản photo


@dataclass(frozen=True)
class ReceiptData:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    office: OfficeInfo
    dossier_code: str
    procedure_name: str
    channel_label: str  # "Trực tiếp", "Trực tuyến", "Qua dịch vụ bưu chính công ích"
    applicant: PersonInfo  # chủ hồ sơ
    submitter: PersonInfo | None  # who handed it in, if not the applicant
    components: tuple[ComponentLine, ...]
    sets_count: int
    processing_time_text: str  # "05 ngày làm việc"
    received_at: datetime
    due_at: datetime
    result_place: str
    officer_name: str
    book_number: str = ""  # "Quyển số" of the tracking book (Mẫu 06)
    fee_text: str = ""  # "Lệ phí: 10.000 đồng"; not printed when empty
    sequence_number: str = ""  # "Số thứ tự" in that book; dotted blank when empty


@dataclass(frozen=True)
class SupplementData:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    office: OfficeInfo
    procedure_name: str
    applicant: PersonInfo
    missing: tuple[ComponentLine, ...]
    reason: str
    officer_name: str
    officer_contact: str  # "Trần Văn An, điện thoại 0912 345 678"
    issued_at: datetime
    dossier_code: str = ""


@dataclass(frozen=True)
class RefusalData:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ.

    A refusal must state its reason (Nghị định 61/2018, 137/2024): an empty
    reason is rejected here, before anything is printed.
    """

    office: OfficeInfo
    procedure_name: str
    applicant: PersonInfo
    reason: str
    officer_name: str
    officer_contact: str
    issued_at: datetime
    dossier_code: str = ""

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("Phiếu từ chối phải nêu rõ lý do từ chối tiếp nhận hồ sơ.")


FormData = ReceiptData | SupplementData | RefusalData
