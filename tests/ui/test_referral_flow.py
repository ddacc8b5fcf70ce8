"""The whole referral through the real windows: case view → assessment → reports → letter →
export package, read back from the folder (decrypted with the shown password, signed)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from pypdf.errors import FileNotDecryptedError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.casework import documents
from app.documents.signing import verify
from app.forms import Registry
from app.storage import Repository
from app.ui.case_view import AssessmentReadOnly, CaseView
from app.ui.export_dialog import ExportDialog
from app.ui.letter import LetterWindow
from app.ui.reports import ReportWindow
from app.ui.wizard import AssessmentWizard
from tests.documents.test_documents import full_case, text_of
from tests.ui.test_referral_forms import PASS
from tests.ui.test_referral_letter import fill_wording

pytestmark = pytest.mark.usefixtures("letterhead")  # tests/ui/conftest.py

# toolkit → the forms its police referral needs, one entry per report written
REFERRALS = {
    "derby-cre-2020": ["operation_liberty", "operation_liberty"],
    "bedfordshire-cse": ["csep_referral", "police_information_request"],
    "portsmouth-cse-2016": ["cpi1"],
}
VICTIMS = ["Test Victim Amber", "Test Victim Basil"]


def draft_case(registry: Registry, repo: Repository, toolkit: str) -> int:
    data: dict[str, Any] = full_case(registry, toolkit, age=13)
    for key in ("information_reports", "letter"):
        data.pop(key)
    data["child"]["name"] = "Test Child Flow"
    data["final_level"] = None
    return repo.create_case(registry.get(toolkit), data).case_id


def complete_in_wizard(qtbot: QtBot, view: CaseView, repo: Repository) -> None:
    draft = repo.assessments(view.case_id)[-1]
    view.select(("assessment", draft.id))
    wizard = view.open_item(view.tree.currentItem())
    assert isinstance(wizard, AssessmentWizard)
    while wizard.currentId() != wizard.page_of["finish"]:
        wizard.next()
    for problem in wizard.problems():
        if problem.field in wizard.editors:
            editor = wizard.editors[problem.field]
            editor.set_value("2026-06-01" if editor.field.type == "date" else "Fictional")
    radio = wizard.finish_page.radios["high"]
    radio.setFocus()
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    with qtbot.waitSignal(wizard.completed, timeout=5000):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert repo.get_assessment(draft.id).status == "completed"


def write_report(qtbot: QtBot, view: CaseView, form_id: str, victim: str) -> int:
    window = view.new_report(form_id)
    assert isinstance(window, ReportWindow) and window.parent() is view
    form = window.form
    for f in documents.form_fields(form):
        editor = window.editors[f.id]
        if f.id in documents.CHILD_NAME:
            editor.set_value(victim)
        elif f.required and editor.value() in (None, "", []):
            editor.set_value(
                "Fictional detail for the police" if f.type != "datetime" else "2026-06-01T10:00"
            )
    with qtbot.waitSignal(window.completed, timeout=3000):
        qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    return window.document_id


def write_letter(qtbot: QtBot, view: CaseView, repo: Repository) -> int:
    window = view.new_letter()
    assert isinstance(window, LetterWindow)
    window.checks["la_parental_responsibility"].set_value("no")
    window.checks["care_order"].set_value("yes")
    window.checks["parent_consent"].set_value(True)
    window.checks["child_consent"].set_value(True)
    for key in ("legal_advice", "head_of_service_agreement"):
        if key in window.checks:
            window.checks[key].set_value(True)
    assert not window.eligible and not window.letter_box.isEnabled()
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    assert "Recovery Orders" in window.problems.item(0).text()
    assert documents.get_document(repo, window.document_id).status == "draft"
    window.checks["care_order"].set_value("no")  # the order was discharged (fictional)
    assert window.eligible and window.letter_box.isEnabled()
    fill_wording(window)
    window.fields["perpetrator_name"].set_value("Fictional Person One")
    window.fields["perpetrator_address"].set_value("1 Fictional Road")
    if window.authority is not None:
        window.authority.setCurrentIndex(1)
    with qtbot.waitSignal(window.completed, timeout=3000):
        qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    return window.document_id


@pytest.mark.parametrize("toolkit", list(REFERRALS))
def test_the_whole_referral_through_the_windows(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path, toolkit: str
) -> None:
    from app.casework import signing_identity

    case_id = draft_case(registry, repo, toolkit)
    view = CaseView(repo, registry, case_id)
    qtbot.addWidget(view)
    view.show()
    complete_in_wizard(qtbot, view, repo)
    forms = REFERRALS[toolkit]
    for n, form_id in enumerate(forms):
        write_report(qtbot, view, form_id, VICTIMS[n % 2])
    write_letter(qtbot, view, repo)
    view.reload()
    statuses = [view.items[key].text(1) for key in view.items if key[0] != "plans"]
    assert statuses.count("Completed") == 1 + len(forms) + 1
    # export for the police and for Children's Social Care, encrypted, with email drafts
    dialog = view.export()
    assert isinstance(dialog, ExportDialog) and dialog.parent() is view
    assert dialog.encrypt.isChecked() and dialog.eml.isChecked()
    letter_key = next(k for k in dialog.boxes if k[0] == documents.LETTER)
    dialog.boxes[letter_key].setChecked(False)  # the letter goes separately
    out = tmp_path / "sent"
    dialog.folder.setText(str(out))
    dialog.passphrase.setText(PASS)  # asked again before signing
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert not dialog.export_button.isEnabled()  # signing runs off the UI thread
    assert dialog.passphrase.text() == ""  # never kept
    assert done.args == [True], dialog.message.text()
    police = dialog.passwords["police"].text()
    care = dialog.passwords["social_care"].text()
    assert police and care and police != care and dialog.password_box.isVisibleTo(dialog)
    assert dialog.passwords["letter"].text() == ""  # no letter here, and none by default
    assert "another route" in dialog.message.text() and str(out) in dialog.message.text()
    assert dialog.open_folder.isVisibleTo(dialog)
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs, "no PDFs written"
    pem = signing_identity(repo).certificate_pem()
    texts = {}
    for pdf in pdfs:
        blob = pdf.read_bytes()
        password = police if pdf.name.startswith("information") else care
        assert verify(blob, pem, password).trusted, pdf.name
        with pytest.raises(FileNotDecryptedError):
            text_of(blob)  # encrypted: unreadable without the password
        with pytest.raises(FileNotDecryptedError):
            text_of(blob, care if password == police else police)  # nor with the other's
        texts[pdf.name] = text_of(blob, password)
    joined = " ".join(texts.values())
    assert "Test Child Flow" in joined
    tk = registry.get(toolkit)
    for n, form_id in enumerate(forms):
        form = documents.form(tk, form_id)
        assert " ".join(form["title"].split()) in joined
        if any(f.id in documents.CHILD_NAME for f in documents.form_fields(form)):
            assert VICTIMS[n % 2] in joined
    assert "Fictional Person One" not in joined  # the letter stayed behind
    reports = [p for p in pdfs if p.name.startswith("information")]
    assert len(reports) == len(forms)  # one signed PDF per report (per victim)
    attached: dict[str, list[str]] = {}
    for path in sorted(out.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert message["X-Unsent"] == "1"
        assert police not in message.as_string() and care not in message.as_string()
        assert "Test Child Flow" not in str(message["Subject"])
        attached[path.name] = [str(a.get_filename()) for a in message.iter_attachments()]
    to_police = [names for eml, names in attached.items() if eml.startswith("email-police")]
    social = [names for eml, names in attached.items() if eml.startswith("email-social-care")]
    assert sorted(n for names in to_police for n in names) == sorted(p.name for p in reports)
    assert social and all(n.startswith("assessment") for n in social[0])
    assert not any(eml.startswith("email-letter") for eml in attached)
    # the letter goes to its recipient on its own, from a second export
    again = ExportDialog(repo, registry, case_id, view)
    qtbot.addWidget(again)
    for key, box in again.boxes.items():
        box.setChecked(key == letter_key)
    again.folder.setText(str(tmp_path / "letter"))
    again.passphrase.setText(PASS)
    with qtbot.waitSignal(again.exported, timeout=60_000):
        qtbot.mouseClick(again.export_button, Qt.MouseButton.LeftButton)
    letter_pdfs = sorted((tmp_path / "letter").glob("letter-*.pdf"))
    assert len(letter_pdfs) == 1
    [record] = (tmp_path / "letter").glob("authorisation-*.pdf")  # for Children's Social Care
    assert sorted(p.name for p in (tmp_path / "letter").glob("*.pdf")) == sorted(
        [letter_pdfs[0].name, record.name]
    )
    assert again.passwords["letter"].text() == ""  # the letter: unencrypted by default
    record_password = again.passwords["social_care"].text()
    assert record_password and "Head of Service" in text_of(record.read_bytes(), record_password)
    letter_text = text_of(letter_pdfs[0].read_bytes())
    assert "Fictional Person One" in letter_text and "perpetrator" not in letter_text.lower()
    [letter_eml] = (tmp_path / "letter").glob("email-letter*.eml")
    message = email.message_from_bytes(letter_eml.read_bytes(), policy=email.policy.default)
    assert [a.get_filename() for a in message.iter_attachments()] == [letter_pdfs[0].name]
    assert repo.assessments(case_id)[-1].status == "signed"
    dialog.done(0)
    assert all(field.text() == "" for field in dialog.passwords.values())


def test_case_view_opens_each_kind_read_only_and_the_chronology(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    case_id = draft_case(registry, repo, "derby-cre-2020")
    view = CaseView(repo, registry, case_id)
    qtbot.addWidget(view)
    view.show()
    complete_in_wizard(qtbot, view, repo)
    report_id = write_report(qtbot, view, "operation_liberty", VICTIMS[0])
    draft = documents.new_report(repo, registry, case_id, "operation_liberty")
    view.reload()
    assert view.items[("information_report", draft.id)].text(1) == "Draft"
    assert VICTIMS[0] in view.items[("information_report", report_id)].text(2)
    view.select(("information_report", draft.id))
    editable = view.open_item(view.tree.currentItem())
    assert isinstance(editable, ReportWindow) and not editable.read_only
    view.select(("information_report", draft.id))
    read_only = view.open_item(view.tree.currentItem(), read_only=True)
    assert isinstance(read_only, ReportWindow) and read_only.read_only
    assert not read_only.editors["incident_details"].isEnabled()
    assessment = repo.assessments(case_id)[-1]
    view.select(("assessment", assessment.id))
    shown = view.open_item(view.tree.currentItem())
    assert isinstance(shown, AssessmentReadOnly)
    assert "Test Child Flow" in shown.text.toPlainText()
    assert shown.text.isReadOnly()
    chronology = view.chronology()
    assert chronology.isVisible() and chronology.parent() is view
    from app.ui.chronology import Chronology

    shown_chronology = chronology.findChild(Chronology)
    assert shown_chronology is not None
    assert [level for _day, level in shown_chronology.chart.points] == ["high"]
    plans = view.plans()
    assert plans.parent() is view
    for window in view.windows:
        assert window.parent() is view  # the main window's Lock hides them with it
    # a draft started by mistake is discarded with a second click; a completed one is kept
    view.select(("information_report", report_id))
    view.discard()
    assert "Only a draft" in view.message.text()
    view.select(("information_report", draft.id))
    view.discard()
    assert "again to confirm" in view.message.text()
    assert documents.get_document(repo, draft.id).status == "draft"
    view.discard()
    assert ("information_report", draft.id) not in view.items
    assert editable not in view.windows and not editable.isVisible()
    assert [d.id for d in documents.case_documents(repo, case_id)] == [report_id]
    actions = [r[0] for r in repo.vault.pragma("SELECT action FROM audit ORDER BY id")]
    assert "discarded" in actions
    view.accept()
    assert view.windows == []  # closing the case closes what it opened


def test_export_refuses_a_case_without_a_completed_assessment(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    case_id = draft_case(registry, repo, "portsmouth-cse-2016")
    dialog = ExportDialog(repo, registry, case_id)
    qtbot.addWidget(dialog)
    assert not any(box.isEnabled() for box in dialog.boxes.values())
    dialog.folder.setText(str(tmp_path / "none"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "at least one completed document" in dialog.message.text()
    assert not (tmp_path / "none").exists() or not any((tmp_path / "none").iterdir())
    assert dt.date.today()  # nothing else to check: no files, no traceback


def test_an_unwritable_folder_is_named_and_nothing_is_signed(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    from tests.ui.test_referral_forms import completed_case

    case_id = completed_case(registry, repo, "derby-cse-2017")
    dialog = ExportDialog(repo, registry, case_id)
    qtbot.addWidget(dialog)
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("fictional", "utf-8")
    dialog.folder.setText(str(blocker))
    dialog.passphrase.setText(PASS)
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert done.args == [False]
    assert dialog.message.text().startswith(f"Nothing was written to {blocker}")
    assert dialog.export_button.isEnabled() and not dialog.password_box.isVisibleTo(dialog)
    assert repo.assessments(case_id)[-1].status == "completed"  # not signed


def test_an_export_can_be_cancelled_and_writes_nothing(
    qtbot: QtBot,
    registry: Registry,
    repo: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Signing runs off the UI thread with a busy bar and Cancel; a cancelled export
    writes no file, signs nothing and leaves the window ready to export again."""
    import threading

    from app.documents import export as export_module
    from tests.ui.test_referral_forms import completed_case

    gate = threading.Event()
    real_sign = export_module.sign

    def held_sign(*args: Any, **kwargs: Any) -> bytes:
        gate.wait(30)  # the first signature waits until the test has pressed Cancel
        return real_sign(*args, **kwargs)

    monkeypatch.setattr(export_module, "sign", held_sign)
    case_id = completed_case(registry, repo, "derby-cse-2017")
    dialog = ExportDialog(repo, registry, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "cancelled"
    dialog.folder.setText(str(out))
    dialog.passphrase.setText(PASS)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.busy.isVisible() and dialog.cancel_button.isVisible()
    assert not dialog.export_button.isEnabled() and not dialog.close_button.isEnabled()
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    assert done.args == [False]
    assert dialog.message.text() == "Export cancelled: nothing was written."
    assert not any(out.glob("*")) if out.exists() else True
    assert repo.assessments(case_id)[-1].status == "completed"  # nothing signed for
    assert not dialog.busy.isVisible() and dialog.export_button.isEnabled()
    dialog.passphrase.setText(PASS)
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as again:  # and it still works
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert again.args == [True]
    assert any(p.suffix == ".pdf" for p in out.iterdir())


def test_export_asks_for_the_passphrase_again_and_refuses_a_wrong_one(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    """An unlocked laptop left for a minute cannot send a child's file: signing and
    exporting need the vault's passphrase typed again; a wrong one signs nothing."""
    from tests.ui.test_referral_forms import completed_case

    case_id = completed_case(registry, repo, "derby-cre-2020")
    dialog = ExportDialog(repo, registry, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "asked"
    dialog.folder.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Passphrase: type your vault passphrase to sign and export."
    assert dialog.focusWidget() is dialog.passphrase
    dialog.passphrase.setText("not the fictional passphrase")
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert done.args == [False]
    assert dialog.message.text().startswith("Passphrase: that is not this vault's passphrase")
    assert not out.exists() or not any(out.iterdir())
    assert repo.assessments(case_id)[-1].status == "completed"  # nothing signed for
    assert dialog.passphrase.text() == "" and dialog.export_button.isEnabled()
