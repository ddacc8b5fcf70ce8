"""The encrypted vault: SQLCipher through SQLAlchemy 2, with migrations and an audit trail.

Use `Vault.create/open` to unlock, `Repository(vault)` for cases and assessments,
`AutosaveWriter(repo)` for background saves, `casefiles` for import/export.

Names are loaded on first use (PEP 562), so the unlock window can appear before
SQLAlchemy and the definitions are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ImmutableRecordError": "app.storage.errors",
    "RecordNotFoundError": "app.storage.errors",
    "VaultDamagedError": "app.storage.errors",
    "VaultError": "app.storage.errors",
    "VaultExistsError": "app.storage.errors",
    "VaultLockedError": "app.storage.errors",
    "VaultNotFoundError": "app.storage.errors",
    "WeakPassphraseError": "app.storage.errors",
    "WrongPassphraseError": "app.storage.errors",
    "default_vault_path": "app.storage.paths",
    "AssessmentRecord": "app.storage.repository",
    "CaseSummary": "app.storage.repository",
    "Repository": "app.storage.repository",
    "Vault": "app.storage.vault",
    "restore": "app.storage.vault",
}

if TYPE_CHECKING:
    from app.storage import audit as audit
    from app.storage import keys as keys
    from app.storage.errors import (
        ImmutableRecordError,
        RecordNotFoundError,
        VaultDamagedError,
        VaultError,
        VaultExistsError,
        VaultLockedError,
        VaultNotFoundError,
        WeakPassphraseError,
        WrongPassphraseError,
    )
    from app.storage.paths import default_vault_path
    from app.storage.repository import AssessmentRecord, CaseSummary, Repository
    from app.storage.vault import Vault, restore


def __getattr__(name: str) -> Any:
    if name in ("audit", "keys"):
        return importlib.import_module(f"app.storage.{name}")
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'app.storage' has no attribute {name!r}")


__all__ = [
    "AssessmentRecord",
    "CaseSummary",
    "ImmutableRecordError",
    "RecordNotFoundError",
    "Repository",
    "Vault",
    "VaultDamagedError",
    "VaultError",
    "VaultExistsError",
    "VaultLockedError",
    "VaultNotFoundError",
    "WeakPassphraseError",
    "WrongPassphraseError",
    "audit",
    "default_vault_path",
    "keys",
    "restore",
]
