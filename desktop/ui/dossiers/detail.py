"""The detail pane of the dossier list: the dossier's fields, its papers and its timeline.

"Print control slip" (Mẫu 05) is offered for any received dossier; the pane
only emits `control_slip_requested(id)`: the page that holds it prints.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.status import Status
from desktop.services.dossier_query import DossierDetail
from desktop.services.overview import IN_PROGRESS
from desktop.ui.dossiers.model import (
    DUE_SOON_DAYS,
    MUTED,
    OVERDUE_FG,
    fmt_count,
    fmt_date,
    fmt_datetime,
)

MISSING_FG = QColor("#9b2c22")
PRESENT_FG = QColor("#2e6b3a")


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setShowGrid(False)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return table


def _item(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item


class DossierDetailPane(QFrame):
    """Shows one DossierDetail: its information on the left; its processing timeline and
    its papers on the right (tabs, each titled with its counts)."""

    #: "Print control slip" was clicked for this dossier (a received one).
    control_slip_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.detail: DossierDetail | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 10)
        outer.setSpacing(4)
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.control_slip_button = QPushButton(self.tr("Print control slip"))
        self.control_slip_button.setToolTip(self.tr(
            "The slip that goes with the dossier: every hand-over, signed by both officers"))
        self.control_slip_button.clicked.connect(self._control_slip_clicked)
        self.control_slip_button.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading, 1)
        top.addWidget(self.control_slip_button)
        outer.addLayout(top)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.placeholder = QLabel(self.tr("Select a dossier to see its details."))
        self.placeholder.setObjectName("pageSubtitle")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.setChildrenCollapsible(False)
        self.stack.addWidget(body)

        info = QWidget()
        self.form = QFormLayout(info)
        self.form.setContentsMargins(0, 0, 8, 0)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(3)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.info_scroll = QScrollArea()
        self.info_scroll.setWidgetResizable(True)
        self.info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.info_scroll.setWidget(info)
        body.addWidget(self.info_scroll)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.timeline_table = _table([self.tr("Time"), self.tr("Officer"), self.tr("What was done"),
                                      self.tr("Status")])
        header = self.timeline_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.components_table = _table([self.tr("Paper"), self.tr("Copies"),
                                        self.tr("Handed in"), self.tr("Digitisation")])
        header = self.components_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline_tab = self.tabs.addTab(self.timeline_table, self.tr("Processing timeline"))
        self.components_tab = self.tabs.addTab(self.components_table, self.tr("Papers"))
        body.addWidget(self.tabs)
        body.setSizes([420, 700])
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        self.body = body
        self.show_nothing()

    # ---------------------------------------------------------------------- states

    def show_nothing(self, message: str | None = None) -> None:
        self.detail = None
        self.heading.setText("")
        self.heading.hide()
        self.control_slip_button.hide()
        self.placeholder.setText(message or self.tr("Select a dossier to see its details."))
        self.stack.setCurrentWidget(self.placeholder)

    def show_loading(self) -> None:
        if self.detail is None:
            self.placeholder.setText(self.tr("Loading…"))

    def show_detail(self, d: DossierDetail, now: datetime | None = None) -> None:
        now = now or datetime.now()
        self.detail = d
        self.heading.setText(self.tr("<b>{code}</b> — {status}").format(
            code=d.code or self.tr("(no code)"), status=Status(d.status).label))
        self.heading.show()
        self.control_slip_button.setVisible(
            d.received_at is not None and d.status != Status.REFUSED)
        self._fill_info(d, now)
        self._fill_components(d)
        self._fill_timeline(d)
        self.stack.setCurrentWidget(self.body)

    def _control_slip_clicked(self) -> None:
        if self.detail is not None:
            self.control_slip_requested.emit(self.detail.id)

    # ---------------------------------------------------------------------- parts

    def _fill_info(self, d: DossierDetail, now: datetime) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        channels = {"1": self.tr("In person"), "2": self.tr("Online"), "3": self.tr("By post")}

        def row(label: str, value: str | None, *, name: str = "") -> None:
            if not value:
                return
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if name:
                text.setObjectName(name)
            caption = QLabel(label)
            caption.setObjectName("fieldCaption")
            self.form.addRow(caption, text)

        person = ", ".join(x for x in (d.applicant_sex, fmt_date(d.applicant_birth_date)) if x)
        row(self.tr("Applicant"), d.applicant_name + (f" ({person})" if person else ""))
        row(self.tr("ID number"), d.applicant_id_number
            + (self.tr(" (old ID {n})").format(n=d.applicant_old_id) if d.applicant_old_id else ""))
        row(self.tr("Phone"), d.applicant_phone)
        row(self.tr("Email"), d.applicant_email)
        row(self.tr("Address"), d.applicant_address)
        if d.has_submitter:
            row(self.tr("Submitted by"), ", ".join(x for x in (
                d.submitter_name, d.submitter_id_number, d.submitter_phone) if x))
        row(self.tr("Procedure"), f"{d.procedure_name} ({d.procedure_code})")
        row(self.tr("Field"), d.field_name)
        row(self.tr("Channel"), channels.get(d.channel, d.channel))
        row(self.tr("Summary"), d.summary)
        if d.channel == "2" or d.received_at is None:
            row(self.tr("Submitted"), fmt_datetime(d.submitted_at))
        row(self.tr("Received"), fmt_datetime(d.received_at)
            + (self.tr(" by {name}").format(name=d.received_by) if d.received_by else ""))
        due = fmt_datetime(d.due_at)
        if due and d.status in IN_PROGRESS and d.due_at is not None:
            if d.due_at < now:
                due = self.tr("{time} — overdue").format(time=due)
            elif (d.due_at - now).days < DUE_SOON_DAYS:
                due = self.tr("{time} — due soon").format(time=due)
        row(self.tr("Due"), due, name="dueValue")
        if d.original_due_at and d.due_at and d.original_due_at != d.due_at:
            row(self.tr("First due date"), fmt_datetime(d.original_due_at))
        row(self.tr("Assigned to"), d.assignee)
        row(self.tr("Processed"), fmt_datetime(d.finished_at))
        row(self.tr("Result returned"), fmt_datetime(d.returned_at)
            + (self.tr(" (by post)") if d.return_by_post and d.returned_at else ""))
        row(self.tr("Refused"), fmt_datetime(d.refused_at))
        row(self.tr("Reason"), d.reason)
        if d.fees:
            fees = "; ".join(
                self.tr("{name}: {amount} đ ({paid})").format(
                    name=f.name, amount=fmt_count(f.amount),
                    paid=self.tr("paid online") if f.paid_online else
                    self.tr("paid") if f.paid else self.tr("not paid"))
                for f in d.fees)
            row(self.tr("Fees"), fees)
        row(self.tr("Note"), d.note)
        if d.state_secret:
            row(self.tr("State secret"), self.tr(
                "Yes. Under the Law on Protection of State Secrets this dossier is never sent "
                "to the provincial system and its papers are never scanned or digitised: it "
                "is kept and processed on paper at this office only."), name="stateSecret")

    def _fill_components(self, d: DossierDetail) -> None:
        states = {0: self.tr("Not digitised"), 1: self.tr("Digitised"),
                  2: self.tr("Reused (paper)"), 3: self.tr("Reused (result)")}
        table = self.components_table
        table.setRowCount(len(d.components))
        for r, c in enumerate(d.components):
            copies = []
            if c.originals:
                copies.append(self.tr("{n} original").format(n=c.originals))
            if c.certified:
                copies.append(self.tr("{n} certified").format(n=c.certified))
            if c.photocopies:
                copies.append(self.tr("{n} photocopy").format(n=c.photocopies))
            table.setItem(r, 0, _item(c.name))
            table.setItem(r, 1, _item(", ".join(copies) or "—"))
            present = _item(self.tr("Yes") if c.present else self.tr("Missing"))
            present.setForeground(PRESENT_FG if c.present else MISSING_FG)
            table.setItem(r, 2, present)
            state = _item(states.get(c.digitisation_state, str(c.digitisation_state))
                          if c.present else "—")
            if c.present and not c.digitisation_state:
                state.setForeground(MUTED)
            table.setItem(r, 3, state)
        missing, digitised = d.components_missing, d.components_digitised
        text = self.tr("Papers ({n})").format(n=len(d.components))
        if missing:
            text += self.tr(" · {n} missing").format(n=missing)
        if d.components:
            text += self.tr(" · {n} digitised").format(n=digitised)
        self.tabs.setTabText(self.components_tab, text)

    def _fill_timeline(self, d: DossierDetail) -> None:
        table = self.timeline_table
        table.setRowCount(len(d.timeline))
        for r, step in enumerate(d.timeline):
            table.setItem(r, 0, _item(fmt_datetime(step.acted_at)))
            who = step.officer_name
            tip = "\n".join(x for x in (step.officer_name, step.officer_title, step.department) if x)
            table.setItem(r, 1, _item(who, tip))
            content = _item(step.content)
            if step.step_deadline:
                content.setToolTip(self.tr("{content}\nStep deadline: {time}").format(
                    content=step.content, time=fmt_datetime(step.step_deadline)))
            table.setItem(r, 2, content)
            status = _item(Status(step.status).label)
            if step.status == Status.REFUSED or step.status == Status.STOPPED:
                status.setForeground(OVERDUE_FG)
            table.setItem(r, 3, status)
        self.tabs.setTabText(self.timeline_tab,
                             self.tr("Processing timeline ({n} steps)").format(n=len(d.timeline)))
        if d.timeline:
            table.scrollToBottom()
