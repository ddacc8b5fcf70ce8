"""The side index: every page, and Section 1's groups, one arrow key away.

Why: a resumed draft used to open on its saved page with no way back, and crossing
Section 1 by keyboard took one Tab per tick box. The index is a single Tab stop; arrows
choose a page or a group and Enter (or a click) goes there, focus landing on its first
input.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from app.ui.sizing import heading_font

Target = tuple[int, QWidget | None]  # page id, and a group box to scroll to (or None)


class PageIndex(QListWidget):
    def __init__(self, go: Callable[[int, QWidget | None], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._go = go
        self.setAccessibleName("Pages of this assessment")
        self.setAccessibleDescription("Arrow keys choose a page or group; Enter goes there.")
        self.itemActivated.connect(self._activated)  # double-click (Enter: keyPressEvent)
        self.itemClicked.connect(self._activated)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)

    def add_page(self, page_id: int, title: str) -> None:
        item = QListWidgetItem(_short(title))
        item.setToolTip(title)
        item.setData(Qt.ItemDataRole.UserRole, (page_id, None))
        self._insert(page_id, item)

    def add_group(self, page_id: int, title: str, box: QWidget) -> None:
        item = QListWidgetItem(f"    {_short(title, 40)}")
        item.setData(Qt.ItemDataRole.UserRole, (page_id, box))
        item.setToolTip(title)
        self._insert(page_id, item)

    def _insert(self, page_id: int, item: QListWidgetItem) -> None:
        """In page order, which is the toolkit's step order, not the order pages were built."""
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole)[0] > page_id:
                self.insertItem(row, item)
                return
        self.addItem(item)

    def fit(self) -> None:
        """As tall as its lines: the live summary below keeps the rest of the side."""
        row = max(self.sizeHintForRow(0), self.fontMetrics().lineSpacing() + 4)
        height = row * self.count() + 2 * self.frameWidth() + 4
        self.setMaximumHeight(height)
        self.setMinimumHeight(min(height, row * 5))

    def show_page(self, page_id: int) -> None:
        for i in range(self.count()):
            target = self.item(i).data(Qt.ItemDataRole.UserRole)
            if target[0] == page_id and target[1] is None:
                self.blockSignals(True)
                self.setCurrentRow(i)
                self.blockSignals(False)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter goes to the chosen page here, and is not also the wizard's Next."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self._activated(item)
            event.accept()
            return
        super().keyPressEvent(event)

    def _activated(self, item: QListWidgetItem) -> None:
        page_id, box = item.data(Qt.ItemDataRole.UserRole)
        self._go(page_id, box)


def page_heading(page: QWidget, title: str) -> QLabel:
    """The page's title as a heading that takes focus when the page opens, so a screen
    reader says where the user is (the wizard's own title cannot take focus)."""
    heading = QLabel(title, page)
    heading.setObjectName("page_heading")
    heading.setWordWrap(True)
    heading.setFont(heading_font(heading, 1.4))
    # focused when the page opens, but never a Tab stop of its own (it shows no focus frame)
    heading.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    heading.setAccessibleName(title)
    return heading


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
