"""Section 1 and Section 2 rows built from a toolkit's marking scheme."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.forms import Field, Item, Toolkit
from app.ui.fields import FieldEditor, editor_for
from app.ui.sizing import lines


class _Short(QStyledItemDelegate):
    """The pop-up list shows the short rating; the item's full text is for screen readers."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = str(index.data(Qt.ItemDataRole.UserRole + 1) or "")


class RatingBox(QComboBox):
    """The L/M/H box. On Linux a combo box's accessible name is its current text, so 29
    boxes were all heard as "–". Each item's text names the indicator ("M: Concern re:
    online activity"); the box and its list still show only "–", "L", "M" or "H"."""

    SHORT = (("–", None, "Not rated"), ("L", "L", "L"), ("M", "M", "M"), ("H", "H", "H"))

    def __init__(self, indicator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for short, data, spoken in self.SHORT:
            self.addItem(f"{spoken}: {indicator}", data)
            self.setItemData(self.count() - 1, short, Qt.ItemDataRole.UserRole + 1)
            # in the open list each choice is heard as shown (L, M, H); the box itself
            # is named by its current text, which says the indicator
            self.setItemData(self.count() - 1, short, Qt.ItemDataRole.AccessibleTextRole)
        self.setItemDelegate(_Short(self))
        self.setAccessibleName(f"Risk rating for: {indicator}")
        self.setAccessibleDescription("Low, Medium or High")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(2)
        self.view().setMinimumWidth(self.fontMetrics().horizontalAdvance("MM") + 40)

    def short_text(self) -> str:
        return str(self.currentData(Qt.ItemDataRole.UserRole + 1) or "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.short_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class MarkRow(QWidget):
    """One Section 1 indicator with the toolkit's tick columns."""

    changed = Signal()

    def __init__(self, tk: Toolkit, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tk, self.item = tk, item
        self.setAccessibleName(item.text)
        labels = tk.data["section1"].get("column_labels", {})
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 2, 0, 2)
        row = QHBoxLayout()
        outer.addLayout(row)
        self.boxes: dict[str, QCheckBox] = {}
        keys = {"risk_evidenced": ["risk", "evidenced"], "cce_cse_level": ["cce", "cse"]}
        for key in keys.get(tk.marking, ["ticked"]):
            box = QCheckBox(labels.get(key, key.upper()), self)
            # "CCE: Concern re: online activity": unique, and says which column it is
            box.setAccessibleName(f"{labels.get(key, key.upper())}: {item.text}")
            box.toggled.connect(self.changed)
            row.addWidget(box)
            self.boxes[key] = box
        self.level: RatingBox | None = None
        if tk.marking == "cce_cse_level":
            self.level = RatingBox(item.text, self)
            self.level.currentIndexChanged.connect(self.changed)
            row.addWidget(self.level)
        caption = QLabel(item.text + "".join(f"\n • {d}" for d in item.detail), self)
        caption.setWordWrap(True)
        # on Linux a combo box is named by its value: the caption (labelled-by) says what
        # it rates; without a combo the caption labels the first tick box
        caption.setBuddy(self.level if self.level is not None else next(iter(self.boxes.values())))
        row.addWidget(caption, 1)
        self.note: QPlainTextEdit | None = None
        self.note_button: QToolButton | None = None
        if tk.marking != "tick_comment":  # R/E and CCE/CSE rows: a note, collapsed until used
            self.note_button = QToolButton(self)
            self.note_button.setCheckable(True)
            self.note_button.setText("Please expand" if item.other else "Note")
            self.note_button.setAccessibleName(f"Note on: {item.text}")
            row.addWidget(self.note_button)
            self.note = QPlainTextEdit(self)
            self.note.setTabChangesFocus(True)
            self.note.setPlaceholderText(
                "Please expand: what is it?" if item.other else "Note (evidence, source, dates)"
            )
            self.note.setAccessibleName(f"Note: {item.text}")
            self.note.setMaximumHeight(lines(self, 3.5))
            self.note.setVisible(False)
            self.note_button.toggled.connect(self._show_note)
            self.note.textChanged.connect(self.changed)
            outer.addWidget(self.note)
            if item.other:  # "Other: please expand": the text opens as soon as it is ticked
                for box in self.boxes.values():
                    box.toggled.connect(self._open_when_ticked)
        self.comment: QLineEdit | None = None
        if tk.marking == "tick_comment":
            self.comment = QLineEdit(self)
            self.comment.setPlaceholderText(labels.get("comment", "Comments & evidence"))
            self.comment.setAccessibleName(f"{labels.get('comment', 'Comment')}: {item.text}")
            self.comment.textChanged.connect(self.changed)
            outer.addWidget(self.comment)
        if item.examples:
            button = QToolButton(self)
            button.setText("Examples")
            button.setCheckable(True)
            button.setAccessibleName(f"Examples for {item.text}")
            row.addWidget(button)
            ex = item.examples
            guide = QLabel(f"Low: {ex.low}\nMedium: {ex.medium}\nHigh: {ex.high}", self)
            guide.setWordWrap(True)
            guide.setStyleSheet("background:#f4f6f8; padding:6px; border-left:3px solid #1d4f6e;")
            guide.setVisible(False)
            button.toggled.connect(guide.setVisible)
            outer.addWidget(guide)

    def _open_when_ticked(self, ticked: bool) -> None:
        if ticked and self.note_button is not None:
            self.note_button.setChecked(True)

    def _show_note(self, shown: bool) -> None:
        if self.note is None:
            return
        self.note.setVisible(shown)
        if shown:
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def marks(self) -> dict[str, Any] | None:
        """The row's marks; a note is kept whatever the ticks say, so changing a tick or a
        rating never drops it."""
        marks: dict[str, Any] = {k: b.isChecked() for k, b in self.boxes.items()}
        if self.level is not None:
            marks["level"] = self.level.currentData()
        if self.comment is not None:
            marks["comment"] = self.comment.text()
        if self.note is not None and self.note.toPlainText():
            marks["note"] = self.note.toPlainText()
        return marks if any(marks.values()) else None

    def set_marks(self, marks: dict[str, Any]) -> None:
        for key, box in self.boxes.items():
            box.setChecked(bool(marks.get(key)))
        if self.level is not None:
            self.level.setCurrentIndex(max(self.level.findData(marks.get("level")), 0))
        if self.comment is not None:
            self.comment.setText(str(marks.get("comment", "")))
        if self.note is not None and self.note_button is not None:
            text = str(marks.get("note") or "")
            if self.note.toPlainText() != text:
                self.note.setPlainText(text)
            if text:  # an imported or earlier note is shown, never hidden away
                self.note.setVisible(True)
                self.note_button.blockSignals(True)
                self.note_button.setChecked(True)
                self.note_button.blockSignals(False)


class FactorRow(QWidget):
    """One Section 2 factor with the toolkit's columns (ticks and commentary)."""

    changed = Signal()

    def __init__(self, tk: Toolkit, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(item.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        title = QLabel(item.text, self)
        title.setWordWrap(True)
        title.setStyleSheet("font-weight:600;")
        layout.addWidget(title)
        row = QHBoxLayout()
        layout.addLayout(row)
        self.editors: dict[str, FieldEditor] = {}
        for column in tk.section2_columns:
            label = column["label"]
            f = Field(id=column["id"], label=f"{label}: {item.text}", type=column["type"])
            editor = editor_for(f, self)
            if column["type"] == "bool":
                editor.box.setText(label)  # type: ignore[attr-defined]
            elif column["type"] == "multiline":
                editor.edit.setPlaceholderText(label)  # type: ignore[attr-defined]
                editor.edit.setMaximumHeight(lines(self, 3))  # type: ignore[attr-defined]
            editor.changed.connect(self.changed)
            row.addWidget(editor, 0 if column["type"] == "bool" else 1)
            self.editors[column["id"]] = editor

    def answers(self) -> dict[str, Any] | None:
        values = {k: e.value() for k, e in self.editors.items()}
        return values if any(values.values()) else None

    def set_answers(self, values: dict[str, Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(values.get(key))
