"""The outbox and the sync conflicts as officers see them, and what they can do about them.

Qt-free: the sync page (desktop/ui/sync) and the command line read through
these functions; the engine (engine.py) records conflicts and refuses unsent
changes through them. Nothing here deletes an outbox item or a conflict:
items move between states, conflicts are marked resolved.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop.services import audit
from desktop.services.actor import Actor
from desktop.services.inspection import ACTION_LABELS_VI
from desktop.store.models import Dossier, Officer, OutboxItem, OutboxState, SyncConflict

UNSENT = (OutboxState.PENDING, OutboxState.FAILED, OutboxState.IN_FLIGHT)

STATE_LABELS_VI = {
    OutboxState.PENDING: "Chờ gửi",
    OutboxState.IN_FLIGHT: "Đang gửi",
    OutboxState.SENT: "Đã gửi",
    OutboxState.FAILED: "Gửi chưa được, sẽ thử lại",
    OutboxState.CONFLICT: "Xung đột hoặc bị tỉnh từ chối",
}

CONFLICT_KIND_LABELS_VI = {
    "conflict": "Tỉnh đã thay đổi hồ sơ trước",
    "refused": "Tỉnh từ chối thay đổi",
    "province_status": "Tỉnh đổi trạng thái khi xã còn thay đổi chưa gửi",
    "repair": "Đối chiếu: sửa theo dữ liệu của tỉnh",
    "server_missing": "Đối chiếu: tỉnh thiếu dữ liệu của xã",
    "pull": "Chưa nhận được hồ sơ từ tỉnh",
}


def kind_label(kind: str) -> str:
    """The Vietnamese name of an outbox item's kind (the audit action of the change)."""
    return ACTION_LABELS_VI.get(kind, kind)


# ------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Counts:
    #: Unsent changes of the officer (and of no officer: command-line tools).
    waiting: int
    #: Unsent changes of other officers of this PC (sent when they sync).
    waiting_others: int
    failed: int
    #: Changes refused or in conflict, and conflicts not yet resolved.
    conflict_items: int
    open_conflicts: int


def counts(session: Session, officer_id: int | None) -> Counts:
    rows = session.execute(
        select(OutboxItem.officer_id, OutboxItem.state, func.count())
        .where(OutboxItem.state.in_((*UNSENT, OutboxState.CONFLICT)))
        .group_by(OutboxItem.officer_id, OutboxItem.state)).all()
    waiting = others = failed = conflict_items = 0
    for who, state, n in rows:
        if state == OutboxState.CONFLICT:
            conflict_items += n
            continue
        if who is None or who == officer_id:
            waiting += n
        else:
            others += n
        if state == OutboxState.FAILED:
            failed += n
    open_conflicts = session.execute(select(func.count()).select_from(SyncConflict).where(
        SyncConflict.resolved_at.is_(None))).scalar_one()
    return Counts(waiting, others, failed, conflict_items, open_conflicts)


@dataclass(frozen=True)
class QueueItem:
    id: int
    uid: str
    kind: str
    kind_label: str
    dossier_id: int | None
    dossier_code: str
    officer_id: int | None
    officer_name: str
    state: str
    state_label: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    #: A conflict item the server refused for a reason other than a conflict.
    retryable: bool = False

    @property
    def can_retry(self) -> bool:
        return self.state == OutboxState.FAILED or (
            self.state == OutboxState.CONFLICT and self.retryable)


def list_items(session: Session, *, states: Sequence[str] | None = None,
               limit: int = 500) -> list[QueueItem]:
    """Outbox items, newest first (the page shows queued, sent, failed and conflicting ones)."""
    q = (select(OutboxItem, Dossier.code, Dossier.uid, Officer.full_name)
         .outerjoin(Dossier, Dossier.id == OutboxItem.dossier_id)
         .outerjoin(Officer, Officer.id == OutboxItem.officer_id)
         .order_by(OutboxItem.id.desc()).limit(limit))
    if states:
        q = q.where(OutboxItem.state.in_(list(states)))
    rows = session.execute(q).all()
    refused = _retryable_uids(session, [item.uid for item, *_ in rows
                                        if item.state == OutboxState.CONFLICT])
    return [QueueItem(
        id=item.id, uid=item.uid, kind=item.kind, kind_label=kind_label(item.kind),
        dossier_id=item.dossier_id, dossier_code=code or (uid or "")[:8],
        officer_id=item.officer_id, officer_name=name or "", state=item.state,
        state_label=STATE_LABELS_VI.get(OutboxState(item.state), item.state),
        attempts=item.attempts, last_error=item.last_error or "", created_at=item.created_at,
        next_attempt_at=item.next_attempt_at, sent_at=item.sent_at,
        retryable=item.uid in refused) for item, code, uid, name in rows]


def _retryable_uids(session: Session, uids: Iterable[str]) -> set[str]:
    uids = list(uids)
    if not uids:
        return set()
    return set(session.execute(select(SyncConflict.outbox_uid).where(
        SyncConflict.outbox_uid.in_(uids), SyncConflict.kind == "refused")).scalars())


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    dossier_id: int | None
    dossier_code: str
    kind: str
    kind_label: str
    code: str
    message: str
    created_at: datetime
    resolved_at: datetime | None
    blocking: bool
    officer_name: str
    server_data: Any
    local_data: Any


def list_conflicts(session: Session, *, open_only: bool = True,
                   limit: int = 500) -> list[ConflictInfo]:
    q = (select(SyncConflict, Officer.full_name)
         .outerjoin(Officer, Officer.id == SyncConflict.officer_id)
         .order_by(SyncConflict.created_at.desc(), SyncConflict.id.desc()).limit(limit))
    if open_only:
        q = q.where(SyncConflict.resolved_at.is_(None))
    return [ConflictInfo(
        id=c.id, dossier_id=c.dossier_id, dossier_code=c.dossier_code or c.dossier_uid[:8],
        kind=c.kind, kind_label=CONFLICT_KIND_LABELS_VI.get(c.kind, c.kind), code=c.code,
        message=c.message, created_at=c.created_at, resolved_at=c.resolved_at,
        blocking=c.blocking, officer_name=name or "",
        server_data=json.loads(c.server_data) if c.server_data else None,
        local_data=json.loads(c.local_data) if c.local_data else None)
        for c, name in session.execute(q).all()]


# ------------------------------------------------------------------------ writing


def record_conflict(session: Session, *, kind: str, message: str, at: datetime,
                    dossier: Dossier | None = None, dossier_uid: str = "",
                    code: str = "", server_data: Any = None, local_data: Any = None,
                    outbox_uid: str | None = None, officer_id: int | None = None,
                    blocking: bool = False) -> SyncConflict:
    row = SyncConflict(
        dossier_id=dossier.id if dossier is not None else None,
        dossier_uid=dossier.uid if dossier is not None else dossier_uid,
        dossier_code=dossier.code if dossier is not None else None,
        outbox_uid=outbox_uid, officer_id=officer_id, kind=kind, code=code[:40],
        message=message,
        server_data=None if server_data is None else json.dumps(server_data, ensure_ascii=False,
                                                                 default=str),
        local_data=None if local_data is None else json.dumps(local_data, ensure_ascii=False,
                                                               default=str),
        blocking=blocking, created_at=at)
    session.add(row)
    session.flush()
    return row


def refuse_unsent(session: Session, dossier_id: int, message: str) -> list[OutboxItem]:
    """Every unsent change of a dossier (pending, failed, in flight) becomes 'conflict'.

    Used when the province's change wins: those changes were made on a state the
    province replaced, so sending them would overwrite its decision. They stay in
    the outbox, listed with `message`.
    """
    items = list(session.execute(select(OutboxItem).where(
        OutboxItem.dossier_id == dossier_id, OutboxItem.state.in_(UNSENT))
        .order_by(OutboxItem.id)).scalars())
    for item in items:
        item.state = OutboxState.CONFLICT
        item.last_error = message
        item.next_attempt_at = None
    session.flush()
    return items


def describe(items: Iterable[OutboxItem]) -> list[dict[str, Any]]:
    """The desk's side of a conflict: each unsent change and the dossier state it carried."""
    out = []
    for item in items:
        try:
            payload = json.loads(item.payload)
        except ValueError:
            payload = {}
        out.append({"uid": item.uid, "kind": item.kind, "label": kind_label(item.kind),
                    "created_at": item.created_at.isoformat(), "officer_id": item.officer_id,
                    "dossier": payload.get("dossier"), "progress": payload.get("progress")})
    return out


def resolve_conflict(session: Session, actor: Actor, conflict_id: int, *,
                     at: datetime | None = None) -> None:
    """An officer has looked at the conflict: it leaves the open list; a dossier it held
    may send its later changes again."""
    at = at or datetime.now()
    row = session.get_one(SyncConflict, conflict_id)
    if row.resolved_at is not None:
        return
    row.resolved_at = at
    row.resolved_by = actor.officer_id
    audit.record(session, actor, "sync.conflict_resolved", "dossier",
                 row.dossier_code or row.dossier_uid,
                 after={"conflict_id": row.id, "kind": row.kind}, at=at)


def retry_item(session: Session, actor: Actor, item_id: int, *,
               at: datetime | None = None) -> bool:
    """Send an item again at the next round: a failed one now (no waiting), or one the
    server refused for a reason other than a conflict (its conflict is resolved). A
    change refused because the province changed the dossier first is never re-sent:
    the officer acts again on the province's state. Returns False when not retryable."""
    at = at or datetime.now()
    item = session.get_one(OutboxItem, item_id)
    if item.state == OutboxState.FAILED:
        item.state = OutboxState.PENDING
        item.next_attempt_at = None
    elif item.state == OutboxState.CONFLICT:
        refusals = list(session.execute(select(SyncConflict).where(
            SyncConflict.outbox_uid == item.uid, SyncConflict.kind == "refused")).scalars())
        if not refusals:
            return False
        item.state = OutboxState.PENDING
        item.next_attempt_at = None
        for row in refusals:
            if row.resolved_at is None:
                row.resolved_at = at
                row.resolved_by = actor.officer_id
    else:
        return False
    audit.record(session, actor, "sync.retry", "outbox", item.uid,
                 after={"kind": item.kind, "dossier_id": item.dossier_id}, at=at)
    return True


def retry_failed_now(session: Session) -> int:
    """"Đồng bộ ngay": failed items are tried at once instead of after their back-off."""
    return session.execute(update(OutboxItem).where(OutboxItem.state == OutboxState.FAILED)
                           .values(next_attempt_at=None)).rowcount


def set_server(session: Session, actor: Actor, *, url: str, ca_bundle: str = "",
               connector: str | None = None) -> bool:
    """The province server's address, its CA bundle if the province runs its own
    certificate authority, and how to talk to it (``connector``: "motcua", the
    province's sync server, or "dvcqg", a gateway with the national portal's
    services; None keeps it) — administrators only. Returns True when something changed."""
    from desktop.services import settings
    from desktop.services.validation import Collector, PermissionDenied
    from desktop.store.models import Role

    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới đổi được máy chủ đồng bộ của tỉnh.")
    url, ca_bundle = (url or "").strip().rstrip("/"), (ca_bundle or "").strip()
    c = Collector()
    if url and not url.lower().startswith(("https://", "http://")):
        c.add("server_url", "Địa chỉ máy chủ phải bắt đầu bằng https:// (hoặc http:// trong "
                            "mạng nội bộ), ví dụ https://motcua.tinh.gov.vn.")
    if connector is not None and connector not in ("motcua", "dvcqg"):
        c.add("connector", "Chọn cách kết nối: máy chủ Một Cửa của tỉnh hoặc cổng dịch vụ công.")
    c.raise_if_any()
    before = {"sync.server_url": settings.get(session, "sync.server_url"),
              "sync.ca_bundle": settings.get(session, "sync.ca_bundle"),
              "sync.connector": settings.get(session, "sync.connector")}
    after = {"sync.server_url": url, "sync.ca_bundle": ca_bundle,
             "sync.connector": connector or before["sync.connector"]}
    if before == after:
        return False
    for key, value in after.items():
        settings.put(session, key, value)
    audit.record(session, actor, "sync.server", "settings", "sync", before=before, after=after)
    return True
