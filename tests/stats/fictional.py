"""A vault of seven fictional children with meetings over the four quarters of 2025-26.

Every count in tests/stats/test_appendix.py is worked out by hand from this story:
A  2017 toolkit, High 2025-04-10; professionals, initial, first review, a further review;
   in care as a result of CSE from another LA; Section 3 models adult on child and
   internet; closed 2026-01-20 in low risk.
B  2017 toolkit, Medium 2025-05-02; initial, first review, two further reviews; SEND.
C  Portsmouth, Low 2025-10-05; two professionals meetings, an initial meeting; models
   chosen in the case dialog (its toolkit asks none); closed 2026-03-01, risk escalated.
D  2017 toolkit, Medium 2025-02-01 (before the year); initial 2025-03-01, first review
   2025-04-25 at Low; closed 2025-07-15, risk reduced.
E  2017 toolkit, 11 years old, completed at Low 2026-01-12 below the floor: no level.
F  a draft only (2025-09-01): counted nowhere.
G  a draft (2026-03-05) and a professionals meeting 2026-03-10 with no level agreed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.casework.meetings import record_meeting
from app.forms import Registry
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases
from tests.casework.support import sign_off
from tests.rules.cases import case, tick

PASS = "fictional appendix passphrase"
TODAY = dt.date(2026, 11, 25)


def meeting(kind: str, day: str, level: str | None, yp: bool, parents: bool, views: bool,
            nxt: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "type": kind,
        "date": day,
        "chair": "Fictional Chair",
        "young_person_attended": yp,
        "parents_attended": parents,
        "views_conveyed": views,
        "level": level,
        "actions": "Fictional actions",
        "next_meeting": nxt,
    }


def _file(
    registry: Registry,
    toolkit: str,
    when: str,
    band: str,
    final: str | None,
    child: dict[str, Any],
    *,
    born: str = "2010-01-15",
) -> dict[str, Any]:
    tk = registry.get(toolkit)
    data = case(registry, toolkit, identified=tick(tk, band), final=final)
    data["assessment_date"] = when
    data["child"].update(child, date_of_birth=born)
    data["analysis"] = sign_off(tk, when)  # the required Section 3 answers
    return data


def build(registry: Registry, path: Path, names: list[str] | None = None) -> Repository:
    """The vault; `names` (seven sentinels) replace the children's names and free text."""
    a = _file(registry, "derby-cse-2017", "2025-04-10", "high", "high",
              {"gender": "female", "ethnicity": "white_british", "source_of_request": "education",
               "looked_after": True})  # fmt: skip
    a["analysis"]["models_of_cse"] = ["adult_on_child", "internet_based_cse_contact"]
    a["case_facts"] = {
        "key_worker": "social_care",
        "priority_areas": ["police_involvement", "any_missing"],
        "in_care_due_to_exploitation": True,
        "from_another_la": True,
    }
    a["meetings"] = [
        meeting("professionals", "2025-04-20", "high", False, True, False),
        meeting("initial", "2025-05-15", "high", True, True, True),
        meeting("first_review", "2025-08-10", "medium", False, True, True),
        meeting("further_review", "2025-11-05", "low", True, False, False, "2026-02-05"),
    ]
    b = _file(registry, "derby-cse-2017", "2025-05-02", "medium", "medium",
              {"gender": "male", "ethnicity": "black_african", "source_of_request": "police",
               "send": True})  # fmt: skip
    b["analysis"]["models_of_cse"] = ["gang_association_membership"]
    b["case_facts"] = {"key_worker": "mat", "priority_areas": ["gangs", "offending"],
                       "in_care_due_to_exploitation": False, "from_another_la": False}  # fmt: skip
    b["meetings"] = [
        meeting("initial", "2025-06-01", "medium", False, False, True),
        meeting("first_review", "2025-09-20", "high", True, True, True),
        meeting("further_review", "2025-12-10", "high", False, True, False),
        meeting("further_review", "2026-02-15", "high", True, True, True, "2026-04-15"),
    ]
    c = _file(registry, "portsmouth-cse-2016", "2025-10-05", "low", "low",
              {"gender": "female", "ethnicity": "gypsy_roma", "sexual_identity": "bisexual",
               "source_of_request": "health"})  # fmt: skip
    c["case_facts"] = {"key_worker": "other", "priority_areas": ["self_harm"]}
    c["meetings"] = [
        meeting("professionals", "2025-10-20", "low", False, False, False),
        meeting("professionals", "2025-11-25", "medium", False, False, False),
        meeting("initial", "2026-01-10", "medium", True, True, True),
    ]
    d = _file(registry, "derby-cse-2017", "2025-02-01", "medium", "medium",
              {"gender": "female", "ethnicity": "white_other_european"})  # fmt: skip
    d["meetings"] = [
        meeting("initial", "2025-03-01", "medium", False, False, False),
        meeting("first_review", "2025-04-25", "low", True, True, True),
    ]
    e = _file(registry, "derby-cse-2017", "2026-01-12", "low", "low",
              {"gender": "male", "ethnicity": "white_british",
               "source_of_request": "social_care"}, born="2014-06-01")  # fmt: skip
    f = _file(registry, "derby-cse-2017", "2025-09-01", "high", None,
              {"gender": "male", "ethnicity": "other_chinese"})  # fmt: skip
    g = _file(registry, "derby-cse-2017", "2026-03-05", "medium", None,
              {"gender": "female", "ethnicity": "dual_white_asian"})  # fmt: skip
    files = [a, b, c, d, e, f, g]
    if names:
        for n, data in enumerate(files):
            data["child"]["name"] = names[n]
            for m in data.get("meetings", []):
                m["chair"], m["actions"] = names[n] + "C", names[n] + "X"
    vault = Vault.create(path, PASS)
    repo = Repository(vault)
    ids = import_cases(repo, registry, {"format": "cre-case-export", "version": 1, "cases": files})
    repo.set_case_details(
        ids[0], models_of_abuse=["gangs"], closed_on="2026-01-20", closure_reason="low_risk"
    )  # the 2017 toolkit's own Section 3 answer wins over a dialog's models
    repo.set_case_details(
        ids[2], models_of_abuse=["peer_on_peer", "online"], closed_on="2026-03-01",
        closure_reason="risk_escalated",
    )  # fmt: skip
    repo.set_case_details(ids[3], closed_on="2025-07-15", closure_reason="risk_reduced")
    draft_e = repo.assessments(ids[4])[-1]
    assert draft_e.status == "draft"  # the import refuses to complete Low under 13
    repo.complete(draft_e.id, "low", None)  # completed anyway, as an old vault might hold
    record_meeting(
        repo, ids[6], meeting("professionals", "2026-03-10", None, False, True, False),
        today=TODAY,
    )  # fmt: skip
    return repo
