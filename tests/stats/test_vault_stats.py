"""Statistics from a real vault of known fictional cases, and a sentinel scan of a bundle."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any

from app.forms import Registry
from app.stats import build_report, to_bundle, write_bundle
from app.stats.source import facts_from_vault
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases
from tests.casework.support import sign_off
from tests.rules.cases import case, tick

PASS = "fictional statistics passphrase"
MODELS = "CSE Model/Method (multiple can apply for each case)"


def known_vault(registry: Registry, path: Path, sentinels: list[str] | None = None) -> Repository:
    """Three fictional children: assessed in Q1 and Q2 2026-27, one reviewed, one closed."""
    tk = registry.get("derby-cse-2017")
    rows: list[tuple[str, str, dict[str, Any]]] = [
        ("2026-04-10", "high", {"gender": "female", "ethnicity": "white_british", "sexual_identity": "heterosexual", "source_of_request": "education", "looked_after": True}),
        ("2026-05-02", "low", {"gender": "male", "ethnicity": "black_african", "source_of_request": "police"}),
        ("2026-08-20", "medium", {"gender": "female", "ethnicity": "gypsy_roma", "sexual_identity": "bisexual", "source_of_request": "health", "send": True}),
    ]  # fmt: skip
    cases = []
    for n, (when, band, child) in enumerate(rows):
        data = case(registry, tk.id, identified=tick(tk, band), final=band)
        data["assessment_date"] = when
        data["child"].update(child)
        data["analysis"] = sign_off(tk, when)  # completed assessments: their levels count
        if sentinels:
            data["child"]["name"] = sentinels[n]
            data["analysis"].update(
                immediate_concerns=sentinels[n + 3], perpetrators_places=sentinels[n + 6]
            )
        cases.append(data)
    vault = Vault.create(path, PASS)
    repo = Repository(vault)
    ids = import_cases(repo, registry, {"format": "cre-case-export", "version": 1, "cases": cases})
    review = repo.start_review(ids[0])  # the first child reviewed in Q2 at Medium
    answers = dict(review.answers)
    answers["assessment_date"] = "2026-07-15"
    repo.save_draft(review.id, answers)
    repo.complete(review.id, "medium", None)
    repo.set_case_details(ids[0], models_of_abuse=["online", "boyfriend_girlfriend"])
    repo.set_case_details(
        ids[1], models_of_abuse=["online"], closed_on="2026-06-30", closure_reason="risk_reduced"
    )
    return repo


def test_every_statistic_from_a_vault_of_known_cases(registry: Registry, tmp_path: Path) -> None:
    repo = known_vault(registry, tmp_path / "v.cre")
    report = build_report(facts_from_vault(repo), dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    repo.vault.close()
    expected = {
        ("Requests", "requests"): ((2, 1), 3),
        ("Assessments", "assessments"): ((2, 2), 4),
        ("Assessments", "children"): ((2, 2), 3),
        ("Assessments", "open_cases"): ((2, 2), 3),
        ("Gender", "female"): ((1, 1), 2),
        ("Gender", "male"): ((1, 0), 1),
        ("Disability", "send"): ((0, 1), 1),  # a SEND child cannot be Low: assessed Medium
        ("Children in Care", "looked_after"): ((1, 0), 1),
        ("Ethnicity", "white_british"): ((1, 0), 1),
        ("Ethnicity", "black_african"): ((1, 0), 1),
        ("Ethnicity", "gypsy_roma"): ((0, 1), 1),
        ("Sexual Identity", "heterosexual"): ((1, 0), 1),
        ("Sexual Identity", "bisexual"): ((0, 1), 1),
        ("Sexual Identity", "not_recorded"): ((1, 0), 1),
        ("Source of Requests", "education"): ((1, 0), 1),
        ("Source of Requests", "police"): ((1, 0), 1),
        ("Source of Requests", "health"): ((0, 1), 1),
        ("Level at first assessment", "high"): ((1, 0), 1),
        ("Level at first assessment", "low"): ((1, 0), 1),
        ("Level at first assessment", "medium"): ((0, 1), 1),
        ("Level at review", "medium"): ((0, 1), 1),
        ("Level at review", "high"): ((0, 0), 0),
        (MODELS, "online"): ((2, 1), 2),
        (MODELS, "boyfriend_girlfriend"): ((1, 1), 1),
        ("Closures", "total"): ((1, 0), 1),
        ("Closures", "risk_reduced"): ((1, 0), 1),
        ("Closures", "moved"): ((0, 0), 0),
    }
    for (section, key), (counts, total) in expected.items():
        row = report.row(section, key)
        assert (row.counts, row.total) == (counts, total), (section, key, row.counts, row.total)
    others = {
        (r.section, r.key): r.total for r in report.rows if (r.section, r.key) not in expected
    }
    assert {k: v for k, v in others.items() if v} == {}  # every other category counts nothing


def test_a_bundle_carries_no_name_birth_date_or_free_text(
    registry: Registry, tmp_path: Path
) -> None:
    sentinels = [f"SENTINEL{secrets.token_hex(6).upper()}" for _ in range(9)]
    repo = known_vault(registry, tmp_path / "v.cre", sentinels)
    births = {
        a.answers["child"]["date_of_birth"]
        for c in repo.list_cases()
        for a in repo.assessments(c.id)
    }
    report = build_report(facts_from_vault(repo), dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    repo.vault.close()
    write_bundle(to_bundle(report, source_id="fictional-laptop"), tmp_path / "bundle.json")
    text = (tmp_path / "bundle.json").read_text("utf-8")
    for sentinel in sentinels:
        assert sentinel not in text
    for birth in births:
        assert birth not in text
    assert "2026-04-10" not in text and "2026-07-15" not in text  # no assessment dates either
    data = json.loads(text)
    assert all(isinstance(c, int) for row in data["rows"] for c in row["counts"])
