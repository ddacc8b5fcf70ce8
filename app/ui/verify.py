"""Signatures on a PDF: see who signed, when and whether it is intact; countersign it as a
manager, or record a manager's countersignature on a document you sent. And, in the letter
window, the authorisation record exported for the Head of Service to countersign.

Logic lives in app.casework.oversight; this window only asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.casework.oversight import (
    OversightError,
    countersign_document,
    export_for_agreement,
    import_approval,
    verify_document,
)
from app.casework.passphrase import confirm_passphrase
from app.documents.approvals import ApprovalRefused, SignatureReport
from app.documents.signing import IdentityProblem
from app.fileio import atomic_write_bytes
from app.forms import Registry
from app.storage import Repository
from app.ui.sizing import fit_to_screen

HEADINGS = ("Signed by", "Signed (as claimed)", "State", "Trust", "Changed after it")
MAX_PDF_BYTES = 64 * 1024 * 1024


def _when(claimed: str | None) -> str:
    """The signer's claimed time the UK way (offline signatures carry no timestamp)."""
    if not claimed:
        return "no time given"
    import datetime as dt

    moment = dt.datetime.fromisoformat(claimed)
    return f"{moment:%d/%m/%Y %H:%M} {moment.tzname() or ''}".strip()


class VerifyDialog(QDialog):
    """Open a signed PDF and list every signature in the order it was applied."""

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.path: Path | None = None
        self.pdf: bytes | None = None
        self.reports: list[SignatureReport] = []
        self.password: str | None = None
        self.setWindowTitle("Signatures on a document")
        layout = QVBoxLayout(self)
        self.choose = QPushButton("&Open a signed PDF…", self)
        self.choose.clicked.connect(self._choose)
        layout.addWidget(self.choose)
        self.status = QLabel("Open a PDF to see who signed it and whether it is intact.", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Result")
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(HEADINGS), self)
        self.table.setHorizontalHeaderLabels(HEADINGS)
        self.table.setAccessibleName("Signatures, in the order they were applied")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.fingerprints = QLabel("", self)
        self.fingerprints.setWordWrap(True)
        self.fingerprints.setAccessibleName("Certificate fingerprints (SHA-256)")
        self.fingerprints.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprints)
        row = QHBoxLayout()
        self.countersign_button = QPushButton("&Countersign as manager…", self)
        self.countersign_button.setEnabled(False)
        self.countersign_button.clicked.connect(self._countersign)
        row.addWidget(self.countersign_button)
        self.approval_button = QPushButton("&Record this approval on my case", self)
        self.approval_button.setEnabled(False)
        self.approval_button.clicked.connect(self.record_approval)
        row.addWidget(self.approval_button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 1000, 520)

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Signed PDF", str(Path.home()), "PDF (*.pdf)")
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path, password: str | None = None) -> None:
        self.path, self.pdf, self.reports = path, None, []
        self.table.setRowCount(0)
        self.fingerprints.setText("")
        self.countersign_button.setEnabled(False)
        self.approval_button.setEnabled(False)
        try:
            if not path.is_file() or path.stat().st_size > MAX_PDF_BYTES:
                raise ApprovalRefused("this is not a PDF file of a sensible size")
            pdf = path.read_bytes()
            reports = verify_document(pdf, self.repo, password)
        except ApprovalRefused as exc:
            if "encrypted" in str(exc) and password is None:
                asked, ok = QInputDialog.getText(
                    self, "PDF password", "This PDF is encrypted. Its password:",
                    QLineEdit.EchoMode.Password,
                )  # fmt: skip
                if ok:
                    self.load(path, asked)
                    return
            self.status.setText(f"{path.name}: {exc}.")
            return
        except OSError as exc:
            self.status.setText(f"{path.name} could not be read ({exc.strerror or exc}).")
            return
        self.pdf, self.reports, self.password = pdf, reports, password
        for n, report in enumerate(reports):
            self.table.insertRow(n)
            state = "BROKEN" if report.broken else "intact and valid"
            trust = "trusted" if report.trusted else (
                "self-signed" if report.self_signed else "not trusted"
            )  # fmt: skip
            for col, text in enumerate(
                (
                    ", ".join(x for x in (report.signer, report.post) if x),  # an approver's post
                    _when(report.time),
                    state,
                    trust,
                    report.modification,
                )
            ):
                cell = QTableWidgetItem(text)
                cell.setToolTip(f"Certificate fingerprint (SHA-256): {report.fingerprint}")
                self.table.setItem(n, col, cell)
        self.table.resizeRowsToContents()
        self.fingerprints.setText(
            "\n".join(
                f"{n}. {r.signer.split(' (')[0]}: certificate {r.fingerprint}"
                for n, r in enumerate(reports, 1)
            )
        )
        broken = [r for r in reports if r.broken]
        if not reports:
            self.status.setText(f"{path.name} has no signature.")
        elif broken:
            self.status.setText(
                f"{path.name}: {len(broken)} signature(s) BROKEN. Do not rely on this copy; "
                "ask for the document again."
            )
        else:
            self.status.setText(f"{path.name}: {len(reports)} signature(s), all intact and valid.")
            self.countersign_button.setEnabled(True)
            self.approval_button.setEnabled(len(reports) > 1)

    def _passphrase_confirmed(self) -> bool:
        text, ok = QInputDialog.getText(
            self, "Confirm it is you", "Your vault passphrase, to sign:",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if not ok:
            return False
        if not confirm_passphrase(self.repo, text):
            self.status.setText("That is not the vault's passphrase; nothing was signed.")
            return False
        return True

    def _countersign(self) -> None:
        if self.pdf is None or self.path is None or not self._passphrase_confirmed():
            return
        target, _ = QFileDialog.getSaveFileName(
            self, "Save the countersigned copy",
            str(self.path.with_name(self.path.stem + "-countersigned.pdf")), "PDF (*.pdf)",
        )  # fmt: skip
        if target:
            self.countersign_to(Path(target))

    def countersign_to(self, target: Path) -> bool:
        """Countersign the open document into `target` (never onto the original)."""
        if self.pdf is None or self.path is None:
            return False
        if target.resolve() == self.path.resolve():
            self.status.setText("Save the countersigned copy under another name.")
            return False
        try:
            signed = countersign_document(self.repo, self.pdf, self.password)
            atomic_write_bytes(target, signed)
        except (ApprovalRefused, OversightError, IdentityProblem) as exc:
            self.status.setText(f"Not countersigned: {exc}.")
            return False
        except OSError as exc:
            self.status.setText(f"Not saved: {exc.strerror or exc}. Nothing was written.")
            return False
        self.load(target, self.password)
        self.status.setText(f"Countersigned and saved as {self.status.text()}")
        return True

    def record_approval(self) -> bool:
        if self.pdf is None:
            return False
        try:
            record = import_approval(self.repo, self.pdf, self.password)
        except (OversightError, ApprovalRefused) as exc:
            self.status.setText(f"Not recorded: {exc}.")
            return False
        names = ", ".join(a["signer"] for a in record["approvals"])
        said = f"Approval by {names} recorded on the case ({record['document']})."
        if str(record["document"]).startswith("authorisation"):
            said += (
                " It is a letter's authorisation record: the letter window says whether it "
                "meets the Head of Service agreement."
            )
        self.status.setText(said)
        return True


class AgreementExport(QWidget):
    """The draft letter's authorisation record, signed and encrypted, for the Head of
    Service to countersign (Countersign as manager, in their vault); their approval comes
    back through File → Signatures and meets the letter's agreement condition."""

    def __init__(
        self, repo: Repository, registry: Registry, document_id: int,
        save: Callable[[], None], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.repo, self.registry, self.document_id, self.save = repo, registry, document_id, save
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # short: a button's text never wraps, and the letter's checklist is narrow at 150%
        self.button = QPushButton("E&xport for agreement…", self)
        self.button.setAccessibleName("Export the authorisation record for agreement")
        self.button.setToolTip("Export the authorisation record for the Head of Service to agree")
        self.button.clicked.connect(self._choose)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("The authorisation record for agreement")
        layout.addWidget(self.status)
        self.password = QLineEdit(self)
        self.password.setReadOnly(True)
        self.password.setAccessibleName("The record's password, shown once")
        self.password.hide()
        layout.addWidget(self.password)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the authorisation record")
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> bool:
        """Saved first (what is typed is what the manager agrees to), then exported."""
        from app.casework.identity import signing_identity
        from app.casework.package import new_password

        self.save()
        password = new_password()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = export_for_agreement(
                self.repo, self.registry, self.document_id, folder,
                signing_identity(self.repo), password=password,
            )  # fmt: skip
        except (ValueError, OSError) as exc:  # refusals and disk failures, in words
            self.status.setText(f"Not exported: {exc}.")
            self.password.hide()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        [record] = result.documents
        self.status.setText(
            f"Saved {record.path} for the Head of Service to countersign. It opens with the "
            "password below (send it by another route). Record their countersigned copy "
            "under File → Signatures."
        )
        self.password.setText(password)
        self.password.show()
        return True
