"""Semantic checks of what the rules read from a definition (the schema cannot express them).

Final levels name levels the toolkit has; "as above" points at another level without a loop;
a step id means one instruction; an implied condition's column exists; a summary checklist
ticks items that exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.forms.errors import DefinitionError, ErrorCode


def _dangling(file: str, where: str, what: str) -> DefinitionError:
    return DefinitionError(ErrorCode.DANGLING_REFERENCE, file, where, what)


def _check_steps(levels: Mapping[str, Any], file: str) -> None:
    texts: dict[str, str] = {}
    for name, level in levels.items():
        for step in level["next_steps"]:
            if "as_above" in step:
                target = step["as_above"]
                if target not in levels or target == name:
                    raise _dangling(file, f"levels.{name}", f"'as above' names level '{target}'")
                continue
            seen = texts.setdefault(step["id"], step["text"])
            if seen != step["text"]:
                raise DefinitionError(
                    ErrorCode.DUPLICATE_ID,
                    file,
                    step["id"],
                    f"step id '{step['id']}' is used for two different instructions",
                )
    for name in levels:
        chain, current = [name], name
        while True:
            nxt = next(
                (s["as_above"] for s in levels[current]["next_steps"] if "as_above" in s), None
            )
            if nxt is None:
                break
            if nxt in chain:
                raise _dangling(file, f"levels.{name}", "'as above' goes round in a circle")
            chain.append(nxt)
            current = nxt


def check_rule_data(data: Mapping[str, Any], file: str) -> None:
    levels = data["levels"]
    for level in data.get("final_levels", ()):
        if level != "none" and level not in levels:
            raise _dangling(file, "final_levels", f"the toolkit has no {level} level")
    _check_steps(levels, file)
    bool_columns = {c["id"] for c in data["section2"]["columns"] if c["type"] == "bool"}
    for group in data["section2"]["groups"]:
        for item in group["items"]:
            column = item.get("implies_column")
            if column is not None and column not in bool_columns:
                raise _dangling(file, item["id"], f"implies_column '{column}' is not a tick column")
            if column is not None and not item.get("implies"):
                raise _dangling(file, item["id"], "implies_column without implies")
    section1 = {i["id"] for g in data["section1"]["groups"] for i in g["items"]}
    for group in data["section3"].get("checklist", ()):
        for entry in group["entries"]:
            if entry["item"] not in section1:
                where = "section3.checklist"
                raise _dangling(file, where, f"'{entry['item']}' is not a Section 1 item")
