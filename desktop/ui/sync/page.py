""""Đồng bộ": the exchange with the province as the officer sees it.

- the status (the same as the status bar) and "Đồng bộ ngay";
- the officer's province account: sign in (the password goes to the OS keyring
  only), sign out of sync on this PC (nothing in the outbox is deleted); the
  server address and the province's CA bundle (administrators);
- conflicts: what happened, in Vietnamese, with both sides kept; "Đã xem";
- changes: queued, sent, failed and conflicting outbox items with the
  server's message, and "Gửi lại" for an item that can be sent again.

Reads go through the reader pool, writes through the writer thread, network
work through the SyncStatusController's thread: nothing here touches SQL or HTTP.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.store.models import OutboxState, Role
from desktop.ui.context import UiContext
from desktop.ui.sync_status import SyncStatus, SyncStatusController


def _when(value: Any) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value is not None else ""


class SyncPage(QWidget):
    def __init__(self, ctx: UiContext, controller: SyncStatusController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.controller = controller
        self.conflicts: list = []
        self.items: list = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 24)
        title = QLabel(self.tr("Sync with the province"))
        title.setObjectName("pageTitle")
        lay.addWidget(title)

        top = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        top.addWidget(self.status_label, 1)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("primary")
        self.sync_button.clicked.connect(self.sync_now)
        top.addWidget(self.sync_button)
        lay.addLayout(top)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("pageSubtitle")
        self.detail_label.setWordWrap(True)
        lay.addWidget(self.detail_label)

        lay.addWidget(self._account_box())

        self.tabs = QTabWidget()
        self.tabs.addTab(self._conflicts_tab(), self.tr("Conflicts"))
        self.tabs.addTab(self._items_tab(), self.tr("Changes"))
        lay.addWidget(self.tabs, 1)

        controller.status_changed.connect(self.show_status)
        controller.round_finished.connect(lambda _report: self.reload())
        controller.signed_in.connect(self._signed_in)
        controller.signed_out.connect(lambda message: self.account_message.setText(
            message or self.tr("Signed out of sync on this PC. Unsent changes are kept.")))
        self.show_status(controller.status)
        self.reload()

    # ------------------------------------------------------------------- parts

    def _account_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Province account"))
        form = QFormLayout(box)
        admin = self.ctx.actor.has(Role.ADMIN)
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText("https://motcua.tinh.gov.vn")
        self.server_edit.setReadOnly(not admin)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("Only if the province uses its own certificates"))
        self.ca_edit.setReadOnly(not admin)
        server_row = QHBoxLayout()
        server_row.addWidget(self.server_edit, 1)
        self.save_server_button = QPushButton(self.tr("Save"))
        self.save_server_button.clicked.connect(self.save_server)
        self.save_server_button.setVisible(admin)
        server_row.addWidget(self.save_server_button)
        form.addRow(self.tr("Server address"), server_row)
        form.addRow(self.tr("Province CA bundle"), self.ca_edit)
        self.connector_combo = QComboBox()
        self.connector_combo.addItem(self.tr("The province's one-stop sync server"), "motcua")
        self.connector_combo.addItem(
            self.tr("A gateway with the national portal's services (DongBoHoSoMC…)"), "dvcqg")
        self.connector_combo.setEnabled(admin)
        form.addRow(self.tr("Connection"), self.connector_combo)
        pw_row = QHBoxLayout()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Password of your province account"))
        self.password_edit.returnPressed.connect(self.sign_in)
        pw_row.addWidget(self.password_edit, 1)
        self.sign_in_button = QPushButton(self.tr("Sign in"))
        self.sign_in_button.clicked.connect(self.sign_in)
        pw_row.addWidget(self.sign_in_button)
        self.sign_out_button = QPushButton(self.tr("Sign out of sync"))
        self.sign_out_button.setToolTip(self.tr(
            "Forget your province password on this PC. Changes not sent yet are kept."))
        self.sign_out_button.clicked.connect(self.controller.sign_out)
        pw_row.addWidget(self.sign_out_button)
        form.addRow(self.tr("Password"), pw_row)
        self.account_message = QLabel()
        self.account_message.setWordWrap(True)
        form.addRow(self.account_message)
        return box

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(True)
        return table

    def _conflicts_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        intro = QLabel(self.tr(
            "What sync could not do as this desk wanted. Nothing is dropped: the desk's "
            "changes stay in the list of changes and both versions are kept here."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.conflict_table = self._table([self.tr("When"), self.tr("Dossier"),
                                           self.tr("Kind"), self.tr("What happened")])
        self.conflict_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.conflict_table.itemSelectionChanged.connect(self._conflict_selected)
        lay.addWidget(self.conflict_table, 2)
        self.conflict_detail = QPlainTextEdit()
        self.conflict_detail.setReadOnly(True)
        lay.addWidget(self.conflict_detail, 1)
        bar = QHBoxLayout()
        self.resolve_button = QPushButton(self.tr("Mark as reviewed"))
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.resolve_button.setEnabled(False)
        bar.addWidget(self.resolve_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        return w

    def _items_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show:")))
        self.filter_combo = QComboBox()
        for label, states in (
                (self.tr("Not sent yet"), (OutboxState.PENDING, OutboxState.IN_FLIGHT,
                                           OutboxState.FAILED)),
                (self.tr("Failed"), (OutboxState.FAILED,)),
                (self.tr("Conflicts and refusals"), (OutboxState.CONFLICT,)),
                (self.tr("Sent"), (OutboxState.SENT,)),
                (self.tr("All"), ())):
            self.filter_combo.addItem(label, states)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(self.filter_combo)
        bar.addStretch(1)
        self.retry_button = QPushButton(self.tr("Send again"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_button.setEnabled(False)
        bar.addWidget(self.retry_button)
        lay.addLayout(bar)
        self.item_table = self._table([
            self.tr("Made at"), self.tr("Dossier"), self.tr("Change"), self.tr("Officer"),
            self.tr("State"), self.tr("Attempts"), self.tr("Server's message")])
        self.item_table.horizontalHeader().setSectionResizeMode(
            6, QHeaderView.ResizeMode.Stretch)
        self.item_table.itemSelectionChanged.connect(self._item_selected)
        lay.addWidget(self.item_table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        return w

    # ------------------------------------------------------------------ status

    def show_status(self, status: SyncStatus) -> None:
        self.status_label.setText(self.controller.status_text(status))
        self.detail_label.setText(status.message)
        self.sync_button.setEnabled(status.state != "syncing")

    def sync_now(self) -> None:
        self.controller.sync_now(force=True)

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        from sync import queue

        store = self.ctx.store
        states = self.filter_combo.currentData() or ()

        def work() -> tuple[list, list, str, str]:
            from desktop.services import settings

            with store.reading() as session:
                return (queue.list_conflicts(session), queue.list_items(session, states=states),
                        settings.get(session, "sync.server_url"),
                        settings.get(session, "sync.ca_bundle"),
                        settings.get(session, "sync.connector"))

        self.ctx.runner.submit(work, self._fill, self._failed, owner=self)

    def _fill(self, result: tuple[list, list, str, str, str]) -> None:
        conflicts, items, url, ca, connector = result
        if not self.server_edit.hasFocus():
            self.server_edit.setText(url)
        if not self.ca_edit.hasFocus():
            self.ca_edit.setText(ca)
        if not self.connector_combo.hasFocus():
            self.connector_combo.setCurrentIndex(max(0, self.connector_combo.findData(connector)))
        self.conflicts = conflicts
        t = self.conflict_table
        t.setRowCount(len(conflicts))
        for i, c in enumerate(conflicts):
            for j, text in enumerate((_when(c.created_at), c.dossier_code, c.kind_label,
                                      c.message)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                t.setItem(i, j, cell)
        t.resizeColumnsToContents()
        t.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tabs.setTabText(0, self.tr("Conflicts ({n})").format(n=len(conflicts)))
        self._conflict_selected()
        self.items = items
        t = self.item_table
        t.setRowCount(len(items))
        for i, it in enumerate(items):
            cells = (_when(it.created_at), it.dossier_code, it.kind_label, it.officer_name,
                     it.state_label, str(it.attempts), it.last_error)
            for j, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if j == 5:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(i, j, cell)
        t.resizeColumnsToContents()
        t.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self._item_selected()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(getattr(exc, "message_vi", None) or str(exc))

    def _selected(self, table: QTableWidget, rows: list) -> Any:
        index = table.currentRow()
        return rows[index] if 0 <= index < len(rows) and table.selectedItems() else None

    def _conflict_selected(self) -> None:
        c = self._selected(self.conflict_table, self.conflicts)
        self.resolve_button.setEnabled(c is not None)
        if c is None:
            self.conflict_detail.clear()
            return
        parts = [c.message]
        if c.server_data is not None:
            parts += ["", self.tr("Province's version:"),
                      json.dumps(c.server_data, ensure_ascii=False, indent=1)[:20000]]
        if c.local_data is not None:
            parts += ["", self.tr("This desk's version:"),
                      json.dumps(c.local_data, ensure_ascii=False, indent=1)[:20000]]
        self.conflict_detail.setPlainText("\n".join(parts))

    def _item_selected(self) -> None:
        it = self._selected(self.item_table, self.items)
        self.retry_button.setEnabled(it is not None and it.can_retry)

    # ------------------------------------------------------------------ actions

    def resolve_selected(self) -> None:
        from sync import queue

        c = self._selected(self.conflict_table, self.conflicts)
        if c is None:
            return
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> None:
            with store.transaction() as session:
                queue.resolve_conflict(session, actor, c.id)

        self.ctx.runner.submit(work, lambda _r: self._after_change(), self._failed,
                               write=True, owner=self)

    def retry_selected(self) -> None:
        from sync import queue

        it = self._selected(self.item_table, self.items)
        if it is None:
            return
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> bool:
            with store.transaction() as session:
                return queue.retry_item(session, actor, it.id)

        self.ctx.runner.submit(work, lambda _ok: self._after_change(), self._failed,
                               write=True, owner=self)

    def _after_change(self) -> None:
        self.reload()
        self.controller.refresh()
        self.controller.sync_now()

    def save_server(self) -> None:
        from sync import queue

        store, actor = self.ctx.store, self.ctx.actor
        url, ca = self.server_edit.text(), self.ca_edit.text()
        connector = self.connector_combo.currentData()

        def work() -> bool:
            with store.transaction() as session:
                return queue.set_server(session, actor, url=url, ca_bundle=ca,
                                        connector=connector)

        self.ctx.runner.submit(work, lambda _changed: self._after_change(),
                               lambda exc: self.account_message.setText(
                                   getattr(exc, "message_vi", None) or str(exc)),
                               write=True, owner=self)

    def sign_in(self) -> None:
        password = self.password_edit.text()
        if not password:
            self.account_message.setText(self.tr("Enter the password of your province account."))
            return
        self.password_edit.clear()
        self.sign_in_button.setEnabled(False)
        self.account_message.setText(self.tr("Signing in…"))
        self.controller.sign_in(password)

    def _signed_in(self, message: str | None) -> None:
        self.sign_in_button.setEnabled(True)
        self.account_message.setText(message or self.tr("Signed in. Sync runs by itself."))
