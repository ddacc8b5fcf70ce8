"""Profile and settings → Change passphrase: the old passphrase once, the new one twice,
with the strength advice shown as it is typed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.casework.passphrase import change_passphrase
from app.storage import Repository
from app.storage.errors import VaultError
from app.storage.keys import strength_advice


class ChangePassphraseDialog(QDialog):
    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.setWindowTitle("Change passphrase")
        form = QFormLayout(self)
        self.old = QLineEdit(self)
        self.new = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for edit, label in (
            (self.old, "Current passphrase"),
            (self.new, "New passphrase"),
            (self.repeat, "New passphrase again"),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(label)
            form.addRow(f"{label}:", edit)
        self.advice = QLabel("", self)
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName("Passphrase strength")
        form.addRow(self.advice)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#8b0000;font-weight:bold;")
        self.message.setAccessibleName("Problem")
        form.addRow(self.message)
        self.new.textChanged.connect(self._strength)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Change passphrase")
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _strength(self, text: str) -> None:
        self.advice.setText(strength_advice(text) if text else "")

    def change(self) -> bool:
        try:
            change_passphrase(self.repo, self.old.text(), self.new.text(), self.repeat.text())
        except (ValueError, VaultError) as exc:
            self.message.setText(str(exc))
            return False
        finally:
            self.old.clear()  # nothing typed here outlives the attempt
        self.new.clear()
        self.repeat.clear()
        self.accept()
        return True
