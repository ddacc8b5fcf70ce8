"""Budgets for retention and subject access (issue 28): purging one case from a
1,000-case vault (delete, audit re-chain, VACUUM, -wal emptied) and a subject access
export of a case with 20 assessments and 50 meetings (gathered, rendered, signed, written).
Called from run.py."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Report = Callable[..., None]
LATER = dt.date(2030, 1, 1)


def bench_purge(registry: Any, report: Report, passphrase: str, quick: bool) -> None:
    from app.casework import retention
    from app.rules import new_case
    from app.storage import Repository, Vault
    from app.storage.casefiles import import_cases

    tk = registry.get("derby-cse-2017")
    times = []
    with tempfile.TemporaryDirectory() as folder:
        vault = Vault.create(Path(folder) / "p.cre", passphrase)
        repo = Repository(vault)
        cases = []
        for i in range(1000):
            data = new_case(tk, dt.date(2026, 6, 1))
            data["child"].update(name=f"Bench Child {i:05d}", date_of_birth="2011-05-05")
            data["analysis"] = {"immediate_concerns": f"Fictional note {i} " * 40}
            cases.append(data)
        ids = import_cases(repo, registry, {"format": "cre-case-export", "version": 1,
                                            "cases": cases})  # fmt: skip
        for case_id in ids[: 3 if quick else 7]:
            retention.close_case(repo, case_id, "2026-01-05", "moved")
            retention.mark_recorded(repo, case_id, "2026-01-06")
            began = time.perf_counter()
            retention.purge_case(repo, case_id, today=LATER)
            times.append(time.perf_counter() - began)
        assert repo.count_cases() == 1000 - len(times)
        vault.close()
    report("purge one case from a 1,000-case vault (median)",
           statistics.median(times) * 1000, 2000)  # fmt: skip


def bench_sar(registry: Any, report: Report, passphrase: str, quick: bool) -> None:
    from sqlalchemy import select

    from app.casework.oversight import set_profile
    from app.casework.sar import export_sar
    from app.rules import new_case
    from app.storage import Repository, Vault
    from app.storage import meetings as stored_meetings
    from app.storage.models import AssessmentRow

    tk = registry.get("derby-cse-2017")
    kinds = ("professionals", "initial", "first_review", "further_review")
    with tempfile.TemporaryDirectory() as folder:
        vault = Vault.create(Path(folder) / "sar.cre", passphrase)
        repo = Repository(vault)
        set_profile(repo, name="Bench Practitioner")  # nothing is signed without a name
        data = new_case(tk, dt.date(2026, 6, 1))
        data["child"].update(name="Bench Subject Child", date_of_birth="2011-05-05")
        for item in [i for i in tk.section1_items if not i.other][:10]:
            data["section1"][item.id] = {"risk": True, "evidenced": False,
                                         "note": "Fictional note " * 20}  # fmt: skip
        case_id = repo.create_case(tk, data).case_id
        with vault.session() as s:
            first = s.scalars(select(AssessmentRow)).one()
            columns = {c.key: getattr(first, c.key) for c in AssessmentRow.__table__.columns}
            for n in range(2, 21):
                s.add(AssessmentRow(**{**columns, "id": None, "version": n,
                                       "status": "completed"}))  # fmt: skip
            stored_meetings.insert_meetings(s, case_id, [
                {"type": kinds[n % 4], "date": (dt.date(2020, 1, 1) + dt.timedelta(days=9 * n))
                 .isoformat(), "chair": "Bench Chair", "level": "medium",
                 "actions": "Fictional actions agreed"} for n in range(50)
            ])  # fmt: skip
        assert len(repo.assessments(case_id)) == 20
        out = Path(folder) / "out"
        export_sar(repo, registry, case_id, out)  # warm: the signing identity is made once
        times = []
        for _ in range(3 if quick else 7):
            began = time.perf_counter()
            export_sar(repo, registry, case_id, out)
            times.append(time.perf_counter() - began)
        vault.close()
    report("subject access: 20 assessments, 50 meetings (median)",
           statistics.median(times) * 1000, 2000)  # fmt: skip
