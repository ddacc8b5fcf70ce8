"""What changed between two assessments, in the engine's terms."""

from __future__ import annotations

from app.forms import Registry
from app.rules import Level, parse_case
from app.rules.changes import compare
from tests.rules.cases import case, tick


def test_indicators_added_and_removed_and_level_change(registry: Registry) -> None:
    tk = registry.get("derby-cse-2017")
    lows = tick(tk, "low", 2)
    first = case(registry, tk.id, identified=lows)
    high = tick(tk, "high", 1)
    second = case(registry, tk.id, identified={**dict(list(lows.items())[:1]), **high})
    second["assessment_date"] = "2026-07-01"
    change = compare(tk, parse_case(first, registry), parse_case(second, registry))
    assert change.level_before is Level.LOW and change.level_after is Level.HIGH
    assert change.added == (tk.item(next(iter(high))).text,)
    assert change.removed == (tk.item(list(lows)[1]).text,)
    text = change.summary(tk)
    assert "Level: Low → High" in text and "2026-06-01 → 2026-07-01" in text
    assert any(line.startswith("  because: Suggested High") for line in text.splitlines())


def test_unchanged_level(registry: Registry) -> None:
    tk = registry.get("bedfordshire-cse")
    data = case(registry, tk.id, identified=tick(tk, "medium"))
    change = compare(tk, parse_case(data, registry), parse_case(data, registry))
    assert not change.level_changed and change.added == () and change.removed == ()
    assert "Level unchanged: Medium Risk" in change.summary(tk)
