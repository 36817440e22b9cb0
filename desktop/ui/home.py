"""Home page ("Tổng quan"): the desk's numbers at a glance."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain.status import Status
from desktop.services.overview import Overview, desk_overview
from desktop.ui.context import UiContext


class _Card(QFrame):
    def __init__(self, label: str) -> None:
        super().__init__()
        self.setObjectName("card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        self.value = QLabel("…")
        self.value.setObjectName("cardValue")
        self.label = QLabel(label)
        self.label.setObjectName("cardLabel")
        self.label.setWordWrap(True)
        lay.addWidget(self.value)
        lay.addWidget(self.label)

    def set_value(self, n: int) -> None:
        self.value.setText(f"{n:,}".replace(",", "."))


class HomePage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 24)
        lay.setSpacing(14)
        self.greeting = QLabel(self.tr("Hello, {name}").format(name=ctx.actor.name))
        self.greeting.setObjectName("pageTitle")
        lay.addWidget(self.greeting)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSubtitle")
        lay.addWidget(self.subtitle)

        grid = QGridLayout()
        grid.setSpacing(12)
        self.cards = {
            "waiting": _Card(self.tr("Online dossiers waiting for reception")),
            "received_today": _Card(self.tr("Received today")),
            "in_progress": _Card(self.tr("Being processed")),
            "due_soon": _Card(self.tr("Due within 3 days")),
            "overdue": _Card(self.tr("Overdue, not yet resolved")),
            "ready": _Card(self.tr("Resolved, waiting to be returned")),
            "total": _Card(self.tr("All dossiers in this office")),
            "outbox": _Card(self.tr("Changes waiting to be sent to the province")),
        }
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, i // 4, i % 4)
        lay.addLayout(grid)

        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        lay.addWidget(self.refresh_button, alignment=Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        self.loaded = False

    def refresh(self) -> None:
        now = datetime.now()
        self.subtitle.setText(self.tr("{office} · figures as of {time}").format(
            office=self.ctx.office_name, time=now.strftime("%H:%M %d/%m/%Y")))
        store = self.ctx.store

        def work() -> Overview:
            with store.reading() as session:
                return desk_overview(session, now)

        self.ctx.runner.submit(work, self._show, owner=self)

    def _show(self, o: Overview) -> None:
        c = self.cards
        c["waiting"].set_value(o.by_status.get(Status.NEW_ONLINE, 0))
        c["received_today"].set_value(o.received_today)
        c["in_progress"].set_value(o.in_progress)
        c["due_soon"].set_value(o.due_soon)
        c["overdue"].set_value(o.overdue)
        c["ready"].set_value(o.by_status.get(Status.PROCESSED, 0))
        c["total"].set_value(o.total)
        c["outbox"].set_value(o.outbox_waiting)
        self.loaded = True
