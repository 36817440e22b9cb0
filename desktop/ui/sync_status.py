"""The Qt side of sync: rounds on a background thread, the status for the status bar.

`SyncStatusController` runs `sync.engine.SyncEngine.run_round` on a thread of
its own (network never on the UI thread) every `sync.interval_seconds` and on
demand ("Đồng bộ ngay"); the engine's database writes go through the app's
writer thread (`TaskRunner`, write=True), so one worker still owns every
write. Results come back to the UI thread as signals: `status_changed`
(offline / syncing / N waiting / synced / error, for the status bar) and
`round_finished` (the engine's RoundReport, for the sync page).

Signing in to the province (`sign_in`) also runs on that thread; the
password goes to the OS keyring only (sync/client.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.ui.context import UiContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    #: not_configured | offline | needs_login | syncing | waiting | synced | error
    state: str
    waiting: int = 0
    waiting_others: int = 0
    conflicts: int = 0
    #: The engine's Vietnamese explanation (tooltip, sync page).
    message: str = ""
    at: datetime | None = None


_ROUND_STATES = {"ok": "synced", "offline": "offline", "not_configured": "not_configured",
                 "needs_login": "needs_login", "error": "error", "cancelled": "waiting"}


class SyncStatusController(QObject):
    status_changed = Signal(object)  # SyncStatus
    round_finished = Signal(object)  # sync.engine.RoundReport
    signed_in = Signal(object)  # None on success, else the Vietnamese message
    signed_out = Signal(object)  # the same
    # From the sync thread to the UI thread (queued: this object lives on the UI thread).
    _deliver = Signal(object, object)

    def __init__(self, ctx: UiContext, parent: QObject | None = None, *,
                 interval_seconds: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status = SyncStatus("not_configured")
        self.last_report: Any = None
        self._fixed_interval = interval_seconds
        self._interval = interval_seconds
        self._stopped = True
        self._busy = False
        self._again = False
        self._force = False
        self._engine: Any = None
        self._client: Any = None
        self._client_key: tuple[str, str | None] | None = None
        self._thread: threading.Thread | None = None
        self._deliver.connect(self._on_deliver)
        self._timer = QTimer(self)
        self._timer.setInterval((interval_seconds or 60) * 1000)
        self._timer.timeout.connect(self.sync_now)

    # ------------------------------------------------------------------ control

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        self.refresh()
        QTimer.singleShot(0, self.sync_now)

    def stop(self) -> None:
        """No more rounds (logging out, closing); a round under way is asked to stop."""
        self._stopped = True
        self._timer.stop()
        engine = self._engine
        if engine is not None:
            engine.cancel()

    @property
    def busy(self) -> bool:
        return self._busy

    def sync_now(self, force: bool = False) -> None:
        """A round now (or right after the one under way). ``force`` ("Đồng bộ ngay"):
        changes waiting out their back-off after a failure are tried at once too."""
        if self._stopped:
            return
        self._force = self._force or force
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._run_in_thread(self._round_work, "round")

    def sign_in(self, password: str) -> None:
        """Log the officer in to the province (keyring); `signed_in` tells how it went."""
        self._run_in_thread(lambda: self._sign_in_work(password), "signed_in")

    def sign_out(self) -> None:
        """Forget this officer's province credentials on this PC (the outbox stays)."""
        self._run_in_thread(self._sign_out_work, "signed_out")

    def refresh(self) -> None:
        """Recount the waiting changes (after the officer's saves); keeps the last state."""
        from sync import queue

        store, officer_id = self.ctx.store, self.ctx.actor.officer_id

        def work() -> Any:
            with store.reading() as session:
                return queue.counts(session, officer_id)

        self.ctx.runner.submit(work, self._counted, lambda exc: log.warning(
            "counting the outbox failed", exc_info=exc), owner=self)

    # -------------------------------------------------------------- the thread

    def _run_in_thread(self, work: Callable[[], Any], kind: str) -> None:
        def run() -> None:
            try:
                result: Any = work()
            except BaseException as exc:  # noqa: BLE001 - reported to the UI thread
                log.warning("sync %s failed", kind, exc_info=exc)
                result = exc
            try:
                self._deliver.emit(kind, result)
            except RuntimeError:
                pass  # the window is gone

        thread = threading.Thread(target=run, name=f"sync-{kind}", daemon=True)
        if kind == "round":
            self._thread = thread
        thread.start()

    def _settings(self) -> tuple[str, str | None, int]:
        from desktop.services import settings

        with self.ctx.store.reading() as session:
            return (settings.get(session, "sync.server_url") or "",
                    settings.get(session, "sync.ca_bundle") or None,
                    int(settings.get(session, "sync.interval_seconds") or 60))

    def _username(self) -> str:
        from desktop.store.models import Officer

        with self.ctx.store.reading() as session:
            officer = session.get(Officer, self.ctx.actor.officer_id)
            return officer.username if officer is not None else ""

    def _connector(self) -> str:
        from desktop.services import settings

        with self.ctx.store.reading() as session:
            return settings.get(session, "sync.connector")

    def _client_for(self, url: str, ca_bundle: str | None) -> Any:
        """This protocol's client, or the national portal's (setting "sync.connector")."""
        from sync.client import SyncClient

        connector = self._connector()
        if self._client is None or self._client_key != (url, ca_bundle, connector):
            if self._client is not None:
                self._client.close()
            if connector == "dvcqg":
                from sync.connectors.dvcqg import PortalClient

                self._client = PortalClient(url, self.ctx.agency_code, self._username(),
                                            ca_bundle=ca_bundle)
            else:
                self._client = SyncClient(url, self.ctx.agency_code, self._username(),
                                          ca_bundle=ca_bundle)
            self._client_key = (url, ca_bundle, connector)
            self._engine = None
        return self._client

    def _write(self, fn: Callable[[], Any]) -> Any:
        """The engine's writes, on the app's writer thread (waited for here)."""
        return self.ctx.runner.submit(fn, lambda _r: None, lambda _e: None,
                                      write=True).result()

    def _round_work(self) -> Any:
        from sync.client import SyncError
        from sync.engine import RoundReport, make_engine

        url, ca_bundle, interval = self._settings()
        self._interval = self._fixed_interval or interval
        if not url:
            return RoundReport(state="not_configured")
        try:
            client = self._client_for(url, ca_bundle)
        except SyncError as exc:
            return RoundReport(state="error", message_vi=exc.message_vi)
        if self._force:
            self._force = False
            self._write(self._retry_failed_now)
        if self._engine is None:
            self._engine = make_engine(self.ctx.store, client, self.ctx.actor,
                                       run_write=self._write, progress=self._progress)
        return self._engine.run_round()

    def _retry_failed_now(self) -> int:
        from sync import queue

        with self.ctx.store.transaction() as session:
            return queue.retry_failed_now(session)

    def _progress(self, phase: str, waiting: int) -> None:
        try:
            self._deliver.emit("progress", waiting)
        except RuntimeError:
            pass

    def _sign_in_work(self, password: str) -> str | None:
        from sync.client import SyncError

        url, ca_bundle, _interval = self._settings()
        if not url:
            return "Chưa cấu hình địa chỉ máy chủ của tỉnh."
        try:
            self._client_for(url, ca_bundle).login(password)
        except SyncError as exc:
            return exc.message_vi
        return None

    def _sign_out_work(self) -> str | None:
        from sync.client import SyncError

        url, ca_bundle, _interval = self._settings()
        if not url:
            return None
        try:
            self._client_for(url, ca_bundle).forget_credentials()
        except SyncError as exc:
            return exc.message_vi
        return None

    # --------------------------------------------------------- back on the UI

    @Slot(object, object)
    def _on_deliver(self, kind: str, result: Any) -> None:
        if kind == "progress":
            self._set(SyncStatus("syncing", waiting=int(result),
                                 waiting_others=self.status.waiting_others,
                                 conflicts=self.status.conflicts))
        elif kind == "signed_in":
            message = None if result is None else getattr(result, "message_vi", str(result))
            self.signed_in.emit(message)
            if message is None:
                self.sync_now()
        elif kind == "signed_out":
            message = None if result is None else getattr(result, "message_vi", str(result))
            self.signed_out.emit(message)
        elif kind == "round":
            self._round_done(result)

    def _round_done(self, report: Any) -> None:
        self._busy = False
        if isinstance(report, BaseException):
            self._set(SyncStatus("error", self.status.waiting, self.status.waiting_others,
                                 self.status.conflicts,
                                 getattr(report, "message_vi", "") or str(report),
                                 datetime.now()))
        else:
            self.last_report = report
            state = _ROUND_STATES.get(report.state, "error")
            if state == "synced" and report.waiting:
                state = "waiting"
            self._set(SyncStatus(state, report.waiting, report.waiting_others,
                                 report.open_conflicts, report.summary_vi(),
                                 report.finished_at or datetime.now()))
            self.round_finished.emit(report)
        if self._interval and self._timer.interval() != self._interval * 1000:
            self._timer.setInterval(self._interval * 1000)
        if self._again and not self._stopped:
            self._again = False
            self.sync_now()

    def _counted(self, counts: Any) -> None:
        state = self.status.state
        if state in ("synced", "waiting"):
            state = "waiting" if counts.waiting else "synced"
        self._set(SyncStatus(state, counts.waiting, counts.waiting_others,
                             counts.open_conflicts, self.status.message, self.status.at))

    def _set(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # ------------------------------------------------------------------ text

    def status_text(self, status: SyncStatus | None = None) -> str:
        s = status or self.status
        n = s.waiting
        if s.state == "not_configured":
            text = self.tr(
                "Offline · province server not configured · {n} changes waiting").format(n=n)
        elif s.state == "offline":
            text = self.tr("Offline · {n} changes waiting").format(n=n)
        elif s.state == "needs_login":
            text = self.tr("Sign in to the province server to sync · {n} changes waiting"
                           ).format(n=n)
        elif s.state == "syncing":
            text = self.tr("Syncing · {n} changes waiting").format(n=n)
        elif s.state == "waiting":
            text = self.tr("{n} changes waiting to sync").format(n=n)
        elif s.state == "synced":
            at = s.at.strftime("%H:%M") if s.at else ""
            text = self.tr("Synced at {time}").format(time=at)
        else:
            text = self.tr("Sync error · {n} changes waiting").format(n=n)
        if s.conflicts:
            text = self.tr("{status} · {count} conflicts to review").format(
                status=text, count=s.conflicts)
        return text
