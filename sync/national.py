"""The national-portal (DVCQG) exchange format: field names, dates, and mappings.

Field names are exactly those of ../shared/domain/dossier-exchange-format.md
(what deployed peers of the National Public Service Portal send and accept).
All dates are strings ``yyyyMMddHHmmss`` in Vietnam local time (UTC+7);
codes and flags are strings ("1", "0", "True"). A peer may send a status or
a channel as a number: it is read as text.

The mappings go between these objects and the protocol's models
(sync/protocol.py): ``hoso_from_record`` / ``record_parts_from_hoso`` for a
dossier (HoSo, DongBoHoSoMC / TraCuuHoSo), ``qua_trinh_from_progress`` /
``progress_from_qua_trinh`` for a progress row (CapNhatTienDoHoSoMC), and
``thu_tuc_from_procedure`` for a catalogue record (LayThuTuc). Fields of a
HoSo that the protocol does not model are kept by the caller
(``HoSo.model_extra`` and ``extra_fields``) so a dossier read back through
TraCuuHoSo carries what was sent.

Plain data: no Qt, no database, nothing from desktop/.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from sync.protocol import (
    ComponentData,
    DossierRecord,
    DossierSnapshot,
    FeeData,
    ProcedureRecord,
    ProgressData,
    ResultData,
    SupplementRoundData,
    to_local_naive,
)

DATE_FORMAT = "%Y%m%d%H%M%S"
_DATE_RE = re.compile(r"^[0-9]{14}$")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
#: Namespace of the uids the server gives dossiers and progress rows that arrive without one.
UID_NAMESPACE = uuid.UUID("6f1c7e0a-3b7d-5d9c-9a51-4d4f43554101")

# Services of the portal's integration API.
SERVICE_PUSH = "DongBoHoSoMC"
SERVICE_PROGRESS = "CapNhatTienDoHoSoMC"
SERVICE_LOOKUP = "TraCuuHoSo"
SERVICE_PROCEDURES = "LayDanhSachTTHC"
SERVICE_PROCEDURE = "LayThuTuc"
SERVICES = (SERVICE_PUSH, SERVICE_PROGRESS, SERVICE_LOOKUP, SERVICE_PROCEDURES,
            SERVICE_PROCEDURE)


# ------------------------------------------------------------------------- dates


def format_time(value: datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Vietnam local time; "" for None."""
    if value is None:
        return ""
    return to_local_naive(value).strftime(DATE_FORMAT)


def parse_time(text: str | None) -> datetime | None:
    """A ``yyyyMMddHHmmss`` string as a naive Vietnam-local datetime; None for ""/None.

    Raises ValueError for any other text.
    """
    if text is None or text == "":
        return None
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"not a yyyyMMddHHmmss date: {text!r}")
    return datetime.strptime(text, DATE_FORMAT)


def _as_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _check_date(value: Any) -> Any:
    value = _as_text(value)
    if isinstance(value, str) and value and not _DATE_RE.fullmatch(value):
        raise ValueError("dates are yyyyMMddHHmmss")
    return value


#: A string field that may arrive as a number or null.
Str = Annotated[str, BeforeValidator(_as_text)]
#: A ``yyyyMMddHHmmss`` date, or "".
DateStr = Annotated[str, BeforeValidator(_check_date)]


class PortalModel(BaseModel):
    """Field names as the portal spells them; unknown fields are kept."""

    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------------- dossier object


class TaiLieuNopItem(PortalModel):
    TepDinhKemId: Str = ""
    TenTepDinhKem: Str = ""
    IsDeleted: Str = "False"
    MaThanhPhanHoSo: Str = ""
    DuongDanTaiTepTin: Str = ""
    DuocSoHoa: Str = "0"
    DuocTaiSuDung: Str = "0"
    DuocLayTuKhoDMQG: Str = "0"
    MaKetQuaThayThe: Str = ""


class LePhiItem(PortalModel):
    TenPhiLePhi: Str = ""
    MaPhiLePhi: Str = ""
    HinhThucThu: Str = ""
    Gia: Str = "0"
    LoaiPhiLePhi: Str = ""


class TepDinhKemKhacItem(PortalModel):
    TenGiayTo: Str = ""
    SoLuong: Str = ""
    LoaiGiayTo: Str = ""


class HoSoBoSungItem(PortalModel):
    HoSoBoSungId: Str = ""
    NguoiYeuCauBoSung: Str = ""
    NoiDungBoSung: Str = ""
    NgayBoSung: DateStr = ""
    NguoiTiepNhanBoSung: Str = ""
    ThongTinTiepNhan: Str = ""
    NgayTiepNhanBoSung: DateStr = ""
    TrangThaiBoSung: Str = ""
    DanhSachGiayToBoSung: list[Any] = Field(default_factory=list)
    DanhSachLePhiBoSung: list[Any] = Field(default_factory=list)
    NgayHenTraTruoc: DateStr = ""
    NgayHenTraMoi: DateStr = ""


class GiayToKetQuaItem(PortalModel):
    TenGiayTo: Str = ""
    MaThanhPhanHoSo: Str = ""
    GiayToId: Str = ""
    DuongDanTepTinKetQua: Str = ""
    MaGiayToKetQua: Str = ""


class DinhDanhItem(PortalModel):
    LoaiDinhDanh: Str = "1"
    SoDinhDanh: Str = ""


class HoSo(PortalModel):
    """A one-stop dossier as DongBoHoSoMC sends it and TraCuuHoSo returns it."""

    MaHoSo: Str
    MaTTHC: Str = ""
    TenTTHC: Str = ""
    MaLinhVuc: Str = ""
    TenLinhVuc: Str = ""
    SoBienNhan: Str = ""
    KenhThucHien: Str = "1"
    ChuHoSo: Str = ""
    SoGiayToChuHoSo: Str = ""
    LoaiDoiTuong: Str = "1"
    MaDoiTuong: Str = ""
    ThongTinKhac: Str = ""
    Email: Str = ""
    Fax: Str = ""
    SoDienThoai: Str = ""
    TrichYeuHoSo: Annotated[str, BeforeValidator(_as_text), Field(max_length=1000)] = ""
    NgayTiepNhan: DateStr = ""
    NgayHenTra: DateStr = ""
    NgayTra: DateStr = ""
    NgayKetThucXuLy: DateStr = ""
    NgayTuChoi: DateStr = ""
    NgayNopHoSo: DateStr = ""
    TrangThaiHoSo: Str
    HinhThuc: Str = "0"
    DonViXuLy: Str = ""
    GhiChu: Str = ""
    TaiLieuNop: list[TaiLieuNopItem] = Field(default_factory=list)
    DanhSachLePhi: list[LePhiItem] = Field(default_factory=list)
    DanhSachTepDinhKemKhac: list[TepDinhKemKhacItem] = Field(default_factory=list)
    DanhSachHoSoBoSung: list[HoSoBoSungItem] = Field(default_factory=list)
    DanhSachGiayToKetQua: list[GiayToKetQuaItem] = Field(default_factory=list)
    HoSoCoThanhPhanSoHoa: Str = "0"
    DuocThanhToanTrucTuyen: Str = "0"
    DinhDanhCHS: list[DinhDanhItem] = Field(default_factory=list)


class QuaTrinhXuLy(PortalModel):
    """A progress row as CapNhatTienDoHoSoMC sends it."""

    MaHoSo: Str
    NguoiXuLy: Annotated[str, BeforeValidator(_as_text), Field(max_length=50)] = ""
    ChucDanh: Str = ""
    ThoiDiemXuLy: DateStr
    PhongBanXuLy: Str = ""
    NoiDungXuLy: Str = ""
    TrangThai: Str
    NgayBatDau: DateStr = ""
    NgayKetThucTheoQuyDinh: DateStr = ""


# ------------------------------------------------------------------ transport models


class PortalLogin(BaseModel):
    """POST to the auth endpoint. ``madonvi`` is needed only when the user name is
    used in more than one unit (this reference server's accounts are per unit)."""

    model_config = ConfigDict(extra="allow")

    username: str
    password: str = Field(repr=False)
    madonvi: str | None = None


class PortalLoginReply(BaseModel):
    session: str = ""
    error_code: int
    message: str = ""


class PortalRequest(BaseModel):
    """Every integration call: session, unit, service name and the service's fields."""

    model_config = ConfigDict(extra="allow")

    session: str = Field(repr=False)
    madonvi: str
    service: str
    isUpdating: Str | None = None  # the portal's name
    data: list[dict[str, Any]] | None = None
    mahoso: Str | None = None
    maTTHC: Str | None = None  # the portal's name


class PortalReply(BaseModel):
    error_code: int
    message: str = ""
    result: Any = None


# Reply codes of this reference implementation (0 = success, as on the portal).
OK = 0
ERR_SESSION = 1
ERR_EXISTS = 2
ERR_NOT_FOUND = 3
ERR_INVALID = 4
ERR_UNIT = 5
ERR_CONFLICT = 6
ERR_SERVICE = 7
ERR_LOGIN = 8


# ----------------------------------------------------------------------- mappings


def dossier_uid_for(agency_code: str, code: str) -> str:
    """The uid given to a dossier that arrives by DongBoHoSoMC (no uid of its own)."""
    return str(uuid.uuid5(UID_NAMESPACE, f"dossier/{agency_code}/{code}"))


def progress_uid_for(row: QuaTrinhXuLy) -> str:
    """The uid given to a progress row that arrives by CapNhatTienDoHoSoMC: a repeat maps
    to the same uid, so sending a batch twice stores it once."""
    key = "/".join((row.MaHoSo, row.ThoiDiemXuLy, row.TrangThai, row.NoiDungXuLy,
                    row.NguoiXuLy))
    return str(uuid.uuid5(UID_NAMESPACE, f"progress/{key}"))


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _identifiers(snapshot: DossierSnapshot) -> list[DinhDanhItem]:
    out = []
    if snapshot.applicant_id_number:
        kind = "1" if len(snapshot.applicant_id_number) == 12 else "2"
        out.append(DinhDanhItem(LoaiDinhDanh=kind, SoDinhDanh=snapshot.applicant_id_number))
    if snapshot.applicant_old_id:
        out.append(DinhDanhItem(LoaiDinhDanh="2", SoDinhDanh=snapshot.applicant_old_id))
    return out


def hoso_from_record(record: DossierRecord, *, procedure_name: str = "",
                     field_code: str = "", field_name: str = "", unit_name: str = "",
                     file_url: str = "", extra_fields: dict[str, Any] | None = None) -> HoSo:
    """The dossier object the portal expects, from the server's record.

    ``file_url`` is a format string with ``{sha256}`` for DuongDanTaiTepTin.
    ``extra_fields`` (fields of an earlier DongBoHoSoMC the protocol does not model)
    are laid under the mapped ones.
    """
    d = record.dossier
    components = record.components or []
    fees = record.fees or []
    digitised = any(c.digitisation_state > 0 for c in components)

    def url(sha: str | None) -> str:
        return file_url.format(sha256=sha) if sha and file_url else ""

    values: dict[str, Any] = dict(extra_fields or {})
    values.update(
        MaHoSo=d.code or "",
        MaTTHC=d.procedure_code or values.get("MaTTHC", ""),
        TenTTHC=procedure_name or values.get("TenTTHC", ""),
        MaLinhVuc=field_code or values.get("MaLinhVuc", ""),
        TenLinhVuc=field_name or values.get("TenLinhVuc", ""),
        KenhThucHien=d.channel,
        ChuHoSo=d.applicant_name,
        SoGiayToChuHoSo=d.applicant_id_number or d.applicant_old_id,
        LoaiDoiTuong=d.applicant_kind or "1",
        Email=d.applicant_email,
        SoDienThoai=d.applicant_phone,
        TrichYeuHoSo=d.summary[:1000],
        NgayTiepNhan=format_time(d.received_at),
        NgayHenTra=format_time(d.due_at),
        NgayTra=format_time(d.returned_at),
        NgayKetThucXuLy=format_time(d.finished_at),
        NgayTuChoi=format_time(d.refused_at),
        NgayNopHoSo=format_time(d.submitted_at),
        TrangThaiHoSo=str(d.status),
        HinhThuc="1" if d.return_by_post else "0",
        DonViXuLy=unit_name or values.get("DonViXuLy", ""),
        GhiChu=d.note,
        HoSoCoThanhPhanSoHoa=_flag(digitised),
        DuocThanhToanTrucTuyen=_flag(d.paid_online),
        DinhDanhCHS=_identifiers(d),
        DanhSachHoSoBoSung=[HoSoBoSungItem(
            HoSoBoSungId=r.uid, NguoiYeuCauBoSung=r.requested_by_name, NoiDungBoSung=r.content,
            NgayBoSung=format_time(r.requested_at), NguoiTiepNhanBoSung=r.received_by_name,
            NgayTiepNhanBoSung=format_time(r.received_at), TrangThaiBoSung=r.state,
            DanhSachGiayToBoSung=list(r.missing), NgayHenTraTruoc=format_time(r.previous_due_at),
            NgayHenTraMoi=format_time(r.new_due_at),
        ) for r in record.supplement_rounds],
        DanhSachGiayToKetQua=[GiayToKetQuaItem(
            TenGiayTo=r.name, MaGiayToKetQua=r.code, GiayToId=r.file_sha256 or "",
            DuongDanTepTinKetQua=url(r.file_sha256),
        ) for r in record.results],
    )
    if record.components is not None:
        values["TaiLieuNop"] = [TaiLieuNopItem(
            TepDinhKemId=c.file_sha256 or c.attachment_id, TenTepDinhKem=c.name,
            IsDeleted="False" if c.present else "True", MaThanhPhanHoSo=c.code,
            DuongDanTaiTepTin=url(c.file_sha256) or c.url,
            DuocSoHoa=_flag(c.digitisation_state > 0),
            DuocTaiSuDung={2: "1", 3: "2"}.get(c.digitisation_state, "0"),
            DuocLayTuKhoDMQG=_flag(c.from_national_store),
        ) for c in components]
    if record.fees is not None:
        values["DanhSachLePhi"] = [LePhiItem(
            TenPhiLePhi=f.name, MaPhiLePhi=f.code, HinhThucThu=f.method, Gia=str(f.amount),
            LoaiPhiLePhi=f.kind,
        ) for f in fees]
    return HoSo.model_validate(values)


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


#: HoSo fields that the mapping to the protocol takes in; the rest are kept as they came.
MAPPED_FIELDS = frozenset({
    "MaHoSo", "MaTTHC", "KenhThucHien", "ChuHoSo", "SoGiayToChuHoSo", "LoaiDoiTuong", "Email",
    "SoDienThoai", "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy",
    "NgayTuChoi", "NgayNopHoSo", "TrangThaiHoSo", "HinhThuc", "GhiChu", "TaiLieuNop",
    "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua", "DuocThanhToanTrucTuyen",
    "DinhDanhCHS",
})


def record_parts_from_hoso(hoso: HoSo, *, uid: str, version: int) -> dict[str, Any]:
    """The protocol's parts of a dossier from a HoSo: ``dossier`` (a DossierSnapshot),
    ``supplement_rounds``, ``results``, ``components``, ``fees`` and ``extra_fields`` (the
    HoSo fields the protocol does not model, to keep for TraCuuHoSo)."""
    status = _int(hoso.TrangThaiHoSo)
    channel = hoso.KenhThucHien if hoso.KenhThucHien in ("1", "2", "3") else "1"
    new_id = old_id = ""
    for ident in hoso.DinhDanhCHS:
        if ident.LoaiDinhDanh == "1" and not new_id:
            new_id = ident.SoDinhDanh
        elif ident.LoaiDinhDanh == "2" and not old_id:
            old_id = ident.SoDinhDanh
    if not new_id and not old_id and hoso.SoGiayToChuHoSo:
        if len(hoso.SoGiayToChuHoSo) == 12:
            new_id = hoso.SoGiayToChuHoSo
        else:
            old_id = hoso.SoGiayToChuHoSo
    fees = [FeeData(name=f.TenPhiLePhi, code=f.MaPhiLePhi, amount=_int(f.Gia), method=f.HinhThucThu,
                    kind=f.LoaiPhiLePhi) for f in hoso.DanhSachLePhi]
    dossier = DossierSnapshot(
        uid=uid, code=hoso.MaHoSo, procedure_code=hoso.MaTTHC or None, channel=channel,
        status=status, applicant_kind=hoso.LoaiDoiTuong or "1", applicant_id_number=new_id,
        applicant_old_id=old_id, applicant_name=hoso.ChuHoSo, applicant_phone=hoso.SoDienThoai,
        applicant_email=hoso.Email, summary=hoso.TrichYeuHoSo, note=hoso.GhiChu,
        submitted_at=parse_time(hoso.NgayNopHoSo), received_at=parse_time(hoso.NgayTiepNhan),
        due_at=parse_time(hoso.NgayHenTra), refused_at=parse_time(hoso.NgayTuChoi),
        finished_at=parse_time(hoso.NgayKetThucXuLy), returned_at=parse_time(hoso.NgayTra),
        return_by_post=hoso.HinhThuc == "1", fee_total=sum(f.amount for f in fees),
        paid_online=hoso.DuocThanhToanTrucTuyen == "1", version=version,
    )
    components = [ComponentData(
        name=t.TenTepDinhKem or t.MaThanhPhanHoSo or "?", code=t.MaThanhPhanHoSo,
        present=t.IsDeleted.lower() != "true",
        digitisation_state=(2 if t.DuocTaiSuDung == "1" else 3 if t.DuocTaiSuDung == "2"
                            else 1 if t.DuocSoHoa == "1" else 0),
        file_sha256=t.TepDinhKemId if _SHA256_RE.fullmatch(t.TepDinhKemId) else None,
        from_national_store=t.DuocLayTuKhoDMQG == "1",
        attachment_id="" if _SHA256_RE.fullmatch(t.TepDinhKemId) else t.TepDinhKemId,
        url=t.DuongDanTaiTepTin,
    ) for t in hoso.TaiLieuNop]
    rounds = [SupplementRoundData(
        uid=r.HoSoBoSungId or str(uuid.uuid5(UID_NAMESPACE, f"round/{hoso.MaHoSo}/{i}")),
        requested_at=parse_time(r.NgayBoSung), requested_by_name=r.NguoiYeuCauBoSung,
        content=r.NoiDungBoSung, missing=list(r.DanhSachGiayToBoSung),
        previous_due_at=parse_time(r.NgayHenTraTruoc), received_at=parse_time(r.NgayTiepNhanBoSung),
        received_by_name=r.NguoiTiepNhanBoSung, new_due_at=parse_time(r.NgayHenTraMoi),
        state=r.TrangThaiBoSung or "open",
    ) for i, r in enumerate(hoso.DanhSachHoSoBoSung)]
    results = [ResultData(name=r.TenGiayTo, code=r.MaGiayToKetQua) for r in hoso.DanhSachGiayToKetQua]
    dumped = hoso.model_dump()
    extra = {k: v for k, v in dumped.items() if k not in MAPPED_FIELDS}
    return {"dossier": dossier, "supplement_rounds": rounds, "results": results,
            "components": components, "fees": fees, "extra_fields": extra}


def qua_trinh_from_progress(code: str, row: ProgressData) -> QuaTrinhXuLy:
    return QuaTrinhXuLy(
        MaHoSo=code, NguoiXuLy=row.officer_name[:50], ChucDanh=row.officer_title,
        ThoiDiemXuLy=format_time(row.acted_at), PhongBanXuLy=row.department,
        NoiDungXuLy=row.content, TrangThai=str(row.status),
        NgayBatDau=format_time(row.started_at or row.acted_at),
        NgayKetThucTheoQuyDinh=format_time(row.step_deadline),
    )


def progress_from_qua_trinh(row: QuaTrinhXuLy) -> ProgressData:
    acted = parse_time(row.ThoiDiemXuLy)
    assert acted is not None  # ThoiDiemXuLy is required
    return ProgressData(
        uid=progress_uid_for(row), officer_name=row.NguoiXuLy[:50], officer_title=row.ChucDanh,
        department=row.PhongBanXuLy, acted_at=acted, content=row.NoiDungXuLy,
        status=_int(row.TrangThai), started_at=parse_time(row.NgayBatDau),
        step_deadline=parse_time(row.NgayKetThucTheoQuyDinh),
    )


# ---------------------------------------------------------------------- catalogue

_KENH = {"Trực tiếp": "1", "Trực tuyến": "2", "Dịch vụ bưu chính": "3"}


def field_code(name: str) -> str:
    """A code for a field (lĩnh vực) name: the catalogue publishes names only."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:64]


def thu_tuc_summary(proc: ProcedureRecord) -> dict[str, Any]:
    """One line of LayDanhSachTTHC."""
    return {
        "MATTHC": proc.code, "TENTTHC": proc.name,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field_code(proc.field), "TENLINHVUC": proc.field}],
    }


def thu_tuc_from_procedure(proc: ProcedureRecord, *, agency_code: str = "",
                           unit_name: str = "") -> dict[str, Any]:
    """The LayThuTuc record of a procedure (upper-case names, as the portal sends them)."""
    ways = []
    for time_row in proc.processing_time:
        kenh = _KENH.get(time_row.channel, "")
        fees = [{"SOTIEN": str(f.amount_vnd if f.amount_vnd is not None else ""),
                 "DONVI": "Đồng", "MOTA": f.description or f.as_published}
                for f in proc.fees if f.channel == time_row.channel]
        amount = time_row.amount
        ways.append({"KENH": kenh, "THOIGIAN": [{
            "THOIGIANGIAIQUYET": "" if amount is None else _as_text(amount),
            "DONVITINH": time_row.unit or "", "MOTA": time_row.as_published,
            "PHILEPHI": fees,
        }]})
    sections: dict[str, list[dict[str, str]]] = {}
    for i, comp in enumerate(proc.components, start=1):
        section = comp.section if comp.section and comp.section != "--" else ""
        sections.setdefault(section, []).append({
            "MAGIAYTO": f"{proc.code}-TP{i:02d}", "TENGIAYTO": comp.name, "TENMAUDON": "",
            "URL": "",
        })
    return {
        "MATTHC": proc.code,
        "TENTTHC": proc.name,
        "MACOQUANCONGBO": "",
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field_code(proc.field), "TENLINHVUC": proc.field}],
        "TRINHTUTHUCHIEN": [],
        "CACHTHUCTHUCHIEN": ways,
        "THANHPHANHOSO": [{"TRUONGHOP": name, "GIAYTO": papers}
                          for name, papers in sections.items()],
        "KETQUATHUCHIEN": [{"MAKETQUA": r.code, "TENKETQUA": r.name} for r in proc.results],
        "CANCUPHAPLY": ([{"SOVANBAN": proc.announced_by,
                          "TENVANBAN": "Quyết định công bố thủ tục hành chính"}]
                        if proc.announced_by else []),
        "COQUANTHUCHIEN": ([{"MADONVI": agency_code, "TENDONVI": unit_name}]
                           if agency_code else []),
        "YEUCAU": "",
        "MOTADOITUONGTHUCHIEN": proc.applicants,
    }
