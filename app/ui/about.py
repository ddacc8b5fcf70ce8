"""Help → About CRE Toolkit, Third-party licences and About Qt.

What a practitioner or their IT team asks first: which version this is, where the vault
is, and under which licences the program is built. Qt for Python and python-bidi are LGPL:
the user is told so here, can read every licence text the installer carries
(`licences/THIRD-PARTY-NOTICES.txt` in the bundle, written by tools/licences.py) and
Qt's own notice (About Qt).
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.sizing import fit_to_screen

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

LICENCES = (
    "CRE Toolkit is built with Qt for Python (PySide6) and python-bidi, used under the GNU "
    "Lesser General Public License version 3; SQLCipher (BSD licence), SQLite (public "
    "domain), OpenSSL (Apache License 2.0) and other open-source libraries, each under its "
    "own licence. The installed program keeps those libraries as separate files that may be "
    "replaced."
)


def notices_file() -> Path | None:
    """The installer's notice file (beside the bundled libraries), or None when the program
    runs from its source folder, where `python tools/licences.py OUTDIR` writes it."""
    base = getattr(sys, "_MEIPASS", None)
    if base is None:
        return None
    found = Path(base) / "licences" / "THIRD-PARTY-NOTICES.txt"
    return found if found.is_file() else None


def notices_text() -> str:
    found = notices_file()
    if found is None:
        return (
            f"{LICENCES}\n\nThis copy runs from its source folder, which has no notice file: "
            "`python tools/licences.py OUTDIR` writes every library's licence into OUTDIR, "
            "as the installer does."
        )
    try:
        return found.read_text("utf-8", "replace")
    except OSError as exc:
        return f"{LICENCES}\n\nThe notice file {found} could not be read ({exc.strerror})."


class LicencesDialog(QDialog):
    """The notice file, read-only, in a fixed-width font so its columns line up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Third-party licences - CRE Toolkit")
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(notices_text())
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Third-party licences")
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 560)


class AboutDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from app import __version__

        self.setWindowTitle("About CRE Toolkit")
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>CRE Toolkit {__version__}</h2>", self)
        layout.addWidget(title)
        vault = QLabel(
            "Child exploitation risk assessments, completed and kept offline.<br>"
            f"Your vault: <b>{html.escape(str(window.vault.path))}</b>",
            self,
        )
        vault.setWordWrap(True)
        vault.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(vault)
        licences = QLabel(LICENCES, self)
        licences.setWordWrap(True)
        layout.addWidget(licences)
        layout.addStretch(1)  # the words stay together; spare height goes below them
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.licences_button = QPushButton("Third-party &licences…", self)
        self.licences_button.clicked.connect(lambda: LicencesDialog(self).exec())
        self.qt_button = QPushButton("About &Qt…", self)
        self.qt_button.clicked.connect(lambda: QApplication.aboutQt())
        buttons.addButton(self.licences_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.qt_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, self.heightForWidth(560) if self.hasHeightForWidth() else 240)


def install(window: MainWindow) -> None:
    """Help → About CRE Toolkit… and About Qt…, after every other menu."""
    menu = window.menuBar().addMenu("&Help")
    about = QAction("&About CRE Toolkit…", window)
    about.triggered.connect(lambda: AboutDialog(window).exec())
    about_qt = QAction("About &Qt…", window)
    about_qt.triggered.connect(lambda: QApplication.aboutQt())
    for name, action in (("About CRE Toolkit", about), ("About Qt", about_qt)):
        action.setMenuRole(QAction.MenuRole.NoRole)  # macOS moves About items otherwise
        menu.addAction(action)
        window.actions_by_name[name] = action
