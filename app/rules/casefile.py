"""Case file format 1: the JSON a case travels in, and its strict parser.

Nothing is guessed: unknown keys, unknown ids, wrong types and impossible dates are
rejected with `CaseFileError`, whose message names the field (`child.date_of_birth`).
Completeness (required answers) is a separate check, because drafts must always save.

Every part is checked by type, choice and size (SHORT_TEXT for names and one-line fields,
LONG_TEXT for answers and notes, MAX_* for lists), so nothing later meets a value it
cannot handle: an export's time is bounded by these limits. Each error names the field by
its path and by the label the practitioner sees (`label_for`), and quotes values through
`app.rules.safe.quote` (shortened, control characters escaped, one line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.forms import Field, Registry, Toolkit, UnknownToolkitError
from app.rules.safe import one_line, quote

FORMAT = 1
LEVELS = ("none", "low", "medium", "high", "exploited")
CHILD_REQUIRED_BOOLS = ("send", "looked_after", "care_leaver", "mental_health")
PRACTITIONER_KEYS = ("name", "post", "agency", "team", "email", "phone", "address")
TOP_REQUIRED = (
    "format",
    "toolkit",
    "assessment_date",
    "child",
    "section1",
    "section2",
    "analysis",
    "final_level",
    "override_reason",
    "practitioner",
)
TOP_OPTIONAL = (
    "judgement_reason",
    "review_date",
    "information_reports",
    "letter",
    "disruption_plan",
    "support_plan",
    "meetings",
    "case_facts",
)
SUPPORT_COLUMNS = ("outcome", "action", "who_by", "timeframe", "review")
MARK_KEYS: dict[str, dict[str, Any]] = {
    "risk_evidenced": {"risk": bool, "evidenced": bool, "note": str},
    "cce_cse_level": {"cce": bool, "cse": bool, "level": (str, type(None)), "note": str},
    "tick_comment": {"ticked": bool, "comment": str},
}
LETTER_KEYS: dict[str, Any] = {
    "date": "date",
    "la_parental_responsibility": bool,
    "care_order": bool,
    "parent_consent": bool,
    "child_consent": bool,
    "no_child_consent_reason": (str, type(None)),
    "legal_advice": bool,
    "head_of_service_agreement": bool,
    "local_authority": (str, type(None)),
    # what the letter's template leaves to be filled (see app/documents/letter.py)
    "pronouns": (str, type(None)),
    "police_phone": (str, type(None)),
    "sending_authority": (str, type(None)),
    # who agreed and when: the authorisation record's, never the letter's
    "head_of_service_name": (str, type(None)),
    "head_of_service_date": "date",
    "legal_advice_by": (str, type(None)),
    "legal_advice_date": "date",
}
PRONOUNS = ("he", "she", "they")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 1900, 2199
SHORT_TEXT = 200  # names and one-line fields (text, email, phone)
LONG_TEXT = 100_000  # answers, notes, reasons, actions
MAX_CASE_TEXT = 500_000  # characters of text in one case: its export stays within 5 s
MAX_REPORTS = 20  # information reports in one case
MAX_COPIES = 20  # further copies of one repeatable section of a report
MAX_ROWS = 100  # rows of a support plan or of a table answer
MAX_MEETINGS = 500
SHORT_KINDS = {"text", "email", "phone"}
TOP_LABELS = {
    "format": "Case file format",
    "toolkit": "Toolkit",
    "assessment_date": "Date of assessment",
    "child": "Child",
    "section1": "Section 1",
    "section2": "Section 2",
    "analysis": "Analysis",
    "final_level": "Final level of risk",
    "override_reason": "Reason for the final level",
    "practitioner": "Practitioner",
    "judgement_reason": "Why the final level differs from the suggestion",
    "review_date": "Review date",
    "information_reports": "Information reports",
    "letter": "Disruption letter",
    "disruption_plan": "Disruption plan",
    "support_plan": "Support plan",
    "meetings": "Meetings",
    "case_facts": "Case facts",
}
PRACTITIONER_LABELS = {
    "name": "Practitioner's name",
    "post": "Practitioner's post",
    "agency": "Practitioner's agency",
    "team": "Practitioner's team",
    "email": "Practitioner's email",
    "phone": "Practitioner's phone",
    "address": "Practitioner's address",
}
MARK_LABELS = {
    "risk": "Risk",
    "evidenced": "Evidenced",
    "note": "Note",
    "cce": "CCE",
    "cse": "CSE",
    "level": "Rating L/M/H",
    "ticked": "Ticked",
    "comment": "Comment",
}
LETTER_LABELS = {
    "date": "Date of the letter",
    "la_parental_responsibility": "Local authority has parental responsibility",
    "care_order": "Care order",
    "parent_consent": "Parent's consent",
    "child_consent": "Child's consent",
    "no_child_consent_reason": "Why the child's consent was not sought",
    "legal_advice": "Legal advice taken",
    "head_of_service_agreement": "Head of service agreement",
    "local_authority": "Local authority",
    "pronouns": "How the letter refers to the child",
    "police_phone": "Police phone number",
    "sending_authority": "Sending authority",
    "head_of_service_name": "Head of Service who agreed",
    "head_of_service_date": "Date the Head of Service agreed",
    "legal_advice_by": "Legal advice given by",
    "legal_advice_date": "Date of the legal advice",
}
SUPPORT_LABELS = {
    "outcome": "Outcome",
    "action": "Action",
    "who_by": "Who by",
    "timeframe": "Timeframe",
    "review": "Review",
    "review_date": "Review date",
}


class CaseFileError(ValueError):
    """A case file that cannot be read; `field` is the dotted path of the first problem,
    `label` the words the practitioner sees for it (when known), `message` what is wrong.
    The text is always one line: `child.name (Name of Child): is longer than ...`."""

    def __init__(self, field: str, message: str, label: str | None = None) -> None:
        self.field = field
        self.message = one_line(message)
        self.label = label
        super().__init__(self._text())

    def _text(self) -> str:
        shown = one_line(self.field, 120)
        named = f"{shown} ({one_line(self.label, 120)})" if self.label else shown
        return f"{named}: {self.message}"

    def __str__(self) -> str:
        return self._text()

    def labelled(self, label: str | None) -> CaseFileError:
        """This error with its label set (once: the first label found is the nearest)."""
        if self.label is None and label:
            self.label = label
            self.args = (self._text(),)
        return self


@dataclass(frozen=True)
class Case:
    """A parsed case: plain data, validated against its toolkit."""

    toolkit: str
    assessment_date: dt.date
    child: Mapping[str, Any]
    date_of_birth: dt.date
    section1: Mapping[str, Mapping[str, Any]]
    section2: Mapping[str, Mapping[str, Any]]
    analysis: Mapping[str, Any]
    final_level: str | None
    override_reason: str | None
    practitioner: Mapping[str, Any]
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def child_name(self) -> str:
        return str(self.child.get("name", ""))

    def flag(self, name: str) -> bool:
        return bool(self.child.get(name, False))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT,
            "toolkit": self.toolkit,
            "assessment_date": self.assessment_date.isoformat(),
            "child": dict(self.child),
            "section1": {k: dict(v) for k, v in self.section1.items()},
            "section2": {k: dict(v) for k, v in self.section2.items()},
            "analysis": dict(self.analysis),
            "final_level": self.final_level,
            "override_reason": self.override_reason,
            "practitioner": dict(self.practitioner),
        }
        out.update(self.extras)
        return out


def parse_date(value: Any, path: str) -> dt.date:
    """A date written YYYY-MM-DD between FIRST_YEAR and LAST_YEAR (every date in a case
    file: later date arithmetic must not overflow, and 0001-01-01 is never meant)."""
    if not isinstance(value, str) or len(value) != 10 or not _DATE.match(value):
        raise CaseFileError(path, f"must be a date written YYYY-MM-DD, not {_show(value)}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CaseFileError(path, f"{value} is not a real date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # later date arithmetic must not overflow
        raise CaseFileError(path, f"must be a date between {FIRST_YEAR} and {LAST_YEAR}")
    return day


def _show(value: Any) -> str:
    return quote(value)


def check_text(value: Any, path: str, limit: int, *, nullable: bool = True) -> None:
    """Text (or null) of at most `limit` characters."""
    _check_type(value, (str, type(None)) if nullable else str, path)
    if isinstance(value, str) and len(value) > limit:
        raise CaseFileError(
            path, f"is {len(value):,} characters long; the limit is {limit:,} characters"
        )


def _check_count(value: list[Any], limit: int, path: str, what: str) -> None:
    if len(value) > limit:
        raise CaseFileError(path, f"has {len(value):,} {what}; the limit is {limit:,}")


def _limit_of(kind: str) -> int:
    return SHORT_TEXT if kind in SHORT_KINDS else LONG_TEXT


def _type_name(expected: Any) -> str:
    names = {bool: "true or false", str: "text", int: "a whole number", float: "a number"}
    if isinstance(expected, tuple):
        parts = ("null" if t is type(None) else names.get(t, t.__name__) for t in expected)
        return " or ".join(parts)
    return names.get(expected, getattr(expected, "__name__", str(expected)))


def _check_type(value: Any, expected: Any, path: str) -> None:
    types = expected if isinstance(expected, tuple) else (expected,)
    ok = any(
        (t is bool and isinstance(value, bool))
        or (t is not bool and isinstance(value, t) and not isinstance(value, bool))
        or (t is type(None) and value is None)
        for t in types
    )
    if not ok:
        raise CaseFileError(path, f"must be {_type_name(expected)}, not {_show(value)}")


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CaseFileError(path, f"must be an object, not {_show(value)}")
    for key in value:
        if not isinstance(key, str):
            raise CaseFileError(path, "keys must be text")
    return value


def _no_unknown(value: Mapping[str, Any], allowed: set[str] | tuple[str, ...], path: str) -> None:
    for key in value:
        if key not in allowed:
            raise CaseFileError(f"{path}.{key}" if path else key, "is not a known field")


def parse_field_value(f: Field, value: Any, path: str) -> Any:
    """Check one answer against its field definition; returns it unchanged."""
    if value is None:
        return None
    kind = f.type
    if kind in {"text", "multiline", "email", "phone"}:
        check_text(value, path, _limit_of(kind), nullable=False)
    elif kind == "date":
        parse_date(value, path)
    elif kind == "datetime":
        _check_type(value, str, path)
        try:
            moment = dt.datetime.fromisoformat(value) if len(value) <= 40 else None
        except ValueError:
            moment = None
        if moment is None:
            raise CaseFileError(path, f"{_show(value)} is not a date and time")
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise CaseFileError(path, f"must be a date between {FIRST_YEAR} and {LAST_YEAR}")
    elif kind == "bool":
        _check_type(value, bool, path)
    elif kind == "yes_no":
        if value not in ("yes", "no"):
            raise CaseFileError(path, f'must be "yes" or "no", not {_show(value)}')
    elif kind == "number":
        _check_type(value, (int, float), path)
        if not -(10**9) <= value <= 10**9:
            raise CaseFileError(path, f"{_show(value)} is out of range")
    elif kind == "choice":
        _check_type(value, str, path)
        if f.option_label(value) is None:
            raise CaseFileError(path, f"{_show(value)} is not one of the choices")
    elif kind == "multichoice":
        if not isinstance(value, list):
            raise CaseFileError(path, f"must be a list of choices, not {_show(value)}")
        for i, v in enumerate(value):
            if not isinstance(v, str) or f.option_label(v) is None:
                raise CaseFileError(f"{path}[{i}]", f"{_show(v)} is not one of the choices")
        if len(set(value)) != len(value):
            raise CaseFileError(path, "names a choice more than once")
    elif kind == "table":
        if not isinstance(value, list):
            raise CaseFileError(path, f"must be a list of rows, not {_show(value)}")
        _check_count(value, MAX_ROWS, path, "rows")
        columns = {c["id"]: c for c in f.columns}
        for i, row in enumerate(value):
            row_path = f"{path}[{i}]"
            _no_unknown(_mapping(row, row_path), set(columns), row_path)
            for key, cell in row.items():
                col = Field.from_dict({"id": key, "label": key, "type": columns[key]["type"]})
                parse_field_value(col, cell, f"{row_path}.{key}")
    elif kind == "computed":
        raise CaseFileError(path, "is calculated by the app and cannot be set in a case file")
    return value


def _parse_fields(raw: Mapping[str, Any], fields: tuple[Field, ...], path: str) -> dict[str, Any]:
    by_id = {f.id: f for f in fields}
    _no_unknown(raw, set(by_id), path)
    return {k: parse_field_value(by_id[k], v, f"{path}.{k}") for k, v in raw.items()}


def _parse_marks(tk: Toolkit, raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    ids = {i.id for i in tk.section1_items}
    spec = MARK_KEYS[tk.marking]
    out: dict[str, dict[str, Any]] = {}
    for item_id, marks in raw.items():
        path = f"section1.{item_id}"
        if item_id not in ids:
            raise CaseFileError(path, f"is not a Section 1 indicator of {tk.id}")
        marks = _mapping(marks, path)
        _no_unknown(marks, set(spec), path)
        for key, value in marks.items():
            _check_type(value, spec[key], f"{path}.{key}")
            if key in ("note", "comment"):
                check_text(value, f"{path}.{key}", LONG_TEXT)
        if tk.marking == "cce_cse_level" and marks.get("level") not in (None, "L", "M", "H"):
            raise CaseFileError(
                f"{path}.level", f'must be "L", "M", "H" or null, not {_show(marks.get("level"))}'
            )
        out[item_id] = dict(marks)
    return out


def _parse_section2(tk: Toolkit, raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    ids = {i.id for i in tk.section2_items}
    columns = tuple(
        Field.from_dict({"id": c["id"], "label": c["label"], "type": c["type"]})
        for c in tk.section2_columns
    )
    out: dict[str, dict[str, Any]] = {}
    for item_id, answers in raw.items():
        path = f"section2.{item_id}"
        if item_id not in ids:
            raise CaseFileError(path, f"is not a Section 2 factor of {tk.id}")
        out[item_id] = _parse_fields(_mapping(answers, path), columns, path)
    return out


def _parse_child(tk: Toolkit, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dt.date]:
    for key in ("name", "date_of_birth", *CHILD_REQUIRED_BOOLS):
        if key not in raw:
            raise CaseFileError(f"child.{key}", "is required")
    child = _parse_fields(raw, tk.child_fields, "child")
    if child["name"] is None:
        raise CaseFileError("child.name", "must be text, not null")
    if child["date_of_birth"] is None:
        raise CaseFileError("child.date_of_birth", "must be a date written YYYY-MM-DD, not null")
    for key in CHILD_REQUIRED_BOOLS:
        _check_type(child[key], bool, f"child.{key}")
    check_text(child["name"], "child.name", SHORT_TEXT)
    return child, parse_date(child["date_of_birth"], "child.date_of_birth")


def _parse_letter(tk: Toolkit, raw: Any) -> dict[str, Any]:
    letter = _mapping(raw, "letter")
    fields = {f["id"]: Field.from_dict(f) for f in tk.data["disruption_letter"]["fields"]}
    allowed = set(LETTER_KEYS) | set(fields)
    _no_unknown(letter, allowed, "letter")
    for key, value in letter.items():
        path = f"letter.{key}"
        if key in fields:
            parse_field_value(fields[key], value, path)
        elif LETTER_KEYS[key] == "date":
            parse_date(value, path)
        else:
            _check_type(value, LETTER_KEYS[key], path)
            if isinstance(value, str):
                limit = LONG_TEXT if key == "no_child_consent_reason" else SHORT_TEXT
                check_text(value, path, limit)
    if letter.get("pronouns") not in (None, *PRONOUNS):
        raise CaseFileError(
            "letter.pronouns", f"{_show(letter['pronouns'])} is not one of he, she, they"
        )
    la = letter.get("local_authority")
    options = {o["id"] for o in tk.data["disruption_letter"].get("local_authorities", ())}
    if la is not None and la not in options:
        raise CaseFileError(
            "letter.local_authority", f"{_show(la)} is not one of {', '.join(sorted(options))}"
        )
    return dict(letter)


def _parse_reports(tk: Toolkit, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise CaseFileError("information_reports", f"must be a list, not {_show(raw)}")
    _check_count(raw, MAX_REPORTS, "information_reports", "reports")
    from app.rules.victim import per_victim_form  # each victim's own level is chosen

    forms = {f["id"]: per_victim_form(tk, f) for f in tk.data["information_forms"]}
    out = []
    for i, report in enumerate(raw):
        path = f"information_reports[{i}]"
        report = _mapping(report, path)
        _no_unknown(report, {"form", "answers", "more"}, path)
        form_id = report.get("form")
        if not isinstance(form_id, str) or form_id not in forms:
            raise CaseFileError(f"{path}.form", f"{_show(form_id)} is not a form of {tk.id}")
        fields = tuple(Field.from_dict(f) for s in forms[form_id]["sections"] for f in s["fields"])
        answers = _mapping(report.get("answers", {}), f"{path}.answers")
        parsed = {"form": form_id, "answers": _parse_fields(answers, fields, f"{path}.answers")}
        if "more" in report:
            parsed["more"] = _parse_more(forms[form_id], report["more"], f"{path}.more")
        out.append(parsed)
    return out


def repeatable(section: Mapping[str, Any]) -> bool:
    """A form section the toolkit says to copy for each additional person ("please copy
    the following section and complete for each additional ...")."""
    return "copy the following section" in str(section.get("title", ""))


def _parse_more(form: Mapping[str, Any], raw: Any, path: str) -> dict[str, list[dict[str, Any]]]:
    """Further copies of repeatable sections: {section id: [answers of each copy]}."""
    sections = {s["id"]: s for s in form["sections"] if repeatable(s)}
    more = _mapping(raw, path)
    _no_unknown(more, set(sections), path)
    out: dict[str, list[dict[str, Any]]] = {}
    for section_id, copies in more.items():
        where = f"{path}.{section_id}"
        if not isinstance(copies, list):
            raise CaseFileError(where, f"must be a list of copies, not {_show(copies)}")
        _check_count(copies, MAX_COPIES, where, "copies")
        fields = tuple(Field.from_dict(f) for f in sections[section_id]["fields"])
        out[section_id] = [
            _parse_fields(_mapping(copy, f"{where}[{n}]"), fields, f"{where}[{n}]")
            for n, copy in enumerate(copies)
        ]
    return out


def _parse_disruption_plan(tk: Toolkit, raw: Any) -> dict[str, Any]:
    plan = _mapping(raw, "disruption_plan")
    tool = tk.data["disruption_tool"]
    options = {o["id"] for a in tool["aims"] for o in a["options"]}
    columns = tuple(Field.from_dict(c) for c in tool["columns"])
    out = {}
    for option_id, answers in plan.items():
        path = f"disruption_plan.{option_id}"
        if option_id not in options:
            raise CaseFileError(path, "is not an option of the disruption tool")
        out[option_id] = _parse_fields(_mapping(answers, path), columns, path)
    return out


def _parse_support_plan(raw: Any) -> dict[str, Any]:
    """The annual report's Appendix C plan: Outcome / Action / Who By / Timeframe rows."""
    plan = _mapping(raw, "support_plan")
    _no_unknown(plan, {"rows", "review_date"}, "support_plan")
    if plan.get("review_date") is not None:
        parse_date(plan["review_date"], "support_plan.review_date")
    rows = plan.get("rows", [])
    if not isinstance(rows, list):
        raise CaseFileError("support_plan.rows", f"must be a list of rows, not {_show(rows)}")
    _check_count(rows, MAX_ROWS, "support_plan.rows", "rows")
    for i, row in enumerate(rows):
        path = f"support_plan.rows[{i}]"
        _no_unknown(_mapping(row, path), SUPPORT_COLUMNS, path)
        for key, value in row.items():
            check_text(value, f"{path}.{key}", LONG_TEXT)
    return dict(plan)


def parse_case(data: Any, registry: Registry) -> Case:
    """Validate a decoded case file and return it typed; raises CaseFileError naming the
    field by its path and its label."""
    top = _mapping(data, "(case file)")
    try:
        _no_unknown(top, (*TOP_REQUIRED, *TOP_OPTIONAL), "")
        for key in TOP_REQUIRED:
            if key not in top:
                raise CaseFileError(key, "is required")
        if type(top["format"]) is not int or top["format"] != FORMAT:
            raise CaseFileError("format", f"must be {FORMAT}, not {_show(top['format'])}")
        _check_type(top["toolkit"], str, "toolkit")
        try:
            tk = registry.get(top["toolkit"])
        except (UnknownToolkitError, KeyError) as exc:
            raise CaseFileError(
                "toolkit", f"{_show(top['toolkit'])} is not a toolkit this app knows"
            ) from exc
    except CaseFileError as exc:
        raise exc.labelled(TOP_LABELS.get(exc.field.split(".")[0])) from None
    try:
        _check_sizes(top)
        return _parse_case(top, tk)
    except CaseFileError as exc:
        raise exc.labelled(label_for(tk, exc.field)) from None


def _check_sizes(top: Mapping[str, Any]) -> None:
    """All text in one case together within MAX_CASE_TEXT, found without recursion (the
    file guards have already bounded the depth)."""
    total = 0
    stack: list[Any] = [top]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            total += sum(len(k) for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    if total > MAX_CASE_TEXT:
        raise CaseFileError(
            "(case file)",
            f"holds {total:,} characters of text; the limit for one case is {MAX_CASE_TEXT:,}",
        )


def _parse_case(top: Mapping[str, Any], tk: Toolkit) -> Case:
    assessed = parse_date(top["assessment_date"], "assessment_date")
    child, dob = _parse_child(tk, _mapping(top["child"], "child"))
    if dob > assessed:
        raise CaseFileError("child.date_of_birth", "is after the assessment date")
    section1 = _parse_marks(tk, _mapping(top["section1"], "section1"))
    section2 = _parse_section2(tk, _mapping(top["section2"], "section2"))
    analysis = _parse_fields(_mapping(top["analysis"], "analysis"), tk.analysis_fields, "analysis")
    final = top["final_level"]
    if final is not None and (not isinstance(final, str) or final not in LEVELS):
        raise CaseFileError(
            "final_level", f"must be one of {', '.join(LEVELS)} or null, not {_show(final)}"
        )
    check_text(top["override_reason"], "override_reason", LONG_TEXT)
    practitioner = _mapping(top["practitioner"], "practitioner")
    _no_unknown(practitioner, PRACTITIONER_KEYS, "practitioner")
    for key, value in practitioner.items():
        check_text(value, f"practitioner.{key}", SHORT_TEXT)
    extras: dict[str, Any] = {}
    if "judgement_reason" in top:
        check_text(top["judgement_reason"], "judgement_reason", LONG_TEXT)
        extras["judgement_reason"] = top["judgement_reason"]
    if top.get("review_date") is not None:
        parse_date(top["review_date"], "review_date")
        extras["review_date"] = top["review_date"]
    if "letter" in top:
        extras["letter"] = _parse_letter(tk, top["letter"])
    if "information_reports" in top:
        extras["information_reports"] = _parse_reports(tk, top["information_reports"])
    if "support_plan" in top:
        extras["support_plan"] = _parse_support_plan(top["support_plan"])
    if "disruption_plan" in top:
        extras["disruption_plan"] = _parse_disruption_plan(tk, top["disruption_plan"])
    if "meetings" in top or "case_facts" in top:  # the case's, not the assessment's
        from app.rules.meetings import parse_case_facts, parse_meetings

        if "meetings" in top:
            extras["meetings"] = parse_meetings(top["meetings"])
        if "case_facts" in top:
            extras["case_facts"] = parse_case_facts(top["case_facts"])
    return Case(
        toolkit=tk.id,
        assessment_date=assessed,
        child=child,
        date_of_birth=dob,
        section1=section1,
        section2=section2,
        analysis=analysis,
        final_level=final,
        override_reason=top["override_reason"],
        practitioner=dict(practitioner),
        extras=extras,
    )


def new_case(tk: Toolkit, assessment_date: dt.date) -> dict[str, Any]:
    """An empty format-1 case file for a toolkit, as the wizard starts one."""
    return {
        "format": FORMAT,
        "toolkit": tk.id,
        "assessment_date": assessment_date.isoformat(),
        "child": {"name": "", "date_of_birth": None, **dict.fromkeys(CHILD_REQUIRED_BOOLS, False)},
        "section1": {},
        "section2": {},
        "analysis": {},
        "final_level": None,
        "override_reason": None,
        "practitioner": {},
    }


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(n) if n else key for key, n in _STEP.findall(path)]


def _clean(label: str, limit: int = 70) -> str:
    text = " ".join(str(label).split()).rstrip(":").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _field_label(fields: Any, key: Any) -> str | None:
    for f in fields:
        fid, label = (f.id, f.label) if isinstance(f, Field) else (f.get("id"), f.get("label"))
        if fid == key:
            return _clean(label)
    return None


def label_for(tk: Toolkit, path: str) -> str | None:
    """The words the practitioner sees for the field at `path` (None where there are
    none better than the path): `child.name` -> "Name of Child", `meetings[1].date` ->
    "Meeting 2: Date of meeting", `section1.x.note` -> "<indicator>: Note"."""
    try:
        return _label_for(tk, _steps(path))
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def _label_for(tk: Toolkit, steps: list[str | int]) -> str | None:
    if not steps:
        return None
    head, rest = steps[0], steps[1:]
    top = TOP_LABELS.get(str(head))
    if not rest or top is None:
        return top
    key = rest[0]
    if head == "child":
        return _field_label(tk.child_fields, key)
    if head == "analysis":
        return _field_label(tk.analysis_fields, key)
    if head == "practitioner":
        return PRACTITIONER_LABELS.get(str(key))
    if head in ("section1", "section2"):
        items = {i.id: i for i in (tk.section1_items if head == "section1" else tk.section2_items)}
        item = items.get(str(key))
        if item is None:
            return top
        name = _clean(item.text, 60)
        if len(rest) < 2:
            return name
        if head == "section1":
            return f"{name}: {MARK_LABELS.get(str(rest[1]), rest[1])}"
        column = _field_label(tk.section2_columns, rest[1])
        return f"{name}: {column}" if column else name
    if head == "letter":
        fields = tk.data["disruption_letter"]["fields"]
        return _field_label(fields, key) or LETTER_LABELS.get(str(key))
    if head == "information_reports" and isinstance(key, int):
        where = f"Information report {key + 1}"
        if len(rest) < 3:
            return where
        forms = {f["id"]: f for f in tk.data["information_forms"]}
        return where + ": " + (_report_label(forms, rest[1:]) or str(rest[-1]))
    if head == "disruption_plan":
        tool = tk.data["disruption_tool"]
        option = next((o for a in tool["aims"] for o in a["options"] if o["id"] == key), None)
        name = _clean(option["label"], 60) if option else str(key)
        column = _field_label(tool["columns"], rest[1]) if len(rest) > 1 else None
        return f"{name}: {column}" if column else name
    if head == "support_plan":
        if key == "rows" and len(rest) > 1:
            where = f"Support plan row {int(rest[1]) + 1}"
            return (
                f"{where}: {SUPPORT_LABELS.get(str(rest[2]), rest[2])}" if len(rest) > 2 else where
            )
        return f"Support plan: {SUPPORT_LABELS.get(str(key), key)}"
    if head == "meetings" and isinstance(key, int):
        from app.rules.meetings import MEETING_KEYS

        where = f"Meeting {key + 1}"
        return f"{where}: {MEETING_KEYS.get(str(rest[1]), rest[1])}" if len(rest) > 1 else where
    if head == "case_facts":
        from app.rules.meetings import FACT_KEYS

        return FACT_KEYS.get(str(key))
    return top


def _report_label(forms: Mapping[str, Any], rest: list[str | int]) -> str | None:
    """The label of an answer inside a report: answers.<id> or more.<section>[n].<id>."""
    if rest[0] == "answers" and len(rest) > 1:
        for form in forms.values():
            for section in form["sections"]:
                found = _field_label(section["fields"], rest[1])
                if found:
                    return found
    if rest[0] == "more" and len(rest) > 1:
        for form in forms.values():
            for section in form["sections"]:
                if section["id"] == rest[1]:
                    copy = f" (copy {int(rest[2]) + 2})" if len(rest) > 2 else ""
                    field = _field_label(section["fields"], rest[3]) if len(rest) > 3 else None
                    return (field or _clean(section.get("title", section["id"]), 50)) + copy
    return None
