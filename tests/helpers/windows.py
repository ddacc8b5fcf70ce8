"""Ending a UI test whose windows still hold what cannot be saved (an invalid date left on
purpose): quitting the main window now closes every window by its own rules, which would
ask; the test's end closes them as Lock does, without asking."""

from __future__ import annotations

from typing import Any


def close_quietly(main: Any) -> None:
    """`before_close_func` for `qtbot.addWidget(main, ...)`: every window the main window
    opened is closed as Lock closes it (saved where it can be, never asking)."""
    for window in list(main.windows.windows()):
        window.setProperty("closing_for_lock", True)
        window.close()
