"""A Bedfordshire assessment completed with the keyboard alone, counting Tab presses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from app.casework import start_case
from app.casework.prefill import prefill
from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.wizard import AssessmentWizard

PASS = "fictional ui passphrase"


class Keys:
    """Presses keys on whatever has focus, as a keyboard would, and counts the Tabs."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.tabs = qtbot, 0

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self.focus, key, modifier)

    def tab_to(self, wanted: type, limit: int = 12) -> QWidget:
        for _ in range(limit):
            self.press(Qt.Key.Key_Tab)
            self.tabs += 1
            if isinstance(self.focus, wanted):
                return self.focus
        raise AssertionError(f"no {wanted.__name__} within {limit} Tabs")

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus, text)


def test_bedfordshire_by_keyboard_with_few_tabs(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    vault = Vault.create(tmp_path / "keys.cre", PASS)
    repo = Repository(vault)
    repo.set_setting("profile", {"name": "Test Practitioner", "agency": "Test Agency"})
    record = prefill(repo, registry, start_case(repo, registry, "bedfordshire-cse"))
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    keys = Keys(qtbot)
    assert isinstance(keys.focus, QLabel)  # the page's heading, read first
    # child details: the assessment date is filled; the name and date of birth follow it
    keys.tab_to(QWidget)  # assessment date
    while keys.focus is not wizard.editors["child.name"].focus_widget():
        keys.tab_to(QWidget)
    keys.type("Test Child Keyboard")
    while keys.focus is not wizard.editors["child.date_of_birth"].focus_widget():
        keys.tab_to(QWidget)
    keys.type("14/09/2010")
    # Section 1's High group from the page index (F6), not by tabbing through 36 boxes
    keys.press(Qt.Key.Key_F6)
    index = wizard.index
    assert keys.focus is index
    titles = [index.item(i).text().strip() for i in range(index.count())]
    keys.press(Qt.Key.Key_Home)
    for _ in range(titles.index("High Risk")):
        keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Return)
    box = keys.focus
    assert isinstance(box, QCheckBox)
    keys.press(Qt.Key.Key_Space)
    assert box.isChecked()
    keys.tab_to(QCheckBox)  # the next High indicator: one Tab
    keys.press(Qt.Key.Key_Space)
    assert wizard.summary.chip.text() == "Suggested: High Risk"
    # the finish page, from the index again
    keys.press(Qt.Key.Key_F6)
    keys.press(Qt.Key.Key_End)
    keys.press(Qt.Key.Key_Return)
    assert wizard.currentId() == wizard.page_of["finish"]
    radio = keys.tab_to(QRadioButton)
    while not (
        isinstance(keys.focus, QRadioButton) and keys.focus is wizard.finish_page.radios["high"]
    ):
        keys.press(Qt.Key.Key_Right)
    keys.press(Qt.Key.Key_Space)
    assert wizard.answers["final_level"] == "high" and radio is not None
    assert wizard.problems() == []
    with qtbot.waitSignal(wizard.completed, timeout=5000):
        keys.press(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # &Complete assessment
    assert repo.get_assessment(record.id).status == "completed"
    section1_boxes = len(registry.get("bedfordshire-cse").section1_items)
    assert keys.tabs < section1_boxes // 2, keys.tabs  # far fewer than one Tab per tick box
    print(f"Tab presses for a whole Bedfordshire assessment: {keys.tabs}")
    vault.close()


def test_no_invisible_tab_stops_calendar_by_key_and_arrows_choose_the_level(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QAbstractScrollArea, QCalendarWidget, QToolButton

    vault = Vault.create(tmp_path / "keys2.cre", PASS)
    repo = Repository(vault)
    record = prefill(repo, registry, start_case(repo, registry, "derby-cre-2020"))
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    keys = Keys(qtbot)
    # the first Tab from the page's heading reaches a field: nothing invisible in between
    keys.press(Qt.Key.Key_Tab)
    assert not isinstance(keys.focus, QLabel | QAbstractScrollArea), type(keys.focus)
    assert keys.focus.isVisible()
    # no calendar button is a Tab stop: ten Tabs never land on one
    for _ in range(10):
        assert not isinstance(keys.focus, QToolButton) or keys.focus.text() != "Calendar…"
        keys.press(Qt.Key.Key_Tab)
    # the calendar opens from the date field itself
    dob = wizard.editors["child.date_of_birth"].focus_widget()
    dob.setFocus()
    qtbot.waitUntil(dob.hasFocus)
    keys.press(Qt.Key.Key_F4)
    calendars = [c for c in wizard.findChildren(QCalendarWidget) if c.isVisible()]
    assert calendars
    calendars[0].close()
    # arrow keys choose the final level, not only move between the buttons
    while wizard.currentPage() is not wizard.finish_page:
        wizard.next()
    radios = wizard.finish_page.radios
    first = next(r for r in radios.values() if r.isEnabled())
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    keys.press(Qt.Key.Key_Right)
    chosen = [value for value, r in radios.items() if r.isChecked()]
    assert len(chosen) == 1 and wizard.answers["final_level"] == chosen[0]
    assert radios[chosen[0]] is not first and radios[chosen[0]].hasFocus()
    # the wizard closes (its autosave flushed) before the vault does: closing the vault
    # first left the last edit unsaveable and the teardown waited out two 5 s flushes
    wizard.close()
    assert not wizard.autosave.pending
    vault.close()
