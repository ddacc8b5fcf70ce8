"""Actions the main window offers that are not about one form: export and the profile.

Logic lives in app.documents and app.storage; this module only asks and shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

from app.documents.export import ExportResult, export_case
from app.documents.signing import Identity, generate_identity
from app.forms import Registry
from app.rules import CaseFileError
from app.storage import Repository, audit

PROFILE_KEYS = (
    ("name", "Name"),
    ("post", "Post / role"),
    ("agency", "Agency"),
    ("address", "Agency address (letterhead)"),
    ("email", "Email"),
    ("phone", "Telephone"),
)


def signing_identity(repo: Repository) -> Identity:
    """The practitioner's personal certificate, made once and kept inside the vault."""
    stored = repo.get_setting("signing_identity")
    if stored:
        return Identity(bytes.fromhex(stored["p12"]), stored["password"].encode())
    profile = repo.get_setting("profile", {}) or {}
    identity = generate_identity(profile.get("name") or "Practitioner", profile.get("agency") or "")
    repo.store_certificate("personal", identity.pkcs12)
    repo.set_setting(
        "signing_identity", {"p12": identity.pkcs12.hex(), "password": identity.password.decode()}
    )
    return identity


def export_latest(
    parent: QWidget, registry: Registry, repo: Repository, case_id: int, folder: Path | None = None
) -> ExportResult | None:
    """Export the case's newest assessment as signed PDFs into a chosen folder."""
    if folder is None:
        start = repo.get_setting("export_folder") or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(parent, "Export signed PDFs to", start)
        if not chosen:
            return None
        folder = Path(chosen)
    from app.ui.plans import load_plans

    answers: dict[str, Any] = dict(repo.assessments(case_id)[-1].answers)
    plans = load_plans(repo, case_id)  # the case's plans travel with the export
    if plans.get("disruption_plan"):
        answers["disruption_plan"] = plans["disruption_plan"]
    if plans.get("support_plan", {}).get("rows"):
        answers["support_plan"] = plans["support_plan"]
    profile = repo.get_setting("profile", {}) or {}
    answers["practitioner"] = {**profile, **(answers.get("practitioner") or {})}
    answers["practitioner"] = {
        k: v for k, v in answers["practitioner"].items() if k in dict(PROFILE_KEYS)
    }
    try:
        result = export_case(answers, registry, folder, signing_identity(repo))
    except CaseFileError as exc:
        QMessageBox.warning(parent, "Not ready to export", f"Complete this first: {exc}")
        return None
    except OSError as exc:
        QMessageBox.critical(
            parent, "Export failed", f"Nothing was overwritten. {exc.strerror or exc}"
        )
        return None
    with repo.vault.session() as s:
        audit.append(
            s,
            "exported",
            "case",
            case_id,
            {"what": [p.name for p in result.written], "where": str(folder)},
        )
    cert = folder / "signer-certificate.pem"
    cert.write_bytes(signing_identity(repo).certificate_pem())
    lines = [f"Wrote {p.name}" for p in result.written] + [f"Wrote {cert.name} (for the receiver)"]
    if result.letter_refused:
        lines.append("Disruption letter not produced: " + " ".join(result.letter_refused))
    QMessageBox.information(parent, "Exported", "\n".join(lines))
    return result


class ProfileDialog(QDialog):
    """The practitioner's details (pre-filled into forms), auto-lock and export folder."""

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
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
