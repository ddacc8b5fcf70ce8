"""Plans, case facts and a meeting being typed survive every way of closing: X, Esc, Close
and Lock. Nothing typed is discarded without the practitioner saying so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.casework import meetings as casework
from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from app.ui.main_window import MainWindow
from app.ui.meetings import MeetingsDialog
from app.ui.plans import PlansDialog, load_plans
from tests.helpers.vaults import new_vault
from tests.helpers.windows import close_quietly

PASS = "fictional close passphrase"


@pytest.fixture()
def window(qtbot: QtBot, registry: Registry, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "close.cre"
    vault = new_vault(path, PASS)
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Closeone"
    Repository(vault).create_case(tk, data)
    main = MainWindow(registry, vault, relock=lambda: Vault.open(path, PASS))
    qtbot.addWidget(main, before_close_func=close_quietly)  # may hold an invalid date
    main.show()
    main.table.selectRow(0)
    yield main
    close_quietly(main)  # qtbot did this before closing it; harmless again
    main.vault.close()


def open_plans(main: MainWindow) -> PlansDialog:
    main.plans()
    return next(w for w in main.windows.windows() if isinstance(w, PlansDialog))


def open_meetings(main: MainWindow) -> MeetingsDialog:
    main.meetings()
    return next(w for w in main.windows.windows() if isinstance(w, MeetingsDialog))


def type_plans(plans: PlansDialog) -> str:
    first = next(iter(plans.options))
    check, lead, _progress = plans.options[first]
    check.setChecked(True)
    lead.setText("Fictional Lead Person")
    row = plans.table.add_row(["Safe at home", "Weekly visits", "Fictional SW", "4 weeks", ""])
    assert row == 0
    return first


@pytest.mark.parametrize("how", ["x", "esc", "close-button"])
def test_plans_closed_any_way_keep_ticks_and_rows(
    qtbot: QtBot, window: MainWindow, how: str
) -> None:
    plans = open_plans(window)
    option = type_plans(plans)  # closed at once: no time for the autosave timer
    if how == "x":
        plans.close()
    elif how == "esc":
        qtbot.keyClick(plans, Qt.Key.Key_Escape)
    else:
        next(b for b in plans.findChildren(QPushButton) if b.text().endswith("Close")).click()
    assert not plans.isVisible()
    case_id = window.selected_case().id  # type: ignore[union-attr]
    stored = load_plans(window.repo, case_id)
    assert stored["disruption_plan"][option]["chosen"] is True
    assert stored["disruption_plan"][option]["lead_person"] == "Fictional Lead Person"
    assert stored["support_plan"]["rows"][0]["outcome"] == "Safe at home"
    again = open_plans(window)
    assert again.options[option][0].isChecked()
    item = again.table.item(0, 1)
    assert isinstance(item, QTableWidgetItem) and item.text() == "Weekly visits"


def test_plans_save_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    plans = open_plans(window)
    option = type_plans(plans)
    case_id = window.selected_case().id  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: load_plans(window.repo, case_id)["disruption_plan"].get(option) is not None,
        timeout=3000,
    )
    assert plans.message.text() == "All changes saved."


def keep_editing_when_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every question is answered Keep editing; the list fills with what was asked."""
    asked: list[str] = []

    def keep_editing(box: QMessageBox) -> int:
        asked.append(box.text())
        next(b for b in box.buttons() if "Keep editing" in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", keep_editing)
    return asked


def test_a_bad_review_date_is_never_lost_without_asking(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = open_plans(window)
    option = type_plans(plans)
    plans.review_date.edit.setText("31/02/2027")
    asked = keep_editing_when_asked(monkeypatch)
    plans.close()
    assert plans.isVisible() and asked and "31/02/2027" in asked[0]
    case_id = window.selected_case().id  # type: ignore[union-attr]
    assert load_plans(window.repo, case_id)["disruption_plan"][option]["chosen"] is True

    def lose_it(box: QMessageBox) -> int:
        next(b for b in box.buttons() if "lose it" in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", lose_it)
    plans.close()
    assert not plans.isVisible()


def test_case_facts_and_a_meeting_being_typed_survive_close(
    qtbot: QtBot, window: MainWindow
) -> None:
    meetings = open_meetings(window)
    meetings.areas["gangs"].setChecked(True)
    meetings.areas["any_missing"].setChecked(True)
    qtbot.keyClicks(meetings.chair, "Fictional Chair")
    meetings.close()  # X, without pressing any Save button
    case_id = window.selected_case().id  # type: ignore[union-attr]
    facts = casework.case_facts(window.repo, case_id)
    assert set(facts["priority_areas"]) == {"gangs", "any_missing"}
    [saved] = casework.list_meetings(window.repo, case_id)
    assert saved.data["chair"] == "Fictional Chair"
    again = open_meetings(window)
    assert again.areas["gangs"].isChecked() and again.table.rowCount() == 1


def test_lock_keeps_a_meeting_that_cannot_be_saved_yet_and_asks_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    meetings = open_meetings(window)
    meetings.areas["self_harm"].setChecked(True)
    meetings.date.clear()
    qtbot.keyClicks(meetings.date, "31/06/2026")  # not a real date: cannot be saved
    qtbot.keyClicks(meetings.chair, "Fictional Chair Two")
    window.lock()  # the conftest fails the test if anything asks
    restored = next(w for w in window.windows.windows() if isinstance(w, MeetingsDialog))
    assert restored.date.text() == "31/06/2026"
    assert restored.chair.text() == "Fictional Chair Two"
    assert "not saved yet" in restored.message.text()
    assert casework.case_facts(window.repo, restored.case_id)["priority_areas"] == ["self_harm"]


def test_lock_forgets_text_copied_from_the_app_and_is_always_in_a_menu(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtGui import QGuiApplication

    window.activateWindow()
    qtbot.waitUntil(
        lambda: QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
    )
    QGuiApplication.clipboard().setText("Test Child Closeone")
    from PySide6.QtWidgets import QMenu

    menus = [m for m in window.menuBar().findChildren(QMenu)]
    lock = [a for m in menus for a in m.actions() if a.text().replace("&", "") == "Lock"]
    assert lock and lock[0].shortcut().toString() == "Ctrl+Shift+L"
    lock[0].trigger()
    assert QGuiApplication.clipboard().text() == ""


def test_enter_twice_opens_one_case_window(qtbot: QtBot, window: MainWindow) -> None:
    from app.ui.case_view import CaseView

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    views = [w for w in window.windows.windows() if isinstance(w, CaseView)]
    assert len(views) == 1


def test_the_side_panel_shows_an_assessment_once_it_is_completed(
    qtbot: QtBot, window: MainWindow, registry: Registry
) -> None:
    from tests.casework.support import complete_case

    case = window.selected_case()
    assert case is not None
    record = window.repo.assessments(case.id)[-1]
    assert window.chronology.chart.points == []  # a draft: "No assessments yet"
    data = complete_case(registry, "derby-cre-2020")
    window.repo.save_draft(record.id, data)
    window.repo.complete(record.id, "medium", None)
    window.reload()  # what the wizard's completed signal does
    assert [level for _d, level in window.chronology.chart.points] == ["medium"]
    texts = [window.details.item(i).text() for i in range(window.details.count())]
    assert any("completed" in t for t in texts)


def test_the_toolkit_picker_remembers_the_practitioners_choice(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    offered: list[tuple[list[str], int]] = []

    def pick(
        parent: object, title: str, label: str, names: list[str], start: int, editable: bool
    ) -> tuple[str, bool]:
        offered.append((names, start))
        wanted = next(n for n in names if n.startswith("Derby & Derbyshire CRE"))
        return (wanted if len(offered) == 1 else names[start]), True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    window.new_assessment()
    window.new_assessment()
    names, start = offered[1]
    assert names[start].startswith("Derby & Derbyshire CRE")  # not the first in the list
    assert offered[0][1] == 0


def test_quitting_closes_every_window_by_its_rules_before_the_vault_closes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the main window (quitting) closes the assessment and the plans first, while
    the vault is open: a pending edit is saved, not left in a window the vault closes under;
    a window that asks and is kept open keeps the program open."""
    from app.ui.wizard import AssessmentWizard

    case_id = window.selected_case().id  # type: ignore[union-attr]
    draft = window.repo.open_draft(case_id)
    assert draft is not None
    wizard = window.open_wizard(draft.id)
    assert isinstance(wizard, AssessmentWizard)
    wizard.editors["child.name"].set_value("Test Child Closeone Edited")  # pending autosave
    plans = open_plans(window)
    option = type_plans(plans)
    plans.review_date.edit.setText("31/02/2027")  # cannot be saved: asked about
    asked = keep_editing_when_asked(monkeypatch)
    window.close()
    assert window.isVisible() and plans.isVisible() and asked  # the program stays open
    assert load_plans(window.repo, case_id)["disruption_plan"][option]["chosen"] is True
    plans.review_date.edit.setText("01/03/2027")  # put right
    window.close()
    assert not window.isVisible() and not wizard.isVisible() and not plans.isVisible()
    assert window.vault.is_open  # the windows closed first; the vault is closed last
    assert window.repo.get_assessment(draft.id).answers["child"]["name"] == (
        "Test Child Closeone Edited"
    )
    assert load_plans(window.repo, case_id)["support_plan"]["review_date"] == "2027-03-01"
