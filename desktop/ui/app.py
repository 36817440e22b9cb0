"""Start-up of the GUI: lock, open the store, first-run setup, login, main window.

`AppController` walks through these steps with non-modal dialogs and
signals, so tests can drive every step with pytest-qt.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import resources
from desktop.logs import setup_logging
from desktop.paths import DataPaths
from desktop.services import office as office_service
from desktop.services.actor import Actor
from desktop.services.maintenance import restore
from desktop.store.database import Store, open_store
from desktop.store.errors import DatabaseCorrupt, StoreError
from desktop.store.lock import InstanceLock
from desktop.store.models import Officer
from desktop.ui.context import UiContext
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.setup_dialog import SetupDialog
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import apply_theme

log = logging.getLogger(__name__)


def install_translator(app: QApplication) -> QTranslator:
    translator = QTranslator(app)
    if translator.load(str(resources.path("translations", "motcua_vi.qm"))):
        app.installTranslator(translator)
    else:
        log.warning("Vietnamese translation not found; the interface falls back to English")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    return translator


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Một Cửa")
    app.setOrganizationName("MotCua")
    app.setApplicationDisplayName("Một Cửa")
    if not getattr(app, "_motcua_ready", False):
        app._motcua_translator = install_translator(app)  # type: ignore[attr-defined]
        apply_theme(app)
        app._motcua_ready = True  # type: ignore[attr-defined]
    return app


class AppController(QObject):
    """Owns the store, the task runner and whichever window or dialog is showing."""

    main_window_shown = Signal(object)
    failed = Signal(str)

    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self.paths = paths
        self.lock = InstanceLock(paths)
        self.runner = TaskRunner()
        self.store: Store | None = None
        self.dialog: QDialog | None = None
        self.window: MainWindow | None = None
        self.exit_code = 0

    # ------------------------------------------------------------- start-up

    def start(self) -> bool:
        """Run the first steps; False if the app cannot go on (a message was shown)."""
        try:
            self.paths.root.mkdir(parents=True, exist_ok=True)
            self.lock.acquire()
        except StoreError as exc:
            return self._fatal(exc.message_vi)
        except OSError as exc:
            return self._fatal(self.tr("Cannot use the data folder {path}: {error}").format(
                path=self.paths.root, error=exc.strerror or exc))
        if not self._open_store():
            return False
        with self.store.reading() as session:
            initialised = office_service.is_initialised(session)
        if initialised:
            self.show_login()
        else:
            self.show_setup()
        return True

    def _open_store(self) -> bool:
        try:
            self.store = open_store(self.paths)
            return True
        except DatabaseCorrupt as exc:
            return self._offer_restore(exc)
        except StoreError as exc:
            return self._fatal(exc.message_vi)

    def _offer_restore(self, exc: DatabaseCorrupt) -> bool:
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Damaged database"), exc.message_vi)
        restore_button = None
        if exc.last_backup is not None:
            restore_button = box.addButton(self.tr("Restore the last backup"),
                                           QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.dialog = box
        box.exec()
        if restore_button is None or box.clickedButton() is not restore_button:
            self.exit_code = 1
            return False
        try:
            kept = restore(self.paths, exc.last_backup, Actor.system("gui-restore"))
        except StoreError as err:
            return self._fatal(err.message_vi)
        QMessageBox.information(None, self.tr("Restored"), self.tr(
            "The last backup was restored. The damaged file was kept as {name}."
        ).format(name=kept.name if kept else "—"))
        return self._open_store()

    def _fatal(self, message: str) -> bool:
        self.exit_code = 1
        self.failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Một Cửa cannot start"), message)
        self.dialog = box
        box.exec()
        return False

    # --------------------------------------------------------------- steps

    def show_setup(self) -> None:
        dialog = SetupDialog(self.store, self.runner)
        dialog.finished.connect(lambda result: self._setup_finished(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _setup_finished(self, dialog: SetupDialog, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.quit()
            return
        if dialog.result_kind == "office" and dialog.officer_id is not None:
            self.show_main(dialog.officer_id)
        else:
            self.show_login(hint=dialog.demo_hint, username="admin")

    def show_login(self, *, hint: str = "", username: str = "") -> None:
        with self.store.reading() as session:
            office = office_service.get_office(session)
        dialog = LoginDialog(self.store, self.runner, office.name, hint=hint, username=username)
        dialog.finished.connect(lambda result: self._login_finished(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _login_finished(self, dialog: LoginDialog, result: int) -> None:
        if result != QDialog.DialogCode.Accepted or dialog.officer_id is None:
            self.quit()
            return
        self.show_main(dialog.officer_id)

    def show_main(self, officer_id: int) -> None:
        with self.store.reading() as session:
            officer = session.get_one(Officer, officer_id)
            office = office_service.get_office(session)
            ctx = UiContext(self.store, self.runner, Actor.of(officer), office.name,
                            office.agency_code, office.desk_number)
        self.dialog = None
        window = MainWindow(ctx)
        window.logout_requested.connect(self.logout)
        self.window = window
        window.show()
        self.main_window_shown.emit(window)

    def logout(self) -> None:
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        self.show_login()

    def quit(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def close(self) -> None:
        """Release everything; safe to call more than once."""
        if self.window is not None:
            self.window.close()
            self.window = None
        self.runner.shutdown()
        if self.store is not None:
            self.store.close()
            self.store = None
        self.lock.release()


def run_gui(paths: DataPaths, argv: list[str] | None = None) -> int:
    setup_logging(paths.logs if paths.root.exists() else None)
    app = make_application(argv)
    controller = AppController(paths)
    try:
        if not controller.start():
            return controller.exit_code or 1
        app.setQuitOnLastWindowClosed(True)
        code = app.exec()
        return code or controller.exit_code
    finally:
        controller.close()
