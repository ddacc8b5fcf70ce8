"""The letter's Head of Service agreement as the rules decide it from what casework passes
in: a countersignature that counts, a tick, or neither; each says which, and one that does
not count says why. Pure: no vault, no PDF (those are in tests/casework)."""

from __future__ import annotations

from app.forms import Registry
from app.rules import LetterApproval, assess, parse_case
from app.rules.letter import check_letter
from tests.documents.test_documents import full_case

CODE = "letter.head_of_service_agreement"
FINGERPRINT = ":".join(["AB"] * 32)
AGREED = LetterApproval("Morgan Fictional", "Head of Service", "2026-06-01T10:00:00+01:00",
                        FINGERPRINT)  # fmt: skip
STALE = LetterApproval("Morgan Fictional", "Head of Service", "2026-05-01T10:00:00+01:00",
                       FINGERPRINT, "the facts changed since")  # fmt: skip


def _reason(check: object, code: str = CODE) -> tuple[bool, str]:
    met = {r.code: r.text for r in check.met}  # type: ignore[attr-defined]
    unmet = {r.code: r.text for r in check.unmet}  # type: ignore[attr-defined]
    return (True, met[code]) if code in met else (False, unmet[code])


def test_a_countersignature_that_counts_meets_it_and_says_who_when_and_which_certificate(
    registry: Registry,
) -> None:
    data = full_case(registry, "derby-cre-2020")
    data["letter"].pop("head_of_service_agreement")
    tk = registry.get("derby-cre-2020")
    case = parse_case(data, registry)
    assert not check_letter(tk, case).eligible
    check = check_letter(tk, case, [AGREED])
    assert check.eligible and check.agreement == "countersigned"
    assert _reason(check) == (
        True,
        "Head of Service agreement is a countersigned authorisation record: agreed by Morgan "
        "Fictional, Head of Service, countersigned 1 June 2026, certificate fingerprint "
        "starting AB:AB:AB:AB:AB:AB:AB:AB.",
    )
    # the engine passes them through, and its result says the same
    result = assess(case, tk, [AGREED])
    assert result.letter == check and result.to_dict()["letter"]["agreement"] == "countersigned"


def test_one_that_does_not_count_says_why_and_a_tick_still_counts(registry: Registry) -> None:
    data = full_case(registry, "derby-cre-2020")
    data["letter"].pop("head_of_service_agreement")
    tk = registry.get("derby-cre-2020")
    stated = {c["id"]: c["text"] for c in tk.data["disruption_letter"]["conditions"]}
    check = check_letter(tk, parse_case(data, registry), [STALE])
    assert not check.eligible and check.agreement == ""
    assert _reason(check) == (
        False,
        "No Head of Service agreement is recorded (by tick or countersignature); the "
        "countersignature of Morgan Fictional does not count: the facts changed since. The "
        f'toolkit says: "{stated[CODE.removeprefix("letter.")]}"',
    )
    data["letter"]["head_of_service_agreement"] = True
    ticked = check_letter(tk, parse_case(data, registry), [STALE])
    assert ticked.eligible and ticked.agreement == "ticked"
    assert _reason(ticked)[1].startswith(
        "Head of Service agreement is recorded by the practitioner's tick; the "
        "countersignature of Morgan Fictional does not count"
    )
    both = check_letter(tk, parse_case(data, registry), [STALE, AGREED])
    assert both.agreement == "countersigned"
    assert _reason(both)[1].endswith("(the tick is recorded too).")


def test_a_toolkit_without_the_condition_ignores_approvals(registry: Registry) -> None:
    for toolkit in ("derby-cse-2017", "portsmouth-cse-2016"):
        tk = registry.get(toolkit)
        case = parse_case(full_case(registry, toolkit), registry)
        check = check_letter(tk, case, [AGREED])
        assert check == check_letter(tk, case) and check.agreement == ""
        assert CODE not in {r.code for r in (*check.met, *check.unmet)}


def test_an_agreement_that_came_with_a_handover_says_so(registry: Registry) -> None:
    data = full_case(registry, "derby-cre-2020")
    data["letter"].pop("head_of_service_agreement")
    tk = registry.get("derby-cre-2020")
    came = "received with the handover from Pat Fictional on 5 June 2026"
    received = LetterApproval("Morgan Fictional", "Head of Service", "2026-06-01T10:00:00+01:00",
                              FINGERPRINT, received=came)  # fmt: skip
    check = check_letter(tk, parse_case(data, registry), [received])
    assert check.eligible and check.agreement == "countersigned"
    assert check.approver_received == came and check.approver_fingerprint == FINGERPRINT
    assert _reason(check)[1].endswith(
        "certificate fingerprint starting AB:AB:AB:AB:AB:AB:AB:AB, received with the handover "
        "from Pat Fictional on 5 June 2026."
    )
    assert check_letter(tk, parse_case(data, registry), [AGREED]).approver_received == ""
