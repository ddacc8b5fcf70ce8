"""`python -m app export` end to end, with a generated and an imported PKCS#12."""

from __future__ import annotations

import json
from pathlib import Path

from app.documents.signing import generate_identity, verify
from app.forms import Registry
from tests.cli.test_vault_cli import cli
from tests.documents.test_documents import full_case


def test_export_writes_signed_pdfs_and_a_certificate(registry: Registry, tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(
        json.dumps(full_case(registry, "derby-cse-2017"), ensure_ascii=False), "utf-8"
    )
    result = cli("export", str(case_file), "--out", str(tmp_path / "out"), "--encrypt", "--eml")
    assert result.returncode == 0, result.stderr
    assert "PDF password" in result.stdout
    password = result.stdout.split("another route, never in the same email): ")[1].split()[0]
    pem = (tmp_path / "out" / "signer-certificate.pem").read_bytes()
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert [p.name.split("-")[0] for p in pdfs] == ["assessment", "information", "letter"]
    for path in pdfs:
        verdict = verify(path.read_bytes(), pem, password=password)
        assert verdict.intact and verdict.valid and verdict.trusted


def test_export_with_an_organisation_p12_and_a_refused_letter(
    registry: Registry, tmp_path: Path
) -> None:
    identity = generate_identity("Test Signer", "Test Council")
    (tmp_path / "org.p12").write_bytes(identity.pkcs12)
    data = full_case(registry, "bedfordshire-cse", age=16)
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    import os
    import subprocess
    import sys

    env = {**os.environ, "CRE_P12_PASSWORD": identity.password.decode()}
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", str(case_file), "--out", str(tmp_path / "o"), "--sign-p12", str(tmp_path / "org.p12")],
        capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "disruption letter NOT produced" in result.stdout and "must be under 16" in result.stdout
    assert not list((tmp_path / "o").glob("letter*"))
    assessment = next((tmp_path / "o").glob("assessment*.pdf"))
    verdict = verify(assessment.read_bytes(), identity.certificate_pem())
    assert verdict.trusted
    bad = cli("export", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "no such file" in bad.stderr
