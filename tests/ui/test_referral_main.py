"""The main window's referral hooks: Open case…, Lock over referral windows, File → Import…."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from app.casework import documents
from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.case_view import CaseView
from app.ui.export_dialog import ExportDialog
from app.ui.main_window import MainWindow
from app.ui.referral_hooks import import_case_file, open_case_view
from app.ui.reports import ReportWindow
from tests.documents.test_documents import full_case
from tests.helpers.vaults import new_vault
from tests.ui.test_referral_forms import LETTERHEAD, PASS, completed_case
from tests.ui.test_referral_letter import wording


def test_open_case_then_lock_saves_the_report_and_closes_the_windows(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "lock.cre"
    vault = new_vault(path, PASS)
    case_id = completed_case(registry, Repository(vault), "derby-cre-2020")
    reopened: list[Vault] = []

    def relock() -> Vault:
        reopened.append(Vault.open(path, PASS))
        return reopened[-1]

    window = MainWindow(registry, vault, relock=relock)
    qtbot.addWidget(window)
    window.show()
    window.table.selectRow(0)
    action = window.actions_by_name["Open case"]
    assert action.shortcut().toString() == "Ctrl+K"
    action.trigger()
    view = window.findChild(CaseView)
    assert view is not None and view.parent() is window and view.isVisible()
    report = view.new_report("operation_liberty")
    assert isinstance(report, ReportWindow) and report.parent() is view
    incident = report.editors["incident_details"]
    incident.focus_widget().setFocus()
    qtbot.keyClicks(incident.focus_widget(), "Fictional words typed just before locking")
    assert report._timer.isActive()  # not yet saved
    window.actions_by_name["Lock"].trigger()
    assert not vault.is_open and reopened
    import shiboken6

    qtbot.waitUntil(lambda: not shiboken6.isValid(view), timeout=3000)  # closed and deleted
    # unlock puts the case window back (a new one, on the reopened vault)
    restored = [v for v in window.findChildren(CaseView) if v.isVisible()]
    assert len(restored) == 1 and restored[0].repo.vault is reopened[-1]
    saved = documents.case_documents(Repository(reopened[-1]), case_id)[0]
    assert saved.data["answers"]["incident_details"].startswith("Fictional words typed")
    reopened[-1].close()


def test_enter_on_a_case_opens_its_view(qtbot: QtBot, registry: Registry, tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "v.cre", PASS)
    completed_case(registry, Repository(vault), "portsmouth-cse-2016")
    window = MainWindow(registry, vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.table.selectRow(0)
    assert open_case_view(window) is not None
    window.table.itemActivated.emit(window.table.item(0, 0))
    assert len(window.findChildren(CaseView)) == 1  # the same case: the same window
    window.actions_by_name["Export for sending"].trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible() and dialog.encrypt.isChecked()
    vault.close()


def test_import_lists_every_problem_by_field_and_writes_nothing(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    vault = new_vault(tmp_path / "i.cre", PASS)
    repo = Repository(vault)
    repo.set_setting("profile", LETTERHEAD)
    window = MainWindow(registry, vault, relock=lambda: None)
    qtbot.addWidget(window)
    good: dict[str, Any] = full_case(registry, "derby-cse-2017")
    good["letter"].update(wording(registry.get("derby-cse-2017")))
    bad = json.loads(json.dumps(good))
    bad["child"]["date_of_birth"] = "2014-02-31"
    worse = json.loads(json.dumps(good))
    worse["letter"]["care_order"] = "no"
    bundle = {"format": "cre-case-export", "version": 1, "cases": [good, bad, worse]}
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), "utf-8")
    result = import_case_file(window, path)
    assert len(result.problems) == 2
    assert result.problems[0] == (
        "Case 2: child.date_of_birth (DOB): 2014-02-31 is not a real date"
    )
    assert result.problems[1].startswith("Case 3: letter.care_order (Care order): ")
    report = window.import_report  # type: ignore[attr-defined]
    assert report.parent() is window and "Nothing was imported" in report.summary.text()
    assert report.problems.count() == 2
    assert repo.count_cases() == 0
    (tmp_path / "one.json").write_text(json.dumps(good), "utf-8")
    result = import_case_file(window, tmp_path / "one.json")
    assert result.problems == [] and len(result.case_ids) == 1
    docs = documents.case_documents(repo, result.case_ids[0])
    assert [d.kind for d in docs] == ["information_report", "disruption_letter"]
    assert docs[1].status == "completed"  # an eligible letter with its fields passes
    assert window.table.rowCount() == 1
    (tmp_path / "junk.json").write_text("{not json", "utf-8")
    assert "not valid JSON" in import_case_file(window, tmp_path / "junk.json").problems[0]
    vault.close()
