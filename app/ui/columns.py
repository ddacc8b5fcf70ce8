"""A list of widgets in as many columns as its width allows, read down each column.

Why: Case details listed twelve models of abuse in one column, so at 150% on a 1366x768
screen the window was as tall as the screen (no room for its title bar). In two columns it
fits; on a narrow window it falls back to one, never cutting a label. Items fill the first
column top to bottom, then the next, so the order on screen, and the Tab order (the order
they were added), stays the list's own.

The widget places its items itself and has no layout: Qt asks a widget's own
heightForWidth (how high its columns are at a width) only when it has none.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QStyle, QWidget


class ColumnList(QWidget):
    def __init__(self, parent: QWidget | None = None, *, most: int = 2) -> None:
        super().__init__(parent)
        self.most = most
        self.items: list[QWidget] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, widget: QWidget) -> None:
        """The next item of the list (added in reading order)."""
        widget.setParent(self)
        self.items.append(widget)
        self.updateGeometry()

    @property
    def columns(self) -> int:
        """How many columns it shows now."""
        return self.columns_for(self.width())

    def columns_for(self, width: int) -> int:
        """How many columns of the widest item fit in `width` (one at the least)."""
        column, gap = self._column_width(), self._gap(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
        fits = (width + gap) // (column + gap) if column > 0 else 1
        return max(1, min(self._most(), fits))

    def _most(self) -> int:
        """The most columns there can be: never more than items."""
        return max(1, min(self.most, len(self.items)))

    def _column_width(self) -> int:
        return max((w.sizeHint().width() for w in self.items), default=0)

    def _row_height(self) -> int:
        return max((w.sizeHint().height() for w in self.items), default=0)

    def _gap(self, metric: QStyle.PixelMetric) -> int:
        return max(self.style().pixelMetric(metric, None, self), 0)

    def _rows(self, columns: int) -> int:
        return -(-len(self.items) // columns)

    def _height(self, columns: int) -> int:
        rows = self._rows(columns)
        gap = self._gap(QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        return rows * self._row_height() + max(rows - 1, 0) * gap

    # -- sizes --------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height(self.columns_for(width))

    def sizeHint(self) -> QSize:
        """Every column it may have, side by side."""
        columns = self._most()
        gap = self._gap(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
        return QSize(columns * self._column_width() + (columns - 1) * gap, self._height(columns))

    def minimumSizeHint(self) -> QSize:
        """One column wide; the height for a width comes from heightForWidth."""
        return QSize(self._column_width(), self._height(self._most()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(event.size().width())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._place(self.width())

    def _place(self, width: int) -> None:
        columns = self.columns_for(width)
        rows, row_height = self._rows(columns), self._row_height()
        across = self._gap(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
        down = self._gap(QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        column_width = max((width - (columns - 1) * across) // columns, 1)
        for n, widget in enumerate(self.items):
            column, row = divmod(n, rows)
            x, y = column * (column_width + across), row * (row_height + down)
            widget.setGeometry(QRect(x, y, column_width, row_height))
        if self.height() < self._height(columns):  # fewer columns: taller
            self.updateGeometry()
