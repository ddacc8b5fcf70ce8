"""UK dates at the field, errors beside the field in its words, and a summary that stays."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository
from app.ui.dates import DateProblem, parse_date
from app.ui.fields import DateEditor
from app.ui.wizard import AssessmentWizard
from tests.conftest import PASSPHRASE

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)


@pytest.mark.parametrize(
    "typed", ["14/09/2013", "14-9-2013", "2013-09-14", "14.09.2013", " 14/9/2013 "]
)
def test_uk_and_iso_forms_mean_the_same_day(typed: str) -> None:
    assert parse_date(typed) == dt.date(2013, 9, 14)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/2013", "31/02/2013 is not a real date"),
        ("14/09/13", "write the year in full"),
        ("next tuesday", "write it as dd/mm/yyyy"),
        ("01/01/1850", "outside 1900 to 2100"),
    ],
)
def test_impossible_dates_are_refused_in_words(typed: str, words: str) -> None:
    with pytest.raises(DateProblem, match=words):
        parse_date(typed)


def make(qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str) -> AssessmentWizard:
    tk = registry.get(toolkit)
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Dates"
    record = repo.create_case(tk, data)
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_a_uk_date_is_stored_iso_and_shown_uk(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = make(qtbot, registry, repo, "derby-cre-2020")
    editor = wizard.editors["child.date_of_birth"]
    assert isinstance(editor, DateEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "14/09/2013")
    wizard.autosave.flush()
    assert repo.get_assessment(wizard.assessment_id).answers["child"]["date_of_birth"] == (
        "2013-09-14"
    )
    assert wizard.summary.chip.text().startswith("Suggested")
    editor.edit.setText("14-9-2013")
    editor.edit.editingFinished.emit()
    assert editor.edit.text() == "14/09/2013"  # tidied to dd/mm/yyyy once typed
    # the calendar pop-up fills the field
    editor.date.pop_up()
    calendar = editor.date.calendar
    assert calendar is not None and calendar.isVisible()
    calendar.setSelectedDate(calendar.selectedDate().addDays(1))
    calendar.activated.emit(calendar.selectedDate())
    assert editor.edit.text() == "15/09/2013"
    assert wizard.answers["child"]["date_of_birth"] == "2013-09-15"


def test_a_bad_date_is_named_beside_the_field(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = make(qtbot, registry, repo, "derby-cre-2020")
    editor = wizard.editors["child.date_of_birth"]
    assert isinstance(editor, DateEditor)
    editor.edit.setText("31/02/2013")
    assert editor.error is not None and editor.error.isVisibleTo(wizard)
    assert editor.error.text() == f"{editor.visible_label}: 31/02/2013 is not a real date"
    wizard.autosave.flush()  # the draft still saves what was typed
    assert repo.get_assessment(wizard.assessment_id).answers["child"]["date_of_birth"] == (
        "31/02/2013"
    )
    editor.edit.setText("14/09/2013")
    assert not editor.error.isVisibleTo(wizard)


def test_a_bad_optional_field_keeps_the_summary(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = make(qtbot, registry, repo, "derby-cre-2020")
    wizard.editors["child.date_of_birth"].set_value("2013-09-14")
    tk = registry.get("derby-cre-2020")
    wizard.mark_rows[tk.section1_items[0].id].boxes["cce"].setChecked(True)
    before = wizard.summary.chip.text()
    assert before.startswith("Suggested")
    optional = next(
        path
        for path, e in wizard.editors.items()
        if isinstance(e, DateEditor) and not e.field.required
    )
    bad = wizard.editors[optional]
    assert isinstance(bad, DateEditor)
    bad.edit.setText("31/02/2026")
    assert wizard.summary.chip.text() == before  # the summary stays
    assert f"{bad.visible_label}: 31/02/2026 is not a real date" in wizard.summary.body.text()
    wizard.jump_to("final_level")
    listed = [
        wizard.finish_page.missing.item(i).text() for i in range(wizard.finish_page.missing.count())
    ]
    assert f"{bad.visible_label}: 31/02/2026 is not a real date" in listed
    assert not any("child." in t or "analysis." in t for t in listed)  # visible words only


def test_required_fields_carry_their_state_in_the_wizard(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from PySide6.QtWidgets import QLabel

    from app.ui.fields import REQUIRED, REQUIRED_LEGEND

    wizard = make(qtbot, registry, repo, "derby-cre-2020")
    required = [e for e in wizard.editors.values() if e.field.required]
    assert required, "the toolkit marks no field required"
    for editor in wizard.editors.values():
        described = editor.focus_widget().accessibleDescription()
        assert described.endswith(REQUIRED) == editor.field.required, editor.field.label
    assert REQUIRED_LEGEND in [label.text() for label in wizard.findChildren(QLabel)]
