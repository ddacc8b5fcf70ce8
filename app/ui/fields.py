"""Editors built from field definitions: one registry keyed by field type.

Every editor exposes `value()`, `set_value()` and a `changed` signal, and carries the
field's visible label as its accessible name, so a screen reader says exactly what the
form says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.forms import Field
from app.ui.dates import DateEdit, DateProblem, parse_time, split_stamp
from app.ui.sizing import lines
from app.ui.speech import LiveLabel

REQUIRED = "Required before completing"
REQUIRED_LEGEND = "Fields marked * are needed before completing; drafts save without them."


class FieldEditor(QWidget):
    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setAccessibleName(field.label)
        self.error: LiveLabel | None = None
        self.required_words = ""

    @property
    def visible_label(self) -> str:
        """The field's visible words, as messages name it."""
        return self.field.label.rstrip(":* ").strip()

    def mark_required(self) -> None:
        """Qt has no accessible "required" state, so the description carries it: a screen
        reader says it after the field's name, as it would the state."""
        self.required_words = REQUIRED
        self.focus_widget().setAccessibleDescription(REQUIRED)

    def problem(self) -> str | None:
        """What is wrong with the typed value itself (e.g. not a real date), if anything."""
        return None

    def show_problem(self, message: str | None) -> None:
        """The message beside the field, in its visible words, and the field highlighted."""
        target = self.focus_widget()
        if message is None:
            if self.error is not None:
                self.error.hide()
                target.setStyleSheet("")
                target.setAccessibleDescription(self.required_words)
            return
        if self.error is None:
            # not announced per key while a date is half typed; the field's description says it
            self.error = LiveLabel("Problem", self, speak=False)
            self.error.setStyleSheet("color:#8b0000; font-weight:bold;")
            layout = self.layout()
            if layout is not None:
                layout.addWidget(self.error)
        text = f"{self.visible_label}: {message}"
        self.error.set_live(text)
        self.error.show()
        target.setStyleSheet("border:2px solid #8b0000;")
        words = self.required_words
        target.setAccessibleDescription(f"{text}. {words}" if words else text)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self


def _layout(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class TextEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(field.label)
        if field.type == "number":
            self.edit.setValidator(QIntValidator(0, 10**6, self.edit))
        _layout(self).addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        text = self.edit.text().strip()
        if self.field.type == "number":
            return int(text) if text else None
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class DateEditor(FieldEditor):
    """Typed the UK way or picked from a calendar; stored ISO."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.date = DateEdit(field.label, self)
        self.edit = self.date.edit
        _layout(self).addWidget(self.date)
        self.date.changed.connect(self.changed)

    def problem(self) -> str | None:
        return self.date.problem()

    def value(self) -> Any:
        return self.date.iso()

    def set_value(self, value: Any) -> None:
        self.date.set_iso(None if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class DateTimeEditor(FieldEditor):
    """A date typed the UK way (with the calendar) and a 24-hour time; stored as one ISO
    value (2026-11-26T14:30) so documents and case files read it unambiguously."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.date = DateEdit(field.label, self)
        self.edit = self.date.edit
        self.time = QLineEdit(self)
        self.time.setPlaceholderText("hh:mm")
        self.time.setAccessibleName(f"{self.visible_label}: time, 24-hour hh:mm")
        self.time.setMaximumWidth(self.time.fontMetrics().horizontalAdvance("00:000") + 24)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date)
        row.addWidget(QLabel("at", self))
        row.addWidget(self.time)
        row.addStretch(1)
        _layout(self).addLayout(row)
        self.date.changed.connect(self.changed)
        self.time.textChanged.connect(self.changed)
        for edit in (self.edit, self.time):
            edit.editingFinished.connect(lambda: self.show_problem(self.problem()))

    def problem(self) -> str | None:
        found = self.date.problem()
        if found is None:
            try:
                parse_time(self.time.text())
            except DateProblem as exc:
                found = str(exc)
        if found is None and bool(self.edit.text().strip()) != bool(self.time.text().strip()):
            found = "give both the date and the time"
        return found

    def value(self) -> Any:
        """ISO when both parts are right; what was typed when not (a draft keeps it)."""
        date, time = self.edit.text().strip(), self.time.text().strip()
        if not date and not time:
            return None
        if self.problem() is None:
            return f"{self.date.iso()}T{parse_time(time):%H:%M}"
        return f"{date} {time}".strip()

    def set_value(self, value: Any) -> None:
        date, time = split_stamp(None if value is None else str(value))
        self.edit.setText(date)
        self.time.setText(time)

    def focus_widget(self) -> QWidget:
        return self.edit


class MultilineEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(field.label)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(lines(self.edit, 2.5))
        self.edit.setMaximumHeight(lines(self.edit, 6))
        _layout(self).addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class _TickLabel(QLabel):
    """A long question beside its tick box (or an option beside its radio button): it
    wraps, and a click on it ticks the box as a click on the button's own text would."""

    def __init__(self, text: str, box: QAbstractButton, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.box.isEnabled() and event.button() == Qt.MouseButton.LeftButton:
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)
            self.box.toggle()
        super().mousePressEvent(event)


# a checkbox's own text never wraps: a long one would widen its window past a small
# screen (or be cut off in a scroll area), so it goes in a wrapping label beside the box
WRAP_AT = 60


def tick(text: str, parent: QWidget) -> tuple[QWidget, QCheckBox]:
    """A tick box named `text`, and the widget to lay out (the box, or the box and its
    wrapping text side by side when the text is long)."""
    if len(text) <= WRAP_AT:
        box = QCheckBox(text, parent)
        box.setAccessibleName(text)
        return box, box
    row = QWidget(parent)
    return row, _beside(QCheckBox("", row), text, row)


Button = TypeVar("Button", bound=QAbstractButton)


def _beside(button: Button, text: str, row: QWidget) -> Button:
    """`text` wrapping beside `button` (which has no text of its own) in `row`."""
    button.setAccessibleName(text)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(_TickLabel(text, button, row), 1)
    return button


class BoolEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        shown, self.box = tick(field.label, self)
        _layout(self).addWidget(shown)
        self.box.toggled.connect(self.changed)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        return self.box


class ChoiceEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(field.label)
        options = field.options or (("yes", "Yes"), ("no", "No"))
        self.combo.addItem("", None)
        for option_id, label in options:
            self.combo.addItem(label, option_id)
        _layout(self).addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo


class RadioChoiceEditor(FieldEditor):
    """A choice with an option too long for a combo box (a closed combo box cuts it off, or
    widens its window past a small screen at 150%): one radio button per option with its
    words wrapping beside it, as a long question beside a tick box. Nothing is chosen until
    the practitioner picks one, as with the combo box's empty first line."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        group = QGroupBox(self)
        group.setAccessibleName(field.label)
        inner = QVBoxLayout(group)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for option_id, label in field.options:
            if len(label) <= WRAP_AT:
                button = QRadioButton(label, group)
                button.setAccessibleName(label)
                inner.addWidget(button)
            else:
                row = QWidget(group)
                button = _beside(QRadioButton("", row), label, row)
                inner.addWidget(row)
            self.group.addButton(button)
            self.buttons[option_id] = button
        _layout(self).addWidget(group)
        self.group.buttonToggled.connect(self._toggled)

    def _toggled(self, _button: QAbstractButton, on: bool) -> None:
        if on:  # the one newly chosen; the one let go says nothing
            self.changed.emit()

    def mark_required(self) -> None:
        self.required_words = REQUIRED
        for button in self.buttons.values():
            button.setAccessibleDescription(REQUIRED)

    def value(self) -> Any:
        return next((k for k, b in self.buttons.items() if b.isChecked()), None)

    def set_value(self, value: Any) -> None:
        button = self.buttons.get(value) if value is not None else None
        if button is not None:
            button.setChecked(True)
            return
        if self.value() is not None:  # back to unanswered: an exclusive group refuses it
            self.group.setExclusive(False)
            for each in self.buttons.values():
                each.setChecked(False)
            self.group.setExclusive(True)
            self.changed.emit()

    def focus_widget(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or next(iter(self.buttons.values()), self)


class MultiChoiceEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        group = QGroupBox(self)
        group.setAccessibleName(field.label)
        inner = QVBoxLayout(group)
        self.boxes: dict[str, QCheckBox] = {}
        for option_id, label in field.options:
            shown, box = tick(label, group)
            box.toggled.connect(self.changed)
            inner.addWidget(shown)
            self.boxes[option_id] = box
        _layout(self).addWidget(group)

    def value(self) -> Any:
        return [k for k, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()), self)


class TableEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.columns = [c["id"] for c in field.columns]
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setAccessibleName(field.label)
        self.table.setHorizontalHeaderLabels([c["label"] for c in field.columns])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(lines(self.table, 5))
        add = QPushButton("Add a row", self)
        add.setAccessibleName(f"Add a row to {field.label}")
        add.clicked.connect(self._add_row)
        layout = _layout(self)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        layout.addLayout(row)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def _add_row(self) -> None:
        self.table.insertRow(self.table.rowCount())
        self.changed.emit()

    def value(self) -> Any:
        rows = []
        for r in range(self.table.rowCount()):
            row = {}
            for c, key in enumerate(self.columns):
                item = self.table.item(r, c)
                row[key] = item.text() if item else ""
            if any(row.values()):
                rows.append(row)
        return rows

    def set_value(self, value: Any) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in value or []:
            r = self.table.rowCount()
            self.table.insertRow(r)
            for c, key in enumerate(self.columns):
                self.table.setItem(r, c, QTableWidgetItem(str(row.get(key, ""))))
        self.table.blockSignals(False)


class ComputedView(FieldEditor):
    """Shows a value the rules engine computed; never edited, never recomputed here."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.label = QLabel("—", self)
        self.label.setAccessibleName(field.label)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        _layout(self).addWidget(self.label)

    def value(self) -> Any:
        return None

    def set_value(self, value: Any) -> None:
        text = "—" if value in (None, "") else str(value)
        self.label.setText(text)
        # a fixed name would hide the value from a screen reader: it says both
        self.label.setAccessibleName(f"{self.visible_label}: {text}")


EDITORS: dict[str, Callable[[Field, QWidget | None], FieldEditor]] = {
    "text": TextEditor,
    "email": TextEditor,
    "phone": TextEditor,
    "date": DateEditor,
    "datetime": DateTimeEditor,
    "number": TextEditor,
    "multiline": MultilineEditor,
    "bool": BoolEditor,
    "yes_no": ChoiceEditor,
    "choice": ChoiceEditor,
    "multichoice": MultiChoiceEditor,
    "table": TableEditor,
    "computed": ComputedView,
}


def editor_for(field: Field, parent: QWidget | None = None) -> FieldEditor:
    make = EDITORS[field.type]
    if field.type == "choice" and any(len(label) > WRAP_AT for _, label in field.options):
        make = RadioChoiceEditor
    editor = make(field, parent)
    if field.required and field.type != "computed":
        editor.mark_required()
    return editor


def shown_label(field: Field) -> str:
    """The label as the form shows it: a field needed before completing is marked *."""
    return f"{field.label} *" if field.required and field.type != "computed" else field.label
