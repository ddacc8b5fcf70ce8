"""Free text of any length is printed whole, flowing across pages (no LayoutError)."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.export import export_case
from app.documents.signing import Identity
from app.forms import Registry
from tests.cli.test_vault_cli import cli
from tests.documents.test_documents import full_case, written


def long_answer(length: int = 50_000, seed: int = 7) -> str:
    """Fictional prose with paragraphs and one unbroken 300-character token."""
    rng = random.Random(seed)
    words = ["fictional", "meeting", "reported", "the", "team", "noted", "concern", "visit"]
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < length:
        out.append(rng.choice(words) + ("\n" if rng.random() < 0.01 else ""))
        if len(out) == 500:
            out.append("x" * 300)
    return " ".join(out)[:length].strip()


CONTINUED = "(continued)"


def page_bodies(pdf: bytes) -> list[str]:
    """Each page's text without the page frame (marking, header lines, footer, page
    number), whitespace removed."""
    bodies: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines: list[str] = []
        for line in (page.extract_text() or "").splitlines():
            frame = (
                line.startswith(("OFFICIAL-SENSITIVE", "Generated ", "Derby and Derbyshire"))
                or line.startswith("Joint Version")
                or line.strip().startswith("Page ")
            )
            if not frame:
                lines.append(line)
        bodies.append("".join("".join(lines).split()))
    return bodies


def body_text(pdf: bytes) -> str:
    """The pages' bodies run together, without the heading a page starts with when a
    note or answer continues onto it ("Note on … (continued)"), so the words read on."""
    out = []
    for body in page_bodies(pdf):
        head = body.find(CONTINUED, 0, 600)
        out.append(body[head + len(CONTINUED) :] if head >= 0 else body)
    return "".join(out)


def test_a_page_that_continues_an_answer_starts_with_its_heading(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cse-2017")
    data["analysis"]["analysis"] = long_answer()
    pdf = written(export_case(data, registry, tmp_path, identity), "assessment").read_bytes()
    bodies = page_bodies(pdf)
    label = next(
        f.label for f in registry.get("derby-cse-2017").section3_fields if f.id == "analysis"
    )
    first = next(n for n, body in enumerate(bodies) if squeezed(label) in body)
    continued = [n for n, body in enumerate(bodies) if body.startswith(squeezed(label) + CONTINUED)]
    assert continued and continued[0] == first + 1  # every page after the first one says so
    assert continued == list(range(first + 1, first + 1 + len(continued)))


def squeezed(text: str) -> str:
    """Compared without whitespace: an unbroken token is wrapped, never dropped."""
    return "".join(text.split())


@pytest.mark.parametrize("field", ["analysis", "immediate_concerns"])
def test_a_50000_character_answer_is_printed_whole(
    registry: Registry, identity: Identity, tmp_path: Path, field: str
) -> None:
    data = full_case(registry, "derby-cse-2017")
    answer = long_answer()
    assert len(answer) > 49_000
    data["analysis"][field] = answer
    report_field = data["information_reports"][0]["answers"]
    form = registry.get("derby-cse-2017").data["information_forms"][0]
    key = next(  # a long answer belongs in a multi-line field: one-line fields hold 200
        f["id"] for s in form["sections"] for f in s["fields"] if f["type"] == "multiline"
    )
    report_field[key] = long_answer(20_000, seed=3)
    result = export_case(data, registry, tmp_path, identity)
    pdf = written(result, "assessment").read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 10
    text = body_text(pdf)
    assert squeezed(answer) in text
    report = body_text(written(result, "information").read_bytes())
    assert squeezed(report_field[key]) in report


def test_the_cli_exports_a_case_with_a_50000_character_answer(
    registry: Registry, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cse-2017")
    data["analysis"]["analysis"] = long_answer()
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(data), "utf-8")
    result = cli("export", str(case_file), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (assessment,) = (tmp_path / "out").glob("assessment-*.pdf")
    assert squeezed(data["analysis"]["analysis"]) in body_text(assessment.read_bytes())
