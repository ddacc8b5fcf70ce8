"""No command writes an output onto the vault, a file of the vault, or an input it reads.

Each run is the real `main()` on a real encrypted vault (in-process, cheap KDF). After a
refusal the vault, its anchor and the inputs are byte for byte as before, the exit code
is 2 and stderr is one line naming the option.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.cli import main
from app.forms import Registry
from app.storage import Repository, Vault
from tests.storage.conftest import sample

SECRET = "a fictional guard passphrase"


@pytest.fixture
def world(registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", SECRET)
    vault = tmp_path / "v.cre"
    with Vault.create(vault, SECRET) as v:
        Repository(v).create_case(registry.get("derby-cse-2017"), sample(registry))
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(sample(registry, "portsmouth-cse-2016")), "utf-8")
    backup = tmp_path / "b.cre"
    assert main(["vault", "backup", "--vault", str(vault), "--out", str(backup)]) == 0
    bundle = tmp_path / "bundle.json"
    assert (
        main(
            [
                "stats",
                "--vault",
                str(vault),
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--bundle",
                str(bundle),
            ]
        )
        == 0
    )
    link = tmp_path / "link.csv"
    link.symlink_to(vault)
    return {"vault": vault, "case": case_file, "backup": backup, "bundle": bundle, "link": link}


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and "data" not in p.parts
    }


def _refused(args: list[str], option: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    before = _fingerprint(folder)
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, (args, err)
    assert len(err.strip().splitlines()) == 1, err
    assert option in err and "nothing was written" in err, err
    assert _fingerprint(folder) == before, args
    return err


STATS = ["--from", "2026-01-01", "--to", "2026-12-31"]


def test_every_vault_output_refuses_the_vault_and_its_files(
    world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v = str(world["vault"])
    anchor, wal, lock = f"{v}.anchor", f"{v}-wal", f"{v}.lock"
    assert Path(anchor).exists()
    cases = [
        (["vault", "export", "--vault", v, "--out", v], "--out"),
        (["vault", "export", "--vault", v, "--out", anchor], "--out"),
        (["vault", "export", "--vault", v, "--out", wal], "--out"),
        (["vault", "export", "--vault", v, "--out", str(world["link"])], "--out"),
        (["vault", "export", "--vault", v, "--case", "1", "--out", lock], "--out"),
        (["vault", "backup", "--vault", v, "--out", v], "--out"),
        (["vault", "backup", "--vault", v, "--out", anchor], "--out"),
        (["stats", "--vault", v, *STATS, "--csv", v], "--csv"),
        (["stats", "--vault", v, *STATS, "--pdf", v], "--pdf"),
        (["stats", "--vault", v, *STATS, "--bundle", v], "--bundle"),
        (["stats", "--vault", v, *STATS, "--bundle", anchor], "--bundle"),
        (["stats", "--vault", v, *STATS, "--csv", str(world["link"])], "--csv"),
        (["stats", "merge", str(world["bundle"]), "--csv", v], "--csv"),  # no --vault: seen
        (["stats", "merge", str(world["bundle"]), "--csv", "x.csv", "--pdf", v], "--pdf"),
        (["stats", "merge", str(world["bundle"]), "--csv", str(world["backup"])], "--csv"),
        (["countersign", "any.pdf", "--vault", v, "--out", v], "--out"),
        (["identity", "--vault", v, "--export-cert", v], "--export-cert"),
        (["identity", "--vault", v, "--export-cert", anchor], "--export-cert"),
        (["vault", "handover", "--vault", v, "--case", "1", "--to", "c.pem", "--out", v], "--out"),
        (["export", str(world["case"]), "--vault", v, "--out", v], "--out"),
        (["export", "--vault", v, "--case", "1", "--out", v], "--out"),
        (["vault", "restore", str(world["backup"]), "--out", v], "--out"),
    ]
    for args, option in cases:
        err = _refused(args, option, tmp_path, capsys)
        assert "vault" in err or "input" in err, err


def test_outputs_refuse_their_own_inputs(
    world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v = str(world["vault"])
    bundle, case, backup = str(world["bundle"]), str(world["case"]), str(world["backup"])
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(b"%PDF-1.7\n fictional\n")
    cert = tmp_path / "c.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n", "utf-8")
    cases = [
        (["stats", "merge", bundle, "--csv", bundle], "--csv"),
        (["stats", "merge", bundle, "--csv", "m.csv", "--pdf", bundle], "--pdf"),
        (
            [
                "stats",
                "--vault",
                v,
                *STATS,
                "--csv",
                str(tmp_path / "s"),
                "--pdf",
                str(tmp_path / "s"),
            ],
            "--pdf",
        ),
        (["export", case, "--out", case], "--out"),
        (["countersign", str(pdf), "--vault", v, "--out", str(pdf)], "--out"),
        (
            [
                "vault",
                "handover",
                "--vault",
                v,
                "--case",
                "1",
                "--to",
                str(cert),
                "--out",
                str(cert),
            ],
            "--out",
        ),
        (["vault", "restore", backup, "--out", backup], "--out"),
        (["vault", "restore", backup, "--out", f"{backup}-wal"], "--out"),
    ]
    for args, option in cases:
        _refused(args, option, tmp_path, capsys)


def test_outputs_refuse_folders_and_pipes(
    world: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    v = str(world["vault"])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _refused(["vault", "export", "--vault", v, "--out", str(tmp_path)], "--out", tmp_path, capsys)
    _refused(
        ["stats", "merge", str(world["bundle"]), "--csv", str(fifo)], "--csv", tmp_path, capsys
    )


def test_the_guard_lets_an_ordinary_output_through(world: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "again.csv"
    args = ["stats", "merge", str(world["bundle"]), "--csv", str(out)]
    assert main(args) == 0
    assert main(args) == 0  # overwriting its own earlier CSV is fine
    v = str(world["vault"])
    export = tmp_path / "cases.json"
    assert main(["vault", "export", "--vault", v, "--out", str(export)]) == 0
    assert main(["vault", "export", "--vault", v, "--out", str(export)]) == 0
    with Vault.open(world["vault"], SECRET) as vault:
        assert vault.check() == []
