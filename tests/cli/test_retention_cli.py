"""`vault close|recorded|retention|purge` and `sar`, run in-process through app.cli.main
on real encrypted vaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.forms import Registry
from app.storage import Repository, Vault
from tests.casework.retention_support import other_case, rich_case
from tests.storage.conftest import PASSPHRASE


@pytest.fixture
def vault(tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "v.cre"
    with Vault.create(path, PASSPHRASE) as v:
        repo = Repository(v)
        rich_case(repo, registry)
        other_case(repo, registry)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_close_list_and_purge_from_the_command_line(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v = str(vault)
    with pytest.raises(SystemExit):  # neither --dry-run nor --yes: nothing is assumed
        main(["vault", "purge", "--vault", v])
    capsys.readouterr()
    code, out, _ = run(capsys, "vault", "purge", "--vault", v, "--yes")
    assert code == 0 and "no closed case is due" in out  # nothing is closed yet
    code, out, _ = run(capsys, "vault", "purge", "--vault", v, "--dry-run", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "vault", "close", "--vault", v, "--case", "1",
                       "--date", "2020-01-05", "--reason", "Moved")  # fmt: skip
    assert code == 0 and "closed case 1 on 05/01/2020" in out
    code, out, _ = run(capsys, "vault", "purge", "--vault", v, "--dry-run")
    assert "held: case 1" in out and "not yet marked recorded" in out
    code, out, _ = run(capsys, "vault", "retention", "--vault", v, "--days", "30",
                       "--require-recorded", "no")  # fmt: skip
    assert code == 0 and "30 days after closure" in out and "need not" in out
    code, out, _ = run(capsys, "vault", "purge", "--vault", v, "--dry-run", "--json")
    assert json.loads(out) == [
        {"case": 1, "reference": "CRE-20260301-ABCQ7", "closed": "2020-01-05",
         "due": "2020-02-04"}
    ]  # fmt: skip
    backup = tmp_path / "before.cre"
    assert run(capsys, "vault", "backup", "--vault", v, "--out", str(backup))[0] == 0
    code, out, _ = run(capsys, "vault", "purge", "--vault", v, "--yes", "--why", "policy")
    assert code == 0 and "purged case 1 (CRE-20260301-ABCQ7)" in out
    assert f"the backup {backup} was made before this purge" in out
    code, out, _ = run(capsys, "vault", "backup", "--vault", v, "--out", str(tmp_path / "b2"))
    assert f"older backup {backup} was made before a purge" in out
    code, out, _ = run(capsys, "sar", "--vault", v, "--case", "1", "--out", str(tmp_path / "s"))
    assert code == 3 and "was purged on" in out and "Zebedee" not in out
    code, out, _ = run(capsys, "vault", "check", "--vault", v)
    assert code == 0, out
    restored = tmp_path / "restored.cre"
    code, out, _ = run(capsys, "vault", "restore", str(backup), "--out", str(restored))
    assert code == 0 and "holds 1 closed case(s) past their retention period" in out


def test_bad_input_is_one_line_naming_the_field(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v = str(vault)
    code, _, err = run(capsys, "vault", "close", "--vault", v, "--case", "1",
                       "--date", "05/01/2020", "--reason", "moved")  # fmt: skip
    assert code == 2 and err.startswith("error: Closed on:") and len(err.splitlines()) == 1
    code, _, err = run(capsys, "vault", "close", "--vault", v, "--case", "9",
                       "--date", "2020-01-05", "--reason", "moved")  # fmt: skip
    assert code == 2 and "9" in err and "Traceback" not in err
    code, _, err = run(capsys, "vault", "retention", "--vault", v, "--days", "-4")
    assert code == 2 and "Days after closure" in err


def test_sar_writes_the_signed_pdf_and_the_case_file(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "sar"
    code, out, _ = run(capsys, "sar", "--vault", str(vault), "--case", "1", "--out", str(out_dir))
    assert code == 0 and "signed PDF" in out
    assert len(list(out_dir.glob("*.pdf"))) == 1 and len(list(out_dir.glob("*.json"))) == 1
    code, _, err = run(capsys, "sar", "--vault", str(vault), "--case", "77", "--out", str(out_dir))
    assert code == 2 and "no case 77" in err
