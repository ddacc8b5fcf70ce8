"""The assessment wizard, generated from a toolkit definition.

Pages: child details, Section 1, Section 2, Section 3, review and finish. No page or
question is written for one toolkit: editors come from `app.ui.fields`, marking rows
from the toolkit's marking scheme. The live summary beside every page shows the rules
engine's own result and words; nothing here works out a level.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.casework import reading
from app.casework.draft import DraftModel
from app.forms import Field, Registry
from app.rules import AssessmentResult, display_values
from app.rules.results import Problem
from app.storage import Repository
from app.storage.autosave import AutosaveWriter
from app.ui.fields import REQUIRED_LEGEND, FieldEditor, editor_for, shown_label
from app.ui.guard import install_wheel_guard
from app.ui.sizing import fit_to_screen, remember_size
from app.ui.windows import closing_for_lock, confirm_discard, demo_mark
from app.ui.wizard.copied import copied_marks
from app.ui.wizard.derived import show_notes
from app.ui.wizard.finish import FinishPage
from app.ui.wizard.nav import PageIndex, page_heading
from app.ui.wizard.rows import FactorRow, MarkRow
from app.ui.wizard.saving import DraftSaver
from app.ui.wizard.summary import SummaryPanel

PAGES = ("child", "section1", "section2", "section3", "finish")
FIXED_LABELS = {
    "final_level": "Final level",
    "override_reason": "Protective factors",
    "judgement_reason": "Why your final level differs",
    "review_date": "Review date",
    "assessment_date": "Assessment date",
}


class AssessmentWizard(QWizard):
    """One assessment draft. Every edit autosaves; completing is the only gate."""

    completed = Signal(int)

    def __init__(
        self,
        registry: Registry,
        repo: Repository,
        assessment_id: int,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        install_wheel_guard()
        super().__init__(parent)
        record = reading.assessment(repo, assessment_id)
        self.registry, self.repo, self.assessment_id = registry, repo, assessment_id
        self.tk = registry.get(record.toolkit_id)
        # the Qt-free model holds the answers and the verdict; pages render and edit it
        self.model = DraftModel(registry, self.tk, record.answers, save=self._queue)
        self.model.subscribe(lambda _model: self._show())
        self.answers = self.model.answers
        self.problem: str | None = None
        self.editors: dict[str, FieldEditor] = {}
        self._legends: set[int] = set()
        self.mark_rows: dict[str, MarkRow] = {}
        self.factor_rows: dict[str, FactorRow] = {}
        self.page_of: dict[str, int] = {}
        self._loading = True
        self.read_only = read_only or record.status != "draft"
        self.status_word = str(record.status).capitalize()
        self._set_title()
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Complete assessment")
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.index = PageIndex(self.go_to, side)
        self.summary = SummaryPanel(side)
        side_layout.addWidget(self.index)
        side_layout.addWidget(self.summary, 1)
        self.setSideWidget(side)
        self.saver = DraftSaver(repo, assessment_id, self.summary.set_saved, self)
        self.finished.connect(self._closed)
        self._build_pages()
        self._load()
        self.copied = copied_marks(self, repo, record)
        self._loading = False
        self.refresh()
        if self.read_only:
            self._make_read_only()
        self.index.fit()
        # a resumed draft opens where it was left, with Back to every earlier page
        self.restart()
        while self.currentId() < min(record.page, len(PAGES) - 1):
            self.next()
        self.index.show_page(self.currentId())
        self.currentIdChanged.connect(self._page_changed)
        to_index = QShortcut(QKeySequence(Qt.Key.Key_F6), self)  # F6: to the page index
        to_index.activated.connect(lambda: self.index.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.index.setToolTip("F6 comes here from anywhere in the assessment")
        opening = self.currentPage().findChild(QLabel, "page_heading")
        if opening is not None:
            opening.setFocus(Qt.FocusReason.OtherFocusReason)
        fit_to_screen(self, 1280, 760, key="wizard", repo=repo)

    # -- building ----------------------------------------------------------------------
    def _scroll_page(
        self, key: str, title: str, subtitle: str | None
    ) -> tuple[QWizardPage, QVBoxLayout]:
        page = QWizardPage(self)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page_heading(page, title))
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop before the fields
        scroll.setAccessibleName(title)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        if subtitle:  # inside the scroll area: a long intro wraps instead of being cut
            intro = QLabel(subtitle, body)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        for note in self.tk.notes(key):
            if note["text"] == subtitle:
                continue  # already the page's intro
            label = QLabel(note["text"], body)
            label.setWordWrap(True)
            label.setProperty("applies_when", note.get("applies_when", "always"))
            label.setStyleSheet("background:#fff6dd; border-left:4px solid #b8860b; padding:4px;")
            layout.addWidget(label)
        self.page_of[key] = self._place(key, page)
        self.index.add_page(self.page_of[key], title)
        return page, layout

    def _place(self, key: str, page: QWizardPage) -> int:
        """Pages go in the toolkit's own step order (Portsmouth: Step 2 before Step 3)."""
        page_id = self.tk.page_order.index(key)
        self.setPage(page_id, page)
        return page_id

    def _field_form(self, layout: QVBoxLayout, fields: tuple[Field, ...], prefix: str) -> None:
        """Label above editor: long toolkit labels wrap instead of being clipped."""
        if any(f.required for f in fields) and id(layout) not in self._legends:
            self._legends.add(id(layout))  # once per page, above its first marked field
            legend = QLabel(REQUIRED_LEGEND)
            legend.setWordWrap(True)
            legend.setStyleSheet("color:#333;")
            layout.addWidget(legend)
        for f in fields:
            editor = editor_for(f)
            key = f"{prefix}.{f.id}" if prefix else f.id
            self.editors[key] = editor
            editor.changed.connect(lambda path=key: self._field_changed(path))
            if f.type != "bool":
                label = QLabel(shown_label(f))
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
        self.derived = QLabel("", self)
        self.derived.setWordWrap(True)
        self.derived.setAccessibleName("Recorded elsewhere on this form")
        layout.addWidget(self.derived)
        layout.addStretch(1)

        section1 = tk.data["section1"]
        _, layout = self._scroll_page("section1", section1["title"], section1.get("intro"))
        for group in tk.section1_groups:
            summary = group.kind == "summary"  # Step 4's own entries: named by their title
            box = QGroupBox(tk.level_label(group.band) if group.band and not summary else "", self)
            box.setAccessibleName(group.title)
            if len(tk.section1_groups) > 1:
                band = tk.level_label(group.band) if group.band and not summary else group.title
                self.index.add_group(self.page_of["section1"], band, box)
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
        self.page_of["finish"] = self._place("finish", self.finish_page)
        self.index.add_page(self.page_of["finish"], FinishPage.TITLE)

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
        self.model.set(path, editor.value(), self._typed_problems())

    def _mark_changed(self, item_id: str) -> None:
        if self._loading:
            return
        self.model.set_item("section1", item_id, self.mark_rows[item_id].marks())

    def _factor_changed(self, item_id: str) -> None:
        if self._loading:
            return
        self.model.set_item("section2", item_id, self.factor_rows[item_id].answers())

    def _set_title(self) -> None:
        """The child's name and the toolkit in the title, so every window says whose it is."""
        name = str((self.answers.get("child") or {}).get("name") or "").strip()
        what = (
            f"assessment ({self.status_word.lower()}, read only)"
            if self.read_only
            else "assessment"
        )
        self.setWindowTitle(
            f"{demo_mark(self.repo)}{name or 'New child'} — {self.tk.short_title}: {what}"
        )

    def _make_read_only(self) -> None:
        """A completed or signed assessment, to read: text stays selectable, nothing edits."""
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(True)
            elif isinstance(widget, QAbstractButton | QComboBox | QAbstractItemView):
                if widget in (self.index,) or widget.parent() is self:
                    continue  # the page index and the wizard's own buttons stay
                if isinstance(widget, QToolButton) and widget.isCheckable():
                    continue  # "Examples" still opens
                if isinstance(widget, QAbstractItemView):
                    continue
                widget.setEnabled(False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Close")
        self.summary.set_saved(f"{self.status_word}: read only")

    def changed(self) -> None:
        """An edit made straight into `answers` (the finish page): save and re-evaluate."""
        if self.read_only or self._loading:
            return
        self.model.changed(self._typed_problems())

    def _queue(self, answers: dict[str, Any]) -> None:
        """The model's save: autosave off the UI thread (never while loading or read only)."""
        if getattr(self, "_loading", True) or self.read_only:
            return
        self.summary.set_saved("Saving…")
        self._submit(self.currentId(), answers)

    def _page_changed(self, page_id: int) -> None:
        self.index.show_page(page_id)
        heading = self.page(page_id).findChild(QLabel, "page_heading") if page_id >= 0 else None
        if heading is not None and not self.index.hasFocus():
            heading.setFocus(Qt.FocusReason.OtherFocusReason)  # a screen reader reads it
        if page_id >= 0 and not self.read_only:
            self._submit(page_id)
        if page_id == self.page_of["finish"]:
            self.finish_page.refresh()

    @property
    def verdict(self) -> AssessmentResult | None:
        return self.model.verdict

    @property
    def field_problems(self) -> dict[str, str]:
        return self.model.field_problems

    def _typed_problems(self) -> dict[str, str]:
        """What widgets know is wrong with typed text (e.g. a half-typed date)."""
        found = {path: e.problem() or "" for path, e in self.editors.items() if e.problem()}
        finish = getattr(self, "finish_page", None)
        if finish is not None and finish.review_date.problem():
            found["review_date"] = finish.review_date.problem() or ""
        return found

    def refresh(self) -> None:
        self.model.evaluate(self._typed_problems())

    def _show(self) -> None:
        """Render the model: problems beside fields, the live summary, computed values."""
        self._set_title()
        found = self.model.field_problems
        self.problem = "; ".join(f"{self.label_for(p)}: {m}" for p, m in found.items()) or None
        for path, editor in self.editors.items():
            editor.show_problem(found.get(path))
        self.summary.show_result(self.tk, self.verdict, self.problem)
        self._update_computed()
        self._update_notes()
        sources = self.verdict.condition_sources if self.verdict else ()
        text = "The rules take these from the form:\n" + "\n".join(f"• {s}" for s in sources)
        self.derived.setText(text if sources else "")
        self.derived.setAccessibleDescription(self.derived.text())
        if self.currentId() == self.page_of.get("finish"):
            self.finish_page.refresh()

    def _update_computed(self) -> None:
        values = display_values(self.tk, self.verdict)
        for editor in self.editors.values():
            if editor.field.type == "computed":
                editor.set_value(values.get(editor.field.computed or ""))

    def _update_notes(self) -> None:
        show_notes(self, self.verdict)

    def problems(self) -> list[Problem]:
        """Everything that stops completion, from the one rule that decides it, plus each
        typed value that is wrong (the rule reports only the first it meets)."""
        return self.model.problems()

    def label_for(self, path: str) -> str:
        """The words the user sees for a field path (never an internal id)."""
        editor = self.editors.get(path)
        if editor is not None:
            return editor.visible_label
        top, _, rest = path.partition(".")
        item_id = rest.split(".")[0]
        if top == "section1" and item_id in self.mark_rows:
            return self.mark_rows[item_id].item.text
        if top == "section2" and item_id in self.factor_rows:
            return self.factor_rows[item_id].accessibleName()
        return FIXED_LABELS.get(path, path.replace("_", " ").replace(".", ": ").capitalize())

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

    def go_to(self, page_id: int, box: QWidget | None = None) -> None:
        """Any page, by Back/Next so history stays whole; a group box scrolls into view."""
        while self.currentId() > page_id:
            self.back()
        while self.currentId() < page_id:
            self.next()
        if box is not None:
            scroll = next(
                (a for a in self.currentPage().findChildren(QScrollArea) if a.widget()), None
            )
            body = scroll.widget() if scroll is not None else None
            if scroll is not None and body is not None:
                scroll.verticalScrollBar().setValue(box.mapTo(body, QPoint(0, 0)).y())
            first = next(
                (w for w in box.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus),
                None,
            )
            if first is not None:
                first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif self.index.hasFocus():  # chosen from the index: go on from the page's heading
            heading = self.currentPage().findChild(QLabel, "page_heading")
            if heading is not None:
                heading.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def jump_to(self, path: str) -> None:
        self.go_to(self.page_for(path))
        editor = self.editors.get(path)
        if editor is not None:
            editor.focus_widget().setFocus()
            return
        top, _, rest = path.partition(".")
        item_id, _, key = rest.partition(".")
        row = self.mark_rows.get(item_id) if top == "section1" else None
        if row is not None and key == "note" and row.note_button is not None:
            row.note_button.setChecked(True)  # "Other: please expand": straight to its text
            row.note.setFocus()  # type: ignore[union-attr]

    # -- saving ------------------------------------------------------------------------
    @property
    def autosave(self) -> AutosaveWriter:
        return self.saver.writer

    def _submit(self, page: int, answers: dict[str, Any] | None = None) -> None:
        self.saver.submit(answers if answers is not None else copy.deepcopy(self.answers), page)

    def save_now(self) -> bool:
        """Block until every edit is in the vault (locking and closing call this)."""
        if self.read_only:
            return True
        self._submit(self.currentId())
        return self.autosave.flush()

    def save_for_lock(self) -> tuple[dict[str, Any], int] | None:
        """Lock saves first; the page is saved with the draft, so reopening lands there.
        What cannot be saved (the vault was already closed, the disk is full) is kept in
        memory and handed back to `restore_after_lock`: Lock closes this window without
        asking, so nothing else would keep it."""
        if self.save_now():
            return None
        return copy.deepcopy(self.answers), self.currentId()

    def restore_after_lock(self, state: tuple[dict[str, Any], int]) -> None:
        """After unlock: the answers that could not be saved, shown again and saved to the
        reopened vault, on the page they were typed on."""
        if self.read_only:
            return
        answers, page = state
        self._loading = True
        self.answers.clear()
        self.answers.update(copy.deepcopy(answers))
        self._load()
        self._loading = False
        self.refresh()
        self.go_to(page)
        self._submit(self.currentId())

    def done(self, code: int) -> None:
        """Flush only: a refused Complete keeps the window open and autosave running.

        What cannot be saved is never lost without the practitioner saying so: the window
        says why in words and stays open unless they choose to lose it. A closed (locked)
        vault is not waited for (no save can succeed): closing once hung for 10 s then
        closed, losing the last edit without a word. Lock never asks (it saved first).
        """
        locking = closing_for_lock(self)
        why = None if self.read_only else self.saver.unsaved(timeout=0 if locking else 5)
        if why and not locking:
            what = f"Your latest changes to this assessment are NOT saved: {why}."
            advice = "Keep this window open to copy what you typed, or close it and lose them."
            if not confirm_discard(self, what, advice):
                return
        if self.isVisible():
            remember_size(self, "wizard", self.repo)
        super().done(code)

    def _closed(self, _code: int) -> None:
        self.autosave.stop(timeout=0)  # done() has flushed; what was left, it asked about
