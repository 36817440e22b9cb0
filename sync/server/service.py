"""What the reference server does with what desks send: the rules, Qt- and HTTP-free.

Each public function is one transaction (``ServerStore.write``/``read``) and
is used by the HTTP routes (app.py, dvcqg.py), the province-side commands
(province.py) and the tests. Rules (also in README.md):

- A change is stored under its uid with the SHA-256 of its content and the
  first answer as sent; a repeat with the same content gets that answer
  again (byte for byte), a repeat with other content 409 ``change_uid_reused``.
- Conflict: the province changed the dossier's status after the version the
  desk started from (``province_version > base_version``) → 409 ``conflict``
  with the server's record and the province's changes; this answer is the
  first answer too (the desk makes a new change after looking at it).
- A change whose snapshot version is not above the server's is ``superseded``:
  its progress row is kept, the snapshot is not.
- Otherwise the snapshot replaces the server's (related lists sent as null
  keep what the server had), the version becomes the snapshot's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sync.protocol import (
    PROVINCE_BLOCK_FIRST,
    PROVINCE_BLOCK_LAST,
    ByteRange,
    Change,
    ChangeAnswer,
    ConflictAnswer,
    DigestPage,
    DossierDigest,
    DossierRecord,
    DossierRelated,
    DossierSnapshot,
    FileStart,
    FileState,
    IntegrityAnswer,
    NumberBlock,
    NumberBlockList,
    NumberBlockRequest,
    ProgressAnswer,
    ProgressData,
    ProgressPush,
    PullAnswer,
    PullItem,
    ReportAnswer,
    ReportList,
    ReportUpload,
    StatusChange,
    canonical_json,
    integrity_checksum,
    merge_ranges,
    missing_ranges,
    sha256_text,
)
from sync.server import models as m
from sync.server.auth import Principal
from sync.server.errors import ApiError
from sync.server.labels import STATUS_LABELS_VI
from sync.server.store import ServerStore, dumps, next_cursor

# ------------------------------------------------------------------------- records

RELATED_KEYS = ("supplement_rounds", "results", "result_return", "apologies", "components", "fees")


def related_of(payload: DossierRelated, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The related lists to store: what was sent, and for lists sent as null what was there."""
    dumped = payload.model_dump(mode="json")
    out = {k: dumped.get(k) for k in RELATED_KEYS}
    for key in ("components", "fees"):
        if out[key] is None and previous:
            out[key] = previous.get(key)
    return out


def progress_rows(session: Session, dossier_id: int) -> list[ProgressData]:
    rows = session.execute(select(m.ProgressRow.data).where(m.ProgressRow.dossier_id == dossier_id)
                           .order_by(m.ProgressRow.acted_at, m.ProgressRow.id)).scalars()
    return [ProgressData.model_validate_json(data) for data in rows]


def record_of(session: Session, row: m.Dossier, agency_code: str) -> DossierRecord:
    return DossierRecord(
        agency_code=agency_code, version=row.version, province_version=row.province_version,
        updated_at=row.updated_at, dossier=json.loads(row.snapshot),
        progress=progress_rows(session, row.id), **json.loads(row.related or "{}"),
    )


def find_dossier(session: Session, uid: str) -> m.Dossier | None:
    return session.execute(select(m.Dossier).where(m.Dossier.uid == uid)).scalar_one_or_none()


def get_record(store: ServerStore, who: Principal, uid: str) -> DossierRecord:
    with store.read() as session:
        row = find_dossier(session, uid)
        if row is None:
            raise ApiError("dossier_not_found", uid=uid)
        if row.office_id != who.office_id:
            raise ApiError("wrong_office")
        return record_of(session, row, who.agency_code)


def progress_hash(row: ProgressData) -> str:
    return sha256_text(canonical_json(row.model_dump(mode="json")))


def store_progress(session: Session, dossier_id: int, row: ProgressData) -> bool:
    """Insert a progress row; False when the same row is already there."""
    h = progress_hash(row)
    prior = session.execute(select(m.ProgressRow).where(m.ProgressRow.uid == row.uid)
                            ).scalar_one_or_none()
    if prior is not None:
        if prior.content_hash != h or prior.dossier_id != dossier_id:
            raise ApiError("progress_uid_reused", uid=row.uid)
        return False
    session.add(m.ProgressRow(uid=row.uid, dossier_id=dossier_id, acted_at=row.acted_at,
                              status=row.status, content_hash=h,
                              data=row.model_dump_json()))
    session.flush()
    return True


def snapshot_json(snapshot: DossierSnapshot) -> str:
    return snapshot.model_dump_json()


# --------------------------------------------------------------------------- push


def _check_code(session: Session, office_id: int, code: str | None, uid: str) -> None:
    if not code:
        return
    other = session.execute(select(m.Dossier.uid).where(
        m.Dossier.office_id == office_id, m.Dossier.code == code, m.Dossier.uid != uid)).first()
    if other is not None:
        raise ApiError("code_taken", code=code)


def province_changes_since(session: Session, dossier_id: int, version: int) -> list[StatusChange]:
    rows = session.execute(select(m.ProvinceChange.data).where(
        m.ProvinceChange.dossier_id == dossier_id, m.ProvinceChange.version > version)
        .order_by(m.ProvinceChange.version)).scalars()
    return [StatusChange.model_validate_json(data) for data in rows]


def _apply_change(store: ServerStore, session: Session, who: Principal,
                  change: Change) -> tuple[int, str]:
    snap = change.payload.dossier
    if snap.state_secret:
        raise ApiError("state_secret")
    now = store.now()
    row = find_dossier(session, change.dossier_uid)
    if row is not None and row.office_id != who.office_id:
        raise ApiError("wrong_office")
    base = change.effective_base_version
    if row is not None and row.province_version > base:
        status = row.status
        err = ApiError("conflict", code=row.code or row.uid, status=status,
                       label=STATUS_LABELS_VI.get(status, str(status)), base=base)
        body = ConflictAnswer(
            code=err.code, message=err.message, message_vi=err.message_vi,
            change_uid=change.uid, dossier_uid=change.dossier_uid, base_version=base,
            server=record_of(session, row, who.agency_code),
            province_changes=province_changes_since(session, row.id, base),
        )
        return 409, body.model_dump_json()
    if row is None:
        _check_code(session, who.office_id, snap.code, snap.uid)
        row = m.Dossier(uid=snap.uid, office_id=who.office_id, code=snap.code,
                        procedure_code=snap.procedure_code, status=snap.status,
                        version=snap.version, province_version=0, source="desk",
                        snapshot=snapshot_json(snap), related=dumps(related_of(change.payload)),
                        national="{}", created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        outcome = "applied"
    elif snap.version > row.version:
        _check_code(session, who.office_id, snap.code, snap.uid)
        if snap.procedure_code is None and row.procedure_code:
            snap = snap.model_copy(update={"procedure_code": row.procedure_code})
        row.code = snap.code
        row.procedure_code = snap.procedure_code
        row.status = snap.status
        row.version = snap.version
        row.snapshot = snapshot_json(snap)
        row.related = dumps(related_of(change.payload, json.loads(row.related or "{}")))
        row.updated_at = now
        outcome = "applied"
    else:
        outcome = "superseded"
    stored = False
    if change.payload.progress is not None:
        stored = store_progress(session, row.id, change.payload.progress)
    answer = ChangeAnswer(change_uid=change.uid, dossier_uid=change.dossier_uid,
                          outcome=outcome, version=row.version, status=row.status,
                          progress_stored=stored, received_at=now)
    return 200, answer.model_dump_json()


def push_change(store: ServerStore, who: Principal, change: Change) -> tuple[int, str, bool]:
    """(HTTP status, answer JSON, replayed). The first answer is stored under the change uid."""
    content_hash = change.content_hash()

    def tx(session: Session) -> tuple[int, str, bool]:
        prior = session.get(m.Push, change.uid)
        if prior is not None:
            if prior.content_hash != content_hash or prior.office_id != who.office_id:
                raise ApiError("change_uid_reused", uid=change.uid)
            return prior.status_code, prior.answer, True
        status, body = _apply_change(store, session, who, change)
        session.add(m.Push(uid=change.uid, office_id=who.office_id, officer_id=who.officer_id,
                           dossier_uid=change.dossier_uid, kind=change.kind,
                           content_hash=content_hash, status_code=status, answer=body,
                           received_at=store.now()))
        return status, body, False

    return store.run_write(tx)


def push_progress(store: ServerStore, who: Principal, push: ProgressPush) -> ProgressAnswer:
    def tx(session: Session) -> ProgressAnswer:
        row = find_dossier(session, push.dossier_uid)
        if row is None:
            raise ApiError("dossier_not_found", uid=push.dossier_uid)
        if row.office_id != who.office_id:
            raise ApiError("wrong_office")
        stored = sum(store_progress(session, row.id, p) for p in push.rows)
        return ProgressAnswer(dossier_uid=push.dossier_uid, stored=stored,
                              already_stored=len(push.rows) - stored)

    return store.run_write(tx)


# --------------------------------------------------------------------------- pull


def log_change(session: Session, *, office_id: int, kind: str, dossier_uid: str, at: Any,
               record: DossierRecord, status_change: StatusChange | None = None) -> int:
    cursor = next_cursor(session)
    item = PullItem(cursor=cursor, kind=kind, dossier_uid=dossier_uid, at=at,  # type: ignore[arg-type]
                    record=record, status_change=status_change)
    session.add(m.ChangeLog(cursor=cursor, office_id=office_id, kind=kind,
                            dossier_uid=dossier_uid, at=at, data=item.model_dump_json()))
    return cursor


def pull(store: ServerStore, who: Principal, since: int, limit: int) -> PullAnswer:
    with store.read() as session:
        rows = session.execute(select(m.ChangeLog.data).where(
            m.ChangeLog.office_id == who.office_id, m.ChangeLog.cursor > since)
            .order_by(m.ChangeLog.cursor).limit(limit + 1)).scalars().all()
    items = [PullItem.model_validate_json(data) for data in rows[:limit]]
    return PullAnswer(items=items, cursor=items[-1].cursor if items else since,
                      has_more=len(rows) > limit, server_time=store.now())


# ---------------------------------------------------------------------- integrity


def integrity(store: ServerStore, who: Principal) -> IntegrityAnswer:
    with store.read() as session:
        by_status = {int(s): int(n) for s, n in session.execute(
            select(m.Dossier.status, func.count()).where(m.Dossier.office_id == who.office_id)
            .group_by(m.Dossier.status))}
        n_progress = session.execute(
            select(func.count()).select_from(m.ProgressRow)
            .join(m.Dossier, m.ProgressRow.dossier_id == m.Dossier.id)
            .where(m.Dossier.office_id == who.office_id)).scalar_one()
        digests = session.execute(select(m.Dossier.uid, m.Dossier.version, m.Dossier.status)
                                  .where(m.Dossier.office_id == who.office_id)).all()
        checksum = integrity_checksum(digests)
    return IntegrityAnswer(agency_code=who.agency_code, dossiers=sum(by_status.values()),
                           progress_rows=int(n_progress), by_status=by_status,
                           checksum=checksum, computed_at=store.now())


def digest_page(store: ServerStore, who: Principal, after: str | None, limit: int) -> DigestPage:
    with store.read() as session:
        q = (select(m.Dossier.uid, m.Dossier.version, m.Dossier.status)
             .where(m.Dossier.office_id == who.office_id).order_by(m.Dossier.uid)
             .limit(limit + 1))
        if after:
            q = q.where(m.Dossier.uid > after)
        rows = session.execute(q).all()
    items = [DossierDigest(uid=u, version=v, status=s) for u, v, s in rows[:limit]]
    return DigestPage(items=items, next_after=items[-1].uid if len(rows) > limit else None)


# ------------------------------------------------------------------ number blocks


def _block(row: m.NumberBlock, agency_code: str) -> NumberBlock:
    return NumberBlock(agency_code=agency_code, day=row.day, desk=row.desk, first=row.first,
                       last=row.last, request_uid=row.request_uid, reserved_at=row.reserved_at)


def reserve_block(store: ServerStore, who: Principal, req: NumberBlockRequest) -> NumberBlock:
    """A block of the province's range 9001–9999 for a desk and day, never overlapping another
    block of the office that day. A repeat of request_uid gets the same block."""
    request_hash = sha256_text(canonical_json(req.model_dump(mode="json")))

    def tx(session: Session) -> NumberBlock:
        prior = session.execute(select(m.NumberBlock).where(
            m.NumberBlock.request_uid == req.request_uid)).scalar_one_or_none()
        if prior is not None:
            if prior.request_hash != request_hash or prior.office_id != who.office_id:
                raise ApiError("request_uid_reused", uid=req.request_uid)
            return _block(prior, who.agency_code)
        # Serialise the office's reservations (PostgreSQL; SQLite's writes are serial already).
        session.execute(select(m.Office.id).where(m.Office.id == who.office_id).with_for_update())
        last = session.execute(select(func.max(m.NumberBlock.last)).where(
            m.NumberBlock.office_id == who.office_id, m.NumberBlock.day == req.day)).scalar()
        first = PROVINCE_BLOCK_FIRST if last is None else last + 1
        if first > PROVINCE_BLOCK_LAST:
            raise ApiError("blocks_exhausted", day=req.day.strftime("%d/%m/%Y"))
        row = m.NumberBlock(office_id=who.office_id, day=req.day, desk=req.desk, first=first,
                            last=min(first + req.size - 1, PROVINCE_BLOCK_LAST),
                            request_uid=req.request_uid, request_hash=request_hash,
                            reserved_at=store.now())
        session.add(row)
        session.flush()
        return _block(row, who.agency_code)

    return store.run_write(tx)


def list_blocks(store: ServerStore, who: Principal, day: date | None,
                desk: int | None) -> NumberBlockList:
    with store.read() as session:
        q = select(m.NumberBlock).where(m.NumberBlock.office_id == who.office_id)
        if day is not None:
            q = q.where(m.NumberBlock.day == day)
        if desk is not None:
            q = q.where(m.NumberBlock.desk == desk)
        rows = session.execute(q.order_by(m.NumberBlock.day, m.NumberBlock.first)).scalars()
        return NumberBlockList(blocks=[_block(r, who.agency_code) for r in rows])


# -------------------------------------------------------------------------- files


def _file_state(session: Session, row: m.StoredFile) -> FileState:
    if row.complete:
        have = [(0, row.size)]
    else:
        have = merge_ranges(session.execute(
            select(m.FileChunk.offset, m.FileChunk.offset + m.FileChunk.length)
            .where(m.FileChunk.sha256 == row.sha256)).all())
    return FileState(
        sha256=row.sha256, size=row.size, complete=row.complete,
        received=[ByteRange(start=a, end=b) for a, b in have if b > a],
        missing=[ByteRange(start=a, end=b) for a, b in missing_ranges(row.size, have)],
    )


def start_file(store: ServerStore, who: Principal, req: FileStart) -> FileState:
    def tx(session: Session) -> FileState:
        row = session.get(m.StoredFile, req.sha256)
        if row is None:
            row = m.StoredFile(sha256=req.sha256, size=req.size, name=req.name,
                               media_type=req.media_type, office_id=who.office_id,
                               complete=False, created_at=store.now())
            session.add(row)
            session.flush()
        elif row.size != req.size:
            raise ApiError("file_size_mismatch", sha256=req.sha256)
        return _file_state(session, row)

    return store.run_write(tx)


def file_state(store: ServerStore, sha256: str) -> FileState:
    with store.read() as session:
        row = session.get(m.StoredFile, sha256)
        if row is None:
            raise ApiError("file_not_started", sha256=sha256)
        return _file_state(session, row)


def put_chunk(store: ServerStore, sha256: str, offset: int, data: bytes) -> FileState:
    def tx(session: Session) -> FileState:
        row = session.get(m.StoredFile, sha256)
        if row is None:
            raise ApiError("file_not_started", sha256=sha256)
        if row.complete:
            return _file_state(session, row)
        if offset < 0 or offset + len(data) > row.size:
            raise ApiError("chunk_out_of_range", offset=offset, length=len(data), size=row.size)
        if data:
            session.execute(delete(m.FileChunk).where(m.FileChunk.sha256 == sha256,
                                                      m.FileChunk.offset == offset))
            session.add(m.FileChunk(sha256=sha256, offset=offset, length=len(data), data=data))
            session.flush()
        return _file_state(session, row)

    return store.run_write(tx)


def _chunks(session: Session, sha256: str) -> Iterator[tuple[int, bytes]]:
    ids = session.execute(select(m.FileChunk.id, m.FileChunk.offset).where(
        m.FileChunk.sha256 == sha256).order_by(m.FileChunk.offset, m.FileChunk.id)).all()
    for chunk_id, offset in ids:
        data = session.execute(select(m.FileChunk.data).where(m.FileChunk.id == chunk_id)
                               ).scalar_one()
        yield offset, data


def file_bytes(session: Session, sha256: str) -> Iterator[bytes]:
    """The file's bytes in order (overlapping chunks counted once)."""
    pos = 0
    for offset, data in _chunks(session, sha256):
        skip = pos - offset
        if skip >= len(data):
            continue
        yield data[max(skip, 0):]
        pos = offset + len(data)


def finish_file(store: ServerStore, sha256: str) -> FileState:
    """Check that every byte is there and hashes to the file's SHA-256; a mismatch
    discards the bytes received (the desk uploads again)."""

    def tx(session: Session) -> tuple[FileState, bool]:
        row = session.get(m.StoredFile, sha256)
        if row is None:
            raise ApiError("file_not_started", sha256=sha256)
        state = _file_state(session, row)
        if row.complete:
            return state, True
        if state.missing:
            raise ApiError("file_incomplete", sha256=sha256, count=len(state.missing),
                           details={"missing": [r.model_dump() for r in state.missing]})
        h = hashlib.sha256()
        for part in file_bytes(session, sha256):
            h.update(part)
        if h.hexdigest() != sha256:
            session.execute(delete(m.FileChunk).where(m.FileChunk.sha256 == sha256))
            return _file_state(session, row), False
        row.complete = True
        row.completed_at = store.now()
        return _file_state(session, row), True

    state, ok = store.run_write(tx)
    if not ok:
        raise ApiError("sha256_mismatch", sha256=sha256,
                       details={"state": state.model_dump(mode="json")})
    return state


def read_file(store: ServerStore, sha256: str) -> tuple[m.StoredFile, bytes]:
    with store.read() as session:
        row = session.get(m.StoredFile, sha256)
        if row is None or not row.complete:
            raise ApiError("file_not_found", sha256=sha256)
        return row, b"".join(file_bytes(session, sha256))


# ------------------------------------------------------------------------ reports


def upload_report(store: ServerStore, who: Principal, rep: ReportUpload) -> tuple[int, str, bool]:
    content_hash = rep.content_hash()

    def tx(session: Session) -> tuple[int, str, bool]:
        prior = session.get(m.Report, rep.uid)
        if prior is not None:
            if prior.content_hash != content_hash or prior.office_id != who.office_id:
                raise ApiError("report_uid_reused", uid=rep.uid)
            return 200, prior.answer, True
        file_complete = False
        if rep.file_sha256:
            f = session.get(m.StoredFile, rep.file_sha256)
            if f is None or not f.complete:
                raise ApiError("report_file_missing", sha256=rep.file_sha256)
            file_complete = True
        now = store.now()
        answer = ReportAnswer(uid=rep.uid, kind=rep.kind, period_start=rep.period_start,
                              period_end=rep.period_end, received_at=now,
                              file_complete=file_complete).model_dump_json()
        session.add(m.Report(uid=rep.uid, office_id=who.office_id, kind=rep.kind,
                             period_start=rep.period_start, period_end=rep.period_end,
                             content_hash=content_hash, data=rep.model_dump_json(),
                             file_sha256=rep.file_sha256, answer=answer, received_at=now))
        return 200, answer, False

    return store.run_write(tx)


def list_reports(store: ServerStore, who: Principal) -> ReportList:
    with store.read() as session:
        rows = session.execute(select(m.Report.answer).where(m.Report.office_id == who.office_id)
                               .order_by(m.Report.received_at, m.Report.uid)).scalars()
        return ReportList(reports=[ReportAnswer.model_validate_json(a) for a in rows])
