"""Anonymised statistics bundles: counts only, merged by a manager across laptops.

A bundle holds the report's rows and a random bundle id; it holds no names, dates of
birth, free text or case identifiers. A bundle comes from another laptop, so it is
checked as hostile input: only the known categories in their known order, the periods
this app would make for its dates, whole non-negative counts, totals no larger than the
sum of their quarters, and the labels printed are this app's own (a label like
`=HYPERLINK(...)` never reaches a CSV). Merging refuses a bundle whose content it has
already seen (the same counts from the same source for the same period, whatever its
bundle id), so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.stats.report import Period, StatsReport, StatsRow, build_report, with_percents

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
    from app.fileio import InputFileError, read_json_file

    try:
        data: Any = read_json_file(path, MAX_BUNDLE_BYTES)
    except InputFileError as exc:
        raise BundleError(str(exc)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"{path}: not a statistics bundle")
    if data.get("version") != VERSION:
        raise BundleError(f"{path}: bundle version {data.get('version')!r} is not supported")
    for key in ("bundle_id", "from", "to", "periods", "rows", "digest"):
        if key not in data:
            raise BundleError(f"{path}: the bundle has no {key}")
    if _digest(data["rows"], data["periods"]) != data["digest"]:
        raise BundleError(f"{path}: the bundle's counts do not match its digest (edited?)")
    validate(data, str(path))
    return data


MAX_BUNDLE_BYTES = 8 * 1024 * 1024  # pseudonym bundles list children per cell
MAX_COUNT = 10**6


def _day(value: Any, name: str, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2199:
        raise BundleError(f"{name}: {what} is not a date between 1900 and 2199")
    return day


def _template(data: dict[str, Any], name: str) -> StatsReport:
    """The report this app would have made for the bundle's dates on the day it was made
    (its last quarter ends then: quarters not yet started are not in it)."""
    start, end = _day(data.get("from"), name, "from"), _day(data.get("to"), name, "to")
    if end < start:
        raise BundleError(f"{name}: 'to' is before 'from'")
    if (end - start).days > 366 * 5:
        raise BundleError(f"{name}: covers more than five years")
    periods = data.get("periods")
    if not isinstance(periods, list) or not periods or not isinstance(periods[-1], dict):
        raise BundleError(f"{name}: has no quarters")
    made = _day(periods[-1].get("end"), name, "the last quarter's end")
    try:
        return build_report([], start, end, today=max(made, start))
    except ValueError as exc:
        raise BundleError(f"{name}: {exc}") from None


def _counts_ok(values: list[Any], *, nullable: bool) -> bool:
    return all(
        (v is None and nullable)
        or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_COUNT)
        for v in values
    )


def validate(data: dict[str, Any], name: str) -> None:
    """Refuse anything this app would not have written; the message names the row."""
    template = _template(data, name)
    expected_periods = [
        {"label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()}
        for p in template.periods
    ]
    if data.get("periods") != expected_periods:
        raise BundleError(f"{name}: its periods are not the quarters of its dates")
    rows = data.get("rows")
    if not isinstance(rows, list) or len(rows) != len(template.rows):
        raise BundleError(f"{name}: does not hold the known statistics categories")
    width = len(template.periods)
    for row, known in zip(rows, template.rows, strict=True):
        if not isinstance(row, dict) or (row.get("section"), row.get("key")) != (
            known.section,
            known.key,
        ):
            raise BundleError(f"{name}: holds a category this app does not count")
        where = f"{name}: {known.section} / {known.label}"
        if row.get("label") != known.label:
            raise BundleError(f"{where}: its label is not this app's wording for the category")
        of = [list(k) for k in known.percent_of]
        if row.get("percent_of", []) != of:
            raise BundleError(f"{where}: its percentage is not of the counts this app uses")
        counts, total = row.get("counts"), row.get("total")
        if not isinstance(counts, list) or len(counts) != width:
            raise BundleError(f"{where}: needs one count per quarter")
        if not _counts_ok([*counts, total], nullable=bool(of)):
            raise BundleError(f"{where}: counts must be whole numbers from 0 to 1,000,000")
        if not of and isinstance(total, int) and total > sum(counts):
            raise BundleError(f"{where}: the total {total} is more than its quarters {counts}")
        children = row.get("children")
        if children is not None and not (
            isinstance(children, list)
            and len(children) == width + 1
            and all(
                isinstance(cell, list)
                and len(cell) <= MAX_COUNT
                and all(isinstance(c, str) and len(c) <= 128 for c in cell)
                for cell in children
            )
        ):
            raise BundleError(f"{where}: its pseudonyms are not a list per quarter and total")
    merged = data.get("merged_from", [])
    if not isinstance(merged, list) or not all(isinstance(m, str) for m in merged):
        raise BundleError(f"{name}: merged_from must be a list of bundle ids")
    for key in ("bundle_id", "source_id", "source", "pseudonyms"):
        if not isinstance(data.get(key, ""), str) or len(data.get(key, "")) > 200:
            raise BundleError(f"{name}: {key} must be short text")


def content_key(bundle: dict[str, Any]) -> str:
    """What the duplicate check compares: the counts, the period and the source, not the id."""
    canonical = json.dumps(
        [bundle.get("source_id", ""), bundle["from"], bundle["to"], bundle["rows"]],
        sort_keys=True,
        ensure_ascii=True,
    )
    return "content:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def merge_bundles(bundles: Sequence[tuple[str, dict[str, Any]]]) -> StatsReport:
    """Add up bundles that cover the same period; refuse duplicates and mismatches."""
    if not bundles:
        raise BundleError("no bundles to merge")
    seen: dict[str, str] = {}
    first_name, first = bundles[0]
    for name, bundle in bundles:
        identity = [bundle["bundle_id"], content_key(bundle), *bundle.get("merged_from", ())]
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
    known = _template(first, first_name)
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
                template["section"],
                template["key"],
                known.rows[i].label,  # this app's wording, never the bundle's text
                tuple(counts),
                total,
                of,
            )
        )
    return StatsReport(
        dt.date.fromisoformat(first["from"]),
        dt.date.fromisoformat(first["to"]),
        periods,
        with_percents(rows),
    )
