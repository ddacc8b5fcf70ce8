"""Fictional `CaseFacts` with varied data, for checking the fast statistics against the
straightforward count of every row (no vault: the facts are what statistics see).

Every field varies, including the awkward cases: no level, a meeting on the day of an
assessment, a case opened before the range or never opened, closed before it opened,
categories the lists do not name (an older definition's ids), the same model twice, and
children who share a pseudonym (one child on two laptops).
"""

from __future__ import annotations

import datetime as dt
import random

from app.stats.report import LEVELS, AssessmentFact, CaseFacts, MeetingFact, categories

TOOLKITS = ("derby-cse-2017", "derby-cre-2020", "bedfordshire-cse", "portsmouth-cse-2016")


def _one_of(rng: random.Random, values: list[str], unlisted: str) -> str | None:
    """A listed id mostly; sometimes none recorded, sometimes an id the list lacks."""
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.2:
        return unlisted
    return rng.choice(values)


def varied_children(n: int, start: dt.date, seed: int, *, named: bool = True) -> list[CaseFacts]:
    """`n` fictional cases spread over about two years from `start`."""
    rng = random.Random(seed)
    ids = {k: [i for i, _ in v] for k, v in categories().items()}
    out = []
    for _ in range(n):
        first = start + dt.timedelta(days=rng.randrange(-200, 720))
        assessments = tuple(
            AssessmentFact(
                first + dt.timedelta(days=rng.choice((0, 0, 15, 60, 90)) * k),
                rng.choice((*LEVELS, None)),
                rng.choice(TOOLKITS),
            )
            for k in range(rng.choice((0, 1, 1, 2, 3, 4)))
        )
        meetings = tuple(
            MeetingFact(
                first + dt.timedelta(days=rng.choice((0, 10, 30, 45, 100)) * k),
                rng.choice(ids["meeting_types"]),
                rng.choice(("low", "medium", "high", None)),
                rng.random() < 0.5,
                rng.random() < 0.5,
                rng.random() < 0.5,
            )
            for k in range(rng.choice((0, 0, 1, 2, 4, 7, 12)))
        )
        closed = None
        if rng.random() < 0.45:
            closed = first + dt.timedelta(days=rng.randrange(-20, 500))
        models = rng.sample(ids["models_of_abuse"], rng.randrange(0, 3))
        if models and rng.random() < 0.1:
            models.append(models[0])  # the same model twice counts the case once
        if rng.random() < 0.1:
            models.append("adult_on_child")  # a toolkit's own Section 3 id
        out.append(
            CaseFacts(
                assessments=assessments,
                gender=_one_of(rng, ids["gender"], "unlisted"),
                ethnicity=_one_of(rng, ids["ethnicity"], "unlisted"),
                sexual_identity=_one_of(rng, ids["sexual_identity"], "unlisted"),
                source_of_request=_one_of(rng, ids["source_of_request"], "unlisted"),
                send=rng.random() < 0.25,
                looked_after=rng.random() < 0.3,
                models_of_abuse=tuple(models),
                closed=closed,
                closure_reason=_one_of(rng, ids["closure_reasons"], "unlisted") if closed else None,
                meetings=meetings,
                in_care_due_to_exploitation=rng.random() < 0.4,
                from_another_la=rng.random() < 0.4,
                key_worker=_one_of(rng, ids["key_worker_types"], "unlisted"),
                priority_areas=tuple(rng.sample(ids["priority_areas"], rng.randrange(0, 4))),
                pseudonym=f"child-{rng.randrange(n)}" if named and rng.random() < 0.8 else None,
            )
        )
    return out
