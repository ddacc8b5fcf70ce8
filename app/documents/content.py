"""The assessment and plans, laid out like each toolkit's own form, and the signature
block every document ends with (reports: `reports.py`; the letter: `letter.py`).

Everything shown about levels (suggested, minimum, final, reasons, next steps, review
date) comes from the rules engine's `AssessmentResult`; nothing is worked out here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.documents.layout import (
    MARKING,
    Frame,
    RowsBeforeNote,
    content_width,
    field_rows,
    head_width,
    long_date,
    note_below,
    p,
    render,
    spacer,
    styles,
    table,
    uk_dates,
)
from app.forms import Field, Toolkit
from app.rules import AssessmentResult, Case, display_values, summary_checklist

TICK = "✓"

# "See pages 12 and 13", "(see Appendix 2)": the toolkit's pages, which a PDF does not
# have. The words stay as the toolkit has them; "of the toolkit" is added, and the toolkit
# is named at the top of every page.
_TOOLKIT_PLACE = re.compile(
    r"\b([Ss]ee (?:pages? \d+(?:\s*(?:and|to|-|–)\s*\d+)?|[Aa]ppendix \d+))(?! of\b)"
)


def in_the_toolkit(text: str) -> str:
    """A pointer to the toolkit's own pages or appendices, said to be the toolkit's."""
    return _TOOLKIT_PLACE.sub(r"\1 of the toolkit", text)


def fingerprint_line(where: dict[str, Any], width: float) -> Paragraph:
    """The fingerprint on one unbroken line: a recipient compares it character by
    character, so it shrinks to fit the slot rather than wrapping (a wrap inside the hex
    would depend on which letters a given key happens to have)."""
    text = str(where.get("fingerprint", ""))
    style = styles()["tiny"]
    size = style.fontSize
    while size > 4 and stringWidth(text, style.fontName, size) > width:
        size -= 0.25
    fitted = ParagraphStyle("fingerprint", parent=style, fontSize=size, leading=size + 1.5)
    return Paragraph(escape(text), fitted)


class SignatureSlot(Flowable):
    """The signature block: the typed name and post, then a bordered box saying who signed
    with which certificate (the words a validator will confirm), then the certificate's
    fingerprint in small type so a recipient can check it. Everything is printed in the
    embedded font and wraps, so any name or post fits. Records where the box landed so
    the signer puts the signature field over it."""

    def __init__(self, where: dict[str, Any]) -> None:
        super().__init__()
        self.where = where

    def _parts(self, width: float) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
        w = self.where
        when = w.get("date", "")
        top = [p(f"Signed by: {w.get('name', '')}", "head")]
        if w.get("post"):
            top.append(p(w["post"]))
        top.append(p(f"Date: {when}"))
        if w.get("compact"):  # a letter signs off with name and post below the box
            top = []
        issuer = w.get("issuer") or w.get("signer") or ""
        issued = (
            "self-signed: check its fingerprint below"
            if w.get("self_signed")
            else f"issued by {issuer}"
        )
        inside = [
            p(f"Digitally signed by {w.get('signer') or w.get('name', '')}", "head"),
            p(f"(certificate {issued})", "small"),
            p(f"Signed {w.get('signed_at', when)} (laptop clock)", "small"),
        ]
        if w.get("draft"):
            inside.append(p("DRAFT: not completed; not a final document", "head"))
        below = [p("Certificate SHA-256 fingerprint:", "tiny"), fingerprint_line(w, width)]
        return top, inside, below

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(avail_width, 120 * mm)
        self.heights = [
            sum(x.wrap(self.width - (8 if n == 1 else 0), avail_height)[1] for x in part)
            for n, part in enumerate(self._parts(self.width))
        ]
        gap = 3 if self.heights[0] else 0
        self.height = self.heights[0] + gap + self.heights[1] + 8 + self.heights[2] + 3
        return self.width, self.height

    def draw(self) -> None:
        top, inside, below = self._parts(self.width)
        y = self.height
        for para in top:
            _w, h = para.wrap(self.width, y)
            y -= h
            para.drawOn(self.canv, 0, y)
        y -= 3 if top else 0
        box_top = y
        y -= 4
        for para in inside:
            _w, h = para.wrap(self.width - 8, y)
            y -= h
            para.drawOn(self.canv, 4, y)
        y -= 4
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, y, self.width, box_top - y)
        box_bottom = y
        y -= 2
        for para in below:
            _w, h = para.wrap(self.width, y)
            y -= h
            para.drawOn(self.canv, 0, y)
        x0, y0 = self.canv.absolutePosition(0, box_bottom)
        x1, y1 = self.canv.absolutePosition(self.width, box_top)
        self.where.update(page=self.canv.getPageNumber(), box=(x0, y0, x1, y1))


def signature_block(story: list[Any], slot: dict[str, Any], heading: str = "Signature") -> None:
    """Append the signature, kept on one page with the flowable before it, so no page ever
    holds only a signature block."""
    tail = [story.pop()] if story else []
    while story and isinstance(story[-1], Paragraph) and story[-1].style.name in ("h1", "h2"):
        tail.insert(0, story.pop())  # the heading of the last block comes along
    block = (
        [*tail, p(heading, "h2"), SignatureSlot(slot)] if heading else [*tail, SignatureSlot(slot)]
    )
    story.append(KeepTogether(block))


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
    if f.type in ("date", "datetime") and isinstance(value, str):
        return uk_dates(value)  # only a date field's value is reformatted
    if f.type == "table":  # each cell with its column's name: "a | b | c" says nothing
        names = {str(c["id"]): str(c.get("label") or c["id"]) for c in f.columns}
        return "\n\n".join(
            "\n".join(f"{names.get(k, k)}: {v}" for k, v in row.items() if v not in (None, ""))
            for row in value
        )
    return str(value)


def computed(result: AssessmentResult, tk: Toolkit, key: str | None) -> str:
    if key == "review_due" and result.review_due:
        return long_date(result.review_due)  # printed dates read in words
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


def internal_frame(
    tk: Toolkit, title: str, reference: str, generated: dt.datetime, draft: bool = False
) -> Frame:
    """The internal documents' frame: toolkit, marking, reference on every page."""
    return Frame(
        draft=draft,
        header=(tk.title, f"{tk.version} · {title}"),
        footer=f"Generated {long_date(generated.date())} {generated:%H:%M} · Reference {reference}",
        title=f"{'DRAFT: ' if draft else ''}{title} ({reference})",
        subject=MARKING,
        author="CRE Toolkit",
    )


def letter_frame(author: str) -> Frame:
    """A letter leaves the partnership: no toolkit, marking or reference, in print or metadata."""
    return Frame(header=(), footer="", title="Letter", author=author, marking=None)


NOTE_IN_CELL = 300  # characters: a longer note or comment is printed below its row


def indicator_tables(
    tk: Toolkit, case: Case, keys: list[str], heads: list[str], widths: list[float]
) -> list[Flowable]:
    """Section 1 as one table, broken after each row with a long note (or, in the
    toolkits with a comments column, a long comment): it follows that row as indented
    paragraphs headed "Note on <indicator>", and the rows after it go on under the
    column headings again (the ticks mean nothing without them)."""
    out: list[Flowable] = []
    header = [p(h, "head") for h in heads]  # one set, shared as repeated header rows are
    rows: list[list[Any]] = [header]
    titles: list[int] = []  # a group's title stays with its first indicator
    for group in tk.section1_groups:
        titles.append(len(rows))
        rows.append([p(group.title, "head"), *([""] * len(keys))])
        for item in group.items:
            marks = case.section1.get(item.id, {})
            below: list[tuple[str, str]] = []
            cells = []
            for k in keys:
                value = marks.get(k)
                text = TICK if value is True else ("" if value in (None, False) else str(value))
                if k == "comment" and len(text) > NOTE_IN_CELL:
                    below.append((f"Comment on “{item.text}”", text))
                    text = "See below"
                cells.append(text)
            wording = item.text + "".join(f"\n • {d}" for d in item.detail)
            note = str(marks.get("note") or "")
            if len(note) > NOTE_IN_CELL:
                below.append((f"Note on “{item.text}”", note))
                wording += "\nNote: see below"
            elif note:  # e.g. the 2020 "Other" expanded
                wording += f"\nNote: {note}"
            rows.append([wording, *cells])
            if below:
                out.append(RowsBeforeNote(table(rows, widths, keep_with_next=titles)))
                for heading, text in below:
                    out.extend(note_below(heading, text))
                rows, titles = [header], []
    if len(rows) > 1 or not out:
        out.append(table(rows, widths, keep_with_next=titles))
    return out


def assessment_pdf(
    tk: Toolkit, case: Case, result: AssessmentResult, reference: str, generated: dt.datetime,
    signature: dict[str, Any], draft: bool = False,
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
    rows.insert(2, ("Assessment date", long_date(case.assessment_date)))
    story.extend(field_rows(rows, width))

    section1 = tk.data["section1"]
    story.append(p(section1["title"], "h2"))
    if section1.get("intro"):
        story.append(p(section1["intro"], "small"))
    labels = section1.get("column_labels", {})
    if tk.marking == "risk_evidenced":
        keys = ["risk", "evidenced"]
    elif tk.marking == "cce_cse_level":
        keys = ["cce", "cse", "level"]
    else:
        keys = ["ticked", "comment"]
    heads = [labels.get(k, k.upper()) for k in keys]
    if tk.marking == "tick_comment":
        tick = head_width(heads[0], 12 * mm)
        widths = [width * 0.5, tick, width * 0.5 - tick]
    else:
        narrow = [head_width(h) for h in heads]
        widths = [width - sum(narrow), *narrow]
    story.extend(indicator_tables(tk, case, keys, ["Indicator", *heads], widths))
    if tk.section1_fields:
        story.append(spacer())
        story.extend(
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
    bools = {c["id"]: head_width(c["label"]) for c in cols if c["type"] == "bool"}
    wide = len(cols) - len(bools)
    first = width * 0.45 if wide else width - sum(bools.values())
    rest = width - first - sum(bools.values())
    widths2 = [first, *(bools.get(c["id"]) or rest / max(wide, 1) for c in cols)]
    story.append(table(rows2, widths2))
    if tk.section2_fields:
        story.append(spacer())
        story.extend(
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
    if result.level_description:
        summary.append(("The toolkit on this level", "\n\n".join(result.level_description)))
    steps = (in_the_toolkit(s) for s in result.next_steps)
    summary.append(("Next steps", "\n".join(f"• {s}" for s in steps)))
    story.extend(field_rows(summary, width))
    story.append(spacer())
    checklist = summary_checklist(tk, case.section1)  # Portsmouth's Step 4 list, as printed
    if checklist:
        tick_width = head_width(TICK)
        rows3: list[list[Any]] = []
        titles = []
        for title, entries in checklist:
            titles.append(len(rows3))
            rows3.append([p(title, "head"), p(TICK, "head")])
            rows3 += [[text, TICK if ticked else ""] for text, ticked in entries]
        story.append(table(rows3, [width - tick_width, tick_width], 0, keep_with_next=titles))
        story.append(spacer())
    story.extend(field_rows(_fields(tk, result, tk.section3_fields, dict(case.analysis)), width))
    practitioner = dict(case.practitioner)
    story.append(p("Assessment completed by", "h2"))  # may differ from who signs below
    story.extend(
        field_rows([(k.capitalize(), str(v or "")) for k, v in practitioner.items()], width)
    )
    signature_block(story, signature)
    return render(internal_frame(tk, "Risk assessment", reference, generated, draft), story)


def strategies_story(strategies: Mapping[str, Any]) -> list[Any]:
    """A toolkit's intervention strategies: title, each lead-in and its bullet list."""
    story: list[Any] = [p(strategies["title"], "h2")]
    for block in strategies["blocks"]:
        if block.get("text"):
            story.append(p(block["text"], "head"))
        story.extend(p(f"• {item}", "body") for item in block["items"])
    return story


def plans_pdf(
    tk: Toolkit, case: Case, reference: str, generated: dt.datetime, signature: dict[str, Any],
    draft: bool = False,
) -> bytes:  # fmt: skip
    """The disruption options chosen (with lead person and progress) and the support plan."""
    width = content_width()
    story: list[Any] = [p(f"Plans for {case.child_name}", "h1")]
    tool = tk.data["disruption_tool"]
    chosen = case.extras.get("disruption_plan", {})
    strategies = tk.intervention_strategies
    if strategies:  # the list the options are read beside, first as in every toolkit
        story.extend(strategies_story(strategies))
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
                            in_the_toolkit(option["label"]),
                            *(str(answers.get(c["id"]) or "") for c in columns),
                        ]
                    )
        rest = (width - width * 0.55) / max(len(columns), 1)
        story.append(table(rows, [width * 0.2, width * 0.35, *([rest] * len(columns))]))
    support = case.extras.get("support_plan")
    if support:  # heading, date and table move as one, so none is left alone on a page
        block: list[Any] = [p("Support / safety plan", "h2")]
        if support.get("review_date"):
            block.append(p(f"Review date: {long_date(support['review_date'])}", "body"))
        header = ["Outcome", "Action", "Who By", "Timeframe", "Review"]
        rows2: list[list[Any]] = [[p(h, "head") for h in header]]
        for row in support.get("rows", []):
            rows2.append(
                [
                    str(row.get(k) or "")
                    for k in ("outcome", "action", "who_by", "timeframe", "review")
                ]
            )
        block.append(
            table(rows2, [width * 0.22, width * 0.3, width * 0.16, width * 0.16, width * 0.16])
        )
        story.append(KeepTogether(block))
    signature_block(story, signature)
    return render(internal_frame(tk, "Plans", reference, generated, draft), story)
