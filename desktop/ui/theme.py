"""Look and feel: the bundled Noto fonts, a calm palette, the app icon."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QApplication

import resources

ACCENT = "#0f5e73"
ACCENT_LIGHT = "#e3eff2"
TEXT = "#1f2d33"
MUTED = "#5f7178"
ERROR = "#b3261e"
WINDOW = "#f5f7f8"

STYLE_SHEET = f"""
QWidget {{ color: {TEXT}; }}
QMainWindow, QDialog {{ background: {WINDOW}; }}
#navigation {{ background: #ffffff; border: none; border-right: 1px solid #dde4e7; padding-top: 8px; }}
#navigation::item {{ padding-left: 10px; border-radius: 6px; margin: 2px 8px; }}
#navigation::item:selected {{ background: {ACCENT_LIGHT}; color: {ACCENT}; font-weight: bold; }}
#navigation::item:hover:!selected {{ background: #f0f4f5; }}
#pageTitle {{ font-size: 18pt; font-weight: bold; color: {ACCENT}; }}
#pageSubtitle, .muted {{ color: {MUTED}; }}
#card {{ background: #ffffff; border: 1px solid #dde4e7; border-radius: 8px; }}
#cardValue {{ font-size: 22pt; font-weight: bold; color: {ACCENT}; }}
#cardLabel {{ color: {MUTED}; }}
#fieldError {{ color: {ERROR}; font-size: 9pt; }}
#formError {{ color: {ERROR}; background: #fbeaea; border: 1px solid #f0c4c1; border-radius: 6px; padding: 8px; }}
#stateSecret {{ color: {ERROR}; font-weight: 600; }}
#explanation {{ background: #fff7e0; border: 1px solid #f0dca0; border-radius: 6px; padding: 8px; }}
#banner {{ background: {ACCENT}; color: #ffffff; }}
#reminderBanner {{ border-bottom: 1px solid #dde4e7; }}
#reminderBanner[level="due_soon"] {{ background: #fff4dc; border-left: 5px solid #d99100; border-bottom-color: #f0dcae; }}
#reminderBanner[level="overdue"] {{ background: #fde8e6; border-left: 5px solid {ERROR}; border-bottom-color: #f0c4c1; }}
#reminderBanner QLabel {{ background: transparent; }}
#reminderMessage {{ font-weight: bold; }}
#reminderBanner[level="due_soon"] #reminderMessage {{ color: #7a4f00; }}
#reminderBanner[level="overdue"] #reminderMessage {{ color: #8c1d18; }}
#reminderDetail {{ color: {MUTED}; }}
#reminderClose {{ border: none; padding: 2px 6px; color: {MUTED}; font-size: 11pt; }}
#reminderClose:hover {{ color: {TEXT}; background: rgba(0, 0, 0, 0.06); border-radius: 4px; }}
#digitiseHeading {{ font-size: 13pt; font-weight: bold; color: {ACCENT}; }}
#sourceBar {{ background: #ffffff; border: 1px solid #dde4e7; border-radius: 6px; }}
#pageStrip {{ background: #eef2f3; border: 1px solid #dde4e7; border-radius: 4px; }}
#pageStrip::item {{ border-radius: 4px; padding: 3px; color: {MUTED}; }}
#pageStrip::item:selected {{ background: {ACCENT_LIGHT}; border: 2px solid {ACCENT}; color: {TEXT}; }}
#digitiseMessages {{ background: #ffffff; border: 1px solid #dde4e7; border-radius: 4px; }}
#ocrNote {{ color: {MUTED}; font-size: 9pt; }}
#digitiseRefusal {{ color: {ERROR}; background: #fbeaea; border: 1px solid #f0c4c1; border-radius: 6px; padding: 6px 8px; font-weight: 600; }}
#digitiseSummary {{ color: {ACCENT}; font-weight: 600; padding-left: 2px; }}
#reuseNotice {{ background: #e6f4e9; border: 1px solid #b8dcc1; border-radius: 6px; }}
#reuseNotice QLabel {{ color: #1e6b34; font-weight: 600; background: transparent; }}
#reuseDismiss {{ border: none; padding: 2px 8px; color: {MUTED}; background: transparent; font-size: 12pt; }}
#reuseStatus[error="true"] {{ color: {ERROR}; }}
#reuseTable {{ alternate-background-color: #f7f9fa; }}
#digitiseDialog QPushButton#primary:disabled, #reuseDialog QPushButton#primary:disabled {{ background: #f0f2f3; color: #9aa8ad; border-color: #dde4e7; }}
#pdfViewerDialog QPushButton:checked {{ background: {ACCENT_LIGHT}; border-color: {ACCENT}; color: {ACCENT}; }}
#reportHeading {{ padding: 6px 0 2px 0; }}
#snapshotBanner {{ background: #fff7e0; border: 1px solid #f0dca0; border-radius: 6px; padding: 6px 8px; }}
#reportChecks {{ color: {MUTED}; padding: 2px 0; }}
#reportTable {{ alternate-background-color: #f7f9fa; }}
#reportsSection {{ font-weight: bold; color: {ACCENT}; }}
#indicatorTitle {{ font-weight: 600; }}
#card[indicator="true"]:hover {{ border: 1px solid {ACCENT}; background: #fbfdfd; }}
#listCount {{ background: {ACCENT_LIGHT}; color: {ACCENT}; font-weight: bold; border-radius: 9px; padding: 1px 8px; }}
QPushButton {{ padding: 6px 14px; border-radius: 5px; border: 1px solid #b9c7cc; background: #ffffff; }}
QPushButton:hover {{ background: #eef3f5; }}
QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: #ffffff; border: 1px solid {ACCENT}; }}
QPushButton:default:hover, QPushButton#primary:hover {{ background: #0c4d5e; }}
QPushButton:disabled {{ color: #9aa8ad; background: #f0f2f3; border-color: #dde4e7; }}
QLineEdit, QPlainTextEdit {{ padding: 4px 6px; border: 1px solid #b9c7cc; border-radius: 4px; background: #ffffff; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QSpinBox, QComboBox, QDateEdit {{ min-height: 24px; }}
QComboBox QAbstractItemView {{ selection-background-color: {ACCENT_LIGHT}; selection-color: {TEXT}; }}
QLineEdit[invalid="true"] {{ border: 1px solid {ERROR}; background: #fff7f7; }}
QTableView {{ background: #ffffff; border: 1px solid #dde4e7; gridline-color: #edf1f2; selection-background-color: {ACCENT_LIGHT}; selection-color: {TEXT}; }}
QHeaderView::section {{ background: #eef3f5; padding: 5px; border: none; border-bottom: 1px solid #dde4e7; font-weight: bold; }}
QTabWidget::pane {{ border: 1px solid #dde4e7; background: #ffffff; border-radius: 4px; }}
QTabBar::tab {{ padding: 7px 14px; }}
QTabBar::tab:selected {{ color: {ACCENT}; font-weight: bold; }}
QStatusBar {{ background: #ffffff; border-top: 1px solid #dde4e7; }}
QStatusBar QLabel {{ padding: 0 8px; }}
"""


def load_fonts() -> str:
    family = "Noto Sans"
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resources.path("fonts", name)))
        if font_id >= 0:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def app_icon() -> QIcon:
    return QIcon(str(resources.path("icons", "motcua.svg")))


def icon(name: str) -> QIcon:
    return QIcon(str(resources.path("icons", f"{name}.svg")))


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    family = load_fonts()
    font = QFont(family, 10)
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
    app.setWindowIcon(app_icon())
