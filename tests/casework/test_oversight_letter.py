"""The disruption letter's Head of Service agreement by countersignature (Derby 2020: "not
to be sent without legal advice and in Derby Deputy Head of Service and in Derbyshire Head
of Service agreement"): real vaults, the real authorisation record signed, countersigned
in the manager's vault with pyHanko and imported back; the letter's condition is then met
by it, and a self-countersignature, an untrusted signer or a stale record are not."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.forms import Registry
from tests.casework.test_oversight import Desk, desk, vcli
from tests.documents.test_documents import full_case, text_of

TOOLKIT = "derby-cre-2020"
CONDITION = "letter.head_of_service_agreement"


@pytest.fixture()
def team(tmp_path: Path) -> Iterator[tuple[Desk, Desk, Desk]]:
    """The practitioner, the manager (a Team Manager here) and a colleague not trusted."""
    people = (
        desk(tmp_path, "practitioner", "Pat Fictional", "Social Worker"),
        desk(tmp_path, "manager", "Morgan Fictional", "Team Manager"),
        desk(tmp_path, "other", "Olly Fictional", "Social Worker"),
    )
    yield people
    for person in people:
        person.vault.close()


def letter_waiting_for_agreement(registry: Registry, person: Desk) -> tuple[int, int]:
    """A completed case whose draft letter lacks only the Head of Service agreement."""
    from app.casework import documents, import_cases

    data = full_case(registry, TOOLKIT)
    data["letter"].pop("head_of_service_agreement")
    (case_id,) = import_cases(person.repo, registry, data)
    [letter] = documents.case_documents(person.repo, case_id, documents.LETTER)
    assert letter.status == documents.DRAFT
    found = documents.problems(person.repo, registry, letter.id)
    assert [p.field for p in found] == [CONDITION], found
    return case_id, letter.id


def for_agreement(registry: Registry, person: Desk, letter_id: int, out: Path) -> bytes:
    from app.casework.identity import signing_identity
    from app.casework.oversight import export_for_agreement

    result = export_for_agreement(
        person.repo, registry, letter_id, out, signing_identity(person.repo)
    )
    [record] = result.documents
    assert record.kind == "authorisation"
    return record.path.read_bytes()


def trust(who: Desk, whom: Desk) -> None:
    from app.casework.oversight import own_certificate_pem, trust_colleague

    trust_colleague(who.repo, own_certificate_pem(whom.repo))


def hos_reason(registry: Registry, person: Desk, letter_id: int) -> tuple[bool, str, str]:
    """Whether the condition is met, its reason, and how (as the completion gate sees it)."""
    from app.casework import documents, letters
    from app.casework.oversight import letter_approvals

    doc = documents.get_document(person.repo, letter_id)
    approvals = letter_approvals(person.repo, registry, letter_id)
    check = letters.letter_check(
        registry.get(TOOLKIT),
        documents.assessment_answers(person.repo, doc.case_id),
        doc.data,
        approvals,
    )
    for met, reasons in ((True, check.met), (False, check.unmet)):
        for r in reasons:
            if r.code == CONDITION:
                return met, r.text, check.agreement
    raise AssertionError("no Head of Service condition")


def test_a_countersigned_authorisation_record_meets_the_head_of_service_agreement(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from app.casework import documents, package
    from app.casework.identity import signing_identity
    from app.casework.oversight import countersign_document, import_approval, verify_document

    practitioner, manager, _ = team
    case_id, letter_id = letter_waiting_for_agreement(registry, practitioner)
    record = for_agreement(registry, practitioner, letter_id, tmp_path / "agree")
    assert "Not yet: the Head of Service agrees by countersigning this record" in text_of(record)

    # the manager countersigns it in her own vault; the practitioner imports it back
    signed = countersign_document(manager.repo, record)
    [_, approval] = verify_document(signed)
    assert approval.post == "Team Manager"
    countersigned = tmp_path / "countersigned.pdf"
    countersigned.write_bytes(signed)
    code, out, _ = vcli(capsys, manager, "verify", str(countersigned))
    assert code == 0 and "2. Morgan Fictional (Fictional Council" in out
    assert ", Team Manager, signed " in out
    trust(practitioner, manager)
    recorded = import_approval(practitioner.repo, signed)
    assert recorded["case"] == case_id

    met, why, how = hos_reason(registry, practitioner, letter_id)
    assert approval.time is not None
    when = dt.date.fromisoformat(approval.time[:10])
    assert met and how == "countersigned"
    assert why == (
        "Head of Service agreement is a countersigned authorisation record: agreed by "
        f"{approval.signer}, Team Manager, countersigned {when.day} {when:%B %Y}, "
        f"certificate fingerprint starting {approval.fingerprint[:23]}."
    )
    # the letter now completes without the tick, and its export carries the agreement
    assert documents.problems(practitioner.repo, registry, letter_id) == []
    documents.complete_document(practitioner.repo, registry, letter_id)
    assert (
        "head_of_service_agreement" not in documents.get_document(practitioner.repo, letter_id).data
    )
    # the audit says the manager's countersignature, by her certificate, stood behind it
    assert completed_detail(practitioner, letter_id) == {
        "case": case_id, "agreement": "countersigned",
        "approver_fingerprint": approval.fingerprint,
    }  # fmt: skip
    offers = [o for o in package.offers(practitioner.repo, registry, case_id) if o.ready]
    result = package.export_package(
        practitioner.repo, registry, case_id, tmp_path / "out",
        signing_identity(practitioner.repo), offers,
    )  # fmt: skip
    assert result.letter_refused == []
    kinds = {d.kind: d.path for d in result.documents}
    assert "letter" in kinds
    final = text_of(kinds["authorisation"].read_bytes())
    assert "Yes, by a manager's countersignature of this record" in final
    assert "agreed by Morgan Fictional" in final and "Team Manager" in final

    # the command line says the same of the vault case, when exporting and assessing it
    code, out, err = vcli(
        capsys, practitioner, "export", "--case", str(case_id), "--out", str(tmp_path / "cli")
    )
    assert code == 0, err
    assert "letter's agreement condition: Head of Service agreement is a countersigned" in out
    code, out, err = vcli(capsys, practitioner, "assess", "--case", str(case_id))
    assert code == 0, err
    assert "countersigned authorisation record: agreed by Morgan Fictional" in out
    code, out, err = vcli(capsys, practitioner, "assess", "--case", str(case_id), "--json")
    assert json.loads(out)["letter"]["agreement"] == "countersigned"


def test_the_tick_still_counts_and_the_record_says_which(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path
) -> None:
    from app.casework import documents

    practitioner, _, _ = team
    _, letter_id = letter_waiting_for_agreement(registry, practitioner)
    doc = documents.get_document(practitioner.repo, letter_id)
    documents.save_draft(
        practitioner.repo, letter_id, {**doc.data, "head_of_service_agreement": True}
    )
    met, why, how = hos_reason(registry, practitioner, letter_id)
    assert met and how == "ticked"
    assert why == "Head of Service agreement is recorded by the practitioner's tick."
    record = for_agreement(registry, practitioner, letter_id, tmp_path / "agree")
    assert "Yes, ticked by the practitioner (not countersigned)" in text_of(record)
    documents.complete_document(practitioner.repo, registry, letter_id)
    detail = completed_detail(practitioner, letter_id)
    assert detail["agreement"] == "ticked" and "approver_fingerprint" not in detail


def completed_detail(desk: Desk, letter_id: int) -> dict[str, object]:
    """The audit entry that completed the letter, as recorded."""
    [[detail]] = desk.repo.vault.pragma(
        "SELECT detail FROM audit WHERE action = 'completed' AND entity = 'disruption_letter' "
        f"AND entity_id = {int(letter_id)}"
    )
    found: dict[str, object] = json.loads(detail)
    return found


def test_an_approval_of_an_older_record_does_not_count_and_says_why(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path
) -> None:
    from app.casework import documents
    from app.casework.oversight import countersign_document, import_approval

    practitioner, manager, _ = team
    _, letter_id = letter_waiting_for_agreement(registry, practitioner)
    record = for_agreement(registry, practitioner, letter_id, tmp_path / "agree")
    trust(practitioner, manager)
    import_approval(practitioner.repo, countersign_document(manager.repo, record))
    assert hos_reason(registry, practitioner, letter_id)[0]

    # the recipient changes after the manager agreed: her agreement was to another letter
    doc = documents.get_document(practitioner.repo, letter_id)
    changed: dict[str, Any] = {**doc.data, "perpetrator_name": "Fictional Person Two"}
    documents.save_draft(practitioner.repo, letter_id, changed)
    met, why, how = hos_reason(registry, practitioner, letter_id)
    assert not met and how == ""
    assert "does not count: it approved the authorisation record exported on" in why
    assert (
        "since then Name of known or alleged perpetrator changed: export the record again for "
        "agreement" in why
    ), why
    problems = documents.problems(practitioner.repo, registry, letter_id)
    assert [p.field for p in problems] == [CONDITION]
    with pytest.raises(documents.DocumentNotComplete):
        documents.complete_document(practitioner.repo, registry, letter_id)

    # what the record attested is kept in the vault, and a subject access request withholds
    # it as it withholds the letter itself (the recipient is a third party)
    from app.casework.sar import gather

    sar = gather(practitioner.repo, registry, doc.case_id)
    shown = json.dumps([b.rows for _n, blocks in sar.sections for b in blocks])
    assert "Fictional Person One" not in shown
    assert any(item.startswith("Letter authorisation") for item, _why in sar.withheld)

    # exported again and countersigned again: the new agreement counts
    again = for_agreement(registry, practitioner, letter_id, tmp_path / "again")
    import_approval(practitioner.repo, countersign_document(manager.repo, again))
    met, why, how = hos_reason(registry, practitioner, letter_id)
    assert met and how == "countersigned" and "does not count" not in why


def test_a_self_countersignature_or_an_untrusted_signer_does_not_meet_it(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path
) -> None:
    from app.casework.identity import signing_identity
    from app.casework.oversight import (
        COLLEAGUES,
        OversightError,
        approvals,
        countersign_document,
        import_approval,
    )
    from app.documents.approvals import countersign

    practitioner, manager, other = team
    case_id, letter_id = letter_waiting_for_agreement(registry, practitioner)
    record = for_agreement(registry, practitioner, letter_id, tmp_path / "agree")

    # the practitioner's own second signature is no manager's agreement
    mine = countersign(record, signing_identity(practitioner.repo), signer_name="Pat Fictional")
    with pytest.raises(OversightError, match="someone else"):
        import_approval(practitioner.repo, mine)
    # a colleague this vault does not keep: anyone can make a certificate in a name
    theirs = countersign_document(other.repo, record)
    with pytest.raises(OversightError, match="add their certificate first"):
        import_approval(practitioner.repo, theirs)
    assert approvals(practitioner.repo, case_id) == []
    met, why, _ = hos_reason(registry, practitioner, letter_id)
    assert not met and why.startswith("No Head of Service agreement is recorded")

    # trusted when imported, no longer trusted now: it no longer counts, and says so
    trust(practitioner, manager)
    import_approval(practitioner.repo, countersign_document(manager.repo, record))
    assert hos_reason(registry, practitioner, letter_id)[0]
    practitioner.repo.set_setting(COLLEAGUES, [])
    met, why, _ = hos_reason(registry, practitioner, letter_id)
    assert not met
    assert "does not count: the signer's certificate is not among this vault's trusted" in why


def test_export_for_agreement_is_refused_while_anything_else_is_missing(
    registry: Registry, team: tuple[Desk, Desk, Desk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from app.casework import documents
    from app.casework.identity import signing_identity
    from app.casework.oversight import OversightError, export_for_agreement

    practitioner, _, _ = team
    case_id, letter_id = letter_waiting_for_agreement(registry, practitioner)
    doc = documents.get_document(practitioner.repo, letter_id)
    documents.save_draft(practitioner.repo, letter_id, {**doc.data, "legal_advice": False})
    out = tmp_path / "agree"
    with pytest.raises(OversightError, match="not ready for the Head of Service's agreement"):
        export_for_agreement(
            practitioner.repo, registry, letter_id, out, signing_identity(practitioner.repo)
        )
    assert not out.exists()
    code, _, err = vcli(
        capsys, practitioner, "export", "--case", str(case_id), "--out", str(out),
        "--for-agreement",
    )  # fmt: skip
    assert code == 2 and "legal advice" in err and err.count("\n") == 1
    assert not out.exists()
    # a case file has no vault to bring the approval back to
    from tests.casework.test_oversight import cli

    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(full_case(registry, TOOLKIT)), encoding="utf-8")
    code, _, err = cli(capsys, "export", str(case_file), "--out", str(out), "--for-agreement")
    assert code == 2 and "--for-agreement goes with --vault" in err and not out.exists()
    documents.save_draft(practitioner.repo, letter_id, {**doc.data, "legal_advice": True})
    code, printed, err = vcli(
        capsys, practitioner, "export", "--case", str(case_id), "--out", str(out),
        "--for-agreement",
    )  # fmt: skip
    assert code == 0, err
    [pdf] = list(out.glob("authorisation-*.pdf"))
    assert f"wrote {pdf}" in printed and "countersign" in printed


def test_an_approval_of_a_record_the_vault_kept_nothing_of_does_not_count(
    registry: Registry,
) -> None:
    """A record exported before the vault kept what each one attested: its countersignature
    cannot be checked against the letter's facts, so it does not count, and says so."""
    from app.casework.letters import Countersignature, judge

    tk = registry.get(TOOLKIT)
    data = full_case(registry, TOOLKIT)
    old = Countersignature("Morgan Fictional", "Team Manager", None, "AB:CD", own=False,
                           trusted=True, exported="", letter_id=None, unmatched=True)  # fmt: skip
    [approval] = judge(tk, [old], data, data["letter"], 1)
    assert approval.problem.startswith("the vault does not hold what the record it approved")
    agreed = Countersignature("Morgan Fictional", "Team Manager", None, "AB:CD", own=False,
                              trusted=True, exported="2026-06-01T10:00:00", letter_id=1,
                              facts={})  # fmt: skip
    [stale] = judge(tk, [agreed], data, data["letter"], 1)
    for label in ("the child's name", "the child's date of birth", "Care order"):
        assert label in stale.problem.split("since then ")[1]


def test_a_received_countersignature_says_how_it_came_and_your_own_does_not_count(
    registry: Registry,
) -> None:
    """An agreement that came with a handed-over case counts (its signer trusted here, its
    countersigned copy checked here) and says so; one whose copy did not come does not; the receiver's own countersignature, given before the case came to them, does
    not: the letter is theirs to send now."""
    from app.casework.handover_approvals import received_words
    from app.casework.letters import Countersignature, agreement_facts, judge

    tk = registry.get(TOOLKIT)
    data = full_case(registry, TOOLKIT)
    came = received_words(
        {"from": "Pat Fictional", "at": "2026-06-05T09:00:00+00:00",
         "recorded": {"by": "Pat Fictional", "fingerprint": "CD", "at": "2026-06-02T09:00:00"},
         "via": [], "copy": "checked here", "checked": "2026-06-06T08:00:00+00:00"}
    )  # fmt: skip
    assert came == (
        "received with the handover from Pat Fictional on 5 June 2026, recorded in their "
        "vault from the countersigned copy on 2 June 2026; the countersigned copy was checked "
        "in this vault on 6 June 2026"
    )
    facts = agreement_facts(data, data["letter"])
    agreed = Countersignature("Morgan Fictional", "Team Manager", "2026-06-01T10:00:00", "AB:CD",
                              own=False, trusted=True, exported="2026-06-01T09:00:00",
                              letter_id=1, facts=facts, received=came)  # fmt: skip
    [counts] = judge(tk, [agreed], data, data["letter"], 1)
    assert counts.problem == "" and counts.received == came
    mine = Countersignature("Morgan Fictional", "Team Manager", "2026-06-01T10:00:00", "AB:CD",
                            own=True, trusted=False, exported="2026-06-01T09:00:00",
                            letter_id=1, facts=facts, received=came)  # fmt: skip
    [own] = judge(tk, [mine], data, data["letter"], 1)
    assert own.problem == (
        f"it is your own countersignature, given before the case was handed to you ({came}): "
        "the letter is now yours to send, so another manager must agree it"
    )

    # came without its countersigned copy (recorded before copies were kept): the sender's
    # word alone, so it does not count here, and says why
    bare = received_words(
        {"from": "Pat Fictional", "at": "2026-06-05T09:00:00+00:00",
         "recorded": {"by": "Pat Fictional", "fingerprint": "CD", "at": "2026-06-02T09:00:00"},
         "via": [], "copy": "not kept", "checked": None}
    )  # fmt: skip
    assert bare.endswith(
        "2 June 2026; the countersigned copy was not kept, so this vault could not check it"
    )
    unchecked = Countersignature("Morgan Fictional", "Team Manager", "2026-06-01T10:00:00",
                                 "AB:CD", own=False, trusted=True,
                                 exported="2026-06-01T09:00:00", letter_id=1, facts=facts,
                                 received=bare, unchecked=True)  # fmt: skip
    [word_only] = judge(tk, [unchecked], data, data["letter"], 1)
    assert word_only.problem == (
        f"only the handover's sender vouches for it ({bare}): export the record again for agreement"
    )

    # handed on again: who recorded it, and every handover it came through, in order
    assert received_words(
        {"from": "Olly Fictional", "at": "2026-06-09T09:00:00+00:00",
         "recorded": {"by": "Pat Fictional", "fingerprint": "CD", "at": "2026-06-02T09:00:00"},
         "via": [{"from": "Pat Fictional", "fingerprint": "CD", "at": "2026-06-05T09:00:00"}],
         "copy": "checked here", "checked": "2026-06-09T10:00:00+00:00"}
    ) == (
        "received with the handover from Olly Fictional on 9 June 2026, recorded in Pat "
        "Fictional's vault from the countersigned copy on 2 June 2026 and handed on by Pat "
        "Fictional on 5 June 2026; the countersigned copy was checked in this vault on "
        "9 June 2026"
    )  # fmt: skip
    assert received_words(None) == ""
