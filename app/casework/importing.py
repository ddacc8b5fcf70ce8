"""Importing case files: all or nothing, completed exactly as the wizard would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.forms import Registry
from app.storage import Repository, casefiles


def import_cases(repo: Repository, registry: Registry, data: Any) -> list[int]:
    return casefiles.import_cases(repo, registry, data)


def import_file(repo: Repository, registry: Registry, path: Path) -> list[int]:
    return casefiles.import_file(repo, registry, path)
