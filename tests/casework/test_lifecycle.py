"""One lifecycle: the wizard, an import and the command line complete alike; export takes
the latest completed assessment and signs it; reviews, drafts and discards behave."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from app import casework
from app.casework import DraftExistsError, NotCompleteError, NothingFinalError, Status
from app.documents.signing import verify
from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from tests.casework.support import complete_case
from tests.helpers.cli import in_process
from tests.helpers.vaults import new_vault

PASS = "fictional casework passphrase"
TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    vault = new_vault(tmp_path / "casework.cre", PASS)
    repository = Repository(vault)
    repository.set_setting("profile", {"name": "Test Practitioner", "post": "Social Worker"})
    yield repository  # a name to sign in: nothing is signed before the profile has one
    vault.close()


def completion_audit(vault: Vault) -> list[dict[str, Any]]:
    rows = vault.pragma("SELECT detail FROM audit WHERE action = 'completed' ORDER BY id")
    return [json.loads(r[0]) for r in rows]


def outcome(repo: Repository, case_id: int) -> tuple[str, str | None, str | None, str]:
    final = repo.latest_final(case_id)
    assert final is not None
    return final.status, final.level, final.review_due, repo.get_case(case_id).status


@pytest.mark.real_kdf  # the CLI in its own process derives keys at the real cost
@pytest.mark.parametrize("toolkit", ["derby-cre-2020", "bedfordshire-cse"])
def test_wizard_import_and_cli_complete_the_same_answers_alike(
    qtbot: QtBot, registry: Registry, tmp_path: Path, toolkit: str
) -> None:
    from PySide6.QtWidgets import QWizard

    from app.ui.wizard import AssessmentWizard

    answers = complete_case(registry, toolkit)
    results = []

    # 1. the wizard: a draft with these answers, finished on its last page
    with new_vault(tmp_path / "wizard.cre", PASS) as vault:
        repo = Repository(vault)
        record = repo.create_case(registry.get(toolkit), answers)
        wizard = AssessmentWizard(registry, repo, record.id)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.jump_to("final_level")
        with qtbot.waitSignal(wizard.completed, timeout=5000):
            wizard.button(QWizard.WizardButton.FinishButton).click()
        results.append((outcome(repo, record.case_id), completion_audit(vault)))
        wizard.done(0)

    # 2. the casework import the app's File > Import uses
    with new_vault(tmp_path / "import.cre", PASS) as vault:
        repo = Repository(vault)
        [case_id] = casework.import_cases(repo, registry, answers)
        results.append((outcome(repo, case_id), completion_audit(vault)))

    # 3. the command line (`vault import` through app.cli.main; a real `python -m app`
    # process is tested in tests/cli/test_real_process.py and test_vault_cli.py)
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(answers), "utf-8")
    cli_vault = tmp_path / "cli.cre"
    new_vault(cli_vault, PASS).close()
    run = in_process(
        "vault", "import", str(case_file), "--vault", str(cli_vault),
        env={"CRE_VAULT_PASSPHRASE": PASS},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    with Vault.open(tmp_path / "cli.cre", PASS) as vault:
        repo = Repository(vault)
        [summary] = repo.list_cases()
        results.append((outcome(repo, summary.id), completion_audit(vault)))

    first = results[0]
    assert first[0][0] == Status.COMPLETED and first[0][1] == "medium"
    assert first[0][2] is not None  # this toolkit reviews Medium on a fixed interval
    assert first[1] == [{"level": "medium", "review_due": first[0][2]}]
    assert all(r == first for r in results), results


def test_an_incomplete_case_file_imports_as_a_draft_without_a_level(
    registry: Registry, repo: Repository
) -> None:
    answers = complete_case(registry, "derby-cre-2020", final="medium")
    answers["analysis"] = {}  # the required sign-off left empty
    [case_id] = casework.import_cases(repo, registry, answers)
    [record] = repo.assessments(case_id)
    assert record.status == Status.DRAFT and record.level is None
    summary = repo.get_case(case_id)
    assert summary.status == "draft" and summary.level is None  # drafts show no level
    with pytest.raises(NotCompleteError) as refused:
        casework.complete(repo, registry, record.id)
    fields = {p.field for p in refused.value.problems}
    assert any(f.startswith("analysis.") for f in fields)
    assert repo.get_assessment(record.id).status == Status.DRAFT  # nothing written


def test_a_floor_breaking_level_is_never_completed(registry: Registry, repo: Repository) -> None:
    answers = complete_case(registry, "portsmouth-cse-2016", final="low", age=12)
    record = repo.create_case(registry.get("portsmouth-cse-2016"), answers)
    with pytest.raises(NotCompleteError) as refused:
        casework.complete(repo, registry, record.id)
    assert "final_level" in {p.field for p in refused.value.problems}
    assert repo.get_case(record.case_id).level is None


def test_export_takes_the_latest_completed_assessment_never_a_newer_draft(
    registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    tk_id = "bedfordshire-cse"
    record = casework.start_case(repo, registry, tk_id, complete_case(registry, tk_id))
    done = casework.complete(repo, registry, record.id)
    assert done.level == "medium"
    review = casework.start_review(repo, registry, record.case_id, today=dt.date(2026, 9, 1))
    assert review.answers["assessment_date"] == "2026-09-01"  # a review is dated today
    assert review.answers["final_level"] is None
    with pytest.raises(DraftExistsError):  # one open draft per case
        casework.start_review(repo, registry, record.case_id)

    identity = casework.signing_identity(repo)
    result = casework.export_case(repo, registry, record.case_id, tmp_path / "out", identity)
    (assessment,) = (tmp_path / "out").glob("assessment-*.pdf")  # names carry the reference
    pdf = assessment.read_bytes()
    assert verify(pdf, identity.certificate_pem()).trusted
    from io import BytesIO

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Medium" in text and "not chosen" not in text
    assert repo.get_assessment(record.id).status == Status.SIGNED
    assert repo.get_assessment(review.id).status == Status.DRAFT
    exported = repo.vault.pragma("SELECT detail FROM audit WHERE action = 'exported'")
    assert result.reference in exported[-1][0]  # a recipient's reference leads back here


def test_export_refuses_a_case_with_only_a_draft(
    registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    tk = registry.get("derby-cre-2020")
    record = casework.start_case(repo, registry, tk.id)
    with pytest.raises(NothingFinalError):
        casework.export_case(
            repo, registry, record.case_id, tmp_path, casework.signing_identity(repo)
        )
    assert not list(tmp_path.glob("assessment*.pdf"))


def test_signing_shows_in_the_signed_filter(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    from app.ui.main_window import MainWindow

    for name in ("Test Child Signed", "Test Child Completed"):
        data = complete_case(registry, "derby-cse-2017")
        data["child"]["name"] = name
        record = casework.start_case(repo, registry, "derby-cse-2017", data)
        casework.complete(repo, registry, record.id)
    signed = next(c for c in repo.list_cases() if c.child_name == "Test Child Signed")
    casework.export_case(repo, registry, signed.id, tmp_path, casework.signing_identity(repo))
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.show()
    window.status_filter.setCurrentIndex(window.status_filter.findData("signed"))
    assert window.table.rowCount() == 1
    assert window.table.item(0, 0).text() == "Test Child Signed"  # type: ignore[union-attr]
    window.status_filter.setCurrentIndex(window.status_filter.findData("completed"))
    assert window.table.rowCount() == 1
    assert window.table.item(0, 0).text() == "Test Child Completed"  # type: ignore[union-attr]


def test_new_cases_take_the_profile_and_a_discarded_one_disappears(
    registry: Registry, repo: Repository
) -> None:
    repo.set_setting("profile", {"name": "Test Practitioner", "post": "DSL", "phone": ""})
    record = casework.start_case(repo, registry, "derby-cre-2020")
    assert record.answers["practitioner"] == {"name": "Test Practitioner", "post": "DSL"}
    assert record.answers["assessment_date"] == dt.date.today().isoformat()
    assert repo.count_cases() == 1
    casework.discard_draft(repo, record.id)
    assert repo.count_cases() == 0 and repo.list_cases() == []
    assert repo.get_assessment(record.id).answers == {}  # the abandoned answers are gone
    actions = [r[0] for r in repo.vault.pragma("SELECT action FROM audit ORDER BY id")]
    assert actions[-1] == "discarded"


def test_completed_records_are_final(registry: Registry, repo: Repository) -> None:
    tk = registry.get("portsmouth-cse-2016")
    record = casework.start_case(repo, registry, tk.id, complete_case(registry, tk.id))
    casework.complete(repo, registry, record.id)
    from app.storage.errors import ImmutableRecordError

    with pytest.raises(ImmutableRecordError):
        casework.save_draft(repo, record.id, new_case(tk, dt.date(2026, 6, 1)))
    with pytest.raises(ImmutableRecordError):
        casework.discard_draft(repo, record.id)


def test_a_recipients_reference_leads_back_to_the_case(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from app.cli import main
    from app.storage.references import find_reference

    path = tmp_path / "refs.cre"
    with new_vault(path, PASS) as vault:
        repo = Repository(vault)
        repo.set_setting("profile", {"name": "Test Practitioner"})
        data = complete_case(registry, "derby-cre-2020")
        data["child"]["name"] = "Test Child Traced"
        record = casework.start_case(repo, registry, "derby-cre-2020", data)
        casework.complete(repo, registry, record.id)
        identity = casework.signing_identity(repo)
        result = casework.export_case(repo, registry, record.case_id, tmp_path / "out", identity)
        [assessment] = [d for d in result.documents if d.kind == "assessment"]
        for ref in (assessment.reference, assessment.reference.lower(), result.reference):
            [trace] = find_reference(repo, ref)
            assert trace.case_id == record.case_id and trace.child_name == "Test Child Traced"
        assert find_reference(repo, "CRE-19990101-000000-A") == []
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASS)
    assert main(["vault", "find", assessment.reference, "--vault", str(path)]) == 0
    assert f"case {record.case_id} (Test Child Traced)" in capsys.readouterr().out
    assert main(["vault", "find", "CRE-19990101-000000-A", "--vault", str(path)]) == 1


def test_a_cancelled_package_export_writes_and_records_nothing(
    registry: Registry, tmp_path: Path
) -> None:
    from app.casework import package
    from app.casework.identity import signing_identity
    from app.documents.export import ExportCancelled
    from tests.documents.test_documents import full_case

    vault = new_vault(tmp_path / "cancel.cre", "fictional cancel passphrase")
    repo = Repository(vault)
    repo.set_setting("profile", {"name": "Test Practitioner Ŵyn"})
    try:
        data = full_case(registry, "derby-cre-2020")
        for key in ("information_reports", "letter"):
            data.pop(key)
        record = repo.create_case(registry.get("derby-cre-2020"), data)
        repo.complete(record.id, "high", None)
        identity = signing_identity(repo)  # made (and audited) on first use
        audit_before = repo.vault.pragma("SELECT count(*) FROM audit")[0][0]
        offers = [o for o in package.offers(repo, registry, record.case_id) if o.ready]
        asked: list[int] = []

        def cancel_on_the_second_question() -> bool:
            asked.append(1)
            return len(asked) >= 2

        out = tmp_path / "out"
        with pytest.raises(ExportCancelled):
            package.export_package(
                repo, registry, record.case_id, out, identity, offers,
                cancelled=cancel_on_the_second_question,
            )  # fmt: skip
        assert not out.exists() or not any(out.iterdir())
        assert repo.get_assessment(record.id).status == "completed"
        assert repo.vault.pragma("SELECT count(*) FROM audit")[0][0] == audit_before
    finally:
        vault.close()


def test_nothing_is_signed_until_the_profile_has_a_name_and_then_in_that_name(
    registry: Registry, tmp_path: Path
) -> None:
    """No certificate in a made-up name: refused until the profile is saved with a name;
    made from the saved profile, and made again when the name changes."""
    from app.casework.identity import NoSigningName, signing_identity, stored_identity
    from app.casework.oversight import set_profile
    from app.documents.signing import check_identity

    with new_vault(tmp_path / "named.cre", PASS) as vault:
        repo = Repository(vault)
        record = casework.start_case(
            repo, registry, "derby-cse-2017", complete_case(registry, "derby-cse-2017")
        )
        casework.complete(repo, registry, record.id)
        with pytest.raises(NoSigningName, match="add your name in Profile and settings"):
            casework.export_case(
                repo, registry, record.case_id, tmp_path / "out", signing_identity(repo)
            )
        assert stored_identity(repo) is None and not (tmp_path / "out").exists()
        set_profile(repo, name="Fictional Pat Example", agency="Fictional Council")
        first = check_identity(signing_identity(repo))
        assert first.signer == "Fictional Pat Example"
        set_profile(repo, post="Social Worker")  # same name: the same certificate
        assert check_identity(signing_identity(repo)).fingerprint == first.fingerprint
        set_profile(repo, name="Fictional Pat Renamed")
        again = check_identity(signing_identity(repo))
        assert again.signer == "Fictional Pat Renamed" and again.fingerprint != first.fingerprint


def test_a_colleagues_case_is_signed_by_the_current_user_who_the_sign_off_names(
    registry: Registry, tmp_path: Path
) -> None:
    from app.casework import documents
    from app.casework.oversight import set_profile
    from tests.documents.test_documents import full_case, text_of

    with new_vault(tmp_path / "mine.cre", PASS) as vault:
        repo = Repository(vault)
        set_profile(repo, name="Fictional Current User", post="Team Manager",
                    agency="Fictional Council", address="1 Fictional Street",
                    phone="01632 960003")  # fmt: skip
        data = full_case(registry, "derby-cse-2017")  # completed by "Test Practitioner Ŵyn"
        record = casework.start_case(repo, registry, "derby-cse-2017", data)
        casework.complete(repo, registry, record.id)
        documents.adopt_case_file_documents(repo, registry, record.case_id)
        identity = casework.signing_identity(repo)
        result = casework.export_case(repo, registry, record.case_id, tmp_path / "out", identity)
    for doc in result.documents:
        text = text_of(doc.path.read_bytes())
        assert "Signed by: Fictional Current User" in text or doc.kind == "letter", doc.kind
        assert "Digitally signed by Fictional Current User" in text
        if doc.kind == "assessment":  # who completed it stays the colleague
            completed_by = text.split("Assessment completed by")[1]
            assert "Test Practitioner Ŵyn" in completed_by.split("Signature")[0]
            assert "01632 960003" not in text  # never the colleague's name with my number
        if doc.kind == "letter":  # signed off by the person sending it
            closing = text.split("Yours sincerely")[1]
            assert "Fictional Current User" in closing and "Team Manager" in closing
            assert "Test Practitioner" not in closing


def test_an_imported_case_files_plans_go_on_the_vault_route_and_what_is_left_out_is_said(
    registry: Registry, tmp_path: Path
) -> None:
    from app.casework import importing, package
    from tests.documents.test_documents import full_case, text_of

    data = full_case(registry, "derby-cre-2020")
    tk = registry.get("derby-cre-2020")
    aim = tk.data["disruption_tool"]["aims"][0]
    data["disruption_plan"] = {aim["options"][0]["id"]: {"chosen": True}}
    data["support_plan"] = {"rows": [{"outcome": "Fictional outcome typed"}]}
    form_id = data["information_reports"][0]["form"]
    data["information_reports"].append({"form": form_id, "answers": {}})  # a draft
    with new_vault(tmp_path / "imported.cre", PASS) as vault:
        repo = Repository(vault)
        repo.set_setting("profile", {"name": "Test Practitioner Ŵyn"})
        [case_id] = importing.import_cases(repo, registry, data)
        identity = casework.signing_identity(repo)
        result = casework.export_case(repo, registry, case_id, tmp_path / "out", identity)
        assert any(o.kind == package.PLANS for o in package.offers(repo, registry, case_id))
    [plans] = [d for d in result.documents if d.kind == "plans"]
    assert "Fictional outcome typed" in text_of(plans.path.read_bytes())
    assert len(result.left_out) == 2  # both reports are drafts here: each one said
    assert all("a draft: open it and complete it first" in line for line in result.left_out)


def test_signing_as_a_role_keeps_the_name_out_of_an_encrypted_pdfs_signature(
    registry: Registry, tmp_path: Path
) -> None:
    """Without the password, the signature's certificate is all an encrypted PDF shows:
    with "sign as a role" it names the role, never the practitioner."""
    from app.casework import package
    from app.casework.oversight import set_profile
    from app.documents.signing import check_identity

    with new_vault(tmp_path / "role.cre", PASS) as vault:
        repo = Repository(vault)
        set_profile(repo, name="Fictional Pat Hidden", agency="Fictional Council")
        assert check_identity(casework.signing_identity(repo)).signer == "Fictional Pat Hidden"
        set_profile(repo, sign_as_role="Children's Services, Fictional Council")
        identity = casework.signing_identity(repo)
        assert check_identity(identity).signer == "Children's Services, Fictional Council"
        record = casework.start_case(
            repo, registry, "derby-cse-2017", complete_case(registry, "derby-cse-2017")
        )
        casework.complete(repo, registry, record.id)
        passwords = package.new_passwords()
        result = casework.export_case(
            repo, registry, record.case_id, tmp_path / "out", identity, passwords=passwords
        )
    [assessment] = [d for d in result.documents if d.kind == "assessment"]
    blob = assessment.path.read_bytes()
    assert b"Fictional Pat Hidden" not in blob  # nothing readable without the password
    assert "Pat Hidden".encode("utf-16-be") not in blob
    from tests.documents.test_documents import text_of

    assert "Signed by: Fictional Pat Hidden" in text_of(blob, passwords["social_care"])
