"""Actions the main window offers that are not about one form: export and the profile.

Logic lives in app.documents and app.storage; this module only asks and shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from app.casework import NothingFinalError, export_case, signing_identity
from app.documents.export import ExportResult
from app.forms import Registry
from app.rules import CaseFileError
from app.storage import Repository
from app.ui.guard import install_wheel_guard

PROFILE_KEYS = (
    ("name", "Name"),
    ("post", "Post / role"),
    ("agency", "Agency"),
    ("address", "Agency address (letterhead)"),
    ("email", "Email"),
    ("phone", "Telephone"),
)


def export_latest(
    parent: QWidget, registry: Registry, repo: Repository, case_id: int, folder: Path | None = None
) -> ExportResult | None:
    """Export the case's latest completed assessment as signed PDFs into a chosen folder."""
    if folder is None:
        start = repo.get_setting("export_folder") or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(parent, "Export signed PDFs to", start)
        if not chosen:
            return None
        folder = Path(chosen)
    try:
        result = export_case(repo, registry, case_id, folder, signing_identity(repo))
    except (CaseFileError, NothingFinalError) as exc:
        QMessageBox.warning(parent, "Not ready to export", str(exc))
        return None
    except OSError as exc:
        QMessageBox.critical(
            parent, "Export failed", f"Nothing was overwritten. {exc.strerror or exc}"
        )
        return None
    lines = [f"Wrote {p.name}" for p in result.written]
    lines.append("Wrote signer-certificate.pem (for the receiver)")
    if result.letter_refused:
        lines.append("Disruption letter not produced: " + " ".join(result.letter_refused))
    lines.append(f"Folder: {folder}")
    QMessageBox.information(parent, "Exported", "\n".join(lines))
    return result


class ProfileDialog(QDialog):
    """The practitioner's details (pre-filled into forms), auto-lock and export folder."""

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        install_wheel_guard()
        super().__init__(parent)
        self.repo = repo
        self.setWindowTitle("Profile and settings")
        form = QFormLayout(self)
        profile = repo.get_setting("profile", {}) or {}
        self.fields: dict[str, QLineEdit] = {}
        for key, label in PROFILE_KEYS:
            edit = QLineEdit(str(profile.get(key, "")), self)
            edit.setAccessibleName(label)
            form.addRow(f"{label}:", edit)
            self.fields[key] = edit
        self.minutes = QSpinBox(self)
        self.minutes.setRange(1, 120)
        self.minutes.setValue(int(repo.get_setting("auto_lock_minutes", 10)))
        self.minutes.setAccessibleName("Lock after minutes without activity")
        form.addRow("Lock after (minutes idle):", self.minutes)
        self.folder = QLineEdit(str(repo.get_setting("export_folder") or ""), self)
        self.folder.setAccessibleName("Export folder")
        form.addRow("Export folder:", self.folder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        self.repo.set_setting("profile", {k: e.text().strip() for k, e in self.fields.items()})
        self.repo.set_setting("auto_lock_minutes", self.minutes.value())
        self.repo.set_setting("export_folder", self.folder.text().strip() or None)
        self.accept()
