"""No silent change: the mouse wheel never edits a value the user has not chosen to edit.

Scrolling a long page over an unfocused L/M/H box used to change the rating (and autosave
it). One application-wide event filter covers every combo box, spin box and date field in
every window, including windows other modules add later: a wheel event over such a widget
never reaches it, focused or not (a box rated with a click and then scrolled past used to
change under the pointer); it is handed to the nearest scrolling ancestor, so the page
scrolls instead. An open list is a separate popup, which scrolls its choices as usual; the
keyboard (arrows) still changes a focused value.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """Refuses wheel events to guarded widgets; the page scrolls instead."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # every event of the application passes here: the cheap class test first, so the
        # others cost one isinstance (asking an event its type builds a Python enum)
        if not isinstance(watched, GUARDED):
            return False
        if event.type() == QEvent.Type.Polish:
            # WheelFocus would give the widget focus before the wheel is delivered
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif isinstance(event, QWheelEvent):
            _scroll_instead(watched, event)
            return True
        return False


def _scroll_instead(widget: QWidget, event: QWheelEvent) -> None:
    """Give the wheel to the nearest scroll area around the widget (if any)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    if parent is None:
        return
    viewport = parent.viewport()
    forwarded = QWheelEvent(
        viewport.mapFromGlobal(event.globalPosition()),
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )
    QApplication.sendEvent(viewport, forwarded)


def install_wheel_guard() -> WheelGuard | None:
    """Install the guard once on the running application (idempotent)."""
    app = QApplication.instance()
    if app is None:
        return None
    existing = app.property("cre_wheel_guard")
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    app.setProperty("cre_wheel_guard", guard)
    return guard
