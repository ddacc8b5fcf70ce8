"""The definition files every toolkit shares: `_monitoring.yaml` and `_partnership.yaml`.

They are read and checked here like the toolkits themselves (parse, schema, unique ids), so a
broken shared list is refused with a coded error instead of failing somewhere in the UI or the
statistics.
"""

from __future__ import annotations

import copy
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from app.forms import validated
from app.forms.errors import DefinitionError, ErrorCode

MONITORING_FILE = "_monitoring.yaml"
PARTNERSHIP_FILE = "_partnership.yaml"
PARTNERSHIP_LISTS = (
    "models_of_abuse",
    "closure_reasons",
    "meeting_types",
    "meeting_levels",
    "key_worker_types",
    "priority_areas",
)

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_OPTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "label"],
    "properties": {"id": _ID, "label": {"type": "string", "minLength": 1}},
}
_MONITORING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fields"],
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "label", "type", "monitoring"],
                "properties": {
                    "id": _ID,
                    "label": {"type": "string", "minLength": 1},
                    "type": {"enum": ["choice", "bool"]},
                    "monitoring": {"const": True},
                    "options": {"type": "array", "minItems": 1, "items": _OPTION},
                },
            },
        }
    },
}
_PARTNERSHIP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["models_of_abuse", "closure_reasons"],  # meetings' lists came later
    "properties": {
        **{k: {"type": "array", "minItems": 1, "items": _OPTION} for k in PARTNERSHIP_LISTS},
        # how long a closed case stays on a laptop, and whether it must first be marked
        # recorded on the council's own system (app.casework.retention)
        "retention": {
            "type": "object",
            "additionalProperties": False,
            "required": ["days_after_closure", "require_recorded"],
            "properties": {
                "days_after_closure": {"type": "integer", "minimum": 0, "maximum": 3650},
                "require_recorded": {"type": "boolean"},
            },
        },
        # a toolkit whose own Section 3 asks for the models: field id and answer -> model map
        "section3_models": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["field", "map"],
                "properties": {
                    "field": _ID,
                    "map": {"type": "object", "additionalProperties": _ID},
                },
            },
        },
    },
}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def definitions_dir() -> Traversable:
    return resources.files("app.forms").joinpath("definitions")


def shared_schemas() -> dict[str, dict[str, Any]]:
    """The shared files' schemas by file name (for `python -m app toolkits --stamp`)."""
    return {MONITORING_FILE: _MONITORING_SCHEMA, PARTNERSHIP_FILE: _PARTNERSHIP_SCHEMA}


def _read(base: Traversable | Path, name: str, schema: dict[str, Any]) -> Any:
    text = base.joinpath(name).read_text("utf-8")
    trusted = validated.stamp(schema, text) in validated.known(base)
    # a copy of the checked data: callers append to it, and the cache must stay as read
    return copy.deepcopy(_checked(text, name, trusted))


@lru_cache(maxsize=8)
def _checked(text: str, name: str, trusted: bool) -> Any:
    """The parsed, schema-checked text, remembered by content: a process that opens many
    registries (the app after installing a toolkit, the in-process test sweeps) reads
    each file's YAML once. A different text is a different key, so nothing goes stale."""
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise DefinitionError(ErrorCode.PARSE, name, None, str(exc).splitlines()[0]) from exc
    if trusted:
        return data  # this exact text passed this schema before (app.forms.validated)
    errors = validated.schema_errors(shared_schemas()[name], data)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(top level)"
        raise DefinitionError(ErrorCode.SCHEMA, name, None, f"at {where}: {errors[0].message}")
    return data


def _unique(options: list[dict[str, Any]], file: str, where: str) -> None:
    seen: set[str] = set()
    for option in options:
        if option["id"] in seen:
            detail = f"'{option['id']}' appears twice in {where}"
            raise DefinitionError(ErrorCode.DUPLICATE_ID, file, option["id"], detail)
        seen.add(option["id"])


def load_monitoring_fields(directory: Traversable | Path | None = None) -> list[dict[str, Any]]:
    """The optional monitoring fields appended to every toolkit's child details, checked."""
    base = directory if directory is not None else definitions_dir()
    fields = list(_read(base, MONITORING_FILE, _MONITORING_SCHEMA)["fields"])
    _unique(fields, MONITORING_FILE, "fields")
    for f in fields:
        if f["type"] == "choice" and not f.get("options"):
            raise DefinitionError(
                ErrorCode.SCHEMA, MONITORING_FILE, f["id"], "a choice needs options"
            )
        _unique(f.get("options", []), MONITORING_FILE, f"the options of {f['id']}")
    return fields


def load_partnership(directory: Traversable | Path | None = None) -> dict[str, Any]:
    """The whole partnership file, schema-checked, with unique ids and a Section 3 map
    that points only at models the file lists."""
    base = directory if directory is not None else definitions_dir()
    data: dict[str, Any] = _read(base, PARTNERSHIP_FILE, _PARTNERSHIP_SCHEMA)
    for key in PARTNERSHIP_LISTS:
        data.setdefault(key, [])
        _unique(data[key], PARTNERSHIP_FILE, key)
    models = {o["id"] for o in data["models_of_abuse"]}
    for toolkit_id, link in (data.get("section3_models") or {}).items():
        unknown = sorted(set(link["map"].values()) - models)
        if unknown:
            detail = f"section3_models of {toolkit_id} maps to unknown models {unknown}"
            raise DefinitionError(
                ErrorCode.DANGLING_REFERENCE, PARTNERSHIP_FILE, toolkit_id, detail
            )
    return data


def load_partnership_lists(
    directory: Traversable | Path | None = None,
) -> dict[str, list[tuple[str, str]]]:
    """The partnership lists as (id, label) pairs, checked."""
    data = load_partnership(directory)
    return {key: [(o["id"], o["label"]) for o in data[key]] for key in PARTNERSHIP_LISTS}


@cache
def shared_categories() -> dict[str, list[tuple[str, str]]]:
    """Every shared category list by name: the monitoring choices and the partnership lists."""
    out = {
        f["id"]: [(o["id"], o["label"]) for o in f["options"]]
        for f in load_monitoring_fields()
        if f.get("options")
    }
    out.update(load_partnership_lists())
    return out
