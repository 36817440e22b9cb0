"""Periodic reports as definitions: what a report counts and how it is laid out.

A new periodic report is a new `ReportDefinition` registered here (`register`),
not new screens: the engine (`reports.engine.run`) computes it for any period,
the printed form (`forms.context.ReportData`, template ``bieu06.html``), the
spreadsheet (`forms.xlsx.write_report`), the JSON of the command line and the
frozen snapshots all follow from the definition.

Two kinds:

- ``aggregate``: counts of dossiers, one row per field (lĩnh vực) plus a total
  row. The definition gives the set of dossiers the report looks at (`base`,
  an SQL condition on ``dossiers AS d`` with the period as ``:f`` = first
  instant and ``:t`` = the instant after the last day) and a few
  *dimensions*, each an SQL ``CASE`` giving every such dossier one small code
  (e.g. how it came in: carried over / online / in person; where it stood at
  the end of the period: resolved early / on time / late, withdrawn, in
  progress within / past the due date). The engine runs ONE ``GROUP BY``
  (procedure, dimension codes) over a covering index and each cell is the
  count of the dossiers whose codes lie in the column's sets (`Column.when`).
  The same conditions list the dossiers behind any cell (drill-down).
  `balances` are identities between columns that every row must satisfy; the
  engine checks them and the total row (= the sum of the field rows) on every run.
- ``listing``: one row per dossier, built by a function (the tracking book,
  Mẫu 06, wraps `services.tracking_book`).

Biểu số 06 (Thông tư 01/2020/TT-VPCP), for a period [F, T) of whole days
(F = the first day 00:00, T = the day after the last day 00:00). The report
looks at the dossiers the office received (statuses 2, 4–10: never a refusal
(3) nor an online submission not yet received (1)) with a reception time
before T that had not ended before F. A dossier *ends* at its finishing time
NgayKetThucXuLy (`finished_at`, see `sql.END`), when it is withdrawn (7) or
processed (9; a returned dossier (10) keeps that time).

- (4) carried over: received before F (and, by the above, not ended at F);
- (5) newly received online: received in [F, T), channel 2;
- (6) newly received in person (1) or by post (3): received in [F, T);
- (3) = every dossier of the report = (4) + (5) + (6);
- (8)/(9)/(10) resolved: status 9 or 10 and ended in [F, T); early when it
  ended on a day before the due day, on time when on the due day at or before
  the due time, late after the due time (the control slip's rule,
  `services.slips.timeliness`); a dossier without a due date counts as on time;
- (7) = (8) + (9) + (10);
- (12)/(13) in progress at T: not ended before T (any status: received,
  processing, waiting for papers or payment, stopped, or ended later); within
  the due date when the due date is at or after T (or there is none), else
  overdue;
- (11) = (12) + (13);
- withdrawn in the period (not printed, in the JSON and the checks): status 7
  and ended in [F, T).

Balance: (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13);
and (3) = (7) + (11) + withdrawn in the period. The last one is the identity
that really holds: every dossier the report looks at either was resolved in
the period, or was withdrawn in it, or is still in progress at its end. A
refusal (3) is never received, so it is in no column; a dossier withdrawn
before it was received (1 → 7) neither. The sheet's total row is the sum of
the field rows, column by column.

The due date: the current due date, which includes the waiting time of a
supplement request (the time the citizen takes to bring papers does not count
against the office, Nghị định 61/2018/NĐ-CP Art. 19; `processing.receive_supplement`
moves `due_at` and keeps `original_due_at`); so `original_due_at` (the
appointment at reception) is NOT used: it would make every supplemented
dossier late. An apology a leader approved (Mẫu 04) gives the citizen a new
appointment but does not excuse the delay: the report measures against the
due date in force before the first approved apology (as the control slip does).
The due date is the one known when the report is made (a supplement received
after T extends it, since the waiting happened before): a saved snapshot keeps
the numbers as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from desktop.services.reports.sql import RECEIVED_IN

AGGREGATE, LISTING = "aggregate", "listing"


@dataclass(frozen=True)
class Dimension:
    """One code per dossier: an SQL ``CASE`` over ``d`` (``{end}``, ``{due}``, ``:f``, ``:t``)."""

    key: str
    sql: str
    labels: Mapping[int, str]


@dataclass(frozen=True)
class Column:
    """A column of the report: its number, headings, and which dossiers it counts.

    ``path`` are the heading levels, outermost first (columns side by side that
    share the start of their paths share those heading cells). ``when`` maps a
    dimension to the codes the column counts (several dimensions: all must
    match); empty = every dossier the report looks at. A column that is not
    ``printed`` is only in the JSON and the checks.
    """

    key: str
    path: tuple[str, ...]
    when: Mapping[str, frozenset[int]] = field(default_factory=dict)
    printed: bool = True
    description: str = ""

    @property
    def number(self) -> str:
        return f"({self.key})" if self.printed else ""

    @property
    def heading(self) -> str:
        return " – ".join(self.path)


@dataclass(frozen=True)
class Balance:
    """``total`` = the sum of ``parts``, on every row."""

    total: str
    parts: tuple[str, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # column key → how the rule says it

    def rule(self) -> str:
        def name(key: str) -> str:
            return self.names.get(key, f"({key})")

        return f"{name(self.total)} = " + " + ".join(name(p) for p in self.parts)


@dataclass(frozen=True)
class ReportDefinition:
    key: str
    title: str  # printed in bold capitals
    form_label: str  # "Biểu số 06"
    issued_by: str  # "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP"
    kind: str = AGGREGATE
    unit: str = "Số hồ sơ TTHC"
    label_heading: str = "Lĩnh vực giải quyết"  # column (2): what a row is
    base: str = ""  # SQL condition on dossiers AS d (aggregate)
    index: str | None = None  # the covering index the engine names (INDEXED BY)
    dimensions: tuple[Dimension, ...] = ()
    columns: tuple[Column, ...] = ()
    balances: tuple[Balance, ...] = ()
    landscape: bool = True
    rules_vi: tuple[str, ...] = ()  # the counting rules, in words (JSON, help)
    notes_vi: tuple[str, ...] = ()  # printed under the table
    #: listing reports: (session, period, limit, now) → forms.context.TrackingBookData-like
    build: Callable[..., Any] | None = None

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def printed_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.printed)


_REGISTRY: dict[str, ReportDefinition] = {}
REPORTS: Mapping[str, ReportDefinition] = MappingProxyType(_REGISTRY)


def register(definition: ReportDefinition) -> ReportDefinition:
    """Add a report (its key must be new); returns it."""
    if definition.key in _REGISTRY:
        raise ValueError(f"report {definition.key!r} is already registered")
    keys = [c.key for c in definition.columns]
    if len(set(keys)) != len(keys):
        raise ValueError(f"report {definition.key!r}: duplicate column keys")
    dims = {d.key for d in definition.dimensions}
    for c in definition.columns:
        if set(c.when) - dims:
            raise ValueError(f"report {definition.key!r}: column {c.key} uses an unknown dimension")
    for b in definition.balances:
        for k in (b.total, *b.parts):
            if k not in keys:
                raise ValueError(f"report {definition.key!r}: balance names unknown column {k}")
    _REGISTRY[definition.key] = definition
    return definition


class UnknownReport(KeyError):
    def __init__(self, key: str) -> None:
        known = ", ".join(sorted(_REGISTRY))
        super().__init__(key)
        self.message_vi = f"Không có báo cáo {key!r}. Các báo cáo: {known}."

    def __str__(self) -> str:
        return self.message_vi


def get(key: str) -> ReportDefinition:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownReport(key) from None


# ----------------------------------------------------------------------- Biểu số 06

# Codes of the two dimensions (chosen as the column numbers they feed).
CARRIED, NEW_ONLINE, NEW_IN_PERSON = 4, 5, 6
EARLY, ON_TIME, LATE, WITHDRAWN, WITHIN, OVERDUE = 8, 9, 10, 0, 12, 13

_INTAKE = Dimension(
    "intake",
    "(CASE WHEN d.received_at < :f THEN 4 WHEN d.channel = '2' THEN 5 ELSE 6 END)",
    {CARRIED: "Từ kỳ trước chuyển qua", NEW_ONLINE: "Mới tiếp nhận trực tuyến",
     NEW_IN_PERSON: "Mới tiếp nhận trực tiếp hoặc qua bưu chính"},
)
_OUTCOME = Dimension(
    "outcome",
    "(CASE WHEN {end} IS NULL OR {end} >= :t THEN (CASE WHEN {due} < :t THEN 13 ELSE 12 END)"
    " WHEN d.status = 7 THEN 0"
    " WHEN {due} IS NULL THEN 9"
    " WHEN {end} > {due} THEN 10"
    " WHEN {end} < substr({due}, 1, 10) THEN 8"
    " ELSE 9 END)",
    {EARLY: "Đã giải quyết trước hạn", ON_TIME: "Đã giải quyết đúng hạn",
     LATE: "Đã giải quyết quá hạn", WITHDRAWN: "Công dân rút hồ sơ trong kỳ",
     WITHIN: "Đang giải quyết trong hạn", OVERDUE: "Đang giải quyết quá hạn"},
)

_RECEIVED = "Số hồ sơ nhận giải quyết"
_AMONG = "Trong đó"
_RESULT = "Kết quả giải quyết"
_DONE = "Số hồ sơ đã giải quyết"
_OPEN = "Số hồ sơ đang giải quyết"
_TOTAL = "Tổng số"


def _codes(*codes: int) -> frozenset[int]:
    return frozenset(codes)


BIEU_06 = register(ReportDefinition(
    key="bieu06",
    title=("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
           "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
    form_label="Biểu số 06",
    issued_by="Ban hành kèm theo Thông tư số 01/2020/TT-VPCP",
    base=(f"{RECEIVED_IN} AND d.received_at < :t AND ({{end}} IS NULL OR {{end}} >= :f)"),
    index="ix_dossiers_report",
    dimensions=(_INTAKE, _OUTCOME),
    columns=(
        Column("3", (_RECEIVED, _TOTAL), description="(4) + (5) + (6)"),
        Column("4", (_RECEIVED, _AMONG, "Từ kỳ trước chuyển qua"),
               {"intake": _codes(CARRIED)},
               description="nhận trước ngày đầu kỳ, chưa kết thúc khi kỳ bắt đầu"),
        Column("5", (_RECEIVED, _AMONG, "Mới tiếp nhận trực tuyến"),
               {"intake": _codes(NEW_ONLINE)},
               description="tiếp nhận trong kỳ, kênh trực tuyến (2)"),
        Column("6", (_RECEIVED, _AMONG,
                     "Mới tiếp nhận trực tiếp hoặc qua bưu chính"),
               {"intake": _codes(NEW_IN_PERSON)},
               description="tiếp nhận trong kỳ, trực tiếp (1) hoặc qua bưu chính (3)"),
        Column("7", (_RESULT, _DONE, _TOTAL), {"outcome": _codes(EARLY, ON_TIME, LATE)},
               description="trạng thái 9 hoặc 10, kết thúc xử lý trong kỳ"),
        Column("8", (_RESULT, _DONE, "Trước hạn"), {"outcome": _codes(EARLY)},
               description="kết thúc vào một ngày trước ngày hẹn"),
        Column("9", (_RESULT, _DONE, "Đúng hạn"), {"outcome": _codes(ON_TIME)},
               description="kết thúc trong ngày hẹn, không muộn hơn giờ hẹn"),
        Column("10", (_RESULT, _DONE, "Quá hạn"), {"outcome": _codes(LATE)},
               description="kết thúc sau thời điểm hẹn"),
        Column("11", (_RESULT, _OPEN, _TOTAL), {"outcome": _codes(WITHIN, OVERDUE)},
               description="chưa kết thúc khi hết kỳ"),
        Column("12", (_RESULT, _OPEN, "Trong hạn"), {"outcome": _codes(WITHIN)},
               description="hạn giải quyết từ cuối kỳ trở đi (hoặc không có hạn)"),
        Column("13", (_RESULT, _OPEN, "Quá hạn"), {"outcome": _codes(OVERDUE)},
               description="hạn giải quyết trước cuối kỳ"),
        Column("rut", ("Công dân rút hồ sơ trong kỳ",), {"outcome": _codes(WITHDRAWN)},
               printed=False, description="trạng thái 7, kết thúc trong kỳ"),
    ),
    balances=(
        Balance("3", ("4", "5", "6")),
        Balance("7", ("8", "9", "10")),
        Balance("11", ("12", "13")),
        Balance("3", ("7", "11", "rut"), names={"rut": "số hồ sơ rút trong kỳ"}),
    ),
    rules_vi=(
        "Hồ sơ được tính: đã tiếp nhận (trạng thái 2, 4–10; không tính hồ sơ bị từ chối và hồ "
        "sơ trực tuyến chưa tiếp nhận), tiếp nhận trước cuối kỳ và chưa kết thúc trước đầu kỳ.",
        "(4) tiếp nhận trước đầu kỳ; (5) tiếp nhận trong kỳ qua mạng; (6) tiếp nhận trong kỳ "
        "trực tiếp hoặc qua bưu chính; (3) = (4) + (5) + (6).",
        "(7) đã giải quyết: trạng thái 9 hoặc 10, thời điểm kết thúc xử lý trong kỳ; (8) kết "
        "thúc vào ngày trước ngày hẹn, (9) trong ngày hẹn và không quá giờ hẹn, (10) sau "
        "thời điểm hẹn.",
        "(11) đang giải quyết: chưa kết thúc khi hết kỳ; (12) hạn từ cuối kỳ trở đi, (13) hạn "
        "trước cuối kỳ.",
        "Hạn giải quyết: hạn hiện hành (đã cộng thời gian chờ bổ sung hồ sơ); nếu có phiếu "
        "xin lỗi đã duyệt thì dùng hạn trước phiếu xin lỗi đầu tiên.",
        "Cân đối: (3) = (7) + (11) + số hồ sơ công dân rút trong kỳ.",
    ),
))


# --------------------------------------------------------------- Mẫu 06 tracking book


def _build_tracking_book(session: Any, period: Any, *, limit: int | None = None,
                         now: Any = None) -> Any:
    """The tracking book of the period (`services.tracking_book`, unchanged), as its form data."""
    from desktop.services import tracking_book

    kwargs: dict[str, Any] = {"now": now}
    if limit is not None:
        kwargs["limit"] = limit
    return tracking_book.tracking_book(session, period.start, period.end, **kwargs)


#: (key, heading path) of the book's columns; the keys are TrackingBookRow's fields.
TRACKING_BOOK_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dossier_code", ("Mã hồ sơ",)),
    ("procedure_name", ("Nội dung hồ sơ",)),
    ("sets_count", ("Số lượng (bộ)",)),
    ("applicant_name", ("Họ tên chủ hồ sơ",)),
    ("applicant_address", ("Địa chỉ",)),
    ("applicant_phone", ("Số điện thoại",)),
    ("received_at", ("Nhận hồ sơ",)),
    ("due_at", ("Hẹn trả kết quả",)),
    ("handed_over_at", ("Chuyển hồ sơ đến cơ quan giải quyết",)),
    ("finished_at", ("Nhận kết quả từ cơ quan giải quyết",)),
    ("returned_at", ("Trả kết quả", "Ngày")),
    ("returned_by", ("Trả kết quả", "Bên giao")),
    ("returned_to", ("Trả kết quả", "Bên nhận")),
    ("received_by", ("Người nhận hồ sơ",)),
    ("note", ("Ghi chú",)),
)

TRACKING_BOOK = register(ReportDefinition(
    key="mau06",
    title="SỔ THEO DÕI HỒ SƠ",
    form_label="Mẫu số 06",
    issued_by="Ban hành kèm theo Thông tư số 01/2018/TT-VPCP",
    kind=LISTING,
    unit="Hồ sơ",
    label_heading="STT",
    columns=tuple(Column(key, path) for key, path in TRACKING_BOOK_COLUMNS),
    rules_vi=("Mỗi hồ sơ tiếp nhận trong kỳ là một dòng, theo thứ tự thời điểm tiếp nhận.",),
    build=_build_tracking_book,
))
