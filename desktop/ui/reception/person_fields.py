"""The fields of one person (applicant or submitter), with per-field errors."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from desktop.domain.identity import IdCard
from desktop.services.reception import PersonForm
from desktop.ui.forms import ValidatedForm


def parse_date_text(text: str) -> date | None:
    """'17/05/1990', '17-5-1990' or '17051990' → date; '' → None; ValueError if impossible."""
    value = text.strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


class PersonFields(QWidget):
    """Edits a PersonForm. `prefix` names the error keys ("applicant", "submitter")."""

    changed = Signal()

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix = prefix
        self.form = ValidatedForm(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        f = self.form
        self.id_edit = f.add(f"{prefix}.id_number", self.tr("ID number"), QLineEdit())
        self.id_edit.setMaxLength(12)
        self.id_edit.setPlaceholderText(self.tr("12 digits, or scan the ID card"))
        self.name_edit = f.add(f"{prefix}.name", self.tr("Full name"), QLineEdit())
        self.birth_edit = f.add(f"{prefix}.birth_date", self.tr("Date of birth"), QLineEdit())
        self.birth_edit.setPlaceholderText(self.tr("dd/mm/yyyy"))
        self.sex_combo = f.add(f"{prefix}.sex", self.tr("Sex"), QComboBox())
        self.sex_combo.addItem("—", "")
        self.sex_combo.addItem(self.tr("Male"), "Nam")
        self.sex_combo.addItem(self.tr("Female"), "Nữ")
        self.address_edit = f.add(f"{prefix}.address", self.tr("Address"), QLineEdit())
        self.phone_edit = f.add(f"{prefix}.phone", self.tr("Phone"), QLineEdit())
        self.email_edit = f.add(f"{prefix}.email", self.tr("Email"), QLineEdit())
        self.old_id_edit = f.add(f"{prefix}.old_id", self.tr("Old ID (9 digits)"), QLineEdit())
        self.old_id_edit.setMaxLength(9)
        for edit in (self.id_edit, self.name_edit, self.birth_edit, self.address_edit,
                     self.phone_edit, self.email_edit, self.old_id_edit):
            edit.textEdited.connect(lambda _t: self.changed.emit())
        self.sex_combo.activated.connect(lambda _i: self.changed.emit())

    def edits(self) -> list[QWidget]:
        """In tab order."""
        return [self.id_edit, self.name_edit, self.birth_edit, self.sex_combo, self.address_edit,
                self.phone_edit, self.email_edit, self.old_id_edit]

    def value(self) -> tuple[PersonForm, dict[str, str]]:
        """The typed person, and errors that can be told without the services (bad dates)."""
        errors: dict[str, str] = {}
        try:
            birth = parse_date_text(self.birth_edit.text())
        except ValueError:
            birth = None
            errors[f"{self.prefix}.birth_date"] = self.tr(
                "Impossible date \"{text}\": write it as dd/mm/yyyy, e.g. 17/05/1990."
            ).format(text=self.birth_edit.text().strip())
        person = PersonForm(
            id_number=self.id_edit.text().strip(), old_id=self.old_id_edit.text().strip(),
            name=self.name_edit.text(), birth_date=birth, sex=self.sex_combo.currentData() or "",
            address=self.address_edit.text(), phone=self.phone_edit.text(),
            email=self.email_edit.text(),
        )
        return person, errors

    def set_value(self, p: PersonForm) -> None:
        self.id_edit.setText(p.id_number)
        self.old_id_edit.setText(p.old_id)
        self.name_edit.setText(p.name)
        self.birth_edit.setText(p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "")
        self.sex_combo.setCurrentIndex(max(self.sex_combo.findData(p.sex), 0))
        self.address_edit.setText(p.address)
        self.phone_edit.setText(p.phone)
        self.email_edit.setText(p.email)

    def fill_from_card(self, card: IdCard) -> None:
        """Put a scanned card's fields in; contact fields are kept as typed."""
        self.id_edit.setText(card.id_number)
        self.old_id_edit.setText(card.old_id or "")
        self.name_edit.setText(card.full_name)
        self.birth_edit.setText(card.birth_date.strftime("%d/%m/%Y"))
        self.sex_combo.setCurrentIndex(max(self.sex_combo.findData(card.sex.value), 0))
        self.address_edit.setText(card.address)
        self.form.clear_errors()
        self.changed.emit()

    def clear(self) -> None:
        self.set_value(PersonForm())
        self.form.clear_errors()
