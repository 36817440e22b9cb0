"""One small form per processing action; only the actions allowed now are offered.

Each action is described by its fields; `ActionDialog` builds the form, runs
the matching `services.processing` function on the writer thread and shows
the Vietnamese field errors it raises, keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.context import UiContext
from desktop.ui.forms import ValidatedForm, error_label, save_cancel_buttons


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text | multiline | lines | officer | money | bool | datetime


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    fields: tuple[Field, ...]
    call: Callable[..., Any]
    explanation: str = ""  # what the action means, shown above its form


def _actions() -> dict[str, Action]:
    from desktop.services import processing as p


    reason = Field("reason", QCoreApplication.translate("ProcessingActions", "Reason"), "multiline")
    return {a.name: a for a in (
        Action("hand_over", QCoreApplication.translate("ProcessingActions", "Hand over for processing"),
               (Field("specialist_id", QCoreApplication.translate("ProcessingActions", "Specialist"), "officer"), Field("note", QCoreApplication.translate("ProcessingActions", "Note"), "text")),
               lambda s, a, d, v, now: p.hand_over(s, a, d, v["specialist_id"], note=v["note"], now=now)),
        Action("request_supplement", QCoreApplication.translate("ProcessingActions", "Request a supplement"),
               (Field("missing", QCoreApplication.translate("ProcessingActions", "Missing papers (one per line)"), "lines"), reason),
               lambda s, a, d, v, now: p.request_supplement(s, a, d, v["missing"], v["reason"], now=now)),
        Action("receive_supplement", QCoreApplication.translate("ProcessingActions", "Supplement received"),
               (Field("specialist_id", QCoreApplication.translate("ProcessingActions", "Specialist"), "officer_optional"),),
               lambda s, a, d, v, now: p.receive_supplement(s, a, d, specialist_id=v["specialist_id"], now=now)),
        Action("require_payment", QCoreApplication.translate("ProcessingActions", "Financial obligation"),
               (Field("amount", QCoreApplication.translate("ProcessingActions", "Amount (VND)"), "money"), Field("description", QCoreApplication.translate("ProcessingActions", "What for"), "text")),
               lambda s, a, d, v, now: p.require_payment(s, a, d, v["amount"], v["description"], now=now)),
        Action("record_payment", QCoreApplication.translate("ProcessingActions", "Payment received"),
               (Field("online", QCoreApplication.translate("ProcessingActions", "Paid online"), "bool"),
                Field("specialist_id", QCoreApplication.translate("ProcessingActions", "Specialist"), "officer_optional")),
               lambda s, a, d, v, now: p.record_payment(s, a, d, online=v["online"],
                                                        specialist_id=v["specialist_id"], now=now)),
        Action("withdraw", QCoreApplication.translate("ProcessingActions", "Withdrawn at the applicant's request"), (reason,),
               lambda s, a, d, v, now: p.withdraw(s, a, d, v["reason"], now=now)),
        Action("stop", QCoreApplication.translate("ProcessingActions", "Stop processing"), (reason,),
               lambda s, a, d, v, now: p.stop(s, a, d, v["reason"], now=now)),
        Action("resume", QCoreApplication.translate("ProcessingActions", "Resume processing"),
               (Field("specialist_id", QCoreApplication.translate("ProcessingActions", "Specialist"), "officer_optional"),),
               lambda s, a, d, v, now: p.resume(s, a, d, specialist_id=v["specialist_id"], now=now)),
        Action("finish", QCoreApplication.translate("ProcessingActions", "Processing finished"),
               (Field("results", QCoreApplication.translate("ProcessingActions", "Result documents (one per line)"), "lines"),),
               lambda s, a, d, v, now: p.finish(s, a, d, v["results"], now=now)),
        Action("return_result", QCoreApplication.translate("ProcessingActions", "Return the result"),
               (Field("receiver_name", QCoreApplication.translate("ProcessingActions", "Received by"), "text"),
                Field("receiver_id_number", QCoreApplication.translate("ProcessingActions", "Their ID number"), "text"),
                Field("by_post", QCoreApplication.translate("ProcessingActions", "Sent by post"), "bool")),
               lambda s, a, d, v, now: p.return_result(
                   s, a, d, receiver_name=v["receiver_name"],
                   receiver_id_number=v["receiver_id_number"], by_post=v["by_post"], now=now)),
        Action("propose_apology", QCoreApplication.translate("ProcessingActions", "Late: propose an apology and a new date"),
               (reason, Field("new_due_at", QCoreApplication.translate("ProcessingActions", "New appointment"), "datetime")),
               lambda s, a, d, v, now: p.propose_apology(s, a, d, v["reason"], v["new_due_at"], now=now)),
        Action("approve_apology", QCoreApplication.translate("ProcessingActions", "Approve the apology and the new date"), (),
               lambda s, a, d, v, now: p.approve_apology(s, a, _pending_apology(s, d), now=now)),
        Action("reject_apology", QCoreApplication.translate("ProcessingActions", "Reject the apology"), (),
               lambda s, a, d, v, now: p.reject_apology(s, a, _pending_apology(s, d), now=now)),
        Action("mark_state_secret", QCoreApplication.translate("ProcessingActions", "Mark as containing state secrets"), (),
               lambda s, a, d, v, now: p.mark_state_secret(s, a, d, now=now),
               QCoreApplication.translate(
                   "ProcessingActions",
                   "Under the Law on Protection of State Secrets, a dossier containing state "
                   "secrets must not travel over the network or be copied into electronic "
                   "systems. Once marked, this dossier is never sent to the provincial system "
                   "(its changes not yet sent are withdrawn now) and its papers are never "
                   "scanned or digitised; it is kept and processed on paper at this office "
                   "only. The marking cannot be undone.")),
    )}


def _pending_apology(store, dossier_id: int) -> int:  # noqa: ANN001 - a Store
    from desktop.services import processing

    with store.reading() as session:
        pending = [a.id for a in processing.apologies_of(session, dossier_id) if a.state == "pending"]
    if not pending:
        from desktop.services.validation import ValidationError

        raise ValidationError({"apology": QCoreApplication.translate(
            "ProcessingActions", "There is no apology waiting for approval.")})
    return pending[-1]


def action_title(name: str) -> str:
    action = _actions().get(name)
    return action.title if action else name


class ActionDialog(QDialog):
    """Asks for one action's fields and runs it. Accepted when it succeeded."""

    def __init__(self, ctx: UiContext, action_name: str, dossier_id: int, *,
                 officers: list[tuple[int, str]] | None = None,
                 defaults: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action = _actions()[action_name]
        self.dossier_id = dossier_id
        self.setWindowTitle(self.action.title)
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        self.form = ValidatedForm()
        self.widgets: dict[str, QWidget] = {}
        defaults = defaults or {}
        for f in self.action.fields:
            self.widgets[f.name] = self.form.add(f.name, f.label, self._widget(f, officers or [],
                                                                               defaults.get(f.name)))
        if self.action.explanation:
            explanation = QLabel(self.action.explanation)
            explanation.setObjectName("explanation")
            explanation.setWordWrap(True)
            lay.addWidget(explanation)
        elif not self.action.fields:
            note = QLabel(self.tr("Confirm to record this step in the dossier's timeline."))
            note.setWordWrap(True)
            lay.addWidget(note)
        lay.addLayout(self.form)
        self.message = error_label()
        lay.addWidget(self.message)
        lay.addWidget(save_cancel_buttons(self, self.run))

    def _widget(self, f: Field, officers: list[tuple[int, str]], default: Any) -> QWidget:
        if f.kind == "multiline" or f.kind == "lines":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(90)
            if default:
                w.setPlainText("\n".join(default) if isinstance(default, list | tuple) else str(default))
            return w
        if f.kind in ("officer", "officer_optional"):
            w = QComboBox()
            if f.kind == "officer_optional":
                w.addItem(self.tr("(keep the current specialist)"), None)
            for officer_id, name in officers:
                w.addItem(name, officer_id)
            return w
        if f.kind == "money":
            w = QSpinBox()
            w.setRange(0, 1_000_000_000)
            w.setSingleStep(1000)
            w.setGroupSeparatorShown(True)
            return w
        if f.kind == "bool":
            w = QCheckBox()
            w.setChecked(bool(default))
            return w
        if f.kind == "datetime":
            w = QDateTimeEdit(QDateTime(default or datetime.now() + timedelta(days=3)))
            w.setCalendarPopup(True)
            w.setDisplayFormat("HH:mm dd/MM/yyyy")
            return w
        w = QLineEdit(str(default or ""))
        return w

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.action.fields:
            w = self.widgets[f.name]
            if f.kind == "lines":
                out[f.name] = [line.strip() for line in w.toPlainText().splitlines() if line.strip()]
            elif f.kind == "multiline":
                out[f.name] = w.toPlainText()
            elif f.kind in ("officer", "officer_optional"):
                out[f.name] = w.currentData()
            elif f.kind == "money":
                out[f.name] = w.value()
            elif f.kind == "bool":
                out[f.name] = w.isChecked()
            elif f.kind == "datetime":
                out[f.name] = w.dateTime().toPython().replace(second=0, microsecond=0)
            else:
                out[f.name] = w.text()
        return out

    def run(self) -> None:
        store, actor, dossier_id, values = self.ctx.store, self.ctx.actor, self.dossier_id, self.values()
        call = self.action.call
        self.ctx.runner.submit(lambda: call(store, actor, dossier_id, values, None),
                               lambda _r: self.accept(), self._failed, write=True, owner=self)

    def _failed(self, exc: BaseException) -> None:
        errors = getattr(exc, "errors", None)
        if errors:
            rest = self.form.show_errors(errors)
            self.message.setText("\n".join(rest))
            self.message.setVisible(bool(rest))
        else:
            self.message.setText(getattr(exc, "message_vi", None) or str(exc))
            self.message.show()
