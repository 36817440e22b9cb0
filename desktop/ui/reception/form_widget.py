"""The reception form: procedure, applicant (scan or type), submitter, papers, channel, due date.

Keyboard-first: a scan of the ID card fills the applicant wherever the focus
is; Ctrl+S receives and prints the receipt; Ctrl+G prints the supplement
guidance for an incomplete dossier; Ctrl+R refuses; Ctrl+N starts anew.
Everything typed is saved as a draft a moment after each change.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import DueDate
from desktop.domain.errors import DomainError
from desktop.domain.identity import InvalidIdCardQr, parse_id_card_qr
from desktop.services import catalogue, reception
from desktop.services.reception import ReceptionForm
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.models import Channel
from desktop.ui.context import UiContext
from desktop.ui.forms import error_label
from desktop.ui.reception.components_table import ComponentsTable
from desktop.ui.reception.person_fields import PersonFields
from desktop.ui.reception.procedure_picker import ProcedureChoice, ProcedurePicker
from desktop.ui.reception.scanner import WedgeScanDetector

AUTOSAVE_MS = 1200
REUSE_CHECK_MS = 400  # after the ID number stops changing


class _DraftRef:
    """The id of the form's draft, read and written only on the writer thread.

    Autosaves and the final save are queued on the one writer thread, so each
    sees the id the previous one created, even before the UI hears about it.
    """

    def __init__(self) -> None:
        self.id: int | None = None


class ReceptionFormWidget(QWidget):
    """Emits `received(dossier_id)`, `refused(dossier_id, officer_name)`, `guidance(data)`."""

    received = Signal(int)
    refused = Signal(int)
    guidance = Signal(object)
    refuse_requested = Signal()
    draft_saved = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._draft = _DraftRef()
        self._fees: dict[tuple[int, str], int] = {}
        self._loading = False
        self._due_request = 0

        self.scan_banner = error_label()
        self.scan_banner.setTextFormat(Qt.TextFormat.RichText)
        self.form_error = error_label()
        # A returning citizen's digitised papers (desktop.ui.digitise.reuse): told here,
        # attached right after the receipt (ReceptionPage) or from the dossier's papers.
        self.reuse_notice = QFrame()
        self.reuse_notice.setObjectName("reuseNotice")
        self.reuse_label = QLabel()
        self.reuse_label.setWordWrap(True)
        self.reuse_show_button = QPushButton(self.tr("Show…"))
        self.reuse_show_button.setToolTip(self.tr("The citizen's digitised papers from earlier "
                                                  "dossiers"))
        self.reuse_show_button.clicked.connect(self.show_reusable)
        notice_lay = QHBoxLayout(self.reuse_notice)
        notice_lay.setContentsMargins(10, 6, 10, 6)
        notice_lay.addWidget(self.reuse_label, 1)
        notice_lay.addWidget(self.reuse_show_button)
        self.reuse_notice.hide()
        self.reusable_count = 0
        self.reuse_dialog = None

        # -- left: procedure and people
        self.picker = ProcedurePicker()
        proc_box = QGroupBox(self.tr("1. Procedure"))
        QVBoxLayout(proc_box).addWidget(self.picker)
        self.procedure_error = QLabel()
        self.procedure_error.setObjectName("fieldError")
        self.procedure_error.setWordWrap(True)
        self.procedure_error.hide()
        proc_box.layout().addWidget(self.procedure_error)

        self.applicant = PersonFields("applicant")
        app_box = QGroupBox(self.tr("2. Applicant — scan the ID card or type"))
        QVBoxLayout(app_box).addWidget(self.applicant)
        self.submitter_check = QCheckBox(self.tr("Submitted by someone else (authorised person)"))
        self.submitter = PersonFields("submitter")
        self.submitter.hide()
        app_box.layout().addWidget(self.submitter_check)
        app_box.layout().addWidget(self.submitter)

        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(proc_box)
        left_lay.addWidget(app_box)
        left_lay.addStretch(1)
        left_scroll = QScrollArea()
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setWidget(left)

        # -- right: papers, channel, fees, due date, actions
        self.components = ComponentsTable()
        self.components_error = QLabel()
        self.components_error.setObjectName("fieldError")
        self.components_error.setWordWrap(True)
        self.components_error.hide()
        comp_box = QGroupBox(self.tr("3. Papers submitted"))
        comp_lay = QVBoxLayout(comp_box)
        hint = QLabel(self.tr("Space: submitted / missing · N: not needed · digits: number of copies"))
        hint.setObjectName("pageSubtitle")
        comp_lay.addWidget(hint)
        comp_lay.addWidget(self.components, 1)
        comp_lay.addWidget(self.components_error)

        details = QGroupBox(self.tr("4. Details"))
        grid = QGridLayout(details)
        self.channel_combo = QComboBox()
        self.channel_combo.addItem(self.tr("In person"), Channel.IN_PERSON.value)
        self.channel_combo.addItem(self.tr("By post"), Channel.POST.value)
        self.sets_spin = QSpinBox()
        self.sets_spin.setRange(1, 99)
        self.summary_edit = QLineEdit()
        self.summary_edit.setPlaceholderText(self.tr("Summary of the request (optional)"))
        self.post_check = QCheckBox(self.tr("Return the result by post"))
        self.fee_label = QLabel("—")
        grid.addWidget(QLabel(self.tr("Channel")), 0, 0)
        grid.addWidget(self.channel_combo, 0, 1)
        grid.addWidget(QLabel(self.tr("Sets")), 0, 2)
        grid.addWidget(self.sets_spin, 0, 3)
        grid.addWidget(QLabel(self.tr("Summary")), 1, 0)
        grid.addWidget(self.summary_edit, 1, 1, 1, 3)
        grid.addWidget(self.post_check, 2, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Fee")), 3, 0)
        grid.addWidget(self.fee_label, 3, 1, 1, 3)

        self.due_label = QLabel(self.tr("Choose a procedure to see the due date."))
        self.due_label.setObjectName("dueDate")
        self.due_label.setWordWrap(True)
        self.due_label.setTextFormat(Qt.TextFormat.RichText)
        due_box = QGroupBox(self.tr("Due date"))
        QVBoxLayout(due_box).addWidget(self.due_label)

        self.receive_button = QPushButton(self.tr("Receive and print receipt (Ctrl+S)"))
        self.receive_button.setObjectName("primary")
        self.receive_button.setMinimumHeight(36)
        self.guidance_button = QPushButton(self.tr("Incomplete: print guidance (Ctrl+G)"))
        self.refuse_button = QPushButton(self.tr("Refuse… (Ctrl+R)"))
        self.new_button = QPushButton(self.tr("New dossier (Ctrl+N)"))
        self.draft_label = QLabel()
        self.draft_label.setObjectName("pageSubtitle")
        actions = QGridLayout()
        actions.addWidget(self.receive_button, 0, 0, 1, 2)
        actions.addWidget(self.guidance_button, 1, 0)
        actions.addWidget(self.refuse_button, 1, 1)
        actions.addWidget(self.new_button, 2, 0)
        actions.addWidget(self.draft_label, 2, 1)

        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(comp_box, 1)
        right_lay.addWidget(details)
        right_lay.addWidget(due_box)
        right_lay.addLayout(actions)

        columns = QHBoxLayout()
        columns.addWidget(left_scroll, 5)
        columns.addWidget(right, 6)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.scan_banner)
        lay.addWidget(self.form_error)
        lay.addWidget(self.reuse_notice)
        lay.addLayout(columns, 1)

        # -- tab order: procedure → applicant → submitter → papers → details → actions
        chain: list[QWidget] = [self.picker.search, *self.applicant.edits(), self.submitter_check,
                                *self.submitter.edits(), self.components, self.channel_combo,
                                self.sets_spin, self.summary_edit, self.post_check,
                                self.receive_button, self.guidance_button, self.refuse_button,
                                self.new_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

        # -- behaviour
        self.scanner = WedgeScanDetector(self)
        self.scanner.scanned.connect(self.on_scan)
        self.picker.chosen.connect(self._procedure_chosen)
        self.submitter_check.toggled.connect(self._toggle_submitter)
        self.channel_combo.currentIndexChanged.connect(lambda _i: self._changed(refresh_due=True))
        self.sets_spin.valueChanged.connect(lambda _v: self._changed())
        self.summary_edit.textEdited.connect(lambda _t: self._changed())
        self.post_check.toggled.connect(lambda _v: self._changed())
        self.applicant.changed.connect(self._changed)
        self.submitter.changed.connect(self._changed)
        self.components.changed.connect(self._changed)
        self.receive_button.clicked.connect(self.receive)
        self.guidance_button.clicked.connect(self.print_guidance)
        self.refuse_button.clicked.connect(self.refuse_requested.emit)
        self.new_button.clicked.connect(self.start_new)
        for keys, slot in (("Ctrl+S", self.receive), ("Ctrl+G", self.print_guidance),
                           ("Ctrl+R", self.refuse_requested.emit), ("Ctrl+N", self.start_new),
                           ("Ctrl+L", self.picker.search.setFocus)):
            QShortcut(QKeySequence(keys), self, activated=slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(60_000)
        self._due_timer.timeout.connect(self.refresh_due)
        self._due_timer.start()
        self._reuse_timer = QTimer(self)
        self._reuse_timer.setSingleShot(True)
        self._reuse_timer.setInterval(REUSE_CHECK_MS)
        self._reuse_timer.timeout.connect(self.check_reusable)
        self.applicant.id_edit.textChanged.connect(lambda _t: self._reuse_timer.start())
        self.load_catalogue()

    @property
    def draft_id(self) -> int | None:
        return self._draft.id

    # ---------------------------------------------------------------- loading

    def load_catalogue(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> tuple[list[ProcedureChoice], list[int], dict[tuple[int, str], int]]:
            with store.reading() as session:
                procs = catalogue.list_procedures(session)
                choices = [ProcedureChoice(p.id, p.code, p.name, p.field.name) for p in procs]
                fees = {(p.id, ch.value): catalogue.fee_for(p, ch) for p in procs for ch in Channel}
                return choices, reception.recent_procedures(session, actor), fees

        self.ctx.runner.submit(work, self._catalogue_loaded, owner=self)

    def _catalogue_loaded(self, result) -> None:  # noqa: ANN001
        choices, recent, fees = result
        self._fees = fees
        current = self.picker.current.id if self.picker.current else None
        self.picker.set_procedures(choices, recent)
        if current is not None:
            self.picker.set_current(current)

    # ------------------------------------------------------------------ state

    def form(self) -> tuple[ReceptionForm, dict[str, str]]:
        applicant, errors = self.applicant.value()
        submitter, sub_errors = self.submitter.value()
        if self.submitter_check.isChecked():
            errors.update(sub_errors)
        form = ReceptionForm(
            procedure_id=self.picker.current.id if self.picker.current else None,
            channel=self.channel_combo.currentData(), applicant=applicant,
            has_submitter=self.submitter_check.isChecked(), submitter=submitter,
            components=self.components.lines(), summary=self.summary_edit.text(),
            sets_count=self.sets_spin.value(), return_by_post=self.post_check.isChecked(),
        )
        return form, errors

    def set_form(self, form: ReceptionForm) -> None:
        self._loading = True
        try:
            draft_id = form.draft_id
            self._draft = ref = _DraftRef()  # each form has its own draft
            if draft_id is not None:
                self.ctx.runner.submit(lambda: setattr(ref, "id", draft_id), write=True)
            self.picker.set_current(form.procedure_id)
            self.applicant.set_value(form.applicant)
            self.submitter_check.setChecked(form.has_submitter)
            self.submitter.set_value(form.submitter)
            self.components.set_lines(form.components)
            index = self.channel_combo.findData(form.channel)
            self.channel_combo.setCurrentIndex(max(index, 0))
            self.sets_spin.setValue(form.sets_count)
            self.summary_edit.setText(form.summary)
            self.post_check.setChecked(form.return_by_post)
        finally:
            self._loading = False
        self._clear_errors()
        self._update_fee()
        self.refresh_due()

    def start_new(self) -> None:
        self._autosave.stop()
        self.set_form(ReceptionForm())
        self.draft_label.clear()
        self.scan_banner.hide()
        self.picker.search.setFocus()

    def _changed(self, *, refresh_due: bool = False) -> None:
        if self._loading:
            return
        self._autosave.start()
        if refresh_due:
            self._update_fee()
            self.refresh_due()

    def _toggle_submitter(self, on: bool) -> None:
        self.submitter.setVisible(on)
        if on:
            self.submitter.id_edit.setFocus()
        self._changed()

    def _procedure_chosen(self, procedure_id: int) -> None:
        store = self.ctx.store

        def work() -> list[reception.ComponentLine]:
            with store.reading() as session:
                return reception.components_for(session, procedure_id)

        def done(lines: list[reception.ComponentLine]) -> None:
            self.components.set_lines(lines)
            self.procedure_error.hide()
            self._changed(refresh_due=True)

        self.ctx.runner.submit(work, done, owner=self)

    def _update_fee(self) -> None:
        if self.picker.current is None:
            self.fee_label.setText("—")
            return
        fee = self._fees.get((self.picker.current.id, self.channel_combo.currentData()), 0)
        self.fee_label.setText(self.tr("{amount} VND").format(amount=f"{fee:,}".replace(",", "."))
                               if fee else self.tr("Free of charge"))

    def format_due(self, at: datetime) -> str:
        days = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"),
                self.tr("Friday"), self.tr("Saturday"), self.tr("Sunday"))
        return f"{at:%H:%M} {days[at.weekday()]}, {at:%d/%m/%Y}"

    def refresh_due(self) -> None:
        if self.picker.current is None:
            self.due_label.setText(self.tr("Choose a procedure to see the due date."))
            return
        self._due_request += 1
        request = self._due_request
        store, pid, channel = self.ctx.store, self.picker.current.id, self.channel_combo.currentData()
        now = datetime.now().replace(second=0, microsecond=0)

        def work() -> DueDate:
            with store.reading() as session:
                return reception.due_preview(session, pid, channel, now)

        def done(due: DueDate) -> None:
            if request == self._due_request:
                self.due_label.setText(
                    f"<span style='font-size:14pt; font-weight:bold; color:#0f5e73'>"
                    f"{html.escape(self.format_due(due.at))}</span><br>{html.escape(due.rule_vi)}")

        def failed(exc: BaseException) -> None:
            if request == self._due_request:
                message = exc.message_vi if isinstance(exc, DomainError) else str(exc)
                self.due_label.setText(f"<span style='color:#b3261e'>{html.escape(message)}</span>")

        self.ctx.runner.submit(work, done, failed, owner=self)

    # --------------------------------------------------------------- scanning

    def on_scan(self, payload: str) -> None:
        try:
            card = parse_id_card_qr(payload)
        except InvalidIdCardQr as exc:
            shown = html.escape(exc.raw if getattr(exc, "raw", None) else payload)
            self.scan_banner.setText(self.tr(
                "<b>The ID card scan was not accepted.</b> {reason}<br>Read: <tt>{raw}</tt><br>"
                "Nothing was changed; scan again or type the details."
            ).format(reason=html.escape(exc.message_vi), raw=shown))
            self.scan_banner.show()
            return
        target = self.applicant
        if self.submitter_check.isChecked() and self.submitter.isAncestorOf(self.focusWidget() or self):
            target = self.submitter
        target.fill_from_card(card)
        self.scan_banner.hide()
        next_field = target.phone_edit if target.phone_edit.text() == "" else self.components
        if self.picker.current is None:
            next_field = self.picker.search
        next_field.setFocus()

    # ------------------------------------------------------------------ reuse

    def check_reusable(self) -> None:
        """Does the applicant (a full ID number) have digitised papers to reuse? (reader pool)"""
        from desktop.ui.digitise.reuse import count_reusable

        id_number = self.applicant.id_edit.text().strip()
        if len(id_number) != 12 or not id_number.isdigit():
            self._show_reusable(id_number, 0)
            return
        store = self.ctx.store
        self.ctx.runner.submit(lambda: count_reusable(store, id_number),
                               lambda n: self._show_reusable(id_number, n), owner=self)

    def _show_reusable(self, id_number: str, n: int) -> None:
        if id_number != self.applicant.id_edit.text().strip():
            return  # typed on meanwhile
        self.reusable_count = n
        if n:
            self.reuse_label.setText(self.tr(
                "The citizen has {n} digitised papers that can be reused: after receiving, "
                "attach them without scanning.").format(n=n))
        self.reuse_notice.setVisible(n > 0)

    def show_reusable(self) -> None:
        from desktop.ui.digitise.reuse import ReuseDialog

        id_number = self.applicant.id_edit.text().strip()
        if not id_number or self.reuse_dialog is not None:
            return
        dialog = ReuseDialog(self.ctx, id_number=id_number, parent=self.window())
        self.reuse_dialog = dialog

        def finished(_result: int) -> None:
            self.reuse_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    # ----------------------------------------------------------------- errors

    def _clear_errors(self) -> None:
        self.applicant.form.clear_errors()
        self.submitter.form.clear_errors()
        self.procedure_error.hide()
        self.components_error.hide()
        self.form_error.hide()

    def show_errors(self, errors: dict[str, str]) -> None:
        self._clear_errors()
        applicant = {k: v for k, v in errors.items() if k.startswith("applicant.")}
        submitter = {k: v for k, v in errors.items() if k.startswith("submitter.")}
        rest = self.applicant.form.show_errors(applicant) if applicant else []
        if submitter:
            rest += self.submitter.form.show_errors(submitter)
        for key, label in (("procedure", self.procedure_error), ("components", self.components_error)):
            if key in errors:
                label.setText(errors[key])
                label.show()
        others = [v for k, v in errors.items()
                  if not k.startswith(("applicant.", "submitter.")) and k not in ("procedure", "components")]
        others += rest
        if others:
            self.form_error.setText("\n".join(others))
            self.form_error.show()
        if "procedure" in errors:
            self.picker.search.setFocus()
        elif not applicant and not submitter and "components" in errors:
            self.components.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        elif isinstance(exc, PermissionDenied | DomainError):
            self.show_errors({"form": exc.message_vi})
        else:
            self.show_errors({"form": getattr(exc, "message_vi", None) or str(exc)})

    def _set_busy(self, busy: bool) -> None:
        for b in (self.receive_button, self.guidance_button, self.refuse_button):
            b.setEnabled(not busy)

    # ---------------------------------------------------------------- actions

    def receive(self) -> None:
        form, errors = self.form()
        if errors:
            self.show_errors(errors)
            return
        self._autosave.stop()
        self._set_busy(True)
        store, actor, ref = self.ctx.store, self.ctx.actor, self._draft

        def work() -> reception.Saved:
            form.draft_id = ref.id
            return reception.receive(store, actor, form)

        self.ctx.runner.submit(work, self._received, self._failed, write=True, owner=self)

    def _received(self, saved: reception.Saved) -> None:
        self._set_busy(False)
        self.start_new()
        self.draft_label.setText(self.tr("Received: {code}").format(code=saved.code))
        self.received.emit(saved.dossier_id)
        self.load_catalogue()  # recent procedures first

    def print_guidance(self) -> None:
        form, errors = self.form()
        if errors:
            self.show_errors(errors)
            return
        self._set_busy(True)
        store, actor, ref = self.ctx.store, self.ctx.actor, self._draft

        def work():  # noqa: ANN202
            form.draft_id = ref.id
            ref.id = reception.save_draft(store, actor, form)
            return reception.supplement_guidance(store, actor, form, "")

        def done(data) -> None:  # noqa: ANN001
            self._set_busy(False)
            self._clear_errors()
            self.draft_label.setText(self.tr("Kept as a draft."))
            self.guidance.emit(data)

        self.ctx.runner.submit(work, done, self._failed, write=True, owner=self)

    def refuse(self, reason: str) -> None:
        form, errors = self.form()
        if errors:
            self.show_errors(errors)
            return
        self._autosave.stop()
        self._set_busy(True)
        store, actor, ref = self.ctx.store, self.ctx.actor, self._draft

        def work() -> reception.Saved:
            form.draft_id = ref.id
            return reception.refuse(store, actor, form, reason)

        def done(saved: reception.Saved) -> None:
            self._set_busy(False)
            self.start_new()
            self.draft_label.setText(self.tr("Refused: {code}").format(code=saved.code))
            self.refused.emit(saved.dossier_id)

        self.ctx.runner.submit(work, done, self._failed, write=True, owner=self)

    def save_draft(self) -> None:
        form, _errors = self.form()
        if form.is_blank():
            return
        store, actor, ref = self.ctx.store, self.ctx.actor, self._draft

        def work() -> int:
            form.draft_id = ref.id
            ref.id = reception.save_draft(store, actor, form)
            return ref.id

        def done(draft_id: int) -> None:
            self.draft_label.setText(self.tr("Draft saved {time}").format(
                time=datetime.now().strftime("%H:%M:%S")))
            self.draft_saved.emit(draft_id)

        self.ctx.runner.submit(work, done, write=True, owner=self)

    def flush_draft(self) -> None:
        """Save now if a save is pending (closing the window, logging out)."""
        if self._autosave.isActive():
            self._autosave.stop()
            self.save_draft()
