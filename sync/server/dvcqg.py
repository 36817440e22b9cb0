"""National-portal style services (DVCQG) on the reference server, over the same storage.

The transport of ../shared/domain/dossier-exchange-format.md:

- ``POST /dvcqg/login`` ``{"username", "password"}`` (+ ``madonvi`` when a user
  name exists in several units) → ``{"session", "error_code", "message"}``;
  the session is an access token (it expires like one).
- ``POST /dvcqg/service`` ``{"session", "madonvi", "service", …}`` with
  ``service`` one of DongBoHoSoMC (``isUpdating`` "True"/"False", ``data``: HoSo
  objects), CapNhatTienDoHoSoMC (``data``: QuaTrinhXuLy rows), TraCuuHoSo
  (``mahoso``), LayDanhSachTTHC, LayThuTuc (``maTTHC``) → ``{"error_code",
  "message", "result"}``; HTTP 200 whatever the outcome, as the portal does.

Dossiers pushed here are the same rows the protocol's /changes writes (keyed
by the unit and MaHoSo; a new one gets a uid derived from them), so a
dossier sent either way can be read back either way. DongBoHoSoMC with
isUpdating="False" on an existing dossier answers "đã tồn tại" (peers then
resend with isUpdating="True"). A dossier object without TaiLieuNop or
DanhSachLePhi keeps the stored ones (like a null list of the protocol's /changes).
All dates are yyyyMMddHHmmss.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.national import (
    ERR_CONFLICT,
    ERR_EXISTS,
    ERR_INVALID,
    ERR_LOGIN,
    ERR_NOT_FOUND,
    ERR_SERVICE,
    ERR_SESSION,
    ERR_UNIT,
    OK,
    SERVICE_LOOKUP,
    SERVICE_PROCEDURE,
    SERVICE_PROCEDURES,
    SERVICE_PROGRESS,
    SERVICE_PUSH,
    SERVICES,
    HoSo,
    PortalLogin,
    PortalLoginReply,
    PortalReply,
    PortalRequest,
    QuaTrinhXuLy,
    dossier_uid_for,
    field_code,
    hoso_from_record,
    progress_from_qua_trinh,
    record_parts_from_hoso,
    thu_tuc_from_procedure,
    thu_tuc_summary,
)
from sync.protocol import API_PREFIX, ProcedureRecord
from sync.server import models as m
from sync.server.auth import Auth, Principal
from sync.server.errors import ApiError
from sync.server.service import record_of, store_progress
from sync.server.store import ServerStore, dumps


def _fields(exc: ValidationError) -> str:
    """The names of the fields in error (never their values)."""
    names = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
    return ", ".join(names[:8])


def _item(code: str, error_code: int, message: str) -> dict[str, Any]:
    return {"MaHoSo": code, "error_code": error_code, "message": message}


def _summary(items: list[dict[str, Any]], ok_message: str) -> PortalReply:
    failed = [i for i in items if i["error_code"] != OK]
    if not failed:
        return PortalReply(error_code=OK, message=ok_message, result=items)
    return PortalReply(error_code=failed[0]["error_code"], message=failed[0]["message"],
                       result=items)


def build_router(store: ServerStore, auth: Auth) -> APIRouter:
    router = APIRouter(prefix="/dvcqg", tags=["national portal (DVCQG)"])

    def procedures(session: Session) -> dict[str, ProcedureRecord]:
        rows = session.execute(select(m.Procedure.record).order_by(m.Procedure.position))
        records = [ProcedureRecord.model_validate_json(r) for r in rows.scalars()]
        return {r.code: r for r in records}

    def hoso_of(session: Session, row: m.Dossier, who: Principal, file_url: str) -> HoSo:
        record = record_of(session, row, who.agency_code)
        proc = procedures(session).get(record.dossier.procedure_code or "")
        return hoso_from_record(
            record, procedure_name=proc.name if proc else "",
            field_code=field_code(proc.field) if proc else "",
            field_name=proc.field if proc else "", unit_name=who.office_name,
            file_url=file_url, extra_fields=json.loads(row.national or "{}"))

    def by_code(session: Session, who: Principal, code: str) -> m.Dossier | None:
        return session.execute(select(m.Dossier).where(
            m.Dossier.office_id == who.office_id, m.Dossier.code == code)).scalar_one_or_none()

    # --- DongBoHoSoMC ----------------------------------------------------------------

    def push_one(who: Principal, hoso: HoSo, updating: bool) -> dict[str, Any]:
        code = hoso.MaHoSo

        def tx(session: Session) -> dict[str, Any]:
            row = by_code(session, who, code)
            if row is not None and not updating:
                return _item(code, ERR_EXISTS, f"Hồ sơ {code} đã tồn tại.")
            if row is None and updating:
                return _item(code, ERR_NOT_FOUND, f"Hồ sơ {code} không tồn tại, hãy gửi với "
                                                  'isUpdating="False".')
            uid = row.uid if row is not None else dossier_uid_for(who.agency_code, code)
            version = 1 if row is None else row.version + 1
            parts = record_parts_from_hoso(hoso, uid=uid, version=version)
            snap = parts["dossier"]
            previous = json.loads(row.related or "{}") if row is not None else {}
            if snap.procedure_code is None and row is not None and row.procedure_code:
                snap = snap.model_copy(update={"procedure_code": row.procedure_code})
            related = {
                "supplement_rounds": [r.model_dump(mode="json") for r in parts["supplement_rounds"]],
                "results": [r.model_dump(mode="json") for r in parts["results"]],
                "result_return": previous.get("result_return"),
                "apologies": previous.get("apologies") or [],
                # A dossier object without TaiLieuNop / DanhSachLePhi leaves them as they
                # were (the protocol's "None = not sent"); an empty list empties them.
                "components": ([c.model_dump(mode="json") for c in parts["components"]]
                               if "TaiLieuNop" in hoso.model_fields_set
                               else previous.get("components")),
                "fees": ([f.model_dump(mode="json") for f in parts["fees"]]
                         if "DanhSachLePhi" in hoso.model_fields_set else previous.get("fees")),
            }
            now = store.now()
            if row is None:
                row = m.Dossier(uid=uid, office_id=who.office_id, code=code, province_version=0,
                                source="dvcqg", created_at=now)
                session.add(row)
            row.procedure_code = snap.procedure_code
            row.status = snap.status
            row.version = snap.version
            row.snapshot = snap.model_dump_json()
            row.related = dumps(related)
            row.national = dumps(parts["extra_fields"])
            row.updated_at = now
            session.flush()
            return _item(code, OK, f"Đồng bộ hồ sơ {code} thành công.")

        return store.run_write(tx)

    def push(who: Principal, req: PortalRequest) -> PortalReply:
        updating = (req.isUpdating or "False").strip().lower() in ("true", "1")
        items = []
        for raw in req.data or []:
            code = str(raw.get("MaHoSo") or "") if isinstance(raw, dict) else ""
            try:
                hoso = HoSo.model_validate(raw)
                if not hoso.MaHoSo:
                    raise ValueError("MaHoSo")
                record_parts_from_hoso(hoso, uid="check", version=1)
            except ValidationError as exc:
                items.append(_item(code, ERR_INVALID, f"Hồ sơ {code} không hợp lệ: {_fields(exc)}."))
                continue
            except ValueError as exc:
                items.append(_item(code, ERR_INVALID,
                                   f"Hồ sơ {code} không hợp lệ: {str(exc)[:200]}."))
                continue
            items.append(push_one(who, hoso, updating))
        if not items:
            return PortalReply(error_code=ERR_INVALID, message="Không có hồ sơ nào trong data.")
        return _summary(items, f"Đồng bộ thành công {len(items)} hồ sơ.")

    # --- CapNhatTienDoHoSoMC ---------------------------------------------------------

    def progress(who: Principal, req: PortalRequest) -> PortalReply:
        items = []
        for raw in req.data or []:
            code = str(raw.get("MaHoSo") or "") if isinstance(raw, dict) else ""
            try:
                row_in = QuaTrinhXuLy.model_validate(raw)
                data = progress_from_qua_trinh(row_in)
            except (ValidationError, ValueError) as exc:
                detail = _fields(exc) if isinstance(exc, ValidationError) else "TrangThai"
                items.append(_item(code, ERR_INVALID,
                                   f"Tiến độ của hồ sơ {code} không hợp lệ: {detail}."))
                continue

            def tx(session: Session, row_in: QuaTrinhXuLy = row_in,
                   data: Any = data) -> dict[str, Any]:
                dossier = by_code(session, who, row_in.MaHoSo)
                if dossier is None:
                    return _item(row_in.MaHoSo, ERR_NOT_FOUND,
                                 f"Hồ sơ {row_in.MaHoSo} không tồn tại.")
                try:
                    stored = store_progress(session, dossier.id, data)
                except ApiError:
                    return _item(row_in.MaHoSo, ERR_CONFLICT,
                                 f"Tiến độ của hồ sơ {row_in.MaHoSo} khác với lần gửi trước.")
                return _item(row_in.MaHoSo, OK, "Cập nhật tiến độ thành công." if stored
                             else "Tiến độ này đã được cập nhật trước đó.")

            items.append(store.run_write(tx))
        if not items:
            return PortalReply(error_code=ERR_INVALID, message="Không có tiến độ nào trong data.")
        return _summary(items, f"Cập nhật thành công {len(items)} bước xử lý.")

    # --- look-ups --------------------------------------------------------------------

    def lookup(who: Principal, req: PortalRequest, file_url: str) -> PortalReply:
        code = (req.mahoso or "").strip()
        if not code:
            return PortalReply(error_code=ERR_INVALID, message="Thiếu mahoso.", result=[])
        with store.read() as session:
            row = by_code(session, who, code)
            if row is None:
                return PortalReply(error_code=OK, message=f"Không tìm thấy hồ sơ {code}.",
                                   result=[])
            hoso = hoso_of(session, row, who, file_url)
        return PortalReply(error_code=OK, message=f"Hồ sơ {code} đã tồn tại.",
                           result=[hoso.model_dump()])

    def list_procedures(who: Principal) -> PortalReply:
        with store.read() as session:
            records = list(procedures(session).values())
        return PortalReply(error_code=OK, message=f"{len(records)} thủ tục.",
                           result=[thu_tuc_summary(r) for r in records])

    def one_procedure(who: Principal, req: PortalRequest) -> PortalReply:
        code = (req.maTTHC or "").strip()
        with store.read() as session:
            proc = procedures(session).get(code)
        if proc is None:
            return PortalReply(error_code=ERR_NOT_FOUND, message=f"Không có thủ tục {code}.")
        return PortalReply(error_code=OK, message="Thành công.", result=thu_tuc_from_procedure(
            proc, agency_code=who.agency_code, unit_name=who.office_name))

    # --- routes ----------------------------------------------------------------------

    @router.post("/login", response_model=PortalLoginReply)
    def login(body: PortalLogin) -> PortalLoginReply:
        try:
            officer_id, _ = auth.check_password(body.madonvi, body.username, body.password)
        except ApiError as err:
            return PortalLoginReply(error_code=ERR_LOGIN, message=err.message_vi)
        token = auth.issue(officer_id, device="dvcqg")
        return PortalLoginReply(session=token.access_token, error_code=OK,
                                message="Đăng nhập thành công.")

    @router.post("/service", response_model=PortalReply)
    def service(body: PortalRequest, request: Request) -> PortalReply:
        try:
            who = auth.principal(body.session)
        except ApiError as err:
            return PortalReply(error_code=ERR_SESSION, message=err.message_vi)
        if body.madonvi.strip().upper() != who.agency_code:
            return PortalReply(error_code=ERR_UNIT,
                               message=f"Phiên đăng nhập không thuộc đơn vị {body.madonvi}.")
        if body.service not in SERVICES:
            return PortalReply(error_code=ERR_SERVICE,
                               message=f"Không có dịch vụ {body.service[:50]}.")
        file_url = f"{str(request.base_url).rstrip('/')}{API_PREFIX}/files/{{sha256}}/content"
        if body.service == SERVICE_PUSH:
            return push(who, body)
        if body.service == SERVICE_PROGRESS:
            return progress(who, body)
        if body.service == SERVICE_LOOKUP:
            return lookup(who, body, file_url)
        if body.service == SERVICE_PROCEDURES:
            return list_procedures(who)
        assert body.service == SERVICE_PROCEDURE
        return one_procedure(who, body)

    return router
