"""Benchmark of the demo generator (run by hand, not collected by pytest).

    .venv/bin/python tests/benchmarks/bench_demo.py                 # 1,000,000 dossiers
    .venv/bin/python tests/benchmarks/bench_demo.py --dossiers 100000 --data-dir /tmp/demo

Prints the time, dossiers per second, rows written, the database size and
the load average before and after. Without --data-dir the database goes to a
temporary folder that is deleted afterwards (use --keep to keep it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from desktop.paths import DataPaths
    from desktop.services.demo import create_demo

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="an empty folder (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", type=datetime.fromisoformat, default=None,
                        help="pretend 'now' (ISO date-time), for reproducible runs")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    temp = None
    if args.data_dir is None:
        temp = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
        data_dir = temp / "data"
    else:
        data_dir = args.data_dir
    paths = DataPaths(data_dir.resolve())

    last = [0.0]
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 10 or done == total:
            last[0] = now
            elapsed = now - started
            rate = done / elapsed if elapsed else 0.0
            print(f"  {done:>10,}/{total:,}  {elapsed:7.1f} s  {rate:9,.0f}/s", flush=True)

    load_before = os.getloadavg()
    print(f"cpus: {os.cpu_count()}  load average before: "
          + " ".join(f"{x:.2f}" for x in load_before), flush=True)
    print(f"creating {args.dossiers:,} dossiers in {paths.root}", flush=True)
    try:
        summary = create_demo(paths, dossiers=args.dossiers, seed=args.seed, now=args.now,
                              progress=progress)
        load_after = os.getloadavg()
        rows = summary.dossiers + summary.progress_rows + summary.components + summary.fees
        print(f"seconds:          {summary.seconds:.1f}")
        print(f"dossiers/s:       {summary.dossiers / summary.seconds:,.0f}")
        print(f"dossiers:         {summary.dossiers:,}")
        print(f"progress rows:    {summary.progress_rows:,}")
        print(f"components:       {summary.components:,}")
        print(f"fees:             {summary.fees:,}")
        print(f"rows in total:    {rows:,} ({rows / summary.seconds:,.0f} rows/s)")
        print(f"by status:        {summary.by_status}")
        resolved = summary.by_status.get(9, 0) + summary.by_status.get(10, 0)
        if resolved:
            print(f"resolved late:    {summary.resolved_late:,} "
                  f"({summary.resolved_late / max(1, resolved):.1%} of statuses 9/10)")
        print(f"overdue open:     {summary.overdue_in_progress:,}")
        print(f"database:         {summary.database_bytes / 1e6:,.1f} MB "
              f"({summary.database_bytes / max(1, summary.dossiers):,.0f} bytes/dossier)")
        print("load average after: " + " ".join(f"{x:.2f}" for x in load_after))
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
