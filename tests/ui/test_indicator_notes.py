"""A note on every indicator of every toolkit, collapsed until used; the 2020 "Other" row's
text can be written; changing a tick or a rating keeps the note (an imported one too)."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository
from app.ui.wizard import AssessmentWizard
from tests.conftest import PASSPHRASE

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)


@pytest.mark.parametrize("toolkit", ["derby-cse-2017", "derby-cre-2020"])
def test_every_indicator_has_a_note_that_survives_a_change_of_mark(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    data = new_case(tk, dt.date(2026, 6, 1))
    first = tk.section1_items[0]
    imported: dict[str, object] = {"note": "Fictional: seen at the fictional park twice"}
    if tk.marking == "cce_cse_level":
        imported.update(cce=True, cse=False, level="M")
    else:
        imported.update(risk=True, evidenced=False)
    data["section1"][first.id] = imported
    record = repo.create_case(tk, data)
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    assert all(row.note is not None for row in wizard.mark_rows.values())
    row = wizard.mark_rows[first.id]
    assert row.note is not None and row.note.toPlainText() == imported["note"]
    assert not row.note.isHidden()  # an imported note is shown
    other = next(r for i, r in wizard.mark_rows.items() if i != first.id)
    assert other.note is not None and other.note.isHidden()  # collapsed until used
    # change the marks: the note stays
    next(iter(row.boxes.values())).setChecked(False)
    if row.level is not None:
        row.level.setCurrentIndex(row.level.findData("H"))
    wizard.autosave.flush()
    saved = repo.get_assessment(record.id).answers["section1"][first.id]
    assert saved["note"] == imported["note"]


def test_the_2020_other_row_can_be_expanded_and_then_completes(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    tk = registry.get("derby-cre-2020")
    other = next(i for i in tk.section1_items if i.other)
    from tests.casework.support import complete_case

    record = repo.create_case(tk, complete_case(registry, tk.id))  # only "Other" is missing
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    row = wizard.mark_rows[other.id]
    next(iter(row.boxes.values())).setChecked(True)
    assert row.note is not None and not row.note.isHidden()  # opened on ticking
    wizard._mark_changed(other.id)
    assert any(p.field == f"section1.{other.id}.note" for p in wizard.problems())
    wizard.jump_to(f"section1.{other.id}.note")
    row.note.setPlainText("Fictional: carrying money for an older man")
    wizard.autosave.flush()
    assert not any(p.field == f"section1.{other.id}.note" for p in wizard.problems())
    saved = repo.get_assessment(record.id).answers["section1"][other.id]
    assert saved["note"] == "Fictional: carrying money for an older man"
