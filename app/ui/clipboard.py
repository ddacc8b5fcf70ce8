"""Lock forgets the clipboard and the X selection when they hold text from the app.

Why: a child's name copied from a case stays readable by any other program after Lock.
Qt says whether this program owns the clipboard (X11, Windows, macOS); where it cannot
say, a change made while the app was the active application counts as the app's. Only a
digest of that text is kept, never the text.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QClipboard, QGuiApplication

MODES = (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ClipboardWatch(QObject):
    """Remembers what the app put on the clipboard and selection; `forget` clears them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: dict[QClipboard.Mode, str] = {}
        board = QGuiApplication.clipboard()
        board.dataChanged.connect(lambda: self._seen(QClipboard.Mode.Clipboard))
        board.selectionChanged.connect(lambda: self._seen(QClipboard.Mode.Selection))

    def _seen(self, mode: QClipboard.Mode) -> None:
        if QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive:
            text = QGuiApplication.clipboard().text(mode)
            if text:
                self._ours[mode] = _digest(text)

    def holds_ours(self, mode: QClipboard.Mode) -> bool:
        board = QGuiApplication.clipboard()
        if mode == QClipboard.Mode.Selection and not board.supportsSelection():
            return False
        owns = board.ownsClipboard() if mode == QClipboard.Mode.Clipboard else board.ownsSelection()
        text = board.text(mode)
        return owns or (bool(text) and self._ours.get(mode) == _digest(text))

    def forget(self) -> None:
        """Clear each of clipboard and selection that holds the app's text (Lock)."""
        board = QGuiApplication.clipboard()
        for mode in MODES:
            if self.holds_ours(mode):
                board.clear(mode)
        self._ours.clear()
