"""Reuse: a returning citizen's papers digitised in earlier dossiers, attached without scanning.

`ReuseDialog` lists services.digitisation.reusable_documents for the
applicant's ID number (the paper, the dossier it came from, its validity,
the state reusing it gives: 2 from a paper, 3 from a result). With a dossier
it attaches one by reference to a chosen component ("Reuse"), or every paper
whose name is the component's ("Reuse matching papers", the quick way at a
busy desk); each is its own transaction on the writer thread. Without a
dossier (at reception, before the dossier is saved) it only shows the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.text import fold
from desktop.services import digitisation
from desktop.services.digitisation import STATE_LABELS_VI, ReusableDocument
from desktop.ui.context import UiContext


@dataclass(frozen=True)
class _Loaded:
    id_number: str
    documents: list[ReusableDocument]
    summary: digitisation.DigitisationSummary | None
    refusal: str | None


def match_rank(paper: str, component: str) -> int:
    """0: the same name, 1: one name inside the other, 2: no match (folded, no diacritics)."""
    a, b = fold(paper).strip(), fold(component).strip()
    if not a or not b:
        return 2
    if a == b:
        return 0
    return 1 if (a in b or b in a) else 2


def load_reuse(store, id_number: str | None, dossier_id: int | None, *,  # noqa: ANN001
               today: date | None = None) -> _Loaded:
    """What the dialog shows (on the reader pool)."""
    from desktop.services import dossier_query

    today = today or date.today()
    with store.reading() as session:
        if id_number is None and dossier_id is not None:
            id_number = dossier_query.detail(session, dossier_id).applicant_id_number
        id_number = id_number or ""
        docs = digitisation.reusable_documents(session, id_number, today=today,
                                               exclude_dossier_id=dossier_id)
        summary = refusal = None
        if dossier_id is not None:
            summary = digitisation.digitisation_summary(session, dossier_id)
            refusal = digitisation.refusal_reason(session, dossier_id)
    return _Loaded(id_number, docs, summary, refusal)


def count_reusable(store, id_number: str, *, exclude_dossier_id: int | None = None) -> int:  # noqa: ANN001
    """How many digitised, still valid papers this citizen has (on the reader pool)."""
    with store.reading() as session:
        return len(digitisation.reusable_documents(session, id_number, today=date.today(),
                                                   exclude_dossier_id=exclude_dossier_id))


def reusable_for_dossier(store, dossier_id: int) -> tuple[str, int]:  # noqa: ANN001
    """The dossier's code and how many reusable papers its applicant has (on the reader pool)."""
    from desktop.services import dossier_query

    with store.reading() as session:
        d = dossier_query.detail(session, dossier_id)
        if d.state_secret or not d.applicant_id_number:
            return d.code or "", 0
        n = len(digitisation.reusable_documents(session, d.applicant_id_number,
                                                today=date.today(),
                                                exclude_dossier_id=dossier_id))
        return d.code or "", n


class ReuseDialog(QDialog):
    """The citizen's reusable digitised papers; with a dossier, attach them to its papers."""

    # A paper was attached by reference to this component.
    attached = Signal(int)
    loaded = Signal()

    COLUMNS = ("paper", "dossier", "procedure", "digitised", "valid", "pages", "state")

    def __init__(self, ctx: UiContext, *, id_number: str | None = None,
                 dossier_id: int | None = None, component_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.id_number = id_number
        self.dossier_id = dossier_id
        self.component_id = component_id
        self.documents: list[ReusableDocument] = []
        self.summary: digitisation.DigitisationSummary | None = None
        self.refusal: str | None = None
        self.busy = False
        self.setObjectName("reuseDialog")
        self.setWindowTitle(self.tr("Reuse digitised papers"))
        self.resize(980, 540)

        heading = QLabel(self.tr("Papers this citizen already had digitised"))
        heading.setObjectName("digitiseHeading")
        self.subtitle = QLabel(self.tr("Loading…"))
        self.subtitle.setObjectName("pageSubtitle")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("reuseTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Paper"), self.tr("From dossier"), self.tr("Procedure"),
            self.tr("Digitised"), self.tr("Valid"), self.tr("Pages"), self.tr("Reused as")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        for c in (1, 3, 4, 5, 6):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(2, 200)
        self.table.doubleClicked.connect(lambda _i: self.reuse())

        self.component_label = QLabel(self.tr("Use for the paper"))
        self.component_combo = QComboBox()
        self.component_combo.setMinimumWidth(360)
        self.component_combo.activated.connect(lambda _i: self._component_chosen())
        self.reuse_button = QPushButton(self.tr("Reuse"))
        self.reuse_button.setObjectName("primary")
        self.reuse_button.setToolTip(self.tr(
            "Attach the selected digitised paper to the chosen paper of this dossier, without "
            "scanning it again"))
        self.reuse_button.clicked.connect(self.reuse)
        self.match_button = QPushButton(self.tr("Reuse matching papers"))
        self.match_button.setToolTip(self.tr(
            "Attach every digitised paper whose name is the same as a paper of this dossier "
            "not yet digitised"))
        self.match_button.clicked.connect(self.reuse_matching)
        self.note = QLabel()
        self.note.setObjectName("explanation")
        self.note.setWordWrap(True)
        self.note.hide()
        self.status = QLabel()
        self.status.setObjectName("reuseStatus")
        self.status.setWordWrap(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for b in (self.reuse_button, self.match_button, close):
            b.setAutoDefault(False)

        target = QHBoxLayout()
        target.addWidget(self.component_label)
        target.addWidget(self.component_combo, 1)
        target.addWidget(self.reuse_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.match_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(heading)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.note)
        lay.addLayout(target)
        lay.addLayout(bottom)
        has_dossier = dossier_id is not None
        for w in (self.component_label, self.component_combo, self.reuse_button,
                  self.match_button):
            w.setVisible(has_dossier)
        if not has_dossier:
            self.note.setText(self.tr(
                "Receive the dossier first: right after the receipt, “Attach…” in the notice "
                "attaches these papers; they can also be attached later from the dossier's "
                "papers."))
            self.note.show()
        self._update_buttons()
        self.reload()

    # ---------------------------------------------------------------- loading

    def reload(self) -> None:
        store, id_number, dossier_id = self.ctx.store, self.id_number, self.dossier_id
        self.ctx.runner.submit(lambda: load_reuse(store, id_number, dossier_id), self._loaded,
                               self._failed, owner=self)

    def _loaded(self, data: _Loaded) -> None:
        self.id_number = data.id_number
        self.documents = data.documents
        self.summary = data.summary
        self.refusal = data.refusal
        self.subtitle.setText(self.tr("ID number {id} · {n} papers digitised and still "
                                      "valid").format(id=data.id_number or "—",
                                                      n=len(data.documents)))
        self._fill_table()
        self._fill_components()
        if self.refusal:
            self.note.setText(self.refusal)
            self.note.show()
        elif not self.documents:
            self.note.setText(self.tr("This citizen has no digitised papers from earlier "
                                      "dossiers that are still valid."))
            self.note.show()
        self._component_chosen()
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.subtitle.setText("")
        self.status.setText(getattr(exc, "message_vi", None) or str(exc))
        self.loaded.emit()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.documents))
        for r, doc in enumerate(self.documents):
            kind = self.tr("result") if doc.kind == "result" else ""
            values = (
                doc.name + (f" ({kind})" if kind else ""),
                doc.dossier_code,
                doc.procedure_name,
                f"{doc.digitised_at:%d/%m/%Y}",
                doc.validity_vi,
                str(doc.pages),
                STATE_LABELS_VI.get(doc.reuse_state, str(doc.reuse_state)),
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if c == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        if self.documents and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def _fill_components(self) -> None:
        current = self.component_combo.currentData()
        self.component_combo.clear()
        if self.summary is None:
            return
        for item in self.summary.components:
            if not item.present:
                continue
            label = f"{item.name} — {item.state_label_vi}"
            self.component_combo.addItem(label, item.id)
        wanted = current if current is not None else self.component_id
        if wanted is None:  # the first paper still to digitise
            wanted = next((c.id for c in self.summary.components if c.present and not c.state),
                          None)
        index = self.component_combo.findData(wanted)
        self.component_combo.setCurrentIndex(max(index, 0))

    # -------------------------------------------------------------- choosing

    def selected_document(self) -> ReusableDocument | None:
        row = self.table.currentRow()
        return self.documents[row] if 0 <= row < len(self.documents) else None

    def select_document(self, attachment_id: int) -> None:
        for r, doc in enumerate(self.documents):
            if doc.attachment_id == attachment_id:
                self.table.selectRow(r)
                return

    def choose_component(self, component_id: int) -> None:
        index = self.component_combo.findData(component_id)
        if index >= 0:
            self.component_combo.setCurrentIndex(index)
            self._component_chosen()

    def _component_name(self, component_id: int | None) -> str:
        if self.summary is None:
            return ""
        return next((c.name for c in self.summary.components if c.id == component_id), "")

    def _component_chosen(self) -> None:
        """Select the digitised paper whose name fits the chosen component best."""
        name = self._component_name(self.component_combo.currentData())
        if not name or not self.documents:
            return
        best = min(range(len(self.documents)),
                   key=lambda r: (match_rank(self.documents[r].name, name), r))
        if match_rank(self.documents[best].name, name) < 2:
            self.table.selectRow(best)

    def matching_pairs(self) -> list[tuple[int, ReusableDocument]]:
        """(component id, paper) for each paper not yet digitised with a paper of the same name."""
        if self.summary is None:
            return []
        pairs = []
        used: set[int] = set()
        for comp in self.summary.components:
            if not comp.present or comp.state:
                continue
            doc = next((d for d in self.documents if d.attachment_id not in used
                        and match_rank(d.name, comp.name) == 0), None)
            if doc is not None:
                used.add(doc.attachment_id)
                pairs.append((comp.id, doc))
        return pairs

    def _update_buttons(self) -> None:
        can = (self.dossier_id is not None and not self.refusal and not self.busy
               and bool(self.documents))
        self.reuse_button.setEnabled(can and self.component_combo.count() > 0)
        pairs = len(self.matching_pairs()) if can else 0
        self.match_button.setEnabled(pairs > 0)
        self.match_button.setText(self.tr("Reuse matching papers ({n})").format(n=pairs)
                                  if pairs else self.tr("Reuse matching papers"))
        tip = self.refusal or ""
        if tip:
            self.reuse_button.setToolTip(tip)
            self.match_button.setToolTip(tip)

    # -------------------------------------------------------------- reusing

    def reuse(self) -> None:
        doc = self.selected_document()
        component_id = self.component_combo.currentData()
        if doc is None or component_id is None or not self.reuse_button.isEnabled():
            return
        self._attach([(int(component_id), doc)])

    def reuse_matching(self) -> None:
        pairs = self.matching_pairs()
        if pairs and self.match_button.isEnabled():
            self._attach(pairs)

    def _attach(self, pairs: list[tuple[int, ReusableDocument]]) -> None:
        store, actor, dossier_id = self.ctx.store, self.ctx.actor, self.dossier_id
        assert dossier_id is not None

        def work() -> tuple[list[int], list[str]]:
            done, problems = [], []
            for component_id, doc in pairs:
                try:
                    digitisation.attach_by_reference(store, actor, dossier_id, component_id,
                                                     doc.attachment_id)
                    done.append(component_id)
                except digitisation.DigitisationRefused as exc:
                    problems.append(f"{doc.name}: {exc.message_vi}")
            return done, problems

        self.busy = True
        self._update_buttons()
        self.status.setText(self.tr("Attaching…"))
        self.ctx.runner.submit(work, self._attached, self._attach_failed, write=True, owner=self)

    def _attached(self, result: tuple[list[int], list[str]]) -> None:
        done, problems = result
        self.busy = False
        texts = []
        if done:
            texts.append(self.tr("{n} papers reused without scanning.").format(n=len(done)))
        texts.extend(problems)
        self.status.setText(" ".join(texts))
        self.status.setProperty("error", bool(problems))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        for component_id in done:
            self.attached.emit(component_id)
        self.reload()

    def _attach_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.status.setText(getattr(exc, "message_vi", None) or str(exc))
        self._update_buttons()
