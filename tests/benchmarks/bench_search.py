"""The dossier list on a large office: search, first pages per filter, memory of the open page.

Run by hand (not collected by pytest), on an existing demo office:

    .venv/bin/motcua --data-dir /tmp/demo1m demo --dossiers 1000000
    .venv/bin/python tests/benchmarks/bench_search.py --data-dir /tmp/demo1m

The office is only read. If its schema is older than this build (the list's
indexes come with migration 0003), it is first copied to --scratch and migrated
there (the copy is reused by later runs while it is newer than the source).

Measured, in one run:
- search: 200 random applicant names (half typed without diacritics), 200
  dossier codes and 200 ID numbers taken from the data; the first page of the
  list (services.dossier_query.page, newest first) for each, p50/p95/max;
- the same queries as a plain `LIKE '%…%'` scan over dossiers (code, names, ID
  numbers, phones), the way a list without the FTS index would search; the
  ratio of the medians (a sample of --like-queries per kind: a scan takes ~1 s);
- the first page for each kind of filter (and a few combinations), median of 5;
- the count shown above the list (capped at 100.000), per filter kind;
- the memory (RSS) of a process with the DossiersPage open (offscreen Qt) after
  scrolling --scroll-pages pages.
The machine's load (`uptime`) is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from desktop.domain.text import fold  # noqa: E402
from desktop.paths import DataPaths  # noqa: E402
from desktop.services import dossier_query as dq  # noqa: E402
from desktop.services.dossier_query import DossierFilter, SortKey  # noqa: E402
from desktop.store import migrate  # noqa: E402
from desktop.store.engine import make_engine  # noqa: E402

MEMORY_CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

marks = {"start": rss_mb()}
from desktop.paths import DataPaths
from desktop.services.actor import Actor
from desktop.store.database import Store
from desktop.store.engine import make_engine, make_session_factory
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.tasks import TaskRunner
from desktop.ui.dossiers import DossiersPage

app = make_application([])
paths = DataPaths(Path(sys.argv[1]))
engine = make_engine(paths.database)  # reading only: no open_store (no write probe, no migration)
store = Store(paths, engine, make_session_factory(engine))
ctx = UiContext(store, TaskRunner(), Actor.system("bench"), "bench", "000.00.01.H56", 1)
marks["app_and_store"] = rss_mb()
started = time.perf_counter()
page = DossiersPage(ctx)
page.resize(1190, 820)
page.show()
pages = int(sys.argv[2])

def first():
    if page.model.pages_loaded == 0 or page.model.loading:
        QTimer.singleShot(5, first)
        return
    marks["first_page_ms"] = (time.perf_counter() - started) * 1000
    marks["first_page"] = rss_mb()
    scroll()

def scroll():
    if page.model.loading:
        QTimer.singleShot(5, scroll)
        return
    if page.model.pages_loaded >= pages:
        page._select_row(page.model.rowCount() - 1)
        QTimer.singleShot(500, done)
        return
    page.table.scrollToBottom()
    QTimer.singleShot(20, scroll)

def done():
    marks["after_scrolling"] = rss_mb()
    marks["rows"] = page.model.rowCount()
    marks["pages"] = page.model.pages_loaded
    marks["count_label"] = page.count_label.text()
    print(json.dumps(marks))
    ctx.runner.shutdown()
    app.quit()

QTimer.singleShot(0, first)
app.exec()
"""


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def ms(seconds: float) -> float:
    return seconds * 1000


def office_for_bench(source: Path, scratch: Path) -> Path:
    """The source office if its schema is current, else a migrated copy in `scratch`."""
    db = source / "motcua.db"
    engine = make_engine(db)
    try:
        current = migrate.current_revision(engine)
    finally:
        engine.dispose()
    if current == migrate.head_revision():
        return source
    copy = scratch / "motcua.db"
    if copy.exists() and copy.stat().st_mtime > db.stat().st_mtime:
        engine = make_engine(copy)
        try:
            if migrate.current_revision(engine) == migrate.head_revision():
                print(f"(using the migrated copy {scratch})")
                return scratch
        finally:
            engine.dispose()
    print(f"(schema {current}, this build {migrate.head_revision()}: copying to {scratch} "
          "and migrating there; the source is not touched)")
    scratch.mkdir(parents=True, exist_ok=True)
    for name in ("motcua.db", "motcua.db-wal", "motcua.db-shm"):
        (scratch / name).unlink(missing_ok=True)
    started = time.perf_counter()
    shutil.copy2(db, copy)
    wal = source / "motcua.db-wal"
    if wal.exists():
        shutil.copy2(wal, scratch / "motcua.db-wal")
    copied = time.perf_counter()
    engine = make_engine(copy)
    try:
        migrate.upgrade_to_head(engine)
    finally:
        engine.dispose()
    print(f"(copy {copied - started:.1f} s, migration to {migrate.head_revision()} "
          f"{time.perf_counter() - copied:.1f} s)")
    return scratch


def sample_queries(session: Session, n: int, rng: random.Random) -> dict[str, list[str]]:
    top = session.execute(text("SELECT max(id) FROM dossiers")).scalar()
    ids = rng.sample(range(1, top + 1), n)
    rows = session.execute(
        text("SELECT applicant_name, code, applicant_id_number FROM dossiers "
             "WHERE id IN (SELECT value FROM json_each(:ids))"), {"ids": json.dumps(ids)}).all()
    names = [r[0] if i % 2 else fold(r[0]) for i, r in enumerate(rows)]
    return {"name": names, "code": [r[1] for r in rows if r[1]],
            "id": [r[2] for r in rows if r[2]]}


def timed(fn, repeat: int = 1) -> float:  # noqa: ANN001
    best = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best.append(time.perf_counter() - started)
    return statistics.median(best)


def like_page(session: Session, query: str) -> list:
    pattern = f"%{query}%"
    return session.execute(text(
        "SELECT id FROM dossiers WHERE code LIKE :p OR applicant_name LIKE :p "
        "OR applicant_id_number LIKE :p OR applicant_phone LIKE :p OR submitter_name LIKE :p "
        "OR submitter_id_number LIKE :p OR submitter_phone LIKE :p "
        "ORDER BY received_at DESC, id DESC LIMIT 200"), {"p": pattern}).all()


def filter_kinds(session: Session, now: datetime) -> dict[str, DossierFilter]:
    choices = dq.filter_choices(session)
    by_count = session.execute(text(
        "SELECT procedure_id, count(*) FROM dossiers GROUP BY procedure_id ORDER BY 2 DESC")).all()
    popular, rare = by_count[0][0], by_count[-1][0]
    field = choices.fields[0].id
    last = now.date()
    month = date(last.year, last.month, 1) - timedelta(days=200)
    return {
        "none": DossierFilter(),
        "status 1 (waiting)": DossierFilter(statuses=frozenset({1})),
        "status 2,4,5,6 (in progress)": DossierFilter(statuses=frozenset({2, 4, 5, 6})),
        "status 9 (resolved)": DossierFilter(statuses=frozenset({9})),
        "status 10 (returned)": DossierFilter(statuses=frozenset({10})),
        "status 3 (refused)": DossierFilter(statuses=frozenset({3})),
        "procedure (most used)": DossierFilter(procedure_id=popular),
        "procedure (least used)": DossierFilter(procedure_id=rare),
        f"field ({choices.fields[0].name})": DossierFilter(field_id=field),
        "channel 1 (in person)": DossierFilter(channel="1"),
        "channel 3 (post)": DossierFilter(channel="3"),
        "period (one month)": DossierFilter(received_from=month,
                                            received_to=month + timedelta(days=30)),
        "overdue": DossierFilter(overdue=True),
        "due within 3 days": DossierFilter(due_within_days=3),
        "text: full name": DossierFilter(text="nguyen van anh"),
        "text: one family name": DossierFilter(text="nguyen"),
        "in progress + overdue + procedure": DossierFilter(
            statuses=frozenset({2, 4, 5, 6}), overdue=True, procedure_id=popular),
        "refused + online": DossierFilter(statuses=frozenset({3}), channel="2"),
        "in progress + 'nguyen'": DossierFilter(statuses=frozenset({2, 4, 5, 6}), text="nguyen"),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True, type=Path, help="an existing demo office")
    ap.add_argument("--scratch", type=Path, default=Path("/tmp/bench_search_office"),
                    help="where to migrate a copy when the office's schema is older")
    ap.add_argument("--queries", type=int, default=200, help="queries per kind (name, code, ID)")
    ap.add_argument("--like-queries", type=int, default=25,
                    help="of those, how many per kind also run as a LIKE scan")
    ap.add_argument("--scroll-pages", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--plans", action="store_true", help="print the query plans")
    args = ap.parse_args()

    print("load before:", uptime())
    root = office_for_bench(args.data_dir.resolve(), args.scratch.resolve())
    engine = make_engine(DataPaths(root).database)
    factory = sessionmaker(engine)
    rng = random.Random(args.seed)
    with factory() as session:
        n = session.execute(text("SELECT count(*) FROM dossiers")).scalar()
        latest = session.execute(text("SELECT max(received_at) FROM dossiers")).scalar()
        now = datetime.fromisoformat(latest) + timedelta(minutes=5)
        print(f"office: {root} — {n:,} dossiers; 'now' = {now:%d/%m/%Y %H:%M}".replace(",", "."))
        # Warm the OS cache the way a day of work does (one pass over the indexes used).
        for flt in filter_kinds(session, now).values():
            dq.page(session, flt, SortKey(), now)

        # ---------------------------------------------------------------- search
        queries = sample_queries(session, args.queries, rng)
        print(f"\nsearch: first page (200 rows, newest first), {args.queries} queries per kind")
        print(f"{'kind':<8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'rows p50':>10}")
        all_times: list[float] = []
        fts_medians: dict[str, float] = {}
        for kind, qs in queries.items():
            times, sizes = [], []
            for query in qs:
                flt = DossierFilter(text=query)
                started = time.perf_counter()
                rows = dq.page(session, flt, SortKey(), now)
                times.append(ms(time.perf_counter() - started))
                sizes.append(len(rows))
            all_times += times
            fts_medians[kind] = statistics.median(times)
            print(f"{kind:<8}{statistics.median(times):9.1f}{pct(times, 95):9.1f}"
                  f"{max(times):9.1f}{statistics.median(sizes):10.0f}")
        print(f"{'all':<8}{statistics.median(all_times):9.1f}{pct(all_times, 95):9.1f}"
              f"{max(all_times):9.1f}")

        print(f"\nthe same queries as LIKE '%…%' scans ({args.like_queries} per kind)")
        print(f"{'kind':<8}{'p50 ms':>9}{'p95 ms':>9}{'ratio':>9}")
        for kind, qs in queries.items():
            raw = qs if kind != "name" else [q for q in qs]  # names as typed (LIKE is exact)
            times = []
            for query in raw[:args.like_queries]:
                started = time.perf_counter()
                like_page(session, query)
                times.append(ms(time.perf_counter() - started))
            print(f"{kind:<8}{statistics.median(times):9.1f}{pct(times, 95):9.1f}"
                  f"{statistics.median(times) / max(fts_medians[kind], 0.001):8.0f}×")

        # ------------------------------------------------------------ filter kinds
        print("\nfirst page per filter (newest first; median of 5), next page, count")
        print(f"{'filter':<38}{'first ms':>9}{'next ms':>9}{'count ms':>9}  count")
        for name, flt in filter_kinds(session, now).items():
            rows: list = []

            def first(flt=flt, rows=rows) -> None:
                rows[:] = dq.page(session, flt, SortKey(), now)

            t_first = ms(timed(first, 5))
            after = dq.key_of(rows[-1], SortKey()) if rows else None
            t_next = ms(timed(lambda flt=flt, after=after: dq.page(
                session, flt, SortKey(), now, after=after), 5)) if after else 0.0
            result = [0]

            def counting(flt=flt, result=result) -> None:
                result[0] = dq.count(session, flt, now, cap=dq.COUNT_CAP)

            t_count = ms(timed(counting, 3))
            shown = (f"more than {dq.COUNT_CAP:,}" if result[0] > dq.COUNT_CAP
                     else f"{result[0]:,}").replace(",", ".")
            print(f"{name:<38}{t_first:9.1f}{t_next:9.1f}{t_count:9.1f}  {shown}")
            if args.plans:
                for sql, plan in dq.plan_of(session, flt, SortKey(), now):
                    print(f"      {sql[:110]}…\n        {plan}")

        print("\nfirst page per sort column (no filter / in progress), median of 3")
        for column in dq.SORT_COLUMNS:
            for desc in (False, True):
                sort = SortKey(column, desc)
                t_all = ms(timed(lambda s=sort: dq.page(session, DossierFilter(), s, now), 3))
                flt = DossierFilter(statuses=frozenset({2, 4, 5, 6}))
                t_prog = ms(timed(lambda s=sort, f=flt: dq.page(session, f, s, now), 3))
                print(f"  {column:<15}{'↓' if desc else '↑'} {t_all:7.1f} ms {t_prog:7.1f} ms")
    engine.dispose()

    # ------------------------------------------------------------------ memory
    print(f"\nmemory: a process with the DossiersPage open, {args.scroll_pages} pages scrolled")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(root), str(args.scroll_pages)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        print(out.stdout, out.stderr)
        return 1
    m = json.loads(line)
    print(f"  RSS: interpreter {m['start']:.0f} MB; with Qt and the store "
          f"{m['app_and_store']:.0f} MB; first page {m['first_page']:.0f} MB "
          f"(after {m['first_page_ms']:.0f} ms); after scrolling to {m['rows']} rows "
          f"({m['pages']} pages) {m['after_scrolling']:.0f} MB; count label: "
          f"{m['count_label']!r}")
    print("\nload after:", uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main())
