"""Appendix A of the Derby CSE annual report 2015-16, table by table, in its order and words.

Definitions (from the report, and where it is silent the choice made here):
- a request is a case's first completed assessment or recorded meeting in the quarter;
  the request tables (gender to models of abuse) count requests;
- open cases ("cases worked") include those opened and closed within the quarter and
  those open but not closed from earlier years;
- the level of risk is taken at the end of the quarter: a closed case counts as Low
  ("including closed") unless it closed because the risk escalated (High "including
  escalated"); otherwise the latest level of a completed assessment that passes the
  rules or of a meeting, by the quarter's end;
- key workers and priority areas count open cases; meetings count meetings held;
- eligible meetings are the initial meeting and reviews (first and further);
- the outcome of a first meeting counts cases whose first meeting (professionals or
  initial) was held in the quarter, by the level agreed there;
- the risk level by meeting sequence counts, for the cases open in the quarter, every
  meeting held by the quarter's end, numbered within the case by date.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any, cast

from app.rules.meetings import ELIGIBLE, REVIEWS
from app.stats.report import LEVEL_LABELS, LEVELS, CaseFacts, MeetingFact, Period, categories

Counter = Callable[[Sequence[CaseFacts], Period], int]
Spec = tuple[str, str, str, Counter, tuple[tuple[str, str], ...]]
Pred = Callable[[CaseFacts], bool]

MODELS = "CSE Model/Method (multiple can apply for each case)"
OPEN = "Young people open to the CSE strategy"
LEVEL_END = "Level of risk of cases worked within the quarter: taken at the end of the quarter"
KEY_WORKERS = "Key worker levels for all open cases"
PRIORITIES = "Priority areas for all open cases"
TYPES = "Types of meeting held"
ATTENDANCE = "Attendance of young people and carers at eligible meetings"
VIEWS = "Young person seen or conveys views prior to meeting"
OUTCOME = "Outcome of first meeting: either professional or initial"
SEQUENCE = "Risk Level of all cases open"
WHITE_NOT_BRITISH = (
    "white_irish", "white_non_european", "white_other_european", "gypsy_roma", "traveller_irish",
)  # fmt: skip
NOT_BME = ("white_british", "not_declared")
SEQUENCES = (
    ("professionals_1", "First Professionals meeting"),
    ("professionals_2", "Second Professionals meeting"),
    ("initial_1", "Initial CSE Meeting"),
    ("review_1", "First review"),
    ("review_2", "Second review"),
    ("review_3", "Third review"),
    ("review_4", "Fourth review"),
    ("review_5", "Fifth review"),
)
BANDS = (("high", "High"), ("medium", "Medium"), ("low", "Low"))


def per_child(section: str, key: str) -> bool:
    """Rows that count children (not meetings or assessments): a merge with pseudonyms
    counts each child in them once."""
    if section in (TYPES, ATTENDANCE, VIEWS, SEQUENCE):
        return False
    return (section, key) != ("Assessments", "assessments")


# While build_report runs: the cases opened in, closed in and open during each period,
# worked out once instead of once per table. Each entry keeps its list of cases alive, so
# no other list can take its id while the entry exists; begin/end bracket one report.
_subsets: dict[tuple[int, str, Period], tuple[Sequence[CaseFacts], list[CaseFacts]]] | None
_subsets = None


def _among(cases: Sequence[CaseFacts], p: Period, kind: str) -> Sequence[CaseFacts]:
    """The cases opened in, closed in, open during, with a meeting in or reviewed in `p`
    (kind: opened, closed, open, met, reviewed)."""
    if _subsets is not None:
        hit = _subsets.get((id(cases), kind, p))
        if hit is not None and hit[0] is cases:
            return hit[1]
    if kind == "opened":
        out = [c for c in cases if p.holds(c.opened)]
    elif kind == "closed":
        out = [c for c in cases if p.holds(c.closed)]
    elif kind == "met":  # a meeting in the period
        out = [c for c in cases if any(p.holds(m.date) for m in c.meetings)]
    elif kind == "reviewed":  # an assessment after the first in the period
        out = [c for c in cases if any(p.holds(a.date) for a in c.ordered[1:])]
    else:
        out = [c for c in cases if c.open_during(p)]
    if _subsets is not None and len(cases) > 1:  # not the one-child lists of a merge
        _subsets[(id(cases), kind, p)] = (cases, out)
    return out


def begin_report() -> None:
    global _subsets
    _subsets = {}


def _requests(pred: Pred) -> Counter:
    return lambda cases, p: sum(1 for c in _among(cases, p, "opened") if pred(c))


def _is(attr: str, value: str | None) -> Pred:
    return lambda c: bool(getattr(c, attr) == value)


def _has(attr: str, value: str) -> Pred:
    return lambda c: value in getattr(c, attr)


def _kind(kind: str) -> Callable[[MeetingFact], bool]:
    return lambda m: m.kind == kind


def _closed(pred: Pred) -> Counter:
    return lambda cases, p: sum(1 for c in _among(cases, p, "closed") if pred(c))


def _at_end(band: str) -> Counter:
    return lambda cases, p: sum(1 for c in _among(cases, p, "open") if band_at_end(c, p) == band)


def _open(pred: Pred) -> Counter:
    return lambda cases, p: sum(1 for c in _among(cases, p, "open") if pred(c))


def _meetings(pred: Callable[[MeetingFact], bool]) -> Counter:
    return lambda cases, p: sum(
        1 for c in _among(cases, p, "met") for m in c.meetings if p.holds(m.date) and pred(m)
    )


def _eligible(pred: Callable[[MeetingFact], bool]) -> Counter:
    return _meetings(lambda m: m.kind in ELIGIBLE and pred(m))


def band_at_end(c: CaseFacts, p: Period) -> str:
    """High, medium, low or unknown for an open case at the period's end."""
    if c.closed is not None and c.closed <= p.end:
        return "high" if c.closure_reason == "risk_escalated" else "low"
    level = c.level_at(p.end)
    if level in ("high", "exploited"):
        return "high"
    if level in ("low", "none"):
        return "low"
    return level or "unknown"


def _first_meeting(level: str) -> Counter:
    def count(cases: Sequence[CaseFacts], p: Period) -> int:
        total = 0
        for c in cases:
            ordered = c.ordered_meetings
            if ordered and ordered[0].kind in ("professionals", "initial"):
                total += p.holds(ordered[0].date) and ordered[0].level == level
        return total

    return count


def sequence_of(meetings: Sequence[MeetingFact]) -> list[tuple[str, MeetingFact]]:
    """Each meeting with its place in the case: professionals_1, initial_1, review_3..."""
    seen: dict[str, int] = {}
    out = []
    for m in sorted(meetings, key=lambda m: m.date):
        group = "review" if m.kind in REVIEWS else m.kind
        seen[group] = seen.get(group, 0) + 1
        out.append((f"{group}_{seen[group]}", m))
    return out


@lru_cache(maxsize=65536)
def _whole_sequence(meetings: tuple[MeetingFact, ...]) -> tuple[tuple[str, MeetingFact], ...]:
    """A case's sequence, once per run rather than per table and quarter. The meetings up
    to a day are a prefix of it (numbered by date), so filtering it by date is the same
    as numbering only those."""
    return tuple(sequence_of(meetings))


def forget_sequences() -> None:
    """Drop what one report worked out once it is built (it names no one, but is big)."""
    global _subsets
    _subsets = None
    _whole_sequence.cache_clear()


def _sequence_counts(cases: Sequence[CaseFacts], p: Period) -> collections.Counter[Any]:
    """(place, level) -> meetings, over the cases open during `p` and up to its end: one
    pass per period for all the sequence tables (memoised like `_among`)."""
    memo_key = (id(cases), "sequence", p)
    if _subsets is not None:
        hit = _subsets.get(memo_key)
        if hit is not None and hit[0] is cases:
            return cast("collections.Counter[Any]", hit[1])
    counts = collections.Counter(
        (key, m.level)
        for c in _among(cases, p, "open")
        for key, m in _whole_sequence(tuple(c.meetings))
        if m.date <= p.end
    )
    if _subsets is not None and len(cases) > 1:
        _subsets[memo_key] = (cases, cast(Any, counts))
    return counts


def _sequence(place: str, level: str) -> Counter:
    return lambda cases, p: _sequence_counts(cases, p)[(place, level)]


def _level_at_first(level: str | None) -> Counter:
    return _requests(lambda c: bool(c.ordered) and c.ordered[0].level == level)


def _review_level(level: str | None) -> Counter:
    def count(cases: Sequence[CaseFacts], p: Period) -> int:
        total = 0
        for c in _among(cases, p, "reviewed"):
            reviews = [a for a in c.ordered[1:] if p.holds(a.date)]
            total += bool(reviews) and reviews[-1].level == level
        return total

    return count


def _none(cases: Sequence[CaseFacts], p: Period) -> int:
    return 0  # a percentage row: filled from the rows it names


@cache
def specs() -> tuple[Spec, ...]:
    """Every row: (section, key, label, counter, percent_of), in the report's order."""
    cats = categories()
    out: list[Spec] = []

    def add(section: str, key: str, label: str, fn: Counter) -> None:
        out.append((section, key, label, fn, ()))

    def pct(section: str, key: str, label: str, top: tuple[str, str], bottom: list[str]) -> None:
        out.append((section, key, label, _none, (top, *((TYPES, b) for b in bottom))))

    add("Requests", "requests", "Total number of requests received", _requests(lambda c: True))
    for key, label in cats["gender"]:
        add("Gender", key, label, _requests(_is("gender", key)))
    add("Disability", "send", "Disability", _requests(lambda c: c.send))
    care = "Children in Care"
    add(care, "looked_after", "Children in care", _requests(lambda c: c.looked_after))
    add(
        care,
        "in_care_due_to_exploitation",
        "Children in care as a result of CSE",
        _requests(lambda c: c.looked_after and c.in_care_due_to_exploitation),
    )
    add(
        care,
        "from_another_la",
        "Of which, children are from another LA",
        _requests(lambda c: c.looked_after and c.in_care_due_to_exploitation and c.from_another_la),
    )
    for key, label in cats["ethnicity"]:
        add("Ethnicity", key, label, _requests(_is("ethnicity", key)))
    add("Ethnicity", "not_recorded", "Not recorded", _requests(lambda c: c.ethnicity is None))
    summary = "Ethnicity summary"
    add(
        summary,
        "white_british",
        "White British",
        _requests(lambda c: c.ethnicity == "white_british"),
    )
    add(summary, "bme", "BME", _requests(lambda c: c.ethnicity not in (*NOT_BME, None)))
    add(
        summary,
        "white_not_british",
        "Of which; White – Not British",
        _requests(lambda c: c.ethnicity in WHITE_NOT_BRITISH),
    )
    for fid, section in (
        ("sexual_identity", "Sexual Identity"),
        ("source_of_request", "Source of Requests"),
    ):
        for key, label in cats[fid]:
            add(section, key, label, _requests(_is(fid, key)))
        add(section, "not_recorded", "Not recorded", _requests(_is(fid, None)))
    for key, label in cats["models_of_abuse"]:
        add(MODELS, key, label, _requests(_has("models_of_abuse", key)))
    add(
        OPEN, "open_cases", "Total number of cases worked within the quarter", _open(lambda c: True)
    )
    for band, label in (
        ("high", "High (including escalated)"),
        ("medium", "Medium"),
        ("low", "Low (including closed)"),
        ("unknown", "Not yet assessed/unknown"),
    ):
        add(LEVEL_END, band, label, _at_end(band))
    add("Closures", "total", "TOTAL", _closed(lambda c: True))
    for key, label in cats["closure_reasons"]:
        add("Closures", key, label, _closed(_is("closure_reason", key)))
    for key, label in cats["key_worker_types"]:
        add(KEY_WORKERS, key, label, _open(_is("key_worker", key)))
    add(KEY_WORKERS, "not_recorded", "Not recorded", _open(lambda c: c.key_worker is None))
    for key, label in cats["priority_areas"]:
        add(PRIORITIES, key, label, _open(_has("priority_areas", key)))
    for key, label in cats["meeting_types"]:
        add(TYPES, key, label, _meetings(_kind(key)))
    add(TYPES, "total", "TOTAL", _meetings(lambda m: True))
    add(ATTENDANCE, "young_people", "Young People", _eligible(lambda m: m.young_person_attended))
    add(ATTENDANCE, "parents", "Parents/Carers", _eligible(lambda m: m.parents_attended))
    pct(
        ATTENDANCE,
        "young_people_pct",
        "Young people (% attending at eligible meetings)",
        (ATTENDANCE, "young_people"),
        list(ELIGIBLE),
    )
    pct(
        ATTENDANCE,
        "parents_pct",
        "Parents/Carers (% attending at eligible meetings)",
        (ATTENDANCE, "parents"),
        list(ELIGIBLE),
    )
    add(
        VIEWS,
        "views",
        "Young person seen or conveys views prior to meeting",
        _eligible(lambda m: m.views_conveyed),
    )
    pct(VIEWS, "views_pct", "% from eligible meeting", (VIEWS, "views"), list(ELIGIBLE))
    for level, label in (("low", "Low risk"), ("medium", "Medium"), ("high", "High risk")):
        add(OUTCOME, level, label, _first_meeting(level))
    for level, level_label in BANDS:
        for place, place_label in SEQUENCES:
            add(
                SEQUENCE,
                f"{level}:{place}",
                f"{level_label}: {place_label}",
                _sequence(place, level),
            )
    # Beyond the report: what the toolkits' own assessments show.
    add(
        "Assessments",
        "assessments",
        "Number of completed assessments",
        lambda cs, p: sum(1 for c in cs for a in c.assessments if p.holds(a.date)),
    )
    add(
        "Assessments",
        "children",
        "Number of children assessed",
        lambda cs, p: sum(1 for c in cs if any(p.holds(a.date) for a in c.assessments)),
    )
    for any_level in (*LEVELS, None):
        key, label = any_level or "unknown", LEVEL_LABELS[any_level]
        add("Level at first assessment", key, label, _level_at_first(any_level))
    for any_level in (*LEVELS, None):
        key, label = any_level or "unknown", LEVEL_LABELS[any_level]
        add("Level at review", key, label, _review_level(any_level))
    return tuple(out)
