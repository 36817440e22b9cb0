"""Administration › Officers: accounts, roles, lockouts, passwords."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services import auth
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.models import Role
from desktop.ui.context import UiContext
from desktop.ui.forms import ValidatedForm, error_label, save_cancel_buttons


class OfficerDialog(QDialog):
    """Add an officer (with a password) or edit one (name, title, roles, active)."""

    def __init__(self, ctx: UiContext, officer=None, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.officer_id = officer.id if officer else None
        self.setWindowTitle(self.tr("Edit officer") if officer else self.tr("Add officer"))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        self.form = ValidatedForm()
        f = self.form
        self.user_edit = f.add("username", self.tr("User name"), QLineEdit())
        self.name_edit = f.add("full_name", self.tr("Full name"), QLineEdit())
        self.title_edit = f.add("title", self.tr("Job title"), QLineEdit())
        self.dept_edit = f.add("department", self.tr("Department"), QLineEdit())
        roles_box = QWidget()
        roles_lay = QVBoxLayout(roles_box)
        roles_lay.setContentsMargins(0, 0, 0, 0)
        self.role_checks: dict[Role, QCheckBox] = {}
        for role, label in auth.ROLE_LABELS_VI.items():
            check = QCheckBox(label)
            self.role_checks[role] = check
            roles_lay.addWidget(check)
        f.add("roles", self.tr("Roles"), roles_box)
        if officer is None:
            self.pw_edit = f.add("password", self.tr("Password"), QLineEdit())
            self.pw_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.pw2_edit = f.add("password_confirm", self.tr("Repeat password"), QLineEdit())
            self.pw2_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.active_check = None
        else:
            self.user_edit.setText(officer.username)
            self.user_edit.setReadOnly(True)
            self.name_edit.setText(officer.full_name)
            self.title_edit.setText(officer.title)
            self.dept_edit.setText(officer.department)
            for role in officer.role_set:
                self.role_checks[role].setChecked(True)
            self.active_check = f.add("active", self.tr("Status"), QCheckBox(self.tr("Active")))
            self.active_check.setChecked(officer.active)
        lay.addLayout(f)
        self.message = error_label()
        lay.addWidget(self.message)
        lay.addWidget(save_cancel_buttons(self, self.save))

    def _roles(self) -> list[Role]:
        return [role for role, check in self.role_checks.items() if check.isChecked()]

    def save(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        roles = self._roles()
        name, title, dept = self.name_edit.text(), self.title_edit.text(), self.dept_edit.text()
        if self.officer_id is None:
            user, pw, pw2 = self.user_edit.text(), self.pw_edit.text(), self.pw2_edit.text()

            def work() -> None:
                with store.transaction() as session:
                    auth.create_officer(session, actor, username=user, full_name=name,
                                        password=pw, password_confirm=pw2, roles=roles,
                                        title=title, department=dept)
        else:
            officer_id = self.officer_id
            active = self.active_check.isChecked()

            def work() -> None:
                with store.transaction() as session:
                    auth.update_officer(session, actor, officer_id, full_name=name, title=title,
                                        department=dept, roles=roles, active=active)

        self.ctx.runner.submit(work, lambda _: self.accept(), self._failed, write=True, owner=self)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            rest = self.form.show_errors(exc.errors)
            self.message.setText("\n".join(rest))
            self.message.setVisible(bool(rest))
        else:
            self.message.setText(getattr(exc, "message_vi", str(exc)))
            self.message.show()


class PasswordDialog(QDialog):
    def __init__(self, ctx: UiContext, officer_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.officer_id = officer_id
        self.setWindowTitle(self.tr("New password for {name}").format(name=name))
        lay = QVBoxLayout(self)
        self.form = ValidatedForm()
        self.pw_edit = self.form.add("password", self.tr("New password"), QLineEdit())
        self.pw_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pw2_edit = self.form.add("password_confirm", self.tr("Repeat password"), QLineEdit())
        self.pw2_edit.setEchoMode(QLineEdit.EchoMode.Password)
        lay.addLayout(self.form)
        lay.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        store, actor, oid = self.ctx.store, self.ctx.actor, self.officer_id
        pw, pw2 = self.pw_edit.text(), self.pw2_edit.text()

        def work() -> None:
            with store.transaction() as session:
                auth.reset_password(session, actor, oid, pw, pw2)

        self.ctx.runner.submit(work, lambda _: self.accept(),
                               lambda e: self.form.show_errors(getattr(e, "errors", {"password": str(e)})),
                               write=True, owner=self)


class OfficersTab(QWidget):
    COLUMNS = ("user", "name", "title", "roles", "status")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._officers: list = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([
            self.tr("User name"), self.tr("Full name"), self.tr("Job title"),
            self.tr("Roles"), self.tr("Status"),
        ])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.edit_selected)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add officer…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.password_button = QPushButton(self.tr("Set password…"))
        self.password_button.clicked.connect(self.set_password)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        for b in (self.add_button, self.edit_button, self.password_button, self.unlock_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.message = QLabel()
        lay.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        store = self.ctx.store

        def work() -> list:
            with store.reading() as session:
                return auth.list_officers(session)

        self.ctx.runner.submit(work, self._fill, owner=self)

    def _fill(self, officers: list) -> None:
        self._officers = officers
        now = datetime.now()
        self.table.setRowCount(len(self._officers))
        for r, o in enumerate(self._officers):
            roles = ", ".join(auth.ROLE_LABELS_VI[role] for role in sorted(o.role_set))
            if not o.active:
                status = self.tr("Disabled")
            elif o.locked_until and o.locked_until > now:
                status = self.tr("Locked until {time}").format(time=o.locked_until.strftime("%H:%M"))
            else:
                status = self.tr("Active")
            for c, value in enumerate((o.username, o.full_name, o.title, roles, status)):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, o.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def _selected(self):  # noqa: ANN202
        row = self.table.currentRow()
        return self._officers[row] if 0 <= row < len(self._officers) else None

    def add(self) -> None:
        if OfficerDialog(self.ctx, None, self).exec():
            self.reload()

    def edit_selected(self) -> None:
        officer = self._selected()
        if officer and OfficerDialog(self.ctx, officer, self).exec():
            self.reload()

    def set_password(self) -> None:
        officer = self._selected()
        if officer and PasswordDialog(self.ctx, officer.id, officer.full_name, self).exec():
            self.message.setText(self.tr("Password changed."))

    def unlock(self) -> None:
        officer = self._selected()
        if officer is None:
            return
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> None:
            with store.transaction() as session:
                auth.unlock(session, actor, officer.id)

        def failed(exc: BaseException) -> None:
            self.message.setText(exc.message_vi if isinstance(exc, PermissionDenied) else str(exc))

        self.ctx.runner.submit(work, lambda _: self.reload(), failed, write=True, owner=self)
