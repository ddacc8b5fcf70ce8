"""The row above the case list: search by name, and filters by level, toolkit, status and
review date. Each box has a visible label as its buddy: on Linux a combo box is otherwise
named by its value ("All levels") and a screen reader cannot say what it filters."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.forms import Registry
from app.ui.levels import COLOURS, word
from app.ui.sizing import chars

STATUSES = [
    ("", "Any status"),
    ("draft", "Draft"),
    ("completed", "Completed"),
    ("signed", "Signed"),
    ("closed", "Closed"),
]
REVIEWS = [("", "Any review date"), ("overdue", "Review overdue"), ("14", "Review due in 14 days")]


class CaseFilters(QWidget):
    changed = Signal()

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by child's name")
        self.search.setAccessibleName("Search by child's name")
        self.search.setMaximumWidth(chars(self.search, 40))
        levels = [("", "All levels")] + [(k, word(k)) for k in COLOURS]
        self.level = self._combo("Level", levels)
        toolkits = [("", "All toolkits")] + [(t.id, t.short_title) for t in registry]
        self.toolkit = self._combo("Toolkit", toolkits)
        # sized for "All toolkits", not the longest title (its list still shows them whole),
        # so the search box keeps room for a name at 150% scaling
        self.toolkit.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.toolkit.setMinimumContentsLength(14)
        self.status = self._combo("Status", STATUSES)
        self.review = self._combo("Review due", REVIEWS)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            ("&Search:", self.search),
            ("Le&vel:", self.level),
            ("Tool&kit:", self.toolkit),
            ("St&atus:", self.status),
            ("Revie&w:", self.review),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            row.addWidget(label, 0)
            row.addWidget(widget, 1 if widget is self.search else 0)  # names need the room
        row.addStretch(0)
        self.search.textChanged.connect(self.changed)
        for combo in (self.level, self.toolkit, self.status, self.review):
            combo.currentIndexChanged.connect(self.changed)

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(f"Filter by {name.lower()}")
        for key, text in items:
            combo.addItem(text, key or None)
        return combo

    def narrowed(self) -> bool:
        """Whether anything but the review filter hides cases (an empty list then means
        "nothing matches", not "no cases yet")."""
        return bool(self.search.text().strip()) or any(
            c.currentData() for c in (self.level, self.toolkit, self.status)
        )
