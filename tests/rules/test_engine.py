"""Table-driven checks of each toolkit's rules, row by row and at every boundary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.forms import Registry
from app.rules import Level
from tests.rules.cases import ASSESSED, BEDS, CRE20, CSE17, PORTS, case, run, tick

BANDED = [CSE17, PORTS, BEDS]


def identified(
    registry: Registry, toolkit: str, *bands: str | None, rating: str = "M"
) -> dict[str, Any]:
    tk = registry.get(toolkit)
    out: dict[str, Any] = {}
    for band in bands:
        out.update(tick(tk, band, rating=rating))
    return out


# --- suggested level -----------------------------------------------------------------


@pytest.mark.parametrize("toolkit", BANDED)
@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        ((), Level.NONE),
        (("low",), Level.LOW),
        (("low", "medium"), Level.MEDIUM),
        (("medium",), Level.MEDIUM),
        (("low", "high"), Level.HIGH),
        (("low", "medium", "high"), Level.HIGH),
    ],
)
def test_banded_toolkits_suggest_highest_group(
    registry: Registry, toolkit: str, bands: tuple[str, ...], expected: Level
) -> None:
    result = run(
        registry, case(registry, toolkit, identified=identified(registry, toolkit, *bands))
    )
    assert result.suggested_level is expected
    if expected is not Level.NONE:
        top_id = next(iter(identified(registry, toolkit, expected.value)))
        top_item = registry.get(toolkit).item(top_id)
        assert any(top_item.text in r.text for r in result.reasons)


def test_2017_reason_names_the_indicator(registry: Registry) -> None:
    tk = registry.get(CSE17)
    high = next(i for i in tk.section1_items if i.text == "Abduction and forced imprisonment")
    data = case(registry, CSE17, identified={high.id: {"risk": True, "evidenced": False}})
    result = run(registry, data)
    assert 'Suggested High: "Abduction and forced imprisonment" is a high level indicator.' in [
        r.text for r in result.reasons
    ]


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [(["L"], Level.LOW), (["L", "M"], Level.MEDIUM), (["M", "H", "L"], Level.HIGH)],
)
def test_2020_suggests_highest_rating(
    registry: Registry, ratings: list[str], expected: Level
) -> None:
    tk = registry.get(CRE20)
    chosen = [i for i in tk.section1_items if not i.other][: len(ratings)]
    marks = {
        i.id: {"cce": True, "cse": False, "level": r, "note": ""}
        for i, r in zip(chosen, ratings, strict=True)
    }
    result = run(registry, case(registry, CRE20, identified=marks))
    assert result.suggested_level is expected
    assert result.errors == ()


def test_2020_identified_without_rating_is_a_validation_error(registry: Registry) -> None:
    tk = registry.get(CRE20)
    item = tk.section1_items[0]
    data = case(registry, CRE20, identified={item.id: {"cce": False, "cse": True, "level": None}})
    result = run(registry, data)
    assert [e.field for e in result.errors] == [f"section1.{item.id}.level"]
    assert result.counts["cse"] == 1


@pytest.mark.parametrize(("lows", "expected"), [(1, Level.LOW), (4, Level.LOW), (5, Level.MEDIUM)])
def test_portsmouth_five_or_more_low_behaviours_is_medium(
    registry: Registry, lows: int, expected: Level
) -> None:
    tk = registry.get(PORTS)
    result = run(registry, case(registry, PORTS, identified=tick(tk, "low", lows)))
    assert result.suggested_level is expected
    assert result.counts["low"] == lows


def test_bedfordshire_vulnerability_factors_alone_suggest_nothing(registry: Registry) -> None:
    tk = registry.get(BEDS)
    data = case(registry, BEDS)
    ticked_column = next(c["id"] for c in tk.section2_columns if c["type"] == "bool")
    data["section2"] = {i.id: {ticked_column: True} for i in tk.section2_items[:3]}
    result = run(registry, data)
    assert result.suggested_level is Level.NONE
    assert result.minimum_level is None
    assert result.counts["vulnerability_factors"] == 3


# --- floors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toolkit", "age", "flags", "minimum"),
    [
        (CSE17, 12, {}, Level.MEDIUM),
        (CSE17, 13, {}, None),
        (CSE17, 15, {"send": True}, Level.MEDIUM),
        (CRE20, 12, {}, Level.MEDIUM),
        (CRE20, 13, {}, None),
        (CRE20, 16, {"send": True}, Level.MEDIUM),
        (PORTS, 12, {}, Level.MEDIUM),
        (PORTS, 13, {}, None),
        (PORTS, 14, {"send": True}, Level.MEDIUM),
        (BEDS, 12, {}, Level.HIGH),
        (BEDS, 13, {}, None),
        (BEDS, 14, {"send": True}, Level.HIGH),
        (BEDS, 14, {"mental_health": True}, Level.HIGH),
        (BEDS, 14, {"looked_after": True}, Level.MEDIUM),
        (BEDS, 14, {"care_leaver": True}, Level.MEDIUM),
        (BEDS, 14, {"looked_after": True, "mental_health": True}, Level.HIGH),
    ],
)
def test_floor_rows(
    registry: Registry, toolkit: str, age: int, flags: dict[str, bool], minimum: Level | None
) -> None:
    rating = "L"
    low = identified(registry, toolkit, "low" if toolkit != CRE20 else None, rating=rating)
    result = run(registry, case(registry, toolkit, age=age, identified=low, flags=flags))
    assert result.minimum_level is minimum
    if minimum is None:
        assert result.suggested_level is Level.LOW
    else:
        assert result.suggested_level is minimum
        assert any(r.code.startswith("floor.") for r in result.reasons)


def test_floor_only_applies_when_an_indicator_is_identified(registry: Registry) -> None:
    for toolkit in (CSE17, CRE20, PORTS, BEDS):
        result = run(registry, case(registry, toolkit, age=11, send=True))
        assert result.minimum_level is None
        assert result.suggested_level is Level.NONE


def test_floor_reason_reads_like_the_toolkit(registry: Registry) -> None:
    low = identified(registry, CSE17, "low")
    result = run(registry, case(registry, CSE17, age=12, identified=low))
    texts = [r.text for r in result.reasons]
    assert any(
        t.startswith("Floor: the child is 12 (under 13), so the level cannot be Low.")
        for t in texts
    )


@pytest.mark.parametrize("toolkit", [CSE17, PORTS])
def test_absolute_floor_refuses_low(registry: Registry, toolkit: str) -> None:
    low = identified(registry, toolkit, "low")
    result = run(
        registry,
        case(
            registry,
            toolkit,
            age=12,
            identified=low,
            final="low",
            override="Strong protective factors",
        ),
    )
    assert [e.field for e in result.errors] == ["final_level"]
    assert Level.LOW not in result.allowed_final_levels


def test_2020_override_needs_protective_factors_reason(registry: Registry) -> None:
    low = identified(registry, CRE20, None, rating="L")
    without = run(registry, case(registry, CRE20, age=12, identified=low, final="low"))
    assert [e.field for e in without.errors] == ["override_reason"]
    assert without.floor_overridable
    with_reason = run(
        registry,
        case(
            registry,
            CRE20,
            age=12,
            identified=low,
            final="low",
            override="Protective factors: stable foster home, engaged with school",
        ),
    )
    assert with_reason.errors == ()
    assert with_reason.final_level is Level.LOW
    assert any(r.code == "final.override" for r in with_reason.reasons)
    assert Level.LOW in with_reason.allowed_final_levels


def test_judgement_difference_is_reported_not_refused(registry: Registry) -> None:
    low = identified(registry, CSE17, "low")
    result = run(registry, case(registry, CSE17, identified=low, final="high"))
    assert result.errors == ()
    assert result.judgement_differs
    assert result.final_level is Level.HIGH
    assert any(r.code == "final.judgement" for r in result.reasons)


def test_exploited_is_chosen_never_suggested(registry: Registry) -> None:
    all_bands = identified(registry, PORTS, "low", "medium", "high")
    result = run(registry, case(registry, PORTS, identified=all_bands))
    assert result.suggested_level is Level.HIGH
    chosen = run(registry, case(registry, PORTS, identified=all_bands, final="exploited"))
    assert chosen.final_level is Level.EXPLOITED


# --- scope -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toolkit", "age", "flags", "in_scope"),
    [
        (CSE17, 17, {}, True),
        (CSE17, 18, {}, False),
        (CSE17, 23, {"send": True}, True),
        (CSE17, 24, {"send": True}, False),
        (CRE20, 17, {}, True),
        (CRE20, 18, {}, False),
        (CRE20, 24, {"send": True}, True),
        (CRE20, 25, {"send": True}, False),
        (PORTS, 18, {}, False),
        (PORTS, 20, {"send": True}, True),
        (PORTS, 21, {"send": True}, False),
        (PORTS, 20, {"care_leaver": True}, True),
        (PORTS, 21, {"care_leaver": True}, False),
        (BEDS, 17, {}, True),
        (BEDS, 18, {"send": True}, False),
    ],
)
def test_scope_rows(
    registry: Registry, toolkit: str, age: int, flags: dict[str, bool], in_scope: bool
) -> None:
    result = run(registry, case(registry, toolkit, age=age, flags=flags))
    assert result.in_scope is in_scope
    assert result.age == age
    if not in_scope:
        assert any(w.code == "scope.out" for w in result.warnings)


def test_2017_under_ten_gets_a_warning(registry: Registry) -> None:
    result = run(registry, case(registry, CSE17, age=9))
    assert any(w.code == "scope.young" for w in result.warnings)
    assert not any(
        w.code == "scope.young" for w in run(registry, case(registry, CSE17, age=10)).warnings
    )


# --- review dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toolkit", "bands", "rating", "weeks"),
    [
        (CSE17, ("high",), "M", None),
        (CRE20, (None,), "H", 4),
        (CRE20, (None,), "M", 6),
        (CRE20, (None,), "L", None),
        (PORTS, ("low",), "M", 6),
        (PORTS, ("high",), "M", 6),
        (BEDS, ("low",), "M", 6),
        (BEDS, ("medium",), "M", 13),
        (BEDS, ("high",), "M", 13),
    ],
)
def test_review_due(
    registry: Registry, toolkit: str, bands: tuple[str | None, ...], rating: str, weeks: int | None
) -> None:
    marks: dict[str, Any] = {}
    for band in bands:
        marks.update(tick(registry.get(toolkit), band, rating=rating))
    result = run(registry, case(registry, toolkit, identified=marks))
    expected = ASSESSED + dt.timedelta(weeks=weeks) if weeks else None
    assert result.review_due == expected
    if weeks is None:
        assert any(r.code == "review.none" for r in result.reasons)


def test_review_date_set_by_practitioner_wins(registry: Registry) -> None:
    data = case(registry, CRE20, identified=identified(registry, CRE20, None, rating="H"))
    data["review_date"] = "2026-06-10"
    assert run(registry, data).review_due == dt.date(2026, 6, 10)


# --- counts and next steps ---------------------------------------------------------------


def test_2017_counts_r_and_e_ticks(registry: Registry) -> None:
    tk = registry.get(CSE17)
    a, b, c = tk.section1_items[:3]
    marks = {
        a.id: {"risk": True, "evidenced": True},
        b.id: {"risk": True, "evidenced": False},
        c.id: {"risk": False, "evidenced": True},
    }
    result = run(registry, case(registry, CSE17, identified=marks))
    assert result.counts["risk"] == 2
    assert result.counts["evidenced"] == 2
    assert result.counts["identified"] == 3


@pytest.mark.parametrize(
    ("cce", "cse", "primary"), [(True, False, "cce"), (False, True, "cse"), (True, True, "both")]
)
def test_2020_primary_type(registry: Registry, cce: bool, cse: bool, primary: str) -> None:
    tk = registry.get(CRE20)
    a, b = tk.section1_items[:2]
    marks = {
        a.id: {"cce": cce, "cse": False, "level": "L"},
        b.id: {"cce": False, "cse": cse, "level": "M"},
    }
    if not cce:
        marks[a.id]["cse"] = True
    result = run(registry, case(registry, CRE20, identified=marks))
    assert result.primary_type == primary
    assert result.counts["rated_L"] == 1 and result.counts["rated_M"] == 1


@pytest.mark.parametrize("toolkit", [CSE17, CRE20, PORTS, BEDS])
def test_next_steps_come_from_the_definition(registry: Registry, toolkit: str) -> None:
    tk = registry.get(toolkit)
    band = None if toolkit == CRE20 else "high"
    result = run(
        registry,
        case(registry, toolkit, identified=identified(registry, toolkit, band, rating="H")),
    )
    assert result.suggested_level is Level.HIGH
    own = [
        s["text"]
        for s in tk.data["levels"]["high"]["next_steps"]
        if "id" in s and "applies_when" not in s
    ]
    assert set(own) <= set(result.next_steps)


@pytest.mark.parametrize("toolkit", [CSE17, CRE20, PORTS, BEDS])
def test_information_report_step_when_perpetrators_recorded(
    registry: Registry, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    report = tk.rules["information_report"]
    band = None if toolkit == CRE20 else "medium"
    data = case(registry, toolkit, identified=identified(registry, toolkit, band))
    before = run(registry, data)
    in_level = any(
        s.get("text") == report["step"] for s in tk.data["levels"]["medium"]["next_steps"]
    )
    assert (report["step"] in before.next_steps) is in_level
    field = next(f for f in tk.analysis_fields if f.id == report["when_fields"][0])
    data["analysis"][field.id] = (
        "A fictional adult known as 'Test Person One'"
        if field.type in {"text", "multiline"}
        else [{field.columns[0]["id"]: "Fictional place"}]
    )
    after = run(registry, data)
    assert report["step"] in after.next_steps
    assert after.next_steps.count(report["step"]) == 1


def test_leap_day_birthday_counts_from_first_of_march(registry: Registry) -> None:
    data = case(registry, CSE17)
    data["child"]["date_of_birth"] = "2012-02-29"
    data["assessment_date"] = "2025-02-28"
    assert run(registry, data).age == 12
    data["assessment_date"] = "2025-03-01"
    assert run(registry, data).age == 13
