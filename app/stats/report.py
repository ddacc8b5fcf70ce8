"""Counting cases per quarter (UK financial quarters, as the annual report does).

The facts are what statistics may know about a case: categories, dates, levels and
meeting attendance, never a name, a date of birth or free text. The tables themselves,
in the report's order and words, are in `app.stats.appendix`.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property

from app.forms import shared_categories

LEVELS = ("none", "low", "medium", "high", "exploited")
LEVEL_LABELS = {lv: lv.capitalize() for lv in LEVELS} | {None: "Not yet assessed/unknown"}


@dataclass(frozen=True)
class AssessmentFact:
    """A completed assessment; `level` is None when it does not pass the rules."""

    date: dt.date
    level: str | None
    toolkit: str


@dataclass(frozen=True)
class MeetingFact:
    """A recorded (held) meeting: its type, date, agreed level and who took part."""

    date: dt.date
    kind: str
    level: str | None = None
    young_person_attended: bool = False
    parents_attended: bool = False
    views_conveyed: bool = False


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
    meetings: tuple[MeetingFact, ...] = ()
    in_care_due_to_exploitation: bool = False
    from_another_la: bool = False
    key_worker: str | None = None
    priority_areas: tuple[str, ...] = ()
    pseudonym: str | None = None  # only with a partnership secret (app.stats.pseudonyms)

    @cached_property
    def ordered(self) -> tuple[AssessmentFact, ...]:
        return tuple(sorted(self.assessments, key=lambda a: a.date))

    @cached_property
    def ordered_meetings(self) -> tuple[MeetingFact, ...]:
        return tuple(sorted(self.meetings, key=lambda m: m.date))

    @cached_property  # asked for per table and per quarter: ~70 % of a 5,000-child run
    def opened(self) -> dt.date | None:
        """The request: the first completed assessment or recorded meeting."""
        days = [a.date for a in self.assessments] + [m.date for m in self.meetings]
        return min(days) if days else None

    def open_during(self, period: Period) -> bool:
        opened = self.opened
        if opened is None or opened > period.end:
            return False
        return self.closed is None or self.closed >= period.start

    @cached_property  # asked for per quarter by the level-at-end table
    def _levels(self) -> tuple[tuple[dt.date, ...], tuple[str, ...]]:
        """Every level set, in order: by day, an assessment's before a meeting's (a
        meeting on the same day as an assessment is the later, multi-agency, word)."""
        dated: list[tuple[dt.date, int, str]] = [
            (a.date, 0, a.level) for a in self.assessments if a.level
        ]
        dated += [(m.date, 1, m.level) for m in self.meetings if m.level]
        dated.sort()
        return tuple(d for d, _, _ in dated), tuple(level for _, _, level in dated)

    def level_at(self, day: dt.date) -> str | None:
        """The latest level set by `day` (see `_levels` for who has the later word)."""
        days, levels = self._levels
        n = bisect.bisect_right(days, day)
        return levels[n - 1] if n else None


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(frozen=True)
class StatsRow:
    """One row: a count per period and in total, or a percentage of other rows.

    A percentage row names its numerator and denominators in `percent_of` as
    (section, key) pairs, so merged bundles recompute it rather than add it up.
    """

    section: str
    key: str
    label: str
    counts: tuple[int | None, ...]
    total: int | None
    percent_of: tuple[tuple[str, str], ...] = ()
    children: tuple[frozenset[str], ...] = ()  # pseudonyms per period and in total, if any

    @property
    def is_percent(self) -> bool:
        return bool(self.percent_of)

    def cells(self) -> list[str]:
        """The values as shown: counts, or "29%" ("-" when there is nothing to divide by)."""
        values = [*self.counts, self.total]
        if self.is_percent:
            return ["-" if v is None else f"{v}%" for v in values]
        return [str(v) for v in values]


@dataclass(frozen=True)
class StatsReport:
    start: dt.date
    end: dt.date
    periods: tuple[Period, ...]
    rows: tuple[StatsRow, ...] = field(default=())

    def section(self, name: str) -> list[StatsRow]:
        return [r for r in self.rows if r.section == name]

    def sections(self) -> list[str]:
        return list(dict.fromkeys(r.section for r in self.rows))

    def row(self, section: str, key: str) -> StatsRow:
        for r in self.rows:
            if r.section == section and r.key == key:
                return r
        raise KeyError((section, key))

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                csv_safe(c)
                for c in ("Section", "Category", *(p.label for p in self.periods), "Total")
            ]
        )
        for r in self.rows:
            writer.writerow([csv_safe(r.section), csv_safe(r.label), *map(csv_safe, r.cells())])
        return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is quoted
    with a leading apostrophe (OWASP's advice on CSV injection); numbers, and the lone "-"
    of a percentage with nothing to divide by, pass as they are."""
    if isinstance(cell, str) and cell != "-" and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def percent(part: int, whole: int) -> int | None:
    """Whole per cent, halves rounded up as the report does (2 of 16 is 13%)."""
    return None if whole == 0 else (200 * part + whole) // (2 * whole)


def with_percents(rows: list[StatsRow]) -> tuple[StatsRow, ...]:
    """Fill every percentage row from the count rows it names."""
    by_key = {(r.section, r.key): r for r in rows if not r.is_percent}
    out = []
    for r in rows:
        if r.is_percent:
            top, *bottom = (by_key[k] for k in r.percent_of)
            n = len(r.counts)
            counts = tuple(
                percent(top.counts[i] or 0, sum(b.counts[i] or 0 for b in bottom)) for i in range(n)
            )
            total = percent(top.total or 0, sum(b.total or 0 for b in bottom))
            r = StatsRow(r.section, r.key, r.label, counts, total, r.percent_of, r.children)
        out.append(r)
    return tuple(out)


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
    """Category lists shared with the forms: monitoring fields and partnership lists,
    read through app.forms' validated loaders (never a bare YAML read)."""
    return shared_categories()


class Cancelled(Exception):
    """Raised by a progress callback to stop `build_report`; nothing is returned."""


Progress = Callable[[int, int], None]


def build_report(
    cases: list[CaseFacts] | tuple[CaseFacts, ...],
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> StatsReport:
    """Every Appendix A table for each quarter that has started, and for the whole range.

    Totals are counted over the whole range, not summed, so a child open in two
    quarters is one child in the total. Raises ValueError when the range has not started.
    `progress(done, steps)` is called before each step (working out what each case
    scores, then each period) and once at the end; it may raise `Cancelled` to stop the
    run (a window's Cancel button): nothing is returned.
    """
    from app.stats.appendix import per_child, specs
    from app.stats.scopes import Tally, plan

    today = today or dt.date.today()
    if start > today:
        raise ValueError(f"nothing to count yet: {start.isoformat()} is after today")
    end = min(end, today)
    facts = [c for c in cases if c.opened is not None]
    periods = quarters(start, end)
    every = (*periods, Period("Total", start, end))
    rows = specs()
    named = any(c.pseudonym for c in facts)
    children_of = [per_child(section, key) for section, key, *_ in rows] if named else None
    tally = Tally(plan([rule for *_, rule, _of in rows]), children_of)
    counted = []
    steps = len(every) + 1  # what each case scores, then each period
    if progress is not None:
        progress(0, steps)
    tally.prepare(facts)
    for done, p in enumerate(every, start=1):
        if progress is not None:
            progress(done, steps)
        counted.append(tally.period(p))
    if progress is not None:
        progress(steps, steps)
    out = []
    for i, (section, key, label, _rule, of) in enumerate(rows):
        counts = tuple(tally_counts[i] for tally_counts, _ in counted)
        cells: tuple[frozenset[str], ...] = ()
        if children_of is not None and children_of[i]:  # who is in each cell, for a merge
            cells = tuple(frozenset(who.get(i, ())) for _, who in counted)
        out.append(StatsRow(section, key, label, counts[:-1], counts[-1], of, cells))
    return StatsReport(start, end, periods, with_percents(out))
