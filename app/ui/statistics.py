"""Partnership statistics in the app: Appendix A as tables, a simple chart, and exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.stats import StatsReport, build_report
from app.stats.appendix import LEVEL_END, TYPES
from app.stats.source import facts_from_vault
from app.storage import Repository
from app.ui.levels import COLOURS


class LevelBars(QWidget):
    """Bars under a title, each labelled with its words and count (colour is never alone)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.values: list[tuple[str, str, int]] = []
        self.setMinimumHeight(170)
        self.setAccessibleName(title)

    def set_values(self, values: list[tuple[str, str, int]]) -> None:
        self.values = values
        self.setAccessibleDescription("; ".join(f"{label}: {n}" for _, label, n in values))
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setPen(QColor("#1a1a1a"))
        painter.drawText(10, 14, self.title)
        top = max([n for _, _, n in self.values] + [1])
        bar_width = max(self.width() // max(len(self.values), 1) - 12, 20)
        for i, (key, label, n) in enumerate(self.values):
            x = 10 + i * (bar_width + 12)
            h = int((self.height() - 76) * n / top)
            background, foreground = COLOURS.get(key, ("#e6e6e6", "#1a1a1a"))
            painter.fillRect(x, self.height() - 36 - h, bar_width, h, QColor(background))
            painter.setPen(QColor(foreground))
            painter.drawRect(x, self.height() - 36 - h, bar_width, h)
            painter.setPen(QColor("#1a1a1a"))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            painter.drawText(x, self.height() - 34, bar_width, 34, flags, f"{label}: {n}")


class StatisticsDialog(QDialog):
    def __init__(
        self, repo: Repository, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.today = today or dt.date.today()
        self.report: StatsReport | None = None
        self.setWindowTitle("Partnership statistics")
        self.resize(1100, 700)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        today = self.today
        fy = today.year if today.month >= 4 else today.year - 1
        self.start = QLineEdit(dt.date(fy, 4, 1).isoformat(), self)
        self.end = QLineEdit(today.isoformat(), self)
        self.start.setAccessibleName("From date")
        self.end.setAccessibleName("To date")
        go = QPushButton("&Count", self)
        go.clicked.connect(self.refresh)
        for widget in (QLabel("From:"), self.start, QLabel("To:"), self.end, go):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel("", self)
        layout.addWidget(self.message)
        charts = QHBoxLayout()
        self.bars = LevelBars("Level of risk of cases worked, at the end of the quarter", self)
        self.meeting_bars = LevelBars("Types of meeting held (total)", self)
        charts.addWidget(self.bars, 1)
        charts.addWidget(self.meeting_bars, 1)
        layout.addLayout(charts)
        self.table = QTableWidget(0, 0, self)
        self.table.setAccessibleName("Statistics")
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Save &CSV…", self.save_csv),
            ("Save &PDF…", self.save_pdf),
            ("Save anonymised &bundle…", self.save_bundle),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        try:
            start = dt.date.fromisoformat(self.start.text().strip())
            end = dt.date.fromisoformat(self.end.text().strip())
            if end < start:
                raise ValueError
        except ValueError:
            self.message.setText("From and To must be dates (YYYY-MM-DD), From before To.")
            return
        try:
            report = build_report(facts_from_vault(self.repo), start, end, today=self.today)
        except ValueError as exc:  # the range has not started yet
            self.message.setText(f"From: {exc}.")
            return
        self.message.setText(
            "Counts completed assessments and recorded meetings; quarters not yet started "
            "are not shown."
        )
        self.report = report
        periods = [p.label.replace(" (", "\n(") for p in report.periods]  # two-line headers
        headers = ["Category", *periods, "Total"]
        self.table.clearSpans()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        sections = report.sections()
        self.table.setRowCount(len(report.rows) + len(sections))
        r = 0
        bold = QFont(self.table.font())
        bold.setBold(True)
        for section in sections:
            head = QTableWidgetItem(section)  # the report's own heading, across the table
            head.setFont(bold)
            head.setBackground(QColor("#e8eef2"))
            self.table.setItem(r, 0, head)
            self.table.setSpan(r, 0, 1, len(headers))
            r += 1
            for row in report.section(section):
                for c, value in enumerate([row.label, *row.cells()]):
                    item = QTableWidgetItem(value)
                    if c >= 1:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    self.table.setItem(r, c, item)
                r += 1
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            self.table.setColumnWidth(column, 130)
        latest = report.periods[-1].label if report.periods else "Total"
        self.bars.setAccessibleName(f"Level of risk at the end of {latest}")
        self.bars.title = f"Level of risk of cases worked, at the end of {latest}"
        self.bars.set_values(
            [(r.key, r.label, (r.counts or (r.total,))[-1] or 0) for r in report.section(LEVEL_END)]
        )
        self.meeting_bars.set_values(
            [(r.key, r.label, r.total or 0) for r in report.section(TYPES) if r.key != "total"]
        )

    def _target(self, title: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, title, str(Path.home()), pattern)
        return Path(name) if name else None

    def save_csv(self, path: Path | None = None) -> None:
        from app.fileio import atomic_write_text

        target = path or self._target("Save statistics as CSV", "CSV (*.csv)")
        if target and self.report:
            atomic_write_text(target, self.report.to_csv())

    def save_pdf(self, path: Path | None = None) -> None:
        from app.documents.statistics import statistics_pdf
        from app.fileio import atomic_write_bytes

        target = path or self._target("Save statistics as PDF", "PDF (*.pdf)")
        if target and self.report:
            atomic_write_bytes(target, statistics_pdf(self.report))

    def save_bundle(self, path: Path | None = None) -> None:
        import uuid

        from app.stats import to_bundle, write_bundle

        target = path or self._target("Save anonymised bundle", "Bundles (*.json)")
        if target and self.report:
            source = self.repo.get_setting("stats_source_id")
            if not source:
                source = str(uuid.uuid4())
                self.repo.set_setting("stats_source_id", source)
            write_bundle(to_bundle(self.report, source_id=str(source)), target)
