"""What a printed form needs to know: plain, frozen data (no Qt, no database).

The caller (a service or the UI) fills these from its own records; the renderer
(`forms.render`) turns them into a page-sized document. Every string here is
printed as text: it is HTML-escaped by the renderer, so a citizen's name such as
``<b>Lê & Sơn</b>`` prints literally.

Times are the office's local wall-clock time (naive or aware, printed as given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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


@dataclass(frozen=True)
class ApologyData:
    """Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả.

    Signed by the head of the agency, so it exists only for an apology a leader
    approved (``services.processing.apology_data``); the place and date at the
    top are those of the approval.
    """

    office: OfficeInfo
    applicant: PersonInfo  # Kính gửi
    dossier_code: str
    procedure_name: str
    received_at: datetime | None
    original_due_at: datetime | None  # the appointment the office missed
    reason: str
    new_due_at: datetime
    approved_by_name: str  # the head of the agency who signs
    approved_at: datetime
    proposed_by_name: str = ""
    signer_title: str = "THỦ TRƯỞNG CƠ QUAN"
    recipients: tuple[str, ...] = ("Như trên", "Lưu: VT")  # Nơi nhận


@dataclass(frozen=True)
class HandOverLine:
    """One hand-over of a dossier on the control slip (Mẫu 05): who gave it to whom, when."""

    giver: str  # "Trần Thị Thu Hà (Bộ phận một cửa)"
    receiver: str
    at: datetime
    result: str = ""  # one of TIMELINESS: "Trước hạn", "Đúng hạn", "Quá hạn"; or empty
    note: str = ""


#: The results a hand-over can have against the due date (KẾT QUẢ GIẢI QUYẾT HỒ SƠ).
BEFORE_DUE, ON_DUE, OVERDUE = "Trước hạn", "Đúng hạn", "Quá hạn"
TIMELINESS = (BEFORE_DUE, ON_DUE, OVERDUE)


@dataclass(frozen=True)
class ControlSlipData:
    """Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ.

    The slip goes with the dossier from desk to desk; each hand-over is a row,
    signed by the giver and the receiver. ``blank_rows`` rows are added, dotted,
    for the hand-overs still to come (written in by hand).
    """

    office: OfficeInfo
    dossier_code: str
    procedure_name: str
    applicant: PersonInfo
    received_at: datetime
    due_at: datetime | None
    processing_body: str  # Cơ quan (bộ phận) giải quyết hồ sơ
    hand_overs: tuple[HandOverLine, ...]
    coordinating_bodies: str = ""  # Cơ quan phối hợp giải quyết; dotted blank when empty
    book_number: str = ""  # Quyển số (as on Mẫu 01)
    sequence_number: str = ""  # Số thứ tự
    blank_rows: int = 0


@dataclass(frozen=True)
class TrackingBookRow:
    """One dossier in the tracking book (Mẫu 06)."""

    dossier_code: str
    procedure_name: str  # Nội dung hồ sơ
    sets_count: int
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    received_at: datetime | None
    due_at: datetime | None
    handed_over_at: datetime | None  # Chuyển hồ sơ đến cơ quan giải quyết
    finished_at: datetime | None  # Nhận kết quả từ cơ quan giải quyết
    returned_at: datetime | None  # Trả kết quả: ngày
    returned_by: str  # … bên giao
    returned_to: str  # … bên nhận
    received_by: str  # Người nhận hồ sơ
    note: str = ""


@dataclass(frozen=True)
class TrackingBookData:
    """Mẫu 06 — Sổ theo dõi hồ sơ: the dossiers received from ``start`` to ``end`` (inclusive).

    ``rows`` may be empty when the rows are streamed instead (the XLSX export):
    ``total`` is always the number of dossiers of the period.
    """

    office: OfficeInfo
    start: date
    end: date
    rows: tuple[TrackingBookRow, ...]
    total: int
    issued_at: datetime  # the date in the header (when the book was printed)

    @property
    def dossier_code(self) -> str:
        """A book has no dossier code (the forms' common interface)."""
        return ""


@dataclass(frozen=True)
class ReportColumn:
    """A column of a periodic report: its heading levels (outermost first) and its number.

    Columns side by side whose paths start alike share those heading cells
    (merged across); a path shorter than the deepest runs down to the numbers row.
    """

    path: tuple[str, ...]
    number: str  # "(3)"
    numeric: bool = True  # counts (right-aligned); False for STT and the row label


@dataclass(frozen=True)
class ReportRow:
    """One row of a periodic report: the STT, the label (a field), the counts."""

    number: str  # "1"; "" for the total row
    label: str
    values: tuple[int, ...]
    total: bool = False  # printed bold


@dataclass(frozen=True)
class HeadingCell:
    """A cell of the report's heading grid (0-based row and column)."""

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class ReportData:
    """A periodic report of counts (Biểu số 06 and the like), one row per field plus a total.

    ``columns`` holds every column, STT and the label included; ``rows`` carry the
    counts of the numeric columns, in order. Printed on A4 landscape.
    """

    office: OfficeInfo
    form_label: str  # "Biểu số 06" (top right)
    issued_by: str  # "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP"
    title: str  # bold capitals
    period_name: str  # "Quý III năm 2026"
    period_range: str  # "Từ ngày 01/07/2026 đến ngày 30/09/2026"
    reporting_unit: str  # Đơn vị báo cáo
    receiving_unit: str  # Đơn vị nhận báo cáo
    unit: str  # "Số hồ sơ TTHC" (Đơn vị tính)
    columns: tuple[ReportColumn, ...]
    rows: tuple[ReportRow, ...]
    issued_at: datetime  # place and date of the signature block
    notes: tuple[str, ...] = ()
    signers: tuple[str, str] = ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ")
    signer_names: tuple[str, str] = ("", "")

    @property
    def dossier_code(self) -> str:
        """A report has no dossier code (the forms' common interface)."""
        return ""

    @property
    def depth(self) -> int:
        """Heading levels above the numbers row."""
        return max((len(c.path) for c in self.columns), default=1)

    def heading_grid(self) -> tuple[HeadingCell, ...]:
        """The merged heading cells, level by level (the numbers row is not included).

        At each level, consecutive columns that share their path up to that level
        make one cell across; a column whose path ends at a level runs down to the
        last heading row.
        """
        depth = self.depth
        cells: list[HeadingCell] = []
        for level in range(depth):
            column = 0
            while column < len(self.columns):
                path = self.columns[column].path
                if len(path) <= level:
                    column += 1
                    continue
                prefix = path[: level + 1]
                span = 1
                while (column + span < len(self.columns)
                       and len(self.columns[column + span].path) > level
                       and self.columns[column + span].path[: level + 1] == prefix):
                    span += 1
                last = level == len(path) - 1
                if last and span > 1:
                    span = 1  # two columns with the same full heading stay apart
                cells.append(HeadingCell(path[level], level, column,
                                         rowspan=depth - level if last else 1, colspan=span))
                column += span
        return tuple(cells)


FormData = (ReceiptData | SupplementData | RefusalData | ApologyData | ControlSlipData
            | TrackingBookData | ReportData)
