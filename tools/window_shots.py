"""Show one window of the app on a fictional demo vault, for the screenshots in
docs/screenshots/ (taken by tools/window_shots.sh at 100% and at QT_SCALE_FACTOR=1.5).

    python tools/window_shots.py plans
    python tools/window_shots.py letter --width 784      # the window narrowed to 784 px
    python tools/window_shots.py details --font-scale 1.5  # a 1.5x larger system font
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from app.casework import documents
from app.casework.importing import make_demo_vault
from app.forms import load_registry
from app.storage import Vault
from app.ui.main_window import MainWindow
from app.ui.referral_hooks import open_case_view

WINDOWS = [
    "main", "case", "report", "letter", "details", "plans", "meetings", "statistics",
    "export", "profile", "about", "licences",
]  # fmt: skip


def option(argv: list[str], name: str) -> float | None:
    """The number after `name` in argv (removed from it), or None."""
    if name not in argv:
        return None
    at = argv.index(name)
    value = float(argv[at + 1])
    del argv[at : at + 2]
    return value


def main(argv: list[str]) -> int:
    app = QApplication(sys.argv[:1])
    width, font_scale = option(argv, "--width"), option(argv, "--font-scale")
    if font_scale:
        font = QFont(app.font())
        font.setPointSizeF(font.pointSizeF() * font_scale)
        app.setFont(font)
    registry = load_registry()
    path = Path(tempfile.mkdtemp(prefix="cre-windows-")) / "demo.cre"
    vault: Vault = make_demo_vault(path, registry)  # made and left open
    window = MainWindow(registry, vault, relock=lambda: None)
    window.show()
    rows = [n for n, c in enumerate(window.cases) if c.toolkit == "derby-cre-2020"]
    window.table.selectRow(rows[0] if rows else 0)
    what = argv[0]
    shown: QWidget | None = None
    if what in ("case", "report", "letter"):
        view = open_case_view(window)
        assert view is not None
        shown = view
        if what == "report":
            tk = registry.get(window.selected_case().toolkit)  # type: ignore[union-attr]
            shown = view.new_report(documents.forms(tk)[0]["id"])
        elif what == "letter":
            shown = view.new_letter()
    elif what in ("about", "licences"):
        from app.ui.about import AboutDialog, LicencesDialog

        shown = AboutDialog(window) if what == "about" else LicencesDialog(window)
        shown.show()
    elif what != "main":
        method = {"details": "case_details", "profile": "settings"}.get(what, what)
        getattr(window, method)()
        shown = window.windows.windows()[-1]
    if shown is not None:
        if width:  # as if the user narrowed (or widened) the window
            shown.resize(int(width), shown.height())
        shown.raise_()
        shown.activateWindow()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
