"""Login: user name and password, with lockout after repeated failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.forms import error_label
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import app_icon

if TYPE_CHECKING:
    from desktop.store.database import Store


class LoginDialog(QDialog):
    """Accepted once a login succeeded; `officer_id` then names who logged in.

    `store` is a callable returning the Store: at a fast start the login window
    shows while the store is still being opened on the writer thread, and the
    login check simply queues behind that on the same thread.
    """

    def __init__(self, store: Callable[[], Store], runner: TaskRunner, office_name: str, *,
                 hint: str = "", username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.officer_id: int | None = None
        self.setWindowTitle(self.tr("Log in — Một Cửa"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(420)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        title = QLabel(office_name)
        title.setObjectName("pageTitle")
        title.setWordWrap(True)
        lay.addWidget(title)
        sub = QLabel(self.tr("Log in to start work"))
        sub.setObjectName("pageSubtitle")
        lay.addWidget(sub)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setObjectName("pageSubtitle")
            lay.addWidget(hint_label)

        form = QFormLayout()
        self.user_edit = QLineEdit(username)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User name"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        lay.addLayout(form)

        self.error_label = error_label()
        lay.addWidget(self.error_label)

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._submit)
        cancel.clicked.connect(self.reject)
        lay.addWidget(self.buttons)
        (self.password_edit if username else self.user_edit).setFocus()

    def _submit(self) -> None:
        username, password = self.user_edit.text(), self.password_edit.text()
        if not username.strip() or not password:
            self._show_error(self.tr("Enter your user name and password."))
            return
        self.login_button.setEnabled(False)

        get_store = self.store

        def work() -> int:
            from desktop.services import auth

            return auth.authenticate(get_store(), username, password).id

        self.runner.submit(work, self._done, self._failed, write=True, owner=self)

    def _done(self, officer_id: int) -> None:
        self.officer_id = officer_id
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        message = getattr(exc, "message_vi", None)
        if message is not None:
            self._show_error(message)
        else:
            self._show_error(str(exc))
        self.password_edit.clear()
        self.password_edit.setFocus()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
