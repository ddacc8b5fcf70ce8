"""Changing the vault's passphrase from the app, through the same vault step the command
line uses (`vault rekey`): the old passphrase once, the new one checked for strength."""

from __future__ import annotations

from app.storage import Repository


def change_passphrase(repo: Repository, old: str, new: str, repeated: str) -> None:
    """Raise ValueError (in words) when the two new ones differ; the vault refuses a wrong
    old passphrase or a weak new one with its own errors; nothing changes on any error."""
    if new != repeated:
        raise ValueError("The new passphrase and its repeat differ; nothing was changed.")
    if new == old:
        raise ValueError("The new passphrase is the same as the old one; nothing was changed.")
    repo.vault.rekey(old, new)


def confirm_passphrase(repo: Repository, passphrase: str) -> bool:
    """Whether this is the open vault's passphrase: asked again before signing and
    exporting, so an unlocked laptop left for a minute cannot sign or send a child's file."""
    return repo.vault.confirm(passphrase)
