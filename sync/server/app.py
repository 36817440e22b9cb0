"""The reference provincial server: a FastAPI app over its own SQLAlchemy store.

``create_app(database_url)`` builds everything: tables (created at start),
the catalogue and calendar (seeded from resources/seed when empty), the
protocol's routes under /api/v1 (sync/protocol.py) and the national-portal
style services under /dvcqg (dvcqg.py). FastAPI serves the OpenAPI
description at /openapi.json and a browsable one at /docs.

Logging: only request paths, uids, codes and counts; never a request body.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import (
    API_PREFIX,
    MAX_CHUNK_SIZE,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    REPLAY_HEADER,
    CalendarAnswer,
    CalendarDay,
    CatalogueAnswer,
    Change,
    ChangeAnswer,
    ConflictAnswer,
    DigestPage,
    DossierRecord,
    ErrorAnswer,
    FileStart,
    FileState,
    IntegrityAnswer,
    LoginRequest,
    NumberBlock,
    NumberBlockList,
    NumberBlockRequest,
    OkAnswer,
    ProcedureRecord,
    ProgressAnswer,
    ProgressPush,
    PullAnswer,
    RefreshRequest,
    ReportAnswer,
    ReportList,
    ReportUpload,
    ServerInfo,
    Sha256Hex,
    TokenAnswer,
)
from sync.server import models as m
from sync.server import service
from sync.server.auth import DEFAULT_REFRESH_TTL, DEFAULT_TOKEN_TTL, Auth, Principal
from sync.server.errors import ApiError
from sync.server.store import ServerStore, get_meta, load_seed, system_clock

log = logging.getLogger("motcua.province")

DEFAULT_NAME = "Hệ thống thông tin giải quyết TTHC cấp tỉnh (máy chủ mẫu)"

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorAnswer, "description": "Not logged in, or the token expired"},
    422: {"model": ErrorAnswer, "description": "The request is not valid"},
}


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _principal(request: Request, creds: Credentials) -> Principal:
    """The calling officer, from the bearer token (401 when missing, invalid or expired)."""
    return request.app.state.auth.principal(creds.credentials if creds else None)


Who = Annotated[Principal, Depends(_principal)]


def _to_timedelta(value: timedelta | float | int) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def create_app(database_url: str, *, token_ttl: timedelta | float = DEFAULT_TOKEN_TTL,
               refresh_ttl: timedelta | float = DEFAULT_REFRESH_TTL,
               clock: Callable[[], datetime] | None = None, seed: bool = True,
               server_name: str = DEFAULT_NAME) -> FastAPI:
    """The reference server on ``database_url`` (an SQLAlchemy URL: ``sqlite:///path.db``
    or ``postgresql+psycopg://…``). ``token_ttl``/``refresh_ttl``: timedelta or seconds.
    ``clock`` returns an aware datetime (tests move time with it)."""
    store = ServerStore(database_url, clock=clock or system_clock)
    store.create_tables()
    if seed:
        store.seed(load_seed("procedures"), load_seed("holidays"))
    auth = Auth(store, token_ttl=_to_timedelta(token_ttl), refresh_ttl=_to_timedelta(refresh_ttl))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Một Cửa — máy chủ tỉnh (tham chiếu)",
        description=("Reference provincial server for the Một Cửa desktop: the sync protocol "
                     f"v{PROTOCOL_VERSION} under {API_PREFIX} and national-portal style "
                     "services (DongBoHoSoMC, …) under /dvcqg. See sync/server/README.md."),
        version=str(PROTOCOL_VERSION),
    )
    app.state.store = store
    app.state.auth = auth
    _install_handlers(app)

    api = APIRouter(prefix=API_PREFIX, responses=ERRORS)

    # --- info and auth -------------------------------------------------------------

    @api.get("/info", response_model=ServerInfo, tags=["info"])
    def info() -> ServerInfo:
        return ServerInfo(server_name=server_name, server_time=store.now())

    @api.post("/auth/login", response_model=TokenAnswer, tags=["auth"],
              responses={403: {"model": ErrorAnswer}})
    def login(body: LoginRequest) -> TokenAnswer:
        answer = auth.login(body.agency_code, body.username, body.password, body.device)
        log.info("login office=%s officer=%s", body.agency_code, body.username)
        return answer

    @api.post("/auth/refresh", response_model=TokenAnswer, tags=["auth"])
    def refresh(body: RefreshRequest) -> TokenAnswer:
        return auth.refresh(body.refresh_token)

    @api.post("/auth/logout", response_model=OkAnswer, tags=["auth"])
    def logout(who: Who, creds: Credentials) -> OkAnswer:
        if creds is not None:
            auth.logout(creds.credentials)
        return OkAnswer()

    # --- reference data ------------------------------------------------------------

    @api.get("/catalogue", response_model=CatalogueAnswer, tags=["reference data"])
    def catalogue(who: Who, known_version: str | None = None) -> CatalogueAnswer:
        with store.read() as session:
            version = get_meta(session, "catalogue_version")
            if known_version and known_version == version:
                return CatalogueAnswer(version=version, unchanged=True)
            records = session.execute(select(m.Procedure.record)
                                      .order_by(m.Procedure.position)).scalars().all()
        return CatalogueAnswer(version=version, procedures=[
            ProcedureRecord.model_validate_json(r) for r in records])

    @api.get("/calendar", response_model=CalendarAnswer, tags=["reference data"])
    def calendar(who: Who, known_version: str | None = None) -> CalendarAnswer:
        with store.read() as session:
            version = get_meta(session, "calendar_version")
            if known_version and known_version == version:
                return CalendarAnswer(version=version, unchanged=True)
            rows = session.execute(select(m.CalendarDay).order_by(m.CalendarDay.day)).scalars()
            days = [CalendarDay(date=r.day, kind=r.kind, name=r.name, status=r.status)
                    for r in rows]
        return CalendarAnswer(version=version, days=days)

    # --- number blocks -------------------------------------------------------------

    @api.post("/number-blocks", response_model=NumberBlock, tags=["number blocks"],
              responses={409: {"model": ErrorAnswer}})
    def reserve(who: Who, body: NumberBlockRequest) -> NumberBlock:
        block = service.reserve_block(store, who, body)
        log.info("block office=%s desk=%d %d-%d", who.agency_code, block.desk, block.first,
                 block.last)
        return block

    @api.get("/number-blocks", response_model=NumberBlockList, tags=["number blocks"])
    def blocks(who: Who, day: date | None = None,
               desk: Annotated[int | None, Query(ge=1, le=9)] = None) -> NumberBlockList:
        return service.list_blocks(store, who, day, desk)

    # --- changes -------------------------------------------------------------------

    @api.post("/changes", response_model=ChangeAnswer, tags=["changes"],
              responses={409: {"model": ConflictAnswer,
                               "description": "conflict (ConflictAnswer) or change_uid_reused"},
                         403: {"model": ErrorAnswer}})
    def push(who: Who, body: Change) -> Response:
        status, answer, replayed = service.push_change(store, who, body)
        log.info("change %s kind=%s dossier=%s -> %d%s", body.uid, body.kind, body.dossier_uid,
                 status, " (repeat)" if replayed else "")
        headers = {REPLAY_HEADER: "true"} if replayed else {}
        return Response(content=answer, status_code=status, media_type="application/json",
                        headers=headers)

    @api.post("/progress", response_model=ProgressAnswer, tags=["changes"],
              responses={404: {"model": ErrorAnswer}, 409: {"model": ErrorAnswer}})
    def progress(who: Who, body: ProgressPush) -> ProgressAnswer:
        return service.push_progress(store, who, body)

    @api.get("/dossiers/{uid}", response_model=DossierRecord, tags=["changes"],
             responses={404: {"model": ErrorAnswer}})
    def dossier(who: Who, uid: str) -> DossierRecord:
        return service.get_record(store, who, uid)

    @api.get("/pull", response_model=PullAnswer, tags=["pull"])
    def pull(who: Who, since: Annotated[int, Query(ge=0)] = 0,
             limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 100) -> PullAnswer:
        return service.pull(store, who, since, limit)

    @api.get("/integrity", response_model=IntegrityAnswer, tags=["integrity"])
    def integrity(who: Who) -> IntegrityAnswer:
        return service.integrity(store, who)

    @api.get("/integrity/dossiers", response_model=DigestPage, tags=["integrity"])
    def digests(who: Who, after: str | None = None,
                limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> DigestPage:
        return service.digest_page(store, who, after, limit)

    # --- files ---------------------------------------------------------------------

    @api.post("/files", response_model=FileState, tags=["files"],
              responses={409: {"model": ErrorAnswer}})
    def file_start(who: Who, body: FileStart) -> FileState:
        return service.start_file(store, who, body)

    @api.get("/files/{sha256}", response_model=FileState, tags=["files"],
             responses={404: {"model": ErrorAnswer}})
    def file_status(who: Who, sha256: Sha256Hex) -> FileState:
        return service.file_state(store, sha256)

    @api.put("/files/{sha256}/chunks", response_model=FileState, tags=["files"],
             responses={400: {"model": ErrorAnswer}, 404: {"model": ErrorAnswer},
                        413: {"model": ErrorAnswer}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string",
                                                         "format": "binary"}}}}})
    async def file_chunk(who: Who, sha256: Sha256Hex, request: Request,
                         offset: Annotated[int, Query(ge=0)]) -> FileState:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_CHUNK_SIZE:
            raise ApiError("chunk_too_large", max=MAX_CHUNK_SIZE)
        data = bytearray()
        async for part in request.stream():
            data.extend(part)
            if len(data) > MAX_CHUNK_SIZE:
                raise ApiError("chunk_too_large", max=MAX_CHUNK_SIZE)
        return await run_in_threadpool(service.put_chunk, store, sha256, offset, bytes(data))

    @api.post("/files/{sha256}/finish", response_model=FileState, tags=["files"],
              responses={409: {"model": ErrorAnswer}, 422: {"model": ErrorAnswer}})
    def file_finish(who: Who, sha256: Sha256Hex) -> FileState:
        state = service.finish_file(store, sha256)
        log.info("file %s complete (%d bytes)", sha256, state.size)
        return state

    @api.get("/files/{sha256}/content", tags=["files"],
             responses={200: {"content": {"application/octet-stream": {}}},
                        404: {"model": ErrorAnswer}})
    def file_content(who: Who, sha256: Sha256Hex) -> Response:
        row, data = service.read_file(store, sha256)
        return Response(content=data, media_type=row.media_type or "application/octet-stream")

    # --- reports -------------------------------------------------------------------

    @api.post("/reports", response_model=ReportAnswer, tags=["reports"],
              responses={409: {"model": ErrorAnswer}})
    def report(who: Who, body: ReportUpload) -> Response:
        status, answer, replayed = service.upload_report(store, who, body)
        headers = {REPLAY_HEADER: "true"} if replayed else {}
        return Response(content=answer, status_code=status, media_type="application/json",
                        headers=headers)

    @api.get("/reports", response_model=ReportList, tags=["reports"])
    def reports(who: Who) -> ReportList:
        return service.list_reports(store, who)

    app.include_router(api)

    from sync.server.dvcqg import build_router

    app.include_router(build_router(store, auth))

    return app


def _error_response(err: ApiError) -> JSONResponse:
    return JSONResponse(err.answer(), status_code=err.status, headers=err.headers)


def _install_handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def protocol_version(request: Request, call_next: Any) -> Any:
        asked = request.headers.get(PROTOCOL_HEADER)
        if asked is not None and asked.strip() != str(PROTOCOL_VERSION):
            response = _error_response(ApiError("protocol_version", got=asked[:10],
                                                want=PROTOCOL_VERSION))
        else:
            response = await call_next(request)
        response.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        return response

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Never echo the input back: it may hold a citizen's data.
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type", ""),
                   "msg": e.get("msg", "")} for e in exc.errors()]
        return _error_response(ApiError("validation", count=len(errors),
                                        details={"errors": errors}))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error_response(ApiError("not_found"))
        return JSONResponse(ErrorAnswer(code=f"http_{exc.status_code}", message=str(exc.detail),
                                        message_vi="Yêu cầu không hợp lệ.").model_dump(),
                            status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s: %s", request.method, request.url.path,
                  type(exc).__name__)
        return _error_response(ApiError("internal"))
