"""The desk's HTTP client of the provincial server (protocol v1): transport, login, keyring.

- httpx with timeouts on every request and TLS verified: ``verify=True`` by
  default (the certifi bundle); a province that runs its own certificate
  authority gives its CA bundle (setting ``sync.ca_bundle``), which is trusted
  *in addition to* the usual authorities. Verification is never switched off.
- Login with the officer's province account: the access token lives in
  memory only; the refresh token and the password are kept **only in the
  operating system's keyring** (service ``motcua-sync``, user name
  ``<agency code>/<officer user name>``). Without a usable keyring backend
  every attempt to remember credentials raises ``KeyringUnavailable`` with a
  Vietnamese message: there is no plain-text fallback, ever.
  The password is kept beside the refresh token because a refresh token is
  spent at every use: if the answer to a refresh is lost on a bad line the
  spent token is refused and the whole login revoked; the desk then logs in
  again by itself instead of stopping until the officer types the password.
- Every error is a ``SyncError`` with a Vietnamese ``message_vi``: ``Offline``
  (no connection, timeout, a broken answer), ``ServerBusy`` (5xx),
  ``AuthRequired`` (no or wrong credentials), ``Refused`` (a 4xx answer from
  the server, with its ``ErrorAnswer``), ``ConflictRefused`` (409 conflict with
  the server's ``ConflictAnswer``).
- Logs carry methods, paths, status codes and uids; never a request or answer body.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from sync.protocol import (
    API_PREFIX,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    CalendarAnswer,
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
    NumberBlockRequest,
    ProgressAnswer,
    ProgressPush,
    PullAnswer,
    RefreshRequest,
    ReportAnswer,
    ReportUpload,
    ServerInfo,
    TokenAnswer,
)

log = logging.getLogger("motcua.sync")

KEYRING_SERVICE = "motcua-sync"
#: connect, read, write, pool (seconds). The probe uses PROBE_TIMEOUT.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
PROBE_TIMEOUT = 3.0

M = TypeVar("M", bound=BaseModel)

KEYRING_MISSING_VI = (
    "Máy này chưa có nơi lưu mật khẩu an toàn (keyring) nên phần mềm không thể ghi nhớ "
    "tài khoản đồng bộ với tỉnh. Trên Windows, hãy bật Windows Credential Manager; trên "
    "Linux, hãy cài và mở khóa GNOME Keyring hoặc KWallet (Secret Service). Phần mềm không "
    "bao giờ lưu mật khẩu dưới dạng văn bản thường."
)


# ------------------------------------------------------------------------------ errors


class SyncError(Exception):
    """A sync failure with a message for the officer."""

    code = "sync_error"

    def __init__(self, message_vi: str, *, detail: str = "") -> None:
        super().__init__(detail or message_vi)
        self.message_vi = message_vi
        self.detail = detail


class NotConfigured(SyncError):
    code = "not_configured"

    def __init__(self) -> None:
        super().__init__("Chưa cấu hình địa chỉ máy chủ của tỉnh (Đồng bộ › Máy chủ).")


class KeyringUnavailable(SyncError):
    code = "keyring_unavailable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(KEYRING_MISSING_VI, detail=detail)


class Offline(SyncError):
    """No connection, a timeout, or an answer cut off: nothing is known about the request."""

    code = "offline"


class ServerBusy(SyncError):
    """A 5xx answer: the server could not do it now (it may or may not have done it)."""

    code = "server_error"

    def __init__(self, status: int, message_vi: str = "") -> None:
        super().__init__(message_vi or f"Máy chủ của tỉnh đang gặp sự cố (mã {status}); "
                         "phần mềm sẽ tự thử lại sau.", detail=f"HTTP {status}")
        self.status = status


class AuthRequired(SyncError):
    """The officer must log in to the province (no stored credentials, or they were refused)."""

    code = "auth_required"


class Refused(SyncError):
    """A 4xx answer: the server will not do this as it is."""

    def __init__(self, status: int, answer: ErrorAnswer) -> None:
        super().__init__(answer.message_vi, detail=f"HTTP {status} {answer.code}")
        self.status = status
        self.answer = answer
        self.code = answer.code  # type: ignore[misc]


class ConflictRefused(Refused):
    """409 ``conflict``: the province changed the dossier after the desk's base version."""

    answer: ConflictAnswer

    def __init__(self, status: int, answer: ConflictAnswer) -> None:
        super().__init__(status, answer)


# ---------------------------------------------------------------------------- keyring


@dataclass(frozen=True)
class StoredCredentials:
    """What the keyring keeps for one officer (never printed: see __repr__)."""

    password: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)

    def to_json(self) -> str:
        return json.dumps({"password": self.password, "refresh_token": self.refresh_token})

    @classmethod
    def from_json(cls, text: str) -> StoredCredentials:
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        return cls(password=data.get("password") or None,
                   refresh_token=data.get("refresh_token") or None)


def keyring_user(agency_code: str, username: str) -> str:
    return f"{agency_code}/{username}"


class Keychain:
    """The officers' province credentials in the OS keyring; nothing anywhere else."""

    service = KEYRING_SERVICE

    def _backend(self) -> Any:
        try:
            import keyring
            from keyring.backends import chainer, fail

            backend = keyring.get_keyring()
        except Exception as exc:  # noqa: BLE001 - any failure of the library means "no keyring"
            raise KeyringUnavailable(type(exc).__name__) from exc
        if isinstance(backend, fail.Keyring):
            raise KeyringUnavailable("keyring.backends.fail")
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            raise KeyringUnavailable("empty chainer")
        if type(backend).__module__.startswith("keyring.backends.null"):
            raise KeyringUnavailable("keyring.backends.null")
        return backend

    def check(self) -> None:
        """Raise KeyringUnavailable when credentials cannot be kept safely on this machine."""
        self._backend()

    def load(self, agency_code: str, username: str) -> StoredCredentials | None:
        backend = self._backend()
        try:
            raw = backend.get_password(self.service, keyring_user(agency_code, username))
        except Exception as exc:  # noqa: BLE001 - a locked or broken keyring
            raise KeyringUnavailable(type(exc).__name__) from exc
        if not raw:
            return None
        creds = StoredCredentials.from_json(raw)
        return creds if (creds.password or creds.refresh_token) else None

    def save(self, agency_code: str, username: str, creds: StoredCredentials) -> None:
        backend = self._backend()
        try:
            backend.set_password(self.service, keyring_user(agency_code, username),
                                 creds.to_json())
        except Exception as exc:  # noqa: BLE001
            raise KeyringUnavailable(type(exc).__name__) from exc

    def forget(self, agency_code: str, username: str) -> None:
        backend = self._backend()
        try:
            backend.delete_password(self.service, keyring_user(agency_code, username))
        except Exception:  # noqa: BLE001 - nothing stored: nothing to forget
            pass


# ----------------------------------------------------------------------------- client


def tls_verify(ca_bundle: str | Path | None) -> bool | ssl.SSLContext:
    """``True`` (the usual authorities), or a context that also trusts the province's CA bundle."""
    if ca_bundle is None or not str(ca_bundle).strip():
        return True
    path = Path(ca_bundle).expanduser()
    if not path.exists():
        raise SyncError(f"Không tìm thấy tệp chứng chỉ của tỉnh: {path}. Hãy kiểm tra cấu hình "
                        "Đồng bộ › Chứng chỉ (CA).")
    import certifi

    ctx = ssl.create_default_context(cafile=certifi.where())
    try:
        if path.is_dir():
            ctx.load_verify_locations(capath=str(path))
        else:
            ctx.load_verify_locations(cafile=str(path))
    except (ssl.SSLError, OSError) as exc:
        raise SyncError(f"Tệp chứng chỉ của tỉnh {path.name} không đọc được (không phải tệp "
                        "PEM hợp lệ).", detail=str(exc)) from exc
    return ctx


def _offline_message(exc: Exception) -> str:
    if isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return ("Không xác thực được chứng chỉ bảo mật (TLS) của máy chủ tỉnh. Nếu tỉnh dùng "
                "chứng chỉ riêng, hãy khai báo tệp chứng chỉ (CA) của tỉnh.")
    if isinstance(exc, httpx.TimeoutException):
        return "Máy chủ của tỉnh không trả lời kịp (quá thời gian chờ)."
    return "Không kết nối được với máy chủ của tỉnh (mất mạng hoặc máy chủ đang tắt)."


class SyncClient:
    """One officer's connection to the provincial server.

    Thread use: one SyncClient per sync thread (httpx clients are not shared
    between the engine and anything else).
    """

    def __init__(self, base_url: str, agency_code: str, username: str, *,
                 ca_bundle: str | Path | None = None,
                 timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
                 probe_timeout: float = PROBE_TIMEOUT, device: str = "",
                 keychain: Keychain | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not (base_url or "").strip():
            raise NotConfigured()
        self.base_url = base_url.strip().rstrip("/")
        self.agency_code = agency_code
        self.username = username.strip().lower()
        self.ca_bundle = str(ca_bundle) if ca_bundle else None
        self.verify = tls_verify(ca_bundle)
        self.probe_timeout = probe_timeout
        self.device = device or _device_name()
        self.keychain = keychain or Keychain()
        from desktop import __version__

        self._http = httpx.Client(
            base_url=self.base_url, verify=self.verify, timeout=timeout, transport=transport,
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                     "User-Agent": f"motcua-desktop/{__version__}"},
            follow_redirects=False)
        self._access: str | None = None
        self._access_until = 0.0
        self.officer_name = ""

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, path: str, *, body: BaseModel | None = None,
              content: bytes | None = None, params: Mapping[str, Any] | None = None,
              auth: bool = True, timeout: float | None = None) -> httpx.Response:
        headers: dict[str, str] = {}
        if body is not None:
            content = body.model_dump_json().encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif content is not None:
            headers["Content-Type"] = "application/octet-stream"
        if auth:
            headers["Authorization"] = f"Bearer {self._token()}"
        kwargs: dict[str, Any] = {}
        if timeout is not None:
            kwargs["timeout"] = timeout
        try:
            response = self._http.request(method, f"{API_PREFIX}{path}", content=content,
                                          params=params, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            log.info("%s %s: %s", method, path, type(exc).__name__)
            raise Offline(_offline_message(exc), detail=type(exc).__name__) from exc
        log.debug("%s %s -> %d", method, path, response.status_code)
        return response

    def _request(self, method: str, path: str, answer: type[M], *, body: BaseModel | None = None,
                 content: bytes | None = None, params: Mapping[str, Any] | None = None,
                 auth: bool = True, timeout: float | None = None) -> M:
        response = self._send(method, path, body=body, content=content, params=params,
                              auth=auth, timeout=timeout)
        if auth and response.status_code == 401:
            # The access token expired or was revoked: get a new one once, then repeat.
            self._access = None
            response = self._send(method, path, body=body, content=content, params=params,
                                  auth=auth, timeout=timeout)
        return self._parse(response, answer)

    def _parse(self, response: httpx.Response, answer: type[M]) -> M:
        status = response.status_code
        if 200 <= status < 300:
            try:
                return answer.model_validate_json(response.content)
            except ValidationError as exc:
                # A cut or foreign answer (a proxy's page): as if it never came.
                raise Offline("Câu trả lời của máy chủ tỉnh bị hỏng hoặc không đầy đủ.",
                              detail="invalid answer") from exc
        if status >= 500:
            raise ServerBusy(status)
        error = _error_answer(response)
        if status == 401:
            self._access = None
            raise AuthRequired(error.message_vi, detail=error.code)
        if status == 409 and error.code == "conflict":
            try:
                raise ConflictRefused(status, ConflictAnswer.model_validate_json(response.content))
            except ValidationError:
                pass
        raise Refused(status, error)

    # --------------------------------------------------------------------- login

    def _token(self) -> str:
        if self._access is not None and time.monotonic() < self._access_until:
            return self._access
        self._authenticate()
        assert self._access is not None
        return self._access

    def _accept(self, token: TokenAnswer, password: str | None) -> None:
        self._access = token.access_token
        # Renew a little early: clocks and slow lines.
        self._access_until = time.monotonic() + max(5.0, token.expires_in * 0.8)
        self.officer_name = token.officer.full_name
        self.keychain.save(self.agency_code, self.username,
                           StoredCredentials(password=password,
                                             refresh_token=token.refresh_token))

    def _authenticate(self) -> None:
        creds = self.keychain.load(self.agency_code, self.username)
        if creds is None:
            raise AuthRequired("Chưa đăng nhập tài khoản đồng bộ với tỉnh cho cán bộ này.",
                               detail="no stored credentials")
        if creds.refresh_token:
            response = self._send("POST", "/auth/refresh",
                                  body=RefreshRequest(refresh_token=creds.refresh_token),
                                  auth=False)
            if response.status_code == 200:
                try:
                    token = TokenAnswer.model_validate_json(response.content)
                except ValidationError as exc:
                    raise Offline("Câu trả lời của máy chủ tỉnh bị hỏng.",
                                  detail="invalid token answer") from exc
                self._accept(token, creds.password)
                return
            if response.status_code >= 500:
                raise ServerBusy(response.status_code)
            if response.status_code not in (400, 401, 403):
                raise Refused(response.status_code, _error_answer(response))
        if creds.password:
            self.login(creds.password, remember=True)
            return
        raise AuthRequired("Phiên đăng nhập đồng bộ đã hết hạn. Hãy đăng nhập lại tài khoản "
                           "của tỉnh.", detail="refresh refused")

    def login(self, password: str, *, remember: bool = True) -> TokenAnswer:
        """Log in with the officer's province password; keep it in the keyring (``remember``).

        Raises KeyringUnavailable *before* sending anything when it cannot be kept.
        """
        if remember:
            self.keychain.check()
        response = self._send("POST", "/auth/login", auth=False, body=LoginRequest(
            agency_code=self.agency_code, username=self.username, password=password,
            device=self.device))
        if response.status_code in (401, 403):
            error = _error_answer(response)
            raise AuthRequired(error.message_vi, detail=error.code)
        token = self._parse(response, TokenAnswer)
        if remember:
            self._accept(token, password)
        else:
            self._access = token.access_token
            self._access_until = time.monotonic() + max(5.0, token.expires_in * 0.8)
        log.info("logged in to the province as %s/%s", self.agency_code, self.username)
        return token

    def has_credentials(self) -> bool:
        return self.keychain.load(self.agency_code, self.username) is not None

    def forget_credentials(self) -> None:
        """Sign this officer out of sync on this machine (the outbox is left as it is)."""
        if self._access is not None:
            try:
                self._send("POST", "/auth/logout")
            except SyncError:
                pass
        self._access = None
        self.keychain.forget(self.agency_code, self.username)

    # ------------------------------------------------------------------- calls

    def probe(self) -> ServerInfo:
        """A cheap look at the server (short timeout): raises Offline when it cannot be reached."""
        return self._request("GET", "/info", ServerInfo, auth=False, timeout=self.probe_timeout)

    def push_change(self, change: Change) -> ChangeAnswer:
        answer = self._request("POST", "/changes", ChangeAnswer, body=change)
        if answer.change_uid != change.uid:
            # Never take an answer to another request for this one.
            raise Offline("Máy chủ tỉnh trả lời lẫn yêu cầu khác.", detail="answer mismatch")
        return answer

    def upload_report(self, report: ReportUpload) -> ReportAnswer:
        answer = self._request("POST", "/reports", ReportAnswer, body=report)
        if answer.uid != report.uid:
            raise Offline("Máy chủ tỉnh trả lời lẫn yêu cầu khác.", detail="answer mismatch")
        return answer

    def push_progress(self, push: ProgressPush) -> ProgressAnswer:
        return self._request("POST", "/progress", ProgressAnswer, body=push)

    def dossier(self, uid: str) -> DossierRecord:
        return self._request("GET", f"/dossiers/{uid}", DossierRecord)

    def pull(self, since: int, limit: int = 100) -> PullAnswer:
        answer = self._request("GET", "/pull", PullAnswer, params={"since": since, "limit": limit})
        if any(item.cursor <= since for item in answer.items):
            raise Offline("Máy chủ tỉnh trả lời lẫn yêu cầu khác.", detail="pull mismatch")
        return answer

    def integrity(self) -> IntegrityAnswer:
        return self._request("GET", "/integrity", IntegrityAnswer)

    def digests(self, after: str | None = None, limit: int = 5000) -> DigestPage:
        params: dict[str, Any] = {"limit": limit}
        if after:
            params["after"] = after
        return self._request("GET", "/integrity/dossiers", DigestPage, params=params)

    def catalogue(self, known_version: str | None = None) -> CatalogueAnswer:
        params = {"known_version": known_version} if known_version else None
        return self._request("GET", "/catalogue", CatalogueAnswer, params=params)

    def calendar(self, known_version: str | None = None) -> CalendarAnswer:
        params = {"known_version": known_version} if known_version else None
        return self._request("GET", "/calendar", CalendarAnswer, params=params)

    def reserve_block(self, request: NumberBlockRequest) -> NumberBlock:
        return self._request("POST", "/number-blocks", NumberBlock, body=request)

    def file_start(self, start: FileStart) -> FileState:
        return self._checked_file(start.sha256,
                                  self._request("POST", "/files", FileState, body=start))

    def file_state(self, sha256: str) -> FileState:
        return self._checked_file(sha256, self._request("GET", f"/files/{sha256}", FileState))

    def put_chunk(self, sha256: str, offset: int, data: bytes) -> FileState:
        return self._checked_file(sha256, self._request(
            "PUT", f"/files/{sha256}/chunks", FileState, content=data,
            params={"offset": offset}))

    def file_finish(self, sha256: str) -> FileState:
        return self._checked_file(sha256, self._request("POST", f"/files/{sha256}/finish",
                                                        FileState))

    def file_content(self, sha256: str, *, max_bytes: int) -> bytes:
        """A file the province holds (an online dossier's paper), checked by its SHA-256.

        A file larger than ``max_bytes`` is refused before it is downloaded; a body
        whose hash differs (cut, or a proxy's page) is as if it never came (Offline).
        """
        state = self.file_state(sha256)
        if not state.complete:
            raise Refused(404, ErrorAnswer(
                code="file_incomplete", message="file not complete on the server",
                message_vi="Tỉnh chưa nhận đủ tệp này."))
        if state.size > max_bytes:
            raise Refused(413, ErrorAnswer(
                code="file_too_large", message=f"{state.size} bytes",
                message_vi=f"Tệp của tỉnh quá lớn ({state.size // 1_000_000} MB)."))
        path = f"/files/{sha256}/content"
        response = self._send("GET", path)
        if response.status_code == 401:
            self._access = None
            response = self._send("GET", path)
        if response.status_code != 200:
            self._parse(response, FileState)  # raises the matching error
            raise Offline("Máy chủ tỉnh trả lời lẫn yêu cầu khác.", detail="file answer")
        data = response.content
        if len(data) != state.size or hashlib.sha256(data).hexdigest() != sha256:
            raise Offline("Tệp tải về từ tỉnh bị hỏng; sẽ tải lại.", detail="file hash mismatch")
        return data

    @staticmethod
    def _checked_file(sha256: str, state: FileState) -> FileState:
        if state.sha256 != sha256:
            raise Offline("Máy chủ tỉnh trả lời lẫn yêu cầu khác.", detail="file mismatch")
        return state


def _error_answer(response: httpx.Response) -> ErrorAnswer:
    try:
        return ErrorAnswer.model_validate_json(response.content)
    except ValidationError:
        return ErrorAnswer(code=f"http_{response.status_code}",
                           message=f"HTTP {response.status_code}",
                           message_vi=f"Máy chủ của tỉnh từ chối yêu cầu (mã {response.status_code}).")


def _device_name() -> str:
    try:
        return socket.gethostname()[:100]
    except OSError:
        return ""
