"""Saving a dossier at the desk and printing its receipt, on a large office.

Run by hand (not collected by pytest) on a demo office, e.g. the 1,000,000-dossier one:

    .venv/bin/motcua --data-dir /tmp/demo1m demo --dossiers 1000000
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_reception.py --data-dir /tmp/demo1m

It adds --count dossiers to that office (received by tiepnhan1), timing each
`reception.receive` (validation, number block, due date, components, fees,
progress row, audit event, outbox item, search queue entry: one transaction),
then builds each one's receipt (Mẫu 01) to PDF bytes. As in the app, a
background thread writes the search entries (search.drain) every 1.5 s and
checkpoints the WAL every 15 s; a save can wait for such a drain.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop.paths import DataPaths
from desktop.services import reception
from desktop.services.actor import Actor
from desktop.store.database import open_store
from desktop.store.models import Officer, Procedure


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--count", type=int, default=200)
    args = ap.parse_args()
    from forms import render

    render.ensure_gui_app()
    # As the app does: commits never checkpoint; a background thread does, every few seconds.
    import threading

    store = open_store(DataPaths(Path(args.data_dir)), autocheckpoint=False)
    stop = threading.Event()

    def checkpointer() -> None:
        from desktop.services import search

        tick = 0
        while not stop.wait(1.5):  # as the app: search entries after the save, checkpoints idle
            search.drain(store)
            tick += 1
            if tick % 10 == 0:
                store.checkpoint()

    threading.Thread(target=checkpointer, daemon=True).start()
    with store.reading() as s:
        officer = s.execute(select(Officer).where(Officer.username == "tiepnhan1")).scalar_one()
        actor = Actor.of(officer)
        pids = [p.id for p in s.execute(select(Procedure).where(Procedure.time_unit.is_not(None))).scalars()]
        templates = {pid: reception.components_for(s, pid) for pid in pids}
    # A busy bench day can use up the desk's 1000 numbers: as after a sync, add a province block.
    from datetime import datetime as _dt

    from sqlalchemy.exc import IntegrityError

    from desktop.services import numbering
    from desktop.services.office import get_office

    try:
        with store.transaction() as s:
            numbering.add_province_block(s, _dt.now().date(), get_office(s).desk_number, 9001, 9999)
    except IntegrityError:
        pass  # added by an earlier run today
    rng = random.Random(7)
    print(f"load average before: {os.getloadavg()}")
    save_ms, pdf_ms, data_ms = [], [], []
    for i in range(args.count):
        pid = rng.choice(pids)
        lines = [reception.ComponentLine(**vars(x)) for x in templates[pid]]
        for line in lines:
            if line.state == reception.ComponentState.MISSING:
                line.state = reception.ComponentState.PRESENT
        if not any(x.state == reception.ComponentState.PRESENT for x in lines):
            lines[0].state = reception.ComponentState.PRESENT
            lines[0].originals = 1
        for x in lines:
            if x.state == reception.ComponentState.PRESENT and x.originals + x.certified + x.photocopies == 0:
                x.originals = 1
        form = reception.ReceptionForm(
            procedure_id=pid,
            applicant=reception.PersonForm(
                id_number=f"0010{90 + i % 10}{rng.randrange(10**6):06d}", name="Nguyễn Văn Bình",
                birth_date=date(1990 + i % 10, 1 + i % 12, 1 + i % 28), sex="Nam",
                address="Thôn 2, xã Tân Phú, tỉnh Đồng Nai", phone="0912345678"),
            components=lines)
        t0 = time.perf_counter()
        saved = reception.receive(store, actor, form)
        t1 = time.perf_counter()
        with store.reading() as s:
            data = reception.receipt_data(s, saved.dossier_id)
        t2 = time.perf_counter()
        render.pdf_bytes(data)
        t3 = time.perf_counter()
        save_ms.append((t1 - t0) * 1000)
        data_ms.append((t2 - t1) * 1000)
        pdf_ms.append((t3 - t1) * 1000)
    stop.set()
    store.close()
    for name, values in (("save a dossier (receive)", save_ms),
                         ("receipt data from the store", data_ms),
                         ("receipt: data + PDF bytes", pdf_ms)):
        print(f"{name:32s} p50 {statistics.median(values):7.1f} ms   p95 {pct(values, 95):7.1f} ms"
              f"   max {max(values):7.1f} ms   (n={len(values)})")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
