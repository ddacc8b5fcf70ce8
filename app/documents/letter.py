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


# Words that tell the letter's recipient what it is about: the letter must not say them
# anywhere the template does not (letterhead, agency, post, address, name).
DISCLOSES = re.compile(
    r"exploit\w*|\bCSE\b|\bCCE\b|\bCRE\b|\bCSEP\b|\bSERAC\b|\bMASE\b|sexual\w*|"
    r"groom\w*|traffick\w*|county lines|risk assessment|toolkit|operation liberty|"
    r"missing,? exploited",
    re.IGNORECASE,
)
# Words an authority's name shares with many others ("Council", "Services"): they do not
# tell one authority from another.
_COMMON = {
    "the", "of", "and", "council", "city", "county", "borough", "district", "services",
    "service", "children", "childrens", "children's", "people's", "peoples", "social",
    "care", "early", "help", "safeguarding", "team", "local", "authority",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z']+", text.lower()) if w not in _COMMON and len(w) > 2}


def disclosures(tk: Toolkit, printed: Mapping[str, str]) -> list[str]:
    """Each printed part of the letter outside the template (letterhead, agency, post)
    that says what the letter is about, in words a practitioner can act on."""
    out = []
    title = re.compile(re.escape(tk.title), re.IGNORECASE)
    for label, text in printed.items():
        found = DISCLOSES.search(text or "") or title.search(text or "")
        if found:
            out.append(
                f"{label} (“{text}”) says “{found.group(0)}”: the recipient would learn "
                "what the letter is about. Change it in Profile and settings (for your post, "
                "fill “Post shown on letters”)."
            )
    return out


def authority_conflict(tk: Toolkit, organisation: str, authority: str) -> str | None:
    """The letterhead names another of the toolkit's authorities than the one sending
    the letter: it would come from one council and speak for another."""
    if not organisation or not authority:
        return None
    template = tk.data["disruption_letter"]
    names = [o["label"] for o in template.get("local_authorities", ())] or authority_choices(tk)
    head, own = _words(organisation), _words(authority)
    for other in names:
        theirs = _words(other) - own
        if theirs and theirs <= head and not (own & head):
            return (
                f"The letterhead (“{organisation}”) names {other}, but the letter is sent by "
                f"{authority}: make them the same authority."
            )
    return None


def salutation(tk: Toolkit, letter: Mapping[str, Any]) -> str:
    """To a named person, "Dear <name>," (then "Yours sincerely"); the toolkit's own
    greeting only when the letter names no one."""
    name = str(letter.get("perpetrator_name") or "").strip()
    return f"Dear {name}," if name else str(tk.data["disruption_letter"].get("salutation", ""))


def sending_authority(tk: Toolkit, letter: Mapping[str, Any]) -> str:
    template = tk.data["disruption_letter"]
    labels = {o["id"]: o["label"] for o in template.get("local_authorities", [])}
    return (letter.get("sending_authority") or "").strip() or labels.get(
        letter.get("local_authority") or "", ""
    )


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

    # "s/he and their family": the family is the child's, so it agrees with the child
    text = re.sub(r"(s/he and )their\b", r"\1his/her", text, flags=re.IGNORECASE)
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
    authority = sending_authority(tk, letter)
    if choices and not authority:
        missing.append(f"Sending authority ({' or '.join(choices)})")
    police = (letter.get("police_phone") or "").strip()
    paragraphs = []
    for raw in template["body"]:
        # unchosen, the preview reads "[sending authority]"; completing requires a choice
        text = raw.replace("{local_authority}", authority or "[sending authority]")
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


def printed_parts(head: Mapping[str, str], signature: Mapping[str, Any]) -> dict[str, str]:
    """What the letter prints beyond the template, by the name the practitioner knows it by."""
    return {
        "The letterhead's organisation": head.get("organisation", ""),
        "The letterhead's address": head.get("address", ""),
        "Your name": str(signature.get("name") or ""),
        "Your post as printed on letters": str(signature.get("post") or ""),
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
    on_letters = str((profile or {}).get("post_on_letters") or "").strip()
    if on_letters:  # a post that does not say what the letter is about
        signature["post"] = on_letters
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
    flagged = disclosures(tk, printed_parts(head, signature))
    conflict = authority_conflict(tk, head["organisation"], sending_authority(tk, letter))
    if flagged or conflict:
        raise LetterRefused([*flagged, *([conflict] if conflict else [])])
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
    story += [spacer(), p(salutation(tk, letter), "body"), spacer(2)]
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
