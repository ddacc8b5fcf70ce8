"""The information-sharing forms (Operation Liberty, CPI/1, CSEP, Police Information
Request): one PDF per form per victim, as each toolkit asks ("one form for each victim")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.documents.content import computed, internal_frame, show, signature_block
from app.documents.layout import DAMAGED_ADDRESS, content_width, field_rows, p, render, spacer
from app.forms import Field, Toolkit
from app.rules import AssessmentResult, Case
from app.rules.victim import is_victim_level, per_victim_form, victim_level


def send_to(recipient: dict[str, Any]) -> str:
    """A recipient line as the toolkit words it, without a damaged address."""
    text = str(recipient["text"])
    if DAMAGED_ADDRESS.search(text):
        text = DAMAGED_ADDRESS.sub(
            f"the {recipient['name']} (ask your police contact for its address).", text
        )
    return text


def report_kind(form: dict[str, Any]) -> str:
    """The file-name kind: information-report, or information-request for a request form."""
    return "information-request" if form.get("purpose") == "request" else "information-report"


def information_report_pdf(
    tk: Toolkit, case: Case, result: AssessmentResult, report: dict[str, Any], number: int,
    of: int, reference: str, generated: dt.datetime, signature: dict[str, Any],
    draft: bool = False,
) -> bytes:  # fmt: skip
    """One completed form: every recorded answer, computed fields filled from the
    assessment (e.g. the CSEP "Level of risk identified"), its notices and where to send it."""
    width = content_width()
    raw_form = next(f for f in tk.data["information_forms"] if f["id"] == report["form"])
    own_level = {  # this victim's own level, never the assessed child's
        f["id"] for s in raw_form["sections"] for f in s["fields"] if is_victim_level(raw_form, f)
    }
    form = per_victim_form(tk, raw_form)
    answers = report.get("answers", {})
    final = result.final_level.value if result.final_level else None
    story: list[Any] = [p(form["title"], "h1")]
    if of > 1:
        each = " (one form for each victim)" if form.get("one_per_victim") else ""
        story.append(p(f"Form {number} of {of}{each}", "small"))
    for notice in form["notices"][:1]:
        story.append(p(notice, "notice"))
    for section in form["sections"]:
        story.append(p(section["title"], "h2"))
        for intro in section.get("intro", []):
            story.append(p(intro, "small"))
        fields = tuple(Field.from_dict(f) for f in section["fields"])
        if section.get("answered_by"):  # the recipient's part: a blank for them, never ours
            story += [
                spacer(2),
                p(f"For the {section['answered_by']} to complete.", "head"),
                spacer(1),
            ]
            story.extend(field_rows([(f.label, "") for f in fields], width))
            continue
        rows: list[tuple[str, str]] = []
        for f in fields:
            if f.subheading:  # the form's own subheadings (CSEP: "Mobile Phone Activity")
                story.extend(field_rows(rows, width))
                story += [spacer(2), p(f.subheading, "head"), spacer(1)]
                rows = []
            if f.id in own_level:
                value = victim_level(tk, f.id, answers, case.child, final, generated.date()).text
            elif f.type == "computed":
                value = computed(result, tk, f.computed)
            else:
                value = show(f, answers.get(f.id))
            rows.append((f.label, value))
        story.extend(field_rows(rows, width))
        copies = report.get("more", {}).get(section["id"], [])
        for n, copy in enumerate(copies, 2):  # the copies the form asks for, each in full
            story.append(p(f"{section['title']} ({n} of {len(copies) + 1})", "h2"))
            story.extend(field_rows([(f.label, show(f, copy.get(f.id))) for f in fields], width))
    story.append(p("Send to", "h2"))
    for recipient in form["recipients"]:
        story.append(p(send_to(recipient)))
    for notice in form["notices"][1:]:
        story.append(p(notice, "small"))
    signature_block(story, signature)
    return render(internal_frame(tk, form["title"], reference, generated, draft), story)
