"""Every repair of extraction damage is recorded and is only a repair.

Each `fixed_from` (on items, options, levels, notes, contacts, steps, checklist entries and
the `repairs` list) must occur in the seed text, and the repaired string may differ from it
only in spacing, punctuation and the extraction's letter confusions (q/g, l/I): no word is
added, dropped or changed. Steps, notes, review quotes and checklist entries are checked
word for word against the seed too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from app.forms import LOST_ADDRESS, Registry
from tests.forms.test_definitions import SEEDS, SOURCES

OCR_CONFUSIONS = str.maketrans({"q": "g", "l": "i"})


# The web copy of a seed replaced some e-mail addresses with this scraping placeholder; the
# definitions say the address was lost instead (never the placeholder), so the two compare equal.
PLACEHOLDER = re.compile(r"\S*\[email(?:\s|\xa0)protected\]")


def normalise(text: str) -> str:
    """The seed's layout removed: table bars, tags, markdown, list bullets, quote styles."""
    text = PLACEHOLDER.sub(f"({LOST_ADDRESS})", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(?m)^\s*[-•]\s+", " ", text)
    text = text.replace("**", "").replace("|", " ").replace("•", " ").replace("\\(", "(")
    text = text.replace("\\)", ")")
    return re.sub(r"\s+", " ", text).strip()


def letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower()).translate(OCR_CONFUSIONS)


def words(text: str) -> list[str]:
    return sorted(w.translate(OCR_CONFUSIONS) for w in re.findall(r"[0-9a-z]+", text.lower()))


def _walk(node: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        if "fixed_from" in node:
            yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def _seed(toolkit: str) -> str:
    path = SEEDS / SOURCES[toolkit]
    if not path.exists():
        pytest.skip("seed not available")
    return normalise(path.read_text("utf-8"))


def _repaired(node: Mapping[str, Any]) -> str:
    for key in ("text", "label", "title"):
        if key in node:
            return str(node[key])
    return " ".join(
        str(node[k]) for k in ("name", "phone", "details", "email", "website") if node.get(k)
    )


@pytest.mark.parametrize("toolkit", sorted(SOURCES))
def test_every_fixed_from_is_in_the_seed_and_only_repairs(registry: Registry, toolkit: str) -> None:
    source = _seed(toolkit)
    found = list(_walk(registry.get(toolkit).data, toolkit))
    assert found, "every toolkit records at least one repair"
    bad = []
    for path, node in found:
        pieces = node["fixed_from"]
        pieces = pieces if isinstance(pieces, list) else [pieces]
        for piece in pieces:
            if normalise(piece) not in source:
                bad.append(f"{path}: fixed_from not in the seed: {piece[:60]!r}")
        original, repaired = " ".join(pieces), _repaired(node)
        same = (
            words(original) == words(repaired)
            if "name" in node
            else letters(original) == letters(repaired)
        )
        if not same:
            bad.append(f"{path}: {repaired[:60]!r} differs from {original[:60]!r} in its words")
    assert bad == []


def test_repairs_include_the_two_damaged_addresses(registry: Registry) -> None:
    beds = registry.get("bedfordshire-cse").data
    fixed = {r["fixed_from"]: r["text"] for r in beds["repairs"]}
    assert fixed["CSEpanel.bedfordshire@luton.qcsx.gov.uk"].endswith("@luton.gcsx.gov.uk")
    assert fixed["ClBintel@bedfordshire.pnn.police.uk"].startswith("CIBintel@")
    guidance = " ".join(p for f in beds["information_forms"] for p in f.get("guidance", ()))
    assert "qcsx" not in guidance and "ClBintel" not in guidance
    source = _seed("bedfordshire-cse")
    for text in fixed.values():  # the form header spells both correctly
        assert text in source


def _texts(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for name, level in data["levels"].items():
        for step in level["next_steps"]:
            if "id" in step and "fixed_from" not in step:
                yield f"levels.{name}.{step['id']}", step["text"]
            if "text" in step and "as_above" in step:
                yield f"levels.{name}.as_above", step["text"]
        if "fixed_from" not in level:
            for n, text in enumerate(level.get("description", ())):
                yield f"levels.{name}.description[{n}]", text
    for note in data.get("notes", ()):
        yield f"notes.{note['id']}", note.get("fixed_from", note["text"])
    strategies = data.get("intervention_strategies") or {"title": "", "blocks": []}
    for n, block in enumerate(strategies["blocks"]):
        if block.get("text"):
            yield f"intervention_strategies[{n}].text", block["text"]
        for m, item in enumerate(block["items"]):
            yield f"intervention_strategies[{n}].items[{m}]", item
    for name, row in data["rules"].get("review", {}).get("levels", {}).items():
        yield f"rules.review.{name}", row["quote"]
    for group in data["section3"].get("checklist", ()):
        yield f"checklist.{group['band']}", group.get("fixed_from", group["title"])
        for entry in group["entries"]:
            yield f"checklist.{entry['item']}", entry.get("fixed_from", entry["text"])


def _in_seed(text: str, source: str) -> bool:
    """Word for word in the seed, or in two pieces where a table row split it (Bedfordshire's
    High Risk description runs on in the next row of the Appendix 3 table)."""
    text = normalise(text)
    if text in source:
        return True
    cuts = [m.start() for m in re.finditer(" ", text)]
    return any(text[:c] in source and text[c + 1 :] in source for c in cuts)


@pytest.mark.parametrize("toolkit", sorted(SOURCES))
def test_steps_notes_and_review_quotes_are_word_for_word(registry: Registry, toolkit: str) -> None:
    source = _seed(toolkit)
    missing = [
        where for where, text in _texts(registry.get(toolkit).data) if not _in_seed(text, source)
    ]
    assert missing == []
