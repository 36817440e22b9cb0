"""The outbox: every change that must reach the province, queued per officer.

Items are written in the same transaction as the change they describe, with a
client-generated `uid` that the server uses to answer a repeat with its first
answer. The sync engine (sync/) drains them in order per dossier.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop.services.actor import Actor
from desktop.store.models import OutboxItem, OutboxState


def enqueue(session: Session, actor: Actor, kind: str, payload: dict[str, Any], *,
            dossier_id: int | None = None, at: datetime | None = None) -> OutboxItem:
    item = OutboxItem(
        uid=str(uuid.uuid4()), officer_id=actor.officer_id, kind=kind, dossier_id=dossier_id,
        payload=json.dumps(payload, ensure_ascii=False, default=str),
        state=OutboxState.PENDING, attempts=0, last_error="", created_at=at or datetime.now(),
    )
    session.add(item)
    return item
