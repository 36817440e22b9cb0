"""Export and import of dossiers in the national portal's (DVCQG) exchange format.

The file is a JSON list of dossier objects (``sync.national.HoSo``: field names
exactly as DongBoHoSoMC sends them, dates ``yyyyMMddHHmmss``), each carrying its
progress rows under ``QuaTrinhXuLy`` (the rows of CapNhatTienDoHoSoMC).

- ``export_dvcqg`` streams: dossiers are read in pages of ``PAGE`` and written
  one by one, so a large office is never in memory at once. State-secret
  dossiers never leave the office.
- ``import_dvcqg`` reads such a file (from another system being migrated) and
  creates the dossiers not already here (by MaHoSo, the dossier code), each
  with its papers, fees and progress rows, in transactions of ``PAGE`` rows.
  An imported dossier writes an audit event (actor "import", action
  ``dossier.import``) and its search entry, but no outbox item: it came from
  elsewhere, the desk's own changes to it later go out as usual. Procedures
  are mapped by MaTTHC; a row that cannot be mapped or read is refused with a
  Vietnamese message (its code only, never the citizen's data) and the rest go
  in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.services import audit, search
from desktop.services.actor import Actor
from desktop.services.dossiers import related, snapshot
from desktop.services.incoming import RECORD_FIELDS, add_progress_rows
from desktop.services.office import get_office
from desktop.store.database import Store
from desktop.store.models import (
    Dossier,
    DossierComponent,
    DossierFee,
    Procedure,
    ProgressRow,
)
from sync.national import (
    HoSo,
    QuaTrinhXuLy,
    dossier_uid_for,
    field_code,
    hoso_from_record,
    progress_from_qua_trinh,
    qua_trinh_from_progress,
    record_parts_from_hoso,
)
from sync.protocol import (
    DossierRecord,
    ProgressData,
)

#: Dossiers per page (export) and per transaction (import).
PAGE = 200
#: The key under which each exported dossier carries its progress rows.
PROGRESS_KEY = "QuaTrinhXuLy"
#: Who imports (audit trail; progress rows keep the names they came with).
IMPORTER = Actor(officer_id=None, name="import")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TEXT_LIMITS = {"applicant_id_number": 20, "applicant_old_id": 12, "applicant_name": 255,
                "applicant_phone": 30, "applicant_email": 255}


class ExchangeFileError(Exception):
    """The file cannot be read as a list of dossiers (nothing was imported)."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


# --------------------------------------------------------------------------- export


@dataclass
class ExportSummary:
    dossiers: int = 0
    progress_rows: int = 0


def _period_filter(start: date | None, end: date | None) -> list[Any]:
    when = func.coalesce(Dossier.received_at, Dossier.submitted_at, Dossier.created_at)
    out = []
    if start is not None:
        out.append(when >= datetime.combine(start, datetime.min.time()))
    if end is not None:
        out.append(when < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    return out


def _hoso_of(session: Session, d: Dossier, agency: str, unit_name: str,
             progress: list[ProgressRow]) -> dict[str, Any]:
    proc = d.procedure
    snap = snapshot(d)
    snap["procedure_code"] = proc.code
    snap.pop("state_secret", None)
    snap.pop("assignee_id", None)
    record = DossierRecord.model_validate({
        "agency_code": agency, "version": d.version, "updated_at": d.updated_at,
        "dossier": snap, **related(session, d.id)})
    hoso = hoso_from_record(record, procedure_name=proc.name,
                            field_code=field_code(proc.field.name), field_name=proc.field.name,
                            unit_name=unit_name)
    if not hoso.MaHoSo:  # a dossier without a code yet (online, not received): its uid
        hoso.MaHoSo = d.uid
    out = hoso.model_dump()
    out[PROGRESS_KEY] = [qua_trinh_from_progress(hoso.MaHoSo, ProgressData(
        uid=p.uid, officer_name=p.officer_name[:50], officer_title=p.officer_title,
        department=p.department, acted_at=p.acted_at, content=p.content, status=p.status,
        started_at=p.started_at, step_deadline=p.step_deadline)).model_dump()
        for p in progress]
    return out


def iter_dvcqg(store: Store, *, start: date | None = None,
               end: date | None = None) -> Iterator[dict[str, Any]]:
    """The office's dossiers (not state-secret ones) as HoSo objects, page by page."""
    last_id = 0
    while True:
        with store.reading() as session:
            office = get_office(session)
            agency = office.agency_code if office is not None else ""
            unit_name = office.name if office is not None else ""
            page = session.execute(
                select(Dossier).where(Dossier.id > last_id, Dossier.state_secret.is_(False),
                                      *_period_filter(start, end))
                .order_by(Dossier.id).limit(PAGE)).scalars().all()
            if not page:
                return
            ids = [d.id for d in page]
            rows: dict[int, list[ProgressRow]] = {i: [] for i in ids}
            for p in session.execute(select(ProgressRow).where(ProgressRow.dossier_id.in_(ids))
                                     .order_by(ProgressRow.acted_at, ProgressRow.id)).scalars():
                rows[p.dossier_id].append(p)
            out = [_hoso_of(session, d, agency, unit_name, rows[d.id]) for d in page]
            last_id = ids[-1]
        yield from out


def export_dvcqg(store: Store, out: IO[str], *, start: date | None = None,
                 end: date | None = None) -> ExportSummary:
    """Write the JSON list to ``out`` one dossier at a time."""
    summary = ExportSummary()
    out.write("[")
    for hoso in iter_dvcqg(store, start=start, end=end):
        out.write(",\n" if summary.dossiers else "\n")
        out.write(json.dumps(hoso, ensure_ascii=False))
        summary.dossiers += 1
        summary.progress_rows += len(hoso[PROGRESS_KEY])
    out.write("\n]\n" if summary.dossiers else "]\n")
    return summary


# --------------------------------------------------------------------------- import


@dataclass
class ImportSummary:
    created: int = 0
    existing: int = 0
    progress_rows: int = 0
    #: (position in the file, 1-based; MaHoSo; Vietnamese reason)
    refused: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.existing + len(self.refused)

    def summary_vi(self) -> str:
        return (f"Nhập {self.total} hồ sơ: tạo mới {self.created} hồ sơ "
                f"({self.progress_rows} bước xử lý), {self.existing} hồ sơ đã có sẵn, "
                f"từ chối {len(self.refused)} hồ sơ.")


def read_rows(path: Path) -> list[Any]:
    """The file's list of dossier objects; ExchangeFileError with a Vietnamese message."""
    try:
        with path.open("rb") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise ExchangeFileError(f"Không tìm thấy tệp {path}.") from exc
    except OSError as exc:
        raise ExchangeFileError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ExchangeFileError("Tệp không phải văn bản UTF-8: không phải tệp JSON hồ sơ "
                                "theo định dạng Cổng DVCQG.") from exc
    except json.JSONDecodeError as exc:
        raise ExchangeFileError(f"Tệp không đúng định dạng JSON (dòng {exc.lineno}, cột "
                                f"{exc.colno}): không đọc được danh sách hồ sơ.") from exc
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]  # a DongBoHoSoMC body saved as it was
    if not isinstance(data, list):
        raise ExchangeFileError("Tệp phải là một danh sách (JSON) các hồ sơ theo định dạng "
                                "Cổng DVCQG (MaHoSo, MaTTHC, TrangThaiHoSo, …).")
    return data


_FIELD_VI = {
    "NgayTiepNhan": "ngày tiếp nhận", "NgayHenTra": "ngày hẹn trả", "NgayTra": "ngày trả",
    "NgayKetThucXuLy": "ngày kết thúc xử lý", "NgayTuChoi": "ngày từ chối",
    "NgayNopHoSo": "ngày nộp hồ sơ", "ThoiDiemXuLy": "thời điểm xử lý",
    "NgayBatDau": "ngày bắt đầu", "NgayKetThucTheoQuyDinh": "ngày kết thúc theo quy định",
}


def _invalid_fields(exc: ValidationError) -> str:
    names = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
    return ", ".join(names[:6])


@dataclass
class _Parsed:
    code: str
    uid: str
    parts: dict[str, Any]
    progress: list[ProgressData]


def _parse(raw: Any, agency: str) -> _Parsed:
    """A row of the file as the protocol's parts; ValueError with a Vietnamese message."""
    if not isinstance(raw, dict):
        raise ValueError("không phải một đối tượng hồ sơ (JSON object).")
    raw = dict(raw)
    rows_in = raw.pop(PROGRESS_KEY, None) or []
    if not isinstance(rows_in, list):
        raise ValueError(f"{PROGRESS_KEY} phải là một danh sách.")
    try:
        hoso = HoSo.model_validate(raw)
    except ValidationError as exc:
        dates = [e for e in exc.errors() if "yyyyMMddHHmmss" in str(e.get("msg", ""))]
        if dates:
            name = str(dates[0]["loc"][0])
            raise ValueError(f"{_FIELD_VI.get(name, name)} ({name}) phải theo dạng "
                             "yyyyMMddHHmmss, ví dụ 20260316081500.") from exc
        raise ValueError(f"thiếu hoặc sai trường: {_invalid_fields(exc)}.") from exc
    code = hoso.MaHoSo.strip()
    if not code:
        raise ValueError("thiếu mã hồ sơ (MaHoSo).")
    if len(code) > 40:
        raise ValueError("mã hồ sơ (MaHoSo) dài quá 40 ký tự.")
    try:
        status = Status(int(hoso.TrangThaiHoSo))
    except ValueError as exc:
        raise ValueError("trạng thái hồ sơ (TrangThaiHoSo) phải là một mã từ 1 đến 10.") from exc
    if hoso.KenhThucHien not in ("1", "2", "3"):
        raise ValueError("kênh thực hiện (KenhThucHien) phải là 1, 2 hoặc 3.")
    is_uid = bool(_UUID_RE.fullmatch(code))
    prefix = code.rsplit("-", 2)[0] if code.count("-") >= 2 else agency
    uid = code if is_uid else dossier_uid_for(prefix, code)
    parts = record_parts_from_hoso(hoso, uid=uid, version=1)
    if not hoso.MaTTHC:
        raise ValueError("thiếu mã thủ tục (MaTTHC).")
    progress: list[ProgressData] = []
    for i, row in enumerate(rows_in, start=1):
        if not isinstance(row, dict):
            raise ValueError(f"bước xử lý thứ {i} không phải một đối tượng.")
        try:
            q = QuaTrinhXuLy.model_validate({**row, "MaHoSo": code})
            progress.append(progress_from_qua_trinh(q))
        except ValidationError as exc:
            dates = [e for e in exc.errors() if "yyyyMMddHHmmss" in str(e.get("msg", ""))]
            if dates:
                name = str(dates[0]["loc"][0])
                raise ValueError(f"bước xử lý thứ {i}: {_FIELD_VI.get(name, name)} ({name}) "
                                 "phải theo dạng yyyyMMddHHmmss.") from exc
            raise ValueError(f"bước xử lý thứ {i}: thiếu hoặc sai trường "
                             f"{_invalid_fields(exc)}.") from exc
        except ValueError as exc:
            raise ValueError(f"bước xử lý thứ {i}: trạng thái (TrangThai) không hợp lệ.") from exc
    parts["dossier"] = parts["dossier"].model_copy(update={
        "code": None if is_uid else code, "status": int(status)})
    return _Parsed(code, uid, parts, progress)


def _create(session: Session, parsed: _Parsed, procedure_id: int, at: datetime) -> int:
    snap = parsed.parts["dossier"].model_dump()
    d = Dossier(uid=parsed.uid, procedure_id=procedure_id, code=snap.get("code"),
                created_at=at, updated_at=at, version=1, state_secret=False)
    for name in RECORD_FIELDS:
        if name not in snap:
            continue
        value = snap[name]
        if value is None and not Dossier.__table__.c[name].nullable:
            continue  # the column's default
        if name in _TEXT_LIMITS and isinstance(value, str):
            value = value[:_TEXT_LIMITS[name]]
        setattr(d, name, value)
    d.applicant_name = d.applicant_name or ""
    d.components = [
        DossierComponent(position=i, name=c.name, originals=c.originals, certified=c.certified,
                         photocopies=c.photocopies, present=c.present,
                         digitisation_state=c.digitisation_state, file_sha256=c.file_sha256)
        for i, c in enumerate(parsed.parts["components"])]
    d.fees = [DossierFee(name=(f.name or "Lệ phí")[:255], amount=f.amount, paid=f.paid,
                         paid_online=f.paid_online) for f in parsed.parts["fees"]]
    session.add(d)
    session.flush()
    added = add_progress_rows(session, d.id, [p.model_dump() for p in parsed.progress])
    audit.record(session, IMPORTER, "dossier.import", "dossier", d.code or d.uid,
                 after=snapshot(d), at=at)
    search.enqueue(session, d.id)
    return added


def import_rows(store: Store, rows: Iterable[Any], *,
                now: datetime | None = None) -> ImportSummary:
    """Create the dossiers not already here; refuse, row by row, what cannot be mapped."""
    at = (now or datetime.now()).replace(microsecond=0)
    summary = ImportSummary()
    with store.reading() as session:
        office = get_office(session)
        agency = office.agency_code if office is not None else ""
        procedures = dict(session.execute(select(Procedure.code, Procedure.id)).all())
    batch: list[tuple[int, _Parsed, int]] = []

    def flush() -> None:
        if not batch:
            return
        with store.transaction() as session:
            codes = [p.code for _, p, _ in batch]
            uids = [p.uid for _, p, _ in batch]
            have = set(session.execute(select(Dossier.code).where(Dossier.code.in_(codes)))
                       .scalars())
            have |= set(session.execute(select(Dossier.uid).where(Dossier.uid.in_(uids)))
                        .scalars())
            created = rows_added = 0
            for _pos, parsed, pid in batch:
                if parsed.code in have or parsed.uid in have:
                    summary.existing += 1
                    continue
                have.update((parsed.code, parsed.uid))
                rows_added += _create(session, parsed, pid, at)
                created += 1
        summary.created += created
        summary.progress_rows += rows_added
        batch.clear()

    for pos, raw in enumerate(rows, start=1):
        code = str(raw.get("MaHoSo") or "").strip()[:40] if isinstance(raw, dict) else ""
        try:
            parsed = _parse(raw, agency)
        except ValueError as exc:
            summary.refused.append((pos, code, str(exc)))
            continue
        proc_code = parsed.parts["dossier"].procedure_code or ""
        pid = procedures.get(proc_code)
        if pid is None:
            summary.refused.append((pos, code, f"thủ tục mã {proc_code} (MaTTHC) không có trong "
                                               "danh mục thủ tục của xã."))
            continue
        batch.append((pos, parsed, pid))
        if len(batch) >= PAGE:
            flush()
    flush()
    return summary


_CHUNK = 1 << 20
_WS = " \t\r\n"


def iter_rows(path: Path) -> Iterator[Any]:
    """The file's dossier objects one at a time (a top-level JSON list), never the whole file
    in memory; a DongBoHoSoMC body ({"data": [...]}) is read whole, as such bodies are small.
    ExchangeFileError with a Vietnamese message, as `read_rows`."""
    try:
        fh = path.open("r", encoding="utf-8")
    except FileNotFoundError as exc:
        raise ExchangeFileError(f"Không tìm thấy tệp {path}.") from exc
    except OSError as exc:
        raise ExchangeFileError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from exc
    decoder = json.JSONDecoder()
    with fh:
        buf, pos, eof = "", 0, False
        lines_before, column_carry = 0, 0  # of the text already dropped from `buf`

        def more() -> bool:
            nonlocal buf, pos, eof, lines_before, column_carry
            try:
                chunk = fh.read(_CHUNK)
            except UnicodeDecodeError as exc:
                raise ExchangeFileError("Tệp không phải văn bản UTF-8: không phải tệp JSON hồ sơ "
                                        "theo định dạng Cổng DVCQG.") from exc
            dropped = buf[:pos]
            newlines = dropped.count("\n")
            lines_before += newlines
            column_carry = (len(dropped) - dropped.rfind("\n") - 1 if newlines
                            else column_carry + len(dropped))
            buf, pos = buf[pos:] + chunk, 0
            eof = not chunk
            return bool(chunk)

        def skip(chars: str) -> None:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in chars:
                    pos += 1
                if pos < len(buf) or not more():
                    return

        def broken(why: str, at: int | None = None) -> ExchangeFileError:
            at = pos if at is None else at
            nl = buf.rfind("\n", 0, at)
            line = lines_before + buf.count("\n", 0, at) + 1
            column = at - nl if nl >= 0 else column_carry + at + 1
            return ExchangeFileError(f"Tệp không đúng định dạng JSON (dòng {line}, cột {column}):"
                                     f" {why}; không đọc được danh sách hồ sơ.")

        skip(_WS)
        if pos >= len(buf):
            raise broken("tệp rỗng")
        if buf[pos] == "{":
            yield from read_rows(path)
            return
        if buf[pos] != "[":
            raise ExchangeFileError("Tệp phải là một danh sách (JSON) các hồ sơ theo định dạng "
                                    "Cổng DVCQG (MaHoSo, MaTTHC, TrangThaiHoSo, …).")
        pos += 1
        first = True
        while True:
            skip(_WS)
            if pos < len(buf) and buf[pos] == "]":
                return
            if not first:
                if pos >= len(buf) or buf[pos] != ",":
                    raise broken("thiếu dấu phẩy giữa hai hồ sơ hoặc tệp bị cắt ngang")
                pos += 1
                skip(_WS)
            first = False
            while True:
                try:
                    value, end = decoder.raw_decode(buf, pos)
                    break
                except json.JSONDecodeError as exc:
                    if eof or not more():  # not a partial object: really broken
                        raise broken(exc.msg, exc.pos) from exc
            pos = end
            yield value


def check_file(path: Path) -> int:
    """Read the whole file once without keeping it (syntax, shape); the number of rows.
    Import checks first, so a broken file imports nothing."""
    return sum(1 for _ in iter_rows(path))


def import_dvcqg(store: Store, path: Path, *, now: datetime | None = None) -> ImportSummary:
    check_file(path)
    return import_rows(store, iter_rows(path), now=now)


def refusal_line(pos: int, code: str, reason: str) -> str:
    """One refused row, in Vietnamese (its position and code, never the citizen's data)."""
    who = f"hồ sơ {code}" if code else "hồ sơ không có mã"
    return f"Dòng {pos} ({who}): không nhập được — {reason}"
