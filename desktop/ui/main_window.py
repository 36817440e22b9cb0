"""The main window: navigation between the areas, status bar, menus.

Only the areas that are built are listed; the administration area only for
administrators.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop import __version__
from desktop.services import auth
from desktop.services.maintenance import make_backup
from desktop.store.models import Role
from desktop.ui.admin.page import AdminPage
from desktop.ui.context import UiContext
from desktop.ui.home import HomePage
from desktop.ui.reminders import Reminders
from desktop.ui.sync_status import SyncStatus, SyncStatusController
from desktop.ui.theme import app_icon, icon


class MainWindow(QMainWindow):
    logout_requested = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("Một Cửa — {office}").format(office=ctx.office_name))
        self.setWindowIcon(app_icon())
        self.resize(1200, 760)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(210)
        self.nav.setIconSize(QSize(20, 20))
        self.pages = QStackedWidget()
        self._factories: dict[int, Callable[[], QWidget]] = {}
        self.home = HomePage(ctx)
        self._add_area("home", self.tr("Overview"), self.home)
        desk = ctx.actor.has(Role.FRONT_DESK) or ctx.actor.has(Role.ADMIN)
        if desk:
            self._add_area("reception", self.tr("Reception"), self._make_reception)
        self._add_area("processing", self.tr("Processing"), self._make_processing)
        self._add_area("dossiers", self.tr("Dossiers"), self._make_dossiers)
        leader = ctx.actor.has(Role.LEADER) or ctx.actor.has(Role.ADMIN)
        if leader or ctx.actor.has(Role.FRONT_DESK):
            self._add_area("reports", self.tr("Reports"), self._make_reports)
        if leader:
            self._add_area("dashboard", self.tr("Dashboard"), self._make_dashboard)
        if leader:
            self._add_area("inspection", self.tr("Inspection"), self._make_inspection)
        if ctx.actor.has(Role.ADMIN):
            self._add_area("admin", self.tr("Administration"), lambda: AdminPage(ctx))
        self.sync = SyncStatusController(ctx, self)
        self._add_area("sync", self.tr("Sync"), self._make_sync)
        self.nav.currentRowChanged.connect(self._show_area)
        start = "reception" if ctx.actor.has(Role.FRONT_DESK) else "home"
        self.nav.setCurrentRow(self.area_keys().index(start))

        self.reminders = Reminders(ctx, self)
        self.reminders.view_requested.connect(lambda: self.go_to("processing"))
        self.logout_requested.connect(self.reminders.stop)
        self.logout_requested.connect(self.sync.stop)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.reminders.wrap(self.pages), 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(30_000)
        self._sync_timer.timeout.connect(self.refresh_sync_state)
        self._sync_timer.start()
        QTimer.singleShot(0, self.home.refresh)
        self.sync.status_changed.connect(self._show_sync_state)
        self.sync.start()
        self.reminders.start()

    def _add_area(self, key: str, label: str, page: QWidget | Callable[[], QWidget]) -> None:
        """Add a navigation entry; a page given as a factory is built on first visit."""
        item = QListWidgetItem(icon(key), label)
        item.setSizeHint(QSize(180, 42))
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        if isinstance(page, QWidget):
            self.pages.addWidget(page)
        else:
            self._factories[self.pages.addWidget(QWidget())] = page

    def _build(self, index: int) -> None:
        factory = self._factories.pop(index, None)
        if factory is not None:
            current = self.pages.currentIndex()
            placeholder = self.pages.widget(index)
            self.pages.insertWidget(index, factory())
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages.setCurrentIndex(current)

    def _show_area(self, index: int) -> None:
        self._build(index)
        self.pages.setCurrentIndex(index)

    def page(self, key: str) -> QWidget:
        """The page of an area, built if it was not yet."""
        index = self.area_keys().index(key)
        self._build(index)
        return self.pages.widget(index)

    @property
    def admin(self) -> AdminPage | None:
        return self.page("admin") if "admin" in self.area_keys() else None

    def _make_reception(self) -> QWidget:
        from desktop.ui.reception.page import ReceptionPage

        page = ReceptionPage(self.ctx)
        page.dossier_saved.connect(lambda _id: self.home.refresh())
        return page

    def _make_processing(self) -> QWidget:
        from desktop.ui.processing.page import ProcessingPage

        page = ProcessingPage(self.ctx)
        page.count_changed.connect(self.reminders.check_soon)  # after the officer's actions
        return page

    def _make_dossiers(self) -> QWidget:
        from desktop.ui.dossiers import DossiersPage
        from desktop.ui.printing import open_dossier_slip

        page = DossiersPage(self.ctx)
        # Enter / double-click on a dossier: its receipt (or refusal slip), reprintable any time.
        page.dossier_activated.connect(lambda dossier_id: open_dossier_slip(
            self.ctx, dossier_id, self, on_error=lambda exc: self.statusBar().showMessage(
                getattr(exc, "message_vi", None) or str(exc), 8000)))
        return page

    def _make_sync(self) -> QWidget:
        from desktop.ui.sync import SyncPage

        return SyncPage(self.ctx, self.sync)

    def _make_reports(self) -> QWidget:
        from desktop.ui.reports import ReportsPage

        return ReportsPage(self.ctx)

    def _make_dashboard(self) -> QWidget:
        from desktop.ui.reports import DashboardPage

        page = DashboardPage(self.ctx)
        page.show_dossier = self.show_dossier
        return page

    def show_dossier(self, _dossier_id: int, code: str) -> None:
        """Show one dossier in the dossiers area (searched by its code)."""
        self.go_to("dossiers")
        page = self.page("dossiers")
        page.filters.search_edit.setText(code)
        page.focus_table()

    def _make_inspection(self) -> QWidget:
        from desktop.ui.inspection.page import InspectionPage

        return InspectionPage(self.ctx)

    def go_to(self, key: str) -> None:
        if key in self.area_keys():
            self.nav.setCurrentRow(self.area_keys().index(key))

    def flush_drafts(self) -> None:
        """Save the reception form now if a draft save is pending (closing, logging out)."""
        if "reception" in self.area_keys():
            index = self.area_keys().index("reception")
            if index not in self._factories:
                self.pages.widget(index).form.flush_draft()

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        self.flush_drafts()
        self.reminders.stop()
        self.sync.stop()
        super().closeEvent(event)

    def area_keys(self) -> list[str]:
        return [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())]

    def area_labels(self) -> list[str]:
        return [self.nav.item(i).text() for i in range(self.nav.count())]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        backup = QAction(self.tr("Back up now"), self)
        backup.triggered.connect(self.back_up)
        file_menu.addAction(backup)
        sync_now = QAction(self.tr("Sync now"), self)
        sync_now.setShortcut(QKeySequence("Ctrl+Shift+S"))
        sync_now.triggered.connect(lambda: self.sync.sync_now(force=True))
        file_menu.addAction(sync_now)
        reminders = QAction(self.tr("Reminders…"), self)
        reminders.triggered.connect(self.reminders.open_preferences)
        file_menu.addAction(reminders)
        file_menu.addSeparator()
        logout = QAction(self.tr("Log out"), self)
        logout.setShortcut(QKeySequence("Ctrl+Shift+L"))
        logout.triggered.connect(self.logout_requested.emit)
        file_menu.addAction(logout)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        go_menu = bar.addMenu(self.tr("&Go"))
        for i, key in enumerate(self.area_keys()):
            action = QAction(self.nav.item(i).text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _c=False, k=key: self.go_to(k))
            go_menu.addAction(action)
        help_menu = bar.addMenu(self.tr("&Help"))
        shortcuts = QAction(self.tr("Keyboard shortcuts"), self)
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        about = QAction(self.tr("About Một Cửa"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        ctx = self.ctx
        self.office_label = QLabel(self.tr("{office} · {code} · Desk {desk}").format(
            office=ctx.office_name, code=ctx.agency_code, desk=ctx.desk_number))
        roles = ", ".join(auth.ROLE_LABELS_VI[r] for r in sorted(ctx.actor.roles))
        self.officer_label = QLabel(self.tr("Officer: {name}").format(name=ctx.actor.name))
        self.officer_label.setToolTip(roles)
        self.sync_label = QLabel(self.tr("Offline"))
        status = self.statusBar()
        status.addWidget(self.office_label)
        status.addWidget(self.officer_label)
        status.addPermanentWidget(self.sync_label)

    def refresh_sync_state(self) -> None:
        """Recount the changes waiting for the province (the sync controller shows it)."""
        self.sync.refresh()

    def _show_sync_state(self, status: SyncStatus) -> None:
        if status.state == "not_configured" and not status.conflicts:
            text = self.tr("Offline · province server not configured · {n} changes waiting"
                           ).format(n=status.waiting)
        else:
            text = self.sync.status_text(status)
        self.sync_label.setText(text)
        self.sync_label.setToolTip(status.message)

    def back_up(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        self.statusBar().showMessage(self.tr("Backing up…"))
        self.ctx.runner.submit(
            lambda: make_backup(store, actor).name,
            lambda name: self.statusBar().showMessage(
                self.tr("Backup saved: {name}").format(name=name), 8000),
            lambda exc: QMessageBox.warning(self, self.tr("Backup failed"),
                                            getattr(exc, "message_vi", str(exc))),
            write=True, owner=self,
        )

    def show_shortcuts(self) -> None:
        from desktop.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self, self.area_labels()).exec()

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About Một Cửa"), self.tr(
            "<b>Một Cửa</b> {version}<br>Software for commune one-stop offices: reception, "
            "processing, digitisation and reports, working offline and syncing with the "
            "provincial system.<br><br>Data folder: {path}"
        ).format(version=__version__, path=self.ctx.store.paths.root))
