"""Partnership statistics in the app: Appendix A as tables, a simple chart, and exports.

Counting, and making the PDF, run on a worker thread (issue 20: the UI thread stays
free; `app.ui.background`): reading thousands of cases and checking their rules the
first time takes seconds, and the PDF most of a second. The worker reads the vault
through `Vault.session()` like the autosave thread does: each unit of work gets its own
SQLAlchemy session, made in the worker, and the vault's lock serialises them with the
UI thread's, so no session is ever shared between threads. `facts_from_vault` holds
that lock only while it reads rows, not while it checks rules, so the window and
autosave never wait for a count. A job taking over 100 ms shows its progress and a
Cancel button; cancelling leaves the tables as they were (nothing half-built) and saves
nothing, and any failure is a sentence in the window, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.casework import settings
from app.forms import Registry
from app.stats import StatsReport, build_report
from app.stats.appendix import LEVEL_END, TYPES
from app.stats.source import facts_from_vault
from app.storage import Repository, VaultLockedError
from app.ui.background import Background, Job
from app.ui.dates import DateEdit, DateProblem, parse_date, shown
from app.ui.levels import COLOURS
from app.ui.sizing import fit_to_screen


class LevelBars(QWidget):
    """Bars under a title, each labelled with its words and count (colour is never alone)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.values: list[tuple[str, str, int]] = []
        # room for a two-line title, the bars, and three lines under each bar
        self.setMinimumHeight(5 * self.fontMetrics().lineSpacing() + 110)
        self.setAccessibleName(title)

    def set_values(self, values: list[tuple[str, str, int]]) -> None:
        self.values = values
        self.setAccessibleDescription("; ".join(f"{label}: {n}" for _, label, n in values))
        self.update()

    def paintEvent(self, event: object) -> None:
        """Title and labels wrap inside the widget (a 150% screen is narrow): nothing drawn
        past its edge, the bars take the height the words leave."""
        painter = QPainter(self)
        painter.setPen(QColor("#1a1a1a"))
        line = painter.fontMetrics().lineSpacing()
        title_h, label_h = 2 * line + 4, 3 * line + 2
        wrap = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        painter.drawText(QRect(10, 0, max(self.width() - 20, 20), title_h), wrap, self.title)
        top = max([n for _, _, n in self.values] + [1])
        bar_width = max(self.width() // max(len(self.values), 1) - 12, 20)
        chart_h = max(self.height() - title_h - label_h - 8, 10)
        base = title_h + 4 + chart_h
        for i, (key, label, n) in enumerate(self.values):
            x = 10 + i * (bar_width + 12)
            h = int(chart_h * n / top)
            background, foreground = COLOURS.get(key, ("#e6e6e6", "#1a1a1a"))
            painter.fillRect(x, base - h, bar_width, h, QColor(background))
            painter.setPen(QColor(foreground))
            painter.drawRect(x, base - h, bar_width, h)
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(QRect(x, base + 2, bar_width, label_h), wrap, f"{label}: {n}")


def failure_text(exc: Exception) -> str:
    """What went wrong, in words a practitioner can act on (never a traceback)."""
    from app.storage import VaultLockedError

    if isinstance(exc, VaultLockedError):
        return "The vault was locked before the count finished: unlock it and count again."
    if isinstance(exc, OSError):
        return f"The statistics could not be counted: {exc.strerror or exc}."
    return (
        "The statistics could not be counted: something in the vault could not be read "
        f"({type(exc).__name__}: {exc}). Nothing new is shown. Try again; if it happens "
        "again, tell whoever looks after the app for your team."
    )


class StatisticsDialog(QDialog):
    def __init__(
        self,
        repo: Repository,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        registry: Registry | None = None,
    ) -> None:
        super().__init__(parent)
        self.repo = repo
        self.registry = registry
        self.today = today or dt.date.today()
        self.report: StatsReport | None = None
        self.shown_range = ""  # the dates of the report in the tables
        self.setWindowTitle("Partnership statistics")
        fit_to_screen(self, 1100, 700)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        today = self.today
        fy = today.year if today.month >= 4 else today.year - 1
        self.start_field = DateEdit("From date", self)  # typed the UK way, or the calendar
        self.end_field = DateEdit("To date", self)
        self.start_field.set_iso(dt.date(fy, 4, 1).isoformat())
        self.end_field.set_iso(today.isoformat())
        self.start, self.end = self.start_field.edit, self.end_field.edit
        self._default_period = [self.start.text(), self.end.text()]
        typed = settings.statistics_period(repo)  # the period last asked for, as typed
        if typed is not None:
            self.start.setText(typed[0])
            self.end.setText(typed[1])
        self.count = QPushButton("&Count", self)
        self.count.clicked.connect(self.refresh)
        for widget in (QLabel("From:"), self.start_field, QLabel("To:"), self.end_field):
            row.addWidget(widget)
        row.addWidget(self.count)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Counting progress")
        self.progress.setRange(0, 100)
        self.progress.setMinimumWidth(280)
        self.cancel = QPushButton("C&ancel", self)
        self.cancel.setAccessibleName("Cancel counting")
        row.addWidget(self.progress)
        row.addWidget(self.cancel)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What happened")
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
        self.save_buttons: list[QPushButton] = []
        for text, slot in (
            ("Save &CSV…", self.save_csv),
            ("Save &PDF…", self.save_pdf),
            ("Save anonymised &bundle…", self.save_bundle),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.save_buttons.append(button)
        buttons.addStretch(1)
        close = QPushButton("Close", self)
        close.setAccessibleName("Close statistics")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.background = Background(self, self.progress, self.cancel, self.message, self._busy)
        self.refresh()

    @property
    def running(self) -> bool:
        return self.background.running

    @property
    def worker(self) -> threading.Thread | None:
        return self.background.thread

    def _still(self) -> str:
        return f" The tables still show {self.shown_range}." if self.report else ""

    def refresh(self) -> None:
        """Check the dates, then count on a worker thread; the tables change only when
        the whole report is ready."""
        try:
            start = parse_date(self.start.text()) if self.start.text().strip() else None
            end = parse_date(self.end.text()) if self.end.text().strip() else None
        except DateProblem as exc:
            which = "From" if self.start_field.problem() else "To"
            self.message.setText(f"{which}: {exc}.")
            return
        if start is None or end is None:
            self.message.setText(
                f"{'From' if start is None else 'To'}: give a date, e.g. 01/04/2026."
            )
            return
        if end < start:
            self.message.setText(f"To: {shown(end.isoformat())} is before From.")
            return
        if start > self.today:
            self.message.setText(
                f"From: nothing to count yet: {shown(start.isoformat())} is after today."
            )
            return
        if self.running:
            return

        def count(job: Job) -> StatsReport:
            facts = facts_from_vault(
                self.repo, self.registry, progress=job.step("Reading the vault…", 0, 60)
            )
            return build_report(
                facts, start, end, today=self.today, progress=job.step("Counting…", 60, 40)
            )

        self.background.start(
            Job("Reading the vault…"),
            count,
            done=self.show_report,
            failed=failure_text,
            waiting="Counting…" + self._still() + " Cancel stops the count.",
            cancelled="Cancelled: nothing new was counted." + self._still(),
        )

    def _busy(self, busy: bool) -> None:
        self.count.setEnabled(not busy)
        for button in self.save_buttons:
            button.setEnabled(not busy)

    def cancel_count(self) -> None:
        """Stop the count (or the PDF): the tables keep the last complete report, if any."""
        self.background.cancel()

    def show_report(self, report: StatsReport) -> None:
        """Fill the tables and charts with a complete report."""
        self.shown_range = f"{report.start:%d/%m/%Y} to {report.end:%d/%m/%Y}"
        self.message.setText(
            f"From {self.shown_range}. Counts completed assessments and recorded meetings; "
            "quarters not yet started are not shown."
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

    def done(self, result: int) -> None:
        """Closing the window (or locking the app) stops a count still running."""
        self.background.cancel()
        self.keep_period()
        super().done(result)

    def save_for_lock(self) -> None:
        self.background.cancel()
        self.keep_period()

    def keep_period(self) -> None:
        """The dates as typed outlive the window (X, Esc, Close and Lock alike): reporting
        on one period is done over many sittings. The default period is not kept, so the
        window follows the calendar until a practitioner types another."""
        period = [self.start.text(), self.end.text()]
        keep = None if period == self._default_period else period
        with contextlib.suppress(VaultLockedError):  # locked: the dates were kept then
            settings.set_statistics_period(self.repo, keep)  # written only when it changed

    def _target(self, title: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, title, str(Path.home()), pattern)
        return Path(name) if name else None

    def _save(self, what: str, target: Path | None, write: Callable[[Path], None]) -> None:
        """Write a complete report, saying what happened in the window."""
        if target is None or self.report is None:
            return
        try:
            write(target)
        except OSError as exc:
            self.message.setText(
                f"{what} not saved to {target}: {exc.strerror or exc}. Choose another folder."
            )
        except Exception as exc:  # never a traceback: say it in words
            self.message.setText(f"{what} not saved: {type(exc).__name__}: {exc}.")
        else:
            self.message.setText(f"{what} of {self.shown_range} saved to {target}.")

    def save_csv(self, path: Path | None = None) -> None:
        from app.fileio import atomic_write_text

        target = path or self._target("Save statistics as CSV", "CSV (*.csv)")
        report = self.report
        if report is not None:
            self._save("CSV", target, lambda to: atomic_write_text(to, report.to_csv()))

    def save_pdf(self, path: Path | None = None) -> None:
        """Make the PDF on a worker thread (most of a second); write it only if it was
        not cancelled."""
        from app.documents.statistics import statistics_pdf
        from app.fileio import atomic_write_bytes

        target = path or self._target("Save statistics as PDF", "PDF (*.pdf)")
        report = self.report
        if report is None or target is None or self.running:
            return

        def write(data: bytes) -> None:
            self._save("PDF", target, lambda to: atomic_write_bytes(to, data))

        self.background.start(
            Job("Making the PDF…", measured=False),
            lambda job: statistics_pdf(report),
            done=write,
            failed=lambda exc: f"The PDF could not be made: {type(exc).__name__}: {exc}.",
            waiting="Making the PDF… Cancel stops it; nothing is saved until it is made.",
            cancelled="Cancelled: the PDF was not saved.",
        )

    def save_bundle(self, path: Path | None = None) -> None:
        from app.stats import to_bundle, write_bundle

        target = path or self._target("Save anonymised bundle", "Bundles (*.json)")
        report = self.report

        def write(to: Path) -> None:
            assert report is not None
            source = settings.statistics_source_id(self.repo)
            write_bundle(to_bundle(report, source_id=source), to)

        if report is not None:
            self._save("Bundle", target, write)
