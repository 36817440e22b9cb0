"""Printing Mẫu 04–06 through the GUI (pytest-qt, offscreen) on a real store.

The tracking book dialog exports a real XLSX and, through its print preview,
a real PDF; the processing and dossier pages print the apology and the
control slip. Texts are checked in the files, not in the (translated) widgets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPageLayout
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select, text

from desktop.services import auth, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.store.models import Dossier, Procedure, Role
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.dossiers import DossiersPage
from desktop.ui.dossiers.tracking_book import (
    CUSTOM,
    LAST_MONTH,
    THIS_QUARTER,
    TrackingBookDialog,
    preset_period,
)
from desktop.ui.processing.page import ProcessingPage
from desktop.ui.tasks import TaskRunner
from forms.xlsx import FIRST_ROW

WAIT = 20_000
TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 26, 9, 30)  # 1.004873 (3 working days) is due Tue 1/12 09:30


@pytest.fixture
def staff(office_store, admin) -> dict[str, Actor]:
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
        made = {
            "desk": auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                        password="mat-khau-456", roles=[Role.FRONT_DESK],
                                        department="Bộ phận một cửa"),
            "spec": auth.create_officer(s, admin, username="tuphap", full_name="Phạm Thị Ngọc Lan",
                                        password="mat-khau-456", roles=[Role.SPECIALIST],
                                        department="Tư pháp - Hộ tịch"),
            "leader": auth.create_officer(s, admin, username="lanhdao", full_name="Đặng Quốc Bảo",
                                          password="mat-khau-456", roles=[Role.LEADER]),
        }
    return {k: Actor(o.id, o.full_name, o.title, o.department, frozenset(o.role_set))
            for k, o in made.items()}


def receive(store, actor: Actor, at: datetime, name: str = "Nguyễn Văn Đức") -> int:
    with store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    form = reception.ReceptionForm(
        procedure_id=pid, components=lines,
        applicant=reception.PersonForm(id_number="001090123456", name=name,
                                       birth_date=date(1990, 5, 17), sex="Nam",
                                       address="Thôn Phú Mỹ, xã Tân Phú"))
    return reception.receive(store, actor, form, now=at).dossier_id


@pytest.fixture
def ctx(qapp, office_store, staff) -> Iterator[UiContext]:
    make_application([])
    context = UiContext(office_store, TaskRunner(), staff["desk"], "UBND xã Tân Phú",
                        "000.00.01.H56", 1)
    yield context
    context.runner.shutdown()


def squeezed_pdf(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(str(path))
    return reader, re.sub(r"\s+", "", " ".join(p.extract_text() for p in reader.pages))


def codes_of(store, ids: list[int]) -> list[str]:
    with store.reading() as s:
        return [s.get_one(Dossier, i).code for i in ids]


def type_date(qtbot, edit, text_: str) -> None:
    """Type into a date edit as an officer would: select it all, then key by key."""
    edit.setFocus()
    edit.selectAll()
    for ch in text_:
        key = Qt.Key.Key_Slash if ch == "/" else getattr(Qt.Key, f"Key_{ch}")
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


# --------------------------------------------------------------------- the dialog


def test_periods_are_whole_months_and_quarters() -> None:
    assert preset_period("this_month", TODAY) == (date(2026, 11, 1), date(2026, 11, 30))
    assert preset_period(LAST_MONTH, date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert preset_period(THIS_QUARTER, TODAY) == (date(2026, 10, 1), date(2026, 12, 31))
    assert preset_period(THIS_QUARTER, date(2026, 2, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert preset_period("this_month", date(2026, 12, 5)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_tracking_book_dialog_exports_an_xlsx_and_a_pdf(qtbot, ctx, office_store, staff,
                                                        tmp_path) -> None:
    ids = [receive(office_store, staff["desk"], datetime(2026, 11, day, 9, 0), name)
           for day, name in ((2, "Lê Văn Sơn"), (9, "Hoàng Thị Ánh Tuyết"), (26, "Phan Đình Khải"))]
    receive(office_store, staff["desk"], datetime(2026, 10, 30, 9, 0), "Kỳ Trước")
    processing.hand_over(office_store, staff["desk"], ids[0], staff["spec"].officer_id,
                         now=datetime(2026, 11, 2, 10, 0))
    codes = codes_of(office_store, ids)

    dialog = TrackingBookDialog(ctx, today=TODAY, xlsx_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period() == (date(2026, 11, 1), date(2026, 11, 30))  # this month
    qtbot.waitUntil(lambda: "3" in dialog.count_label.text(), timeout=WAIT)

    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData(LAST_MONTH))
    assert dialog.period() == (date(2026, 10, 1), date(2026, 10, 31))
    qtbot.waitUntil(lambda: "1" in dialog.count_label.text(), timeout=WAIT)
    type_date(qtbot, dialog.from_edit, "01/11/2026")
    type_date(qtbot, dialog.to_edit, "30/11/2026")
    assert dialog.period() == (date(2026, 11, 1), date(2026, 11, 30))
    assert dialog.period_combo.currentData() == CUSTOM  # typed dates are a custom period
    assert dialog.from_edit.displayFormat() == "dd/MM/yyyy"

    with qtbot.waitSignal(dialog.xlsx_saved, timeout=WAIT) as saved:
        dialog.export_xlsx(tmp_path / "so-thang-11")  # the extension is added
    path = Path(saved.args[0])
    assert path == tmp_path / "so-thang-11.xlsx" and dialog.exported == path
    ws = load_workbook(path).active
    assert ws["A5"].value == "SỔ THEO DÕI HỒ SƠ"
    assert ws["A6"].value.startswith("Từ ngày 01/11/2026 đến ngày 30/11/2026")
    assert [ws.cell(FIRST_ROW + i, 2).value for i in range(4)] == [*codes, None]
    assert [ws.cell(FIRST_ROW + i, 5).value for i in range(3)] == [
        "Lê Văn Sơn", "Hoàng Thị Ánh Tuyết", "Phan Đình Khải"]
    assert ws.cell(FIRST_ROW, 10).value == datetime(2026, 11, 2)  # handed over

    dialog.preview()
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=WAIT)
    preview = dialog.last_preview
    assert preview.printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    pdf = preview.export_pdf(tmp_path / "so.pdf")
    reader, flat = squeezed_pdf(pdf)
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    assert "SỔTHEODÕIHỒSƠ" in flat and "Tổngsố:3hồsơ" in flat
    assert [flat.count(code) for code in codes] == [1, 1, 1]
    assert "KỳTrước" not in flat
    preview.reject()
    assert dialog.isVisible()


@contextmanager
def full_disk(path: Path) -> Iterator[Path]:
    """A tiny tmpfs filled up to the last bytes (skipped where mounting is impossible)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    path.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        try:
            with (path / "filler").open("wb", buffering=0) as fh:
                while True:
                    fh.write(b"\0" * 4096)
        except OSError:
            pass  # full
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_errors_are_shown_and_the_dialog_stays(qtbot, ctx, office_store, staff, tmp_path) -> None:
    receive(office_store, staff["desk"], datetime(2026, 11, 2, 9, 0))
    with office_store.transaction() as s:  # 2,001 more in October: too many to print at once
        s.execute(text("""
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2001)
            INSERT INTO dossiers (uid, code, procedure_id, channel, status, applicant_kind,
                applicant_id_number, applicant_old_id, applicant_name, applicant_sex,
                applicant_address, applicant_phone, applicant_email, submitter_id_number,
                submitter_name, submitter_sex, submitter_address, submitter_phone,
                submitter_email, summary, note, reason, sets_count, received_at,
                return_by_post, fee_total, paid_online, state_secret, created_at, updated_at,
                version)
            SELECT printf('t%05d', x), printf('000.00.01.H56-261001-%05d', x),
                (SELECT min(id) FROM procedures), '1', 2, '1', '', '', 'Nguyễn Văn An', '', '',
                '', '', '', '', '', '', '', '', '', '', '', 1,
                strftime('%Y-%m-%d %H:%M:%S.000000', '2026-10-01 07:00:00', printf('+%d minutes', x * 10)),
                0, 0, 0, 0, '2026-10-01 07:00:00.000000', '2026-10-01 07:00:00.000000', 1
            FROM n"""))
    dialog = TrackingBookDialog(ctx, today=TODAY, xlsx_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData(THIS_QUARTER))
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as failed:
        dialog.preview()
    assert "2.002 hồ sơ" in failed.args[0] and "ngắn hơn" in failed.args[0]
    assert dialog.message.isVisible() and dialog.message.text() == failed.args[0]
    assert dialog.last_preview is None and dialog.preview_button.isEnabled()

    dialog.set_period(date(2026, 11, 30), date(2026, 11, 1))  # reversed
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as failed:
        dialog.export_xlsx(tmp_path / "nguoc.xlsx")
    assert "Ngày kết thúc" in failed.args[0]

    dialog.set_period(date(2026, 10, 1), date(2026, 11, 30))  # 2,002 dossiers: fine in Excel
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as failed:
        dialog.export_xlsx(blocker / "so.xlsx")
    assert failed.args[0] and dialog.isVisible()

    with full_disk(tmp_path / "full") as full:
        with qtbot.waitSignal(dialog.failed, timeout=WAIT) as failed:
            dialog.export_xlsx(full / "so.xlsx")
        assert sorted(p.name for p in full.iterdir()) == ["filler"]  # no partial file
    assert os.strerror(28) in failed.args[0]  # "No space left on device"
    assert dialog.isVisible() and dialog.xlsx_button.isEnabled()

    with qtbot.waitSignal(dialog.xlsx_saved, timeout=WAIT):
        dialog.export_xlsx(tmp_path / "ok.xlsx")
    ws = load_workbook(tmp_path / "ok.xlsx", read_only=True).active
    assert sum(1 for _ in ws.iter_rows(min_row=FIRST_ROW, max_col=2)) == 2002


# --------------------------------------------------------------------- the pages


def _dispose(widget) -> None:  # noqa: ANN001
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_dossier_page_opens_the_book_and_prints_a_control_slip(qtbot, ctx, office_store,
                                                                  staff, tmp_path) -> None:
    d = receive(office_store, staff["desk"], NOW)
    processing.hand_over(office_store, staff["desk"], d, staff["spec"].officer_id,
                         now=NOW + timedelta(minutes=30))
    (code,) = codes_of(office_store, [d])
    page = DossiersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.model.pages_loaded > 0 and not page.model.loading, timeout=WAIT)

    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.tracking_dialog is not None and page.tracking_dialog.isVisible(),
                    timeout=WAIT)
    book = page.tracking_dialog
    assert book.parent() is page
    book.reject()
    assert page.tracking_dialog is None

    page._select_row(0)
    qtbot.waitUntil(lambda: page.detail.control_slip_button.isVisible(), timeout=WAIT)
    qtbot.mouseClick(page.detail.control_slip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=WAIT)
    _, flat = squeezed_pdf(page.last_preview.export_pdf(tmp_path / "mau05.pdf"))
    assert "PHIẾUKIỂMSOÁTQUÁTRÌNHGIẢIQUYẾTHỒSƠ" in flat and code in flat
    assert "1.Giao:TrầnThịThuHà(Bộphậnmộtcửa)2.Nhận:PhạmThịNgọcLan(Tưpháp-Hộtịch)" in flat
    page.last_preview.reject()
    _dispose(page)


def test_the_processing_page_prints_the_approved_apology_and_the_control_slip(
        qtbot, office_store, staff, tmp_path) -> None:
    d = receive(office_store, staff["desk"], NOW)
    processing.hand_over(office_store, staff["desk"], d, staff["spec"].officer_id, now=NOW)
    late = datetime(2026, 11, 30, 10, 0)
    apology = processing.propose_apology(office_store, staff["spec"], d,
                                         "Chờ xác minh thông tin hộ tịch tại nơi cư trú cũ",
                                         datetime(2026, 12, 4, 16, 0), now=late)
    make_application([])
    runner = TaskRunner()
    try:
        page = ProcessingPage(UiContext(office_store, runner, staff["spec"], "UBND xã Tân Phú",
                                        "000.00.01.H56", 1))
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        qtbot.waitUntil(lambda: page.selected_id() == d and bool(page.action_buttons),
                        timeout=WAIT)
        assert "apology" not in page.print_buttons  # pending: not printable yet

        processing.approve_apology(office_store, staff["leader"], apology, now=late)
        page.refresh()
        qtbot.waitUntil(lambda: "apology" in page.print_buttons, timeout=WAIT)
        qtbot.mouseClick(page.print_buttons["apology"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.last_preview is not None, timeout=WAIT)
        _, flat = squeezed_pdf(page.last_preview.export_pdf(tmp_path / "mau04.pdf"))
        assert "PHIẾUXINLỖIVÀHẸNLẠINGÀYTRẢKẾTQUẢ" in flat
        assert "KínhgửiÔng(Bà):NguyễnVănĐức" in flat
        assert "vào16giờ00phút,ngày04tháng12năm2026" in flat
        assert "ĐặngQuốcBảo" in flat
        page.last_preview.reject()
        page.last_preview = None

        assert page.detail.control_slip_button.isVisible()
        qtbot.mouseClick(page.detail.control_slip_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.last_preview is not None, timeout=WAIT)
        _, flat = squeezed_pdf(page.last_preview.export_pdf(tmp_path / "mau05.pdf"))
        assert "PHIẾUKIỂMSOÁT" in flat and "Ngườigiao" in flat
        page.last_preview.reject()
        _dispose(page)
    finally:
        runner.shutdown()


def test_without_an_approved_apology_the_slip_is_refused(qtbot, ctx, office_store, staff) -> None:
    from desktop.ui.printing import open_apology_slip

    d = receive(office_store, staff["desk"], NOW)
    errors: list[BaseException] = []
    opened: list[object] = []
    holder = QWidget()
    qtbot.addWidget(holder)
    open_apology_slip(ctx, d, holder, on_open=opened.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert errors[0].message_vi and opened == []  # a message for the officer, nothing opened
