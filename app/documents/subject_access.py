"""The subject access PDF: everything held about one child, readable by the child or family.

The content is gathered by `app.casework.sar`; this module only lays it out: a summary
of what is included, each section with its items as label/value rows, what was left out
and why, and the practitioner's signature box (signed by `app.documents.signing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from reportlab.platypus import KeepTogether

from app.documents.content import signature_block
from app.documents.layout import Frame, content_width, field_rows, p, render, spacer, table

Rows = Sequence[tuple[str, str]]


class _Block(Protocol):
    heading: str
    rows: list[tuple[str, str]]


class _Request(Protocol):
    case_id: int
    child_name: str
    toolkit: str
    generated: dt.datetime
    sections: list[tuple[str, list[Any]]]
    withheld: list[tuple[str, str]]


def sar_pdf(sar: _Request, slot: dict[str, Any]) -> bytes:
    width = content_width()
    name = sar.child_name or "the child"
    story: list[Any] = [
        p(f"Subject access: everything held about {name}", "h1"),
        p(
            f"Case {sar.case_id} · {sar.toolkit} · produced {sar.generated:%d %B %Y %H:%M} "
            "from the practitioner's encrypted vault",
            "small",
        ),
        spacer(),
        p("What this document contains", "h2"),
    ]
    summary = [[p("Part", "head"), p("Items", "head")]]
    summary += [[section, str(len(blocks))] for section, blocks in sar.sections]
    summary.append(["Left out (see the last part)", str(len(sar.withheld))])
    story.append(table(summary, [width * 0.7, width * 0.3]))
    for section, blocks in sar.sections:
        story.append(p(section, "h2"))
        if not blocks:
            story.append(p("None held.", "cell"))
        for block in blocks:
            story.append(p(block.heading, "head"))
            story.extend(field_rows(list(block.rows) or [("", "(empty)")], width))
            story.append(spacer(2))
    withheld = [[p("Left out", "head"), p("Why", "head")]]
    withheld += [[what, why] for what, why in sar.withheld]
    story.append(
        KeepTogether(  # the heading never stands alone at a page foot
            [
                p("What was left out and why", "h2"),
                p(
                    "Review these before release: another person's details may be withheld "
                    "only where the law allows; record the decision.",
                    "small",
                ),
                table(withheld, [width * 0.4, width * 0.6]),
            ]
        )
    )
    signature_block(story, slot)
    frame = Frame(
        header=("Subject access export", f"Case {sar.case_id}"),
        footer=f"Produced {sar.generated:%d %B %Y %H:%M} · case {sar.case_id}",
        title=f"Subject access export, case {sar.case_id}",
        subject="OFFICIAL-SENSITIVE",
        author="CRE Toolkit",
    )
    return render(frame, story)
