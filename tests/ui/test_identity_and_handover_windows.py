"""Profile and settings exports this practitioner's certificate and trusts a colleague's;
the case window hands a case to a trusted colleague, who alone can receive it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.casework.oversight import colleagues, receive_handover
from app.forms import Registry
from app.ui.actions import ProfileDialog
from app.ui.case_view import CaseView
from tests.casework.test_oversight import desk, exported_assessment


def test_certificates_are_exchanged_and_a_case_handed_over_from_the_windows(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    practitioner = desk(tmp_path, "p", "Pat Fictional", "Social Worker")
    manager = desk(tmp_path, "m", "Morgan Fictional", "Team Manager")
    try:
        case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
        mine = ProfileDialog(practitioner.repo, None, registry)
        theirs = ProfileDialog(manager.repo, None, registry)
        for dialog in (mine, theirs):
            qtbot.addWidget(dialog)
        assert "None yet" in mine.colleagues.text()
        assert mine.export_certificate(tmp_path / "pat.pem")
        assert theirs.export_certificate(tmp_path / "morgan.pem")
        assert mine.trust_certificate(tmp_path / "morgan.pem")
        assert "Morgan Fictional" in mine.colleagues.text()
        assert theirs.trust_certificate(tmp_path / "pat.pem")
        junk = tmp_path / "junk.pem"
        junk.write_text("not a certificate", "utf-8")
        assert not mine.trust_certificate(junk)
        assert "Not trusted" in mine.certificate_problem.text()

        view = CaseView(practitioner.repo, registry, case_id)
        qtbot.addWidget(view)
        target = tmp_path / "case.handover"
        morgan = colleagues(practitioner.repo)[0]
        assert view.hand_over_to(morgan.fingerprint, target)
        assert "Handed over to Morgan Fictional" in view.message.text()
        assert not view.hand_over_to(morgan.fingerprint, tmp_path / "again.handover")
        assert "already been handed over" in view.message.text()
        received = receive_handover(manager.repo, registry, target.read_bytes())
        assert manager.repo.get_case(received).child_name == "Zebedee Fictional-Child"
    finally:
        practitioner.vault.close()
        manager.vault.close()
