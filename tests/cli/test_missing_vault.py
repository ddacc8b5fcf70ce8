"""A mistyped --vault is named before any passphrase is asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main

COMMANDS = (
    ["vault", "check"],
    ["vault", "rekey"],
    ["vault", "purge", "--dry-run"],
    ["vault", "receive", "handover.cre-handover"],
    ["sar", "--case", "1", "--out", "sar-out"],
    ["stats", "--from", "2026-01-01", "--to", "2026-06-30"],
    ["export", "--case", "1", "--out", "export-out"],
)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_vault_is_named_before_the_passphrase(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("CRE_VAULT_PASSPHRASE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handover.cre-handover").write_bytes(b"fictional")
    missing = tmp_path / "mistyped.cre"
    code = main([*command, "--vault", str(missing)])
    err = capsys.readouterr().err
    assert code != 0
    assert f"There is no vault at {missing}" in err, err
    assert "passphrase" not in err, err
    assert "Traceback" not in err
    assert not missing.exists()
    assert not (tmp_path / "sar-out").exists()
