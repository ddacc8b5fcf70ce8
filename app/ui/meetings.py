"""A case's multi-agency meetings and the facts a partnership counts, in one window.

Everything goes through app.casework.meetings: this window only shows and collects.
Problems are listed in the words of the fields; nothing is written until they are fixed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.casework import meetings as casework
from app.casework.reading import child_name
from app.rules.meetings import FACT_KEYS, MEETING_KEYS, empty_meeting, options
from app.storage import Repository
from app.ui.dates import DateEdit, shown
from app.ui.sizing import fit_to_screen
from app.ui.windows import closing_for_lock, confirm_discard

YES_NO = {True: "Yes", False: "No"}


class MeetingsDialog(QDialog):
    """Case facts at the top; the meetings held, oldest first; the selected meeting below."""

    def __init__(
        self,
        repo: Repository,
        case_id: int,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo, self.case_id = repo, case_id
        self.today = today or dt.date.today()
        self.editing: int | None = None
        self.records: list[casework.MeetingRecord] = []
        name = child_name(repo, case_id) or "unnamed child"
        self.setWindowTitle(f"Meetings and case facts: {name}")
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)  # fits a 150% laptop screen; the buttons stay below
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        layout = QVBoxLayout(body)
        layout.addWidget(self._facts_box())
        layout.addWidget(QLabel("Meetings held (oldest first):", self))
        self.table = QTableWidget(0, 7, self)
        self.table.setHorizontalHeaderLabels(
            ["Date", "Type", "Level agreed", "Young person", "Parents/carers", "Views", "Next"]
        )
        self.table.setAccessibleName("Meetings held")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.setMinimumHeight(90)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._meeting_box())
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Messages")
        layout.addWidget(self.message)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        outer.addLayout(row)
        self._load()
        self._facts_saved = self.facts()
        for box in (self.in_care, self.other_la, *self.areas.values()):
            box.toggled.connect(self._facts_changed)
        self.key_worker.currentIndexChanged.connect(self._facts_changed)
        fit_to_screen(self, 1000, 720)

    # -- building ------------------------------------------------------------------------
    def _facts_box(self) -> QGroupBox:
        box = QGroupBox("Case facts the partnership counts", self)
        grid = QGridLayout(box)
        facts = casework.case_facts(self.repo, self.case_id)
        self.key_worker = QComboBox(box)
        self.key_worker.setAccessibleName(FACT_KEYS["key_worker"])
        self.key_worker.addItem("Not recorded", None)
        for key, label in options("key_worker_types"):
            self.key_worker.addItem(label, key)
        self.key_worker.setCurrentIndex(max(self.key_worker.findData(facts["key_worker"]), 0))
        grid.addWidget(QLabel(FACT_KEYS["key_worker"] + ":", box), 0, 0)
        grid.addWidget(self.key_worker, 0, 1)
        self.in_care = QCheckBox(FACT_KEYS["in_care_due_to_exploitation"], box)
        self.in_care.setChecked(facts["in_care_due_to_exploitation"])
        self.other_la = QCheckBox(FACT_KEYS["from_another_la"], box)
        self.other_la.setChecked(facts["from_another_la"])
        # three columns and the two ticks on their own row: the box fits a 150% screen
        grid.addWidget(self.in_care, 1, 0, 1, 2)
        grid.addWidget(self.other_la, 1, 2)
        grid.addWidget(QLabel("Priority areas (more than one can apply):", box), 2, 0, 1, 3)
        self.areas: dict[str, QCheckBox] = {}
        areas = options("priority_areas")
        for n, (key, label) in enumerate(areas):
            check = QCheckBox(label, box)
            check.setAccessibleName(label)
            check.setChecked(key in facts["priority_areas"])
            grid.addWidget(check, 3 + n // 3, n % 3)
            self.areas[key] = check
        below = 3 + (len(areas) + 2) // 3
        models = casework.models_from_assessment(self.repo, self.case_id)
        labels = dict(options("models_of_abuse"))
        if models is None:
            text = "Models of abuse: recorded in Case details (this toolkit does not ask)."
        else:  # Section 3's answer and what Case details adds (its list lacks some)
            every = casework.models_of_abuse(self.repo, self.case_id)
            chosen = ", ".join(labels[m] for m in every) or "none chosen yet"
            text = f"Models of abuse, from the assessment's Section 3 and Case details: {chosen}."
        note = QLabel(f"{text} Case facts are saved as you choose them.", box)
        note.setWordWrap(True)
        grid.addWidget(note, below, 0, 1, 3)
        return box

    def _meeting_box(self) -> QGroupBox:
        box = QGroupBox("Meeting", self)
        form = QFormLayout(box)
        self.kind = QComboBox(box)
        self.kind.addItem("Choose…", None)
        for key, label in options("meeting_types"):
            self.kind.addItem(label, key)
        self.date_field = DateEdit(MEETING_KEYS["date"], box)
        self.date = self.date_field.edit
        self.chair = QLineEdit(box)
        self.young_person = QCheckBox("Yes", box)
        self.parents = QCheckBox("Yes", box)
        self.views = QCheckBox("Yes", box)
        self.level = QComboBox(box)
        self.level.addItem("Not agreed", None)
        for key, label in options("meeting_levels"):
            self.level.addItem(label, key)
        self.actions_text = QPlainTextEdit(box)
        self.actions_text.setFixedHeight(54)
        self.next_field = DateEdit(MEETING_KEYS["next_meeting"], box)
        self.next_meeting = self.next_field.edit
        self.next_meeting.setToolTip("Sets when the case's review is due")
        widgets: dict[str, QWidget] = {
            "type": self.kind,
            "date": self.date_field,
            "chair": self.chair,
            "young_person_attended": self.young_person,
            "parents_attended": self.parents,
            "views_conveyed": self.views,
            "level": self.level,
            "actions": self.actions_text,
            "next_meeting": self.next_field,
        }
        for key, widget in widgets.items():
            if not isinstance(widget, DateEdit):  # its line already carries the name
                widget.setAccessibleName(MEETING_KEYS[key])
            form.addRow(MEETING_KEYS[key] + ":", widget)
        buttons = QHBoxLayout()
        for text, slot in (
            ("&New meeting", self.new_meeting),
            ("&Save meeting", self.save_meeting),
            ("&Delete meeting", self.delete_meeting),
        ):
            button = QPushButton(text, box)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(buttons)
        return box

    # -- data ------------------------------------------------------------------------------
    def _load(self, select: int | None = None) -> None:
        self.records = casework.list_meetings(self.repo, self.case_id)
        types = dict(options("meeting_types"))
        levels = dict(options("meeting_levels"))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.records))
        for r, record in enumerate(self.records):
            m = record.data
            cells = [
                shown(m["date"]),
                types.get(m["type"], m["type"]),
                levels.get(m["level"], "Not agreed"),
                YES_NO[m["young_person_attended"]],
                YES_NO[m["parents_attended"]],
                YES_NO[m["views_conveyed"]],
                shown(m["next_meeting"]),
            ]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)
        ids = [rec.id for rec in self.records]
        if select in ids:
            self.table.selectRow(ids.index(select))
        else:
            self.new_meeting()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        record = self.records[rows[0].row()]
        self.editing = record.id
        self._show(record.data)

    def _show(self, m: dict[str, Any]) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(m["type"]), 0))
        self.date_field.set_iso(m["date"])
        self.chair.setText(m["chair"])
        self.young_person.setChecked(m["young_person_attended"])
        self.parents.setChecked(m["parents_attended"])
        self.views.setChecked(m["views_conveyed"])
        self.level.setCurrentIndex(max(self.level.findData(m["level"]), 0))
        self.actions_text.setPlainText(m["actions"])
        self.next_field.set_iso(m["next_meeting"])

    def collected(self) -> dict[str, Any]:
        return {
            "type": self.kind.currentData(),
            "date": self.date_field.iso(),
            "chair": self.chair.text(),
            "young_person_attended": self.young_person.isChecked(),
            "parents_attended": self.parents.isChecked(),
            "views_conveyed": self.views.isChecked(),
            "level": self.level.currentData(),
            "actions": self.actions_text.toPlainText(),
            "next_meeting": self.next_field.iso(),
        }

    # -- actions ---------------------------------------------------------------------------
    def new_meeting(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self._show(
            {**empty_meeting(), "type": self._suggested_type(), "date": self.today.isoformat()}
        )

    def _suggested_type(self) -> str:
        """Initial meeting first, then the first review, then further reviews."""
        kinds = {r.data["type"] for r in self.records}
        if "initial" not in kinds:
            return "initial"
        return "further_review" if kinds & {"first_review", "further_review"} else "first_review"

    def save_meeting(self) -> None:
        typed = [
            f"{MEETING_KEYS[key]}: {field.problem()}"
            for key, field in (("date", self.date_field), ("next_meeting", self.next_field))
            if field.problem()
        ]
        if typed:  # named in the field's words before anything is written
            self.message.setText("Not saved:\n" + "\n".join(typed))
            return
        try:
            saved = casework.record_meeting(
                self.repo, self.case_id, self.collected(), meeting_id=self.editing, today=self.today
            )
        except casework.MeetingInvalid as exc:
            self.message.setText(
                "Not saved:\n" + "\n".join(f"{label}: {text}" for label, text in exc.problems)
            )
            return
        self.message.setText("Meeting saved.")
        self._load(select=saved)

    def delete_meeting(self) -> None:
        if self.editing is None:
            self.message.setText("Select a meeting to delete.")
            return
        casework.remove_meeting(self.repo, self.editing)
        self.message.setText("Meeting deleted (the audit trail keeps what it said).")
        self._load()

    def facts(self) -> dict[str, Any]:
        return {
            "key_worker": self.key_worker.currentData(),
            "priority_areas": [k for k, box in self.areas.items() if box.isChecked()],
            "in_care_due_to_exploitation": self.in_care.isChecked(),
            "from_another_la": self.other_la.isChecked(),
        }

    def _facts_changed(self, *_: object) -> None:
        """Case facts are ticks and a choice: each one is saved the moment it changes."""
        self.save_facts()

    def save_facts(self) -> None:
        facts = self.facts()
        if facts == getattr(self, "_facts_saved", None):
            return
        try:
            casework.save_case_facts(self.repo, self.case_id, facts)
        except casework.MeetingInvalid as exc:
            self.message.setText("\n".join(f"{label}: {text}" for label, text in exc.problems))
            return
        self._facts_saved = facts
        self.message.setText("Case facts saved.")

    # -- the close protocol ------------------------------------------------------------------
    def _shown_meeting(self) -> dict[str, Any]:
        if self.editing is not None:
            for record in self.records:
                if record.id == self.editing:
                    return dict(record.data)
        return {**empty_meeting(), "type": self._suggested_type(), "date": self.today.isoformat()}

    def meeting_changed(self) -> bool:
        """Whether the meeting form holds anything typed since it was shown or saved."""
        shown_now = self._shown_meeting()
        typed = self.collected()
        bad_dates = any(field.problem() for field in (self.date_field, self.next_field))
        return bad_dates or any(typed[k] != shown_now.get(k) for k in typed)

    def settle(self) -> bool:
        """Save the facts and any meeting being typed; True when nothing typed is left."""
        self.save_facts()
        if not self.meeting_changed():
            return True
        before = self.message.text()
        self.save_meeting()
        if not self.meeting_changed():
            return True
        problem = self.message.text().removeprefix("Not saved:\n") or before
        if closing_for_lock(self):
            return True  # save_for_lock kept it; unlock shows it again
        return confirm_discard(self, f"The meeting you are typing is not saved:\n{problem}")

    def done(self, result: int) -> None:
        if self.settle():
            super().done(result)

    def save_for_lock(self) -> dict[str, Any] | None:
        self.save_facts()
        if self.meeting_changed():
            self.save_meeting()
        if not self.meeting_changed():
            return None
        return {"editing": self.editing, "meeting": self.collected(),
                "date": self.date_field.edit.text(),
                "next": self.next_field.edit.text()}  # fmt: skip

    def restore_after_lock(self, state: dict[str, Any]) -> None:
        self.editing = state.get("editing")
        self._show(state["meeting"])
        self.date_field.edit.setText(state["date"])
        self.next_field.edit.setText(state["next"])
        self.message.setText("The meeting you were typing is back: it is not saved yet.")
