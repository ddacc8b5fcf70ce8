"""The disruption letter as a letter: letterhead, date, recipient, the toolkit's body with
every placeholder resolved, sign-off.

It goes to someone outside the partnership, so it carries no toolkit name, protective
marking or internal reference (see `letter_frame`). The toolkit's wording is kept; only
the parts its template leaves open are filled from fields the practitioner completes:
the child's pronouns (never "s/he"), the police number (never "xxxxxxxxx") and the
sending authority (never "Derby City Council … /Derbyshire Childrens Services").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from reportlab.platypus import KeepTogether

from app.documents.content import SignatureSlot, letter_frame
from app.documents.layout import long_date, p, render, spacer
from app.forms import Toolkit
from app.rules import AssessmentResult, Case

PRONOUNS = {
    "he": {"s/he": "he", "him/her": "him", "his/her": "his"},
    "she": {"s/he": "she", "him/her": "her", "his/her": "her"},
    "they": {"s/he": "they", "him/her": "them", "his/her": "their"},
}
# "they" takes the plural verb: "If they turn up", "if they refuse".
_THEY_VERBS = {"turns": "turn", "refuses": "refuse", "is": "are", "has": "have", "does": "do"}
_POLICE = re.compile(r"(call the Police on )(.+?)( to report)")
_LEFT_OPEN = re.compile(r"s/he|him/her|his/her|x{4,}|\{|\}|\(name of", re.IGNORECASE)


class LetterRefused(ValueError):
    """The letter may not be sent, or cannot be written yet; `unmet` lists why."""

    def __init__(self, unmet: list[str]) -> None:
        self.unmet = unmet
        super().__init__("The disruption letter cannot be produced: " + " ".join(unmet))


def authority_choices(tk: Toolkit) -> list[str]:
    """The sending authorities the toolkit's letter offers (empty: it names one already)."""
    template = tk.data["disruption_letter"]
    if template.get("local_authorities"):
        return [o["label"] for o in template["local_authorities"]]
    for paragraph in template["body"]:
        m = re.search(r"supported by the (.+?) /(.+?)\. ", paragraph)
        if m:
            return [m.group(1).strip(), m.group(2).strip()]
    return []


def _pronouns(text: str, which: str) -> str:
    forms = PRONOUNS[which]

    def swap(m: re.Match[str]) -> str:
        word = forms[m.group(0).lower()]
        return word[0].upper() + word[1:] if m.group(0)[0].isupper() else word

    text = re.sub(r"s/he|him/her|his/her", swap, text, flags=re.IGNORECASE)
    if which == "they":
        verbs = "|".join(_THEY_VERBS)
        text = re.sub(
            rf"\b([Tt]hey) ({verbs})\b", lambda m: f"{m.group(1)} {_THEY_VERBS[m.group(2)]}", text
        )
    return text


def letter_body(tk: Toolkit, case: Case, letter: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The body paragraphs with every placeholder resolved, and the fields still missing."""
    template = tk.data["disruption_letter"]
    missing: list[str] = []
    which = letter.get("pronouns")
    if which not in PRONOUNS:
        missing.append("How the letter refers to the child (he, she or they)")
    choices = authority_choices(tk)
    labels = {o["id"]: o["label"] for o in template.get("local_authorities", [])}
    authority = (letter.get("sending_authority") or "").strip() or labels.get(
        letter.get("local_authority") or "", ""
    )
    if choices and not authority:
        missing.append(f"Sending authority ({' or '.join(choices)})")
    police = (letter.get("police_phone") or "").strip()
    paragraphs = []
    for raw in template["body"]:
        text = raw.replace("{local_authority}", authority or "{local_authority}")
        text = text.replace("{child_name}", case.child_name)
        if choices and not template.get("local_authorities") and authority:
            text = text.replace(" /".join(choices), authority)
        m = _POLICE.search(text)
        if m:
            printed = m.group(2)  # the toolkit's own number (Derby's 101) stays as printed
            number = police if re.fullmatch(r"x+", printed.strip()) else printed
            if not number or re.fullmatch(r"x+", number.strip()):
                missing.append("Police telephone number for the letter")
            else:
                text = text[: m.start(2)] + number + text[m.end(2) :]
        if which in PRONOUNS:
            text = _pronouns(text, str(which))
        paragraphs.append(text)
    return paragraphs, missing


def letterhead(
    practitioner: Mapping[str, Any], profile: Mapping[str, Any] | None
) -> dict[str, str]:
    """Organisation name, address and telephone: the profile's, else the practitioner's."""
    source = {**dict(practitioner), **{k: v for k, v in (profile or {}).items() if v}}
    return {
        "organisation": str(source.get("organisation") or source.get("agency") or "").strip(),
        "address": str(source.get("address") or "").strip(),
        "telephone": str(source.get("telephone") or source.get("phone") or "").strip(),
    }


def letter_pdf(
    tk: Toolkit, case: Case, result: AssessmentResult, generated: dt.datetime,
    signature: dict[str, Any], profile: Mapping[str, Any] | None = None,
) -> bytes:  # fmt: skip
    """The letter, or LetterRefused naming each unmet condition or each empty field."""
    if result.letter is None or not result.letter.eligible:
        unmet = (
            [r.text for r in result.letter.unmet]
            if result.letter
            else ["No letter details are recorded."]
        )
        raise LetterRefused(unmet)
    letter = dict(case.extras["letter"])
    signature["compact"] = True
    practitioner = dict(case.practitioner)
    head = letterhead(practitioner, profile)
    body, missing = letter_body(tk, case, letter)
    needed = {
        "Recipient's name": letter.get("perpetrator_name"),
        "Recipient's address": letter.get("perpetrator_address"),
        "Organisation name (letterhead)": head["organisation"],
        "Organisation address (letterhead)": head["address"],
        "Organisation telephone (letterhead)": head["telephone"],
        "Your name": signature.get("name"),
        "Your post": signature.get("post"),
    }
    missing = [label for label, value in needed.items() if not str(value or "").strip()] + missing
    if missing:
        raise LetterRefused(["Please fill in: " + "; ".join(missing) + "."])
    left_open = [m.group(0) for text in body for m in [_LEFT_OPEN.search(text)] if m]
    if left_open:  # a template this code does not know how to fill: never print it half-done
        raise LetterRefused([f"The letter template still has unfilled text ({left_open[0]})."])
    template = tk.data["disruption_letter"]
    story: list[Any] = [
        p(head["organisation"], "h1"),
        p(head["address"], "body"),
        p(f"Telephone: {head['telephone']}", "body"),
        spacer(8),
        p(long_date(letter.get("date") or generated.date()), "body"),
        spacer(5),
        p(letter["perpetrator_name"], "body"),
        p(letter["perpetrator_address"], "body"),
        spacer(8),
        p(f"Re: {case.child_name}", "head"),
    ]
    if letter.get("police_reference"):
        story.append(p(f"Police reference: {letter['police_reference']}", "body"))
    story += [spacer(), p(template.get("salutation", ""), "body"), spacer(2)]
    for paragraph in body:
        story += [p(paragraph, "body"), spacer(2)]
    story.append(
        KeepTogether(
            [
                p(template.get("closing", "Yours sincerely,"), "body"),
                spacer(2),
                SignatureSlot(signature),
                spacer(2),
                p(signature["name"], "head"),  # who signs: the person sending it
                p(signature["post"], "body"),
                p(head["organisation"], "body"),
            ]
        )
    )
    return render(letter_frame(head["organisation"]), story)
