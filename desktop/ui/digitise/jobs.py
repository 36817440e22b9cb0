"""Long digitisation work off the UI thread: scanning, imports, straightening, PDFs, OCR.

The TaskRunner's pools are for the database (one writer, two readers); a scan
can take minutes, so it would hold a reader. A `BackgroundJob` runs one piece
of work on a thread of its own; what it reports (progress, pages as they
arrive, the result or the error) reaches the UI thread through one relay
object made on the UI thread (like the TaskRunner's), and is dropped when the
widget that asked was deleted meanwhile. `cancel()` sets a flag the work
checks (and calls the source's own `cancel`, which stops a scanner program);
`wait()` joins the thread (dialogs do it when they close, tests before they
end).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    deliver = Signal(object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._on_deliver)

    @Slot(object, object, object)
    def _on_deliver(self, owner: object, callback: Callable, value: object) -> None:
        if owner is not None and not shiboken6.isValid(owner):
            return
        try:
            callback(value)
        except Exception:  # noqa: BLE001 - a failing callback must not take the app down
            log.exception("digitisation callback failed")


_RELAY: _Relay | None = None


def relay() -> _Relay:
    """The process's relay; call once on the UI thread before any job starts."""
    global _RELAY
    if _RELAY is None:
        _RELAY = _Relay()
    return _RELAY


def post(owner: QObject | None, callback: Callable[[Any], None], value: object = None) -> None:
    """Call `callback(value)` on the UI thread (from any thread), unless `owner` is gone."""
    relay().deliver.emit(owner, callback, value)


def post_weak(ref: weakref.ref, method: str, value: object = None) -> None:
    """Like `post`, to a method of an object a worker holds only weakly.

    The worker never keeps the widget alive: after the emit the queued call
    holds it, so its last reference is always dropped on the UI thread.
    """
    owner = ref()
    if owner is not None:
        post(owner, getattr(owner, method), value)


class Cancelled(Exception):
    """The officer pressed Cancel; the work stopped where it was."""


class BackgroundJob:
    """One piece of long work on its own thread.

    `work(job)` runs on the thread; it may call `job.progress(done, total)`,
    `job.post(callback, value)` and check `job.cancelled` (or call
    `job.check()`, which raises `Cancelled`). Its return value goes to
    `on_done`, an exception to `on_error` (both on the UI thread, skipped when
    `owner` was deleted).
    """

    def __init__(self, owner: QObject, work: Callable[[BackgroundJob], Any], *,
                 on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 on_progress: Callable[[tuple[int, int]], None] | None = None,
                 name: str = "digitise") -> None:
        relay()  # made here, on the UI thread
        self.owner = owner
        self.work = work
        self.on_done = on_done
        self.on_error = on_error
        self.on_progress = on_progress
        self.name = name
        self._cancel = threading.Event()
        self._cancel_hooks: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None
        self.finished = threading.Event()

    # -- from the UI thread
    def start(self) -> BackgroundJob:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()
        for hook in list(self._cancel_hooks):
            try:
                hook()
            except Exception:  # noqa: BLE001 - best effort: the process may be gone already
                log.debug("cancel hook failed", exc_info=True)

    def wait(self, timeout: float | None = None) -> bool:
        return self.finished.wait(timeout)

    @property
    def running(self) -> bool:
        """Started and its thread not yet ended (until then the thread still holds the job)."""
        thread = self._thread
        return thread is not None and (not self.finished.is_set() or thread.is_alive())

    # -- from the work
    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Also call `hook` when cancelled (a scanner source's `cancel`)."""
        self._cancel_hooks.append(hook)
        if self._cancel.is_set():
            hook()

    def progress(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            post(self.owner, self.on_progress, (done, total))

    def post(self, callback: Callable[[Any], None], value: object = None) -> None:
        post(self.owner, callback, value)

    def _run(self) -> None:
        try:
            result = self.work(self)
        except BaseException as exc:  # noqa: BLE001 - reported on the UI thread
            if not isinstance(exc, Cancelled):
                log.info("digitisation job %s failed: %s", self.name, type(exc).__name__,
                         exc_info=not hasattr(exc, "message_vi"))
            if self.on_error is not None:
                post(self.owner, self.on_error, exc)
        else:
            if self.on_done is not None:
                post(self.owner, self.on_done, result)
        finally:
            self.finished.set()
