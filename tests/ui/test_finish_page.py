"""The finish page: what is still to do comes first; each toolkit quotation once; one
wording for "no risk identified"; a click on a Still-to-do line only selects it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.forms import NO_RISK_LABEL, Registry
from app.rules import new_case
from app.storage import Repository
from app.ui.levels import word
from app.ui.wizard import AssessmentWizard
from tests.conftest import PASSPHRASE
from tests.rules.cases import tick

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)


def high_wizard(qtbot: QtBot, registry: Registry, repo: Repository) -> AssessmentWizard:
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"].update(name="Test Child Finish", date_of_birth="2011-05-05")
    data["section1"] = tick(tk, None, 3, rating="H")
    record = repo.create_case(tk, data)
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 700)
    wizard.show()
    while wizard.currentPage() is not wizard.finish_page:
        wizard.next()
    wizard.finish_page.refresh()
    return wizard


def test_still_to_do_comes_before_everything_else(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    page = high_wizard(qtbot, registry, repo).finish_page
    assert page.missing.count() > 0 and page.missing.isVisible()
    others = [page.radios["high"].parentWidget(), page.outcome, *page.notes]
    top = page.missing.mapTo(page, QPoint(0, 0)).y()
    shown = [w for w in others if w is not None and w.isVisible()]
    assert shown and all(top < w.mapTo(page, QPoint(0, 0)).y() for w in shown)


def test_each_quotation_is_shown_once(qtbot: QtBot, registry: Registry, repo: Repository) -> None:
    page = high_wizard(qtbot, registry, repo).finish_page
    shown = " ".join(page.outcome.text().split())
    for note in page.notes:
        if " ".join(note.text().split()) in shown:
            assert not note.isVisible(), note.text()[:60]
    text = [page.outcome.text(), *(n.text() for n in page.notes if n.isVisible())]
    quote = "within 24 hours of completion"
    assert sum(t.count(quote) for t in text) == 1


def test_one_wording_for_no_risk_identified() -> None:
    assert word("none") == NO_RISK_LABEL == "No risk identified"


def test_a_click_on_still_to_do_only_selects_and_enter_goes_there(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = high_wizard(qtbot, registry, repo)
    page = wizard.finish_page
    items = [page.missing.item(i) for i in range(page.missing.count())]
    item = next(
        i
        for i in items
        if i is not None and i.data(Qt.ItemDataRole.UserRole).startswith("analysis")
    )  # a field on another page
    rect = page.missing.visualItemRect(item)
    qtbot.mouseClick(page.missing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wizard.currentPage() is page  # a single click moved nothing
    page.missing.setCurrentItem(item)
    qtbot.keyClick(page.missing, Qt.Key.Key_Return)
    assert wizard.currentPage() is not page  # activation goes to the field
