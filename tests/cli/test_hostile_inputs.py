"""A generated hostile corpus through assess, vault import, export and stats merge.

Over 500 files (mutated case files, raw byte damage, special files, hostile statistics
bundles) go through the real command entry point, each under a timeout. For every one:
the command returns 0, 1 or 2 with at most one error line, never a traceback and never
"unexpected problem" (an unhandled exception class); nothing is half-written: the vault
holds all or none of an import, a failed export leaves no file, a failed merge no CSV.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import random
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.forms import Registry
from app.stats import build_report, to_bundle
from app.storage import Repository, Vault
from tests.rules.cases import case, tick

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM and FIFOs")
SECRET = "a fictional hostile-corpus passphrase"
TIMEOUT_S = 30
TOOLKITS = ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse")
HOSTILE: list[Any] = [
    None, True, False, 0, -1, 2**63, 10**18, 1.5, 1e308, -0.0, "", " ", "x" * 20_000,
    "9999-12-31", "0001-01-01", "2026-02-30", "=HYPERLINK(\"http://example.invalid\")",
    "+1", "@SUM(1)", "\u202e\u0000nul", [], {}, [[[[[]]]]], {"a": {"b": {"c": {}}}},
    ["x"] * 50, {"form": []}, "medium", "HIGH", "\ud83e\udd8a",
]  # fmt: skip


class Hang(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def _alarm(signum: int, frame: Any) -> None:
        raise Hang()

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with deadline(TIMEOUT_S), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    text = err.getvalue()
    assert code in (0, 1, 2), (argv, code, text)
    assert "Traceback" not in text and "unexpected problem" not in text, (argv, text)
    assert len(text.strip().splitlines()) <= 1, (argv, text)
    assert code == 0 or text.startswith("error: "), (argv, text)
    return code, text


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


def _set(doc: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return doc


def mutate(base: dict[str, Any], rng: random.Random) -> Any:
    doc = copy.deepcopy(base)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(doc)
        path = rng.choice(paths)
        op = rng.random()
        if op < 0.7:
            doc = _set(doc, path, copy.deepcopy(rng.choice(HOSTILE)))
        elif op < 0.85 and path and isinstance(doc, dict | list):
            parent = doc
            for step in path[:-1]:
                parent = parent[step]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        else:
            doc = _set(doc, path, {"unexpected": copy.deepcopy(rng.choice(HOSTILE))})
        if not isinstance(doc, dict):
            break
    return doc


def damage(text: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return text[: rng.randrange(len(text))]
    if kind == 1:
        raw = bytearray(text)
        for _ in range(rng.randint(1, 5)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    if kind == 2:
        return text.decode("utf-8").encode("utf-16")
    if kind == 3:
        return b"\xef\xbb\xbf" + text  # a BOM: accepted
    if kind == 4:
        return b"[" * 5000 + b"]" * 5000
    return b'{"format": 1, "toolkit": "derby-cse-2017", "n": ' + b"9" * 5000 + b"}"


def corpus(registry: Registry, folder: Path, count: int) -> list[Path]:
    rng = random.Random(14)
    bases = []
    for tk_id in TOOLKITS:
        tk = registry.get(tk_id)
        band = None if tk_id == "derby-cre-2020" else "medium"
        bases.append(case(registry, tk_id, identified=tick(tk, band)))
    files: list[Path] = []
    for n in range(count):
        base = bases[n % len(bases)]
        path = folder / f"case{n:04d}.json"
        if n % 5 == 4:
            path.write_bytes(damage(json.dumps(base, ensure_ascii=False).encode("utf-8"), rng))
        else:
            doc = mutate(base, rng)
            if n % 7 == 3:
                doc = {"format": "cre-case-export", "version": 1, "cases": [bases[0], doc]}
            path.write_text(json.dumps(doc, ensure_ascii=True), "utf-8")
        files.append(path)
    specials = folder / "specials"
    specials.mkdir()
    os.mkfifo(specials / "fifo.json")
    (specials / "empty.json").write_bytes(b"")
    (specials / "huge.json").write_bytes(b" " * (6 * 1024 * 1024))
    (specials / "a-folder.json").mkdir()
    files += [specials / n for n in ("fifo.json", "empty.json", "huge.json", "a-folder.json")]
    files += [Path("/dev/zero"), folder / "missing.json"]
    return files


def _count(vault: Path) -> int:
    with Vault.open(vault, SECRET) as v:
        return Repository(v).count_cases()


def _cases_in(path: Path) -> int:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, OSError, RecursionError):
        return 0
    if isinstance(data, dict) and data.get("format") == "cre-case-export":
        return len(data.get("cases", []))
    return 1


@pytest.mark.long
def test_hostile_case_files(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", SECRET)
    vault = tmp_path / "v.cre"
    Vault.create(vault, SECRET).close()
    folder = tmp_path / "corpus"
    folder.mkdir()
    files = corpus(registry, folder, 510)
    assert len(files) >= 500
    stored = 0
    outcomes: dict[int, int] = {}
    for n, path in enumerate(files):
        code, _ = run("assess", str(path))
        outcomes[code] = outcomes.get(code, 0) + 1
        code, _ = run("vault", "import", str(path), "--vault", str(vault))
        if code == 0:
            stored += _cases_in(path)
        if n % 25 == 0 or code == 0:  # all-or-nothing, checked often (opening costs time)
            assert _count(vault) == stored, path
        if n % 10 == 0 or code == 0:
            out = tmp_path / "out" / path.stem
            code, _ = run("export", str(path), "--out", str(out))
            if code != 0:
                assert not out.exists() or not any(out.iterdir()), (path, list(out.iterdir()))
    assert _count(vault) == stored
    assert outcomes.get(2, 0) > 300  # the corpus is hostile: most files are refused
    with Vault.open(vault, SECRET) as v:
        assert v.check() == [] and Repository(v).verify_audit() is None


def _bundle_mutations(bundle: dict[str, Any]) -> list[Callable[[dict[str, Any]], None]]:
    width = len(bundle["periods"])

    def set_row(i: int, field: str, value: Callable[[dict[str, Any]], Any]) -> Callable[..., None]:
        def apply(b: dict[str, Any]) -> None:
            b["rows"][i][field] = value(b["rows"][i])

        return apply

    def set_top(field: str, value: Callable[[dict[str, Any]], Any]) -> Callable[..., None]:
        def apply(b: dict[str, Any]) -> None:
            b[field] = value(b)

        return apply

    muts: list[Callable[[dict[str, Any]], None]] = []
    for i in range(0, 60, 3):
        muts += [
            set_row(i, "counts", lambda r: [-1] * width),
            set_row(i, "total", lambda r: r["total"] + 7),
            set_row(i, "label", lambda r: '=HYPERLINK("http://x.invalid")'),
            set_row(i, "key", lambda r: "made_up"),
            set_row(i, "counts", lambda r: ["1"] * width),
            set_row(i, "total", lambda r: True),
        ]
    muts += [
        set_top("from", lambda b: "0001-01-01"),
        set_top("to", lambda b: "9999-12-31"),
        set_top("periods", lambda b: []),
        set_top("rows", lambda b: b["rows"][:-1]),
        set_top("rows", lambda b: {}),
        set_top("merged_from", lambda b: [{}]),
        set_top("source_id", lambda b: ["x"]),
    ]
    return muts


def _redigest(b: dict[str, Any]) -> None:
    from app.stats.bundle import _digest

    with contextlib.suppress(TypeError, KeyError):
        b["digest"] = _digest(b["rows"], b["periods"])


def test_hostile_statistics_bundles(tmp_path: Path) -> None:
    import datetime as dt

    report = build_report([], dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    good = to_bundle(report, source_id="fictional-source")
    good_path = tmp_path / "good.json"
    good_path.write_text(json.dumps(good), "utf-8")
    csv = tmp_path / "merged.csv"
    tried = 0
    for n, mut in enumerate(_bundle_mutations(good)):
        bad = copy.deepcopy(good)
        bad["source_id"], bad["bundle_id"] = "another-fictional-source", f"id-{n}"
        mut(bad)  # from another laptop, so only validation (not the duplicate check) refuses
        _redigest(bad)  # a forger recomputes the unkeyed digest
        path = tmp_path / f"bad{n:03d}.json"
        path.write_text(json.dumps(bad), "utf-8")
        code, text = run("stats", "merge", str(good_path), str(path), "--csv", str(csv))
        assert code == 2, (n, text)
        assert not csv.exists()
        tried += 1
    copy_with_new_id = dict(good, bundle_id="another-id-same-counts")
    (tmp_path / "again.json").write_text(json.dumps(copy_with_new_id), "utf-8")
    code, text = run(
        "stats", "merge", str(good_path), str(tmp_path / "again.json"), "--csv", str(csv)
    )
    assert code == 2 and "already merged" in text
    code, _ = run("stats", "merge", str(good_path), "--csv", str(csv))
    assert code == 0 and "=HYPERLINK" not in csv.read_text("utf-8")
    assert tried >= 100
