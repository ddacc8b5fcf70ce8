"""Drafts from the main window: discard one (confirmed, audited), drop a cancelled new
case that holds nothing, and open a completed assessment to read.

Kept out of main_window.py so that window stays a host; the lifecycle itself is
app.casework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from app import casework
from app.casework import reading
from app.casework.assessments import discard_if_untouched
from app.ui.wizard import AssessmentWizard

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def discard_selected(window: MainWindow) -> bool:
    """Ask, then discard the selected case's open draft; an empty case leaves the list."""
    case = window.case_to_act_on()
    if case is None:
        return False
    draft = reading.open_draft(window.repo, case.id)
    if draft is None:
        window.status.setText("This case has no draft to discard.")
        return False
    name = case.child_name or "this new case"
    answer = QMessageBox.question(
        window,
        "Discard draft",
        f"Discard the draft assessment for {name}? Its answers are removed; "
        "the audit trail records that it was discarded.",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    if answer != QMessageBox.StandardButton.Discard:
        return False
    open_window = window.windows.get(("assessment", case.id))
    if open_window is not None:
        open_window.close()  # flushes its autosave first
    casework.discard_draft(window.repo, draft.id)
    window.reload()
    window.status.setText(f"Draft for {name} discarded.")
    return True


def drop_if_untouched(window: MainWindow, assessment_id: int) -> None:
    """A new case cancelled before a name was typed leaves no '(no name yet)' case behind."""
    if window.locking:
        return  # Lock closes windows too; that is not a cancel
    if discard_if_untouched(window.repo, assessment_id):
        window.reload()


def open_view(window: MainWindow, assessment_id: int) -> AssessmentWizard:
    """A completed or signed assessment, read only, one window per assessment."""

    def make() -> AssessmentWizard:
        return AssessmentWizard(window.registry, window.repo, assessment_id, window, read_only=True)

    view = window.open_case_window("view", assessment_id, make)
    assert isinstance(view, AssessmentWizard)
    return view
