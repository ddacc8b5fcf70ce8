"""The vault closed (locked) under an open assessment window: closing the window is
immediate, and an edit that can no longer be saved is never lost without a word.

Closing once waited out two 5 s flushes (`done()`, then `stop()`) for saves that could
never succeed, then closed anyway and the last edit was gone. Nothing here measures time:
the tests watch the autosave writer's own waiting (its condition's `wait` on this, the UI,
thread) and its worker's `join`.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.casework import assessments, reading
from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from app.storage.autosave import AutosaveWriter
from app.ui.main_window import MainWindow
from app.ui.wizard import AssessmentWizard, saving
from tests.helpers.vaults import new_vault

PASS = "fictional vaultgone passphrase"


def open_wizard(qtbot: QtBot, registry: Registry, repo: Repository) -> AssessmentWizard:
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Vaultgone"
    wizard = AssessmentWizard(registry, repo, repo.create_case(tk, data).id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


class Watch:
    """Every wait the UI thread enters in the writer, and every join of its worker."""

    def __init__(self, writer: AutosaveWriter, monkeypatch: pytest.MonkeyPatch) -> None:
        self.waits: list[object] = []
        self.joins: list[object] = []
        real_wait = writer._cond.wait

        def wait(timeout: float | None = None) -> bool:
            if threading.current_thread() is threading.main_thread():
                self.waits.append(timeout)
            return real_wait(timeout)

        monkeypatch.setattr(writer._cond, "wait", wait)
        monkeypatch.setattr(writer._thread, "join", lambda timeout=None: self.joins.append(timeout))


def answer(monkeypatch: pytest.MonkeyPatch, button: str, asked: list[str]) -> None:
    def press(box: QMessageBox) -> int:
        asked.append(f"{box.text()} {box.informativeText()}")
        next(b for b in box.buttons() if button in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press)


@pytest.fixture
def slow_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer waits an hour before saving on its own, so an edit typed just before the
    vault closes is certainly still pending (not a race with its 0.2 s delay)."""

    def writer(repo: Repository, **reports: Any) -> AutosaveWriter:
        save = assessments.save_draft
        return AutosaveWriter(
            repo, quiet=3600, max_delay=3600, save=lambda i, a, p: save(repo, i, a, p), **reports
        )

    monkeypatch.setattr(saving, "draft_autosave", writer)


@pytest.mark.answers_message_boxes
@pytest.mark.usefixtures("slow_autosave")
def test_closing_after_the_vault_closed_waits_for_nothing_and_says_what_is_not_saved(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard(qtbot, registry, repo)
    wizard.editors["child.name"].set_value("Test Child Vaultgone Edited")  # typed
    writer = wizard.autosave
    assert writer.pending
    watch = Watch(writer, monkeypatch)
    repo.vault.close()  # locked under the window, by whatever route
    asked: list[str] = []
    answer(monkeypatch, "Keep editing", asked)
    wizard.close()
    assert wizard.isVisible()  # kept: the practitioner can still copy what they typed
    assert wizard.editors["child.name"].value() == "Test Child Vaultgone Edited"
    assert len(asked) == 1
    assert "NOT saved" in asked[0] and "the vault was locked (closed)" in asked[0]
    assert "copy what you typed" in asked[0]
    answer(monkeypatch, "lose", asked)
    wizard.close()
    assert not wizard.isVisible() and len(asked) == 2
    assert watch.waits == []  # no wait was entered for a save that could not happen
    assert watch.joins == []  # nor was the worker joined: it ends by itself


def test_a_saved_wizard_closes_after_the_vault_closed_without_asking(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    """Nothing unsaved, nothing to say (an unexpected message box fails the test)."""
    wizard = open_wizard(qtbot, registry, repo)
    wizard.editors["child.name"].set_value("Test Child Vaultgone Saved")
    assert wizard.autosave.flush()
    repo.vault.close()
    wizard.close()
    assert not wizard.isVisible()


@pytest.mark.usefixtures("slow_autosave")
def test_lock_closing_the_wizard_never_asks_nor_waits_again(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lock has saved first (save_for_lock); its close asks nothing and waits no more."""
    wizard = open_wizard(qtbot, registry, repo)
    wizard.editors["child.name"].set_value("Test Child Vaultgone Locked")
    wizard.save_for_lock()
    assert not wizard.autosave.pending
    watch = Watch(wizard.autosave, monkeypatch)
    wizard.setProperty("closing_for_lock", True)
    wizard.close()
    assert not wizard.isVisible() and watch.waits == []


@pytest.mark.usefixtures("slow_autosave")
def test_lock_keeps_what_could_not_be_saved_and_saves_it_after_unlock(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    """Lock closes its windows without asking, having saved them first; an edit the closed
    vault could not take is kept in memory and put back, and saved, after unlock."""
    path = tmp_path / "lock.cre"
    vault = new_vault(path, PASS)
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Vaultgone"
    assessment_id = Repository(vault).create_case(tk, data).id
    main = MainWindow(registry, vault, relock=lambda: Vault.open(path, PASS))
    qtbot.addWidget(main)
    main.show()
    wizard = main.open_wizard(assessment_id)
    wizard.editors["child.name"].set_value("Test Child Vaultgone Kept")
    wizard.next()
    vault.close()  # under the open window
    main.lock()  # the unexpected message box fixture fails the test if anything asks
    again = main.wizard
    assert again is not None and again is not wizard
    assert again.editors["child.name"].value() == "Test Child Vaultgone Kept"
    assert again.currentId() == 1
    assert again.autosave.flush()
    stored = reading.assessment(main.repo, assessment_id).answers
    assert stored["child"]["name"] == "Test Child Vaultgone Kept"
    again.close()
    main.vault.close()
