"""The disruption letter's checks and wording, shared by the letter window and completion.

Eligibility is app.rules.letter's. The wording comes from the documents library's letter
(`app.documents.letter`: pronouns, police number, sending authority, letterhead), so the
preview and the completion gate say exactly what the PDF will print.

The Head of Service agreement may be a manager's countersignature of the letter's
authorisation record: `judge` says of each one imported into the vault whether it still
counts (the facts it approved are the letter's facts now), and the rules decide from that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from app.casework.documents import visible
from app.forms import Field, Toolkit
from app.rules.casefile import LETTER_LABELS, Case
from app.rules.letter import check_letter
from app.rules.results import LetterApproval, LetterCheck, Problem, Reason

# The letter's own blanks the documents library fills.
EXTRA_KEYS = ("pronouns", "police_phone", "sending_authority")
PRONOUN_CHOICES = (
    ("he", "he / him / his"),
    ("she", "she / her / her"),
    ("they", "they / them / their"),
)


# the document kind that keeps what an exported authorisation record attested, so that a
# countersignature of it coming back is judged against the letter's facts now
AUTHORISATION_RECORD = "letter_authorisation"
# what the agreement is not about: the letter's date (it is dated the day it is sent) and
# the agreement itself
NOT_AGREED_FACTS = ("date", "head_of_service_agreement", "head_of_service_name",
                    "head_of_service_date")  # fmt: skip


@dataclass(frozen=True)
class Countersignature:
    """A manager's approval of an exported authorisation record, as the vault holds it."""

    signer: str
    post: str
    time: str | None
    fingerprint: str
    own: bool  # this vault's own certificate: the practitioner, not a manager
    trusted: bool  # a colleague whose certificate the vault keeps now
    exported: str  # when the record it approved was exported
    letter_id: int | None  # the letter whose record it was
    facts: Mapping[str, Any] = field(default_factory=dict)
    # an authorisation record exported before the vault kept what each one attested
    unmatched: bool = False
    # how it came when it arrived with a handed-over case, in words ("received with the
    # handover from …"); "" when this vault recorded it from the countersigned copy
    received: str = ""
    # received with a handover without its countersigned copy, so not checked here: only
    # the sender's word that the manager countersigned
    unchecked: bool = False


def agreement_facts(assessment: Mapping[str, Any], letter: Mapping[str, Any]) -> dict[str, Any]:
    """What a manager agrees to when countersigning the authorisation record: the child and
    everything recorded for the letter except its date and the agreement itself."""
    child = dict(assessment.get("child") or {})
    facts: dict[str, Any] = {
        "child.name": child.get("name"), "child.date_of_birth": child.get("date_of_birth"),
    }  # fmt: skip
    for key, value in letter.items():
        if key not in NOT_AGREED_FACTS and value not in (None, "", []):
            facts[key] = value
    return facts


def _fact_label(tk: Toolkit, key: str) -> str:
    labels = {f.id: visible(f.label) for f in (*letter_fields(tk), *extra_fields(tk))}
    labels |= {"child.name": "the child's name", "child.date_of_birth": "the child's date of birth"}
    return labels.get(key) or LETTER_LABELS.get(key) or key.replace("_", " ")


def judge(
    tk: Toolkit,
    countersignatures: Sequence[Countersignature],
    assessment: Mapping[str, Any],
    letter: Mapping[str, Any],
    document_id: int | None = None,
) -> tuple[LetterApproval, ...]:
    """Each countersignature with why it does not count, if it does not: the practitioner's
    own, a signer no longer trusted, another letter's record, or facts changed since.

    One that came with a handed-over case counts like one recorded here when its
    countersigned copy came with it and was verified in this vault, and its signer is
    trusted here too; it says how it came. One that came without its copy does not count:
    the sender's signed word alone is not the manager's countersignature."""
    now = agreement_facts(assessment, letter)
    out = []
    for c in countersignatures:
        problem = ""
        came = f" ({c.received})" if c.received else ""
        if c.own and c.received:
            problem = (
                f"it is your own countersignature, given before the case was handed to you{came}"
                ": the letter is now yours to send, so another manager must agree it"
            )
        elif c.own:
            problem = "it is the practitioner's own signature, not a manager's"
        elif not c.trusted:
            problem = "the signer's certificate is not among this vault's trusted colleagues"
            if c.received:
                problem += f"{came}: add their certificate if you know it is theirs"
        elif c.received and c.unchecked:
            problem = (
                f"only the handover's sender vouches for it{came}: export the record again "
                "for agreement"
            )
        elif c.unmatched:
            problem = (
                "the vault does not hold what the record it approved said (it was exported by "
                "an earlier version of the app): export the record again for agreement"
            )
        elif document_id is not None and c.letter_id not in (None, document_id):
            problem = "it approved the authorisation record of another letter of this case"
        else:
            changed = [
                _fact_label(tk, k)
                for k in sorted(set(c.facts) | set(now))
                if c.facts.get(k) != now.get(k)
            ]
            if changed:
                when = f" exported on {uk_date(c.exported[:10])}" if c.exported else ""
                problem = (
                    f"it approved the authorisation record{when}, and since then "
                    f"{', '.join(changed)} changed: export the record again for agreement"
                )
        out.append(LetterApproval(c.signer, c.post, c.time, c.fingerprint, problem, c.received))
    return tuple(out)


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
    tk: Toolkit,
    assessment: Mapping[str, Any],
    letter: Mapping[str, Any],
    approvals: Sequence[LetterApproval] = (),
) -> LetterCheck:
    """The toolkit's eligibility conditions for this child on the letter's date; `approvals`
    are the countersignatures of its authorisation record, judged (see `judge`)."""
    case = _case(tk, assessment, letter)
    if case is None:
        reason = Reason(
            "letter.dates",
            "The child's date of birth (in the assessment) and the letter date must be "
            "real dates before the letter can be checked.",
        )
        return LetterCheck(eligible=False, unmet=(reason,), met=())
    return check_letter(tk, case, approvals)


def letter_problems(
    tk: Toolkit,
    assessment: Mapping[str, Any],
    letter: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
    approvals: Sequence[LetterApproval] = (),
) -> list[Problem]:
    """Unmet conditions first (the letter cannot be produced), then empty letter fields."""
    check = letter_check(tk, assessment, letter, approvals)
    problems = [Problem(r.code, r.text, "condition") for r in check.unmet]
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
