"""The four toolkits as transcribed: counts, exact wording, and fidelity to the sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.forms import Registry, Toolkit
from tests.conftest import require_seed

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SOURCES = {
    "derby-cse-2017": "000_962f24f629f1b3ba.txt",
    "derby-cre-2020": "001_406b23331a7babd0.txt",
    "portsmouth-cse-2016": "002_1ab6551d90dea0ff.txt",
    "bedfordshire-cse": "003_7503223c39198693.txt",
}


def band_counts(tk: Toolkit) -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for item in tk.section1_items:
        counts[item.band] = counts.get(item.band, 0) + 1
    return counts


def test_all_four_toolkits_load(registry: Registry) -> None:
    assert sorted(registry.ids()) == sorted(SOURCES)
    for tk in registry:
        assert tk.source_date and tk.version and tk.partnership
        assert tk.content_hash.startswith("sha256:")


@pytest.mark.parametrize(
    ("toolkit", "section1", "section2"),
    [
        ("derby-cse-2017", {"low": 12, "medium": 15, "high": 12}, 18),
        ("derby-cre-2020", {None: 29}, 16),
        ("portsmouth-cse-2016", {"low": 9, "medium": 17, "high": 14}, 17),
        ("bedfordshire-cse", {"low": 9, "medium": 14, "high": 13}, 14),
    ],
)
def test_counts(
    registry: Registry, toolkit: str, section1: dict[str | None, int], section2: int
) -> None:
    tk = registry.get(toolkit)
    assert band_counts(tk) == section1
    assert len(tk.section2_items) == section2


def test_2020_has_28_indicators_and_other(registry: Registry) -> None:
    tk = registry.get("derby-cre-2020")
    others = [i for i in tk.section1_items if i.other]
    assert len(others) == 1 and others[0].id == "other"
    assert others[0].text == "Other: Please expand on any indicator above (external agencies only)"
    assert len(tk.section1_items) - len(others) == 28


def test_2020_examples_are_attached_to_twelve_indicators(registry: Registry) -> None:
    tk = registry.get("derby-cre-2020")
    with_examples = {i.id: i.examples for i in tk.section1_items if i.examples}
    assert len(with_examples) == 12
    missing = tk.item("regularly_missing_from_home").examples
    assert missing is not None
    assert (
        missing.low
        == "Occasional, short episodes with a plausible explanation of what has occurred."
    )
    weapons = tk.item("carrying_weapons").examples
    assert weapons is not None
    assert weapons.high.startswith("A child repeatedly carrying weapons despite being dealt with")
    slavery = tk.item("indicators_modern_slavery").examples
    assert slavery is not None
    assert slavery.medium == "Evidence of the child being transported by an adult."


EXACT = [
    ("derby-cse-2017", "regularly_coming_home_late", "Regularly coming home late or going missing"),
    ("derby-cse-2017", "peer_on_peer_issues",
     "Peer on peer, issues including sexualised bullying, sexualised language and sexting with consent"),
    ("derby-cse-2017", "getting_into_cars", "Getting into cars with one or more unknown adults"),
    ("derby-cse-2017", "gang_member_association_gangs",
     "Gang member or association with gangs and delinquent peer groups"),
    ("derby-cse-2017", "child_under_13_involved", "Child under 13 involved or coerced into sexual activity"),
    ("derby-cse-2017", "cse_alongside_serious_self_harm", "Indicators of CSE alongside serious self-harming"),
    ("derby-cse-2017", "adult_home_known_soliciting", "Adult in home known to be soliciting (prostitution)"),
    ("derby-cre-2020", "online_activity", "Concern re: online activity"),
    ("derby-cre-2020", "radicalisation_extremism",
     "Child shows/family interest in radicalisation or extremism"),
    ("derby-cre-2020", "young_carer", "Young carer"),
    ("derby-cre-2020", "previous_history_exploitation", "Previous history of exploitation"),
    ("portsmouth-cse-2016", "regularly_coming_home_late", "Regularly coming home late or going missing"),
    ("portsmouth-cse-2016", "significant_changes_in_behaviour",
     "Significant changes in behaviour, e.g. eating patterns, self-harm etc."),
    ("portsmouth-cse-2016", "getting_into_cars_unknown", "Getting into cars with unknown adults"),
    ("portsmouth-cse-2016", "gang_association", "Gang association"),
    ("portsmouth-cse-2016", "child_under_13_engaging", "Child under 13 engaging in sexual activity"),
    ("portsmouth-cse-2016", "found_at_sex_offenders_address", "Being found at Sex Offenders address"),
    ("bedfordshire-cse", "regularly_coming_home_late", "Regularly coming home late or going missing"),
    ("bedfordshire-cse", "poor_self_image_eating", "Poor self-image, eating disorder, some self harm"),
    ("bedfordshire-cse", "clipping_offering_have_sex",
     "Clipping i.e. offering to have sex with the intention of robbing the victim, then running "
     "before sexual activity"),
    ("bedfordshire-cse", "gang_association_membership", "Gang association or membership"),
    ("bedfordshire-cse", "receiving_reward_recruiting",
     "Receiving a reward for recruiting other peers to sexual abuse of C/YP through exploitation"),
    ("bedfordshire-cse", "migrant_refugee_asylum_seeker", "Migrant/refugee/asylum seeker"),
]  # fmt: skip


@pytest.mark.parametrize(("toolkit", "item_id", "text"), EXACT)
def test_exact_wording(registry: Registry, toolkit: str, item_id: str, text: str) -> None:
    assert registry.get(toolkit).item(item_id).text == text


def test_information_forms_and_notices(registry: Registry) -> None:
    for toolkit in ("derby-cse-2017", "derby-cre-2020"):
        form = registry.get(toolkit).data["information_forms"][0]
        assert "Operation Liberty" in form["title"]
        assert form["one_per_victim"] is True
        assert form["notices"][0].startswith("PLEASE NOTE THIS IS NOT A REFERRAL FORM TO CHILDREN")
    cpi = registry.get("portsmouth-cse-2016").data["information_forms"][0]
    source = next(s for s in cpi["sections"] if s["id"] == "information_source")
    assert [f["label"] for f in source["fields"]] == [
        "Where did this information come from (name/DoB/address)?",
        "Can they be re-contacted? What are their contact details?",
        "How did they find this information out?",
        "When did they find this information out?",
        "Who else have you shared this information with?",
    ]
    beds = {f["id"]: f for f in registry.get("bedfordshire-cse").data["information_forms"]}
    assert set(beds) == {"csep_referral", "police_information_request"}
    titles = [s["title"].split(":")[0] for s in beds["csep_referral"]["sections"]]
    assert titles[1:] == [
        "Section One", "Section Two a", "Section Two b", "Section Three", "Section Four",
    ]  # fmt: skip
    assert beds["police_information_request"]["purpose"] == "request"


def test_letters_and_next_steps(registry: Registry) -> None:
    cre = registry.get("derby-cre-2020").data
    assert {c["id"] for c in cre["disruption_letter"]["conditions"]} >= {
        "legal_advice", "head_of_service_agreement",
    }  # fmt: skip
    beds = registry.get("bedfordshire-cse").data["disruption_letter"]
    assert [o["label"] for o in beds["local_authorities"]] == [
        "Bedford Borough", "Central Bedfordshire", "Luton",
    ]  # fmt: skip
    assert any("{local_authority}" in p for p in beds["body"])
    for tk in registry:
        letter = tk.data["disruption_letter"]
        assert any("{child_name}" in p for p in letter["body"])
        assert letter["closing"] == "Yours sincerely,"
        assert letter["body"][-1].startswith("If you do not comply with this request")
    high = registry.get("portsmouth-cse-2016").data["levels"]["high"]["next_steps"]
    assert (
        "Contact into MASH as a High Risk of CSE and seek immediate referral to Children’s Social Care."
        in high
    )
    beds_low = registry.get("bedfordshire-cse").data["levels"]["low"]["next_steps"]
    assert beds_low[0] == "Ensure ALL information is recorded."


def test_disruption_tools_have_aims_and_options(registry: Registry) -> None:
    for tk in registry:
        tool = tk.data["disruption_tool"]
        assert len(tool["aims"]) >= 15
        assert all(a["options"] for a in tool["aims"])
        assert tool["columns"][0]["id"] == "chosen"
    beds = registry.get("bedfordshire-cse").data["disruption_tool"]
    assert [c["label"] for c in beds["columns"][1:]] == ["Lead Person", "Progress"]


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "").replace("|", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("toolkit", sorted(SOURCES))
def test_every_item_occurs_in_its_source(registry: Registry, toolkit: str) -> None:
    """Fidelity: each indicator and factor (or its damaged original) is in the seed text."""
    path = require_seed(SEEDS / SOURCES[toolkit])
    source = _normalise(path.read_text("utf-8"))
    tk = registry.get(toolkit)
    raw_items = {
        i["id"]: i
        for s in ("section1", "section2")
        for g in tk.data[s]["groups"]
        for i in g["items"]
    }
    missing = []
    for item in tk.section1_items + tk.section2_items:
        raw = raw_items[item.id]
        wanted = _normalise(raw.get("fixed_from", item.text))
        if wanted not in source:
            missing.append(item.id)
        for example in (
            (item.examples.low, item.examples.medium, item.examples.high) if item.examples else ()
        ):
            if _normalise(example) not in source:
                missing.append(f"{item.id} (example)")
    assert missing == []
