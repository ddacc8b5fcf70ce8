"""Generate a hostile corpus of case files: `python -m tests.hostile_corpus OUT_FOLDER`.

Every file is a mutation of a valid, fictional case file (one per toolkit, with every
optional part: information reports with further copies, letter, disruption and support
plans, meetings, case facts, Section 2 answers, notes), so it reaches deep into the
validation instead of failing at the first key:
- a wrong type at every nested path (text where an object belongs, a list for a choice,
  an object for a flag...), and a hostile value at every text path (megabyte text, one
  enormous word, control characters, a lone surrogate, bidi overrides, impossible or
  far-off dates);
- file-level damage written as raw JSON text: duplicate keys, NaN and Infinity, nesting
  hundreds and thousands deep, too many reports, meetings, copies or plan rows, a file
  over the size limit, truncation, UTF-16, a byte-order mark;
- special files: a FIFO, /dev/zero, a folder, an empty file, a missing file.

`generate()` returns `Sample`s: the file, what was done, and the path it was done at,
so a test can check that a refusal names that field (or a field at all).
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.forms import Registry, load_registry
from app.rules import parse_case

TOOLKITS = ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse")
HUGE = "Fictional words repeated. " * 10_000  # 260,000 characters with spaces
WORD = "x" * 150_000  # one enormous word
HOSTILE_TEXT: tuple[Any, ...] = (
    HUGE,
    WORD,
    "Test\x0cName\x1f\x85\u2028\u2029",  # form feed, unit separator, NEL, LS, PS
    "\u202eReversed\u202c name",  # bidi override
    "\ud800 lone surrogate",  # written as an escape, decoded to a lone surrogate
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "=HYPERLINK(\"http://example.invalid\")",
    "N" * 201,  # one over the short-field limit
)  # fmt: skip


@dataclass(frozen=True)
class Sample:
    path: Path
    kind: str  # "type", "text", "raw", "special", "count"
    at: str  # the dotted path mutated ("" for the whole file)


def base_cases(registry: Registry) -> list[dict[str, Any]]:
    """One valid, fictional, complete case per toolkit with every optional part filled."""
    from tests.casework.support import complete_case

    out = []
    for tk_id in TOOLKITS:
        tk = registry.get(tk_id)
        data: dict[str, Any] = copy.deepcopy(complete_case(registry, tk_id))
        first = next(iter(data["section1"]))
        key = "comment" if tk.marking == "tick_comment" else "note"
        data["section1"][first][key] = "A fictional note."
        factor = tk.section2_items[0]
        column = next(c for c in tk.section2_columns if c["type"] == "multiline")
        data["section2"] = {factor.id: {column["id"]: "A fictional answer."}}
        form = tk.data["information_forms"][0]
        text_field = next(
            f for s in form["sections"] for f in s["fields"] if f["type"] in ("text", "multiline")
        )
        report: dict[str, Any] = {"form": form["id"], "answers": {text_field["id"]: "Fiction"}}
        from app.rules.casefile import repeatable

        copies = [s for s in form["sections"] if repeatable(s)]
        if copies:
            section = copies[0]
            inner = next(f for f in section["fields"] if f["type"] in ("text", "multiline"))
            report["more"] = {section["id"]: [{inner["id"]: "Another fictional person"}]}
        data["information_reports"] = [report]
        data["letter"] = {
            "date": "2026-06-02", "la_parental_responsibility": False, "care_order": False,
            "parent_consent": True, "child_consent": True, "legal_advice": True,
            "head_of_service_agreement": True, "perpetrator_name": "Fictional Person One",
            "pronouns": "they",
        }  # fmt: skip
        tool = tk.data["disruption_tool"]
        option = tool["aims"][0]["options"][0]["id"]
        data["disruption_plan"] = {option: {"chosen": True, "progress": "Fictional progress"}}
        data["support_plan"] = {
            "review_date": "2026-09-01",
            "rows": [{"outcome": "Safe", "action": "Visit", "who_by": "Test Worker"}],
        }
        data["meetings"] = [
            {
                "type": "initial", "date": "2026-05-01", "chair": "Test Chair",
                "young_person_attended": True, "level": "medium", "actions": "Fictional",
                "next_meeting": "2026-06-01",
            }
        ]  # fmt: skip
        data["case_facts"] = {
            "key_worker": "social_care",
            "priority_areas": ["gangs", "any_missing"],
            "in_care_due_to_exploitation": False,
            "from_another_la": True,
        }
        parse_case(data, registry)  # the bases are valid: mutations test one thing each
        out.append(data)
    return out


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path in a decoded JSON value, parents before children."""
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from paths(inner, (*prefix, n))


def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def put(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(doc)
    get(out, path[:-1])[path[-1]] = value
    return out


def wrong_type(value: Any, n: int) -> Any:
    """A value of another JSON type than `value` (varied by `n`)."""
    if isinstance(value, bool):
        return ("true", 1, None, [True])[n % 4]
    if isinstance(value, str):
        return ({"text": value}, [value], 7, True)[n % 4]
    if isinstance(value, list):
        return ({"0": value}, "a list", {}, [[[[]]]])[n % 4]
    if isinstance(value, dict):
        return (["an object"], "object", 0, [value])[n % 4]
    if value is None:
        return ([], {}, 1.5, False)[n % 4]
    return ("12", [value], {}, True)[n % 4]


def _write(folder: Path, name: str, doc: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=True), "utf-8")
    return path


def generate(registry: Registry, folder: Path) -> list[Sample]:
    """Write the corpus into `folder`; returns every sample (at least 800)."""
    folder.mkdir(parents=True, exist_ok=True)
    samples: list[Sample] = []
    n = 0
    for base in base_cases(registry):
        tk = base["toolkit"][:5]
        for path in paths(base):
            value = get(base, path)
            for variant in (n, n + 1):  # two other types at every path
                doc = put(base, path, wrong_type(value, variant))
                name = f"{tk}-{n:04d}-type.json"
                samples.append(Sample(_write(folder, name, doc), "type", dotted(path)))
                n += 1
            if isinstance(value, dict):  # a key the format does not have
                doc = put(base, path, {**value, "surprise\x1f": "Fiction"})
                name = f"{tk}-{n:04d}-key.json"
                samples.append(Sample(_write(folder, name, doc), "key", dotted(path)))
                n += 1
            if isinstance(value, str) and path[0] not in ("format",):
                hostile = HOSTILE_TEXT[n % len(HOSTILE_TEXT)]
                doc = put(base, path, hostile)
                samples.append(
                    Sample(_write(folder, f"{tk}-{n:04d}-text.json", doc), "text", dotted(path))
                )
                n += 1
        samples += _raw(folder, base, tk)
    samples += _specials(folder)
    return samples


def _raw(folder: Path, base: dict[str, Any], tk: str) -> list[Sample]:
    """File-level damage, written as text (json.dumps cannot write most of it)."""
    text = json.dumps(base, ensure_ascii=True)
    out: list[Sample] = []

    def raw(name: str, data: bytes, kind: str = "raw", at: str = "") -> None:
        path = folder / f"{tk}-{name}.json"
        path.write_bytes(data)
        out.append(Sample(path, kind, at))

    name_at = text.index('"name": ')
    raw("dup-name", (text[:name_at] + '"name": "Hidden Second", ' + text[name_at:]).encode())
    raw("dup-top", text.replace('{"format": 1', '{"format": 1, "format": 1', 1).encode())
    raw("nan", text.replace('"format": 1', '"format": NaN', 1).encode())
    raw("inf", text.replace('"format": 1', '"format": Infinity', 1).encode())
    raw("neg-inf", text.replace('"format": 1', '"format": -Infinity', 1).encode())
    raw("nan-deep", text.replace('"chosen": true', '"chosen": NaN', 1).encode())
    raw(
        "deep-100",
        text.replace(
            '"override_reason": null', '"override_reason": ' + "[" * 100 + "]" * 100, 1
        ).encode(),
    )
    raw(
        "deep-5000",
        text.replace(
            '"override_reason": null', '"override_reason": ' + "[" * 5000 + "]" * 5000, 1
        ).encode(),
    )
    raw("surrogate-key", text.replace('"case_facts"', '"\\udc80case_facts"', 1).encode())
    raw("truncated", text[: len(text) // 2].encode())
    raw("utf16", text.encode("utf-16"))
    raw("latin1", text.replace("Test", "T\xe9st").encode("latin-1"))
    raw("big-number", text.replace('"format": 1', '"format": 1' + "0" * 5000, 1).encode())
    raw("over-limit", text[:-1].encode() + b', "pad": "' + b"p" * (6 * 1024 * 1024) + b'"}')
    doc = json.loads(text)
    counts = {
        "information_reports": doc["information_reports"] * 30,
        "meetings": doc["meetings"] * 600,
    }
    for key, many in counts.items():
        raw(f"many-{key}", json.dumps({**doc, key: many}).encode(), "count", key)
    rows = {**doc["support_plan"], "rows": doc["support_plan"]["rows"] * 150}
    raw(
        "many-rows",
        json.dumps({**doc, "support_plan": rows}).encode(),
        "count",
        "support_plan.rows",
    )
    report = doc["information_reports"][0]
    if "more" in report:
        section, copies = next(iter(report["more"].items()))
        many_copies = {**report, "more": {section: copies * 40}}
        raw(
            "many-copies",
            json.dumps({**doc, "information_reports": [many_copies]}).encode(),
            "count",
            "information_reports[0].more",
        )
    total = {**doc, "analysis": {**doc["analysis"]}}
    longs = [
        f.id for f in load_registry().get(doc["toolkit"]).analysis_fields if f.type == "multiline"
    ]
    for field_id in longs[:12]:
        total["analysis"][field_id] = "Fictional answer text. " * 4_300  # ~99,000 each
    raw("whole-case-over", json.dumps(total).encode(), "count", "")
    bundle = {
        "format": "cre-case-export",
        "version": 1,
        "cases": [doc, put(doc, ("child", "name"), ["x"])],
    }
    raw("bundle-bad-second", json.dumps(bundle).encode(), "type", "cases[1].child.name")
    raw("bom", b"\xef\xbb\xbf" + text.encode(), "valid")
    return out  # fmt: skip


def _specials(folder: Path) -> list[Sample]:
    specials = folder / "specials"
    specials.mkdir(exist_ok=True)
    out = []
    if hasattr(os, "mkfifo") and not (specials / "fifo.json").exists():
        os.mkfifo(specials / "fifo.json")
    (specials / "empty.json").write_bytes(b"")
    (specials / "a-folder.json").mkdir(exist_ok=True)
    (specials / "line\nbreak\x1b[31m.json").write_bytes(b"{")  # a hostile file name
    for name in ("fifo.json", "empty.json", "a-folder.json", "line\nbreak\x1b[31m.json"):
        out.append(Sample(specials / name, "special", ""))
    if Path("/dev/zero").exists():
        out.append(Sample(Path("/dev/zero"), "special", ""))
    out.append(Sample(specials / "missing.json", "special", ""))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.hostile_corpus OUT_FOLDER", file=sys.stderr)
        return 2
    samples = generate(load_registry(), Path(argv[0]))
    print(f"wrote {len(samples)} hostile case files to {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
