"""Closed cases and purging, and the subject access export, in the app.

A small dialog of its own (the main window only gets two menu actions and a line in its
status bar): every closed case with its closure date and when it is due, the retention
settings, "Mark recorded on the council's system" and "Purge…", which asks before
anything is deleted. All of it calls `app.casework.retention` and `app.casework.sar`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.casework import retention
from app.casework.reading import child_name
from app.storage import Repository

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _uk(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


class PurgeDialog(QDialog):
    """Closed cases, when each is due, and purging after the practitioner confirms."""

    COLUMNS = ("Case", "Child", "Reference", "Closed", "Due", "State")

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.setWindowTitle("Closed cases and purging")
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A closed case is purged from this laptop once its retention period has passed "
            "(the council's own system keeps the record). Purging deletes everything about "
            "the child from this vault and cannot be undone.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        settings = QHBoxLayout()
        days_label = QLabel("&Days kept after closure:", self)
        self.days = QSpinBox(self)
        self.days.setRange(0, 3650)
        self.days.setAccessibleName("Days kept after closure")
        days_label.setBuddy(self.days)
        self.require = QCheckBox("Must be marked recorded on the council's system first", self)
        save = QPushButton("&Save settings", self)
        save.clicked.connect(self.save_settings)
        settings.addWidget(days_label)
        settings.addWidget(self.days)
        settings.addWidget(self.require, 1)
        settings.addWidget(save)
        layout.addLayout(settings)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setAccessibleName("Closed cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Result")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.mark = QPushButton("&Mark recorded on the council's system", self)
        self.mark.clicked.connect(self.mark_recorded)
        self.purge = QPushButton("&Purge…", self)
        self.purge.clicked.connect(self.purge_selected)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.mark)
        buttons.addWidget(self.purge)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.load()

    def load(self) -> None:
        current = retention.retention_settings(self.repo)
        self.days.setValue(current.days)
        self.require.setChecked(current.require_recorded)
        self.listed = retention.closed_cases(self.repo)
        self.table.setRowCount(len(self.listed))
        for row, d in enumerate(self.listed):
            name = child_name(self.repo, d.case) or "(no name)"
            state = d.held_because or "due now: may be purged"
            state = state[:1].upper() + state[1:]
            for col, text in enumerate(
                (str(d.case), name, d.reference, _uk(d.closed), _uk(d.due), state)
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if not self.listed:
            self.message.setText("No case is closed.")

    def selected(self) -> retention.DueCase | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText("Select a closed case first.")
            return None
        return self.listed[rows[0].row()]

    def save_settings(self) -> None:
        retention.set_retention(self.repo, self.days.value(), self.require.isChecked())
        self.load()
        self.message.setText("Retention settings saved.")

    def mark_recorded(self) -> None:
        d = self.selected()
        if d is None:
            return
        retention.mark_recorded(self.repo, d.case)
        self.load()
        self.message.setText(f"Case {d.case} marked recorded on the council's system.")

    def confirm(self, d: retention.DueCase, name: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Purge this case?")
        box.setText(
            f"Purge case {d.case} ({name}), closed on {_uk(d.closed)}?\n\n"
            "Every assessment, document, plan, meeting and note about this child is deleted "
            "from this vault and cannot be recovered. The audit keeps only that the case "
            "was purged."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Purge")
        box.button(QMessageBox.StandardButton.No).setText("Keep")
        self.confirm_box = box
        return box.exec() == QMessageBox.StandardButton.Yes

    def purge_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        if d.held_because:
            self.message.setText(f"Case {d.case} cannot be purged yet: {d.held_because}.")
            return
        name = child_name(self.repo, d.case) or "no name"
        if not self.confirm(d, name):
            self.message.setText("Nothing was purged.")
            return
        host = self.parent()
        registry = getattr(host, "windows", None)
        if registry is not None and hasattr(registry, "close_case"):
            registry.close_case(d.case)  # no window keeps a purged child's details on screen
        try:
            retention.purge_case(self.repo, d.case)
        except retention.RetentionError as exc:
            self.message.setText(str(exc))
            return
        self.load()
        text = f"Case {d.case} ({d.reference}) was purged."
        stale = retention.stale_backups(self.repo)
        if stale:
            text += f" Older backups still hold it: delete {', '.join(stale)}."
        self.message.setText(text)


def export_subject_access(window: MainWindow) -> None:
    """File → Subject access export: the selected case, into a folder the user chooses."""
    case = window.case_to_act_on("Select the case for the subject access export first.")
    if case is None:
        return
    folder = QFileDialog.getExistingDirectory(window, "Folder for the subject access export")
    if folder:
        window.status.setText(
            subject_access_to(window.repo, window.registry, case.id, Path(folder))
        )


def subject_access_to(repo: Repository, registry: Any, case_id: int, folder: Path) -> str:
    """Write the subject access export for one case; what happened, in words (the main
    window's File menu and the case window both use it)."""
    from app.casework.sar import CasePurged, export_sar
    from app.documents.signing import IdentityProblem

    try:
        result = export_sar(repo, registry, case_id, folder)
    except (CasePurged, IdentityProblem) as exc:  # purged, or no name to sign as yet
        return str(exc)
    except OSError as exc:
        return f"The export could not be written: {exc.strerror}."
    return (
        f"Subject access export written: {result.pdf.name} (signed), the case file, and "
        f"{result.withheld.name} listing what was left out: review it before release."
    )


def open_purge(window: MainWindow) -> None:
    PurgeDialog(window.repo, window).exec()
    window.reload()
    show_due(window)


NOTICE = "purgeNotice"


def show_due(window: MainWindow) -> None:
    """A line above the case list while closed cases are due for purging."""
    notice = window.findChild(QLabel, NOTICE)
    if notice is None:
        return
    due = retention.due_for_purge(window.repo)
    text = (
        f"{len(due)} closed case{'s are' if len(due) != 1 else ' is'} due for purging "
        f"(closed {', '.join(_uk(d.closed) for d in due[:3])}{'…' if len(due) > 3 else ''}): "
        "<a href='#purge'>review them in Closed cases and purging</a>."
        if due
        else ""
    )
    notice.setText(text)
    notice.setAccessibleName("Cases due for purging")
    notice.setVisible(bool(due))


def install(window: MainWindow) -> None:
    file_menu: QMenu | None = None
    for existing in window.menuBar().actions():
        menu = existing.menu()
        if isinstance(menu, QMenu) and existing.text().replace("&", "") == "File":
            file_menu = menu
    if file_menu is None:
        file_menu = window.menuBar().addMenu("&File")
    purge = QAction("Closed cases and &purging…", window)
    purge.triggered.connect(lambda: open_purge(window))
    sar = QAction("Subject &access export…", window)
    sar.triggered.connect(lambda: export_subject_access(window))
    for name, action in (("Closed cases and purging", purge), ("Subject access export", sar)):
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        file_menu.addAction(action)
        window.actions_by_name[name] = action
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if isinstance(layout, QVBoxLayout):
        notice = QLabel("", window)
        notice.setObjectName(NOTICE)
        notice.setWordWrap(True)
        notice.setTextFormat(Qt.TextFormat.RichText)
        notice.setStyleSheet("background:#fff4ce; padding:4px;")
        notice.linkActivated.connect(lambda _link: open_purge(window))
        layout.insertWidget(1, notice)
        show_due(window)
