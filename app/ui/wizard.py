"""The assessment wizard, generated from a toolkit definition.

Pages: child details, Section 1, Section 2, Section 3, review and finish. No page or
question is written for one toolkit: editors come from `app.ui.fields`, marking rows
from the toolkit's marking scheme. The live summary beside every page shows the rules
engine's own result and words; nothing here works out a level.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.forms import Field, Item, Registry, Toolkit
from app.rules import (
    AssessmentResult,
    CaseFileError,
    Level,
    assess,
    completion_problems,
    parse_case,
)
from app.rules.results import Problem
from app.storage import Repository
from app.storage.autosave import AutosaveWriter
from app.ui.fields import FieldEditor, editor_for
from app.ui.levels import chip_style, word

PAGES = ("child", "section1", "section2", "section3", "finish")
NOTE_CONDITIONS: dict[str, Callable[[dict[str, Any], AssessmentResult | None], bool]] = {
    "always": lambda c, r: True,
    "under_13": lambda c, r: r is not None and r.age < 13,
    "under_10": lambda c, r: r is not None and r.age < 10,
    "send": lambda c, r: bool(c.get("send")),
    "under_13_or_send": lambda c, r: bool(c.get("send")) or (r is not None and r.age < 13),
    "looked_after": lambda c, r: bool(c.get("looked_after")),
    "mental_health": lambda c, r: bool(c.get("mental_health")),
}


class _Bridge(QObject):
    """Carries autosave news from the worker thread to the UI thread (queued signals)."""

    saved = Signal(int)
    failed = Signal(int, str)


class MarkRow(QWidget):
    """One Section 1 indicator with the toolkit's tick columns."""

    changed = Signal()

    def __init__(self, tk: Toolkit, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tk, self.item = tk, item
        self.setAccessibleName(item.text)
        labels = tk.data["section1"].get("column_labels", {})
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 2, 0, 2)
        row = QHBoxLayout()
        outer.addLayout(row)
        self.boxes: dict[str, QCheckBox] = {}
        keys = {"risk_evidenced": ["risk", "evidenced"], "cce_cse_level": ["cce", "cse"]}
        for key in keys.get(tk.marking, ["ticked"]):
            box = QCheckBox(labels.get(key, key.upper()), self)
            box.setAccessibleName(item.text)
            box.setAccessibleDescription(labels.get(key, key))
            box.toggled.connect(self.changed)
            row.addWidget(box)
            self.boxes[key] = box
        self.level: QComboBox | None = None
        if tk.marking == "cce_cse_level":
            self.level = QComboBox(self)
            self.level.setAccessibleName(f"Risk L/M/H: {item.text}")
            for text, data in (("–", None), ("L", "L"), ("M", "M"), ("H", "H")):
                self.level.addItem(text, data)
            self.level.currentIndexChanged.connect(self.changed)
            row.addWidget(self.level)
        caption = QLabel(item.text + "".join(f"\n • {d}" for d in item.detail), self)
        caption.setWordWrap(True)
        caption.setBuddy(next(iter(self.boxes.values())))
        row.addWidget(caption, 1)
        self.comment: QLineEdit | None = None
        if tk.marking == "tick_comment":
            self.comment = QLineEdit(self)
            self.comment.setPlaceholderText(labels.get("comment", "Comments & evidence"))
            self.comment.setAccessibleName(f"{labels.get('comment', 'Comment')}: {item.text}")
            self.comment.textChanged.connect(self.changed)
            outer.addWidget(self.comment)
        if item.examples:
            button = QToolButton(self)
            button.setText("Examples")
            button.setCheckable(True)
            button.setAccessibleName(f"Examples for {item.text}")
            row.addWidget(button)
            ex = item.examples
            guide = QLabel(f"Low: {ex.low}\nMedium: {ex.medium}\nHigh: {ex.high}", self)
            guide.setWordWrap(True)
            guide.setStyleSheet("background:#f4f6f8; padding:6px; border-left:3px solid #1d4f6e;")
            guide.setVisible(False)
            button.toggled.connect(guide.setVisible)
            outer.addWidget(guide)

    def marks(self) -> dict[str, Any] | None:
        marks: dict[str, Any] = {k: b.isChecked() for k, b in self.boxes.items()}
        if self.level is not None:
            marks["level"] = self.level.currentData()
        if self.comment is not None:
            marks["comment"] = self.comment.text()
        return marks if any(marks.values()) else None

    def set_marks(self, marks: dict[str, Any]) -> None:
        for key, box in self.boxes.items():
            box.setChecked(bool(marks.get(key)))
        if self.level is not None:
            self.level.setCurrentIndex(max(self.level.findData(marks.get("level")), 0))
        if self.comment is not None:
            self.comment.setText(str(marks.get("comment", "")))


class FactorRow(QWidget):
    """One Section 2 factor with the toolkit's columns (ticks and commentary)."""

    changed = Signal()

    def __init__(self, tk: Toolkit, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(item.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        title = QLabel(item.text, self)
        title.setWordWrap(True)
        title.setStyleSheet("font-weight:600;")
        layout.addWidget(title)
        row = QHBoxLayout()
        layout.addLayout(row)
        self.editors: dict[str, FieldEditor] = {}
        for column in tk.section2_columns:
            label = column["label"]
            f = Field(id=column["id"], label=f"{label}: {item.text}", type=column["type"])
            editor = editor_for(f, self)
            if column["type"] == "bool":
                editor.box.setText(label)  # type: ignore[attr-defined]
            elif column["type"] == "multiline":
                editor.edit.setPlaceholderText(label)  # type: ignore[attr-defined]
                editor.edit.setMaximumHeight(60)  # type: ignore[attr-defined]
            editor.changed.connect(self.changed)
            row.addWidget(editor, 0 if column["type"] == "bool" else 1)
            self.editors[column["id"]] = editor

    def answers(self) -> dict[str, Any] | None:
        values = {k: e.value() for k, e in self.editors.items()}
        return values if any(values.values()) else None

    def set_answers(self, values: dict[str, Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(values.get(key))


class SummaryPanel(QFrame):
    """The engine's verdict, in its own words, beside every page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(300)
        self.setMaximumWidth(360)
        layout = QVBoxLayout(self)
        self.saved = QLabel("", self)
        self.saved.setAccessibleName("Save status")
        self.chip = QLabel("", self)
        self.chip.setAccessibleName("Suggested level")
        self.body = QLabel("", self)
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.body.setAccessibleName("Live summary")
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        heading = QLabel("Live summary", self)
        heading.setStyleSheet("font-weight:bold; font-size:13pt;")
        layout.addWidget(heading)
        layout.addWidget(self.chip)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.saved)

    def show_result(
        self, tk: Toolkit, result: AssessmentResult | None, problem: str | None
    ) -> None:
        if result is None:
            self.chip.setText("No suggestion yet")
            self.chip.setStyleSheet(chip_style(None))
            self.body.setText(f"The summary appears once this is filled in:\n{problem}")
            return
        level = result.suggested_level.value if result.suggested_level else None
        self.chip.setText(f"Suggested: {tk.level_label(level) if level else word(level)}")
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
        self.body.setText("\n".join(lines))


class AssessmentWizard(QWizard):
    """One assessment draft. Every edit autosaves; completing is the only gate."""

    completed = Signal(int)

    def __init__(
        self,
        registry: Registry,
        repo: Repository,
        assessment_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        record = repo.get_assessment(assessment_id)
        self.registry, self.repo, self.assessment_id = registry, repo, assessment_id
        self.tk = registry.get(record.toolkit_id)
        self.answers: dict[str, Any] = copy.deepcopy(record.answers)
        for key in ("child", "section1", "section2", "analysis", "practitioner"):
            self.answers.setdefault(key, {})
        self.answers.setdefault("final_level", None)
        self.answers.setdefault("override_reason", None)
        self.verdict: AssessmentResult | None = None
        self.problem: str | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.mark_rows: dict[str, MarkRow] = {}
        self.factor_rows: dict[str, FactorRow] = {}
        self.page_of: dict[str, int] = {}
        self._loading = True
        self.setWindowTitle(f"{self.tk.short_title}: assessment")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Complete assessment")
        self.summary = SummaryPanel(self)
        self.setSideWidget(self.summary)
        self._bridge = _Bridge(self)
        self._bridge.saved.connect(lambda _id: self.summary.saved.setText("Saved ✓"))
        self._bridge.failed.connect(
            lambda _id, msg: self.summary.saved.setText(f"NOT saved: {msg}")
        )
        self.autosave = AutosaveWriter(
            repo,
            on_saved=self._bridge.saved.emit,
            on_error=lambda i, e: self._bridge.failed.emit(i, str(e)),
        )
        self._build_pages()
        self._load()
        self._loading = False
        self.refresh()
        self.setStartId(min(record.page, len(PAGES) - 1))
        self.currentIdChanged.connect(self._page_changed)
        self.resize(1280, 720)

    # -- building ----------------------------------------------------------------------
    def _scroll_page(
        self, key: str, title: str, subtitle: str | None
    ) -> tuple[QWizardPage, QVBoxLayout]:
        page = QWizardPage(self)
        page.setTitle(title)
        if subtitle:
            page.setSubTitle(subtitle)
        outer = QVBoxLayout(page)
        for note in self.tk.notes(key):
            if note["text"] == subtitle:
                continue  # already the page's subtitle
            label = QLabel(note["text"], page)
            label.setWordWrap(True)
            label.setProperty("applies_when", note.get("applies_when", "always"))
            label.setStyleSheet("background:#fff6dd; border-left:4px solid #b8860b; padding:4px;")
            outer.addWidget(label)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.page_of[key] = self.addPage(page)
        return page, layout

    def _field_form(self, layout: QVBoxLayout, fields: tuple[Field, ...], prefix: str) -> None:
        """Label above editor: long toolkit labels wrap instead of being clipped."""
        for f in fields:
            editor = editor_for(f)
            key = f"{prefix}.{f.id}" if prefix else f.id
            self.editors[key] = editor
            editor.changed.connect(lambda path=key: self._field_changed(path))
            if f.type != "bool":
                label = QLabel(f.label + (" *" if f.required else ""))
                label.setWordWrap(True)
                label.setBuddy(editor.focus_widget())
                label.setStyleSheet("font-weight:600; margin-top:4px;")
                layout.addWidget(label)
            layout.addWidget(editor)

    def _build_pages(self) -> None:
        tk = self.tk
        _, layout = self._scroll_page("child", "Child or young person's details", tk.title)
        date_field = Field(
            id="assessment_date", label="Assessment date", type="date", required=True
        )
        self._field_form(layout, (date_field,), "")
        self._field_form(layout, tk.child_fields, "child")
        layout.addStretch(1)

        section1 = tk.data["section1"]
        _, layout = self._scroll_page("section1", section1["title"], section1.get("intro"))
        for group in tk.section1_groups:
            box = QGroupBox(tk.level_label(group.band) if group.band else "", self)
            box.setAccessibleName(group.title)
            inner = QVBoxLayout(box)
            heading = QLabel(group.title, box)
            heading.setWordWrap(True)
            heading.setStyleSheet("font-weight:bold;")
            inner.addWidget(heading)
            for item in group.items:
                row_widget = MarkRow(tk, item, box)
                row_widget.changed.connect(lambda i=item.id: self._mark_changed(i))
                inner.addWidget(row_widget)
                self.mark_rows[item.id] = row_widget
            layout.addWidget(box)
        if tk.section1_fields:
            self._field_form(layout, tk.section1_fields, "analysis")

        section2 = tk.data["section2"]
        _, layout = self._scroll_page("section2", section2["title"], section2.get("intro"))
        for group in tk.section2_groups:
            box = QGroupBox(group.title)
            inner = QVBoxLayout(box)
            for item in group.items:
                factor = FactorRow(tk, item, box)
                factor.changed.connect(lambda i=item.id: self._factor_changed(i))
                inner.addWidget(factor)
                self.factor_rows[item.id] = factor
            layout.addWidget(box)
        if tk.section2_fields:
            self._field_form(layout, tk.section2_fields, "analysis")

        section3 = tk.data["section3"]
        _, layout = self._scroll_page("section3", section3["title"], section3.get("intro"))
        self._field_form(layout, tk.section3_fields, "analysis")
        layout.addStretch(1)

        self.finish_page = FinishPage(self)
        self.page_of["finish"] = self.addPage(self.finish_page)

    # -- data --------------------------------------------------------------------------
    def _load(self) -> None:
        for path, editor in self.editors.items():
            editor.set_value(self._get(path))
        for item_id, row in self.mark_rows.items():
            row.set_marks(self.answers["section1"].get(item_id, {}))
        for item_id, factor in self.factor_rows.items():
            factor.set_answers(self.answers["section2"].get(item_id, {}))
        if not self.answers.get("assessment_date"):
            today = dt.date.today().isoformat()
            self.answers["assessment_date"] = today
            self.editors["assessment_date"].set_value(today)

    def _get(self, path: str) -> Any:
        if "." not in path:
            return self.answers.get(path)
        top, key = path.split(".", 1)
        return (self.answers.get(top) or {}).get(key)

    def _field_changed(self, path: str) -> None:
        if self._loading:
            return
        editor = self.editors[path]
        if editor.field.type == "computed":
            return
        if "." in path:
            top, key = path.split(".", 1)
            self.answers.setdefault(top, {})[key] = editor.value()
        else:
            self.answers[path] = editor.value()
        self.changed()

    def _mark_changed(self, item_id: str) -> None:
        if self._loading:
            return
        marks = self.mark_rows[item_id].marks()
        if marks is None:
            self.answers["section1"].pop(item_id, None)
        else:
            self.answers["section1"][item_id] = marks
        self.changed()

    def _factor_changed(self, item_id: str) -> None:
        if self._loading:
            return
        values = self.factor_rows[item_id].answers()
        if values is None:
            self.answers["section2"].pop(item_id, None)
        else:
            self.answers["section2"][item_id] = values
        self.changed()

    def changed(self) -> None:
        """Every edit: autosave the draft (off the UI thread) and refresh the summary."""
        self.summary.saved.setText("Saving…")
        self.autosave.submit(self.assessment_id, copy.deepcopy(self.answers), self.currentId())
        self.refresh()

    def _page_changed(self, page_id: int) -> None:
        if page_id >= 0:
            self.autosave.submit(self.assessment_id, copy.deepcopy(self.answers), page_id)
        if page_id == self.page_of["finish"]:
            self.finish_page.refresh()

    def refresh(self) -> None:
        try:
            case = parse_case(self.answers, self.registry)
        except CaseFileError as exc:
            self.verdict, self.problem = None, f"{exc.field}: {exc.message}"
        else:
            self.verdict, self.problem = assess(case, self.tk), None
        self.summary.show_result(self.tk, self.verdict, self.problem)
        self._update_computed()
        self._update_notes()
        if self.currentId() == self.page_of.get("finish"):
            self.finish_page.refresh()

    def _update_computed(self) -> None:
        r = self.verdict
        values: dict[str, Any] = {}
        if r is not None:
            values = {
                "age": r.age,
                "suggested_level": r.suggested_level.label if r.suggested_level else None,
                "final_level": r.final_level.label if r.final_level else None,
                "minimum_level": r.minimum_level.label if r.minimum_level else None,
                "review_due": r.review_due.isoformat() if r.review_due else "no fixed date",
                "primary_type": (r.primary_type or "").upper() or None,
            }
            for key, count in r.counts.items():
                values[f"count_{key}"] = count
        for editor in self.editors.values():
            if editor.field.type == "computed":
                editor.set_value(values.get(editor.field.computed or ""))

    def _update_notes(self) -> None:
        child = self.answers.get("child") or {}
        for label in self.findChildren(QLabel):
            condition = label.property("applies_when")
            if condition:
                label.setVisible(
                    NOTE_CONDITIONS.get(condition, NOTE_CONDITIONS["always"])(child, self.verdict)
                )

    def problems(self) -> list[Problem]:
        """Everything that stops completion, from the one rule that decides it."""
        return completion_problems(self.tk, self.answers)

    def page_for(self, path: str) -> int:
        top = path.split(".")[0]
        if top in ("child", "assessment_date"):
            return self.page_of["child"]
        if top == "section1":
            return self.page_of["section1"]
        if top == "section2":
            return self.page_of["section2"]
        if top == "analysis":
            field_id = path.split(".")[1] if "." in path else ""
            if any(f.id == field_id for f in self.tk.section1_fields):
                return self.page_of["section1"]
            if any(f.id == field_id for f in self.tk.section2_fields):
                return self.page_of["section2"]
            return self.page_of["section3"]
        return self.page_of["finish"]

    def jump_to(self, path: str) -> None:
        target = self.page_for(path)
        while self.currentId() > target:
            self.back()
        while self.currentId() < target:
            self.next()
        editor = self.editors.get(path)
        if editor is not None:
            editor.focus_widget().setFocus()

    def done(self, code: int) -> None:
        self.autosave.stop(timeout=5)
        super().done(code)


class FinishPage(QWizardPage):
    """Final level, the reasons it is limited, next steps, review date, what is missing."""

    def __init__(self, wizard: AssessmentWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("Review and finish")
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        for note in wizard.tk.notes("finish"):
            label = QLabel(note["text"], body)
            label.setWordWrap(True)
            label.setProperty("applies_when", note.get("applies_when", "always"))
            label.setStyleSheet("background:#fff6dd; border-left:4px solid #b8860b; padding:4px;")
            layout.addWidget(label)
        box = QGroupBox("Final level (your professional judgement)", body)
        box.setAccessibleName("Final level")
        levels_row = QHBoxLayout(box)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for level in Level:
            radio = QRadioButton(wizard.tk.level_label(level.value), box)
            radio.setAccessibleName(f"Final level {wizard.tk.level_label(level.value)}")
            self.group.addButton(radio)
            levels_row.addWidget(radio)
            self.radios[level.value] = radio
            radio.toggled.connect(lambda on, value=level.value: self._toggled(on, value))
        layout.addWidget(box)
        self.floor_reason = QLabel("", body)
        self.floor_reason.setWordWrap(True)
        self.floor_reason.setAccessibleName("Why some levels cannot be chosen")
        layout.addWidget(self.floor_reason)
        self.override_label = QLabel(
            "Protective factors that justify a level below the minimum (required for that choice):",
            body,
        )
        self.override_label.setWordWrap(True)
        self.override = QPlainTextEdit(body)
        self.override.setAccessibleName("Protective factors that justify a level below the minimum")
        self.override.setMaximumHeight(80)
        self.override_label.setBuddy(self.override)
        self.override.textChanged.connect(self._override_changed)
        self.judgement_label = QLabel("Why your final level differs from the suggestion:", body)
        self.judgement = QPlainTextEdit(body)
        self.judgement.setAccessibleName("Why your final level differs from the suggestion")
        self.judgement.setMaximumHeight(80)
        self.judgement_label.setBuddy(self.judgement)
        self.judgement.textChanged.connect(self._judgement_changed)
        for widget in (self.override_label, self.override, self.judgement_label, self.judgement):
            layout.addWidget(widget)
        self.review_label = QLabel(
            "Set the review date yourself (optional, e.g. the next core group meeting):",
            body,
        )
        self.review_label.setWordWrap(True)
        self.review_date = QLineEdit(str(wizard.answers.get("review_date") or ""), body)
        self.review_date.setAccessibleName("Review date set by the practitioner")
        self.review_date.setPlaceholderText("leave empty to use the toolkit's interval")
        self.review_label.setBuddy(self.review_date)
        self.review_date.textChanged.connect(self._review_changed)
        layout.addWidget(self.review_label)
        layout.addWidget(self.review_date)
        self.outcome = QLabel("", body)
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Next steps and review date")
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.outcome)
        missing_label = QLabel("Still to do before completing (activate a line to go there):", body)
        layout.addWidget(missing_label)
        self.missing = QListWidget(body)
        self.missing.setAccessibleName("Still to do before completing")
        self.missing.setMaximumHeight(140)
        self.missing.itemActivated.connect(
            lambda item: wizard.jump_to(item.data(Qt.ItemDataRole.UserRole))
        )
        self.missing.itemClicked.connect(
            lambda item: wizard.jump_to(item.data(Qt.ItemDataRole.UserRole))
        )
        layout.addWidget(self.missing)
        layout.addStretch(1)
        self.override.setPlainText(wizard.answers.get("override_reason") or "")
        self.judgement.setPlainText(wizard.answers.get("judgement_reason") or "")
        chosen = wizard.answers.get("final_level")
        if chosen in self.radios:
            self.radios[chosen].setChecked(True)

    def _toggled(self, on: bool, value: str) -> None:
        if on and self.w.answers.get("final_level") != value:
            self.w.answers["final_level"] = value
            self.w.changed()

    def _override_changed(self) -> None:
        text = self.override.toPlainText()
        if (self.w.answers.get("override_reason") or "") != text:
            self.w.answers["override_reason"] = text or None
            self.w.changed()

    def _review_changed(self, text: str) -> None:
        value = text.strip() or None
        if self.w.answers.get("review_date") != value:
            if value is None:
                self.w.answers.pop("review_date", None)
            else:
                self.w.answers["review_date"] = value
            self.w.changed()

    def _judgement_changed(self) -> None:
        text = self.judgement.toPlainText()
        if (self.w.answers.get("judgement_reason") or "") != text:
            self.w.answers["judgement_reason"] = text or None
            self.w.changed()

    def refresh(self) -> None:
        r = self.w.verdict
        allowed = {lv.value for lv in r.allowed_final_levels} if r else {lv.value for lv in Level}
        for value, radio in self.radios.items():
            radio.setEnabled(value in allowed)
        if r and r.minimum_level:
            floor = [x.text for x in r.reasons if x.code.startswith("floor.")]
            prefix = f"{r.minimum_level.label} is the minimum here" + (
                " unless you record protective factors." if r.floor_overridable else "."
            )
            self.floor_reason.setText(prefix + "\n" + "\n".join(floor))
        else:
            self.floor_reason.setText("")
        show_override = bool(r and r.floor_overridable)
        self.override_label.setVisible(show_override)
        self.override.setVisible(show_override)
        differs = bool(r and r.judgement_differs)
        self.judgement_label.setVisible(differs)
        self.judgement.setVisible(differs)
        if r:
            due = (
                r.review_due.isoformat()
                if r.review_due
                else "no fixed date (see the toolkit's note)"
            )
            steps = "\n".join(f"• {s}" for s in r.next_steps) or "• (choose a level to see them)"
            self.outcome.setText(f"Review due: {due}\n\nNext steps:\n{steps}")
        self.missing.clear()
        for problem in self.w.problems():
            item = QListWidgetItem(f"{problem.message} ({problem.field})")
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            self.missing.addItem(item)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return True  # completing is checked in validatePage, so the list can explain why

    def validatePage(self) -> bool:
        """Completing is the casework layer's decision; a refusal lists what is missing
        and leaves the draft open, saved and autosaving."""
        from app.casework import NotCompleteError, complete

        self.refresh()
        if self.w.problems():
            self.missing.setFocus()
            return False
        self.w.autosave.flush()
        try:
            complete(
                self.w.repo,
                self.w.registry,
                self.w.assessment_id,
                self.w.answers,
                self.w.currentId(),
            )
        except NotCompleteError:
            self.refresh()
            self.missing.setFocus()
            return False
        self.w.completed.emit(self.w.assessment_id)
        return True
