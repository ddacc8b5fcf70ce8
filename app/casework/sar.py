"""Subject access: everything this vault holds about one child, gathered for a request.

One readable, signed PDF (every assessment version, the case's documents, meetings,
plans, case facts and every audit entry about the case) and the machine-readable case
file, plus a list of what was left out and why, for the practitioner to review before
release. The same function serves `python -m app sar` and the case window's action. A
purged case has nothing left to give: the request is answered with when it was purged.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.casework.settings import profile as saved_profile
from app.forms import Registry, Toolkit
from app.storage import Repository
from app.storage import purge as storage_purge
from app.storage.models import AuditRow, CaseRow

# Document kinds whose contents name other people (alleged perpetrators, their addresses,
# witnesses): listed, but their contents withheld for the practitioner's review.
THIRD_PARTY_KINDS = {
    "information_report": "names and details of other people (alleged perpetrators, "
    "vehicles, addresses, witnesses): third parties' data, to be reviewed and redacted "
    "before release",
    "disruption_letter": "a letter addressed to another person (an alleged perpetrator): "
    "third party's data, to be reviewed before release",
    # what a letter's authorisation record attested when exported (the recipient too)
    "letter_authorisation": "the facts of a letter to another person (an alleged "
    "perpetrator): third party's data, to be reviewed before release",
}
# Keys inside an assessment's answers that hold other people's details.
THIRD_PARTY_KEYS = {
    "information_reports": "information reports carried in the case file: they name "
    "other people (alleged perpetrators, addresses, vehicles): third parties' data",
    "letter": "disruption letter details carried in the case file: addressed to another "
    "person (an alleged perpetrator): third party's data",
    "perpetrators": "details of alleged perpetrators (third parties)",
}


class CasePurged(LookupError):
    """The case was purged: the request is answered with that and when."""

    def __init__(self, case_id: int, tombstone: dict[str, Any]) -> None:
        self.tombstone = tombstone
        when = str(tombstone.get("purged_at", ""))[:10]
        super().__init__(
            f"Case {case_id} ({tombstone.get('reference', '')}) was purged on {when} "
            f"under the retention policy: this vault holds nothing more about the child "
            "than that it was purged."
        )


@dataclass(frozen=True)
class Block:
    """One item held (an assessment version, a meeting, a document, an audit entry)."""

    heading: str
    rows: list[tuple[str, str]]


@dataclass
class SubjectAccess:
    case_id: int
    child_name: str
    toolkit: str
    generated: dt.datetime
    sections: list[tuple[str, list[Block]]] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)
    case_file: dict[str, Any] = field(default_factory=dict)

    def count(self, section: str) -> int:
        return next((len(b) for name, b in self.sections if name == section), 0)


def _labels(tk: Toolkit | None) -> dict[str, str]:
    if tk is None:
        return {}
    out = {i.id: i.text for i in (*tk.section1_items, *tk.section2_items)}
    for f in (*tk.child_fields, *tk.analysis_fields):
        out[f.id] = f.label
    out.update(section1="Section 1", section2="Section 2", child="Child")
    return out


def _text(value: Any) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value)
    return str(value)


def _flatten(value: Any, labels: dict[str, str], path: str = "") -> list[tuple[str, str]]:
    """(where, what) for every answer given, ids read as the form's own words."""
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, sub in value.items():
            name = labels.get(str(key), str(key).replace("_", " "))
            rows += _flatten(sub, labels, f"{path} › {name}" if path else name)
        return rows
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        rows = []
        for n, sub in enumerate(value, 1):
            rows += _flatten(sub, labels, f"{path} {n}")
        return rows
    if value in (None, "", [], False):
        return []
    return [(path[:1].upper() + path[1:], _text(value))]


def about_case(row: AuditRow, case_id: int, ids: dict[str, set[int]], name: str) -> bool:
    return storage_purge.about(row, case_id, ids, name)


def gather(
    repo: Repository, registry: Registry, case_id: int, now: dt.datetime | None = None
) -> SubjectAccess:
    """Everything held about the case, in the order a reader expects."""
    from app.storage.meetings import case_facts, meetings

    tomb = storage_purge.purged_case(repo.vault, case_id)
    if tomb is not None:
        raise CasePurged(case_id, tomb)
    summary = repo.get_case(case_id)  # RecordNotFoundError for an unknown case
    try:
        tk: Toolkit | None = registry.get(summary.toolkit)
    except KeyError:
        tk = None
    labels = _labels(tk)
    sar = SubjectAccess(case_id, summary.child_name, tk.title if tk else summary.toolkit,
                        now or dt.datetime.now())  # fmt: skip
    with repo.vault.session() as s:
        case = s.get(CaseRow, case_id)
        assert case is not None
        record = [
            ("Name", case.child_name), ("Date of birth", case.date_of_birth or ""),
            ("Toolkit", sar.toolkit), ("Status", case.status),
            ("Current level", case.current_level or ""), ("Review due", case.review_due or ""),
            ("Case opened", case.created_at[:10]), ("Last changed", case.updated_at[:10]),
            ("Models of abuse", ", ".join(json.loads(case.models_of_abuse or "[]"))),
            ("Closed on", case.closed_on or ""), ("Closure reason", case.closure_reason or ""),
            ("Recorded on the council's system", case.recorded_on or ""),
        ]  # fmt: skip
    sar.sections.append(("The case record", [Block("Case details", [r for r in record if r[1]])]))

    versions = []
    for a in repo.assessments(case_id):
        answers = dict(a.answers)
        for key, why in THIRD_PARTY_KEYS.items():
            if answers.get(key):
                answers.pop(key)
                sar.withheld.append((f"Assessment version {a.version}: {key}", why))
        head = [("Status", a.status), ("Level", a.level or ""), ("Started", a.created_at[:10]),
                ("Last changed", a.updated_at[:10]), ("Review", "yes" if a.is_review else "no"),
                ("Toolkit version", a.toolkit_version)]  # fmt: skip
        versions.append(Block(f"Assessment version {a.version}", head + _flatten(answers, labels)))
    sar.sections.append(("Assessments (every version)", versions))

    docs, plans = [], []
    for doc_id, kind, data in repo.documents(case_id):
        title = kind.replace("_", " ").capitalize()
        if kind in THIRD_PARTY_KINDS:
            docs.append(Block(f"{title} (document {doc_id})", [("Contents", "withheld: see "
                              "“What was left out and why”")]))  # fmt: skip
            sar.withheld.append((f"{title} (document {doc_id})", THIRD_PARTY_KINDS[kind]))
        elif kind == "approval_copy":  # the PDF is the document it approved: not again here
            contents = (
                f"the countersigned PDF ({data.get('size')} bytes, SHA-256 "
                f"{data.get('sha256')}) kept with approval document {data.get('approval')}"
            )
            docs.append(Block(f"{title} (document {doc_id})", [("Contents", contents)]))
        elif kind == "plans":
            plans.append(Block(f"Plans (document {doc_id})", _flatten(data, labels)))
        else:
            docs.append(Block(f"{title} (document {doc_id})", _flatten(data, labels)))
    sar.sections.append(("Documents", docs))
    sar.sections.append(("Plans", plans))
    sar.sections.append((
        "Meetings",
        [Block(f"Meeting on {m.data.get('date', '')}", _flatten(m.data, labels))
         for m in meetings(repo, case_id)],
    ))  # fmt: skip
    sar.sections.append(
        (
            "Case facts",
            [
                Block(
                    "Case facts",
                    _flatten(case_facts(repo, case_id), labels) or [("Recorded", "none")],
                )
            ],
        )
    )
    sar.sections.append(("Audit entries about the case", _audit_blocks(repo, case_id, summary)))
    sar.withheld.append((
        "The practitioner's signing key and certificates",
        "security credentials, not information about the child",
    ))  # fmt: skip
    sar.case_file = _case_file(repo, case_id)
    for key in THIRD_PARTY_KEYS:
        sar.case_file.pop(key, None)
    return sar


def _audit_blocks(repo: Repository, case_id: int, summary: Any) -> list[Block]:
    from app.storage.meetings import MeetingRow
    from app.storage.models import AssessmentRow, DocumentRow

    blocks = []
    with repo.vault.session() as s:
        ids = {
            "assessment": set(
                s.scalars(select(AssessmentRow.id).where(AssessmentRow.case_id == case_id))
            ),
            "document": set(
                s.scalars(select(DocumentRow.id).where(DocumentRow.case_id == case_id))
            ),
            "meeting": set(s.scalars(select(MeetingRow.id).where(MeetingRow.case_id == case_id))),
        }
        for row in s.scalars(select(AuditRow).order_by(AuditRow.id)):
            if about_case(row, case_id, ids, summary.child_name):
                try:
                    detail = json.loads(row.detail)
                except ValueError:
                    detail = row.detail
                rows = [("When", row.at.replace("T", " ")[:19]), ("What", row.action)]
                field_root = (
                    str(detail.get("field", "")).split(".")[0] if isinstance(detail, dict) else ""
                )
                if (
                    row.entity in THIRD_PARTY_KINDS and row.action != "created"
                ) or field_root in THIRD_PARTY_KEYS:
                    rows.append(("Detail", "withheld: about another person's details"))
                elif isinstance(detail, dict):
                    rows += _flatten(detail, {})
                blocks.append(Block(f"Entry {row.id}: {row.action} {row.entity}", rows))
    return blocks


def _case_file(repo: Repository, case_id: int) -> dict[str, Any]:
    from app.storage.meetings import case_records
    from app.storage.status import Status

    live = [a for a in repo.assessments(case_id) if a.status != Status.DISCARDED]
    newest = live[-1].answers if live else {}
    return {**newest, **case_records(repo, case_id)}


@dataclass(frozen=True)
class SarResult:
    pdf: Path
    case_file: Path
    withheld: Path


def export_sar(
    repo: Repository, registry: Registry, case_id: int, out_dir: Path,
    now: dt.datetime | None = None,
) -> SarResult:  # fmt: skip
    """Write the signed PDF, the case file and the withheld list into `out_dir` (audited)."""
    from app.casework.identity import signing_identity
    from app.documents.signing import check_identity, sign
    from app.documents.subject_access import sar_pdf
    from app.fileio import atomic_write_bytes, atomic_write_text
    from app.storage import audit

    sar = gather(repo, registry, case_id, now)
    identity = signing_identity(repo)
    info = check_identity(identity)
    profile = saved_profile(repo)
    slot: dict[str, Any] = {
        "name": str(profile.get("name") or info.signer), "post": str(profile.get("post") or ""),
        "date": f"{sar.generated:%d %B %Y}", "signed_at": f"{sar.generated:%d %B %Y %H:%M}",
        "signer": info.signer, "issuer": info.issuer, "self_signed": info.self_signed,
        "fingerprint": info.fingerprint, "draft": False,
    }  # fmt: skip
    pdf = sar_pdf(sar, slot)
    signed = sign(pdf, identity, signer_name=str(slot["name"]), slot=slot,
                  reason="Subject access: everything held about the child")  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem = f"subject-access-case-{case_id}-{sar.generated:%Y%m%d}"
    result = SarResult(
        out_dir / f"{stem}.pdf",
        out_dir / f"{stem}-case-file.json",
        out_dir / f"{stem}-left-out.txt",
    )
    atomic_write_bytes(result.pdf, signed)
    atomic_write_text(result.case_file, json.dumps(sar.case_file, ensure_ascii=False, indent=1))
    atomic_write_text(
        result.withheld,
        "What was left out of this subject access export, and why:\n"
        + "".join(f"- {what}: {why}\n" for what, why in sar.withheld),
    )
    with repo.vault.session() as s:
        audit.append(s, "exported", "case", case_id,
                     {"what": "subject access", "where": str(out_dir)})  # fmt: skip
    return result
