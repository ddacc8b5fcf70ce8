"""Key derivation: the real scrypt parameters, upgrades of older vaults, NFC, strength, Lock."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from app.cli import main
from app.storage import Repository, Vault, WeakPassphraseError, WrongPassphraseError, keys, pages
from tests.storage.conftest import PASSPHRASE


def _fits(path: Path, passphrase: str, n: int) -> bool:
    return pages.key_fits(path, keys.derive(passphrase, keys.salt_of(path), n))


@pytest.mark.real_kdf
def test_real_kdf_parameters_and_an_old_vault_is_upgraded_at_unlock(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (keys.SCRYPT_N, keys.SCRYPT_R, keys.SCRYPT_P) == (2**17, 8, 1)  # OWASP minimum
    assert keys.KEY_BYTES == 32 and keys.SALT_BYTES == 16
    assert 2**15 in keys.LEGACY_N
    with monkeypatch.context() as m:  # a vault made by the previous release
        m.setattr(keys, "SCRYPT_N", 2**15)
        with Vault.create(vault_path, PASSPHRASE) as v:
            Repository(v).set_setting("marker", "made at N=2^15")
    old_salt = keys.salt_of(vault_path)
    assert _fits(vault_path, PASSPHRASE, 2**15)
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert Repository(v).get_setting("marker") == "made at N=2^15"
        assert v.check() == [] and Repository(v).verify_audit() is None
    assert keys.salt_of(vault_path) != old_salt
    assert _fits(vault_path, PASSPHRASE, 2**17)
    assert not _fits(vault_path, PASSPHRASE, 2**15)
    with Vault.open(vault_path, PASSPHRASE) as v:
        actions = [r[0] for r in v.pragma("SELECT action FROM audit ORDER BY id")]
        assert actions.count("passphrase protection upgraded") == 1
        assert v.history_problems() == []


def test_passphrases_are_nfc_normalised(vault_path: Path) -> None:
    composed = "Zoë's fictional passphrase"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    Vault.create(vault_path, decomposed).close()
    with Vault.open(vault_path, composed) as v:
        assert v.check() == []


def test_a_vault_keyed_before_normalisation_opens_and_is_upgraded(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë's fictional passphrase")
    with monkeypatch.context() as m:
        m.setattr(keys, "normalise", lambda text: text)  # the old behaviour
        Vault.create(vault_path, decomposed).close()
    with Vault.open(vault_path, decomposed) as v:
        assert v.check() == []
    with Vault.open(vault_path, unicodedata.normalize("NFC", decomposed)):
        pass


@pytest.mark.parametrize(
    "weak", ["password1234", "qwertyuiop123", "aaaaaaaaaaaaaaaa", "Password2026!", "iloveyou1234"]
)
def test_weak_passphrases_are_refused_with_zxcvbn_feedback(vault_path: Path, weak: str) -> None:
    with pytest.raises(WeakPassphraseError, match="too easy to guess"):
        Vault.create(vault_path, weak)
    assert not vault_path.exists()


def test_a_passphrase_that_is_not_text_is_one_clean_line(
    vault_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Vault.create(vault_path, PASSPHRASE).close()
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", "fictional \udcff passphrase")  # raw byte 0xff
    assert main(["vault", "check", "--vault", str(vault_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not valid text" in err and "Traceback" not in err


def test_lock_forgets_the_keys(vault_path: Path) -> None:
    vault = Vault.create(vault_path, PASSPHRASE)
    key = vault._key
    audit_key = vault._audit_key
    assert key is not None and any(key.key) and any(audit_key)
    vault.close()
    assert vault._key is None and not any(key.key) and not any(audit_key)
    with pytest.raises(Exception, match="locked"):
        Repository(vault).count_cases()


def test_rekey_checks_the_old_passphrase_and_wipes_what_it_derived(vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE) as v:
        with pytest.raises(WrongPassphraseError):
            v.rekey("not the old passphrase", "a brand new fictional passphrase")
        v.rekey(PASSPHRASE, "a brand new fictional passphrase")
        assert v.check() == []
    assert sorted(p.name for p in vault_path.parent.iterdir()) == [
        "vault.cre",
        "vault.cre.anchor",
    ]


def test_leftovers_of_an_interrupted_rekey_are_removed_at_unlock(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE).close()
    for name in (".vault.cre.rekey", ".vault.cre.rekey-wal", ".vault.cre.partial"):
        (vault_path.parent / name).write_bytes(b"half-written fictional copy")
    with Vault.open(vault_path, PASSPHRASE) as v:
        actions = [r[0] for r in v.pragma("SELECT action FROM audit ORDER BY id")]
    assert "passphrase changed" not in actions  # the change never happened: no entry
    assert not [p for p in vault_path.parent.iterdir() if p.name.startswith(".")]


def test_core_dumps_are_disabled_by_the_command_line() -> None:
    resource = pytest.importorskip("resource")
    main(["toolkits"])
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0
