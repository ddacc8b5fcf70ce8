"""The toolkits' rules as pure functions over plain data (no Qt, no database)."""

from app.rules.casefile import Case, CaseFileError, new_case, parse_case
from app.rules.completeness import (
    Completion,
    check_completion,
    completion_problems,
    missing_required,
)
from app.rules.engine import age_on, assess
from app.rules.levels import Level
from app.rules.results import AssessmentResult, LetterCheck, Problem, Reason

__all__ = [
    "AssessmentResult",
    "Case",
    "CaseFileError",
    "Completion",
    "LetterCheck",
    "Level",
    "Problem",
    "Reason",
    "age_on",
    "assess",
    "check_completion",
    "completion_problems",
    "missing_required",
    "new_case",
    "parse_case",
]
