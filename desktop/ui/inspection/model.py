"""The audit list's table model: keyset pages of `services.inspection` events
(desktop.ui.paged_model), newest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from sqlalchemy.orm import Session

from desktop.services import inspection
from desktop.services.inspection import AuditEntry, AuditFilter
from desktop.ui.context import UiContext
from desktop.ui.paged_model import KeysetTableModel, PageQuery

#: Rows of events of no officer (setup, command-line tools) are shown in this colour.
SYSTEM_FG = QColor("#6b7c83")
#: Failed logins and locked accounts stand out.
WARNING_FG = QColor("#9b2c22")
WARNING_ACTIONS = frozenset({"login.failed", "login.locked", "login.unknown_user"})

# (column key, header source text); the header texts are translated in header_text.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("at", "Time"),
    ("officer", "Officer"),
    ("action", "Action"),
    ("entity", "Dossier / object"),
    ("summary", "Summary"),
)


def fmt_time(entry: AuditEntry) -> str:
    return entry.at.strftime("%d/%m/%Y %H:%M:%S")


@dataclass
class _Query(PageQuery):
    flt: AuditFilter = field(default_factory=AuditFilter)


class AuditEventModel(KeysetTableModel):
    """Audit events, newest first; more pages are read as the view scrolls (fetchMore)."""

    COLUMNS = COLUMNS

    def __init__(self, ctx: UiContext, parent=None) -> None:  # noqa: ANN001
        super().__init__(ctx, _Query(), inspection.PAGE_SIZE, parent)

    @property
    def filter(self) -> AuditFilter:
        return self._query.flt

    def set_filter(self, flt: AuditFilter | None = None) -> None:
        """Start over with this filter (None: the same one again); reads the first page."""
        self._restart(_Query(flt=flt if flt is not None else self._query.flt))

    def refresh(self) -> None:
        self.set_filter()

    def read_page(self, session: Session, query: _Query, after: object,
                  limit: int) -> list[AuditEntry]:
        return inspection.page(session, query.flt, after=after, limit=limit)

    def key_after(self, row: AuditEntry, query: _Query) -> object:
        return row.key

    def failure_text(self, exc: BaseException) -> str:
        return self.tr("The audit log could not be read: {error}").format(error=exc)

    # ---------------------------------------------------------------- Qt model

    def header_text(self, section: int) -> str:
        texts = {
            "at": self.tr("Time"), "officer": self.tr("Officer"), "action": self.tr("Action"),
            "entity": self.tr("Dossier / object"), "summary": self.tr("Summary"),
        }
        return texts[COLUMNS[section][0]]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.action in WARNING_ACTIONS and column == "action":
                return QBrush(WARNING_FG)
            if r.actor_id is None and column == "officer":
                return QBrush(SYSTEM_FG)
        return None

    def _display(self, r: AuditEntry, column: str) -> str:
        if column == "at":
            return fmt_time(r)
        if column == "officer":
            return r.actor_name
        if column == "action":
            return r.action_label
        if column == "entity":
            return r.dossier_code or r.entity_label
        if column == "summary":
            return r.summary
        return ""

    def _tooltip(self, r: AuditEntry, column: str) -> str | None:
        if column == "action":
            return f"{r.action_label}\n{r.action}"
        if column == "entity":
            return r.entity_label
        if column == "summary":
            return r.summary or None
        if column == "at":
            return self.tr("Event #{id}").format(id=r.id)
        if column == "officer" and r.actor_id is None:
            return self.tr("Not an officer: the office's setup, a command-line tool or an "
                           "unknown user name")
        return None
