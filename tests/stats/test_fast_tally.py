"""The fast statistics (`build_report`, one tally per period) against the straightforward
count of every row (`Rule.count`: each case, each thing it brings, the row's test), on
a few hundred fictional children with varied data: every count, every total, every
percentage and, with pseudonyms, who is in each cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from app.stats import Cancelled, CaseFacts, StatsRow, build_report, quarters, scopes
from app.stats.appendix import per_child, specs
from app.stats.report import Period, with_percents
from tests.stats.varied import varied_children

START = dt.date(2024, 4, 1)


def reference(
    cases: list[CaseFacts], start: dt.date, end: dt.date, today: dt.date
) -> tuple[StatsRow, ...]:
    """Every row counted on its own, period by period, straight from its definition
    (`scopes.brings` remembered per case and period while it runs: each row asked it
    again for every case, most of this test's time, for the same answer)."""
    plain = scopes.brings
    memo: dict[tuple[int, Period], list[tuple[str, Sequence[Any]]]] = {}

    def brings(c: CaseFacts, p: Period) -> list[tuple[str, Sequence[Any]]]:
        if (id(c), p) not in memo:
            memo[id(c), p] = plain(c, p)
        return memo[id(c), p]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scopes, "brings", brings)
        return _reference(cases, start, end, today)


def _reference(
    cases: list[CaseFacts], start: dt.date, end: dt.date, today: dt.date
) -> tuple[StatsRow, ...]:
    end = min(end, today)
    facts = [c for c in cases if c.opened is not None]
    every = (*quarters(start, end), Period("Total", start, end))
    named = [c for c in facts if c.pseudonym]
    rows = []
    for section, key, label, rule, of in specs():
        counts = [rule.count(facts, p) if rule else 0 for p in every]
        children: tuple[frozenset[str], ...] = ()
        if named and per_child(section, key):
            assert rule is not None
            children = tuple(
                frozenset(str(c.pseudonym) for c in named if rule.count([c], p)) for p in every
            )
        rows.append(StatsRow(section, key, label, tuple(counts[:-1]), counts[-1], of, children))
    return with_percents(rows)


@pytest.mark.parametrize(
    ("seed", "n", "start", "end", "today", "named"),
    [
        (1, 300, START, dt.date(2026, 3, 31), dt.date(2026, 6, 1), True),
        (2, 200, dt.date(2024, 5, 17), dt.date(2026, 9, 3), dt.date(2026, 1, 15), False),
        (3, 150, dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2027, 1, 1), True),
    ],
)
def test_every_row_count_and_child_matches_the_straightforward_count(
    seed: int, n: int, start: dt.date, end: dt.date, today: dt.date, named: bool
) -> None:
    cases = varied_children(n, START, seed, named=named)
    fast = build_report(cases, start, end, today=today)
    slow = reference(cases, start, end, today)
    assert [(r.section, r.key) for r in fast.rows] == [(r.section, r.key) for r in slow]
    for got, want in zip(fast.rows, slow, strict=True):
        assert (got.counts, got.total) == (want.counts, want.total), (got.section, got.key)
        assert got.children == want.children, (got.section, got.key)
    assert any(r.children for r in fast.rows) == named


def test_the_varied_children_reach_every_counted_row() -> None:
    """Otherwise the comparison above would pass on rows that never count anything."""
    cases = varied_children(300, START, 1)
    report = build_report(cases, START, dt.date(2026, 3, 31), today=dt.date(2026, 6, 1))
    empty = [(r.section, r.key) for r in report.rows if not r.is_percent and not r.total]
    assert empty == []


def test_progress_is_reported_per_period_and_cancel_stops_the_run() -> None:
    cases = varied_children(50, START, 4)
    calls: list[tuple[int, int]] = []
    report = build_report(
        cases,
        START,
        dt.date(2025, 3, 31),
        today=dt.date(2026, 1, 1),
        progress=lambda done, steps: calls.append((done, steps)),
    )
    assert len(report.periods) == 4
    assert calls == [(i, 6) for i in range(7)]  # scores, four quarters, the total, done

    def cancel_at_two(done: int, steps: int) -> None:
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        build_report(cases, START, dt.date(2025, 3, 31), today=dt.date(2026, 1, 1),
                     progress=cancel_at_two)  # fmt: skip
