"""Budgets for the newer work (issue 20): long documents, the export package, a case with
many assessments and meetings, and statistics at scale. Called from run.py."""

from __future__ import annotations

import copy
import datetime as dt
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Report = Callable[..., None]
LONG_ANSWER = (
    "Fictional practitioner observation, written at length as practitioners do: the young "
    "person was seen at the fictional address with older associates on several occasions, "
    "and the school reported unexplained absences, new clothes and a second phone. "
) * 11


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def long_case(registry: Any, base: dict[str, Any]) -> dict[str, Any]:
    """The completed case with a long note on every indicator and long Section 3 answers."""
    tk = registry.get(base["toolkit"])
    data = copy.deepcopy(base)
    data["information_reports"] = []
    data.pop("letter", None)
    for item in tk.section1_items:
        if not item.other:
            data["section1"][item.id] = {"cce": True, "cse": False, "level": "M",
                                         "note": LONG_ANSWER}  # fmt: skip
    for f in tk.analysis_fields:
        if f.type in ("text", "textarea", "longtext") and not data["analysis"].get(f.id):
            data["analysis"][f.id] = LONG_ANSWER * 2
    return data


def bench_long_assessment(registry: Any, base: dict[str, Any], report: Report, quick: bool) -> None:
    from pypdf import PdfReader

    from app.documents.export import export_case
    from app.documents.signing import generate_identity

    identity = generate_identity("Bench Practitioner", "Bench Agency")
    data = long_case(registry, base)
    with tempfile.TemporaryDirectory() as folder:
        result = export_case(data, registry, Path(folder), identity)  # warm
        pages = len(PdfReader(io.BytesIO(result.written[0].read_bytes())).pages)
        times = _timed(lambda: export_case(data, registry, Path(folder), identity),
                       3 if quick else 10)  # fmt: skip
    report(f"long assessment: {pages} pages signed in-process (median)",
           statistics.median(times) * 1000, 400, pages=pages)  # fmt: skip


def package_case(base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    report = data["information_reports"][0]
    data["information_reports"] = [report, copy.deepcopy(report)]
    data["support_plan"] = {
        "rows": [{"outcome": "Fictional outcome", "review": "2026-07-01"}],
        "review_date": "2026-07-01",
    }
    return data


def bench_package(registry: Any, base: dict[str, Any], report: Report, quick: bool) -> None:
    """What the app's export package renders: assessment, two information reports, plans,
    the letter and its authorisation record, each signed and all but the letter encrypted
    (AES-256), with one email draft per recipient group (the label counts the PDFs the run
    made). Measured at
    app.documents.export.export_case, which app.casework.package.export_package calls
    after reading the vault."""
    from pypdf import PdfReader

    from app.documents.export import export_case
    from app.documents.signing import generate_identity

    identity = generate_identity("Bench Practitioner", "Bench Agency")
    data = package_case(base)
    with tempfile.TemporaryDirectory() as folder:

        def run() -> Any:
            return export_case(data, registry, Path(folder), identity,
                               passwords={"police": "fictional-bench-police",
                                          "social_care": "fictional-bench-care"},
                               eml=True)  # fmt: skip

        result = run()
        kinds = sorted(d.kind for d in result.documents)
        pdfs = [d.path for d in result.documents if d.path.suffix == ".pdf"]
        locked = sum(PdfReader(path).is_encrypted for path in pdfs)
        times = _timed(run, 3 if quick else 10)
    report(f"export package: {len(pdfs)} signed PDFs ({locked} encrypted) + email drafts (median)",
           statistics.median(times) * 1000, 1000, documents=kinds,
           files=len(result.written))  # fmt: skip


def bench_busy_case(registry: Any, report: Report, passphrase: str) -> None:
    """Opening a case with 50 assessments and 200 meetings: what the case view reads."""
    from sqlalchemy import select

    from app.rules import new_case
    from app.storage import Repository, Vault
    from app.storage import meetings as stored_meetings
    from app.storage.models import AssessmentRow

    tk = registry.get("derby-cse-2017")
    kinds = ("professionals", "initial", "first_review", "further_review")
    with tempfile.TemporaryDirectory() as folder:
        vault = Vault.create(Path(folder) / "busy.cre", passphrase)
        repo = Repository(vault)
        data = new_case(tk, dt.date(2026, 6, 1))
        data["child"].update(name="Bench Busy Child", date_of_birth="2011-05-05")
        case_id = repo.create_case(tk, data).case_id
        with vault.session() as s:  # 49 more versions, as years of reviews leave them
            first = s.scalars(select(AssessmentRow)).one()
            columns = {c.key: getattr(first, c.key) for c in AssessmentRow.__table__.columns}
            for n in range(2, 51):
                s.add(AssessmentRow(**{**columns, "id": None, "version": n, "status": "final"}))
            stored_meetings.insert_meetings(s, case_id, [
                {"type": kinds[n % 4], "date": (dt.date(2020, 1, 1) + dt.timedelta(days=9 * n))
                 .isoformat(), "chair": "Bench Chair", "level": "medium",
                 "actions": "Fictional actions agreed"} for n in range(200)
            ])  # fmt: skip
            s.commit()

        def open_case() -> None:
            repo.get_case(case_id)
            repo.assessments(case_id)
            stored_meetings.meetings(repo, case_id)
            stored_meetings.case_facts(repo, case_id)
            repo.documents(case_id)

        assert len(repo.assessments(case_id)) == 50
        assert len(stored_meetings.meetings(repo, case_id)) == 200
        times = _timed(open_case, 10)
        vault.close()
    report("open a case with 50 assessments and 200 meetings (median)",
           statistics.median(times) * 1000, 100)  # fmt: skip


def synthetic_children(n: int, start: dt.date, rng: random.Random) -> list[Any]:
    from app.stats.report import AssessmentFact, CaseFacts, MeetingFact, categories

    cats = categories()
    pick = {k: [i for i, _ in v] for k, v in cats.items()}
    toolkits = ("derby-cse-2017", "derby-cre-2020", "bedfordshire-cse", "portsmouth-cse-2016")
    levels = ("low", "medium", "high", None)
    out = []
    for _ in range(n):
        opened = start + dt.timedelta(days=rng.randrange(0, 700))
        assessments = tuple(
            AssessmentFact(opened + dt.timedelta(days=90 * k), rng.choice(levels),
                           rng.choice(toolkits)) for k in range(rng.randrange(1, 4))
        )  # fmt: skip
        meetings = tuple(
            MeetingFact(opened + dt.timedelta(days=30 * k),
                        rng.choice(pick.get("meeting_types") or ["initial"]),
                        rng.choice(("low", "medium", "high")), rng.random() < 0.5,
                        rng.random() < 0.5, rng.random() < 0.5) for k in range(rng.randrange(0, 5))
        )  # fmt: skip
        closed = opened + dt.timedelta(days=rng.randrange(30, 500)) if rng.random() < 0.4 else None
        out.append(CaseFacts(
            assessments=assessments,
            gender=rng.choice(pick.get("gender") or [None]),
            ethnicity=rng.choice(pick.get("ethnicity") or [None]),
            send=rng.random() < 0.2, looked_after=rng.random() < 0.3,
            models_of_abuse=tuple(rng.sample(pick.get("models_of_abuse") or [], 1)),
            closed=closed,
            closure_reason=rng.choice(pick.get("closure_reasons") or [None]) if closed else None,
            meetings=meetings,
        ))  # fmt: skip
    return out


def bench_statistics(report: Report, quick: bool) -> None:
    from app.stats.report import build_report

    start = dt.date(2024, 4, 1)
    end = dt.date(2026, 3, 31)  # 8 quarters
    cases = synthetic_children(5000, start, random.Random(20))
    result = build_report(cases, start, end, today=dt.date(2026, 6, 1))
    assert len(result.periods) == 8, result.periods
    times = _timed(lambda: build_report(cases, start, end, today=dt.date(2026, 6, 1)),
                   2 if quick else 5)  # fmt: skip
    report("statistics: 5,000 children over 8 quarters (median)",
           statistics.median(times) * 1000, 1000, rows=len(result.rows))  # fmt: skip


def bench_stamps(report: Report) -> None:
    """Definitions whose schema stamp is stale are validated at every start (jsonschema,
    ~50-100 ms of an export process): refresh with `python -m app toolkits --stamp`."""
    from app.forms import validated
    from app.forms.loader import _schema
    from app.forms.shared_files import definitions_dir, shared_schemas

    base = Path(str(definitions_dir()))
    schemas = {**shared_schemas()}
    known = validated.known(base)
    stale = [
        path.name
        for path in sorted(base.glob("*.yaml"))
        if validated.stamp(schemas.get(path.name, _schema()), path.read_text("utf-8")) not in known
    ]
    report("definitions without a current schema stamp", len(stale), 0, unit="files",
           stale=stale)  # fmt: skip
