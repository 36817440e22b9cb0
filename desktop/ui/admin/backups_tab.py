"""Administration › Backups: the backups with what each holds, back up now, restore.

A restore cannot replace the database the running app has open: the chosen
backup is checked, the request is saved (services.maintenance.request_restore)
and carried out at the next start, before anything opens the database; the
current data is backed up first. The login window then says how it went.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.context import UiContext
from desktop.ui.forms import error_label


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}".replace(".", ",")
        n /= 1024
    return str(n)


class BackupsTab(QWidget):
    quit_requested = Signal()  # "close the app now" after a restore was requested

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list = []
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "The app backs the data up once a working day by itself, and before every "
            "upgrade. A restore replaces all the office's data with the chosen backup at the "
            "next start; the current data is backed up first."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.pending = error_label()
        lay.addWidget(self.pending)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Made at"), self.tr("Kind"), self.tr("Size"), self.tr("Schema"),
            self.tr("Office"), self.tr("Dossiers")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(self.tr("Restore this backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.cancel_button = QPushButton(self.tr("Cancel the restore"))
        self.cancel_button.clicked.connect(self.cancel_restore)
        self.cancel_button.hide()
        bar.addWidget(self.backup_button)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Daily backups kept:")))
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.editingFinished.connect(self.save_keep)
        bar.addWidget(self.keep)
        lay.addLayout(bar)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        store = self.ctx.store

        def work():  # noqa: ANN202
            from desktop.services import maintenance, settings
            from desktop.store.backup import backup_reason, list_backups, peek_backup
            from desktop.store.errors import InvalidBackup

            rows = []
            for path in list_backups(store.paths.backups):
                try:
                    rows.append((peek_backup(path), backup_reason(path), None))
                except InvalidBackup as exc:
                    rows.append((path, backup_reason(path), exc.message_vi))
            with store.reading() as session:
                keep = settings.get(session, "backup.keep_daily")
            return rows, keep, maintenance.pending_restore(store.paths)

        self.ctx.runner.submit(work, self._fill, self._failed, owner=self)

    def _kind(self, reason: str) -> str:
        if reason.startswith("daily"):
            return self.tr("Daily")
        if reason.startswith("before-migration"):
            return self.tr("Before an upgrade")
        if reason.startswith("before-restore"):
            return self.tr("Before a restore")
        return self.tr("By hand")

    def _fill(self, result) -> None:  # noqa: ANN001
        rows, keep, pending = result
        self.rows = rows
        self.keep.setValue(int(keep))
        self.table.setRowCount(len(rows))
        for i, (info, reason, problem) in enumerate(rows):
            if problem is not None:
                cells = [info.name, self._kind(reason), "", "", problem, ""]
            else:
                cells = [info.made_at.strftime("%H:%M %d/%m/%Y"), self._kind(reason),
                         _size(info.size_bytes), info.schema_revision, info.office_name,
                         f"{info.dossier_count:,}".replace(",", ".")]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j in (2, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        if rows:
            self.table.selectRow(0)
        self.pending.setVisible(pending is not None)
        self.cancel_button.setVisible(pending is not None)
        if pending is not None:
            self.pending.setText(self.tr(
                "At the next start the data will be replaced by the backup {name}.").format(
                    name=pending.name))

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(getattr(exc, "message_vi", None) or str(exc))

    def back_up_now(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        self.backup_button.setEnabled(False)
        self.message.setText(self.tr("Backing up…"))

        def work():  # noqa: ANN202
            from desktop.services import maintenance

            return maintenance.make_backup(store, actor)

        def done(path) -> None:  # noqa: ANN001
            self.backup_button.setEnabled(True)
            self.message.setText(self.tr("Backup saved: {name}").format(name=path.name))
            self.reload()

        def failed(exc: BaseException) -> None:
            self.backup_button.setEnabled(True)
            self._failed(exc)

        self.ctx.runner.submit(work, done, failed, write=True, owner=self)

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows) or self.rows[row][2] is not None:
            self.message.setText(self.tr("Choose a sound backup in the list first."))
            return
        info = self.rows[row][0]
        answer = QMessageBox.question(self, self.tr("Restore a backup"), self.tr(
            "Replace ALL of this office's data with the backup made at {time}?\n\n"
            "It holds: {office}, {n} dossiers (schema {schema}).\n"
            "Everything entered after that time will no longer be in the app (the current "
            "data is backed up first and can be restored again).\n\n"
            "The app must be closed and opened again to do it.").format(
                time=info.made_at.strftime("%H:%M %d/%m/%Y"), office=info.office_name,
                n=f"{info.dossier_count:,}".replace(",", "."), schema=info.schema_revision))
        if answer != QMessageBox.StandardButton.Yes:
            return
        store, actor, path = self.ctx.store, self.ctx.actor, info.path
        self.message.setText(self.tr("Checking the backup…"))

        def work():  # noqa: ANN202
            from desktop.services import maintenance

            return maintenance.request_restore(store, actor, path)

        def done(_info) -> None:  # noqa: ANN001
            self.reload()
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Restore a backup"), self.tr(
                "The backup is sound. Close Một Cửa now and open it again: the data is "
                "restored before the login window."), parent=self)
            close_now = box.addButton(self.tr("Close the app now"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is close_now:
                self.quit_requested.emit()

        self.ctx.runner.submit(work, done, self._failed, write=True, owner=self)

    def cancel_restore(self) -> None:
        paths = self.ctx.store.paths

        def work() -> bool:
            from desktop.services import maintenance

            return maintenance.cancel_restore(paths)

        self.ctx.runner.submit(work, lambda _: self.reload(), self._failed, owner=self)

    def save_keep(self) -> None:
        store, actor, keep = self.ctx.store, self.ctx.actor, self.keep.value()

        def work() -> int:
            from desktop.services import maintenance

            return maintenance.set_daily_backups_kept(store, actor, keep)

        self.ctx.runner.submit(work, lambda n: self.message.setText(
            self.tr("The {n} newest daily backups are kept.").format(n=n)), self._failed,
            write=True, owner=self)
