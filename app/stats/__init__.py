"""Partnership statistics in the shape of the Derby annual report's Appendix A.

Inputs are `CaseFacts`: what statistics may know about a case (monitoring categories,
dates and levels of completed assessments and meetings, attendance, key worker,
priority areas, models of abuse, closure), never a name, a date of birth or free
text, so an exported bundle cannot identify a child.
"""

from app.stats.bundle import BundleError, merge_bundles, read_bundle, to_bundle, write_bundle
from app.stats.report import (
    AssessmentFact,
    Cancelled,
    CaseFacts,
    MeetingFact,
    Period,
    StatsReport,
    StatsRow,
    build_report,
    quarters,
)

__all__ = [
    "AssessmentFact",
    "BundleError",
    "Cancelled",
    "CaseFacts",
    "MeetingFact",
    "Period",
    "StatsReport",
    "StatsRow",
    "build_report",
    "merge_bundles",
    "quarters",
    "read_bundle",
    "to_bundle",
    "write_bundle",
]
