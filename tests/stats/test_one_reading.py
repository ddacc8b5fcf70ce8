"""Statistics and rules read the form the same way (issue 25, point 4).

A child is looked after or disabled for Appendix A exactly when the rules treat them so:
from the child's flags or from the toolkit's own fields (Portsmouth's circled status, a
ticked Section 2 factor). And every model of abuse in the report can be recorded for every
toolkit: the 2017 toolkit's Section 3 list lacks four, which are case facts instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.forms import Registry, Toolkit
from app.rules.meetings import case_models, models_not_asked, options
from app.stats import build_report
from app.stats.source import facts_from_vault
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases
from tests.casework.support import sign_off
from tests.rules.cases import case, run, tick

PASS = "fictional statistics passphrase"
MODELS = "CSE Model/Method (multiple can apply for each case)"
TOOLKITS = ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse")


def _high_case(registry: Registry, tk: Toolkit, when: str) -> dict[str, Any]:
    """A completed High case with every flag false: conditions only from the form."""
    band = None if tk.marking == "cce_cse_level" else "high"
    data = case(registry, tk.id, identified=tick(tk, band, rating="H"), final="high")
    data["assessment_date"] = when
    data["analysis"] = sign_off(tk, when)
    return data


def _by_own_fields(registry: Registry) -> list[dict[str, Any]]:
    """One fictional case per toolkit field or factor that implies a condition."""
    out = []
    for toolkit in TOOLKITS:
        tk = registry.get(toolkit)
        for item in tk.section2_items:
            if not item.implies:
                continue
            data = _high_case(registry, tk, "2026-05-04")
            data["section2"] = {
                item.id: {
                    c["id"]: True if c["type"] == "bool" else "Fictional: recorded here"
                    for c in tk.section2_columns
                }
            }
            out.append(data)
        for field in tk.child_fields:
            for option_id, _implied in field.option_implies:
                data = _high_case(registry, tk, "2026-05-04")
                data["child"][field.id] = [option_id]
                out.append(data)
    return out


def test_appendix_counts_the_children_the_rules_treat_as_looked_after_or_disabled(
    registry: Registry, tmp_path: Path
) -> None:
    cases = _by_own_fields(registry)
    verdicts = [run(registry, data) for data in cases]
    assert all(not any(d["child"][f] for f in ("send", "looked_after")) for d in cases)
    expect_send = sum("send" in v.conditions for v in verdicts)
    expect_lac = sum("looked_after" in v.conditions for v in verdicts)
    # Portsmouth's circled status and the looked-after factors of three toolkits; the
    # learning-disability factors of every toolkit
    assert expect_lac >= 4 and expect_send >= 4
    repo = Repository(Vault.create(tmp_path / "v.cre", PASS))
    try:
        import_cases(repo, registry, {"format": "cre-case-export", "version": 1, "cases": cases})
        facts = facts_from_vault(repo)
    finally:
        repo.vault.close()
    assert len(facts) == len(cases)  # every case completed and counted
    report = build_report(facts, dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert report.row("Disability", "send").total == expect_send
    assert report.row("Children in Care", "looked_after").total == expect_lac


def test_every_model_of_abuse_is_recordable_for_every_toolkit() -> None:
    every = [k for k, _ in options("models_of_abuse")]
    for toolkit in TOOLKITS:
        asked_in_section3 = set(every) - set(models_not_asked(toolkit))
        assert asked_in_section3 | set(models_not_asked(toolkit)) == set(every)
    assert set(models_not_asked("derby-cse-2017")) == {
        "risk_taking", "offline_street_grooming", "organised", "other",
    }  # fmt: skip
    assert models_not_asked("portsmouth-cse-2016") == tuple(every)  # asked in Case details


def test_2017_models_combine_section3_and_case_facts() -> None:
    analysis = {"models_of_cse": ["internet_based_cse_contact"]}
    recorded = ["risk_taking", "online", "organised"]  # "online" is Section 3's to say
    assert case_models("derby-cse-2017", analysis, recorded) == (
        "online", "risk_taking", "organised",
    )  # fmt: skip
    assert case_models("derby-cse-2017", {}, recorded) == ("risk_taking", "organised")
    assert case_models("bedfordshire-cse", analysis, recorded) == (
        "online", "risk_taking", "organised",
    )  # fmt: skip


def test_risk_taking_model_counts_for_a_2017_case(registry: Registry, tmp_path: Path) -> None:
    tk = registry.get("derby-cse-2017")
    data = _high_case(registry, tk, "2026-05-04")
    data["analysis"]["models_of_cse"] = ["internet_based_cse_contact"]
    repo = Repository(Vault.create(tmp_path / "v.cre", PASS))
    try:
        (case_id,) = import_cases(
            repo, registry, {"format": "cre-case-export", "version": 1, "cases": [data]}
        )
        repo.set_case_details(case_id, models_of_abuse=["risk_taking", "other"])
        report = build_report(facts_from_vault(repo), dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    finally:
        repo.vault.close()
    assert report.row(MODELS, "online").total == 1
    assert report.row(MODELS, "risk_taking").total == 1
    assert report.row(MODELS, "other").total == 1
