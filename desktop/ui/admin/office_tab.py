"""Administration › Office: the office profile printed on every form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.services import office as office_service
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.ui.context import UiContext
from desktop.ui.forms import ValidatedForm


class OfficeTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        self.form = ValidatedForm()
        f = self.form
        self.name_edit = f.add("name", self.tr("Office name"), QLineEdit())
        self.code_edit = f.add("agency_code", self.tr("Agency code"), QLineEdit())
        self.desk_spin = f.add("desk_number", self.tr("Desk number"), QSpinBox())
        self.desk_spin.setRange(1, 9)
        self.place_edit = f.add("place_name", self.tr("Place name on printed forms"), QLineEdit())
        self.parent_edit = f.add("parent_name", self.tr("Parent authority"), QLineEdit())
        self.address_edit = f.add("address", self.tr("Address"), QLineEdit())
        self.phone_edit = f.add("phone", self.tr("Phone"), QLineEdit())
        lay.addLayout(f)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        lay.addLayout(row)
        lay.addStretch(1)
        self.load()

    def load(self) -> None:
        store = self.ctx.store

        def work():  # noqa: ANN202
            with store.reading() as session:
                return office_service.get_office(session)

        self.ctx.runner.submit(work, self._fill, owner=self)

    def _fill(self, o) -> None:  # noqa: ANN001
        if o is None:
            return
        self.name_edit.setText(o.name)
        self.code_edit.setText(o.agency_code)
        self.desk_spin.setValue(o.desk_number)
        self.place_edit.setText(o.place_name)
        self.parent_edit.setText(o.parent_name)
        self.address_edit.setText(o.address)
        self.phone_edit.setText(o.phone)

    def save(self) -> None:
        form = office_service.OfficeForm(
            name=self.name_edit.text(), agency_code=self.code_edit.text(),
            desk_number=self.desk_spin.value(), address=self.address_edit.text(),
            place_name=self.place_edit.text(), parent_name=self.parent_edit.text(),
            phone=self.phone_edit.text(),
        )
        store, actor = self.ctx.store, self.ctx.actor

        def work() -> str:
            with store.transaction() as session:
                return office_service.update_office(session, actor, form).name

        self.save_button.setEnabled(False)
        self.ctx.runner.submit(work, self._saved, self._failed, write=True, owner=self)

    def _saved(self, name: str) -> None:
        self.save_button.setEnabled(True)
        self.form.clear_errors()
        self.ctx.office_name = name
        self.message.setText(self.tr("Saved."))

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.message.setText("\n".join(self.form.show_errors(exc.errors)))
        elif isinstance(exc, PermissionDenied):
            self.message.setText(exc.message_vi)
        else:
            self.message.setText(getattr(exc, "message_vi", str(exc)))
