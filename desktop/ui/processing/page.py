"""Processing ("Xử lý"): my work queue, the selected dossier, and the actions allowed now.

Besides the actions, the selected dossier's slips print from here: its
apology (Mẫu 04) once a leader approved one, and its control slip (Mẫu 05,
from the detail pane).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.status import Status
from desktop.ui.context import UiContext
from desktop.ui.dossiers.detail import DossierDetailPane
from desktop.ui.processing.actions import ActionDialog, action_title

URGENCY_COLOURS = {"overdue": "#fde8e6", "due_soon": "#fff4dc"}
SHOWN_ACTIONS = 3


class ProcessingPage(QWidget):
    count_changed = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list = []
        self.last_preview = None
        self._officers: list[tuple[int, str]] = []
        title = QLabel(self.tr("My work"))
        title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("pageSubtitle")
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Applicant"), self.tr("Procedure"), self.tr("Status"),
            self.tr("Due"), self.tr("To do")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col, mode in ((0, QHeaderView.ResizeMode.ResizeToContents),
                          (1, QHeaderView.ResizeMode.Interactive),
                          (2, QHeaderView.ResizeMode.Stretch),
                          (3, QHeaderView.ResizeMode.ResizeToContents),
                          (4, QHeaderView.ResizeMode.ResizeToContents),
                          (5, QHeaderView.ResizeMode.Interactive)):
            header.setSectionResizeMode(col, mode)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(5, 240)
        self.table.currentCellChanged.connect(lambda *_: self._selection_changed())

        self.actions_bar = QHBoxLayout()
        self.actions_label = QLabel(self.tr("Actions:"))
        self.actions_bar.addWidget(self.actions_label)
        self.actions_bar.addStretch(1)
        self.action_buttons: dict[str, object] = {}
        self.print_buttons: dict[str, QPushButton] = {}
        self._action_widgets: list[QWidget] = []
        self.detail = DossierDetailPane()
        self.detail.control_slip_requested.connect(self.print_control_slip)
        lower = QWidget()
        lower_lay = QVBoxLayout(lower)
        lower_lay.setContentsMargins(0, 0, 0, 0)
        lower_lay.addLayout(self.actions_bar)
        lower_lay.addWidget(self.detail, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([380, 420])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 12)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        QTimer.singleShot(0, self.refresh)
        QTimer.singleShot(0, self._load_officers)

    # ----------------------------------------------------------------- loading

    def refresh(self) -> None:
        from desktop.services import queues

        store, actor, now = self.ctx.store, self.ctx.actor, datetime.now()

        def work():  # noqa: ANN202
            with store.reading() as session:
                return queues.my_work(session, actor, now), queues.counts(session, actor, now)

        def failed(exc: BaseException) -> None:
            self.summary.setText(self.tr("The work list could not be read: {error}").format(
                error=getattr(exc, "message_vi", None) or exc))

        self.ctx.runner.submit(work, self._show, failed, owner=self)

    def _load_officers(self) -> None:
        from desktop.services import auth
        from desktop.store.models import Role

        store = self.ctx.store

        def work() -> list[tuple[int, str]]:
            with store.reading() as session:
                return [(o.id, f"{o.full_name} — {o.department or o.title}".rstrip(" —"))
                        for o in auth.list_officers(session)
                        if o.active and (Role.SPECIALIST in o.role_set or Role.LEADER in o.role_set)]

        self.ctx.runner.submit(work, lambda officers: setattr(self, "_officers", officers), owner=self)

    def _show(self, result) -> None:  # noqa: ANN001
        items, counts = result
        selected = self.selected_id()
        self.items = items
        self.table.setRowCount(len(items))
        self.summary.setText(self.tr("{n} dossiers wait for you, {m} of them overdue").format(
            n=counts.total, m=counts.overdue))
        for r, it in enumerate(items):
            due = it.due_at.strftime("%H:%M %d/%m/%Y") if it.due_at else ""
            values = (it.code or "", it.applicant, it.procedure, Status(it.status).label,
                      due, it.todo)
            colour = URGENCY_COLOURS.get(str(it.urgency))
            brush = QBrush(QColor(colour)) if colour else None
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if brush is not None:
                    item.setBackground(brush)
                self.table.setItem(r, c, item)
        self.count_changed.emit(counts.total)
        rows = [i for i, it in enumerate(items) if it.id == selected]
        if not items:
            self._clear_actions()
        elif self.table.currentRow() == (rows[0] if rows else 0):
            self._selection_changed()  # the same row: its actions and slips may have changed
        else:
            self.table.selectRow(rows[0] if rows else 0)

    def selected_id(self) -> int | None:
        r = self.table.currentRow()
        return self.items[r].id if 0 <= r < len(self.items) else None

    def _selection_changed(self) -> None:
        dossier_id = self.selected_id()
        if dossier_id is None:
            self._clear_actions()
            self.detail.show_nothing()
            return
        from desktop.services import dossier_query, processing

        store, actor = self.ctx.store, self.ctx.actor

        def work():  # noqa: ANN202
            with store.reading() as session:
                return (dossier_query.detail(session, dossier_id),
                        processing.actions_for(session, actor, dossier_id),
                        any(a.state == "approved"
                            for a in processing.apologies_of(session, dossier_id)))

        def done(result) -> None:  # noqa: ANN001
            if dossier_id != self.selected_id():
                return
            detail, actions, apology_approved = result
            self.detail.show_detail(detail)
            self._set_actions(dossier_id, actions, detail)
            if apology_approved:
                self._add_print_button("apology", self.tr("Print apology slip"),
                                       lambda: self.print_apology_slip(dossier_id))

        self.detail.show_loading()
        self.ctx.runner.submit(work, done, owner=self)

    # ----------------------------------------------------------------- actions

    def _clear_actions(self) -> None:
        for widget in self._action_widgets:
            self.actions_bar.removeWidget(widget)
            widget.deleteLater()
        self._action_widgets = []
        self.action_buttons = {}
        self.print_buttons = {}

    def _add_print_button(self, key: str, text: str, slot) -> None:  # noqa: ANN001
        """A printing button at the right end of the actions bar (cleared with the actions)."""
        button = QPushButton(text)
        button.clicked.connect(lambda _c=False: slot())
        self.actions_bar.addWidget(button)
        self._action_widgets.append(button)
        self.print_buttons[key] = button

    def _set_actions(self, dossier_id: int, actions: list[str], detail) -> None:  # noqa: ANN001
        """The first actions as buttons, the rest in a "more" menu (keeps the window narrow)."""
        self._clear_actions()
        shown, more = actions[:SHOWN_ACTIONS], actions[SHOWN_ACTIONS:]
        for i, name in enumerate(shown):
            button = QPushButton(action_title(name))
            if i == 0:
                button.setObjectName("primary")
            button.clicked.connect(lambda _c=False, n=name: self.run_action(n, dossier_id, detail))
            self.actions_bar.insertWidget(1 + i, button)
            self._action_widgets.append(button)
            self.action_buttons[name] = button
        if more:
            tool = QToolButton()
            tool.setText(self.tr("More actions"))
            tool.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(tool)
            for name in more:
                action = menu.addAction(action_title(name))
                action.triggered.connect(lambda _c=False, n=name: self.run_action(n, dossier_id, detail))
                self.action_buttons[name] = action
            tool.setMenu(menu)
            self.actions_bar.insertWidget(1 + len(shown), tool)
            self._action_widgets.append(tool)

    def print_supplement_request(self, dossier_id: int) -> None:
        """Mẫu 02 for the supplement round just requested, to hand or send to the applicant."""
        from desktop.services import processing
        from desktop.ui.printing import PrintPreviewDialog

        store = self.ctx.store

        def work():  # noqa: ANN202
            with store.reading() as session:
                return processing.supplement_request_data(session, dossier_id)

        def done(data) -> None:  # noqa: ANN001
            self.last_preview = PrintPreviewDialog(
                data, self.tr("Supplement request — {code}").format(code=data.dossier_code),
                f"yeu-cau-bo-sung-{data.dossier_code}.pdf", parent=self)
            self.last_preview.open()

        self.ctx.runner.submit(work, done, owner=self)

    def _print_failed(self, exc: BaseException) -> None:
        self.summary.setText(getattr(exc, "message_vi", None) or str(exc))

    def print_apology_slip(self, dossier_id: int) -> None:
        """Mẫu 04: the dossier's latest approved apology, in a print preview (`last_preview`)."""
        from desktop.ui.printing import open_apology_slip

        open_apology_slip(self.ctx, dossier_id, self,
                          on_open=lambda dialog: setattr(self, "last_preview", dialog),
                          on_error=self._print_failed)

    def print_control_slip(self, dossier_id: int) -> None:
        """Mẫu 05: the dossier's control slip with its hand-overs so far (`last_preview`)."""
        from desktop.ui.printing import open_control_slip

        open_control_slip(self.ctx, dossier_id, self,
                          on_open=lambda dialog: setattr(self, "last_preview", dialog),
                          on_error=self._print_failed)

    def run_action(self, name: str, dossier_id: int, detail=None, *, exec_dialog: bool = True):  # noqa: ANN001, ANN201
        defaults = {}
        if name == "finish" and detail is not None:
            defaults["results"] = list(getattr(detail, "procedure_results", []) or [])
        if name == "return_result" and detail is not None:
            defaults["receiver_name"] = getattr(detail, "applicant_name", "")
        dialog = ActionDialog(self.ctx, name, dossier_id, officers=self._officers,
                              defaults=defaults, parent=self)
        dialog.accepted.connect(self.refresh)
        if name == "request_supplement":
            dialog.accepted.connect(lambda: self.print_supplement_request(dossier_id))
        if exec_dialog:
            dialog.open()
        return dialog
