"""Where a practitioner's vault lives by default: the platform's per-user data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "CRE Toolkit"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_vault_path() -> Path:
    return data_dir() / "vault.cre"
