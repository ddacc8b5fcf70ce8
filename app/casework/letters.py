"""The disruption letter's checks and wording, shared by the letter window and completion.

Eligibility is app.rules.letter's. The wording comes from the documents library's letter
(`app.documents.letter`: pronouns, police number, sending authority, letterhead), so the
preview and the completion gate say exactly what the PDF will print.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from app.casework.documents import visible
from app.forms import Field, Toolkit
from app.rules.casefile import Case
from app.rules.letter import check_letter
from app.rules.results import LetterCheck, Problem, Reason

# The letter's own blanks the documents library fills.
EXTRA_KEYS = ("pronouns", "police_phone", "sending_authority")
PRONOUN_CHOICES = (
    ("he", "he / him / his"),
    ("she", "she / her / her"),
    ("they", "they / them / their"),
)


def _library() -> ModuleType:
    """The documents library's letter: the one place its wording is resolved."""
    from app.documents import letter

    return letter


def authority_choices(tk: Toolkit) -> list[str]:
    """Sending authorities a toolkit without `local_authorities` leaves to choose."""
    lib = _library()
    if tk.data["disruption_letter"].get("local_authorities"):
        return []
    return list(lib.authority_choices(tk))


def uk_date(iso: str | None) -> str:
    try:
        day = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso or "")
    return f"{day.day} {day:%B %Y}"


def _case(tk: Toolkit, assessment: Mapping[str, Any], letter: Mapping[str, Any]) -> Case | None:
    child = dict(assessment.get("child") or {})
    try:
        dob = dt.date.fromisoformat(str(child.get("date_of_birth")))
        assessed = dt.date.fromisoformat(str(assessment.get("assessment_date")))
        if letter.get("date"):
            dt.date.fromisoformat(str(letter["date"]))
    except ValueError:
        return None
    return Case(
        toolkit=tk.id, assessment_date=assessed, child=child, date_of_birth=dob, section1={},
        section2={}, analysis={}, final_level=None, override_reason=None,
        practitioner=dict(assessment.get("practitioner") or {}), extras={"letter": dict(letter)},
    )  # fmt: skip


def letter_fields(tk: Toolkit) -> tuple[Field, ...]:
    return tuple(Field.from_dict(f) for f in tk.data["disruption_letter"]["fields"])


def letter_check(
    tk: Toolkit, assessment: Mapping[str, Any], letter: Mapping[str, Any]
) -> LetterCheck:
    """The toolkit's eligibility conditions for this child on the letter's date."""
    case = _case(tk, assessment, letter)
    if case is None:
        reason = Reason(
            "letter.dates",
            "The child's date of birth (in the assessment) and the letter date must be "
            "real dates before the letter can be checked.",
        )
        return LetterCheck(eligible=False, unmet=(reason,), met=())
    return check_letter(tk, case)


def letter_problems(
    tk: Toolkit,
    assessment: Mapping[str, Any],
    letter: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Unmet conditions first (the letter cannot be produced), then empty letter fields."""
    problems = [
        Problem(r.code, r.text, "condition") for r in letter_check(tk, assessment, letter).unmet
    ]
    for f in letter_fields(tk):
        value = letter.get(f.id)
        if f.required and value in (None, "", []):
            problems.append(Problem(f.id, f"{visible(f.label)} is required", "required"))
    if tk.data["disruption_letter"].get("local_authorities") and not letter.get("local_authority"):
        problems.append(
            Problem("local_authority", "The sending local authority is required", "required")
        )
    return problems + _wording_problems(tk, assessment, letter, profile)


def _wording_problems(
    tk: Toolkit,
    assessment: Mapping[str, Any],
    letter: Mapping[str, Any],
    profile: Mapping[str, Any] | None,
) -> list[Problem]:
    """What the documents library would refuse to print: blanks and the letterhead."""
    lib, case = _library(), _case(tk, assessment, letter)
    if case is None:
        return []
    _body, missing = lib.letter_body(tk, case, letter)
    where = {"How the letter": "pronouns", "Sending authority": "sending_authority"}
    where["Police telephone"] = "police_phone"
    out = []
    for text in missing:
        field = next((v for k, v in where.items() if text.startswith(k)), "letter")
        out.append(Problem(field, f"{text} is required", "required"))
    head = lib.letterhead(case.practitioner, profile)
    for key, label in (
        ("organisation", "Organisation name"), ("address", "Organisation address"),
        ("telephone", "Organisation telephone"),
    ):  # fmt: skip
        if not head[key]:
            out.append(
                Problem(
                    f"profile.{key}",
                    f"{label} for the letterhead is required: fill it in Profile and settings",
                    "required",
                )
            )
    who = {**dict(case.practitioner), **{k: v for k, v in (profile or {}).items() if v}}
    signing = {"name": who.get("name"), "post": who.get("post_on_letters") or who.get("post")}
    for text in lib.disclosures(tk, lib.printed_parts(head, signing)):
        out.append(Problem("profile.post_on_letters", text, "discloses"))
    conflict = lib.authority_conflict(tk, head["organisation"], lib.sending_authority(tk, letter))
    if conflict:
        out.append(Problem("sending_authority", conflict, "conflict"))
    return out


class _Blank(dict[str, str]):
    """Placeholders the practitioner has not filled show as a visible gap, never as code."""

    def __missing__(self, key: str) -> str:
        return f"[{key.replace('_', ' ')}]"


def letter_preview(
    tk: Toolkit,
    assessment: Mapping[str, Any],
    letter: Mapping[str, Any],
    practitioner: Mapping[str, Any] | None = None,
) -> list[str]:
    """The letter's wording as the recipient will read it, paragraph by paragraph."""
    lib, case = _library(), _case(tk, assessment, letter)
    if case is not None:
        return _library_preview(lib, tk, case, letter, practitioner)
    template = tk.data["disruption_letter"]
    authorities = {o["id"]: o["label"] for o in template.get("local_authorities", ())}
    child = dict(assessment.get("child") or {})
    who = {**dict(practitioner or {}), **dict(assessment.get("practitioner") or {})}
    values = _Blank({k: str(v) for k, v in letter.items() if isinstance(v, str) and v.strip()})
    values["child_name"] = str(child.get("name") or "")
    if letter.get("local_authority") in authorities:
        values["local_authority"] = authorities[letter["local_authority"]]
    paragraphs = [uk_date(letter.get("date"))]
    for key in ("perpetrator_name", "perpetrator_address"):
        if letter.get(key):
            paragraphs.append(str(letter[key]))
    paragraphs.append(f"Re: {values['child_name']}")
    if letter.get("police_reference"):
        paragraphs.append(f"Police reference: {letter['police_reference']}")
    paragraphs.append(str(template.get("salutation", "")))
    paragraphs += [str(text).format_map(values) for text in template["body"]]
    paragraphs.append(str(template.get("closing", "Yours sincerely,")))
    paragraphs += [str(who[k]) for k in ("name", "post") if who.get(k)]
    return paragraphs


def _library_preview(
    lib: ModuleType,
    tk: Toolkit,
    case: Case,
    letter: Mapping[str, Any],
    profile: Mapping[str, Any] | None,
) -> list[str]:
    template = tk.data["disruption_letter"]
    body, _missing = lib.letter_body(tk, case, letter)
    head = lib.letterhead(case.practitioner, profile)
    who = {**dict(case.practitioner), **{k: v for k, v in (profile or {}).items() if v}}
    out = [head["organisation"], head["address"], f"Telephone: {head['telephone']}"]
    out += [uk_date(letter.get("date"))]
    out += [str(letter[k]) for k in ("perpetrator_name", "perpetrator_address") if letter.get(k)]
    out.append(f"Re: {case.child_name}")
    if letter.get("police_reference"):
        out.append(f"Police reference: {letter['police_reference']}")
    out += [lib.salutation(tk, letter), *body]
    out.append(str(template.get("closing", "Yours sincerely,")))
    if who.get("post_on_letters"):
        who["post"] = who["post_on_letters"]
    out += [str(who[k]) for k in ("name", "post") if who.get(k)]
    return [line for line in out if line.strip()]


def extra_fields(tk: Toolkit) -> tuple[Field, ...]:
    """The blanks the toolkit's template leaves open, as fields the practitioner fills."""
    pronouns = "How the letter refers to the child"
    out = [Field("pronouns", pronouns, "choice", True, options=PRONOUN_CHOICES)]
    choices = authority_choices(tk)
    if choices:
        options = tuple((c, c) for c in choices)
        out.append(Field("sending_authority", "Sending authority", "choice", True, options=options))
    body = " ".join(tk.data["disruption_letter"]["body"])
    if re.search(r"call the Police on x+ ", body):  # only where the toolkit left a blank
        out.append(Field("police_phone", "Police telephone number for the letter", "phone"))
    return tuple(out)
