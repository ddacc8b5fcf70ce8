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
