"""The disruption letter: the toolkit's conditions as a checklist, then the letter itself.

Until every condition is met the window says why in the toolkit's own words (e.g. Recovery
Orders for a child on a Care Order) and the letter's fields stay closed. Once met, the
fields open and the preview shows the wording the recipient will read, as it is typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.casework import letters, oversight
from app.casework.settings import profile
from app.forms import Field, Registry
from app.storage import Repository
from app.ui.fields import FieldEditor, MultilineEditor, editor_for
from app.ui.reports import DocumentWindow, wrapped
from app.ui.sizing import VerticalScrollArea, fit_to_screen, lines

# The checklist's questions; each is tied to a condition of app/rules/letter.py. The
# toolkit's own sentence for that condition is shown beneath the question.
QUESTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("date", "date", "Letter date", "under_16"),
    (
        "la_parental_responsibility",
        "yes_no",
        "Does the local authority hold parental responsibility for the child?",
        "no_parental_responsibility",
    ),
    ("care_order", "yes_no", "Is the child subject to a Care Order?", "not_care_order"),
    (
        "parent_consent",
        "bool",
        "Written and informed consent from the person(s) with parental responsibility",
        "parent_consent",
    ),
    (
        "child_consent",
        "bool",
        "The child's consent (taking into account their capacity: Fraser competence)",
        "child_consent_or_reason",
    ),
    (
        "no_child_consent_reason",
        "multiline",
        "Without the child's consent: the assessment of risk and the issues balanced",
        "child_consent_or_reason",
    ),
    ("legal_advice", "bool", "Legal advice has been taken", "legal_advice"),
    (
        "head_of_service_agreement",
        "bool",
        "Head of Service agreement is recorded",
        "head_of_service_agreement",
    ),
)
BOOL_FROM_YES_NO = ("la_parental_responsibility", "care_order")


class LetterWindow(DocumentWindow):
    def __init__(
        self,
        repo: Repository,
        registry: Registry,
        document_id: int,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(repo, registry, document_id, parent, read_only=read_only)
        template = self.tk.data["disruption_letter"]
        stated = {c["id"]: c["text"] for c in template["conditions"]}
        letter: dict[str, Any] = dict(self.record.data)
        self.profile = profile(repo)
        state = "" if not self.read_only else f" ({self.record.status}, read-only)"
        self.setWindowTitle(f"Disruption letter{state}")
        self.setAccessibleName("Disruption letter")
        fit_to_screen(self, 1300, 740)
        layout = QVBoxLayout(self)
        self.verdict = wrapped("", self)
        self.verdict.setAccessibleName("Whether the letter can be written")
        layout.addWidget(self.verdict)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        # -- left: the checklist and its verdict -------------------------------------
        scroll = VerticalScrollArea(self)  # never narrower than the checklist can be
        left = QWidget(scroll)
        scroll.setWidget(left)
        left_layout = QVBoxLayout(left)
        checklist = QGroupBox("Before a letter can be written", left)
        checklist.setAccessibleName("Before a letter can be written")
        rows = QVBoxLayout(checklist)
        self.checks: dict[str, FieldEditor] = {}
        self.agreement: QLabel | None = None
        # managers' countersignatures of this letter's authorisation record, imported
        self.countersigned = oversight.letter_countersignatures(repo, self.record.case_id)
        for key, kind, question, condition in QUESTIONS:
            if condition not in ("under_16",) and condition not in stated:
                continue  # 2017, Portsmouth, Bedfordshire: no legal advice condition
            editor = editor_for(Field(key, question, kind), checklist)
            value = letter.get(key)
            if key in BOOL_FROM_YES_NO and value is not None:
                value = "yes" if value else "no"
            editor.set_value(value)
            editor.changed.connect(self.changed)
            editor.setEnabled(not self.read_only)
            self.checks[key] = editor
            if kind != "bool":
                label = wrapped(question, checklist, "font-weight:bold;")
                label.setBuddy(editor.focus_widget())
                rows.addWidget(label)
            rows.addWidget(editor)
            if key == "head_of_service_agreement":  # or a countersigned record: see refresh
                self.agreement = wrapped("", checklist, "color:#1b3a5e;")
                self.agreement.setAccessibleName("Head of Service agreement by countersignature")
                rows.addWidget(self.agreement)
                if not self.read_only:
                    from app.ui.verify import AgreementExport

                    self.for_agreement = AgreementExport(
                        repo, registry, document_id, self.save_now, checklist
                    )
                    rows.addWidget(self.for_agreement)
            if condition in stated and key != "no_child_consent_reason":
                quote = f"The toolkit: “{stated[condition]}”"
                rows.addWidget(wrapped(quote, checklist, "color:#444;margin-bottom:6px;"))
        left_layout.addWidget(checklist)
        self.reasons = QListWidget(left)
        self.reasons.setAccessibleName("The conditions, met and not met")
        self.reasons.setWordWrap(True)
        self.reasons.setMinimumHeight(150)
        left_layout.addWidget(self.reasons)
        issues = QGroupBox("Issues to consider (the toolkit's words)", left)
        issues_layout = QVBoxLayout(issues)
        for text in template.get("issues_to_consider", []):
            issues_layout.addWidget(wrapped(text, issues, "color:#333;"))
        left_layout.addWidget(issues)
        columns.addWidget(scroll, 5)
        # -- right: the letter's own fields and the live preview ----------------------
        # The fields scroll: on a short screen (1366x768 at 150%) or a narrowed window
        # their wrapped labels need more height than there is, and were cut off. The
        # preview keeps its own part below; the practitioner can move the line between.
        self.letter_box = QGroupBox("The letter", self)
        self.letter_box.setAccessibleName("The letter")
        # a grid, not a form layout: QFormLayout gave a wrapped label its preferred width
        # but the height it needed at the column's width, cutting off its last line
        fields = QGridLayout(self.letter_box)
        fields.setColumnStretch(1, 1)
        self.fields: dict[str, FieldEditor] = {}
        self.authority: QComboBox | None = None

        def add_row(label: QLabel | None, editor: QWidget) -> None:
            row = fields.rowCount()
            if label is None:
                fields.addWidget(editor, row, 0, 1, 2)
            else:
                fields.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
                fields.addWidget(editor, row, 1)

        if template.get("local_authorities"):
            self.authority = QComboBox(self.letter_box)
            self.authority.setAccessibleName("Sending local authority")
            self.authority.addItem("", None)
            for option in template["local_authorities"]:
                self.authority.addItem(option["label"], option["id"])
            self.authority.setCurrentIndex(
                max(self.authority.findData(letter.get("local_authority")), 0)
            )
            self.authority.currentIndexChanged.connect(self.changed)
            label = wrapped("Sending local authority", self.letter_box)
            label.setBuddy(self.authority)
            add_row(label, self.authority)
        for f in letters.letter_fields(self.tk) + letters.extra_fields(self.tk):
            editor = editor_for(f, self.letter_box)
            editor.set_value(letter.get(f.id))
            editor.changed.connect(self.changed)
            if isinstance(editor, MultilineEditor):  # an address: 4 lines, not 6, so the
                editor.edit.setMaximumHeight(lines(editor.edit, 4))  # fields fit at 150%
            self.fields[f.id] = editor
            if f.type == "bool":
                add_row(None, editor)
            else:
                label = wrapped(f.label, self.letter_box)
                label.setBuddy(editor.focus_widget())
                add_row(label, editor)
        fields_scroll = VerticalScrollArea(self)
        fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        fields_scroll.setWidget(self.letter_box)
        preview_pane = QWidget(self)
        pane = QVBoxLayout(preview_pane)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.addWidget(QLabel("Preview: the wording the recipient will read", preview_pane))
        self.preview = QPlainTextEdit(preview_pane)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Preview of the letter")
        self.preview.setMinimumHeight(lines(self.preview, 3))
        pane.addWidget(self.preview, 1)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setAccessibleName("The letter and its preview")
        right.addWidget(fields_scroll)
        right.addWidget(preview_pane)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 0)  # a taller window gives its height to the preview
        right.setStretchFactor(1, 1)
        columns.addWidget(right, 6)
        layout.addWidget(self.problems)
        layout.addLayout(self.footer())
        self._loading = False
        self.refresh()

    def collect(self) -> dict[str, Any]:
        letter: dict[str, Any] = {}
        for key, editor in self.checks.items():
            value = editor.value()
            if key in BOOL_FROM_YES_NO:
                value = None if value is None else value == "yes"
            if key == "no_child_consent_reason" and not (value or "").strip():
                continue
            if value is not None:
                letter[key] = value
        if self.authority is not None and self.authority.currentData():
            letter["local_authority"] = self.authority.currentData()
        for key, editor in self.fields.items():
            value = editor.value()
            if value not in (None, "", []):
                letter[key] = value
        return letter

    def changed(self) -> None:
        super().changed()
        if not self._loading:
            self.refresh()

    def refresh(self) -> None:
        letter = self.collect()
        approvals = letters.judge(
            self.tk, self.countersigned, self.assessment, letter, self.record.id
        )
        check = letters.letter_check(self.tk, self.assessment, letter, approvals)
        if self.agreement is not None:
            said = [
                r.text for r in check.met + check.unmet if r.code.endswith("of_service_agreement")
            ]
            how = {"countersigned": "By countersignature", "ticked": "By tick"}
            self.agreement.setText(
                f"{how[check.agreement]}: {said[0]}"
                if check.agreement and said
                else "Or a manager agrees by countersigning the letter's authorisation record "
                "(export it for agreement, then import their approval under File → Signatures)."
                + (f" {said[0]}" if approvals and said else "")
            )
        self.reasons.clear()
        for reason in check.unmet:
            self.reasons.addItem(QListWidgetItem(f"✗ Not met: {reason.text}"))
        for reason in check.met:
            self.reasons.addItem(QListWidgetItem(f"✓ Met: {reason.text}"))
        self.eligible = check.eligible
        if check.eligible:
            self.verdict.setText("Every condition is met: the letter can be written.")
            self.verdict.setStyleSheet("font-weight:bold;color:#1b5e20;")
            wording = letters.letter_preview(self.tk, self.assessment, letter, self.profile)
            self.preview.setPlainText("\n\n".join(wording))
        else:
            self.verdict.setText(
                "The letter cannot be produced until every condition below is met."
            )
            self.verdict.setStyleSheet("font-weight:bold;color:#8b0000;")
            self.preview.setPlainText(
                "No letter: " + " ".join(reason.text for reason in check.unmet)
            )
        self.letter_box.setEnabled(check.eligible and not self.read_only)

    def widget_for(self, field_id: str) -> QWidget | None:
        if field_id in self.fields:
            return self.fields[field_id].focus_widget()
        if field_id == "local_authority":
            return self.authority
        condition = field_id.removeprefix("letter.")
        for key, _kind, _question, cond in QUESTIONS:
            if cond == condition and key in self.checks:
                return self.checks[key].focus_widget()
        return None
