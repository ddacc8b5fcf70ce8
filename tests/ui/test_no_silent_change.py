"""The mouse wheel never changes a value anywhere, focused or not; the page scrolls instead."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository
from app.ui.wizard import AssessmentWizard
from tests.conftest import PASSPHRASE

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)
TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


def wheel(widget: QWidget, steps: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def guarded(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, QComboBox | QAbstractSpinBox)]


def values(root: QWidget) -> list[object]:
    out: list[object] = []
    for w in guarded(root):
        if isinstance(w, QComboBox):
            out.append(w.currentIndex())
        elif isinstance(w, QAbstractSpinBox):
            out.append(w.text())
    return out


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_wheel_over_every_input_of_every_page_changes_nothing(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"].update(name="Test Child Wheel", date_of_birth="2012-05-05")
    record = repo.create_case(tk, data)
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 700)
    wizard.show()
    # a rating already chosen must not move either
    for row in list(wizard.mark_rows.values())[:2]:
        if row.level is not None:
            row.level.setCurrentIndex(2)
    wizard.autosave.flush()
    answers = copy.deepcopy(wizard.answers)
    shown = values(wizard)
    kinds: set[str] = set()
    for page_id in wizard.pageIds():
        while wizard.currentId() < page_id:
            wizard.next()
        page = wizard.page(page_id)
        page.setFocus()
        for widget in guarded(page):
            kinds.add(type(widget).__name__)
            wheel(widget, -1)
            wheel(widget, 1)
            wheel(widget, -3)
    assert wizard.answers == answers
    assert values(wizard) == shown
    assert "QComboBox" in kinds or toolkit != "derby-cre-2020"
    wizard.autosave.flush()
    assert repo.get_assessment(record.id).answers == answers


def test_the_page_scrolls_instead(qtbot: QtBot, registry: Registry, repo: Repository) -> None:
    tk = registry.get("derby-cre-2020")
    record = repo.create_case(tk, new_case(tk, dt.date(2026, 6, 1)))
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 700)
    wizard.show()
    wizard.next()
    page = wizard.currentPage()
    scroll = next(s for s in page.findChildren(QScrollArea) if s.widget() is not None)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0
    combo = next(iter(wizard.mark_rows.values())).level
    assert combo is not None
    page.setFocus()
    wheel(combo, -2)
    assert bar.value() > 0  # scrolled down
    assert combo.currentIndex() == 0
    wizard.activateWindow()
    combo.setFocus()  # rated with a click, then the page scrolled with the pointer over it
    qtbot.waitUntil(combo.hasFocus)
    combo.setCurrentIndex(2)
    before = bar.value()
    wheel(combo, 2)
    assert combo.currentIndex() == 2  # the focused rating did not move
    assert bar.value() < before  # the page scrolled back up instead
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # the keyboard still changes it on purpose
    assert combo.currentIndex() == 1


def test_wheel_over_main_window_and_dialog_inputs_changes_nothing(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from app.ui.actions import ProfileDialog
    from app.ui.case_dialog import CaseDialog
    from app.ui.main_window import MainWindow

    tk = registry.get("bedfordshire-cse")
    record = repo.create_case(tk, new_case(tk, dt.date(2026, 6, 1)))
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.show()
    profile = ProfileDialog(repo, window)
    case = CaseDialog(repo, record.case_id, window)
    for root in (window, profile, case):
        root.show()
        root.setFocus()
        before = values(root)
        assert before
        for widget in guarded(root):
            wheel(widget, -2)
            wheel(widget, 1)
        assert values(root) == before
