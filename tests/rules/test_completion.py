"""The one definition of "complete": required answers, levels, floor and the two reasons."""

from __future__ import annotations

from typing import Any

from app.forms import Registry
from app.rules import completion_problems, parse_case
from tests.rules.cases import case, tick

BEDS = "bedfordshire-cse"


def complete_beds(registry: Registry, **changes: Any) -> dict[str, Any]:
    tk = registry.get(BEDS)
    data = case(registry, BEDS, identified=tick(tk, "medium"), final="medium")
    data["analysis"] = {"person_completing": "Test Practitioner", "date_completed": "2026-06-01"}
    data.update(changes)
    return data


def test_a_complete_case_has_no_problems(registry: Registry) -> None:
    tk = registry.get(BEDS)
    data = complete_beds(registry)
    assert completion_problems(tk, data) == []
    assert completion_problems(tk, parse_case(data, registry)) == []


def test_problems_name_the_field_as_the_user_sees_it(registry: Registry) -> None:
    tk = registry.get(BEDS)
    data = complete_beds(registry, final_level=None)
    data["analysis"] = {}
    messages = {p.field: p.message for p in completion_problems(tk, data)}
    assert messages["analysis.person_completing"] == "Name of Person Completing is required"
    assert messages["final_level"] == "Choose the final level"


def test_floor_judgement_and_unknown_levels_stop_completion(registry: Registry) -> None:
    tk = registry.get(BEDS)
    below = complete_beds(registry, final_level="low", judgement_reason="Fictional reason")
    below["child"]["looked_after"] = True
    problems = completion_problems(tk, below)
    assert [p.code for p in problems] == ["final.below_floor"]
    assert problems[0].message.startswith("Final level: Low is below the floor of Medium")

    higher = complete_beds(registry, final_level="high")
    assert [p.field for p in completion_problems(tk, higher)] == ["judgement_reason"]
    higher["judgement_reason"] = "Fictional: escalating in the last week"
    assert completion_problems(tk, higher) == []

    exploited = complete_beds(registry, final_level="exploited")
    assert [p.code for p in completion_problems(tk, exploited)] == ["final.not_in_toolkit"]


def test_override_reason_for_2020(registry: Registry) -> None:
    tk = registry.get("derby-cre-2020")
    data = case(registry, tk.id, age=12, identified=tick(tk, None, rating="L"), final="low")
    fields = [p.field for p in completion_problems(tk, data)]
    assert "override_reason" in fields
    override = next(p for p in completion_problems(tk, data) if p.field == "override_reason")
    assert override.message.startswith("Protective factors that justify a level below")


def test_unreadable_answers_are_a_problem_not_an_exception(registry: Registry) -> None:
    tk = registry.get(BEDS)
    data = complete_beds(registry)
    data["child"]["date_of_birth"] = "2014-02-31"
    problem = next(p for p in completion_problems(tk, data) if p.code == "invalid")
    assert problem.field == "child.date_of_birth"
    assert problem.message == "DOB: 2014-02-31 is not a real date"
