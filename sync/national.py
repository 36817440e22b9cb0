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
``thu_tuc_from_procedure`` / ``procedure_from_thu_tuc`` for a catalogue record
(LayThuTuc; the second one is how a desk behind the portal loads its catalogue, so it
reads what real peers send, not only what the first one writes). Fields of a
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

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

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


#: TENVANBAN of the announcing decision among a procedure's legal bases (CANCUPHAPLY).
ANNOUNCEMENT = "Quyết định công bố thủ tục hành chính"
_AMOUNT_RE = re.compile(r"^\s*([0-9][0-9.,]*)\s+(\S.*?)\s*$")
FREE = "Miễn phí"


def _fee_unit(amount: int | None, as_published: str) -> str:
    """DONVI of a fee: the unit the published text names after the amount ("Việt Nam
    Đồng", "VNĐ", "USD"), so the text can be rebuilt from SOTIEN + DONVI on the other side."""
    m = _AMOUNT_RE.match(as_published or "")
    if m and amount is not None and _number(m.group(1)) == amount:
        return m.group(2)
    return "USD" if "USD" in (as_published or "") else "Đồng"


def _fee_text(amount: int | None, unit: str) -> str:
    """The published text of a fee, as the portal's pages show SOTIEN and DONVI."""
    if amount is None:
        return ""
    return FREE if amount == 0 else f"{amount:,} {unit or 'Đồng'}"


def _copies_text(originals: int, copies: int) -> str:
    return f"{originals} bản chính" + (f",{copies} bản sao" if copies else "")


def thu_tuc_from_procedure(proc: ProcedureRecord, *, agency_code: str = "",
                           unit_name: str = "") -> dict[str, Any]:
    """The LayThuTuc record of a procedure (upper-case names, as the portal sends them).

    Besides the documented fields, a paper (GIAYTO) carries SOBANCHINH / SOBANSAO (the
    numbers of originals and copies: deployed catalogue mirrors store them under these
    names) and the time rules travel as the steps (TRINHTUTHUCHIEN), where the portal
    publishes them: ``procedure_from_thu_tuc`` reads both back.
    """
    ways = []
    for time_row in proc.processing_time:
        kenh = _KENH.get(time_row.channel, "")
        fees = []
        for f in proc.fees:
            if f.channel != time_row.channel:
                continue
            unit = _fee_unit(f.amount_vnd, f.as_published)
            rebuilt = _fee_text(f.amount_vnd, unit) == f.as_published
            fees.append({"SOTIEN": str(f.amount_vnd if f.amount_vnd is not None else ""),
                         "DONVI": unit,
                         "MOTA": f.description or ("" if rebuilt else f.as_published)})
        amount = time_row.amount
        ways.append({"KENH": kenh, "THOIGIAN": [{
            "THOIGIANGIAIQUYET": "" if amount is None else _as_text(amount),
            "DONVITINH": time_row.unit or "", "MOTA": time_row.as_published,
            "PHILEPHI": fees,
        }]})
    # Consecutive papers of one section form one group, so the order of the papers
    # (their position at the desk) survives.
    groups: list[dict[str, Any]] = []
    for i, comp in enumerate(proc.components, start=1):
        section = comp.section if comp.section and comp.section != "--" else ""
        if not groups or groups[-1]["TRUONGHOP"] != section:
            groups.append({"TRUONGHOP": section, "GIAYTO": []})
        groups[-1]["GIAYTO"].append({
            "MAGIAYTO": f"{proc.code}-TP{i:02d}", "TENGIAYTO": comp.name, "TENMAUDON": "",
            "URL": "", "SOBANCHINH": str(comp.originals), "SOBANSAO": str(comp.copies),
        })
    return {
        "MATTHC": proc.code,
        "TENTTHC": proc.name,
        "MACOQUANCONGBO": "",
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field_code(proc.field), "TENLINHVUC": proc.field}],
        "TRINHTUTHUCHIEN": ([{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": rule}
                                                           for rule in proc.time_rules]}]
                            if proc.time_rules else []),
        "CACHTHUCTHUCHIEN": ways,
        "THANHPHANHOSO": groups,
        "KETQUATHUCHIEN": [{"MAKETQUA": r.code, "TENKETQUA": r.name} for r in proc.results],
        "CANCUPHAPLY": ([{"SOVANBAN": proc.announced_by,
                          "TENVANBAN": ANNOUNCEMENT}] if proc.announced_by else []),
        "COQUANTHUCHIEN": ([{"MADONVI": agency_code, "TENDONVI": unit_name}]
                           if agency_code else []),
        "YEUCAU": "",
        "MOTADOITUONGTHUCHIEN": proc.applicants,
    }


_KENH_LABEL = {code: label for label, code in _KENH.items()}


def _upper_keys(value: Any) -> Any:
    """The record with every key upper-cased: peers differ in the case of the names."""
    if isinstance(value, dict):
        return {str(k).upper(): _upper_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_upper_keys(v) for v in value]
    return value


def _rows(value: Any) -> list[dict[str, Any]]:
    """A list of objects from what a peer sent: null, "", one object or a list."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _text(value: Any) -> str:
    value = _as_text(value)
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> int | float | None:
    """A number a peer sent as a number or as text ("3", "3.5", "50,000", "50.000"); None
    for "", null or anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if not text:
            return None
        if re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", text):  # thousands separators
            text = re.sub(r"[.,]", "", text)
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None
    if number != number or number in (float("inf"), float("-inf")):  # NaN, infinities
        return None
    return int(number) if number.is_integer() else number


def _channel(value: Any) -> str | None:
    """The catalogue's channel label of a KENH (1/2/3, as a number or text, or a label)."""
    text = _text(value)
    if text in _KENH_LABEL:
        return _KENH_LABEL[text]
    if text in _KENH:
        return text
    folded = field_code(text)
    if "buu-chinh" in folded:
        return "Dịch vụ bưu chính"
    if "truc-tuyen" in folded:
        return "Trực tuyến"
    if "truc-tiep" in folded:
        return "Trực tiếp"
    return None


def _announced_by(laws: list[dict[str, Any]]) -> str | None:
    """The number of the decision announcing the procedure among its legal bases: the one
    named as an announcement, else the first decision (QĐ), else the first text."""
    numbered = [(_text(r.get("SOVANBAN")), _text(r.get("TENVANBAN"))) for r in laws]
    numbered = [(n, t) for n, t in numbered if n]
    for number, title in numbered:
        if "cong-bo" in field_code(title):
            return number
    for number, _title in numbered:
        if "QĐ" in number.upper():
            return number
    return numbered[0][0] if numbered else None


def procedure_from_thu_tuc(record: dict[str, Any]) -> ProcedureRecord:
    """Our catalogue's ProcedureRecord from a LayThuTuc record (the inverse of
    ``thu_tuc_from_procedure``), for a desk whose province offers only the portal.

    Tolerant of what real peers send: names in any case, numbers as text or numbers,
    empty strings and nulls for missing parts, one object where a list is expected; an
    unknown channel or a paper without a name is left out. What the format cannot carry
    comes back empty: the procedure's level ("Cấp xã"), whether it is fully online
    (``online.toan_trinh``), the source page, our notes and unconfirmed remarks; a fee
    published without an amount keeps one text (its description, or else its published
    text) as both; the published text of an amount is rebuilt from SOTIEN and DONVI
    ("50,000 Việt Nam Đồng", "Miễn phí"), that of the copies from SOBANCHINH and SOBANSAO
    (bản sao: certified copies are not told apart); "--" or no section both come back as
    no section (None). The legal bases give ``announced_by``: the decision named as an
    announcement, else the first decision; the steps (TRINHTUTHUCHIEN) give
    ``time_rules`` (where the desk finds the afternoon cut-off).

    Raises ValueError (a Vietnamese message) for a record without MATTHC or TENTTHC,
    or one that is not a valid procedure record.
    """
    if not isinstance(record, dict):
        raise ValueError("Thủ tục từ cổng dịch vụ công không đúng định dạng.")
    rec = _upper_keys(record)
    code = _text(rec.get("MATTHC"))
    if not code:
        raise ValueError("Thủ tục từ cổng dịch vụ công không có mã thủ tục (MATTHC).")
    name = _text(rec.get("TENTTHC"))
    if not name:
        raise ValueError(f"Thủ tục {code[:64]} từ cổng dịch vụ công không có tên (TENTTHC).")
    fields = [_text(f.get("TENLINHVUC")) for f in _rows(rec.get("LINHVUCTHUCHIEN"))]
    times: list[dict[str, Any]] = []
    fees: list[dict[str, Any]] = []
    channels: list[str] = []
    for way in _rows(rec.get("CACHTHUCTHUCHIEN")):
        channel = _channel(way.get("KENH"))
        if channel is None:
            continue
        if channel not in channels:
            channels.append(channel)
        rows = _rows(way.get("THOIGIAN"))
        for row in rows:
            amount = _number(row.get("THOIGIANGIAIQUYET"))
            unit = _text(row.get("DONVITINH")) or None
            shown = _text(row.get("MOTA")) or " ".join(
                p for p in (_text(row.get("THOIGIANGIAIQUYET")), unit or "") if p)
            times.append({"channel": channel, "amount": amount, "unit": unit,
                          "as_published": shown})
        for fee in [f for row in rows for f in _rows(row.get("PHILEPHI"))] + _rows(
                way.get("PHILEPHI")):
            number = _number(fee.get("SOTIEN"))
            amount_vnd = None if number is None else int(round(number))
            note = _text(fee.get("MOTA"))
            # A fee without an amount has only its text: it is both what was published
            # and its description.
            item = {"channel": channel, "amount_vnd": amount_vnd,
                    "as_published": (_fee_text(amount_vnd, _text(fee.get("DONVI")))
                                     if amount_vnd is not None else note),
                    "description": note or None}
            if item not in fees:  # the same fee under several THOIGIAN rows
                fees.append(item)
    components = []
    for group in _rows(rec.get("THANHPHANHOSO")):
        section = _text(group.get("TRUONGHOP")) or None
        for paper in _rows(group.get("GIAYTO")):
            paper_name = _text(paper.get("TENGIAYTO"))
            if not paper_name:
                continue
            originals = max(0, int(_number(paper.get("SOBANCHINH")) or 0))
            copies = max(0, int(_number(paper.get("SOBANSAO")) or 0))
            components.append({"name": paper_name, "section": section, "originals": originals,
                               "copies": copies,
                               "as_published": _copies_text(originals, copies)})
    results = [{"code": _text(r.get("MAKETQUA")), "name": _text(r.get("TENKETQUA"))}
               for r in _rows(rec.get("KETQUATHUCHIEN")) if _text(r.get("TENKETQUA"))]
    rules = [_text(step.get("TENTRINHTU"))
             for group in _rows(rec.get("TRINHTUTHUCHIEN"))
             for step in _rows(group.get("TRINHTU")) if _text(step.get("TENTRINHTU"))]
    applicants = rec.get("MOTADOITUONGTHUCHIEN")
    if isinstance(applicants, list):  # some peers list the kinds of applicants
        applicants = ", ".join(
            _text(a.get("TENDOITUONG") or a.get("MOTA")) if isinstance(a, dict) else _text(a)
            for a in applicants)
    try:
        return ProcedureRecord.model_validate({
            "code": code, "name": name, "field": next((f for f in fields if f), ""),
            "applicants": _text(applicants), "announced_by": _announced_by(
                _rows(rec.get("CANCUPHAPLY"))),
            "processing_time": times, "time_rules": rules, "fees": fees,
            "components": components, "results": results,
            "online": {"kenh_nop": sorted(channels), "toan_trinh": None} if channels else None,
        })
    except ValidationError as exc:
        names = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        raise ValueError(f"Thủ tục {code[:64]} từ cổng dịch vụ công không hợp lệ: "
                         f"{', '.join(names[:5])}.") from None
