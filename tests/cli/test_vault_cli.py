"""`python -m app vault ...` and `demo` as a user runs them, on real files: through
`app.cli.main` in this process, and once as a real `python -m app` process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from app.forms import Registry
from tests.helpers.cli import in_process, subprocess_cli
from tests.storage.conftest import sample

SECRET = "a fictional cli passphrase"


def cli(
    *args: str, secret: str = SECRET, new: str | None = None
) -> subprocess.CompletedProcess[str]:
    return in_process(*args, env={"CRE_VAULT_PASSPHRASE": secret, "CRE_VAULT_NEW_PASSPHRASE": new})


@pytest.mark.long
def test_vault_commands_as_a_real_process(tmp_path: Path) -> None:
    """The real process at the real scrypt cost: exit codes, and no traceback ever."""
    vault = str(tmp_path / "v.cre")
    made = subprocess_cli("vault", "create", "--vault", vault, env={"CRE_VAULT_PASSPHRASE": SECRET})
    assert made.returncode == 0, made.stderr
    wrong = subprocess_cli("vault", "check", "--vault", vault, env={"CRE_VAULT_PASSPHRASE": "no"})
    assert wrong.returncode == 2 and "Wrong passphrase" in wrong.stderr
    assert "Traceback" not in wrong.stderr and len(wrong.stderr.splitlines()) == 1
    check = subprocess_cli("vault", "check", "--vault", vault, env={"CRE_VAULT_PASSPHRASE": SECRET})
    assert check.returncode == 0 and check.stdout.startswith("ok"), check.stderr


def test_vault_lifecycle(registry: Registry, tmp_path: Path) -> None:
    vault = str(tmp_path / "v.cre")
    assert cli("vault", "create", "--vault", vault).returncode == 0
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(sample(registry, "portsmouth-cse-2016")), "utf-8")
    imported = cli("vault", "import", str(case_file), "--vault", vault)
    assert imported.returncode == 0 and "imported 1 case" in imported.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1}), "utf-8")
    refused = cli("vault", "import", str(bad), "--vault", vault)
    assert refused.returncode == 2 and "nothing was imported" in refused.stderr
    out = tmp_path / "out.json"
    assert (
        cli("vault", "export", "--case", "1", "--out", str(out), "--vault", vault).returncode == 0
    )
    assert json.loads(out.read_text("utf-8"))["toolkit"] == "portsmouth-cse-2016"
    check = cli("vault", "check", "--vault", vault)
    assert check.returncode == 0 and check.stdout.startswith("ok")
    assert (
        cli("vault", "backup", "--out", str(tmp_path / "b.cre"), "--vault", vault).returncode == 0
    )
    restored = cli("vault", "restore", str(tmp_path / "b.cre"), "--out", str(tmp_path / "r.cre"))
    assert restored.returncode == 0, restored.stderr
    assert (
        cli("vault", "rekey", "--vault", vault, new="another fictional passphrase").returncode == 0
    )
    wrong = cli("vault", "check", "--vault", vault)
    assert wrong.returncode == 2 and "Wrong passphrase" in wrong.stderr
    assert (
        cli("vault", "check", "--vault", vault, secret="another fictional passphrase").returncode
        == 0
    )


def test_a_bundle_with_several_bad_cases_names_every_one_on_one_line(
    registry: Registry, tmp_path: Path
) -> None:
    """A practitioner fixing a bundle learns every bad case from one run, not one per run;
    the refusal stays one line and nothing is imported."""
    from app.storage import Repository, Vault

    vault = str(tmp_path / "v.cre")
    assert cli("vault", "create", "--vault", vault).returncode == 0
    good = sample(registry, "portsmouth-cse-2016")
    no_birth = sample(registry, "derby-cse-2017")
    no_birth["child"]["date_of_birth"] = "yesterday"
    bad_date = sample(registry, "portsmouth-cse-2016")
    bad_date["assessment_date"] = "31/02/2026"
    bundle = tmp_path / "bundle.json"
    bundle.write_text(
        json.dumps({"format": "cre-case-export", "version": 1,
                    "cases": [good, no_birth, good, bad_date, no_birth]}),
        "utf-8",
    )  # fmt: skip
    refused = cli("vault", "import", str(bundle), "--vault", vault)
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 1, refused.stderr
    line = refused.stderr
    assert line.startswith(f"error: {bundle}: cases[1].child.date_of_birth"), line
    assert "and 2 more cases have a problem" in line, line
    assert "cases[3].assessment_date" in line and "cases[4].child.date_of_birth" in line, line
    assert "nothing was imported" in line and "Traceback" not in line
    with Vault.open(vault, SECRET) as v:
        assert Repository(v).count_cases() == 0


def test_check_fails_on_a_tampered_audit_chain(registry: Registry, tmp_path: Path) -> None:
    from app.storage import Vault

    vault = tmp_path / "v.cre"
    assert cli("vault", "create", "--vault", str(vault)).returncode == 0
    with Vault.open(vault, SECRET) as v:
        v.pragma("UPDATE audit SET action = 'edited' WHERE id = 1")
    result = cli("vault", "check", "--vault", str(vault))
    assert result.returncode == 1 and "audit chain broken at audit entry 1" in result.stdout


def test_demo_vault(tmp_path: Path) -> None:
    result = cli("demo", "--vault", str(tmp_path / "demo.cre"))
    assert result.returncode == 0, result.stderr
    secret = result.stdout.split("passphrase: ")[1].strip()
    listing = cli("vault", "check", "--vault", str(tmp_path / "demo.cre"), secret=secret)
    assert listing.returncode == 0
    from app.storage import Repository, Vault

    with Vault.open(tmp_path / "demo.cre", secret) as v:
        cases = Repository(v).list_cases()
    assert len(cases) >= 10
    assert all(c.child_name.startswith("Demo ") for c in cases)
    assert {c.toolkit for c in cases} == {
        "derby-cse-2017",
        "derby-cre-2020",
        "portsmouth-cse-2016",
        "bedfordshire-cse",
    }
    assert {c.level for c in cases} >= {"none", "low", "medium", "high", "exploited"}
