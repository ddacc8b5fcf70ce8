"""Lock forgets the opened signing key, and the main window says what the vault noticed
at unlock (changes missing since the last session) until the next unlock."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.casework import signing_identity
from app.documents import signing
from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.main_window import MainWindow

PASS = "fictional lock passphrase"


def test_lock_drops_the_opened_signing_key_and_unlock_clears_old_warnings(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "forget.cre"
    vault = Vault.create(path, PASS)
    Repository(vault).set_setting("profile", {"name": "Test Practitioner"})
    signing.check_identity(signing_identity(Repository(vault)))  # the key is now open
    assert signing._open.cache_info().currsize > 0
    vault.warnings.append("The last 2 changes are missing: this vault went back in time.")
    reopened: list[Vault] = []

    def relock() -> Vault:
        reopened.append(Vault.open(path, PASS))
        return reopened[-1]

    window = MainWindow(registry, vault, relock=relock)
    qtbot.addWidget(window)
    window.show()
    assert window.vault_warning.isVisible()
    assert "last 2 changes are missing" in window.vault_warning.text()
    window.lock()
    assert signing._open.cache_info().currsize == 0  # Lock forgets the signing key too
    assert reopened and window.vault is reopened[0]
    assert not window.vault_warning.isVisible()  # this unlock noticed nothing
    window.close()
    reopened[0].close()
