"""The practitioner's profile and settings, offered by the main window.

Logic lives in app.documents and app.storage; this module only asks and shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.casework import settings
from app.documents.signing import IdentityProblem, check_identity
from app.forms import Registry
from app.storage import Repository
from app.ui.guard import install_wheel_guard

PROFILE_KEYS = (
    ("name", "Name"),
    ("post", "Post / role"),
    ("post_on_letters", "Post shown on letters"),
    ("sign_as_role", "Sign as a role, not by name (optional)"),
    ("agency", "Agency"),
    ("address", "Agency address (letterhead)"),
    ("email", "Email"),
    ("phone", "Telephone"),
    ("area", "Your local authority area (picks the toolkit's address for it)"),
    ("social_care_email", "Children's Social Care front door email"),
    ("mash_email", "Your MASH email (for forms the toolkit gives no address for)"),
)


class ProfileDialog(QDialog):
    """The practitioner's details (pre-filled into forms), auto-lock and export folder."""

    def __init__(
        self, repo: Repository, parent: QWidget | None = None, registry: Registry | None = None
    ) -> None:
        install_wheel_guard()
        super().__init__(parent)
        self.repo = repo
        self.registry = registry
        self.setWindowTitle("Profile and settings")
        # three tabs, so the dialog and its Save button fit a 150% laptop screen
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs)
        details = QWidget(self.tabs)
        self.tabs.addTab(details, "Your &details")
        form = QFormLayout(details)
        profile = settings.profile(repo)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in PROFILE_KEYS:
            edit = QLineEdit(str(profile.get(key, "")), self)
            edit.setAccessibleName(label)
            form.addRow(f"{label}:", edit)
            self.fields[key] = edit
        self.minutes = QSpinBox(self)
        self.minutes.setRange(1, 120)
        self.minutes.setValue(settings.auto_lock_minutes(repo))
        self.minutes.setAccessibleName("Lock after minutes without activity")
        form.addRow("Lock after (minutes idle):", self.minutes)
        self.folder = QLineEdit(settings.export_folder(repo) or "", self)
        self.folder.setAccessibleName("Export folder")
        form.addRow("Export folder:", self.folder)
        signing = QWidget(self.tabs)
        self.tabs.addTab(signing, "Si&gning and colleagues")
        form = QFormLayout(signing)
        self.certificate = QLabel(self)
        self.certificate.setWordWrap(True)
        self.certificate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.certificate.setAccessibleName("Signing certificate")
        form.addRow("Signing certificate:", self.certificate)
        self.import_button = QPushButton("&Import organisation certificate (.p12)…", self)
        self.import_button.clicked.connect(self._choose_certificate)
        form.addRow("", self.import_button)
        self.certificate_problem = QLabel("", self)
        self.certificate_problem.setWordWrap(True)
        self.certificate_problem.setStyleSheet("color:#8b0000; font-weight:bold;")
        self.certificate_problem.setAccessibleName("Certificate problem")
        self.certificate_problem.setVisible(False)
        form.addRow("", self.certificate_problem)
        self._show_certificate()
        self.colleagues = QLabel(self)
        self.colleagues.setWordWrap(True)
        self.colleagues.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.colleagues.setAccessibleName("Colleagues whose certificates you trust")
        form.addRow("Colleagues:", self.colleagues)
        people = QHBoxLayout()
        self.export_cert = QPushButton("E&xport my certificate…", self)
        self.export_cert.clicked.connect(self._export_certificate)
        self.trust_cert = QPushButton("&Trust a colleague's certificate…", self)
        self.trust_cert.clicked.connect(self._trust_certificate)
        people.addWidget(self.export_cert)
        people.addWidget(self.trust_cert)
        people.addStretch(1)
        form.addRow("", people)
        self._show_colleagues()
        vault = QWidget(self.tabs)
        self.tabs.addTab(vault, "&Vault and toolkits")
        form = QFormLayout(vault)
        self.retention = QPushButton("Closed cases and &retention…", self)
        self.retention.clicked.connect(self._retention)
        form.addRow("Retention:", self.retention)
        self.change_passphrase = QPushButton("Change &passphrase…", self)
        self.change_passphrase.clicked.connect(self._change_passphrase)
        form.addRow("Vault:", self.change_passphrase)
        self.add_toolkit = QPushButton("Add a &toolkit from a spreadsheet…", self)
        self.add_toolkit.setVisible(registry is not None)
        self.add_toolkit.clicked.connect(self._add_toolkit)
        form.addRow("Toolkits:", self.add_toolkit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self._loaded = self.save_for_lock()

    def save_for_lock(self) -> dict[str, Any]:
        """What is typed here; Lock hands it back to the window it reopens."""
        typed: dict[str, Any] = {k: e.text() for k, e in self.fields.items()}
        return {**typed, "_minutes": self.minutes.value(), "_folder": self.folder.text()}

    def restore_after_lock(self, typed: dict[str, Any]) -> None:
        for key, edit in self.fields.items():
            edit.setText(str(typed.get(key, edit.text())))
        self.minutes.setValue(int(typed.get("_minutes", self.minutes.value())))
        self.folder.setText(str(typed.get("_folder", self.folder.text())))

    def reject(self) -> None:
        """X, Esc and Cancel ask before changed settings are lost; Lock never asks."""
        from app.ui.windows import closing_for_lock, confirm_discard

        if (
            not closing_for_lock(self)
            and self.save_for_lock() != self._loaded
            and not confirm_discard(self, "Your changes to the profile and settings are not saved.")
        ):
            return
        super().reject()

    def _show_colleagues(self) -> None:
        from app.casework.oversight import colleagues

        known = colleagues(self.repo)
        self.colleagues.setText(
            "\n".join(f"{c.name} (certificate {c.fingerprint})" for c in known)
            or "None yet. Trust a colleague's certificate to hand cases to them and to see "
            "their signatures as trusted."
        )

    def _export_certificate(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save my certificate", str(Path.home() / "my-certificate.pem"), "PEM (*.pem)"
        )
        if chosen:
            self.export_certificate(Path(chosen))

    def export_certificate(self, target: Path) -> bool:
        """Write this practitioner's certificate for colleagues (never the key)."""
        from app.casework.oversight import own_certificate_pem
        from app.fileio import atomic_write_bytes

        try:
            atomic_write_bytes(target, own_certificate_pem(self.repo))
        except OSError as exc:
            self._say(f"Not saved: {exc.strerror or exc}.")
            return False
        self._say(f"Your certificate was saved as {target.name}: send it to your colleagues.")
        return True

    def _trust_certificate(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "A colleague's certificate", str(Path.home()), "Certificate (*.pem *.crt *.cer)"
        )
        if chosen:
            self.trust_certificate(Path(chosen))

    def trust_certificate(self, source: Path) -> bool:
        from app.casework.oversight import OversightError, trust_colleague

        try:
            if not source.is_file() or source.stat().st_size > 1024 * 1024:
                raise OversightError("that is not a certificate file")
            added = trust_colleague(self.repo, source.read_bytes())
        except (OSError, OversightError) as exc:
            self._say(f"Not trusted: {exc}.")
            return False
        self._show_colleagues()
        self._say(
            f"Trusted: {added.name}. Check the fingerprint {added.fingerprint[:23]}… with them "
            "by telephone."
        )
        return True

    def _say(self, text: str) -> None:
        self.certificate_problem.setText(text)
        self.certificate_problem.setVisible(True)

    def _retention(self) -> None:
        """How long closed cases stay, and which are due for purging (app.ui.retention)."""
        from app.ui.retention import PurgeDialog

        PurgeDialog(self.repo, self.parentWidget() or self).exec()

    def _change_passphrase(self) -> None:
        from app.ui.passphrase import ChangePassphraseDialog

        if ChangePassphraseDialog(self.repo, self).exec():
            self.certificate_problem.setText("Passphrase changed. Use the new one from now on.")
            self.certificate_problem.setStyleSheet("color:#1d4f6e; font-weight:bold;")
            self.certificate_problem.setVisible(True)

    def _add_toolkit(self) -> None:
        from app.ui.toolkit_sheet import ToolkitSheetDialog

        if self.registry is not None:
            ToolkitSheetDialog(self.registry, self).exec()

    def _show_certificate(self) -> None:
        """Who signs, issued by whom, and the fingerprint a recipient can check."""
        from app.casework.identity import stored_identity

        identity = stored_identity(self.repo)
        if identity is None:  # made on Save, from the name saved: never before
            self.certificate.setText(
                "None yet: it is made from your name when you save this profile. "
                "Nothing is signed until then."
            )
            return
        try:
            info = check_identity(identity)
        except IdentityProblem as exc:
            self.certificate.setText(str(exc))
            return
        issuer = "self-signed" if info.self_signed else f"issued by {info.issuer}"
        self.certificate.setText(
            f"{info.signer} ({issuer}), valid until {info.not_after:%d/%m/%Y}\n"
            f"Fingerprint (SHA-256): {info.fingerprint}"
        )
        self.certificate.setAccessibleDescription(self.certificate.text())

    def _choose_certificate(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Organisation certificate", str(Path.home()), "PKCS#12 (*.p12 *.pfx)"
        )
        if not chosen:
            return
        password, ok = QInputDialog.getText(
            self, "Certificate password", "Password of the certificate file:",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if ok:
            self.import_certificate(Path(chosen), password)

    def import_certificate(self, path: Path, password: str) -> bool:
        """Check, then keep the organisation's certificate as this vault's signing
        identity; a problem is shown in words and nothing is stored."""
        from app.casework.certificates import import_signing_identity
        from app.fileio import InputFileError, read_input_bytes

        try:
            data = read_input_bytes(path, 1024 * 1024)  # a FIFO or /dev/zero: refused
            import_signing_identity(self.repo, data, password.encode("utf-8"))
        except InputFileError as exc:
            problem = f"{exc}."
        except OSError as exc:
            problem = f"{path.name} could not be read ({exc.strerror or exc})."
        except IdentityProblem as exc:
            problem = str(exc)
        else:
            self.certificate_problem.setVisible(False)
            self._show_certificate()
            return True
        self.certificate_problem.setText(f"Certificate not imported: {problem}")
        self.certificate_problem.setAccessibleDescription(self.certificate_problem.text())
        self.certificate_problem.setVisible(True)
        return False

    def save(self) -> None:
        """The profile first; then the certificate is made from the saved name (again if
        the name changed), so nothing is signed in a name the profile does not hold."""
        from app.casework.oversight import set_profile

        set_profile(self.repo, **{k: e.text() for k, e in self.fields.items()})
        settings.set_auto_lock_minutes(self.repo, self.minutes.value())
        settings.set_export_folder(self.repo, self.folder.text())
        self._loaded = self.save_for_lock()
        self.accept()
