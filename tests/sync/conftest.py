"""The real reference server on 127.0.0.1 (uvicorn in a thread), a temporary SQLite file,
a clock the tests move, and fresh offices with logged-in clients."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import uvicorn

from sync.server import create_app
from tests.sync.support import (
    TOKEN_TTL,
    FakeClock,
    Office,
    Province,
    free_socket,
    make_office,
    wait_until_up,
)


@pytest.fixture(scope="module")  # one server per test module: no test sees another's offices
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Province]:
    db_path = tmp_path_factory.mktemp("province") / "province.db"
    url = f"sqlite:///{db_path}"
    clock = FakeClock()
    app = create_app(url, token_ttl=TOKEN_TTL, clock=clock)
    sock = free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="province-server")
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url)
        yield Province(base_url, url, db_path, clock, app.state.store)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def office(province: Province) -> Iterator[Office]:
    o = make_office(province)
    yield o
    o.http.close()
