"""Multi-agency meetings and the case facts a partnership counts: lists, shapes, checks.

The lists (meeting types, levels, key workers, priority areas) are the Derby annual
report's Appendix A, kept as data in `_partnership.yaml`. Two checks live here, pure:
`parse_meetings`/`parse_case_facts` read the optional case-file keys strictly (field paths
in errors), and `meeting_problems` checks an edited meeting in the words of the editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from app.forms import load_partnership

MEETING_KEYS: dict[str, str] = {
    "type": "Type of meeting",
    "date": "Date of meeting",
    "chair": "Chair",
    "young_person_attended": "Young person attended",
    "parents_attended": "Parents/carers attended",
    "views_conveyed": "Young person seen or conveyed views before the meeting",
    "level": "Level of risk agreed",
    "actions": "Actions",
    "next_meeting": "Date of next meeting",
}
FACT_KEYS: dict[str, str] = {
    "key_worker": "Key worker",
    "priority_areas": "Priority areas",
    "in_care_due_to_exploitation": "In care as a result of exploitation",
    "from_another_la": "From another local authority",
}
_BOOLS = ("young_person_attended", "parents_attended", "views_conveyed")
_FACT_BOOLS = ("in_care_due_to_exploitation", "from_another_la")
ELIGIBLE = ("initial", "first_review", "further_review")  # "initial meeting and reviews"
REVIEWS = ("first_review", "further_review")


@cache
def partnership() -> dict[str, Any]:
    """The partnership lists (`_partnership.yaml`), loaded once through app.forms' checks."""
    return load_partnership()


def options(name: str) -> list[tuple[str, str]]:
    """(id, label) pairs of one partnership list, in the report's order."""
    return [(o["id"], o["label"]) for o in partnership()[name]]


def section3_models(toolkit_id: str, analysis: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The report's models from a toolkit's own Section 3 answer, or None if it has none."""
    link = partnership().get("section3_models", {}).get(toolkit_id)
    if not link:
        return None
    answer = analysis.get(link["field"]) or []
    mapped = {link["map"][a] for a in answer if a in link["map"]}
    return tuple(k for k, _ in options("models_of_abuse") if k in mapped)


def models_not_asked(toolkit_id: str) -> tuple[str, ...]:
    """The report's models a toolkit's own Section 3 list cannot record (2017: "Risk taking",
    "Offline/street grooming", "Organised abuse", "Other"): recorded as case facts instead.
    Every model for a toolkit that does not ask; none when its list covers them all."""
    link = partnership().get("section3_models", {}).get(toolkit_id)
    mapped = set(link["map"].values()) if link else set()
    return tuple(k for k, _ in options("models_of_abuse") if k not in mapped)


def case_models(
    toolkit_id: str, analysis: Mapping[str, Any], recorded: Sequence[str]
) -> tuple[str, ...]:
    """A case's models of abuse: its toolkit's Section 3 answer where it asks, plus the
    models recorded as case facts that the Section 3 list cannot express; report order."""
    linked = section3_models(toolkit_id, analysis)
    if linked is None:
        chosen = set(recorded)
    else:
        chosen = set(linked) | (set(recorded) & set(models_not_asked(toolkit_id)))
    return tuple(k for k, _ in options("models_of_abuse") if k in chosen)


def empty_meeting() -> dict[str, Any]:
    return {
        "type": None,
        "date": None,
        "chair": "",
        "young_person_attended": False,
        "parents_attended": False,
        "views_conveyed": False,
        "level": None,
        "actions": "",
        "next_meeting": None,
    }


def empty_facts() -> dict[str, Any]:
    return {
        "key_worker": None,
        "priority_areas": [],
        "in_care_due_to_exploitation": False,
        "from_another_la": False,
    }


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    from app.rules.casefile import FIRST_YEAR, LAST_YEAR

    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None  # not 0001-01-01


def meeting_problems(data: Mapping[str, Any], today: dt.date) -> list[tuple[str, str]]:
    """(label, message) for each problem of one meeting; empty when it can be recorded."""
    out: list[tuple[str, str]] = []
    types = dict(options("meeting_types"))
    if not _one_of(data.get("type"), types):
        out.append((MEETING_KEYS["type"], "choose one of: " + ", ".join(types.values())))
    held = _date(data.get("date"))
    if held is None:
        out.append((MEETING_KEYS["date"], "must be a real date written YYYY-MM-DD"))
    elif held > today:
        out.append((MEETING_KEYS["date"], "is in the future: record a meeting once it is held"))
    if data.get("level") is not None and not _one_of(
        data["level"], dict(options("meeting_levels"))
    ):
        out.append((MEETING_KEYS["level"], "must be Low, Medium or High, or not agreed"))
    nxt = data.get("next_meeting")
    if nxt not in (None, ""):
        next_day = _date(nxt)
        if next_day is None:
            out.append((MEETING_KEYS["next_meeting"], "must be a real date written YYYY-MM-DD"))
        elif held is not None and next_day <= held:
            out.append((MEETING_KEYS["next_meeting"], "must be after the date of the meeting"))
    from app.rules.casefile import LONG_TEXT, SHORT_TEXT

    for key, limit in (("chair", SHORT_TEXT), ("actions", LONG_TEXT)):
        value = data.get(key, "")
        if not isinstance(value, str):
            out.append((MEETING_KEYS[key], "must be text"))
        elif len(value) > limit:  # the case file's limit: what is saved can be exported
            out.append((MEETING_KEYS[key], f"is longer than {limit:,} characters"))
    return out


def _fail(path: str, message: str) -> Any:
    from app.rules.casefile import CaseFileError

    raise CaseFileError(path, message)


def _one_of(value: Any, choices: Mapping[str, str]) -> bool:
    """A choice id, tested without hashing: a list or object where text belongs is
    simply not a choice (hashing it raised TypeError, shown as a traceback)."""
    return isinstance(value, str) and value in choices


def parse_meetings(raw: Any) -> list[dict[str, Any]]:
    """The case file's `meetings` list, checked strictly (paths like `meetings[0].date`):
    every value by type, choice, size and date range; the next meeting after the meeting."""
    from app.rules.casefile import LONG_TEXT, MAX_MEETINGS, SHORT_TEXT, check_text, parse_date
    from app.rules.safe import quote

    if not isinstance(raw, list):
        _fail("meetings", f"must be a list of meetings, not {quote(raw)}")
    if len(raw) > MAX_MEETINGS:
        _fail("meetings", f"has {len(raw):,} meetings; the limit is {MAX_MEETINGS:,}")
    out = []
    types = dict(options("meeting_types"))
    levels = dict(options("meeting_levels"))
    for i, item in enumerate(raw):
        path = f"meetings[{i}]"
        if not isinstance(item, dict):
            _fail(path, f"must be an object, not {quote(item)}")
        for key in item:
            if key not in MEETING_KEYS:
                _fail(f"{path}.{key}", "is not a meeting field")
        for key in ("type", "date"):
            if key not in item:
                _fail(f"{path}.{key}", "is required")
        meeting = empty_meeting() | dict(item)
        if not _one_of(meeting["type"], types):
            _fail(
                f"{path}.type", f"must be one of {', '.join(types)}, not {quote(meeting['type'])}"
            )
        held = parse_date(meeting["date"], f"{path}.date")
        if meeting["next_meeting"] is not None:
            following = parse_date(meeting["next_meeting"], f"{path}.next_meeting")
            if following <= held:
                _fail(f"{path}.next_meeting", "must be after the date of the meeting")
        if meeting["level"] is not None and not _one_of(meeting["level"], levels):
            _fail(
                f"{path}.level",
                f"must be one of {', '.join(levels)} or null, not {quote(meeting['level'])}",
            )
        for key in _BOOLS:
            if not isinstance(meeting[key], bool):
                _fail(f"{path}.{key}", f"must be true or false, not {quote(meeting[key])}")
        check_text(meeting["chair"], f"{path}.chair", SHORT_TEXT, nullable=False)
        check_text(meeting["actions"], f"{path}.actions", LONG_TEXT, nullable=False)
        out.append(meeting)
    return out


def parse_case_facts(raw: Any) -> dict[str, Any]:
    """The case file's `case_facts` object, checked strictly."""
    from app.rules.safe import quote

    if not isinstance(raw, dict):
        _fail("case_facts", f"must be an object, not {quote(raw)}")
    for key in raw:
        if key not in FACT_KEYS:
            _fail(f"case_facts.{key}", "is not a case fact")
    facts = empty_facts() | dict(raw)
    workers = dict(options("key_worker_types"))
    if facts["key_worker"] is not None and not _one_of(facts["key_worker"], workers):
        _fail(
            "case_facts.key_worker",
            f"must be one of {', '.join(workers)} or null, not {quote(facts['key_worker'])}",
        )
    areas = dict(options("priority_areas"))
    if not isinstance(facts["priority_areas"], list):
        _fail("case_facts.priority_areas", f"must be a list, not {quote(facts['priority_areas'])}")
    for n, area in enumerate(facts["priority_areas"]):
        if not _one_of(area, areas):
            _fail(f"case_facts.priority_areas[{n}]", f"{quote(area)} is not a priority area")
    if len(set(facts["priority_areas"])) != len(facts["priority_areas"]):
        _fail("case_facts.priority_areas", "names an area more than once")
    for key in _FACT_BOOLS:
        if not isinstance(facts[key], bool):
            _fail(f"case_facts.{key}", f"must be true or false, not {quote(facts[key])}")
    return facts


def fact_problems(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, message) for case facts as the editor sends them."""
    out: list[tuple[str, str]] = []
    workers = dict(options("key_worker_types"))
    if data.get("key_worker") is not None and not _one_of(data["key_worker"], workers):
        out.append((FACT_KEYS["key_worker"], "choose one of: " + ", ".join(workers.values())))
    areas: Sequence[Any] = data.get("priority_areas") or []
    known = dict(options("priority_areas"))
    if any(not _one_of(a, known) for a in areas):
        out.append((FACT_KEYS["priority_areas"], "has an area that is not on the list"))
    return out
