"""The live summary: the rules engine's verdict, in its own words, beside every page."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.forms import Toolkit
from app.rules import AssessmentResult
from app.ui.levels import chip_style, word
from app.ui.sizing import chars, heading_font
from app.ui.speech import LiveLabel, ReadingPane, announce


class SummaryPanel(QFrame):
    """The engine's verdict, in its own words, beside every page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(chars(self, 34))
        self.setMaximumWidth(chars(self, 46))
        layout = QVBoxLayout(self)
        self.saved = LiveLabel("Save status", self, speak=False)
        self.chip = LiveLabel("Suggested level", self)
        self.body = ReadingPane("Live summary", self)
        heading = QLabel("Live summary", self)
        heading.setFont(heading_font(heading))
        heading.setBuddy(self.body)
        layout.addWidget(heading)
        layout.addWidget(self.chip)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.saved)

    def set_saved(self, text: str, *, error: bool = False) -> None:
        # "Saving…"/"Saved" flicker on every key: announced only when saving fails
        self.saved.set_live(text)
        if error:
            announce(self.saved, text)
        self.saved.setStyleSheet("color:#8b0000; font-weight:bold;" if error else "")

    def show_result(
        self, tk: Toolkit, result: AssessmentResult | None, problem: str | None
    ) -> None:
        if result is None:
            self.chip.set_live("No suggestion yet")
            self.chip.setStyleSheet(chip_style(None))
            self.body.setText(f"The summary appears once this is filled in:\n{problem}")
            return
        level = result.suggested_level.value if result.suggested_level else None
        self.chip.set_live(f"Suggested: {tk.level_label(level) if level else word(level)}")
        self.chip.setStyleSheet(chip_style(level))
        lines = [f"Age {result.age}" + ("" if result.in_scope else " (out of scope)")]
        if result.minimum_level:
            lines.append(f"Minimum level: {result.minimum_level.label}")
        lines.append(
            "Counts: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.counts.items())
        )
        lines += ["", *(f"• {r.text}" for r in result.reasons)]
        if result.warnings:
            lines += ["", "Warnings:", *(f"• {w.text}" for w in result.warnings)]
        if result.errors:
            lines += ["", "To fix:", *(f"• {e.message}" for e in result.errors)]
        if problem:  # a bad optional answer is set aside, and named here
            lines += ["", "Not counted until corrected:", *(f"• {p}" for p in problem.split("; "))]
        self.body.setText("\n".join(lines))
