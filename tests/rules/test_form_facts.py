"""Floors and scope from the flags OR the toolkit's own form, each reason naming its source."""

from __future__ import annotations

from typing import Any

import pytest

from app.forms import DefinitionError, Registry
from app.rules import Level, note_applies, parse_case
from app.rules.engine import case_facts
from tests.rules.cases import BEDS, CRE20, CSE17, PORTS, case, run, tick


def low_tick(registry: Registry, toolkit: str) -> dict[str, Any]:
    tk = registry.get(toolkit)
    return tick(tk, None if toolkit == CRE20 else "low", rating="L")


def with_form(
    registry: Registry, toolkit: str, age: int, form: dict[str, Any], **flags: bool
) -> dict[str, Any]:
    data = case(registry, toolkit, age=age, identified=low_tick(registry, toolkit))
    data["child"].update(flags)
    data["section2"] = form.get("section2", {})
    data["child"].update(form.get("child", {}))
    return data


BEDS_LAC = {"section2": {"looked_after": {"ticked": True, "comment": ""}}}
BEDS_LD_MH = {"section2": {"learning_disabilities_special": {"ticked": True, "comment": ""}}}
CSE17_LD = {"section2": {"learning_disabilities_special": {"comments": "Fictional: EHCP"}}}
CRE20_LD_NOW = {
    "section2": {
        "capacity_issue_learning_needs": {"historic": False, "current": True, "commentary": ""}
    }
}
CRE20_LD_PAST = {
    "section2": {
        "capacity_issue_learning_needs": {"historic": True, "current": False, "commentary": ""}
    }
}
PORTS_LD = {"section2": {"learning_disabilities_special": {"comment": "Fictional: SEN support"}}}
NOTHING: dict[str, Any] = {}

FLOORS = [
    # toolkit, flags, form, expected minimum, words the floor reason must contain
    (BEDS, {"looked_after": True}, NOTHING, Level.MEDIUM, '"Looked after child (child in care)"'),
    (BEDS, {}, BEDS_LAC, Level.MEDIUM, "\"C/YP 'Looked After'\" is ticked in Underlying"),
    (BEDS, {"care_leaver": True}, NOTHING, Level.MEDIUM, '"Care leaver" is ticked'),
    (BEDS, {"send": True}, NOTHING, Level.HIGH, "Special educational needs"),
    (BEDS, {"mental_health": True}, NOTHING, Level.HIGH, '"Mental health concern"'),
    (BEDS, {}, BEDS_LD_MH, Level.HIGH, '"Learning disabilities, special needs or mental health'),
    (CSE17, {"send": True}, NOTHING, Level.MEDIUM, "Special educational needs"),
    (CSE17, {}, CSE17_LD, Level.MEDIUM, '"Learning disabilities / special needs" is recorded'),
    (CRE20, {"send": True}, NOTHING, Level.MEDIUM, "Special educational needs"),
    (CRE20, {}, CRE20_LD_NOW, Level.MEDIUM, "is ticked (current) in Section 2"),
    (CRE20, {}, CRE20_LD_PAST, None, ""),
    (PORTS, {"send": True}, NOTHING, Level.MEDIUM, "Special educational needs"),
    (PORTS, {}, PORTS_LD, Level.MEDIUM, '"Learning disabilities, special needs or mental health'),
    (PORTS, {"mental_health": True}, NOTHING, None, ""),
    (PORTS, {"looked_after": True}, NOTHING, None, ""),
]


@pytest.mark.parametrize(("toolkit", "flags", "form", "minimum", "words"), FLOORS)
def test_floor_from_flags_or_form(
    registry: Registry,
    toolkit: str,
    flags: dict[str, bool],
    form: dict[str, Any],
    minimum: Level | None,
    words: str,
) -> None:
    result = run(registry, with_form(registry, toolkit, 14, form, **flags))
    assert result.minimum_level is minimum
    floor_reasons = [r.text for r in result.reasons if r.code.startswith("floor.")]
    if minimum is None:
        assert not any(r.code != "floor.raised" for r in result.reasons if "floor" in r.code)
        return
    assert any(words in text for text in floor_reasons), floor_reasons
    assert result.suggested_level is not None and result.suggested_level >= minimum


@pytest.mark.parametrize("toolkit", [CSE17, CRE20, PORTS, BEDS])
def test_under_13_floor_in_every_toolkit(registry: Registry, toolkit: str) -> None:
    result = run(registry, with_form(registry, toolkit, 12, NOTHING))
    assert result.minimum_level is not None and result.minimum_level >= Level.MEDIUM
    assert any("the child is 12 (under 13)" in r.text for r in result.reasons)


def test_safer_reading_is_said_when_a_factor_is_wider_than_the_rule(registry: Registry) -> None:
    beds = run(registry, with_form(registry, BEDS, 14, BEDS_LD_MH))
    text = next(r.text for r in beds.reasons if r.code == "floor.send")
    assert "the toolkit applies the same rule to each" in text
    ports = run(registry, with_form(registry, PORTS, 14, PORTS_LD))
    text = next(r.text for r in ports.reasons if r.code == "floor.send")
    assert "safer reading" in text


PORTS_STATUS = "social_care_status"
SCOPE = [
    # toolkit, age, flags, form, in scope, words the scope reason must contain
    (
        PORTS,
        20,
        {},
        {"child": {PORTS_STATUS: ["care_leaver_status"]}},
        True,
        '"Care Leaver" is chosen',
    ),
    (PORTS, 21, {}, {"child": {PORTS_STATUS: ["care_leaver_status"]}}, False, "under 21"),
    (PORTS, 20, {}, PORTS_LD, True, "Learning disabilities"),
    (PORTS, 20, {"care_leaver": True}, NOTHING, True, '"Care leaver" is ticked'),
    (PORTS, 18, {}, NOTHING, False, "up to and including 17"),
    (CSE17, 23, {}, CSE17_LD, True, "Learning disabilities / special needs"),
    (CSE17, 24, {}, CSE17_LD, False, "under N"),
    (CRE20, 24, {}, CRE20_LD_NOW, True, "Capacity issue"),
    (CRE20, 24, {}, CRE20_LD_PAST, False, "up to and including 17"),
    (CRE20, 25, {"send": True}, NOTHING, False, "under 25"),
    (BEDS, 18, {"looked_after": True}, NOTHING, False, "up to and including 17"),
]


@pytest.mark.parametrize(("toolkit", "age", "flags", "form", "in_scope", "words"), SCOPE)
def test_scope_from_flags_or_form(
    registry: Registry,
    toolkit: str,
    age: int,
    flags: dict[str, bool],
    form: dict[str, Any],
    in_scope: bool,
    words: str,
) -> None:
    result = run(registry, with_form(registry, toolkit, age, form, **flags))
    assert result.in_scope is in_scope
    texts = [r.text for r in (*result.reasons, *result.warnings) if r.code.startswith("scope.")]
    assert any(words in t for t in texts), texts


def test_conditions_are_reported_with_the_result(registry: Registry) -> None:
    data = with_form(registry, PORTS, 15, {"child": {PORTS_STATUS: ["looked_after_child"]}})
    assert run(registry, data).conditions == ("looked_after",)


# --- notes' applies_when ---------------------------------------------------------------


def _shown(registry: Registry, toolkit: str, age: int = 14, **flags: bool) -> set[str]:
    tk = registry.get(toolkit)
    data = with_form(registry, toolkit, age, NOTHING, **flags)
    facts = case_facts(tk, parse_case(data, registry))
    return {n["id"] for n in tk.data["notes"] if note_applies(n, facts)}


def test_bedfordshire_leaving_care_note_only_for_care_leavers(registry: Registry) -> None:
    assert "leaving_care_not_low" not in _shown(registry, BEDS)
    assert "leaving_care_not_low" in _shown(registry, BEDS, care_leaver=True)


def test_mental_health_alone_shows_the_floor_notes(registry: Registry) -> None:
    shown = _shown(registry, BEDS, mental_health=True)
    assert {"ld_mh_not_low", "must_be_high"} <= shown
    assert "must_be_high" not in _shown(registry, BEDS)
    assert "must_be_high" in _shown(registry, BEDS, age=12)


def test_unknown_condition_is_a_definition_error(registry: Registry) -> None:
    tk = registry.get(BEDS)
    facts = case_facts(tk, parse_case(with_form(registry, BEDS, 14, NOTHING), registry))
    with pytest.raises(DefinitionError):
        note_applies({"id": "x", "text": "x", "applies_when": "left_handed"}, facts)


def test_2020_capacity_factor_says_its_safer_reading(registry: Registry) -> None:
    result = run(registry, with_form(registry, CRE20, 14, CRE20_LD_NOW))
    text = next(r.text for r in result.reasons if r.code == "floor.send")
    assert "may describe a parent or carer; the safer reading" in text


def test_conditions_from_the_form_are_listed_for_the_childs_page(registry: Registry) -> None:
    form = {"child": {PORTS_STATUS: ["care_leaver_status"]}}
    result = run(registry, with_form(registry, PORTS, 19, form, send=True))
    assert result.conditions == ("send", "care_leaver")
    assert result.condition_sources == (
        'Care leaver: "Care Leaver" is chosen for "Children\'s Social Care: Looked After Child, '
        "Care Leaver, Child Protection Plan, Child in Need (Please circle)\" in the child's details",
    )
