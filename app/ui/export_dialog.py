"""Export for sending: choose the completed documents per recipient, encrypt, email drafts.

Encryption is on by default, with one password per recipient group (the police's files,
Children's Social Care's, and the letter's only when asked): each is shown once, here, with
the reminder to send it by another route. Afterwards the window says where every file went
and offers to open the folder. The work itself is app.casework.package's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.casework import package, reading, settings
from app.casework.passphrase import confirm_passphrase
from app.documents.export import ExportCancelled, ExportResult, group_of
from app.forms import Registry
from app.rules import CaseFileError
from app.storage import Repository, VaultLockedError
from app.ui.background import Background, Job
from app.ui.sizing import fit_to_screen

PASSWORD_TITLES = {
    package.POLICE: "the police referral unit's files",
    package.SOCIAL_CARE: "Children's Social Care's files",
    package.LETTER_RECIPIENT: "the letter",
}


def signer_visible(repo: Repository) -> str:
    """An encrypted PDF hides its pages, not its signature: the certificate's name can be
    read without the password. Said before writing, with how to sign as a role instead."""
    from app.casework.identity import stored_identity
    from app.documents.signing import IdentityProblem, check_identity

    identity = stored_identity(repo)
    try:
        signer = check_identity(identity).signer if identity is not None else ""
    except IdentityProblem:
        signer = ""
    if not signer:
        return ""
    return (
        f"Encrypted PDFs still show who signed them (“{signer}”, from your certificate) to "
        "anyone who has the files, without the password. To show a role instead of your "
        "name, fill “Sign as a role” in Profile and settings."
    )


def default_folder(repo: Repository) -> Path:
    stored = settings.export_folder(repo)
    return Path(stored) if stored else Path.home() / "CRE Toolkit exports"


class _Refused(Exception):
    """Raised on the worker with the sentence the window shows."""


class ExportDialog(QDialog):
    exported = Signal(bool)  # True when files were written

    def __init__(
        self, repo: Repository, registry: Registry, case_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.repo, self.registry, self.case_id = repo, registry, case_id
        child = reading.child_name(repo, case_id) or "(no name yet)"
        self.setWindowTitle(f"Export for sending: {child}")
        fit_to_screen(self, 900, 640)
        layout = QVBoxLayout(self)
        self.offers = package.offers(repo, registry, case_id)
        self.boxes: dict[tuple[str, int], QCheckBox] = {}
        # the documents scroll, so a long title never pushes the buttons off a small screen
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Documents to export")
        chooser = QWidget(scroll)
        choices = QVBoxLayout(chooser)
        scroll.setWidget(chooser)
        layout.addWidget(scroll, 2)
        for key, name, what in package.RECIPIENTS:
            group = QGroupBox(f"For {name}: {what}", chooser)
            group.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            group.setAccessibleName(f"For {name}")
            rows = QVBoxLayout(group)
            mine = [o for o in self.offers if o.recipient == key]
            if not mine:
                rows.addWidget(QLabel("Nothing for this recipient yet.", group))
            for offer in mine:
                text = offer.title if offer.ready else f"{offer.title} ({offer.why})"
                box = QCheckBox(text, group)
                box.setAccessibleName(text)
                box.setChecked(offer.ready)
                box.setEnabled(offer.ready)
                rows.addWidget(box)
                self.boxes[(offer.kind, offer.id)] = box
            choices.addWidget(group)
        choices.addStretch(1)
        folder_row = QHBoxLayout()
        label = QLabel("&Folder:", self)
        self.folder = QLineEdit(str(default_folder(repo)), self)
        self.folder.setAccessibleName("Folder to write the files to")
        label.setBuddy(self.folder)
        choose = QPushButton("Choose…", self)
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        layout.addLayout(folder_row)
        self.encrypt = QCheckBox(
            "&Encrypt the PDFs, a password for each recipient (recommended)", self
        )
        self.encrypt.setAccessibleName("Encrypt the PDFs with a password")
        self.encrypt.setChecked(True)
        self.eml = QCheckBox("Write &email drafts (.eml) to send from your secure email", self)
        self.eml.setAccessibleName("Write email drafts")
        self.eml.setChecked(True)
        self.warning = QLabel("", self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#8b0000;font-weight:bold;")
        self.encrypt_letter = QCheckBox(
            "Encrypt the &letter too, with its own password (otherwise it goes "
            "unencrypted, on its own)",
            self,
        )
        self.encrypt_letter.setAccessibleName("Encrypt the letter with its own password")
        for box in (self.encrypt, self.encrypt_letter, self.eml):
            box.toggled.connect(self._warn)
            layout.addWidget(box)
        layout.addWidget(self.warning)
        again = QHBoxLayout()
        asked = QLabel("Your vault &passphrase (asked again before signing):", self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Your vault passphrase, asked again before signing")
        self.passphrase.returnPressed.connect(self.export)
        asked.setBuddy(self.passphrase)
        again.addWidget(asked)
        again.addWidget(self.passphrase, 1)
        layout.addLayout(again)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What happened")
        layout.addWidget(self.message)
        self.password_box = QWidget(self)
        shown = QFormLayout(self.password_box)
        self.passwords: dict[str, QLineEdit] = {}
        for recipient, opens in PASSWORD_TITLES.items():
            field = QLineEdit(self.password_box)
            field.setReadOnly(True)
            field.setAccessibleName(f"The password for {opens}, shown once")
            field.setStyleSheet("font-family:monospace;font-size:13pt;")
            shown.addRow(QLabel(f"Password for {opens}:", self.password_box), field)
            self.passwords[recipient] = field
        self.password_box.hide()
        layout.addWidget(self.password_box)
        self.files = QListWidget(self)
        self.files.setAccessibleName("Files written")
        self.files.hide()
        layout.addWidget(self.files, 1)
        layout.addStretch(0)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("E&xport", self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_folder = QPushButton("&Open the folder", self)
        self.open_folder.clicked.connect(self.show_folder)
        self.open_folder.hide()
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.accept)
        self.busy = QProgressBar(self)  # signing takes a moment; the window stays alive
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Exporting")
        self.busy.setMaximumWidth(220)
        self.busy.hide()
        self.cancel_button = QPushButton("&Cancel export", self)
        self.cancel_button.hide()
        buttons.addWidget(self.busy)
        buttons.addStretch(1)
        for button in (self.cancel_button, self.export_button, self.open_folder):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.written_to: Path | None = None
        # the one background runner (as Statistics): the worker never touches this window
        self.background = Background(
            self, self.busy, self.cancel_button, self.message, self._working
        )
        self._warn()

    def _warn(self) -> None:
        self.encrypt_letter.setEnabled(self.encrypt.isChecked())
        if self.encrypt.isChecked():  # said before anything is written
            self.warning.setText(signer_visible(self.repo))
            return
        if not self.encrypt.isChecked():
            attached = (
                " The email drafts will attach them unencrypted." if self.eml.isChecked() else ""
            )
            self.warning.setText(
                "Not encrypted: anyone who gets the files can read them. Only send them "
                "through secure email (CJSM or your organisation's accredited service)." + attached
            )
        else:
            self.warning.setText("")

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def chosen(self) -> list[package.Offer]:
        return [o for o in self.offers if o.ready and self.boxes[(o.kind, o.id)].isChecked()]

    def export(self) -> None:
        """Render and sign on a worker thread; the result comes back as a queued signal."""
        from app.casework.identity import signing_identity

        text = self.folder.text().strip()
        if not text:
            self.message.setText("Folder: choose where to write the files.")
            return
        folder = Path(text).expanduser()
        passwords = (
            package.new_passwords(letter=self.encrypt_letter.isChecked())
            if self.encrypt.isChecked()
            else {}
        )
        chosen, eml = self.chosen(), self.eml.isChecked()
        plain_email = eml and not passwords  # chosen with the warning in view
        if not any(o.ready for o in chosen):
            self.message.setText("Choose at least one completed document to export.")
            return
        passphrase = self.passphrase.text()
        self.passphrase.clear()  # never kept, whatever happens next
        if not passphrase:
            self.message.setText("Passphrase: type your vault passphrase to sign and export.")
            self.passphrase.setFocus()
            return
        try:
            identity = signing_identity(self.repo)
        except ValueError as exc:  # no name in the profile yet: nothing is signed
            self.message.setText(f"Not exported: {exc}")
            return
        repo, registry, case_id = self.repo, self.registry, self.case_id

        def work(job: Job) -> tuple[ExportResult, Path, dict[str, str]]:
            if not confirm_passphrase(repo, passphrase):
                raise _Refused(
                    "Passphrase: that is not this vault's passphrase. "
                    "Nothing was signed or written."
                )
            folder.mkdir(parents=True, exist_ok=True)
            result = package.export_package(
                repo, registry, case_id, folder, identity, chosen,
                passwords=passwords, eml=eml, unencrypted_email=plain_email,
                cancelled=job.cancel.is_set,
            )  # fmt: skip
            return result, folder, passwords

        self.background.start(
            Job("Signing", measured=False),
            work,
            done=lambda outcome: self._done(*outcome),
            failed=lambda exc: _sentence(exc, folder),
            after_failure=self._failed,
            waiting="Exporting: signing the documents…",
            cancelled="Cancelling…",
            patient=True,  # files already written are reported, never hidden
        )
        self.message.setText("Exporting: signing the documents…")

    def _working(self, busy: bool) -> None:
        """While signing: a busy bar and Cancel instead of Export and Close."""
        self.busy.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.export_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)

    def cancel(self) -> None:
        """Asks the worker to stop; it does before writing anything, or finishes."""
        self.background.cancel()

    def reject(self) -> None:
        """Escape while exporting cancels the export rather than leaving it unseen."""
        if self.background.running:
            self.cancel()
            return
        super().reject()

    def _failed(self, text: str) -> None:
        self._working(False)
        self.message.setText(text)
        if text.startswith("Passphrase:"):
            self.passphrase.setFocus()
        self.exported.emit(False)

    def _done(self, result: ExportResult, folder: Path, passwords: dict[str, str]) -> None:
        self._working(False)
        self.written_to = folder
        self.files.clear()
        for path in result.written:
            self.files.addItem(path.name)
        self.files.show()
        lines = [f"Written to {folder} (reference {result.reference})."]
        if result.letter_refused:
            lines.append("Disruption letter NOT produced: " + " ".join(result.letter_refused))
        lines += [f"Note: {warning}" for warning in result.warnings]
        if result.left_out:  # nothing left out unsaid
            lines.append("Not in this export: " + "; ".join(result.left_out) + ".")
        groups = {group_of(d.kind) for d in result.documents if d.kind != "email"}
        used = {g: p for g, p in passwords.items() if g in groups}
        if used:
            lines.append(
                "Each recipient's PDFs open only with their own password below. Each is "
                "shown only this once: write them down now and give each by another route "
                "(a telephone call), never in the same email as the files."
            )
            form = self.password_box.layout()
            for group, field in self.passwords.items():
                field.setText(used.get(group, ""))
                if isinstance(form, QFormLayout):
                    form.setRowVisible(field, group in used)
            self.password_box.show()
        self.message.setText("\n".join(lines))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder.show()
        self.exported.emit(True)

    def show_folder(self) -> None:
        if self.written_to is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written_to)))

    def done(self, result: int) -> None:
        for field in self.passwords.values():
            field.clear()  # the passwords are shown once, never kept
        self.keep_folder()
        super().done(result)

    def keep_folder(self) -> None:
        """A folder typed here is the export folder from now on (as in Profile and
        settings), so closing the window, however, never loses it."""
        typed = self.folder.text().strip()
        try:
            if typed and Path(typed) != default_folder(self.repo):
                settings.set_export_folder(self.repo, typed)
        except VaultLockedError:  # already locked: the folder was kept when it locked
            pass

    def save_for_lock(self) -> dict[tuple[str, int], bool]:
        """Lock keeps the folder and which documents were chosen."""
        self.keep_folder()
        return {key: box.isChecked() for key, box in self.boxes.items()}

    def restore_after_lock(self, chosen: dict[tuple[str, int], bool]) -> None:
        for key, checked in chosen.items():
            box = self.boxes.get(key)
            if box is not None and box.isEnabled():
                box.setChecked(checked)


def _sentence(exc: Exception, folder: Path) -> str:
    """What the window says when an export fails (on the worker: no Qt here)."""
    if isinstance(exc, _Refused | ExportCancelled | package.NothingToExport):
        return str(exc)  # already in words
    if isinstance(exc, CaseFileError):
        return f"Not ready to export: {exc}"
    if isinstance(exc, OSError):
        return f"Nothing was written to {folder}: {exc.strerror or exc}. Choose another folder."
    if isinstance(exc, ValueError):  # a certificate that must not sign, and the like
        return f"Not exported: {exc}"
    return (
        f"Not exported: something unexpected went wrong ({type(exc).__name__}). "
        "Nothing was sent; try again, and if it happens again tell your IT or "
        "information governance lead."
    )
