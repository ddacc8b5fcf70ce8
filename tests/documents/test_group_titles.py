"""A group's title is never left alone at a page foot: in Section 1 (Portsmouth's "High
Risk" with its long lead-in) and in Portsmouth's Step 4 checklist, the title and the
group's first row are on one page, wherever the table happens to break."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.documents.export import export_case
from app.documents.layout import Frame, content_width, p, render, table
from app.documents.signing import Identity
from app.forms import Registry
from app.rules import parse_case, summary_checklist
from tests.documents.test_documents import full_case


def page_texts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def together(pages: list[str], title: str, first_row: str) -> bool:
    """The title's page also holds the first row (read back from the PDF)."""
    title, first_row = " ".join(title.split()), " ".join(first_row.split())
    return any(title in page and first_row in page for page in pages)


def groups_table(
    header_rows: int, long_first: bool = False
) -> tuple[list[list[object]], list[int]]:
    rows: list[list[object]] = [["Indicator", "Tick"]] if header_rows else []
    titles = []
    for g in range(3):
        titles.append(len(rows))
        rows.append([p(f"Group {g} title: any of the above and ONE or more", "head"), p("✓")])
        first = ("Long answer words " * 600) if long_first and g == 1 else f"Row {g}.0"
        rows.append([f"{first} first", ""])
        rows += [[f"Row {g}.{i}", ""] for i in range(1, 12)]
    return rows, titles


@pytest.mark.parametrize("header_rows", [0, 1])
def test_a_title_and_its_first_row_share_a_page_wherever_the_table_breaks(
    header_rows: int,
) -> None:
    width = content_width()
    rows, titles = groups_table(header_rows)
    for offset in range(150, 244, 3):  # millimetres of other content above the table
        story = [Spacer(1, offset * mm), table(rows, [width - 20 * mm, 20 * mm], header_rows,
                                               keep_with_next=titles)]  # fmt: skip
        pages = page_texts(render(Frame(header=("Test",), footer="Test", title="Test"), story))
        for g in range(3):
            assert together(pages, f"Group {g} title", f"Row {g}.0 first"), (offset, g)


def test_a_long_first_row_still_starts_under_its_title_and_flows_on() -> None:
    width = content_width()
    rows, titles = groups_table(1, long_first=True)
    for offset in range(120, 240, 20):
        story = [Spacer(1, offset * mm), table(rows, [width - 20 * mm, 20 * mm], 1,
                                               keep_with_next=titles)]  # fmt: skip
        pages = page_texts(render(Frame(header=("Test",), footer="Test", title="Test"), story))
        assert together(pages, "Group 1 title", "Long answer words"), offset
        assert sum("Long answer words" in page for page in pages) >= 2  # it flowed on
        assert "first" in " ".join(pages)


def test_portsmouth_titles_stay_with_their_first_rows(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    tk = registry.get("portsmouth-cse-2016")
    data = full_case(registry, tk.id)
    result = export_case(data, registry, tmp_path, identity)
    assessment = next(d for d in result.documents if d.kind == "assessment")
    pages = page_texts(assessment.path.read_bytes())
    for group in tk.section1_groups:
        assert together(pages, group.title[:60], group.items[0].text), group.title
    checklist = summary_checklist(tk, parse_case(data, registry).section1)
    assert checklist, "Portsmouth's Step 4 checklist"
    for title, entries in checklist:
        assert together(pages, title, entries[0][0]), title
    text = " ".join(pages)
    assert all(" ".join(entry.split()) in text for _, items in checklist for entry, _ in items)
