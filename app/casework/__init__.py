"""The one place that moves assessments and documents through their lifecycle.

Qt-free. The app and the command line call these functions with the repository and the
toolkit registry they hold; neither writes statuses, levels or audit entries itself.

Exporting and the signing identity are loaded on first use (PEP 562): they bring in
reportlab, pyHanko and cryptography, which `vault import` and the unlock window never need.
"""

import importlib
from typing import TYPE_CHECKING, Any

from app.casework.assessments import (
    DraftExistsError,
    NotCompleteError,
    complete,
    discard_draft,
    latest_final,
    save_draft,
    start_case,
    start_review,
)
from app.casework.importing import import_cases, import_file
from app.rules import Completion, check_completion, completion_problems
from app.storage.status import Status

_LATER = {
    "NothingFinalError": "app.casework.exporting",
    "export_case": "app.casework.exporting",
    "signing_identity": "app.casework.identity",
}

if TYPE_CHECKING:
    from app.casework.exporting import NothingFinalError, export_case
    from app.casework.identity import signing_identity


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module(_LATER[name]), name)
    raise AttributeError(f"module 'app.casework' has no attribute {name!r}")


__all__ = [
    "Completion",
    "DraftExistsError",
    "NotCompleteError",
    "NothingFinalError",
    "Status",
    "check_completion",
    "complete",
    "completion_problems",
    "discard_draft",
    "export_case",
    "import_cases",
    "import_file",
    "latest_final",
    "save_draft",
    "signing_identity",
    "start_case",
    "start_review",
]
