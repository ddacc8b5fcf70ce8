"""Importing case files: all or nothing (one transaction), completed as the wizard would.

The app's File → Import… calls `import_path`, which lists every problem in words (the
command line's `vault import` names the first and exits); both import with `import_cases`.

A case file's information reports and disruption letter become the case's own documents
(completed when they pass the same gate as in the app), so the case view lists them and
a vault export sends them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.casework.documents import adopt_case_file_documents
from app.forms import Registry
from app.rules import CaseFileError
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


def import_problems(registry: Registry, data: Any) -> list[str]:
    """Every case's problem, named by case and field, before anything is written."""
    try:
        cases = casefiles.read_cases(data)
    except CaseFileError as exc:
        return [str(exc)]
    _parsed, found = casefiles.parse_cases(registry, cases)
    many = len(cases) > 1  # each one line: [Case N: ]path (label): message
    return [f"Case {index + 1}: {exc}" if many else str(exc) for index, exc in found]


@dataclass
class ImportResult:
    """The cases imported, or (nothing imported) every problem as a sentence."""

    case_ids: list[int]
    problems: list[str]


def import_path(repo: Repository, registry: Registry, path: Path) -> ImportResult:
    """All or nothing: every problem listed, or every case imported with its documents.

    The file goes through the same guards as the command line's (`read_json_file`: a
    regular file of sensible size, no duplicate keys, NaN, lone surrogates or deep
    nesting) and the same validation; every failure, the vault's included, comes back
    as a sentence for the import window, never as an exception."""
    from app.fileio import InputFileError, read_json_file
    from app.rules.safe import one_line
    from app.storage import VaultError

    name = one_line(path.name, 80)
    try:
        data = read_json_file(path)
    except InputFileError as exc:
        return ImportResult([], [f"{exc}."])
    problems = import_problems(registry, data)
    if problems:
        return ImportResult([], problems)
    try:
        return ImportResult(import_cases(repo, registry, data), [])
    except CaseFileError as exc:  # checked above; kept so no path can raise
        return ImportResult([], [str(exc)])
    except VaultError as exc:
        return ImportResult([], [f"The vault could not take the import: {one_line(str(exc))}"])
    except OSError as exc:
        why = one_line(exc.strerror or "the vault's disk could not be written")
        return ImportResult([], [f"{name} could not be imported ({why}); nothing was imported."])
