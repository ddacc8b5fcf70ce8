"""What a screen reader gets: status text it can reach, and news it is told about.

Why: the live summary, suggested level, save status and messages were labels with fixed
accessible names ("Live summary") and no text a screen reader could read, and nothing was
announced when they changed. A `LiveLabel` carries its current words in its accessible name
and announces changes; `ReadingPane` is read-only text with a real text interface.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QWidget


def announce(widget: QWidget, text: str) -> None:
    """Ask the screen reader to say `text` now (polite: after what it is saying)."""
    if text and QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))


class LiveLabel(QLabel):
    """A status line whose accessible name is "<what>: <current words>", announced on change."""

    def __init__(self, what: str, parent: QWidget | None = None, *, speak: bool = True) -> None:
        super().__init__(parent)
        self.what, self.speak = what, speak
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setAccessibleName(what)

    def set_live(self, text: str) -> None:
        changed = text != self.text()
        self.setText(text)
        self.setAccessibleName(f"{self.what}: {text}" if text else self.what)
        if changed and QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.NameChanged))
            if self.speak:
                announce(self, f"{self.what}: {text}" if text else "")


class ReadingPane(QPlainTextEdit):
    """Read-only text a screen reader can move through line by line."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def setText(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)

    def text(self) -> str:
        return self.toPlainText()
