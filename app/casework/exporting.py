"""Exporting a vault case: its latest completed assessment, signed, audited with the reference.

A newer draft (a review in progress) is never exported as final: what a recipient gets is
what the practitioner completed. Exporting marks that assessment signed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.casework.settings import profile as saved_profile
from app.documents.export import ExportResult
from app.documents.signing import Identity
from app.forms import Registry
from app.storage import Repository

PLANS = "plans"
PRACTITIONER_KEYS = ("name", "post", "agency", "team", "email", "phone", "address")  # not
# "post_on_letters": the letter takes that from the profile, the forms the real post


class NothingFinalError(ValueError):
    """The case has no completed assessment to export."""

    def __init__(self) -> None:
        super().__init__(
            "This case has no completed assessment yet. Complete the assessment first: "
            "drafts are never exported as final."
        )


def case_file_for_export(repo: Repository, case_id: int, answers: dict[str, Any]) -> dict[str, Any]:
    """The assessment's answers plus what travels with it: the case's plans and the
    practitioner's details from the profile where the assessment left them empty."""
    data = dict(answers)
    stored = repo.documents(case_id, PLANS)
    plans = stored[0][2] if stored else {}
    if plans.get("disruption_plan"):
        data["disruption_plan"] = plans["disruption_plan"]
    if (plans.get("support_plan") or {}).get("rows"):
        data["support_plan"] = plans["support_plan"]
    profile = saved_profile(repo)
    own = dict(data.get("practitioner") or {})
    if own.get("name") and own.get("name") != profile.get("name"):
        profile = {}  # a colleague's case: never their name with this user's details
    merged = {**profile, **own}
    data["practitioner"] = {k: v for k, v in merged.items() if k in PRACTITIONER_KEYS and v}
    return data


def export_case(
    repo: Repository,
    registry: Registry,
    case_id: int,
    out_dir: Path,
    identity: Identity,
    *,
    passwords: dict[str, str] | None = None,
    eml: bool = False,
    now: dt.datetime | None = None,
    unencrypted_email: bool = False,
) -> ExportResult:
    """Every completed document of the case, signed, through the same package export the
    app's export dialog uses: the latest completed (or signed) assessment, its plans, and
    the completed information reports and letter. Raises NothingFinalError when the case
    has no completed assessment."""
    from app.casework import package

    if repo.latest_final(case_id) is None:
        raise NothingFinalError()
    ready = [o for o in package.offers(repo, registry, case_id) if o.ready]
    return package.export_package(
        repo,
        registry,
        case_id,
        out_dir,
        identity,
        ready,
        passwords=passwords,
        eml=eml,
        now=now,
        unencrypted_email=unencrypted_email,
    )
