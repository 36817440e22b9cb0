"""F1: the keyboard shortcuts, so the desk can work without the mouse."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, areas: list[str] | tuple[str, ...] = ()) -> None:
        """`areas`: the labels of the officer's areas, in order (Ctrl+1 goes to the first)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(620, 560)
        go_to = [(f"Ctrl+{i}", self.tr("Go to {area}").format(area=label))
                 for i, label in enumerate(areas, start=1)]
        sections = [
            (self.tr("Everywhere"), [
                *go_to,
                ("F1", self.tr("This list")),
                ("Ctrl+Shift+L", self.tr("Log out")),
                ("Ctrl+Q", self.tr("Quit")),
            ]),
            (self.tr("Reception"), [
                (self.tr("Scan the ID card"), self.tr("Fills the applicant, wherever the cursor is")),
                ("Ctrl+L", self.tr("Go to the procedure search")),
                ("↑ ↓ Enter", self.tr("Choose a procedure from the list")),
                ("Tab / Shift+Tab", self.tr("Next / previous field")),
                (self.tr("Space"), self.tr("Paper submitted / missing (in the papers table)")),
                ("N", self.tr("Paper not needed (in the papers table)")),
                ("Ctrl+S", self.tr("Receive and print the receipt")),
                ("Ctrl+G", self.tr("Incomplete: print the supplement guidance, keep a draft")),
                ("Ctrl+R", self.tr("Refuse, with a reason")),
                ("Ctrl+N", self.tr("New dossier")),
                ("Ctrl+Enter", self.tr("Receive the selected online dossier")),
            ]),
            (self.tr("Print preview"), [
                ("Ctrl+P", self.tr("Print")),
                ("Ctrl+E", self.tr("Export PDF")),
                ("Esc", self.tr("Close")),
            ]),
            (self.tr("Dossiers"), [
                ("Ctrl+F", self.tr("Search by code, name, ID number or phone")),
                ("Esc", self.tr("Clear the search")),
                ("Enter", self.tr("Open the selected dossier")),
            ]),
        ]
        parts = []
        for title, rows in sections:
            body = "".join(
                f"<tr><td style='padding:3px 14px 3px 0'><b>{html.escape(k)}</b></td>"
                f"<td style='padding:3px 0'>{html.escape(v)}</td></tr>" for k, v in rows)
            parts.append(f"<h3>{html.escape(title)}</h3><table>{body}</table>")
        view = QTextBrowser()
        view.setHtml("".join(parts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(view)
        lay.addWidget(buttons)
