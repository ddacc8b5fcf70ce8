"""Export time against text length: linear, and the largest accepted case within 5 s.

reportlab wraps what is left of a paragraph again at every page it spills onto, so one
long answer cost time with the square of its length (200 KB 2.7 s, 400 KB 9.9 s before
issue 30). `app.documents.layout.flow` cuts long text into pieces; this measures that it
stays linear (time per character of 400,000 characters of answers within 1.5x of 100,000's) and that
the largest case the validation accepts (500,000 characters of text in one case, 20
information reports, 100 plan rows, 500 meetings) exports in at most 5 s.
"""

from __future__ import annotations

import copy
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

SENTENCE = "A fictional sentence about what was seen and done, for the benchmark. "


def _text(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length]


def _export_seconds(registry: Any, data: dict[str, Any], identity: Any, repeat: int) -> float:
    from app.documents.export import export_case

    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            export_case(data, registry, Path(folder), identity, draft=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def largest_case(registry: Any, base: dict[str, Any]) -> dict[str, Any]:
    """Every limit at once: long answers up to the case's text limit, every count full."""
    from app.rules.casefile import LONG_TEXT, MAX_CASE_TEXT, MAX_MEETINGS, MAX_REPORTS, MAX_ROWS

    data = copy.deepcopy(base)
    tk = registry.get(data["toolkit"])
    room = MAX_CASE_TEXT - 70_000  # the rest of the case, its reports, plans and meetings
    for f in tk.analysis_fields:
        if f.type == "multiline" and room > 0:
            data["analysis"][f.id] = _text(min(LONG_TEXT, room))
            room -= LONG_TEXT
    data["information_reports"] = data["information_reports"] * MAX_REPORTS
    data["support_plan"] = {
        "rows": [{"outcome": "Safe", "action": "Visit weekly", "who_by": "Test Worker"}] * MAX_ROWS
    }
    meeting = {"type": "initial", "date": "2026-05-01", "chair": "Test Chair", "actions": "None"}
    data["meetings"] = [meeting] * MAX_MEETINGS
    return data


def bench_long_text(registry: Any, quick: bool, report: Any) -> None:
    from run import case_with_indicators

    from app.documents.signing import generate_identity
    from app.rules import parse_case

    identity = generate_identity("Bench Practitioner", "Bench Agency")
    base = case_with_indicators(registry)
    fields = [f for f in registry.get(base["toolkit"]).analysis_fields if f.type == "multiline"]
    repeat = 3 if quick else 5  # medians: a shared machine is noisy
    per_char = {}
    _export_seconds(registry, base, identity, 1)  # warm: fonts, imports
    empty = _export_seconds(registry, base, identity, repeat)
    for count in (1, 4):  # 100,000 and 400,000 characters of answers
        data = copy.deepcopy(base)
        for f in fields[:count]:
            data["analysis"][f.id] = _text(100_000)
        per_char[count] = (_export_seconds(registry, data, identity, repeat) - empty) / count
    ratio = per_char[4] / per_char[1]
    report("export: time per character, 400,000 vs 100,000 (ratio)", ratio, 1.5, unit="x")
    big = largest_case(registry, base)
    parse_case(big, registry)  # accepted: it is the largest case the app takes
    seconds = _export_seconds(registry, big, identity, 1)
    report("export: the largest accepted case", seconds * 1000, 5000)
