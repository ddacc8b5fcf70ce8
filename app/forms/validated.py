"""Which definition texts have already passed their JSON Schema, so a run can skip it.

Importing jsonschema and validating a toolkit is about a fifth of the start-up of
`python -m app export`, repeated on every start for files that never change.
`_validated.json` beside the definitions lists a stamp per file: the SHA-256 of the
schema and the exact text that passed it. A file whose text (or whose schema) changed
no longer matches its stamp and is validated as before; only the schema stage is
skipped, never the parse or the semantic checks. `python -m app toolkits --stamp`
validates every file and rewrites the list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

STAMP_FILE = "_validated.json"


def stamp(schema: Mapping[str, Any], text: str) -> str:
    schema_text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(schema_text.encode("utf-8") + b"\0" + text.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


@cache
def _read(location: str) -> frozenset[str]:
    try:
        data = json.loads(Path(location).read_text("utf-8"))
    except (OSError, ValueError):
        return frozenset()  # none yet, or unreadable: validate everything
    stamps = data.get("stamps") if isinstance(data, dict) else None
    if not isinstance(stamps, dict):
        return frozenset()
    return frozenset(v for v in stamps.values() if isinstance(v, str))


def known(base: Traversable | Path) -> frozenset[str]:
    """The stamps listed in `base` (empty for a folder without the file)."""
    return _read(str(base.joinpath(STAMP_FILE)))


def schema_errors(schema: Mapping[str, Any], data: Any) -> list[Any]:
    """jsonschema's errors, first path first (jsonschema imported only when needed)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    return sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))


def write(base: Path, stamps: Mapping[str, str]) -> Path:
    """Write the list for `base` (the caller has validated every text it stamps)."""
    path = base / STAMP_FILE
    payload = {
        "about": "SHA-256 of schema + text of each definition that passed its JSON Schema; "
        "written by `python -m app toolkits --stamp`",
        "stamps": dict(sorted(stamps.items())),
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
    _read.cache_clear()
    return path
