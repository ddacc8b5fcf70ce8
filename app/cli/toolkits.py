"""`python -m app toolkits [--json]`: what the app will offer, item by item."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli import CliError
from app.forms import DefinitionError, Toolkit, load_registry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("toolkits", help="list the loaded toolkit definitions")
    p.add_argument("--json", action="store_true", help="print every item as JSON")
    p.add_argument(
        "--stamp",
        action="store_true",
        help="validate every definition file against its schema and record it, so later "
        "runs skip that stage (for maintainers, after editing a definition)",
    )
    p.set_defaults(func=run)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    ex = actions.add_parser("export-sheet", help="write an installed toolkit as a spreadsheet")
    ex.add_argument("toolkit", metavar="ID")
    ex.add_argument("out", metavar="FILE.xlsx", type=Path)
    ex.set_defaults(func=run_export_sheet)
    ck = actions.add_parser("check", help="check a toolkit spreadsheet without installing it")
    ck.add_argument("sheet", metavar="FILE.xlsx", type=Path)
    ck.add_argument("--json", action="store_true", help="print the result as JSON")
    ck.set_defaults(func=run_check)
    im = actions.add_parser("import-sheet", help="check a toolkit spreadsheet and install it")
    im.add_argument("sheet", metavar="FILE.xlsx", type=Path)
    im.set_defaults(func=run_import_sheet)
    sg = actions.add_parser(
        "sign", help="sign a toolkit spreadsheet as its partnership (password: CRE_P12_PASSWORD)"
    )
    sg.add_argument("sheet", metavar="FILE.xlsx", type=Path)
    sg.add_argument("--p12", type=Path, required=True, help="the partnership's PKCS#12 identity")
    sg.add_argument("--out", type=Path, help="where to write the signed copy (default: in place)")
    sg.set_defaults(func=run_sign)


def describe(tk: Toolkit) -> dict[str, Any]:
    def items(section: int) -> list[dict[str, Any]]:
        chosen = tk.section1_items if section == 1 else tk.section2_items
        return [{"id": i.id, "text": i.text, "band": i.band, "group": i.group_id} for i in chosen]

    return {
        "id": tk.id,
        "title": tk.title,
        "short_title": tk.short_title,
        "version": tk.version,
        "partnership": tk.partnership,
        "source_date": tk.source_date,
        "marking": tk.marking,
        "content_hash": tk.content_hash,
        "section1": items(1),
        "section2": items(2),
    }


def write_stamps(base: Path) -> Path:
    """Validate every definition in `base` against its schema, ignoring old stamps, and
    record the stamps (app.forms.validated)."""
    import yaml

    from app.forms import load_definition, load_monitoring_fields, validated
    from app.forms.loader import _schema
    from app.forms.shared_files import shared_schemas

    stamps: dict[str, str] = {}
    for name, schema in shared_schemas().items():
        text = (base / name).read_text("utf-8")
        errors = validated.schema_errors(schema, yaml.safe_load(text))
        if errors:
            raise CliError(f"{name}: {errors[0].message}")
        stamps[name] = validated.stamp(schema, text)
    monitoring = load_monitoring_fields(base)
    for path in sorted(base.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        text = path.read_text("utf-8")
        load_definition(text, path.name, monitoring)  # nothing trusted: the full checks
        stamps[path.name] = validated.stamp(_schema(), text)
    return validated.write(base, stamps)


def run(args: argparse.Namespace) -> int:
    if args.stamp:
        from app.forms.shared_files import definitions_dir

        try:
            written = write_stamps(Path(str(definitions_dir())))
        except DefinitionError as exc:
            raise CliError(str(exc)) from None
        print(f"wrote {written}")
        return 0
    registry = load_registry(eager=True)
    if args.json:
        payload = {"toolkits": [describe(tk) for tk in registry]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    for tk in registry:
        bands: dict[str, int] = {}
        for item in tk.section1_items:
            key = item.band or "unbanded"
            bands[key] = bands.get(key, 0) + 1
        counts = ", ".join(f"{n} {band}" for band, n in bands.items())
        print(f"{tk.id:22} {tk.short_title} ({tk.version})")
        print(f"{'':22} Section 1: {counts}; Section 2: {len(tk.section2_items)} factors")
    return 0


def _refuse_special(path: Path, what: str) -> None:
    """A FIFO or device given as a file would hang or never end: refuse it by name."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except OSError as exc:
        raise CliError(
            f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})"
        ) from None
    if not stat.S_ISREG(mode):
        raise CliError(f"{path}: {what} must be a regular file")


def _guard_output(out: Path, *inputs: Path) -> None:
    from app.cli.vault import guard_outputs

    if out.suffix.lower() != ".xlsx":
        raise CliError(f"{out}: the spreadsheet must be written as a .xlsx file")
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise CliError(f"{out}: not a plain file; choose another name")
    guard_outputs({"--out": out}, inputs=inputs)  # never onto the vault or the identity


def run_export_sheet(args: argparse.Namespace) -> int:
    from app.forms import UnknownToolkitError
    from app.forms.installed import install_source
    from app.forms.sheets import SheetWriteError, write_workbook

    _guard_output(args.out)
    registry = load_registry()
    try:
        registry.get(args.toolkit)
    except UnknownToolkitError as exc:
        raise CliError(str(exc)) from None
    except DefinitionError as exc:
        raise CliError(str(exc)) from None
    try:
        write_workbook(install_source(registry, args.toolkit), args.out)
    except SheetWriteError as exc:
        raise CliError(f"{args.toolkit} cannot be written as a spreadsheet: {exc}") from None
    print(f"wrote {args.out}")
    return 0


def _checked(sheet: Path) -> Any:
    from app.forms.installed import check_sheet

    if sheet.exists():
        _refuse_special(sheet, "the spreadsheet")
    return check_sheet(sheet, load_registry())


def run_check(args: argparse.Namespace) -> int:
    check = _checked(args.sheet)
    if args.json:
        print(json.dumps(check.as_json(), indent=2, ensure_ascii=False))
        return 0 if check.ok else 1
    for issue in check.issues:
        print(issue.line())
    if check.ok:
        tk = check.toolkit
        print(f"ok: {tk.id} ({tk.short_title}, {tk.version}), {check.content_hash}")
        print(f"   {check.issuer.describe() if check.issuer else 'made locally, unsigned'}")
        return 0
    print(f"{len(check.issues)} problem(s); nothing was installed")
    return 1


def run_import_sheet(args: argparse.Namespace) -> int:
    from app.forms.installed import install

    check = _checked(args.sheet)
    if not check.ok:
        for issue in check.issues:
            print(issue.line())
        raise CliError(f"{args.sheet}: {len(check.issues)} problem(s); nothing was installed")
    written = install(check, args.sheet)
    tk = check.toolkit
    if written is None:
        print(f"already installed, identical: {tk.id} ({check.content_hash})")
    else:
        print(f"installed {tk.id} ({tk.short_title}, {tk.version}), {check.content_hash}")
    return 0


def run_sign(args: argparse.Namespace) -> int:
    import os

    from app.forms.installed import sign_sheet

    _refuse_special(args.sheet, "the spreadsheet")
    _refuse_special(args.p12, "the PKCS#12 file")
    out = args.out or args.sheet
    _guard_output(out, args.p12)
    try:
        pkcs12 = args.p12.read_bytes()
    except OSError as exc:
        raise CliError(f"{args.p12}: cannot be read ({exc.strerror})") from None
    try:
        issuer = sign_sheet(
            args.sheet, pkcs12, os.environ.get("CRE_P12_PASSWORD", "").encode(), out
        )
    except ValueError as exc:
        raise CliError(f"{args.sheet}: {exc}") from None
    print(f"signed {out}: {issuer.describe()}")
    return 0
