"""Show one referral window on a fictional demo vault, for screenshots under Xvfb.

    python tools/referral_shots.py report|letter-refused|letter|case|export|exported TOOLKIT

`bash tools/referral_shots.sh OUTDIR` takes them all for two toolkits at 1366x768.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.casework import documents, letters
from app.demo import DEMO_PASSPHRASE, demo_cases
from app.forms import load_registry
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases


def main(argv: list[str]) -> int:
    app = QApplication(sys.argv)
    what, toolkit = argv[0], argv[1]
    registry = load_registry()
    folder = Path(tempfile.mkdtemp(prefix="cre-shot-"))
    vault = Vault.create(folder / "demo.cre", DEMO_PASSPHRASE)
    repo = Repository(vault)
    bundle = {"format": "cre-case-export", "version": 1}
    import_cases(repo, registry, {**bundle, "cases": demo_cases(registry, dt.date.today())})
    repo.set_setting(
        "profile",
        {
            "name": "Test Practitioner", "post": "Social Worker", "agency": "Fictional Council",
            "address": "1 Fictional Street, Fictional Town", "phone": "01000 000000",
        },
    )  # fmt: skip
    case = next(c for c in repo.list_cases() if c.toolkit == toolkit and c.status != "draft")
    tk = registry.get(toolkit)
    form_id = documents.forms(tk)[0]["id"]
    report = documents.new_report(repo, registry, case.id, form_id)
    letter = documents.new_letter(repo, case.id)
    ok = {
        "la_parental_responsibility": False, "care_order": False, "parent_consent": True,
        "child_consent": True, "legal_advice": True, "head_of_service_agreement": True,
        "perpetrator_name": "Fictional Person One",
        "perpetrator_address": "1 Fictional Road\nFictional Town",
        "police_reference": "FICT/0001",
    }  # fmt: skip
    for f in letters.extra_fields(tk):
        ok[f.id] = f.options[0][0] if f.options else "101"
    if tk.data["disruption_letter"].get("local_authorities"):
        ok["local_authority"] = tk.data["disruption_letter"]["local_authorities"][0]["id"]
    window: QWidget
    if what == "report":
        from app.ui.reports import ReportWindow

        window = ReportWindow(repo, registry, report.id)
    elif what.startswith("letter"):
        from app.ui.letter import LetterWindow

        data = {**letter.data, **ok}
        if what == "letter-refused":
            data["care_order"] = True
        documents.save_draft(repo, letter.id, data)
        window = LetterWindow(repo, registry, letter.id)
    else:
        answers = dict(report.data["answers"])
        for f in documents.form_fields(documents.form(tk, form_id)):
            if f.required and f.id not in answers:
                answers[f.id] = "Fictional detail" if f.type != "datetime" else "2026-06-01T10:00"
        documents.complete_document(
            repo, registry, report.id, {"form": form_id, "answers": answers}
        )
        documents.complete_document(repo, registry, letter.id, {**letter.data, **ok})
        if what == "case":
            from app.ui.case_view import CaseView

            window = CaseView(repo, registry, case.id)
        else:
            from app.ui.export_dialog import ExportDialog

            dialog = ExportDialog(repo, registry, case.id)
            dialog.folder.setText(str(folder / "exported"))
            if what == "exported":
                dialog.passphrase.setText(DEMO_PASSPHRASE)
                dialog.export()
            window = dialog
    window.resize(1340, 720)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
