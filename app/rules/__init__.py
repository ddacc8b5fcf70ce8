"""The toolkits' rules as pure functions over plain data (no Qt, no database)."""

from app.rules.casefile import Case, CaseFileError, new_case, parse_case
from app.rules.completeness import (
    Completion,
    check_completion,
    completion_problems,
    missing_required,
    recordable_level,
)
from app.rules.display import display_values, level_label, note_shown, summary_checklist
from app.rules.engine import age_on, assess, case_facts
from app.rules.facts import Facts, note_applies
from app.rules.levels import Level
from app.rules.results import (
    AssessmentResult,
    LetterApproval,
    LetterCheck,
    Problem,
    Reason,
    Step,
)

__all__ = [
    "AssessmentResult",
    "Case",
    "CaseFileError",
    "Completion",
    "Facts",
    "LetterApproval",
    "LetterCheck",
    "Level",
    "Problem",
    "Reason",
    "Step",
    "age_on",
    "assess",
    "case_facts",
    "check_completion",
    "completion_problems",
    "display_values",
    "level_label",
    "missing_required",
    "new_case",
    "note_applies",
    "note_shown",
    "parse_case",
    "recordable_level",
    "summary_checklist",
]
