"""Numbers for the home page: what waits, what is late, what came in today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.store.models import Dossier, OutboxItem, OutboxState

# Being worked on (received, processing, waiting for papers or payment). Stopped
# dossiers (8) are paused, not late: they are left out of "in progress" and "overdue".
IN_PROGRESS = (2, 4, 5, 6)


@dataclass(frozen=True)
class Overview:
    by_status: dict[int, int]
    overdue: int
    due_soon: int
    received_today: int
    outbox_waiting: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def in_progress(self) -> int:
        return sum(self.by_status.get(s, 0) for s in IN_PROGRESS)


def desk_overview(session: Session, now: datetime, *, due_soon_days: int = 3) -> Overview:
    by_status = dict(session.execute(
        select(Dossier.status, func.count()).group_by(Dossier.status)
    ).all())
    in_progress = Dossier.status.in_(IN_PROGRESS)
    overdue = session.execute(
        select(func.count()).select_from(Dossier).where(in_progress, Dossier.due_at < now)
    ).scalar_one()
    due_soon = session.execute(
        select(func.count()).select_from(Dossier).where(
            in_progress, Dossier.due_at >= now, Dossier.due_at < now + timedelta(days=due_soon_days)
        )
    ).scalar_one()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = session.execute(
        select(func.count()).select_from(Dossier).where(Dossier.received_at >= start)
    ).scalar_one()
    return Overview(by_status, overdue, due_soon, today, outbox_waiting(session))


def outbox_waiting(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(OutboxItem).where(
            OutboxItem.state.in_((OutboxState.PENDING, OutboxState.FAILED, OutboxState.IN_FLIGHT))
        )
    ).scalar_one()
