"""The one validation of a case file: every nested part by type, choice and size, each
refusal naming the field by its path and its label, on one line, values quoted safely."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.forms import Registry
from app.rules import CaseFileError, parse_case
from app.rules.casefile import LONG_TEXT, MAX_MEETINGS, MAX_REPORTS, SHORT_TEXT
from app.rules.safe import describe_character, one_line, quote
from tests.casework.support import complete_case

MEETING = {"type": "initial", "date": "2026-05-01"}


def refused(registry: Registry, data: dict[str, Any]) -> CaseFileError:
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, registry)
    text = str(caught.value)
    assert "\n" not in text and "\x0c" not in text and "\u2028" not in text
    return caught.value


@pytest.fixture
def data(registry: Registry) -> dict[str, Any]:
    return copy.deepcopy(complete_case(registry, "derby-cre-2020"))


def test_a_refusal_names_the_path_and_the_label(registry: Registry, data: dict) -> None:
    data["child"]["name"] = "N" * (SHORT_TEXT + 1)
    error = refused(registry, data)
    assert error.field == "child.name" and error.label == "Name of Child"
    assert str(error) == (
        "child.name (Name of Child): is 201 characters long; the limit is 200 characters"
    )
    data["child"]["name"] = "N" * SHORT_TEXT
    parse_case(data, registry)


@pytest.mark.parametrize(
    ("facts", "field", "label"),
    [
        ({"key_worker": {"a": 1}}, "case_facts.key_worker", "Key worker"),
        ({"priority_areas": [["gangs"]]}, "case_facts.priority_areas[0]", None),
        ({"priority_areas": {"gangs": 1}}, "case_facts.priority_areas", "Priority areas"),
        ({"from_another_la": "yes"}, "case_facts.from_another_la", None),
    ],
)
def test_wrong_types_in_case_facts_are_refused_by_field_not_typeerror(
    registry: Registry, data: dict, facts: dict, field: str, label: str | None
) -> None:
    data["case_facts"] = facts
    error = refused(registry, data)
    assert error.field == field
    if label:
        assert error.label == label


@pytest.mark.parametrize(
    ("meeting", "field"),
    [
        ({**MEETING, "type": ["initial"]}, "meetings[0].type"),
        ({**MEETING, "level": {"x": 1}}, "meetings[0].level"),
        ({**MEETING, "date": "0001-01-01"}, "meetings[0].date"),
        ({**MEETING, "date": "9999-12-31"}, "meetings[0].date"),
        ({**MEETING, "next_meeting": "2026-04-01"}, "meetings[0].next_meeting"),
        ({**MEETING, "chair": "C" * 201}, "meetings[0].chair"),
        ({**MEETING, "actions": "A" * (LONG_TEXT + 1)}, "meetings[0].actions"),
        ({"date": "2026-05-01"}, "meetings[0].type"),
    ],
)
def test_meetings_are_checked_by_type_range_and_size(
    registry: Registry, data: dict, meeting: dict, field: str
) -> None:
    data["meetings"] = [meeting]
    error = refused(registry, data)
    assert error.field == field and (error.label or "").startswith("Meeting 1")


def test_counts_are_limited(registry: Registry, data: dict) -> None:
    data["meetings"] = [MEETING] * (MAX_MEETINGS + 1)
    assert refused(registry, data).field == "meetings"
    del data["meetings"]
    tk = registry.get("derby-cre-2020")
    form = tk.data["information_forms"][0]["id"]
    data["information_reports"] = [{"form": form}] * (MAX_REPORTS + 1)
    assert refused(registry, data).field == "information_reports"


def test_long_answers_and_the_whole_case_are_limited(registry: Registry, data: dict) -> None:
    first = next(iter(data["section1"]))
    data["section1"][first]["note"] = "n" * (LONG_TEXT + 1)
    error = refused(registry, data)
    assert error.field == f"section1.{first}.note" and (error.label or "").endswith(": Note")
    data["section1"][first]["note"] = "n" * LONG_TEXT
    parse_case(data, registry)
    tk = registry.get("derby-cre-2020")
    for f in [f for f in tk.analysis_fields if f.type == "multiline"][:6]:
        data["analysis"][f.id] = "a" * LONG_TEXT
    assert refused(registry, data).field == "(case file)"


def test_quoted_values_are_short_escaped_and_one_line() -> None:
    shown = quote("Test\x0cName\x1f\u2028" + "x" * 100)
    assert shown.startswith('"Test\\x0cName\\x1fU+2028') and "(" in shown
    assert "\n" not in one_line("a\nb\rc\x85d") and one_line("a\nb") == "a\\x0ab"
    assert quote({"a": 1}) == "an object" and quote(10**30) == repr(10**30)


def test_cannot_print_names_the_actual_character() -> None:
    from app.documents.fonts import why_unprintable

    feed = why_unprintable("\x0c")
    assert "form feed (U+000C)" in feed and "Chinese" not in feed and "Arabic" not in feed
    assert describe_character("\x1f").endswith("(U+001F)")
    han = why_unprintable("中")
    assert "U+4E2D" in han and "Chinese" in han


def test_a_form_feed_in_a_name_is_refused_for_what_it_is(registry: Registry) -> None:
    from app.documents.fonts import first_unprintable

    data = copy.deepcopy(complete_case(registry, "derby-cre-2020"))
    data["child"]["name"] = "Test\x0cChild"
    found = first_unprintable(registry.get("derby-cre-2020"), data)
    assert found is not None
    field, message = found
    assert field == "child.name" and "form feed (U+000C)" in message
    assert "Chinese" not in message


def test_passphrases_of_local_words_are_refused() -> None:
    from app.storage.strength import assess

    for local in ("Derby City Council 2026", "Portsmouth Safeguarding Children Board 2026",
                  "derbyshire-cre-2020!", "Pan Bedfordshire CSE Toolkit 1"):  # fmt: skip
        verdict = assess(local)
        assert not verdict.acceptable and "local names" in verdict.message, local
    assert assess("violet kettle drifts over marmalade").acceptable


def test_the_meeting_editor_keeps_to_the_case_file_limits() -> None:
    import datetime as dt

    from app.rules.meetings import meeting_problems

    meeting = {**MEETING, "chair": "C" * (SHORT_TEXT + 1)}
    assert ("Chair", "is longer than 200 characters") in meeting_problems(
        meeting, dt.date(2026, 6, 1)
    )
    assert meeting_problems({**MEETING, "type": ["x"]}, dt.date(2026, 6, 1))  # no TypeError


def test_a_soft_hyphen_pasted_from_a_word_processor_still_prints(registry: Registry) -> None:
    from app.documents.fonts import first_unprintable

    data = copy.deepcopy(complete_case(registry, "derby-cre-2020"))
    data["child"]["name"] = "Test Child Alpha\u00adBeta"
    assert first_unprintable(registry.get("derby-cre-2020"), data) is None
