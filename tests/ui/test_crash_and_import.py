"""In the app: an exception escaping a slot becomes a message and a log entry without
personal data, and every import failure is a sentence in the import window."""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.crash import Handler
from app.ui.main_window import MainWindow
from app.ui.referral_hooks import import_case_file, import_path
from tests.casework.support import complete_case

PASS = "a fictional crash-test passphrase"


def test_an_unexpected_exception_is_a_message_and_a_log_line_without_personal_data(
    qtbot: QtBot, tmp_path: Path
) -> None:
    log = tmp_path / "logs" / "errors.log"
    handler = Handler(log)
    try:
        raise ValueError("Test Child Fictional-Name, 01/02/2013")  # what must not be logged
    except ValueError as exc:
        handler(type(exc), exc, exc.__traceback__)
    line = log.read_text("utf-8")
    assert "builtins.ValueError at test_crash_and_import.py:" in line
    assert "Fictional-Name" not in line and "2013" not in line and line.count("\n") == 1
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    box = handler.box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Traceback" not in box.text() and str(log) in box.text()
    box.close()


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_every_import_failure_is_a_sentence_in_the_import_window(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    vault = Vault.create(tmp_path / "i.cre", PASS)
    repo = Repository(vault)
    window = MainWindow(registry, vault, relock=lambda: None)
    qtbot.addWidget(window)
    bad = copy.deepcopy(complete_case(registry, "derby-cre-2020"))
    bad["case_facts"] = {"key_worker": {"a": 1}}  # was a TypeError traceback
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(bad), "utf-8")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    dup = tmp_path / "dup.json"
    dup.write_text('{"format": 1, "format": 1}', "utf-8")
    nan = tmp_path / "nan.json"
    nan.write_text('{"format": NaN}', "utf-8")
    expected = {
        wrong: "case_facts.key_worker (Key worker): must be one of",
        fifo: "is not a regular file",
        dup: 'the field "format" appears twice',
        nan: "NaN is not a number JSON allows",
    }
    for path, words in expected.items():
        result = import_path(repo, registry, path)
        assert result.case_ids == [] and len(result.problems) == 1, path
        assert words in result.problems[0] and "\n" not in result.problems[0]
    result = import_case_file(window, wrong)
    report = window.import_report  # type: ignore[attr-defined]
    assert "Nothing was imported" in report.summary.text()
    assert report.problems.item(0).text() == result.problems[0]
    assert repo.count_cases() == 0
    window.close()
    vault.close()


def test_an_exception_in_a_worker_thread_is_logged_without_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from app.ui import crash

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    log = tmp_path / "errors.log"
    crash.install(log)

    def fail() -> None:
        raise KeyError("Test Child Fictional-Name")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()
    line = log.read_text("utf-8")
    assert "builtins.KeyError at test_crash_and_import.py:" in line and "Fictional" not in line
