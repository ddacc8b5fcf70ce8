"""Case details: the models of abuse read down two columns where the width allows, one
where it does not, with nothing cut off and the Tab order reading the list in its order.

At 150% on a 1366x768 screen the single column of twelve models made the window as tall
as the screen; in two columns it fits with room to spare (tests/ui/layout_probe.py checks
it does not scroll there)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository
from app.ui.case_dialog import CaseDialog
from tests.ui.overlap import layout_faults


def open_details(qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str) -> CaseDialog:
    tk = registry.get(toolkit)
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Columns"
    case_id = repo.create_case(tk, data).case_id
    dialog = CaseDialog(repo, case_id, None, tk.short_title)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def columns(dialog: CaseDialog) -> list[list[str]]:
    """The models as shown: each column's labels, top to bottom."""
    found: dict[int, list[tuple[int, str]]] = {}
    for box in dialog.models.values():
        found.setdefault(box.x(), []).append((box.y(), box.text()))
    return [[text for _y, text in sorted(found[x])] for x in sorted(found)]


def tabbed(qtbot: QtBot, start: QWidget, count: int) -> list[QWidget | None]:
    """The widgets Tab reaches from `start`, pressed `count` times, as the practitioner
    would. (Walking Qt's focus chain instead wrapped widgets Qt makes inside combo boxes
    and scroll areas, and PySide crashed once Qt deleted them.)"""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    reached: list[QWidget | None] = [start]
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    return reached


@pytest.mark.parametrize("toolkit", ["derby-cre-2020", "derby-cse-2017"])
def test_the_models_reflow_by_width_and_read_in_their_order(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str
) -> None:
    dialog = open_details(qtbot, registry, repo, toolkit)
    labels = [box.text() for box in dialog.models.values()]
    half = -(-len(labels) // 2)
    assert columns(dialog) == [labels[:half], labels[half:]]  # down the first, then the next
    assert layout_faults(dialog) == []
    assert all(not box.visibleRegion().isEmpty() for box in dialog.models.values())  # no scroll
    dialog.resize(dialog.minimumSizeHint().width(), dialog.height())  # narrowed by hand
    QApplication.processEvents()
    assert columns(dialog) == [labels]
    assert layout_faults(dialog) == []
    dialog.resize(dialog.width() * 3, dialog.height())
    QApplication.processEvents()
    assert len(columns(dialog)) == 2  # two at most: a list, not a table
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    asked = [box for box in dialog.models.values() if box.isEnabled()]
    # Tab reads the models in the list's order (down each column), then the closure
    expected = [*asked, dialog.reason, dialog.closed_on.edit]
    assert tabbed(qtbot, asked[0], len(expected) - 1) == expected
