"""Change the passphrase in the app: the old one once, the new one checked and repeated;
the vault then opens with the new passphrase only. `vault rekey` asks the old one once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.storage import Repository, Vault, WrongPassphraseError
from app.ui.passphrase import ChangePassphraseDialog

OLD = "fictional old passphrase 2026"
NEW = "fictional brand new passphrase 2027 kettle"


def test_change_passphrase_in_the_app(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "v.cre"
    vault = Vault.create(path, OLD)
    dialog = ChangePassphraseDialog(Repository(vault))
    qtbot.addWidget(dialog)
    dialog.old.setText("not the passphrase")
    dialog.new.setText(NEW)
    dialog.repeat.setText(NEW)
    assert not dialog.change()
    assert dialog.message.text() and dialog.old.text() == ""
    dialog.old.setText(OLD)
    dialog.new.setText("password1234")
    assert dialog.advice.text()  # the strength advice shows as it is typed
    dialog.repeat.setText("password1234")
    assert not dialog.change()  # weak: refused with the strength advice
    dialog.old.setText(OLD)
    dialog.new.setText(NEW)
    dialog.repeat.setText(NEW + "x")
    assert not dialog.change() and "differ" in dialog.message.text()
    dialog.old.setText(OLD)
    dialog.repeat.setText(NEW)
    assert dialog.change()
    vault.close()
    with pytest.raises(WrongPassphraseError):
        Vault.open(path, OLD)
    Vault.open(path, NEW).close()


def test_rekey_asks_for_the_old_passphrase_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from app.cli import vault as vault_cli

    path = tmp_path / "v.cre"
    Vault.create(path, OLD).close()
    asked: list[str] = []

    def ask(prompt: str = "Vault passphrase: ", env: str = "CRE_VAULT_PASSPHRASE") -> str:
        asked.append(prompt)
        return OLD

    monkeypatch.setattr(vault_cli, "passphrase", ask)
    monkeypatch.setenv("CRE_VAULT_NEW_PASSPHRASE", NEW)
    assert main(["vault", "rekey", "--vault", str(path)]) == 0, capsys.readouterr().err
    assert asked == ["Vault passphrase: "]
    Vault.open(path, NEW).close()
