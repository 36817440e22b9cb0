"""Periodic reports and the leaders' dashboard on a large office.

Run by hand (not collected by pytest), on an existing demo office:

    .venv/bin/motcua --data-dir /tmp/demo1m demo --dossiers 1000000
    .venv/bin/python tests/benchmarks/bench_reports.py --data-dir /tmp/demo1m

The office is only read. The reports need the covering indexes of migration
0009; a demo made by an older build lacks them, and copying and migrating the
whole file (3.9 GB for a million dossiers) takes too long. So when the schema is
older, only the tables the reports read (dossiers, their components, the
catalogue, apologies, results, attachments, the office) are copied into
--scratch with the current schema, and the current models' indexes (0009's
included) are created there. The copy is reused while it is newer than the
source.

Measured (each the median of --repeat runs, after one warm-up run):
- Biểu số 06 (`reports.engine.run("bieu06", …)`) for a year (--year, default the
  last whole year of the data), a quarter and a month; the checks must all pass;
- the dashboard refresh (`reports.indicators.dashboard`): the five indicators,
  their monthly trend and the three lists (counts + first 50 ids), for the
  year so far (the months up to "now") and for the current month;
- one page of drill-down (the online dossiers of the year).
The machine's load (`uptime`) is printed before and after.

Measured on the 1,000,001-dossier demo (/tmp/demo1m, two years of data; the report
tables copied with the 0009 indexes in 33 s), 2 shared cores, load 1.2–1.5 from
other work, median of 5 (min–max):
- Biểu 06, year 2025 (433,944 dossiers in the report): 852 ms (745–1169);
  quarter 230 ms; month 152 ms. (A first form of the query over the older indexes,
  reading the table: 1.6–2.2 s.)
- Dashboard refresh, 1/1–28/11/2026 (11 months, 490,075 received, 1,360,310
  components): 797 ms (748–934); the current month: 77 ms.
- Drill-down, first page of 200: online dossiers of the year 65 ms; cell (13)
  of the year 388 ms.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from sqlalchemy.schema import CreateIndex, CreateTable  # noqa: E402

from desktop.domain import periods  # noqa: E402
from desktop.services.reports import engine as report_engine  # noqa: E402
from desktop.services.reports import indicators  # noqa: E402
from desktop.store import migrate  # noqa: E402
from desktop.store.models import Base  # noqa: E402

TABLES = ("office", "fields", "procedures", "dossiers", "dossier_components", "apologies",
          "dossier_results", "stored_files", "attachments")


def _revision(db: Path) -> str | None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def database_for_bench(source: Path, scratch: Path) -> Path:
    """The source database if its schema is current, else a copy of the tables the reports
    read, with the current schema and indexes, in ``scratch``."""
    if _revision(source) == migrate.head_revision():
        return source
    copy = scratch / "reports.db"
    marker = scratch / f"reports-{migrate.head_revision()}.done"
    if copy.exists() and marker.exists() and marker.stat().st_mtime > source.stat().st_mtime:
        print(f"(using the copy {copy})")
        return copy
    print(f"(schema {_revision(source)}, this build {migrate.head_revision()}: copying the "
          f"report tables to {copy})", flush=True)
    scratch.mkdir(parents=True, exist_ok=True)
    for name in (copy.name, copy.name + "-wal", copy.name + "-shm", marker.name):
        (scratch / name).unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
    dialect = create_engine("sqlite://").dialect
    for name in TABLES:
        table = Base.metadata.tables[name]
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        source_columns = {r[1] for r in conn.execute(f"PRAGMA src.table_info({name})")}
        columns = [c.name for c in table.columns if c.name in source_columns]
        if columns:
            cols = ", ".join(columns)
            conn.execute(f"INSERT INTO main.{name} ({cols}) SELECT {cols} FROM src.{name}")
        conn.commit()
        print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
    for name in TABLES:
        for index in Base.metadata.tables[name].indexes:
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
        conn.commit()
    print(f"  indexes: {time.perf_counter() - started:.1f} s", flush=True)
    conn.execute("DETACH DATABASE src")
    conn.close()
    marker.touch()
    return copy


def timed(label: str, fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up (the page cache, SQLite's statement cache)
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"{label:58s} median {median * 1000:7.0f} ms   min {min(times) * 1000:6.0f}   "
          f"max {max(times) * 1000:6.0f}")
    return median, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/demo1m"))
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/bench-reports"))
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    db = database_for_bench(args.data_dir / "motcua.db", args.scratch)
    engine = create_engine(f"sqlite:///file:{db}?mode=ro&uri=true")
    with Session(engine) as session:
        dossiers = session.execute(text("SELECT count(*) FROM dossiers")).scalar_one()
        latest = session.execute(text("SELECT max(received_at) FROM dossiers")).scalar_one()
        now = datetime.fromisoformat(latest) if latest else datetime.now()
        year = args.year or now.year - 1
        print(f"{dossiers:,} dossiers; now = {now:%d/%m/%Y %H:%M}; CPUs {os.cpu_count()}")

        year_period = periods.year(year)
        quarter_period = periods.quarter(year, 3)
        month_period = periods.month(year, 9)
        figures = {}
        for label, period in (("year", year_period), ("quarter", quarter_period),
                              ("month", month_period)):
            seconds, result = timed(f"Biểu 06, {period.name_vi}",
                                    lambda p=period: report_engine.run(session, "bieu06", p,
                                                                       now=now),
                                    args.repeat)
            figures[f"bieu06_{label}"] = seconds
            assert result.ok, [c.message_vi for c in result.checks if not c.ok]
            total = result.total.cells
            print(f"    (3)={total['3']:,} (4)={total['4']:,} (5)={total['5']:,} "
                  f"(6)={total['6']:,} (7)={total['7']:,} (11)={total['11']:,} "
                  f"rút={total['rut']:,}")

        ytd = periods.custom(date(now.year, 1, 1), now.date())
        this_month = periods.custom(date(now.year, now.month, 1), now.date())
        for label, period in (("ytd", ytd), ("month", this_month)):
            seconds, board = timed(
                f"Dashboard refresh, {period.name_vi} ({len(period.months())} months)",
                lambda p=period: indicators.dashboard(session, p, now), args.repeat)
            figures[f"dashboard_{label}"] = seconds
            parts = ", ".join(f"{k} {v.numerator:,}/{v.denominator:,}"
                              for k, v in board.indicators.items())
            print(f"    {parts}")
            print("    lists: " + ", ".join(f"{k} {v.count:,}" for k, v in board.lists.items()))
        timed(f"Drill-down: first page of online dossiers, {year_period.name_vi}",
              lambda: indicators.drill_down(session, indicators.ONLINE, year_period),
              args.repeat)
        timed(f"Drill-down: first page of cell (13) total, {year_period.name_vi}",
              lambda: report_engine.cell_dossiers(session, "bieu06", year_period, "total",
                                                  "13"), args.repeat)
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    ok = figures["bieu06_year"] <= 2.0 and figures["dashboard_ytd"] <= 1.0
    print("targets (Biểu 06 year ≤ 2 s, dashboard ≤ 1 s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
