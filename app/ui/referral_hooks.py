"""What the main window offers for referrals, installed with one call so that the window
stays a host: "Open case…" (also Enter or a double-click on a case) and File → Import….

Every window opened here is parented to the main window. When the main window hides (Lock),
the referral windows save any pending draft and close before the vault is closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.casework.importing import ImportResult, import_path
from app.ui.sizing import fit_to_screen

if TYPE_CHECKING:
    from app.ui.case_view import CaseView
    from app.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    open_case = QAction("Open &case…", window)
    open_case.setShortcut(QKeySequence("Ctrl+K"))
    open_case.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    open_case.triggered.connect(lambda: open_case_view(window))
    toolbar = window.findChild(QToolBar)
    if toolbar is not None:
        first = toolbar.actions()[0] if toolbar.actions() else None
        toolbar.insertAction(first, open_case)  # type: ignore[arg-type]
    window.addAction(open_case)
    window.actions_by_name["Open case"] = open_case
    window.table.itemActivated.connect(lambda _item: open_case_view(window))
    file_menu: QMenu | None = None
    for existing in window.menuBar().actions():
        menu = existing.menu()
        if isinstance(menu, QMenu) and existing.text().replace("&", "") == "File":
            file_menu = menu
    if file_menu is None:
        file_menu = window.menuBar().addMenu("&File")
    importing = QAction("&Import…", window)
    importing.setShortcut(QKeySequence("Ctrl+I"))
    importing.triggered.connect(lambda: import_case_file(window))
    file_menu.addAction(importing)
    window.actions_by_name["Import"] = importing
    signatures = QAction("&Signatures: verify or countersign a PDF…", window)
    signatures.triggered.connect(lambda: _verify(window))
    file_menu.addAction(signatures)
    window.actions_by_name["Signatures"] = signatures
    window.installEventFilter(_CloseOnHide(window))


def _verify(window: MainWindow) -> None:
    from app.ui.verify import VerifyDialog

    VerifyDialog(window.repo, window).exec()


class _CloseOnHide(QObject):
    """Lock hides the main window before closing the vault: close referral windows first
    (each saves its pending draft), so nothing reappears over a different unlock."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(watched, QWidget):
            from app.ui.case_view import CaseView

            for view in watched.findChildren(CaseView):
                view.close_all()
                view.done(0)
                view.deleteLater()
        return False


def open_case_view(window: MainWindow) -> CaseView | None:
    from app.ui.case_view import CaseView

    case = window.case_to_act_on()
    if case is None:
        return None

    def make() -> CaseView:
        view = CaseView(window.repo, window.registry, case.id, window)
        view.finished.connect(lambda _code: window.reload() if not window.locking else None)
        return view

    # one window per case: Enter pressed twice raises the open one; Lock saves and restores it
    shown = window.open_case_window("case", case.id, make)
    assert isinstance(shown, CaseView)
    return shown


def import_case_file(window: MainWindow, path: Path | None = None) -> ImportResult:
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            window, "Import a case file", str(Path.home()), "Case files (*.json)"
        )
        if not chosen:
            return ImportResult([], [])
        path = Path(chosen)
    result = import_path(window.repo, window.registry, path)
    window.reload()
    dialog = ImportReport(result, path, window)
    dialog.show()
    window.import_report = dialog  # type: ignore[attr-defined]
    return result


class ImportReport(QDialog):
    def __init__(self, result: ImportResult, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        layout = QVBoxLayout(self)
        if result.problems:
            text = f"Nothing was imported from {path.name}. Correct these and import again:"
        else:
            text = f"Imported {len(result.case_ids)} case(s) from {path.name}."
        self.summary = QLabel(text, self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("Problems, by field")
        self.problems.addItems(result.problems)
        self.problems.setVisible(bool(result.problems))
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 360 if result.problems else 140)
