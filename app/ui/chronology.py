"""A case over time: each assessment's level by date, and what changed between them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.forms import Registry
from app.rules import CaseFileError, parse_case
from app.rules.changes import compare
from app.storage import AssessmentRecord
from app.ui.levels import COLOURS

ORDER = ["none", "low", "medium", "high", "exploited"]


class LevelChart(QWidget):
    """Dots for each assessment's level by date; each dot is labelled with its word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[dt.date, str]] = []
        self.meetings: list[tuple[dt.date, str]] = []
        self.setMinimumHeight(150)
        self.setAccessibleName("Level by date")

    def set_points(
        self, points: list[tuple[dt.date, str]], meetings: list[tuple[dt.date, str]] | None = None
    ) -> None:
        """Assessments as dots joined by a line; meetings' agreed levels as squares."""
        self.points = sorted(points)
        self.meetings = sorted(meetings or [])
        self.setAccessibleDescription(
            "; ".join(
                [f"{d:%d/%m/%Y}: {level}" for d, level in self.points]
                + [f"meeting {d:%d/%m/%Y}: {level}" for d, level in self.meetings]
            )
            or "no assessments"
        )
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, right, top, bottom = 80, 20, 10, 40 if self.meetings else 24
        width, height = self.width() - left - right, self.height() - top - bottom
        painter.setPen(QColor("#555555"))
        for n, level in enumerate(ORDER):
            y = top + height - n * height / (len(ORDER) - 1)
            painter.drawText(4, int(y) + 4, level.capitalize())
            painter.setPen(QPen(QColor("#dddddd"), 1))
            painter.drawLine(left, int(y), left + width, int(y))
            painter.setPen(QColor("#555555"))
        if not self.points and not self.meetings:
            painter.drawText(left, top + height // 2, "No assessments yet")
            return
        days = [d for d, _ in self.points + self.meetings]
        first, last = min(days), max(days)
        span = max((last - first).days, 1)
        for when, level in self.meetings:  # squares: a meeting's agreed level
            x = left + (when - first).days / span * width if last > first else left + width / 2
            y = top + height - ORDER.index(level) * height / (len(ORDER) - 1)
            painter.setPen(QPen(QColor(COLOURS[level][1]), 1))
            painter.setBrush(QColor(COLOURS[level][0]))
            painter.drawRect(int(x) - 5, int(y) - 5, 10, 10)
        previous: QPointF | None = None
        for when, level in self.points:
            x = left + (when - first).days / span * width if last > first else left + width / 2
            y = top + height - ORDER.index(level) * height / (len(ORDER) - 1)
            point = QPointF(x, y)
            if previous is not None:
                painter.setPen(QPen(QColor("#1d4f6e"), 2))
                painter.drawLine(previous, point)
            painter.setPen(QPen(QColor(COLOURS[level][1]), 1))
            painter.setBrush(QColor(COLOURS[level][0]))
            painter.drawEllipse(point, 6, 6)
            previous = point
        painter.setPen(QColor("#555555"))
        dates = self.height() - (22 if self.meetings else 6)
        if self.meetings:  # shapes say which is which, never colour alone
            painter.drawText(left, self.height() - 4, "● assessment   ■ meeting (level agreed)")
        painter.drawText(left, dates, f"{first:%d/%m/%Y}")
        painter.drawText(max(left, left + width - 70), dates, f"{last:%d/%m/%Y}")


class Chronology(QWidget):
    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        layout = QVBoxLayout(self)
        self.chart = LevelChart(self)
        self.changes = QLabel("", self)
        self.changes.setWordWrap(True)
        self.changes.setTextFormat(Qt.TextFormat.PlainText)
        self.changes.setAccessibleName("What changed between assessments")
        layout.addWidget(self.chart)
        layout.addWidget(self.changes, 1)

    def show_case(
        self, records: list[AssessmentRecord], meetings: list[dict[str, Any]] | None = None
    ) -> None:
        points: list[tuple[dt.date, str]] = []
        parsed = []
        for record in records:
            try:
                case = parse_case(record.answers, self.registry)
            except CaseFileError:
                continue  # an unfinished draft has no level yet
            parsed.append(case)
            if record.level:
                points.append((case.assessment_date, record.level))
        held = [
            (dt.date.fromisoformat(m["date"]), m["level"]) for m in meetings or [] if m["level"]
        ]
        self.chart.set_points(points, held)
        texts = []
        for before, after in itertools.pairwise(parsed):
            tk = self.registry.get(after.toolkit)
            if before.toolkit == after.toolkit:
                texts.append(compare(tk, before, after).summary(tk))
        self.changes.setText("\n\n".join(reversed(texts)) or "Only one assessment so far.")
