"""Dates the UK way: typed as 14/09/2013, 14-9-2013 or 2013-09-14, shown dd/mm/yyyy,
stored ISO, with a calendar pop-up; an impossible date is refused at the field.

`parse_date` is plain Python so it can be tested without a window.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

SHOWN = "%d/%m/%Y"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})\s*[/\-. ]\s*(\d{1,2})\s*[/\-. ]\s*(\d{2,4})")


class DateProblem(ValueError):
    """Why the typed text is not a date, in words a practitioner reads."""


def parse_date(text: str) -> dt.date | None:
    """The date the text means (None when empty), or DateProblem saying why not."""
    typed = text.strip()
    if not typed:
        return None
    if match := _ISO.fullmatch(typed):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK.fullmatch(typed):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            raise DateProblem(f"{typed}: write the year in full, e.g. 14/09/2013")
    else:
        raise DateProblem(f"{typed} is not a date: write it as dd/mm/yyyy, e.g. 14/09/2013")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise DateProblem(f"{typed} is not a real date") from None
    if not 1900 <= date.year <= 2100:
        raise DateProblem(f"{typed} is outside 1900 to 2100")
    return date


_TIME = re.compile(r"(\d{1,2})\s*[:.]\s*(\d{2})")


def parse_time(text: str) -> dt.time | None:
    """The 24-hour time the text means (None when empty), or DateProblem saying why not."""
    typed = text.strip()
    if not typed:
        return None
    match = _TIME.fullmatch(typed)
    if match is None:
        raise DateProblem(f"{typed} is not a time: write it as hh:mm, e.g. 14:30")
    try:
        return dt.time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise DateProblem(f"{typed} is not a real time of day") from None


def shown(value: str | None) -> str:
    """An ISO date as dd/mm/yyyy (anything else unchanged)."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).strftime(SHOWN)
    except ValueError:
        return value


def split_stamp(value: str | None) -> tuple[str, str]:
    """A stored date and time (2026-11-26T14:30) as the two texts a practitioner sees."""
    if not value:
        return "", ""
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return value, ""  # a draft's half-typed text comes back as typed
    return stamp.strftime(SHOWN), stamp.strftime("%H:%M")


class DateEdit(QWidget):
    """A line for typing and a button for the calendar; `iso()` is what is stored."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setAccessibleName(name)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.button = QToolButton(self)
        self.button.setText("Calendar…")
        self.button.setAccessibleName(f"Choose {name} from a calendar")
        self.button.clicked.connect(self.pop_up)
        # the calendar opens from the field (Alt+Down or F4), so the button is no Tab stop
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for keys in ("Alt+Down", "F4"):
            shortcut = QShortcut(QKeySequence(keys), self.edit)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.pop_up)
        self.edit.setAccessibleDescription("Type the date, or press Alt+Down or F4 for a calendar")
        self.edit.setToolTip("dd/mm/yyyy — Alt+Down or F4 opens a calendar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._tidy)
        self.calendar: QCalendarWidget | None = None

    def problem(self) -> str | None:
        try:
            parse_date(self.edit.text())
        except DateProblem as exc:
            return str(exc)
        return None

    def iso(self) -> str | None:
        """ISO when the text is a date; the text itself when not (a draft keeps it)."""
        try:
            date = parse_date(self.edit.text())
        except DateProblem:
            return self.edit.text().strip()
        return date.isoformat() if date else None

    def set_iso(self, value: str | None) -> None:
        self.edit.setText(shown(value))

    def _tidy(self) -> None:
        value = self.iso()
        if value and self.problem() is None and self.edit.text() != shown(value):
            self.edit.setText(shown(value))

    def pop_up(self) -> None:
        """A calendar under the field; choosing a day fills it in and closes."""
        calendar = QCalendarWidget(self)
        calendar.setWindowFlag(Qt.WindowType.Popup)
        calendar.setAccessibleName(self.button.accessibleName())
        try:
            current = parse_date(self.edit.text()) or dt.date.today()
        except DateProblem:
            current = dt.date.today()
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        calendar.activated.connect(self._chosen)
        calendar.clicked.connect(self._chosen)
        calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        self.calendar = calendar
        calendar.show()
        calendar.setFocus()

    def _chosen(self, day: QDate) -> None:
        self.edit.setText(dt.date(day.year(), day.month(), day.day()).strftime(SHOWN))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar.deleteLater()
            self.calendar = None
        self.edit.setFocus()
