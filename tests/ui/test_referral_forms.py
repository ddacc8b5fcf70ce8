"""Information report windows generated from every toolkit's forms, driven offscreen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.casework import documents
from app.forms import Registry
from app.rules import age_on
from app.storage import ImmutableRecordError, Repository
from app.ui.fields import REQUIRED, REQUIRED_LEGEND, DateTimeEditor, TextEditor
from app.ui.reports import ReportWindow
from tests.conftest import PASSPHRASE
from tests.documents.test_documents import full_case

pytestmark = pytest.mark.usefixtures("letterhead")  # tests/ui/conftest.py

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)
TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]
FORMS = [
    ("derby-cse-2017", "operation_liberty"),
    ("derby-cre-2020", "operation_liberty"),
    ("portsmouth-cse-2016", "cpi1"),
    ("bedfordshire-cse", "csep_referral"),
    ("bedfordshire-cse", "police_information_request"),
]


LETTERHEAD = {
    "name": "Test Practitioner Ŵyn", "post": "Social Worker", "agency": "Test Agency",
    "address": "1 Fictional Street, Fictional Town", "phone": "01000 000000",
}  # fmt: skip


def completed_case(registry: Registry, repo: Repository, toolkit: str) -> int:
    data: dict[str, Any] = full_case(registry, toolkit)
    for key in ("information_reports", "letter"):
        data.pop(key)
    data["child"]["name"] = "Test Child Referral"
    record = repo.create_case(registry.get(toolkit), data)
    repo.complete(record.id, "high", None)
    return record.case_id


def open_report(
    qtbot: QtBot, registry: Registry, repo: Repository, case_id: int, form_id: str
) -> ReportWindow:
    at = dt.datetime(2026, 6, 2, 10, 30)
    record = documents.new_report(repo, registry, case_id, form_id, at=at)
    window = ReportWindow(repo, registry, record.id)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_form_list_covers_every_definition(registry: Registry) -> None:
    found = {(tk.id, f["id"]) for tk in registry for f in documents.forms(tk)}
    assert found == set(FORMS)


@pytest.mark.parametrize(("toolkit", "form_id"), FORMS)
def test_every_field_appears_with_its_label_as_accessible_name(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str, form_id: str
) -> None:
    case_id = completed_case(registry, repo, toolkit)
    window = open_report(qtbot, registry, repo, case_id, form_id)
    tk = registry.get(toolkit)
    named = {w.accessibleName() for w in window.findChildren(QWidget)}
    fields = documents.form_fields(documents.form(tk, form_id))
    assert fields, "a form with no fields"
    for f in fields:
        editor = window.editors[f.id]
        assert editor.accessibleName() == f.label
        if f.type != "multichoice":  # a multichoice's group box carries the label
            assert editor.focus_widget().accessibleName() == f.label
        assert f.label in named
        assert editor.isVisibleTo(window)
    for section in documents.form(tk, form_id)["sections"]:
        assert section["title"] in named


@pytest.mark.parametrize(
    ("toolkit", "form_id", "name_field", "practitioner_field"),
    [
        ("derby-cre-2020", "operation_liberty", "victim", "name"),
        ("derby-cse-2017", "operation_liberty", "victim", "name"),
        ("bedfordshire-cse", "csep_referral", "child_young_person_name", "name_professional"),
        ("portsmouth-cse-2016", "cpi1", None, "name"),
    ],
)
def test_child_and_practitioner_details_come_from_the_assessment(
    qtbot: QtBot,
    registry: Registry,
    repo: Repository,
    toolkit: str,
    form_id: str,
    name_field: str | None,
    practitioner_field: str,
) -> None:
    case_id = completed_case(registry, repo, toolkit)
    window = open_report(qtbot, registry, repo, case_id, form_id)
    if name_field:
        assert window.editors[name_field].value() == "Test Child Referral"
    assert window.editors[practitioner_field].value() == "Test Practitioner Ŵyn"
    if toolkit == "bedfordshire-cse":
        dob = repo.assessments(case_id)[-1].answers["child"]["date_of_birth"]
        assert window.editors["child_young_person_dob"].value() == dob
        expected = age_on(dt.date.fromisoformat(dob), dt.date(2026, 6, 2))  # the report's date
        assert window.editors["age"].value() == expected
        # this victim's own level, chosen for them (blank: the form about the assessed
        # child prints the assessment's level; another victim's, theirs or nothing)
        level = window.editors["level_risk_identified"]
        assert level.field.type == "choice" and level.value() in (None, "")
        labels = [label for _id, label in level.field.options]
        assert registry.get(toolkit).level_label("high") in labels


def test_prefilled_details_are_editable_and_autosave(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "derby-cre-2020")
    window = open_report(qtbot, registry, repo, case_id, "operation_liberty")
    victim = window.editors["victim"]
    assert isinstance(victim, TextEditor)
    victim.edit.clear()
    qtbot.keyClicks(victim.edit, "Test Second Victim")
    qtbot.waitUntil(lambda: window.saved_label.text() == "Draft saved", timeout=3000)
    stored = documents.get_document(repo, window.document_id)
    assert stored.status == "draft"
    assert stored.data["answers"]["victim"] == "Test Second Victim"
    actions = [r[0] for r in repo.vault.pragma("SELECT action FROM audit ORDER BY id")]
    assert "edited" in actions


def test_complete_lists_missing_fields_in_their_words_and_jumps_there(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "derby-cre-2020")
    window = open_report(qtbot, registry, repo, case_id, "operation_liberty")
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    messages = [window.problems.item(i).text() for i in range(window.problems.count())]
    assert messages == ["Date/time/location and details of incident is required"]
    incident = window.editors["incident_details"]
    assert incident.focus_widget().hasFocus() or window.focusWidget() is incident.focus_widget()
    assert documents.get_document(repo, window.document_id).status == "draft"
    incident.focus_widget().setFocus()
    qtbot.keyClicks(incident.focus_widget(), "Fictional incident at a fictional park")
    with qtbot.waitSignal(window.completed, timeout=3000):
        qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    done = documents.get_document(repo, window.document_id)
    assert done.status == "completed"
    assert done.data["answers"]["incident_details"].startswith("Fictional incident")
    with pytest.raises(ImmutableRecordError):
        documents.save_draft(repo, done.id, {"form": "operation_liberty", "answers": {}})
    read_only = ReportWindow(repo, registry, done.id)
    qtbot.addWidget(read_only)
    assert not read_only.editors["incident_details"].isEnabled()
    assert not read_only.complete_button.isVisibleTo(read_only)


def test_a_bad_date_is_named_and_blocks_completion_not_saving(
    registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "derby-cse-2017")
    record = documents.new_report(repo, registry, case_id, "operation_liberty")
    answers = {**record.data["answers"], "victim_dob": "2014-02-31", "incident_details": "x"}
    documents.save_draft(repo, record.id, {"form": "operation_liberty", "answers": answers})
    with pytest.raises(documents.DocumentNotComplete) as caught:
        documents.complete_document(repo, registry, record.id)
    assert [p.message for p in caught.value.problems] == ["DOB: 2014-02-31 is not a real date"]
    assert documents.get_document(repo, record.id).status == "draft"


def test_a_section_the_form_says_to_copy_repeats_and_prints_every_copy(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    from app.casework import package
    from app.casework.identity import signing_identity
    from tests.documents.test_documents import text_of

    case_id = completed_case(registry, repo, "bedfordshire-cse")
    window = open_report(qtbot, registry, repo, case_id, "csep_referral")
    assert set(window.copy_holders) == {"child_details", "person_presenting_risk"}
    window.editors["risk_name"].set_value("Fictional Adult One")
    window.add_copy("person_presenting_risk")
    window.add_copy("person_presenting_risk")
    second, third = window.copies["person_presenting_risk"]
    assert second["risk_name"].accessibleName() == "Name: (copy 2)"
    second["risk_name"].set_value("Fictional Adult Two")
    second["car_number_plates"].set_value("FI12 CTN")
    third["date_birth_approx_age"].set_value("about 30")
    remove = next(b for b in window.findChildren(QPushButton) if b.text() == "Remove copy 3")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert window.copies["person_presenting_risk"] == [second]
    window.editors["please_provide_here_summary"].set_value("Fictional background")
    with qtbot.waitSignal(window.completed, timeout=3000):
        qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    stored = documents.get_document(repo, window.document_id)
    assert stored.data["more"] == {
        "person_presenting_risk": [
            {"risk_name": "Fictional Adult Two", "car_number_plates": "FI12 CTN"}
        ]
    }
    again = ReportWindow(repo, registry, stored.id)
    qtbot.addWidget(again)
    assert again.copies["person_presenting_risk"][0]["risk_name"].value() == "Fictional Adult Two"
    offers = [o for o in package.offers(repo, registry, case_id) if o.ready]
    result = package.export_package(
        repo, registry, case_id, tmp_path / "out", signing_identity(repo), offers
    )
    [report] = [p for p in result.written if p.name.startswith("information")]
    text = text_of(report.read_bytes())
    assert "Fictional Adult One" in text and "Fictional Adult Two" in text
    assert "FI12 CTN" in text and "(2 of 2)" in text


def test_copies_in_a_case_file_are_checked_by_section_and_field(registry: Registry) -> None:
    from app.rules import CaseFileError, parse_case

    data: dict[str, Any] = full_case(registry, "bedfordshire-cse")
    report = {"form": "csep_referral", "answers": {}}
    data["information_reports"] = [{**report, "more": {"summary_details": [{}]}}]
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    assert caught.value.field == "information_reports[0].more.summary_details"
    data["information_reports"] = [
        {**report, "more": {"person_presenting_risk": [{"risk_name": 7}]}}
    ]
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    assert caught.value.field == "information_reports[0].more.person_presenting_risk[0].risk_name"
    data["information_reports"] = [
        {**report, "more": {"person_presenting_risk": [{"risk_name": "Fictional"}]}}
    ]
    parsed = parse_case(data, registry).extras["information_reports"][0]
    assert parsed["more"] == {"person_presenting_risk": [{"risk_name": "Fictional"}]}


def test_the_report_time_is_shown_and_typed_the_uk_way(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    """Date/Time of report is prefilled with when the report was started, shown as the
    practitioner writes it, and stored as one unambiguous value."""
    case_id = completed_case(registry, repo, "derby-cre-2020")
    window = open_report(qtbot, registry, repo, case_id, "operation_liberty")
    stamp = window.editors["report_datetime"]
    assert isinstance(stamp, DateTimeEditor)
    assert (stamp.edit.text(), stamp.time.text()) == ("02/06/2026", "10:30")
    stamp.edit.clear()
    qtbot.keyClicks(stamp.edit, "3-6-2026")
    stamp.time.clear()
    qtbot.keyClicks(stamp.time, "9.05")
    assert stamp.value() == "2026-06-03T09:05"
    stamp.time.clear()
    qtbot.keyClicks(stamp.time, "25:00")
    stamp.time.editingFinished.emit()
    assert stamp.error is not None and stamp.error.isVisibleTo(window)
    assert stamp.error.text() == "Date/Time of report: 25:00 is not a real time of day"
    qtbot.waitUntil(lambda: window.saved_label.text() == "Draft saved", timeout=3000)
    kept = documents.get_document(repo, window.document_id).data["answers"]["report_datetime"]
    assert kept == "3-6-2026 25:00"  # a draft keeps what was typed
    window.editors["incident_details"].set_value("Fictional incident")
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    messages = [window.problems.item(i).text() for i in range(window.problems.count())]
    assert any(m.startswith("Date/Time of report") for m in messages)
    assert documents.get_document(repo, window.document_id).status == "draft"


def test_required_fields_are_marked_for_the_eye_and_the_screen_reader(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    """Qt has no accessible "required" state: the description carries it, and a visible
    * with its legend says the same to a sighted practitioner."""
    case_id = completed_case(registry, repo, "derby-cre-2020")
    window = open_report(qtbot, registry, repo, case_id, "operation_liberty")
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert REQUIRED_LEGEND in texts
    fields = documents.form_fields(
        documents.form(registry.get("derby-cre-2020"), "operation_liberty")
    )
    for f in fields:
        target = window.editors[f.id].focus_widget()
        if f.required:
            assert target.accessibleDescription() == REQUIRED
            assert f"{f.label} *" in texts
        elif f.type != "computed":
            assert REQUIRED not in target.accessibleDescription()
    incident = window.editors["incident_details"]
    incident.show_problem("is required")
    assert incident.focus_widget().accessibleDescription().endswith(REQUIRED)
    incident.show_problem(None)
    assert incident.focus_widget().accessibleDescription() == REQUIRED
