"""Helpers of the sync tests: a clock the tests move, the running server, fresh offices."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from sync.protocol import API_PREFIX, PROTOCOL_HEADER, TokenAnswer
from sync.server.province import create_office, create_officer
from sync.server.store import ServerStore

PASSWORD = "mat-khau-tinh-123"
TOKEN_TTL = 600
_codes = itertools.count(100)


class FakeClock:
    """An aware clock the tests move forward."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 16, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam, a Monday
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


@dataclass
class Province:
    base_url: str
    database_url: str
    db_path: Path
    clock: FakeClock
    store: ServerStore

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {PROTOCOL_HEADER: "1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=20)


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: without it every answer on a kept-alive connection
    # waited ~40 ms for the client's delayed ACK (Nagle), as uvicorn writes headers and
    # body apart. (uvicorn's own listening socket, `motcua-province serve`, sets it.)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def wait_until_up(url: str, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}{API_PREFIX}/info", timeout=2).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not answer: {last!r}")


def new_agency_code() -> str:
    return f"{next(_codes):03d}.00.01.H56"


@dataclass
class Office:
    agency_code: str
    username: str
    token: TokenAnswer
    http: httpx.Client


def make_office(province: Province, *, name: str = "UBND xã Tân Phú",
                username: str = "tiepnhan1") -> Office:
    code = new_agency_code()
    create_office(province.store, code, name)
    create_officer(province.store, code, username, PASSWORD, full_name="Trần Thị Thu Hà",
                   title="Công chức Bộ phận một cửa", roles=("front_desk",))
    with province.client() as c:
        r = c.post(f"{API_PREFIX}/auth/login",
                   json={"agency_code": code, "username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
    token = TokenAnswer.model_validate_json(r.content)
    return Office(code, username, token, province.client(token.access_token))
