"""The draft being edited, without Qt: answers, the live verdict, problems, and saving.

The wizard's pages only render and edit this model (the napari pattern: an evented model,
widgets subscribe). It parses leniently, so one wrong optional answer is set aside and named
instead of hiding the whole summary, and it hands every change to a save function (the
wizard passes its autosave queue). Tested headless in tests/casework/test_draft.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from app.forms import Registry, Toolkit
from app.rules import (
    AssessmentResult,
    Case,
    CaseFileError,
    Problem,
    assess,
    completion_problems,
    parse_case,
)

Listener = Callable[["DraftModel"], None]
Saver = Callable[[dict[str, Any]], None]

# without these there is nothing to assess, so they are never set aside
NEEDED = ("child.name", "child.date_of_birth", "assessment_date")
SECTIONS = ("child", "section1", "section2", "analysis", "practitioner")


class DraftModel:
    def __init__(
        self,
        registry: Registry,
        toolkit: Toolkit,
        answers: dict[str, Any],
        *,
        save: Saver | None = None,
    ) -> None:
        self.registry, self.tk, self.save = registry, toolkit, save
        self.answers: dict[str, Any] = copy.deepcopy(answers)
        for key in SECTIONS:
            self.answers.setdefault(key, {})
        self.answers.setdefault("final_level", None)
        self.answers.setdefault("override_reason", None)
        self.verdict: AssessmentResult | None = None
        self.field_problems: dict[str, str] = {}
        self._listeners: list[Listener] = []

    # -- reading -------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        if "." not in path:
            return self.answers.get(path)
        top, key = path.split(".", 1)
        return (self.answers.get(top) or {}).get(key)

    def problems(self) -> list[Problem]:
        """What stops completing: the one rule (app.rules), plus every typed value that is
        wrong in its own words (the rule reports only the first it meets)."""
        found = [
            p
            for p in completion_problems(self.tk, self.answers)
            if p.field not in self.field_problems or p.code == "required"
        ]
        seen = {p.field for p in found}
        found += [
            Problem(path, message, "invalid")
            for path, message in self.field_problems.items()
            if path not in seen
        ]
        return found

    # -- editing -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def set(self, path: str, value: Any, typed: dict[str, str] | None = None) -> None:
        """One answer by dotted path (`child.name`, `review_date`); None removes optional
        top-level answers such as the review date."""
        if "." in path:
            top, key = path.split(".", 1)
            self.answers.setdefault(top, {})[key] = value
        elif value is None and path in ("review_date", "judgement_reason"):
            self.answers.pop(path, None)
        else:
            self.answers[path] = value
        self.changed(typed)

    def set_item(
        self,
        section: str,
        item_id: str,
        values: dict[str, Any] | None,
        typed: dict[str, str] | None = None,
    ) -> None:
        """A Section 1 mark or Section 2 factor; None (nothing ticked or written) removes it."""
        if values is None:
            self.answers[section].pop(item_id, None)
        else:
            self.answers[section][item_id] = values
        self.changed(typed)

    def changed(self, typed: dict[str, str] | None = None) -> None:
        """After any edit: save a copy, evaluate, tell the subscribers."""
        if self.save is not None:
            self.save(copy.deepcopy(self.answers))
        self.evaluate(typed)

    def evaluate(self, typed: dict[str, str] | None = None) -> None:
        """Recompute the verdict; `typed` adds problems widgets know (a half-typed date)."""
        case, found = lenient_parse(self.answers, self.registry)
        found.update(typed or {})
        self.field_problems = found
        self.verdict = assess(case, self.tk) if case is not None else None
        for listener in list(self._listeners):
            listener(self)


def lenient_parse(
    answers: dict[str, Any], registry: Registry
) -> tuple[Case | None, dict[str, str]]:
    """Parse, setting aside answers that are wrong, so one bad optional answer never hides
    the summary; returns the case (None while a needed answer is wrong) and each problem."""
    data = copy.deepcopy(answers)
    found: dict[str, str] = {}
    for _ in range(20):
        try:
            return parse_case(data, registry), found
        except CaseFileError as exc:
            if exc.field in found or not _drop(data, exc.field):
                found.setdefault(exc.field, exc.message)
                return None, found
            found[exc.field] = exc.message
    return None, found


def _drop(data: dict[str, Any], path: str) -> bool:
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict) or last not in node or path in NEEDED:
        return False
    del node[last]
    return True
