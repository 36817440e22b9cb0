"""Administration ("Quản trị"): office, officers, calendar, procedure catalogue, backups."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.ui.admin.backups_tab import BackupsTab
from desktop.ui.admin.calendar_tab import CalendarTab
from desktop.ui.admin.catalogue_tab import CatalogueTab
from desktop.ui.admin.office_tab import OfficeTab
from desktop.ui.admin.officers_tab import OfficersTab
from desktop.ui.context import UiContext


class AdminPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 24)
        title = QLabel(self.tr("Administration"))
        title.setObjectName("pageTitle")
        lay.addWidget(title)
        self.tabs = QTabWidget()
        self.office_tab = OfficeTab(ctx)
        self.officers_tab = OfficersTab(ctx)
        self.calendar_tab = CalendarTab(ctx)
        self.catalogue_tab = CatalogueTab(ctx)
        self.tabs.addTab(self.office_tab, self.tr("Office"))
        self.tabs.addTab(self.officers_tab, self.tr("Officers"))
        self.tabs.addTab(self.calendar_tab, self.tr("Working calendar"))
        self.tabs.addTab(self.catalogue_tab, self.tr("Procedures"))
        self.backups_tab = BackupsTab(ctx)
        self.tabs.addTab(self.backups_tab, self.tr("Backups"))
        # Closing every window flushes drafts and ends the app like the officer closing it.
        self.backups_tab.quit_requested.connect(QApplication.closeAllWindows)
        lay.addWidget(self.tabs)
