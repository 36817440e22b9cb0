"""What every view of a logged-in window needs: the store, the runner, who is working."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.services.actor import Actor
from desktop.store.database import Store
from desktop.ui.tasks import TaskRunner


@dataclass
class UiContext:
    store: Store
    runner: TaskRunner
    actor: Actor
    office_name: str
    agency_code: str
    desk_number: int
