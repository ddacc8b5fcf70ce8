"""The partnership statistics as a PDF: Appendix A's tables, one per section."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.documents.layout import MARKING, Frame, content_width, p, render, table
from app.stats import StatsReport


def statistics_pdf(report: StatsReport, generated: dt.datetime | None = None) -> bytes:
    generated = generated or dt.datetime.now()
    width = content_width()
    periods = [period.label for period in report.periods]
    story: list[Any] = [
        p("Partnership statistics", "h1"),
        p(
            f"{report.start.isoformat()} to {report.end.isoformat()}; counts only, no identifiers",
            "small",
        ),
    ]
    label_width = width * 0.34
    rest = (width - label_width) / (len(periods) + 1)
    section = None
    rows: list[list[Any]] = []

    def flush() -> None:
        if section is not None:
            story.append(p(section, "h2"))
            story.append(table(rows, [label_width, *([rest] * (len(periods) + 1))]))

    for row in report.rows:
        if row.section != section:
            flush()
            section = row.section
            rows = [[p("Category", "head"), *(p(x, "head") for x in periods), p("Total", "head")]]
        rows.append([row.label, *(str(c) for c in row.counts), str(row.total)])
    flush()
    reference = f"STATS-{report.start:%Y%m%d}"
    frame = Frame(
        header=("CRE Toolkit", "partnership statistics · Statistics"),
        footer=f"Generated {generated:%d %B %Y %H:%M} · Reference {reference}",
        title=f"Statistics ({reference})",
        subject=MARKING,
        author="CRE Toolkit",
    )
    return render(frame, story)
