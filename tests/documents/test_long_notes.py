"""Long indicator notes are printed below their row, each next to its indicator, in order,
under the column headings, and never cut off from the row that they are about."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.documents.content import NOTE_IN_CELL
from app.documents.export import export_case
from app.documents.signing import Identity
from app.forms import Registry
from tests.documents.test_documents import full_case, written
from tests.documents.test_long_text import body_text, squeezed

WORDS = ["fictional", "visit", "school", "reported", "older", "associates", "phone", "late"]


def long_note(n: int, rng: random.Random) -> str:
    """A fictional note, long enough to go below its row, of varying length (so rows and
    notes land at different places on the pages), sometimes in two paragraphs."""
    words = [rng.choice(WORDS) for _ in range(rng.randrange(60, 420))]
    text = f"Fictional note {n:02d}: " + " ".join(words)
    if n % 3 == 0:
        text += f"\nSecond paragraph of fictional note {n:02d}."
    return text


def noted_case(registry: Registry) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    data = full_case(registry, "derby-cre-2020")
    rng = random.Random(20)
    notes = []
    for n, item in enumerate(registry.get("derby-cre-2020").section1_items):
        note = long_note(n, rng) if n != 4 else "Fictional short note"
        data["section1"][item.id] = {"cce": n % 2 == 0, "cse": n % 2 == 1, "level": "H",
                                     "note": note}  # fmt: skip
        notes.append((item.text, note))
    return data, notes


def test_every_long_note_follows_its_indicator_in_order(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data, notes = noted_case(registry)
    assert sum(len(note) > NOTE_IN_CELL for _, note in notes) == len(notes) - 1
    pdf = written(export_case(data, registry, tmp_path, identity), "assessment").read_bytes()
    text = body_text(pdf)
    headings = squeezed("Indicator CCE CSE Risk L/M/H")
    at = after_note = 0
    for wording, note in notes:
        row = text.index(squeezed(wording), at)
        if len(note) <= NOTE_IN_CELL:  # a short note stays in its cell
            at = text.index(squeezed(f"Note: {note}"), row)
            assert at < row + len(squeezed(wording)) + 10, wording
            continue
        assert text.rindex(headings, 0, row) >= after_note, f"no headings above {wording!r}"
        below = text.index("Note:seebelow", row)
        heading = text.index(squeezed(f"Note on “{wording}”"), below)
        body = text.index(squeezed(note), heading)
        assert below - row < len(squeezed(wording)) + 200, wording  # the row says so
        assert body == heading + len(squeezed(f"Note on “{wording}”")), wording
        at = after_note = body + len(squeezed(note))
    assert text.index(squeezed("Summary of CRE Risk Indicators")) >= at


def test_an_indicator_row_and_the_start_of_its_note_share_a_page(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data, notes = noted_case(registry)
    pdf = written(export_case(data, registry, tmp_path, identity), "assessment").read_bytes()
    pages = [
        "".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]
    assert len(pages) > 8
    for wording, note in notes:
        if len(note) <= NOTE_IN_CELL:
            continue
        heading = squeezed(f"Note on “{wording}”")
        page = next(n for n, text in enumerate(pages) if heading in text)  # then "(continued)"
        row = pages[page].index(heading)
        assert squeezed(wording) in pages[page][:row], f"{wording!r} is cut off from its note"
        first_words = squeezed(note)[:40]
        assert first_words in pages[page], f"the note on {wording!r} starts on another page"


def test_a_long_comment_goes_below_its_row_and_a_short_one_stays_in_the_column(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "portsmouth-cse-2016")
    first, second = registry.get("portsmouth-cse-2016").section1_items[:2]
    comment = "Fictional comment: " + "older associates were seen at the school gate. " * 9
    assert len(comment) > NOTE_IN_CELL
    data["section1"][first.id] = {"ticked": True, "comment": comment}
    data["section1"][second.id] = {"ticked": True, "comment": "Fictional short comment"}
    pdf = written(export_case(data, registry, tmp_path, identity), "assessment").read_bytes()
    text = body_text(pdf)
    row = text.index(squeezed(first.text))
    assert text.index("Seebelow", row) < row + len(squeezed(first.text)) + 5
    heading = text.index(squeezed(f"Comment on “{first.text}”"), row)
    assert text.index(squeezed(comment), heading) == heading + len(
        squeezed(f"Comment on “{first.text}”")
    )
    after = text.index(squeezed(second.text), heading)
    assert text.index(squeezed("Fictional short comment"), after) == after + len(
        squeezed(second.text)
    ) + len("✓")


def test_a_note_that_runs_onto_the_next_page_is_headed_there_as_continued(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    from tests.documents.test_long_text import CONTINUED, page_bodies

    data, notes = noted_case(registry)
    pdf = written(export_case(data, registry, tmp_path, identity), "assessment").read_bytes()
    bodies = page_bodies(pdf)
    carried = [body for body in bodies if body.startswith("Noteon“") and CONTINUED in body[:600]]
    assert carried, "no note ran onto another page"
    for body in carried:
        heading = body[: body.index(CONTINUED)]
        wording = heading.removeprefix("Noteon“").removesuffix("”")
        assert any(squeezed(w) == wording for w, _ in notes), heading


def test_a_50000_character_note_is_printed_whole_after_its_indicator(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    from tests.documents.test_long_text import long_answer

    data = full_case(registry, "derby-cre-2020")
    item = registry.get("derby-cre-2020").section1_items[3]
    note = long_answer()  # paragraphs and one unbroken 300-character token
    data["section1"][item.id] = {"cce": True, "cse": False, "level": "H", "note": note}
    pdf = written(export_case(data, registry, tmp_path, identity), "assessment").read_bytes()
    text = body_text(pdf)
    heading = text.index(squeezed(f"Note on “{item.text}”"))
    assert text.index(squeezed(note), heading) == heading + len(squeezed(f"Note on “{item.text}”"))


def test_a_group_title_row_is_never_left_alone_at_the_foot_of_a_page() -> None:
    """Split where the title would end the page: it moves over with its first indicator."""
    from app.documents.layout import p, table

    rows = [["Indicator", "R"], *([["Fictional indicator", "✓"]] * 6)]
    rows.append([p("Fictional group title", "head"), ""])
    rows += [["Fictional first indicator of the group", "✓"], ["Fictional next", "✓"]]
    width = [300.0, 40.0]
    kept = table(rows, width, keep_with_next=[7])
    kept.wrap(340, 10_000)
    heights = kept._rowHeights
    room = sum(heights[:8]) + 1  # exactly enough for the rows up to and with the title
    first, _rest = kept.split(340, room)
    assert len(first._cellvalues) == 7  # header and six rows: the title went over
    loose = table(rows, width)
    loose.wrap(340, 10_000)
    assert len(loose.split(340, room)[0]._cellvalues) == 8  # without it, the title stays
