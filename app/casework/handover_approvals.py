"""A case's approvals travelling with it when it is handed over, and shown with how they came.

What travels: every manager's countersignature recorded on the case (documents of kind
`approval`, from `import_approval` or an earlier handover) and what each exported letter
authorisation record attested (`letter_authorisation`), for the one letter a handover
carries (its newest). Records of an earlier letter stay behind with that letter.

Where they came from is never lost: the sender writes who recorded each approval, in whose
vault and when, and the handovers it came through; the receiver adds the handover it came
with. In the receiving vault an approval is therefore always "received with the handover
from …", never one this vault recorded from a countersigned copy it exported.

The countersigned copy travels with its record (`copy`: the PDF as `import_approval` kept
it, and the password it was read with, if any), and the receiver checks it again with
its own trusted colleagues before anything is imported: every signature intact and its
countersigners exactly the record's (by certificate fingerprint), else the whole handover
is refused in one sentence. A record kept before the copy was (or received without one)
still travels and says "the countersigned copy was not kept"; in the receiving vault it
is shown but does not count for a letter's agreement, since it is only the sender's word.
Whether the signer is trusted is decided by the vault that reads it, now.

The carried lists are a trusted colleague's signed word, but their content is still
checked as hostile: shape, known keys, sizes, and no character that breaks or reorders a
line (controls, line separators, bidirectional overrides; a name's zero-width joiner is
kept); anything else refuses the whole handover in one sentence. The sender checks the
same before anything is written, so a case is never marked handed over in a handover its
colleague would refuse.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.documents.approvals import countersignatures
from app.storage import Repository
from app.storage.status import Status

APPROVAL = "approval"  # the document kind of a recorded countersignature (oversight.APPROVAL)
# the countersigned PDF an approval was recorded from, kept beside it: {"approval": its
# document id, "pdf": base64, "password": what it was read with or None, "sha256", "size"}
APPROVAL_COPY = "approval_copy"
COPY_CHECKED, COPY_NOT_KEPT = "checked here", "not kept"

MAX_RECORDS = 500  # approval records, and authorisation records, in one handover
MAX_SIGNATURES = 20  # countersignatures in one approval record
MAX_VIA = 20  # handovers one approval came through
MAX_FACTS = 200  # facts one authorisation record attested
MAX_NAME = 300  # a signer's, a file's or a colleague's name
MAX_FACT_TEXT = 100_000  # as a case file's longest answer
MAX_CARRIED_CHARS = 4_000_000  # everything carried, as JSON, but the countersigned copies
MAX_PASSWORD = 1000  # a countersigned copy's password
# a countersigned copy, kept and carried: the size of PDF the app reads at all (the command
# line's and the Signatures window's MAX_PDF_BYTES); a handover is bounded as a whole too
MAX_COPY_BYTES = 64 * 1024 * 1024
_FINGERPRINT = re.compile(r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}")
# embeddings, overrides and isolates: they reorder the text around them when shown
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _breaks_a_line(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cc", "Cs", "Zl", "Zp"} or ch in _BIDI_CONTROLS


class CarriedInvalid(ValueError):
    """What a handover carries about approvals is malformed: `where` names it by its path
    (never quoting the hostile value)."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where} {what}")


# --- the sender's side ----------------------------------------------------------------


def outgoing(
    repo: Repository, case_id: int, letter_id: int | None, me: Mapping[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """The case's approvals and the carried letter's authorisation records, each with who
    recorded it, in whose vault, when, and the handovers it came through. `me`: this
    vault's owner as colleagues know them (`name`, `fingerprint`)."""
    from app.casework.documents import case_documents
    from app.casework.letters import AUTHORISATION_RECORD

    records = case_documents(repo, case_id, AUTHORISATION_RECORD)
    carried_files = {str(r.data.get("file")) for r in records if r.data.get("letter") == letter_id}
    left_files = {str(r.data.get("file")) for r in records} - carried_files
    authorisations = [
        {"file": str(r.data.get("file") or ""), "facts": dict(r.data.get("facts") or {}),
         "at": r.data.get("at"), **_provenance(r.data, me, r.data.get("at"))}
        for r in records
        if str(r.data.get("file")) in carried_files
    ]  # fmt: skip
    copies = kept_copies(repo, case_id)
    approvals = []
    for doc in case_documents(repo, case_id, APPROVAL):
        if str(doc.data.get("document")) in left_files:
            continue  # it approved an earlier letter's record: that letter is not carried
        copy = copies.get(doc.id)
        approvals.append(
            {
                "document": str(doc.data.get("document") or ""),
                "reference": doc.data.get("reference"),
                "approvals": [
                    {k: a.get(k) for k in ("signer", "post", "time", "fingerprint")}
                    for a in doc.data.get("approvals") or []
                ],
                **_provenance(doc.data, me, doc.created_at),
                # the countersigned PDF itself, for the receiver to check again
                **({"copy": {"pdf": copy.get("pdf"), "password": copy.get("password")}}
                   if copy else {}),
            }
        )  # fmt: skip
    return {"approvals": approvals, "authorisations": authorisations}


def kept_copies(repo: Repository, case_id: int) -> dict[int, dict[str, Any]]:
    """The countersigned copies kept on the case, by the approval document they belong to."""
    return {
        int(data["approval"]): data
        for _id, _kind, data in repo.documents(case_id, APPROVAL_COPY)
        if isinstance(data.get("approval"), int)
    }


def copy_record(approval_id: int, pdf: bytes, password: str | None) -> dict[str, Any]:
    """What is kept of a countersigned copy beside its approval (document APPROVAL_COPY)."""
    return {"approval": approval_id, "pdf": base64.b64encode(pdf).decode("ascii"),
            "password": password, "sha256": hashlib.sha256(pdf).hexdigest(),
            "size": len(pdf)}  # fmt: skip


def _provenance(data: Mapping[str, Any], me: Mapping[str, str], at: Any) -> dict[str, Any]:
    """Recorded here: by me, now in my vault. Received: as it was recorded, and the
    handover it came to me with added to the way it came."""
    received = data.get("received")
    if not received:
        return {"recorded": {"by": me["name"], "fingerprint": me["fingerprint"], "at": at},
                "via": []}  # fmt: skip
    came = {k: received.get(k) for k in ("from", "fingerprint", "at")}
    return {"recorded": dict(received.get("recorded") or {}),
            "via": [*(received.get("via") or []), came]}  # fmt: skip


# --- the receiver's side --------------------------------------------------------------


@dataclass(frozen=True)
class Carried:
    """What a handover carried about approvals, checked; `carried` is False for a handover
    made before approvals travelled (format version 1)."""

    approvals: tuple[dict[str, Any], ...] = ()
    authorisations: tuple[dict[str, Any], ...] = ()
    carried: bool = True


def incoming(payload: Mapping[str, Any], version: int) -> Carried:
    """The approvals and authorisation records of a handover's payload, checked as hostile;
    CarriedInvalid names the first thing wrong. A version 1 handover was made before
    approvals travelled: it carries none, and says nothing about whether there were any."""
    if version < 2:
        return Carried(carried=False)
    if "approvals" not in payload or "authorisations" not in payload:
        raise CarriedInvalid("approvals", "are missing")
    approvals, authorisations = payload["approvals"], payload["authorisations"]
    try:  # the records, without their countersigned copies (each bounded on its own)
        records = [
            {k: v for k, v in a.items() if k != "copy"} if isinstance(a, dict) else a
            for a in (approvals if isinstance(approvals, list) else [])
        ]
        size = len(json.dumps([records, authorisations], ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):
        raise CarriedInvalid("approvals", "cannot be read") from None
    if size > MAX_CARRIED_CHARS:
        raise CarriedInvalid("approvals", f"are larger than {MAX_CARRIED_CHARS:,} characters")
    return Carried(
        tuple(
            _approval(a, f"approvals[{n}]")
            for n, a in enumerate(_list(approvals, "approvals", MAX_RECORDS))
        ),
        tuple(
            _authorisation(a, f"authorisations[{n}]")
            for n, a in enumerate(_list(authorisations, "authorisations", MAX_RECORDS))
        ),
    )


def _list(value: Any, where: str, limit: int, least: int = 0) -> list[Any]:
    if not isinstance(value, list):
        raise CarriedInvalid(where, "is not a list")
    if len(value) > limit:
        raise CarriedInvalid(where, f"holds more than {limit}")
    if len(value) < least:
        raise CarriedInvalid(where, "is empty")
    return value


def _object(
    value: Any, where: str, required: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CarriedInvalid(where, "is not an object")
    unknown = set(value) - required - optional
    if unknown:
        raise CarriedInvalid(where, "holds a key the app does not know")
    missing = required - set(value)
    if missing:
        raise CarriedInvalid(f"{where}.{sorted(missing)[0]}", "is missing")
    return value


def _text(value: Any, where: str, limit: int = MAX_NAME, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise CarriedInvalid(where, "is not text")
    if len(value) > limit:
        raise CarriedInvalid(where, f"is longer than {limit:,} characters")
    if not empty and not value.strip():
        raise CarriedInvalid(where, "is empty")
    if any(_breaks_a_line(ch) for ch in value):
        raise CarriedInvalid(where, "holds a control character")
    return value


def _when(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = _text(value, where, 40)
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise CarriedInvalid(where, "is not a date and time") from None
    return text


def valid_time(value: Any) -> str | None:
    """A date and time as carried, or None when it is not one (never raises)."""
    try:
        return _when(value, "time")
    except CarriedInvalid:
        return None


def _fingerprint(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _FINGERPRINT.fullmatch(value):
        raise CarriedInvalid(where, "is not a certificate fingerprint")
    return value


def _recorded(value: Any, where: str) -> dict[str, Any]:
    found = _object(value, where, {"by", "fingerprint", "at"})
    return {"by": _text(found["by"], f"{where}.by"),
            "fingerprint": _fingerprint(found["fingerprint"], f"{where}.fingerprint"),
            "at": _when(found["at"], f"{where}.at")}  # fmt: skip


def _via(value: Any, where: str) -> list[dict[str, Any]]:
    out = []
    for n, step in enumerate(_list(value, where, MAX_VIA)):
        at = f"{where}[{n}]"
        found = _object(step, at, {"from", "fingerprint", "at"})
        out.append({"from": _text(found["from"], f"{at}.from"),
                    "fingerprint": _fingerprint(found["fingerprint"], f"{at}.fingerprint"),
                    "at": _when(found["at"], f"{at}.at")})  # fmt: skip
    return out


def _copy(value: Any, where: str) -> dict[str, Any] | None:
    """A carried countersigned copy: its PDF (base64, no larger than the app reads) and the
    password it was read with. Whether it verifies is checked later (`check_copies`)."""
    if value is None:
        return None
    found = _object(value, where, {"pdf"}, frozenset({"password"}))
    text = found["pdf"]
    if not isinstance(text, str):
        raise CarriedInvalid(f"{where}.pdf", "is not text")
    if len(text) > (MAX_COPY_BYTES + 2) // 3 * 4:
        raise CarriedInvalid(f"{where}.pdf", f"is larger than {MAX_COPY_BYTES:,} bytes")
    try:
        pdf = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CarriedInvalid(f"{where}.pdf", "is not a PDF in base64") from None
    if not pdf:
        raise CarriedInvalid(f"{where}.pdf", "is empty")
    password = found.get("password")
    if password is not None and (not isinstance(password, str) or len(password) > MAX_PASSWORD):
        raise CarriedInvalid(f"{where}.password", "is not a password")
    return {"pdf": pdf, "password": password}


def _approval(value: Any, where: str) -> dict[str, Any]:
    keys = {"document", "approvals", "recorded", "via"}
    found = _object(value, where, keys, frozenset({"reference", "copy"}))
    reference = found.get("reference")
    signatures = []
    for n, a in enumerate(_list(found["approvals"], f"{where}.approvals", MAX_SIGNATURES, 1)):
        at = f"{where}.approvals[{n}]"
        one = _object(a, at, {"signer", "fingerprint"}, frozenset({"post", "time"}))
        signatures.append({
            "signer": _text(one["signer"], f"{at}.signer"),
            "post": _text(one.get("post") or "", f"{at}.post", empty=True),
            "time": _when(one.get("time"), f"{at}.time"),
            "fingerprint": _fingerprint(one["fingerprint"], f"{at}.fingerprint"),
        })  # fmt: skip
    return {
        "document": _text(found["document"], f"{where}.document"),
        "reference": None if reference is None else _text(reference, f"{where}.reference"),
        "approvals": signatures,
        "recorded": _recorded(found["recorded"], f"{where}.recorded"),
        "via": _via(found["via"], f"{where}.via"),
        "copy": _copy(found.get("copy"), f"{where}.copy"),
    }


class CopyRefused(ValueError):
    """A carried countersigned copy does not verify, or is not the record's: in words."""


def check_copies(carried: Carried, verify: Callable[[bytes, str | None], Sequence[Any]]) -> Carried:
    """Every carried countersigned copy read again with `verify` (`verify_document` with
    this vault's trusted colleagues, giving SignatureReports): each signature intact and
    valid, and its countersigners (every signer after the first but the first's own
    certificate, as `import_approval` counts them) exactly the record's, by certificate
    fingerprint, and with the signer, post and time the record shows. CopyRefused names
    the first that is not; the signers' trust is left for the vault to judge when it
    counts them. `verify` raises ValueError for an unreadable PDF."""
    for n, approval in enumerate(carried.approvals):
        copy = approval.get("copy")
        if not copy:
            continue
        which = f"the countersigned copy of {approval['document']} (approval {n + 1})"
        try:
            reports = list(verify(copy["pdf"], copy["password"]))
        except ValueError as exc:
            raise CopyRefused(f"{which} cannot be read: {exc}") from None
        if not reports or any(r.broken for r in reports):
            raise CopyRefused(f"{which} does not verify: a signature on it is broken")
        found = sorted((r.fingerprint, r.signer, r.post or "", r.time)
                       for r in countersignatures(reports))  # fmt: skip
        claimed = sorted(
            (a["fingerprint"], a["signer"], a["post"] or "", a["time"])
            for a in approval["approvals"]
        )
        if [f[0] for f in found] != [c[0] for c in claimed]:
            raise CopyRefused(f"{which} is not countersigned by the certificate its record names")
        if found != claimed:  # import_approval copies these from the copy as they are
            raise CopyRefused(f"{which} does not say what its record says (signer, post or time)")
    return carried


def _scalar(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_FACT_TEXT
    return value is None or isinstance(value, bool | int)


def _fact(value: Any, where: str) -> Any:
    """A letter's recorded value: only ever compared with the letter's value now, never
    shown, so its text may be free text of any characters."""
    if _scalar(value):
        return value
    if isinstance(value, list):
        for n, item in enumerate(_list(value, where, 100)):
            if not _scalar(item):
                raise CarriedInvalid(f"{where}[{n}]", "is not a value a letter records")
        return list(value)
    raise CarriedInvalid(where, "is not a value a letter records")


def _authorisation(value: Any, where: str) -> dict[str, Any]:
    found = _object(value, where, {"file", "facts", "at", "recorded", "via"})
    facts = found["facts"]
    if not isinstance(facts, dict):
        raise CarriedInvalid(f"{where}.facts", "is not an object")
    if len(facts) > MAX_FACTS:
        raise CarriedInvalid(f"{where}.facts", f"holds more than {MAX_FACTS}")
    checked = {
        _text(k, f"{where}.facts", 100): _fact(v, f"{where}.facts.{k}") for k, v in facts.items()
    }
    return {
        "file": _text(found["file"], f"{where}.file"),
        "facts": checked,
        "at": _when(found["at"], f"{where}.at"),
        "recorded": _recorded(found["recorded"], f"{where}.recorded"),
        "via": _via(found["via"], f"{where}.via"),
    }


MAX_HISTORY = 1000  # earlier versions of one case
MAX_DEPTH = 24  # nesting of an earlier version's answers (a case file's is under ten)
STATUSES = frozenset(s.value for s in Status)


def history(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The case's earlier versions as a handover carries them (any format version),
    checked as hostile before they are kept and printed in a subject access export: a list
    of {version, status, level, answers}, answers an object nested no deeper than a case
    file could be. Their text is kept as written (it is the sender's record)."""
    found = payload.get("history", [])
    out = []
    for n, entry in enumerate(_list(found, "history", MAX_HISTORY)):
        at = f"history[{n}]"
        one = _object(entry, at, {"version", "status", "level", "answers"})
        version = one["version"]
        if type(version) is not int or not 0 < version <= 100_000:
            raise CarriedInvalid(f"{at}.version", "is not a version number")
        if one["status"] not in STATUSES:
            raise CarriedInvalid(f"{at}.status", "is not a status the app knows")
        level = one["level"]
        if level is not None:
            _text(level, f"{at}.level", 40)
        if not isinstance(one["answers"], dict):
            raise CarriedInvalid(f"{at}.answers", "is not an object")
        if _depth(one["answers"]) > MAX_DEPTH:
            raise CarriedInvalid(f"{at}.answers", f"are nested deeper than {MAX_DEPTH} levels")
        out.append({"version": version, "status": one["status"], "level": level,
                    "answers": one["answers"]})  # fmt: skip
    return out


def _depth(value: Any) -> int:
    """How deeply a JSON value nests, without recursion (a hostile one may nest deeply)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def record_incoming(
    repo: Repository, case_id: int, carried: Carried, received: Mapping[str, Any]
) -> None:
    """Keep what came on the new case, each marked as received with this handover
    (`received`: its id, the sender as this vault knows them, when it was made), with the
    way it came and whether its countersigned copy came (checked by `check_copies` first)
    or was not kept; authorisation records are attached to the case's letter (the one the
    handover carried). Called inside the receiving transaction."""
    from app.casework.documents import LETTER, case_documents
    from app.casework.letters import AUTHORISATION_RECORD

    letters = case_documents(repo, case_id, LETTER)
    if carried.authorisations and not letters:
        raise CarriedInvalid("authorisations", "belong to a letter the handover did not carry")
    letter_id = letters[-1].id if letters else None
    for record in carried.authorisations:
        came = {**dict(received), "recorded": record["recorded"], "via": record["via"]}
        repo.add_document(
            case_id, AUTHORISATION_RECORD,
            {"file": record["file"], "letter": letter_id, "facts": record["facts"],
             "at": record["at"], "received": came},
        )  # fmt: skip
    from app.storage.clock import now

    for approval in carried.approvals:
        copy = approval.get("copy")
        came = {**dict(received), "recorded": approval["recorded"], "via": approval["via"],
                "copy": COPY_CHECKED if copy else COPY_NOT_KEPT,
                "checked": now() if copy else None}  # fmt: skip
        approval_id = repo.add_document(
            case_id, APPROVAL,
            {"document": approval["document"], "reference": approval["reference"],
             "approvals": approval["approvals"], "received": came},
        )  # fmt: skip
        if copy:  # kept here too, so the case can be handed on with it
            repo.add_document(
                case_id, APPROVAL_COPY, copy_record(approval_id, copy["pdf"], copy["password"])
            )


# --- in words ---------------------------------------------------------------------------


def day_words(stamp: Any) -> str:
    """ "5 June 2026" for a stored date or time; "" for none."""
    try:
        day = dt.date.fromisoformat(str(stamp)[:10])
    except ValueError:
        return ""
    return f"{day.day} {day:%B %Y}"


def received_words(received: Mapping[str, Any] | None) -> str:
    """How an approval came to this vault, in words ("" when it was recorded here from the
    countersigned copy): "received with the handover from Pat Fictional on 5 June 2026,
    recorded in their vault from the countersigned copy on 2 June 2026"."""
    if not received:
        return ""
    return _came_words(received) + copy_words(received)


def copy_words(received: Mapping[str, Any] | None) -> str:
    """What became of a received approval's countersigned copy, to follow how it came:
    "; the countersigned copy was checked in this vault on 6 June 2026" or "; the
    countersigned copy was not kept, so this vault could not check it" (also for one
    received before copies travelled); "" for one recorded here."""
    if not received:
        return ""
    if received.get("copy") == COPY_CHECKED:
        on = day_words(received.get("checked"))
        return "; the countersigned copy was checked in this vault" + (f" on {on}" if on else "")
    return "; the countersigned copy was not kept, so this vault could not check it"


def copy_checked(received: Mapping[str, Any] | None) -> bool:
    """Whether an approval counts as checked here: recorded here (not received), or
    received with its countersigned copy, checked in this vault."""
    return not received or received.get("copy") == COPY_CHECKED


def _came_words(received: Mapping[str, Any]) -> str:
    sender = str(received.get("from") or "a colleague")
    on = day_words(received.get("at"))
    said = f"received with the handover from {sender}" + (f" on {on}" if on else "")
    recorded = dict(received.get("recorded") or {})
    via = list(received.get("via") or [])
    by = str(recorded.get("by") or "")
    if not by:
        return said
    whose = "their" if by == sender and not via else f"{by}'s"
    when = day_words(recorded.get("at"))
    inner = f"recorded in {whose} vault from the countersigned copy" + (
        f" on {when}" if when else ""
    )
    steps = [
        f"handed on by {step.get('from')}" + (f" on {day_words(step.get('at'))}" if
                                              day_words(step.get("at")) else "")
        for step in via
    ]  # fmt: skip
    if steps:
        inner += " and " + ", then ".join(steps)
    return f"{said}, {inner}"


# what an exported file's name says it was (`assessment-<ref>-A.pdf`, …)
WHAT = (
    ("assessment-", "Assessment"), ("plans-", "Plans"),
    ("authorisation-", "Letter authorisation record"),
    ("information-report-", "Information report"),
    ("information-request-", "Information request"), ("letter-", "Disruption letter"),
)  # fmt: skip


@dataclass(frozen=True)
class ApprovalShown:
    """One manager's countersignature on the case, as a window or a command shows it."""

    document_id: int
    file: str  # the exported document it approved
    signer: str
    post: str
    time: str | None  # as the manager's clock claimed it
    fingerprint: str
    received: str  # how it came with a handover, in words; "" when recorded here
    standing: str  # why its signer is not trusted here now, in words; "" when trusted
    recorded_at: str  # when this vault recorded (or received) it
    sender: str = ""  # who handed it over, when it came with a handover
    # received without its countersigned copy: shown, but it does not count here
    unchecked: bool = False

    @property
    def status(self) -> str:
        return "Received" if self.received else "Recorded here"

    @property
    def brief(self) -> str:
        """One short line for a list, beside `status`: when it was countersigned, from whom
        it came, that its signer is not trusted here or that its countersigned copy did not
        come (the sentence says it all)."""
        when = day_words(self.time) or "time not given"
        came = f", from {self.sender}" if self.received else ""
        return (
            f"{when}{came}"
            + ("; copy not kept" if self.unchecked else "")
            + ("; not trusted here" if self.standing else "")
        )

    @property
    def what(self) -> str:
        return next((w for prefix, w in WHAT if self.file.startswith(prefix)), self.file)

    @property
    def title(self) -> str:
        """What was approved and by whom (their organisation is in the sentence)."""
        post = f", {self.post}" if self.post else ""
        return f"{self.what}: {self.signer.split(' (')[0]}{post}"

    @property
    def how(self) -> str:
        if self.received:
            return self.received
        on = day_words(self.recorded_at)
        return "recorded in this vault from the countersigned copy" + (f" on {on}" if on else "")

    @property
    def sentence(self) -> str:
        when = day_words(self.time)
        post = f", {self.post}" if self.post else ""
        said = (
            f"{self.what} ({self.file}) approved by {self.signer}{post}, countersigned "
            f"{when or 'at a time not given'}, certificate fingerprint starting "
            f"{self.fingerprint[:23]}; {self.how}."
        )
        return said + (f" {self.standing[0].upper()}{self.standing[1:]}." if self.standing else "")


def shown(repo: Repository, case_id: int, mine: str, trusted: set[str]) -> list[ApprovalShown]:
    """Every countersignature recorded on the case, oldest first, each saying how it came
    and whether its signer counts here now (`mine`: this vault's own fingerprint;
    `trusted`: its colleagues')."""
    from app.casework.documents import case_documents

    out = []
    for doc in case_documents(repo, case_id, APPROVAL):
        received = received_words(doc.data.get("received"))
        sender = str((doc.data.get("received") or {}).get("from") or "")
        for a in doc.data.get("approvals") or []:
            fingerprint = str(a.get("fingerprint") or "")
            if fingerprint and fingerprint == mine:
                standing = "it is your own certificate's signature, not a manager's"
            elif fingerprint not in trusted:
                standing = (
                    "its signer is not among this vault's trusted colleagues: add their "
                    "certificate if you know it is theirs"
                )
            else:
                standing = ""
            out.append(
                ApprovalShown(
                    doc.id, str(doc.data.get("document") or ""),
                    str(a.get("signer") or "an unnamed signer"), str(a.get("post") or ""),
                    a.get("time"), fingerprint, received, standing, doc.created_at, sender,
                    not copy_checked(doc.data.get("received")),
                )
            )  # fmt: skip
    return out
