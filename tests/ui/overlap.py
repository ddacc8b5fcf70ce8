"""What a practitioner would see as a broken layout: two visible widgets drawn over each
other, a widget cut off by its parent, or a wrapped label with more lines than room.

`layout_faults(window)` looks at the leaves a person reads or operates (labels, buttons,
fields, lists, scroll bars); a composite such as a combo box or a text field counts as one.
Content inside a scroll area is measured where it is laid out, not where the viewport cuts
it: what is scrolled out of sight above or below is fine (it scrolls into view), but content
wider than an area that cannot scroll sideways lies under whatever is beside it, and is
reported. Used by tests/ui/test_layout.py and tests/ui/layout_probe.py.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
)

# read or operated as one piece: nothing inside them is looked at
ATOMS = (QLabel, QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QScrollBar)
DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


def _scrolled(widget: QWidget) -> QScrollArea | None:
    """The scroll area whose content `widget` is (its viewport's child), if it is one."""
    viewport = widget.parentWidget()
    area = viewport.parentWidget() if viewport is not None else None
    if isinstance(area, QScrollArea) and area.widget() is widget:
        return area
    return None


def _leaves(window: QWidget) -> list[QWidget]:
    found: list[QWidget] = []

    def walk(widget: QWidget) -> None:
        for child in widget.findChildren(QWidget, options=DIRECT):
            if not child.isVisible() or child.isWindow():
                continue
            if isinstance(child, ATOMS) or (
                isinstance(child, QAbstractScrollArea) and not isinstance(child, QScrollArea)
            ):
                found.append(child)  # a list or a text box: its scroll bars are its own
            else:
                walk(child)

    walk(window)
    return found


def _shown_rect(widget: QWidget, window: QWidget) -> tuple[QRect, list[str]]:
    """The widget's rectangle in window coordinates, cut by what its parents show, and the
    parents that cut it. A scroll area's viewport (and the area) cut its content only
    above and below: that part scrolls into view; content that is too wide does not."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    cuts: list[str] = []
    parent, in_area = widget.parentWidget(), False
    while parent is not None and parent is not window:
        bounds = QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
        if in_area or _scrolled(_child_of(widget, parent)) is not None:
            in_area = not isinstance(parent, QScrollArea)  # the viewport, then the area
            bounds = QRect(rect.left(), bounds.top(), rect.width(), bounds.height())
        elif not bounds.contains(rect) and not rect.intersected(bounds).isEmpty():
            cuts.append(f"cut by {_name(parent)} at {bounds.getRect()}")
        rect = rect.intersected(bounds)
        parent = parent.parentWidget()
    return rect, cuts


def _child_of(widget: QWidget, parent: QWidget) -> QWidget:
    """The ancestor of `widget` (or itself) that is a direct child of `parent`."""
    while (up := widget.parentWidget()) is not parent and up is not None:
        widget = up
    return widget


def _too_wide(window: QWidget) -> list[str]:
    """Scroll areas whose content is wider than they show, with no way to scroll to it."""
    found = []
    for area in window.findChildren(QScrollArea):
        inner = area.widget()
        if inner is None or not area.isVisible() or area.horizontalScrollBar().isVisible():
            continue
        if inner.width() > area.viewport().width() + 1:
            found.append(
                f"{_name(area)}: content {inner.width()} wide in a "
                f"{area.viewport().width()} wide area that cannot scroll sideways"
            )
    return found


def _name(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    words = widget.accessibleName() or (text() if callable(text) else "") or ""
    return f"{type(widget).__name__} {words[:50]!r}"


def _related(a: QWidget, b: QWidget) -> bool:
    return a.isAncestorOf(b) or b.isAncestorOf(a)


def layout_faults(window: QWidget) -> list[str]:
    """Every overlap, cut-off widget and cut-off wrapped label in the window as shown."""
    faults = _too_wide(window)
    shown: list[tuple[QWidget, QRect]] = []
    for leaf in _leaves(window):
        rect, cuts = _shown_rect(leaf, window)
        if rect.isEmpty():
            continue  # scrolled out of sight
        shown.append((leaf, rect))
        faults.extend(f"{_name(leaf)}: {cut}" for cut in dict.fromkeys(cuts))
        if isinstance(leaf, QLabel) and leaf.wordWrap() and leaf.text():
            needed = leaf.heightForWidth(leaf.width())
            if needed > leaf.height() + 1:
                faults.append(f"{_name(leaf)}: needs {needed} px high, has {leaf.height()}")
    for i, (a, ra) in enumerate(shown):
        for b, rb in shown[i + 1 :]:
            if not _related(a, b) and ra.intersects(rb):
                both = ra.intersected(rb)
                faults.append(f"{_name(a)} overlaps {_name(b)} at {both.getRect()}")
    return faults
