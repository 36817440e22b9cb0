"""The detail pane of the dossier list: the dossier's fields, its papers and its timeline.

"Print control slip" (Mẫu 05) is offered for any received dossier; the pane
only emits `control_slip_requested(id)`: the page that holds it prints.

Digitisation: the papers tab shows each paper's digitisation state and the
dossier's summary line; for the selected paper "Digitise…" (the page
workspace), "View file" (the PDF viewer) and "Reuse digitised paper…" (a
returning citizen's earlier papers); the results tab digitises and shows
results. The pane does this itself with the UiContext it was given, or that
of the page holding it (its `ctx`), and reads the detail again afterwards.
A state-secret dossier offers none of it: the buttons are disabled with the
reason as tooltip and note.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal
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
from desktop.ui.context import UiContext
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
DIGITISED_FG = QColor("#0f5e73")


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


def _selectable(table: QTableWidget) -> None:
    """A table whose row the digitisation buttons act on."""
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _item(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item


class DossierDetailPane(QFrame):
    """Shows one DossierDetail: its information on the left; its processing timeline and
    its papers on the right (tabs, each titled with its counts)."""

    #: "Print control slip" was clicked for this dossier (a received one).
    control_slip_requested = Signal(int)
    # A paper or result of this dossier was digitised or reused (the detail is read again).
    digitisation_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, ctx: UiContext | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.detail: DossierDetail | None = None
        self._ctx = ctx
        self.digitise_dialog = None
        self.viewer_dialog = None
        self.reuse_dialog = None
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
        _selectable(self.components_table)
        self.results_table = _table([self.tr("Result"), self.tr("Digitisation")])
        header = self.results_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        _selectable(self.results_table)
        self._build_digitisation()
        self.timeline_tab = self.tabs.addTab(self.timeline_table, self.tr("Processing timeline"))
        self.components_tab = self.tabs.addTab(self.papers_page, self.tr("Papers"))
        self.results_tab = self.tabs.addTab(self.results_page, self.tr("Results"))
        body.addWidget(self.tabs)
        body.setSizes([420, 700])
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        self.body = body
        self.show_nothing()

    def _build_digitisation(self) -> None:
        self.digitisation_summary = QLabel()
        self.digitisation_summary.setObjectName("digitiseSummary")
        self.digitisation_note = QLabel()
        self.digitisation_note.setObjectName("digitiseRefusal")
        self.digitisation_note.setWordWrap(True)
        self.digitisation_note.hide()
        self.digitise_button = QPushButton(self.tr("Digitise…"))
        self.digitise_button.setToolTip(self.tr(
            "Scan or import the selected paper and keep it as a PDF with the dossier"))
        self.view_button = QPushButton(self.tr("View file"))
        self.view_button.setToolTip(self.tr("Open the digitised paper"))
        self.reuse_button = QPushButton(self.tr("Reuse digitised paper…"))
        self.reuse_button.setToolTip(self.tr(
            "Attach a paper this citizen had digitised for an earlier dossier, without "
            "scanning it again"))
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 6)
        bar.setSpacing(6)
        bar.addWidget(self.digitisation_summary, 1)
        bar.addWidget(self.reuse_button)
        bar.addWidget(self.view_button)
        bar.addWidget(self.digitise_button)
        self.papers_page = QWidget()
        lay = QVBoxLayout(self.papers_page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.components_table, 1)
        lay.addWidget(self.digitisation_note)
        lay.addLayout(bar)

        self.digitise_result_button = QPushButton(self.tr("Digitise…"))
        self.digitise_result_button.setToolTip(self.tr(
            "Scan or import the selected result and keep it as a PDF with the dossier"))
        self.view_result_button = QPushButton(self.tr("View file"))
        self.view_result_button.setToolTip(self.tr("Open the digitised result"))
        self.results_note = QLabel()
        self.results_note.setObjectName("digitiseRefusal")
        self.results_note.setWordWrap(True)
        self.results_note.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 6)
        bar.setSpacing(6)
        bar.addStretch(1)
        bar.addWidget(self.view_result_button)
        bar.addWidget(self.digitise_result_button)
        self.results_page = QWidget()
        lay = QVBoxLayout(self.results_page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.results_table, 1)
        lay.addWidget(self.results_note)
        lay.addLayout(bar)

        for b in (self.digitise_button, self.view_button, self.reuse_button,
                  self.digitise_result_button, self.view_result_button):
            b.setAutoDefault(False)
        self.digitise_button.clicked.connect(self.digitise_component)
        self.view_button.clicked.connect(self.view_component)
        self.reuse_button.clicked.connect(self.reuse_for_component)
        self.digitise_result_button.clicked.connect(self.digitise_result)
        self.view_result_button.clicked.connect(self.view_result)
        self.components_table.currentCellChanged.connect(
            lambda *_: self._update_digitisation_actions())
        self.results_table.currentCellChanged.connect(
            lambda *_: self._update_digitisation_actions())
        self.components_table.cellDoubleClicked.connect(lambda *_: self._component_activated())
        self.results_table.cellDoubleClicked.connect(lambda *_: self._result_activated())

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
        self._fill_results(d)
        self._fill_timeline(d)
        self._filled_id = d.id
        self._update_digitisation_actions()
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
        row(self.tr("Digitised"), d.digitisation_text, name="digitiseSummaryValue")
        if d.state_secret:
            row(self.tr("State secret"), self.tr(
                "Yes. Under the Law on Protection of State Secrets this dossier is never sent "
                "to the provincial system and its papers are never scanned or digitised: it "
                "is kept and processed on paper at this office only."), name="stateSecret")

    def _fill_components(self, d: DossierDetail) -> None:
        states = {0: self.tr("Not digitised"), 1: self.tr("Digitised"),
                  2: self.tr("Reused (paper)"), 3: self.tr("Reused (result)")}
        table = self.components_table
        keep = table.currentRow() if self._same_dossier(d) else -1
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
            label = states.get(c.digitisation_state, str(c.digitisation_state))
            if c.present and c.digitisation_state and c.pages:
                label = self.tr("{state} · {n} p.").format(state=label, n=c.pages)
            state = _item(label if c.present else "—", self._digitised_tip(
                c.digitised_at, c.digitised_by, c.pages, c.reused_from_code) or None)
            if c.present and not c.digitisation_state:
                state.setForeground(MUTED)
            elif c.present:
                state.setForeground(DIGITISED_FG)
            table.setItem(r, 3, state)
        if d.components:
            table.setCurrentCell(keep if 0 <= keep < len(d.components) else 0, 0)
        missing, digitised = d.components_missing, d.components_digitised
        text = self.tr("Papers ({n})").format(n=len(d.components))
        if missing:
            text += self.tr(" · {n} missing").format(n=missing)
        if d.components:
            text += self.tr(" · {n} digitised").format(n=digitised)
        self.tabs.setTabText(self.components_tab, text)
        self.digitisation_summary.setText(d.digitisation_text)
        self.digitisation_summary.setToolTip(d.digitisation_text)

    def _fill_results(self, d: DossierDetail) -> None:
        table = self.results_table
        keep = table.currentRow() if self._same_dossier(d) else -1
        table.setRowCount(len(d.results))
        for r, res in enumerate(d.results):
            table.setItem(r, 0, _item(res.name))
            if res.attachment_id is not None:
                label = self.tr("Digitised · {n} p.").format(n=res.pages) if res.pages \
                    else self.tr("Digitised")
                state = _item(label, self._digitised_tip(res.digitised_at, res.digitised_by,
                                                         res.pages, "") or None)
                state.setForeground(DIGITISED_FG)
            else:
                state = _item(self.tr("Not digitised"))
                state.setForeground(MUTED)
            table.setItem(r, 1, state)
        if d.results:
            table.setCurrentCell(keep if 0 <= keep < len(d.results) else 0, 0)
        done = sum(1 for res in d.results if res.attachment_id is not None)
        self.tabs.setTabText(self.results_tab, self.tr("Results ({n} · {m} digitised)").format(
            n=len(d.results), m=done))
        self.tabs.setTabVisible(self.results_tab, bool(d.results))

    def _digitised_tip(self, at: datetime | None, by: str, pages: int, origin: str) -> str:
        if at is None:
            return ""
        tip = self.tr("Digitised {time} by {name}, {n} pages").format(
            time=fmt_datetime(at), name=by or "—", n=pages)
        if origin:
            tip += "\n" + self.tr("Reused from dossier {code}").format(code=origin)
        return tip

    def _same_dossier(self, d: DossierDetail) -> bool:
        return getattr(self, "_filled_id", None) == d.id

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

    # ---------------------------------------------------------------- digitisation

    def context(self) -> UiContext | None:
        """The UiContext given, or that of the page holding the pane."""
        if self._ctx is not None:
            return self._ctx
        w: QObject | None = self.parent()
        while w is not None:
            ctx = getattr(w, "ctx", None)
            if isinstance(ctx, UiContext):
                self._ctx = ctx
                return ctx
            w = w.parent()
        return None

    def selected_component(self):  # noqa: ANN201 - ComponentInfo | None
        d, row = self.detail, self.components_table.currentRow()
        if d is None or not 0 <= row < len(d.components):
            return None
        return d.components[row]

    def selected_result(self):  # noqa: ANN201 - ResultInfo | None
        d, row = self.detail, self.results_table.currentRow()
        if d is None or not 0 <= row < len(d.results):
            return None
        return d.results[row]

    def _update_digitisation_actions(self) -> None:
        d = self.detail
        ctx = self.context()
        refusal = d.digitisation_refusal if d is not None else ""
        for note in (self.digitisation_note, self.results_note):
            note.setText(refusal)
            note.setVisible(bool(refusal))
        comp = self.selected_component()
        res = self.selected_result()
        usable = ctx is not None and d is not None
        for b in (self.digitise_button, self.view_button, self.reuse_button,
                  self.digitise_result_button, self.view_result_button):
            b.setVisible(ctx is not None)
        present = comp is not None and comp.present
        self.digitise_button.setEnabled(usable and present and not refusal)
        self.reuse_button.setEnabled(usable and present and not refusal
                                     and bool(d.applicant_id_number))
        self.view_button.setEnabled(usable and comp is not None and comp.attachment_id is not None)
        self.digitise_result_button.setEnabled(usable and res is not None and not refusal)
        self.view_result_button.setEnabled(usable and res is not None
                                           and res.attachment_id is not None)
        if refusal:
            tips = {b: refusal for b in (self.digitise_button, self.reuse_button,
                                         self.digitise_result_button)}
        else:
            tips = {
                self.digitise_button: self.tr(
                    "Scan or import the selected paper and keep it as a PDF with the dossier")
                if present or comp is None else self.tr(
                    "This paper was not handed in: there is nothing to digitise"),
                self.reuse_button: self.tr(
                    "Attach a paper this citizen had digitised for an earlier dossier, without "
                    "scanning it again"),
                self.digitise_result_button: self.tr(
                    "Scan or import the selected result and keep it as a PDF with the dossier"),
            }
        for b, tip in tips.items():
            b.setToolTip(tip)

    def _component_activated(self) -> None:
        comp = self.selected_component()
        if comp is not None and comp.attachment_id is not None:
            self.view_component()
        elif self.digitise_button.isEnabled():
            self.digitise_component()

    def _result_activated(self) -> None:
        res = self.selected_result()
        if res is not None and res.attachment_id is not None:
            self.view_result()
        elif self.digitise_result_button.isEnabled():
            self.digitise_result()

    def digitise_component(self) -> None:
        comp = self.selected_component()
        if comp is not None and self.digitise_button.isEnabled():
            self._open_workspace(comp.name, component_id=comp.id)

    def digitise_result(self) -> None:
        res = self.selected_result()
        if res is not None and self.digitise_result_button.isEnabled():
            self._open_workspace(res.name, result_id=res.id)

    def _open_workspace(self, name: str, *, component_id: int | None = None,
                        result_id: int | None = None) -> None:
        from desktop.ui.digitise.workspace import DigitiseDialog

        ctx, d = self.context(), self.detail
        if ctx is None or d is None or self.digitise_dialog is not None:
            return
        dialog = DigitiseDialog(ctx, d.id, component_id=component_id, result_id=result_id,
                                title=name, parent=self.window())
        self.digitise_dialog = dialog
        dossier_id = d.id
        dialog.saved.connect(lambda _info: self._digitised(dossier_id))

        def finished(_result: int) -> None:
            self.digitise_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def view_component(self) -> None:
        comp = self.selected_component()
        if comp is not None and comp.attachment_id is not None:
            self._open_viewer(comp.attachment_id, comp.name)

    def view_result(self) -> None:
        res = self.selected_result()
        if res is not None and res.attachment_id is not None:
            self._open_viewer(res.attachment_id, res.name)

    def _open_viewer(self, attachment_id: int, name: str) -> None:
        from desktop.ui.digitise.viewer import PdfViewerDialog

        ctx, d = self.context(), self.detail
        if ctx is None or d is None:
            return
        if self.viewer_dialog is not None:
            self.viewer_dialog.close()
        subtitle = self.tr("Dossier {code}").format(code=d.code or "—")
        dialog = PdfViewerDialog(ctx, attachment_id, title=name, subtitle=subtitle,
                                 parent=self.window())
        self.viewer_dialog = dialog

        def finished(_result: int) -> None:
            if self.viewer_dialog is dialog:
                self.viewer_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.show()

    def reuse_for_component(self) -> None:
        from desktop.ui.digitise.reuse import ReuseDialog

        ctx, d, comp = self.context(), self.detail, self.selected_component()
        if ctx is None or d is None or not self.reuse_button.isEnabled():
            return
        dialog = ReuseDialog(ctx, id_number=d.applicant_id_number, dossier_id=d.id,
                             component_id=comp.id if comp is not None else None,
                             parent=self.window())
        self.reuse_dialog = dialog
        dossier_id = d.id
        dialog.attached.connect(lambda _component: self._digitised(dossier_id))

        def finished(_result: int) -> None:
            self.reuse_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _digitised(self, dossier_id: int) -> None:
        self.digitisation_changed.emit(dossier_id)
        self.reload(dossier_id)

    def reload(self, dossier_id: int | None = None) -> None:
        """Read the shown dossier again (after a paper was digitised or reused)."""
        from desktop.services import dossier_query

        ctx = self.context()
        dossier_id = dossier_id if dossier_id is not None else (
            self.detail.id if self.detail is not None else None)
        if ctx is None or dossier_id is None:
            return
        store = ctx.store

        def work() -> DossierDetail:
            with store.reading() as session:
                return dossier_query.detail(session, dossier_id)

        def done(d: DossierDetail) -> None:
            if self.detail is not None and self.detail.id == d.id:
                self.show_detail(d)

        ctx.runner.submit(work, done, owner=self)
