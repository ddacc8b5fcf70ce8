"""New vaults for tests that only need one: a copy of a vault `Vault.create` made once per
passphrase (and scrypt cost) in this process.

Creating runs every migration on an empty file, ~0.1 s that hundreds of tests spent
before their first line. A copy of a new vault's file and anchor is what a fresh vault
holds and opens exactly as one does. Tests of creating, of two vaults told apart (their
salts, audit keys and pseudonym secrets would be the same in two copies) and of the key
derivation call `Vault.create` themselves.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from app.storage import Vault, keys

_made: dict[tuple[str, int], Path] = {}


def _original(passphrase: str) -> Path:
    made = _made.get((passphrase, keys.SCRYPT_N))
    if made is None:
        folder = Path(tempfile.mkdtemp(prefix="cre-new-vault-"))
        atexit.register(shutil.rmtree, folder, True)
        made = folder / "vault.cre"
        Vault.create(made, passphrase).close()
        _made[passphrase, keys.SCRYPT_N] = made
    return made


def new_vault(path: Path | str, passphrase: str) -> Vault:
    """A new vault at `path` (its folder made as `Vault.create` makes it), open."""
    path = Path(path)
    original = _original(passphrase)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for suffix in ("", ".anchor"):
        shutil.copyfile(f"{original}{suffix}", f"{path}{suffix}")
        os.chmod(f"{path}{suffix}", 0o600)
    return Vault.open(path, passphrase)
