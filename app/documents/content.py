"""The three documents' content, laid out like each toolkit's own form.

Everything shown about levels (suggested, minimum, final, reasons, next steps, review
date) comes from the rules engine's `AssessmentResult`; nothing is worked out here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from app.documents.layout import Frame, content_width, field_rows, p, render, spacer, table
from app.forms import Field, Toolkit
from app.rules import AssessmentResult, Case, display_values

TICK = "✓"
SIGNATURE_HEIGHT = 34 * mm


class LetterRefused(ValueError):
    """The rules engine says the letter may not be sent; `unmet` lists why."""

    def __init__(self, unmet: list[str]) -> None:
        self.unmet = unmet
        super().__init__("The disruption letter cannot be produced: " + " ".join(unmet))


class SignatureSlot(Flowable):
    """Room for the signature: the typed name, post and date (in the embedded font, so
    any name renders), then the box where pyHanko draws the visible digital signature.
    Records where the box landed so the signer can place it there."""

    TEXT_HEIGHT = 13 * mm

    def __init__(self, where: dict[str, Any]) -> None:
        super().__init__()
        self.where = where

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(avail_width, 95 * mm)
        return self.width, SIGNATURE_HEIGHT

    def draw(self) -> None:
        from app.documents.layout import BOLD, FONT

        box_height = SIGNATURE_HEIGHT - self.TEXT_HEIGHT
        self.canv.setFont(BOLD, 9)
        self.canv.drawString(
            0, SIGNATURE_HEIGHT - 4 * mm, f"Signed by: {self.where.get('name', '')}"
        )
        self.canv.setFont(FONT, 8.5)
        post = self.where.get("post", "")
        when = self.where.get("date", "")
        self.canv.drawString(0, SIGNATURE_HEIGHT - 8.5 * mm, f"{post}   {when}".strip())
        x, y = self.canv.absolutePosition(0, 0)
        self.where.update(
            page=self.canv.getPageNumber(), box=(x, y, x + self.width, y + box_height)
        )


def show(f: Field, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if f.type == "bool":
        return "Yes" if value else "No"
    if f.type == "yes_no":
        return {"yes": "Yes", "no": "No"}.get(value, str(value))
    if f.type == "choice":
        return f.option_label(value) or str(value)
    if f.type == "multichoice":
        return "; ".join(f.option_label(v) or str(v) for v in value)
    if f.type == "table":
        return "\n".join(" | ".join(str(v) for v in row.values()) for row in value)
    return str(value)


def computed(result: AssessmentResult, tk: Toolkit, key: str | None) -> str:
    value = display_values(tk, result).get(key or "")
    return "" if value is None else str(value)


def _fields(
    tk: Toolkit, result: AssessmentResult, fields: tuple[Field, ...], answers: dict[str, Any]
) -> list[tuple[str, str]]:
    rows = []
    for f in fields:
        value = (
            computed(result, tk, f.computed) if f.type == "computed" else show(f, answers.get(f.id))
        )
        rows.append((f.label, value))
    return rows


def _frame(tk: Toolkit, title: str, reference: str, generated: dt.datetime) -> Frame:
    return Frame(tk.title, tk.version, title, reference, generated)


def assessment_pdf(
    tk: Toolkit, case: Case, result: AssessmentResult, reference: str, generated: dt.datetime,
    signature: dict[str, Any],
) -> bytes:  # fmt: skip
    width = content_width()
    story: list[Any] = [p(tk.title, "h1"), p(f"{tk.version} · {tk.partnership}", "small"), spacer()]
    story.append(p("Child / young person's details", "h2"))
    child = dict(case.child)
    rows = [
        (f.label, show(f, child.get(f.id)))
        for f in tk.child_fields
        if not f.monitoring or child.get(f.id) not in (None, "", False)
    ]
    rows.insert(2, ("Assessment date", case.assessment_date.isoformat()))
    story.append(field_rows(rows, width))

    section1 = tk.data["section1"]
    story.append(p(section1["title"], "h2"))
    if section1.get("intro"):
        story.append(p(section1["intro"], "small"))
    labels = section1.get("column_labels", {})
    if tk.marking == "risk_evidenced":
        keys, widths = ["risk", "evidenced"], [width - 30 * mm, 15 * mm, 15 * mm]
    elif tk.marking == "cce_cse_level":
        keys, widths = ["cce", "cse", "level"], [width - 48 * mm, 14 * mm, 14 * mm, 20 * mm]
    else:
        keys, widths = ["ticked", "comment"], [width * 0.5, 12 * mm, width * 0.5 - 12 * mm]
    header = [p("Indicator", "head"), *(p(labels.get(k, k.upper()), "head") for k in keys)]
    rows1: list[list[Any]] = [header]
    for group in tk.section1_groups:
        rows1.append([p(group.title, "head"), *([""] * len(keys))])
        for item in group.items:
            marks = case.section1.get(item.id, {})
            cells = []
            for k in keys:
                value = marks.get(k)
                cells.append(
                    TICK if value is True else ("" if value in (None, False) else str(value))
                )
            text = item.text + "".join(f"\n • {d}" for d in item.detail)
            rows1.append([text, *cells])
    t1 = table(rows1, widths)
    story.append(t1)
    if tk.section1_fields:
        story.append(spacer())
        story.append(
            field_rows(_fields(tk, result, tk.section1_fields, dict(case.analysis)), width)
        )

    section2 = tk.data["section2"]
    story.append(p(section2["title"], "h2"))
    cols = list(tk.section2_columns)
    rows2: list[list[Any]] = [[p("Factor", "head"), *(p(c["label"], "head") for c in cols)]]
    for item in tk.section2_items:
        answers = case.section2.get(item.id, {})
        rows2.append(
            [
                item.text,
                *(
                    TICK if answers.get(c["id"]) is True else str(answers.get(c["id"]) or "")
                    for c in cols
                ),
            ]
        )
    narrow = [c for c in cols if c["type"] == "bool"]
    wide = len(cols) - len(narrow)
    first = width * 0.45
    rest = width - first - 14 * mm * len(narrow)
    widths2 = [first, *(14 * mm if c["type"] == "bool" else rest / max(wide, 1) for c in cols)]
    story.append(table(rows2, widths2))
    if tk.section2_fields:
        story.append(spacer())
        story.append(
            field_rows(_fields(tk, result, tk.section2_fields, dict(case.analysis)), width)
        )

    story.append(p(tk.data["section3"]["title"], "h2"))
    summary = [
        ("Suggested level", computed(result, tk, "suggested_level")),
        ("Minimum level (floor)", computed(result, tk, "minimum_level") or "none"),
        ("Final level", computed(result, tk, "final_level") or "not chosen"),
        ("Counts", ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.counts.items())),
        ("Review due", computed(result, tk, "review_due")),
    ]
    if case.override_reason:
        summary.append(("Protective factors (override)", case.override_reason))
    judgement = case.extras.get("judgement_reason")
    if judgement:
        summary.append(("Professional-judgement rationale", str(judgement)))
    summary.append(("Reasons", "\n".join(f"• {r.text}" for r in result.reasons)))
    if result.warnings:
        summary.append(("Warnings", "\n".join(f"• {w.text}" for w in result.warnings)))
    summary.append(("Next steps", "\n".join(f"• {s}" for s in result.next_steps)))
    story.append(field_rows(summary, width))
    story.append(spacer())
    story.append(field_rows(_fields(tk, result, tk.section3_fields, dict(case.analysis)), width))
    practitioner = dict(case.practitioner)
    story.append(p("Practitioner", "h2"))
    story.append(
        field_rows([(k.capitalize(), str(v or "")) for k, v in practitioner.items()], width)
    )
    story.append(KeepTogether([p("Signature", "h2"), SignatureSlot(signature)]))
    return render(_frame(tk, "Risk assessment", reference, generated), story)


def information_report_pdf(
    tk: Toolkit, case: Case, reference: str, generated: dt.datetime, signature: dict[str, Any]
) -> bytes:
    width = content_width()
    forms = {f["id"]: f for f in tk.data["information_forms"]}
    story: list[Any] = []
    reports = case.extras.get("information_reports", [])
    for n, report in enumerate(reports):
        form = forms[report["form"]]
        if n:
            story.append(PageBreak())
        story.append(p(form["title"], "h1"))
        if form.get("one_per_victim"):
            story.append(p(f"Report {n + 1} of {len(reports)} (one form for each victim)", "small"))
        for notice in form["notices"][:1]:
            story.append(p(notice, "notice"))
        answers = report.get("answers", {})
        for section in form["sections"]:
            story.append(p(section["title"], "h2"))
            for intro in section.get("intro", []):
                story.append(p(intro, "small"))
            fields = tuple(Field.from_dict(f) for f in section["fields"])
            story.append(field_rows([(f.label, show(f, answers.get(f.id))) for f in fields], width))
        story.append(p("Send to", "h2"))
        for recipient in form["recipients"]:
            story.append(p(recipient["text"]))
        for notice in form["notices"][1:]:
            story.append(p(notice, "small"))
    story.append(KeepTogether([p("Signature", "h2"), SignatureSlot(signature)]))
    title = forms[reports[0]["form"]]["title"] if reports else "Information report"
    return render(_frame(tk, title, reference, generated), story)


def letter_pdf(
    tk: Toolkit, case: Case, result: AssessmentResult, reference: str, generated: dt.datetime,
    signature: dict[str, Any],
) -> bytes:  # fmt: skip
    if result.letter is None or not result.letter.eligible:
        unmet = (
            [r.text for r in result.letter.unmet]
            if result.letter
            else ["No letter details are recorded."]
        )
        raise LetterRefused(unmet)
    template = tk.data["disruption_letter"]
    letter = dict(case.extras["letter"])
    authorities = {o["id"]: o["label"] for o in template.get("local_authorities", [])}
    practitioner = dict(case.practitioner)
    values = {
        "perpetrator_name": letter.get("perpetrator_name", ""),
        "perpetrator_address": letter.get("perpetrator_address", ""),
        "child_name": case.child_name,
        "child_dob": "",
        "local_authority": authorities.get(letter.get("local_authority") or "", ""),
        "police_reference": letter.get("police_reference", ""),
        "date": letter.get("date") or generated.date().isoformat(),
        "signer_name": practitioner.get("name") or "",
        "signer_role": practitioner.get("post") or "",
        "contact_details": practitioner.get("phone") or practitioner.get("email") or "",
    }
    story: list[Any] = []
    if values["local_authority"]:
        story.append(p(values["local_authority"], "h2"))
    story += [
        p(values["date"], "body"),
        spacer(),
        p(values["perpetrator_name"], "body"),
        p(values["perpetrator_address"], "body"),
        spacer(),
    ]
    story.append(p(f"Re: {case.child_name}", "head"))
    if values["police_reference"]:
        story.append(p(f"Police reference: {values['police_reference']}", "body"))
    story += [spacer(), p(template.get("salutation", ""), "body"), spacer(2)]
    for paragraph in template["body"]:
        story += [p(paragraph.format(**values), "body"), spacer(2)]
    story += [
        p(template.get("closing", "Yours sincerely,"), "body"),
        SignatureSlot(signature),
        spacer(2),
    ]
    story += [p(values["signer_name"], "head"), p(values["signer_role"], "body")]
    return render(_frame(tk, template["title"], reference, generated), story)


def plans_pdf(
    tk: Toolkit, case: Case, reference: str, generated: dt.datetime, signature: dict[str, Any]
) -> bytes:
    """The disruption options chosen (with lead person and progress) and the support plan."""
    width = content_width()
    story: list[Any] = [p(f"Plans for {case.child_name}", "h1")]
    tool = tk.data["disruption_tool"]
    chosen = case.extras.get("disruption_plan", {})
    if chosen:
        story.append(p(tool["title"], "h2"))
        columns = [c for c in tool["columns"] if c["id"] != "chosen"]
        rows: list[list[Any]] = [
            [p("Aim", "head"), p("Option", "head"), *(p(c["label"], "head") for c in columns)]
        ]
        for aim in tool["aims"]:
            for option in aim["options"]:
                answers = chosen.get(option["id"])
                if answers and answers.get("chosen", True):
                    rows.append(
                        [
                            aim["title"],
                            option["label"],
                            *(str(answers.get(c["id"]) or "") for c in columns),
                        ]
                    )
        rest = (width - width * 0.55) / max(len(columns), 1)
        story.append(table(rows, [width * 0.2, width * 0.35, *([rest] * len(columns))]))
    support = case.extras.get("support_plan")
    if support:
        story.append(p("Support / safety plan", "h2"))
        if support.get("review_date"):
            story.append(p(f"Review date: {support['review_date']}", "body"))
        header = ["Outcome", "Action", "Who By", "Timeframe", "Review"]
        rows2: list[list[Any]] = [[p(h, "head") for h in header]]
        for row in support.get("rows", []):
            rows2.append(
                [
                    str(row.get(k) or "")
                    for k in ("outcome", "action", "who_by", "timeframe", "review")
                ]
            )
        story.append(
            table(rows2, [width * 0.22, width * 0.3, width * 0.16, width * 0.16, width * 0.16])
        )
    story.append(KeepTogether([p("Signature", "h2"), SignatureSlot(signature)]))
    return render(_frame(tk, "Plans", reference, generated), story)
