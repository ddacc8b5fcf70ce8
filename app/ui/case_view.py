"""One case in one place: its assessments, information reports, letters and plans.

Each entry opens as a draft (when it is one) or read-only; new reports and letters start
here; the chronology and the export package are one click away. The window only asks and
shows: every change goes through app.casework.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.casework import documents, letters, plans, reading
from app.forms import Registry
from app.storage import AssessmentRecord, Repository
from app.storage.status import Status
from app.ui.dates import shown
from app.ui.levels import word
from app.ui.sizing import fit_to_screen

ASSESSMENT, PLANS, APPROVALS = "assessment", "plans", "approval"
HEADERS = ("Document", "Status", "Details", "Last changed")


def _when(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp


class CaseView(QDialog):
    def __init__(
        self, repo: Repository, registry: Registry, case_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.repo, self.registry, self.case_id = repo, registry, case_id
        self.windows: list[QWidget] = []  # kept so they stay alive; all parented here
        self._armed: tuple[str, int] | None = None
        case = reading.case_summary(repo, case_id)
        self.tk = registry.get(case.toolkit)
        self.setWindowTitle(f"Case: {case.child_name or '(no name yet)'}")
        fit_to_screen(self, 1100, 600)
        layout = QVBoxLayout(self)
        self.heading = QLabel("", self)
        self.heading.setStyleSheet("font-size:14pt;font-weight:bold;")
        self.heading.setAccessibleName("The case")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("The case's documents")
        self.tree.setHeaderLabels(HEADERS)
        # the document's name takes what the other columns leave, so "Last changed" is
        # never cut off on a narrow or 150% screen
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(lambda item, _col: self.open_item(item))
        self.tree.currentItemChanged.connect(lambda *_: setattr(self, "_armed", None))
        layout.addWidget(self.tree, 1)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.open_button = self._button("&Open", lambda: self.open_item(self.tree.currentItem()))
        self.read_button = self._button(
            "Open &read-only", lambda: self.open_item(self.tree.currentItem(), read_only=True)
        )
        self.report_button = self._button("New &information report", None)
        menu = QMenu(self.report_button)
        for form in documents.forms(self.tk):
            action = menu.addAction(form["title"])
            action.triggered.connect(lambda _=False, f=form["id"]: self.new_report(f))
        self.report_button.setMenu(menu)
        self.letter_button = self._button("New disruption &letter", self.new_letter)
        self.discard_button = self._button("&Discard draft", self.discard)
        self.plans_button = self._button("&Plans…", self.plans)
        self.chronology_button = self._button("&Chronology", self.chronology)
        self.export_button = self._button("&Export…", self.export)
        self.handover_button = self._button("&Hand over…", self.hand_over)
        self.sar_button = self._button("&Subject access…", self.subject_access)
        close = self._button("Close", self.accept)
        # two rows, so that every button stays on a 150% laptop screen
        for button in (
            self.open_button, self.read_button, self.report_button, self.letter_button,
            self.discard_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        more = QHBoxLayout()
        for button in (
            self.plans_button, self.chronology_button, self.export_button, self.handover_button,
            self.sar_button,
        ):  # fmt: skip
            more.addWidget(button)
        more.addStretch(1)
        more.addWidget(close)
        layout.addLayout(more)
        self.reload()

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        if slot is not None:
            button.clicked.connect(slot)
        return button

    # -- listing ---------------------------------------------------------------------
    def reload(self) -> None:
        case = reading.case_summary(self.repo, self.case_id)
        self.heading.setText(
            f"{case.child_name or '(no name yet)'} — {self.tk.short_title} — "
            f"level {word(case.level)} — {case.status}"
        )
        self.tree.clear()
        self.items: dict[tuple[str, int], QTreeWidgetItem] = {}
        records = reading.case_assessments(self.repo, self.case_id)
        group = self._group("Assessments", len(records))
        for a in records:
            kind = "Review" if a.is_review else "Assessment"
            when = letters.uk_date(a.answers.get("assessment_date"))
            self._entry(
                group, (ASSESSMENT, a.id), f"{kind} v{a.version} of {when}", a.status,
                f"level {word(a.level)}"
                + (f", review due {letters.uk_date(a.review_due)}" if a.review_due else ""),
                a.updated_at,
            )  # fmt: skip
        reports = documents.case_documents(self.repo, self.case_id, documents.REPORT)
        group = self._group("Information reports", len(reports))
        titles = {f["id"]: f["title"] for f in documents.forms(self.tk)}
        for d in reports:
            answers = d.data.get("answers") or {}
            victim = next(
                (answers[k] for k in documents.CHILD_NAME if answers.get(k)), "victim not named"
            )
            title = titles.get(str(d.form_id), str(d.form_id))
            self._entry(group, (d.kind, d.id), title, d.status, str(victim), d.updated_at)
        sent = documents.case_documents(self.repo, self.case_id, documents.LETTER)
        group = self._group("Disruption letters", len(sent))
        for d in sent:
            to = d.data.get("perpetrator_name") or "recipient not named"
            title = f"Letter dated {letters.uk_date(d.data.get('date'))}"
            self._entry(group, (d.kind, d.id), title, d.status, f"to {to}", d.updated_at)
        stored = plans.stored_plans(self.repo, self.case_id)
        group = self._group("Plans", len(stored))
        for doc_id, data in stored:
            chosen = sum(1 for o in data.get("disruption_plan", {}).values() if o.get("chosen"))
            rows = len(data.get("support_plan", {}).get("rows", []))
            self._entry(
                group, (PLANS, doc_id), "Disruption options and support plan", "kept",
                f"{chosen} option(s) chosen, {rows} support plan row(s)", "",
            )  # fmt: skip
        self._approvals()
        self.tree.expandAll()

    def _approvals(self) -> None:
        """Managers' countersignatures on the case, each saying how it came (recorded here
        from the countersigned copy, or received with a handover from whom); listed only
        when there are any, or when a handover could not carry them."""
        from app.casework.oversight import approval_summaries, handover_notes

        found = approval_summaries(self.repo, self.case_id)
        notes = handover_notes(self.repo, self.case_id)
        self.approval_text: dict[tuple[str, int], str] = {}
        if not found and not notes:
            return
        group = self._group("Approvals", len(found))
        for n, a in enumerate(found):
            self._entry(group, (APPROVALS, n), a.title, a.status, a.brief, a.recorded_at)
            self._explain((APPROVALS, n), a.sentence)
        for n, note in enumerate(notes, len(found)):
            self._entry(
                group, (APPROVALS, n), "Approvals not carried", "Not known",
                "the handover was made by an earlier version", "",
            )  # fmt: skip
            self._explain((APPROVALS, n), note)

    def _explain(self, key: tuple[str, int], text: str) -> None:
        """The whole sentence on hover, and in the message line when the row is opened."""
        self.approval_text[key] = text
        for column in range(len(HEADERS)):
            self.items[key].setToolTip(column, text)

    def _group(self, title: str, count: int) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [f"{title} ({count})"])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        return item

    def _entry(
        self,
        group: QTreeWidgetItem,
        key: tuple[str, int],
        title: str,
        status: str,
        details: str,
        updated: str,
    ) -> None:
        item = QTreeWidgetItem(group, [title, status.capitalize(), details, _when(updated)])
        item.setToolTip(0, title)
        item.setData(0, Qt.ItemDataRole.UserRole, key)
        self.items[key] = item

    def done(self, result: int) -> None:
        self.close_all()  # their windows are ours: save and close them with the case
        super().done(result)

    def subject_access(self) -> None:
        """Everything held about this child, for a subject access request (signed PDF, the
        case file, and what was left out for review before release)."""
        from PySide6.QtWidgets import QFileDialog

        from app.ui.retention import subject_access_to

        folder = QFileDialog.getExistingDirectory(self, "Folder for the subject access export")
        if folder:
            self.message.setText(
                subject_access_to(self.repo, self.registry, self.case_id, Path(folder))
            )

    def hand_over(self) -> None:
        """Choose a trusted colleague, then where to save the encrypted handover file."""
        from PySide6.QtWidgets import QFileDialog, QInputDialog

        from app.casework.oversight import colleagues

        known = colleagues(self.repo)
        if not known:
            self.message.setText(
                "Trust the colleague's certificate first (Profile and settings → Trust a "
                "colleague's certificate…)."
            )
            return
        names = [f"{c.name} ({c.fingerprint[:23]}…)" for c in known]
        choice, ok = QInputDialog.getItem(self, "Hand over", "Hand this case to:", names, 0, False)
        if not ok:
            return
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Save the handover file",
            str(Path.home() / "case.handover"),
            "Handover (*.handover)",
        )
        if target:
            self.hand_over_to(known[names.index(choice)].fingerprint, Path(target))

    def hand_over_to(self, fingerprint: str, target: Path) -> bool:
        from app.casework.oversight import OversightError, colleagues, handover_case
        from app.fileio import atomic_write_bytes

        colleague = next((c for c in colleagues(self.repo) if c.fingerprint == fingerprint), None)
        if colleague is None:
            self.message.setText("That colleague is no longer trusted; nothing was written.")
            return False
        try:
            handover_case(
                self.repo, self.case_id, colleague.pem.encode(),
                lambda data: atomic_write_bytes(target, data),
            )  # fmt: skip
        except OversightError as exc:
            self.message.setText(f"Not handed over: {exc}.")
            return False
        except OSError as exc:
            self.message.setText(f"Not handed over: {exc.strerror or exc}. Nothing was changed.")
            return False
        self.message.setText(
            f"Handed over to {colleague.name}: {target.name}. Only they can open it. This case "
            "is now kept here read-only."
        )
        self.reload()
        return True

    def save_for_lock(self) -> None:
        """Lock: the windows opened from here save what they hold and close with the case."""
        self.close_all()

    def close_all(self) -> None:
        """Close every window opened from here; document windows save pending drafts."""
        for window in self.windows:
            if isinstance(window, QDialog):
                window.done(0)
            else:
                window.close()
        self.windows.clear()

    def select(self, key: tuple[str, int]) -> None:
        self.tree.setCurrentItem(self.items[key])

    # -- opening ---------------------------------------------------------------------
    def open_item(self, item: QTreeWidgetItem | None, *, read_only: bool = False) -> QWidget | None:
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not key:
            self.message.setText("Choose a document in the list first.")
            return None
        kind, item_id = key
        window: QWidget
        if kind == APPROVALS:  # nothing to open: the whole sentence, where it can be read
            self.message.setText(self.approval_text[(kind, item_id)])
            return None
        if kind == ASSESSMENT:
            record = reading.assessment(self.repo, item_id)
            if record.status == Status.DRAFT and not read_only:
                return self._open_wizard(item_id)
            window = AssessmentReadOnly(self.registry, record, self)
        elif kind == PLANS:
            return self.plans()
        elif kind == documents.REPORT:
            from app.ui.reports import ReportWindow

            window = ReportWindow(self.repo, self.registry, item_id, self, read_only=read_only)
            window.finished.connect(lambda _code: self.reload())
        else:
            from app.ui.letter import LetterWindow

            window = LetterWindow(self.repo, self.registry, item_id, self, read_only=read_only)
            window.finished.connect(lambda _code: self.reload())
        self.windows.append(window)
        window.show()
        return window

    def _open_wizard(self, assessment_id: int) -> QWidget:
        host = self.parent()
        if host is not None and hasattr(host, "open_wizard"):
            wizard: QWidget = host.open_wizard(assessment_id)  # the main window keeps it
        else:
            from app.ui.wizard import AssessmentWizard

            wizard = AssessmentWizard(self.registry, self.repo, assessment_id, self)
            wizard.show()
            self.windows.append(wizard)
        wizard.finished.connect(lambda _code: self.reload())  # type: ignore[attr-defined]
        return wizard

    def discard(self) -> None:
        """A draft report or letter started by mistake; asks for a second click."""
        item = self.tree.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if item is None or not key or key[0] not in documents.KINDS:
            self.message.setText("Choose a draft information report or letter to discard.")
            return
        record = documents.get_document(self.repo, key[1])
        if record.status != documents.DRAFT:
            self.message.setText("Only a draft can be discarded; completed documents are kept.")
            return
        if self._armed != key:
            self._armed = key
            self.message.setText(f"Discard “{item.text(0)}”? Click Discard draft again to confirm.")
            return
        from app.ui.reports import DocumentWindow

        for window in list(self.windows):
            if isinstance(window, DocumentWindow) and window.document_id == key[1]:
                window.drop_pending()
                window.done(0)
                self.windows.remove(window)
        documents.discard(self.repo, key[1])
        self._armed = None
        self.message.setText("Draft discarded.")
        self.reload()

    def new_report(self, form_id: str) -> QWidget | None:
        record = documents.new_report(self.repo, self.registry, self.case_id, form_id)
        self.reload()
        self.select((documents.REPORT, record.id))
        return self.open_item(self.items[(documents.REPORT, record.id)])

    def new_letter(self) -> QWidget | None:
        record = documents.new_letter(self.repo, self.case_id)
        self.reload()
        self.select((documents.LETTER, record.id))
        return self.open_item(self.items[(documents.LETTER, record.id)])

    def plans(self) -> QWidget:
        from app.ui.plans import PlansDialog

        host = self.parent()
        if host is not None and hasattr(host, "open_case_window"):
            # the main window's registry: one Plans window per case, saved and restored by Lock
            repo, tk, case_id = self.repo, self.tk, self.case_id
            owner = host if isinstance(host, QWidget) else None
            window: QWidget = host.open_case_window(
                "plans", case_id, lambda: PlansDialog(repo, tk, case_id, owner)
            )
            window.finished.connect(  # type: ignore[attr-defined]
                lambda _code: self.reload(), Qt.ConnectionType.UniqueConnection
            )
            return window
        dialog = PlansDialog(self.repo, self.tk, self.case_id, self)
        dialog.finished.connect(lambda _code: self.reload())
        self.windows.append(dialog)
        dialog.show()
        return dialog

    def chronology(self) -> QWidget:
        from app.ui.chronology import Chronology

        dialog = QDialog(self)
        dialog.setWindowTitle("Chronology")
        fit_to_screen(dialog, 900, 520)
        view = Chronology(self.registry, dialog)
        view.show_case(reading.case_assessments(self.repo, self.case_id))
        QVBoxLayout(dialog).addWidget(view)
        self.windows.append(dialog)
        dialog.show()
        return dialog

    def export(self) -> QWidget:
        from app.ui.export_dialog import ExportDialog

        host = self.parent()
        if host is not None and hasattr(host, "open_case_window"):
            # the main window's registry: one export window per case, kept over Lock
            repo, registry, case_id = self.repo, self.registry, self.case_id
            owner = host if isinstance(host, QWidget) else None
            window: QWidget = host.open_case_window(
                "export", case_id, lambda: ExportDialog(repo, registry, case_id, owner)
            )
            window.finished.connect(  # type: ignore[attr-defined]
                lambda _code: self.reload(), Qt.ConnectionType.UniqueConnection
            )
            return window
        dialog = ExportDialog(self.repo, self.registry, self.case_id, self)
        dialog.finished.connect(lambda _code: self.reload())
        self.windows.append(dialog)
        dialog.show()
        return dialog


class AssessmentReadOnly(QDialog):
    """A completed or signed assessment as text: it cannot be changed, only read."""

    def __init__(
        self, registry: Registry, record: AssessmentRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        tk = registry.get(record.toolkit_id)
        answers = record.answers
        self.setWindowTitle(f"Assessment v{record.version} ({record.status}, read-only)")
        fit_to_screen(self, 900, 640)
        child = answers.get("child") or {}
        lines = [
            f"{tk.title}",
            f"Assessment date: {shown(answers.get('assessment_date'))}",
            f"Child: {child.get('name') or ''}, born {shown(child.get('date_of_birth'))}",
            f"Status: {record.status}",
            f"Final level: {word(record.level or answers.get('final_level'))}",
        ]
        if record.review_due:
            lines.append(f"Review due: {shown(record.review_due)}")
        lines += ["", "Section 1 indicators marked:"]
        for item_id, marks in (answers.get("section1") or {}).items():
            if any(v for k, v in marks.items() if k not in ("note", "comment")):
                try:
                    lines.append(f"• {tk.item(item_id).text}")
                except KeyError:
                    lines.append(f"• {item_id}")
        lines += ["", "Analysis:"]
        analysis = answers.get("analysis") or {}
        for f in tk.analysis_fields:
            if analysis.get(f.id) not in (None, "", []):
                lines.append(f"{f.label.rstrip(':')}: {analysis[f.id]}")
        self.text = QPlainTextEdit("\n".join(lines), self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The assessment, read-only")
        QVBoxLayout(self).addWidget(self.text)
