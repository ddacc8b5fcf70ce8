"""`python -m app vault ...`: create, import, export, check, back up, restore, rekey.

The passphrase comes from CRE_VAULT_PASSPHRASE, else it is asked for without echo;
rekey's new passphrase from CRE_VAULT_NEW_PASSPHRASE, else asked for twice.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import CliError, EnvironmentFault

if TYPE_CHECKING:
    from app.storage import Vault


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("vault", help="manage the encrypted vault")

    def usage(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=usage)
    inner = p.add_subparsers(dest="vault_command", metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = inner.add_parser(name, help=help_text)
        a.add_argument("--vault", type=Path, help="vault file (default: the per-user location)")
        return a

    action("create", "create a new vault").set_defaults(func=run_create)
    imp = action("import", "import case files (all validated first; nothing written on error)")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=run_import)
    exp = action("export", "export one case or all cases as case files")
    exp.add_argument("--case", type=int, help="case id (default: all cases)")
    exp.add_argument("--out", type=Path, required=True)
    exp.set_defaults(func=run_export)
    action("check", "integrity checks and audit-chain verification").set_defaults(func=run_check)
    bak = action("backup", "an encrypted backup made by SQLCipher")
    bak.add_argument("--out", type=Path, required=True)
    bak.set_defaults(func=run_backup)
    res = action("restore", "restore a backup to a new vault file")
    res.add_argument("file", type=Path)
    res.add_argument("--out", type=Path, help="where to restore (default: --vault path)")
    res.set_defaults(func=run_restore)
    action("rekey", "change the passphrase").set_defaults(func=run_rekey)
    ref = action("find", "which case and export a document reference came from")
    ref.add_argument("reference", help="as printed on the document, e.g. CRE-20261125-06AF37-R1")
    ref.set_defaults(func=run_find)
    from app.cli.oversight import register_vault_actions

    register_vault_actions(action)
    from app.cli.retention import register_vault_actions as retention_actions

    retention_actions(action)


def vault_path(args: argparse.Namespace) -> Path:
    from app.storage import default_vault_path

    return Path(args.vault) if args.vault else default_vault_path()


def guard_outputs(
    outputs: dict[str, Path | None],
    *,
    inputs: tuple[Path | None, ...] = (),
    vault: Path | None = None,
    folders: tuple[str, ...] = (),
) -> None:
    """Refuse, before anything is opened or written, every output that would land on the
    vault (the command's and the per-user one), a file of the vault or an input; one line
    naming the option, exit 2, nothing changed."""
    from app.fileio import OutputRefused, guard_distinct, guard_output
    from app.storage import default_vault_path

    vaults = (vault, default_vault_path())
    try:
        for option, out in outputs.items():
            if out is not None:
                folder = option in folders
                guard_output(out, option, inputs=inputs, vaults=vaults, folder=folder)
        guard_distinct(outputs)
    except OutputRefused as exc:
        raise CliError(str(exc)) from None


def passphrase(prompt: str = "Vault passphrase: ", env: str = "CRE_VAULT_PASSPHRASE") -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"no passphrase: set {env} or run in a terminal")
    return getpass.getpass(prompt)


def new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    first = passphrase("New passphrase: ", env)
    if getpass.getpass("Repeat the new passphrase: ") != first:
        raise CliError("the two passphrases differ; nothing was changed")
    return first


def existing_vault(args: argparse.Namespace) -> Path:
    """The vault's path, refused before the passphrase is asked for when no vault is there
    (a mistyped --vault should not cost the practitioner their passphrase first)."""
    from app.storage.errors import VaultNotFoundError

    path = vault_path(args)
    if not path.exists():
        raise CliError(str(VaultNotFoundError(str(path))))
    return path


def open_vault_raw(args: argparse.Namespace) -> Vault:
    """The vault, its own errors left to the caller (`vault check` lists damaged pages)."""
    from app.storage import Vault
    from app.storage.errors import VaultWriteError

    try:
        return Vault.open(existing_vault(args), passphrase())
    except VaultWriteError as exc:
        raise EnvironmentFault(str(exc)) from None


def open_vault(args: argparse.Namespace, given: str | None = None) -> Vault:
    from app.storage import Vault, VaultError
    from app.storage.errors import VaultWriteError

    path = existing_vault(args)
    try:
        return Vault.open(path, given if given is not None else passphrase())
    except VaultWriteError as exc:
        raise EnvironmentFault(str(exc)) from None
    except VaultError as exc:
        raise CliError(str(exc)) from None


def run_create(args: argparse.Namespace) -> int:
    from app.storage import Vault, VaultError

    path = vault_path(args)
    try:
        Vault.create(path, new_passphrase("CRE_VAULT_PASSPHRASE")).close()
    except VaultError as exc:
        raise CliError(str(exc)) from None
    print(f"created {path}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.casework import import_cases
    from app.fileio import InputFileError, read_json_file
    from app.forms import load_registry
    from app.rules import CaseFileError
    from app.storage import Repository
    from app.storage.casefiles import check_cases

    try:
        data = read_json_file(args.file)  # before unlocking: a bad file costs no passphrase
    except InputFileError as exc:
        raise CliError(f"{exc} (nothing was imported)") from None
    registry = load_registry()
    try:  # every case validated before unlocking, too: a bad file costs no passphrase
        check_cases(registry, data)
    except CaseFileError as exc:
        raise CliError(f"{args.file}: {exc} (nothing was imported)") from None
    try:
        opened = open_vault(args)
    except EnvironmentFault as exc:
        raise EnvironmentFault(f"{exc} (nothing was imported)") from None
    with opened as vault:
        try:
            ids = import_cases(Repository(vault), registry, data)
        except CaseFileError as exc:
            raise CliError(f"{args.file}: {exc} (nothing was imported)") from None
        except Exception as exc:  # one transaction: whatever failed, it was rolled back
            if _disk_failure(exc):
                raise EnvironmentFault(
                    f"the disk is full or could not be written while importing {args.file}; "
                    "nothing was imported (the vault is as it was); free some space and "
                    "try again"
                ) from None
            raise
    print(f"imported {len(ids)} case(s): ids {', '.join(map(str, ids))}")
    return 0


def _disk_failure(exc: BaseException) -> bool:
    from app.storage.errors import VaultWriteError

    text = str(getattr(exc, "orig", None) or exc)
    return isinstance(exc, VaultWriteError | OSError) or (
        "database or disk is full" in text or "disk I/O error" in text
    )


def run_export(args: argparse.Namespace) -> int:
    from app.storage import RecordNotFoundError, Repository
    from app.storage.casefiles import export_cases

    guard_outputs({"--out": args.out}, vault=vault_path(args))
    with open_vault(args) as vault:
        try:
            count = export_cases(Repository(vault), args.out, args.case)
        except RecordNotFoundError as exc:
            raise CliError(str(exc)) from None
    print(f"exported {count} case(s) to {args.out}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Never fails itself: every damaged page, every broken audit entry, every lost change
    is a line of the report; a vault too damaged to open still has its pages listed."""
    from app.storage import VaultDamagedError
    from app.storage.vault import inspect

    try:
        vault = open_vault_raw(args)
    except VaultDamagedError as exc:
        for problem in inspect(vault_path(args), passphrase()):
            print(f"damaged: {problem}")
        raise CliError(str(exc)) from None
    with vault:
        report = vault.full_check()
    for problem in report.pages:
        print(f"damaged: {problem}")
    for problem in report.audit:
        print(f"audit chain broken at {problem}")
    for problem in report.history:
        print(f"changes lost: {problem}")
    for problem in report.records:
        print(f"record changed outside the app: {problem}")
    if report.damaged:
        print(
            f"the vault file {vault_path(args)} is damaged; your passphrase is right; "
            "restore a backup (the file was kept as it is)"
        )
    if not report.ok:
        return 1
    print(
        "ok: cipher_integrity_check, integrity_check, every record against its last audited "
        "state, the keyed audit chain and its anchor all pass"
    )
    return 0


def run_find(args: argparse.Namespace) -> int:
    from app.storage import Repository
    from app.storage.references import find_reference

    with open_vault(args) as vault:
        traces = find_reference(Repository(vault), args.reference)
    if not traces:
        print(f"no export with the reference {args.reference} in this vault")
        return 1
    for t in traces:
        print(f"{t.at}  case {t.case_id} ({t.child_name or 'no name'}): {', '.join(t.files)}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from app.casework.retention import stale_backups
    from app.storage import Repository

    guard_outputs({"--out": args.out}, vault=vault_path(args))
    with open_vault(args) as vault:
        vault.backup(args.out)
        stale = stale_backups(Repository(vault))
    print(f"backup written to {args.out}")
    for path in stale:  # purged cases live on in backups made before the purge
        print(f"warning: the older backup {path} was made before a purge; delete it")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from app.storage import VaultError, restore

    target = Path(args.out) if args.out else vault_path(args)
    from app.casework.retention import due_for_purge
    from app.fileio import vault_family
    from app.storage import Repository, Vault

    guard_outputs({"--out": target}, inputs=tuple(vault_family(args.file)))
    try:
        restore(args.file, target, passphrase())
        with Vault.open(target, passphrase()) as restored:
            due = due_for_purge(Repository(restored))
    except VaultError as exc:
        raise CliError(str(exc)) from None
    print(f"restored {args.file} to {target}")
    if due:  # a backup made before a purge brings purged cases back
        print(
            f"warning: the restored vault holds {len(due)} closed case(s) past their "
            "retention period; run 'vault purge --dry-run' and purge them again"
        )
    return 0


def run_rekey(args: argparse.Namespace) -> int:
    from app.storage import VaultError

    existing_vault(args)
    old = passphrase()  # asked once: it opens the vault and confirms the change
    with open_vault(args, old) as vault:
        try:
            vault.rekey(old, new_passphrase("CRE_VAULT_NEW_PASSPHRASE"))
        except VaultError as exc:
            raise CliError(str(exc)) from None
    print("passphrase changed")
    return 0
