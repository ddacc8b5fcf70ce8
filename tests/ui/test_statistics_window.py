"""The Statistics window counts off the UI thread: progress and Cancel when it is slow,
the tables only from a complete report, and failures as sentences, never tracebacks.

The vault is tests/stats/fictional.py's seven fictional children (five requests in
2025-26). A slow count is made by holding the real count at one of its steps until the
test lets it go, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import app.ui.statistics as window
from app.forms import Registry
from app.storage import Repository
from app.ui.statistics import StatisticsDialog
from tests.stats import fictional


@pytest.fixture
def repo(registry: Registry, tmp_path: Path) -> Iterator[Repository]:
    repo = fictional.build(registry, tmp_path / "stats.cre")
    yield repo
    repo.vault.close()


def open_window(qtbot: QtBot, repo: Repository, registry: Registry) -> StatisticsDialog:
    dialog = StatisticsDialog(repo, today=fictional.TODAY, registry=registry)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def count_year(qtbot: QtBot, dialog: StatisticsDialog) -> None:
    """Count 2025-26 with the Count button and wait for the tables."""
    dialog.start.setText("2025-04-01")
    dialog.end.setText("2026-03-31")
    qtbot.mouseClick(dialog.count, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.end.year == 2026)
    qtbot.waitUntil(lambda: dialog.count.isEnabled())


def cell(dialog: StatisticsDialog, label: str) -> list[str]:
    """The row of the table whose first cell is `label`, as shown."""
    table = dialog.table
    for r in range(table.rowCount()):
        first = table.item(r, 0)
        if first is not None and first.text() == label:
            items = [table.item(r, c) for c in range(table.columnCount())]
            return [item.text() if item is not None else "" for item in items]
    raise AssertionError(f"no row {label!r}")


class Hold:
    """Holds the real count at its second step (after reading the vault and working out
    each case's scores) until `release`; counts how often the count was started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, times: int = 1) -> None:
        self.reached = threading.Event()
        self.gate = threading.Event()
        self.times = times
        real = window.build_report

        def held(*args: Any, progress: Any, **kwargs: Any) -> Any:
            self.times -= 1
            if self.times < 0:
                return real(*args, progress=progress, **kwargs)

            def step(done: int, steps: int) -> None:
                progress(done, steps)
                if done == 1:
                    self.reached.set()
                    assert self.gate.wait(10), "the test never let the count go"

            return real(*args, progress=step, **kwargs)

        monkeypatch.setattr(window, "build_report", held)

    def release(self) -> None:
        self.gate.set()


def test_a_count_shows_every_table_when_complete(
    qtbot: QtBot, repo: Repository, registry: Registry
) -> None:
    dialog = open_window(qtbot, repo, registry)
    qtbot.waitUntil(lambda: dialog.report is not None)  # the count at opening
    count_year(qtbot, dialog)
    assert cell(dialog, "Total number of requests received")[-1] == "5"
    assert cell(dialog, "Total number of requests received")[1:5] == ["2", "0", "1", "2"]
    assert "High (including escalated)" in dialog.bars.accessibleDescription()
    assert dialog.message.text().startswith("From 01/04/2025 to 31/03/2026.")
    assert dialog.progress.isHidden() and dialog.cancel.isHidden()
    assert all(b.isEnabled() for b in dialog.save_buttons)


def test_a_slow_count_shows_progress_and_cancel_leaves_the_window_usable(
    qtbot: QtBot, repo: Repository, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = Hold(monkeypatch)
    dialog = open_window(qtbot, repo, registry)  # returns while the count is held
    first = dialog.worker
    assert first is not None and hold.reached.wait(10)
    qtbot.waitUntil(lambda: dialog.progress.isVisible() and dialog.cancel.isVisible())
    assert dialog.progress.value() >= 60 and dialog.progress.format().startswith("Counting")
    assert not dialog.count.isEnabled()
    assert not any(b.isEnabled() for b in dialog.save_buttons)
    dialog.end.clear()
    qtbot.keyClicks(dialog.end, "2026-03-31")  # the window answers while the count runs
    assert dialog.end.text() == "2026-03-31"  # typed ISO, accepted as typed

    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    assert dialog.progress.isHidden() and dialog.cancel.isHidden()
    assert dialog.count.isEnabled()
    assert dialog.message.text() == "Cancelled: nothing new was counted."
    assert dialog.report is None and dialog.table.rowCount() == 0  # nothing half-built
    hold.release()
    qtbot.waitUntil(lambda: not first.is_alive())  # it stopped at its next step
    qtbot.wait(50)  # anything it might still have sent has arrived, and was ignored
    assert dialog.report is None and dialog.table.rowCount() == 0

    count_year(qtbot, dialog)  # the same window counts again, to the end
    assert cell(dialog, "Total number of requests received")[-1] == "5"


def test_cancel_keeps_the_last_complete_report(
    qtbot: QtBot, repo: Repository, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_window(qtbot, repo, registry)
    qtbot.waitUntil(lambda: dialog.report is not None)
    count_year(qtbot, dialog)
    shown = cell(dialog, "Total number of requests received")
    hold = Hold(monkeypatch)
    dialog.start.setText("2025-07-01")
    qtbot.mouseClick(dialog.count, Qt.MouseButton.LeftButton)
    worker = dialog.worker
    assert worker is not None and hold.reached.wait(10)
    qtbot.waitUntil(dialog.cancel.isVisible)
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    hold.release()
    qtbot.waitUntil(lambda: not worker.is_alive())
    assert dialog.message.text() == (
        "Cancelled: nothing new was counted. The tables still show 01/04/2025 to 31/03/2026."
    )
    assert cell(dialog, "Total number of requests received") == shown
    assert dialog.report is not None and dialog.report.start.month == 4


def test_a_failing_count_says_so_in_words(
    qtbot: QtBot, repo: Repository, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("fictional failure")

    monkeypatch.setattr(window, "facts_from_vault", broken)
    dialog = open_window(qtbot, repo, registry)
    qtbot.waitUntil(lambda: "could not be counted" in dialog.message.text())
    assert "fictional failure" in dialog.message.text()
    assert "Traceback" not in dialog.message.text()
    assert dialog.count.isEnabled() and dialog.progress.isHidden()
    assert dialog.report is None and dialog.table.rowCount() == 0


def test_a_vault_locked_during_the_count_is_a_message(
    qtbot: QtBot, repo: Repository, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached, gate = threading.Event(), threading.Event()
    real = window.facts_from_vault

    def late(*args: Any, **kwargs: Any) -> Any:
        reached.set()
        assert gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(window, "facts_from_vault", late)
    dialog = open_window(qtbot, repo, registry)
    assert reached.wait(10)
    repo.vault.close()  # as the idle lock would
    gate.set()
    qtbot.waitUntil(lambda: "locked" in dialog.message.text())
    assert dialog.message.text() == (
        "The vault was locked before the count finished: unlock it and count again."
    )
    assert dialog.count.isEnabled() and dialog.table.rowCount() == 0


def test_closing_the_window_stops_the_count(
    qtbot: QtBot, repo: Repository, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = Hold(monkeypatch)
    dialog = open_window(qtbot, repo, registry)
    worker = dialog.worker
    assert worker is not None and hold.reached.wait(10)
    dialog.close()
    assert not dialog.running
    hold.release()
    qtbot.waitUntil(lambda: not worker.is_alive())


def test_saving_where_it_cannot_write_is_a_message(
    qtbot: QtBot, repo: Repository, registry: Registry, tmp_path: Path
) -> None:
    dialog = open_window(qtbot, repo, registry)
    qtbot.waitUntil(lambda: dialog.report is not None)
    dialog.save_csv(tmp_path / "no such folder" / "s.csv")
    assert dialog.message.text().startswith("CSV not saved to ")
    assert dialog.message.text().endswith("Choose another folder.")
    dialog.save_csv(tmp_path / "s.csv")
    assert dialog.message.text().startswith("CSV of 01/04/2026 to 25/11/2026 saved to ")


def test_the_pdf_is_made_off_the_ui_thread_and_a_cancelled_one_is_not_saved(
    qtbot: QtBot, repo: Repository, registry: Registry, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    import app.documents.statistics as documents

    reached, gate = threading.Event(), threading.Event()
    real = documents.statistics_pdf

    def slow(report: Any) -> bytes:
        reached.set()
        assert gate.wait(10)
        return real(report)

    monkeypatch.setattr(documents, "statistics_pdf", slow)
    dialog = open_window(qtbot, repo, registry)
    qtbot.waitUntil(lambda: dialog.report is not None)
    dialog.save_pdf(tmp_path / "cancelled.pdf")
    worker = dialog.worker
    assert worker is not None and reached.wait(10)
    qtbot.waitUntil(dialog.cancel.isVisible)
    assert dialog.progress.maximum() == 0  # a busy bar: the PDF has no steps to show
    assert not any(b.isEnabled() for b in dialog.save_buttons)
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Cancelled: the PDF was not saved."
    gate.set()
    qtbot.waitUntil(lambda: not worker.is_alive())
    qtbot.wait(100)
    assert not (tmp_path / "cancelled.pdf").exists()

    dialog.save_pdf(tmp_path / "s.pdf")
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.message.text().startswith("PDF of 01/04/2026 to 25/11/2026 saved to ")
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")


def test_locking_the_app_mid_count_closes_the_window_and_stops_the_count(
    qtbot: QtBot, registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.storage import Vault
    from app.ui.main_window import MainWindow

    path = tmp_path / "lock.cre"
    vault = fictional.build(registry, path).vault
    window = MainWindow(registry, vault, relock=lambda: Vault.open(path, fictional.PASS))
    qtbot.addWidget(window)
    window.show()
    hold = Hold(monkeypatch)
    dialog = StatisticsDialog(window.repo, window, today=fictional.TODAY, registry=registry)
    dialog.show()  # as the Statistics action shows it
    worker = dialog.worker
    assert worker is not None and hold.reached.wait(10)
    window.actions_by_name["Lock"].trigger()
    assert not dialog.isVisible() and not dialog.running
    assert not vault.is_open and window.vault.is_open  # locked, then unlocked again
    hold.release()
    qtbot.waitUntil(lambda: not worker.is_alive())
    assert dialog.table.rowCount() == 0
    window.vault.close()
