"""Damage named as damage: flipped bytes in the header or in any page, a zeroed page, broken
audit entries. `vault check` reports each of them and never fails itself; a damaged header
is never called a wrong passphrase (the anchor's salt tells them apart)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.forms import Registry
from app.storage import Repository, Vault, VaultDamagedError, WrongPassphraseError
from tests.storage.conftest import PASSPHRASE, sample

PAGE = 4096


@pytest.fixture
def pristine(registry: Registry, tmp_path: Path) -> Path:
    path = tmp_path / "pristine" / "vault.cre"
    with Vault.create(path, PASSPHRASE) as v:
        repo = Repository(v)
        for _ in range(25):
            repo.create_case(registry.get("derby-cse-2017"), sample(registry))
    return path


def _damaged(pristine: Path, tmp_path: Path, name: str, offset: int, zero: bool = False) -> Path:
    target = tmp_path / name / "vault.cre"
    target.parent.mkdir()
    shutil.copy(pristine, target)
    shutil.copy(f"{pristine}.anchor", f"{target}.anchor")
    data = bytearray(target.read_bytes())
    if zero:
        data[offset : offset + PAGE] = bytes(PAGE)
    else:
        data[offset] ^= 0x40
    target.write_bytes(bytes(data))
    return target


def test_a_flipped_salt_byte_is_damage_not_a_wrong_passphrase(
    pristine: Path, tmp_path: Path
) -> None:
    for offset in (0, 7, 15):
        vault = _damaged(pristine, tmp_path, f"salt{offset}", offset)
        with pytest.raises(VaultDamagedError) as caught:
            Vault.open(vault, PASSPHRASE)
        text = str(caught.value)
        assert "damaged" in text and "passphrase may be right" in text
        assert "restore a backup" in text and "Wrong passphrase" not in text
        with pytest.raises(WrongPassphraseError, match="or the vault file is damaged"):
            Vault.open(vault, "not the fictional passphrase")  # cannot tell: says both
    with pytest.raises(WrongPassphraseError) as wrong:
        Vault.open(pristine, "not the fictional passphrase")
    assert "damaged" not in str(wrong.value)  # the anchor's salt matches: surely wrong


def test_check_reports_every_damaged_page_and_never_fails_itself(
    pristine: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    size = pristine.stat().st_size
    damages = [
        ("page1", 20, False, 1),
        ("page1-body", 2000, False, 1),
        ("page2", PAGE + 100, False, 2),
        ("page5", 4 * PAGE + 500, False, 5),
        ("last", size - 100, False, size // PAGE),
        ("zero3", 2 * PAGE, True, 3),
        ("zero-last", size - PAGE, True, size // PAGE),
    ]
    for name, offset, zero, page in damages:
        vault = _damaged(pristine, tmp_path, name, offset, zero)
        before = vault.read_bytes()
        capsys.readouterr()
        code = main(["vault", "check", "--vault", str(vault)])
        out = capsys.readouterr()
        text = out.out + out.err
        assert code != 0, name
        assert f"HMAC verification failed for page {page}" in text, (name, text)
        assert "restore a backup" in text and "passphrase" in text, (name, text)
        assert "unexpected problem" not in text and "Traceback" not in text, (name, text)
        assert "Wrong passphrase" not in text, (name, text)
        assert vault.read_bytes() == before, name  # checking never writes the file


def test_check_reports_every_broken_audit_entry(
    pristine: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    with Vault.open(pristine, PASSPHRASE) as v:
        v.pragma("UPDATE audit SET action = 'edited' WHERE id = 3")
        v.pragma("UPDATE audit SET detail = '{}' WHERE id = 9")
        v.pragma("DELETE FROM audit WHERE id IN (14, 15)")
    assert main(["vault", "check", "--vault", str(pristine)]) == 1
    out = capsys.readouterr().out
    for entry in ("audit entry 3:", "audit entry 9:", "audit entry 16: entries 14 to 15"):
        assert entry in out, out


def test_a_damaged_vault_takes_no_import(
    registry: Registry,
    pristine: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    vault = _damaged(pristine, tmp_path, "import", 4 * PAGE + 500)
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(sample(registry)), "utf-8")
    before = vault.read_bytes()
    capsys.readouterr()
    assert main(["vault", "import", str(case_file), "--vault", str(vault)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "restore a backup" in err and len(err.splitlines()) == 1
    assert vault.read_bytes() == before
