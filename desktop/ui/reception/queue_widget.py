"""Online dossiers (status 1) waiting to be checked and received or refused."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services import reception
from desktop.ui.context import UiContext


class OnlineQueueWidget(QWidget):
    count_changed = Signal(int)
    received = Signal(int)
    refuse_requested = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[reception.QueueRow] = []
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([
            self.tr("Submitted"), self.tr("Code"), self.tr("Applicant"), self.tr("Procedure")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_: self._show_detail())
        self.detail = QTextBrowser()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([400, 200])
        self.receive_button = QPushButton(self.tr("Receive (Ctrl+Enter)"))
        self.receive_button.setObjectName("primary")
        self.refuse_button = QPushButton(self.tr("Refuse… (Ctrl+R)"))
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.message = QLabel()
        self.message.setObjectName("pageSubtitle")
        bar = QHBoxLayout()
        for b in (self.receive_button, self.refuse_button, self.refresh_button):
            bar.addWidget(b)
        bar.addWidget(self.message, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.receive_button.clicked.connect(self.receive_selected)
        self.refuse_button.clicked.connect(self._refuse_selected)
        self.refresh_button.clicked.connect(self.refresh)
        for keys, slot in (("Ctrl+Return", self.receive_selected), ("Ctrl+R", self._refuse_selected),
                           ("F5", self.refresh)):
            QShortcut(QKeySequence(keys), self, activated=slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def refresh(self) -> None:
        store = self.ctx.store

        def work() -> list[reception.QueueRow]:
            with store.reading() as session:
                return reception.online_queue(session)

        self.ctx.runner.submit(work, self._show, owner=self)

    def _show(self, rows: list[reception.QueueRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            when = row.submitted_at.strftime("%d/%m/%Y %H:%M") if row.submitted_at else ""
            for c, value in enumerate((when, row.code, row.applicant_name, row.procedure_name)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if rows:
            self.table.selectRow(0)
        else:
            self.detail.setPlainText(self.tr("No online dossier is waiting."))
        self.count_changed.emit(len(rows))

    def selected(self) -> reception.QueueRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _show_detail(self) -> None:
        row = self.selected()
        if row is None:
            return
        papers = "".join(f"<li>{_esc(n)}</li>" for n in row.components) or "<li>—</li>"
        applicant_label = self.tr("Applicant")
        papers_label = self.tr("Papers submitted online")
        self.detail.setHtml(
            f"<b>{_esc(row.code)}</b><br>{_esc(row.procedure_name)}<br>"
            f"{applicant_label}: {_esc(row.applicant_name)} {_esc(row.applicant_id_number)}"
            f"<br>{papers_label}:<ul>{papers}</ul>")

    def receive_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        store, actor = self.ctx.store, self.ctx.actor
        self.receive_button.setEnabled(False)

        def done(saved: reception.Saved) -> None:
            self.receive_button.setEnabled(True)
            self.message.setText(self.tr("Received: {code}").format(code=saved.code))
            self.received.emit(saved.dossier_id)
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.receive_button.setEnabled(True)
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))

        self.ctx.runner.submit(lambda: reception.receive_online(store, actor, row.id), done, failed,
                               write=True, owner=self)

    def _refuse_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.refuse_requested.emit(row.id)


def _esc(text: str) -> str:
    import html

    return html.escape(text or "")
