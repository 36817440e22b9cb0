"""Catch an ID-card QR scan typed by a keyboard-wedge scanner, wherever the focus is.

A handheld scanner "types" the QR payload far faster than a person (a few ms
per key) and ends with Enter. The detector watches key presses on one widget
tree: when keys arrive within FAST_GAP of each other and the burst contains
the field separator "|", it is a scan. From then on it swallows the keys, and
at Enter it puts back the text the focused field had before the burst began
(so a scan into the wrong field never corrupts that field) and emits
`scanned(text)`. People typing, even fast, leave larger gaps and rarely type
"|", so ordinary input is never taken.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

FAST_GAP = 0.035  # seconds between two keys of a scanner burst
MIN_SCAN = 12  # characters: shorter bursts are not ID-card payloads
END_GAP = 0.3  # some scanners pause a little before the final Enter


class WedgeScanDetector(QObject):
    scanned = Signal(str)

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self.root = root
        self._buffer: list[str] = []
        self._last = 0.0
        self._previous = 0.0
        self._swallowing = False
        self._field: QWidget | None = None
        self._field_text: str | None = None
        self._field_cursor = 0
        QApplication.instance().installEventFilter(self)
        root.destroyed.connect(self._detach)

    def _detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _within_root(self, obj: QObject) -> bool:
        if not isinstance(obj, QWidget) or not self.root.isVisible():
            return False
        return obj is self.root or self.root.isAncestorOf(obj)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not self._within_root(obj):
            return False
        if obj is not QApplication.focusWidget() and QApplication.focusWidget() is not None:
            return False  # the same event is delivered to parents too; look at it once
        key: QKeyEvent = event  # type: ignore[assignment]
        now = time.monotonic()
        self._previous = self._last
        fast = (now - self._last) <= FAST_GAP
        self._last = now
        if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._swallowing and (now - self._previous) <= END_GAP:
                self._finish()
                return True
            self._reset()
            return False
        text = key.text()
        if not text or not text.isprintable():
            if not fast:
                self._reset()
            return self._swallowing
        if not fast:
            self._reset()
            self._begin(obj)
        self._buffer.append(text)
        if not self._swallowing and fast and "|" in text and len(self._buffer) >= 4:
            self._swallowing = True
            self._restore_field()
        return self._swallowing

    def _begin(self, obj: QObject) -> None:
        self._field = obj if isinstance(obj, QLineEdit | QPlainTextEdit) else None
        if isinstance(self._field, QLineEdit):
            self._field_text = self._field.text()
            self._field_cursor = self._field.cursorPosition()
        elif isinstance(self._field, QPlainTextEdit):
            self._field_text = self._field.toPlainText()
        else:
            self._field_text = None

    def _restore_field(self) -> None:
        if self._field is None or self._field_text is None:
            return
        if isinstance(self._field, QLineEdit):
            self._field.setText(self._field_text)
            self._field.setCursorPosition(self._field_cursor)
        else:
            self._field.setPlainText(self._field_text)

    def _finish(self) -> None:
        payload = "".join(self._buffer)
        self._reset()
        if len(payload) >= MIN_SCAN:
            self.scanned.emit(payload)

    def _reset(self) -> None:
        self._buffer = []
        self._swallowing = False
        self._field = None
        self._field_text = None
