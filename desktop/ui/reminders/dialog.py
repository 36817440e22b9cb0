"""Nhắc việc…: the logged-in officer's own reminder preferences."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from desktop.services import reminders
from desktop.services.reminders import Preferences, PreferencesForm
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.ui.context import UiContext
from desktop.ui.forms import ValidatedForm, error_label, save_cancel_buttons


class ReminderPreferencesDialog(QDialog):
    """Reads the preferences on the reader pool, saves them on the writer thread."""

    saved = Signal(object)  # the saved Preferences

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded = False
        self.setWindowTitle(self.tr("Reminders"))
        self.setMinimumWidth(460)
        intro = QLabel(self.tr(
            "A banner at the top of the window reminds you of the dossiers in your work "
            "queue: red when some are overdue, amber when some are due soon."))
        intro.setWordWrap(True)
        intro.setObjectName("pageSubtitle")
        self.form = ValidatedForm()
        f = self.form
        self.enabled_check = f.add("enabled", "", QCheckBox(
            self.tr("Remind me of overdue and nearly due dossiers")))
        self.days_spin = f.add("due_soon_days", self.tr("Due soon means within"), QSpinBox())
        self.days_spin.setRange(reminders.MIN_DAYS, reminders.MAX_DAYS)
        self.days_spin.setSuffix(self.tr(" working days"))
        self.tray_check = f.add("tray", "", QCheckBox(
            self.tr("Also show a notification on the desktop")))
        if not QSystemTrayIcon.isSystemTrayAvailable():
            self.tray_check.setToolTip(self.tr(
                "This computer has no notification area: only the banner is shown."))
        self.interval_spin = f.add("interval_minutes", self.tr("Check again every"),
                                   QSpinBox())
        self.interval_spin.setRange(reminders.MIN_INTERVAL, reminders.MAX_INTERVAL)
        self.interval_spin.setSuffix(self.tr(" minutes"))
        self.enabled_check.toggled.connect(self._enable_fields)
        self.message = error_label()
        self.buttons = save_cancel_buttons(self, self.save)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)  # until the current preferences are read
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(f)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.fill(Preferences())
        self.load()

    def load(self) -> None:
        store, officer_id = self.ctx.store, self.ctx.actor.officer_id

        def work() -> Preferences:
            with store.reading() as session:
                return reminders.get_preferences(session, officer_id)

        self.ctx.runner.submit(work, self._loaded, self._failed, owner=self)

    def _loaded(self, prefs: Preferences) -> None:
        self.fill(prefs)
        self.loaded = True
        self.save_button.setEnabled(True)

    def fill(self, prefs: Preferences) -> None:
        self.enabled_check.setChecked(prefs.enabled)
        self.days_spin.setValue(prefs.due_soon_days)
        self.tray_check.setChecked(prefs.tray)
        self.interval_spin.setValue(prefs.interval_minutes)
        self._enable_fields(prefs.enabled)

    def _enable_fields(self, on: bool) -> None:
        for widget in (self.days_spin, self.tray_check, self.interval_spin):
            widget.setEnabled(on)

    def form_values(self) -> PreferencesForm:
        return PreferencesForm(enabled=self.enabled_check.isChecked(),
                               due_soon_days=self.days_spin.value(),
                               tray=self.tray_check.isChecked(),
                               interval_minutes=self.interval_spin.value())

    def save(self) -> None:
        store, actor, form = self.ctx.store, self.ctx.actor, self.form_values()
        self.save_button.setEnabled(False)
        self.ctx.runner.submit(lambda: reminders.save_preferences(store, actor, form),
                               self._saved, self._failed, write=True, owner=self)

    def _saved(self, prefs: Preferences) -> None:
        self.saved.emit(prefs)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            text = "\n".join(self.form.show_errors(exc.errors))
        elif isinstance(exc, PermissionDenied):
            text = exc.message_vi
        else:
            text = getattr(exc, "message_vi", None) or str(exc)
        self.message.setText(text)
        self.message.setVisible(bool(text))
