"""The encrypted vault: SQLCipher through SQLAlchemy 2, with migrations and an audit trail.

Use `Vault.create/open` to unlock, `Repository(vault)` for cases and assessments,
`AutosaveWriter(repo)` for background saves, `casefiles` for import/export.
"""

from app.storage import audit
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
    "restore",
]
