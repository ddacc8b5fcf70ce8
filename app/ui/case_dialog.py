"""Case details: models of abuse (what partnerships count) and closure or re-opening."""

from __future__ import annotations

from functools import cache

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.casework.case_details import ClosureProblem, case_details, record_case_details
from app.casework.reading import child_name
from app.forms import load_partnership_lists
from app.storage import Repository
from app.ui.columns import ColumnList
from app.ui.dates import DateEdit
from app.ui.guard import install_wheel_guard
from app.ui.sizing import VerticalScrollArea, fit_to_screen
from app.ui.windows import closing_for_lock, confirm_discard, demo_mark


@cache
def partnership_lists() -> dict[str, list[tuple[str, str]]]:
    return load_partnership_lists()


class CaseDialog(QDialog):
    def __init__(
        self,
        repo: Repository,
        case_id: int,
        parent: QWidget | None = None,
        toolkit_title: str = "",
    ) -> None:
        install_wheel_guard()
        super().__init__(parent)
        self.repo, self.case_id = repo, case_id
        details = case_details(repo, case_id)
        lists = partnership_lists()
        name = child_name(repo, case_id) or "New child"
        title = " — ".join(x for x in ("Case details", name, toolkit_title) if x)
        self.setWindowTitle(demo_mark(repo) + title)
        layout = QVBoxLayout(self)
        # the models read down two columns where the width allows (one on a narrow
        # window), so the window fits a short screen; what still does not fit scrolls
        scroll = VerticalScrollArea(self)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("Models of abuse (more than one can apply)", body)
        inner = QVBoxLayout(box)
        self.models: dict[str, QCheckBox] = {}
        from app.casework.meetings import models_from_assessment, models_recorded_here

        self.linked = linked = models_from_assessment(repo, case_id)  # asked once: by its toolkit
        self.here = here = models_recorded_here(repo, case_id)  # what Section 3 cannot record
        if linked is not None:
            text = (
                "Greyed models come from the assessment's Section 3 (change them there); "
                "record here those its list does not have."
            )
            note = QLabel(text, box)
            note.setWordWrap(True)
            inner.addWidget(note)
        self.model_columns = ColumnList(box, most=2)
        inner.addWidget(self.model_columns)
        for key, label in lists["models_of_abuse"]:
            check = QCheckBox(label, self.model_columns)
            check.setAccessibleName(label)
            check.setChecked(key in (details["models_of_abuse"] if key in here else linked or ()))
            check.setEnabled(key in here)
            self.model_columns.add(check)
            self.models[key] = check
        content.addWidget(box)
        reason_label = QLabel("Closure &reason (leave empty while the case is open):", body)
        reason_label.setWordWrap(True)
        content.addWidget(reason_label)
        self.reason = QComboBox(body)
        self.reason.setAccessibleName("Closure reason")
        self.reason.addItem("Open (not closed)", None)
        for key, label in lists["closure_reasons"]:
            self.reason.addItem(label, key)
        self.reason.setCurrentIndex(max(self.reason.findData(details["closure_reason"]), 0))
        reason_label.setBuddy(self.reason)
        content.addWidget(self.reason)
        closed_label = QLabel("Closed &on:", body)
        self.closed_on = DateEdit("Closed on", body)
        self.closed_on.set_iso(details["closed_on"])
        closed_label.setBuddy(self.closed_on.edit)
        content.addWidget(closed_label)
        content.addWidget(self.closed_on)
        content.addStretch(1)
        layout.addWidget(scroll, 1)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # open with every column it may have and no scrolling, where the screen allows
        margins = layout.contentsMargins()
        wide = body.sizeHint().width() + scroll.chrome_width()
        high = body.heightForWidth(body.sizeHint().width()) + buttons.sizeHint().height()
        spacing = 2 * max(layout.spacing(), 0) + self.message.sizeHint().height()
        fit_to_screen(
            self,
            wide + margins.left() + margins.right(),
            high + spacing + margins.top() + margins.bottom(),
        )
        self._loaded = self.save_for_lock()

    def reject(self) -> None:
        """X, Esc and Cancel ask before changed details are lost (closing a case is a
        decision, so it is saved only by Save); Lock never asks: it keeps them."""
        if (
            not closing_for_lock(self)
            and self.save_for_lock() != self._loaded
            and not confirm_discard(self, "Your changes to the case details are not saved.")
        ):
            return
        super().reject()

    def save_for_lock(self) -> tuple[list[str], object, str]:
        """Closing a case is a decision, so Lock keeps the choices unsaved and puts them back."""
        chosen = [k for k, box in self.models.items() if box.isChecked()]
        return chosen, self.reason.currentData(), self.closed_on.edit.text()

    def restore_after_lock(self, state: tuple[list[str], object, str]) -> None:
        chosen, reason, closed = state
        for key, box in self.models.items():
            box.setChecked(key in chosen)
        self.reason.setCurrentIndex(max(self.reason.findData(reason), 0))
        self.closed_on.edit.setText(closed)

    def save(self) -> None:
        reason = self.reason.currentData()
        problem = self.closed_on.problem()
        if problem:
            self.message.setText(f"Closed on: {problem}")
            return
        try:
            record_case_details(
                self.repo,
                self.case_id,
                # a toolkit that asks keeps its own answer; the rest are the case's facts
                models_of_abuse=[
                    k for k, box in self.models.items() if box.isChecked() and k in self.here
                ],
                closure_reason=reason,
                closed_on=self.closed_on.iso(),
            )
        except ClosureProblem as exc:
            self.message.setText(str(exc))
            return
        self._loaded = self.save_for_lock()
        self.accept()
