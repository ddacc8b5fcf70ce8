"""A review starts from the last assessment's marks: each one still as it was copied says
so, until the practitioner changes it, so nobody signs last quarter's view unread."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from app.casework.reading import previous_answers
from app.storage import AssessmentRecord, Repository
from app.ui.dates import shown
from app.ui.wizard.rows import FactorRow, MarkRow

STYLE = "color:#6b4e00; background:#fff4d6; padding:2px 6px;"


def _kept(values: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (values or {}).items() if v}


class CopiedMarks:
    """Tags on the rows of a review whose marks are still the copied ones."""

    def __init__(
        self,
        rows: dict[str, MarkRow],
        factors: dict[str, FactorRow],
        previous: dict[str, Any],
    ) -> None:
        day = shown(str(previous.get("assessment_date") or "")) or "the last assessment"
        self.words = f"Copied from the assessment of {day}: check it still applies"
        self.tags: dict[QWidget, tuple[QLabel, dict[str, Any]]] = {}
        for section, widgets in (("section1", rows), ("section2", factors)):
            for item_id, row in widgets.items():
                before = _kept((previous.get(section) or {}).get(item_id))
                if before:
                    self._tag(row, before)
        self.banners = [self._banner(widgets, day) for widgets in (rows, factors) if widgets]

    def _tag(self, row: MarkRow | FactorRow, before: dict[str, Any]) -> None:
        tag = QLabel(self.words, row)
        tag.setWordWrap(True)
        tag.setStyleSheet(STYLE)
        layout = row.layout()
        if isinstance(layout, QBoxLayout):
            layout.addWidget(tag)
        self.tags[row] = (tag, before)
        row.changed.connect(lambda: self.refresh(row))
        self.refresh(row)

    def _banner(self, widgets: dict[str, Any], day: str) -> QLabel | None:
        """Above the page's first group: what the tags mean."""
        first = next(iter(widgets.values()))
        box = first.parentWidget()
        page = box.parentWidget() if box is not None else None
        layout = page.layout() if page is not None else None
        if box is None or not isinstance(layout, QBoxLayout):
            return None
        banner = QLabel(
            f"This review starts from the assessment of {day}: every mark tagged “Copied” is "
            "as it was then. Check each one, and change or clear any that no longer apply.",
            page,
        )
        banner.setWordWrap(True)
        banner.setStyleSheet(STYLE + "padding:6px;")
        banner.setAccessibleName("Copied from the last assessment")
        layout.insertWidget(max(layout.indexOf(box), 0), banner)
        return banner

    def refresh(self, row: QWidget) -> None:
        tag, before = self.tags[row]
        now = row.marks() if isinstance(row, MarkRow) else row.answers()  # type: ignore[attr-defined]
        still = _kept(now) == before
        tag.setVisible(still)
        row.setAccessibleDescription(self.words if still else "")

    def still_copied(self) -> list[QWidget]:
        return [row for row, (tag, _before) in self.tags.items() if not tag.isHidden()]


def copied_marks(wizard: Any, repo: Repository, record: AssessmentRecord) -> CopiedMarks | None:
    """Only an open review has copied marks to check."""
    if not (record.is_review and record.previous_id) or record.status != "draft":
        return None
    previous = previous_answers(repo, record)
    if previous is None:
        return None
    tag_history(wizard, previous)
    return CopiedMarks(wizard.mark_rows, wizard.factor_rows, previous)


def tag_history(wizard: Any, previous: dict[str, Any]) -> None:
    """The history answers a review sets from the case say where they came from."""
    from app.casework.assessments import HISTORY_FIELDS

    day = shown(str(previous.get("assessment_date") or "")) or "an earlier date"
    for field_id in HISTORY_FIELDS:
        editor = wizard.editors.get(f"child.{field_id}")
        if editor is None:
            continue
        words = f"Set for this review: this case was assessed on {day}"
        tag = QLabel(words, editor)
        tag.setWordWrap(True)
        tag.setStyleSheet(STYLE)
        layout = editor.layout()
        if isinstance(layout, QBoxLayout):
            layout.addWidget(tag)
        editor.setAccessibleDescription(words)
