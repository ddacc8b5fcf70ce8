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
        {"case": {"format": "cre-case-export", "version": 1, "cases": []}},  # no case at all
    ],
)
def test_a_signed_handover_with_hostile_content_is_a_one_line_refusal(
    team: tuple[Desk, Desk, Desk], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    payload: Any,
) -> None:  # fmt: skip
    """A trusted colleague's key (stolen, or their app changed) sealing a hostile case:
    refused in one line, nothing imported, and the handover is not marked received."""
    import app.casework.oversight as oversight

    practitioner, manager, _ = team
    oversight.trust_colleague(manager.repo, oversight.own_certificate_pem(practitioner.repo))
    if isinstance(payload, dict):  # a well-formed version 2 envelope around a hostile case
        payload = {**payload, "approvals": [], "authorisations": []}
    handover = tmp_path / "hostile.handover"
    handover.write_bytes(forged_handover(practitioner, manager, payload))
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


# --- a handed-over case keeps its approvals, and says how they came ----------------------


def case_with_both_approvals(
    registry: Registry, practitioner: Desk, manager: Desk, tmp_path: Path
) -> tuple[int, int]:
    """A case whose assessment the manager countersigned and whose letter she agreed by
    countersigning its authorisation record, both recorded in the practitioner's vault and
    the letter completed on that agreement alone (no tick)."""
    from app.casework import documents, package
    from app.casework.identity import signing_identity
    from app.casework.oversight import countersign_document, import_approval
    from tests.casework.test_oversight_letter import (
        for_agreement,
        letter_waiting_for_agreement,
        trust,
    )

    case_id, letter_id = letter_waiting_for_agreement(registry, practitioner)
    offers = [
        o for o in package.offers(practitioner.repo, registry, case_id)
        if o.kind == package.ASSESSMENT
    ]  # fmt: skip
    result = package.export_package(
        practitioner.repo, registry, case_id, tmp_path / "assessment",
        signing_identity(practitioner.repo), offers,
    )  # fmt: skip
    [assessment] = [d.path for d in result.documents if d.kind == "assessment"]
    trust(practitioner, manager)
    import_approval(practitioner.repo, countersign_document(manager.repo, assessment.read_bytes()))
    record = for_agreement(registry, practitioner, letter_id, tmp_path / "agree")
    import_approval(practitioner.repo, countersign_document(manager.repo, record))
    documents.complete_document(practitioner.repo, registry, letter_id)
    return case_id, letter_id


def hand_over(
    capsys: pytest.CaptureFixture[str], sender: Desk, receiver: Desk, case_id: int, path: Path
) -> tuple[int, str, str]:
    """The sender hands the case to the receiver, who trusts the sender; then the receiver
    runs `vault receive` on it."""
    from app.casework.oversight import own_certificate_pem, trust_colleague

    receiver_cert = path.with_suffix(".receiver.pem")
    receiver_cert.write_bytes(own_certificate_pem(receiver.repo))
    trust_colleague(receiver.repo, own_certificate_pem(sender.repo))
    code, _, err = vcli(
        capsys, sender, "vault", "handover", "--case", str(case_id),
        "--to", str(receiver_cert), "--out", str(path),
    )  # fmt: skip
    assert code == 0, err
    return vcli(capsys, receiver, "vault", "receive", str(path))


def test_a_handed_over_case_keeps_its_approvals_and_says_how_they_came(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Pat hands Olly a case whose assessment and letter Morgan approved. Olly's vault keeps
    both approvals as received with Pat's handover (who recorded them, where, when), the
    letter's agreement counts there while Olly trusts Morgan, and nothing says Olly's vault
    checked them itself."""
    from app.casework import documents
    from app.casework.oversight import (
        approval_summaries,
        approvals,
        case_result,
        handover_notes,
        own_certificate_pem,
        trust_colleague,
    )
    from tests.casework.test_oversight_letter import completed_detail, hos_reason

    practitioner, manager, other = team
    case_id, _ = case_with_both_approvals(registry, practitioner, manager, tmp_path)
    sent = approvals(practitioner.repo, case_id)
    assert len(sent) == 2 and not any("received" in a for a in sent)
    here = approval_summaries(practitioner.repo, case_id)
    assert [s.what for s in here] == ["Assessment", "Letter authorisation record"]
    assert all(s.how.startswith("recorded in this vault from the countersigned copy on ")
               for s in here)  # fmt: skip
    before = case_result(practitioner.repo, registry, case_id).letter
    assert before is not None and before.agreement == "countersigned"

    # Olly trusts Morgan too: the case arrives with both approvals and its letter completed
    trust_colleague(other.repo, own_certificate_pem(manager.repo))
    code, out, err = hand_over(capsys, practitioner, other, case_id, tmp_path / "c.handover")
    assert code == 0, err
    (received,) = [c.id for c in other.repo.list_cases()]
    assert "2 approvals came with it" in out
    assert "Assessment (assessment-" in out and ") approved by Morgan Fictional" in out
    assert "received with the handover from Pat Fictional on " in out

    came = approvals(other.repo, received)
    assert [a["document"] for a in came] == [a["document"] for a in sent]
    assert [a["approvals"][0]["fingerprint"] for a in came] == [
        a["approvals"][0]["fingerprint"] for a in sent
    ]
    pat = own_certificate_pem(practitioner.repo)
    from app.casework.oversight import _cert, _fingerprint

    pat_fingerprint = _fingerprint(_cert(pat))
    for a in came:
        assert a["received"]["from"] == "Pat Fictional"
        assert a["received"]["fingerprint"] == pat_fingerprint
        assert a["received"]["recorded"]["by"] == "Pat Fictional"
        assert a["received"]["recorded"]["fingerprint"] == pat_fingerprint
        assert a["received"]["recorded"]["at"]  # when Pat's vault recorded it
        assert a["received"]["via"] == []
    shown = approval_summaries(other.repo, received)
    assert [s.what for s in shown] == ["Assessment", "Letter authorisation record"]
    for s in shown:
        assert s.signer.startswith("Morgan Fictional") and s.post == "Team Manager"
        assert s.how.startswith("received with the handover from Pat Fictional on ")
        assert ", recorded in their vault from the countersigned copy on " in s.how
        assert "; the countersigned copy was checked in this vault on " in s.how
        assert not s.unchecked and "copy not kept" not in s.brief
        assert "recorded in this vault" not in s.sentence and s.standing == ""
    # the countersigned copies came too, byte for byte as Pat's vault kept them
    from app.casework.handover_approvals import kept_copies

    def copies(person: Desk, case: int) -> list[tuple[str, int]]:
        return sorted((c["sha256"], c["size"]) for c in kept_copies(person.repo, case).values())

    assert len(copies(other, received)) == 2
    assert copies(other, received) == copies(practitioner, case_id)
    assert handover_notes(other.repo, received) == []
    # a subject access export lists the approvals with how they came, and withholds the
    # authorisation record (it names the letter's recipient) as in the sender's vault
    from app.casework.sar import gather

    sar = gather(other.repo, registry, received)
    rows = [row for _n, blocks in sar.sections for b in blocks for row in b.rows]
    assert any(where.startswith("Received") and what == "Pat Fictional" for where, what in rows)
    assert any(item.startswith("Letter authorisation") for item, _why in sar.withheld)
    assert not any("JVBER" in str(what) for _where, what in rows)  # a copy's PDF: not again
    assert any(str(what).startswith("the countersigned PDF (") for _where, what in rows)
    assert other.vault.full_check().ok  # one transaction, every record bound to the audit

    # the letter's verdict is as it was in Pat's vault, and says how the agreement came
    [letter] = documents.case_documents(other.repo, received, documents.LETTER)
    assert letter.status == documents.COMPLETED
    audited = str(completed_detail(other, letter.id)["approval_received"])
    assert audited.startswith("received with the handover from Pat Fictional")
    after = case_result(other.repo, registry, received).letter
    assert after is not None and after.agreement == "countersigned"
    assert after.approver_fingerprint == before.approver_fingerprint
    met, why, how = hos_reason(registry, other, letter.id)
    assert met and how == "countersigned"
    assert "agreed by Morgan Fictional" in why
    assert ", received with the handover from Pat Fictional on " in why
    assert "the countersigned copy was checked in this vault on " in why

    # Olly no longer trusts Morgan: neither approval counts here, and each says why and how
    from app.casework.oversight import COLLEAGUES

    other.repo.set_setting(
        COLLEAGUES,
        [c for c in other.repo.get_setting(COLLEAGUES) if c["name"] != "Morgan Fictional"],
    )
    met, why, _ = hos_reason(registry, other, letter.id)
    assert not met
    assert (
        "does not count: the signer's certificate is not among this vault's trusted colleagues "
        "(received with the handover from Pat Fictional on " in why
    ), why
    assert "add their certificate if you know it is theirs" in why
    for s in approval_summaries(other.repo, received):
        assert s.standing.startswith("its signer is not among this vault's trusted colleagues")

    # handed on again, back to Pat: every handover it came through is kept, in order
    code, _, err = hand_over(capsys, other, practitioner, received, tmp_path / "back.handover")
    assert code == 0, err
    back = max(c.id for c in practitioner.repo.list_cases())
    for a in approvals(practitioner.repo, back):
        assert a["received"]["from"] == "Olly Fictional"
        assert a["received"]["recorded"]["by"] == "Pat Fictional"
        assert [v["from"] for v in a["received"]["via"]] == ["Pat Fictional"]
    [first, _] = approval_summaries(practitioner.repo, back)
    assert first.how.startswith("received with the handover from Olly Fictional on ")
    assert ", recorded in Pat Fictional's vault from the countersigned copy on " in first.how
    assert " and handed on by Pat Fictional on " in first.how and first.standing == ""
    [letter_back] = documents.case_documents(practitioner.repo, back, documents.LETTER)
    assert letter_back.status == documents.COMPLETED  # Pat trusts Morgan


def test_a_received_letter_agreement_by_an_untrusted_signer_leaves_the_letter_a_draft(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Olly does not know Morgan's certificate: the approvals arrive and say so; the letter
    waits as a draft until Olly trusts her, then completes on the agreement that came."""
    from app.casework import documents
    from app.casework.oversight import (
        approval_summaries,
        own_certificate_pem,
        trust_colleague,
    )
    from tests.casework.test_oversight_letter import hos_reason

    practitioner, manager, other = team
    case_id, _ = case_with_both_approvals(registry, practitioner, manager, tmp_path)
    code, _, err = hand_over(capsys, practitioner, other, case_id, tmp_path / "c.handover")
    assert code == 0, err
    (received,) = [c.id for c in other.repo.list_cases()]
    [letter] = documents.case_documents(other.repo, received, documents.LETTER)
    assert letter.status == documents.DRAFT
    met, why, _ = hos_reason(registry, other, letter.id)
    assert not met and "not among this vault's trusted colleagues (received with the" in why
    assert all(s.standing for s in approval_summaries(other.repo, received))

    trust_colleague(other.repo, own_certificate_pem(manager.repo))
    met, why, how = hos_reason(registry, other, letter.id)
    assert met and how == "countersigned" and "received with the handover from Pat" in why
    assert documents.problems(other.repo, registry, letter.id) == []
    documents.complete_document(other.repo, registry, letter.id)

    # Olly's own export prints how the agreement came, in the signed authorisation record
    from app.casework import package
    from app.casework.identity import signing_identity
    from tests.documents.test_documents import text_of

    offers = [o for o in package.offers(other.repo, registry, received) if o.ready]
    result = package.export_package(
        other.repo, registry, received, tmp_path / "olly", signing_identity(other.repo), offers
    )
    [record] = [d.path for d in result.documents if d.kind == "authorisation"]
    printed = " ".join(text_of(record.read_bytes()).split())
    assert "before the case was handed over; the approval came with the handover" in printed
    assert "its countersigned copy was checked again by this practitioner's vault" in printed
    assert "received with the handover from Pat Fictional on" in printed


def test_an_older_handover_without_approvals_still_imports_and_says_what_it_lacked(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A handover as the previous release wrote it (version 1: the case and its history,
    no approvals) is received as before; the case says its approvals did not travel. A
    version this app does not know is refused in one line."""
    import app.casework.oversight as oversight

    practitioner, manager, other = team
    case_id, _ = case_with_both_approvals(registry, practitioner, manager, tmp_path)
    real = oversight._payload
    monkeypatch.setattr(oversight, "HANDOVER_VERSION", 1)
    monkeypatch.setattr(
        oversight, "_payload",
        lambda repo, case: {k: v for k, v in real(repo, case).items() if k in ("case", "history")},
    )  # fmt: skip
    code, out, err = hand_over(capsys, practitioner, other, case_id, tmp_path / "old.handover")
    assert code == 0, err
    assert json.loads((tmp_path / "old.handover").read_bytes())["version"] == 1
    (received,) = [c.id for c in other.repo.list_cases()]
    assert oversight.approvals(other.repo, received) == []
    [note] = oversight.handover_notes(other.repo, received)
    assert note.startswith("The handover from Pat Fictional on ")
    assert "earlier version of the app, which did not carry approvals" in note
    assert note in out

    # a version from a newer app: refused, nothing imported, not marked received
    monkeypatch.setattr(oversight, "_payload", real)
    monkeypatch.setattr(oversight, "handed_over", lambda repo, case: False)
    monkeypatch.setattr(oversight, "HANDOVER_VERSION", 3)
    code, _, err = hand_over(capsys, practitioner, manager, case_id, tmp_path / "new.handover")
    assert code == 2 and err.count("\n") == 1 and "newer version of the app" in err, err
    assert manager.repo.count_cases() == 0
    assert not manager.repo.get_setting(oversight.RECEIVED, [])


FINGERPRINT = ":".join(["AB"] * 32)
GOOD_APPROVAL: dict[str, Any] = {
    "document": "assessment-CRE-TEST-A.pdf", "reference": "CRE-TEST",
    "approvals": [{"signer": "Morgan Fictional", "post": "Team Manager",
                   "time": "2026-06-01T10:00:00+01:00", "fingerprint": FINGERPRINT}],
    "recorded": {"by": "Pat Fictional", "fingerprint": ":".join(["CD"] * 32),
                 "at": "2026-06-02T09:00:00+00:00"},
    "via": [],
}  # fmt: skip


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """GOOD_APPROVAL with one value at `path` replaced (or removed, for `...`)."""
    found = json.loads(json.dumps(GOOD_APPROVAL))
    where = found
    for key in path[:-1]:
        where = where[key]
    if value is ...:
        del where[path[-1]]
    else:
        where[path[-1]] = value
    return found


HOSTILE_CARRIED: list[tuple[str, Any]] = [
    ("approvals", {"not": "a list"}),
    ("approvals", [GOOD_APPROVAL] * 501),
    ("approvals", [_with(("approvals", 0, "fingerprint"), "AB:CD")]),
    ("approvals", [_with(("approvals", 0, "fingerprint"), ...)]),
    ("approvals", [_with(("approvals", 0, "signer"), "Morgan\u202eFictional")]),
    ("approvals", [_with(("approvals", 0, "signer"), "M" * 301)]),
    ("approvals", [_with(("approvals", 0, "time"), "the first of June")]),
    ("approvals", [_with(("approvals",), [])]),
    ("approvals", [_with(("trusted",), True)]),
    ("approvals", [_with(("recorded",), "Pat Fictional")]),
    ("approvals", [_with(("via",), [{"from": "Olly Fictional"}])]),
    ("approvals", [_with(("document",), "x" * 4_100_000)]),
    ("approvals", None),
    # a countersigned copy of the wrong shape (whether one verifies is checked after)
    ("approvals", [_with(("copy",), "a pdf")]),
    ("approvals", [_with(("copy",), {"pdf": "not base64!"})]),
    ("approvals", [_with(("copy",), {"pdf": ""})]),
    ("approvals", [_with(("copy",), {"pdf": "JVBERi0=", "password": 5})]),
    ("approvals", [_with(("copy",), {"pdf": "JVBERi0=", "owner": "Pat Fictional"})]),
    ("authorisations", [{"file": "authorisation-CRE-TEST-LA.pdf", "facts": {"date": [[1]]},
                         "at": None, "recorded": GOOD_APPROVAL["recorded"], "via": []}]),
    ("authorisations", [{"file": "authorisation-CRE-TEST-LA.pdf", "facts": {"a\nb": 1},
                         "at": None, "recorded": GOOD_APPROVAL["recorded"], "via": []}]),
]  # fmt: skip


def forged_handover(sender: Desk, receiver: Desk, payload: Any) -> bytes:
    """A handover as a hostile app would make one: the sender's real key and the real
    envelope (sealed to the receiver, signed by the sender) around any payload, without
    the checks the sender's app makes before writing."""
    import base64
    import secrets

    from cryptography.hazmat.primitives.serialization import Encoding

    import app.casework.oversight as o

    key, cert = o._own(sender.repo)
    recipient = o._cert(o.own_certificate_pem(receiver.repo))
    header = {
        "format": o.FORMAT, "version": 2, "id": secrets.token_hex(16),
        "created": "2026-06-05T09:00:00+00:00", "to": o._fingerprint(recipient),
        "from": base64.b64encode(cert.public_bytes(Encoding.DER)).decode(),
    }  # fmt: skip
    scheme, sealed = o._seal(json.dumps(payload).encode(), recipient, o._info(header))
    body = {**header, "scheme": scheme, "payload": base64.b64encode(sealed).decode()}
    body["signature"] = base64.b64encode(o._sign(key, o._signed_bytes(body))).decode()
    return json.dumps(body).encode()


def test_hostile_approvals_in_a_signed_handover_are_a_one_line_refusal(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A trusted colleague's key (stolen, or their app changed) sealing hostile approvals
    around a valid case: each refused in one sentence naming where, nothing imported, the
    handover not marked received; the same shape well formed is received, as received."""
    import app.casework.oversight as oversight

    practitioner, manager, _ = team
    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    oversight.trust_colleague(manager.repo, oversight.own_certificate_pem(practitioner.repo))
    real = oversight._payload(practitioner.repo, case_id)
    assert real["approvals"] == [] and real["authorisations"] == []

    def receive(payload: Any, name: str) -> tuple[int, str, str]:
        path = tmp_path / name
        path.write_bytes(forged_handover(practitioner, manager, payload))
        return vcli(capsys, manager, "vault", "receive", str(path))

    for n, (key, value) in enumerate(HOSTILE_CARRIED):
        payload = {k: v for k, v in real.items() if value is not None or k != key}
        if value is not None:
            payload[key] = value
        code, out, err = receive(payload, f"{n}.handover")
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in out + err, (n, err)
        assert "the approvals in this handover are not valid (" in err, (n, err)
        assert "nothing was imported" in err
        assert "\u202e" not in err and "MMMMMMMMMM" not in err
        assert manager.repo.count_cases() == 0, n
        assert not manager.repo.get_setting(oversight.RECEIVED, []), n

    # authorisation records without the letter they belong to
    letterless = {**real, "case": {k: v for k, v in real["case"].items() if k != "letter"}}
    letterless["authorisations"] = [{"file": "authorisation-CRE-TEST-LA.pdf", "facts": {},
                                     "at": None, "recorded": GOOD_APPROVAL["recorded"],
                                     "via": []}]  # fmt: skip
    code, _, err = receive(letterless, "letterless.handover")
    assert code == 2 and "a letter the handover did not carry" in err and err.count("\n") == 1
    assert manager.repo.count_cases() == 0
    assert not manager.repo.get_setting(oversight.RECEIVED, [])

    # well formed: received, and shown as received; a name's zero-width joiner is kept
    good = json.loads(json.dumps(GOOD_APPROVAL))
    good["approvals"][0]["signer"] = "Morgan Fictional-\u200dJoined"
    code, _, err = receive({**real, "approvals": [good]}, "good.handover")
    assert code == 0, err
    (received,) = [c.id for c in manager.repo.list_cases()]
    [shown] = oversight.approval_summaries(manager.repo, received)
    assert shown.signer == "Morgan Fictional-\u200dJoined"
    assert shown.how == (
        "received with the handover from Pat Fictional on 5 June 2026, recorded in their "
        "vault from the countersigned copy on 2 June 2026; the countersigned copy was not "
        "kept, so this vault could not check it"
    )
    assert shown.standing.startswith("its signer is not among this vault's trusted colleagues")


def _nested(depth: int) -> Any:
    value: Any = "Fictional note"
    for _ in range(depth):
        value = {"deeper": value}
    return value


GOOD_VERSION = {"version": 1, "status": "completed", "level": "medium", "answers": {}}
HOSTILE_HISTORY: list[Any] = [
    {"not": "a list"},
    [GOOD_VERSION] * 1001,
    ["version 1"],
    [{**GOOD_VERSION, "version": "1"}],
    [{**GOOD_VERSION, "version": True}],
    [{**GOOD_VERSION, "status": "approved by the manager"}],
    [{**GOOD_VERSION, "level": "high\u202e"}],
    [{**GOOD_VERSION, "answers": ["a list"]}],
    [{**GOOD_VERSION, "answers": _nested(200)}],
    [{**GOOD_VERSION, "signed_by": "Morgan Fictional"}],
    [{k: v for k, v in GOOD_VERSION.items() if k != "answers"}],
]


def test_hostile_earlier_versions_in_a_signed_handover_are_a_one_line_refusal(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The earlier versions a handover carries are kept on the case and printed in its
    subject access export: a hostile list (any format version) is refused in one sentence,
    nothing imported; a well-formed one is kept as checked."""
    import app.casework.oversight as oversight

    practitioner, manager, _ = team
    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    oversight.trust_colleague(manager.repo, oversight.own_certificate_pem(practitioner.repo))
    real = oversight._payload(practitioner.repo, case_id)
    for n, value in enumerate(HOSTILE_HISTORY):
        path = tmp_path / f"{n}.handover"
        path.write_bytes(forged_handover(practitioner, manager, {**real, "history": value}))
        code, out, err = vcli(capsys, manager, "vault", "receive", str(path))
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in out + err, (n, err)
        assert "the earlier versions in this handover are not valid (history" in err, (n, err)
        assert "nothing was imported" in err and "\u202e" not in err
        assert manager.repo.count_cases() == 0, n
        assert not manager.repo.get_setting(oversight.RECEIVED, []), n
    kept = [{**GOOD_VERSION, "answers": {"child": {"name": "Fictional Earlier"}}}]
    path = tmp_path / "good.handover"
    path.write_bytes(forged_handover(practitioner, manager, {**real, "history": kept}))
    code, _, err = vcli(capsys, manager, "vault", "receive", str(path))
    assert code == 0, err
    (received,) = [c.id for c in manager.repo.list_cases()]
    [(_, _, record)] = manager.repo.documents(received, oversight.HANDOVER)
    assert record["history"] == kept


def test_a_case_whose_approvals_a_colleague_would_refuse_is_not_handed_over(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The sender's app checks what the receiver's will, before writing: a case whose
    recorded approval the receiver would refuse stays here, not handed over, no file."""
    from app.casework.assessments import handed_over
    from app.casework.oversight import APPROVAL

    practitioner, manager, _ = team
    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    broken = json.loads(json.dumps(GOOD_APPROVAL))
    del broken["recorded"], broken["via"]
    broken["approvals"][0]["signer"] = "Morgan\nFictional"
    practitioner.repo.add_document(case_id, APPROVAL, broken)
    out = tmp_path / "case.handover"
    manager_cert = _certificate(manager, tmp_path, capsys)
    code, _, err = vcli(
        capsys, practitioner, "vault", "handover", "--case", str(case_id),
        "--to", str(manager_cert), "--out", str(out),
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1, err
    assert "this case's approvals cannot be handed over (approvals[0].approvals[0].signer" in err
    assert not out.exists() and not handed_over(practitioner.repo, case_id)


# --- the countersigned copy travels, and is checked again where it arrives ----------------


def _authorisation_copy(payload: dict[str, Any]) -> dict[str, Any]:
    """The carried approval of the letter's authorisation record."""
    return next(a for a in payload["approvals"] if a["document"].startswith("authorisation-"))


def _refused(capsys: pytest.CaptureFixture[str], sender: Desk, receiver: Desk, payload: Any,
             path: Path) -> str:  # fmt: skip
    """A forged handover the receiver refuses in one sentence, importing nothing."""
    import app.casework.oversight as oversight

    path.write_bytes(forged_handover(sender, receiver, payload))
    code, out, err = vcli(capsys, receiver, "vault", "receive", str(path))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in out + err, err
    assert "nothing was imported" in err
    assert receiver.repo.count_cases() == 0
    assert not receiver.repo.get_setting(oversight.RECEIVED, [])
    return err


def test_a_forged_approval_does_not_count_and_a_copy_that_is_not_its_own_is_refused(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """Pat's key (stolen, or Pat's app changed) claims Morgan's agreement to the letter, to
    colleagues who trust Morgan. Without the countersigned copy the claim is kept and shown
    but does not count: it is only Pat's word. With a copy that is not Morgan's
    countersignature of it, or that cannot be read, the handover is refused whole."""
    import base64

    import app.casework.oversight as oversight
    from app.casework import documents
    from app.storage.references import export_traces
    from tests.casework.test_oversight_letter import hos_reason, trust

    practitioner, manager, other = team
    case_id, _ = case_with_both_approvals(registry, practitioner, manager, tmp_path)
    real = oversight._payload(practitioner.repo, case_id)
    carried = _authorisation_copy(real)
    assert set(carried["copy"]) == {"pdf", "password"}
    sasha = desk(tmp_path, "sasha", "Sasha Fictional", "Social Worker")
    sam = desk(tmp_path, "sam", "Sam Fictional", "Team Manager")  # someone else entirely
    try:
        for receiver in (other, sasha):
            trust(receiver, practitioner)
            trust(receiver, manager)

        # a copy countersigned by someone else (Sam), the record still naming Morgan
        name = carried["document"]
        size = next(
            t["sha256"][name][1] for t in export_traces(practitioner.repo)
            if name in (t.get("sha256") or {})
        )  # fmt: skip
        pats = base64.b64decode(carried["copy"]["pdf"])[:size]  # as Pat's vault exported it
        by_sam = oversight.countersign_document(sam.repo, pats)
        forged = json.loads(json.dumps(real))
        _authorisation_copy(forged)["copy"] = {"pdf": base64.b64encode(by_sam).decode()}
        err = _refused(capsys, practitioner, sasha, forged, tmp_path / "sam.handover")
        assert f"the countersigned copy of {name} (approval 2) is not countersigned by " in err
        # the record rewritten to Sam's certificate, still saying Morgan: refused too
        _authorisation_copy(forged)["approvals"][0]["fingerprint"] = oversight._fingerprint(
            oversight._cert(oversight.own_certificate_pem(sam.repo))
        )
        err = _refused(capsys, practitioner, sasha, forged, tmp_path / "said.handover")
        assert "does not say what its record says (signer, post or time)" in err
        # a copy that is not a PDF at all, or Morgan's copy with a byte changed after her
        # countersignature
        morgans = base64.b64decode(carried["copy"]["pdf"])
        for n, pdf in enumerate(
            (
                b"%PDF-1.7 not really a document",
                morgans[:-200] + bytes([morgans[-200] ^ 1]) + morgans[-199:],
            )
        ):
            bad = json.loads(json.dumps(real))
            _authorisation_copy(bad)["copy"] = {"pdf": base64.b64encode(pdf).decode()}
            err = _refused(capsys, practitioner, sasha, bad, tmp_path / f"bad{n}.handover")
            assert f"the countersigned copy of {name} (approval 2) " in err
            assert "cannot be read" in err or "does not verify" in err, err

        # no copy at all: received, shown as not kept, and the letter's agreement does not
        # count (the letter stays a draft)
        bare = json.loads(json.dumps(real))
        for a in bare["approvals"]:
            del a["copy"]
        (tmp_path / "bare.handover").write_bytes(forged_handover(practitioner, other, bare))
        code, _, err = vcli(capsys, other, "vault", "receive", str(tmp_path / "bare.handover"))
        assert code == 0, err
        (received,) = [c.id for c in other.repo.list_cases()]
        for shown in oversight.approval_summaries(other.repo, received):
            assert shown.how.endswith(
                "; the countersigned copy was not kept, so this vault could not check it"
            )
        [letter] = documents.case_documents(other.repo, received, documents.LETTER)
        assert letter.status == documents.DRAFT
        met, why, _ = hos_reason(registry, other, letter.id)
        assert not met and "only the handover's sender vouches for it (received" in why
        assert "could not check it): export the record again for agreement" in why, why
    finally:
        sasha.vault.close()
        sam.vault.close()


def test_an_older_approval_without_its_copy_still_travels_and_says_so(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Approvals recorded before the app kept the countersigned copy still count in the
    vault that recorded them, and still travel; where they arrive they say the copy was
    not kept, and the letter's agreement waits for a countersignature this vault can check."""
    from app.casework import documents
    from app.casework.oversight import APPROVAL_COPY, approval_summaries, case_result
    from tests.casework.test_oversight_letter import hos_reason, trust

    practitioner, manager, other = team
    add = practitioner.repo.add_document  # as the previous release recorded an approval
    with monkeypatch.context() as patch:
        patch.setattr(
            practitioner.repo, "add_document",
            lambda case, kind, data: 0 if kind == APPROVAL_COPY else add(case, kind, data),
        )  # fmt: skip
        case_id, _ = case_with_both_approvals(registry, practitioner, manager, tmp_path)
    assert not practitioner.repo.documents(case_id, APPROVAL_COPY)
    here = case_result(practitioner.repo, registry, case_id).letter
    assert here is not None and here.agreement == "countersigned"  # recorded here: it counts

    trust(other, manager)
    code, out, err = hand_over(capsys, practitioner, other, case_id, tmp_path / "old.handover")
    assert code == 0, err
    assert "the countersigned copy was not kept, so this vault could not check it" in out
    (received,) = [c.id for c in other.repo.list_cases()]
    shown = approval_summaries(other.repo, received)
    assert len(shown) == 2
    for s in shown:
        assert s.how.startswith("received with the handover from Pat Fictional on ")
        assert s.how.endswith("; the countersigned copy was not kept, so this vault could not "
                              "check it")  # fmt: skip
        assert s.brief.endswith(", from Pat Fictional; copy not kept")
    [letter] = documents.case_documents(other.repo, received, documents.LETTER)
    assert letter.status == documents.DRAFT
    met, why, _ = hos_reason(registry, other, letter.id)
    assert not met and "only the handover's sender vouches for it (received" in why


def test_a_countersigned_copy_is_bounded_where_it_is_kept_and_where_it_arrives(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The size of PDF the app reads at all (the command line's limit, which the PDF bomb
    test meets first) bounds a copy kept at import and one carried in a handover; a
    handover its receiver would find too large is not written, nor the case marked."""
    import base64

    import app.casework.oversight as oversight
    from app.casework import handover_approvals
    from app.cli.oversight import MAX_PDF_BYTES

    assert oversight.MAX_APPROVAL_PDF_BYTES == handover_approvals.MAX_COPY_BYTES == MAX_PDF_BYTES
    practitioner, _, _ = team
    monkeypatch.setattr(oversight, "MAX_APPROVAL_PDF_BYTES", 1000)
    with pytest.raises(oversight.OversightError, match="too large to be a countersigned"):
        oversight.import_approval(practitioner.repo, b"%PDF-1.7" + b" " * 1000)
    monkeypatch.setattr(handover_approvals, "MAX_COPY_BYTES", 1000)
    big = {**GOOD_APPROVAL, "copy": {"pdf": base64.b64encode(b" " * 1003).decode()}}
    with pytest.raises(handover_approvals.CarriedInvalid, match="larger than 1,000 bytes"):
        handover_approvals.incoming({"approvals": [big], "authorisations": []}, 2)

    from app.casework.assessments import handed_over

    case_id, _ = exported_assessment(registry, practitioner, tmp_path / "out")
    monkeypatch.setattr(oversight, "MAX_HANDOVER_BYTES", 1000)
    written: list[bytes] = []
    with pytest.raises(oversight.OversightError, match="too large to hand over in one file"):
        oversight.handover_case(
            practitioner.repo, case_id, oversight.own_certificate_pem(team[2].repo),
            written.append,
        )  # fmt: skip
    assert written == [] and not handed_over(practitioner.repo, case_id)
