"""Information reports generated from the toolkit's `information_forms`, one per victim.

The window is a thin view: answers go to `app.casework.documents` (autosaved drafts, one
completion gate). Every field carries its printed label as the accessible name.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.casework import documents, reading
from app.forms import Registry, Toolkit
from app.rules.casefile import repeatable
from app.storage import Repository
from app.ui.fields import REQUIRED_LEGEND, FieldEditor, editor_for, shown_label
from app.ui.sizing import fit_to_screen

AUTOSAVE_MS = 600


def wrapped(text: str, parent: QWidget, style: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


class DocumentWindow(QDialog):
    """Shared by reports and letters: debounced autosave, problems that jump to fields."""

    completed = Signal(int)

    def __init__(
        self,
        repo: Repository,
        registry: Registry,
        document_id: int,
        parent: QWidget | None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.repo, self.registry, self.document_id = repo, registry, document_id
        self.record = documents.get_document(repo, document_id)
        case = reading.case_summary(repo, self.record.case_id)
        self.case = case
        self.tk: Toolkit = registry.get(case.toolkit)
        self.read_only = read_only or self.record.status != documents.DRAFT
        self.assessment = documents.assessment_answers(repo, case.id)
        self._loading = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self.saved_label = QLabel("", self)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("What is missing before completing")
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        self.problems.itemActivated.connect(self._jump)
        self.problems.itemClicked.connect(self._jump)
        self.complete_button = QPushButton("&Complete", self)
        self.complete_button.setAccessibleName("Complete")
        self.complete_button.clicked.connect(self.complete)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        self.complete_button.setVisible(not self.read_only)

    def footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.saved_label, 1)
        row.addWidget(self.complete_button)
        row.addWidget(self.close_button)
        return row

    # -- to be given by each kind ---------------------------------------------------
    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def widget_for(self, field_id: str) -> QWidget | None:
        raise NotImplementedError

    # -- behaviour ------------------------------------------------------------------
    def changed(self) -> None:
        if not self._loading and not self.read_only:
            self.saved_label.setText("Saving…")
            self._timer.start()

    def save_now(self) -> None:
        self._timer.stop()
        if self.read_only:
            return
        self.record = documents.save_draft(self.repo, self.document_id, self.collect())
        self.saved_label.setText("Draft saved")

    def drop_pending(self) -> None:
        """The draft is being discarded: nothing more is saved from this window."""
        self._timer.stop()
        self.read_only = True

    def complete(self) -> None:
        self._timer.stop()
        try:
            self.record = documents.complete_document(
                self.repo, self.registry, self.document_id, self.collect()
            )
        except documents.DocumentNotComplete as exc:
            self.show_problems(exc)
            return
        self.read_only = True
        self.saved_label.setText("Completed")
        self.completed.emit(self.document_id)
        self.accept()

    def show_problems(self, exc: documents.DocumentNotComplete) -> None:
        self.saved_label.setText("Saved as a draft. Complete these first (click one to go there):")
        self.problems.clear()
        for problem in exc.problems:
            item = QListWidgetItem(problem.message)
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            self.problems.addItem(item)
        self.problems.show()
        self.problems.setCurrentRow(0)
        self._jump(self.problems.item(0))

    def _jump(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        widget = self.widget_for(str(item.data(Qt.ItemDataRole.UserRole)))
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            for scroll in self.findChildren(QScrollArea):  # the one it is in (the letter has two)
                inner = scroll.widget()
                if inner is not None and inner.isAncestorOf(widget):
                    scroll.ensureWidgetVisible(widget)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._timer.isActive():
            self.save_now()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        if self._timer.isActive():
            self.save_now()
        super().done(result)


class ReportWindow(DocumentWindow):
    """One information report on one of the toolkit's forms, for one victim."""

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
        self.form = documents.form(self.tk, str(self.record.form_id))
        answers: dict[str, Any] = dict(self.record.data.get("answers") or {})
        state = "" if not self.read_only else f" ({self.record.status}, read-only)"
        self.setWindowTitle(f"{self.form['title']}{state}")
        self.setAccessibleName(self.form["title"])
        fit_to_screen(self, 980, 700)
        layout = QVBoxLayout(self)
        heading = wrapped(self.form["title"], self, "font-size:15pt;font-weight:bold;")
        layout.addWidget(heading)
        for notice in self.form.get("notices", [])[:1]:
            layout.addWidget(wrapped(notice, self, "font-weight:bold;"))
        if self.form.get("one_per_victim"):
            layout.addWidget(wrapped("One form for each victim.", self))
        if not self.read_only and any(f.required for f in documents.form_fields(self.form)):
            layout.addWidget(wrapped(REQUIRED_LEGEND, self, "color:#333;"))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        inner = QVBoxLayout(body)
        scroll.setWidget(body)
        computed = documents.computed_values(self.tk, self.assessment)
        self.editors: dict[str, FieldEditor] = {}
        self.copies: dict[str, list[dict[str, FieldEditor]]] = {}
        self.copy_holders: dict[str, tuple[dict[str, Any], QVBoxLayout]] = {}
        for section in self.form["sections"]:
            box = QGroupBox(body)  # a group box title never wraps: the heading does
            box.setAccessibleName(section["title"])
            rows = QFormLayout(box)
            rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            rows.addRow(wrapped(section["title"], box, "font-weight:bold;font-size:11pt;"))
            labels = {f["label"] for f in section["fields"]}
            for intro in section.get("intro", []):
                if intro in labels:
                    continue  # the field's own label says it
                rows.addRow(wrapped(intro, box, "color:#333;"))
            if section.get("answered_by"):  # the recipient's answer: a blank for them
                who = section["answered_by"]
                note = f"For the {who} to complete: left blank on the form you send."
                rows.addRow(wrapped(note, box, "font-style:italic;"))
                inner.addWidget(box)
                continue
            for f in documents.form_fields({"sections": [section]}):
                if f.subheading:  # the printed form's heading above this field
                    rows.addRow(wrapped(f.subheading, box, "font-weight:bold;margin-top:6px;"))
                editor = editor_for(f, box)
                if f.type == "computed":
                    editor.set_value(computed.get(f.computed or "", ""))
                else:
                    editor.set_value(answers.get(f.id))
                editor.changed.connect(self.changed)
                editor.setEnabled(not self.read_only)
                self.editors[f.id] = editor
                if f.type == "bool":
                    rows.addRow(editor)
                else:
                    label = wrapped(shown_label(f), box)
                    label.setBuddy(editor.focus_widget())
                    rows.addRow(label, editor)
            inner.addWidget(box)
            if repeatable(section):
                self._repeatable(section, inner, body)
        send = QGroupBox("Send to", body)
        send_rows = QVBoxLayout(send)
        for recipient in self.form.get("recipients", []):
            send_rows.addWidget(wrapped(recipient["text"], send))
        inner.addWidget(send)
        if self.form.get("guidance"):  # where and how to send, in the toolkit's words
            guide = QGroupBox("The toolkit's guidance for this form", body)
            guide.setAccessibleName("The toolkit's guidance for this form")
            guide_rows = QVBoxLayout(guide)
            for paragraph in self.form["guidance"]:
                guide_rows.addWidget(wrapped(paragraph, guide))
            inner.addWidget(guide)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addLayout(self.footer())
        self._loading = False

    def _repeatable(self, section: dict[str, Any], inner: QVBoxLayout, body: QWidget) -> None:
        """The form says to copy this section for each additional person: copies below it,
        each removable, and a button to add one."""
        holder = QWidget(body)
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(holder)
        add = QPushButton(f"Add another copy of “{section['title'].split(':')[0]}”", body)
        add.setAccessibleName(f"Add another copy of {section['title'].split(':')[0]}")
        add.setEnabled(not self.read_only)
        add.clicked.connect(lambda: self.add_copy(section["id"]))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        inner.addLayout(row)
        self.copy_holders[section["id"]] = (section, holder_layout)
        for values in (self.record.data.get("more") or {}).get(section["id"], []):
            self.add_copy(section["id"], values)

    def add_copy(self, section_id: str, values: dict[str, Any] | None = None) -> None:
        section, holder = self.copy_holders[section_id]
        copies = self.copies.setdefault(section_id, [])
        n = len(copies) + 2
        box = QGroupBox(holder.parentWidget())
        box.setAccessibleName(f"{section['title']} ({n})")
        rows = QFormLayout(box)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        title = section["title"].split(":")[0]
        rows.addRow(wrapped(f"{title}: copy {n}", box, "font-weight:bold;font-size:11pt;"))
        editors: dict[str, FieldEditor] = {}
        for f in documents.form_fields({"sections": [section]}):
            if f.subheading:
                rows.addRow(wrapped(f.subheading, box, "font-weight:bold;margin-top:6px;"))
            editor = editor_for(f, box)
            editor.setAccessibleName(f"{f.label} (copy {n})")
            editor.focus_widget().setAccessibleName(f"{f.label} (copy {n})")
            editor.set_value((values or {}).get(f.id))
            editor.changed.connect(self.changed)
            editor.setEnabled(not self.read_only)
            editors[f.id] = editor
            label = wrapped(shown_label(f), box)
            label.setBuddy(editor.focus_widget())
            rows.addRow(label, editor)
        remove = QPushButton(f"Remove copy {n}", box)
        remove.setEnabled(not self.read_only)
        remove.clicked.connect(lambda: self.remove_copy(section_id, editors, box))
        rows.addRow(remove)
        holder.addWidget(box)
        copies.append(editors)
        self.changed()

    def remove_copy(self, section_id: str, editors: dict[str, FieldEditor], box: QWidget) -> None:
        self.copies[section_id].remove(editors)
        box.hide()
        box.deleteLater()
        self.changed()

    def collect(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for field_id, editor in self.editors.items():
            if editor.field.type == "computed":
                continue
            value = editor.value()
            if value not in (None, "", []):
                answers[field_id] = value
        data: dict[str, Any] = {"form": self.form["id"], "answers": answers}
        more: dict[str, list[dict[str, Any]]] = {}
        for section_id, copies in self.copies.items():
            filled = [
                {k: e.value() for k, e in editors.items() if e.value() not in (None, "", [])}
                for editors in copies
            ]
            if any(filled):
                more[section_id] = [copy for copy in filled if copy]
        if more:
            data["more"] = more
        return data

    def widget_for(self, field_id: str) -> QWidget | None:
        editor = self.editors.get(field_id)
        return editor.focus_widget() if editor else None
