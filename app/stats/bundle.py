"""Anonymised statistics bundles: counts only, merged by a manager across laptops.

A bundle holds the report's rows and a random bundle id; it holds no names, dates of
birth, free text or case identifiers. Merging refuses a bundle it has already seen
(the same file, or another export of the same vault for the same period), so nothing
is counted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.stats.report import Period, StatsReport, StatsRow, with_percents

FORMAT = "cre-stats-bundle"
VERSION = 2  # 2: every Appendix A table; percentage rows name their counts


class BundleError(ValueError):
    """A bundle that cannot be read or merged; the message says which and why."""


def _digest(rows: list[dict[str, Any]], periods: list[dict[str, str]]) -> str:
    canonical = json.dumps({"rows": rows, "periods": periods}, sort_keys=True)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def to_bundle(
    report: StatsReport, source_id: str = "", source_label: str = "", key_check: str = ""
) -> dict[str, Any]:
    """`source_id` is a random id kept in the vault, so a re-export of one vault for the
    same period is recognised as a duplicate while two laptops with equal counts are not.
    `key_check` (app.stats.pseudonyms) marks a bundle whose rows name their children by
    keyed pseudonym, so a merge counts each child once.
    """
    periods = [
        {"label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()}
        for p in report.periods
    ]
    rows = [
        {
            "section": r.section,
            "key": r.key,
            "label": r.label,
            "counts": list(r.counts),
            "total": r.total,
        }
        | ({"percent_of": [list(k) for k in r.percent_of]} if r.percent_of else {})
        | ({"children": [sorted(cell) for cell in r.children]} if r.children else {})
        for r in report.rows
    ]
    return ({"pseudonyms": key_check} if key_check else {}) | {
        "format": FORMAT,
        "version": VERSION,
        "bundle_id": str(uuid.uuid4()),
        "source": source_label,
        "source_id": source_id,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "periods": periods,
        "rows": rows,
        "digest": _digest(rows, periods),
        "merged_from": [],
    }


def write_bundle(bundle: dict[str, Any], path: Path) -> None:
    from app.fileio import atomic_write_text

    atomic_write_text(path, json.dumps(bundle, indent=1, ensure_ascii=False))


def read_bundle(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path}: not a statistics bundle ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"{path}: not a statistics bundle")
    if data.get("version") != VERSION:
        raise BundleError(f"{path}: bundle version {data.get('version')!r} is not supported")
    for key in ("bundle_id", "from", "to", "periods", "rows", "digest"):
        if key not in data:
            raise BundleError(f"{path}: the bundle has no {key}")
    if _digest(data["rows"], data["periods"]) != data["digest"]:
        raise BundleError(f"{path}: the bundle's counts do not match its digest (edited?)")
    return data


def merge_bundles(bundles: Sequence[tuple[str, dict[str, Any]]]) -> StatsReport:
    """Add up bundles that cover the same period; refuse duplicates and mismatches."""
    if not bundles:
        raise BundleError("no bundles to merge")
    seen: dict[str, str] = {}
    first_name, first = bundles[0]
    for name, bundle in bundles:
        identity = [bundle["bundle_id"], *bundle.get("merged_from", ())]
        if bundle.get("source_id"):
            identity.append(f"{bundle['source_id']}:{bundle['from']}:{bundle['to']}")
        for key in identity:
            if key in seen:
                raise BundleError(f"{name}: already merged (the same bundle as {seen[key]})")
            seen[key] = name
        if bundle["periods"] != first["periods"]:
            raise BundleError(
                f"{name}: covers {bundle['from']} to {bundle['to']} in other periods than "
                f"{first_name} ({first['from']} to {first['to']})"
            )
        if bundle.get("pseudonyms") != first.get("pseudonyms"):
            raise BundleError(
                f"{name}: made with another partnership secret than {first_name} (or one has "
                "pseudonyms and the other not); make both with the same secret or neither"
            )
        if [(r["section"], r["key"]) for r in bundle["rows"]] != [
            (r["section"], r["key"]) for r in first["rows"]
        ]:
            raise BundleError(f"{name}: counts other categories than {first_name}")
    periods = tuple(
        Period(p["label"], dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]))
        for p in first["periods"]
    )
    rows = []
    for i, template in enumerate(first["rows"]):
        counts = [0] * len(periods)
        total = 0
        of = tuple((str(a), str(b)) for a, b in template.get("percent_of", ()))
        united: list[set[str]] = [set() for _ in range(len(periods) + 1)]
        for _, bundle in bundles:
            row = bundle["rows"][i]
            if not of:  # percentages are recomputed from the merged counts below
                counts = [a + int(b) for a, b in zip(counts, row["counts"], strict=True)]
                total += int(row["total"])
            for cell, names in zip(united, row.get("children", ()), strict=False):
                cell.update(names)
        if "children" in template:  # each child once, however many laptops counted them
            *counts, total = (len(cell) for cell in united)
        rows.append(
            StatsRow(
                template["section"], template["key"], template["label"], tuple(counts), total, of
            )
        )
    return StatsReport(
        dt.date.fromisoformat(first["from"]),
        dt.date.fromisoformat(first["to"]),
        periods,
        with_percents(rows),
    )
