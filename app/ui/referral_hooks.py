"""What the main window offers for referrals, installed with one call so that the window
stays a host: "Open case…" (also Enter or a double-click on a case) and File → Import….

Every window opened here is parented to the main window. When the main window hides (Lock),
the referral windows save any pending draft and close before the vault is closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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

from app.rules import CaseFileError, parse_case
from app.ui.sizing import fit_to_screen

if TYPE_CHECKING:
    from app.forms import Registry
    from app.storage import Repository
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


def check_import(registry: Registry, data: Any) -> list[str]:
    """Every case's problem, named by case and field, before anything is written."""
    from app.storage.casefiles import read_cases

    try:
        cases = read_cases(data)
    except CaseFileError as exc:
        return [str(exc)]
    problems = []
    for index, raw in enumerate(cases):
        try:
            parse_case(raw, registry)
        except CaseFileError as exc:
            where = f"Case {index + 1}: " if len(cases) > 1 else ""
            problems.append(f"{where}{exc}")  # path (label): message, one line
    return problems


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


class ImportResult:
    def __init__(self, case_ids: list[int], problems: list[str]) -> None:
        self.case_ids, self.problems = case_ids, problems


def import_path(repo: Repository, registry: Registry, path: Path) -> ImportResult:
    """All or nothing: every problem listed, or every case imported with its documents.

    The file goes through the same guards as the command line's (`read_json_file`: a
    regular file of sensible size, no duplicate keys, NaN, lone surrogates or deep
    nesting) and the same validation; every failure, the vault's included, comes back
    as a sentence for the import window, never as an exception."""
    from app.casework import import_cases
    from app.fileio import InputFileError, read_json_file
    from app.rules.safe import one_line
    from app.storage import VaultError

    name = one_line(path.name, 80)
    try:
        data = read_json_file(path)
    except InputFileError as exc:
        return ImportResult([], [f"{exc}."])
    problems = check_import(registry, data)
    if problems:
        return ImportResult([], problems)
    try:
        return ImportResult(import_cases(repo, registry, data), [])
    except CaseFileError as exc:  # checked above; kept so no path can raise
        return ImportResult([], [str(exc)])
    except VaultError as exc:
        return ImportResult([], [f"The vault could not take the import: {one_line(str(exc))}"])
    except OSError as exc:
        why = one_line(exc.strerror or "the vault's disk could not be written")
        return ImportResult([], [f"{name} could not be imported ({why}); nothing was imported."])


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
