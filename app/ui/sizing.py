"""Sizes that follow the screen and the font, never fixed pixels.

Why: fixed 1300x720 windows put Next and Complete off a 1366x768 screen at 150% scaling.
Windows open at a preferred size clipped to the available screen, and remember the size the
user gave them (kept in the vault's settings, which are per practitioner); heights and
widths inside are counted in lines and characters of the current font.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QScrollArea, QStyle, QWidget


def lines(widget: QWidget, count: float) -> int:
    """Height of `count` text lines in the widget's font, plus a frame."""
    return int(widget.fontMetrics().lineSpacing() * count) + 12


def chars(widget: QWidget, count: int) -> int:
    """Width of `count` average characters in the widget's font."""
    return widget.fontMetrics().averageCharWidth() * count + 12


def heading_font(widget: QWidget, scale: float = 1.25) -> QFont:
    """A heading that grows with the system font instead of a fixed point size."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    return font


def fit_to_screen(
    window: QWidget, width: int, height: int, *, key: str | None = None, repo: Any = None
) -> None:
    """Open at the remembered or preferred size, never larger than the free screen."""
    if key and repo is not None:
        from app.casework.settings import window_size  # the vault stack loads after unlock

        saved = window_size(repo, key)
        if saved is not None:
            width, height = saved
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    area = screen.availableGeometry()
    w = max(min(width, area.width() - 16), 200)
    h = max(min(height, area.height() - 48), 200)  # room for the title bar
    window.resize(w, h)
    window.move(
        area.left() + (area.width() - w) // 2, area.top() + max((area.height() - h) // 2 - 16, 0)
    )


def remember_size(window: QWidget, key: str, repo: Any) -> None:
    """Keep the size the user chose for next time (best effort: never blocks closing)."""
    from app.casework.settings import remember_window_size

    try:  # a setting write is audited: written only when the size changed
        remember_window_size(repo, key, window.width(), window.height())
    except Exception:  # a closed vault or a read-only file must not stop a window closing
        return


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only, and is never narrower than its content can be.

    Why: a scroll area that cannot scroll sideways still let its layout squeeze it below
    its content's narrowest width; the content then lay under whatever was beside it (the
    letter's checklist under the letter's fields at 784 px). Its minimum width is the
    content's, plus the frame and the vertical scroll bar, so the window stops narrowing
    there instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop before its fields

    def chrome_width(self) -> int:
        """What the area adds beside its content: its frame and the vertical scroll bar."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return 2 * self.frameWidth() + bar

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        needed = inner.minimumSizeHint().width() + self.chrome_width()
        return QSize(max(hint.width(), needed), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's narrowest width may have changed
        return super().eventFilter(watched, event)
