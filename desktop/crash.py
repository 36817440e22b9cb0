"""The crash handler: an unexpected error is saved as a report, never lost with the window.

`install(paths, notify)` hooks `sys.excepthook` and `threading.excepthook`. Each
uncaught error writes `logs/crash-<time>.txt` (version, platform, the traceback's
frames) and a log record, then calls `notify(report_path)` — the GUI shows a
friendly Vietnamese message (ui/crash_dialog.py) instead of vanishing.

Reports carry no personal data: frames are file, line and function only (no
local variables), and the exception's message is redacted — SQL parameters,
quoted strings and long numbers (ID numbers, phones) are replaced — since a
database error would otherwise quote a citizen's name or ID number.
"""

from __future__ import annotations

import logging
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from desktop import __version__
from desktop.paths import DataPaths

log = logging.getLogger(__name__)

_SQL_PARAMS = re.compile(r"\[parameters: .*?\]", re.DOTALL)
_SQL_TEXT = re.compile(r"\[SQL: .*?\]", re.DOTALL)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d{6,}")


def redact(message: str) -> str:
    """The exception message without what could be a citizen's data."""
    message = _SQL_PARAMS.sub("[parameters: …]", message)
    message = _SQL_TEXT.sub("[SQL: …]", message)
    message = _QUOTED.sub("'…'", message)
    return _NUMBER.sub("…", message)[:2000]


def report_text(exc_type: type[BaseException], exc: BaseException,
                tb: TracebackType | None, *, thread: str = "") -> str:
    frames = traceback.extract_tb(tb)
    lines = [
        "Một Cửa — báo cáo lỗi / crash report",
        f"time: {datetime.now().isoformat(timespec='seconds')}",
        f"version: {__version__}",
        f"python: {platform.python_version()} ({sys.executable if not getattr(sys, 'frozen', False) else 'frozen'})",
        f"platform: {platform.platform()}",
        f"thread: {thread or threading.current_thread().name}",
        "",
        "Traceback (most recent call last):",
    ]
    lines += [f'  File "{_short(f.filename)}", line {f.lineno}, in {f.name}' for f in frames]
    lines.append(f"{exc_type.__module__}.{exc_type.__qualname__}: {redact(str(exc))}")
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        lines.append(f"caused by {type(cause).__qualname__}: {redact(str(cause))}")
    return "\n".join(lines) + "\n"


def _short(filename: str) -> str:
    """Paths from the app's own folders only (a user's home folder is personal too)."""
    parts = Path(filename).parts
    for anchor in ("desktop", "sync", "forms", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor):])
    return Path(filename).name


def write_report(paths: DataPaths, text: str) -> Path | None:
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        path = paths.logs / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
        path.write_text(text, encoding="utf-8")
        return path
    except OSError:
        return None


def install(paths: DataPaths, notify: Callable[[Path | None], None] | None = None) -> None:
    """Route every uncaught error (any thread) to a saved report and `notify`."""

    def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
               thread: str = "") -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = report_text(exc_type, exc, tb, thread=thread)
        path = write_report(paths, text)
        log.error("uncaught %s; report %s", exc_type.__qualname__, path.name if path else "-")
        if notify is not None:
            try:
                notify(path)
            except Exception:  # noqa: BLE001 - the handler itself must never raise
                log.exception("crash notification failed")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        handle(args.exc_type, args.exc_value, args.exc_traceback,
               args.thread.name if args.thread else "")

    sys.excepthook = handle
    threading.excepthook = thread_hook
