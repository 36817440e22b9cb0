"""Start-up of the GUI: lock, open the store, first-run setup, login, main window.

`AppController` walks through these steps with non-modal dialogs and
signals, so tests can drive every step with pytest-qt.

Fast start: when a quick standard-library look at the database shows a
current schema and an office (store.probe), the login window is shown at once
and the store is opened on the writer thread while the officer types; the
login check queues behind it on that same thread. Heavy modules (SQLAlchemy,
the services, the main window) are imported there or after login, never
before the first window. Anything unusual (no office yet, a migration, a
damaged file) takes the ordinary path, with the proper message.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import resources
from desktop.logs import setup_logging
from desktop.paths import DataPaths
from desktop.store.errors import DatabaseCorrupt, StoreError
from desktop.store.lock import InstanceLock
from desktop.store.probe import probe_database
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import apply_theme

if TYPE_CHECKING:
    from desktop.store.database import Store
    from desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
CHECKPOINT_MS = 15_000
GC_MS = 5_000
INDEX_MS = 1_500


def install_translator(app: QApplication) -> QTranslator:
    translator = QTranslator(app)
    if translator.load(str(resources.path("translations", "motcua_vi.qm"))):
        app.installTranslator(translator)
    else:
        log.warning("Vietnamese translation not found; the interface falls back to English")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    return translator


def collect_garbage_on_ui_thread(app: QApplication) -> None:
    """Python's cyclic garbage collector runs in whichever thread happens to allocate.

    When it frees a Qt widget caught in a reference cycle (a dialog and the lambda
    connected to its signal) from a worker thread, the process crashes. As Anki
    does: switch automatic collection off and collect on the UI thread, often.
    """
    import gc

    from PySide6.QtCore import QTimer

    gc.disable()
    timer = QTimer(app)
    timer.setInterval(GC_MS)
    timer.timeout.connect(gc.collect)
    timer.start()
    app._motcua_gc_timer = timer  # type: ignore[attr-defined]


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Một Cửa")
    app.setOrganizationName("MotCua")
    app.setApplicationDisplayName("Một Cửa")
    if not getattr(app, "_motcua_ready", False):
        app._motcua_translator = install_translator(app)  # type: ignore[attr-defined]
        apply_theme(app)
        collect_garbage_on_ui_thread(app)
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
        self._office_name = ""  # shown on the login window
        self.restore_message = ""  # the outcome of a restore asked for last session

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
        self._start_checkpoints()
        self._apply_pending_restore()
        probe = probe_database(self.paths.database)
        if probe is not None and probe.ready:
            self._open_store_in_background()
            self._clean_work_folder()  # queued behind the opening on the writer thread
            self._daily_backup()
            self._office_name = probe.office_name or ""
            self.show_login()
            return True
        if not self._open_store():
            return False
        self._clean_work_folder()
        self._daily_backup()
        from desktop.services import office as office_service

        with self.store.reading() as session:  # the first start or a migration: rare
            initialised = office_service.is_initialised(session)
            if initialised:
                self._office_name = office_service.get_office(session).name
        if initialised:
            self.show_login()
        else:
            self.show_setup()
        return True

    def _open_store_in_background(self) -> None:
        from concurrent.futures import Future

        paths = self.paths

        def work() -> Store:
            from desktop.store.database import open_store

            store = open_store(paths, autocheckpoint=False)
            # While the officer types: import what the login and the main window need.
            import desktop.services.auth  # noqa: F401
            import desktop.ui.main_window  # noqa: F401

            return store

        self._store_future: Future = self.runner.submit(
            work, self._store_opened, self._store_failed, write=True, owner=self)

    def _daily_backup(self) -> None:
        """A backup once a working day, the oldest daily ones pruned (on the writer thread)."""
        controller = self

        def work() -> None:
            from desktop.services import maintenance, settings

            store = controller._current_store()
            with store.reading() as session:
                keep = int(settings.get(session, "backup.keep_daily"))
            maintenance.daily_backup(store, keep=keep)

        self.runner.submit(work, None, lambda exc: log.warning(
            "daily backup failed: %s", type(exc).__name__), write=True, owner=self)

    def _apply_pending_restore(self) -> None:
        """A restore an administrator asked for (Quản trị › Sao lưu) runs before the store
        opens; its result is shown on the login window."""
        if not self.paths.pending_restore.exists():
            return  # the usual start: nothing imported, nothing read
        from desktop.services.maintenance import apply_pending_restore

        self.restore_message = apply_pending_restore(self.paths) or ""

    def _clean_work_folder(self) -> None:
        """Page folders a crash left in data/work (services.digitisation), on the writer."""
        paths = self.paths

        def work() -> int:
            from desktop.services.digitisation import clean_work_folder  # not on the UI thread

            return clean_work_folder(paths)

        self.runner.submit(work, write=True, owner=self)

    def _store_opened(self, store: Store) -> None:
        self.store = store

    def _start_checkpoints(self) -> None:
        """Commits do not checkpoint the WAL themselves (see make_engine): do it here, idle."""
        from PySide6.QtCore import QTimer

        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.setInterval(CHECKPOINT_MS)
        self._checkpoint_timer.timeout.connect(self._checkpoint)
        self._checkpoint_timer.start()

        self._index_timer = QTimer(self)
        self._index_timer.setInterval(INDEX_MS)
        self._index_timer.timeout.connect(self._drain_search_queue)
        self._index_timer.start()

    def _checkpoint(self) -> None:
        store = self.store
        if store is not None:
            self.runner.submit(store.checkpoint, owner=self)

    def _drain_search_queue(self) -> None:
        """Search entries of just-saved dossiers, written after the save (services.search)."""
        store = self.store
        if store is not None:
            from desktop.services import search

            self.runner.submit(lambda: search.drain(store), write=True, owner=self)

    def _current_store(self) -> Store:
        """For work on the writer thread: the store, once opened (it was queued first)."""
        if self.store is not None:
            return self.store
        return self._store_future.result()

    def _store_failed(self, exc: BaseException) -> None:
        # Rare: the quick probe looked fine but opening failed. Take the ordinary path.
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        if isinstance(exc, DatabaseCorrupt):
            if self._offer_restore(exc):
                self.show_login()
            else:
                self.quit()
        elif isinstance(exc, StoreError):
            self._fatal(exc.message_vi)
            self.quit()
        else:
            self._fatal(str(exc))
            self.quit()

    def _open_store(self) -> bool:
        from desktop.store.database import open_store

        try:
            self.store = open_store(self.paths, autocheckpoint=False)
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
        from desktop.services.actor import Actor
        from desktop.services.maintenance import restore

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
        from desktop.ui.setup_dialog import SetupDialog

        dialog = SetupDialog(self.store, self.runner)
        dialog.finished.connect(lambda result: self._setup_finished(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _setup_finished(self, dialog: QDialog, result: int) -> None:
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self.quit()
            return
        if dialog.result_kind == "office" and dialog.officer_id is not None:
            self.show_main(dialog.officer_id)
        else:
            from desktop.services import office as office_service

            with self.store.reading() as session:  # once, after the demo office was made
                self._office_name = office_service.get_office(session).name
            self.show_login(hint=dialog.demo_hint, username="admin")

    def show_login(self, *, office_name: str | None = None, hint: str = "",
                   username: str = "") -> None:
        if office_name is None:
            office_name = self._office_name
        hint, self.restore_message = hint or self.restore_message, ""
        dialog = LoginDialog(self._current_store, self.runner, office_name, hint=hint,
                             username=username)
        dialog.finished.connect(lambda result: self._login_finished(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _login_finished(self, dialog: LoginDialog, result: int) -> None:
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or dialog.officer_id is None:
            self.quit()
            return
        self.show_main(dialog.officer_id)

    def show_main(self, officer_id: int) -> None:
        """Read the officer and the office on the reader pool, then open the main window."""
        from desktop.services import office as office_service
        from desktop.services.actor import Actor
        from desktop.store.models import Officer
        from desktop.ui.context import UiContext

        store, runner = self.store, self.runner

        def work() -> UiContext:
            with store.reading() as session:
                officer = session.get_one(Officer, officer_id)
                office = office_service.get_office(session)
                return UiContext(store, runner, Actor.of(officer), office.name,
                                 office.agency_code, office.desk_number)

        self.runner.submit(work, self._open_main, lambda exc: self._fatal(self.tr(
            "Cannot open the main window: {error}").format(
                error=getattr(exc, "message_vi", None) or exc)), owner=self)

    def _open_main(self, ctx) -> None:  # noqa: ANN001 - a UiContext
        from desktop.ui.main_window import MainWindow

        self._office_name = ctx.office_name
        self.dialog = None
        window = MainWindow(ctx)
        window.logout_requested.connect(self.logout)
        self.window = window
        window.show()
        self.main_window_shown.emit(window)

    def logout(self) -> None:
        if self.window is not None:
            self.window.flush_drafts()
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
            self.window.deleteLater()
            self.window = None
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        self.runner.shutdown()
        if self.store is None and getattr(self, "_store_future", None) is not None:
            if self._store_future.done() and self._store_future.exception() is None:
                self.store = self._store_future.result()
        if self.store is not None:
            try:
                self.store.checkpoint("TRUNCATE")
            except Exception:  # noqa: BLE001 - closing anyway; the WAL is replayed next time
                log.warning("final checkpoint failed", exc_info=True)
            self.store.close()
            self.store = None
        self.lock.release()


def run_gui(paths: DataPaths, argv: list[str] | None = None) -> int:
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # AppController.start reports it in Vietnamese
    setup_logging(paths.logs)
    app = make_application(argv)
    from desktop import crash
    from desktop.ui.crash_dialog import CrashNotifier

    notifier = CrashNotifier()  # made on the UI thread: it shows the message there
    crash.install(paths, notifier)
    controller = AppController(paths)
    try:
        if not controller.start():
            return controller.exit_code or 1
        app.setQuitOnLastWindowClosed(True)
        code = app.exec()
        return code or controller.exit_code
    finally:
        controller.close()
