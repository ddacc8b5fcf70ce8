"""The lifecycle of a case's information reports and disruption letters (Qt-free).

A document is a vault `documents` row: kind `information_report` ({"form", "answers"}, one
per victim) or `disruption_letter` (the case file's `letter` shape). Drafts always save;
`complete_document` is the one gate, listing every problem in the words the user sees.
The app and the command line both go through here; neither writes statuses or audit rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.casework.settings import profile as saved_profile
from app.forms import Field, Registry, Toolkit
from app.rules.casefile import CaseFileError, parse_field_value
from app.rules.engine import age_on
from app.rules.results import Problem
from app.rules.victim import VICTIM_AGE, VICTIM_DOB, VICTIM_NAME, per_victim_form, victim_level
from app.storage import Repository, audit
from app.storage.errors import ImmutableRecordError, RecordNotFoundError
from app.storage.models import DocumentRow
from app.storage.status import Status
from app.storage.vault import now

REPORT, LETTER = "information_report", "disruption_letter"
KINDS = (REPORT, LETTER)
DRAFT, COMPLETED = Status.DRAFT, Status.COMPLETED

# Form fields filled from the assessment and the profile when a report is started: the
# practitioner checks and edits them; nothing is filled that the assessment does not say.
CHILD_NAME, CHILD_DOB, CHILD_AGE = VICTIM_NAME, VICTIM_DOB, VICTIM_AGE
CHILD_DOB_TEXT = ("dob_approx_age",)
PRACTITIONER = {
    "name": "name",
    "name_professional": "name",
    "post": "post",
    "post_job_title": "post",
    "agency": "agency",
    "referring_agency": "agency",
    "organisation": "agency",
    "telephone": "phone",
    "email": "email",
}
CONTACT = ("contact_details", "contact_details_address_telephone", "professional_contact")
NOW = ("report_datetime", "date_time_form_completed")


class DocumentNotComplete(ValueError):
    """Raised by `complete_document`; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    case_id: int
    kind: str
    status: str
    data: dict[str, Any]
    created_at: str
    updated_at: str

    @property
    def form_id(self) -> str | None:
        return self.data.get("form") if self.kind == REPORT else None


def _record(row: DocumentRow) -> DocumentRecord:
    return DocumentRecord(
        row.id, row.case_id, row.kind, row.status, json.loads(row.data), row.created_at,
        row.updated_at,
    )  # fmt: skip


# -- definitions ------------------------------------------------------------------------
def forms(tk: Toolkit) -> list[Mapping[str, Any]]:
    return list(tk.data.get("information_forms", ()))


def form(tk: Toolkit, form_id: str) -> Mapping[str, Any]:
    """The form as filled: on a per-victim form, the level is the victim's own choice."""
    for f in forms(tk):
        if f["id"] == form_id:
            return per_victim_form(tk, f)
    raise KeyError(f"{form_id} is not an information form of {tk.id}")


def form_fields(form_def: Mapping[str, Any]) -> tuple[Field, ...]:
    """The fields the practitioner fills: a part the recipient answers (`answered_by`) is
    theirs, printed blank."""
    return tuple(
        Field.from_dict(f)
        for s in form_def["sections"]
        if not s.get("answered_by")
        for f in s["fields"]
    )


def visible(label: str) -> str:
    """A label as a sentence subject: no trailing colon or tick mark."""
    return label.rstrip(":✓ ").strip()


# -- reading ---------------------------------------------------------------------------
def case_documents(repo: Repository, case_id: int, kind: str | None = None) -> list[DocumentRecord]:
    """The case's reports and letters, oldest first (plans are not documents here)."""
    repo.get_case(case_id)  # RecordNotFoundError for a missing case
    with repo.vault.session() as s:
        query = select(DocumentRow).where(
            DocumentRow.case_id == case_id, DocumentRow.kind.in_((kind,) if kind else KINDS)
        )
        return [_record(r) for r in s.scalars(query.order_by(DocumentRow.id))]


def get_document(repo: Repository, document_id: int) -> DocumentRecord:
    with repo.vault.session() as s:
        row = s.get(DocumentRow, document_id)
        if row is None:
            raise RecordNotFoundError("document", document_id)
        return _record(row)


def assessment_answers(repo: Repository, case_id: int) -> dict[str, Any]:
    """What documents are written from: the latest completed assessment, else the draft."""
    chosen = repo.latest_final(case_id) or repo.assessments(case_id)[-1]
    return dict(chosen.answers)


# -- pre-filling -----------------------------------------------------------------------
def prefill_report(
    tk: Toolkit,
    form_id: str,
    assessment: Mapping[str, Any],
    profile: Mapping[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Answers a new report starts with: the child from the assessment, the practitioner."""
    at = at or dt.datetime.now()
    child = dict(assessment.get("child") or {})
    who = {**dict(profile or {}), **dict(assessment.get("practitioner") or {})}
    dob = child.get("date_of_birth")
    answers: dict[str, Any] = {}
    for f in form_fields(form(tk, form_id)):
        value: Any = None
        if f.id in CHILD_NAME:
            value = child.get("name") or None
        elif f.id in CHILD_DOB:
            value = dob
        elif f.id in CHILD_DOB_TEXT and dob:
            value = dt.date.fromisoformat(dob).strftime("%d/%m/%Y")
        elif f.id in CHILD_AGE and dob:
            value = age_on(dt.date.fromisoformat(dob), at.date())
        elif f.id in PRACTITIONER:
            value = who.get(PRACTITIONER[f.id]) or None
        elif f.id in CONTACT:
            parts = [str(who[k]) for k in ("phone", "email", "address") if who.get(k)]
            value = "\n".join(parts) or None
        elif f.id in NOW:
            value = at.strftime("%Y-%m-%dT%H:%M")
        elif f.id == "child_ethnicity" and child.get("ethnicity"):
            value = _choice_label(tk, "ethnicity", child["ethnicity"])
        elif f.id == "from_practitioner":
            value = ", ".join(str(who[k]) for k in ("name", "agency") if who.get(k)) or None
        if value is not None and f.type == "text":
            value = str(value)
        if value is not None:
            answers[f.id] = value
    return answers


def _choice_label(tk: Toolkit, field_id: str, option: str) -> str | None:
    for f in tk.child_fields:
        if f.id == field_id:
            return f.option_label(option)
    return None


def computed_values(tk: Toolkit, assessment: Mapping[str, Any]) -> dict[str, str]:
    """What a form's computed fields show, from the assessment (e.g. the final level).
    Only forms about the assessed child show these: a per-victim form's level is the
    victim's own (`victim_level_shown`)."""
    level = assessment.get("final_level")
    return {"final_level": tk.level_label(level) if level else ""}


def victim_level_shown(
    tk: Toolkit, field_id: str, answers: Mapping[str, Any], assessment: Mapping[str, Any],
    on: dt.date | None = None,
) -> str:  # fmt: skip
    """What a per-victim form prints for this victim's level when none is chosen."""
    found = victim_level(
        tk, field_id, answers, dict(assessment.get("child") or {}),
        assessment.get("final_level"), on or dt.date.today(),
    )  # fmt: skip
    return found.text


# -- lifecycle -------------------------------------------------------------------------
def new_report(
    repo: Repository,
    registry: Registry,
    case_id: int,
    form_id: str,
    *,
    at: dt.datetime | None = None,
) -> DocumentRecord:
    """A draft report on the toolkit's form, child and practitioner details pre-filled."""
    case = repo.get_case(case_id)
    tk = registry.get(case.toolkit)
    profile = saved_profile(repo)
    answers = prefill_report(tk, form_id, assessment_answers(repo, case_id), profile, at=at)
    doc_id = repo.add_document(case_id, REPORT, {"form": form_id, "answers": answers})
    return get_document(repo, doc_id)


def new_letter(repo: Repository, case_id: int, *, today: dt.date | None = None) -> DocumentRecord:
    """A draft letter dated today; every eligibility answer starts unanswered."""
    today = today or dt.date.today()
    doc_id = repo.add_document(case_id, LETTER, {"date": today.isoformat()})
    return get_document(repo, doc_id)


def save_draft(repo: Repository, document_id: int, data: dict[str, Any]) -> DocumentRecord:
    """Always saves, however incomplete; a completed document is never changed."""
    with repo.vault.session() as s:
        row = s.get(DocumentRow, document_id)
        if row is None:
            raise RecordNotFoundError("document", document_id)
        if row.status != DRAFT:
            raise ImmutableRecordError(row.kind, row.id, row.status)
        for change in audit.diff(json.loads(row.data), data):
            audit.append(s, "edited", row.kind, row.id, change)
        row.data = json.dumps(data, ensure_ascii=False, sort_keys=True)
        row.updated_at = now()
        return _record(row)


def discard(repo: Repository, document_id: int) -> None:
    """Remove a draft document (audited); completed documents stay."""
    with repo.vault.session() as s:
        row = s.get(DocumentRow, document_id)
        if row is None:
            raise RecordNotFoundError("document", document_id)
        if row.status != DRAFT:
            raise ImmutableRecordError(row.kind, row.id, row.status)
        audit.append(s, "discarded", row.kind, row.id, {"case": row.case_id})
        s.delete(row)


def report_problems(
    tk: Toolkit,
    form_id: str,
    answers: Mapping[str, Any],
    more: Mapping[str, list[Mapping[str, Any]]] | None = None,
) -> list[Problem]:
    """Empty required fields and unreadable values, named by their labels (and, in the
    copies of a section the form repeats, by the copy's number)."""
    problems: list[Problem] = []
    copied: list[Problem] = []
    sections = {s["id"]: s for s in form(tk, form_id)["sections"]}
    for section_id, copies in (more or {}).items():
        fields = form_fields({"sections": [sections[section_id]]})
        for n, copy in enumerate(copies, 2):
            for f in fields:
                try:
                    parse_field_value(f, copy.get(f.id), f.id)
                except CaseFileError as exc:
                    message = f"{visible(f.label)} (copy {n}): {exc.message}"
                    copied.append(Problem(f"{section_id}.{n}.{f.id}", message, "invalid"))
    for f in form_fields(form(tk, form_id)):
        value = answers.get(f.id)
        label = visible(f.label)
        if f.type == "computed":
            continue
        if f.required and value in (None, "", []):
            problems.append(Problem(f.id, f"{label} is required", "required"))
            continue
        try:
            parse_field_value(f, value, f.id)
        except CaseFileError as exc:
            problems.append(Problem(f.id, f"{label}: {exc.message}", "invalid"))
    return problems + copied


def problems(repo: Repository, registry: Registry, document_id: int) -> list[Problem]:
    doc = get_document(repo, document_id)
    tk = registry.get(repo.get_case(doc.case_id).toolkit)
    if doc.kind == REPORT:
        answers = doc.data.get("answers") or {}
        return report_problems(tk, str(doc.form_id), answers, doc.data.get("more"))
    from app.casework.letters import letter_problems
    from app.casework.oversight import letter_approvals

    profile = saved_profile(repo)
    approvals = letter_approvals(repo, registry, document_id)  # a countersigned agreement
    return letter_problems(tk, assessment_answers(repo, doc.case_id), doc.data, profile, approvals)


def complete_document(
    repo: Repository, registry: Registry, document_id: int, data: dict[str, Any] | None = None
) -> DocumentRecord:
    """Save (if given) then complete; raises DocumentNotComplete with every problem."""
    if data is not None:
        save_draft(repo, document_id, data)
    found = problems(repo, registry, document_id)
    if found:
        raise DocumentNotComplete(found)
    details = _agreement_audited(repo, registry, document_id)
    with repo.vault.session() as s:
        row = s.get(DocumentRow, document_id)
        assert row is not None
        if row.status != DRAFT:
            raise ImmutableRecordError(row.kind, row.id, row.status)
        row.status, row.updated_at = COMPLETED, now()
        audit.append(s, "completed", row.kind, row.id, {"case": row.case_id, **details})
        return _record(row)


def _agreement_audited(repo: Repository, registry: Registry, document_id: int) -> dict[str, Any]:
    """For a letter whose toolkit asks for a Head of Service agreement: how it was met
    ("countersigned", with the approving certificate's fingerprint, or "ticked"), so the
    audit shows later whether a manager's signature or the practitioner's word stood
    behind the letter, and whether that signature came with a handed-over case. Nothing
    for a report or a toolkit without the condition."""
    doc = get_document(repo, document_id)
    if doc.kind != LETTER:
        return {}
    from app.casework.letters import letter_check
    from app.casework.oversight import letter_approvals

    tk = registry.get(repo.get_case(doc.case_id).toolkit)
    approvals = letter_approvals(repo, registry, document_id)
    check = letter_check(tk, assessment_answers(repo, doc.case_id), doc.data, approvals)
    if not check.agreement:
        return {}
    if check.approver_fingerprint:
        found = {"agreement": check.agreement, "approver_fingerprint": check.approver_fingerprint}
        if check.approver_received:  # not checked here from the countersigned copy
            found["approval_received"] = check.approver_received
        return found
    return {"agreement": check.agreement}


def adopt_case_file_documents(
    repo: Repository, registry: Registry, case_id: int
) -> list[DocumentRecord]:
    """An imported case file's reports, letter and plans become the case's own documents:
    reports and letter completed when they pass the same gate as in the app, drafts
    otherwise."""
    answers = assessment_answers(repo, case_id)
    found: list[tuple[str, dict[str, Any]]] = [
        (REPORT, {k: v for k, v in r.items() if k in ("form", "answers", "more")})
        for r in answers.get("information_reports") or []
    ]
    if answers.get("letter"):
        found.append((LETTER, dict(answers["letter"])))
    plans = {
        k: answers[k] for k in ("disruption_plan", "support_plan") if answers.get(k)
    }  # the case file's plans become the case's plans, so every export route sends them
    if plans and not repo.documents(case_id, "plans"):
        plans.setdefault("disruption_plan", {})
        plans.setdefault("support_plan", {"rows": []})
        repo.save_document(case_id, "plans", plans)
    out = []
    for kind, data in found:
        doc_id = repo.add_document(case_id, kind, data)
        try:
            out.append(complete_document(repo, registry, doc_id))
        except DocumentNotComplete:
            out.append(get_document(repo, doc_id))
    return out
