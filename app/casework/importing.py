"""Importing case files: all or nothing, completed exactly as the wizard would.

A case file's information reports and disruption letter become the case's own documents
(completed when they pass the same gate as in the app), so the case view lists them and
a vault export sends them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.casework.documents import adopt_case_file_documents
from app.forms import Registry
from app.storage import Repository, casefiles


def import_cases(repo: Repository, registry: Registry, data: Any) -> list[int]:
    ids = casefiles.import_cases(repo, registry, data)
    for case_id in ids:
        adopt_case_file_documents(repo, registry, case_id)
    return ids


def import_file(repo: Repository, registry: Registry, path: Path) -> list[int]:
    ids = casefiles.import_file(repo, registry, path)
    for case_id in ids:
        adopt_case_file_documents(repo, registry, case_id)
    return ids
