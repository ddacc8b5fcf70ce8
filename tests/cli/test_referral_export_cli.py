"""`python -m app export --vault … --case …`: the latest completed assessment and completed
documents of a vault case, never a newer draft (through app.cli.main in this process)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from app.casework import documents
from app.casework.identity import signing_identity
from app.documents.signing import verify
from app.forms import Registry
from app.storage import Repository, Vault
from tests.cli.test_export_cli import own_password, said_passwords
from tests.documents.test_documents import full_case, text_of
from tests.helpers.cli import in_process
from tests.ui.test_referral_forms import LETTERHEAD
from tests.ui.test_referral_letter import wording

SECRET = "a fictional export passphrase"


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return in_process(*args, env={"CRE_VAULT_PASSPHRASE": SECRET, **env})


def vault_with_a_review(registry: Registry, path: Path) -> int:
    """A completed 2020 assessment with a completed report and letter, then a review
    started whose draft names the child differently (so a draft leak would show)."""
    vault = Vault.create(path, SECRET)
    repo = Repository(vault)
    repo.set_setting("profile", LETTERHEAD)
    data: dict[str, Any] = full_case(registry, "derby-cre-2020")
    reports, letter = data.pop("information_reports"), data.pop("letter")
    letter.update(wording(registry.get("derby-cre-2020")))
    data["child"]["name"] = "Test Child Completed"
    record = repo.create_case(registry.get("derby-cre-2020"), data)
    repo.complete(record.id, "high", None)
    report = documents.new_report(repo, registry, record.case_id, "operation_liberty")
    answers = {**report.data["answers"], **reports[0]["answers"], "incident_details": "Fictional"}
    answers["victim"] = "Test Victim Completed"
    documents.complete_document(
        repo, registry, report.id, {"form": "operation_liberty", "answers": answers}
    )
    draft_report = documents.new_report(repo, registry, record.case_id, "operation_liberty")
    documents.save_draft(
        repo, draft_report.id,
        {"form": "operation_liberty", "answers": {"victim": "Test Victim Draft"}},
    )  # fmt: skip
    made = documents.new_letter(repo, record.case_id)
    documents.complete_document(repo, registry, made.id, letter)
    review = repo.start_review(record.case_id)
    changed = dict(review.answers)
    changed["child"] = {**changed["child"], "name": "Test Child Draft Review"}
    repo.save_draft(review.id, changed)
    vault.close()
    return record.case_id


def test_export_after_a_review_started_takes_the_completed_assessment(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "v.cre"
    case_id = vault_with_a_review(registry, path)
    out = tmp_path / "out"
    run = cli(
        "export", "--vault", str(path), "--case", str(case_id), "--out", str(out),
        "--encrypt", "--eml",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    said = said_passwords(run.stdout)
    assert len(said) == 2, run.stdout
    assert "not exported: CRE Information Report Operation Liberty: Test Victim Draft" in (
        run.stdout
    )
    vault = Vault.open(path, SECRET)
    repo = Repository(vault)
    pem = signing_identity(repo).certificate_pem()
    records = repo.assessments(case_id)
    assert [r.status for r in records] == ["signed", "draft"]  # the review draft untouched
    vault.close()
    pdfs = sorted(out.glob("*.pdf"))
    texts = " ".join(text_of(p.read_bytes(), own_password(p.name, said)) for p in pdfs)
    for pdf in pdfs:
        assert verify(pdf.read_bytes(), pem, own_password(pdf.name, said)).trusted
    assert "Test Child Completed" in texts
    assert "Test Child Draft Review" not in texts
    assert "Test Victim Completed" in texts and "Test Victim Draft" not in texts
    assert "Fictional Person One" in texts  # the completed letter
    assert list(out.glob("*.eml"))


def test_export_refuses_bad_arguments_and_unknown_cases(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "v.cre"
    vault_with_a_review(registry, path)
    missing = cli("export", "--vault", str(path), "--case", "99", "--out", str(tmp_path / "o"))
    assert missing.returncode == 2 and "--case 99: no such case" in missing.stderr
    alone = cli("export", "--vault", str(path), "--out", str(tmp_path / "o"))
    assert alone.returncode == 2 and "--vault PATH --case ID" in alone.stderr
    wrong = cli(
        "export", "--vault", str(path), "--case", "1", "--out", str(tmp_path / "o"),
        CRE_VAULT_PASSPHRASE="not the passphrase",
    )  # fmt: skip
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert not (tmp_path / "o").exists()
    nothing = cli("export", "--out", str(tmp_path / "o"))
    assert nothing.returncode == 2 and "--vault PATH --case ID" in nothing.stderr
