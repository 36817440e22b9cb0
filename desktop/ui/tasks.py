"""Run work off the UI thread and hand the result back to it.

One single-thread executor owns every database write (so writes never race
each other); reads run on a small pool. Callbacks always run on the UI thread,
and are skipped if the widget that asked has been deleted meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted from a worker is queued to it."""

    deliver = Signal(object, object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._on_deliver)

    @Slot(object, object, object, object)
    def _on_deliver(self, owner: object, callback: Callable, value: object, _unused: object) -> None:
        if owner is not None and not shiboken6.isValid(owner):
            return
        callback(value)


_RELAY: _Relay | None = None


def _shared_relay() -> _Relay:
    """One relay for the life of the process, made on the UI thread.

    A relay owned by each runner could be freed by whichever thread dropped the
    last reference to its runner (a worker finishing a task), which deletes a
    QObject outside its thread while queued deliveries still point at it.
    """
    global _RELAY
    if _RELAY is None:
        _RELAY = _Relay()
    return _RELAY


class TaskRunner:
    def __init__(self) -> None:
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._readers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="db-reader")
        self._relay = _shared_relay()
        self._closed = False

    def submit(self, fn: Callable[[], Any], on_done: Callback | None = None,
               on_error: ErrorCallback | None = None, *, write: bool = False,
               owner: QObject | None = None) -> Future:
        if self._closed:
            # A page that outlives its session (being torn down at logout) asks for more
            # work: nothing runs, nothing is delivered.
            future: Future = Future()
            future.cancel()
            return future
        pool = self._writer if write else self._readers
        future = pool.submit(fn)

        def finished(f: Future) -> None:
            if self._closed:
                return
            exc = f.exception()
            if exc is not None:
                if on_error is None:
                    log.error("background task failed", exc_info=exc)
                    return
                self._relay.deliver.emit(owner, on_error, exc, None)
            elif on_done is not None:
                self._relay.deliver.emit(owner, on_done, f.result(), None)

        future.add_done_callback(finished)
        return future

    def shutdown(self) -> None:
        self._closed = True
        self._readers.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)
