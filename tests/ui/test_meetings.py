"""The meeting editor and the statistics window, driven offscreen with pytest-qt."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.casework.meetings import case_facts, list_meetings
from app.forms import Registry
from app.storage import Repository
from app.storage.casefiles import import_cases
from app.ui.main_window import MainWindow
from app.ui.meetings import MeetingsDialog
from tests.casework.support import sign_off
from tests.conftest import PASSPHRASE
from tests.rules.cases import case, tick

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)
TODAY = dt.date(2026, 6, 20)


def _case(registry: Registry, repo: Repository) -> int:
    tk = registry.get("derby-cse-2017")
    data = case(registry, tk.id, identified=tick(tk, "medium"), final="medium")
    data["analysis"] = sign_off(tk, data["assessment_date"])
    data["analysis"]["models_of_cse"] = ["internet_based_cse_contact"]
    return import_cases(repo, registry, data)[0]


def _button(dialog: MeetingsDialog, text: str) -> None:

    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
    button.click()


def test_record_a_meeting_by_keyboard_and_see_problems_named(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = _case(registry, repo)
    dialog = MeetingsDialog(repo, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "initial"  # suggested: no initial meeting yet
    assert "Online via any internet enabled technology" in " ".join(
        w.text() for w in dialog.findChildren(type(dialog.message))
    )  # the models come from the assessment's Section 3, not asked again
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "31/06/2026")
    _button(dialog, "&Save meeting")
    assert "Date of meeting: 31/06/2026 is not a real date" in dialog.message.text()
    assert list_meetings(repo, case_id) == []
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "12/6/2026")
    qtbot.keyClicks(dialog.chair, "Fictional Chair")
    qtbot.keyClick(dialog.young_person, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.views, Qt.Key.Key_Space)
    dialog.level.setCurrentIndex(dialog.level.findData("high"))
    qtbot.keyClicks(dialog.actions_text, "Fictional: refer to the missing team")
    qtbot.keyClicks(dialog.next_meeting, "24/07/2026")
    _button(dialog, "&Save meeting")
    assert dialog.message.text() == "Meeting saved."
    [saved] = list_meetings(repo, case_id)
    assert saved.data["type"] == "initial" and saved.data["young_person_attended"] is True
    assert saved.data["parents_attended"] is False and saved.data["level"] == "high"
    level = dialog.table.item(0, 2)
    assert dialog.table.rowCount() == 1 and level is not None and level.text() == "High"
    day = dialog.table.item(0, 0)
    assert day is not None and day.text() == "12/06/2026"  # shown the UK way, stored ISO
    assert saved.data["date"] == "2026-06-12"
    assert repo.get_case(case_id).review_due == "2026-07-24"  # reviews due
    _button(dialog, "&New meeting")
    assert dialog.kind.currentData() == "first_review"
    dialog.table.selectRow(0)
    assert dialog.chair.text() == "Fictional Chair"
    _button(dialog, "&Delete meeting")
    assert list_meetings(repo, case_id) == []


def test_case_facts_are_saved_from_the_editor(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = _case(registry, repo)
    dialog = MeetingsDialog(repo, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.key_worker.setCurrentIndex(dialog.key_worker.findData("mat"))
    dialog.areas["any_missing"].setChecked(True)
    dialog.areas["self_harm"].setChecked(True)
    qtbot.keyClick(dialog.in_care, Qt.Key.Key_Space)
    assert not [b for b in dialog.findChildren(QPushButton) if "facts" in b.text()]  # no button
    facts = case_facts(repo, case_id)
    assert facts["key_worker"] == "mat" and facts["in_care_due_to_exploitation"] is True
    assert facts["priority_areas"] == ["self_harm", "any_missing"]  # in the report's order


def test_main_window_lists_meetings_beside_assessments(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from app.casework.meetings import record_meeting
    from tests.stats.fictional import meeting

    case_id = _case(registry, repo)
    record_meeting(
        repo, case_id, meeting("initial", "2026-06-12", "high", True, True, True), today=TODAY
    )
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    assert "Meetings and case facts" in window.actions_by_name
    window.table.selectRow(0)
    texts = [window.details.item(i).text() for i in range(window.details.count())]
    assert "Meeting: Initial CSE meeting — High — 12/06/2026" in texts
    assert "meeting 12/06/2026: high" in window.chronology.chart.accessibleDescription()


def test_case_dialog_does_not_ask_again_for_models_the_toolkit_asked(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from app.ui.case_dialog import CaseDialog

    case_id = _case(registry, repo)  # 2017 toolkit, Section 3: internet based CSE
    dialog = CaseDialog(repo, case_id)
    qtbot.addWidget(dialog)
    online = dialog.models["online"]
    assert online.isChecked() and not online.isEnabled()
    enabled = {key for key, box in dialog.models.items() if box.isEnabled()}
    # only what the 2017 Section 3 list cannot record is asked here, as a case fact
    assert enabled == {"offline_street_grooming", "risk_taking", "organised", "other"}
    dialog.models["risk_taking"].setChecked(True)
    dialog.save()
    assert repo.case_details(case_id)["models_of_abuse"] == ["risk_taking"]  # online: asked once
    meetings = MeetingsDialog(repo, case_id, today=TODAY)
    qtbot.addWidget(meetings)
    shown = " ".join(w.text() for w in meetings.findChildren(type(meetings.message)))
    assert "Online via any internet enabled technology" in shown
    assert "Risk taking making a young person vulnerable to CSE" in shown
