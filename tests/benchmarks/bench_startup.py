"""Cold start to a shown main window, against a bare PySide6 window as the floor.

Run by hand (not collected by pytest), on a demo office:

    .venv/bin/motcua --data-dir /tmp/demo1m demo --dossiers 1000000
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_startup.py --data-dir /tmp/demo1m

Each run is a new Python process (cold interpreter; the OS file cache is warm after
the first run, as on an office PC used every day). Times are measured from just
before the process is spawned:
- floor: QApplication + QMainWindow shown and painted;
- app, login dialog: the first window the officer sees;
- app, main window: the officer presses Enter on the login window --typing-ms after it
  appeared (user admin / motcua-demo): from that press to the main window painted,
  and end to end with no typing time at all (--typing-ms 0 is the worst case);
- app, numbers: the home page's counts loaded (they load in the background).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

FLOOR = r"""
import sys, time, json
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtCore import QTimer
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("Một Cửa")); w.resize(1200, 760); w.show()
def done():
    print(json.dumps({"main": time.time()})); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

APP = r"""
import sys, time, json
from pathlib import Path
from PySide6.QtCore import QTimer
from desktop.paths import DataPaths
from desktop.ui.app import AppController, make_application
marks = {}
app = make_application([])
c = AppController(DataPaths(Path(sys.argv[1])))
def on_main(window):
    def painted():
        marks["main"] = time.time()
        def counts():
            if window.home.loaded:
                marks["counts"] = time.time(); print(json.dumps(marks)); app.quit()
            else:
                QTimer.singleShot(5, counts)
        counts()
    QTimer.singleShot(0, painted)
c.main_window_shown.connect(on_main)
c.start()
typing_ms = int(sys.argv[2])
def shown():
    marks["login_dialog"] = time.time()
    QTimer.singleShot(typing_ms, login)
def login():
    d = c.dialog
    d.user_edit.setText("admin"); d.password_edit.setText("motcua-demo")
    marks["login_click"] = time.time()
    d.login_button.click()
QTimer.singleShot(0, shown)
app.exec()
c.close()
"""


def run(code: str, *args: str) -> dict[str, float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
                         timeout=300)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    return {k: (v - t0) * 1000 for k, v in marks.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="a demo office (motcua demo)")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--typing-ms", type=int, default=1500,
                   help="time between the login window appearing and Enter (default 1500)")
    args = p.parse_args()
    print(f"load average before: {os.getloadavg()}")
    run(FLOOR)
    run(APP, args.data_dir, "0")  # warm the OS file cache once
    floors, apps, rushed = [], [], []
    for _ in range(args.runs):
        floors.append(run(FLOOR)["main"])
        apps.append(run(APP, args.data_dir, str(args.typing_ms)))
        rushed.append(run(APP, args.data_dir, "0"))
    med = statistics.median
    floor = med(floors)
    login_dialog = med(a["login_dialog"] for a in apps)
    enter_to_main = med(a["main"] - a["login_click"] for a in apps)
    enter_to_counts = med(a["counts"] - a["login_click"] for a in apps)
    rushed_main = med(a["main"] for a in rushed)
    rushed_counts = med(a["counts"] for a in rushed)
    print(f"runs: {args.runs} (medians), typing time {args.typing_ms} ms")
    print(f"floor, bare PySide6 window shown:          {floor:7.0f} ms")
    print(f"app, first window (login) shown:           {login_dialog:7.0f} ms  ({login_dialog / floor:.2f}× floor)")
    print(f"app, Enter -> main window shown:           {enter_to_main:7.0f} ms")
    print(f"app, Enter -> home page numbers loaded:    {enter_to_counts:7.0f} ms")
    print(f"app, no typing: start -> main window shown:{rushed_main:7.0f} ms  ({rushed_main / floor:.2f}× floor)")
    print(f"app, no typing: start -> numbers loaded:   {rushed_counts:7.0f} ms")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
