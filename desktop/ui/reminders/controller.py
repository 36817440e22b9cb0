"""When to check for reminders, and how to show them: the banner, the tray notification."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QVBoxLayout, QWidget

from desktop.services import reminders
from desktop.services.reminders import Preferences, Reminder
from desktop.ui.context import UiContext
from desktop.ui.reminders.banner import ReminderBanner
from desktop.ui.reminders.dialog import ReminderPreferencesDialog
from desktop.ui.theme import app_icon

log = logging.getLogger(__name__)

SOON_MS = 500  # a check asked for "soon" waits this long, so a burst of refreshes is one check


class Reminders(QObject):
    """Checks this officer's reminders on the reader pool and shows them.

    - every `interval_minutes` of the officer's preferences, right after
      `start()`, and shortly after `check_soon()` (the Xử lý page's refresh);
    - the banner shows whenever there is something to remind of, unless the
      officer dismissed this very reminder (same counts): it comes back when
      the counts change;
    - the tray notification (when the desktop has a notification area and the
      officer wants one) is shown once per change, and not when the only
      change is that fewer dossiers are late or nearly due.
    """

    view_requested = Signal()
    checked = Signal(object)  # Reminder | None (reminders switched off), after each check

    def __init__(self, ctx: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._window = parent
        self.banner = ReminderBanner(parent)
        self.banner.view_requested.connect(self.view_requested.emit)
        self.banner.dismissed.connect(self.dismiss)
        self.prefs: Preferences | None = None
        self.current: Reminder | None = None
        self.tray: QSystemTrayIcon | None = None
        self.dialog: ReminderPreferencesDialog | None = None
        self._dismissed_key: tuple[int, ...] | None = None
        self._notified: Reminder | None = None
        self._busy = False
        self._again = False
        self._stopped = True
        self._timer = QTimer(self)
        self._timer.setInterval(Preferences().interval_minutes * 60_000)
        self._timer.timeout.connect(self.check)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.check)

    def wrap(self, content: QWidget) -> QWidget:
        """`content` with the banner above it (for the main window's layout)."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.banner)
        lay.addWidget(content, 1)
        return box

    # --------------------------------------------------------------- checking

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        QTimer.singleShot(0, self.check)

    def stop(self) -> None:
        """No more checks (logging out, closing); the tray icon goes away."""
        self._stopped = True
        self._timer.stop()
        self._soon.stop()
        if self.tray is not None:
            self.tray.hide()

    def check_soon(self, *_: object) -> None:
        """Check again shortly (after the officer's own actions); repeated calls make one check."""
        if not self._stopped:
            self._soon.start()

    def check(self) -> None:
        """Ask the reader pool for the reminder; never queries on the UI thread."""
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        store, actor, now = self.ctx.store, self.ctx.actor, datetime.now()

        def work() -> tuple[Preferences, Reminder | None]:
            with store.reading() as session:
                return reminders.check_for(session, actor, now)

        self.ctx.runner.submit(work, self._checked, self._failed, owner=self)

    def _checked(self, result: tuple[Preferences, Reminder | None]) -> None:
        self._busy = False
        prefs, reminder = result
        self._apply(prefs)
        if not self._stopped:
            self.display(reminder)
        if self._again:
            self._again = False
            self.check()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("reminder check failed", exc_info=exc)
        if self._again:
            self._again = False
            self.check()

    def _apply(self, prefs: Preferences) -> None:
        self.prefs = prefs
        interval = prefs.interval_minutes * 60_000
        if self._timer.interval() != interval:
            self._timer.setInterval(interval)
            if not self._stopped:
                self._timer.start()
        if self.tray is not None and not (prefs.enabled and prefs.tray):
            self.tray.hide()

    # ---------------------------------------------------------------- showing

    def display(self, reminder: Reminder | None) -> None:
        """Show (or hide) the banner and notify, as the class describes."""
        self.current = reminder
        if reminder is None or not reminder.any:
            self.banner.hide()
            self._notified = None
        else:
            if reminder.key != self._dismissed_key:
                self._dismissed_key = None
                self.banner.show_reminder(reminder)
            self._notify(reminder)
        self.checked.emit(reminder)

    def dismiss(self) -> None:
        """Hide the banner until the reminder changes."""
        if self.current is not None:
            self._dismissed_key = self.current.key
        self.banner.hide()

    def _notify(self, reminder: Reminder) -> None:
        last, self._notified = self._notified, reminder
        if not reminder.is_news_after(last):
            return
        tray = self._tray()
        if tray is None:
            return
        title = (self.tr("Overdue dossiers") if reminder.overdue
                 else self.tr("Dossiers due soon"))
        body = "\n".join([reminder.message_vi, *reminder.lines_vi()])
        icon = (QSystemTrayIcon.MessageIcon.Warning if reminder.overdue
                else QSystemTrayIcon.MessageIcon.Information)
        tray.showMessage(title, body, icon, 15_000)

    def _tray(self) -> QSystemTrayIcon | None:
        """The tray icon, made on first use; None without a notification area or when unwanted."""
        if self.prefs is None or not self.prefs.tray:
            return None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        if self.tray is None:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip(self.tr("Một Cửa — reminders"))
            self.tray.messageClicked.connect(self._open_from_tray)
            self.tray.activated.connect(lambda _reason: self._open_from_tray())
        self.tray.show()
        return self.tray

    def _open_from_tray(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
        self.view_requested.emit()

    # ------------------------------------------------------------ preferences

    def open_preferences(self) -> ReminderPreferencesDialog:
        """Open (or bring forward) the Nhắc việc… dialog; it deletes itself when closed."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = ReminderPreferencesDialog(self.ctx, self._window)
        dialog.saved.connect(self._preferences_saved)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: ReminderPreferencesDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _preferences_saved(self, prefs: Preferences) -> None:
        self._apply(prefs)
        self._dismissed_key = None
        self.check()
