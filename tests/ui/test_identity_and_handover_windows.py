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


def test_the_case_and_letter_windows_show_how_a_received_approval_came(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    """The sender's case window lists the manager's approvals as recorded from the
    countersigned copy; the receiver's lists them as received with the sender's handover,
    and the letter window's agreement says so."""
    from app.casework import documents
    from app.casework.oversight import handover_case, own_certificate_pem, trust_colleague
    from app.fileio import atomic_write_bytes
    from app.ui.case_view import APPROVALS
    from app.ui.letter import LetterWindow
    from tests.casework.test_oversight import case_with_both_approvals

    practitioner = desk(tmp_path, "p", "Pat Fictional", "Social Worker")
    manager = desk(tmp_path, "m", "Morgan Fictional", "Team Manager")
    other = desk(tmp_path, "o", "Olly Fictional", "Social Worker")
    try:
        case_id, _ = case_with_both_approvals(registry, practitioner, manager, tmp_path)
        sender = CaseView(practitioner.repo, registry, case_id)
        qtbot.addWidget(sender)
        first = sender.items[(APPROVALS, 0)]
        group = first.parent()
        assert group is not None and group.text(0) == "Approvals (2)"
        assert first.text(0) == "Assessment: Morgan Fictional, Team Manager"
        assert first.text(1) == "Recorded here" and "from" not in first.text(2)
        assert "recorded in this vault from the countersigned copy on " in first.toolTip(0)

        for whom, pem in ((other, practitioner), (other, manager)):
            trust_colleague(whom.repo, own_certificate_pem(pem.repo))
        target = tmp_path / "case.handover"
        handover_case(
            practitioner.repo, case_id, own_certificate_pem(other.repo),
            lambda data: atomic_write_bytes(target, data),
        )  # fmt: skip
        received = receive_handover(other.repo, registry, target.read_bytes())
        view = CaseView(other.repo, registry, received)
        qtbot.addWidget(view)
        view.show()
        rows = [view.items[(APPROVALS, n)] for n in (0, 1)]
        assert [r.text(0) for r in rows] == [
            "Assessment: Morgan Fictional, Team Manager",
            "Letter authorisation record: Morgan Fictional, Team Manager",
        ]
        for row in rows:
            assert row.text(1) == "Received"
            assert row.text(2).endswith(", from Pat Fictional")
            assert "received with the handover from Pat Fictional on " in row.toolTip(0)
            assert "recorded in this vault" not in row.toolTip(0)
        view.select((APPROVALS, 1))
        assert view.open_item(view.tree.currentItem()) is None
        said = view.message.text()
        assert said.startswith("Letter authorisation record (authorisation-")
        assert ", recorded in their vault from the countersigned copy on " in said

        [letter] = documents.case_documents(other.repo, received, documents.LETTER)
        window = LetterWindow(other.repo, registry, letter.id, read_only=True)
        qtbot.addWidget(window)
        window.show()
        assert window.agreement is not None
        shown = window.agreement.text()
        assert shown.startswith("By countersignature: Head of Service agreement is a")
        assert "agreed by Morgan Fictional" in shown
        assert ", received with the handover from Pat Fictional on " in shown
    finally:
        for person in (practitioner, manager, other):
            person.vault.close()
