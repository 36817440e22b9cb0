"""Reception ("Tiếp nhận"): a new dossier, the online queue, drafts; the printed slips."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import reception
from desktop.ui.context import UiContext
from desktop.ui.printing import PrintPreviewDialog, open_dossier_slip
from desktop.ui.reception.form_widget import ReceptionFormWidget
from desktop.ui.reception.queue_widget import OnlineQueueWidget
from desktop.ui.reception.reason_dialog import ReasonDialog


class DraftsWidget(QWidget):
    open_requested = Signal(int)
    count_changed = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(256)))
        self.open_button = QPushButton(self.tr("Continue this draft (Enter)"))
        self.open_button.setObjectName("primary")
        self.delete_button = QPushButton(self.tr("Discard"))
        self.open_button.clicked.connect(self._open)
        self.delete_button.clicked.connect(self._discard)
        bar = QHBoxLayout()
        bar.addWidget(self.open_button)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        note = QLabel(self.tr("Forms not yet received are kept here, also after a restart."))
        note.setObjectName("pageSubtitle")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.list, 1)

    def refresh(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> list[reception.DraftInfo]:
            with store.reading() as session:
                return reception.list_drafts(session, actor)

        self.ctx.runner.submit(work, self._show, owner=self)

    def _show(self, drafts: list[reception.DraftInfo]) -> None:
        self.list.clear()
        for d in drafts:
            item = QListWidgetItem(f"{d.title} — {d.updated_at:%H:%M %d/%m/%Y}")
            item.setData(256, d.id)
            self.list.addItem(item)
        if drafts:
            self.list.setCurrentRow(0)
        self.count_changed.emit(len(drafts))

    def _open(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.open_requested.emit(item.data(256))

    def _discard(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        store, actor, draft_id = self.ctx.store, self.ctx.actor, item.data(256)
        self.ctx.runner.submit(lambda: reception.discard_draft(store, actor, draft_id),
                               lambda _: self.refresh(), write=True, owner=self)


class ReceptionPage(QWidget):
    """The desk's main screen. `last_preview` is the print preview opened last."""

    dossier_saved = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_preview: PrintPreviewDialog | None = None
        title = QLabel(self.tr("Reception"))
        title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.form = ReceptionFormWidget(ctx)
        self.queue = OnlineQueueWidget(ctx)
        self.drafts = DraftsWidget(ctx)
        self.tabs.addTab(self.form, self.tr("New dossier"))
        self.tabs.addTab(self.queue, self.tr("Online, waiting"))
        self.tabs.addTab(self.drafts, self.tr("Drafts"))
        self._build_reuse_notice()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 12)
        lay.addWidget(title)
        lay.addWidget(self.reuse_notice)
        lay.addWidget(self.tabs, 1)

        self.form.received.connect(self._after_receipt)
        self.form.refused.connect(self._after_refusal)
        self.form.guidance.connect(self._show_guidance)
        self.form.refuse_requested.connect(self.ask_refusal)
        self.form.draft_saved.connect(lambda _id: self.drafts.refresh())
        self.queue.received.connect(self._after_receipt)
        self.queue.refuse_requested.connect(self.ask_online_refusal)
        self.queue.count_changed.connect(
            lambda n: self.tabs.setTabText(1, self.tr("Online, waiting ({n})").format(n=n)))
        self.drafts.count_changed.connect(
            lambda n: self.tabs.setTabText(2, self.tr("Drafts ({n})").format(n=n)))
        self.drafts.open_requested.connect(self.open_draft)
        QTimer.singleShot(0, self.queue.refresh)
        QTimer.singleShot(0, self.drafts.refresh)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        if self.tabs.currentWidget() is self.form:
            self.form.picker.search.setFocus()

    # ----------------------------------------------------------------- reuse

    def _build_reuse_notice(self) -> None:
        """After a receipt: the citizen's digitised papers from earlier dossiers, one click away."""
        self.reuse_notice = QFrame()
        self.reuse_notice.setObjectName("reuseNotice")
        self.reuse_notice_label = QLabel()
        self.reuse_notice_label.setWordWrap(True)
        self.reuse_attach_button = QPushButton(self.tr("Attach…"))
        self.reuse_attach_button.setObjectName("primary")
        self.reuse_attach_button.setToolTip(self.tr(
            "Attach the citizen's digitised papers to the dossier just received, without "
            "scanning them again"))
        self.reuse_attach_button.clicked.connect(self.open_reuse)
        dismiss = QPushButton("×")
        dismiss.setObjectName("reuseDismiss")
        dismiss.setToolTip(self.tr("Hide this notice"))
        dismiss.clicked.connect(self.reuse_notice.hide)
        lay = QHBoxLayout(self.reuse_notice)
        lay.setContentsMargins(10, 6, 6, 6)
        lay.addWidget(self.reuse_notice_label, 1)
        lay.addWidget(self.reuse_attach_button)
        lay.addWidget(dismiss)
        self.reuse_notice.hide()
        self.reuse_dossier_id: int | None = None
        self.reuse_dialog = None

    def offer_reuse(self, dossier_id: int) -> None:
        """Tell the officer when the citizen of the dossier just received has reusable papers."""
        from desktop.ui.digitise.reuse import reusable_for_dossier

        store = self.ctx.store
        self.reuse_notice.hide()

        def done(result: tuple[str, int]) -> None:
            code, n = result
            if not n:
                return
            self.reuse_dossier_id = dossier_id
            self.reuse_notice_label.setText(self.tr(
                "Dossier {code} received. The citizen has {n} digitised papers that can be "
                "reused for it.").format(code=code, n=n))
            self.reuse_notice.show()

        self.ctx.runner.submit(lambda: reusable_for_dossier(store, dossier_id), done, owner=self)

    def open_reuse(self) -> None:
        from desktop.ui.digitise.reuse import ReuseDialog

        if self.reuse_dossier_id is None or self.reuse_dialog is not None:
            return
        dialog = ReuseDialog(self.ctx, dossier_id=self.reuse_dossier_id, parent=self.window())
        self.reuse_dialog = dialog
        attached: list[int] = []
        dialog.attached.connect(attached.append)

        def finished(_result: int) -> None:
            self.reuse_dialog = None
            dialog.deleteLater()
            if attached:
                self.reuse_notice.hide()
            self.form.picker.search.setFocus()

        dialog.finished.connect(finished)
        dialog.open()

    # ---------------------------------------------------------------- drafts

    def open_draft(self, draft_id: int) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> reception.ReceptionForm:
            with store.reading() as session:
                return reception.load_draft(session, actor, draft_id)

        def done(form: reception.ReceptionForm) -> None:
            self.form.set_form(form)
            self.tabs.setCurrentWidget(self.form)
            self.form.picker.search.setFocus()

        self.ctx.runner.submit(work, done, owner=self)

    # -------------------------------------------------------------- refusals

    def ask_refusal(self) -> None:
        dialog = ReasonDialog(self.tr("Refuse the dossier"), self.tr(
            "State the reason for refusing; it is printed on the refusal slip (Mẫu 03) "
            "handed to the citizen."), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.form.refuse(dialog.reason())

    def ask_online_refusal(self, dossier_id: int) -> None:
        dialog = ReasonDialog(self.tr("Refuse the online dossier"), self.tr(
            "State the reason for refusing; the citizen will see it on the portal."), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refuse_online(dossier_id, dialog.reason())

    def refuse_online(self, dossier_id: int, reason: str) -> None:
        store, actor = self.ctx.store, self.ctx.actor

        def done(saved: reception.Saved) -> None:
            self.queue.refresh()
            self._after_refusal(saved.dossier_id)

        self.ctx.runner.submit(lambda: reception.refuse_online(store, actor, dossier_id, reason),
                               done, lambda e: self.queue.message.setText(
                                   getattr(e, "message_vi", None) or str(e)),
                               write=True, owner=self)

    # -------------------------------------------------------------- printing

    def _after_receipt(self, dossier_id: int) -> None:
        self.dossier_saved.emit(dossier_id)
        self.drafts.refresh()
        self.print_receipt(dossier_id)
        self.offer_reuse(dossier_id)

    def print_receipt(self, dossier_id: int) -> None:
        open_dossier_slip(self.ctx, dossier_id, self, self._opened)

    def _after_refusal(self, dossier_id: int) -> None:
        self.dossier_saved.emit(dossier_id)
        self.drafts.refresh()
        open_dossier_slip(self.ctx, dossier_id, self, self._opened)

    def _opened(self, dialog: PrintPreviewDialog) -> None:
        self.last_preview = dialog
        dialog.finished.connect(lambda _r: self.form.picker.search.setFocus())

    def _show_guidance(self, data) -> None:  # noqa: ANN001
        self.drafts.refresh()
        self._preview(data, self.tr("Supplement guidance"), "huong-dan-bo-sung.pdf")

    def _preview(self, data: object, title: str, pdf_name: str) -> None:
        dialog = PrintPreviewDialog(data, title, pdf_name, parent=self)
        self.last_preview = dialog
        dialog.finished.connect(lambda _r: self.form.picker.search.setFocus())
        dialog.open()
