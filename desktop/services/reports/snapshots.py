"""Frozen report snapshots: a report as it was made, kept and sent to the province.

`save` computes the report and stores it in ONE transaction, together with its
audit event (``report.snapshot``) and an outbox item (``report.submit``) that the
sync engine sends to the province later. The snapshot holds the JSON of every
cell (`ReportResult.as_json`) and its SHA-256: later changes to dossiers do not
change it, and `open_snapshot` refuses a snapshot whose content no longer
matches its hash. There is no function that changes a snapshot: a corrected
report is a new snapshot of the same period.

Leaders and administrators (who make the office's statistics) may save reports.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.periods import Period, parse_period
from desktop.services import audit, outbox
from desktop.services.actor import Actor
from desktop.services.reports import definitions as defs
from desktop.services.reports.engine import ReportResult, run
from desktop.services.validation import PermissionDenied
from desktop.store.database import Store
from desktop.store.models import ReportSnapshot, Role

ACTION = "report.snapshot"
OUTBOX_KIND = "report.submit"
ENTITY = "report_snapshot"
ROLES = frozenset({Role.LEADER, Role.ADMIN})


class SnapshotDamaged(Exception):
    """A stored snapshot whose content no longer matches its hash."""

    def __init__(self, snapshot_id: int) -> None:
        self.snapshot_id = snapshot_id
        self.message_vi = (f"Bản lưu báo cáo số {snapshot_id} đã bị thay đổi sau khi lưu "
                           "(không khớp mã kiểm tra); không thể dùng bản này.")
        super().__init__(self.message_vi)


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    uid: str
    report: str
    period_key: str
    period_start: date
    period_end: date
    made_at: datetime
    made_by_name: str
    sha256: str

    @property
    def period(self) -> Period:
        return parse_period(self.period_key)

    @property
    def title_vi(self) -> str:
        definition = defs.REPORTS.get(self.report)
        label = definition.form_label if definition is not None else self.report
        return f"{label} – {self.period.name_vi}"


def _canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _info(row: ReportSnapshot) -> SnapshotInfo:
    return SnapshotInfo(row.id, row.uid, row.report, row.period_key, row.period_start,
                        row.period_end, row.made_at, row.made_by_name, row.sha256)


def check_permission(actor: Actor) -> None:
    if not (actor.roles & ROLES):
        raise PermissionDenied("Chỉ lãnh đạo hoặc quản trị mới lưu và gửi báo cáo định kỳ.")


def save(store: Store, actor: Actor, report: str | defs.ReportDefinition, period: Period | str,
         *, now: datetime | None = None, receiving_unit: str | None = None,
         limit: int | None = None) -> tuple[SnapshotInfo, ReportResult]:
    """Compute the report and keep it, audited, with an outbox item for the province.

    The report is computed inside the same transaction, so the snapshot is exactly
    what the database held at that moment.
    """
    check_permission(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        result = run(session, report, period, now=now, limit=limit,
                     receiving_unit=receiving_unit)
        info = _store(session, actor, result, now)
    return info, result


def save_result(store: Store, actor: Actor, result: ReportResult, *,
                now: datetime | None = None) -> SnapshotInfo:
    """Keep a result computed earlier (e.g. the one on screen), as `save` does."""
    check_permission(actor)
    now = (now or datetime.now()).replace(microsecond=0)
    with store.transaction() as session:
        return _store(session, actor, result, now)


def _store(session: Session, actor: Actor, result: ReportResult, now: datetime) -> SnapshotInfo:
    content_json = result.as_json()
    content = _canonical(content_json)
    sha = _digest(content)
    row = ReportSnapshot(
        uid=str(uuid.uuid4()), report=result.report, period_key=result.period.key,
        period_start=result.period.start, period_end=result.period.end, made_at=now,
        made_by=actor.officer_id, made_by_name=actor.name[:255], content=content, sha256=sha)
    session.add(row)
    session.flush()
    summary = {"report": result.report, "period": result.period.key, "sha256": sha,
               "made_at": now.isoformat(timespec="seconds"), "ok": result.ok}
    audit.record(session, actor, "report.snapshot", ENTITY, row.uid, after=summary, at=now)
    outbox.enqueue(session, actor, OUTBOX_KIND,
                   {"uid": row.uid, "report": result.report, "period": result.period.key,
                    "period_from": result.period.start.isoformat(),
                    "period_to": result.period.end.isoformat(),
                    "agency_code": result.office.agency_code,
                    "made_at": now.isoformat(timespec="seconds"), "made_by": actor.name,
                    "sha256": sha, "content": content_json},
                   at=now)
    return _info(row)


def list_snapshots(session: Session, *, report: str | None = None,
                   period: Period | str | None = None, limit: int = 200) -> list[SnapshotInfo]:
    """Saved snapshots, newest first; of one report and/or one period when given."""
    query = select(ReportSnapshot).order_by(ReportSnapshot.made_at.desc(),
                                            ReportSnapshot.id.desc()).limit(limit)
    if report is not None:
        query = query.where(ReportSnapshot.report == report)
    if period is not None:
        key = period if isinstance(period, str) else period.key
        query = query.where(ReportSnapshot.period_key == parse_period(key).key)
    return [_info(r) for r in session.execute(query).scalars()]


def open_snapshot(session: Session, snapshot_id: int) -> ReportResult:
    """The report exactly as it was saved; `SnapshotDamaged` if its content was changed."""
    row = session.get(ReportSnapshot, snapshot_id)
    if row is None:
        raise KeyError(snapshot_id)
    if _digest(row.content) != row.sha256:
        raise SnapshotDamaged(snapshot_id)
    return ReportResult.from_json(json.loads(row.content))
