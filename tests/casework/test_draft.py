"""The wizard's draft model, headless: no Qt, no window."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from app.casework.draft import DraftModel, lenient_parse
from app.forms import Registry
from tests.casework.support import complete_case


@pytest.mark.parametrize(
    "toolkit", ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]
)
def test_edits_save_evaluate_and_notify(registry: Registry, toolkit: str) -> None:
    tk = registry.get(toolkit)
    saved: list[dict[str, Any]] = []
    model = DraftModel(registry, tk, complete_case(registry, toolkit), save=saved.append)
    heard: list[str | None] = []
    model.subscribe(
        lambda m: heard.append(
            m.verdict.suggested_level.value if m.verdict and m.verdict.suggested_level else None
        )
    )
    model.evaluate()
    assert heard and heard[-1] is not None
    assert model.problems() == []
    model.set("final_level", None)
    assert [p.field for p in model.problems()] == ["final_level"]
    assert saved[-1]["final_level"] is None
    saved[-1]["child"]["name"] = "changed after saving"  # a copy: the model is untouched
    assert model.get("child.name") != "changed after saving"
    item = tk.section1_items[-1]
    model.set_item("section1", item.id, None)
    assert item.id not in model.answers["section1"]


def test_a_bad_optional_answer_is_set_aside_and_named(registry: Registry) -> None:
    tk = registry.get("derby-cre-2020")
    model = DraftModel(registry, tk, complete_case(registry, "derby-cre-2020"))
    model.evaluate()
    before = model.verdict
    assert before is not None
    model.set("analysis.date_referral_police", "31/02/2026")
    assert model.verdict is not None
    assert model.verdict.suggested_level == before.suggested_level  # the summary stays
    assert "analysis.date_referral_police" in model.field_problems
    assert any(p.field == "analysis.date_referral_police" for p in model.problems())
    # a typed problem a widget knows (a half-typed date) wins over the parser's words
    model.evaluate({"analysis.date_referral_police": "31/02/2026 is not a real date"})
    problem = next(p for p in model.problems() if p.field == "analysis.date_referral_police")
    assert problem.message == "31/02/2026 is not a real date"


def test_without_a_date_of_birth_there_is_no_verdict(registry: Registry) -> None:
    data = complete_case(registry, "bedfordshire-cse")
    data["child"]["date_of_birth"] = "not a date"
    case, found = lenient_parse(data, registry)
    assert case is None and "child.date_of_birth" in found


def test_the_model_needs_no_qt() -> None:
    code = (
        "import sys, app.casework.draft; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
