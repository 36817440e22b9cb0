"""Reminders of overdue and nearly due dossiers: the banner, the tray notification, the preferences.

`Reminders` (controller.py) checks on the reader pool (`services.reminders.check_for`)
and shows the result; `ReminderBanner` sits above the pages of the main window;
`ReminderPreferencesDialog` is "Nhắc việc…" in the File menu.
"""

from desktop.ui.reminders.banner import ReminderBanner
from desktop.ui.reminders.controller import Reminders
from desktop.ui.reminders.dialog import ReminderPreferencesDialog

__all__ = ["ReminderBanner", "ReminderPreferencesDialog", "Reminders"]
