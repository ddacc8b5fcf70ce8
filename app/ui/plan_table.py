"""A plan table whose cells hold paragraphs: text wraps, rows grow, and rows can be added,
removed and reordered from the keyboard (buttons with shortcuts) as well as the mouse."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.ui.sizing import lines


class _Paragraph(QStyledItemDelegate):
    """Edit a cell in a multi-line box (Enter is a new line; Tab leaves the cell)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)


class PlanTable(QTableWidget):
    def __init__(self, headers: tuple[str, ...], name: str, parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.setAccessibleName(name)
        self.setWordWrap(True)
        self.setItemDelegate(_Paragraph(self))
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setMinimumSectionSize(lines(self, 2))
        self.name = name

    def add_row(self, values: list[str] | None = None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for col in range(self.columnCount()):
            text = values[col] if values and col < len(values) else ""
            self.setItem(row, col, QTableWidgetItem(text))
        self.setCurrentCell(row, 0)
        return row

    def remove_current(self) -> None:
        row = self.currentRow()
        if row >= 0:
            self.removeRow(row)
            self.setCurrentCell(min(row, self.rowCount() - 1), 0)

    def move_current(self, delta: int) -> None:
        row, col = self.currentRow(), max(self.currentColumn(), 0)
        target = row + delta
        if row < 0 or not 0 <= target < self.rowCount():
            return
        for c in range(self.columnCount()):
            here, there = self.takeItem(row, c), self.takeItem(target, c)
            self.setItem(target, c, here)
            self.setItem(row, c, there)
        self.setCurrentCell(target, col)

    def values(self) -> list[list[str]]:
        out = []
        for r in range(self.rowCount()):
            cells = [self.item(r, c) for c in range(self.columnCount())]
            out.append([cell.text() if cell is not None else "" for cell in cells])
        return out

    def buttons(self, parent: QWidget) -> QHBoxLayout:
        """Add, remove, move up, move down: each with a visible shortcut."""
        row = QHBoxLayout()
        for text, shortcut, action in (
            ("&Add a row", "Ctrl+Shift+A", lambda: self.add_row()),
            ("Re&move row", "Ctrl+Shift+Del", self.remove_current),
            ("Move &up", "Ctrl+Shift+Up", lambda: self.move_current(-1)),
            ("Move do&wn", "Ctrl+Shift+Down", lambda: self.move_current(1)),
        ):
            button = QPushButton(text, parent)
            button.setShortcut(QKeySequence(shortcut))
            button.setAccessibleName(f"{text.replace('&', '')} ({self.name})")
            button.clicked.connect(action)
            row.addWidget(button)
        row.addStretch(1)
        return row
