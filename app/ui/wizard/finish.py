"""The last page: final level, why some levels cannot be chosen, next steps, what is left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app import casework
from app.rules import Level
from app.ui.dates import DateEdit
from app.ui.sizing import lines
from app.ui.speech import LiveLabel
from app.ui.wizard.derived import show_notes
from app.ui.wizard.nav import page_heading

if TYPE_CHECKING:
    from app.ui.wizard.window import AssessmentWizard


ARROWS: dict[int, int] = {
    Qt.Key.Key_Left.value: -1,
    Qt.Key.Key_Up.value: -1,
    Qt.Key.Key_Right.value: 1,
    Qt.Key.Key_Down.value: 1,
}


class FinishPage(QWizardPage):
    """Final level, the reasons it is limited, next steps, review date, what is missing."""

    TITLE = "Review and finish"

    def __init__(self, wizard: AssessmentWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page_heading(self, self.TITLE))
        scroll = QScrollArea(self)
        scroll.setAccessibleName(self.TITLE)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        # what is still to do comes first, so a long High page never hides it below the fold
        self.missing_label = QLabel(
            "Still to do before completing (activate a line with Enter or a double-click to go "
            "there):",
            body,
        )
        self.missing_label.setWordWrap(True)
        layout.addWidget(self.missing_label)
        self.missing = QListWidget(body)
        self.missing.setAccessibleName("Still to do before completing")
        self.missing.setMaximumHeight(lines(self, 7))
        # only activation jumps: a single click that moved the page at once would let the
        # second click of a double-click land in whatever field lay under the pointer
        self.missing.itemActivated.connect(
            lambda item: wizard.jump_to(item.data(Qt.ItemDataRole.UserRole))
        )
        self.missing.installEventFilter(self)  # Enter goes to the field, never on to Finish
        layout.addWidget(self.missing)
        self.notes: list[QLabel] = []
        for note in wizard.tk.notes("finish"):
            label = QLabel(note["text"], body)
            label.setWordWrap(True)
            label.setProperty("applies_when", note.get("applies_when", "always"))
            label.setStyleSheet("background:#fff6dd; border-left:4px solid #b8860b; padding:4px;")
            layout.addWidget(label)
            self.notes.append(label)
        box = QGroupBox("Final level (your professional judgement)", body)
        box.setAccessibleName("Final level")
        levels_row = QHBoxLayout(box)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for level in (Level(v) for v in wizard.tk.final_levels):
            radio = QRadioButton(wizard.tk.level_label(level.value), box)
            radio.setAccessibleName(f"Final level {wizard.tk.level_label(level.value)}")
            self.group.addButton(radio)
            levels_row.addWidget(radio)
            self.radios[level.value] = radio
            radio.toggled.connect(lambda on, value=level.value: self._toggled(on, value))
            radio.installEventFilter(self)  # arrow keys choose, not only move
        layout.addWidget(box)
        self.floor_reason = LiveLabel("Why some levels cannot be chosen", body)
        layout.addWidget(self.floor_reason)
        self.override_label = QLabel(
            "Protective factors that justify a level below the minimum (required for that choice):",
            body,
        )
        self.override_label.setWordWrap(True)
        self.override = QPlainTextEdit(body)
        self.override.setAccessibleName("Protective factors that justify a level below the minimum")
        self.override.setMaximumHeight(lines(self, 4))
        self.override_label.setBuddy(self.override)
        self.override.textChanged.connect(self._override_changed)
        self.judgement_label = QLabel("Why your final level differs from the suggestion:", body)
        self.judgement = QPlainTextEdit(body)
        self.judgement.setAccessibleName("Why your final level differs from the suggestion")
        self.judgement.setMaximumHeight(lines(self, 4))
        self.judgement_label.setBuddy(self.judgement)
        self.judgement.textChanged.connect(self._judgement_changed)
        for widget in (self.override_label, self.override, self.judgement_label, self.judgement):
            layout.addWidget(widget)
        self.review_label = QLabel(
            "Set the review date yourself (optional, e.g. the next core group meeting):",
            body,
        )
        self.review_label.setWordWrap(True)
        self.review_date = DateEdit("Review date set by the practitioner", body)
        self.review_date.set_iso(wizard.answers.get("review_date"))
        self.review_label.setBuddy(self.review_date.edit)
        self.review_date.changed.connect(lambda: self._review_changed(self.review_date.iso()))
        layout.addWidget(self.review_label)
        layout.addWidget(self.review_date)
        self.review_error = LiveLabel("Problem", body)
        self.review_error.setStyleSheet("color:#8b0000; font-weight:bold;")
        layout.addWidget(self.review_error)
        self.outcome = LiveLabel("Review date and next steps", body, speak=False)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        self.override.setPlainText(wizard.answers.get("override_reason") or "")
        self.judgement.setPlainText(wizard.answers.get("judgement_reason") or "")
        chosen = wizard.answers.get("final_level")
        if chosen in self.radios:
            self.radios[chosen].setChecked(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on a Still-to-do line goes to that field and stops there: left to itself
        the key would also reach the wizard's default button and move on again."""
        if (
            isinstance(watched, QRadioButton)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in ARROWS
        ):
            self._step_level(watched, ARROWS[event.key()])
            return True
        if (
            watched is self.missing
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            item = self.missing.currentItem()
            if item is not None:
                self.w.jump_to(item.data(Qt.ItemDataRole.UserRole))
            return True
        return super().eventFilter(watched, event)

    def _step_level(self, current: QRadioButton, step: int) -> None:
        """The next level that may be chosen in the arrow's direction, chosen and focused."""
        order = [r for r in self.radios.values() if r.isEnabled()]
        if current not in order:
            return
        target = order[max(0, min(len(order) - 1, order.index(current) + step))]
        target.setChecked(True)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _toggled(self, on: bool, value: str) -> None:
        if on and self.w.answers.get("final_level") != value:
            self.w.answers["final_level"] = value
            self.w.changed()

    def _override_changed(self) -> None:
        text = self.override.toPlainText()
        if (self.w.answers.get("override_reason") or "") != text:
            self.w.answers["override_reason"] = text or None
            self.w.changed()

    def _review_changed(self, text: str | None) -> None:
        value = (text or "").strip() or None
        if self.w.answers.get("review_date") != value:
            if value is None:
                self.w.answers.pop("review_date", None)
            else:
                self.w.answers["review_date"] = value
            self.w.changed()

    def _judgement_changed(self) -> None:
        text = self.judgement.toPlainText()
        if (self.w.answers.get("judgement_reason") or "") != text:
            self.w.answers["judgement_reason"] = text or None
            self.w.changed()

    def refresh(self) -> None:
        r = self.w.verdict
        allowed = {lv.value for lv in r.allowed_final_levels} if r else {lv.value for lv in Level}
        for value, radio in self.radios.items():
            radio.setEnabled(value in allowed)
        if r and r.minimum_level:
            floor = [x.text for x in r.reasons if x.code.startswith("floor.")]
            prefix = f"{r.minimum_level.label} is the minimum here" + (
                " unless you record protective factors." if r.floor_overridable else "."
            )
            self.floor_reason.set_live(prefix + "\n" + "\n".join(floor))
        else:
            self.floor_reason.set_live("")
        show_override = bool(r and r.floor_overridable)
        self.override_label.setVisible(show_override)
        self.override.setVisible(show_override)
        differs = bool(r and r.judgement_differs)
        self.judgement_label.setVisible(differs)
        self.judgement.setVisible(differs)
        if r:
            due = (
                r.review_due.strftime("%d/%m/%Y")
                if r.review_due
                else "no fixed date (see the toolkit's note)"
            )
            steps = "\n".join(f"• {s}" for s in r.next_steps) or "• (choose a level to see them)"
            about = "\n\n".join(r.level_description)
            about = f"The toolkit on this level:\n{about}\n\n" if about else ""
            by = f", by {r.review_by}" if r.review_by and r.review_due else ""
            self.outcome.set_live(f"Review due: {due}{by}\n\n{about}Next steps:\n{steps}")
        said = _squash(self.outcome.text())
        for note in self.notes:  # each quotation once: a note the steps already quote goes
            note.setProperty("quoted_elsewhere", _squash(note.text()) in said)
        show_notes(self, r)
        bad_date = self.w.field_problems.get("review_date")
        self.review_error.set_live(f"Review date: {bad_date}" if bad_date else "")
        self.review_error.setVisible(bool(bad_date))
        self.missing.clear()
        for problem in self.w.problems():
            label = self.w.label_for(problem.field)
            text = problem.message if problem.code == "required" else f"{label}: {problem.message}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            self.missing.addItem(item)
        something = self.missing.count() > 0
        self.missing_label.setVisible(something)
        self.missing.setVisible(something)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return True  # completing is checked in validatePage, so the list can explain why

    def validatePage(self) -> bool:
        """Completing is the casework layer's decision; a refusal lists what is missing
        and leaves the draft open, saved and autosaving."""
        if self.w.read_only:
            return True  # "Close": nothing to complete
        self.refresh()
        if self.w.problems():
            self.missing.setFocus()
            return False
        self.w.autosave.flush()
        try:
            casework.complete(
                self.w.repo,
                self.w.registry,
                self.w.assessment_id,
                self.w.answers,
                self.w.currentId(),
            )
        except casework.NotCompleteError:
            self.refresh()
            self.missing.setFocus()
            return False
        self.w.completed.emit(self.w.assessment_id)
        return True


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()
