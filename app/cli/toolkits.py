"""`python -m app toolkits [--json]`: what the app will offer, item by item."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.forms import Toolkit, load_registry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("toolkits", help="list the loaded toolkit definitions")
    p.add_argument("--json", action="store_true", help="print every item as JSON")
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


def run(args: argparse.Namespace) -> int:
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
