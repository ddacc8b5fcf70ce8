"""The case's plans: the toolkit's disruption options (chosen, lead person, progress) and a
support / safety plan in the annual report's Appendix C shape (Outcome, Action, Who By,
Timeframe, with a review column and date). Saved in the vault; exported as plans.pdf."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.casework.plans import case_plans, save_plans
from app.casework.reading import child_name
from app.forms import Toolkit
from app.rules.casefile import SUPPORT_COLUMNS
from app.storage import Repository
from app.ui.dates import DateEdit, DateProblem, parse_date
from app.ui.guard import install_wheel_guard
from app.ui.plan_table import PlanTable
from app.ui.sizing import fit_to_screen
from app.ui.windows import closing_for_lock, confirm_discard, demo_mark

HEADERS = ("Outcome", "Action", "Who By", "Timeframe", "Review")


def load_plans(repo: Repository, case_id: int) -> dict[str, Any]:
    return case_plans(repo, case_id)


def strategies_page(strategies: Mapping[str, Any], parent: QWidget) -> QScrollArea:
    """The toolkit's intervention strategies as it words them, read-only, in a scroll area."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    body = QWidget(scroll)
    inner = QVBoxLayout(body)
    title = QLabel(str(strategies["title"]), body)
    title.setStyleSheet("font-weight:bold;font-size:11pt;")
    title.setWordWrap(True)
    inner.addWidget(title)
    for block in strategies["blocks"]:
        if block.get("text"):
            lead = QLabel(str(block["text"]), body)
            lead.setWordWrap(True)
            lead.setStyleSheet("font-weight:bold;")
            inner.addWidget(lead)
        for item in block["items"]:
            line = QLabel(f"• {item}", body)
            line.setWordWrap(True)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(line)
    inner.addStretch(1)
    scroll.setWidget(body)
    scroll.setAccessibleName(str(strategies["title"]))
    return scroll


TAB_LIMIT = 50  # characters: three tabs of a toolkit's titles fit a 150% laptop screen


def add_tab(tabs: QTabWidget, page: QWidget, title: str) -> None:
    """A tab named by the toolkit's own title, whole where it fits; a longer one is cut at
    a word with an ellipsis (never mid-word, never silently) and shown whole on hover."""
    label = str(title)
    if len(label) > TAB_LIMIT:
        label = label[:TAB_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    index = tabs.addTab(page, label)
    tabs.setTabToolTip(index, str(title))


class PlansDialog(QDialog):
    def __init__(
        self, repo: Repository, tk: Toolkit, case_id: int, parent: QWidget | None = None
    ) -> None:
        install_wheel_guard()
        super().__init__(parent)
        self.repo, self.tk, self.case_id = repo, tk, case_id
        plans = load_plans(repo, case_id)
        name = child_name(repo, case_id) or "New child"
        self.setWindowTitle(f"{demo_mark(repo)}Plans — {name} — {tk.short_title}")
        fit_to_screen(self, 1000, 640)
        layout = QVBoxLayout(self)
        tabs = QTabWidget(self)
        layout.addWidget(tabs)
        tool = tk.data["disruption_tool"]
        scroll = QScrollArea(tabs)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        inner = QVBoxLayout(body)
        scroll.setWidget(body)
        self.options: dict[str, tuple[QCheckBox, QLineEdit, QLineEdit]] = {}
        chosen = plans.get("disruption_plan", {})
        for aim in tool["aims"]:
            box = QGroupBox(body)
            box.setAccessibleName(aim["title"])
            rows = QVBoxLayout(box)
            heading = QLabel(aim["title"], box)
            heading.setWordWrap(True)
            heading.setStyleSheet("font-weight:bold;")
            rows.addWidget(heading)
            for option in aim["options"]:
                answers = chosen.get(option["id"], {})
                row = QHBoxLayout()
                check = QCheckBox(body)
                check.setAccessibleName(option["label"])
                check.setChecked(bool(answers.get("chosen")))
                text = QLabel(option["label"], body)
                text.setWordWrap(True)
                text.setBuddy(check)
                lead = QLineEdit(str(answers.get("lead_person") or ""), body)
                lead.setPlaceholderText("Lead person")
                lead.setAccessibleName(f"Lead person: {option['label']}")
                progress = QLineEdit(str(answers.get("progress") or ""), body)
                progress.setPlaceholderText("Progress")
                progress.setAccessibleName(f"Progress: {option['label']}")
                row.addWidget(check)
                row.addWidget(text, 3)
                row.addWidget(lead, 1)
                row.addWidget(progress, 2)
                rows.addLayout(row)
                self.options[option["id"]] = (check, lead, progress)
            inner.addWidget(box)
        add_tab(tabs, scroll, tool["title"])
        strategies = tk.intervention_strategies
        if strategies:  # read beside the options: the toolkit's own list, printed with the plans
            add_tab(tabs, strategies_page(strategies, tabs), strategies["title"])
        support = plans.get("support_plan", {"rows": []})
        page = QWidget(tabs)
        page_layout = QVBoxLayout(page)
        self.review_date = DateEdit("Support plan review date", page)
        self.review_date.set_iso(support.get("review_date"))
        self.table = PlanTable(HEADERS, "Support plan", page)
        for plan_row in support.get("rows", []):
            self.table.add_row([str(plan_row.get(k) or "") for k in SUPPORT_COLUMNS])
        review_label = QLabel("Support plan &review date:", page)
        review_label.setBuddy(self.review_date.edit)
        page_layout.addWidget(review_label)
        page_layout.addWidget(self.review_date)
        page_layout.addWidget(self.table, 1)
        page_layout.addLayout(self.table.buttons(page))
        tabs.addTab(page, "Support / safety plan")
        self.message = QLabel("Every change is saved as you type.", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Save status")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._saved = self.collect()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.save_now)
        for check, lead, progress in self.options.values():
            check.toggled.connect(self._changed)
            lead.textChanged.connect(self._changed)
            progress.textChanged.connect(self._changed)
        self.table.itemChanged.connect(self._changed)
        self.table.model().rowsInserted.connect(self._changed)
        self.table.model().rowsRemoved.connect(self._changed)
        self.table.model().rowsMoved.connect(self._changed)
        self.review_date.edit.textChanged.connect(self._changed)

    def _add_row(self, values: list[str]) -> None:
        self.table.add_row(values)

    def collect(self) -> dict[str, Any]:
        disruption = {}
        for option_id, (check, lead, progress) in self.options.items():
            if check.isChecked() or lead.text().strip() or progress.text().strip():
                disruption[option_id] = {
                    "chosen": check.isChecked(),
                    "lead_person": lead.text().strip(),
                    "progress": progress.text().strip(),
                }
        rows = []
        for r in range(self.table.rowCount()):
            values = {}
            for c, key in enumerate(SUPPORT_COLUMNS):
                item = self.table.item(r, c)
                values[key] = item.text().strip() if item else ""
            if any(values.values()):
                rows.append(values)
        support: dict[str, Any] = {"rows": rows}
        if self.review_date.iso():
            support["review_date"] = self.review_date.iso()
        return {"disruption_plan": disruption, "support_plan": support}

    def _changed(self, *_: object) -> None:
        self._timer.start()

    def save_now(self) -> str | None:
        """Save what is typed; a review date that is not yet a date is kept on screen (and
        named) while everything else is saved. Returns that problem, if any."""
        self._timer.stop()
        plans = self.collect()
        problem = _review_problem(plans)
        if problem:  # the rest saves; the date keeps its last good value in the vault
            kept = load_plans(self.repo, self.case_id).get("support_plan", {}).get("review_date")
            plans["support_plan"].pop("review_date", None)
            if kept:
                plans["support_plan"]["review_date"] = kept
        if plans != self._saved:
            save_plans(self.repo, self.case_id, plans)
            self._saved = plans
        self.message.setText(
            f"{problem}. Everything else is saved." if problem else "All changes saved."
        )
        return problem

    def save(self) -> None:
        """Save and close (kept for callers that finish the window themselves)."""
        if self.save_now() is None:
            self.accept()

    def done(self, result: int) -> None:
        """Every way of closing (X, Esc, Close, the case view closing) comes here: the plans
        are saved, and a review date that cannot be saved is never lost without asking."""
        problem = self.save_now()
        if problem and not closing_for_lock(self):
            typed = self.review_date.edit.text().strip()
            if not confirm_discard(
                self,
                f"The support plan review date “{typed}” is not saved: "
                f"{problem.removeprefix('Review date: ')}.",
            ):
                return
        super().done(result)

    def save_for_lock(self) -> dict[str, Any] | None:
        """Lock saves the plans first; an unfinished review date is kept only in memory."""
        plans = self.collect()
        problem = self.save_now()
        return plans if problem else None

    def restore_after_lock(self, plans: dict[str, Any]) -> None:
        self.review_date.set_iso(plans["support_plan"].get("review_date"))


def _review_problem(plans: dict[str, Any]) -> str | None:
    review = plans["support_plan"].get("review_date")
    try:
        parse_date(review or "")
    except DateProblem as exc:
        return f"Review date: {exc}"
    return None
