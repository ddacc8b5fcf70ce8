"""The disruption letter window: the checklist refuses in the toolkit's words, then writes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.casework import documents, letters
from app.forms import Registry, Toolkit
from app.storage import Repository
from app.ui.fields import BoolEditor, ChoiceEditor, TextEditor
from app.ui.letter import LetterWindow
from tests.ui.test_referral_forms import completed_case

pytestmark = pytest.mark.usefixtures("letterhead")  # tests/ui/conftest.py


def wording(toolkit: Toolkit) -> dict[str, str]:
    """Case-file values for the documents library's letter blanks, where it has them."""
    return {f.id: f.options[0][0] if f.options else "101" for f in letters.extra_fields(toolkit)}


def fill_wording(window: LetterWindow) -> None:
    """The blanks the documents library's letter asks for, where it has them."""
    for key, editor in window.fields.items():
        if key == "pronouns":
            editor.set_value("they")
        elif key == "sending_authority":
            editor.set_value(editor.field.options[0][0])
        elif key == "police_phone":
            editor.set_value("101")


def open_letter(qtbot: QtBot, registry: Registry, repo: Repository, case_id: int) -> LetterWindow:
    record = documents.new_letter(repo, case_id)
    window = LetterWindow(repo, registry, record.id)
    qtbot.addWidget(window)
    window.show()
    return window


def choose(qtbot: QtBot, editor: object, answer: str) -> None:
    assert isinstance(editor, ChoiceEditor)
    editor.combo.setCurrentIndex(editor.combo.findData(answer))


def tick(qtbot: QtBot, editor: object) -> None:
    assert isinstance(editor, BoolEditor)
    editor.box.setFocus()
    qtbot.keyClick(editor.box, Qt.Key.Key_Space)


def reasons(window: LetterWindow) -> list[str]:
    return [window.reasons.item(i).text() for i in range(window.reasons.count())]


def test_a_child_on_a_care_order_is_refused_with_the_toolkits_pointer(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "derby-cre-2020")
    window = open_letter(qtbot, registry, repo, case_id)
    assert set(window.checks) >= {"legal_advice", "head_of_service_agreement"}
    choose(qtbot, window.checks["la_parental_responsibility"], "no")
    choose(qtbot, window.checks["care_order"], "yes")
    for key in ("parent_consent", "child_consent", "legal_advice", "head_of_service_agreement"):
        tick(qtbot, window.checks[key])
    assert not window.eligible
    assert "cannot be produced" in window.verdict.text()
    unmet = [r for r in reasons(window) if r.startswith("✗")]
    assert len(unmet) == 1 and "Recovery Orders" in unmet[0]
    assert "Sections 49-50 Children Act, 2004" in unmet[0]  # the toolkit's own sentence
    assert not window.letter_box.isEnabled()
    assert window.preview.toPlainText().startswith("No letter:")
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    assert window.problems.isVisibleTo(window)
    assert "Recovery Orders" in window.problems.item(0).text()
    assert documents.get_document(repo, window.document_id).status == "draft"
    assert documents.get_document(repo, window.document_id).data["care_order"] is True


def test_without_legal_advice_2020_refuses_but_2017_does_not_ask(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "derby-cse-2017")
    window = open_letter(qtbot, registry, repo, case_id)
    assert "legal_advice" not in window.checks
    choose(qtbot, window.checks["la_parental_responsibility"], "no")
    choose(qtbot, window.checks["care_order"], "no")
    tick(qtbot, window.checks["parent_consent"])
    assert not window.eligible  # neither the child's consent nor a reason
    reason = window.checks["no_child_consent_reason"].focus_widget()
    reason.setFocus()
    qtbot.keyClicks(reason, "Fictional risk balanced at a strategy meeting")
    assert window.eligible


def test_an_eligible_child_gets_a_letter_previewed_as_typed(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "derby-cre-2020")
    window = open_letter(qtbot, registry, repo, case_id)
    choose(qtbot, window.checks["la_parental_responsibility"], "no")
    choose(qtbot, window.checks["care_order"], "no")
    for key in ("parent_consent", "child_consent", "legal_advice", "head_of_service_agreement"):
        tick(qtbot, window.checks[key])
    assert window.eligible and window.letter_box.isEnabled()
    assert all(r.startswith("✓") for r in reasons(window))
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    missing = [window.problems.item(i).text() for i in range(window.problems.count())]
    assert missing[:2] == [
        "Name of known or alleged perpetrator is required",
        "Address of known or alleged perpetrator is required",
    ]
    if letters.EXTRA_KEYS:  # the documents library's blanks are asked for too
        assert "How the letter refers to the child (he, she or they) is required" in missing
    fill_wording(window)
    name = window.fields["perpetrator_name"]
    assert isinstance(name, TextEditor) and window.focusWidget() is name.edit
    qtbot.keyClicks(name.edit, "Fictional Person One")
    address = window.fields["perpetrator_address"].focus_widget()
    address.setFocus()
    qtbot.keyClicks(address, "1 Fictional Road")
    preview = window.preview.toPlainText()
    assert "Fictional Person One" in preview and "1 Fictional Road" in preview
    assert "do not contact or associate with Test Child Referral again" in preview
    assert "Test Practitioner" in preview
    with qtbot.waitSignal(window.completed, timeout=3000):
        qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    stored = documents.get_document(repo, window.document_id)
    assert stored.status == "completed"
    assert stored.data["perpetrator_name"] == "Fictional Person One"
    assert stored.data["care_order"] is False and stored.data["legal_advice"] is True


def test_bedfordshire_asks_which_authority_sends_it(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = completed_case(registry, repo, "bedfordshire-cse")
    window = open_letter(qtbot, registry, repo, case_id)
    assert window.authority is not None
    assert window.authority.accessibleName() == "Sending local authority"
    choose(qtbot, window.checks["la_parental_responsibility"], "no")
    choose(qtbot, window.checks["care_order"], "no")
    tick(qtbot, window.checks["parent_consent"])
    tick(qtbot, window.checks["child_consent"])
    window.authority.setCurrentIndex(window.authority.findData("luton"))
    assert "supported by Luton Children Social Care" in window.preview.toPlainText()
    fill_wording(window)
    window.fields["perpetrator_name"].set_value("Fictional Person Two")
    window.fields["perpetrator_address"].set_value("2 Fictional Road")
    window.complete()
    assert documents.get_document(repo, window.document_id).data["local_authority"] == "luton"
    assert documents.get_document(repo, window.document_id).status == "completed"


def test_a_16_year_old_is_refused_on_the_letter_date(registry: Registry, repo: Repository) -> None:
    case_id = completed_case(registry, repo, "portsmouth-cse-2016")
    dob = repo.assessments(case_id)[-1].answers["child"]["date_of_birth"]
    later = f"{int(dob[:4]) + 16}{dob[4:]}"
    letter = {
        "date": later, "la_parental_responsibility": False, "care_order": False,
        "parent_consent": True, "child_consent": True,
        "perpetrator_name": "Fictional", "perpetrator_address": "Fictional",
    }  # fmt: skip
    record = documents.new_letter(repo, case_id)
    with pytest.raises(documents.DocumentNotComplete) as caught:
        documents.complete_document(repo, registry, record.id, letter)
    assert "must be under 16" in caught.value.problems[0].message
