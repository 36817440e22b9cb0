"""First-run setup of a new data folder: a new office, or the demo office."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.office import AdminForm, OfficeForm, initialise_office
from desktop.services.validation import ValidationError
from desktop.store.database import Store
from desktop.store.errors import StoreError
from desktop.ui.forms import ValidatedForm
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import app_icon

DEMO_DOSSIERS = 2000


class SetupDialog(QDialog):
    """Accepted with `result_kind` "office" (admin logged in) or "demo"."""

    progress_changed = Signal(int, int)

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.result_kind = ""
        self.officer_id: int | None = None
        self.demo_hint = ""
        self.setWindowTitle(self.tr("Set up Một Cửa"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(620)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._office_page())
        self.pages.addWidget(self._progress_page())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.addWidget(self.pages)
        self.progress_changed.connect(self._on_progress)

    # ------------------------------------------------------------------ pages

    def _choice_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        title = QLabel(self.tr("Welcome to Một Cửa"))
        title.setObjectName("pageTitle")
        lay.addWidget(title)
        intro = QLabel(self.tr(
            "This data folder has no office yet. Set up your office, or open a demo "
            "office with real procedures and sample dossiers to explore the software."
        ))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        folder = QLabel(self.tr("Data folder: {path}").format(path=self.store.paths.root))
        folder.setObjectName("pageSubtitle")
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(folder)
        lay.addSpacing(12)
        self.new_button = QPushButton(self.tr("Set up a new office"))
        self.new_button.setObjectName("primary")
        self.new_button.setDefault(True)
        self.new_button.clicked.connect(lambda: self._go(1))
        self.demo_button = QPushButton(self.tr("Open the demo office"))
        self.demo_button.clicked.connect(self._start_demo)
        for b in (self.new_button, self.demo_button):
            b.setMinimumHeight(40)
            lay.addWidget(b)
        lay.addStretch(1)
        return page

    def _office_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        title = QLabel(self.tr("Office and first administrator"))
        title.setObjectName("pageTitle")
        lay.addWidget(title)

        self.office_form = ValidatedForm()
        f = self.office_form
        self.name_edit = f.add("name", self.tr("Office name"), QLineEdit())
        self.name_edit.setPlaceholderText(self.tr("e.g. UBND xã Tân Phú"))
        self.code_edit = f.add("agency_code", self.tr("Agency code"), QLineEdit())
        self.code_edit.setPlaceholderText("000.00.01.H56")
        self.desk_spin = f.add("desk_number", self.tr("Desk number"), QSpinBox())
        self.desk_spin.setRange(1, 9)
        self.desk_spin.setToolTip(self.tr(
            "Each reception PC of the office needs its own desk number, so that two desks "
            "never issue the same dossier code, even offline."
        ))
        self.place_edit = f.add("place_name", self.tr("Place name on printed forms"), QLineEdit())
        self.place_edit.setPlaceholderText(self.tr("e.g. Xã Tân Phú"))
        self.parent_edit = f.add("parent_name", self.tr("Parent authority"), QLineEdit())
        self.address_edit = f.add("address", self.tr("Address"), QLineEdit())
        self.phone_edit = f.add("phone", self.tr("Phone"), QLineEdit())
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        f.addRow(line)
        self.admin_name_edit = f.add("admin_full_name", self.tr("Administrator's full name"), QLineEdit())
        self.admin_title_edit = f.add("admin_title", self.tr("Job title"), QLineEdit())
        self.admin_user_edit = f.add("admin_username", self.tr("User name"), QLineEdit())
        self.admin_pw_edit = f.add("admin_password", self.tr("Password"), QLineEdit())
        self.admin_pw_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_pw2_edit = f.add("admin_password_confirm", self.tr("Repeat password"), QLineEdit())
        self.admin_pw2_edit.setEchoMode(QLineEdit.EchoMode.Password)
        lay.addLayout(f)

        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.deployment = self._presets()
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        lay.addWidget(self.form_error)

        buttons = QHBoxLayout()
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self._go(0))
        self.finish_button = QPushButton(self.tr("Finish setup"))
        self.finish_button.setObjectName("primary")
        self.finish_button.clicked.connect(self._submit_office)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        lay.addLayout(buttons)
        return page

    def _progress_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.progress_label = QLabel(self.tr("Creating the demo office…"))
        self.progress_label.setObjectName("pageTitle")
        lay.addWidget(self.progress_label)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        lay.addWidget(self.progress_bar)
        lay.addStretch(1)
        return page

    def _go(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        if index == 1:
            self.name_edit.setFocus()

    def _presets(self):  # noqa: ANN202 - a desktop.config.Deployment
        """IT's motcua.toml fills what it knows (the officer can still change it)."""
        from desktop import config

        try:
            d = config.load()
        except config.ConfigError as exc:
            self.form_error.setText(exc.message_vi)
            self.form_error.show()
            return config.Deployment()
        for edit, value in ((self.name_edit, d.office_name), (self.code_edit, d.agency_code),
                            (self.place_edit, d.place_name), (self.parent_edit, d.parent_name)):
            if value:
                edit.setText(value)
        if d.desk is not None:
            self.desk_spin.setValue(d.desk)
        return d

    # ---------------------------------------------------------------- actions

    def _office_form(self) -> OfficeForm:
        return OfficeForm(
            name=self.name_edit.text(), agency_code=self.code_edit.text(),
            desk_number=self.desk_spin.value(), address=self.address_edit.text(),
            place_name=self.place_edit.text(), parent_name=self.parent_edit.text(),
            phone=self.phone_edit.text(),
        )

    def _admin_form(self) -> AdminForm:
        return AdminForm(
            username=self.admin_user_edit.text(), full_name=self.admin_name_edit.text(),
            password=self.admin_pw_edit.text(), password_confirm=self.admin_pw2_edit.text(),
            title=self.admin_title_edit.text(),
        )

    def _submit_office(self) -> None:
        office, admin = self._office_form(), self._admin_form()
        self.finish_button.setEnabled(False)
        self.form_error.hide()
        store, deployment = self.store, self.deployment

        def work() -> int:
            from desktop import config
            from desktop.services.actor import Actor

            officer = initialise_office(store, office, admin)
            with store.transaction() as session:
                config.apply_to_settings(session, Actor.of(officer), deployment)
            return officer.id

        self.runner.submit(work, self._office_done, self._office_failed, write=True, owner=self)

    def _office_done(self, officer_id: int) -> None:
        self.officer_id = officer_id
        self.result_kind = "office"
        self.accept()

    def _office_failed(self, exc: BaseException) -> None:
        self.finish_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            rest = self.office_form.show_errors(exc.errors)
            if rest:
                self.form_error.setText("\n".join(rest))
                self.form_error.show()
        elif isinstance(exc, StoreError):
            self.form_error.setText(exc.message_vi)
            self.form_error.show()
        else:
            raise exc

    def _start_demo(self) -> None:
        from desktop.services import demo

        self._go(2)
        paths = self.store.paths

        def work() -> str:
            demo.create_demo(paths, dossiers=DEMO_DOSSIERS,
                             progress=lambda d, t: self.progress_changed.emit(d, t))
            return demo.LOGIN_HINT

        self.runner.submit(work, self._demo_done, self._demo_failed, write=True, owner=self)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _demo_done(self, hint: str) -> None:
        self.demo_hint = hint
        self.result_kind = "demo"
        self.accept()

    def _demo_failed(self, exc: BaseException) -> None:
        self._go(0)
        message = getattr(exc, "message_vi", None) or str(exc)
        QMessageBox.warning(self, self.tr("Could not create the demo office"), message)
