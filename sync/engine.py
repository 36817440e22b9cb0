"""The sync engine: one round = probe, reference data, push, pull, downloads, files,
number blocks, integrity.

Qt-free; it runs on a background thread of the GUI (desktop/ui/sync_status.py)
or in ``motcua sync``, never on the UI thread. The rules it follows (and the
conflict rules per field) are in ARCHITECTURE.md, "Sync with the province".

Push. The outbox is drained in id order, one dossier's items strictly in
order: an item is claimed (``in_flight``: the lock; its payload is frozen,
nothing else sends it) in one transaction, sent, and its answer written in
another. The desk's services may keep writing new items for a dossier whose
item is in flight: they queue behind it. Answers:

- applied / superseded → ``sent``; what the province now has of the dossier
  (version, status) goes to ``sync_dossiers``;
- 409 conflict (the province changed the dossier first) → the item and every
  other unsent item of the dossier become ``conflict`` (they were made on a
  state the province replaced), the province's record is applied locally,
  and a conflict entry keeps both sides;
- any other refusal (code taken, invalid, …) → ``conflict`` with the
  server's message and a *blocking* conflict entry: the dossier's later items
  are held until an officer resolves it or retries;
- no connection, a timeout, a cut answer, a 5xx → ``failed``, attempts + 1,
  ``next_attempt_at`` = now + exponential back-off with jitter (capped at ten
  minutes); that dossier waits, the others go on; after a few such errors in a
  row the round stops pushing (the line is down).

A process killed while an item was in flight leaves it ``in_flight``: a new
engine puts it back to ``pending`` and sends it again; the server answers a
repeated uid with its first answer, so nothing is applied twice.

Only the items of officers the engine has a client for are sent (the
officer who runs it, plus items of no officer); other officers' items stay
``pending`` for their own sync (a shared PC keeps each officer's outbox).

Pull. ``GET /pull?since=cursor``; each item is applied in its own transaction
with the cursor saved in that same transaction, so a repeat never applies an
item twice. Integrity. ``GET /integrity`` against the checksum of what the
desk knows the province has; on a mismatch the digests are paged, differing
dossiers re-fetched and repaired. Files. Digitised papers of dossiers whose
changes are all sent go up in chunks; after an interruption the server tells
which byte ranges it lacks and only those are sent. Downloads. Papers known only
by their SHA-256 (online dossiers) come down from the province, hash-checked.
Both file steps keep a position and read only papers new since. Reference data.
Once a day the catalogue and the official calendar, asked for by version.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import exists, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.services import audit, incoming, numbering, settings
from desktop.services.actor import Actor
from desktop.services.calendar import apply_province_calendar
from desktop.services.catalogue import refresh_catalogue
from desktop.services.dossiers import related, snapshot
from desktop.services.office import get_office
from desktop.store.database import Store
from desktop.store.files import FileStore
from desktop.store.models import (
    Attachment,
    Dossier,
    DossierComponent,
    NumberBlock,
    OutboxItem,
    OutboxState,
    Procedure,
    ProgressRow,
    StoredFile,
    SyncConflict,
    SyncDossier,
    SyncFile,
)
from sync import queue
from sync.client import (
    AuthRequired,
    ConflictRefused,
    KeyringUnavailable,
    NotConfigured,
    Offline,
    Refused,
    ServerBusy,
    SyncClient,
    SyncError,
)
from sync.protocol import (
    MAX_PROGRESS_BATCH,
    Change,
    ChangeAnswer,
    DossierRecord,
    FileStart,
    NumberBlockRequest,
    ProgressData,
    ProgressPush,
    PullItem,
    ReportUpload,
    integrity_checksum,
)

log = logging.getLogger("motcua.sync")

T = TypeVar("T")

BACKOFF_BASE = 5.0
BACKOFF_CAP = 600.0
#: Network errors in a row after which the round stops pushing (the line is down).
MAX_NETWORK_ERRORS = 3
CHUNK_SIZE = 1024 * 1024
PULL_LIMIT = 200
MAX_PULL_PAGES = 50
#: A new province number block is asked for when fewer numbers than this are left today.
BLOCK_THRESHOLD = 50
BLOCK_SIZE = 100
#: A full comparison of digests that found only other desks' dossiers is not repeated
#: more often than this while nothing changed here.
FOREIGN_RECHECK = timedelta(minutes=10)


#: The province's catalogue and calendar are asked for again after this long (a version
#: that did not change costs one small answer each).
REFERENCE_EVERY = timedelta(hours=24)
#: Rows read per page when a round looks through new papers (downloads, uploads).
SCAN_PAGE = 2000
#: Files of the province (online dossiers' papers) fetched per round, and the largest taken.
DOWNLOADS_PER_ROUND = 200
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
#: Who the desk records as having put an online dossier's file in (attachments).
ONLINE_FILE_OWNER = "Cổng dịch vụ công (nộp trực tuyến)"
#: Outbox kinds that do not belong to a dossier and how they travel (others wait, listed).
REPORT_KIND = "report.submit"
STANDALONE_KINDS = (REPORT_KIND,)


class Cancelled(Exception):
    """The round was asked to stop (logout, closing the app)."""


@dataclass
class RoundReport:
    """What one round did, for the status bar, the sync page and ``motcua sync``."""

    state: str = "ok"  # ok | offline | needs_login | not_configured | error | cancelled
    message_vi: str = ""
    started_at: datetime = field(default_factory=datetime.now)
    finished_at: datetime | None = None
    pushed: int = 0
    superseded: int = 0
    pulled: int = 0
    online_new: int = 0
    province_changes: int = 0
    files_uploaded: int = 0
    files_waiting: int = 0
    files_downloaded: int = 0
    catalogue_changes: int = 0
    calendar_changes: int = 0
    repaired: int = 0
    blocks_reserved: int = 0
    new_conflicts: int = 0
    open_conflicts: int = 0
    conflict_items: int = 0
    #: Unsent changes of the officers this round could send for / of other officers.
    waiting: int = 0
    waiting_others: int = 0
    failed: int = 0
    integrity_ok: bool | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def online(self) -> bool:
        return self.state not in ("offline", "not_configured")

    @property
    def ok(self) -> bool:
        """The round reached the province and left nothing of this officer behind."""
        return (self.state == "ok" and self.waiting == 0 and self.files_waiting == 0
                and self.integrity_ok is not False)

    def summary_vi(self) -> str:
        if self.state in ("offline", "not_configured", "needs_login", "error", "cancelled"):
            head = {
                "offline": "Không kết nối được với máy chủ của tỉnh",
                "not_configured": "Chưa cấu hình máy chủ của tỉnh",
                "needs_login": "Cần đăng nhập tài khoản đồng bộ",
                "error": "Đồng bộ không thành công",
                "cancelled": "Đã dừng đồng bộ",
            }[self.state]
            parts = [f"{head}: {self.message_vi}" if self.message_vi else f"{head}."]
        else:
            did = [f"gửi {self.pushed} thay đổi"]
            did += [text.format(n) for n, text in (
                (self.online_new, "nhận {} hồ sơ trực tuyến"),
                (self.province_changes, "nhận {} thay đổi trạng thái từ tỉnh"),
                (self.files_uploaded, "tải lên {} tệp"),
                (self.files_downloaded, "tải về {} tệp của hồ sơ trực tuyến"),
                (self.catalogue_changes, "cập nhật {} thủ tục theo danh mục của tỉnh"),
                (self.calendar_changes, "cập nhật {} ngày trong lịch làm việc"),
                (self.repaired, "sửa {} hồ sơ theo dữ liệu của tỉnh"),
            ) if n]
            if self.blocks_reserved:
                did.append("nhận thêm dãy số hồ sơ của tỉnh")
            check = {True: "đối chiếu với tỉnh: khớp", False: "đối chiếu với tỉnh: CHƯA KHỚP",
                     None: "chưa đối chiếu với tỉnh"}[self.integrity_ok]
            parts = [f"Đồng bộ xong: {', '.join(did)}; {check}."]
        if self.waiting:
            parts.append(f"Còn {self.waiting} thay đổi chờ gửi.")
        if self.waiting_others:
            parts.append(f"{self.waiting_others} thay đổi của cán bộ khác chờ họ đăng nhập "
                         "đồng bộ.")
        if self.files_waiting:
            parts.append(f"Còn {self.files_waiting} tệp chưa tải lên.")
        if self.open_conflicts:
            parts.append(f"Có {self.open_conflicts} xung đột cần xem (Đồng bộ › Xung đột).")
        parts.extend(self.problems)
        return " ".join(parts)


@dataclass(frozen=True)
class _Claimed:
    item_id: int
    uid: str
    kind: str
    payload: str
    created_at: datetime
    dossier_id: int
    dossier_uid: str
    procedure_code: str | None
    state_secret: bool


def _base_version(payload: str) -> int | None:
    try:
        return int(json.loads(payload)["dossier"]["version"]) - 1
    except (ValueError, KeyError, TypeError):
        return None


class SyncEngine:
    """Rounds of sync for one officer (``client`` holds their province login).

    ``other_clients``: officer id → client, to send other officers' items too
    (``motcua sync`` for every officer with stored credentials). ``run_write``
    runs a write unit of work (the GUI passes its writer thread; default: here).
    """

    def __init__(self, store: Store, client: SyncClient, officer: Actor, *,
                 other_clients: Mapping[int, SyncClient] | None = None,
                 run_write: Callable[[Callable[[], Any]], Any] | None = None,
                 clock: Callable[[], datetime] = datetime.now,
                 backoff_base: float = BACKOFF_BASE, backoff_cap: float = BACKOFF_CAP,
                 chunk_size: int = CHUNK_SIZE, pull_limit: int = PULL_LIMIT,
                 max_network_errors: int = MAX_NETWORK_ERRORS,
                 block_threshold: int = BLOCK_THRESHOLD, block_size: int = BLOCK_SIZE,
                 reference_every: timedelta = REFERENCE_EVERY,
                 rng: random.Random | None = None,
                 progress: Callable[[str, int], None] | None = None) -> None:
        self.store = store
        self.client = client
        self.officer = officer
        self.clients: dict[int | None, SyncClient] = {None: client}
        if officer.officer_id is not None:
            self.clients[officer.officer_id] = client
        for officer_id, other in (other_clients or {}).items():
            self.clients.setdefault(officer_id, other)
        self._run_write = run_write
        self.clock = clock
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.chunk_size = chunk_size
        self.pull_limit = pull_limit
        self.max_network_errors = max_network_errors
        self.block_threshold = block_threshold
        self.block_size = block_size
        self.reference_every = reference_every
        self.rng = rng or random.Random()
        self.progress = progress
        self.files = FileStore(store.paths)
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self.recovered = self._recover()

    # ----------------------------------------------------------------- plumbing

    def cancel(self) -> None:
        self._cancel.set()

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def _now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def _tx(self, fn: Callable[[Session], T]) -> T:
        def work() -> T:
            with self.store.transaction() as session:
                return fn(session)

        return self._run_write(work) if self._run_write is not None else work()

    def _recover(self) -> int:
        """Items left in flight by a process that died: back to pending (sent again, safely)."""
        def tx(session: Session) -> int:
            items = session.execute(select(OutboxItem).where(
                OutboxItem.state == OutboxState.IN_FLIGHT)).scalars().all()
            for item in items:
                item.state = OutboxState.PENDING
            return len(items)

        n = self._tx(tx)
        if n:
            log.info("sync: %d item(s) left in flight by an earlier run put back in the queue", n)
        return n

    def backoff(self, attempts: int) -> timedelta:
        """Exponential back-off with jitter: base·2^(n−1), capped, times a random 0.5–1."""
        delay = min(self.backoff_cap, self.backoff_base * 2 ** max(0, attempts - 1))
        return timedelta(seconds=delay * (0.5 + self.rng.random() / 2))

    def _client_for(self, officer_id: int | None) -> SyncClient | None:
        return self.clients.get(officer_id)

    # -------------------------------------------------------------------- round

    def run_round(self) -> RoundReport:
        """One round; never raises for sync problems (they are in the report)."""
        with self._lock:
            self._cancel.clear()
            report = RoundReport(started_at=self._now())
            try:
                self._round(report)
            except Cancelled:
                report.state = "cancelled"
            except NotConfigured as exc:
                report.state, report.message_vi = "not_configured", exc.message_vi
            except AuthRequired as exc:
                report.state, report.message_vi = "needs_login", exc.message_vi
            except (Offline, ServerBusy) as exc:
                report.state, report.message_vi = "offline", exc.message_vi
            except KeyringUnavailable as exc:
                report.state, report.message_vi = "error", exc.message_vi
            except SyncError as exc:
                report.state, report.message_vi = "error", exc.message_vi
            finally:
                self._count(report)
                report.finished_at = self._now()
            log.info("sync round: %s pushed=%d pulled=%d files=%d repaired=%d waiting=%d "
                     "conflicts=%d", report.state, report.pushed, report.pulled,
                     report.files_uploaded, report.repaired, report.waiting,
                     report.open_conflicts)
            return report

    def _round(self, report: RoundReport) -> None:
        self.client.probe()
        self._check_cancel()
        self._reference_data(report)
        self._check_cancel()
        if self.progress is not None:
            with self.store.reading() as session:
                self.progress("push", queue.counts(session, self.officer.officer_id).waiting)
        self._push(report)
        self._check_cancel()
        self._pull(report)
        self._check_cancel()
        self._retry_pull_conflicts(report)
        self._finish_resends()
        self._downloads(report)
        self._check_cancel()
        self._files(report)
        self._check_cancel()
        self._blocks(report)
        self._check_cancel()
        self._integrity(report)

    def _count(self, report: RoundReport) -> None:
        try:
            with self.store.reading() as session:
                sendable = (OutboxItem.dossier_id.is_not(None)
                            | OutboxItem.kind.in_(STANDALONE_KINDS))
                rows = session.execute(
                    select(OutboxItem.officer_id, OutboxItem.state, func.count())
                    .where(OutboxItem.state.in_(queue.UNSENT), sendable)
                    .group_by(OutboxItem.officer_id, OutboxItem.state)).all()
                unsupported = session.execute(
                    select(OutboxItem.kind, func.count())
                    .where(OutboxItem.state.in_(queue.UNSENT), ~sendable)
                    .group_by(OutboxItem.kind)).all()
                c = queue.counts(session, self.officer.officer_id)
        except Exception:  # noqa: BLE001 - the report is still worth having
            log.warning("sync: counting the queue failed", exc_info=True)
            return
        report.waiting = sum(n for who, _s, n in rows if who in self.clients)
        report.waiting_others = sum(n for who, _s, n in rows if who not in self.clients)
        report.failed = sum(n for _w, s, n in rows if s == OutboxState.FAILED)
        report.open_conflicts = c.open_conflicts
        report.conflict_items = c.conflict_items
        for kind, n in unsupported:
            report.problems.append(f"{n} mục «{queue.kind_label(kind)}» chưa gửi được: phiên bản "
                                   "này chưa có cách gửi loại dữ liệu đó lên tỉnh (vẫn được giữ).")

    # --------------------------------------------------------------------- push

    def _push(self, report: RoundReport) -> None:
        now = self._now()
        with self.store.reading() as session:
            rows = session.execute(
                select(OutboxItem.id, OutboxItem.dossier_id, OutboxItem.officer_id,
                       OutboxItem.state, OutboxItem.next_attempt_at, OutboxItem.kind)
                .where(OutboxItem.state.in_((OutboxState.PENDING, OutboxState.FAILED)))
                .order_by(OutboxItem.id)).all()
            blocked = set(session.execute(select(SyncConflict.dossier_id).where(
                SyncConflict.resolved_at.is_(None), SyncConflict.blocking.is_(True),
                SyncConflict.dossier_id.is_not(None))).scalars())
            # An item in conflict with its later items pending also holds them: the
            # dossier waits for its conflict entry (refusals) or was refused whole.
        by_dossier: dict[int | str, list[Any]] = {}
        for row in rows:
            if row.dossier_id is not None:
                by_dossier.setdefault(row.dossier_id, []).append(row)
            elif row.kind in STANDALONE_KINDS:
                by_dossier[f"item-{row.id}"] = [row]  # on its own: no order to keep
            # any other kind waits (counted apart in the report)
        network_errors = 0
        unusable: set[int | None] = set()
        for dossier_id, items in by_dossier.items():
            if dossier_id in blocked:
                continue
            for row in items:
                self._check_cancel()
                if (row.state == OutboxState.FAILED and row.next_attempt_at is not None
                        and row.next_attempt_at > now):
                    break  # backing off: the dossier waits, in order
                client = self._client_for(row.officer_id)
                if client is None or row.officer_id in unusable:
                    break  # another officer's change: it goes with their sync
                try:
                    if row.dossier_id is None:
                        outcome = self._send_standalone(row.id, client, report)
                    else:
                        outcome = self._send(row.id, client, report)
                except AuthRequired as exc:
                    if client is self.client:
                        raise
                    unusable.add(row.officer_id)
                    report.problems.append(f"Tài khoản đồng bộ của một cán bộ khác cần đăng "
                                           f"nhập lại ({exc.message_vi}).")
                    break
                if outcome == "sent":
                    network_errors = 0
                    continue
                if outcome == "network":
                    network_errors += 1
                    if network_errors >= self.max_network_errors:
                        raise Offline("Mất kết nối với máy chủ của tỉnh trong khi gửi.")
                break

    def _claim(self, session: Session, item_id: int) -> _Claimed | None:
        item = session.get(OutboxItem, item_id)
        if item is None or item.state not in (OutboxState.PENDING, OutboxState.FAILED):
            return None
        dossier = session.get_one(Dossier, item.dossier_id)
        item.state = OutboxState.IN_FLIGHT
        procedure_code = None
        try:
            pid = json.loads(item.payload)["dossier"].get("procedure_id")
        except (ValueError, KeyError, TypeError, AttributeError):
            pid = None
        if pid is not None:
            procedure_code = session.execute(select(Procedure.code).where(
                Procedure.id == pid)).scalar_one_or_none()
        return _Claimed(item.id, item.uid, item.kind, item.payload, item.created_at, dossier.id,
                        dossier.uid, procedure_code, bool(dossier.state_secret))

    def _send(self, item_id: int, client: SyncClient, report: RoundReport) -> str:
        claimed = self._tx(lambda s: self._claim(s, item_id))
        if claimed is None:
            return "skipped"
        try:
            if claimed.state_secret:
                # Marked state secret while queued: it never leaves the office.
                self._tx(lambda s: self._withdraw(s, claimed))
                return "skipped"
            try:
                change = Change.from_outbox(
                    uid=claimed.uid, kind=claimed.kind, dossier_uid=claimed.dossier_uid,
                    payload=claimed.payload, created_at=claimed.created_at,
                    procedure_code=claimed.procedure_code)
            except (ValidationError, ValueError, KeyError, TypeError) as exc:
                self._tx(lambda s, e=exc: self._refuse_locally(s, claimed, e))
                report.new_conflicts += 1
                return "refused"
            try:
                answer = client.push_change(change)
            except ConflictRefused as exc:
                self._tx(lambda s, e=exc: self._conflicted(s, claimed, e))
                report.new_conflicts += 1
                return "conflict"
            except AuthRequired:
                self._tx(lambda s: self._release(s, claimed))
                raise
            except Refused as exc:
                if exc.status == 429:
                    self._tx(lambda s, e=exc: self._failed(s, claimed, e))
                    return "network"
                self._tx(lambda s, e=exc: self._refused(s, claimed, e))
                report.new_conflicts += 1
                return "refused"
            except (Offline, ServerBusy) as exc:
                self._tx(lambda s, e=exc: self._failed(s, claimed, e))
                return "network"
            self._tx(lambda s: self._sent(s, claimed, answer))
            report.pushed += 1
            if answer.outcome == "superseded":
                report.superseded += 1
            return "sent"
        except BaseException:
            # Whatever went wrong here (cancel, a bug): never leave the item locked.
            try:
                self._tx(lambda s: self._release(s, claimed))
            except Exception:  # noqa: BLE001 - the next engine's recovery will do it
                log.warning("sync: could not put item %s back in the queue", claimed.uid)
            raise

    def _send_standalone(self, item_id: int, client: SyncClient, report: RoundReport) -> str:
        """An item that belongs to no dossier: a periodic report (``report.submit``)."""
        def claim(session: Session) -> tuple[str, str, datetime] | None:
            item = session.get(OutboxItem, item_id)
            if item is None or item.state not in (OutboxState.PENDING, OutboxState.FAILED):
                return None
            item.state = OutboxState.IN_FLIGHT
            return item.uid, item.payload, item.created_at

        got = self._tx(claim)
        if got is None:
            return "skipped"
        uid, payload, created_at = got
        claimed = _Claimed(item_id, uid, REPORT_KIND, payload, created_at, 0, "", None, False)
        try:
            try:
                upload = report_upload(payload, created_at)
            except (ValidationError, ValueError, KeyError, TypeError) as exc:
                self._tx(lambda s, e=exc: self._refuse_standalone(s, claimed, "invalid_local",
                                                                  type(e).__name__))
                report.new_conflicts += 1
                return "refused"
            try:
                client.upload_report(upload)
            except AuthRequired:
                self._tx(lambda s: self._release(s, claimed))
                raise
            except Refused as exc:
                self._tx(lambda s, e=exc: self._refuse_standalone(s, claimed, e.answer.code,
                                                                  e.message_vi))
                report.new_conflicts += 1
                return "refused"
            except (Offline, ServerBusy) as exc:
                self._tx(lambda s, e=exc: self._failed(s, claimed, e))
                return "network"

            def sent(session: Session) -> None:
                item = self._item(session, claimed)
                item.state = OutboxState.SENT
                item.sent_at = self._now()
                item.attempts += 1
                item.last_error = ""
                item.next_attempt_at = None

            self._tx(sent)
            report.pushed += 1
            return "sent"
        except BaseException:
            try:
                self._tx(lambda s: self._release(s, claimed))
            except Exception:  # noqa: BLE001
                log.warning("sync: could not put item %s back in the queue", uid)
            raise

    def _refuse_standalone(self, session: Session, claimed: _Claimed, code: str,
                           message: str) -> None:
        now = self._now()
        item = self._item(session, claimed)
        item.state = OutboxState.CONFLICT
        item.attempts += 1
        item.last_error = message
        queue.record_conflict(
            session, kind="refused", code=code, at=now, dossier_uid="",
            message=f"Tỉnh không nhận báo cáo định kỳ đã chốt: {message}",
            local_data={"changes": queue.describe([item])}, outbox_uid=item.uid,
            officer_id=item.officer_id)

    def _item(self, session: Session, claimed: _Claimed) -> OutboxItem:
        return session.get_one(OutboxItem, claimed.item_id)

    def _release(self, session: Session, claimed: _Claimed) -> None:
        item = session.get(OutboxItem, claimed.item_id)
        if item is not None and item.state == OutboxState.IN_FLIGHT:
            item.state = OutboxState.PENDING

    def _withdraw(self, session: Session, claimed: _Claimed) -> None:
        item = session.get(OutboxItem, claimed.item_id)
        if item is not None:
            session.delete(item)
        log.info("sync: item %s withdrawn (state secret)", claimed.uid)

    def _sent(self, session: Session, claimed: _Claimed, answer: ChangeAnswer) -> None:
        now = self._now()
        item = self._item(session, claimed)
        item.state = OutboxState.SENT
        item.sent_at = now
        item.attempts += 1
        item.last_error = ""
        item.next_attempt_at = None
        sync_row = session.get(SyncDossier, claimed.dossier_id)
        if sync_row is None or answer.version >= sync_row.server_version:
            incoming.mark_synced(session, claimed.dossier_id, version=answer.version,
                                 status=answer.status, at=now)

    def _failed(self, session: Session, claimed: _Claimed, exc: SyncError) -> None:
        now = self._now()
        item = self._item(session, claimed)
        item.state = OutboxState.FAILED
        item.attempts += 1
        item.last_error = exc.message_vi
        item.next_attempt_at = now + self.backoff(item.attempts)

    def _refused(self, session: Session, claimed: _Claimed, exc: Refused) -> None:
        now = self._now()
        item = self._item(session, claimed)
        item.state = OutboxState.CONFLICT
        item.attempts += 1
        item.last_error = exc.message_vi
        item.next_attempt_at = None
        dossier = session.get_one(Dossier, claimed.dossier_id)
        queue.record_conflict(
            session, kind="refused", code=exc.answer.code, at=now, dossier=dossier,
            message=(f"Tỉnh không nhận thay đổi «{queue.kind_label(item.kind)}» của hồ sơ "
                     f"{dossier.code or dossier.uid[:8]}: {exc.message_vi} Các thay đổi sau "
                     "của hồ sơ này tạm dừng cho đến khi cán bộ xem và gửi lại."),
            server_data=exc.answer.model_dump(mode="json"),
            local_data={"changes": queue.describe([item])}, outbox_uid=item.uid,
            officer_id=item.officer_id, blocking=True)

    def _refuse_locally(self, session: Session, claimed: _Claimed, exc: Exception) -> None:
        now = self._now()
        item = self._item(session, claimed)
        item.state = OutboxState.CONFLICT
        item.last_error = "Thay đổi này không đúng khuôn dạng gửi lên tỉnh."
        dossier = session.get_one(Dossier, claimed.dossier_id)
        queue.record_conflict(
            session, kind="refused", code="invalid_local", at=now, dossier=dossier,
            message=(f"Thay đổi «{queue.kind_label(item.kind)}» của hồ sơ "
                     f"{dossier.code or dossier.uid[:8]} không đúng khuôn dạng gửi lên tỉnh "
                     "nên chưa gửi. Hãy báo cho quản trị hệ thống."),
            local_data={"changes": queue.describe([item]), "error": type(exc).__name__},
            outbox_uid=item.uid, officer_id=item.officer_id, blocking=True)

    def _conflicted(self, session: Session, claimed: _Claimed, exc: ConflictRefused) -> None:
        """409 conflict: the province wins; the desk's unsent changes are kept as refused."""
        now = self._now()
        answer = exc.answer
        dossier = session.get_one(Dossier, claimed.dossier_id)
        local_before = snapshot(dossier)
        item = self._item(session, claimed)
        officer_id = item.officer_id
        label = Status(answer.server.dossier.status).label
        refused = queue.refuse_unsent(
            session, dossier.id,
            f"Không gửi: tỉnh đã chuyển hồ sơ sang «{label}» trước (xem Đồng bộ › Xung đột).")
        item.attempts += 1
        item.last_error = answer.message_vi
        incoming.apply_record(session, dossier, answer.server.model_dump(), at=now)
        labels = ", ".join(queue.kind_label(i.kind) for i in refused)
        queue.record_conflict(
            session, kind="conflict", code="conflict", at=now, dossier=dossier,
            message=(f"{answer.message_vi} Tỉnh: «{label}». Không gửi {len(refused)} thay đổi "
                     f"của xã ({labels}); hồ sơ trên máy này đã theo trạng thái của tỉnh."),
            server_data={"record": answer.server.model_dump(mode="json"),
                         "province_changes": [c.model_dump(mode="json")
                                              for c in answer.province_changes]},
            local_data={"dossier": local_before, "changes": queue.describe(refused)},
            outbox_uid=claimed.uid, officer_id=officer_id, blocking=False)
        log.info("sync: conflict on %s (%d change(s) kept as refused)", claimed.dossier_uid,
                 len(refused))

    # --------------------------------------------------------------------- pull

    def _pull(self, report: RoundReport) -> None:
        with self.store.reading() as session:
            cursor = int(settings.get(session, "sync.cursor") or 0)
        catalogue_fetched = False
        for _page in range(MAX_PULL_PAGES):
            self._check_cancel()
            answer = self.client.pull(cursor, self.pull_limit)
            for item in answer.items:
                self._check_cancel()
                try:
                    self._tx(lambda s, it=item: self._apply_pulled(s, it, report))
                except incoming.UnknownProcedure:
                    if not catalogue_fetched:
                        catalogue_fetched = True
                        self._fetch_catalogue()
                    try:
                        self._tx(lambda s, it=item: self._apply_pulled(s, it, report))
                    except incoming.UnknownProcedure as exc:
                        self._tx(lambda s, it=item, e=exc: self._pull_failed(s, it, e))
                        report.new_conflicts += 1
                cursor = item.cursor
            if not answer.has_more:
                break

    def _apply_pulled(self, session: Session, item: PullItem, report: RoundReport) -> None:
        now = self._now()
        if item.cursor <= int(settings.get(session, "sync.cursor") or 0):
            return  # applied already (exactly once: the cursor moves in the same transaction)
        record = item.record.model_dump()
        dossier = incoming.find(session, item.dossier_uid)
        if item.kind == "online_dossier" and dossier is None:
            if incoming.create_online(session, record, at=now) is not None:
                report.online_new += 1
        elif dossier is not None:
            self._apply_province_record(session, dossier, record, now, report)
        else:
            log.info("sync: pulled %s for a dossier not on this desk: %s", item.kind,
                     item.dossier_uid)
        settings.put(session, "sync.cursor", item.cursor)
        report.pulled += 1

    def _apply_province_record(self, session: Session, dossier: Dossier,
                               record: dict[str, Any], now: datetime,
                               report: RoundReport) -> None:
        sync_row = session.get(SyncDossier, dossier.id)
        known = sync_row.server_version if sync_row is not None else 0
        if int(record["version"]) <= known:
            incoming.add_progress_rows(session, dossier.id, record.get("progress") or [])
            return
        unsent = list(session.execute(select(OutboxItem).where(
            OutboxItem.dossier_id == dossier.id, OutboxItem.state.in_(queue.UNSENT))
            .order_by(OutboxItem.id)).scalars())
        local_before = snapshot(dossier)
        label = Status(int(record["dossier"]["status"])).label
        if unsent:
            refused = queue.refuse_unsent(
                session, dossier.id,
                f"Không gửi: tỉnh đã chuyển hồ sơ sang «{label}» (xem Đồng bộ › Xung đột).")
            labels = ", ".join(queue.kind_label(i.kind) for i in refused)
            queue.record_conflict(
                session, kind="province_status", code="province_status", at=now,
                dossier=dossier,
                message=(f"Tỉnh đã chuyển hồ sơ {dossier.code or dossier.uid[:8]} sang "
                         f"«{label}» khi xã còn {len(refused)} thay đổi chưa gửi ({labels}). "
                         "Các thay đổi đó không được gửi; hồ sơ trên máy này đã theo trạng "
                         "thái của tỉnh."),
                server_data={"record": _jsonable(record)},
                local_data={"dossier": local_before, "changes": queue.describe(refused)},
                officer_id=refused[0].officer_id, blocking=False)
            report.new_conflicts += 1
        incoming.apply_record(session, dossier, record, at=now)
        report.province_changes += 1

    def _pull_failed(self, session: Session, item: PullItem,
                     exc: incoming.UnknownProcedure) -> None:
        """An online dossier the desk cannot take yet: listed (and tried again each round)."""
        now = self._now()
        if item.cursor <= int(settings.get(session, "sync.cursor") or 0):
            return
        queue.record_conflict(session, kind="pull", code="unknown_procedure", at=now,
                              dossier_uid=item.dossier_uid, message=exc.message_vi,
                              server_data={"record": item.record.model_dump(mode="json")})
        settings.put(session, "sync.cursor", item.cursor)

    def _retry_pull_conflicts(self, report: RoundReport) -> None:
        with self.store.reading() as session:
            open_pulls = session.execute(select(SyncConflict.id, SyncConflict.dossier_uid).where(
                SyncConflict.kind == "pull", SyncConflict.resolved_at.is_(None))).all()
        if open_pulls:
            self._fetch_catalogue()
        for conflict_id, uid in open_pulls:
            try:
                record = self.client.dossier(uid)
            except Refused:
                continue

            def tx(session: Session, cid: int = conflict_id, rec: DossierRecord = record) -> bool:
                now = self._now()
                try:
                    if incoming.find(session, rec.dossier.uid) is None:
                        incoming.create_online(session, rec.model_dump(), at=now)
                        report.online_new += 1
                except incoming.UnknownProcedure:
                    return False
                row = session.get_one(SyncConflict, cid)
                row.resolved_at = now
                return True

            self._tx(tx)

    def _finish_resends(self) -> None:
        """After a dossier the province had lost went up again: its progress rows too."""
        unsent = exists().where(OutboxItem.dossier_id == SyncConflict.dossier_id,
                                OutboxItem.state.in_(queue.UNSENT))
        with self.store.reading() as session:
            rows = session.execute(select(SyncConflict.id, SyncConflict.dossier_uid).where(
                SyncConflict.kind == "server_missing", SyncConflict.code == "server_missing",
                ~unsent)).all()
        for conflict_id, uid in rows:
            self._check_cancel()
            try:
                record = self.client.dossier(uid)
            except Refused:
                continue
            self._push_missing_progress(uid, record)

            def tx(session: Session, cid: int = conflict_id) -> None:
                session.get_one(SyncConflict, cid).code = "server_missing_sent"

            self._tx(tx)

    def _fetch_versioned(self, key: str, fetch: Callable[[str | None], Any],
                         apply: Callable[[Session, Any], int]) -> int:
        """Reference data asked for by the version the desk has (setting ``key``): an
        unchanged answer costs nothing more; a new one is applied with its version in one
        transaction. Returns what ``apply`` counted as changed."""
        with self.store.reading() as session:
            known = settings.get(session, key) or None
        answer = fetch(known)
        if answer.unchanged:
            return 0

        def tx(session: Session) -> int:
            changed = apply(session, answer)
            settings.put(session, key, answer.version)
            return changed

        return self._tx(tx)

    def _fetch_catalogue(self) -> int:
        """The province's catalogue, when its version changed; the procedures it changed."""
        def apply(session: Session, answer: Any) -> int:
            done = refresh_catalogue(
                session, incoming.PROVINCE,
                {"procedures": [p.model_dump(mode="json") for p in answer.procedures]},
                at=self._now())
            return len(done.added) + len(done.updated)

        return self._fetch_versioned("sync.catalogue_version", self.client.catalogue, apply)

    def _fetch_calendar(self) -> int:
        """The province's official calendar, when its version changed; the days it changed."""
        def apply(session: Session, answer: Any) -> int:
            counts = apply_province_calendar(session, incoming.PROVINCE,
                                             answer.to_holiday_table(), at=self._now())
            return counts["added"] + counts["changed"] + counts["removed"]

        return self._fetch_versioned("sync.calendar_version", self.client.calendar, apply)

    def _reference_data(self, report: RoundReport) -> None:
        """Catalogue and calendar from the province, once a day (``REFERENCE_EVERY``).

        A refusal is noted in the report and tried again next round; the time of the
        last good check is saved only once both came.
        """
        now = self._now()
        with self.store.reading() as session:
            checked = settings.get(session, "sync.reference_checked_at")
        if checked and now - datetime.fromisoformat(checked) < self.reference_every:
            return
        try:
            report.catalogue_changes += self._fetch_catalogue()
            report.calendar_changes += self._fetch_calendar()
        except Refused as exc:
            report.problems.append(f"Chưa cập nhật được danh mục, lịch làm việc của tỉnh: "
                                   f"{exc.message_vi}")
            return
        self._tx(lambda s: settings.put(s, "sync.reference_checked_at", now.isoformat()))

    # -------------------------------------------------------------------- files

    def _scan(self, key: str, page: Callable[[Session, int, int], list[Any]],
              row_id: Callable[[Any], int]) -> Generator[tuple[Any, Callable[[], None]]]:
        """Rows of a growing table from the saved position ``key`` on, page by page.

        Each row comes with a ``hold`` callback: call it when the row still needs work
        (a file that waits). The position saved at the end is the first held row, or
        past the last row seen: a desk with a million dossiers scans only what is new
        since the last round, not all its papers every minute.
        """
        with self.store.reading() as session:
            position = int(settings.get(session, key) or 0)
        held: list[int] = []
        last = position - 1
        try:
            while True:
                with self.store.reading() as session:
                    rows = page(session, last + 1, SCAN_PAGE)
                for row in rows:
                    last = row_id(row)
                    yield row, lambda i=last: held.append(i)
                if len(rows) < SCAN_PAGE:
                    break
        finally:
            new = min(held) if held else last + 1
            if new != position:
                self._tx(lambda s: settings.put(s, key, new))

    def _downloads(self, report: RoundReport) -> None:
        """The province's files of papers this desk has only by hash (online dossiers).

        Each is checked against its SHA-256 before it is kept; it becomes the
        component's attachment (by "the portal"), and the province is known to have it
        (it is never sent back). A file the province lacks or that is too large is
        noted in the report and tried again in a later round.
        """
        def page(session: Session, after: int, limit: int) -> list[Any]:
            return list(session.execute(
                select(DossierComponent.id, DossierComponent.file_sha256, Dossier.state_secret,
                       exists().where(Attachment.component_id == DossierComponent.id,
                                      Attachment.sha256 == DossierComponent.file_sha256,
                                      Attachment.removed_at.is_(None)),
                       exists().where(StoredFile.sha256 == DossierComponent.file_sha256))
                .join(Dossier, Dossier.id == DossierComponent.dossier_id)
                .where(DossierComponent.id >= after, DossierComponent.file_sha256.is_not(None))
                .order_by(DossierComponent.id).limit(limit)))

        rows = self._scan("sync.downloads_from", page, lambda r: r[0])
        try:
            self._download_rows(rows, report)
        finally:
            rows.close()  # saves the position now, even when the line broke

    def _download_rows(self, rows: Iterator[tuple[Any, Callable[[], None]]],
                       report: RoundReport) -> None:
        fetched: dict[str, bytes | None] = {}
        errors = 0
        for (component_id, sha, secret, linked, stored), hold in rows:
            if linked or secret:
                continue  # the paper is attached (digitised here, or downloaded before)
            if stored:  # the file is here already (another dossier's paper): link it
                self._tx(lambda s, cid=component_id, h=sha: self._keep_download(s, cid, h, None))
                continue
            if len(fetched) >= DOWNLOADS_PER_ROUND and sha not in fetched:
                hold()  # the next round goes on from here
                continue
            self._check_cancel()
            if sha not in fetched:
                try:
                    fetched[sha] = self.client.file_content(sha, max_bytes=MAX_DOWNLOAD_BYTES)
                except (Refused, Offline, ServerBusy) as exc:
                    fetched[sha] = None
                    hold()
                    log.info("sync: file %s not downloaded: %s", sha[:12], exc.detail)
                    if isinstance(exc, Refused):
                        report.problems.append("Chưa tải về được một tệp của hồ sơ trực tuyến: "
                                               f"{exc.message_vi}")
                        continue
                    errors += 1
                    if errors >= self.max_network_errors:
                        raise Offline("Mất kết nối với máy chủ của tỉnh khi tải tệp về.") from exc
                    continue
                self.files.put(fetched[sha])  # type: ignore[arg-type]  # checked, atomic
            data = fetched[sha]
            if data is None:
                hold()
                continue
            self._tx(lambda s, cid=component_id, h=sha, d=data: self._keep_download(s, cid, h, d))
            report.files_downloaded += 1

    def _keep_download(self, session: Session, component_id: int, sha: str,
                       data: bytes | None) -> None:
        """Attach a province file to its component (``data`` None: the file is stored
        here already)."""
        component = session.get(DossierComponent, component_id)
        if component is None or component.file_sha256 != sha:
            return  # changed meanwhile
        now = self._now()
        if data is not None:
            pdf = data.startswith(b"%PDF-")
            session.execute(sqlite_insert(StoredFile).values(
                sha256=sha, size=len(data), pages=_pdf_pages(data) if pdf else 1,
                mime="application/pdf" if pdf else _media_type(data), created_at=now,
                created_by=None).on_conflict_do_nothing())
        size = session.get_one(StoredFile, sha).size
        session.execute(sqlite_insert(SyncFile).values(sha256=sha, uploaded_at=now)
                        .on_conflict_do_nothing())
        live = session.execute(select(Attachment.id).where(
            Attachment.component_id == component_id, Attachment.sha256 == sha,
            Attachment.removed_at.is_(None))).first()
        if live is None:
            session.add(Attachment(
                uid=str(uuid.uuid4()), dossier_id=component.dossier_id,
                component_id=component_id, kind="component", sha256=sha,
                state=component.digitisation_state or 1, digitised_at=now, officer_id=None,
                officer_name=ONLINE_FILE_OWNER))
        dossier = session.get_one(Dossier, component.dossier_id)
        audit.record(session, incoming.PROVINCE, "sync.file_download", "dossier",
                     dossier.code or dossier.uid,
                     after={"component_id": component_id, "file_sha256": sha,
                            "size": size}, at=now)

    # -------------------------------------------------------------------- files

    def _files(self, report: RoundReport) -> None:
        """Digitised papers go up once their dossier's changes are all sent (the province
        then knows what the file belongs to); each file once, by its SHA-256."""
        unsent = exists().where(OutboxItem.dossier_id == Dossier.id,
                                OutboxItem.state.in_(queue.UNSENT))

        def page(session: Session, after: int, limit: int) -> list[Any]:
            return list(session.execute(
                select(Attachment.id, Attachment.sha256, StoredFile.size, StoredFile.mime,
                       Dossier.uid, Dossier.state_secret, SyncDossier.dossier_id.is_not(None),
                       unsent, exists().where(SyncFile.sha256 == Attachment.sha256))
                .join(StoredFile, StoredFile.sha256 == Attachment.sha256)
                .join(Dossier, Dossier.id == Attachment.dossier_id)
                .outerjoin(SyncDossier, SyncDossier.dossier_id == Dossier.id)
                .where(Attachment.id >= after, Attachment.removed_at.is_(None))
                .order_by(Attachment.id).limit(limit)))

        rows = self._scan("sync.files_from", page, lambda r: r[0])
        try:
            errors = self._upload_rows(rows, report)
        finally:
            rows.close()  # saves the position
        if errors >= self.max_network_errors:
            raise Offline("Mất kết nối với máy chủ của tỉnh khi tải tệp lên.")

    def _upload_rows(self, rows: Iterator[tuple[Any, Callable[[], None]]],
                     report: RoundReport) -> int:
        seen: set[str] = set()
        errors = 0
        for (_id, sha, size, mime, dossier_uid, secret, known, waits, held), hold in rows:
            if held or secret or sha in seen:
                continue  # the province has it; never sent; or just sent for another paper
            if not known or waits:
                hold()  # after the dossier's own changes
                continue
            if errors >= self.max_network_errors:
                hold()
                report.files_waiting += 1
                continue
            seen.add(sha)
            self._check_cancel()
            try:
                self._upload(sha, size, mime, dossier_uid)
            except (Offline, ServerBusy, Refused) as exc:
                errors += 1
                hold()
                report.files_waiting += 1
                log.info("sync: file %s not uploaded yet: %s", sha[:12], exc.detail)
                continue
            except OSError as exc:
                hold()
                report.files_waiting += 1
                report.problems.append(f"Không đọc được tệp số hóa {sha[:12]}… trên máy này "
                                       "(hãy chạy «motcua check»).")
                log.warning("sync: file %s unreadable: %s", sha[:12], type(exc).__name__)
                continue
            report.files_uploaded += 1
        return errors

    def _upload(self, sha: str, size: int, mime: str, dossier_uid: str) -> None:
        state = self.client.file_start(FileStart(sha256=sha, size=size,
                                                 media_type=mime or "application/octet-stream",
                                                 dossier_uid=dossier_uid))
        if not state.complete:
            path = self.files.path_of(sha)
            chunk = max(1, min(self.chunk_size, state.max_chunk))
            with open(path, "rb") as fh:
                for missing in state.missing:
                    pos = missing.start
                    while pos < missing.end:
                        self._check_cancel()
                        fh.seek(pos)
                        data = fh.read(min(chunk, missing.end - pos))
                        if not data:
                            raise OSError("file shorter than recorded")
                        self.client.put_chunk(sha, pos, data)
                        pos += len(data)
            state = self.client.file_finish(sha)
        if not state.complete:
            raise Offline("Tệp chưa tải lên đủ.", detail="incomplete")

        def tx(session: Session) -> None:
            session.execute(sqlite_insert(SyncFile).values(sha256=sha, uploaded_at=self._now())
                            .on_conflict_do_nothing())

        self._tx(tx)

    # ------------------------------------------------------------ number blocks

    def _blocks(self, report: RoundReport) -> None:
        """Ask the province for another block of today's numbers when this desk runs low."""
        today = self._now().date()
        with self.store.reading() as session:
            office = get_office(session)
            if office is None:
                return
            desk = office.desk_number
            pending = settings.get(session, "sync.block_request")
            blocks = session.execute(select(NumberBlock).where(
                NumberBlock.day == today, NumberBlock.desk == desk)).scalars().all()
            if blocks:
                left = sum(b.last - (b.last_used if b.last_used is not None else b.first - 1)
                           for b in blocks)
            else:
                left = 1000  # the static offline block, untouched
        if pending and pending.get("day") != today.isoformat():
            pending = None
        if pending is None:
            if left >= self.block_threshold:
                return
            pending = {"uid": str(uuid.uuid4()), "day": today.isoformat(), "desk": desk,
                       "size": self.block_size}
            # Kept before asking: a lost answer is asked again with the same uid.
            self._tx(lambda s: settings.put(s, "sync.block_request", pending))
        request = NumberBlockRequest(request_uid=pending["uid"],
                                     day=date.fromisoformat(pending["day"]),
                                     desk=pending["desk"], size=pending["size"])
        try:
            block = self.client.reserve_block(request)
        except Refused as exc:
            self._tx(lambda s: settings.put(s, "sync.block_request", None))
            report.problems.append(exc.message_vi)
            return

        def tx(session: Session) -> None:
            taken = session.execute(select(NumberBlock.id).where(
                NumberBlock.day == block.day, NumberBlock.first == block.first)).first()
            if taken is None:
                numbering.add_province_block(session, block.day, block.desk, block.first,
                                             block.last)
            settings.put(session, "sync.block_request", None)

        self._tx(tx)
        report.blocks_reserved += 1

    # ---------------------------------------------------------------- integrity

    def local_digests(self, session: Session) -> dict[str, tuple[int, int]]:
        """uid → (version, status) of every dossier the province has from this desk.

        A dossier with changes not yet sent (or refused) counts as the province last
        acknowledged it; otherwise as it is here, so a local drift shows up too.
        """
        pending = exists().where(OutboxItem.dossier_id == Dossier.id,
                                 OutboxItem.state.in_((*queue.UNSENT, OutboxState.CONFLICT)))
        rows = session.execute(
            select(Dossier.uid, Dossier.version, Dossier.status, Dossier.state_secret,
                   SyncDossier.server_version, SyncDossier.server_status, pending)
            .join(SyncDossier, SyncDossier.dossier_id == Dossier.id)).all()
        out = {}
        for uid, version, status, secret, sv, ss, has_pending in rows:
            out[uid] = (sv, ss) if (secret or has_pending) else (version, status)
        return out

    def _integrity(self, report: RoundReport) -> None:
        answer = self.client.integrity()
        with self.store.reading() as session:
            local = self.local_digests(session)
            last = settings.get(session, "sync.integrity") or {}
        local_sum = integrity_checksum((u, v, s) for u, (v, s) in local.items())
        now = self._now()
        if local_sum == answer.checksum:
            report.integrity_ok = True
            self._save_integrity({"server": answer.checksum, "local": local_sum, "foreign": 0,
                                  "at": now.isoformat(), "ok": True})
            return
        if (last.get("server") == answer.checksum and last.get("local") == local_sum
                and last.get("ok") and last.get("foreign")
                and now - datetime.fromisoformat(last["at"]) < FOREIGN_RECHECK):
            report.integrity_ok = True  # only other desks' dossiers differ, checked lately
            return
        server: dict[str, tuple[int, int]] = {}
        after: str | None = None
        while True:
            self._check_cancel()
            page = self.client.digests(after)
            for d in page.items:
                server[d.uid] = (d.version, d.status)
            if page.next_after is None:
                break
            after = page.next_after
        unknown = sorted(set(server) - set(local))
        known_here: set[str] = set()
        with self.store.reading() as session:
            for start in range(0, len(unknown), 500):
                known_here.update(session.execute(select(Dossier.uid).where(
                    Dossier.uid.in_(unknown[start:start + 500]))).scalars())
        to_fetch = [uid for uid, digest in local.items() if server.get(uid) != digest]
        foreign = 0
        for uid, (_v, status) in server.items():
            if uid in local:
                continue
            if uid in known_here or status == Status.NEW_ONLINE:
                to_fetch.append(uid)
            else:
                foreign += 1  # another desk's dossier of this office
        unresolved = 0
        for uid in to_fetch:
            self._check_cancel()
            if not self._repair(uid, report):
                unresolved += 1
        with self.store.reading() as session:
            local = self.local_digests(session)
        local_sum = integrity_checksum((u, v, s) for u, (v, s) in local.items())
        report.integrity_ok = unresolved == 0
        self._save_integrity({"server": answer.checksum, "local": local_sum, "foreign": foreign,
                              "at": now.isoformat(), "ok": unresolved == 0})

    def _save_integrity(self, value: dict[str, Any]) -> None:
        self._tx(lambda s: settings.put(s, "sync.integrity", value))

    def _repair(self, uid: str, report: RoundReport) -> bool:
        """Make one dossier agree with the province; True when it now does (or was queued)."""
        try:
            record: DossierRecord | None = self.client.dossier(uid)
        except Refused as exc:
            if exc.answer.code != "dossier_not_found":
                raise
            record = None
        outcome = self._tx(lambda s: self._repair_tx(s, uid, record, report))
        if outcome == "push_progress" and record is not None:
            self._push_missing_progress(uid, record)
        return outcome != "unresolved"

    def _repair_tx(self, session: Session, uid: str, record: DossierRecord | None,
                   report: RoundReport) -> str:
        now = self._now()
        dossier = incoming.find(session, uid)
        if dossier is None:
            if record is not None and record.dossier.status == Status.NEW_ONLINE:
                try:
                    if incoming.create_online(session, record.model_dump(), at=now):
                        report.online_new += 1
                        report.repaired += 1
                except incoming.UnknownProcedure:
                    return "unresolved"
            return "ok"
        sync_row = session.get(SyncDossier, dossier.id)
        known = sync_row.server_version if sync_row is not None else 0
        local_before = snapshot(dossier)
        code = dossier.code or dossier.uid[:8]
        if record is None or record.version < known:
            # The province lost what it had acknowledged (a restored server): send it again.
            self._resend(session, dossier, now)
            if record is not None:
                incoming.mark_synced(session, dossier.id, version=record.version,
                                     status=record.dossier.status, at=now)
            queue.record_conflict(
                session, kind="server_missing", code="server_missing", at=now, dossier=dossier,
                message=(f"Đối chiếu với tỉnh: máy chủ tỉnh thiếu dữ liệu của hồ sơ {code} mà "
                         "xã đã gửi. Đã xếp gửi lại bản hiện tại của xã."),
                server_data=None if record is None else {"record": record.model_dump(mode="json")},
                local_data={"dossier": local_before})
            report.repaired += 1
            return "ok"
        unsent = list(session.execute(select(OutboxItem).where(
            OutboxItem.dossier_id == dossier.id, OutboxItem.state.in_(queue.UNSENT))
            .order_by(OutboxItem.id)).scalars())
        data = record.model_dump()
        province_newer = record.province_version > (sync_row.province_version if sync_row else 0)
        if unsent:
            if province_newer and record.version > known:
                # A province change the desk missed: its rules apply (the unsent are refused).
                self._apply_province_record(session, dossier, data, now, report)
                report.repaired += 1
            elif record.version > known:
                # The desk's own changes explain it (an answer was lost): learn what the
                # province has; the unsent changes go on as they are.
                incoming.mark_synced(session, dossier.id, version=record.version,
                                     status=record.dossier.status,
                                     province_version=record.province_version, at=now)
            return "ok"
        local_digest = (dossier.version, dossier.status)
        if (record.version, record.dossier.status) == local_digest:
            incoming.mark_synced(session, dossier.id, version=record.version,
                                 status=record.dossier.status,
                                 province_version=record.province_version, at=now)
            incoming.add_progress_rows(session, dossier.id, data.get("progress") or [])
            return "push_progress"
        incoming.apply_record(session, dossier, data, at=now, repair=True)
        if local_digest[0] > record.version:
            # The desk had something the province has not: keep it in view.
            queue.record_conflict(
                session, kind="repair", code="repair", at=now, dossier=dossier,
                message=(f"Đối chiếu với tỉnh: hồ sơ {code} trên máy này (phiên bản "
                         f"{local_digest[0]}, «{Status(local_digest[1]).label}») khác với tỉnh "
                         f"(phiên bản {record.version}, "
                         f"«{Status(record.dossier.status).label}»). Đã lấy theo dữ liệu của "
                         "tỉnh; bản của xã được giữ ở đây."),
                server_data={"record": record.model_dump(mode="json")},
                local_data={"dossier": local_before})
        report.repaired += 1
        return "push_progress"

    def _resend(self, session: Session, dossier: Dossier, now: datetime) -> None:
        from desktop.services import outbox

        if dossier.state_secret:
            return
        payload = {"dossier": snapshot(dossier), **related(session, dossier.id)}
        outbox.enqueue(session, self.officer, "dossier.resync", payload, dossier_id=dossier.id,
                       at=now)

    def _push_missing_progress(self, uid: str, record: DossierRecord) -> None:
        """Progress rows of the desk the province lacks (history is never lost)."""
        have = {p.uid for p in record.progress}
        with self.store.reading() as session:
            dossier = incoming.find(session, uid)
            if dossier is None:
                return
            rows = session.execute(select(ProgressRow).where(
                ProgressRow.dossier_id == dossier.id).order_by(ProgressRow.id)).scalars().all()
            missing = [ProgressData(
                uid=r.uid, officer_name=r.officer_name[:50], officer_title=r.officer_title or "",
                department=r.department or "", acted_at=r.acted_at, content=r.content or "",
                status=r.status, started_at=r.started_at, step_deadline=r.step_deadline)
                for r in rows if r.uid not in have]
        for start in range(0, len(missing), MAX_PROGRESS_BATCH):
            self.client.push_progress(ProgressPush(
                dossier_uid=uid, rows=missing[start:start + MAX_PROGRESS_BATCH]))


def _pdf_pages(data: bytes) -> int:
    try:
        from desktop.scanning.pdf import count_pages

        return count_pages(data)
    except Exception:  # noqa: BLE001 - a page count is only shown; the file is kept anyway
        return 0


def _media_type(data: bytes) -> str:
    for magic, mime in ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"),
                        (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff")):
        if data.startswith(magic):
            return mime
    return "application/octet-stream"


def report_upload(payload: str, created_at: datetime | None) -> ReportUpload:
    """The ``report.submit`` outbox item (services.reports.snapshots) as a ReportUpload."""
    data = json.loads(payload)
    return ReportUpload(
        uid=data["uid"], kind=data["report"], period_start=data["period_from"],
        period_end=data["period_to"], title=f"{data['report']} {data.get('period', '')}"[:255],
        data={k: data.get(k) for k in ("period", "agency_code", "made_at", "made_by", "sha256",
                                       "content")},
        created_at=created_at)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# ------------------------------------------------------------------ connectors
# (the only addition for sync/connectors/: which engine the office's setting names)


def make_engine(store: Store, client: Any, officer: Actor, **kwargs: Any) -> SyncEngine:
    """The engine for the office's "sync.connector": "motcua" (this protocol, ``client`` a
    SyncClient) or "dvcqg" (the national portal's services, ``client`` a
    sync.connectors.dvcqg.PortalClient)."""
    with store.reading() as session:
        connector = settings.get(session, "sync.connector")
    if connector == "dvcqg":
        from sync.connectors.dvcqg import DvcqgEngine

        return DvcqgEngine(store, client, officer, **kwargs)
    return SyncEngine(store, client, officer, **kwargs)
