"""What an Appendix A row counts, said once, and two ways of counting it.

A row is a `Rule`: a scope (the things it looks at in a period: the cases opened in it,
the meetings held in it...) and which of them it keeps (those whose `key` is `value`).
`Rule.count` counts one row straight from that definition; `Tally` counts every row of
a period in one pass, working each key out once per thing rather than once per row
(5,000 children over 8 quarters: about 100 rows × 9 periods of predicates became one
pass per period). Tests check the two agree on every row, count and child.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

from app.rules.meetings import REVIEWS
from app.stats.report import CaseFacts, MeetingFact, Period


def sequence_of(meetings: Sequence[MeetingFact]) -> list[tuple[str, MeetingFact]]:
    """Each meeting with its place in the case: professionals_1, initial_1, review_3..."""
    seen: dict[str, int] = {}
    out = []
    for m in sorted(meetings, key=lambda m: m.date):
        group = "review" if m.kind in REVIEWS else m.kind
        seen[group] = seen.get(group, 0) + 1
        out.append((f"{group}_{seen[group]}", m))
    return out


def _in(p: Period, day: dt.date | None) -> bool:
    return day is not None and p.start <= day <= p.end


def _first_meeting_held(c: CaseFacts, p: Period) -> bool:
    """The case's first meeting was a professionals or initial meeting held in `p`."""
    first = c.ordered_meetings[:1]
    return bool(first) and first[0].kind in ("professionals", "initial") and _in(p, first[0].date)


def brings(c: CaseFacts, p: Period) -> list[tuple[str, Sequence[Any]]]:
    """What case `c` brings to each scope in period `p` (scopes it is not in are left
    out): itself; (itself, p) where the key depends on the period; its meetings or
    assessments in `p`; its meetings by the period's end, numbered within the case.
    The straightforward definition; `Tally` counts the same faster.
    """
    out: list[tuple[str, Sequence[Any]]] = []
    if _in(p, c.opened):
        out.append(("opened", (c,)))
    if _in(p, c.closed):
        out.append(("closed", (c,)))
    if c.open_during(p):
        out += [("open", (c,)), ("open at end", ((c, p),))]
        placed = sequence_of([m for m in c.meetings if m.date <= p.end])
        if placed:
            out.append(("sequence", placed))
    met = [m for m in c.meetings if p.start <= m.date <= p.end]
    if met:
        out.append(("meetings", met))
        if _first_meeting_held(c, p):
            out.append(("first meeting", (c,)))
    assessed = [a for a in c.assessments if p.start <= a.date <= p.end]
    if assessed:
        out += [("assessments", assessed), ("assessed", (c,))]
        if any(_in(p, a.date) for a in c.ordered[1:]):  # an assessment after the first
            out.append(("reviewed", ((c, p),)))
    return out


SCOPES = (
    "opened", "closed", "open", "open at end", "meetings", "assessments", "assessed",
    "reviewed", "first meeting", "sequence",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class Rule:
    """The things of `scope` whose `key` is `value` (with `many`, whose `key` holds it).

    Rows that share a key function (the same object) are tallied with one call of it.
    """

    scope: str
    key: Callable[[Any], Any]
    value: Any = True
    many: bool = False

    def keeps(self, item: Any) -> bool:
        got = self.key(item)
        return self.value in got if self.many else bool(got == self.value)

    def count(self, cases: Sequence[CaseFacts], p: Period) -> int:
        """The straightforward count: every case, every thing it brings, this row's test."""
        return sum(
            1
            for c in cases
            for scope, items in brings(c, p)
            if scope == self.scope
            for item in items
            if self.keeps(item)
        )


@cache
def attr(name: str) -> Callable[[Any], Any]:
    """One getter per attribute, so rows on the same attribute share it."""
    return attrgetter(name)


def everything(_: Any) -> bool:
    return True


# A scope's key groups: (key, many, {value: row indexes}).
Group = tuple[Callable[[Any], Any], bool, dict[Any, list[int]]]
Plan = dict[str, list[Group]]


def plan(rules: Sequence[Rule | None]) -> Plan:
    """The rules grouped by scope and key function (None: a row not counted, e.g. a
    percentage filled in later)."""
    groups: dict[str, dict[int, Group]] = {}
    for index, rule in enumerate(rules):
        if rule is None:
            continue
        if rule.scope not in SCOPES:
            raise ValueError(f"unknown scope {rule.scope!r}")
        by_key = groups.setdefault(rule.scope, {})
        key_id = id(rule.key) * 2 + rule.many
        group = by_key.setdefault(key_id, (rule.key, rule.many, {}))
        group[2].setdefault(rule.value, []).append(index)
    return {scope: list(by_key.values()) for scope, by_key in groups.items()}


class _Case:
    """One case as the tally sees it, worked out once per report: the rows it counts in
    for each scope whose key does not depend on the period, and its dated things."""

    __slots__ = (
        "assessed", "assessments", "case", "closed", "first", "last", "meetings", "open",
        "opened", "opened_on", "seq_days", "seq_ends", "seq_hits",
    )  # fmt: skip

    def __init__(self, c: CaseFacts, score: Callable[[str, Any], list[int]]) -> None:
        days = [a.date for a in c.assessments] + [m.date for m in c.meetings]
        if c.closed is not None:
            days.append(c.closed)
        if c.opened is None:
            raise ValueError("only cases that have opened are tallied")
        self.case = c
        self.opened_on: dt.date = c.opened
        self.first = min(days)  # nothing of the case counts before it...
        self.last = max(days) if c.closed is not None else dt.date.max  # ...or after it
        self.opened = score("opened", c)
        self.closed = score("closed", c)
        self.open = score("open", c)
        self.assessed = score("assessed", c)
        self.meetings = [(m.date, score("meetings", m)) for m in c.meetings]
        self.assessments = [(a.date, score("assessments", a)) for a in c.assessments]
        placed = sequence_of(c.meetings)  # by date: the meetings by a day are a prefix
        self.seq_days = [m.date for _, m in placed]
        self.seq_hits: list[int] = []
        self.seq_ends = [0]  # seq_hits[: seq_ends[k]] are the first k meetings' rows
        for pm in placed:
            self.seq_hits += score("sequence", pm)
            self.seq_ends.append(len(self.seq_hits))


class Tally:
    """Counts every row of one report, a period at a time, in one pass over the cases.

    The same scopes as `brings`, worked out fast: what a case or a meeting scores is
    worked out once per report (`_Case`), and only the keys that depend on the period
    (the level at its end, the level at review) are asked again per period.
    """

    def __init__(self, the_plan: Plan, per_child: Sequence[bool] | None) -> None:
        unknown = set(the_plan) - set(SCOPES)
        if unknown:
            raise ValueError(f"no tally for scopes {sorted(unknown)}")
        self.plan = the_plan
        self.per_child = per_child  # which rows count children, when cases are named
        self.cases: list[_Case] = []

    def score(self, scope: str, item: Any) -> list[int]:
        """The rows `item` counts in among the rules of `scope`."""
        hits: list[int] = []
        for key, many, table in self.plan.get(scope, ()):
            got = key(item)
            if many:
                hits += [i for v in set(got) for i in table.get(v, ())]
            else:
                hits += table.get(got, ())
        return hits

    def prepare(self, cases: Sequence[CaseFacts]) -> None:
        """Work out once what each case scores (cases that have opened)."""
        self.cases = [_Case(c, self.score) for c in cases]

    def period(self, p: Period) -> tuple[Counter[int], dict[int, set[str]]]:
        """Every row's count in `p` (row index -> count) and, when `per_child` was
        given, the pseudonyms in each row that counts children."""
        counted: list[int] = []
        children: dict[int, set[str]] = defaultdict(set)
        start, end = p.start, p.end
        for k in self.cases:
            if k.first > end or k.last < start:
                continue  # nothing of this case falls in the period
            c = k.case
            every: list[int] = []
            if start <= k.opened_on <= end:
                every += k.opened
            if c.closed is not None and start <= c.closed <= end:
                every += k.closed
            if k.opened_on <= end and (c.closed is None or c.closed >= start):
                every += k.open
                every += self.score("open at end", (c, p))
                every += k.seq_hits[: k.seq_ends[bisect.bisect_right(k.seq_days, end)]]
            met = False
            for day, hits in k.meetings:
                if start <= day <= end:
                    every += hits
                    met = True
            if met and _first_meeting_held(c, p):
                every += self.score("first meeting", c)
            assessed = False
            for day, hits in k.assessments:
                if start <= day <= end:
                    every += hits
                    assessed = True
            if assessed:
                every += k.assessed
                if any(start <= a.date <= end for a in c.ordered[1:]):
                    every += self.score("reviewed", (c, p))
            counted += every
            if self.per_child is not None and c.pseudonym:
                who = str(c.pseudonym)
                for i in every:
                    if self.per_child[i]:
                        children[i].add(who)
        return Counter(counted), children
