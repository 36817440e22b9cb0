"""The friendly message after an unexpected error (desktop.crash saves the report)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QMessageBox


class CrashNotifier(QObject):
    """Shows one message per error, on the UI thread, whichever thread failed."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[Path | None] = []
        self._showing = False

    def __call__(self, report: Path | None) -> None:
        self._pending.append(report)
        if threading.current_thread() is threading.main_thread():
            self._show()
        else:
            QMetaObject.invokeMethod(self, "_show", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _show(self) -> None:
        if self._showing or not self._pending or QApplication.instance() is None:
            return
        report = self._pending.pop(0)
        self._pending.clear()  # one message for a burst of errors
        self._showing = True
        try:
            where = str(report) if report else QCoreApplication.translate(
                "CrashNotifier", "(the report could not be saved)")
            box = QMessageBox(QMessageBox.Icon.Warning,
                              QCoreApplication.translate("CrashNotifier", "Something went wrong"),
                              QCoreApplication.translate(
                                  "CrashNotifier",
                                  "Một Cửa met an unexpected error. What you saved is safe; the "
                                  "last action may not have finished — please check it and do it "
                                  "again if needed.\n\nA report was saved for IT support: {path}\n"
                                  "IT staff can collect it with the command: motcua diagnose"
                              ).format(path=where))
            box.exec()
        finally:
            self._showing = False
