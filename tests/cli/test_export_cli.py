"""`python -m app export` end to end, with a generated and an imported PKCS#12."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from pypdf import PdfReader

from app.documents.signing import generate_identity, verify
from app.forms import Registry
from tests.cli.test_vault_cli import SECRET, cli
from tests.documents.test_documents import full_case
from tests.helpers.cli import in_process, subprocess_cli


def said_passwords(stdout: str) -> dict[str, str]:
    """The passwords an export printed, by the files they open."""
    return {
        line.split("PDF password for ")[1].split(" (")[0]: line.rsplit(": ", 1)[1]
        for line in stdout.splitlines()
        if line.startswith("PDF password for ")
    }


def own_password(name: str, said: dict[str, str]) -> str | None:
    """The password a written file opens with, by its kind (the letter: none)."""
    if name.startswith("letter"):
        return said.get("the letter")
    if name.startswith("information"):
        return said["the police referral unit's files"]
    return said["Children's Social Care's files"]


def test_export_writes_signed_pdfs_and_a_certificate(registry: Registry, tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(
        json.dumps(full_case(registry, "derby-cse-2017"), ensure_ascii=False), "utf-8"
    )
    result = cli("export", str(case_file), "--out", str(tmp_path / "out"), "--encrypt", "--eml")
    assert result.returncode == 0, result.stderr
    assert "PDF password" in result.stdout
    said = said_passwords(result.stdout)
    police = said["the police referral unit's files"]
    care = said["Children's Social Care's files"]
    assert police != care and "the letter" not in said  # the letter: on its own, plain
    pem = (tmp_path / "out" / "signer-certificate.pem").read_bytes()
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    kinds = [p.name.split("-")[0] for p in pdfs]
    assert kinds == ["assessment", "authorisation", "information", "letter"]
    owns = {"assessment": care, "authorisation": care, "information": police, "letter": None}
    for path in pdfs:
        own = owns[path.name.split("-")[0]]
        verdict = verify(path.read_bytes(), pem, password=own)
        assert verdict.intact and verdict.valid and verdict.trusted
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        assert reader.is_encrypted == (own is not None)
        for other in {police, care} - {own}:
            if own is not None:
                assert not PdfReader(io.BytesIO(path.read_bytes())).decrypt(other)
    for eml in (tmp_path / "out").glob("*.eml"):
        text = eml.read_bytes().decode("ascii", "replace")
        assert police not in text and care not in text


def test_export_with_an_organisation_p12_and_a_refused_letter(
    registry: Registry, tmp_path: Path
) -> None:
    identity = generate_identity("Test Signer", "Test Council")
    (tmp_path / "org.p12").write_bytes(identity.pkcs12)
    data = full_case(registry, "bedfordshire-cse", age=16)
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    # export's smoke test as a real `python -m app` process (the others run in this one)
    result = subprocess_cli(
        "export", str(case_file), "--out", str(tmp_path / "o"),
        "--sign-p12", str(tmp_path / "org.p12"),
        env={"CRE_P12_PASSWORD": identity.password.decode()},
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "disruption letter NOT produced" in result.stdout and "must be under 16" in result.stdout
    assert not list((tmp_path / "o").glob("letter*"))
    assessment = next((tmp_path / "o").glob("assessment*.pdf"))
    verdict = verify(assessment.read_bytes(), identity.certificate_pem())
    assert verdict.trusted
    bad = cli("export", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "no such file" in bad.stderr


def write_case(tmp_path: Path, data: dict[str, object]) -> str:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return str(case_file)


def test_an_incomplete_case_needs_draft_and_is_then_marked(
    registry: Registry, tmp_path: Path
) -> None:
    from tests.documents.test_content import pages

    data = full_case(registry, "derby-cre-2020")
    data["final_level"] = None
    case_file = write_case(tmp_path, data)
    refused = cli("export", case_file, "--out", str(tmp_path / "final"))
    assert refused.returncode == 2 and "Choose the final level" in refused.stderr
    assert "--draft" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "final").exists() or not list((tmp_path / "final").glob("*.pdf"))
    draft = cli("export", case_file, "--out", str(tmp_path / "draft"), "--draft")
    assert draft.returncode == 0, draft.stderr
    assert "DRAFT" in draft.stdout
    for pdf in (tmp_path / "draft").glob("*.pdf"):
        assert all("DRAFT" in page for page in pages(pdf))


def test_email_drafts_need_encryption_or_an_explicit_choice(
    registry: Registry, tmp_path: Path
) -> None:
    case_file = write_case(tmp_path, full_case(registry, "portsmouth-cse-2016"))
    refused = cli("export", case_file, "--out", str(tmp_path / "a"), "--eml")
    assert refused.returncode == 2 and "--encrypt" in refused.stderr
    plain = cli("export", case_file, "--out", str(tmp_path / "b"), "--eml", "--unencrypted-eml")
    assert plain.returncode == 0, plain.stderr
    assert "WARNING" in plain.stdout and "UNENCRYPTED" in plain.stdout
    assert len(list((tmp_path / "b").glob("*.eml"))) == 3


def test_a_wrong_p12_password_is_a_clear_message(registry: Registry, tmp_path: Path) -> None:
    identity = generate_identity("Test Signer", "Test Council")
    (tmp_path / "org.p12").write_bytes(identity.pkcs12)
    case_file = write_case(tmp_path, full_case(registry, "derby-cse-2017"))
    result = cli("export", case_file, "--out", str(tmp_path / "o"), "--sign-p12", str(tmp_path / "org.p12"))  # fmt: skip
    assert result.returncode == 2
    assert "did not open with that password" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "o").exists()


def test_the_vault_signs_every_export_with_one_certificate(
    registry: Registry, tmp_path: Path
) -> None:
    vault = str(tmp_path / "v.cre")
    assert cli("vault", "create", "--vault", vault).returncode == 0
    case_file = write_case(tmp_path, full_case(registry, "bedfordshire-cse"))
    refused = cli("export", case_file, "--out", str(tmp_path / "none"), "--vault", vault)
    assert refused.returncode == 2 and "add your name in Profile" in refused.stderr
    assert not (tmp_path / "none").exists()  # nothing signed in no one's name
    named = cli("profile", "--vault", vault, "--name", "Test Practitioner Ŵyn")
    assert named.returncode == 0, named.stderr
    prints = []
    for out in ("one", "two"):
        result = cli("export", case_file, "--out", str(tmp_path / out), "--vault", vault)
        assert result.returncode == 0, result.stderr
        prints.append(result.stdout.split("fingerprint (SHA-256): ")[1].split()[0])
    assert prints[0] == prints[1]
    pem = (tmp_path / "one" / "signer-certificate.pem").read_bytes()
    assert pem == (tmp_path / "two" / "signer-certificate.pem").read_bytes()
    for pdf in (tmp_path / "two").glob("*.pdf"):
        assert verify(pdf.read_bytes(), pem).trusted


def test_an_organisation_p12_is_checked_then_kept_in_the_vault(
    registry: Registry, tmp_path: Path
) -> None:
    from tests.documents.test_signing import organisation_identity

    vault = str(tmp_path / "v.cre")
    assert cli("vault", "create", "--vault", vault).returncode == 0
    case_file = write_case(tmp_path, full_case(registry, "derby-cse-2017"))

    def export(p12: Path, password: bytes, out: str) -> subprocess.CompletedProcess[str]:
        env = {"CRE_VAULT_PASSPHRASE": SECRET, "CRE_P12_PASSWORD": password.decode()}
        args = ["export", case_file, "--out", str(tmp_path / out), "--vault", vault]
        if p12.name:
            args += ["--sign-p12", str(p12)]
        return in_process(*args, env=env)

    unusable = organisation_identity(non_repudiation=False)
    (tmp_path / "bad.p12").write_bytes(unusable.pkcs12)
    refused = export(tmp_path / "bad.p12", unusable.password, "x")
    assert refused.returncode == 2 and "non-repudiation" in refused.stderr
    good = organisation_identity()
    (tmp_path / "org.p12").write_bytes(good.pkcs12)
    assert export(tmp_path / "org.p12", good.password, "y").returncode == 0
    later = export(Path(""), b"", "z")  # no --sign-p12: the vault's stored certificate
    assert later.returncode == 0, later.stderr
    for pdf in (tmp_path / "z").glob("*.pdf"):
        assert verify(pdf.read_bytes(), good.certificate_pem()).valid
