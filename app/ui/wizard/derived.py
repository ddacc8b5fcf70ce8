"""What the wizard shows that the rules worked out: conditional notes.

Computed fields come from `app.rules.display_values` and a note's condition from
`app.rules.note_shown`, the same functions the PDFs use, so screen and paper agree.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.rules import AssessmentResult, note_shown


def show_notes(root: QWidget, verdict: AssessmentResult | None) -> None:
    """Show each toolkit note only when its condition holds (e.g. under 13, or a
    condition the form itself establishes)."""
    for label in root.findChildren(QLabel):
        condition = label.property("applies_when")
        if condition:  # and never twice: a note the page already quotes stays hidden
            quoted = bool(label.property("quoted_elsewhere"))
            label.setVisible(note_shown(condition, verdict) and not quoted)
