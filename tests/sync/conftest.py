"""The real reference server on 127.0.0.1 (uvicorn in a thread), a temporary SQLite file,
a clock the tests move, and fresh offices with logged-in clients."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import uvicorn

from desktop.services import settings
from sync.server import create_app
from tests.sync.desk_support import Desk, make_desk
from tests.sync.support import (
    PASSWORD,
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


@pytest.fixture
def desk(province, store, memory_keyring, request: pytest.FixtureRequest) -> Desk:
    """A desk (real SQLite store) paired with a fresh office on the server. Signed in to
    the province's sync server; or, in a module that sets ``CONNECTOR = "dvcqg"``, set to
    speak the national portal's services (its tests sign in to the portal themselves)."""
    d = make_desk(store, province.store, province.base_url)
    if getattr(request.module, "CONNECTOR", "motcua") == "dvcqg":
        with d.store.transaction() as s:
            settings.put(s, "sync.connector", "dvcqg")
    else:
        with d.client() as c:
            c.login(PASSWORD)
    return d
