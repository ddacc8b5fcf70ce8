"""What changed between two assessments of one child: indicators and the level, with reasons.

Both assessments are assessed by the engine; this only compares the two results and
answers, so the chronology shows the engine's own levels and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.forms import Toolkit
from app.rules.casefile import Case
from app.rules.engine import assess, identified_items
from app.rules.levels import Level


@dataclass(frozen=True)
class Change:
    before_date: str
    after_date: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    level_before: Level | None
    level_after: Level | None
    reasons_after: tuple[str, ...]

    @property
    def level_changed(self) -> bool:
        return self.level_before != self.level_after

    def summary(self, tk: Toolkit) -> str:
        def name(level: Level | None) -> str:
            return tk.level_label(level.value) if level else "not assessed"

        lines = [f"{self.before_date} → {self.after_date}"]
        if self.level_changed:
            lines.append(f"Level: {name(self.level_before)} → {name(self.level_after)}")
        else:
            lines.append(f"Level unchanged: {name(self.level_after)}")
        lines += [f"+ {text}" for text in self.added]
        lines += [f"− {text}" for text in self.removed]
        if self.level_changed:
            lines += [f"  because: {r}" for r in self.reasons_after]
        return "\n".join(lines)


def compare(tk: Toolkit, before: Case, after: Case) -> Change:
    old = {i.id: i for i in identified_items(tk, before)}
    new = {i.id: i for i in identified_items(tk, after)}
    r_before, r_after = assess(before, tk), assess(after, tk)
    return Change(
        before_date=before.assessment_date.isoformat(),
        after_date=after.assessment_date.isoformat(),
        added=tuple(new[i].text for i in new if i not in old),
        removed=tuple(old[i].text for i in old if i not in new),
        level_before=r_before.level_for_display,
        level_after=r_after.level_for_display,
        reasons_after=tuple(
            r.text for r in r_after.reasons if r.code.startswith(("suggest", "floor", "final"))
        ),
    )
