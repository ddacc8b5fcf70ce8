"""Counting cases per quarter (UK financial quarters, as the annual report does)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from app.forms import shared_categories

LEVELS = ("none", "low", "medium", "high", "exploited")
LEVEL_LABELS = {lv: lv.capitalize() for lv in LEVELS} | {None: "Not yet assessed/unknown"}


@dataclass(frozen=True)
class AssessmentFact:
    date: dt.date
    level: str | None
    toolkit: str


@dataclass(frozen=True)
class CaseFacts:
    """One case as statistics see it: categories and dates, nothing that identifies."""

    assessments: tuple[AssessmentFact, ...]
    gender: str | None = None
    ethnicity: str | None = None
    sexual_identity: str | None = None
    source_of_request: str | None = None
    send: bool = False
    looked_after: bool = False
    models_of_abuse: tuple[str, ...] = ()
    closed: dt.date | None = None
    closure_reason: str | None = None

    @property
    def ordered(self) -> tuple[AssessmentFact, ...]:
        return tuple(sorted(self.assessments, key=lambda a: a.date))

    @property
    def opened(self) -> dt.date | None:
        return self.ordered[0].date if self.assessments else None

    def open_during(self, period: Period) -> bool:
        opened = self.opened
        if opened is None or opened > period.end:
            return False
        return self.closed is None or self.closed >= period.start


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(frozen=True)
class StatsRow:
    section: str
    key: str
    label: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class StatsReport:
    start: dt.date
    end: dt.date
    periods: tuple[Period, ...]
    rows: tuple[StatsRow, ...] = field(default=())

    def section(self, name: str) -> list[StatsRow]:
        return [r for r in self.rows if r.section == name]

    def row(self, section: str, key: str) -> StatsRow:
        for r in self.rows:
            if r.section == section and r.key == key:
                return r
        raise KeyError((section, key))

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["Section", "Category", *(p.label for p in self.periods), "Total"])
        for r in self.rows:
            writer.writerow([r.section, r.label, *r.counts, r.total])
        return out.getvalue()


def quarters(start: dt.date, end: dt.date) -> tuple[Period, ...]:
    """UK financial quarters (April-June is Q1) overlapping the range, clipped to it."""
    if end < start:
        raise ValueError("the end date is before the start date")
    periods = []
    q_start = dt.date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    while q_start <= end:
        month = q_start.month + 3
        next_start = dt.date(q_start.year + (month > 12), (month - 1) % 12 + 1, 1)
        q_end = next_start - dt.timedelta(days=1)
        fy = q_start.year if q_start.month >= 4 else q_start.year - 1
        number = ((q_start.month - 4) % 12) // 3 + 1
        label = f"Q{number} {fy}-{str(fy + 1)[-2:]} ({q_start:%b}-{q_end:%b %Y})"
        periods.append(Period(label, max(q_start, start), min(q_end, end)))
        q_start = next_start
    return tuple(periods)


@cache
def categories() -> dict[str, list[tuple[str, str]]]:
    """Category lists shared with the forms: monitoring fields and partnership lists."""
    return shared_categories()


Counter = Callable[[Sequence[CaseFacts], Period], int]


def _first_in(period: Period) -> Callable[[CaseFacts], bool]:
    return lambda c: period.holds(c.opened)


def _requests(pred: Callable[[CaseFacts], bool]) -> Counter:
    return lambda cases, p: sum(1 for c in cases if _first_in(p)(c) and pred(c))


def _first_level(level: str | None) -> Counter:
    return lambda cases, p: sum(1 for c in cases if _first_in(p)(c) and c.ordered[0].level == level)


def _review_level(level: str | None) -> Counter:
    """Each reviewed case counts once, at the level of its latest review in the period."""

    def count(cases: Sequence[CaseFacts], p: Period) -> int:
        total = 0
        for c in cases:
            reviews = [a for a in c.ordered[1:] if p.holds(a.date)]
            total += bool(reviews) and reviews[-1].level == level
        return total

    return count


def build_report(cases: Iterable[CaseFacts], start: dt.date, end: dt.date) -> StatsReport:
    """Count everything Appendix A counts, for each quarter and for the whole range.

    Totals are counted over the whole range, not summed, so a child open in two
    quarters is one child in the total.
    """
    facts = [c for c in cases if c.assessments]
    periods = quarters(start, end)
    whole = Period("Total", start, end)
    cats = categories()
    specs: list[tuple[str, str, str, Counter]] = [
        ("Requests", "requests", "Total number of requests received", _requests(lambda c: True)),
        (
            "Assessments",
            "assessments",
            "Number of assessments",
            lambda cs, p: sum(1 for c in cs for a in c.assessments if p.holds(a.date)),
        ),
        (
            "Assessments",
            "children",
            "Number of children assessed",
            lambda cs, p: sum(1 for c in cs if any(p.holds(a.date) for a in c.assessments)),
        ),
        (
            "Assessments",
            "open_cases",
            "Total number of cases worked within the quarter",
            lambda cs, p: sum(1 for c in cs if c.open_during(p)),
        ),
    ]
    for fid, section in (("gender", "Gender"),):
        for key, label in cats[fid]:
            specs.append((section, key, label, _requests(_eq(fid, key))))
    specs.append(("Disability", "send", "Disability", _requests(lambda c: c.send)))
    specs.append(
        (
            "Children in Care",
            "looked_after",
            "Children in care",
            _requests(lambda c: c.looked_after),
        )
    )
    for fid, section in (
        ("ethnicity", "Ethnicity"),
        ("sexual_identity", "Sexual Identity"),
        ("source_of_request", "Source of Requests"),
    ):
        for key, label in cats[fid]:
            specs.append((section, key, label, _requests(_eq(fid, key))))
        specs.append((section, "not_recorded", "Not recorded", _requests(_eq(fid, None))))
    for level in (*LEVELS, None):
        key = level or "unknown"
        specs.append(("Level at first assessment", key, LEVEL_LABELS[level], _first_level(level)))
    for level in (*LEVELS, None):
        key = level or "unknown"
        specs.append(("Level at review", key, LEVEL_LABELS[level], _review_level(level)))
    for key, label in cats["models_of_abuse"]:
        specs.append(
            (
                "CSE Model/Method (multiple can apply for each case)",
                key,
                label,
                _open_with_model(key),
            )
        )
    specs.append(
        ("Closures", "total", "TOTAL CLOSED", lambda cs, p: sum(1 for c in cs if p.holds(c.closed)))
    )
    for key, label in cats["closure_reasons"]:
        specs.append(("Closures", key, label, _closed_for(key)))
    rows = tuple(
        StatsRow(section, key, label, tuple(fn(facts, p) for p in periods), fn(facts, whole))
        for section, key, label, fn in specs
    )
    return StatsReport(start, end, periods, rows)


def _eq(attr: str, value: str | None) -> Callable[[CaseFacts], bool]:
    return lambda c: cast(Any, getattr(c, attr)) == value


def _open_with_model(model: str) -> Counter:
    return lambda cases, p: sum(1 for c in cases if c.open_during(p) and model in c.models_of_abuse)


def _closed_for(reason: str) -> Counter:
    return lambda cases, p: sum(
        1 for c in cases if p.holds(c.closed) and c.closure_reason == reason
    )
