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

from collections.abc import Callable
from functools import cache

from app.rules.meetings import ELIGIBLE
from app.stats.report import LEVEL_LABELS, LEVELS, CaseFacts, MeetingFact, Period, categories
from app.stats.scopes import Rule, attr, everything

# (section, key, label, rule, percent_of); a percentage row has no rule of its own.
Spec = tuple[str, str, str, Rule | None, tuple[tuple[str, str], ...]]
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


def _requests(pred: Pred) -> Rule:
    return Rule("opened", pred)


def _is(name: str, value: str | None, scope: str = "opened") -> Rule:
    return Rule(scope, attr(name), value)


def _has(name: str, value: str, scope: str = "opened") -> Rule:
    return Rule(scope, attr(name), value, many=True)


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


def _band(case_in: tuple[CaseFacts, Period]) -> str:
    return band_at_end(*case_in)


def _first_level(c: CaseFacts) -> tuple[str | None, ...]:
    """The level of the first assessment, if the case has one (a case opened by a
    meeting has no level at first assessment, not an unknown one)."""
    return (c.ordered[0].level,) if c.ordered else ()


def _review_level(case_in: tuple[CaseFacts, Period]) -> str | None:
    """The level of the last assessment after the first one in the period."""
    c, p = case_in
    return [a for a in c.ordered[1:] if p.holds(a.date)][-1].level


def _first_meeting_level(c: CaseFacts) -> str | None:
    return c.ordered_meetings[0].level


def _eligible(flag: str) -> Callable[[MeetingFact], bool]:
    return lambda m: m.kind in ELIGIBLE and bool(getattr(m, flag))


def _placed_level(placed: tuple[str, MeetingFact]) -> tuple[str, str | None]:
    return placed[0], placed[1].level


def _bme(c: CaseFacts) -> bool:
    return c.ethnicity not in (*NOT_BME, None)


def _white_not_british(c: CaseFacts) -> bool:
    return c.ethnicity in WHITE_NOT_BRITISH


@cache
def specs() -> tuple[Spec, ...]:
    """Every row: (section, key, label, rule, percent_of), in the report's order."""
    cats = categories()
    out: list[Spec] = []

    def add(section: str, key: str, label: str, rule: Rule) -> None:
        out.append((section, key, label, rule, ()))

    def pct(section: str, key: str, label: str, top: tuple[str, str], bottom: list[str]) -> None:
        out.append((section, key, label, None, (top, *((TYPES, b) for b in bottom))))

    add("Requests", "requests", "Total number of requests received", Rule("opened", everything))
    for key, label in cats["gender"]:
        add("Gender", key, label, _is("gender", key))
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
        add("Ethnicity", key, label, _is("ethnicity", key))
    add("Ethnicity", "not_recorded", "Not recorded", _is("ethnicity", None))
    summary = "Ethnicity summary"
    add(summary, "white_british", "White British", _is("ethnicity", "white_british"))
    add(summary, "bme", "BME", _requests(_bme))
    add(
        summary, "white_not_british", "Of which; White – Not British", _requests(_white_not_british)
    )
    for fid, section in (
        ("sexual_identity", "Sexual Identity"),
        ("source_of_request", "Source of Requests"),
    ):
        for key, label in cats[fid]:
            add(section, key, label, _is(fid, key))
        add(section, "not_recorded", "Not recorded", _is(fid, None))
    for key, label in cats["models_of_abuse"]:
        add(MODELS, key, label, _has("models_of_abuse", key))
    add(
        OPEN,
        "open_cases",
        "Total number of cases worked within the quarter",
        Rule("open", everything),
    )
    for band, label in (
        ("high", "High (including escalated)"),
        ("medium", "Medium"),
        ("low", "Low (including closed)"),
        ("unknown", "Not yet assessed/unknown"),
    ):
        add(LEVEL_END, band, label, Rule("open at end", _band, band))
    add("Closures", "total", "TOTAL", Rule("closed", everything))
    for key, label in cats["closure_reasons"]:
        add("Closures", key, label, _is("closure_reason", key, "closed"))
    for key, label in cats["key_worker_types"]:
        add(KEY_WORKERS, key, label, _is("key_worker", key, "open"))
    add(KEY_WORKERS, "not_recorded", "Not recorded", _is("key_worker", None, "open"))
    for key, label in cats["priority_areas"]:
        add(PRIORITIES, key, label, _has("priority_areas", key, "open"))
    for key, label in cats["meeting_types"]:
        add(TYPES, key, label, Rule("meetings", attr("kind"), key))
    add(TYPES, "total", "TOTAL", Rule("meetings", everything))
    add(
        ATTENDANCE,
        "young_people",
        "Young People",
        Rule("meetings", _eligible("young_person_attended")),
    )
    add(ATTENDANCE, "parents", "Parents/Carers", Rule("meetings", _eligible("parents_attended")))
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
        Rule("meetings", _eligible("views_conveyed")),
    )
    pct(VIEWS, "views_pct", "% from eligible meeting", (VIEWS, "views"), list(ELIGIBLE))
    for level, label in (("low", "Low risk"), ("medium", "Medium"), ("high", "High risk")):
        add(OUTCOME, level, label, Rule("first meeting", _first_meeting_level, level))
    for level, level_label in BANDS:
        for place, place_label in SEQUENCES:
            add(
                SEQUENCE,
                f"{level}:{place}",
                f"{level_label}: {place_label}",
                Rule("sequence", _placed_level, (place, level)),
            )
    # Beyond the report: what the toolkits' own assessments show.
    add(
        "Assessments",
        "assessments",
        "Number of completed assessments",
        Rule("assessments", everything),
    )
    add(
        "Assessments",
        "children",
        "Number of children assessed",
        Rule("assessed", everything),
    )
    for any_level in (*LEVELS, None):
        key, label = any_level or "unknown", LEVEL_LABELS[any_level]
        add(
            "Level at first assessment",
            key,
            label,
            Rule("opened", _first_level, any_level, many=True),
        )
    for any_level in (*LEVELS, None):
        key, label = any_level or "unknown", LEVEL_LABELS[any_level]
        add("Level at review", key, label, Rule("reviewed", _review_level, any_level))
    return tuple(out)
