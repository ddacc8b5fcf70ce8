"""Reviews dated today, one draft per case, Discard draft, a cancelled new case, read-only
views and a practitioner pre-filled from the profile, all through the real main window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.main_window import MainWindow
from app.ui.wizard import AssessmentWizard
from tests.conftest import PASSPHRASE
from tests.documents.test_documents import full_case

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)


def window_for(qtbot: QtBot, registry: Registry, repo: Repository) -> MainWindow:
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.show()
    return window


def choose_toolkit(monkeypatch: pytest.MonkeyPatch, registry: Registry, toolkit: str) -> None:
    title = registry.get(toolkit).short_title
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (title, True))


def test_a_cancelled_new_case_disappears_and_is_not_counted(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, registry, repo)
    choose_toolkit(monkeypatch, registry, "bedfordshire-cse")
    window.new_assessment()
    assert window.table.rowCount() == 1
    wizard = window.wizard
    assert wizard is not None
    wizard.reject()  # Cancel before typing a name
    assert window.table.rowCount() == 0
    assert repo.count_cases() == 0
    assert all(c.status != "draft" for c in repo.list_cases())


def test_new_case_prefills_the_practitioner_and_titles_name_the_child(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.set_setting(
        "profile", {"name": "Test Practitioner", "post": "Social Worker", "agency": "Test Agency"}
    )
    window = window_for(qtbot, registry, repo)
    choose_toolkit(monkeypatch, registry, "derby-cre-2020")
    window.new_assessment()
    wizard = window.wizard
    assert wizard is not None
    assert wizard.editors["analysis.practitioner_name"].value() == "Test Practitioner"
    assert wizard.editors["analysis.date_completed"].value() == dt.date.today().isoformat()
    assert wizard.answers["practitioner"]["name"] == "Test Practitioner"
    wizard.editors["child.name"].set_value("Test Child Titled")
    assert wizard.windowTitle().startswith("Test Child Titled — ")
    assert registry.get("derby-cre-2020").short_title in wizard.windowTitle()
    wizard.reject()  # a named draft is kept
    assert repo.count_cases() == 1
    window.reload()
    window.table.selectRow(0)
    window.plans()
    window.case_details()
    titles = [w.windowTitle() for w in window.windows.windows()]
    assert all("Test Child Titled" in t for t in titles) and len(titles) == 2
    for w in window.windows.windows():
        w.close()


def test_review_is_dated_today_one_draft_per_case_and_completed_opens_read_only(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.casework import complete

    tk = registry.get("bedfordshire-cse")
    data = full_case(registry, tk.id)
    data["assessment_date"] = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    data["analysis"].update(
        person_completing="Test Practitioner", date_completed=data["assessment_date"]
    )
    record = repo.create_case(tk, data)
    complete(repo, registry, record.id)
    window = window_for(qtbot, registry, repo)
    window.table.selectRow(0)
    window.start_review()
    review = window.wizard
    assert review is not None and review.assessment_id != record.id
    assert review.answers["assessment_date"] == dt.date.today().isoformat()
    assert review.editors["assessment_date"].value() == dt.date.today().isoformat()
    window.table.selectRow(0)
    window.start_review()  # a second review while the first is open: the same window
    assert window.wizard is review
    drafts = [a for a in repo.assessments(record.case_id) if a.status == "draft"]
    assert len(drafts) == 1
    # the completed assessment opens to read, not to edit
    window.show_details()
    item = next(
        window.details.item(i)
        for i in range(window.details.count())
        if "completed" in window.details.item(i).text()
    )
    window.details.itemActivated.emit(item)
    view = next(
        w
        for w in window.windows.windows()
        if isinstance(w, AssessmentWizard) and w.assessment_id == record.id
    )
    assert view.read_only and "read only" in view.windowTitle()
    name = view.editors["child.name"]
    assert name.focus_widget().isReadOnly()  # type: ignore[attr-defined]
    before = repo.get_assessment(record.id).answers
    view.close()
    assert repo.get_assessment(record.id).answers == before
    # Discard draft: confirmed, audited, the case stays (it has a completed assessment)
    review.close()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.table.selectRow(0)
    window.actions_by_name["Discard draft"].trigger()
    statuses = [str(a.status) for a in repo.assessments(record.case_id)]
    assert "draft" not in statuses and "discarded" in statuses and "completed" in statuses
    actions = [r[0] for r in repo.vault.pragma("SELECT action FROM audit ORDER BY id")]
    assert any("discard" in a for a in actions)
    assert window.table.rowCount() == 1


def test_search_ignores_case_and_accents_even_in_an_older_vault(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from sqlalchemy import select

    from app.rules import new_case
    from app.storage.models import CaseRow

    tk = registry.get("bedfordshire-cse")
    for name in ("Test Zoë Example", "Test Łukasz Sample", "Test Siobhán Ní Bhriain", "Test Ada"):
        data = new_case(tk, dt.date(2026, 6, 1))
        data["child"]["name"] = name
        repo.create_case(tk, data)
    with repo.vault.session() as s:  # a key written by the old accent-keeping rule
        case = s.scalars(select(CaseRow).order_by(CaseRow.id)).first()
        assert case is not None
        case.name_key = case.child_name.casefold()
    window = window_for(qtbot, registry, repo)
    for typed, found in (
        ("zoe", "Test Zoë Example"),
        ("LUKASZ", "Test Łukasz Sample"),
        ("siobhan ni", "Test Siobhán Ní Bhriain"),
    ):
        window.search.setText(typed)
        shown = [window.table.item(r, 0).text() for r in range(window.table.rowCount())]  # type: ignore[union-attr]
        assert shown == [found], typed


def test_first_run_demo_in_one_click_is_marked_demo_everywhere(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    from app.ui.unlock import UnlockDialog

    dialog = UnlockDialog(tmp_path / "vault.cre")
    qtbot.addWidget(dialog)
    assert dialog.creating and dialog.demo.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)
    assert dialog.vault is not None and dialog.vault.path == tmp_path / "demo.cre"
    window = MainWindow(registry, dialog.vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.show()
    assert "DEMO" in window.windowTitle()
    assert window.table.rowCount() > 5 and not window.empty_hint.isVisible()
    window.table.selectRow(0)
    case = window.selected_case()
    assert case is not None
    record = window.repo.assessments(case.id)[-1]
    view = window.open_wizard(record.id) if record.status == "draft" else None
    if view is None:
        from app.ui import drafts

        view = drafts.open_view(window, record.id)
    assert view.windowTitle().startswith("DEMO")
    view.close()
    dialog.vault.close()
    relock = UnlockDialog(tmp_path / "vault.cre", offer_demo=False)
    qtbot.addWidget(relock)
    assert not relock.demo.isVisibleTo(relock)


def test_an_empty_vault_says_what_to_do_first(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    window = window_for(qtbot, registry, repo)
    assert window.empty_hint.isVisible()
    assert "New assessment (Ctrl+N)" in window.empty_hint.text()
    window.search.setText("nobody")  # a search that finds nothing is not an empty vault
    assert not window.empty_hint.isVisible()


def test_a_review_flags_every_copied_mark_until_it_is_changed(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from PySide6.QtWidgets import QLabel

    from app.casework import complete, start_review

    tk = registry.get("derby-cse-2017")
    data = full_case(registry, tk.id)
    data["assessment_date"] = "2026-03-02"
    record = repo.create_case(tk, data)
    complete(repo, registry, record.id)
    ticked = [k for k, v in data["section1"].items() if v]
    assert len(ticked) >= 2
    review = start_review(repo, registry, record.case_id)
    wizard = AssessmentWizard(registry, repo, review.id)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.copied is not None
    flagged = {row.item.id for row in wizard.copied.still_copied()}  # type: ignore[attr-defined]
    assert flagged >= set(ticked)
    texts = [label.text() for label in wizard.findChildren(QLabel)]
    assert any("starts from the assessment of 02/03/2026" in t for t in texts)
    first = wizard.mark_rows[ticked[0]]
    assert first.accessibleDescription().startswith("Copied from the assessment of 02/03/2026")
    next(iter(first.boxes.values())).toggle()  # the practitioner changes it
    assert first not in wizard.copied.still_copied()
    assert first.accessibleDescription() == ""
    assert wizard.mark_rows[ticked[1]] in wizard.copied.still_copied()
    # a first assessment has nothing copied
    fresh = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(fresh)
    assert fresh.copied is None


def test_a_review_answers_previously_assessed_yes_and_says_why(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from PySide6.QtWidgets import QLabel

    from app.casework import complete, start_review

    tk = registry.get("derby-cre-2020")
    data = full_case(registry, tk.id)
    data["assessment_date"] = "2026-03-02"
    data["child"]["previous_assessment"] = "no"  # the first assessment: none before it
    record = repo.create_case(tk, data)
    complete(repo, registry, record.id)
    review = start_review(repo, registry, record.case_id)
    assert review.answers["child"]["previous_assessment"] == "yes"
    wizard = AssessmentWizard(registry, repo, review.id)
    qtbot.addWidget(wizard)
    editor = wizard.editors["child.previous_assessment"]
    assert editor.value() == "yes"
    tags = [label.text() for label in editor.findChildren(QLabel)]
    assert "Set for this review: this case was assessed on 02/03/2026" in tags


def test_the_command_line_demo_vault_is_marked_demo_like_the_apps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from app.demo import DEMO_PASSPHRASE
    from app.ui.windows import demo_mark

    path = tmp_path / "demo.cre"
    assert main(["demo", "--vault", str(path)]) == 0
    assert "marked DEMO" in capsys.readouterr().out
    vault = Vault.open(path, DEMO_PASSPHRASE)
    try:
        assert demo_mark(Repository(vault)).startswith("DEMO")
    finally:
        vault.close()
