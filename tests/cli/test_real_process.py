"""One real `python -m app` process per command group the other command-line tests run in
process: exit codes, one error line, and never a traceback, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import subprocess_cli

GROUPS = {  # group: (arguments, exit code, what stderr says); {tmp} is the test's folder
    "stats": (["stats", "merge", "{tmp}/missing.json", "--csv", "{tmp}/m.csv"], 2, "no such file"),
    "oversight": (["verify", "{tmp}/missing.pdf"], 2, "no such file"),
    "sar": (["sar", "--vault", "{tmp}/v.cre", "--case", "1", "--out", "{tmp}/s"], 2, "no vault at"),
}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_a_refusal_is_one_line_from_a_real_process(group: str, tmp_path: Path) -> None:
    args, code, said = GROUPS[group]
    result = subprocess_cli(
        *[a.replace("{tmp}", str(tmp_path)) for a in args], env={"CRE_VAULT_PASSPHRASE": ""}
    )
    assert result.returncode == code, result.stderr
    assert said in result.stderr and result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "m.csv").exists() and not (tmp_path / "s").exists()


def test_toolkits_and_version_from_a_real_process() -> None:
    listed = subprocess_cli("toolkits", "--json")
    assert listed.returncode == 0 and '"derby-cre-2020"' in listed.stdout, listed.stderr
    version = subprocess_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("cre-toolkit ")
