"""Importing case files: all or nothing (one transaction), completed as the wizard would.

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
    """Every case and every one of its documents in ONE transaction: a kill, a full disk
    or an error at any step leaves the vault as it was (nothing imported, truly)."""
    repo.vault.require_sound_pages()  # never into a damaged vault
    with repo.vault.transaction():
        ids = casefiles.import_cases(repo, registry, data)
        for case_id in ids:
            adopt_case_file_documents(repo, registry, case_id)
    return ids


def import_file(repo: Repository, registry: Registry, path: Path) -> list[int]:
    from app.fileio import InputFileError, read_json_file
    from app.rules import CaseFileError

    try:
        data = read_json_file(Path(path))
    except InputFileError as exc:
        raise CaseFileError("(file)", str(exc)) from None
    return import_cases(repo, registry, data)


def make_demo_vault(path: Path, registry: Registry, today: Any = None) -> Any:
    """The one way to make a demo vault (app and command line): fictional cases across all
    four toolkits, imported like any case file, and the vault marked DEMO so every window
    and document says so."""
    import datetime as dt

    from app.demo import DEMO_PASSPHRASE, DEMO_SETTING, demo_cases
    from app.storage import Vault

    vault = Vault.create(path, DEMO_PASSPHRASE)
    try:
        repo = Repository(vault)
        cases = demo_cases(registry, today or dt.date.today())
        import_cases(repo, registry, {"format": "cre-case-export", "version": 1, "cases": cases})
        repo.set_setting(DEMO_SETTING, True)
    except BaseException:
        vault.close()
        raise
    return vault
