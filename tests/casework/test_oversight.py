"""A manager countersigns, a case is handed over: three real vaults, real signed PDFs read
back with pyHanko, real handover files; every refusal writes nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.cli import main as cli_main
from app.forms import Registry
from app.storage import Repository, Vault
from tests.casework.support import complete_case
from tests.helpers.vaults import new_vault

PASS = "fictional oversight passphrase 2027"


@dataclass
class Desk:
    """One person's vault, open."""

    path: Path
    vault: Vault
    repo: Repository


def desk(tmp_path: Path, who: str, name: str, post: str) -> Desk:
    from app.casework.oversight import set_profile

    path = tmp_path / f"{who}.cre"
    vault = new_vault(path, PASS)  # each person's own identity is made in it, at random
    repo = Repository(vault)
    set_profile(repo, name=name, post=post, agency="Fictional Council Children's Services")
    return Desk(path, vault, repo)


@pytest.fixture()
def team(tmp_path: Path) -> Iterator[tuple[Desk, Desk, Desk]]:
    people = (
        desk(tmp_path, "practitioner", "Pat Fictional", "Social Worker"),
        desk(tmp_path, "manager", "Morgan Fictional", "Team Manager"),
        desk(tmp_path, "other", "Olly Fictional", "Social Worker"),
    )
    yield people
    for person in people:
        person.vault.close()


def vcli(capsys: pytest.CaptureFixture[str], person: Desk, *args: str) -> tuple[int, str, str]:
    """A command on this person's vault: the test's own connection steps aside meanwhile
    (one program at a time), then the vault is opened again to look at what it holds."""
    person.vault.close()
    try:
        return cli(capsys, *args, "--vault", str(person.path))
    finally:
        person.vault = Vault.open(person.path, PASS)
        person.repo = Repository(person.vault)


def exported_assessment(registry: Registry, person: Desk, out: Path) -> tuple[int, Path]:
    """A completed case exported through the vault route (signed, audited)."""
    from app.casework import import_cases, package
    from app.casework.identity import signing_identity

    data = complete_case(registry, "derby-cre-2020")
    data["child"]["name"] = "Zebedee Fictional-Child"
    (case_id,) = import_cases(person.repo, registry, data)
    offers = [o for o in package.offers(person.repo, registry, case_id) if o.ready]
    offers = [o for o in offers if o.kind == package.ASSESSMENT] or offers[:1]
    result = package.export_package(
        person.repo, registry, case_id, out, signing_identity(person.repo), offers
    )
    pdf = next(d.path for d in result.documents if d.path.name.startswith("assessment"))
    return case_id, pdf


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    os.environ["CRE_VAULT_PASSPHRASE"] = PASS
    try:
        code = cli_main(list(args))
    finally:
        os.environ.pop("CRE_VAULT_PASSPHRASE", None)
    out, err = capsys.readouterr()
    return code, out, err


def test_practitioner_signs_manager_countersigns_and_verify_names_both_in_order(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from app.casework.oversight import countersign_document, verify_document

    practitioner, manager, _ = team
    case_id, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
    signed = countersign_document(manager.repo, pdf.read_bytes())
    reports = verify_document(signed)
    assert [r.signer.split(" (")[0] for r in reports] == ["Pat Fictional", "Morgan Fictional"]
    assert all(r.intact and r.valid for r in reports)
    assert reports[0].modification == "later signatures or form filling only"
    assert reports[1].modification == "none"
    assert not any(r.trusted for r in reports) and all(r.self_signed for r in reports)

    # pyHanko's own validator agrees, for each signature, against each signer's certificate
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    for embedded in PdfFileReader(io.BytesIO(signed)).embedded_signatures:
        status = validate_pdf_signature(
            embedded, ValidationContext(trust_roots=[embedded.signer_cert])
        )
        assert status.intact and status.valid and status.trusted and status.docmdp_ok

    # the command line says the same, in order, and as JSON
    out_pdf = tmp_path / "countersigned.pdf"
    out_pdf.write_bytes(signed)
    code, out, _ = cli(capsys, "verify", str(out_pdf), "--json")
    assert code == 0
    names = [s["signer"].split(" (")[0] for s in json.loads(out)["signatures"]]
    assert names == ["Pat Fictional", "Morgan Fictional"]
    assert set(json.loads(out)["signatures"][0]) == {
        "signer", "time", "intact", "valid", "trusted", "self_signed", "fingerprint",
        "modification",
    }  # fmt: skip

    # the approval comes back to the practitioner's vault and is recorded on the case, once
    # the practitioner keeps the manager's certificate (anyone can make one in her name)
    from app.casework.oversight import approvals

    code, _, err = vcli(capsys, practitioner, "vault", "import-approval", str(out_pdf))
    assert code == 2 and "add their certificate first" in err and err.count("\n") == 1
    assert approvals(practitioner.repo, case_id) == []
    manager_cert = _certificate(manager, tmp_path, capsys)
    assert vcli(capsys, practitioner, "identity", "--trust", str(manager_cert))[0] == 0
    code, out, err = vcli(
        capsys,
        practitioner,
        "vault",
        "import-approval",
        str(out_pdf),
    )
    assert code == 0, err
    recorded = approvals(practitioner.repo, case_id)
    assert recorded and recorded[0]["approvals"][0]["signer"].startswith("Morgan Fictional")


def test_a_byte_changed_after_either_signature_is_reported(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from app.casework.oversight import countersign_document, verify_document

    practitioner, manager, _ = team
    _, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
    original = pdf.read_bytes()
    signed = countersign_document(manager.repo, original)
    # inside what each signature covers: the first revision's body, the second's new objects
    # (a flip inside a signature's own /Contents padding is, rightly, covered by neither)
    for where in (200, len(original) + 20):
        damaged = bytearray(signed)
        damaged[where] ^= 0x01
        path = tmp_path / f"damaged-{where}.pdf"
        path.write_bytes(bytes(damaged))
        code, out, err = cli(capsys, "verify", str(path))
        assert code != 0, out
        assert "Traceback" not in out + err
        try:
            reports = verify_document(bytes(damaged))
        except ValueError:
            continue  # so damaged that it is not read as a PDF: refused in words above
        assert any(r.broken for r in reports)


def test_a_document_changed_between_the_two_signatures_is_refused(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    practitioner, manager, _ = team
    _, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 400 Td (Level: Low) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    changed = io.BytesIO()
    writer.write(changed)
    path = tmp_path / "changed.pdf"
    path.write_bytes(changed.getvalue())
    out = tmp_path / "approved.pdf"
    code, _, err = vcli(capsys, manager, "countersign", str(path), "--out", str(out))
    assert code == 2 and "not countersigned" in err and "changed" in err
    assert not out.exists()
    code, text, _ = cli(capsys, "verify", str(path))
    assert code == 1 and "BROKEN" in text


def test_countersign_refuses_to_write_onto_its_input_or_the_vault(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    practitioner, manager, _ = team
    _, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
    before = pdf.read_bytes()
    manager.vault.close()  # at rest: every byte of the file can be compared
    vault_before = manager.path.read_bytes()
    try:
        for target in (pdf, manager.path, Path(f"{manager.path}-wal")):
            code, _, err = cli(
                capsys, "countersign", str(pdf), "--vault", str(manager.path), "--out", str(target)
            )
            assert code == 2 and "--out" in err
        assert pdf.read_bytes() == before
        assert manager.path.read_bytes() == vault_before
    finally:
        manager.vault = Vault.open(manager.path, PASS)


def _certificate(person: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / f"{person.path.stem}.pem"
    code, _, err = vcli(capsys, person, "identity", "--export-cert", str(out))
    assert code == 0, err
    return out


def test_a_case_handed_to_the_manager_is_received_by_the_manager_only(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    practitioner, manager, other = team
    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    manager_cert = _certificate(manager, tmp_path, capsys)
    practitioner_cert = _certificate(practitioner, tmp_path, capsys)
    handover = tmp_path / "case.handover"
    code, _, err = vcli(
        capsys, practitioner, "vault", "handover", "--case", str(case_id),
        "--to", str(manager_cert), "--out", str(handover),
    )  # fmt: skip
    assert code == 0, err
    raw = handover.read_bytes()
    assert b"Zebedee" not in raw and "Zebedee".encode("utf-16-le") not in raw

    # unknown sender: the manager has not trusted the practitioner yet
    code, _, err = vcli(capsys, manager, "vault", "receive", str(handover))
    assert code == 2 and "not among your colleagues" in err
    assert manager.repo.count_cases() == 0

    # wrong recipient: the other colleague trusts the sender but cannot open it
    assert vcli(capsys, other, "identity", "--trust", str(practitioner_cert))[0] == 0
    code, _, err = vcli(capsys, other, "vault", "receive", str(handover))
    assert code == 2 and "someone else's certificate" in err
    assert other.repo.count_cases() == 0

    # damaged: one byte of the sealed case changed
    body = json.loads(raw)
    payload = bytearray(__import__("base64").b64decode(body["payload"]))
    payload[len(payload) // 2] ^= 0x01
    body["payload"] = __import__("base64").b64encode(bytes(payload)).decode()
    damaged = tmp_path / "damaged.handover"
    damaged.write_text(json.dumps(body), "utf-8")
    assert vcli(capsys, manager, "identity", "--trust", str(practitioner_cert))[0] == 0
    code, _, err = vcli(capsys, manager, "vault", "receive", str(damaged))
    assert code == 2 and "signature does not match" in err
    assert manager.repo.count_cases() == 0

    # the real one: received, recorded in both vaults
    code, _, err = vcli(capsys, manager, "vault", "receive", str(handover))
    assert code == 0, err
    (received,) = [c.id for c in manager.repo.list_cases()]
    assert manager.repo.get_case(received).child_name == "Zebedee Fictional-Child"
    kinds = {k for _i, k, _d in manager.repo.documents(received)}
    assert "handover" in kinds
    sent = [d for _i, _k, d in practitioner.repo.documents(case_id, "handover")]
    assert sent and sent[0]["direction"] == "sent" and sent[0]["to"] == "Morgan Fictional"

    # a replay is refused
    code, _, err = vcli(capsys, manager, "vault", "receive", str(handover))
    assert code == 2 and "received before" in err
    assert manager.repo.count_cases() == 1

    # and the handed-over case is read-only for its sender
    from app.casework import start_review
    from app.casework.assessments import HandedOverError

    with pytest.raises(HandedOverError):
        start_review(practitioner.repo, registry, case_id)


def test_not_a_handover_and_not_a_pdf_are_one_line_refusals(
    team: tuple[Desk, Desk, Desk], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, manager, _ = team
    junk = tmp_path / "junk.handover"
    junk.write_text('{"format": "cre-handover", "id": 1}', "utf-8")
    code, _, err = vcli(capsys, manager, "vault", "receive", str(junk))
    assert code == 2 and "not a handover file" in err and err.count("\n") == 1
    notpdf = tmp_path / "x.pdf"
    notpdf.write_bytes(b"%PDF-1.7 but not really")
    code, _, err = cli(capsys, "verify", str(notpdf))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.pdf"
        os.mkfifo(fifo)
        code, _, err = cli(capsys, "verify", str(fifo))
        assert code == 2 and "regular file" in err


def test_a_new_name_makes_a_new_personal_certificate(team: tuple[Desk, Desk, Desk]) -> None:
    from app.casework.oversight import _cert, _name, own_certificate_pem, set_profile

    practitioner, _, _ = team
    assert _name(_cert(own_certificate_pem(practitioner.repo))) == "Pat Fictional"
    set_profile(practitioner.repo, name="Pat Fictional-Renamed")
    assert _name(_cert(own_certificate_pem(practitioner.repo))) == "Pat Fictional-Renamed"


def test_a_manager_countersigns_the_letters_authorisation_record(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path
) -> None:
    """The record is an ordinary signed PDF of the social-care package: a manager
    countersigns it as they do the assessment, and both signatures read back in order."""
    from app.casework import import_cases, package
    from app.casework.identity import signing_identity
    from app.casework.oversight import countersign_document, verify_document
    from tests.documents.test_documents import full_case

    practitioner, manager, _ = team
    data = full_case(registry, "derby-cre-2020")
    data["letter"]["head_of_service_name"] = "Fictional Head Of Service"
    (case_id,) = import_cases(practitioner.repo, registry, data)
    offers = [o for o in package.offers(practitioner.repo, registry, case_id) if o.ready]
    result = package.export_package(
        practitioner.repo, registry, case_id, tmp_path / "out",
        signing_identity(practitioner.repo), offers,
    )  # fmt: skip
    [record] = [d.path for d in result.documents if d.kind == "authorisation"]
    signed = countersign_document(manager.repo, record.read_bytes())
    reports = verify_document(signed)
    assert [r.signer.split(" (")[0] for r in reports] == ["Pat Fictional", "Morgan Fictional"]
    assert all(r.intact and r.valid for r in reports)


# --- adversarial: a careless author, a wrong recipient, a hostile file -----------------


def test_a_vault_cannot_countersign_its_own_signature(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Two signatures by the same signer are no approval: refused when countersigning, and a
    self-made second signature is not recorded as an approval when it comes back."""
    from app.casework.identity import signing_identity
    from app.casework.oversight import OversightError, countersign_document, import_approval
    from app.documents.approvals import countersign

    practitioner, _, _ = team
    case_id, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
    with pytest.raises(OversightError, match="already signed"):
        countersign_document(practitioner.repo, pdf.read_bytes())
    out = tmp_path / "self-approved.pdf"
    code, _, err = vcli(capsys, practitioner, "countersign", str(pdf), "--out", str(out))
    assert code == 2 and "already signed" in err and err.count("\n") == 1
    assert not out.exists()
    # made anyway with the lower-level function: the vault does not record it as approval
    self_signed = countersign(
        pdf.read_bytes(), signing_identity(practitioner.repo), signer_name="Pat Fictional"
    )
    with pytest.raises(OversightError, match="someone else"):
        import_approval(practitioner.repo, self_signed)
    from app.casework.oversight import approvals

    assert approvals(practitioner.repo, case_id) == []


def test_countersign_refuses_to_write_through_a_link(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    practitioner, manager, _ = team
    _, pdf = exported_assessment(registry, practitioner, tmp_path / "out")
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("someone else's file", "utf-8")
    link = tmp_path / "approved.pdf"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.pdf"
    dangling.symlink_to(tmp_path / "nowhere" / "x.pdf")
    for target in (link, dangling):
        code, _, err = vcli(capsys, manager, "countersign", str(pdf), "--out", str(target))
        assert code == 2 and "--out" in err and "link" in err
        assert target.is_symlink()
    assert victim.read_text("utf-8") == "someone else's file"


def _expired_certificate(tmp_path: Path) -> Path:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Eve Fictional-Expired")])
    then = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(then)
        .not_valid_after(then + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "expired.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_a_case_is_not_handed_to_an_expired_certificate(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from app.casework.assessments import handed_over

    practitioner, _, _ = team
    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    out = tmp_path / "case.handover"
    code, _, err = vcli(
        capsys, practitioner, "vault", "handover", "--case", str(case_id),
        "--to", str(_expired_certificate(tmp_path)), "--out", str(out),
    )  # fmt: skip
    assert code == 2 and "expired" in err and err.count("\n") == 1
    assert not out.exists()
    assert not handed_over(practitioner.repo, case_id)


@pytest.mark.parametrize(
    "payload",
    [
        {"case": {"child": 5}},
        {"case": []},
        {"case": {"format": "cre-case", "version": 99}},
        {"case": {"child": {"name": "x" * 100_000}, "answers": [1] * 10}},
        ["not", "a", "record"],
        {"case": {"child": {"name": "A"}, "toolkit": "../../etc/passwd"}},
    ],
)
def test_a_signed_handover_with_hostile_content_is_a_one_line_refusal(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, payload: Any,
) -> None:  # fmt: skip
    """A trusted colleague's vault (or their stolen key) sealing a hostile case: refused in
    one line, nothing imported, and the handover is not marked received."""
    import app.casework.oversight as oversight

    practitioner, manager, _ = team
    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    manager_cert = _certificate(manager, tmp_path, capsys)
    assert vcli(capsys, manager, "identity", "--trust",
                str(_certificate(practitioner, tmp_path, capsys)))[0] == 0  # fmt: skip
    monkeypatch.setattr(oversight, "_payload", lambda repo, case: payload)
    handover = tmp_path / "hostile.handover"
    code, _, err = vcli(
        capsys, practitioner, "vault", "handover", "--case", str(case_id),
        "--to", str(manager_cert), "--out", str(handover),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = vcli(capsys, manager, "vault", "receive", str(handover))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in out + err, err
    assert manager.repo.count_cases() == 0
    assert not manager.repo.get_setting(oversight.RECEIVED, [])


def _pdf_bomb(path: Path) -> Path:
    """A small PDF whose AcroForm sits in an object stream that inflates to 300 MB."""
    import struct
    import zlib

    bomb = zlib.compress(b"4 0 <</Fields[]>>" + b" " * (300 * 1024 * 1024), 9)
    parts = [b"%PDF-1.7\n"]
    offsets = {}

    def obj(number: int, text: bytes) -> None:
        offsets[number] = sum(map(len, parts))
        parts.append(text)

    obj(1, b"1 0 obj<</Type/Catalog/Pages 2 0 R/AcroForm 4 0 R>>endobj\n")
    obj(2, b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n")
    obj(3, b"3 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n"
        % len(bomb) + bomb + b"\nendstream endobj\n")  # fmt: skip
    xref_at = sum(map(len, parts))
    rows = b"".join(
        struct.pack(">BIH", *row)
        for row in ((0, 0, 65535), (1, offsets[1], 0), (1, offsets[2], 0), (1, offsets[3], 0),
                    (2, 3, 0), (1, xref_at, 0))
    )  # fmt: skip
    parts.append(b"5 0 obj<</Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Length %d>>stream\n"
                 % len(rows) + rows + b"\nendstream endobj\n")  # fmt: skip
    parts.append(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    path.write_bytes(b"".join(parts))
    return path


def test_a_pdf_bomb_is_a_one_line_refusal(
    team: tuple[Desk, Desk, Desk], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, manager, _ = team
    bomb = _pdf_bomb(tmp_path / "bomb.pdf")
    code, _, err = cli(capsys, "verify", str(bomb))
    assert code == 2 and err.count("\n") == 1 and "more data than a document" in err, err
    out_pdf = tmp_path / "approved.pdf"
    code, _, err = vcli(capsys, manager, "countersign", str(bomb), "--out", str(out_pdf))
    assert code == 2 and err.count("\n") == 1 and "more data than a document" in err, err
    assert not out_pdf.exists()
