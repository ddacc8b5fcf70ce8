"""The partnership statistics as a PDF: Appendix A's tables, one per section, in its order.

The meeting-sequence table is also drawn in the report's own shape (levels down,
meetings across) for each quarter and the total.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.documents.layout import (
    MARKING,
    Frame,
    content_width,
    long_date,
    p,
    render,
    spacer,
    table,
)
from app.stats import StatsReport
from app.stats.appendix import BANDS, SEQUENCE, SEQUENCES


def statistics_pdf(report: StatsReport, generated: dt.datetime | None = None) -> bytes:
    generated = generated or dt.datetime.now()
    width = content_width()
    periods = [period.label for period in report.periods]
    story: list[Any] = [
        p("Partnership statistics", "h1"),
        p(
            f"{report.start.isoformat()} to {report.end.isoformat()}; counts only, no "
            "identifiers. Completed assessments and recorded meetings only; quarters not yet "
            "started are not shown.",
            "small",
        ),
    ]
    label_width = width * 0.34
    rest = (width - label_width) / (len(periods) + 1)
    for section in report.sections():
        rows: list[list[Any]] = [
            [p("Category", "head"), *(p(x, "head") for x in periods), p("Total", "head")]
        ]
        for row in report.section(section):
            rows.append([p(row.label), *row.cells()])
        story.append(p(section, "h2"))
        story.append(table(rows, [label_width, *([rest] * (len(periods) + 1))]))
        if section == SEQUENCE:
            story.extend(_sequence_grids(report, width))
    reference = f"STATS-{report.start:%Y%m%d}"
    frame = Frame(
        header=("CRE Toolkit", "partnership statistics · Statistics"),
        footer=f"Generated {long_date(generated.date())} {generated:%H:%M} · Reference {reference}",
        title=f"Statistics ({reference})",
        subject=MARKING,
        author="CRE Toolkit",
    )
    return render(frame, story)


def _sequence_grids(report: StatsReport, width: float) -> list[Any]:
    """Levels down, meetings across, as the report prints it: one grid per column."""
    out: list[Any] = []
    first = width * 0.1
    cell = (width - first) / len(SEQUENCES)
    labels = [*(period.label for period in report.periods), "Total"]
    for column, label in enumerate(labels):
        out.append(spacer(2))
        out.append(p(f"Risk Level of all cases open: {label}", "head"))
        rows: list[list[Any]] = [[p("", "small")] + [p(name, "small") for _, name in SEQUENCES]]
        for level, level_label in BANDS:
            cells = []
            for place, _ in SEQUENCES:
                row = report.row(SEQUENCE, f"{level}:{place}")
                cells.append(str([*row.counts, row.total][column]))
            rows.append([p(level_label), *cells])
        out.append(table(rows, [first, *([cell] * len(SEQUENCES))]))
    return out
