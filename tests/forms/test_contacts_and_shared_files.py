"""Contacts complete and under their headings; the shared lists checked like toolkits."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.forms import (
    DefinitionError,
    ErrorCode,
    Registry,
    load_monitoring_fields,
    load_partnership_lists,
    shared_categories,
)
from app.forms.shared_files import MONITORING_FILE, PARTNERSHIP_FILE, definitions_dir


def test_portsmouth_contacts_are_complete_and_grouped(registry: Registry) -> None:
    tk = registry.get("portsmouth-cse-2016")
    groups = dict(tk.contact_groups())
    assert list(groups) == ["Useful Numbers", "Email Addresses", "Websites"]
    names = {c["name"] for c in tk.contacts}
    for wanted in (
        "Childline",
        "NSPCC Child Protection Helpline",
        "NHS Direct/ 111 Service",
        "Victim Support",
        "PARCS",
        "UKBA",
        "Department for Education",
        "Portsmouth Safeguarding Children Board",
    ):
        assert wanted in names
    rape_crisis = next(c for c in tk.contacts if c["name"] == "Portsmouth Area Rape Crisis")
    assert "Men's Crisis Line - 023 9266 9516" in rape_crisis["details"]
    assert len(tk.contacts) == 22


def test_bedfordshire_contacts_keep_headings_and_rows(registry: Registry) -> None:
    tk = registry.get("bedfordshire-cse")
    groups = dict(tk.contact_groups())
    assert list(groups) == [
        "Children Social Care", "Useful numbers", "Victim Support", "Useful Websites",
    ]  # fmt: skip
    assert [c["name"] for c in groups["Victim Support"]] == ["Bedfordshire", "Luton"]
    boards = {c["name"]: c.get("website") for c in groups["Useful Websites"]}
    assert boards["Bedford Borough Safeguarding Children Board"] == "www.bedford.gov.uk/lscb"
    assert boards["Central Bedfordshire Safeguarding Children Board"] == (
        "www.bedfordshirelscb.org.uk"
    )
    assert all(c.get("phone") or c.get("website") for c in tk.contacts)


def test_bedfordshire_disruption_tool_has_no_header_row(registry: Registry) -> None:
    tool = registry.get("bedfordshire-cse").data["disruption_tool"]
    labels = [o["label"] for a in tool["aims"] for o in a["options"]]
    titles = [a["title"] for a in tool["aims"]]
    assert "Intervention Options" not in labels and "Strategic Aim" not in titles


def test_shared_lists_load_through_app_forms() -> None:
    lists = load_partnership_lists()
    assert ("other", "Other") in lists["models_of_abuse"]
    assert lists["closure_reasons"][0] == ("low_risk", "In Low Risk")
    assert {f["id"] for f in load_monitoring_fields()} >= {"send", "care_leaver"}
    assert set(shared_categories()) >= {"gender", "ethnicity", "models_of_abuse"}


@pytest.mark.parametrize(
    ("file", "text", "code"),
    [
        (PARTNERSHIP_FILE, "models_of_abuse: [{id: a, label: A}]\n", ErrorCode.SCHEMA),
        (
            PARTNERSHIP_FILE,
            "models_of_abuse: [{id: a, label: A}, {id: a, label: B}]\n"
            "closure_reasons: [{id: b, label: B}]\n",
            ErrorCode.DUPLICATE_ID,
        ),
        (PARTNERSHIP_FILE, "models_of_abuse: [\n", ErrorCode.PARSE),
        (
            MONITORING_FILE,
            "fields: [{id: x, label: X, type: choice, monitoring: true}]\n",
            ErrorCode.SCHEMA,
        ),
    ],
)
def test_broken_shared_files_are_refused_with_a_code(
    tmp_path: Path, file: str, text: str, code: ErrorCode
) -> None:
    for name in (MONITORING_FILE, PARTNERSHIP_FILE):
        (tmp_path / name).write_text(definitions_dir().joinpath(name).read_text("utf-8"))
    (tmp_path / file).write_text(text)
    loader = load_partnership_lists if file == PARTNERSHIP_FILE else load_monitoring_fields
    with pytest.raises(DefinitionError) as err:
        loader(tmp_path)
    assert err.value.code is code
    assert err.value.file == file


def test_portsmouth_steps_in_tool_order_with_the_step_4_checklist(registry: Registry) -> None:
    tk = registry.get("portsmouth-cse-2016")
    assert tk.page_order == ("child", "section2", "section1", "section3", "finish")
    checklist = tk.data["section3"]["checklist"]
    assert [g["band"] for g in checklist] == ["low", "medium", "high"]
    high = {i.id: i for i in tk.section1_items if i.band == "high"}
    for entry in checklist[2]["entries"]:
        assert entry["item"] in high
    # two High indicators exist only in the Step 4 list; they can be marked like the others
    assert high["disclosure_serious_sexual_assault"].text == (
        "Disclosure of serious sexual assault and then withdrawal of statement"
    )
    assert high["indicators_cse_serious_self_harming"].text == (
        "Indicators of CSE alongside serious self harming"
    )
    assert len(checklist[2]["entries"]) == 16
    assert registry.get("derby-cse-2017").page_order[1] == "section1"
