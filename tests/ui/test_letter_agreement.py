"""The letter window with a Head of Service agreement given by countersignature: the
practitioner exports the authorisation record from the window, the manager countersigns it
in the Signatures window of her own vault, the practitioner records it there; the letter
window then shows the agreement beside the tick, and stops counting it when the facts
change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from app.casework import documents
from app.forms import Registry
from app.ui.letter import LetterWindow
from app.ui.verify import VerifyDialog
from tests.casework.test_oversight import Desk, desk
from tests.casework.test_oversight_letter import letter_waiting_for_agreement, trust


@pytest.fixture()
def pair(tmp_path: Path) -> Iterator[tuple[Desk, Desk]]:
    people = (
        desk(tmp_path, "practitioner", "Pat Fictional", "Social Worker"),
        desk(tmp_path, "manager", "Morgan Fictional", "Deputy Head of Service"),
    )
    yield people
    for person in people:
        person.vault.close()


def test_the_window_exports_for_agreement_and_shows_the_countersignature(
    qtbot: QtBot, registry: Registry, pair: tuple[Desk, Desk], tmp_path: Path
) -> None:
    practitioner, manager = pair
    _, letter_id = letter_waiting_for_agreement(registry, practitioner)
    window = LetterWindow(practitioner.repo, registry, letter_id)
    qtbot.addWidget(window)
    window.show()
    assert not window.eligible
    assert window.agreement is not None
    assert "Or a manager agrees by countersigning" in window.agreement.text()

    # exported from the window: a signed, encrypted record and its password shown once
    assert window.for_agreement.export_to(tmp_path / "agree")
    [record] = list((tmp_path / "agree").glob("authorisation-*.pdf"))
    password = window.for_agreement.password.text()
    assert password and str(record) in window.for_agreement.status.text()
    window.close()

    # the manager countersigns it in her Signatures window; the practitioner records it
    signing = VerifyDialog(manager.repo)
    qtbot.addWidget(signing)
    signing.load(record, password)
    countersigned = tmp_path / "countersigned.pdf"
    assert signing.countersign_to(countersigned), signing.status.text()
    approver = signing.table.item(1, 0)
    assert approver is not None and approver.text().endswith(", Deputy Head of Service")
    trust(practitioner, manager)
    recording = VerifyDialog(practitioner.repo)
    qtbot.addWidget(recording)
    recording.load(countersigned, password)
    assert recording.record_approval(), recording.status.text()
    assert "Head of Service agreement" in recording.status.text()

    window = LetterWindow(practitioner.repo, registry, letter_id)
    qtbot.addWidget(window)
    window.show()
    assert window.agreement is not None
    shown = window.agreement.text()
    assert shown.startswith(
        "By countersignature: Head of Service agreement is a countersigned authorisation "
        "record: agreed by Morgan Fictional"
    )
    assert "Deputy Head of Service, countersigned" in shown
    # the reason wraps inside the checklist: nothing pushed out of sight to the right
    window.resize(1300, 800)
    qtbot.wait(50)
    scroll = window.findChild(QScrollArea)
    assert scroll is not None
    inside = scroll.widget()
    assert inside is not None and inside.width() <= scroll.viewport().width()
    items = [window.reasons.item(i).text() for i in range(window.reasons.count())]
    assert any(i.startswith("✓ Met: Head of Service agreement is a countersigned") for i in items)
    assert window.eligible and window.letter_box.isEnabled()
    tick = window.checks["head_of_service_agreement"]
    assert tick.isEnabled() and tick.value() is False  # the tick stays possible, unticked

    # the recipient typed differently: that is not what the manager agreed to
    window.fields["perpetrator_name"].set_value("Fictional Person Two")
    window.refresh()
    assert not window.eligible
    assert "does not count: it approved the authorisation record exported on" in (
        window.agreement.text()
    )
    window.close()
    assert documents.get_document(practitioner.repo, letter_id).data["perpetrator_name"] == (
        "Fictional Person Two"
    )
