"""GUI entry point. The windows arrive with the app issue; until then this says where the
vault will live, so the README's run command is honest on a fresh machine."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_vault_path() -> Path:
    return Path(platformdirs.user_data_dir("CRE Toolkit", appauthor=False)) / "vault.cre"


def run_gui(vault: str | None = None) -> int:
    path = Path(vault) if vault else default_vault_path()
    print("CRE Toolkit: the desktop windows are not built yet.")
    print(f"Your vault will be kept at: {path}")
    print("Try: python -m app toolkits")
    return 0
