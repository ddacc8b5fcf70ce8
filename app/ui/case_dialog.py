"""Case details: models of abuse (what partnerships count) and closure or re-opening."""

from __future__ import annotations

import datetime as dt
from functools import cache

import yaml
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.storage import Repository


@cache
def partnership_lists() -> dict[str, list[tuple[str, str]]]:
    from importlib import resources

    text = (
        resources.files("app.forms").joinpath("definitions", "_partnership.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(text)
    return {
        k: [(o["id"], o["label"]) for o in data[k]] for k in ("models_of_abuse", "closure_reasons")
    }


class CaseDialog(QDialog):
    def __init__(self, repo: Repository, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo, self.case_id = repo, case_id
        details = repo.case_details(case_id)
        lists = partnership_lists()
        self.setWindowTitle("Case details")
        layout = QVBoxLayout(self)
        box = QGroupBox("Models of abuse (more than one can apply)", self)
        inner = QVBoxLayout(box)
        self.models: dict[str, QCheckBox] = {}
        from app.casework.meetings import models_from_assessment

        self.linked = linked = models_from_assessment(repo, case_id)  # asked once: by its toolkit
        if linked is not None:
            inner.addWidget(QLabel("From the assessment's Section 3 (change them there):", box))
        for key, label in lists["models_of_abuse"]:
            check = QCheckBox(label, box)
            check.setAccessibleName(label)
            check.setChecked(key in (details["models_of_abuse"] if linked is None else linked))
            check.setEnabled(linked is None)
            inner.addWidget(check)
            self.models[key] = check
        layout.addWidget(box)
        layout.addWidget(QLabel("Closure reason (leave empty while the case is open):", self))
        self.reason = QComboBox(self)
        self.reason.setAccessibleName("Closure reason")
        self.reason.addItem("Open (not closed)", None)
        for key, label in lists["closure_reasons"]:
            self.reason.addItem(label, key)
        self.reason.setCurrentIndex(max(self.reason.findData(details["closure_reason"]), 0))
        layout.addWidget(self.reason)
        layout.addWidget(QLabel("Closed on (YYYY-MM-DD):", self))
        self.closed_on = QLineEdit(details["closed_on"] or "", self)
        self.closed_on.setAccessibleName("Closed on")
        layout.addWidget(self.closed_on)
        self.message = QLabel("", self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        reason = self.reason.currentData()
        closed = self.closed_on.text().strip() or None
        if reason and not closed:
            closed = dt.date.today().isoformat()
        if closed:
            try:
                dt.date.fromisoformat(closed)
            except ValueError:
                self.message.setText("Closed on: write the date as YYYY-MM-DD.")
                return
            if not reason:
                self.message.setText("Choose the closure reason.")
                return
        self.repo.set_case_details(
            self.case_id,
            models_of_abuse=[k for k, box in self.models.items() if box.isChecked()]
            if self.linked is None
            else None,  # a toolkit that asks keeps its own answer
            closed_on=closed if reason else None,
            closure_reason=reason,
        )
        self.accept()
