"""Sync under a bad line, killed clients and a killed server (bounded in time).

- The real server on 127.0.0.1 behind a fault-injecting TCP proxy: connections dropped in
  the middle of requests and of answers, 500s before and after the server acted, slow
  answers (past the client's timeout), requests delivered twice and answers sent twice.
  Once the faults stop, sync converges: zero lost and zero duplicated dossiers, progress
  rows and files (the server's database and the desk's compared).
- ``motcua sync`` killed with SIGKILL at random points, eight times, while the desk keeps
  working: then a clean round converges.
- The server killed (SIGKILL) and restarted while the desk syncs: the same.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import func, select

from desktop.paths import DataPaths
from desktop.store.database import open_store
from desktop.store.models import OutboxItem
from sync.server import models as m
from sync.server.province import add_status_change, create_online_dossiers
from sync.server.store import ServerStore, load_seed
from tests.sync.desk_support import (
    assert_converged,
    desk_scans,
    local_side,
    make_desk,
    server_side,
)
from tests.sync.support import PASSWORD, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
FAULTS = ("drop_request", "drop_response", "error_before", "error_after", "slow",
          "duplicate_request", "duplicate_response")


# ---------------------------------------------------------------------- the proxy


class FaultProxy:
    """A TCP proxy in front of the server, one HTTP request per connection, that breaks
    things on purpose while ``faulty`` is set (each request: a fault with ``rate``)."""

    def __init__(self, upstream_port: int, *, rate: float = 0.4, seed: int = 1,
                 delay: tuple[float, float] = (0.0, 0.0)) -> None:
        self.upstream_port = upstream_port
        self.rate = rate
        self.delay = delay
        self.faulty = True
        self.rng = random.Random(seed)
        self.stats: Counter[str] = Counter()
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="fault-proxy")
        self.port = 0

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self.loop.run_forever()
        finally:
            server.close()
            tasks = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
            for task in tasks:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            self.loop.run_until_complete(server.wait_closed())
            self.loop.close()

    def _choose(self) -> str:
        if not self.faulty or self.rng.random() >= self.rate:
            return "pass"
        return self.rng.choice(FAULTS)

    async def _forward(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            writer.write(request)
            await writer.drain()
            return await asyncio.wait_for(reader.read(-1), 30)
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            lines = head.decode("latin-1").split("\r\n")
            length = 0
            kept = [lines[0]]
            for line in lines[1:]:
                name = line.split(":", 1)[0].strip().lower()
                if name == "content-length":
                    length = int(line.split(":", 1)[1])
                if name in ("connection", "keep-alive") or not line:
                    continue
                kept.append(line)
            fault = self._choose()
            self.stats[fault] += 1
            if fault == "drop_request":
                # Cut in the middle of the request: the server never sees it.
                if length > 1:
                    await reader.readexactly(length // 2)
                return
            body = await reader.readexactly(length) if length else b""
            request = ("\r\n".join([*kept, "Connection: close"]) + "\r\n\r\n").encode(
                "latin-1") + body
            if self.delay[1]:
                await asyncio.sleep(self.rng.uniform(*self.delay))
            if fault == "error_before":
                writer.write(_error_500())
                return
            answer = await self._forward(request)
            if fault == "duplicate_request":
                answer = await self._forward(request)
            if fault == "error_after":
                writer.write(_error_500())
            elif fault == "drop_response":
                writer.write(answer[: max(1, len(answer) // 2)])
            elif fault == "slow":
                await asyncio.sleep(self.rng.uniform(0.5, 2.0))
                writer.write(answer)
            elif fault == "duplicate_response":
                writer.write(answer + answer)
            else:
                writer.write(answer)
            await writer.drain()
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                asyncio.CancelledError):
            pass
        finally:
            writer.close()


def _error_500() -> bytes:
    body = b'{"code":"internal","message":"proxy","message_vi":"L\xe1\xbb\x97i"}'
    return (b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
            + body)


# ------------------------------------------------------------------- helpers


def assert_nothing_lost(store, province_store, agency: str) -> None:  # noqa: ANN001
    """Every change the desk made reached the province exactly once, and everything the
    province had for the desk is on the desk (assert_converged), each item answered once."""
    local = assert_converged(store, province_store, agency)
    with store.reading() as s:
        item_uids = set(s.execute(select(OutboxItem.uid)).scalars())
    with province_store.read() as s:
        pushes = Counter(s.execute(select(m.Push.uid)).scalars())
    assert item_uids <= set(pushes) and max(pushes.values()) == 1
    assert local.dossiers


def sync_until_ok(engine_factory, rounds: int = 8):  # noqa: ANN001, ANN201
    report = None
    for _ in range(rounds):
        report = engine_factory().run_round()
        if report.ok:
            return report
        time.sleep(0.3)
    raise AssertionError(f"sync did not converge: {report.summary_vi() if report else None}")


# ----------------------------------------------------------------------- proxy test


def test_sync_converges_after_a_faulty_line(province, store, memory_keyring) -> None:
    started = time.monotonic()
    port = int(province.base_url.rsplit(":", 1)[1])
    seed = int(os.environ.get("MOTCUA_FAULT_SEED", "20261128"))  # to replay a failing run
    with FaultProxy(port, rate=0.45, seed=seed) as proxy:
        desk = make_desk(store, province.store, proxy.url)
        rng = random.Random(5)

        def client():  # noqa: ANN202
            return desk.client(timeout=httpx.Timeout(1.2, connect=1.0), probe_timeout=1.0)

        def engine():  # noqa: ANN202
            return desk.engine(client(), chunk_size=32 * 1024, max_network_errors=6,
                               backoff_base=0.05, backoff_cap=0.2)

        login = client()
        for _ in range(20):  # the login itself crosses the bad line
            try:
                login.login(PASSWORD)
                break
            except Exception:  # noqa: BLE001
                continue
        login.close()
        ids = [desk.receive() for _ in range(6)]
        for d in ids[:3]:
            desk.hand_over(d)
        for d in ids[:2]:
            desk.digitise(d, b"%PDF-1.4\n" + os.urandom(rng.randrange(40_000, 120_000)))
        online = create_online_dossiers(province.store, desk.agency, 3, seed=11)
        add_status_change(province.store, desk.agency, online[0], 7)
        rounds = 0
        while time.monotonic() - started < 14 and rounds < 12:
            rounds += 1
            engine().run_round()
            # The desk and the province keep working meanwhile.
            new = desk.receive()
            if rounds % 2:
                desk.hand_over(new)
            if rounds % 4 == 0:
                create_online_dossiers(province.store, desk.agency, 1, seed=rounds)
            if rounds == 3:
                desk.digitise(new, b"%PDF-1.4\n" + os.urandom(70_000))
        assert all(proxy.stats[f] for f in FAULTS), proxy.stats
        print(f"faults: {dict(proxy.stats)} in {rounds} rounds")
        proxy.faulty = False
        report = sync_until_ok(engine)
        assert report.integrity_ok and report.open_conflicts == 0
    assert_nothing_lost(store, province.store, desk.agency)
    server = server_side(province.store, desk.agency)
    # Every paper citizens uploaded came down, every scan of the desk went up, once.
    assert server.files == local_side(store).files
    assert len(desk_scans(store)) == 3
    assert time.monotonic() - started < 40


# ------------------------------------------------------------------ SIGKILL test


def test_the_client_killed_at_random_points_loses_nothing(province, tmp_path,
                                                          memory_keyring) -> None:
    started = time.monotonic()
    rng = random.Random(8)
    port = int(province.base_url.rsplit(":", 1)[1])
    paths = DataPaths(tmp_path / "desk")
    store = open_store(paths)
    # A slow line (every request 20–60 ms) so that the rounds last long enough to be cut.
    with FaultProxy(port, rate=0.0, delay=(0.02, 0.06)) as proxy:
        desk = make_desk(store, province.store, proxy.url)
        for _ in range(16):
            d = desk.receive()
            if rng.random() < 0.6:
                desk.hand_over(d)
        desk.digitise(d, b"%PDF-1.4\n" + os.urandom(50_000))
        create_online_dossiers(province.store, desk.agency, 4, seed=3)
        env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.sync.memory_keyring.MemoryKeyring",
               "MOTCUA_SYNC_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
        command = [sys.executable, "-m", "desktop.cli", "--data-dir", str(paths.root), "sync",
                   "--server", proxy.url, "--username", "tiepnhan1"]
        kills = attempts = cut_in_flight = 0
        while kills < 8 and attempts < 30:
            attempts += 1
            before = _pushes(province.store)
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            # Wait until the round is under way (the province receives its changes) ...
            deadline = time.monotonic() + 15
            while (time.monotonic() < deadline and child.poll() is None
                   and _pushes(province.store) == before):
                time.sleep(0.01)
            # ... then cut it at a random point.
            time.sleep(rng.uniform(0.0, 0.4))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            child.wait(timeout=10)
            with store.reading() as s:
                cut_in_flight += bool(s.execute(select(func.count()).select_from(OutboxItem)
                                                .where(OutboxItem.state == "in_flight")
                                                ).scalar_one())
            # The desk keeps working between the runs.
            d = desk.receive()
            if kills % 2:
                desk.hand_over(d)
        assert kills == 8
        assert cut_in_flight >= 1  # the kills did land in the middle of sending
        finish = None
        for _ in range(3):
            finish = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                    timeout=120)
            if finish.returncode == 0:
                break
        assert finish is not None and finish.returncode == 0, finish.stdout + finish.stderr
    assert_nothing_lost(store, province.store, desk.agency)
    with store.reading() as s:
        assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() >= 24
    store.close()
    assert time.monotonic() - started < 60


def _pushes(province_store: ServerStore) -> int:
    with province_store.read() as s:
        return s.execute(select(func.count()).select_from(m.Push)).scalar_one()


# -------------------------------------------------------------- server killed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(db: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "serve", "--db", str(db), "--host",
         "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_the_server_killed_and_restarted_loses_nothing(store, tmp_path, memory_keyring) -> None:
    started = time.monotonic()
    rng = random.Random(13)
    db = tmp_path / "province.db"
    province_store = ServerStore(f"sqlite:///{db}")
    province_store.create_tables()
    province_store.seed(load_seed("procedures"), load_seed("holidays"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start_server(db, port)
    stop = threading.Event()
    errors: list[BaseException] = []
    try:
        desk = make_desk(store, province_store, url)
        wait_until_up(url)
        with desk.client() as c:
            c.login(PASSWORD)
        for _ in range(10):
            desk.hand_over(desk.receive())
        desk.digitise(desk.receive(), b"%PDF-1.4\n" + os.urandom(80_000))
        create_online_dossiers(province_store, desk.agency, 3, seed=5)

        def engine():  # noqa: ANN202
            return desk.engine(desk.client(timeout=httpx.Timeout(2.0, connect=0.5),
                                           probe_timeout=0.5),
                               chunk_size=16 * 1024, backoff_base=0.05, backoff_cap=0.2)

        def keep_syncing() -> None:
            try:
                while not stop.is_set():
                    engine().run_round()
                    time.sleep(0.05)
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)

        worker = threading.Thread(target=keep_syncing, daemon=True)
        worker.start()
        for restart in range(3):
            time.sleep(rng.uniform(0.2, 1.2))
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
            d = desk.receive()  # the desk works on while the province is down
            desk.hand_over(d)
            if restart == 1:
                desk.digitise(d, b"%PDF-1.4\n" + os.urandom(30_000))
            time.sleep(rng.uniform(0.1, 0.6))
            server = _start_server(db, port)
            wait_until_up(url)
            create_online_dossiers(province_store, desk.agency, 1, seed=restart)
        stop.set()
        worker.join(timeout=30)
        assert not errors, errors
        sync_until_ok(engine)
        assert_nothing_lost(store, province_store, desk.agency)
        assert server_side(province_store, desk.agency).files == local_side(store).files
        assert len(desk_scans(store)) == 2
    finally:
        stop.set()
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        province_store.close()
    assert time.monotonic() - started < 60
