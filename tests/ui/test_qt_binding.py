"""The Qt binding keeps Python's reference counts.

PySide6-Essentials 6.12.0 dropped a reference to None on every call of a Qt method that
returns nothing (setText, processEvents...) and to True on every `emit()` from Python,
so a running app died ("Fatal Python error: none_dealloc") after some tens of thousands
of such calls: minutes of ordinary use. pyproject.toml excludes that version; this test
fails (rather than crashing the run) on any binding that does it again.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

CALLS = 500  # far below None's and True's reference counts: a leak fails, never crashes


class _Source(QObject):
    changed = Signal(int)


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    source = _Source()
    heard: list[int] = []
    source.changed.connect(heard.append)
    gc.collect()
    none, true = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(CALLS):
        label.setText(f"Fictional {i}")
        source.changed.emit(i)
    gc.collect()
    assert len(heard) == CALLS
    assert abs(sys.getrefcount(None) - none) < CALLS // 5
    assert abs(sys.getrefcount(True) - true) < CALLS // 5
