"""CRE Toolkit benchmarks: `python benchmarks/run.py [--quick] [--out results.json]`.

Each benchmark prints its figures and the budget, and all are written to a JSON file.
Ratios are measured side by side in the same run, alternating, because shared
machines are noisy. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.forms import load_registry  # noqa: E402
from app.rules import new_case  # noqa: E402
from app.storage import Repository, Vault  # noqa: E402

PASS = "fictional benchmark passphrase"
RESULTS: dict[str, Any] = {}


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def report(name: str, figure: float, budget: float, unit: str = "ms", **extra: Any) -> None:
    ok = figure <= budget
    print(f"{name:<48} {figure:9.2f} {unit}  budget {budget:g} {unit}  {'OK' if ok else 'MISS'}")
    RESULTS[name] = {"value": round(figure, 3), "budget": budget, "unit": unit, "ok": ok, **extra}


def case_with_indicators(registry: Any, n: int = 10) -> dict[str, Any]:
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"].update(name="Bench Child Zoë", date_of_birth="2011-05-05")
    for item in [i for i in tk.section1_items if not i.other][:n]:
        data["section1"][item.id] = {"cce": True, "cse": False, "level": "M", "note": ""}
    data["final_level"] = "medium"
    data["practitioner"] = {
        "name": "Bench Practitioner", "post": "Social Worker", "agency": "Bench Agency",
        "address": "1 Fictional Street", "phone": "01632 960000",
    }  # fmt: skip
    data["information_reports"] = [
        {"form": "operation_liberty", "answers": {"incident_details": "Fictional"}}
    ]
    data["letter"] = {
        "la_parental_responsibility": False, "care_order": False, "parent_consent": True,
        "child_consent": True, "legal_advice": True, "head_of_service_agreement": True,
        "perpetrator_name": "Fictional Person", "perpetrator_address": "1 Fictional Road",
        "pronouns": "they", "sending_authority": "Derbyshire Childrens Services",
    }  # fmt: skip
    from app.rules import missing_required

    for problem in missing_required(tk, data):  # a completed assessment: required answers set
        f = next(f for f in tk.analysis_fields if f"analysis.{f.id}" == problem.field)
        data["analysis"][f.id] = "2026-06-01" if f.type == "date" else "Bench Practitioner"
    return data


def bench_export(registry: Any, quick: bool) -> None:
    from app.documents.export import export_case
    from app.documents.signing import generate_identity

    identity = generate_identity("Bench Practitioner", "Bench Agency")
    data = case_with_indicators(registry)
    with tempfile.TemporaryDirectory() as folder:
        export_case(data, registry, Path(folder), identity)  # warm fonts and imports
        times = timed(
            lambda: export_case(data, registry, Path(folder), identity), 5 if quick else 20
        )
    report("export: 3 signed PDFs in-process (median)", statistics.median(times) * 1000, 150)
    soffice = shutil_which("soffice") or shutil_which("libreoffice")
    if not soffice:
        print("export vs LibreOffice: skipped (LibreOffice `soffice` is not installed)")
        RESULTS["export vs LibreOffice"] = {"skipped": "soffice not installed"}
        return
    bench_export_vs_word(registry, data, soffice, quick)


def word_document(registry: Any, data: dict[str, Any], path: Path) -> None:
    """The same assessment form as a Word document, as a practitioner would fill it."""
    import docx

    tk = registry.get(data["toolkit"])
    document = docx.Document()
    document.add_heading(tk.title, 1)
    document.add_paragraph(f"Name: {data['child']['name']}  DOB: {data['child']['date_of_birth']}")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Indicator", "CCE", "CSE", "Risk L/M/H"), strict=True
    ):
        cell.text = text
    for item in tk.section1_items:
        marks = data["section1"].get(item.id, {})
        row = table.add_row().cells
        row[0].text = item.text
        row[1].text = "✓" if marks.get("cce") else ""
        row[2].text = "✓" if marks.get("cse") else ""
        row[3].text = marks.get("level") or ""
    for item in tk.section2_items:
        document.add_paragraph(f"{item.text}: ")
    for f in tk.section3_fields:
        document.add_paragraph(f"{f.label} ")
    document.save(str(path))


def bench_export_vs_word(registry: Any, data: dict[str, Any], soffice: str, quick: bool) -> None:
    """Whole process: `python -m app export` against LibreOffice converting the Word form."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        case_file = base / "case.json"
        case_file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        word = base / "form.docx"
        word_document(registry, data, word)
        env = {**os.environ, "HOME": str(base)}
        ours_cmd = [
            sys.executable,
            "-m",
            "app",
            "export",
            str(case_file),
            "--out",
            str(base / "out"),
        ]
        lo_cmd = [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(base / "lo"),
            str(word),
        ]
        subprocess.run(
            lo_cmd, env=env, capture_output=True, check=True
        )  # first start builds its profile
        ours_t: list[float] = []
        lo_t: list[float] = []
        for _ in range(3 if quick else 7):
            for cmd, out in ((ours_cmd, ours_t), (lo_cmd, lo_t)):
                start = time.perf_counter()
                subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
                out.append(time.perf_counter() - start)
    ratio = statistics.median(ours_t) / statistics.median(lo_t)
    report(
        "export: whole process vs LibreOffice converting the Word form (ratio)", ratio, 0.6,
        unit="x", ours_ms=round(statistics.median(ours_t) * 1000),
        libreoffice_ms=round(statistics.median(lo_t) * 1000),
    )  # fmt: skip


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


def bench_autosave(registry: Any, quick: bool) -> None:
    """The same save_draft through the same repository, on SQLCipher and on plain SQLite."""
    from app.storage import keys
    from app.storage.connection import migrate
    from app.storage.connection import tune as _tune

    tk = registry.get("derby-cse-2017")
    n = 50 if quick else 200
    with tempfile.TemporaryDirectory() as folder:
        vault = Vault.create(Path(folder) / "a.cre", PASS)
        conn = sqlite3.connect(
            Path(folder) / "plain.db", isolation_level=None, check_same_thread=False
        )
        _tune(conn)
        migrate(conn)
        plain_vault = Vault(Path(folder) / "plain.db", conn, keys.RawKey(bytearray(), b""))
        repos = (Repository(vault), Repository(plain_vault))
        data = new_case(tk, dt.date(2026, 6, 1))
        records = [repo.create_case(tk, data) for repo in repos]
        cipher: list[float] = []
        plain: list[float] = []
        for i in range(n):  # alternate so both see the same machine
            data["child"]["name"] = f"Bench {i}"
            for repo, rec, out in ((repos[0], records[0], cipher), (repos[1], records[1], plain)):
                start = time.perf_counter()
                repo.save_draft(rec.id, data)
                out.append(time.perf_counter() - start)
        vault.close()
        plain_vault.close()
    report("autosave: one edit durably committed (p95)", p95(cipher) * 1000, 15)
    report(
        "autosave: vs plain SQLite, same repository (p95 ratio)",
        p95(cipher) / p95(plain),
        2.0,
        unit="x",
    )


def bench_scale(registry: Any, quick: bool) -> None:
    from app.storage.casefiles import import_cases

    sizes = [1000] if quick else [1000, 5000, 20000]
    tk = registry.get("bedfordshire-cse")
    for children in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "s.cre"
            vault = Vault.create(path, PASS)
            repo = Repository(vault)
            cases = []
            for i in range(children):
                data = new_case(tk, dt.date(2026, 6, 1))
                data["child"].update(name=f"Bench Child {i:05d}", date_of_birth="2011-05-05")
                cases.append(data)
            import_cases(
                repo, registry, {"format": "cre-case-export", "version": 1, "cases": cases}
            )
            vault.close()
            unlock = timed(lambda: Vault.open(path, PASS).close(), 3)  # noqa: B023 (called at once, inside the loop)
            vault = Vault.open(path, PASS)
            repo = Repository(vault)
            listing = timed(lambda: repo.list_cases(toolkit="bedfordshire-cse"), 5)  # every row  # noqa: B023 (called at once, inside the loop)
            search = timed(lambda: repo.list_cases("child 0423"), 5)  # noqa: B023 (called at once, inside the loop)
            first = repo.list_cases(limit=1)[0]
            opening = timed(lambda: repo.assessments(first.id), 5)  # noqa: B023 (called at once, inside the loop)
            vault.close()
        label = f"{children} children"
        report(f"scale {label}: unlock (median)", statistics.median(unlock) * 1000, 1000)
        report(
            f"scale {label}: case list filtered (median)", statistics.median(listing) * 1000, 100
        )
        report(f"scale {label}: name search (median)", statistics.median(search) * 1000, 50)
        report(f"scale {label}: open a case (median)", statistics.median(opening) * 1000, 100)


def bench_unlock(quick: bool) -> None:
    """Unlock with the real KDF (scrypt N=2^17, r=8, p=1), and the KDF's share of it."""
    from app.storage import keys

    repeat = 3 if quick else 7
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "unlock.cre"
        Vault.create(path, PASS).close()
        salt = keys.salt_of(path)
        unlock = timed(lambda: Vault.open(path, PASS).close(), repeat)
        kdf = timed(lambda: keys.derive(PASS, salt), repeat)
        cpu_start = time.process_time()
        for _ in range(repeat):
            keys.derive(PASS, salt)
        kdf_cpu = (time.process_time() - cpu_start) / repeat
        wrong = timed(lambda: _refused(path), repeat)
    report(
        "unlock: real KDF, open and lock (median)",
        statistics.median(unlock) * 1000,
        1000,
        kdf_ms=round(statistics.median(kdf) * 1000),
        rest_ms=round((statistics.median(unlock) - statistics.median(kdf)) * 1000),
    )
    report(
        "unlock: scrypt N=2^17 alone (median)",
        statistics.median(kdf) * 1000,
        1000,
        cpu_ms=round(kdf_cpu * 1000),  # what an idle core needs; wall time includes waiting
    )
    report("unlock: a wrong passphrase refused (median)", statistics.median(wrong) * 1000, 2000)


def _refused(path: Path) -> None:
    from app.storage import WrongPassphraseError

    try:
        Vault.open(path, "not the fictional benchmark passphrase").close()
    except WrongPassphraseError:
        return
    raise AssertionError("a wrong passphrase opened the vault")


def bench_startup(quick: bool) -> None:
    code = (
        "import time,sys; t=time.perf_counter();"
        "from PySide6.QtWidgets import QApplication;"
        "{body};print(time.perf_counter()-t)"
    )
    bare = code.format(
        body=(
            "from PySide6.QtWidgets import QWizard;"
            "a=QApplication([]);w=QWizard();w.show();a.processEvents()"
        )
    )
    ours = code.format(
        body="from app.ui.unlock import UnlockDialog;from pathlib import Path;a=QApplication([]);"
        "d=UnlockDialog(Path('/nonexistent/v.cre'));d.show();a.processEvents()"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ours_t: list[float] = []
    bare_t: list[float] = []
    for _ in range(3 if quick else 7):
        for target, script in ((ours_t, ours), (bare_t, bare)):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
            )
            target.append(time.perf_counter() - start)
    ratio = statistics.median(ours_t) / statistics.median(bare_t)
    report(
        "start-up: process start to unlock window (ratio to bare QWizard)",
        ratio,
        3.0,
        unit="x",
        ours_ms=round(statistics.median(ours_t) * 1000),
        bare_ms=round(statistics.median(bare_t) * 1000),
    )


def bench_wizard(registry: Any, quick: bool) -> None:
    """Page switch and the live summary after a tick, in-process and offscreen."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from app.ui.wizard import AssessmentWizard

    def quiet(_mode: object, _context: object, message: str) -> None:
        # the offscreen platform says this once per window shown: noise between the figures
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    tk = registry.get("derby-cre-2020")
    with tempfile.TemporaryDirectory() as folder:
        vault = Vault.create(Path(folder) / "w.cre", PASS)
        repo = Repository(vault)
        data = new_case(tk, dt.date(2026, 6, 1))
        data["child"].update(name="Bench Child", date_of_birth="2011-05-05")
        wizard = AssessmentWizard(registry, repo, repo.create_case(tk, data).id)
        wizard.show()
        app.processEvents()
        switches: list[float] = []
        ticks: list[float] = []
        rows = list(wizard.mark_rows.values())
        for i in range(10 if quick else 40):
            start = time.perf_counter()
            wizard.next() if wizard.currentId() < 4 else wizard.restart()
            app.processEvents()
            switches.append(time.perf_counter() - start)
            box = next(iter(rows[i % len(rows)].boxes.values()))
            start = time.perf_counter()
            box.setChecked(not box.isChecked())
            app.processEvents()
            ticks.append(time.perf_counter() - start)
        wizard.done(0)
        vault.close()
    report("wizard: page switch (p95)", p95(switches) * 1000, 50)
    report("wizard: live summary after a tick (p95)", p95(ticks) * 1000, 50)


def bench_newer(registry: Any, quick: bool) -> None:
    """Issue 20's budgets: long documents, the package, a busy case, statistics."""
    import budgets

    budgets.bench_stamps(report)
    base = case_with_indicators(registry)
    budgets.bench_long_assessment(registry, base, report, quick)
    budgets.bench_package(registry, base, report, quick)
    budgets.bench_busy_case(registry, report, PASS)
    budgets.bench_statistics(report, quick)
    import sheets

    sheets.bench_sheets(registry, report, quick)
    import retention

    retention.bench_purge(registry, report, PASS, quick)
    retention.bench_sar(registry, report, PASS, quick)


def _resident_mb() -> float | None:
    """The process's resident size now (Linux /proc), as opposed to its peak: the key
    derivation's 128 MiB is freed when it returns and shows only in the peak."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller vaults")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    registry = load_registry()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    bench_unlock(args.quick)
    bench_export(registry, args.quick)
    from long_text import bench_long_text

    bench_long_text(registry, args.quick, report)  # issue 30: linear in text length
    bench_autosave(registry, args.quick)
    bench_startup(args.quick)
    bench_wizard(registry, args.quick)
    bench_newer(registry, args.quick)
    bench_scale(registry, args.quick)
    import resource

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report("peak memory of the whole benchmark process", peak_mb, 300, unit="MB")
    steady = _resident_mb()
    if steady is not None:  # scrypt's 128 MiB is transient: what stays resident afterwards
        report("resident memory after every benchmark (steady)", steady, 300, unit="MB")
    RESULTS["_machine"] = {
        "platform": platform.platform(),
        "cores": os.cpu_count(),
        "when": dt.datetime.now().isoformat(),
    }
    args.out.write_text(json.dumps(RESULTS, indent=2), "utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
