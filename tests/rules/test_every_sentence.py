"""Every sentence a toolkit attaches to a level reaches the practitioner (issue 25, point 1).

Each level's `description` and every step of every level must be printed by `assess` for a
case at that level (steps that apply only to some children, for a child they apply to), and
the sentences a toolkit states for every level are listed at every level.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from app.cli.assess import render_text
from app.forms import Registry
from app.rules import display_values
from tests.rules.cases import BEDS, CRE20, CSE17, PORTS, run
from tests.rules.test_levels_steps_review import at_level

TOOLKITS = (CSE17, CRE20, PORTS, BEDS)


def _own_steps(levels: Mapping[str, Any], level: str) -> Iterator[Mapping[str, Any]]:
    for step in levels[level]["next_steps"]:
        if "as_above" in step:
            yield from _own_steps(levels, step["as_above"])
        else:
            yield step


def _outputs(registry: Registry, toolkit: str, level: str) -> str:
    """What `assess` prints at this level, for a child without and with each condition a
    step may depend on (looked after, care leaver, SEND, mental health)."""
    flags: list[dict[str, bool]] = [{}, {"looked_after": True}, {"care_leaver": True}]
    flags += [{"send": True}, {"mental_health": True}]
    out = []
    for more in flags:
        data = at_level(registry, toolkit, level, **more)
        out.append(render_text(run(registry, data), registry))
    return "\n".join(out)


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_every_description_and_step_of_every_level_is_printed(
    registry: Registry, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    levels = tk.data["levels"]
    missing = []
    for level in levels:
        printed = _outputs(registry, toolkit, level)
        for text in levels[level].get("description", ()):
            if text not in printed:
                missing.append(f"{level}.description: {text[:60]}")
        for step in _own_steps(levels, level):
            if step["text"] not in printed:
                missing.append(f"{level}.{step['id']}: {step['text'][:60]}")
    assert missing == []


def test_descriptions_are_in_the_result_the_screen_and_pdf_show(registry: Registry) -> None:
    result = run(registry, at_level(registry, PORTS, "high"))
    abe = "Professionals who do not have Achieving Best Evidence (ABE) training should not"
    assert any(abe in text for text in result.level_description)
    assert display_values(registry.get(PORTS), result)["level_description"] == list(
        result.level_description
    )
    assert result.to_dict()["level_description"] == list(result.level_description)


def test_portsmouth_high_assess_includes_the_abe_sentence(registry: Registry) -> None:
    text = render_text(run(registry, at_level(registry, PORTS, "high")), registry)
    assert "Achieving Best Evidence (ABE) training should not discuss disclosures" in text


def test_portsmouth_medium_shows_the_low_interventions_it_points_above_to(
    registry: Registry,
) -> None:
    result = run(registry, at_level(registry, PORTS, "medium"))
    low, medium = (registry.get(PORTS).data["levels"][k]["description"] for k in ("low", "medium"))
    assert list(result.level_description) == [*low, *medium]
    assert any("interventions outlined above for Low Risk" in t for t in result.level_description)
    low_result = run(registry, at_level(registry, PORTS, "low"))
    assert "basic_intervention" in [s.id for s in low_result.steps]  # "as noted above" ...
    assert any("healthy relationships" in t for t in low_result.level_description)  # ... is


def test_bedfordshire_medium_keeps_its_section_47_escalation(registry: Registry) -> None:
    result = run(registry, at_level(registry, BEDS, "medium"))
    assert any("requiring investigation under S47" in t for t in result.level_description)


def test_2020_low_case_includes_the_24_hour_rule(registry: Registry) -> None:
    text = render_text(run(registry, at_level(registry, CRE20, "low")), registry)
    assert "at a minimum within 24 hours of completion" in text


@pytest.mark.parametrize("level", ["low", "medium", "high"])
def test_2020_states_the_24_hour_rule_at_every_level(registry: Registry, level: str) -> None:
    result = run(registry, at_level(registry, CRE20, level))
    assert "send_within_24_hours" in [s.id for s in result.steps]


def test_2020_tasking_meetings_at_medium_and_high_only(registry: Registry) -> None:
    tasking = "monthly police and partner agency tasking meetings"
    for level, shown in (("low", False), ("medium", True), ("high", True)):
        result = run(registry, at_level(registry, CRE20, level))
        assert any(tasking in s for s in result.next_steps) is shown


@pytest.mark.parametrize(
    ("toolkit", "every"),
    [
        (CSE17, ["seek_advice", "keep_record", "regular_review", "derby_new_assessment",
                 "derbyshire_on_file", "escalation_immediately"]),
        (CRE20, ["kept_on_file", "seek_advice", "reference_procedures", "keep_record",
                 "derby_new_assessment", "review_intervals", "send_within_24_hours"]),
        (PORTS, ["reinforce_nature_of_crimes", "monitor_at_meetings", "factors_in_action_plan"]),
        (BEDS, ["record_all_discussions", "move_quickly", "reinforce_nature_of_crimes",
                "monitor_weekly"]),
    ],
)  # fmt: skip
def test_all_level_sentences_are_listed_at_every_level(
    registry: Registry, toolkit: str, every: list[str]
) -> None:
    tk = registry.get(toolkit)
    for level in (k for k in tk.data["levels"] if k != "none"):
        ids = [s.id for s in run(registry, at_level(registry, toolkit, level)).steps]
        assert set(every) <= set(ids), (level, set(every) - set(ids))


def test_derby_2020_reviews_say_they_are_by_the_team_manager(registry: Registry) -> None:
    """ "Interim reviews will be undertaken by the Team Manager at 4 week intervals": the
    review date says who, in the rules' result, the reasons and `assess`."""
    from tests.rules.cases import case, run, tick

    tk = registry.get("derby-cre-2020")
    high = run(registry, case(registry, tk.id, age=15, identified=tick(tk, None, 2, rating="H")))
    assert high.review_by == "the Team Manager (interim reviews)"
    assert any(
        "Interim reviews will be undertaken by the Team Manager at 4 week intervals." in r.text
        for r in high.reasons
    )
    assert high.to_dict()["review_by"] == "the Team Manager (interim reviews)"
    other = run(
        registry,
        case(registry, "derby-cse-2017", identified=tick(registry.get("derby-cse-2017"), "high")),
    )
    assert other.review_by is None
