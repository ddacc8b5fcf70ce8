"""File → Signatures: the manager opens a practitioner's signed PDF, sees who signed and
whether it is intact, countersigns it; the practitioner records the approval."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.verify import VerifyDialog
from tests.casework.test_oversight import PASS, Desk, desk, exported_assessment


def cell(window: VerifyDialog, row: int, column: int) -> str:
    item = window.table.item(row, column)
    assert item is not None
    return item.text()


def _close(*people: Desk) -> None:
    for person in people:
        person.vault.close()


def test_the_window_lists_signatures_countersigns_and_records_the_approval(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    practitioner = desk(tmp_path, "p", "Pat Fictional", "Social Worker")
    manager = desk(tmp_path, "m", "Morgan Fictional", "Team Manager")
    try:
        case_id, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
        window = VerifyDialog(manager.repo)
        qtbot.addWidget(window)
        window.load(pdf)
        assert window.table.rowCount() == 1
        assert cell(window, 0, 0).startswith("Pat Fictional")
        assert cell(window, 0, 2) == "intact and valid"
        assert window.countersign_button.isEnabled()
        assert not window.approval_button.isEnabled()
        assert not window.countersign_to(pdf)  # never onto the original
        target = tmp_path / "countersigned.pdf"
        assert window.countersign_to(target)
        assert window.table.rowCount() == 2
        assert cell(window, 1, 0).startswith("Morgan Fictional")
        assert "Countersigned" in window.status.text()

        mine = VerifyDialog(practitioner.repo)
        qtbot.addWidget(mine)
        mine.load(target)
        assert cell(mine, 0, 3) == "trusted"  # my own signature
        assert mine.approval_button.isEnabled()
        # an approval by a certificate this vault does not keep is refused, in words
        assert not mine.record_approval()
        assert "add their certificate first" in mine.status.text()
        from app.casework.oversight import own_certificate_pem, trust_colleague

        trust_colleague(practitioner.repo, own_certificate_pem(manager.repo))
        assert mine.record_approval()
        assert "Morgan Fictional" in mine.status.text()
        from app.casework.oversight import approvals

        assert approvals(practitioner.repo, case_id)

        broken = tmp_path / "broken.pdf"
        data = bytearray(target.read_bytes())
        data[200] ^= 1
        broken.write_bytes(bytes(data))
        window.load(broken)
        assert "BROKEN" in window.status.text()
        assert not window.countersign_button.isEnabled()
    finally:
        _close(practitioner, manager)
    reopened = Vault.open(tmp_path / "p.cre", PASS)  # nothing left half-written
    try:
        assert Repository(reopened).count_cases() == 1
    finally:
        reopened.close()
