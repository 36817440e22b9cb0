"""Inspecting the audit trail ("Giám sát / Nhật ký thao tác"): filtered pages, labels, diffs.

Qt-free. Every function takes the caller's read session and returns plain
frozen dataclasses: no ORM object crosses to the UI thread. The trail itself
is written by `services.audit`; this module only reads it.

Order and pages
    Newest first: (at, id) descending. The next page starts after the last
    row seen (`key_of`): `(at, id) < (last at, last id)`, so page 5,000 costs
    what page 1 costs and events recorded meanwhile are neither skipped nor
    repeated. Never OFFSET.

Plans (indexes of migration 0006, named with INDEXED BY)
    Each filter has an index ordered by time within its value: officer
    `(actor_id, at)`, action `(action, at)`, the entity an event concerns
    `(entity, entity_id, at)`; without either, `(at)`. A single-column SQLite
    index ends with the rowid, so each one is exactly the keyset order and a
    page reads `limit` index entries plus the rows it returns. With both an
    officer and an action, the term with fewer matches in the period (counted
    on the index, capped at PROBE_CAP) drives the walk and the other is tested.

Dossiers
    Dossier events are recorded with entity "dossier" and the dossier's code
    as entity id (its uid while it has no code); apology proposals and
    rejections with entity "apology" and the apology's id. `events(dossier=…)`
    resolves a code (or a dossier id, or a uid) through the dossiers table and
    matches all of these.

Labels
    Action, field and value labels are Vietnamese constants (this layer has no
    Qt translations). An action without a label is shown by its raw name; a
    test keeps ACTION_LABELS_VI complete for every action the services record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.domain.text import fold
from desktop.services.auth import ROLE_LABELS_VI
from desktop.services.validation import ValidationError
from desktop.store.models import Apology, Dossier, Officer, Procedure, Role

#: Events per page of the inspection list.
PAGE_SIZE = 200
#: With an officer and an action, each term's matches are counted up to this many.
PROBE_CAP = 20_000
#: `officer_id` for the events of no officer: setup, command-line tools, unknown user names.
NO_OFFICER = 0

# ------------------------------------------------------------------------------- labels

#: Every action the services record, grouped as the filter lists them.
ACTION_LABELS_VI: dict[str, str] = {
    # services.dossiers: "dossier.<status>" for each status a dossier is created in or moves to.
    "dossier.new_online": "Hồ sơ trực tuyến mới đăng ký",
    "dossier.received": "Tiếp nhận hồ sơ",
    "dossier.refused": "Từ chối tiếp nhận hồ sơ",
    "dossier.processing": "Chuyển hồ sơ sang đang xử lý",
    "dossier.supplement_requested": "Yêu cầu bổ sung giấy tờ",
    "dossier.financial_obligation": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "dossier.withdrawn": "Công dân rút hồ sơ",
    "dossier.stopped": "Dừng xử lý hồ sơ",
    "dossier.processed": "Hoàn thành xử lý hồ sơ",
    "dossier.returned": "Trả kết quả",
    "dossier.state_secret": "Đánh dấu hồ sơ mật",
    # services.digitisation
    "dossier.digitise": "Số hóa giấy tờ của hồ sơ",
    "dossier.papers": "Cập nhật giấy tờ số hóa của hồ sơ",
    "dossier.digitise_reuse": "Dùng lại giấy tờ đã số hóa",
    "dossier.digitise_remove": "Bỏ giấy tờ số hóa khỏi hồ sơ",
    # services.processing: apologies (Mẫu 04).
    "apology.propose": "Lập phiếu xin lỗi, hẹn lại",
    "apology.approve": "Duyệt phiếu xin lỗi",
    "apology.reject": "Không duyệt phiếu xin lỗi",
    # services.reception
    "reception.guidance": "Hướng dẫn bổ sung hồ sơ tại quầy",
    # services.auth
    "login.success": "Đăng nhập",
    "login.failed": "Đăng nhập sai mật khẩu",
    "login.locked": "Tạm khóa tài khoản do sai mật khẩu nhiều lần",
    "login.unknown_user": "Đăng nhập bằng tên không tồn tại",
    "officer.create": "Thêm cán bộ",
    "officer.update": "Sửa thông tin cán bộ",
    "officer.password": "Đặt lại mật khẩu",
    "officer.unlock": "Mở khóa tài khoản",
    # services.reminders
    "reminders.preferences": "Đổi cách nhắc việc của mình",
    # services.office, catalogue, calendar
    "office.create": "Khởi tạo cơ quan",
    "office.update": "Sửa thông tin cơ quan",
    "office.scan_profile": "Sửa cách quét một loại giấy tờ",
    "catalogue.seed": "Nạp danh mục thủ tục",
    "catalogue.refresh": "Cập nhật danh mục thủ tục theo tỉnh",
    "catalogue.confirm_units": "Xác nhận đơn vị thời hạn thủ tục",
    "procedure.time": "Sửa thời hạn giải quyết thủ tục",
    "calendar.seed": "Nạp lịch nghỉ lễ",
    "calendar.province": "Cập nhật lịch nghỉ lễ theo tỉnh",
    "calendar.set": "Sửa lịch làm việc",
    "calendar.remove": "Bỏ một ngày khỏi lịch làm việc",
    # services.maintenance, demo
    "backup.create": "Sao lưu dữ liệu",
    "backup.restore": "Khôi phục dữ liệu từ bản sao lưu",
    "backup.restore_requested": "Yêu cầu khôi phục dữ liệu khi mở lại phần mềm",
    "settings.backup_keep": "Đổi số bản sao lưu hằng ngày được giữ",
    "settings.deployment": "Áp dụng cấu hình triển khai (motcua.toml)",
    "report.snapshot": "Lập và lưu báo cáo định kỳ",
    "demo.create": "Tạo dữ liệu mẫu",
    # services.incoming and sync/ (the exchange with the province)
    "sync.online_dossier": "Nhận hồ sơ nộp trực tuyến từ tỉnh",
    "sync.province_status": "Nhận thay đổi trạng thái hồ sơ từ tỉnh",
    "sync.file_download": "Tải về tệp hồ sơ nộp trực tuyến",
    "sync.repair": "Sửa hồ sơ theo dữ liệu của tỉnh khi đối chiếu",
    "sync.conflict_resolved": "Đã xem xung đột đồng bộ",
    "sync.retry": "Gửi lại thay đổi lên tỉnh",
    "sync.server": "Đổi máy chủ đồng bộ của tỉnh",
    "dossier.resync": "Gửi lại hồ sơ lên tỉnh sau khi đối chiếu",
    "report.submit": "Gửi báo cáo định kỳ đã chốt lên tỉnh",
    # services.exchange (national-portal format files)
    "dossier.import": "Nhập hồ sơ từ tệp của hệ thống khác (định dạng Cổng DVCQG)",
}

#: The group of an action (its name up to the dot), for the filter's sections.
ACTION_GROUPS_VI: dict[str, str] = {
    "dossier": "Hồ sơ", "apology": "Hồ sơ", "reception": "Hồ sơ",
    "login": "Tài khoản", "officer": "Tài khoản", "reminders": "Tài khoản",
    "office": "Cấu hình", "catalogue": "Cấu hình", "procedure": "Cấu hình",
    "calendar": "Cấu hình",
    "backup": "Dữ liệu", "demo": "Dữ liệu",
    "sync": "Đồng bộ",
}

ENTITY_LABELS_VI: dict[str, str] = {
    "dossier": "Hồ sơ", "apology": "Phiếu xin lỗi", "draft": "Bản nháp tiếp nhận",
    "officer": "Cán bộ", "office": "Thông tin cơ quan", "procedure": "Thủ tục",
    "calendar": "Lịch làm việc", "database": "Cơ sở dữ liệu", "demo": "Dữ liệu mẫu",
}

#: Field labels, in the order the detail lists the fields (others follow, by name).
FIELD_LABELS_VI: dict[str, str] = {
    # a dossier (services.dossiers.SNAPSHOT_FIELDS)
    "code": "Mã hồ sơ",
    "status": "Trạng thái",
    "procedure_id": "Thủ tục",
    "channel": "Kênh nộp",
    "assignee_id": "Cán bộ xử lý",
    "submitted_at": "Ngày nộp",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "original_due_at": "Ngày hẹn trả ban đầu",
    "refused_at": "Ngày từ chối",
    "finished_at": "Ngày kết thúc xử lý",
    "returned_at": "Ngày trả kết quả",
    "reason": "Lý do",
    "summary": "Trích yếu",
    "note": "Ghi chú",
    "applicant_kind": "Loại đối tượng",
    "applicant_name": "Người yêu cầu: họ tên",
    "applicant_id_number": "Người yêu cầu: số định danh",
    "applicant_old_id": "Người yêu cầu: số CMND cũ",
    "applicant_birth_date": "Người yêu cầu: ngày sinh",
    "applicant_sex": "Người yêu cầu: giới tính",
    "applicant_address": "Người yêu cầu: địa chỉ",
    "applicant_phone": "Người yêu cầu: điện thoại",
    "applicant_email": "Người yêu cầu: thư điện tử",
    "submitter_name": "Người nộp: họ tên",
    "submitter_id_number": "Người nộp: số định danh",
    "submitter_birth_date": "Người nộp: ngày sinh",
    "submitter_sex": "Người nộp: giới tính",
    "submitter_address": "Người nộp: địa chỉ",
    "submitter_phone": "Người nộp: điện thoại",
    "submitter_email": "Người nộp: thư điện tử",
    "sets_count": "Số bộ hồ sơ",
    "fee_total": "Phí, lệ phí",
    "paid_online": "Đã thanh toán trực tuyến",
    "return_by_post": "Trả kết quả qua bưu chính",
    "state_secret": "Hồ sơ mật",
    "outbox_withdrawn": "Bản tin chưa gửi đã rút lại",
    "outbox_in_flight": "Bản tin đang gửi",
    "version": "Phiên bản",
    "uid": "Mã định danh nội bộ",
    # apologies
    "apology": "Phiếu xin lỗi số",
    "dossier": "Hồ sơ",
    "state": "Tình trạng phiếu",
    "new_due_at": "Ngày hẹn trả mới",
    "previous_due_at": "Ngày hẹn trả trước đó",
    # digitised papers
    "component_id": "Thành phần hồ sơ số",
    "result_id": "Kết quả số",
    "attachment_id": "Bản số hóa số",
    "digitisation_state": "Tình trạng số hóa",
    "pages": "Số trang",
    "size": "Dung lượng (byte)",
    "valid_until": "Còn giá trị đến",
    "replaced": "Thay cho bản số hóa số",
    "reused_from": "Dùng lại bản số hóa số",
    "from_dossier": "Lấy từ hồ sơ",
    "file_sha256": "Mã băm tệp (SHA-256)",
    # scanning profiles
    "dpi": "Độ phân giải (dpi)",
    "mode": "Chế độ màu",
    "feeder": "Khay nạp giấy tự động",
    "deskew": "Tự làm thẳng trang",
    "drop_blank": "Bỏ trang trắng",
    # officers
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "title": "Chức danh",
    "department": "Bộ phận",
    "roles": "Vai trò",
    "active": "Đang làm việc",
    # an officer's reminders
    "enabled": "Nhắc việc",
    "due_soon_days": "Nhắc trước hạn (ngày làm việc)",
    "tray": "Thông báo trên màn hình",
    "interval_minutes": "Kiểm tra lại sau (phút)",
    # the office
    "name": "Tên",
    "agency_code": "Mã cơ quan",
    "desk_number": "Số máy (quầy)",
    "address": "Địa chỉ",
    "place_name": "Địa danh",
    "parent_name": "Cơ quan cấp trên",
    "phone": "Điện thoại",
    # procedures
    "amount": "Thời hạn giải quyết",
    "unit": "Đơn vị thời hạn",
    "online_amount": "Thời hạn giải quyết (trực tuyến)",
    "online_unit": "Đơn vị thời hạn (trực tuyến)",
    "cutoff": "Giờ chốt nhận hồ sơ",
    "default_amount": "Thời hạn mặc định",
    "procedures": "Thủ tục",
    # the calendar
    "kind": "Loại ngày",
    "days": "Số ngày",
    # reception guidance
    "procedure": "Thủ tục",
    "missing": "Thành phần còn thiếu",
    # backups, demo
    "kept_previous_as": "Bản cũ được giữ lại là",
    "dossiers": "Số hồ sơ",
    "progress_rows": "Số bước xử lý",
    "components": "Số thành phần hồ sơ",
    "fees": "Số khoản phí",
    "by_status": "Theo trạng thái",
    "resolved_late": "Giải quyết trễ hạn",
    "overdue_in_progress": "Đang xử lý quá hạn",
    "first_day": "Ngày đầu",
    "last_day": "Ngày cuối",
    "seed": "Hạt giống ngẫu nhiên",
    "now": "Thời điểm tạo",
    "officers": "Cán bộ",
}

#: Labels that depend on the entity: (entity, field) → label.
_ENTITY_FIELD_LABELS_VI: dict[tuple[str, str], str] = {
    ("office", "name"): "Tên cơ quan",
    ("dossier", "name"): "Tên giấy tờ",
    ("calendar", "name"): "Tên ngày, lý do",
    ("demo", "procedures"): "Số thủ tục",
    ("procedure", "procedures"): "Thủ tục",
}

_FIELD_ORDER = {name: i for i, name in enumerate(FIELD_LABELS_VI)}

CHANNEL_LABELS_VI = {"1": "Trực tiếp", "2": "Trực tuyến", "3": "Qua bưu chính"}
_UNIT_LABELS_VI = {"working_days": "Ngày làm việc", "calendar_days": "Ngày",
                   "working_hours": "Giờ làm việc"}
_KIND_LABELS_VI = {"day_off": "Ngày nghỉ", "working_day": "Ngày làm bù"}
_APOLOGY_STATE_LABELS_VI = {"pending": "Chờ duyệt", "approved": "Đã duyệt",
                            "rejected": "Không duyệt"}
_COLOUR_MODE_LABELS_VI = {"colour": "Màu", "grey": "Thang xám", "bw": "Đen trắng"}
_DIGITISATION_STATE_LABELS_VI = {0: "Chưa số hóa", 1: "Số hóa khi tiếp nhận",
                                 2: "Dùng lại từ thành phần của hồ sơ khác",
                                 3: "Dùng lại từ kết quả đã có"}
#: Counts shown with thousands separators.
_COUNT_FIELDS = frozenset({"dossiers", "progress_rows", "components", "fees", "resolved_late",
                           "overdue_in_progress", "days"})
#: Left out of the one-line summary (they change with every save).
_QUIET_FIELDS = frozenset({"version", "uid", "outbox_withdrawn", "outbox_in_flight"})
#: Named first in the one-line summary.
_SUMMARY_FIRST = ("status", "state", "due_at", "assignee_id", "procedure_id", "reason")
_SUMMARY_ITEMS = 3
_SUMMARY_VALUE_CHARS = 40

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def action_label(action: str) -> str:
    """The Vietnamese label of an action name; an unknown name is shown as it is."""
    return ACTION_LABELS_VI.get(action, action)


def field_label(field: str, entity: str = "") -> str:
    """The Vietnamese label of a (possibly nested, dotted) field of an event's data."""
    parts = field.split(".")
    labels = []
    for i, part in enumerate(parts):
        if i > 0 and parts[i - 1] == "by_status" and part.isdigit() and 1 <= int(part) <= 10:
            labels.append(Status(int(part)).label)
        else:
            labels.append(_ENTITY_FIELD_LABELS_VI.get((entity, part))
                          or FIELD_LABELS_VI.get(part, part))
    return " › ".join(labels)


# -------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class EventKey:
    """Where a page ends: the next page starts after this (at, id)."""

    at: datetime
    id: int


@dataclass(frozen=True)
class FieldChange:
    """One field of an event's data, before and after, formatted for reading."""

    field: str  # the key, dotted when nested ("dossier.due_at")
    label: str
    before: str  # "" when absent or empty
    after: str
    changed: bool


@dataclass(frozen=True)
class AuditEntry:
    """One audit event as the inspection screen shows it."""

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    action_label: str
    entity: str
    entity_id: str
    entity_label: str  # "Hồ sơ 000.00.01.H56-261126-0001", "Cán bộ Trần Thị Thu Hà"
    dossier_code: str | None  # the dossier the event concerns, if any
    summary: str  # the main changes in one line
    before_json: str | None = field(default=None, repr=False)  # as stored
    after_json: str | None = field(default=None, repr=False)
    names: _Names | None = field(default=None, repr=False, compare=False)

    @cached_property
    def fields(self) -> tuple[FieldChange, ...]:
        """Every field of before and after, changed or not.

        Worked out when first asked (the detail pane): a page of entries keeps only the
        stored JSON, a third of the memory of the worked-out fields.
        """
        return tuple(diff(_load(self.before_json), _load(self.after_json), entity=self.entity,
                          names=self.names))

    @property
    def key(self) -> EventKey:
        return EventKey(self.at, self.id)

    @property
    def changes(self) -> tuple[FieldChange, ...]:
        """The fields whose value changed (all of them for a creation)."""
        return tuple(f for f in self.fields if f.changed)

    @property
    def has_data(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True)
class OfficerChoice:
    """An officer for the filter (inactive officers too: their events remain)."""

    id: int
    name: str
    username: str
    active: bool


@dataclass(frozen=True)
class ActionChoice:
    """An action for the filter: its name, Vietnamese label and group."""

    name: str
    label: str
    group: str


@dataclass(frozen=True)
class AuditFilter:
    """The filters of the inspection screen (None: not filtered).

    `start` is inclusive; `end` is the last day included when a date, an
    exclusive bound when a datetime. `officer_id` NO_OFFICER selects the
    events of no officer (setup, command-line tools, unknown user names).
    """

    officer_id: int | None = None
    start: date | datetime | None = None
    end: date | datetime | None = None
    dossier: str | int | None = None
    action: str | None = None


def key_of(entry: AuditEntry) -> EventKey:
    """The keyset position of an entry: pass it as `after` for the next page."""
    return entry.key


# -------------------------------------------------------------------------------- queries

_COLUMNS = "id, at, actor_id, actor_name, action, entity, entity_id, before, after"


def events(session: Session, *, officer_id: int | None = None,
           start: date | datetime | None = None, end: date | datetime | None = None,
           dossier: str | int | None = None, action: str | None = None,
           after: EventKey | None = None, limit: int = PAGE_SIZE) -> list[AuditEntry]:
    """One page of audit events, newest first, matching every filter given.

    `dossier` is a dossier code (or id, or uid); ValidationError (field
    "dossier") when there is no such dossier. `after` is the key of the last
    entry of the previous page.
    """
    conditions: list[str] = []
    params: dict[str, Any] = {"limit": int(limit)}
    if officer_id is not None:
        if officer_id == NO_OFFICER:
            conditions.append("actor_id IS NULL")
        else:
            conditions.append("actor_id = :officer")
            params["officer"] = int(officer_id)
    if action:
        conditions.append("action = :action")
        params["action"] = action
    time_conditions: list[str] = []
    low, high = _bounds(start, end)
    if low is not None:
        time_conditions.append("at >= :low")
        params["low"] = _ts(low)
    if high is not None:
        time_conditions.append("at < :high")
        params["high"] = _ts(high)
    if after is not None:
        # The first term is a plain range on the index's time column; the second is exact.
        time_conditions.append("at <= :after_at AND (at, id) < (:after_at, :after_id)")
        params["after_at"], params["after_id"] = _ts(after.at), after.id

    keys = _dossier_keys(session, dossier) if _given(dossier) else None
    if keys is not None:
        parts = []
        for n, (entity, ids) in enumerate((("dossier", keys[0]), ("apology", keys[1]))):
            if not ids:
                continue
            names = []
            for i, value in enumerate(ids):
                params[f"e{n}_{i}"] = value
                names.append(f":e{n}_{i}")
            params[f"entity{n}"] = entity
            where = [f"entity = :entity{n}", f"entity_id IN ({', '.join(names)})",
                     *conditions, *time_conditions]
            parts.append(f"SELECT {_COLUMNS} FROM audit_events "
                         f"INDEXED BY ix_audit_events_entity WHERE {' AND '.join(where)}")
        sql = " UNION ALL ".join(parts) + " ORDER BY at DESC, id DESC LIMIT :limit"
    else:
        index = _choose_index(session, officer_id, action, time_conditions, params)
        where = [*conditions, *time_conditions]
        sql = (f"SELECT {_COLUMNS} FROM audit_events INDEXED BY {index}"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY at DESC, id DESC LIMIT :limit")
    rows = session.execute(text(sql), params).all()
    return _entries(session, rows)


def page(session: Session, flt: AuditFilter, *, after: EventKey | None = None,
         limit: int = PAGE_SIZE) -> list[AuditEntry]:
    """`events` with the filters of `flt`."""
    return events(session, officer_id=flt.officer_id, start=flt.start, end=flt.end,
                  dossier=flt.dossier, action=flt.action, after=after, limit=limit)


def event(session: Session, event_id: int) -> AuditEntry | None:
    """One event by id (None if there is none)."""
    rows = session.execute(text(f"SELECT {_COLUMNS} FROM audit_events WHERE id = :id"),
                           {"id": event_id}).all()
    entries = _entries(session, rows)
    return entries[0] if entries else None


def officers_for_filter(session: Session) -> list[OfficerChoice]:
    """Every officer, active ones first, then by name (diacritics ignored)."""
    rows = session.execute(
        select(Officer.id, Officer.full_name, Officer.username, Officer.active)).all()
    choices = [OfficerChoice(r.id, r.full_name, r.username, bool(r.active)) for r in rows]
    return sorted(choices, key=lambda o: (not o.active, fold(o.name), o.id))


def action_choices(session: Session) -> list[ActionChoice]:
    """Every labelled action, in the order of ACTION_LABELS_VI, then any other action name
    found in the trail (read by skipping through the action index: one seek per name)."""
    seen: list[str] = []
    last = ""
    for _ in range(1000):  # an upper bound: the services record a few dozen names
        name = session.execute(text(
            "SELECT action FROM audit_events INDEXED BY ix_audit_events_action_at "
            "WHERE action > :last ORDER BY action LIMIT 1"), {"last": last}).scalar()
        if name is None:
            break
        seen.append(name)
        last = name
    choices = [ActionChoice(name, label, _group(name)) for name, label in ACTION_LABELS_VI.items()]
    extra = sorted(set(seen) - set(ACTION_LABELS_VI))
    choices += [ActionChoice(name, name, _group(name)) for name in extra]
    return choices


def _group(action: str) -> str:
    prefix = action.split(".", 1)[0]
    return ACTION_GROUPS_VI.get(prefix, "Khác")


def _given(dossier: str | int | None) -> bool:
    return dossier is not None and str(dossier).strip() != ""


def _dossier_keys(session: Session, dossier: str | int) -> tuple[list[str], list[str]]:
    """The entity ids of a dossier's events: (its code and uid, its apologies' ids)."""
    typed = str(dossier).strip()
    columns = (Dossier.id, Dossier.code, Dossier.uid)
    row = None
    if isinstance(dossier, int) or typed.isdigit():
        row = session.execute(select(*columns).where(Dossier.id == int(typed))).first()
    for candidate in dict.fromkeys((typed, typed.upper())):
        if row is None:
            row = session.execute(select(*columns).where(Dossier.code == candidate)).first()
    if row is None:
        row = session.execute(select(*columns).where(Dossier.uid == typed.lower())).first()
    if row is None:
        raise ValidationError({"dossier": f"Không tìm thấy hồ sơ có mã “{typed}”."})
    apologies = session.execute(
        select(Apology.id).where(Apology.dossier_id == row.id)).scalars().all()
    return [v for v in dict.fromkeys((row.code, row.uid)) if v], [str(a) for a in apologies]


def _choose_index(session: Session, officer_id: int | None, action: str | None,
                  time_conditions: Sequence[str], params: Mapping[str, Any]) -> str:
    """The index whose walk finds a page soonest (see the module's notes)."""
    if officer_id is None:
        return "ix_audit_events_action_at" if action else "ix_audit_events_at"
    if not action:
        return "ix_audit_events_actor_at"
    actor_term = "actor_id IS NULL" if officer_id == NO_OFFICER else "actor_id = :officer"
    by_actor = _probe(session, "ix_audit_events_actor_at", [actor_term, *time_conditions], params)
    by_action = _probe(session, "ix_audit_events_action_at", ["action = :action", *time_conditions],
                       params)
    return "ix_audit_events_action_at" if by_action < by_actor else "ix_audit_events_actor_at"


def _probe(session: Session, index: str, where: Sequence[str], params: Mapping[str, Any]) -> int:
    """Matches of one term on its own index, counted up to PROBE_CAP (index entries only)."""
    sql = (f"SELECT count(*) FROM (SELECT 1 FROM audit_events INDEXED BY {index} "
           f"WHERE {' AND '.join(where)} LIMIT {PROBE_CAP})")
    return int(session.execute(text(sql), dict(params)).scalar_one())


def _bounds(start: date | datetime | None,
            end: date | datetime | None) -> tuple[datetime | None, datetime | None]:
    low = high = None
    if start is not None:
        low = start if isinstance(start, datetime) else datetime.combine(start, time(0, 0))
    if end is not None:
        high = end if isinstance(end, datetime) else datetime.combine(
            end + timedelta(days=1), time(0, 0))
    return low, high


def _ts(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (fixed width, so strings compare as times)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


# ------------------------------------------------------------------------ entries, diffs


@dataclass
class _Names:
    """Officer and procedure names for the values that are ids."""

    officers: dict[int, str]
    procedures: dict[int, str]

    def officer(self, officer_id: int) -> str:
        return self.officers.get(officer_id, f"#{officer_id}")

    def procedure(self, procedure_id: int) -> str:
        return self.procedures.get(procedure_id, f"#{procedure_id}")


def _entries(session: Session, rows: Sequence[Any]) -> list[AuditEntry]:
    parsed = [(r, _load(r.before), _load(r.after)) for r in rows]
    procedure_ids: set[int] = set()
    for _, before, after in parsed:
        for data in (before, after):
            procedure_ids.update(_procedure_ids(data))
    names = _Names(
        officers={r[0]: r[1] for r in session.execute(select(Officer.id, Officer.full_name))},
        procedures={r[0]: r[1] for r in session.execute(
            select(Procedure.id, Procedure.name).where(Procedure.id.in_(procedure_ids)))}
        if procedure_ids else {},
    )
    return [_entry(r, before, after, names) for r, before, after in parsed]


def _load(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value  # not JSON (written by hand?): shown as it is


def _procedure_ids(data: Any) -> Iterable[int]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "procedure_id" and isinstance(value, int):
                yield value
            elif isinstance(value, dict):
                yield from _procedure_ids(value)


def _entry(row: Any, before: Any, after: Any, names: _Names) -> AuditEntry:
    entity, entity_id = row.entity, row.entity_id or ""
    return AuditEntry(
        id=row.id, at=_dt(row.at), actor_id=row.actor_id, actor_name=row.actor_name,
        action=row.action, action_label=action_label(row.action), entity=entity,
        entity_id=entity_id, entity_label=_entity_label(entity, entity_id, before, after, names),
        dossier_code=_dossier_code(entity, entity_id, before, after),
        summary=_summary(diff(before, after, entity=entity, names=names),
                         creation=before is None),
        before_json=row.before, after_json=row.after, names=names,
    )


def _dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _dossier_code(entity: str, entity_id: str, before: Any, after: Any) -> str | None:
    if entity == "dossier":
        return entity_id or None
    if entity == "apology":
        for data in (after, before):
            if isinstance(data, dict) and isinstance(data.get("dossier"), str):
                return data["dossier"]
    return None


def _entity_label(entity: str, entity_id: str, before: Any, after: Any, names: _Names) -> str:
    label = ENTITY_LABELS_VI.get(entity, entity)
    if entity == "officer":
        if entity_id.isdigit():
            return f"{label} {names.officer(int(entity_id))}"
        return "Tài khoản không tồn tại"
    if entity == "apology":
        code = _dossier_code(entity, entity_id, before, after)
        return f"{label} #{entity_id}" + (f" (hồ sơ {code})" if code else "")
    if entity == "calendar" and _ISO_DATE.fullmatch(entity_id):
        return f"{label}: ngày {_format('', entity_id, names)}"
    if entity == "office" and entity_id not in ("", "1"):
        return f"{label}: {entity_id}"  # an office setting (a scanning profile's kind)
    if entity in ("office", "demo") or not entity_id:
        return label
    if entity == "draft":
        return f"{label} #{entity_id}"
    return f"{label} {entity_id}"


def diff(before: Any, after: Any, *, entity: str = "",
         names: _Names | None = None) -> list[FieldChange]:
    """Every field of `before` and `after` (dicts, nested dicts flattened with dots), with
    Vietnamese labels and readable values; `changed` marks those that differ.

    For a creation (`before` None) the fields with a value count as changed.
    """
    names = names or _Names({}, {})
    old, new = _flatten(before), _flatten(after)
    keys = sorted(set(old) | set(new), key=_field_sort_key)
    out = []
    for key in keys:
        b, a = _normal(old.get(key)), _normal(new.get(key))
        out.append(FieldChange(key, field_label(key, entity), _format(key, b, names),
                               _format(key, a, names), b != a))
    return out


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        return {prefix or "value": data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(_flatten(value, name))
        else:
            out[name] = value
    return out


def _field_sort_key(key: str) -> tuple[tuple[int, str], ...]:
    parts = key.split(".")
    return tuple((_FIELD_ORDER.get(p, len(_FIELD_ORDER)), p) for p in parts)


def _normal(value: Any) -> Any:
    return "" if value is None or value == [] or value == {} else value


def _format(key: str, value: Any, names: _Names) -> str:
    """A value as the officer reads it (status names, dd/mm/yyyy dates, Có/Không, names)."""
    leaf = key.rsplit(".", 1)[-1]
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return ", ".join(_format(key, v, names) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if leaf == "status" and isinstance(value, int) and 1 <= value <= 10:
        return Status(value).label
    if leaf == "digitisation_state" and value in _DIGITISATION_STATE_LABELS_VI:
        return _DIGITISATION_STATE_LABELS_VI[value]
    if leaf == "assignee_id" and isinstance(value, int):
        return names.officer(value)
    if leaf == "procedure_id" and isinstance(value, int):
        return names.procedure(value)
    if leaf == "roles" and isinstance(value, str):
        try:
            return ROLE_LABELS_VI[Role(value)]
        except ValueError:
            return value
    if isinstance(value, str):
        label = {"channel": CHANNEL_LABELS_VI, "unit": _UNIT_LABELS_VI,
                 "online_unit": _UNIT_LABELS_VI, "kind": _KIND_LABELS_VI,
                 "state": _APOLOGY_STATE_LABELS_VI,
                 "mode": _COLOUR_MODE_LABELS_VI}.get(leaf, {}).get(value)
        if label:
            return label
        if _ISO_DATETIME.fullmatch(value):
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        return value
    if isinstance(value, int):
        if leaf == "fee_total":
            return f"{value:,} đ".replace(",", ".")
        if leaf in _COUNT_FIELDS or key.startswith("by_status."):
            return f"{value:,}".replace(",", ".")
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value)


def _summary(fields: Sequence[FieldChange], *, creation: bool) -> str:
    """The main changes in one line: status first, at most _SUMMARY_ITEMS items."""
    changed = [f for f in fields
               if f.changed and f.field.rsplit(".", 1)[-1] not in _QUIET_FIELDS]

    def rank(f: FieldChange) -> int:
        leaf = f.field.rsplit(".", 1)[-1]
        return _SUMMARY_FIRST.index(leaf) if leaf in _SUMMARY_FIRST else len(_SUMMARY_FIRST)

    changed.sort(key=rank)  # stable: the others keep the detail's order
    if creation and any(rank(f) < len(_SUMMARY_FIRST) for f in changed):
        changed = [f for f in changed if rank(f) < len(_SUMMARY_FIRST)]
    parts = []
    for f in changed[:_SUMMARY_ITEMS]:
        if f.before and f.after:
            parts.append(f"{f.label}: {_short(f.before)} → {_short(f.after)}")
        elif f.after:
            parts.append(f"{f.label}: {_short(f.after)}")
        else:
            parts.append(f"{f.label}: bỏ {_short(f.before)}")
    rest = len(changed) - _SUMMARY_ITEMS
    if rest > 0 and not creation:
        parts.append(f"và {rest} thay đổi khác")
    return "; ".join(parts)


def _short(value: str) -> str:
    value = " ".join(value.split())
    if len(value) <= _SUMMARY_VALUE_CHARS:
        return value
    return value[:_SUMMARY_VALUE_CHARS - 1].rstrip() + "…"


__all__ = [
    "ACTION_LABELS_VI", "FIELD_LABELS_VI", "NO_OFFICER", "PAGE_SIZE", "ActionChoice",
    "AuditEntry", "AuditFilter", "EventKey", "FieldChange", "OfficerChoice", "action_choices",
    "action_label", "diff", "event", "events", "field_label", "key_of", "officers_for_filter",
    "page",
]
