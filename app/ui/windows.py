"""Every window that shows a case belongs to the main window, one per case and kind.

Why: two assessment windows of one child could be open at once and Lock closed only the
newest, leaving a child's details on screen. Here each window is opened through
`CaseWindows.open(key, factory)`: opening the same key again raises the existing window;
`lock()` saves what each window holds, then hides and deletes every one of them (so no
widget keeps the data), and `restore()` makes them again from their factories, which read
the main window's *current* repository, so saving after unlock goes to the reopened vault.

The close protocol: a window that holds typed work saves it when it closes (X, Esc, Close,
the case view closing, quit), and asks (`confirm_discard`) only when something typed cannot
be saved as it stands; while Lock closes it (`closing_for_lock`) it never asks, because
`save_for_lock` has already kept what could not be saved and `restore_after_lock` puts it back.

A window may offer two optional methods:
- `save_for_lock() -> object`: save pending work; whatever it returns (e.g. the page) is
  handed back to
- `restore_after_lock(state)` on the new window after unlock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMessageBox, QWidget

Key = tuple[str, int]


def demo_mark(repo: Any) -> str:
    """ "DEMO — " for a vault of fictional cases, so no window can pass for real work."""
    from app.casework.settings import is_demo

    try:
        return "DEMO (fictional cases) — " if is_demo(repo) else ""
    except Exception:  # a closed vault: no title is worth an error
        return ""


Factory = Callable[[], QWidget]


class CaseWindows:
    def __init__(self) -> None:
        self._open: dict[Key, tuple[QWidget, Factory]] = {}
        self._locked: list[tuple[Key, Factory, Any]] = []

    def open(self, key: Key, factory: Factory) -> QWidget:
        """Show the window for `key`, making it only if none is open."""
        known = self._open.get(key)
        if known is not None:
            window = known[0]
            window.show()
            window.raise_()
            window.activateWindow()
            return window
        window = factory()
        self._open[key] = (window, factory)
        window.destroyed.connect(lambda *_: self._forget(key, window))
        finished = getattr(window, "finished", None)
        if finished is not None:  # dialogs: closing forgets them at once
            finished.connect(lambda *_: self._forget(key, window))
        window.show()
        return window

    def _forget(self, key: Key, window: QWidget) -> None:
        known = self._open.get(key)
        if known is not None and known[0] is window:
            del self._open[key]

    def get(self, key: Key) -> QWidget | None:
        known = self._open.get(key)
        return known[0] if known else None

    def windows(self) -> list[QWidget]:
        return [w for w, _ in self._open.values()]

    def lock(self) -> None:
        """Save, hide and delete every window; remember how to make each again."""
        entries, self._open = list(self._open.items()), {}
        self._locked = []
        for key, (window, factory) in entries:
            save = getattr(window, "save_for_lock", None)
            state = save() if callable(save) else None
            self._locked.append((key, factory, state))
            window.setProperty("closing_for_lock", True)
            window.hide()
            window.close()
            window.deleteLater()
        # delete now: a nested unlock dialog's event loop would not run these deletions
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def close_case(self, case_id: int) -> None:
        """Close every window of one case without asking (the case is being purged)."""
        for key, (window, _factory) in list(self._open.items()):
            if key[1] == case_id:
                del self._open[key]
                window.setProperty("closing_for_lock", True)
                window.close()
                window.deleteLater()

    def restore(self) -> None:
        """After unlock: the same windows again, each where it was."""
        locked, self._locked = self._locked, []
        for key, factory, state in locked:
            window = self.open(key, factory)
            restore = getattr(window, "restore_after_lock", None)
            if callable(restore) and state is not None:
                restore(state)

    def forget_locked(self) -> None:
        """Unlock was cancelled: nothing is reopened."""
        self._locked = []


def owned_by(widget: QWidget, owner: QWidget) -> bool:
    """True when `owner` is among the widget's parents (windows included)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not owner:
        parent = parent.parentWidget()
    return parent is owner


def closing_for_lock(window: QWidget) -> bool:
    """Whether Lock is closing this window (it must not ask anything then)."""
    return bool(window.property("closing_for_lock"))


def confirm_discard(
    parent: QWidget, what: str, advice: str = "Keep editing to put it right, or close and lose it."
) -> bool:
    """Ask before anything typed is lost; True only when the practitioner chooses to lose it.
    Keep editing is the default, so Enter or Esc never loses work."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Not saved")
    box.setText(what)
    box.setInformativeText(advice)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    lose = box.addButton("Close and &lose it", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is lose
