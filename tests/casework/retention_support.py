"""A rich fictional case for the retention and subject access tests: two assessment
versions with notes, plans, an information report naming a third party, meetings, case
facts and an export in the audit. Every personal value carries a sentinel so a test can
look for its bytes afterwards."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from app.forms import Registry
from app.storage import Repository
from app.storage.meetings import add_meeting, set_case_facts
from tests.storage.conftest import sample


@dataclass(frozen=True)
class Rich:
    case_id: int
    name: str
    dob: str
    sentinels: tuple[str, ...]  # every personal string written about the child
    versions: int
    meetings: int


def rich_case(
    repo: Repository, registry: Registry, tag: str = "Q7", *, versions: int = 2,
    meetings: int = 2,
) -> Rich:  # fmt: skip
    if not (repo.get_setting("profile") or {}).get("name"):  # someone to sign exports as
        repo.set_setting("profile", {"name": "Test Practitioner", "agency": "Test Agency"})
    tk = registry.get("derby-cse-2017")
    name = f"Zebedee Purgeable{tag}"
    note = f"NOTE-SENTINEL-{tag}-seen near the canal"
    analysis = f"ANALYSIS-SENTINEL-{tag} fictional worries"
    data = sample(registry)
    data["child"]["name"] = name
    first = next(iter(data["section1"]))
    data["section1"][first]["note"] = note
    data["analysis"]["immediate_concerns"] = analysis
    rec = repo.create_case(tk, data)
    case_id = rec.case_id
    current = rec
    for n in range(1, versions):
        repo.complete(current.id, "medium", None)
        current = repo.new_version(current.id)
        later = copy.deepcopy(data)
        later["analysis"]["immediate_concerns"] = f"{analysis} version {n + 1}"
        repo.save_draft(current.id, later)
    plan = f"PLAN-SENTINEL-{tag} weekly visits"
    repo.save_document(case_id, "plans", {"support_plan": {"rows": [{"action": plan}]}})
    third = f"THIRD-PARTY-SENTINEL-{tag} Alleged Adult"
    repo.add_document(case_id, "information_report", {"perpetrators": []})
    repo.save_document(case_id, "information_report", {"perpetrators": [{"name": third}]})
    meeting_text = f"MEETING-SENTINEL-{tag} agreed actions"
    for n in range(meetings):
        add_meeting(
            repo,
            case_id,
            {
                "type": "initial",
                "date": f"2026-02-{n % 27 + 1:02d}",
                "chair": "Fictional Chair",
                "actions": f"{meeting_text} {n}",
            },
        )
    set_case_facts(
        repo,
        case_id,
        {"key_worker": "social_care", "priority_areas": [], "in_care_due_to_exploitation": True},
    )
    repo.record_export(case_id, current.id, {"reference": f"CRE-20260301-ABC{tag}"})
    sentinels = (name, note, analysis, plan, third, meeting_text)
    return Rich(case_id, name, data["child"]["date_of_birth"], sentinels, versions, meetings)


def other_case(repo: Repository, registry: Registry) -> int:
    data: dict[str, Any] = sample(registry)
    data["child"]["name"] = "Keeper Stays-Here"
    return repo.create_case(registry.get("derby-cse-2017"), data).case_id
