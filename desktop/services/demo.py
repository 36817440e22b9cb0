"""The demo office: a real catalogue, a small staff and two years of realistic dossiers.

`create_demo(paths)` sets up a fictional commune office in an empty data
folder, for training, screenshots and load tests:

- the office "UBND xã Tân Phú" (DEMO_OFFICE, desk 1), set up through
  `office.initialise_office`, so it gets the real procedure catalogue
  (resources/seed/procedures.json) and the official holiday calendar;
- seven officers (DEMO_ADMIN and DEMO_OFFICERS), all with the password
  ``motcua-demo`` (DEMO_PASSWORD):

    - admin — Nguyễn Văn Khánh, Công chức Văn phòng - Thống kê: administrator
      (and, as the first account, every other role);
    - tiepnhan1 — Trần Thị Thu Hà, tiepnhan2 — Lê Minh Tuấn: front desk
      (Bộ phận tiếp nhận và trả kết quả);
    - tuphap — Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch), diachinh — Hoàng Văn
      Dũng (Địa chính - Xây dựng), vanhoa — Võ Thị Kim Oanh (Văn hóa - Xã
      hội): specialists;
    - lanhdao — Đặng Quốc Bảo, Phó Chủ tịch UBND xã: leader;

- `dossiers` dossiers (default 2000) received over the two years before
  `now`, in every status 1–10, with their components, fees and progress
  rows (one row per status step; every path follows
  desktop.domain.status.TRANSITIONS from an initial status).

How the history is made
    Each dossier gets a whole "life" (submission, reception, transfer,
    supplement rounds, financial obligation, stop, withdrawal, result,
    return) laid out on the office's working time, then cut at `now`: the
    steps after `now` have not happened yet. Old dossiers are therefore
    mostly finished (returned, some refused, withdrawn or stopped, a few
    results never collected, a few supplement requests never answered) and
    recent ones are in 1/2/4/5/6/9. About 12 % of the resolved dossiers are
    resolved after their due date (immediate certifications never are); a few
    dossiers stay stuck in processing
    and are overdue (DemoSummary.overdue_in_progress counts statuses
    2/4/5/6 past their due date). Channels: ~40 % online (they start in status 1 with
    `submitted_at`, then are received), ~55 % in person, ~5 % by post.
    The first ten dossiers are "showcase" dossiers, forced into statuses
    1..10 in the last weeks, so every status is present even in a tiny demo.

Due dates
    `due_at` of desktop.domain.calendar, with the office calendar
    (`services.calendar.load_calendar`), the procedure's time amount, unit
    and cutoff (the online amount for online dossiers). The published
    catalogue lost the unit of many procedures and the amount of some:
    for the demo, a missing unit is taken as working days and a missing
    amount as 1 working day. Supplement rounds move the due date with
    `extend_for_supplement` (`original_due_at` keeps the first one). Due
    dates are cached per (procedure time, 30-minute reception slot).

Dossier codes and the desk's numbering
    Codes are ``<agency>-<yyMMdd>-<NNNN>`` for the day of the dossier's first
    event (online submission or reception), numbered 0001, 0002, … in time
    order within each day, never repeated. For every day with demo dossiers
    a `number_blocks` row (desk 1, source "offline", block 0001–1000) records
    ``last_used`` = that day's count, so `numbering.next_dossier_code` goes on
    after the demo's numbers. On `now`'s day the demo never has more than
    TODAY_LIMIT (500) dossiers, so the desk keeps half of today's block.
    Only very large demos (more than 1000 dossiers on one past day, i.e.
    hundreds of thousands of dossiers) use numbers beyond 1000 on past days:
    those numbers lie outside desk 1's block, the day's block is recorded as
    used up (``last_used`` = 1000) and the desk cannot issue codes for that
    past day again (it never needs to: codes are issued for today).

What is not generated
    No outbox items: the demo history counts as already synced with the
    province. No files: digitised components (states 1–3) have no
    `file_sha256`. Applicants are private citizens (LoaiDoiTuong 1).

Speed
    Rows are built as tuples and written with `executemany` on the raw
    SQLite connection, in transactions of up to 10,000 dossiers (about
    85,000 rows), with ``PRAGMA synchronous=OFF`` during the bulk phase; one
    audit event "demo.create" sums it up. A million dossiers (8.4 million
    rows) take about 2.5 minutes on 2 cores and 3.6 GB (about 3.6 KB per
    dossier: components carry the full published component names, progress
    rows the officer's name, title and department). The default 2000
    dossiers take about a second and 8 MB.

If the generation fails half-way the folder holds a partial demo office:
delete the folder and start again.
"""

from __future__ import annotations

import bisect
import random
import time as _time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select

from desktop.domain.calendar import TimeUnit, WorkCalendar, due_at, extend_for_supplement
from desktop.domain.codes import BLOCK_SIZE, MAX_SEQUENCE, format_dossier_code, offline_block
from desktop.domain.status import Status
from desktop.domain.text import fold
from desktop.paths import DataPaths
from desktop.services import audit, auth
from desktop.services.actor import Actor
from desktop.services.calendar import load_calendar
from desktop.services.catalogue import confirm_missing_units, is_conditional_component
from desktop.services.office import (
    AdminForm,
    OfficeForm,
    get_office,
    initialise_office,
    is_initialised,
)
from desktop.services.validation import ValidationError
from desktop.store.database import Store, open_store
from desktop.store.models import Channel, Officer, Procedure, Role
from desktop.store.search_index import rebuild as rebuild_search_index

# ----------------------------------------------------------------------------- the office

DEMO_PASSWORD = "motcua-demo"

DEMO_OFFICE = OfficeForm(
    name="UBND xã Tân Phú",
    agency_code="000.00.01.H56",
    desk_number=1,
    address="Ấp Phú Lợi, xã Tân Phú, tỉnh Đồng Nai",
    place_name="Xã Tân Phú",
    parent_name="UBND tỉnh Đồng Nai",
    phone="0251 3856 123",
)

DEMO_ADMIN = AdminForm(
    username="admin",
    full_name="Nguyễn Văn Khánh",
    password=DEMO_PASSWORD,
    password_confirm=DEMO_PASSWORD,
    title="Công chức Văn phòng - Thống kê",
)

TU_PHAP = "Tư pháp - Hộ tịch"
DIA_CHINH = "Địa chính - Xây dựng"
VAN_HOA = "Văn hóa - Xã hội"
ONE_STOP = "Bộ phận tiếp nhận và trả kết quả"


@dataclass(frozen=True)
class DemoOfficer:
    username: str
    full_name: str
    roles: tuple[Role, ...]
    title: str
    department: str
    password: str = DEMO_PASSWORD


DEMO_OFFICERS: tuple[DemoOfficer, ...] = (
    DemoOfficer("tiepnhan1", "Trần Thị Thu Hà", (Role.FRONT_DESK,),
                "Công chức Bộ phận một cửa", ONE_STOP),
    DemoOfficer("tiepnhan2", "Lê Minh Tuấn", (Role.FRONT_DESK,),
                "Công chức Bộ phận một cửa", ONE_STOP),
    DemoOfficer("tuphap", "Phạm Thị Ngọc Lan", (Role.SPECIALIST,),
                "Công chức Tư pháp - Hộ tịch", TU_PHAP),
    DemoOfficer("diachinh", "Hoàng Văn Dũng", (Role.SPECIALIST,),
                "Công chức Địa chính - Xây dựng", DIA_CHINH),
    DemoOfficer("vanhoa", "Võ Thị Kim Oanh", (Role.SPECIALIST,),
                "Công chức Văn hóa - Xã hội", VAN_HOA),
    DemoOfficer("lanhdao", "Đặng Quốc Bảo", (Role.LEADER,),
                "Phó Chủ tịch UBND xã", "Lãnh đạo UBND xã"),
)

#: One line for the CLI and the setup dialog.
LOGIN_HINT = (
    f"tên đăng nhập \"admin\", mật khẩu \"{DEMO_PASSWORD}\" (quản trị). Các cán bộ khác: "
    + ", ".join(o.username for o in DEMO_OFFICERS)
    + f" — cùng mật khẩu \"{DEMO_PASSWORD}\"."
)

DEFAULT_DOSSIERS = 2000
MAX_DOSSIERS = 3_000_000
HISTORY_DAYS = 730
#: At most this many demo dossiers on `now`'s day: the desk keeps the rest of its block.
TODAY_LIMIT = BLOCK_SIZE // 2
#: Share of the processed (non-immediate) dossiers whose result comes after the due date.
LATE_SHARE = 0.14


@dataclass
class DemoSummary:
    dossiers: int
    progress_rows: int
    components: int
    by_status: dict[int, int]
    seconds: float
    database_bytes: int
    fees: int = 0
    resolved_late: int = 0
    overdue_in_progress: int = 0
    first_day: date | None = None
    last_day: date | None = None
    officers: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------- people data

_FAMILY = (
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 25),
    ("Phan", 45), ("Vũ", 20), ("Võ", 20), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Trương", 8), ("Đinh", 6), ("Lương", 4),
    ("Mai", 4), ("Lâm", 4), ("Tô", 3), ("Châu", 3), ("Thái", 3), ("Cao", 4), ("Tạ", 2),
)
_MIDDLE_MALE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Ngọc",
                "Xuân", "Quang", "Trọng", "Tiến", "Hoàng", "Anh", "Thành", "Duy", "Gia", "Bảo")
_MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Kim",
                  "Hồng", "Phương", "Mai", "Thùy", "Diệu", "Khánh", "Mỹ", "Hoài")
_SECOND_MIDDLE_FEMALE = ("Thu", "Ngọc", "Kim", "Thanh", "Mỹ", "Hồng", "Bích", "Thúy")
_GIVEN_MALE = ("Anh", "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Phong",
               "Quân", "Huy", "Khoa", "Bình", "Cường", "Đạt", "Đức", "Hiếu", "Hoàng", "Khánh",
               "Lâm", "Lộc", "Phúc", "Quang", "Tài", "Thắng", "Thành", "Trung", "Tùng", "Việt",
               "Vinh", "Bảo", "Duy", "Hưng", "Kiên", "Nghĩa", "Nhân", "Sang", "Tâm", "Toàn",
               "Thịnh", "Trí", "Tú", "Vũ", "Hậu", "Lợi", "Phát", "Tín", "Nhựt", "Hòa")
_GIVEN_FEMALE = ("Anh", "Hà", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Phương", "Thảo",
                 "Trang", "Thủy", "Hằng", "Hạnh", "Hoa", "Huyền", "Liên", "Loan", "Ly", "My",
                 "Nga", "Ngân", "Nhi", "Oanh", "Quyên", "Tâm", "Thanh", "Thu", "Trâm", "Tuyết",
                 "Vân", "Yến", "Hồng", "Diệp", "Giang", "Hiền", "Khánh", "Lụa", "Nguyệt", "Xuân",
                 "Diễm", "Đào", "Thắm", "Hậu", "Phượng", "Cúc", "Nhàn", "Dung", "Trinh", "Vy")

#: Province codes of the 12-digit personal ID (place of birth registration).
_PROVINCES = (
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
)
_HOME_PROVINCE = "075"  # Đồng Nai
_HAMLETS = ("Ấp 1", "Ấp 2", "Ấp 3", "Ấp 4", "Ấp 5", "Ấp 6", "Ấp 7", "Ấp 8", "Ấp Phú Lợi",
            "Ấp Phú Thịnh", "Ấp Phú Lâm", "Ấp Ngọc Lâm", "Ấp Thanh Thọ", "Ấp Bàu Chồn",
            "Ấp Hòa Thành", "Ấp Trà Cổ", "Ấp Phú Hiệp", "Ấp Phương Mai", "Ấp Tân Lập",
            "Ấp Đồn Điền")
_OTHER_COMMUNES = ("xã Phú Lâm", "xã Định Quán", "xã Tà Lài", "xã Phú Vinh", "xã Thanh Sơn",
                   "xã Nam Cát Tiên", "xã Phú Hòa", "xã La Ngà", "phường Long Khánh",
                   "phường Biên Hòa", "xã Xuân Lộc", "xã Thống Nhất")
_PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034",
                   "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
                   "082", "083", "084", "085", "086", "088", "089", "056", "058")
_MAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com",
                 "outlook.com", "icloud.com")

# ------------------------------------------------------------------- procedures, texts

#: How often each procedure is asked for at a commune desk (relative weights).
_POPULARITY = {
    "2.000815": 30, "2.000884": 8, "1.001193": 9, "1.000656": 3, "1.000894": 4,
    "1.004873": 8, "2.000635": 5, "2.002516": 2, "1.004859": 2, "1.004194": 3,
    "1.004222": 2, "3.000722": 3, "1.001612": 1.5, "2.000720": 1, "1.001570": 0.6,
    "1.001266": 0.5, "2.001035": 2.5, "2.000913": 0.5, "2.000927": 0.3, "2.001019": 0.4,
    "2.001016": 0.3, "2.001406": 0.5, "2.000942": 0.5, "2.000908": 1, "1.012812": 0.6,
    "1.013967": 0.3, "1.013225": 0.8, "2.001263": 0.1, "1.004884": 0.8, "1.001022": 0.4,
    "1.000689": 0.3, "1.004746": 0.2, "1.005461": 0.2, "1.004837": 0.2, "1.004845": 0.1,
    "1.004772": 0.3, "1.003583": 0.1, "2.000986": 0.5, "2.001023": 0.5,
}
_DEFAULT_POPULARITY = 0.5
_DEPARTMENT_OF_FIELD = {
    "Hộ tịch": TU_PHAP, "Chứng thực": TU_PHAP, "Nuôi con nuôi": TU_PHAP,
    "Đất đai": DIA_CHINH, "Hoạt động xây dựng": DIA_CHINH,
}
#: TenPhiLePhi of the fees, by field.
_FEE_NAMES = {
    "Chứng thực": "Phí chứng thực", "Hộ tịch": "Lệ phí hộ tịch",
    "Nuôi con nuôi": "Lệ phí đăng ký nuôi con nuôi",
    "Đăng ký, quản lý cư trú": "Lệ phí đăng ký cư trú",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": "Lệ phí đăng ký hộ kinh doanh",
}
#: Fields whose dossiers often wait for taxes or charges (status 6).
_FINANCIAL_FIELDS = ("Đất đai", "Hoạt động xây dựng", "Thành lập và hoạt động doanh nghiệp",
                     "Nuôi con nuôi")

T_SUBMIT = "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công"
T_RECEIVE = {
    Channel.IN_PERSON.value: "Tiếp nhận hồ sơ",
    Channel.ONLINE.value: "Tiếp nhận hồ sơ trực tuyến",
    Channel.POST.value: "Tiếp nhận hồ sơ gửi qua dịch vụ bưu chính công ích",
}
T_TRANSFER = "Chuyển xử lý: {}"
T_SUPPLEMENT = "Yêu cầu bổ sung giấy tờ: {}"
T_SUPPLEMENT_RECEIVED = "Tiếp nhận hồ sơ bổ sung, tiếp tục xử lý"
T_FINANCIAL = "Yêu cầu thực hiện nghĩa vụ tài chính: nộp thuế, phí, lệ phí theo thông báo"
T_FINANCIAL_DONE = "Công dân đã thực hiện nghĩa vụ tài chính, tiếp tục xử lý"
T_STOP = "Dừng xử lý: {}"
T_RESUME = "Tiếp tục xử lý hồ sơ"
T_WITHDRAW = "Công dân yêu cầu rút hồ sơ"
T_WITHDRAW_ONLINE = "Công dân rút hồ sơ trên Cổng Dịch vụ công"
T_REFUSE = "Từ chối tiếp nhận hồ sơ: {}"
T_DONE = "Lãnh đạo ký duyệt, chuyển kết quả về Bộ phận một cửa"
T_DONE_QUICK = "Đã chứng thực, chuyển kết quả về Bộ phận một cửa"
T_RETURN = "Trả kết quả"
T_RETURN_POST = "Trả kết quả qua dịch vụ bưu chính công ích"

_REFUSAL_REASONS = (
    "Thành phần hồ sơ không đầy đủ theo quy định",
    "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã",
    "Giấy tờ tùy thân đã hết giá trị sử dụng",
    "Thông tin trên tờ khai không khớp với Cơ sở dữ liệu quốc gia về dân cư",
    "Bản chính giấy tờ có dấu hiệu tẩy xóa, sửa chữa",
)
_SUPPLEMENT_ASKS = (
    "bản sao Giấy chứng nhận quyền sử dụng đất",
    "tờ khai ghi chưa đủ thông tin, đề nghị kê khai lại",
    "giấy tờ chứng minh nơi cư trú",
    "văn bản ủy quyền có chứng thực",
    "bản chính Giấy chứng sinh",
    "bản vẽ thiết kế có chữ ký của đơn vị tư vấn",
    "giấy tờ chứng minh quan hệ nhân thân",
)
_STOP_REASONS = (
    "Công dân không bổ sung hồ sơ theo yêu cầu",
    "Có đơn tranh chấp liên quan, chờ cơ quan có thẩm quyền giải quyết",
    "Theo đề nghị của cơ quan phối hợp giải quyết",
    "Chờ kết quả xác minh của cơ quan liên quan",
)
N_NOT_SUPPLEMENTED = "Công dân không bổ sung hồ sơ theo yêu cầu"
N_WITHDRAW = "Công dân có đơn đề nghị rút hồ sơ"
N_WITHDRAW_ONLINE = "Công dân đề nghị rút hồ sơ trước khi được tiếp nhận"

# ------------------------------------------------------------------------------ SQL

_DOSSIER_COLUMNS = (
    "id", "uid", "code", "procedure_id", "channel", "status", "applicant_kind",
    "applicant_id_number", "applicant_old_id", "applicant_name", "applicant_birth_date",
    "applicant_sex", "applicant_address", "applicant_phone", "applicant_email",
    "submitter_id_number", "submitter_name", "submitter_birth_date", "submitter_sex",
    "submitter_address", "submitter_phone", "submitter_email", "summary", "note", "sets_count",
    "submitted_at", "received_at", "due_at", "original_due_at", "refused_at", "finished_at",
    "returned_at", "return_by_post", "fee_total", "paid_online", "state_secret",
    "received_by_id", "assignee_id", "created_at", "updated_at", "version",
)
_COMPONENT_COLUMNS = (
    "dossier_id", "procedure_component_id", "position", "name", "originals", "certified",
    "photocopies", "present", "digitisation_state",
)
_FEE_COLUMNS = ("dossier_id", "name", "amount", "paid", "paid_online")
_PROGRESS_COLUMNS = (
    "uid", "dossier_id", "officer_id", "officer_name", "officer_title", "department",
    "acted_at", "content", "status", "started_at", "step_deadline",
)
_BLOCK_COLUMNS = ("day", "desk", "first", "last", "last_used", "source")


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


# ---------------------------------------------------------------------- time helpers

_BASE = datetime(2000, 1, 1)
_BASE_DAY = _BASE.date()
_DAY = 86400
_SLOT = 1800  # due dates are cached per 30-minute reception slot
_UUID_MASK = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID_BITS = (0x4 << 76) | (0x2 << 62)


@cache
def _clock_texts() -> tuple[str, ...]:
    """"HH:MM:SS.000000" for every second of a day (SQLAlchemy's SQLite DATETIME format)."""
    return tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(_DAY))


def _seconds(moment: datetime) -> int:
    return (moment - _BASE) // timedelta(seconds=1)


def _moment(seconds: int) -> datetime:
    return _BASE + timedelta(seconds=seconds)


def _minutes_of(clock: time) -> int:
    return clock.hour * 60 + clock.minute


# ------------------------------------------------------------------------ the builder


@dataclass
class _Procedure:
    id: int
    code: str
    field: str
    short: str
    department: str
    quick: bool
    financial: float
    online: bool
    post: bool
    short_time: bool
    spec: tuple[Any, ...]
    online_spec: tuple[Any, ...]
    fees: dict[str, list[tuple[str, int]]]
    components: list[tuple[int, int, str, int, int, int, bool]]


def _time_spec(amount: float | None, unit: str | None, cutoff: str | None) -> tuple[Any, ...]:
    """(amount, unit, cutoff) with the demo's assumptions for missing values."""
    if amount is None:
        amount = 1.0
    the_unit = TimeUnit(unit) if unit else TimeUnit.WORKING_DAYS
    clock = None
    if cutoff:
        hh, mm = cutoff.split(":")
        clock = time(int(hh), int(mm))
    return (amount, the_unit, clock)


class _Builder:
    """Generates the rows of a demo; one instance per create_demo call."""

    def __init__(self, *, rng: random.Random, now: datetime, calendar: WorkCalendar,
                 agency_code: str, desk: int, procedures: list[_Procedure],
                 officers: list[tuple[int | None, str, str, str]], n: int) -> None:
        self.rng = rng
        self.now = now
        self.now_s = _seconds(now)
        self.cal = calendar
        self.agency = agency_code
        self.desk = desk
        self.procs = procedures
        self.officers = officers  # index 0: the citizen (filled per row)
        self.n = n
        self.today = self.now_s // _DAY
        self.first_day = self.today - HISTORY_DAYS
        self.due_cache: dict[int, int] = {}
        self.spec_ids: dict[tuple[Any, ...], int] = {}
        self._day_texts: dict[int, str] = {}
        self.clock = _clock_texts()
        self._build_axis()

    # --- formatting ---------------------------------------------------------------

    def day_text(self, day: int) -> str:
        text = self._day_texts.get(day)
        if text is None:
            text = (_BASE_DAY + timedelta(days=day)).isoformat() + " "
            self._day_texts[day] = text
        return text

    def fmt(self, seconds: int | None) -> str | None:
        if seconds is None:
            return None
        return self.day_text(seconds // _DAY) + self.clock[seconds % _DAY]

    # --- working time -------------------------------------------------------------

    def _build_axis(self) -> None:
        """Every office minute (minutes since _BASE) from before the history to well after now."""
        hours = self.cal.hours
        periods = ((_minutes_of(hours.morning_start), _minutes_of(hours.morning_end)),
                   (_minutes_of(hours.afternoon_start), _minutes_of(hours.afternoon_end)))
        axis = array("q")
        self.day_first: dict[int, tuple[int, int]] = {}
        for day in range(self.first_day - 7, self.today + 600):
            if not self.cal.is_working_day(_BASE_DAY + timedelta(days=day)):
                continue
            first = len(axis)
            base = day * 1440
            for a, b in periods:
                axis.extend(range(base + a, base + b))
            self.day_first[day] = (first, len(axis) - first)
        self.axis = axis
        self.axis_len = len(axis)
        # Positions strictly before now's minute may hold a reception time.
        self.now_pos = bisect.bisect_left(axis, self.now_s // 60)

    def at(self, pos: int) -> int:
        """Seconds of an office minute on the axis (with some seconds, deterministic)."""
        if pos >= self.axis_len:
            pos = self.axis_len - 1
        return self.axis[pos] * 60 + (pos * 37 + 11) % 60

    def pos_after(self, seconds: int) -> int:
        """The first office minute after the minute of `seconds`."""
        return bisect.bisect_left(self.axis, seconds // 60 + 1)

    # --- due dates ----------------------------------------------------------------

    def spec_id(self, spec: tuple[Any, ...]) -> int:
        sid = self.spec_ids.get(spec)
        if sid is None:
            sid = self.spec_ids[spec] = len(self.spec_ids) + 1
        return sid

    def _due_direct(self, spec: tuple[Any, ...], seconds: int) -> int:
        amount, unit, cutoff = spec
        return _seconds(due_at(_moment(seconds), amount, unit, self.cal, cutoff=cutoff))

    def due(self, spec: tuple[Any, ...], sid: int, received: int) -> int:
        """due_at for a reception time, cached per 30-minute slot where it is linear."""
        slot = received // _SLOT
        offset = received - slot * _SLOT
        if offset >= 60:
            key = sid << 32 | slot
            base = self.due_cache.get(key)
            if base is None:
                a, b = slot * _SLOT + 60, slot * _SLOT + _SLOT - 1
                due_a, due_b = self._due_direct(spec, a), self._due_direct(spec, b)
                base = due_a - 60 if due_b - due_a == b - a else -1
                self.due_cache[key] = base
            if base >= 0:
                return base + offset
        return self._due_direct(spec, received)

    def extended(self, due: int, paused: int, resumed: int) -> int:
        return _seconds(extend_for_supplement(_moment(due), _moment(paused), _moment(resumed),
                                              self.cal))

    # --- ids ----------------------------------------------------------------------

    def uid(self) -> str:
        h = f"{self.rng.getrandbits(128) & _UUID_MASK | _UUID_BITS:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # --- citizens -----------------------------------------------------------------

    def make_citizens(self, count: int) -> list[tuple[Any, ...]]:
        rng = self.rng
        rnd = rng.random
        family_names = [f for f, _ in _FAMILY]
        family_cum = []
        total = 0
        for _, w in _FAMILY:
            total += w
            family_cum.append(total)
        now_year = (_BASE_DAY + timedelta(days=self.today)).year
        seen: set[str] = set()
        people = []
        while len(people) < count:
            male = rnd() < 0.48
            family = family_names[bisect.bisect(family_cum, rnd() * total)]
            if male:
                middle = rng.choice(_MIDDLE_MALE)
                given = rng.choice(_GIVEN_MALE)
            else:
                middle = rng.choice(_MIDDLE_FEMALE)
                if rnd() < 0.3:
                    middle += " " + rng.choice(_SECOND_MIDDLE_FEMALE)
                given = rng.choice(_GIVEN_FEMALE)
            name = f"{family} {middle} {given}"
            age = 20 + int(60 * rnd() ** 1.3)
            year = now_year - age
            birth = date(year, 1, 1) + timedelta(days=int(rnd() * 365))
            province = _HOME_PROVINCE if rnd() < 0.75 else rng.choice(_PROVINCES)
            digit = (0 if year < 2000 else 2) + (0 if male else 1)
            id_number = f"{province}{digit}{year % 100:02d}{rng.randrange(1_000_000):06d}"
            if id_number in seen:
                continue
            seen.add(id_number)
            old_id = ""
            if year < 1995 and rnd() < 0.25:
                old_id = f"27{rng.randrange(10_000_000):07d}"
            hamlet = rng.choice(_HAMLETS)
            street = f"Số {rng.randrange(1, 300)}, tổ {rng.randrange(1, 12)}, " if rnd() < 0.4 else ""
            commune = "xã Tân Phú" if rnd() < 0.85 else rng.choice(_OTHER_COMMUNES)
            address = f"{street}{hamlet}, {commune}, tỉnh Đồng Nai"
            phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
            email = ""
            if rnd() < 0.25:
                email = (fold(name).replace(" ", "") + f"{year % 100:02d}@"
                         + rng.choice(_MAIL_DOMAINS))
            sex = "Nam" if male else "Nữ"
            people.append((id_number, old_id, name, birth.isoformat(), sex, address, phone, email))
        return people

    # --- arrival times ------------------------------------------------------------

    def _day_weight(self, day: int) -> float:
        growth = 0.75 + 0.5 * (day - self.first_day) / HISTORY_DAYS
        weekday = (_BASE_DAY + timedelta(days=day)).weekday()
        return growth * (1.15 if weekday == 0 else 0.95 if weekday == 4 else 1.0)

    def arrival_samplers(self) -> None:
        """Weighted days for desk receptions (working days) and online submissions (all days)."""
        desk_days, desk_cum, total = [], [], 0.0
        for day in range(self.first_day, self.today + 1):
            info = self.day_first.get(day)
            if info is None:
                continue
            first, count = info
            if day == self.today:
                count = min(count, self.now_pos - first)
                if count <= 0:
                    continue
                weight = self._day_weight(day) * count / info[1]
            else:
                weight = self._day_weight(day)
            desk_days.append((day, first, count))
            total += weight
            desk_cum.append(total)
        self.desk_days, self.desk_cum, self.desk_total = desk_days, desk_cum, total
        web_days, web_cum, total = [], [], 0.0
        for day in range(self.first_day, self.today + 1):
            weight = self._day_weight(day) * (1.0 if day in self.day_first else 0.55)
            web_days.append(day)
            total += weight
            web_cum.append(total)
        self.web_days, self.web_cum, self.web_total = web_days, web_cum, total
        hour_weights = (1, 0.5, 0.3, 0.3, 0.4, 1, 3, 7, 10, 10, 9, 8, 6, 6, 8, 9, 8, 7, 6, 7,
                        8, 7, 5, 2)
        self.hour_cum = []
        acc = 0.0
        for w in hour_weights:
            acc += w
            self.hour_cum.append(acc)

    def desk_time(self, before_day: int | None = None) -> int:
        rnd = self.rng.random
        while True:
            day, first, count = self.desk_days[
                bisect.bisect(self.desk_cum, rnd() * self.desk_total)]
            if before_day is not None and day >= before_day:
                continue
            pos = first + int(rnd() * count)
            return self.axis[pos] * 60 + int(rnd() * 60)

    def web_time(self, before_day: int | None = None) -> int:
        rnd = self.rng.random
        while True:
            day = self.web_days[bisect.bisect(self.web_cum, rnd() * self.web_total)]
            if before_day is not None and day >= before_day:
                continue
            hour = bisect.bisect(self.hour_cum, rnd() * self.hour_cum[-1])
            t = day * _DAY + hour * 3600 + int(rnd() * 3600)
            if t <= self.now_s:
                return t

    def arrivals(self) -> list[int]:
        """Sorted keys: first-event seconds * 64 + forced status * 4 + channel."""
        rnd, n = self.rng.random, self.n
        self.arrival_samplers()
        keys = []
        forced_count = min(n, 10)
        for i in range(forced_count):
            status = i + 1
            if status == 1:
                t, ch = self.now_s - 3600 - int(rnd() * 20 * 3600), 2
            elif status in (2, 3):
                pos = self.now_pos - 1 - int(rnd() * 400)
                t, ch = self.axis[pos] * 60 + int(rnd() * 60), 1
            else:
                pos = self.now_pos - 480 * 25 - int(rnd() * 480 * 5)
                t, ch = self.axis[pos] * 60 + int(rnd() * 60), 1
            keys.append(t * 64 + status * 4 + ch)
        for _ in range(n - forced_count):
            u = rnd()
            ch = 2 if u < 0.40 else 3 if u < 0.45 else 1
            t = self.web_time() if ch == 2 else self.desk_time()
            keys.append(t * 64 + ch)
        keys.sort()
        # Caps: at most TODAY_LIMIT today, at most MAX_SEQUENCE on any day.
        for _ in range(20):
            per_day = Counter(k // 64 // _DAY for k in keys)
            excess = []
            kept = []
            seen: Counter[int] = Counter()
            for k in reversed(keys):  # move the latest of an overfull day
                day = k // 64 // _DAY
                limit = TODAY_LIMIT if day == self.today else MAX_SEQUENCE
                if per_day[day] - seen[day] > limit and (k >> 2) & 15 == 0:
                    seen[day] += 1
                    excess.append(k)
                else:
                    kept.append(k)
            if not excess:
                break
            for k in excess:
                ch = k & 3
                t = self.web_time(self.today) if ch == 2 else self.desk_time(self.today)
                kept.append(t * 64 + ch)
            kept.sort()
            keys = kept
        return keys


def _load_procedures(session: Any) -> list[_Procedure]:
    result = []
    procs = session.execute(
        select(Procedure).where(Procedure.active.is_(True)).order_by(Procedure.id)
    ).scalars()
    for p in procs:
        field_name = p.field.name
        spec = _time_spec(p.time_amount, p.time_unit, p.cutoff)
        online_spec = _time_spec(
            p.online_time_amount if p.online_time_amount is not None else p.time_amount,
            p.online_time_unit if p.online_time_amount is not None else p.time_unit,
            p.cutoff,
        )
        fees: dict[str, list[tuple[str, int]]] = {c.value: [] for c in Channel}
        channels = set()
        short = p.name.strip()
        if short.lower().startswith("thủ tục "):
            short = short[len("thủ tục "):]
        short = short[:1].upper() + short[1:]
        for f in p.fees:
            channels.add(f.channel)
            if f.currency == "VND" and f.amount > 0:
                fee_name = _FEE_NAMES.get(field_name, "Phí, lệ phí")
                fees.setdefault(f.channel, []).append((fee_name, f.amount))
        components = [
            (c.id, c.position, c.name, c.originals, c.certified, c.photocopies,
             is_conditional_component(c.name))
            for c in p.components
        ]
        amount, unit, _ = spec
        result.append(_Procedure(
            id=p.id, code=p.code, field=field_name, short=short[:150],
            department=_DEPARTMENT_OF_FIELD.get(field_name, VAN_HOA),
            quick=field_name == "Chứng thực" and p.time_amount is None,
            financial=0.25 if field_name.startswith(_FINANCIAL_FIELDS) else 0.01,
            online=p.online_level in ("3", "4"),
            post=Channel.POST.value in channels,
            short_time=unit is not TimeUnit.CALENDAR_DAYS and amount <= 5,
            spec=spec, online_spec=online_spec, fees=fees, components=components,
        ))
    return result


# --------------------------------------------------------------------------- the API


def create_demo(paths: DataPaths, *, dossiers: int = DEFAULT_DOSSIERS, seed: int = 1,
                now: datetime | None = None,
                progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Create the demo office with `dossiers` dossiers in an empty data folder.

    Raises ValidationError when the folder already has an office or the
    number of dossiers is out of range. Same seed and `now` → same dossiers.
    """
    started = _time.monotonic()
    if not 0 <= dossiers <= MAX_DOSSIERS:
        raise ValidationError({
            "dossiers": f"Số hồ sơ mẫu phải từ 0 đến {MAX_DOSSIERS:,}.".replace(",", "."),
        })
    now = (now or datetime.now()).replace(microsecond=0)
    if not 2002 <= now.year <= 2099:
        raise ValidationError({"now": "Ngày hiện tại của dữ liệu mẫu phải trong khoảng 2002–2099."})
    store = open_store(paths)
    try:
        with store.reading() as session:
            if is_initialised(session):
                raise ValidationError({
                    "office": "Thư mục dữ liệu này đã có văn phòng. Văn phòng mẫu chỉ được tạo "
                              "trong một thư mục dữ liệu mới (trống).",
                })
        summary = _create(store, dossiers=dossiers, seed=seed, now=now, progress=progress)
        summary.seconds = _time.monotonic() - started
        summary.database_bytes = _database_bytes(paths)
        return summary
    finally:
        store.close()


def _database_bytes(paths: DataPaths) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        p = paths.database.with_name(paths.database.name + suffix)
        if p.exists():
            total += p.stat().st_size
    return total


def _create(store: Store, *, dossiers: int, seed: int, now: datetime,
            progress: Callable[[int, int], None] | None) -> DemoSummary:
    history_start = datetime.combine(now.date() - timedelta(days=HISTORY_DAYS), time(0, 0))
    initialise_office(store, DEMO_OFFICE, DEMO_ADMIN, actor=Actor.system("demo"),
                      now=history_start)
    actor = Actor.system("demo")
    with store.transaction() as session:
        for o in DEMO_OFFICERS:
            auth.create_officer(session, actor, username=o.username, full_name=o.full_name,
                                password=o.password, password_confirm=o.password,
                                roles=o.roles, title=o.title, department=o.department,
                                now=history_start)
    with store.reading() as session:
        office = get_office(session)
        assert office is not None
        agency, desk = office.agency_code, office.desk_number
        calendar = load_calendar(session)
        procedures = _load_procedures(session)
        staff = {o.username: (o.id, o.full_name[:50], o.title, o.department)
                 for o in session.execute(select(Officer)).scalars()}
    with store.transaction() as session:
        # The demo's assumption for procedures published without a unit (see
        # _time_spec), recorded in the catalogue so that reception in the demo
        # office computes due dates the same way.
        confirm_missing_units(session, actor, at=history_start)
    officers = [
        (None, "", "Công dân", ""),  # 0: the applicant (online submission, withdrawal)
        staff["tiepnhan1"], staff["tiepnhan2"],
        staff["tuphap"], staff["diachinh"], staff["vanhoa"],
        staff["lanhdao"],
    ]
    rng = random.Random(seed)
    builder = _Builder(rng=rng, now=now, calendar=calendar, agency_code=agency, desk=desk,
                       procedures=procedures, officers=officers, n=dossiers)
    writer = _Writer(store, builder, dossiers, progress)
    summary = writer.run()
    raw = store.engine.raw_connection()
    try:
        rebuild_search_index(raw.driver_connection)  # also registers motcua_fold
        # Bulk rows bypass the models' save hook: the names' sort key in one statement.
        raw.driver_connection.execute(
            "UPDATE dossiers SET applicant_sort = substr(motcua_fold(applicant_name), 1, 255)")
    finally:
        raw.close()
    summary.officers = [DEMO_ADMIN.username] + [o.username for o in DEMO_OFFICERS]
    with store.transaction() as session:
        audit.record(session, actor, "demo.create", "demo", "", after={
            "dossiers": summary.dossiers, "progress_rows": summary.progress_rows,
            "components": summary.components, "fees": summary.fees,
            "by_status": {str(k): v for k, v in sorted(summary.by_status.items())},
            "resolved_late": summary.resolved_late,
            "overdue_in_progress": summary.overdue_in_progress,
            "first_day": summary.first_day.isoformat() if summary.first_day else None,
            "last_day": summary.last_day.isoformat() if summary.last_day else None,
            "seed": seed, "now": now.isoformat(), "officers": summary.officers,
        })
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return summary


class _Writer:
    """Generates the dossiers in time order and writes them in chunks."""

    def __init__(self, store: Store, builder: _Builder, total: int,
                 progress: Callable[[int, int], None] | None) -> None:
        self.store = store
        self.b = builder
        self.total = total
        self.progress = progress
        self.chunk = max(250, min(10_000, total // 20 or 250))
        self.reported = -1

    def report(self, done: int) -> None:
        if self.progress and done != self.reported:
            self.reported = done
            self.progress(done, self.total)

    def run(self) -> DemoSummary:
        b = self.b
        self.report(0)
        keys = b.arrivals()
        citizens = b.make_citizens(max(300, min(self.total // 4, 40_000)))
        with self.store.engine.connect() as conn:
            next_id = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM dossiers").scalar()
        bulk = _Bulk(self.store)
        try:
            summary = self._generate(bulk, keys, citizens, (next_id or 0) + 1)
            bulk.finish()
        finally:
            bulk.close()
        self.report(self.total)
        return summary

    def _generate(self, bulk: _Bulk, keys: list[int], citizens: list[tuple[Any, ...]],
                  next_id: int) -> DemoSummary:
        b = self.b
        rng = b.rng
        rnd = rng.random
        expo = rng.expovariate
        at = b.at
        now_s = b.now_s
        d0 = b.first_day - 10
        day_texts = [b.day_text(d) for d in range(d0, b.today + 800)]
        n_texts = len(day_texts)
        clock = b.clock

        def fmt(seconds: int | None) -> str | None:
            if seconds is None:
                return None
            i = seconds // _DAY - d0
            if 0 <= i < n_texts:
                return day_texts[i] + clock[seconds % _DAY]
            return b.fmt(seconds)

        officers = b.officers
        n_cit = len(citizens)
        history_start_s = b.first_day * _DAY
        span = max(1, now_s - history_start_s)

        # Procedures by channel, weighted by popularity.
        by_channel: dict[int, tuple[list[_Procedure], list[float]]] = {}
        for ch in (1, 2, 3):
            allowed = [p for p in b.procs
                       if ch == 1 or (ch == 2 and p.online) or (ch == 3 and p.post)]
            if not allowed:
                allowed = list(b.procs)
            cum, acc = [], 0.0
            for p in allowed:
                acc += _POPULARITY.get(p.code, _DEFAULT_POPULARITY)
                cum.append(acc)
            by_channel[ch] = (allowed, cum)
        forced_pool = [p for p in b.procs if p.short_time and not p.quick] or list(b.procs)
        dept_officer = {TU_PHAP: 3, DIA_CHINH: 4, VAN_HOA: 5}
        sids = {p.id: (b.spec_id(p.spec), b.spec_id(p.online_spec)) for p in b.procs}

        code_prefix: dict[int, str] = {}
        per_day: Counter[int] = Counter()
        by_status: Counter[int] = Counter()
        n_progress = n_components = n_fees = late = overdue = 0

        sql_d = _insert_sql("dossiers", _DOSSIER_COLUMNS)
        sql_c = _insert_sql("dossier_components", _COMPONENT_COLUMNS)
        sql_f = _insert_sql("dossier_fees", _FEE_COLUMNS)
        sql_p = _insert_sql("progress_rows", _PROGRESS_COLUMNS)
        d_rows: list[tuple[Any, ...]] = []
        c_rows: list[tuple[Any, ...]] = []
        f_rows: list[tuple[Any, ...]] = []
        p_rows: list[tuple[Any, ...]] = []

        def flush(done: int) -> None:
            nonlocal d_rows, c_rows, f_rows, p_rows
            bulk.put([(sql_d, d_rows), (sql_c, c_rows), (sql_f, f_rows), (sql_p, p_rows)],
                     done)
            d_rows, c_rows, f_rows, p_rows = [], [], [], []
            self.report(bulk.written)

        dossier_id = next_id
        for index, key in enumerate(keys):
            t0 = key >> 6
            forced = (key >> 2) & 15
            ch = key & 3
            ch_s = str(ch)
            # --- procedure, applicant -------------------------------------------------
            if forced >= 4:
                proc = forced_pool[int(rnd() * len(forced_pool))]
            else:
                plist, pcum = by_channel[ch]
                proc = plist[bisect.bisect(pcum, rnd() * pcum[-1])]
            if ch == 2:
                spec, sid = proc.online_spec, sids[proc.id][1]
            else:
                spec, sid = proc.spec, sids[proc.id][0]
            applicant = int(rnd() * n_cit)
            person = citizens[applicant]
            other = None
            if rnd() < 0.15:  # an authorised person submits for the applicant
                submitter = int(rnd() * n_cit)
                if submitter == applicant:
                    submitter = (submitter + 1) % n_cit
                other = citizens[submitter]
            fd = 1 if rnd() < 0.55 else 2
            spec_officer = dept_officer[proc.department]
            # --- the dossier's life ---------------------------------------------------
            steps: list[tuple[int, int, int, str, str]] = []
            ext_due = None
            ext_step = -1
            due0 = None
            while True:  # one pass; `break` ends the life at the current step
                if ch == 2:
                    steps.append((1, t0, 0, T_SUBMIT, ""))
                    if forced == 1 or (not forced and rnd() < 0.004):
                        break
                    delay = (int(expo(1 / 150)) if rnd() < 0.75
                             else 240 + int(rnd() * 960))
                    p_r = b.pos_after(t0) + delay
                    u = rnd()
                    if forced == 3 or (not forced and u < 0.05):
                        note = rng.choice(_REFUSAL_REASONS)
                        steps.append((3, at(p_r), fd, T_REFUSE.format(note), note))
                        break
                    if not forced and u < 0.065:
                        steps.append((7, at(p_r), 0, T_WITHDRAW_ONLINE, N_WITHDRAW_ONLINE))
                        break
                    t_r = at(p_r)
                else:
                    p_r = bisect.bisect_left(b.axis, t0 // 60)
                    t_r = t0
                    if forced == 3 or (not forced and rnd() < 0.03):
                        note = rng.choice(_REFUSAL_REASONS)
                        steps.append((3, t_r, fd, T_REFUSE.format(note), note))
                        break
                steps.append((2, t_r, fd, T_RECEIVE[ch_s], ""))
                due0 = b.due(spec, sid, t_r)
                if forced == 2 or (not forced and rnd() < 0.003):
                    break
                p_due = bisect.bisect_left(b.axis, due0 // 60)
                span_d = max(p_due - p_r, 30)
                if proc.quick and forced < 4 and rnd() < 0.85:
                    p9 = p_r + 5 + int(rnd() * 90)
                    steps.append((9, at(p9), 6, T_DONE_QUICK, ""))
                    steps.append((10, at(p9 + 1 + int(rnd() * 30)), fd, T_RETURN, ""))
                    break
                p4 = p_r + 3 + int(rnd() * min(span_d * 0.15, 240))
                steps.append((4, at(p4), fd, T_TRANSFER.format(proc.department), ""))
                cur = p4
                if forced < 4 and rnd() < LATE_SHARE:
                    p9 = p_r + int(span_d * (1.03 + 0.45 * rnd())) + int(rnd() * 960)
                else:
                    p9 = p_r + int(span_d * (0.3 + 0.68 * rnd()))
                if p9 <= cur + 10:
                    p9 = cur + 10 + int(rnd() * 30)
                # supplement round
                if forced == 5 or (not forced and rnd() < 0.09):
                    p5 = cur + 1 + int((p9 - cur) * 0.5 * rnd())
                    t5 = at(p5)
                    steps.append((5, t5, spec_officer,
                                  T_SUPPLEMENT.format(rng.choice(_SUPPLEMENT_ASKS)), ""))
                    cur = p5
                    if forced == 5:
                        break
                    a = rnd()
                    if a < 0.10:
                        break
                    if a < 0.16:
                        steps.append((8, at(cur + 480 * 20 + int(rnd() * 4800)), 6,
                                      T_STOP.format(N_NOT_SUPPLEMENTED), N_NOT_SUPPLEMENTED))
                        break
                    wait = 120 + int(expo(1 / 1440))
                    p4b = cur + wait
                    t4b = at(p4b)
                    steps.append((4, t4b, fd, T_SUPPLEMENT_RECEIVED, ""))
                    ext_due = b.extended(due0, t5, t4b)
                    ext_step = len(steps) - 1
                    p9 += p4b - p5
                    cur = p4b
                    if p9 <= cur + 10:
                        p9 = cur + 10 + int(rnd() * 30)
                # financial obligation
                if forced == 6 or (not forced and rnd() < proc.financial):
                    p6 = cur + 1 + int((p9 - cur) * (0.4 + 0.5 * rnd()))
                    steps.append((6, at(p6), spec_officer, T_FINANCIAL, ""))
                    cur = p6
                    if forced == 6 or rnd() < 0.06:
                        break
                    wait = 30 + int(expo(1 / 960))
                    cur += wait
                    if rnd() < 0.5:
                        steps.append((4, at(cur), spec_officer, T_FINANCIAL_DONE, ""))
                    if p9 <= cur + 10:
                        p9 = cur + 10 + int(rnd() * 120)
                # stop
                if forced == 8 or (not forced and rnd() < 0.025):
                    p8 = cur + 1 + int((p9 - cur) * 0.5 * rnd())
                    reason = rng.choice(_STOP_REASONS)
                    steps.append((8, at(p8), 6, T_STOP.format(reason), reason))
                    cur = p8
                    a = rnd()
                    if forced == 8 or a < 0.6:
                        break
                    if a < 0.75:
                        steps.append((7, at(cur + 480 + int(rnd() * 4800)), fd, T_WITHDRAW,
                                      N_WITHDRAW))
                        break
                    wait = 480 + int(expo(1 / 2400))
                    cur += wait
                    steps.append((4, at(cur), 6, T_RESUME, ""))
                    p9 += wait
                    if p9 <= cur + 10:
                        p9 = cur + 10 + int(rnd() * 30)
                # withdrawal
                if forced == 7 or (not forced and rnd() < 0.02):
                    steps.append((7, at(cur + 1 + int((p9 - cur) * rnd())), fd, T_WITHDRAW,
                                  N_WITHDRAW))
                    break
                # stuck in processing (overdue for ever)
                if forced == 4 or (not forced and rnd() < 0.008):
                    break
                steps.append((9, at(p9), 6, T_DONE, ""))
                if forced == 9 or (not forced and rnd() < 0.025):
                    break
                if forced == 10 or rnd() < 0.85:
                    p10 = p9 + 5 + int(expo(1 / 600)) % (480 * 5)
                else:
                    p10 = p9 + 480 * 3 + int(rnd() * 4800)
                by_post = ch == 3 and rnd() < 0.7
                steps.append((10, at(p10), fd, T_RETURN_POST if by_post else T_RETURN, ""))
                break
            # --- cut at now -----------------------------------------------------------
            k = len(steps)
            while k > 1 and steps[k - 1][1] > now_s:
                k -= 1
            status = steps[k - 1][0]
            received = refused = finished = returned = assignee = None
            for st, t, _, _, _ in steps[:k]:
                if st == 2:
                    received = t
                elif st == 3:
                    refused = t
                elif st == 4:
                    assignee = officers[spec_officer][0]
                elif st == 9:
                    finished = t
                elif st == 10:
                    returned = t
            if received is not None:
                due = ext_due if 0 <= ext_step < k and ext_due is not None else due0
            else:
                due = due0 = None
            note = steps[k - 1][4]
            by_status[status] += 1
            if finished is not None and due is not None and finished > due:
                late += 1
            if status in (2, 4, 5, 6) and due is not None and due < now_s:
                overdue += 1
            # --- code ---------------------------------------------------------------
            day = t0 // _DAY
            per_day[day] += 1
            prefix = code_prefix.get(day)
            if prefix is None:
                prefix = format_dossier_code(b.agency, _BASE_DAY + timedelta(days=day), 1)[:-4]
                code_prefix[day] = prefix
            code = f"{prefix}{per_day[day]:04d}"
            # --- fees -----------------------------------------------------------------
            fee_total = 0
            paid = 1 if received is not None else 0
            paid_online = 1 if ch == 2 and paid and rnd() < 0.6 else 0
            for name, amount in proc.fees.get(ch_s, ()):
                fee_total += amount
                f_rows.append((dossier_id, name, amount, paid, paid_online))
                n_fees += 1
            # --- components -----------------------------------------------------------
            p_dig = 0.45 + 0.4 * (t0 - history_start_s) / span
            n_before = len(c_rows)
            for pc_id, pos, cname, o, c, ph, conditional in proc.components:
                if conditional and rnd() > 0.25:
                    continue
                present = 0 if rnd() < 0.03 else 1
                if not present:
                    state = 0
                elif ch == 2:
                    u = rnd()
                    state = 1 if u < 0.8 else 2 if u < 0.93 else 3
                elif rnd() < p_dig:
                    u = rnd()
                    state = 1 if u < 0.75 else 2 if u < 0.91 else 3
                else:
                    state = 0
                c_rows.append((dossier_id, pc_id, pos, cname, o, c, ph, present, state))
            if len(c_rows) == n_before and proc.components:
                pc_id, pos, cname, o, c, ph, _ = proc.components[0]
                c_rows.append((dossier_id, pc_id, pos, cname, o, c, ph, 1, 1 if ch == 2 else 0))
            n_components += len(c_rows) - n_before
            # --- progress rows --------------------------------------------------------
            prev = steps[0][1]
            for i in range(k):
                st, t, who, text, _ = steps[i]
                if st in (2, 4, 6, 9):
                    deadline = fmt(ext_due if ext_due is not None and i >= ext_step >= 0
                                   else due0)
                else:
                    deadline = None
                if who:
                    oid, oname, otitle, odept = officers[who]
                else:
                    oid, oname, otitle, odept = None, person[2][:50], "Công dân", ""
                p_rows.append((b.uid(), dossier_id, oid, oname, otitle, odept, fmt(t), text,
                               st, fmt(prev), deadline))
                prev = t
            n_progress += k
            # --- the dossier row ------------------------------------------------------
            submitted = t0
            last = steps[k - 1][1]
            if other is not None:
                sub = (other[0], other[2], other[3], other[4], other[5], other[6], other[7])
            else:
                sub = ("", "", None, "", "", "", "")
            received_by = officers[fd][0] if received or refused else None
            d_rows.append((
                dossier_id, b.uid(), code, proc.id, ch_s, status, "1",
                person[0], person[1], person[2], person[3], person[4], person[5], person[6],
                person[7], *sub,
                f"{proc.short} - {person[2]}", note, 1,
                fmt(submitted), fmt(received), fmt(due), fmt(due0), fmt(refused),
                fmt(finished), fmt(returned),
                1 if (ch == 3 and returned is not None and steps[k - 1][3] == T_RETURN_POST)
                else 0,
                fee_total, paid_online, 0,
                received_by, assignee, fmt(t0), fmt(last), k,
            ))
            dossier_id += 1
            if len(d_rows) >= self.chunk:
                flush(index + 1)
        if d_rows or c_rows or p_rows:
            flush(len(keys))
        # --- number blocks ------------------------------------------------------------
        # Each day used 0001..count; record what that took from the desk's offline block.
        block = offline_block(b.desk)
        bulk.put([(_insert_sql("number_blocks", _BLOCK_COLUMNS), [
            ((_BASE_DAY + timedelta(days=day)).isoformat(), b.desk, block.first, block.last,
             min(count, block.last) if count >= block.first else None, "offline")
            for day, count in sorted(per_day.items())
        ])], len(keys))
        days = sorted(per_day)
        return DemoSummary(
            dossiers=len(keys), progress_rows=n_progress, components=n_components,
            by_status={s.value: by_status.get(s.value, 0) for s in Status},
            seconds=0.0, database_bytes=0, fees=n_fees, resolved_late=late,
            overdue_in_progress=overdue,
            first_day=_BASE_DAY + timedelta(days=days[0]) if days else None,
            last_day=_BASE_DAY + timedelta(days=days[-1]) if days else None,
        )


class _Bulk:
    """Chunks of rows written with executemany on the engine's raw SQLite connection.

    (A writer thread was tried: slower, because sqlite3 takes the GIL back for
    every row and the two threads convoy on it.)
    """

    def __init__(self, store: Store) -> None:
        self.raw = store.engine.raw_connection()
        self.conn = self.raw.driver_connection
        self.written = 0
        for pragma in ("synchronous = OFF", "cache_size = -262144", "temp_store = MEMORY"):
            self.conn.execute(f"PRAGMA {pragma}")

    def put(self, batches: list[tuple[str, list[Any]]], done: int) -> None:
        """Write the batches in one transaction."""
        conn = self.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
        try:
            for sql, rows in batches:
                if rows:
                    conn.executemany(sql, rows)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        self.written = done

    def finish(self) -> None:
        self.conn.execute("PRAGMA analysis_limit = 1000")
        self.conn.execute("ANALYZE")
        self.conn.commit()

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA cache_size = -2000")
        finally:
            self.raw.close()

__all__ = [
    "DEFAULT_DOSSIERS",
    "DEMO_ADMIN",
    "DEMO_OFFICE",
    "DEMO_OFFICERS",
    "DEMO_PASSWORD",
    "LOGIN_HINT",
    "MAX_DOSSIERS",
    "TODAY_LIMIT",
    "DemoOfficer",
    "DemoSummary",
    "create_demo",
]
