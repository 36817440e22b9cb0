"""The wire protocol between a commune desk (the sync client) and the provincial server.

Version 1 (PROTOCOL_VERSION). Every path starts with API_PREFIX ("/api/v1");
both sides send the header ``X-Motcua-Protocol: 1``; a server answers a request
that names another major version with 400 ``protocol_version``.

Conventions
    - JSON, UTF-8. Every model ignores unknown fields (a newer peer may add
      some within a version), except the dossier snapshot and the change
      payload, which keep them (``extra="allow"``): the server stores what
      the desk sent, whole.
    - Times are Vietnam local time (UTC+7, no daylight saving) written
      ISO 8601 without an offset, as the desktop stores them
      ("2026-03-15T08:30:00"). A time received with an offset is converted
      to Vietnam time and the offset dropped. (The national-portal format
      yyyyMMddHHmmss lives in sync/national.py.)
    - Every error answer is an ErrorAnswer: ``code`` (stable, for programs),
      ``message`` (English, for logs) and ``message_vi`` (Vietnamese, for
      the officer), never a citizen's personal data.

What travels
    - login / refresh / logout: bearer tokens; the access token expires
      (TokenAnswer.expires_in), the refresh token is rotated at every use.
    - the procedure catalogue (ProcedureRecord: the shape of
      resources/seed/procedures.json) and the official calendar (CalendarDay).
    - number blocks: dossier sequence numbers reserved per desk and day
      from the province's range 9001–9999 (desktop/domain/codes.py).
    - changes: one outbox item of the desktop (desktop/services/outbox.py)
      is one Change: client-generated ``uid``, ``kind`` (the outbox action:
      "dossier.received", "dossier.processing", "apology.approve", …),
      ``dossier_uid`` and ``payload`` = the dossier snapshot (``dossier``)
      + the optional progress row (``progress``) + what hangs on the dossier
      (desktop/services/dossiers.py ``snapshot``, ``related``, ``_publish``).
      The server answers a repeat of a uid with its first answer, and a
      uid reused with other content (Change.content_hash) with 409.
    - progress rows alone (ProgressPush), keyed by their uid.
    - pull: what happened at the province since a cursor (online dossiers
      in status 1, status changes made at the province), in cursor order.
    - integrity: counts and a checksum of (uid, version, status) per office.
    - files: content-addressed by SHA-256, sent in chunks at byte offsets,
      resumable (FileState tells which byte ranges the server has),
      verified when finished.
    - reports (periodic reports such as Biểu số 06), idempotent by uid.

This module is plain data: no Qt, no database, nothing from desktop/, so
the server never imports the desktop application.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Motcua-Protocol"
#: Set on an answer that repeats the first answer to a change (or report) already received.
REPLAY_HEADER = "X-Motcua-Replayed"
API_PREFIX = f"/api/v{PROTOCOL_VERSION}"
#: Vietnam has had no daylight saving time since 1975: a fixed offset is exact.
VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

#: The province hands out dossier sequence numbers from this range (desks use 1–9000 offline).
PROVINCE_BLOCK_FIRST = 9001
PROVINCE_BLOCK_LAST = 9999
#: Files: the largest file and the largest chunk the server takes.
MAX_FILE_SIZE = 256 * 1024 * 1024
MAX_CHUNK_SIZE = 4 * 1024 * 1024
#: A ProgressPush carries at most this many rows (peers send small batches).
MAX_PROGRESS_BATCH = 50
#: A pull page holds at most this many items.
MAX_PULL_LIMIT = 500

AGENCY_CODE_RE = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")


# ------------------------------------------------------------------------------ types


def to_local_naive(value: datetime) -> datetime:
    """A datetime in Vietnam local time without tzinfo (aware values are converted)."""
    if value.tzinfo is not None:
        return value.astimezone(VN_TZ).replace(tzinfo=None)
    return value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


#: A Vietnam-local, offset-free time.
LocalDateTime = Annotated[datetime, AfterValidator(to_local_naive)]
#: Text that may arrive as null (the desktop's columns default to "").
Text = Annotated[str, BeforeValidator(_none_to_empty)]
Uid = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
AgencyCode = Annotated[str, StringConstraints(pattern=AGENCY_CODE_RE.pattern)]
StatusCode = Annotated[int, Field(ge=1, le=10)]
ChannelCode = Literal["1", "2", "3"]
Desk = Annotated[int, Field(ge=1, le=9)]
ChangeKind = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$",
                                              max_length=40)]


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are ignored, names are used as they are."""

    model_config = ConfigDict(extra="ignore")


class OpenWireModel(BaseModel):
    """A model that keeps fields it does not know (stored and forwarded whole)."""

    model_config = ConfigDict(extra="allow")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the text that content hashes are taken of."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------ errors


class ErrorAnswer(WireModel):
    """Every non-2xx answer."""

    code: str
    message: str
    message_vi: str
    details: dict[str, Any] | None = None


class ServerInfo(WireModel):
    protocol_version: int = PROTOCOL_VERSION
    server_name: str
    server_time: LocalDateTime
    api_prefix: str = API_PREFIX
    dvcqg_prefix: str = "/dvcqg"


# ------------------------------------------------------------------------- auth


class LoginRequest(WireModel):
    agency_code: AgencyCode
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: str = Field(repr=False, min_length=1, max_length=256)
    #: Which PC is logging in (host name or desk label), for the server's records.
    device: Annotated[str, StringConstraints(max_length=100)] = ""


class RefreshRequest(WireModel):
    refresh_token: str = Field(repr=False, min_length=1)


class OfficerInfo(WireModel):
    username: str
    full_name: str
    title: str = ""
    department: str = ""
    roles: list[str] = Field(default_factory=list)


class OfficeInfo(WireModel):
    agency_code: AgencyCode
    name: str


class TokenAnswer(WireModel):
    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    token_type: Literal["bearer"] = "bearer"
    #: Seconds the access token is valid from now (trust this rather than clocks).
    expires_in: int
    expires_at: LocalDateTime
    refresh_expires_at: LocalDateTime
    officer: OfficerInfo
    office: OfficeInfo


class OkAnswer(WireModel):
    ok: bool = True


# ------------------------------------------------------------------- catalogue


class ProcessingTime(OpenWireModel):
    channel: str
    amount: int | float | None = None
    unit: str | None = None
    as_published: str = ""


class ProcedureFeeRecord(OpenWireModel):
    channel: str
    amount_vnd: int | None = None
    as_published: str = ""
    description: str | None = None


class ProcedureComponentRecord(OpenWireModel):
    name: str
    section: str | None = None
    originals: int = 0
    copies: int = 0
    as_published: str = ""


class ProcedureResultRecord(OpenWireModel):
    code: str = ""
    name: str


class OnlineInfo(OpenWireModel):
    kenh_nop: list[str] = Field(default_factory=list)
    toan_trinh: bool | None = None
    ghi_chu: str | None = None


class ProcedureRecord(OpenWireModel):
    """One procedure as published (the shape of resources/seed/procedures.json).

    The desktop seeds its catalogue from ``{"procedures": [record, …]}``.
    """

    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    name: str
    field: str = ""
    level: str = ""
    applicants: str = ""
    announced_by: str | None = None
    processing_time: list[ProcessingTime] = Field(default_factory=list)
    time_rules: list[str] = Field(default_factory=list)
    fees: list[ProcedureFeeRecord] = Field(default_factory=list)
    components: list[ProcedureComponentRecord] = Field(default_factory=list)
    results: list[ProcedureResultRecord] = Field(default_factory=list)
    online: OnlineInfo | None = None
    notes: list[dict[str, Any]] = Field(default_factory=list)
    unconfirmed: list[str] = Field(default_factory=list)
    source: str = ""


class CatalogueAnswer(WireModel):
    #: SHA-256 of the catalogue's canonical JSON; send it back as ``known_version``.
    version: str
    #: True when ``known_version`` is current: ``procedures`` is then empty.
    unchanged: bool = False
    procedures: list[ProcedureRecord] = Field(default_factory=list)


class CalendarDay(WireModel):
    date: date
    kind: Literal["day_off", "working_day"]
    name: str
    #: "announced" or "rule-based estimate" (to be checked when the year's announcement comes).
    status: str = ""


class CalendarAnswer(WireModel):
    version: str
    unchanged: bool = False
    days: list[CalendarDay] = Field(default_factory=list)

    def to_holiday_table(self) -> dict[str, Any]:
        """The days in the shape of resources/seed/holidays.json (for the desktop's seeding)."""
        years: dict[str, dict[str, list[dict[str, str]]]] = {}
        for day in self.days:
            year = years.setdefault(str(day.date.year),
                                    {"days_off": [], "make_up_working_days": []})
            key = "days_off" if day.kind == "day_off" else "make_up_working_days"
            year[key].append({"date": day.date.isoformat(), "name": day.name,
                              "status": day.status})
        return {"years": years}


# ---------------------------------------------------------------- number blocks


class NumberBlockRequest(WireModel):
    #: Client-generated: a repeat (the answer was lost) gets the same block.
    request_uid: Uid
    day: date
    desk: Desk
    size: Annotated[int, Field(ge=1, le=PROVINCE_BLOCK_LAST - PROVINCE_BLOCK_FIRST + 1)] = 100


class NumberBlock(WireModel):
    agency_code: AgencyCode
    day: date
    desk: Desk
    first: Annotated[int, Field(ge=1, le=9999)]
    last: Annotated[int, Field(ge=1, le=9999)]
    request_uid: Uid
    reserved_at: LocalDateTime

    @model_validator(mode="after")
    def _ordered(self) -> NumberBlock:
        if self.last < self.first:
            raise ValueError("last < first")
        return self


class NumberBlockList(WireModel):
    blocks: list[NumberBlock] = Field(default_factory=list)


# ----------------------------------------------------------- dossiers (the payload)


class DossierSnapshot(OpenWireModel):
    """desktop.services.dossiers.snapshot(): the dossier's fields after the change.

    ``procedure_id`` is the desk's own catalogue id; ``procedure_code`` (MaTTHC)
    is what the province understands: the sync engine adds it when it sends.
    """

    uid: Uid
    code: str | None = None
    procedure_id: int | None = None
    procedure_code: str | None = None
    channel: ChannelCode = "1"
    status: StatusCode
    applicant_kind: Text = "1"
    applicant_id_number: Text = ""
    applicant_old_id: Text = ""
    applicant_name: Text = ""
    applicant_birth_date: date | None = None
    applicant_sex: Text = ""
    applicant_address: Text = ""
    applicant_phone: Text = ""
    applicant_email: Text = ""
    submitter_id_number: Text = ""
    submitter_name: Text = ""
    submitter_birth_date: date | None = None
    submitter_sex: Text = ""
    submitter_address: Text = ""
    submitter_phone: Text = ""
    submitter_email: Text = ""
    summary: Text = ""
    note: Text = ""
    reason: Text = ""
    sets_count: int = 1
    submitted_at: LocalDateTime | None = None
    received_at: LocalDateTime | None = None
    due_at: LocalDateTime | None = None
    original_due_at: LocalDateTime | None = None
    refused_at: LocalDateTime | None = None
    finished_at: LocalDateTime | None = None
    returned_at: LocalDateTime | None = None
    return_by_post: bool = False
    fee_total: int = 0
    paid_online: bool = False
    state_secret: bool = False
    assignee_id: int | None = None
    version: Annotated[int, Field(ge=1)] = 1


class ProgressData(WireModel):
    """A progress row (QuaTrinhXuLy), keyed by its client-generated uid."""

    uid: Uid
    officer_name: Annotated[str, StringConstraints(max_length=50)]  # NguoiXuLy
    officer_title: Text = ""  # ChucDanh
    department: Text = ""  # PhongBanXuLy
    acted_at: LocalDateTime  # ThoiDiemXuLy
    content: Text = ""  # NoiDungXuLy
    status: StatusCode  # TrangThai
    started_at: LocalDateTime | None = None  # NgayBatDau (the desk sends acted_at)
    step_deadline: LocalDateTime | None = None  # NgayKetThucTheoQuyDinh


class SupplementRoundData(WireModel):
    uid: Uid  # HoSoBoSungId
    requested_at: LocalDateTime | None = None
    requested_by_name: Text = ""
    content: Text = ""
    missing: list[Any] = Field(default_factory=list)
    previous_due_at: LocalDateTime | None = None
    received_at: LocalDateTime | None = None
    received_by_name: Text = ""
    new_due_at: LocalDateTime | None = None
    state: Text = "open"


class ResultData(WireModel):
    name: str  # TenGiayTo
    code: Text = ""  # MaGiayToKetQua
    recorded_at: LocalDateTime | None = None
    file_sha256: Sha256Hex | None = None


class ResultReturnData(WireModel):
    returned_at: LocalDateTime | None = None
    receiver_name: Text = ""
    receiver_id_number: Text = ""
    receiver_is_applicant: bool = True
    by_post: bool = False


class ApologyData(WireModel):
    reason: Text = ""
    original_due_at: LocalDateTime | None = None
    new_due_at: LocalDateTime | None = None
    approved_at: LocalDateTime | None = None


class ComponentData(WireModel):
    """A submitted paper (TaiLieuNop), as the desk's outbox and the province carry it."""

    name: str  # TenTepDinhKem
    code: Text = ""  # MaThanhPhanHoSo
    originals: int = 0
    certified: int = 0
    photocopies: int = 0
    present: bool = True
    #: 0 paper only, 1 digitised, 2 reused from another dossier, 3 reused from a result.
    digitisation_state: Annotated[int, Field(ge=0, le=3)] = 0
    file_sha256: Sha256Hex | None = None
    from_national_store: bool = False  # DuocLayTuKhoDMQG
    #: A peer's own attachment id and download URL (TepDinhKemId, DuongDanTaiTepTin) when
    #: the file is not on this server.
    attachment_id: Text = ""
    url: Text = ""


class FeeData(WireModel):
    """A fee (DanhSachLePhi)."""

    name: str  # TenPhiLePhi
    code: Text = ""  # MaPhiLePhi
    amount: int = 0  # Gia
    method: Text = ""  # HinhThucThu
    kind: Text = ""  # LoaiPhiLePhi
    paid: bool = False
    paid_online: bool = False


class DossierRelated(OpenWireModel):
    """What hangs on a dossier (desktop.services.dossiers.related) and travels with it."""

    supplement_rounds: list[SupplementRoundData] = Field(default_factory=list)
    results: list[ResultData] = Field(default_factory=list)
    result_return: ResultReturnData | None = None
    apologies: list[ApologyData] = Field(default_factory=list)
    #: Optional: None means "not sent" (the server keeps what it had).
    components: list[ComponentData] | None = None
    fees: list[FeeData] | None = None


class ChangePayload(DossierRelated):
    """The payload of an outbox item: the desktop's ``_publish`` writes exactly this."""

    dossier: DossierSnapshot
    progress: ProgressData | None = None
    #: What a change without a status change was about (an approved apology's id and reason).
    change: dict[str, Any] | None = None


class Change(WireModel):
    """One outbox item, as pushed to the server."""

    uid: Uid
    kind: ChangeKind
    dossier_uid: Uid
    payload: ChangePayload
    #: When the desk made the change (the outbox item's created_at).
    created_at: LocalDateTime | None = None
    #: The server version the desk's change started from; by default the snapshot's
    #: version − 1 (each desk change adds one to the version).
    base_version: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _same_dossier(self) -> Change:
        if self.payload.dossier.uid != self.dossier_uid:
            raise ValueError("dossier_uid differs from payload.dossier.uid")
        return self

    @property
    def effective_base_version(self) -> int:
        if self.base_version is not None:
            return self.base_version
        return self.payload.dossier.version - 1

    def content_hash(self) -> str:
        """SHA-256 of what makes the change: kind, dossier uid and payload.

        The envelope (created_at, base_version) is left out, so a resend whose
        envelope was rebuilt still counts as the same change.
        """
        return sha256_text(canonical_json({
            "kind": self.kind, "dossier_uid": self.dossier_uid,
            "payload": self.payload.model_dump(mode="json"),
        }))

    @classmethod
    def from_outbox(cls, *, uid: str, kind: str, dossier_uid: str,
                    payload: str | Mapping[str, Any], created_at: datetime | None = None,
                    base_version: int | None = None,
                    procedure_code: str | None = None) -> Change:
        """Build a Change from an outbox item's columns (payload as stored: JSON text)."""
        data = json.loads(payload) if isinstance(payload, str) else dict(payload)
        if procedure_code is not None:
            data["dossier"] = {**data["dossier"], "procedure_code": procedure_code}
        return cls(uid=uid, kind=kind, dossier_uid=dossier_uid, payload=data,
                   created_at=created_at, base_version=base_version)


class ChangeAnswer(WireModel):
    """200 to a Change. A repeat of the uid gets these very bytes again."""

    change_uid: Uid
    dossier_uid: Uid
    #: applied: the snapshot is now the server's; superseded: the server already had
    #: a later version from the desk (the progress row, if any, was still recorded).
    outcome: Literal["applied", "superseded"]
    #: The server's version of the dossier after this change.
    version: int
    status: StatusCode
    progress_stored: bool = False
    received_at: LocalDateTime


class DossierRecord(DossierRelated):
    """The server's current state of a dossier (for conflicts and repair by re-fetching)."""

    agency_code: AgencyCode
    version: int
    #: The version at the last change made at the province (0: none).
    province_version: int = 0
    updated_at: LocalDateTime
    dossier: DossierSnapshot
    progress: list[ProgressData] = Field(default_factory=list)


class StatusChange(WireModel):
    """A status change made at the province (a withdrawal on the portal, a stop, …)."""

    uid: Uid
    dossier_uid: Uid
    dossier_code: str | None = None
    from_status: StatusCode
    to_status: StatusCode
    #: The server version of the dossier after the change.
    version: int
    at: LocalDateTime
    content: str = ""
    reason: str = ""
    officer_name: str = ""
    department: str = ""
    progress: ProgressData


class ConflictAnswer(ErrorAnswer):
    """409 to a Change whose dossier the province changed after the desk's base version."""

    change_uid: Uid
    dossier_uid: Uid
    base_version: int
    server: DossierRecord
    province_changes: list[StatusChange] = Field(default_factory=list)


class ProgressPush(WireModel):
    dossier_uid: Uid
    rows: Annotated[list[ProgressData], Field(min_length=1, max_length=MAX_PROGRESS_BATCH)]


class ProgressAnswer(WireModel):
    dossier_uid: Uid
    stored: int
    already_stored: int


# ------------------------------------------------------------------------- pull


class PullItem(WireModel):
    #: Strictly increasing across all items of an office; save it after applying the item.
    cursor: int
    kind: Literal["online_dossier", "status_change"]
    dossier_uid: Uid
    at: LocalDateTime
    #: The dossier as it was right after this event.
    record: DossierRecord
    status_change: StatusChange | None = None


class PullAnswer(WireModel):
    items: list[PullItem] = Field(default_factory=list)
    #: The cursor to ask from next time (the last item's, or the one asked with).
    cursor: int
    has_more: bool = False
    server_time: LocalDateTime


# -------------------------------------------------------------------- integrity


class DossierDigest(WireModel):
    uid: Uid
    version: int
    status: StatusCode


def integrity_checksum(digests: Iterable[DossierDigest | tuple[str, int, int]]) -> str:
    """SHA-256 over the sorted lines ``uid|version|status``: the same on both sides when in sync.

    The desk computes it over the dossiers it has sent or received (not state secrets).
    """
    lines = []
    for d in digests:
        uid, version, status = (d.uid, d.version, d.status) if isinstance(d, DossierDigest) else d
        lines.append(f"{uid}|{int(version)}|{int(status)}\n")
    lines.sort()
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
    return h.hexdigest()


class IntegrityAnswer(WireModel):
    agency_code: AgencyCode
    dossiers: int
    progress_rows: int
    by_status: dict[int, int] = Field(default_factory=dict)
    checksum: Sha256Hex
    computed_at: LocalDateTime


class DigestPage(WireModel):
    items: list[DossierDigest] = Field(default_factory=list)
    #: Pass as ``after`` for the next page; None on the last page.
    next_after: str | None = None


# ------------------------------------------------------------------------ files


class ByteRange(WireModel):
    """Bytes ``start`` (inclusive) to ``end`` (exclusive)."""

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _ordered(self) -> ByteRange:
        if self.end < self.start:
            raise ValueError("end < start")
        return self


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping, non-adjacent ranges covering the same bytes."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def missing_ranges(size: int, have: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges of ``0..size`` not covered by ``have``."""
    out = []
    pos = 0
    for start, end in merge_ranges(have):
        if start > pos:
            out.append((pos, min(start, size)))
        pos = max(pos, end)
    if pos < size:
        out.append((pos, size))
    return [r for r in out if r[1] > r[0]]


class FileStart(WireModel):
    sha256: Sha256Hex
    size: Annotated[int, Field(ge=0, le=MAX_FILE_SIZE)]
    #: Shown to officers (the paper's name); never logged.
    name: Annotated[str, StringConstraints(max_length=255)] = ""
    media_type: Annotated[str, StringConstraints(max_length=100)] = "application/octet-stream"
    dossier_uid: Uid | None = None


class FileState(WireModel):
    sha256: Sha256Hex
    size: int
    received: list[ByteRange] = Field(default_factory=list)
    missing: list[ByteRange] = Field(default_factory=list)
    complete: bool = False
    max_chunk: int = MAX_CHUNK_SIZE


# ---------------------------------------------------------------------- reports


class ReportUpload(WireModel):
    uid: Uid
    #: e.g. "bieu-06" (Biểu số 06: dossiers received and resolved in a period).
    kind: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    period_start: date
    period_end: date
    title: Annotated[str, StringConstraints(max_length=255)] = ""
    data: dict[str, Any] = Field(default_factory=dict)
    #: The signed report file, uploaded first through the file endpoints.
    file_sha256: Sha256Hex | None = None
    created_at: LocalDateTime | None = None

    @model_validator(mode="after")
    def _period(self) -> ReportUpload:
        if self.period_end < self.period_start:
            raise ValueError("period_end before period_start")
        return self

    def content_hash(self) -> str:
        return sha256_text(canonical_json(self.model_dump(mode="json", exclude={"created_at"})))


class ReportAnswer(WireModel):
    uid: Uid
    kind: str
    period_start: date
    period_end: date
    received_at: LocalDateTime
    file_complete: bool = False


class ReportList(WireModel):
    reports: list[ReportAnswer] = Field(default_factory=list)

