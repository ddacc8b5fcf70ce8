"""Profile: the signing certificate's fingerprint is shown, and an organisation's PKCS#12
can be imported in the app; a certificate that must not sign is refused in words."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.casework import signing_identity
from app.documents.signing import check_identity
from app.storage import Repository
from app.ui.actions import ProfileDialog
from tests.conftest import PASSPHRASE
from tests.documents.test_signing import organisation_identity

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)


def test_profile_shows_the_fingerprint_and_imports_an_organisation_certificate(
    qtbot: QtBot, repo: Repository, tmp_path: Path
) -> None:
    first = ProfileDialog(repo)
    qtbot.addWidget(first)
    assert "None yet" in first.certificate.text()  # nothing made before a name is saved
    assert repo.get_setting("signing_identity") is None
    first.fields["name"].setText("Fictional Pat Example")
    first.save()  # the certificate is made on Save, from the saved name
    own = check_identity(signing_identity(repo))
    assert own.signer == "Fictional Pat Example"
    renamed = ProfileDialog(repo)
    qtbot.addWidget(renamed)
    renamed.fields["name"].setText("Fictional Pat Renamed")
    renamed.save()  # a new name: a new certificate in it
    own = check_identity(signing_identity(repo))
    assert own.signer == "Fictional Pat Renamed"
    dialog = ProfileDialog(repo)
    qtbot.addWidget(dialog)
    assert own.fingerprint in dialog.certificate.text()
    assert "self-signed" in dialog.certificate.text()

    refused = organisation_identity(non_repudiation=False)
    bad = tmp_path / "no-nonrepudiation.p12"
    bad.write_bytes(refused.pkcs12)
    assert not dialog.import_certificate(bad, refused.password.decode())
    assert not dialog.certificate_problem.isHidden()
    assert "non-repudiation" in dialog.certificate_problem.text()
    assert check_identity(signing_identity(repo)).fingerprint == own.fingerprint  # unchanged

    good = organisation_identity()
    p12 = tmp_path / "council.p12"
    p12.write_bytes(good.pkcs12)
    assert not dialog.import_certificate(p12, "not the password")
    assert "password" in dialog.certificate_problem.text().lower()
    assert dialog.import_certificate(p12, good.password.decode())
    assert dialog.certificate_problem.isHidden()
    info = check_identity(good)
    assert info.fingerprint in dialog.certificate.text()
    assert "Test Council Signing CA" in dialog.certificate.text()
    assert signing_identity(repo).pkcs12 == good.pkcs12  # every export now signs with it
