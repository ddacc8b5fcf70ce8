"""Properties the engine must keep for every toolkit, checked on generated cases."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.forms import Registry, Toolkit, load_registry
from app.rules import CaseFileError, Level, assess, parse_case
from tests.rules.cases import case

REGISTRY = load_registry()
TOOLKITS = REGISTRY.ids()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def marks_strategy(tk: Toolkit) -> st.SearchStrategy[dict[str, Any]]:
    if tk.marking == "risk_evidenced":
        return st.fixed_dictionaries({"risk": st.booleans(), "evidenced": st.booleans()})
    if tk.marking == "cce_cse_level":
        return st.fixed_dictionaries(
            {
                "cce": st.booleans(),
                "cse": st.booleans(),
                "level": st.sampled_from(["L", "M", "H"]),
            }
        )
    return st.fixed_dictionaries({"ticked": st.booleans(), "comment": st.text(max_size=5)})


@st.composite
def cases(draw: st.DrawFn, toolkit: str | None = None) -> dict[str, Any]:
    tid = toolkit or draw(st.sampled_from(TOOLKITS))
    tk = REGISTRY.get(tid)
    ids = [i.id for i in tk.section1_items]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    marks = {i: draw(marks_strategy(tk)) for i in chosen}
    flags = {
        k: draw(st.booleans()) for k in ("send", "looked_after", "care_leaver", "mental_health")
    }
    data = case(REGISTRY, tid, age=draw(st.integers(0, 30)), identified=marks, flags=flags)
    data["final_level"] = draw(st.sampled_from([None, *[lv.value for lv in Level]]))
    data["override_reason"] = draw(st.one_of(st.none(), st.text(max_size=20)))
    return data


@SETTINGS
@given(cases())
def test_suggestion_never_below_floor_and_engine_never_raises(data: dict[str, Any]) -> None:
    parsed = parse_case(data, REGISTRY)
    result = assess(parsed, REGISTRY.get(parsed.toolkit))
    assert result.suggested_level is not None
    if result.minimum_level is not None:
        assert result.suggested_level >= result.minimum_level
    assert result.suggested_level is not Level.EXPLOITED
    json.dumps(result.to_dict())


@pytest.mark.parametrize("toolkit", TOOLKITS)
@SETTINGS
@given(data=st.data())
def test_adding_an_identified_indicator_never_lowers_the_suggestion(
    toolkit: str, data: st.DataObject
) -> None:
    tk = REGISTRY.get(toolkit)
    base = data.draw(cases(toolkit))
    parsed = parse_case(base, REGISTRY)
    before = assess(parsed, tk).suggested_level
    free = [i.id for i in tk.section1_items if i.id not in base["section1"]]
    if not free:
        return
    extra = data.draw(st.sampled_from(free))
    marks = data.draw(marks_strategy(tk))
    if tk.marking == "risk_evidenced":
        marks["risk"] = True
    elif tk.marking == "tick_comment":
        marks["ticked"] = True
    base["section1"][extra] = marks
    after = assess(parse_case(base, REGISTRY), tk).suggested_level
    assert before is not None and after is not None
    assert after >= before


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)

PATHS = [
    ("format",),
    ("toolkit",),
    ("assessment_date",),
    ("child",),
    ("child", "name"),
    ("child", "date_of_birth"),
    ("child", "send"),
    ("child", "looked_after"),
    ("section1",),
    ("section2",),
    ("analysis",),
    ("final_level",),
    ("override_reason",),
    ("practitioner",),
    ("practitioner", "name"),
]


@SETTINGS
@given(base=cases(), path=st.sampled_from(PATHS), value=JSON, how=st.sampled_from(["set", "del"]))
def test_malformed_input_always_yields_a_named_error(
    base: dict[str, Any], path: tuple[str, ...], value: Any, how: str
) -> None:
    target = base
    for key in path[:-1]:
        target = target[key]
    if how == "del":
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    try:
        parse_case(base, REGISTRY)
    except CaseFileError as exc:
        assert exc.field
        assert exc.message
        from app.rules.safe import one_line

        assert str(exc).startswith(one_line(exc.field, 120))  # named, escaped if need be


@SETTINGS
@given(JSON)
def test_arbitrary_json_is_rejected_with_a_named_error(value: Any) -> None:
    with pytest.raises(CaseFileError):
        parse_case(value, REGISTRY)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["child"].update(date_of_birth="2014-02-31"), "child.date_of_birth"),
        (lambda d: d["child"].update(date_of_birth="2027-01-01"), "child.date_of_birth"),
        (lambda d: d["child"].update(send="yes"), "child.send"),
        (lambda d: d["child"].pop("looked_after"), "child.looked_after"),
        (lambda d: d["child"].update(favourite_band="x"), "child.favourite_band"),
        (lambda d: d.update(toolkit="derby-cse-1999"), "toolkit"),
        (lambda d: d.update(final_level="severe"), "final_level"),
        (lambda d: d.update(format=2), "format"),
        (lambda d: d.update(assessment_date="01/06/2026"), "assessment_date"),
        (lambda d: d["section1"].update(no_such_indicator={}), "section1.no_such_indicator"),
        (lambda d: d["analysis"].update(no_such_field="x"), "analysis.no_such_field"),
        (lambda d: d["practitioner"].update(shoe_size="9"), "practitioner.shoe_size"),
    ],
)
def test_named_errors(registry: Registry, mutate: Any, field: str) -> None:
    data = case(registry, "derby-cse-2017")
    mutate(data)
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    assert caught.value.field == field


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_wrong_mark_types_are_named(registry: Registry, toolkit: str) -> None:
    tk = registry.get(toolkit)
    item = tk.section1_items[0]
    key = {"risk_evidenced": "risk", "cce_cse_level": "cce", "tick_comment": "ticked"}[tk.marking]
    data = case(registry, toolkit, identified={item.id: {key: "yes"}})
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    assert caught.value.field == f"section1.{item.id}.{key}"


def test_parse_round_trips(registry: Registry) -> None:
    data = case(registry, "derby-cre-2020", age=15)
    parsed = parse_case(data, registry)
    assert parse_case(parsed.to_dict(), registry) == parsed
    assert parsed.assessment_date == dt.date(2026, 6, 1)


def test_support_plan_is_checked_and_named(registry: Registry) -> None:
    data = case(registry, "derby-cse-2017")
    data["support_plan"] = {"rows": [{"outcome": "Fictional", "who": "x"}]}
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    assert caught.value.field == "support_plan.rows[0].who"
    data["support_plan"] = {"rows": [{"outcome": "Fictional"}], "review_date": "2026-13-01"}
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    assert caught.value.field == "support_plan.review_date"
    data["support_plan"] = {"rows": [{"outcome": "Fictional", "timeframe": "Weekly"}]}
    assert parse_case(data, registry).extras["support_plan"]["rows"][0]["timeframe"] == "Weekly"
