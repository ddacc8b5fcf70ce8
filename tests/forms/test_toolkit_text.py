"""Toolkit text as printed (issue 25, points 2 and 3): what the definitions hold.

No scraping placeholder is ever held as an address; Portsmouth's Step 3 matrix is the one
printed (14 High indicators), the two entries only its Step 4 summary lists kept apart; the
2020 option under its 2017 heading; the text that was left out is there, word for word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.forms import LOST_ADDRESS, Registry
from tests.forms.test_definitions import SEEDS, SOURCES
from tests.forms.test_fixed_from import normalise

DEFINITIONS = Path(__file__).resolve().parents[2] / "app" / "forms" / "definitions"
TOOLKITS = sorted(SOURCES)


def test_no_definition_holds_the_scraping_placeholder() -> None:
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        text = path.read_text("utf-8")
        assert "[email" not in text and "protected]" not in text, path.name
        assert "email\xa0protected" not in text, path.name


def test_portsmouth_says_where_its_addresses_were_lost(registry: Registry) -> None:
    tk = registry.get("portsmouth-cse-2016")
    lost = {c["name"]: c for c in tk.contacts if c.get("group") == "Email Addresses"}
    assert set(lost) == {"Police Intelligence", "MASH", "Community Partnership Information (CPI 1)"}
    for contact in lost.values():
        assert "email" not in contact
        assert LOST_ADDRESS in contact["details"].lower()
    note = next(n for n in tk.data["notes"] if n["id"] == "send_to_mash")
    assert f"(MASH) ({LOST_ADDRESS})" in note["text"]
    (cpi1,) = tk.data["information_forms"]
    assert LOST_ADDRESS in cpi1["recipients"][0]["text"]
    assert LOST_ADDRESS in cpi1["guidance"][0]


def test_portsmouth_step_3_matrix_is_as_printed(registry: Registry) -> None:
    tk = registry.get("portsmouth-cse-2016")
    matrix = {g.id: g for g in tk.section1_groups if g.id in ("low", "medium", "high")}
    assert [len(matrix[b].items) for b in ("low", "medium", "high")] == [9, 17, 14]
    high = [i.id for i in matrix["high"].items]
    summary_only = ["disclosure_serious_sexual_assault", "indicators_cse_serious_self_harming"]
    assert not set(summary_only) & set(high)
    step4 = next(g for g in tk.section1_groups if g.id == "summary_high")
    assert [i.id for i in step4.items] == summary_only
    assert step4.band == "high" and step4.title.startswith("Step 4 - Summary Form")
    checklist = tk.data["section3"]["checklist"][2]
    assert {e["item"] for e in checklist["entries"]} >= set(summary_only)  # ticked in Step 4
    seed = SEEDS / SOURCES["portsmouth-cse-2016"]
    if seed.exists():  # the printed High matrix: between its heading and its total
        text = normalise(seed.read_text("utf-8"))
        start = text.index("High Risk When a child or young person is considered at high risk")
        printed = text[start : text.index("Total Number of High level", start)]
        for item in matrix["high"].items:
            words = item.text.split()
            assert words[0] in printed and words[-1] in printed
        assert "withdrawal of statement" not in printed
        assert "alongside serious self harming" not in printed


def test_2020_eat_together_sits_under_achieve_normality(registry: Registry) -> None:
    aims = {a["id"]: a for a in registry.get("derby-cre-2020").data["disruption_tool"]["aims"]}
    normality = [o["id"] for o in aims["achieve_normality"]["options"]]
    school = [o["id"] for o in aims["make_school_more_attractive"]["options"]]
    assert "encourage_child_eat_together" in normality
    assert "encourage_child_eat_together" not in school
    cse17 = registry.get("derby-cse-2017").data["disruption_tool"]["aims"]
    (same,) = [a for a in cse17 if a["title"].startswith("Achieve normality")]
    assert any("eat together" in o["label"] for o in same["options"])


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_every_toolkit_has_its_intervention_strategies(registry: Registry, toolkit: str) -> None:
    strategies = registry.get(toolkit).intervention_strategies
    assert strategies is not None
    items = [i for b in strategies["blocks"] for i in b["items"]]
    assert len(items) >= 19
    assert any("small targets to achieve monthly" in i for i in items)


def test_2020_keeps_the_disruption_toolkit_paragraph(registry: Registry) -> None:
    strategies = registry.get("derby-cre-2020").intervention_strategies
    assert strategies is not None
    last = strategies["blocks"][-1]
    assert last["text"].startswith("In addition to the above practitioners should refer to the")
    assert "Child Exploitation Disruption Toolkit: disruption tactics (2019)" in last["text"]
    assert len(last["items"]) == 3


def test_bedfordshire_lists_its_secure_email_domains(registry: Registry) -> None:
    (csep,) = [
        f for f in registry.get("bedfordshire-cse").data["information_forms"]
        if f["id"] == "csep_referral"
    ]  # fmt: skip
    guidance = csep["guidance"]
    at = next(n for n, g in enumerate(guidance) if g.endswith("like the ones identified below;"))
    domains = guidance[at + 1].split(", ")
    assert len(domains) == 12 and domains[0] == "nhs.net" and domains[-1] == "sms.nhs.net"
    seed = SEEDS / SOURCES["bedfordshire-cse"]
    if seed.exists():
        text = seed.read_text("utf-8")
        assert all(d in text for d in domains)


def test_csep_subheadings_and_police_answer_part(registry: Registry) -> None:
    forms = {f["id"]: f for f in registry.get("bedfordshire-cse").data["information_forms"]}
    subheadings = [
        f["subheading"]
        for s in forms["csep_referral"]["sections"]
        for f in s["fields"]
        if f.get("subheading")
    ]
    assert subheadings == [
        "Description of the child/young person",
        "Mobile Phone Activity",
        "Description of the person presenting the risk:",
        "Cars being used to visit/collect/transport the child/young person",
    ]
    sections = {s["id"]: s for s in forms["police_information_request"]["sections"]}
    assert sections["categories"].get("answered_by") == "police"
    assert "answered_by" not in sections["request"]
