"""The remaining transitions through the GUI: supplement, payment, stop/resume, apology,
state secret. Each runs its own dialog on the Xử lý page, as an officer would."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QLabel
from sqlalchemy import select, text

from desktop.services import auth
from desktop.services.actor import Actor
from desktop.store.models import Apology, Dossier, OutboxItem, ProgressRow, Role
from tests.ui.test_processing_ui import open_page, run, wait_actions


@pytest.fixture
def leader(office_store, admin) -> Actor:
    with office_store.transaction() as s:
        o = auth.create_officer(s, admin, username="lanhdao", full_name="Đặng Quốc Bảo",
                                password="mat-khau-456", roles=[Role.LEADER],
                                title="Phó Chủ tịch UBND xã")
    return Actor(o.id, o.full_name, o.title, o.department, frozenset(o.role_set))


def steps(store, dossier_id: int) -> list[int]:
    with store.reading() as s:
        return list(s.execute(select(ProgressRow.status).where(ProgressRow.dossier_id == dossier_id)
                              .order_by(ProgressRow.id)).scalars())


def handed_over(qtbot, store, staff, dossier_id) -> None:
    page, runner = open_page(qtbot, store, staff["desk"])
    wait_actions(qtbot, page, dossier_id)
    qtbot.waitUntil(lambda: bool(page._officers), timeout=10000)
    run(qtbot, page, "hand_over", dossier_id, specialist_id=staff["spec"].officer_id)
    runner.shutdown()


def test_supplement_requested_then_received_moves_the_due_date(qtbot, office_store, staff,
                                                              dossier_id) -> None:
    handed_over(qtbot, office_store, staff, dossier_id)
    page, runner = open_page(qtbot, office_store, staff["spec"])
    assert "request_supplement" in wait_actions(qtbot, page, dossier_id)
    run(qtbot, page, "request_supplement", dossier_id, missing="Giấy xác nhận nơi cư trú",
        reason="Thiếu giấy tờ chứng minh nơi cư trú")
    runner.shutdown()
    with office_store.transaction() as s:  # the papers come in three days later
        s.execute(text("UPDATE supplement_rounds SET requested_at = :t WHERE dossier_id = :d"),
                  {"t": datetime.now() - timedelta(days=3), "d": dossier_id})
        due_before = s.get_one(Dossier, dossier_id).due_at

    page, runner = open_page(qtbot, office_store, staff["desk"])
    actions = wait_actions(qtbot, page, dossier_id)
    assert "receive_supplement" in actions and "request_supplement" not in actions
    run(qtbot, page, "receive_supplement", dossier_id)
    runner.shutdown()
    with office_store.reading() as s:
        d = s.get_one(Dossier, dossier_id)
        assert d.status == 4 and d.due_at > due_before and d.original_due_at < d.due_at
    assert steps(office_store, dossier_id) == [2, 4, 5, 4]


def test_financial_obligation_and_its_payment(qtbot, office_store, staff, dossier_id) -> None:
    handed_over(qtbot, office_store, staff, dossier_id)
    page, runner = open_page(qtbot, office_store, staff["spec"])
    assert "require_payment" in wait_actions(qtbot, page, dossier_id)
    dialog = page.run_action("require_payment", dossier_id, exec_dialog=False)
    dialog.widgets["amount"].setValue(50_000)
    dialog.widgets["description"].setText("Lệ phí đăng ký hộ tịch")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.run()
    runner.shutdown()

    page, runner = open_page(qtbot, office_store, staff["desk"])
    wait_actions(qtbot, page, dossier_id)
    dialog = page.run_action("record_payment", dossier_id, exec_dialog=False)
    dialog.widgets["online"].setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.run()
    runner.shutdown()
    with office_store.reading() as s:
        d = s.get_one(Dossier, dossier_id)
        assert d.status == 4 and d.paid_online
    assert steps(office_store, dossier_id) == [2, 4, 6, 4]


def test_stop_needs_a_reason_and_resume_continues(qtbot, office_store, staff, dossier_id) -> None:
    handed_over(qtbot, office_store, staff, dossier_id)
    page, runner = open_page(qtbot, office_store, staff["spec"])
    assert "stop" in wait_actions(qtbot, page, dossier_id)
    dialog = page.run_action("stop", dossier_id, exec_dialog=False)
    dialog.run()  # without a reason: refused, shown next to the field, nothing changes
    qtbot.waitUntil(lambda: bool(dialog.form.error_text("reason")), timeout=10000)
    assert steps(office_store, dossier_id) == [2, 4]
    dialog.widgets["reason"].setPlainText("Chờ kết quả xác minh của Công an xã")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.run()
    run(qtbot, page, "resume", dossier_id)
    runner.shutdown()
    assert steps(office_store, dossier_id) == [2, 4, 8, 4]


def test_apology_proposed_then_approved_by_a_leader(qtbot, office_store, staff, leader,
                                                     dossier_id) -> None:
    handed_over(qtbot, office_store, staff, dossier_id)
    soon = (datetime.now() + timedelta(hours=2)).replace(microsecond=0)
    with office_store.transaction() as s:  # the dossier is about to be late
        s.execute(text("UPDATE dossiers SET due_at = :t WHERE id = :d"),
                  {"t": soon, "d": dossier_id})
    new_date = (datetime.now() + timedelta(days=7)).replace(hour=9, minute=0, second=0,
                                                           microsecond=0)
    page, runner = open_page(qtbot, office_store, staff["spec"])
    actions = wait_actions(qtbot, page, dossier_id)
    assert "propose_apology" in actions and "approve_apology" not in actions
    dialog = page.run_action("propose_apology", dossier_id, exec_dialog=False)
    dialog.widgets["reason"].setPlainText("Chờ xác minh thông tin hộ tịch tại nơi cư trú cũ")
    dialog.widgets["new_due_at"].setDateTime(QDateTime(new_date))
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.run()
    runner.shutdown()
    with office_store.reading() as s:
        assert s.get_one(Dossier, dossier_id).due_at == soon  # not before a leader approves

    page, runner = open_page(qtbot, office_store, leader)
    actions = wait_actions(qtbot, page, dossier_id)  # pending apologies are in a leader's work
    assert "approve_apology" in actions and "reject_apology" in actions
    run(qtbot, page, "approve_apology", dossier_id)
    runner.shutdown()
    with office_store.reading() as s:
        d = s.get_one(Dossier, dossier_id)
        assert d.due_at == new_date and d.original_due_at < new_date
        assert s.execute(select(Apology.state)).scalar_one() == "approved"
        item = s.execute(select(OutboxItem).order_by(OutboxItem.id.desc()).limit(1)).scalar_one()
    assert item.kind == "apology.approve"
    assert json.loads(item.payload)["dossier"]["due_at"] == new_date.isoformat()


def test_state_secret_is_explained_and_nothing_more_is_sent(qtbot, office_store, staff, leader,
                                                            dossier_id) -> None:
    page, runner = open_page(qtbot, office_store, leader)
    dialog = page.run_action("mark_state_secret", dossier_id, exec_dialog=False)
    explanation = dialog.findChild(QLabel, "explanation")
    assert explanation is not None and explanation.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.run()
    runner.shutdown()
    with office_store.reading() as s:
        assert s.get_one(Dossier, dossier_id).state_secret
        assert s.execute(select(OutboxItem).where(OutboxItem.dossier_id == dossier_id)).all() == []
    handed_over(qtbot, office_store, staff, dossier_id)  # work goes on, offline only
    with office_store.reading() as s:
        assert s.execute(select(OutboxItem).where(OutboxItem.dossier_id == dossier_id)).all() == []
    assert steps(office_store, dossier_id) == [2, 4]
