"""The toolkits' own words in the PDFs, read back as their recipients read them (issue 25).

Level descriptions beside the steps, the intervention strategies beside the disruption
options, the CSEP form's subheadings, the police's part of the Police Information Request
left blank for the police, and each letter's own police number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.casework.letters import extra_fields
from app.documents.export import export_case
from app.documents.signing import Identity
from app.forms import Registry
from tests.documents.test_documents import full_case, text_of, written


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_assessment_pdf_prints_the_level_description_with_its_steps(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    result = export_case(full_case(registry, "portsmouth-cse-2016"), registry, tmp_path, identity)
    text = text_of(written(result, "assessment").read_bytes())
    assert "The toolkit on this level" in text
    assert "Achieving Best Evidence (ABE) training should not discuss disclosures" in text
    high = registry.get("portsmouth-cse-2016").data["levels"]["high"]
    for paragraph in high["description"]:
        assert _squash(paragraph) in text


def test_2020_assessment_pdf_at_low_has_the_24_hour_rule(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cre-2020")
    for marks in data["section1"].values():
        marks["level"] = "L"
    data["final_level"] = "low"
    result = export_case(data, registry, tmp_path, identity)
    text = text_of(written(result, "assessment").read_bytes())
    assert "at a minimum within 24 hours of completion" in text


def _with_plan(registry: Registry, toolkit: str) -> dict[str, Any]:
    data = full_case(registry, toolkit)
    tk = registry.get(toolkit)
    first = tk.data["disruption_tool"]["aims"][0]["options"][0]["id"]
    data["disruption_plan"] = {first: {"chosen": True}}
    return data


def test_plans_pdf_prints_the_intervention_strategies_of_every_toolkit(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    for n, toolkit in enumerate(
        ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse")
    ):
        tk = registry.get(toolkit)
        strategies = tk.intervention_strategies
        assert strategies is not None
        result = export_case(_with_plan(registry, toolkit), registry, tmp_path / str(n), identity)
        text = text_of(written(result, "plans").read_bytes())
        assert _squash(strategies["title"]) in text
        for block in strategies["blocks"]:
            for item in block["items"]:
                assert _squash(item) in text, (toolkit, item[:50])
    assert "Child Exploitation Disruption Toolkit" in text or toolkit != "derby-cre-2020"


def test_2020_plans_pdf_has_the_disruption_toolkit_paragraph(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    result = export_case(_with_plan(registry, "derby-cre-2020"), registry, tmp_path, identity)
    text = text_of(written(result, "plans").read_bytes())
    assert "refer to the Child Exploitation Disruption Toolkit: disruption tactics (2019)" in text
    assert "Provide useful guidance about technological options" in text


def test_csep_pdf_prints_the_forms_subheadings(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "bedfordshire-cse")
    data["information_reports"] = [
        {"form": "csep_referral", "answers": {"time_of_calls": "Fictional: late evening"}}
    ]
    result = export_case(data, registry, tmp_path, identity)
    text = text_of(written(result, "information").read_bytes())
    for heading in (
        "Description of the child/young person",
        "Mobile Phone Activity",
        "Description of the person presenting the risk:",
        "Cars being used to visit/collect/transport the child/young person",
    ):
        assert heading in text
    assert text.index("Mobile Phone Activity") < text.index("Fictional: late evening")


def test_police_information_request_leaves_the_police_answer_blank(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "bedfordshire-cse")
    data["information_reports"] = [
        {
            "form": "police_information_request",
            "answers": {
                "to_agency": "Fictional Police",
                "from_practitioner": "Test Practitioner, Test Agency",
                "category_answer": ["category_4"],  # typed by mistake: never printed as ours
            },
        }
    ]
    result = export_case(data, registry, tmp_path, identity)
    (path,) = [p for p in result.written if p.name.startswith("information-request")]
    text = text_of(path.read_bytes())
    assert "For the police to complete." in text
    assert "Fictional Police" in text
    # the categories are printed once (the question's intro), never as the practitioner's answer
    label = "4. No relevant information is held on any of these people"
    assert text.count(label) == 1


def test_letters_keep_the_police_number_their_toolkit_prints(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    for toolkit, number in (
        ("derby-cse-2017", "call the Police on 101 to report"),
        ("derby-cre-2020", "call the Police on 101 to report"),
        ("bedfordshire-cse", "call the Police on 01582 401212 to report"),
    ):
        assert "police_phone" not in [f.id for f in extra_fields(registry.get(toolkit))]
        data = full_case(registry, toolkit)
        data["letter"]["police_phone"] = "01632 960999"  # ignored: the toolkit prints its own
        result = export_case(data, registry, tmp_path / toolkit, identity)
        letter = text_of(written(result, "letter").read_bytes())
        assert number in letter, toolkit
        assert "01632 960999" not in letter
    assert "police_phone" in [f.id for f in extra_fields(registry.get("portsmouth-cse-2016"))]
    data = full_case(registry, "portsmouth-cse-2016")
    result = export_case(data, registry, tmp_path / "ports", identity)
    letter = text_of(written(result, "letter").read_bytes())
    assert "call the Police on 01632 960002 to report" in letter and "xxxx" not in letter


def test_portsmouth_assessment_prints_the_step_4_summary_list(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    result = export_case(full_case(registry, "portsmouth-cse-2016"), registry, tmp_path, identity)
    text = text_of(written(result, "assessment").read_bytes())
    at = text.index("High Level Indicators- any of the above and ONE or more of these indicators")
    step4 = text[at:]
    for entry in (
        "Disclosure of serious sexual assault and then withdrawal of statement",
        "Indicators of CSE alongside serious self harming",
        "Child located at known sex offender's address",
    ):
        assert entry in step4


def test_pages_and_appendices_are_said_to_be_the_toolkits(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    """ "See pages 12 and 13" (Derby 2017) and "(see Appendix 2)" (Portsmouth) point at
    the toolkit's pages, which the PDFs do not have: they say so, in the toolkit's words."""
    data = full_case(registry, "derby-cse-2017")
    data["analysis"]["perpetrators_places"] = "Fictional Place, Testville"
    result = export_case(data, registry, tmp_path / "derby", identity)
    text = text_of(written(result, "assessment").read_bytes())
    assert "Police Referral Unit. See pages 12 and 13 of the toolkit." in text
    assert "See pages 12 and 13." not in text

    data = full_case(registry, "portsmouth-cse-2016")
    data["analysis"]["alleged_perpetrators"] = "Fictional Person Two"
    data["disruption_plan"] = {"send_intelligence_police": {"chosen": True}}
    result = export_case(data, registry, tmp_path / "portsmouth", identity)
    for kind in ("assessment", "plans"):
        text = text_of(written(result, kind).read_bytes())
        assert "using the CPI1 form (see Appendix 2 of the toolkit)" in text, kind
        assert "(see Appendix 2)" not in text, kind
