"""The reception desk through the GUI (pytest-qt, offscreen), keyboard and scanner included."""

from __future__ import annotations

from datetime import datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from desktop.services import auth, dossiers
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.store.models import Dossier, Draft, Procedure, Role
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.reception.components_table import STATE
from desktop.ui.reception.page import ReceptionPage
from desktop.ui.tasks import TaskRunner

CARD = "001090123456|123456789|Nguyễn Văn Đức|17051990|Nam|Thôn Phú Mỹ, xã Tân Phú, tỉnh Đồng Nai|01082021"


@pytest.fixture
def clerk(office_store, admin):
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
        officer = auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                      password="mat-khau-456", roles=[Role.FRONT_DESK])
    return Actor(officer.id, officer.full_name, roles=frozenset({Role.FRONT_DESK}))


@pytest.fixture
def page(qtbot, qapp, office_store, clerk):
    make_application([])
    runner = TaskRunner()
    ctx = UiContext(office_store, runner, clerk, "UBND xã Tân Phú", "000.00.01.H56", 1)
    p = ReceptionPage(ctx)
    qtbot.addWidget(p)
    p.resize(1300, 850)
    p.show()
    p.activateWindow()
    qtbot.waitUntil(lambda: p.form.picker.list.count() > 0, timeout=10000)
    yield p
    p.form._autosave.stop()
    runner.shutdown()


def type_text(widget, text: str) -> None:
    """Key events carrying any Unicode text (QTest.keyClicks only knows ASCII)."""
    for ch in text:
        target = QApplication.focusWidget() or widget
        key = ord(ch.upper()) if ch.isascii() and ch.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def scan(qtbot, widget, payload: str) -> None:
    """A keyboard-wedge scanner: the whole payload in one fast burst, then Enter."""
    widget.setFocus()
    type_text(widget, payload)
    QTest.keyClick(QApplication.focusWidget() or widget, Qt.Key.Key_Return)


def choose_procedure(qtbot, page, text: str) -> None:
    search = page.form.picker.search
    search.setFocus()
    QTest.keyClicks(search, text, delay=5)
    QTest.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.form.components.rowCount() > 0, timeout=10000)


def mark_required_present_with_keyboard(page) -> None:
    table = page.form.components
    table.setFocus()
    for row, line in enumerate(table.lines()):
        table.setCurrentCell(row, STATE)
        if line.state == "missing":
            QTest.keyClick(table, Qt.Key.Key_Space)


def pdf_text(path) -> str:
    """The PDF's text with white space folded (Qt's PDFs space words with tabs)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def test_whole_reception_by_keyboard_and_scanner_prints_the_receipt(qtbot, page, office_store, tmp_path) -> None:
    form = page.form
    choose_procedure(qtbot, page, "xac nhan tinh trang hon nhan")
    assert form.picker.current.code == "1.004873"
    scan(qtbot, QApplication.focusWidget() or form, CARD)
    assert form.applicant.id_edit.text() == "001090123456"
    assert form.applicant.name_edit.text() == "Nguyễn Văn Đức"
    assert form.applicant.birth_edit.text() == "17/05/1990"
    assert form.applicant.sex_combo.currentData() == "Nam"
    assert form.scan_banner.isHidden()
    QTest.keyClicks(form.applicant.phone_edit, "0912345678")
    mark_required_present_with_keyboard(page)
    qtbot.waitUntil(lambda: "ngày làm việc" in form.due_label.text(), timeout=10000)
    QTest.keyClick(form.components, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=15000)
    with office_store.reading() as s:
        d = s.execute(select(Dossier)).scalar_one()
    assert d.status == 2 and d.applicant_name == "Nguyễn Văn Đức"
    pdf = page.last_preview.export_pdf(tmp_path / "bien-nhan.pdf")
    text = pdf_text(pdf)
    assert d.code in text
    assert "Nguyễn Văn Đức" in text
    assert d.due_at.strftime("%d/%m/%Y") in text or f"ngày {d.due_at.day:02d} tháng {d.due_at.month:02d}" in text
    # The form is clear for the next citizen, with the procedure search focused.
    assert form.applicant.name_edit.text() == ""


def test_garbled_scan_shows_what_was_read_and_changes_nothing(qtbot, page) -> None:
    form = page.form
    form.applicant.name_edit.setText("Lê Thị Hoa")
    form.applicant.name_edit.setFocus()
    scan(qtbot, form.applicant.name_edit, "NguyÃ¡Â»â€¦n|xx|yy|zz|ww")
    assert form.scan_banner.isVisible()
    assert "không" in form.scan_banner.text().lower()
    assert form.applicant.name_edit.text() == "Lê Thị Hoa"


def test_scan_into_another_field_does_not_corrupt_it(qtbot, page) -> None:
    form = page.form
    form.applicant.phone_edit.setText("0912")
    form.applicant.phone_edit.setFocus()
    form.applicant.phone_edit.end(False)
    scan(qtbot, form.applicant.phone_edit, CARD)
    assert form.applicant.id_edit.text() == "001090123456"
    assert form.applicant.phone_edit.text() == "0912"


def test_a_person_typing_is_not_taken_for_a_scanner(qtbot, page) -> None:
    form = page.form
    form.applicant.address_edit.setFocus()
    for ch in "Số 12|Ấp 3":  # a person: 60 ms between keys
        type_text(form.applicant.address_edit, ch)
        QTest.qWait(60)
    assert form.applicant.address_edit.text() == "Số 12|Ấp 3"


def test_each_bad_field_shows_its_message_and_keeps_the_text(qtbot, page) -> None:
    form = page.form
    choose_procedure(qtbot, page, "1.004873")
    form.applicant.id_edit.setText("001095123456")  # born in 1995 by its digits
    form.applicant.birth_edit.setText("31/02/1990")
    form.applicant.phone_edit.setText("123")
    form.receive()
    assert "31/02/1990" in form.applicant.form.error_text("applicant.birth_date")
    assert form.applicant.birth_edit.text() == "31/02/1990"
    form.applicant.birth_edit.setText("17/05/1990")
    form.receive()
    qtbot.waitUntil(lambda: bool(form.applicant.form.error_text("applicant.phone")), timeout=10000)
    assert form.applicant.form.error_text("applicant.id_number")
    assert form.applicant.form.error_text("applicant.name")
    assert form.components_error.isVisible()
    assert form.applicant.phone_edit.text() == "123"


def test_incomplete_dossier_prints_guidance_and_is_kept_as_draft(qtbot, page, office_store, tmp_path) -> None:
    form = page.form
    choose_procedure(qtbot, page, "1.004873")
    scan(qtbot, form.applicant.id_edit, CARD)
    form.components.mark_all_present()
    form.components.set_state(0, "missing")
    missing_name = form.components.lines()[0].name
    QTest.keyClick(form.components, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=15000)
    text = pdf_text(page.last_preview.export_pdf(tmp_path / "mau02.pdf"))
    assert "Nguyễn Văn Đức" in text
    assert " ".join(missing_name.split()[:6]) in text
    with office_store.reading() as s:
        assert s.execute(select(Draft)).scalar_one().title == "Nguyễn Văn Đức"
        assert s.execute(select(Dossier)).first() is None


def test_refusal_needs_a_reason_and_prints_the_refusal_slip(qtbot, page, office_store, tmp_path) -> None:
    form = page.form
    choose_procedure(qtbot, page, "1.004873")
    scan(qtbot, form.applicant.id_edit, CARD)
    form.refuse("Yêu cầu không thuộc thẩm quyền giải quyết của UBND xã")
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=15000)
    text = pdf_text(page.last_preview.export_pdf(tmp_path / "mau03.pdf"))
    assert "không thuộc thẩm quyền giải quyết" in text
    with office_store.reading() as s:
        d = s.execute(select(Dossier)).scalar_one()
    assert d.status == 3 and d.code in text


def test_drafts_survive_a_restart(qtbot, page, office_store, clerk) -> None:
    form = page.form
    choose_procedure(qtbot, page, "1.004873")
    form.applicant.name_edit.setFocus()
    type_text(form.applicant.name_edit, "Phạm Thị Mai")
    qtbot.waitUntil(lambda: form.draft_id is not None, timeout=10000)  # autosave
    page.close()
    # A new window (the app restarted) offers the draft and restores every field.
    runner = TaskRunner()
    ctx = UiContext(office_store, runner, clerk, "UBND xã Tân Phú", "000.00.01.H56", 1)
    again = ReceptionPage(ctx)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.drafts.list.count() == 1, timeout=10000)
    again.drafts.open_button.click()
    qtbot.waitUntil(lambda: again.form.applicant.name_edit.text() == "Phạm Thị Mai", timeout=10000)
    qtbot.waitUntil(lambda: again.form.picker.current is not None, timeout=10000)
    assert again.form.picker.current.code == "1.004873"
    runner.shutdown()


def test_online_queue_receives_a_dossier(qtbot, page, office_store) -> None:
    with office_store.transaction() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        d = Dossier(procedure_id=pid, channel="2", status=1, applicant_name="Võ Thị Kim Oanh",
                    submitted_at=datetime(2026, 11, 25, 20, 0), code="000.00.01.H56-261125-9001")
        dossiers.create(s, Actor(None, "Cổng dịch vụ công"), d, content="Nộp trực tuyến",
                        at=datetime(2026, 11, 25, 20, 0))
    page.queue.refresh()
    qtbot.waitUntil(lambda: page.queue.table.rowCount() == 1, timeout=10000)
    assert "(1)" in page.tabs.tabText(1)
    page.queue.receive_selected()
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=15000)
    with office_store.reading() as s:
        assert s.get_one(Dossier, d.id).status == 2
    qtbot.waitUntil(lambda: page.queue.table.rowCount() == 0, timeout=10000)
