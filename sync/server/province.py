"""What happens at the province: offices and officers, online dossiers, status changes.

Used by the ``motcua-province`` commands (training, demos) and by tests. Each
function is one transaction on the server's database; online dossiers and
status changes go into the change log that desks pull.

Generated people are fictional (random Vietnamese names, well-formed 12-digit
personal ID numbers, mobile numbers); nothing is ever logged about them.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.protocol import (
    AGENCY_CODE_RE,
    ComponentData,
    DossierSnapshot,
    FeeData,
    ProcedureRecord,
    ProgressData,
    StatusChange,
)
from sync.server import models as m
from sync.server.auth import hash_password
from sync.server.labels import STATUS_LABELS_VI, TRANSITIONS
from sync.server.service import find_dossier, log_change, record_of, store_progress
from sync.server.store import ServerStore, dumps

ROLES = ("front_desk", "specialist", "leader", "admin")
PORTAL_OFFICER = "Cổng Dịch vụ công quốc gia"
T_SUBMIT = "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công"


class ProvinceError(ValueError):
    """A refused province-side command; the message is Vietnamese, for the operator."""


# ---------------------------------------------------------------- offices, officers


def create_office(store: ServerStore, agency_code: str, name: str) -> int:
    code = agency_code.strip().upper()
    if not AGENCY_CODE_RE.fullmatch(code):
        raise ProvinceError(f'Mã cơ quan "{agency_code}" không hợp lệ: cần bốn nhóm cách nhau '
                            "bởi dấu chấm, ví dụ 000.00.01.H56.")
    if not name.strip():
        raise ProvinceError("Hãy nhập tên đơn vị.")
    try:
        with store.write() as session:
            office = m.Office(agency_code=code, name=name.strip(), created_at=store.now())
            session.add(office)
            session.flush()
            return office.id
    except IntegrityError:
        raise ProvinceError(f"Đơn vị có mã {code} đã có trên hệ thống.") from None


def _office(session: Session, agency_code: str) -> m.Office:
    office = session.execute(select(m.Office).where(
        m.Office.agency_code == agency_code.strip().upper())).scalar_one_or_none()
    if office is None:
        raise ProvinceError(f"Không có đơn vị nào mang mã {agency_code}.")
    return office


def create_officer(store: ServerStore, agency_code: str, username: str, password: str, *,
                   full_name: str = "", title: str = "", department: str = "",
                   roles: tuple[str, ...] = ("front_desk",)) -> int:
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise ProvinceError("Tên đăng nhập phải có từ 1 đến 64 ký tự.")
    if len(password) < 8:
        raise ProvinceError("Mật khẩu phải có ít nhất 8 ký tự.")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ProvinceError(f"Vai trò không hợp lệ: {', '.join(unknown)} "
                            f"(chỉ có {', '.join(ROLES)}).")
    hashed = hash_password(password)
    try:
        with store.write() as session:
            office = _office(session, agency_code)
            officer = m.Officer(office_id=office.id, username=username,
                                full_name=full_name.strip() or username, title=title,
                                department=department, roles=",".join(roles),
                                password_hash=hashed, active=True, failed_logins=0,
                                created_at=store.now())
            session.add(officer)
            session.flush()
            return officer.id
    except IntegrityError:
        raise ProvinceError(f'Đơn vị {agency_code} đã có tài khoản "{username}".') from None


# ------------------------------------------------------------------- people

_FAMILY = (("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2.5),
           ("Phan", 4.5), ("Vũ", 2), ("Võ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.4),
           ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Trương", 0.8), ("Đinh", 0.6))
_MIDDLE_MALE = ("Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Ngọc", "Xuân",
                "Quang", "Trọng", "Tiến", "Anh", "Thành", "Duy", "Gia", "Bảo")
_MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Kim", "Hồng",
                  "Phương", "Mai", "Thùy", "Diệu", "Khánh", "Mỹ")
_GIVEN_MALE = ("Anh", "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Phong",
               "Quân", "Huy", "Khoa", "Bình", "Cường", "Đạt", "Đức", "Hiếu", "Khánh", "Lộc",
               "Phúc", "Quang", "Tài", "Thắng", "Trung", "Tùng", "Việt", "Vinh", "Nghĩa", "Tâm")
_GIVEN_FEMALE = ("Anh", "Hà", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Phương", "Thảo",
                 "Trang", "Thủy", "Hằng", "Hạnh", "Hoa", "Huyền", "Liên", "Loan", "My", "Nga",
                 "Ngân", "Nhi", "Oanh", "Quyên", "Trâm", "Tuyết", "Vân", "Yến", "Hiền", "Vy")
_PROVINCES = ("001", "031", "036", "038", "040", "048", "049", "052", "066", "068", "075",
              "079", "080", "083", "087", "089", "092", "094", "096")
_HAMLETS = ("Ấp 1", "Ấp 2", "Ấp 3", "Ấp Phú Lợi", "Ấp Phú Thịnh", "Ấp Ngọc Lâm",
            "Ấp Thanh Thọ", "Ấp Hòa Thành", "Ấp Tân Lập", "Thôn Đông", "Thôn Trung")
_PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035",
                   "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "083",
                   "084", "085", "086", "088", "089")
_MAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com")


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    birth_date: date
    sex: str
    address: str
    phone: str
    email: str


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Mn").lower()


def make_person(rng: random.Random, today: date, place: str) -> Person:
    male = rng.random() < 0.48
    family = rng.choices([f for f, _ in _FAMILY], weights=[w for _, w in _FAMILY])[0]
    middle = rng.choice(_MIDDLE_MALE if male else _MIDDLE_FEMALE)
    given = rng.choice(_GIVEN_MALE if male else _GIVEN_FEMALE)
    name = f"{family} {middle} {given}"
    age = 18 + int(62 * rng.random() ** 1.3)
    birth = date(today.year - age, 1, 1) + timedelta(days=rng.randrange(365))
    century_sex = (0 if birth.year < 2000 else 2) + (0 if male else 1)
    id_number = (f"{rng.choice(_PROVINCES)}{century_sex}{birth.year % 100:02d}"
                 f"{rng.randrange(1_000_000):06d}")
    phone = f"{rng.choice(_PHONE_PREFIXES)}{rng.randrange(10_000_000):07d}"
    email = ""
    if rng.random() < 0.4:
        email = f"{_ascii(given)}.{_ascii(family)}{rng.randrange(100)}@{rng.choice(_MAIL_DOMAINS)}"
    return Person(name=name, id_number=id_number, birth_date=birth,
                  sex="Nam" if male else "Nữ", address=f"{rng.choice(_HAMLETS)}, {place}",
                  phone=phone, email=email)


# ----------------------------------------------------------------- online dossiers


def _online_procedures(session: Session) -> list[ProcedureRecord]:
    records = [ProcedureRecord.model_validate_json(r) for r in session.execute(
        select(m.Procedure.record).order_by(m.Procedure.position)).scalars()]
    online = [r for r in records if r.online is not None and "Trực tuyến" in r.online.kenh_nop]
    return online or records


def _short(name: str) -> str:
    return name.removeprefix("Thủ tục ").strip()


def citizen_pdf(title: str, person: str) -> bytes:
    """A one-page PDF standing for a paper a citizen uploaded on the portal.

    Written by hand (a page of Helvetica text, accents folded) so that the reference
    server needs no PDF library; every offset in the cross-reference table is exact.
    """
    def ascii_text(text: str) -> str:
        folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        plain = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
        plain = plain.encode("ascii", "replace").decode("ascii")
        return plain.replace("\\", "/").replace("(", "[").replace(")", "]")[:90]

    lines = ["Ban dien tu nop tren Cong Dich vu cong", ascii_text(title), ascii_text(person)]
    text = "".join(f"BT /F1 12 Tf 60 {760 - 24 * i} Td ({line}) Tj ET\n"
                   for i, line in enumerate(lines)).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _store_complete_file(session: Session, data: bytes, *, name: str, office_id: int,
                         at: datetime) -> str:
    sha = hashlib.sha256(data).hexdigest()
    if session.get(m.StoredFile, sha) is None:
        session.add(m.StoredFile(sha256=sha, size=len(data), name=name[:255],
                                 media_type="application/pdf", office_id=office_id,
                                 complete=True, created_at=at, completed_at=at))
        session.flush()
        session.add(m.FileChunk(sha256=sha, offset=0, length=len(data), data=data))
    return sha


def create_online_dossiers(store: ServerStore, agency_code: str, count: int, *,
                           seed: int | None = None, now: datetime | None = None,
                           with_files: bool = True) -> list[str]:
    """``count`` dossiers submitted on the portal (status 1) for an office; their uids.

    Each goes into the change log as an ``online_dossier`` for the office to pull.
    ``with_files``: each paper comes with the file the citizen uploaded (a small
    PDF the server holds; the desk downloads it by its SHA-256).
    """
    if count < 1:
        raise ProvinceError("Số hồ sơ phải lớn hơn 0.")
    rng = random.Random(seed)
    now = now or store.now()
    uids: list[str] = []
    with store.write() as session:
        office = _office(session, agency_code)
        procedures = _online_procedures(session)
        if not procedures:
            raise ProvinceError("Danh mục thủ tục trống: hãy khởi động máy chủ để nạp danh mục.")
        place = office.name.removeprefix("UBND ").strip()
        times = sorted(now - timedelta(minutes=rng.randrange(1, 3 * 24 * 60)) for _ in range(count))
        for submitted in times:
            proc = rng.choice(procedures)
            person = make_person(rng, now.date(), place)
            uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            components = [ComponentData(name=c.name, code=f"{proc.code}-TP{i:02d}",
                                        originals=c.originals, photocopies=c.copies,
                                        digitisation_state=1)
                          for i, c in enumerate(proc.components, start=1)
                          if not c.name.lower().startswith(("trường hợp", "đối với", "nếu"))][:4]
            if with_files:
                for comp in components:
                    comp.file_sha256 = _store_complete_file(
                        session, citizen_pdf(comp.name, person.name), name=f"{comp.code}.pdf",
                        office_id=office.id, at=now)
            fees = [FeeData(name="Lệ phí", amount=f.amount_vnd or 0, method="Trực tuyến",
                            paid=False)
                    for f in proc.fees if f.channel == "Trực tuyến" and f.amount_vnd]
            snap = DossierSnapshot(
                uid=uid, code=None, procedure_code=proc.code, channel="2", status=1,
                applicant_kind="1", applicant_id_number=person.id_number,
                applicant_name=person.name, applicant_birth_date=person.birth_date,
                applicant_sex=person.sex, applicant_address=person.address,
                applicant_phone=person.phone, applicant_email=person.email,
                summary=f"{_short(proc.name)} - {person.name}"[:1000],
                submitted_at=submitted, fee_total=sum(f.amount for f in fees), version=1,
            )
            progress = ProgressData(uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                    officer_name=person.name[:50], officer_title="Công dân",
                                    acted_at=submitted, content=T_SUBMIT, status=1,
                                    started_at=submitted)
            row = m.Dossier(uid=uid, office_id=office.id, code=None, procedure_code=proc.code,
                            status=1, version=1, province_version=0, source="online",
                            snapshot=snap.model_dump_json(),
                            related=_dumps_related(components, fees), national="{}",
                            created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            store_progress(session, row.id, progress)
            log_change(session, office_id=office.id, kind="online_dossier", dossier_uid=uid,
                       at=submitted, record=record_of(session, row, office.agency_code))
            uids.append(uid)
    return uids


def _dumps_related(components: list[ComponentData], fees: list[FeeData]) -> str:
    return dumps({"supplement_rounds": [], "results": [], "result_return": None,
                  "apologies": [], "components": [c.model_dump(mode="json") for c in components],
                  "fees": [f.model_dump(mode="json") for f in fees]})


# ----------------------------------------------------------------- status changes

_DEFAULT_CONTENT = {
    2: "Tiếp nhận hồ sơ trên hệ thống của tỉnh",
    3: "Từ chối tiếp nhận hồ sơ trên hệ thống của tỉnh",
    4: "Chuyển xử lý trên hệ thống của tỉnh",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân rút hồ sơ trên Cổng Dịch vụ công",
    8: "Dừng xử lý theo chỉ đạo của cơ quan cấp tỉnh",
    9: "Đã xử lý xong, chuyển kết quả về Bộ phận một cửa",
    10: "Trả kết quả",
}


def add_status_change(store: ServerStore, agency_code: str, dossier: str, to_status: int, *,
                      content: str = "", reason: str = "", officer_name: str = PORTAL_OFFICER,
                      department: str = "", at: datetime | None = None) -> StatusChange:
    """Change a dossier's status at the province (by uid or dossier code).

    The change must be allowed by the national status set. It raises the
    dossier's server version and marks it as changed at the province: a desk
    change based on an older version is then answered with a conflict.
    """
    if to_status not in STATUS_LABELS_VI:
        raise ProvinceError(f"Mã trạng thái {to_status} không hợp lệ (chỉ có từ 1 đến 10).")
    with store.write() as session:
        office = _office(session, agency_code)
        row = find_dossier(session, dossier)
        if row is None:
            row = session.execute(select(m.Dossier).where(
                m.Dossier.office_id == office.id, m.Dossier.code == dossier)).scalar_one_or_none()
        if row is None or row.office_id != office.id:
            raise ProvinceError(f"Không tìm thấy hồ sơ {dossier} của đơn vị {office.agency_code}.")
        current = row.status
        if to_status not in TRANSITIONS[current]:
            raise ProvinceError(
                f'Không thể chuyển hồ sơ từ trạng thái "{STATUS_LABELS_VI[current]}" sang '
                f'"{STATUS_LABELS_VI[to_status]}".')
        when = (at or store.now()).replace(microsecond=0)
        content = content or _DEFAULT_CONTENT.get(to_status, "")
        snap = DossierSnapshot.model_validate_json(row.snapshot)
        changes: dict[str, object] = {"status": to_status, "version": row.version + 1}
        if reason:
            changes["reason"] = reason
        if to_status == 2 and snap.received_at is None:
            changes["received_at"] = when
        elif to_status == 3:
            changes["refused_at"] = when
        elif to_status == 9:
            changes["finished_at"] = when
        elif to_status == 10:
            changes["returned_at"] = when
        snap = snap.model_copy(update=changes)
        row.status = to_status
        row.version = snap.version
        row.province_version = snap.version
        row.snapshot = snap.model_dump_json()
        row.updated_at = store.now()
        progress = ProgressData(uid=str(uuid.uuid4()), officer_name=officer_name[:50],
                                department=department, acted_at=when, content=content,
                                status=to_status, started_at=when)
        store_progress(session, row.id, progress)
        change = StatusChange(uid=str(uuid.uuid4()), dossier_uid=row.uid, dossier_code=row.code,
                              from_status=current, to_status=to_status, version=row.version,
                              at=when, content=content, reason=reason,
                              officer_name=officer_name[:50], department=department,
                              progress=progress)
        session.add(m.ProvinceChange(uid=change.uid, office_id=office.id, dossier_id=row.id,
                                     from_status=current, to_status=to_status,
                                     version=row.version, at=when,
                                     data=change.model_dump_json()))
        session.flush()
        log_change(session, office_id=office.id, kind="status_change", dossier_uid=row.uid,
                   at=when, record=record_of(session, row, office.agency_code),
                   status_change=change)
        return change
