"""Pre-fill a new draft's own "completed by" fields from the practitioner's profile.

start_case and start_review fill the case file's `practitioner` block; the toolkits also
ask, in Section 3, who completed the form and when. The app calls `prefill` right after
either, so the practitioner types their name once (in the profile), not on every form.
"""

from __future__ import annotations

from app.casework.settings import profile as saved_profile
from app.forms import Registry
from app.storage import AssessmentRecord, Repository

# The toolkits' own "completed by" fields, filled from the profile when empty (the
# practitioner can change them); dates completed start as the assessment date.
BY_PROFILE = {
    "practitioner_name": ("name",),
    "person_completing": ("name",),
    "completed_by": ("name", "post", "agency"),
    "professional_name_service": ("name", "agency"),
    "agency": ("agency",),
    "agency_contact": ("agency", "email", "phone"),
}
DATES = ("date_completed", "practitioner_date", "step4_date", "date_of_assessment")


def prefill(repo: Repository, registry: Registry, record: AssessmentRecord) -> AssessmentRecord:
    """A new draft's "completed by" and "date completed" answers from the practitioner's
    profile and the assessment date, where the toolkit has them and they are empty."""
    tk = registry.get(record.toolkit_id)
    ids = {f.id for f in tk.analysis_fields}
    profile = saved_profile(repo)
    answers = dict(record.answers)
    analysis = dict(answers.get("analysis") or {})
    for field_id, keys in BY_PROFILE.items():
        words = ", ".join(str(profile[k]) for k in keys if profile.get(k))
        if field_id in ids and words and not analysis.get(field_id):
            analysis[field_id] = words
    for field_id in DATES:
        if field_id in ids and not analysis.get(field_id) and answers.get("assessment_date"):
            analysis[field_id] = answers["assessment_date"]
    if analysis == (answers.get("analysis") or {}):
        return record
    answers["analysis"] = analysis
    return repo.save_draft(record.id, answers, record.page)
