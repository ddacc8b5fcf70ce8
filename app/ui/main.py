"""GUI entry point: unlock (or create) the vault, then the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from app.storage.paths import default_vault_path


def run_gui(vault: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from app.forms import load_registry
    from app.storage import Vault
    from app.ui.main_window import ActivityFilter, MainWindow
    from app.ui.unlock import UnlockDialog

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CRE Toolkit")
    from app.ui.crash import install

    install()  # an exception escaping a slot: a message and a log entry, no traceback
    from app.ui.guard import install_wheel_guard

    install_wheel_guard()  # before any window: no wheel ever changes an unfocused value
    registry = load_registry()
    path = Path(vault) if vault else default_vault_path()

    first = [True]

    def unlock() -> Vault | None:
        dialog = UnlockDialog(path, offer_demo=first[0])
        first[0] = False
        if dialog.exec() != UnlockDialog.DialogCode.Accepted:
            return None
        return dialog.vault

    opened = unlock()
    if opened is not None:
        path = opened.path  # Lock asks again for the vault actually opened (e.g. the demo)
    if opened is None:
        return 0
    window = MainWindow(registry, opened, relock=unlock)
    app.installEventFilter(ActivityFilter(window))
    window.show()
    code = app.exec()
    if window.vault.is_open:
        window.vault.close()
    return int(code)


__all__ = ["default_vault_path", "run_gui"]
