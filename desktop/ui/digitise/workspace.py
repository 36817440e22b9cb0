"""The page workspace: scan, import and arrange the pages of one paper, then keep them as a PDF.

`DigitiseDialog` digitises one component or one result of a dossier. Pages
come from a scanner (SANE, or NAPS2 on Windows), from image and PDF files
(the "Import files…" dialog, or dragged onto the window), and arrive one by
one; they are shown as thumbnails, dragged to reorder, turned, cropped,
straightened, deleted (Ctrl+Z puts back the last change) and blank ones
removed. "Save PDF" assembles them (desktop.scanning.pdf) and attaches the
file (services.digitisation.attach_pdf, on the writer thread).

Threads: every long step (finding scanners, scanning, importing,
straightening, finding blank pages, making the PDF, OCR) runs as a
`BackgroundJob` with progress and Cancel, one at a time; thumbnails and the
preview are drawn on small pools of their own; database reads and writes go
through the TaskRunner. Nothing of it runs on the UI thread.

Bad input never loses work: a file that cannot be imported is named with the
reason (the Vietnamese message of its DigitisationError) in the message list
and the others come in; a scanner that fails in the middle of a batch keeps
the pages it delivered.

The scan profile (resolution, colour, feeder, straightening, blank pages) is
chosen from the kind of paper its name suggests (services.digitisation.
profile_for) and remembered for that kind when the officer changes it and
scans. OCR (optional, Tesseract `vie`) runs after the save in child
processes; the dialog may close meanwhile (`start_ocr`).
"""

from __future__ import annotations

import logging
import sys
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.scanning.errors import DigitisationError, ImportErrors
from desktop.scanning.pages import Page
from desktop.scanning.profiles import KINDS, ColourMode, ScanProfile
from desktop.services import digitisation
from desktop.ui.context import UiContext
from desktop.ui.digitise.jobs import BackgroundJob, Cancelled, post, post_weak
from desktop.ui.digitise.model import PageListModel
from desktop.ui.digitise.widgets import CropDialog, PagePreview, PageStrip, pil_to_qimage

log = logging.getLogger(__name__)

DPI_CHOICES = (75, 100, 150, 200, 300, 400, 600)
UNDO_LIMIT = 30
PREVIEW_SIDE = 1400
FILE_FILTER_EXTS = "*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pdf"
ERROR_FG = QColor("#b3261e")
INFO_FG = QColor("#2e6b3a")


@dataclass(frozen=True)
class ScannerChoice:
    scanner: Any  # a desktop.scanning.sources.Scanner
    device: Any  # its desktop.scanning.sources.Device

    @property
    def label(self) -> str:
        driver = self.device.driver.upper()
        return f"{self.device.name} ({driver})" if driver != "SANE" else self.device.name


def message_of(exc: BaseException) -> str:
    """The Vietnamese message of a service or digitisation error; the text of anything else."""
    return getattr(exc, "message_vi", None) or str(exc) or type(exc).__name__


class _Counting(list):
    """The pages handed to `pdf.assemble`: reports each page taken, stops when cancelled."""

    def __init__(self, pages: tuple[Page, ...], job: BackgroundJob) -> None:
        super().__init__(pages)
        self.job = job

    def __iter__(self):  # noqa: ANN204 - a generator of pages
        total = len(self)
        for n, page in enumerate(list.__iter__(self)):
            self.job.check()
            self.job.progress(n, total)
            yield page
        self.job.progress(total, total)


def find_scanners(job: BackgroundJob | None = None) -> tuple[list[ScannerChoice], str]:
    """Connected scanners of every driver this PC has, and why there are none (Vietnamese)."""
    from desktop.scanning import sources

    scanners = sources.available_scanners()
    if not scanners:
        fallback = sources.Naps2Scanner("wia") if sys.platform == "win32" else sources.SaneScanner()
        try:
            fallback.devices()  # says what is missing
        except DigitisationError as exc:
            return [], exc.message_vi
        return [], ""
    found: list[ScannerChoice] = []
    problems: list[str] = []
    for scanner in scanners:
        if job is not None and job.cancelled:
            break
        try:
            found.extend(ScannerChoice(scanner, d) for d in scanner.devices())
        except DigitisationError as exc:
            problems.append(exc.message_vi)
    return found, " ".join(problems)


class DigitiseDialog(QDialog):
    """Digitise one component (`component_id`) or one result (`result_id`) of a dossier."""

    # The PDF was kept: the services.digitisation.AttachmentInfo.
    saved = Signal(object)

    def __init__(self, ctx: UiContext, dossier_id: int, *, component_id: int | None = None,
                 result_id: int | None = None, title: str = "",
                 parent: QWidget | None = None, find_scanners_now: bool = True) -> None:
        super().__init__(parent)
        if (component_id is None) == (result_id is None):
            raise ValueError("give exactly one of component_id and result_id")
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.component_id = component_id
        self.result_id = result_id
        self.name = title
        self.setObjectName("digitiseDialog")
        self.setWindowTitle(self.tr("Digitise — {name}").format(name=title) if title
                            else self.tr("Digitise"))
        self.setAcceptDrops(True)
        self.resize(1180, 780)

        self.ws = digitisation.new_workspace(ctx.store.paths)
        self.model = PageListModel(self.ws, self)
        self.job: BackgroundJob | None = None  # the long step the progress row shows
        self._jobs: list[BackgroundJob] = []  # every job started (the closing waits for them)
        self._undo: list[tuple[Page, ...]] = []
        self._saving = False
        self._save_cancelled = False
        self._saved = False
        self._importing: list[Path] | None = None
        self.attachment = None  # the AttachmentInfo once saved
        self._disposed = False
        self.refusal: str | None = None
        self.kind = "result" if result_id is not None else "general"
        self._profiles: dict[str, ScanProfile] = {}
        self.scanners: list[ScannerChoice] = []
        self.finding_scanners = False
        self.ocr_status = None
        self.crop_dialog: CropDialog | None = None
        self._preview_pool: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="page-preview")
        self._preview_token = 0
        self._preview_latest = [0]  # read by the preview worker
        self._cleanup: threading.Thread | None = None

        self._build()
        self._connect()
        self._update_actions()
        self._load_target()
        self._check_ocr()
        if find_scanners_now:
            self.find_scanners()
        else:
            self._scanners_found(([], ""))

    # ================================================================ building

    def _build(self) -> None:
        self.heading = QLabel(self.name)
        self.heading.setObjectName("digitiseHeading")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setObjectName("pageSubtitle")
        self.subheading.hide()

        # -- where pages come from
        source = self.source_bar = QFrame()
        source.setObjectName("sourceBar")
        self.device_combo = QComboBox()
        self.device_combo.setMinimumWidth(260)
        self.device_combo.setPlaceholderText(self.tr("Looking for scanners…"))
        self.find_button = QPushButton(self.tr("Find scanners"))
        self.find_button.setToolTip(self.tr("Look again for connected scanners"))
        self.scan_button = QPushButton(self.tr("Scan"))
        self.scan_button.setObjectName("primary")
        self.scan_button.setToolTip(self.tr(
            "Scan with the chosen scanner: one page from the glass, or every page in the "
            "feeder (F5)"))
        self.import_button = QPushButton(self.tr("Import files…"))
        self.import_button.setToolTip(self.tr(
            "Add image files (PNG, JPEG, TIFF, BMP, WebP) or PDF files (Ctrl+O); you can also "
            "drag files onto this window"))
        row1 = QHBoxLayout()
        row1.addWidget(QLabel(self.tr("Scanner")))
        row1.addWidget(self.device_combo, 1)
        row1.addWidget(self.find_button)
        row1.addSpacing(12)
        row1.addWidget(self.scan_button)
        row1.addWidget(self.import_button)

        self.kind_combo = QComboBox()
        for kind, label in KINDS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setToolTip(self.tr(
            "The kind of paper decides the scan settings; changed settings are remembered for "
            "this kind"))
        self.dpi_combo = QComboBox()
        for dpi in DPI_CHOICES:
            self.dpi_combo.addItem(self.tr("{dpi} dpi").format(dpi=dpi), dpi)
        self.mode_combo = QComboBox()
        for mode in ColourMode:
            self.mode_combo.addItem(mode.label_vi, mode.value)
        self.feeder_check = QCheckBox(self.tr("Feeder"))
        self.feeder_check.setToolTip(self.tr(
            "Scan every sheet in the automatic document feeder instead of one page from the glass"))
        self.deskew_check = QCheckBox(self.tr("Straighten"))
        self.deskew_check.setToolTip(self.tr("Straighten scanned pages automatically"))
        self.blank_check = QCheckBox(self.tr("Skip blank pages"))
        self.blank_check.setToolTip(self.tr(
            "Leave out blank pages while scanning (the backs of one-sided sheets)"))
        row2 = QHBoxLayout()
        row2.addWidget(QLabel(self.tr("Kind of paper")))
        row2.addWidget(self.kind_combo, 1)
        row2.addSpacing(8)
        row2.addWidget(QLabel(self.tr("Resolution")))
        row2.addWidget(self.dpi_combo)
        row2.addSpacing(8)
        row2.addWidget(QLabel(self.tr("Colour")))
        row2.addWidget(self.mode_combo)
        row2.addSpacing(8)
        row2.addWidget(self.feeder_check)
        row2.addWidget(self.deskew_check)
        row2.addWidget(self.blank_check)
        self.scanner_note = QLabel()
        self.scanner_note.setObjectName("explanation")
        self.scanner_note.setWordWrap(True)
        self.scanner_note.hide()
        source_lay = QVBoxLayout(source)
        source_lay.setContentsMargins(10, 8, 10, 8)
        source_lay.setSpacing(6)
        source_lay.addLayout(row1)
        source_lay.addLayout(row2)
        source_lay.addWidget(self.scanner_note)

        # -- the pages
        self.rotate_left_button = QPushButton(self.tr("Rotate left"))
        self.rotate_left_button.setToolTip(self.tr("Turn the selected pages a quarter to the "
                                                   "left (Ctrl+L)"))
        self.rotate_right_button = QPushButton(self.tr("Rotate right"))
        self.rotate_right_button.setToolTip(self.tr("Turn the selected pages a quarter to the "
                                                    "right (Ctrl+R)"))
        self.crop_button = QPushButton(self.tr("Crop…"))
        self.crop_button.setToolTip(self.tr("Keep only part of the selected page"))
        self.deskew_button = QPushButton(self.tr("Straighten"))
        self.deskew_button.setToolTip(self.tr("Straighten tilted pages automatically"))
        deskew_menu = QMenu(self.deskew_button)
        self.deskew_selected_action = deskew_menu.addAction(self.tr("Selected pages"))
        self.deskew_all_action = deskew_menu.addAction(self.tr("All pages"))
        self.deskew_button.setMenu(deskew_menu)
        self.blank_button = QPushButton(self.tr("Remove blank pages"))
        self.blank_button.setToolTip(self.tr("Find the blank pages and remove them"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete the selected pages (Del)"))
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last change to the pages (Ctrl+Z)"))
        tools = QHBoxLayout()
        tools.setSpacing(4)
        for b in (self.rotate_left_button, self.rotate_right_button, self.crop_button,
                  self.deskew_button, self.blank_button, self.delete_button, self.undo_button):
            tools.addWidget(b)
        tools.addStretch(1)

        self.strip = PageStrip()
        self.strip.setModel(self.model)
        self.strip.empty_text = self.tr(
            "No pages yet.\nScan, import files, or drag image and PDF files here.")
        self.strip.setToolTip(self.tr("Drag pages to change their order (Alt+Left, Alt+Right "
                                      "move the selected page)"))
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addLayout(tools)
        left_lay.addWidget(self.strip, 1)

        self.page_label = QLabel()
        self.page_label.setObjectName("pageSubtitle")
        self.preview = PagePreview()
        self.preview.empty_text = self.tr("Select a page to see it larger.")
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.page_label)
        right_lay.addWidget(self.preview, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 440])

        # -- messages, progress
        self.messages = QListWidget()
        self.messages.setObjectName("digitiseMessages")
        self.messages.setWordWrap(True)
        self.messages.setMaximumHeight(76)
        self.messages.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.messages.hide()
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(14)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop; the pages already there are kept"))
        self.progress_row = QWidget()
        progress_lay = QHBoxLayout(self.progress_row)
        progress_lay.setContentsMargins(0, 0, 0, 0)
        progress_lay.addWidget(self.progress_label)
        progress_lay.addWidget(self.progress, 1)
        progress_lay.addWidget(self.cancel_button)
        self.progress_row.hide()

        # -- the end
        self.ocr_check = QCheckBox(self.tr("Recognise text (OCR)"))
        self.ocr_check.setEnabled(False)
        self.ocr_check.setToolTip(self.tr("Checking whether text recognition is installed…"))
        self.ocr_note = QLabel()
        self.ocr_note.setObjectName("ocrNote")
        self.ocr_note.setWordWrap(True)
        self.ocr_note.hide()
        self.refusal_label = QLabel()
        self.refusal_label.setObjectName("digitiseRefusal")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.hide()
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")
        self.close_button = QPushButton(self.tr("Close"))
        self.save_button = QPushButton(self.tr("Save PDF"))
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip(self.tr("Make one PDF of these pages and keep it with the "
                                            "dossier (Ctrl+S)"))
        self.save_button.setMinimumWidth(120)
        bottom = QHBoxLayout()
        bottom.addWidget(self.ocr_check)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        bottom.addSpacing(12)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.save_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        lay.addWidget(self.heading)
        lay.addWidget(self.subheading)
        lay.addWidget(self.refusal_label)
        lay.addWidget(source)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.messages)
        lay.addWidget(self.progress_row)
        lay.addLayout(bottom)
        lay.addWidget(self.ocr_note)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter never saves or scans by accident

    def _connect(self) -> None:
        self.find_button.clicked.connect(self.find_scanners)
        self.scan_button.clicked.connect(self.scan)
        self.import_button.clicked.connect(self.choose_files)
        self.kind_combo.activated.connect(lambda _i: self._kind_chosen(
            self.kind_combo.currentData()))
        self.rotate_left_button.clicked.connect(lambda: self.rotate(-90))
        self.rotate_right_button.clicked.connect(lambda: self.rotate(90))
        self.crop_button.clicked.connect(self.crop_current)
        self.deskew_selected_action.triggered.connect(lambda: self.deskew(self.selected_ids()))
        self.deskew_all_action.triggered.connect(lambda: self.deskew(None))
        self.blank_button.clicked.connect(self.remove_blank_pages)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.close_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.model.files_dropped.connect(self.import_files)
        self.model.rowsInserted.connect(lambda *_: self._pages_changed())
        self.model.rowsRemoved.connect(lambda *_: self._pages_changed())
        self.model.modelReset.connect(self._pages_changed)
        self.model.layoutChanged.connect(self._pages_changed)
        self.strip.selectionModel().currentChanged.connect(lambda *_: self._show_current())
        self.strip.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        for keys, slot in (("Ctrl+L", lambda: self.rotate(-90)),
                           ("Ctrl+R", lambda: self.rotate(90)),
                           (QKeySequence.StandardKey.Delete, self.delete_selected),
                           (QKeySequence.StandardKey.Undo, self.undo),
                           ("Ctrl+S", self.save),
                           ("Ctrl+O", self.choose_files),
                           ("F5", self.scan),
                           ("Alt+Left", lambda: self.move_current(-1)),
                           ("Alt+Right", lambda: self.move_current(1))):
            QShortcut(QKeySequence(keys), self, activated=slot)

    # ================================================================= loading

    def _load_target(self) -> None:
        store, actor = self.ctx.store, self.ctx.actor
        dossier_id, component_id, result_id = self.dossier_id, self.component_id, self.result_id

        def work() -> tuple[str | None, str, str, str, dict[str, ScanProfile]]:
            with store.reading() as session:
                reason = digitisation.refusal_reason(session, dossier_id)
                profiles = digitisation.scan_profiles(session)
                if reason is not None:
                    return reason, "", "", "general", profiles
                meta = digitisation.pdf_metadata(session, actor, dossier_id,
                                                 component_id=component_id, result_id=result_id)
                kind, _profile = digitisation.profile_for(session, meta.title,
                                                          result=result_id is not None)
                return None, meta.title, meta.dossier_code, kind, profiles

        self.ctx.runner.submit(work, self._target_loaded, self._target_failed, owner=self)

    def _target_loaded(self, result: tuple) -> None:
        reason, name, code, kind, profiles = result
        self._profiles = profiles
        if name:
            self.name = name
            self.heading.setText(name)
            self.setWindowTitle(self.tr("Digitise — {name}").format(name=name))
        if code:
            what = self.tr("Result of dossier {code}") if self.result_id is not None \
                else self.tr("Paper of dossier {code}")
            self.subheading.setText(what.format(code=code))
            self.subheading.show()
        self._kind_chosen(kind)
        if reason:
            self._refuse(reason)

    def _target_failed(self, exc: BaseException) -> None:
        self._refuse(message_of(exc))  # a state-secret dossier, or one deleted meanwhile

    def _refuse(self, reason: str) -> None:
        """Nothing of this dossier may be digitised: say why, offer nothing."""
        self.refusal = reason
        self.refusal_label.setText(reason)
        self.refusal_label.show()
        self.source_bar.setEnabled(False)
        self.scanner_note.hide()
        self.strip.empty_text = ""
        self.strip.viewport().update()
        self._update_actions()

    def _kind_chosen(self, kind: str) -> None:
        self.kind = kind if kind in KINDS else "general"
        index = self.kind_combo.findData(self.kind)
        if index >= 0:
            self.kind_combo.setCurrentIndex(index)
        profile = self._profiles.get(self.kind)
        if profile is not None:
            self.set_profile(profile)

    def set_profile(self, profile: ScanProfile) -> None:
        index = self.dpi_combo.findData(profile.dpi)
        if index < 0:
            self.dpi_combo.addItem(self.tr("{dpi} dpi").format(dpi=profile.dpi), profile.dpi)
            index = self.dpi_combo.count() - 1
        self.dpi_combo.setCurrentIndex(index)
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(profile.mode.value)))
        self.feeder_check.setChecked(profile.feeder)
        self.deskew_check.setChecked(profile.deskew)
        self.blank_check.setChecked(profile.drop_blank)

    def profile(self) -> ScanProfile:
        return ScanProfile(dpi=int(self.dpi_combo.currentData() or 200),
                           mode=ColourMode(self.mode_combo.currentData() or "grey"),
                           feeder=self.feeder_check.isChecked(),
                           deskew=self.deskew_check.isChecked(),
                           drop_blank=self.blank_check.isChecked())

    def _remember_profile(self, profile: ScanProfile) -> None:
        """The officer changed the settings of this kind of paper: keep them for the office."""
        if not self._profiles or self._profiles.get(self.kind) == profile:
            return
        self._profiles[self.kind] = profile
        store, actor, kind = self.ctx.store, self.ctx.actor, self.kind
        self.ctx.runner.submit(lambda: digitisation.save_scan_profile(store, actor, kind, profile),
                               None, lambda exc: self.add_message(message_of(exc), error=True),
                               write=True, owner=self)

    def _check_ocr(self) -> None:
        def work(_job: BackgroundJob):  # noqa: ANN202
            from desktop.scanning import ocr

            return ocr.available()

        self._start(work, self._ocr_checked, None, name="ocr-check", show=False)

    def _ocr_checked(self, status) -> None:  # noqa: ANN001 - ocr.OcrAvailability
        self.ocr_status = status
        self.ocr_check.setToolTip(status.message_vi)
        if status.ok:
            self.ocr_note.hide()
        else:
            self.ocr_check.setChecked(False)
            self.ocr_note.setText(status.message_vi)
            self.ocr_note.show()
        self._update_actions()

    # ================================================================ scanners

    def find_scanners(self) -> None:
        """Look for scanners in the background (some drivers take seconds); importing goes on."""
        if self.finding_scanners or (self.job is not None and self.job.name == "scan"):
            return
        self.finding_scanners = True
        self.scanners = []
        self.device_combo.clear()
        self.device_combo.setPlaceholderText(self.tr("Looking for scanners…"))
        self.scanner_note.hide()
        self._update_actions()
        self._start(lambda job: find_scanners(job), self._scanners_found, self._scanners_failed,
                    name="find-scanners", show=False)

    def _scanners_found(self, result: tuple[list[ScannerChoice], str]) -> None:
        found, problem = result
        self.finding_scanners = False
        self.scanners = list(found)
        self.device_combo.clear()
        for choice in self.scanners:
            self.device_combo.addItem(choice.label)
        if self.scanners:
            self.device_combo.setCurrentIndex(0)
            self.scanner_note.hide()
        elif self.refusal:
            self.scanner_note.hide()
        else:
            self.device_combo.setPlaceholderText(self.tr("No scanner found"))
            advice = problem or self.tr(
                "Check that the scanner is switched on and its cable plugged in, then press "
                "“Find scanners”.")
            self.scanner_note.setText(self.tr(
                "No scanner found. {advice} Meanwhile, import image or PDF files, or drag them "
                "onto this window.").format(advice=advice))
            self.scanner_note.show()
        self._update_actions()

    def _scanners_failed(self, exc: BaseException) -> None:
        self._scanners_found(([], message_of(exc)))

    # =================================================================== jobs

    def _start(self, work, on_done, on_error, *, name: str, label: str = "",  # noqa: ANN001
               show: bool = True, determinate: bool = False) -> BackgroundJob:
        job = BackgroundJob(self, work, on_done=lambda value: self._job_done(job, on_done, value),
                            on_error=lambda exc: self._job_done(job, on_error, exc, error=True),
                            on_progress=self._progress if show else None, name=name)
        self._jobs = [j for j in self._jobs if j.running]
        self._jobs.append(job)
        if show:
            self.job = job
            self.progress_label.setText(label)
            self.progress.setRange(0, 0 if not determinate else 1)
            self.progress.setValue(0)
            self.cancel_button.setEnabled(True)
            self.progress_row.show()
            self._update_actions()
        job.start()
        return job

    def _job_done(self, job: BackgroundJob, callback, value: object, *,  # noqa: ANN001
                  error: bool = False) -> None:
        if job is self.job:
            self.job = None
            self.progress_row.hide()
        try:
            if isinstance(value, Cancelled):
                self.add_message(self.tr("Stopped. The pages already there are kept."))
                return
            if callback is not None:
                callback(value)
            elif error:
                self.add_message(message_of(value), error=True)  # type: ignore[arg-type]
            if job.cancelled and job.name in ("scan", "import", "deskew"):
                self.add_message(self.tr("Stopped. The pages already there are kept."))
        finally:
            self._update_actions()

    def _progress(self, value: tuple[int, int]) -> None:
        done, total = value
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
        elif self._saving:
            self._save_cancelled = True  # before the PDF is made: nothing happens
        else:
            return
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Stopping…"))

    @property
    def busy(self) -> bool:
        return self.job is not None or self._saving

    # ================================================================ capture

    def _capture_work(self, make_source, *, deskew: bool = False,  # noqa: ANN001, ANN202
                      drop_blank: bool = False):
        """Work that takes the pages of a source into the workspace, posting each as it comes."""
        ws = self.ws

        def work(job: BackgroundJob):  # noqa: ANN202 - a pages.CaptureOutcome
            source = make_source()  # on the worker: a scanner's options are asked here
            job.on_cancel(source.cancel)
            job.check()
            return ws.capture(source, deskew=deskew, drop_blank=drop_blank,
                              on_page=lambda page: job.post(self._page_arrived, page))
        return work

    def scan(self) -> None:
        if self.busy or self.refusal or not self.scanners:
            return
        choice = self.scanners[max(0, self.device_combo.currentIndex())]
        profile = self.profile()
        self._remember_profile(profile)
        max_pages = None if profile.feeder else 1
        self._importing = None
        self._start(self._capture_work(
            lambda: choice.scanner.source(choice.device, profile, max_pages=max_pages),
            deskew=profile.deskew, drop_blank=profile.drop_blank),
            self._capture_done, None, name="scan", label=self.tr("Scanning…"))

    def choose_files(self) -> None:
        if self.busy or self.refusal:
            return
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import files"), "",
            self.tr("Images and PDF files ({exts});;All files (*)").format(exts=FILE_FILTER_EXTS))
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: list[Path]) -> None:
        """Add the pages of these files; a file that cannot be read is named with the reason."""
        if not paths:
            return
        if self.refusal:
            self.add_message(self.refusal, error=True)
            return
        if self.busy:
            self.add_message(self.tr("Wait until the current step finishes, then import again."),
                             error=True)
            return
        from desktop.scanning.sources import FileImport

        paths = [Path(p) for p in paths]
        profile = self.profile()
        self._importing = paths
        self._start(self._capture_work(lambda: FileImport(paths, profile)),
                    self._capture_done, None, name="import",
                    label=self.tr("Importing {n} files…").format(n=len(paths)))

    def _page_arrived(self, _page: Page) -> None:
        first = self.model.rowCount() == 0
        self.model.sync()
        if self.job is not None:
            self.progress_label.setText(self.tr("{n} pages so far…").format(n=len(self.ws)))
        self.strip.scrollToBottom()
        if first:
            self._select_row(0)

    def _capture_done(self, outcome) -> None:  # noqa: ANN001 - pages.CaptureOutcome
        self.model.sync()
        importing = getattr(self, "_importing", None)
        self._importing = None
        error = outcome.error
        if isinstance(error, ImportErrors):
            for name, err in error.errors:
                self.add_message(f"{name}: {err.message_vi}", error=True)
        elif error is not None and importing is not None and len(importing) == 1:
            self.add_message(f"{importing[0].name}: {error.message_vi}", error=True)
        elif error is not None:
            self.add_message(error.message_vi, error=True)
        if outcome.removed_blank:
            self.add_message(self.tr("{n} blank pages were left out.").format(
                n=len(outcome.removed_blank)))
        if outcome.added and (importing is not None and error is not None):
            self.add_message(self.tr("{n} pages were added from the other files.").format(
                n=len(outcome.added)))
        if self.model.rowCount() and not self.strip.currentIndex().isValid():
            self._select_row(0)

    # ================================================================ editing

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.strip.selectionModel().selectedIndexes())
        ids = [self.model.ids[r] for r in rows if 0 <= r < len(self.model.ids)]
        if not ids:
            current = self.strip.currentIndex()
            if current.isValid() and current.row() < len(self.model.ids):
                ids = [self.model.ids[current.row()]]
        return ids

    def select_rows(self, rows: list[int]) -> None:
        sel = self.strip.selectionModel()
        sel.clearSelection()
        for n, row in enumerate(rows):
            index = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.Select
            if n == 0:
                sel.setCurrentIndex(index, flags)
            else:
                sel.select(index, flags)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.strip.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _snapshot(self) -> None:
        self._undo.append(self.ws.pages)
        del self._undo[:-UNDO_LIMIT]

    def _editable(self) -> bool:
        return not self.busy and not self.refusal and self.model.rowCount() > 0

    def rotate(self, degrees: int) -> None:
        ids = self.selected_ids()
        if not ids or not self._editable():
            return
        self._snapshot()
        for pid in ids:
            self.ws.rotate(pid, degrees)
            self.model.refresh_page(pid)
        self._show_current()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not self._editable():
            return
        first = min(self.model.row_of(pid) for pid in ids)
        self._snapshot()
        self.model.remove_ids(ids)
        self._select_row(min(first, self.model.rowCount() - 1))
        self._show_current()

    def undo(self) -> None:
        if not self._undo or self.busy:
            return
        snapshot = self._undo.pop()
        kept = {p.id for p in snapshot}
        extra = [p for p in self.ws.pages if p.id not in kept]  # none while editing: safety
        for page in self.ws.pages:
            self.ws.delete(page.id)
        for page in (*snapshot, *extra):
            self.ws.add(page)
        self.model.sync()
        self._show_current()
        self._update_actions()

    def move_current(self, step: int) -> None:
        row = self.strip.currentIndex().row()
        if row < 0 or not self._editable():
            return
        target = row + step
        if 0 <= target < self.model.rowCount():
            self._snapshot()
            self.model.move_page(row, target)
            self._select_row(target)

    def crop_current(self) -> None:
        row = self.strip.currentIndex().row()
        page = self.model.page_at(row)
        if page is None or not self._editable():
            return
        whole = replace(page, crop=None)

        def work(_job: BackgroundJob) -> QImage:
            from desktop.scanning.pages import render

            img = render(whole, max_side=PREVIEW_SIDE)
            if page.mode != ColourMode.COLOUR:
                img = img.convert("L")
            return pil_to_qimage(img)

        self._start(work, lambda image: self._open_crop(page.id, image), None, name="crop",
                    label=self.tr("Opening the page…"))

    def _open_crop(self, page_id: str, image: QImage) -> None:
        try:
            page = self.ws.page(page_id)
        except KeyError:
            return
        dialog = CropDialog(image, page.crop, self)
        self.crop_dialog = dialog

        def finished(result: int) -> None:
            self.crop_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                self.set_crop(page_id, dialog.crop())

        dialog.finished.connect(finished)
        dialog.open()

    def set_crop(self, page_id: str, crop) -> None:  # noqa: ANN001 - pages.Crop | None
        try:
            before = self.ws.pages
            self.ws.set_crop(page_id, crop)
        except DigitisationError as exc:
            self.add_message(exc.message_vi, error=True)
            return
        except KeyError:
            return
        self._undo.append(before)
        self.model.refresh_page(page_id)
        self._show_current()

    def deskew(self, page_ids: list[str] | None) -> None:
        """Straighten these pages (None: all) on a worker, with progress."""
        if not self._editable():
            return
        ids = list(page_ids) if page_ids else list(self.model.ids)
        if not ids:
            return
        ws = self.ws
        self._snapshot()

        def work(job: BackgroundJob) -> list[tuple[str, float]]:
            angles = []
            for n, pid in enumerate(ids):
                if job.cancelled:
                    break
                try:
                    angles.append((pid, ws.deskew(pid)))
                except (KeyError, DigitisationError):
                    continue
                job.progress(n + 1, len(ids))
            return angles

        self._start(work, self._deskewed, None, name="deskew", determinate=True,
                    label=self.tr("Straightening {n} pages…").format(n=len(ids)))

    def _deskewed(self, angles: list[tuple[str, float]]) -> None:
        for pid, _angle in angles:
            self.model.refresh_page(pid)
        turned = sum(1 for _pid, a in angles if abs(a) >= 0.01)
        if turned:
            self.add_message(self.tr("{n} pages were straightened.").format(n=turned))
        else:
            self.add_message(self.tr("The pages are already straight."))
            if self._undo:
                self._undo.pop()
        self._show_current()

    def remove_blank_pages(self) -> None:
        if not self._editable():
            return
        pages = self.ws.pages

        def work(job: BackgroundJob) -> list[str]:
            from desktop.scanning.pages import is_blank, render

            blank = []
            for n, page in enumerate(pages):
                job.check()  # stopped: nothing is removed
                try:
                    if is_blank(render(page, max_side=1000)):
                        blank.append(page.id)
                except DigitisationError:
                    pass
                job.progress(n + 1, len(pages))
            return blank

        self._start(work, self._blank_found, None, name="blank-pages", determinate=True,
                    label=self.tr("Looking for blank pages…"))

    def _blank_found(self, blank: list[str]) -> None:
        if not blank:
            self.add_message(self.tr("No blank page found."))
            return
        self._snapshot()
        self.model.remove_ids(blank)
        self.add_message(self.tr("{n} blank pages were removed (Ctrl+Z puts them back).").format(
            n=len(blank)))
        if self.model.rowCount():
            self._select_row(0)
        self._show_current()

    # ================================================================= saving

    def save(self) -> None:
        if self.busy or self.refusal:
            return
        if not len(self.ws):
            self.add_message(self.tr("There are no pages to save yet."), error=True)
            return
        store, actor = self.ctx.store, self.ctx.actor
        dossier_id, component_id, result_id = self.dossier_id, self.component_id, self.result_id
        now = datetime.now()
        self._saving = True
        self._save_cancelled = False
        self.progress_label.setText(self.tr("Saving…"))
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.progress_row.show()
        self._update_actions()

        def work():  # noqa: ANN202
            with store.reading() as session:
                return digitisation.pdf_metadata(session, actor, dossier_id,
                                                 component_id=component_id, result_id=result_id,
                                                 now=now)

        self.ctx.runner.submit(work, lambda meta: self._assemble(meta, now), self._save_failed,
                               owner=self)

    def _assemble(self, meta, now: datetime) -> None:  # noqa: ANN001 - pdf.PdfMetadata
        self._saving = False
        if self._save_cancelled:
            self.progress_row.hide()
            self._update_actions()
            return
        pages = self.ws.pages
        target_dpi = self.profile().dpi

        def work(job: BackgroundJob):  # noqa: ANN202
            from desktop.scanning.pdf import assemble

            return assemble(_Counting(pages, job), meta, target_dpi=target_dpi)

        self._start(work, lambda pdf: self._attach(pdf, now), self._save_failed, name="pdf",
                    determinate=True,
                    label=self.tr("Making the PDF of {n} pages…").format(n=len(pages)))

    def _attach(self, pdf, now: datetime) -> None:  # noqa: ANN001 - pdf.AssembledPdf
        store, actor = self.ctx.store, self.ctx.actor
        dossier_id, component_id, result_id = self.dossier_id, self.component_id, self.result_id
        self._saving = True
        self.progress_label.setText(self.tr("Keeping the PDF with the dossier…"))
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(False)  # the write is one transaction: it finishes
        self.progress_row.show()
        self._update_actions()

        def work():  # noqa: ANN202
            return digitisation.attach_pdf(store, actor, dossier_id, data=pdf.data,
                                           component_id=component_id, result_id=result_id,
                                           pages=pdf.pages, now=now)

        self.ctx.runner.submit(work, lambda info: self._saved_pdf(info, pdf), self._save_failed,
                               write=True, owner=self)

    def _saved_pdf(self, info, pdf) -> None:  # noqa: ANN001
        self._saving = False
        self._saved = True
        self.progress_row.hide()
        self.attachment = info
        if self.ocr_check.isChecked() and self.ocr_check.isEnabled():
            parent = self.parentWidget()
            start_ocr(self.ctx, info.sha256, pdf.data, name=self.name,
                      window=parent.window() if parent is not None else None)
        self.saved.emit(info)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.progress_row.hide()
        if not isinstance(exc, Cancelled):
            self.add_message(self.tr("The PDF was not saved: {reason}").format(
                reason=message_of(exc)), error=True)
        self._update_actions()

    # ================================================================ showing

    def add_message(self, text: str, *, error: bool = False) -> None:
        item = QListWidgetItem(("✕ " if error else "✓ ") + text)
        item.setForeground(ERROR_FG if error else INFO_FG)
        item.setToolTip(text)
        self.messages.addItem(item)
        self.messages.scrollToBottom()
        self.messages.show()

    def message_texts(self) -> list[str]:
        return [self.messages.item(i).text()[2:] for i in range(self.messages.count())]

    def _pages_changed(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(self.tr("{n} pages").format(n=n) if n else "")
        self._update_actions()
        self._show_current()

    def _update_actions(self) -> None:
        refused = bool(self.refusal)
        busy = self.busy
        has_pages = self.model.rowCount() > 0
        selected = bool(self.selected_ids()) if has_pages else False
        edit = has_pages and not busy and not refused
        self.scan_button.setEnabled(not busy and not refused and bool(self.scanners)
                                    and not self.finding_scanners)
        self.find_button.setEnabled(not busy and not refused and not self.finding_scanners)
        self.import_button.setEnabled(not busy and not refused)
        self.device_combo.setEnabled(bool(self.scanners) and not busy)
        for w in (self.kind_combo, self.dpi_combo, self.mode_combo, self.feeder_check,
                  self.deskew_check, self.blank_check):
            w.setEnabled(not busy and not refused)
        for b in (self.rotate_left_button, self.rotate_right_button, self.delete_button):
            b.setEnabled(edit and selected)
        self.crop_button.setEnabled(edit and self.strip.currentIndex().isValid())
        self.deskew_button.setEnabled(edit)
        self.deskew_selected_action.setEnabled(selected)
        self.blank_button.setEnabled(edit)
        self.undo_button.setEnabled(bool(self._undo) and not busy)
        self.save_button.setEnabled(edit)
        ocr_ok = self.ocr_status is not None and self.ocr_status.ok
        self.ocr_check.setEnabled(ocr_ok and not refused)
        if refused:
            tip = self.refusal
            for w in (self.scan_button, self.import_button, self.save_button):
                w.setToolTip(tip)

    def _show_current(self) -> None:
        index = self.strip.currentIndex()
        page = self.model.page_at(index.row()) if index.isValid() else None
        total = self.model.rowCount()
        self._update_actions()
        if page is None:
            self.page_label.setText("")
            self.preview.set_image(None)
            return
        self.page_label.setText(self.tr("Page {n} of {total}").format(n=index.row() + 1,
                                                                        total=total))
        self._preview_token += 1
        self._preview_latest[0] = self._preview_token
        token, pool, latest = self._preview_token, self._preview_pool, self._preview_latest
        me = weakref.ref(self)
        if pool is None:
            return

        def work() -> None:
            if token != latest[0]:
                return  # the officer has moved on
            from desktop.scanning.pages import render

            try:
                img = render(page, max_side=PREVIEW_SIDE)
                if page.mode != ColourMode.COLOUR:
                    img = img.convert("L")
                image = pil_to_qimage(img)
            except Exception:  # noqa: BLE001 - an unreadable page shows nothing
                image = QImage()
            post_weak(me, "_preview_done", (token, image))

        try:
            pool.submit(work)
        except RuntimeError:
            pass

    def _preview_done(self, result: tuple[int, QImage]) -> None:
        token, image = result
        if token == self._preview_token:
            self.preview.set_image(image)

    # ============================================================ drag and drop

    def dragEnterEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if event.mimeData().hasUrls() and not self.refusal:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if event.mimeData().hasUrls() and not self.refusal:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # ================================================================ closing

    def confirm_discard(self, pages: int) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Close without saving?"),
            self.tr("The {n} pages here have not been saved as a PDF. Close and discard "
                    "them?").format(n=pages),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self._saving:
            self.add_message(self.tr("The PDF is being saved; the window closes when it is "
                                     "done."), error=True)
            return
        if len(self.ws) and not self._saved and not self.confirm_discard(len(self.ws)):
            return
        super().reject()

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        super().done(result)
        self.dispose()

    def dispose(self) -> None:
        """Stop every job and drop the pages (their folder is removed on a worker)."""
        if self._disposed:
            return
        self._disposed = True
        for job in self._jobs:
            job.cancel()
        ends = [job.finished for job in self._jobs]  # not the jobs: they refer to this dialog
        preview, self._preview_pool = self._preview_pool, None
        executor = self.model.detach_executor()
        ws = self.ws

        def cleanup() -> None:
            for end in ends:
                end.wait(60)
            for pool in (preview, executor):
                if pool is not None:
                    pool.shutdown(wait=True, cancel_futures=True)
            ws.close()

        self._cleanup = threading.Thread(target=cleanup, name="digitise-cleanup", daemon=True)
        self._cleanup.start()

    def wait_closed(self, timeout: float = 30.0) -> bool:
        """For tests and shutdown: every worker of this dialog has ended."""
        if self._cleanup is None:
            return False
        self._cleanup.join(timeout)
        return not self._cleanup.is_alive()


# ====================================================================== OCR

_OCR_JOBS: set = set()
_QUIT_HOOKED = False


def running_ocr_jobs() -> int:
    return len(_OCR_JOBS)


def start_ocr(ctx: UiContext, sha256: str, data: bytes, *, name: str,
              window: QWidget | None = None):  # noqa: ANN201 - ocr.OcrJob | None
    """Recognise the text of a kept PDF in the background, then index it for search.

    Goes on after the dialog closed; says how it went in the main window's
    status bar (when there is one). Stopped when the application quits.
    """
    from desktop.scanning import ocr

    global _QUIT_HOOKED

    def report(message: str) -> None:
        if isinstance(window, QMainWindow) and shiboken6.isValid(window):
            window.statusBar().showMessage(message, 15_000)

    def finished(result) -> None:  # noqa: ANN001 - ocr.OcrResult, on the UI thread
        _OCR_JOBS.discard(job)
        if result.cancelled:
            return
        text = result.text
        if not text.strip():
            report(QCoreApplication.translate(
                "DigitiseDialog", "No text was recognised in “{name}”.").format(name=name))
            return
        store = ctx.store
        ctx.runner.submit(
            lambda: digitisation.set_ocr_text(store, sha256, text),
            lambda _r: report(QCoreApplication.translate(
                "DigitiseDialog", "Text recognised in “{name}” ({n} pages): the dossier can "
                "now be found by its content.").format(name=name, n=result.pages_done)),
            lambda exc: report(QCoreApplication.translate(
                "DigitiseDialog", "The recognised text was not kept: {reason}").format(
                    reason=message_of(exc))),
            write=True)

    job = ocr.OcrJob(pdf=data, on_done=lambda result: post(None, finished, result))
    try:
        job.start()
    except DigitisationError as exc:
        report(exc.message_vi)
        return None
    _OCR_JOBS.add(job)
    report(QCoreApplication.translate(
        "DigitiseDialog", "Recognising the text of “{name}” in the background…").format(
            name=name))
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        _QUIT_HOOKED = True
        app.aboutToQuit.connect(cancel_ocr_jobs)
    return job


def cancel_ocr_jobs() -> None:
    for job in list(_OCR_JOBS):
        job.cancel()


def wait_ocr_jobs(timeout: float = 120.0) -> bool:
    """For tests: every OCR job has ended (their results are delivered by the event loop)."""
    for job in list(_OCR_JOBS):
        if job.wait(timeout) is None:
            return False
    return True


__all__ = ["DigitiseDialog", "ScannerChoice", "find_scanners", "message_of", "start_ocr"]
