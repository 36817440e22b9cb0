"""Sync throughput: push N dossiers with 3 small files each, and pull N province changes.

Run by hand (not collected by pytest):

    .venv/bin/python tests/benchmarks/bench_sync.py --dossiers 2000

Two reference servers run on 127.0.0.1 (uvicorn threads, SQLite files in a scratch
folder). A desk office receives --dossiers dossiers through reception (each an outbox
item) and attaches 3 small PDFs (~2 KB) to each; then one engine round pushes them all
(changes, then files in chunks), timed. The floor: every HTTP request the engine made
(recorded by its transport) is replayed byte for byte, in order, by a plain httpx loop
against the second server (a fresh copy of the same office), so the difference is what
the engine itself costs (reading the outbox, building changes, marking items, files from
the store). Then the province creates N online dossiers and one round pulls them.
The machine's load is printed before and after.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
import keyring  # noqa: E402
import pikepdf  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from desktop.paths import DataPaths  # noqa: E402
from desktop.services import digitisation  # noqa: E402
from desktop.store.database import open_store  # noqa: E402
from desktop.store.models import Attachment, DossierComponent, StoredFile  # noqa: E402
from sync.server import create_app  # noqa: E402
from sync.server.province import create_office, create_officer, create_online_dossiers  # noqa: E402
from tests.sync.desk_support import make_desk  # noqa: E402
from tests.sync.memory_keyring import MemoryKeyring  # noqa: E402
from tests.sync.support import PASSWORD, free_socket, wait_until_up  # noqa: E402


class Recorder(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.requests.append((request.method, request.url.raw_path.decode(),
                              dict(request.headers), body))
        return super().handle_request(request)


def serve(folder: Path, name: str):  # noqa: ANN201
    url = f"sqlite:///{folder / name}"
    app = create_app(url)
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    wait_until_up(base)
    return base, app.state.store, server


def small_pdf(i: int) -> bytes:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(200 + i % 400, 300 + i % 97))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dossiers", type=int, default=2000)
    ap.add_argument("--files-per-dossier", type=int, default=3)
    args = ap.parse_args()
    print("load before:", os.getloadavg())
    keyring.set_keyring(MemoryKeyring())
    scratch = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    base_a, store_a, server_a = serve(scratch, "province-a.db")
    base_b, store_b, server_b = serve(scratch, "province-b.db")
    store = open_store(DataPaths(scratch / "desk"))
    desk = make_desk(store, store_a, base_a)
    create_office(store_b, desk.agency, "UBND xã Tân Phú")
    create_officer(store_b, desk.agency, "tiepnhan1", PASSWORD, full_name="Trần Thị Thu Hà",
                   roles=("front_desk",))

    t = time.perf_counter()
    size = 0
    files = 0
    first_day = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(
        days=args.dossiers // 800 + 1)
    for i in range(args.dossiers):
        # A desk draws at most 1,000 codes a day from its own block: spread over days.
        d = desk.receive(now=first_day + timedelta(days=i // 800, seconds=30 * (i % 800)))
        with store.reading() as s:
            components = s.execute(select(DossierComponent.id).where(
                DossierComponent.dossier_id == d).order_by(DossierComponent.id)).scalars().all()
        for k, component_id in enumerate(components[:args.files_per_dossier]):
            data = small_pdf(i * args.files_per_dossier + k)
            size += len(data)
            files += 1
            digitisation.attach_pdf(store, desk.clerk, d, data=data, component_id=component_id,
                                    pages=1)
    print(f"desk: {args.dossiers} dossiers received, {files} files ({size / 1e6:.1f} MB) "
          f"attached in {time.perf_counter() - t:.1f} s")

    recorder = Recorder()
    with desk.client(transport=recorder) as c:
        c.login(PASSWORD)
        engine = desk.engine(client=c)
        t = time.perf_counter()
        report = engine.run_round()
        while report.files_waiting and report.ok:
            report = engine.run_round()
        push_s = time.perf_counter() - t
    sent_bytes = sum(len(r[3]) for r in recorder.requests)
    print(f"engine push: {report.pushed} changes, {report.files_uploaded} files, "
          f"{len(recorder.requests)} requests, {sent_bytes / 1e6:.1f} MB in {push_s:.1f} s "
          f"→ {args.dossiers / push_s:.0f} dossiers/s, {sent_bytes / 1e6 / push_s:.2f} MB/s "
          f"({report.state}: {report.summary_vi()})")

    # The floor: the same requests, byte for byte, by a plain loop against server B.
    with httpx.Client(base_url=base_b) as plain:
        token = plain.post("/api/v1/auth/login", json={
            "agency_code": desk.agency, "username": "tiepnhan1", "password": PASSWORD,
            "device": "bench"}).json().get("access_token")
        replay = [r for r in recorder.requests if "/auth/" not in r[1] and r[0] != "GET"]
        t = time.perf_counter()
        for method, path, headers, body in replay:
            headers = {k: v for k, v in headers.items()
                       if k.lower() not in ("host", "content-length", "authorization")}
            headers["Authorization"] = f"Bearer {token}"
            plain.request(method, path, headers=headers, content=body)
        floor_s = time.perf_counter() - t
    floor_bytes = sum(len(r[3]) for r in replay)
    print(f"floor (plain httpx, same {len(replay)} non-GET requests): {floor_s:.1f} s → "
          f"{args.dossiers / floor_s:.0f} dossiers/s, {floor_bytes / 1e6 / floor_s:.2f} MB/s; "
          f"engine / floor = {push_s / floor_s:.2f}×")

    # Pull alone: online dossiers without files (their downloads are measured next).
    create_online_dossiers(store_a, desk.agency, args.dossiers, with_files=False)
    with desk.client() as c:
        engine = desk.engine(client=c)
        t = time.perf_counter()
        report = engine.run_round()
        pull_s = time.perf_counter() - t
    print(f"pull: {report.pulled} changes ({report.online_new} online dossiers) in "
          f"{pull_s:.1f} s → {report.pulled / max(pull_s, 1e-9):.0f} changes/s")

    # Downloads: the papers citizens uploaded with a tenth as many online dossiers.
    create_online_dossiers(store_a, desk.agency, max(1, args.dossiers // 10), seed=5)
    with desk.client() as c:
        engine = desk.engine(client=c)
        files = size = rounds = 0
        t = time.perf_counter()
        while True:
            report = engine.run_round()
            rounds += 1
            if not report.files_downloaded:
                break
            files += report.files_downloaded
        down_s = time.perf_counter() - t
    with store.reading() as session:
        size = session.execute(select(func.sum(StoredFile.size)).join(
            Attachment, Attachment.sha256 == StoredFile.sha256).where(
            Attachment.officer_id.is_(None))).scalar_one() or 0
    print(f"download: {files} files ({size / 1e6:.1f} MB) in {rounds} rounds, {down_s:.1f} s → "
          f"{files / max(down_s, 1e-9):.0f} files/s")
    print("load after:", os.getloadavg())
    server_a.should_exit = server_b.should_exit = True
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
