"""The wizard shows what the rules derive: the toolkit's step order, conditions from the
form, notes for the conditions that hold, and only the toolkit's own levels."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository
from tests.ui.test_wizard import open_wizard


def test_portsmouth_pages_follow_the_toolkits_steps(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "portsmouth-cse-2016")
    assert wizard.page_of["section2"] < wizard.page_of["section1"] < wizard.page_of["section3"]

    def heading() -> str:  # each page shows its title in its own focusable heading
        label = wizard.currentPage().findChild(QLabel, "page_heading")
        assert label is not None
        return label.text()

    wizard.next()
    assert heading().startswith("Step 2: Identify Underlying Vulnerability")
    wizard.next()
    assert heading().startswith("Step 3: Complete the Risk Factors Matrix")


def test_bedfordshire_factor_shows_as_a_condition_and_its_floor_note(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "bedfordshire-cse")
    wizard.answers["child"].update(name="Test Child Alpha", date_of_birth="2012-01-15")
    wizard.refresh()
    assert wizard.derived.text() == ""
    notes = {
        label.text(): label
        for label in wizard.finish_page.findChildren(type(wizard.derived))
        if label.property("applies_when")
    }
    looked_after = notes["No Looked after child or young person can be categorised as LOW"]
    leaving_care = notes["No leaving and After Care young person can be categorised as LOW"]
    assert looked_after.isHidden() and leaving_care.isHidden()
    wizard.factor_rows["looked_after"].editors["ticked"].set_value(True)
    assert wizard.answers["section2"]["looked_after"]["ticked"] is True
    assert "Looked after: \"C/YP 'Looked After'\" is ticked" in wizard.derived.text()
    assert not looked_after.isHidden() and leaving_care.isHidden()
    radios = wizard.finish_page.radios
    assert "exploited" not in radios  # the toolkit has no such level
    assert radios["none"].text() == "No risk identified"
