"""Digitisation through the GUI (pytest-qt, offscreen, a real SQLite store and file store).

The page workspace (import, reorder, rotate, delete and undo, crop, straighten,
blank pages, save), bad input with its Vietnamese messages, SANE's `test`
scanner, the PDF viewer, reuse by reference, state secrets and the reception
notice. The SANE test device is reached through a SANE_CONFIG_DIR whose
dll.conf lists only `test` (set for every test, so no other backend is ever
probed); scanner tests are skipped when scanimage is missing.
"""

from __future__ import annotations

import io
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QMimeData, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.exceptions import TimeoutError as WaitTimeout
from sqlalchemy import func, select

from desktop.scanning import ocr
from desktop.scanning.pages import Workspace
from desktop.scanning.profiles import ScanProfile
from desktop.scanning.sources import FileImport
from desktop.services import digitisation
from desktop.services import dossier_query as dq
from desktop.store.models import Attachment, Dossier, DossierComponent, DossierResult, Procedure
from desktop.ui.app import make_application
from desktop.ui.context import UiContext
from desktop.ui.digitise import workspace as workspace_module
from desktop.ui.digitise.reuse import ReuseDialog
from desktop.ui.digitise.viewer import PdfViewerDialog
from desktop.ui.digitise.workspace import DigitiseDialog, ScannerChoice
from desktop.ui.dossiers.detail import DossierDetailPane
from desktop.ui.tasks import TaskRunner
from tests.digitisation_samples import blank_page, text_page

WAIT = 30_000
CITIZEN = "079123456789"
NOW = datetime(2026, 11, 28, 9, 30)

needs_sane = pytest.mark.skipif(shutil.which("scanimage") is None,
                                reason="scanimage (Debian sane-utils) is not installed")


# ------------------------------------------------------------------ fixtures


@pytest.fixture(autouse=True)
def sane_test_device_only(monkeypatch, tmp_path: Path) -> None:
    folder = tmp_path / "sane.d"
    folder.mkdir()
    (folder / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(folder))


@pytest.fixture
def ctx(qapp, office_store, admin) -> Iterator[UiContext]:
    make_application([])  # translator, fonts, theme: as the real app
    runner = TaskRunner()
    yield UiContext(office_store, runner, admin, "UBND xã Tân Phú", "000.00.01.H56", 1)
    runner.shutdown()


def make_dossier(store, id_number: str = CITIZEN, *,  # noqa: ANN001
                 papers: tuple[str, ...] = ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
                 results: tuple[str, ...] = (), secret: bool = False
                 ) -> tuple[int, list[int], list[int]]:
    with store.transaction() as s:
        proc = s.execute(select(Procedure.id).order_by(Procedure.id)).scalars().first()
        n = s.execute(select(func.count(Dossier.id))).scalar_one() + 1
        d = Dossier(uid=str(uuid.uuid4()), code=f"000.00.01.H56-261128-{n:04d}",
                    procedure_id=proc, status=2, applicant_name="Nguyễn Văn An",
                    applicant_id_number=id_number, state_secret=secret, created_at=NOW,
                    updated_at=NOW)
        s.add(d)
        s.flush()
        comps = [DossierComponent(dossier_id=d.id, name=name, position=i, present=True,
                                  digitisation_state=0) for i, name in enumerate(papers)]
        res = [DossierResult(dossier_id=d.id, name=name, recorded_at=NOW) for name in results]
        s.add_all(comps + res)
        s.flush()
        return d.id, [c.id for c in comps], [r.id for r in res]


def image_file(folder: Path, name: str, *, seed: int = 0, dpi: int = 60, lines: int = 8) -> Path:
    path = folder / name
    text_page(dpi, lines=lines, seed=seed).save(path, dpi=(dpi, dpi))
    return path


def pdf_file(folder: Path, name: str, pages: int) -> Path:
    path = folder / name
    images = [text_page(50, lines=5, seed=10 + i).convert("RGB") for i in range(pages)]
    images[0].save(path, "PDF", resolution=50, save_all=True, append_images=images[1:])
    return path


def open_dialog(ctx: UiContext, dossier_id: int, **kwargs) -> DigitiseDialog:  # noqa: ANN003
    kwargs.setdefault("find_scanners_now", False)
    dialog = DigitiseDialog(ctx, dossier_id, **kwargs)
    dialog.show()
    return dialog


def idle(qtbot, dialog: DigitiseDialog) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: dialog.job is None and not dialog._saving, timeout=WAIT)


def close_dialog(dialog: DigitiseDialog) -> None:
    """Close without asking, and wait for its workers and its page folder to go."""
    if not shiboken6.isValid(dialog):  # closed and deleted by the pane that opened it
        assert dialog.wait_closed(60)
        return
    dialog.confirm_discard = lambda _n: True  # type: ignore[method-assign]
    if dialog.isVisible():
        dialog.reject()
    dialog.dispose()
    assert dialog.wait_closed(60)
    dialog.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def drop_files(widget, paths: list[Path]) -> None:  # noqa: ANN001
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    for cls in ("enter", "drop"):
        if cls == "enter":
            event = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime,
                                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        else:
            event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


def stored_pdf(store, component_id: int) -> PdfReader:  # noqa: ANN001
    with store.reading() as s:
        att = s.execute(select(Attachment).where(Attachment.component_id == component_id,
                                                 Attachment.removed_at.is_(None))).scalar_one()
    path = digitisation.attachment_path(store, att.id)
    return PdfReader(io.BytesIO(path.read_bytes()))


def state_of(store, component_id: int) -> int:  # noqa: ANN001
    with store.reading() as s:
        return s.get(DossierComponent, component_id).digitisation_state


def digitise_directly(store, actor, dossier_id: int, tmp_path: Path, *,  # noqa: ANN001
                      component_id: int | None = None, result_id: int | None = None,
                      pages: int = 2):
    with Workspace(parent=tmp_path / "ws") as ws:
        ws.capture(FileImport([image_file(tmp_path, f"p{i}-{uuid.uuid4().hex[:6]}.png", seed=i)
                               for i in range(pages)], ScanProfile(75)))
        return digitisation.digitise(store, actor, dossier_id, ws.pages,
                                     component_id=component_id, result_id=result_id)


# ---------------------------------------------------------- the workspace


def test_import_reorder_rotate_delete_undo_and_save_one_pdf(qtbot, ctx, office_store,
                                                            tmp_path) -> None:
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    files = [image_file(tmp_path, "trang-1.png", seed=1), image_file(tmp_path, "trang-2.png",
                                                                     seed=2),
             pdf_file(tmp_path, "ban-sao.pdf", 2)]
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai đăng ký khai sinh")
    try:
        qtbot.waitUntil(lambda: dialog.kind == "form", timeout=WAIT)  # chosen from the name
        dialog.import_files(files)
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 4 and len(dialog.ws) == 4
        assert [p.kind for p in dialog.ws.pages] == ["image", "image", "pdf", "pdf"]
        assert dialog.message_texts() == []
        first, second, third, fourth = dialog.model.ids

        # Drag to reorder: the view moves rows of the model, which reorders the workspace.
        assert dialog.model.move_page(0, 3)
        assert [p.id for p in dialog.ws.pages] == [second, third, fourth, first]
        # Dropped on the left half of the first thumbnail: the page goes first again.
        mime = dialog.model.mimeData([dialog.model.index(3, 0)])
        rect = dialog.strip.visualRect(dialog.model.index(0, 0))
        at = QPointF(rect.left() + 5, rect.center().y())
        QApplication.sendEvent(dialog.strip.viewport(), QDragEnterEvent(
            at.toPoint(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier))
        QApplication.sendEvent(dialog.strip.viewport(), QDropEvent(
            at, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier))
        assert [p.id for p in dialog.ws.pages] == [first, second, third, fourth]
        assert dialog.model.ids == [first, second, third, fourth]

        # Rotate the first page with Ctrl+R, delete the second with Del, undo with Ctrl+Z.
        dialog.select_rows([0])
        QTest.keyClick(dialog.strip, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert dialog.ws.page(first).rotation == 90
        QTest.keyClick(dialog.strip, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(dialog.strip, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert dialog.ws.page(first).rotation == 270
        dialog.select_rows([1])
        QTest.keyClick(dialog.strip, Qt.Key.Key_Delete)
        assert dialog.model.rowCount() == 3 and second not in dialog.model.ids
        QTest.keyClick(dialog.strip, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert dialog.model.ids == [first, second, third, fourth]
        assert [p.id for p in dialog.ws.pages] == dialog.model.ids
        assert dialog.ws.page(first).rotation == 270  # the undo put back only the deletion

        qtbot.waitUntil(lambda: dialog.preview.has_image(), timeout=WAIT)
        with qtbot.waitSignal(dialog.saved, timeout=WAIT) as saved:
            dialog.save_button.click()
        info = saved.args[0]
        assert info.pages == 4 and info.state == 1
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
        assert dialog.wait_closed(60)
        assert not dialog.ws.folder.exists()  # the page files went with the dialog
    finally:
        close_dialog(dialog)

    assert state_of(office_store, form_id) == 1
    reader = stored_pdf(office_store, form_id)
    assert len(reader.pages) == 4
    assert reader.metadata["/MotCuaComponent"] == "Tờ khai đăng ký khai sinh"
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # the turned page is landscape


def test_bad_files_are_named_in_vietnamese_and_the_good_ones_kept(qtbot, ctx, office_store,
                                                                   tmp_path) -> None:
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    good = image_file(tmp_path, "tot.png")
    empty = tmp_path / "rong.jpg"
    empty.write_bytes(b"")
    corrupt = tmp_path / "hong.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)
    huge = tmp_path / "qua-lon.pdf"
    with open(huge, "wb") as fh:  # 300 MB, sparse: refused before it is read
        fh.truncate(300 * 1024 * 1024)
    word = tmp_path / "don.docx"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n")
    locked = tmp_path / "mat-khau.pdf"
    with pikepdf.new() as doc:
        doc.add_blank_page()
        doc.save(locked, encryption=pikepdf.Encryption(owner="a", user="b"))

    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai")
    try:
        dialog.import_files([good, empty])
        idle(qtbot, dialog)
        drop_files(dialog, [corrupt, huge, word, broken, locked, image_file(tmp_path, "tot-2.png")])
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 2  # the two good files
        text = "\n".join(dialog.message_texts())
        assert "rong.jpg: Tệp rỗng (0 byte)" in text
        assert "hong.png: Tệp ảnh bị hỏng" in text
        assert "qua-lon.pdf: Tệp quá lớn (300 MB)" in text
        assert "don.docx: Không hỗ trợ loại tệp này" in text
        assert "hong.pdf: Tệp PDF bị hỏng" in text
        assert "mat-khau.pdf: Tệp PDF được đặt mật khẩu" in text
        assert dialog.messages.isVisible()

        # Files dropped on the thumbnails come in as well (once).
        before = len(dialog.message_texts())
        drop_files(dialog.strip.viewport(), [image_file(tmp_path, "tot-3.png")])
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 3
        assert len(dialog.message_texts()) == before

        # A single bad file on its own is named too, and the pages stay.
        dialog.import_files([empty])
        idle(qtbot, dialog)
        assert dialog.message_texts()[-1].startswith("rong.jpg: Tệp rỗng")
        assert dialog.model.rowCount() == 3
    finally:
        close_dialog(dialog)


def test_crop_straighten_and_remove_blank_pages(qtbot, ctx, office_store, tmp_path) -> None:
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    tilted = tmp_path / "nghieng.png"
    text_page(100, lines=25, seed=3).rotate(2.5, fillcolor=244).save(tilted, dpi=(100, 100))
    empty = tmp_path / "trang-trang.png"
    blank_page(60).save(empty, dpi=(60, 60))
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai")
    try:
        dialog.import_files([image_file(tmp_path, "a.png"), tilted, empty])
        idle(qtbot, dialog)
        ids = list(dialog.model.ids)
        assert len(ids) == 3

        dialog.deskew(None)  # "Straighten › All pages"
        idle(qtbot, dialog)
        assert abs(dialog.ws.page(ids[1]).skew) > 1.5
        assert dialog.ws.page(ids[0]).skew == 0.0  # a level page is left alone

        dialog.remove_blank_pages()
        idle(qtbot, dialog)
        assert dialog.model.ids == ids[:2]
        dialog.undo()
        assert dialog.model.ids == ids

        dialog.select_rows([0])
        dialog.crop_current()
        qtbot.waitUntil(lambda: dialog.crop_dialog is not None, timeout=WAIT)
        crop = dialog.crop_dialog
        canvas = crop.canvas
        canvas.resize(400, 560)
        target = canvas.image_rect()
        canvas.select_rect(QRect(target.x(), target.y(), target.width() // 2,
                                 target.height() // 2))
        assert crop.crop() is not None
        crop.accept()
        page = dialog.ws.page(ids[0])
        assert page.crop is not None and page.crop[2] == pytest.approx(0.5, abs=0.02)
        dialog.undo()
        assert dialog.ws.page(ids[0]).crop is None
    finally:
        close_dialog(dialog)


def test_closing_with_unsaved_pages_asks_first(qtbot, ctx, office_store, tmp_path,
                                                monkeypatch) -> None:
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai")
    asked = []

    def answer(choice):  # noqa: ANN001, ANN202
        def question(*args, **_kw):  # noqa: ANN002, ANN003, ANN202
            asked.append(args[2])
            return choice
        return question

    try:
        dialog.import_files([image_file(tmp_path, "a.png")])
        idle(qtbot, dialog)
        monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
        dialog.close_button.click()
        assert dialog.isVisible() and len(asked) == 1 and "1" in asked[0]
        monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible() and len(asked) == 2
        assert dialog.wait_closed(60)
        assert not dialog.ws.folder.exists()
    finally:
        close_dialog(dialog)
    assert state_of(office_store, form_id) == 0


# ----------------------------------------------------------------- scanning


@needs_sane
def test_scanning_with_sane_test_device_adds_pages_and_keeps_them_on_failure(
        qtbot, ctx, office_store) -> None:
    from desktop.scanning.sources import SaneScanner

    dossier_id, (form_id, _), _ = make_dossier(office_store)
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai",
                         find_scanners_now=True)
    try:
        qtbot.waitUntil(lambda: not dialog.finding_scanners and dialog.kind == "form",
                        timeout=WAIT)
        assert "test:0" in [c.device.id for c in dialog.scanners]
        assert dialog.scan_button.isEnabled()
        dialog.device_combo.setCurrentIndex([c.device.id for c in dialog.scanners].index("test:0"))
        dialog.dpi_combo.setCurrentIndex(dialog.dpi_combo.findData(75))
        dialog.deskew_check.setChecked(False)
        dialog.scan_button.click()
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 1, dialog.message_texts()
        QTest.keyClick(dialog, Qt.Key.Key_F5)  # the next sheet on the glass
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 2
        assert all(p.origin == "scanner" for p in dialog.ws.pages)
        with office_store.reading() as s:  # the changed settings are kept for this kind
            assert digitisation.scan_profiles(s)["form"].dpi == 75

        # The scanner is lost in the middle: a Vietnamese message, the two pages stay.
        device = next(c.device for c in dialog.scanners if c.device.id == "test:0")
        broken = SaneScanner(extra_args=("--read-return-value", "SANE_STATUS_IO_ERROR"))
        dialog.scanners = [ScannerChoice(broken, device)]
        dialog.device_combo.clear()
        dialog.device_combo.addItem(device.name)
        dialog.scan_button.click()
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 2
        assert "Mất kết nối với máy quét" in dialog.message_texts()[-1]

        # A slow feeder batch, stopped with Cancel after its first page: that page stays.
        slow = SaneScanner(extra_args=("--test-picture", "Grid", "--read-limit=yes",
                                       "--read-limit-size=8192", "--read-delay=yes",
                                       "--read-delay-duration=20000"))
        dialog.scanners = [ScannerChoice(slow, device)]
        dialog.feeder_check.setChecked(True)
        dialog.scan_button.click()
        try:
            qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=WAIT)
        except WaitTimeout:
            # SANE's test backend sometimes hangs before its first page (about one run in
            # six on a loaded machine, see sources.SaneScanner's watchdogs): stop, once more.
            dialog.cancel_button.click()
            idle(qtbot, dialog)
            assert dialog.model.rowCount() == 2  # nothing lost meanwhile
            dialog.scan_button.click()
            qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=2 * WAIT)
        assert dialog.progress_row.isVisible() and dialog.cancel_button.isEnabled()
        dialog.cancel_button.click()
        idle(qtbot, dialog)
        assert 3 <= dialog.model.rowCount() < 8
        kept = dialog.model.rowCount()
        assert all(p.path.is_file() for p in dialog.ws.pages)

        with qtbot.waitSignal(dialog.saved, timeout=WAIT):
            dialog.save_button.click()
    finally:
        close_dialog(dialog)
    assert state_of(office_store, form_id) == 1
    assert len(stored_pdf(office_store, form_id).pages) == kept


def test_no_scanner_says_so_and_import_still_works(qtbot, ctx, office_store, tmp_path,
                                                   monkeypatch) -> None:
    from desktop.scanning import sources

    monkeypatch.setattr(sources, "available_scanners", lambda env=None: [])
    monkeypatch.setattr(sources.SaneScanner, "executable", lambda self: None)
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai",
                         find_scanners_now=True)
    try:
        qtbot.waitUntil(lambda: not dialog.finding_scanners, timeout=WAIT)
        assert not dialog.scan_button.isEnabled()
        assert dialog.scanner_note.isVisible()
        assert "sane-utils" in dialog.scanner_note.text()  # what to install, in Vietnamese
        dialog.import_files([image_file(tmp_path, "a.png")])
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 1
    finally:
        close_dialog(dialog)


# ---------------------------------------------------------------- results, OCR


def test_a_result_is_digitised_and_the_detail_shows_it(qtbot, ctx, office_store,
                                                       tmp_path) -> None:
    dossier_id, _, (result_id,) = make_dossier(office_store, results=("Giấy khai sinh",))
    pane = DossierDetailPane(ctx=ctx)
    qtbot.addWidget(pane)
    pane.resize(1200, 380)
    pane.show()
    with office_store.reading() as s:
        pane.show_detail(dq.detail(s, dossier_id))
    assert pane.tabs.isTabVisible(pane.results_tab)
    assert pane.digitise_result_button.isEnabled() and not pane.view_result_button.isEnabled()
    pane.digitise_result_button.click()
    dialog = pane.digitise_dialog
    assert dialog is not None and dialog.result_id == result_id
    try:
        qtbot.waitUntil(lambda: dialog.kind == "result", timeout=WAIT)
        dialog.import_files([image_file(tmp_path, "kq.png")])
        idle(qtbot, dialog)
        with qtbot.waitSignal(pane.digitisation_changed, timeout=WAIT):
            dialog.save_button.click()
        qtbot.waitUntil(lambda: pane.detail.results[0].attachment_id is not None, timeout=WAIT)
        assert dialog.wait_closed(60)
    finally:
        close_dialog(dialog)
    assert pane.view_result_button.isEnabled()
    assert "1/1 kết quả đã số hóa" in pane.detail.digitisation_text
    assert "1/1 kết quả đã số hóa" in pane.digitisation_summary.text()


@pytest.mark.skipif(not ocr.available().ok, reason="Tesseract with the vie model is not installed")
def test_ocr_runs_after_saving_and_makes_the_text_searchable(qtbot, ctx, office_store,
                                                             tmp_path) -> None:
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    page = tmp_path / "to-khai.png"
    text_page(150, lines=6, seed=0, noise=0).save(page, dpi=(150, 150))
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai")
    try:
        qtbot.waitUntil(lambda: dialog.ocr_check.isEnabled(), timeout=WAIT)
        dialog.ocr_check.setChecked(True)
        dialog.import_files([page])
        idle(qtbot, dialog)
        with qtbot.waitSignal(dialog.saved, timeout=WAIT):
            dialog.save_button.click()
    finally:
        close_dialog(dialog)
    assert workspace_module.wait_ocr_jobs(180)

    def found() -> bool:
        with office_store.reading() as s:
            return dossier_id in digitisation.search_ocr(s, "khai sinh")

    qtbot.waitUntil(found, timeout=60_000)
    assert workspace_module.running_ocr_jobs() == 0


def test_without_tesseract_ocr_is_disabled_with_what_it_would_add(qtbot, ctx, office_store,
                                                                  monkeypatch) -> None:
    missing = ocr.OcrAvailability(False, "Chưa cài Tesseract OCR. " + ocr.WHAT_IT_ADDS_VI)
    monkeypatch.setattr(ocr, "available", lambda **_kw: missing)
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    dialog = open_dialog(ctx, dossier_id, component_id=form_id, title="Tờ khai")
    try:
        qtbot.waitUntil(lambda: dialog.ocr_status is not None, timeout=WAIT)
        assert not dialog.ocr_check.isEnabled()
        assert dialog.ocr_note.isVisible()
        assert "tìm được hồ sơ theo nội dung" in dialog.ocr_note.text()
        assert dialog.ocr_check.toolTip() == missing.message_vi
    finally:
        close_dialog(dialog)


# ------------------------------------------------------------------- viewer


def test_viewer_opens_the_attached_file_from_the_detail(qtbot, ctx, office_store, admin,
                                                        tmp_path) -> None:
    dossier_id, (form_id, _), _ = make_dossier(office_store)
    info = digitise_directly(office_store, admin, dossier_id, tmp_path, component_id=form_id,
                             pages=3)
    pane = DossierDetailPane()
    qtbot.addWidget(pane)
    pane._ctx = ctx
    with office_store.reading() as s:
        pane.show_detail(dq.detail(s, dossier_id))
    pane.tabs.setCurrentIndex(pane.components_tab)
    pane.components_table.setCurrentCell(0, 0)
    assert pane.view_button.isEnabled()
    assert pane.detail.components[0].attachment_id == info.id
    assert "3" in pane.components_table.item(0, 3).text()
    pane.view_button.click()
    viewer = pane.viewer_dialog
    try:
        qtbot.waitUntil(lambda: viewer.path is not None or viewer.error is not None, timeout=WAIT)
        assert viewer.error is None
        assert viewer.viewer.page_count() == 3
        assert viewer.viewer.of_label.text().endswith("3")
        viewer.viewer.go_to(2)
        qtbot.waitUntil(lambda: viewer.viewer.page_spin.value() == 3, timeout=WAIT)
        viewer.viewer.zoom(1)
        assert viewer.viewer.zoom_label.text().endswith("%")
    finally:
        viewer.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    # The file gone from the data folder: a Vietnamese message instead of a page.
    digitisation.attachment_path(office_store, info.id).unlink()
    missing = PdfViewerDialog(ctx, info.id, title="Tờ khai")
    try:
        qtbot.waitUntil(lambda: missing.error is not None, timeout=WAIT)
        assert "Không tìm thấy tệp số hóa" in missing.error
        assert missing.message.text() == missing.error
    finally:
        missing.close()
        missing.deleteLater()


# -------------------------------------------------------------------- reuse


def test_reuse_attaches_by_reference_with_state_2_and_3(qtbot, ctx, office_store, admin,
                                                        tmp_path) -> None:
    earlier, (_form, birth), (result,) = make_dossier(
        office_store, papers=("Tờ khai", "Giấy chứng sinh"), results=("Giấy khai sinh",))
    digitise_directly(office_store, admin, earlier, tmp_path, component_id=birth)
    digitise_directly(office_store, admin, earlier, tmp_path, result_id=result)
    make_dossier(office_store, id_number="001190000001", papers=("Giấy chứng sinh",))
    other, _, _ = make_dossier(office_store, id_number="001190000001",
                               papers=("Giấy chứng sinh",))  # another citizen: never listed
    new, (new_birth, new_ks, new_form), _ = make_dossier(
        office_store, papers=("Giấy chứng sinh", "Giấy khai sinh", "Tờ khai"))

    pane = DossierDetailPane(ctx=ctx)
    qtbot.addWidget(pane)
    with office_store.reading() as s:
        pane.show_detail(dq.detail(s, new))
    pane.components_table.setCurrentCell(0, 0)
    assert pane.reuse_button.isEnabled()
    pane.reuse_button.click()
    dialog: ReuseDialog = pane.reuse_dialog
    try:
        qtbot.waitUntil(lambda: len(dialog.documents) == 2, timeout=WAIT)
        assert {d.dossier_id for d in dialog.documents} == {earlier}
        assert dialog.component_combo.currentData() == new_birth
        chosen = dialog.selected_document()
        assert chosen.name == "Giấy chứng sinh" and chosen.reuse_state == 2
        assert dialog.table.item(dialog.table.currentRow(), 4).text() == "Vô thời hạn"
        with qtbot.waitSignal(dialog.attached, timeout=WAIT):
            dialog.reuse_button.click()
        qtbot.waitUntil(lambda: not dialog.busy and dialog.summary is not None
                        and dialog.summary.components[0].state == 2, timeout=WAIT)

        # "Reuse matching papers": the result "Giấy khai sinh" for the paper of that name.
        assert dialog.match_button.isEnabled()
        with qtbot.waitSignal(dialog.attached, timeout=WAIT):
            dialog.match_button.click()
        qtbot.waitUntil(lambda: not dialog.busy and dialog.summary.components[1].state == 3,
                        timeout=WAIT)
        assert not dialog.match_button.isEnabled()  # nothing else has the same name
    finally:
        dialog.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert state_of(office_store, new_birth) == 2
    assert state_of(office_store, new_ks) == 3
    assert state_of(office_store, new_form) == 0
    qtbot.waitUntil(lambda: pane.detail.components_digitised == 2, timeout=WAIT)
    assert pane.detail.components[0].reused_from_code.endswith("0001")
    assert other != new


# ------------------------------------------------------------- state secrets


def test_state_secret_dossier_is_never_digitised_and_the_ui_says_why(qtbot, ctx, office_store,
                                                                      tmp_path) -> None:
    secret, (comp,), (res,) = make_dossier(office_store, papers=("Tờ khai",),
                                           results=("Giấy khai sinh",), secret=True)
    pane = DossierDetailPane(ctx=ctx)
    qtbot.addWidget(pane)
    pane.show()
    with office_store.reading() as s:
        pane.show_detail(dq.detail(s, secret))
    pane.tabs.setCurrentIndex(pane.components_tab)
    for button in (pane.digitise_button, pane.reuse_button, pane.digitise_result_button):
        assert not button.isEnabled()
        assert button.toolTip() == digitisation.STATE_SECRET_VI
    assert pane.digitisation_note.isVisible()
    assert pane.digitisation_note.text() == digitisation.STATE_SECRET_VI
    assert pane.digitisation_summary.text() == "Hồ sơ mật: không số hóa"
    pane.digitise_component()
    assert pane.digitise_dialog is None

    # Opened anyway (an old window): it refuses and says why; nothing is imported.
    dialog = open_dialog(ctx, secret, component_id=comp, title="Tờ khai")
    try:
        qtbot.waitUntil(lambda: dialog.refusal is not None, timeout=WAIT)
        assert dialog.refusal_label.isVisible()
        assert "bí mật nhà nước" in dialog.refusal_label.text()
        assert not dialog.import_button.isEnabled() and not dialog.save_button.isEnabled()
        dialog.import_files([image_file(tmp_path, "a.png")])
        idle(qtbot, dialog)
        assert dialog.model.rowCount() == 0
        assert dialog.message_texts()[-1] == dialog.refusal
    finally:
        close_dialog(dialog)
    with office_store.reading() as s:
        assert s.execute(select(func.count(Attachment.id))).scalar_one() == 0


# ----------------------------------------------------------------- reception


def type_text(widget, text: str) -> None:  # noqa: ANN001
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def test_reception_tells_of_reusable_papers_and_offers_them_after_the_receipt(
        qtbot, ctx, office_store, admin, tmp_path) -> None:
    from desktop.ui.reception.page import ReceptionPage

    earlier, (_form, birth), _ = make_dossier(office_store)
    digitise_directly(office_store, admin, earlier, tmp_path, component_id=birth)
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    form = page.form
    try:
        type_text(form.applicant.id_edit, "001190000001")
        qtbot.wait(700)
        assert form.reuse_notice.isHidden()
        form.applicant.id_edit.clear()
        type_text(form.applicant.id_edit, CITIZEN)
        qtbot.waitUntil(lambda: form.reuse_notice.isVisible(), timeout=WAIT)
        assert form.reusable_count == 1
        form.reuse_show_button.click()
        browse = form.reuse_dialog
        qtbot.waitUntil(lambda: len(browse.documents) == 1, timeout=WAIT)
        assert not browse.reuse_button.isVisible()  # nothing to attach to before the receipt
        browse.close()
        form.start_new()
        qtbot.waitUntil(lambda: form.reuse_notice.isHidden(), timeout=WAIT)

        # Just received (the page's hook after the receipt): one click attaches.
        new, (new_form, new_birth), _ = make_dossier(office_store)
        page.offer_reuse(new)
        qtbot.waitUntil(lambda: page.reuse_notice.isVisible(), timeout=WAIT)
        assert "0002" in page.reuse_notice_label.text()
        page.reuse_attach_button.click()
        dialog = page.reuse_dialog
        qtbot.waitUntil(lambda: dialog.match_button.isEnabled(), timeout=WAIT)
        with qtbot.waitSignal(dialog.attached, timeout=WAIT):
            dialog.match_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
        dialog.close()
        assert page.reuse_notice.isHidden()
    finally:
        form._autosave.stop()
        form._reuse_timer.stop()
    assert state_of(office_store, new_birth) == 2
    assert state_of(office_store, new_form) == 0
