"""Unlock or create a vault: the first window a practitioner sees."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.demo import DEMO_SETTING as DEMO_SETTING
from app.storage.errors import VaultError
from app.storage.keys import strength_advice
from app.ui.speech import LiveLabel

if TYPE_CHECKING:
    from app.storage.vault import Vault


class UnlockDialog(QDialog):
    """Opens an existing vault, or creates one when there is none at the path yet."""

    def __init__(
        self, path: Path, parent: QWidget | None = None, *, offer_demo: bool = True
    ) -> None:
        super().__init__(parent)
        self.vault: Vault | None = None  # set once unlocked
        self.setWindowTitle("CRE Toolkit: unlock")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = QLabel("<h2>CRE Toolkit</h2>")
        layout.addWidget(title)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        form = QFormLayout()
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Repeat the passphrase")
        self.pass_label = QLabel("&Passphrase:", self)
        self.pass_label.setBuddy(self.passphrase)
        self.confirm_label = QLabel("&Repeat it:", self)
        self.confirm_label.setBuddy(self.confirm)
        form.addRow(self.pass_label, self.passphrase)
        form.addRow(self.confirm_label, self.confirm)
        layout.addLayout(form)
        self.feedback = LiveLabel("Message", self)
        layout.addWidget(self.feedback)
        self.demo = QPushButton("&Try with fictional cases", self)
        self.demo.setToolTip("Opens a separate DEMO vault of clearly fictional cases")
        self.demo.clicked.connect(self.open_demo)
        self.demo.setVisible(offer_demo)  # not when unlocking after Lock: same vault only
        buttons = QHBoxLayout()
        self.other = QPushButton("Open &another vault…", self)
        self.other.clicked.connect(self._choose_other)
        self.go = QPushButton("&Unlock", self)
        self.go.setDefault(True)
        self.go.clicked.connect(self._go)
        buttons.addWidget(self.other)
        buttons.addWidget(self.demo)
        buttons.addStretch(1)
        buttons.addWidget(self.go)
        layout.addLayout(buttons)
        self.passphrase.textChanged.connect(self._strength)
        self.set_path(path)

    @property
    def creating(self) -> bool:
        return not self.path.exists()

    def set_path(self, path: Path) -> None:
        self.path = Path(path)
        if self.creating:
            self.where.setText(
                f"No vault yet at <b>{self.path}</b>. Choose a passphrase to create one: "
                "at least 12 characters; a few unrelated words work well. "
                "It cannot be recovered if lost."
            )
            self.go.setText("&Create vault")
        else:
            self.where.setText(f"Vault: <b>{self.path}</b>")
            self.go.setText("&Unlock")
        self.confirm.setVisible(self.creating)
        self.confirm_label.setVisible(self.creating)
        self.feedback.set_live("")
        self.passphrase.setFocus()

    def open_demo(self) -> None:
        """One click: a demo vault beside this one (made on first use), clearly marked DEMO."""
        from app.casework.importing import make_demo_vault
        from app.demo import DEMO_PASSPHRASE
        from app.forms import load_registry
        from app.storage.vault import Vault

        path = self.path.parent / "demo.cre"
        try:
            if path.exists():
                vault = Vault.open(path, DEMO_PASSPHRASE)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                vault = make_demo_vault(path, load_registry())
        except (VaultError, OSError) as exc:
            self.feedback.set_live(f"The demo could not be opened: {exc}")
            return
        self.vault = vault
        self.accept()

    def _choose_other(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Open or create a vault", str(self.path.parent), "Vaults (*.cre);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if name:
            self.set_path(Path(name))

    def _strength(self, text: str) -> None:
        if not self.creating or not text:
            return
        self.feedback.set_live(strength_advice(text))  # the problem, or zxcvbn's verdict

    def _go(self) -> None:
        from app.storage.vault import Vault  # SQLAlchemy loads after the window is up

        secret = self.passphrase.text()
        try:
            if self.creating:
                if secret != self.confirm.text():
                    self.feedback.set_live("The two passphrases differ.")
                    return
                self.vault = Vault.create(self.path, secret)
            else:
                self.vault = Vault.open(self.path, secret)
        except VaultError as exc:
            self.feedback.set_live(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        finally:
            secret = ""
        self.passphrase.clear()
        self.confirm.clear()
        self.accept()
