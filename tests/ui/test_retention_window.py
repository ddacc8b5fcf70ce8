"""The due-for-purge dialog and the main window's hook: closed cases listed with their
closure date, nothing purged until the practitioner confirms, settings saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.casework import retention
from app.forms import Registry
from app.storage import Repository
from app.ui.retention import PurgeDialog
from tests.casework.retention_support import other_case, rich_case
from tests.helpers.vaults import new_vault
from tests.storage.conftest import PASSPHRASE


@pytest.fixture
def repo(tmp_path: Path, registry: Registry) -> Iterator[Repository]:
    vault = new_vault(tmp_path / "vault.cre", PASSPHRASE)
    repo = Repository(vault)
    rich = rich_case(repo, registry)
    other_case(repo, registry)
    retention.close_case(repo, rich.case_id, "2020-01-05", "moved")
    yield repo
    vault.close()


def _cell(dialog: PurgeDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def _answer(qtbot: QtBot, button: QMessageBox.StandardButton) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        assert "Purge case 1" in box.text() and "cannot be recovered" in box.text()
        box.button(button).click()

    QTimer.singleShot(0, press)


@pytest.mark.answers_message_boxes
def test_a_due_case_is_purged_only_after_confirmation(qtbot: QtBot, repo: Repository) -> None:
    dialog = PurgeDialog(repo)
    qtbot.addWidget(dialog)
    cells = [_cell(dialog, 0, c) for c in range(dialog.table.columnCount())]
    assert cells[:5] == ["1", "Zebedee PurgeableQ7", "CRE-20260301-ABCQ7", "05/01/2020",
                         "04/04/2020"]  # fmt: skip
    assert cells[5] == "Not yet marked recorded on the council's system"
    dialog.table.selectRow(0)
    dialog.purge.click()
    assert "cannot be purged yet" in dialog.message.text()
    dialog.mark.click()
    assert _cell(dialog, 0, 5) == "Due now: may be purged"
    dialog.table.selectRow(0)
    _answer(qtbot, QMessageBox.StandardButton.No)
    dialog.purge.click()
    assert dialog.message.text() == "Nothing was purged."
    assert len(repo.assessments(1)) == 2
    dialog.table.selectRow(0)
    _answer(qtbot, QMessageBox.StandardButton.Yes)
    dialog.purge.click()
    assert "was purged" in dialog.message.text()
    assert dialog.table.rowCount() == 0 and [c.id for c in repo.list_cases()] == [2]


def test_settings_are_saved_from_the_dialog(qtbot: QtBot, repo: Repository) -> None:
    dialog = PurgeDialog(repo)
    qtbot.addWidget(dialog)
    assert dialog.days.value() == 90 and dialog.require.isChecked()
    dialog.days.setValue(14)
    dialog.require.setChecked(False)
    dialog.save_settings()
    assert retention.retention_settings(repo) == retention.RetentionSettings(14, False)
    assert _cell(dialog, 0, 5) == "Due now: may be purged"


def test_the_main_window_says_cases_are_due_and_offers_both_actions(
    qtbot: QtBot, repo: Repository, registry: Registry
) -> None:
    from app.ui.main_window import MainWindow

    retention.mark_recorded(repo, 1)
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    assert "Closed cases and purging" in window.actions_by_name
    assert "Subject access export" in window.actions_by_name
    notice = window.findChild(QLabel, "purgeNotice")
    assert notice is not None and not notice.isHidden()
    assert "1 closed case is due for purging (closed 05/01/2020)" in notice.text()


def test_subject_access_from_the_main_window_writes_the_signed_pdf(
    qtbot: QtBot, repo: Repository, registry: Registry, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from PySide6.QtWidgets import QFileDialog

    from app.ui.main_window import MainWindow

    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    out = tmp_path / "sar"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    window.actions_by_name["Subject access export"].trigger()
    assert "Select the case" in window.status.text()
    row = next(n for n, c in enumerate(window.cases) if c.id == 1)
    window.table.selectRow(row)
    window.actions_by_name["Subject access export"].trigger()
    assert "Subject access export written" in window.status.text()
    assert len(list(out.glob("*.pdf"))) == 1 and len(list(out.glob("*-left-out.txt"))) == 1


@pytest.mark.answers_message_boxes
def test_purging_closes_the_cases_open_windows_and_the_case_window_exports_a_sar(
    qtbot: QtBot, repo: Repository, registry: Registry, tmp_path: Path
) -> None:
    from app.ui.case_view import CaseView
    from app.ui.main_window import MainWindow

    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    view = CaseView(repo, registry, 1, window)
    qtbot.addWidget(view)
    out = tmp_path / "sar"
    out.mkdir()
    from app.ui.retention import subject_access_to

    said = subject_access_to(repo, registry, 1, out)
    assert "Subject access export written" in said and any(out.glob("*.pdf"))
    assert view.sar_button.isEnabled()
    window.table.selectRow(next(r for r in range(window.table.rowCount())
                                if window.cases[r].id == 1))  # fmt: skip
    window.meetings()
    assert any(key[1] == 1 for key in window.windows._open)
    retention.mark_recorded(repo, 1)
    dialog = PurgeDialog(repo, window)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    _answer(qtbot, QMessageBox.StandardButton.Yes)
    dialog.purge.click()
    assert "was purged" in dialog.message.text()
    assert not any(key[1] == 1 for key in window.windows._open)  # nothing left on screen
