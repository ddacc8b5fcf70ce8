"""Load toolkit definitions from YAML, check them in stages, and build the registry.

Stages (as pyxform does): parse, JSON Schema, then semantic checks that the schema
cannot express (unique ids, references resolve, reserved ids, marking labels). Each
stage raises `DefinitionError` with a catalogued code naming the file and the item.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, cast

import yaml

from app.forms import validated
from app.forms.errors import DefinitionError, ErrorCode
from app.forms.model import Band, Examples, Group, Item, Marking, Toolkit
from app.forms.rule_checks import check_rule_data
from app.forms.shared_files import MONITORING_FILE as MONITORING_FILE
from app.forms.shared_files import definitions_dir
from app.forms.shared_files import load_monitoring_fields as load_monitoring_fields

REQUIRED_CHILD_FIELDS = ("name", "date_of_birth")
MARKING_COLUMNS: dict[str, set[str]] = {
    "risk_evidenced": {"risk", "evidenced"},
    "cce_cse_level": {"cce", "cse", "level"},
    "tick_comment": {"ticked", "comment"},
}
LETTER_PLACEHOLDERS = {
    "perpetrator_name",
    "perpetrator_address",
    "child_name",
    "child_dob",
    "local_authority",
    "police_reference",
    "date",
    "signer_name",
    "signer_role",
    "contact_details",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("app.forms").joinpath("toolkit.schema.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


def _definitions_dir() -> Traversable:
    return definitions_dir()


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


def _parse(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise DefinitionError(ErrorCode.PARSE, file, None, str(exc).splitlines()[0]) from exc


def _check_schema(data: Any, file: str) -> None:
    errors = validated.schema_errors(_schema(), data)
    if errors:
        err = errors[0]
        path = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        item = _describe_path(data, list(err.absolute_path))
        raise DefinitionError(ErrorCode.SCHEMA, file, item or path, f"at {path}: {err.message}")


def _describe_path(data: Any, path: list[Any]) -> str | None:
    """Name the innermost object with an id on the path, so the message points at it."""
    node = data
    named: str | None = None
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            named = node["id"]
    return named


def _unique(ids: Iterable[str], file: str, where: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            detail = f"'{i}' appears twice in {where}"
            raise DefinitionError(ErrorCode.DUPLICATE_ID, file, i, detail)
        seen.add(i)


def _fields_unique(fields: Iterable[Mapping[str, Any]], file: str, where: str) -> None:
    fields = list(fields)
    _unique((f["id"] for f in fields), file, where)
    for f in fields:
        _unique((o["id"] for o in f.get("options", ())), file, f"the options of {f['id']}")
        _unique((c["id"] for c in f.get("columns", ())), file, f"the columns of {f['id']}")


def _check_semantics(data: Mapping[str, Any], file: str, reserved: set[str]) -> None:
    items = [
        item
        for section in ("section1", "section2")
        for group in data[section]["groups"]
        for item in group["items"]
    ]
    _unique((i["id"] for i in items), file, "Section 1 and Section 2 items")
    for section in ("section1", "section2"):
        _unique((g["id"] for g in data[section]["groups"]), file, f"{section} groups")

    child_ids = [f["id"] for f in data["child_fields"]]
    for required in REQUIRED_CHILD_FIELDS:
        if required not in child_ids:
            raise DefinitionError(
                ErrorCode.MISSING_FIELD, file, required, f"child_fields has no '{required}' field"
            )
    for fid in child_ids:
        if fid in reserved:
            raise DefinitionError(
                ErrorCode.RESERVED_ID,
                file,
                fid,
                f"'{fid}' is a common monitoring field added to every toolkit",
            )
    _fields_unique(data["child_fields"], file, "child_fields")
    analysis = [
        *data["section1"].get("fields", ()),
        *data["section2"].get("fields", ()),
        *data["section3"]["fields"],
    ]
    _fields_unique(analysis, file, "the Section 1-3 fields (they share the analysis answers)")
    _unique((c["id"] for c in data["section2"]["columns"]), file, "section2 columns")
    for form in data["information_forms"]:
        for section in form["sections"]:
            _fields_unique(section["fields"], file, f"{form['id']} / {section['id']}")
        _unique((s["id"] for s in form["sections"]), file, f"the sections of {form['id']}")
    _unique((f["id"] for f in data["information_forms"]), file, "information_forms")

    labels = data["section1"].get("column_labels", {})
    allowed = MARKING_COLUMNS[data["marking"]]
    for key in labels:
        if key not in allowed:
            raise DefinitionError(
                ErrorCode.MARKING,
                file,
                key,
                f"column '{key}' is not part of the {data['marking']} marking ({sorted(allowed)})",
            )

    letter = data["disruption_letter"]
    _fields_unique(letter["fields"], file, "disruption_letter fields")
    _unique((c["id"] for c in letter["conditions"]), file, "disruption_letter conditions")
    for paragraph in letter["body"]:
        for name in _PLACEHOLDER.findall(paragraph):
            if name not in LETTER_PLACEHOLDERS:
                raise DefinitionError(
                    ErrorCode.DANGLING_REFERENCE,
                    file,
                    "disruption_letter",
                    f"placeholder {{{name}}} is not one the app can fill",
                )
    if any("{local_authority}" in p for p in letter["body"]) and not letter.get(
        "local_authorities"
    ):
        raise DefinitionError(
            ErrorCode.DANGLING_REFERENCE,
            file,
            "disruption_letter",
            "{local_authority} is used but no local_authorities are listed",
        )

    tool = data["disruption_tool"]
    _unique((a["id"] for a in tool["aims"]), file, "disruption_tool aims")
    _unique((o["id"] for a in tool["aims"] for o in a["options"]), file, "disruption_tool options")
    _unique((n["id"] for n in data.get("notes", ())), file, "notes")
    _check_rule_references(data, file)
    check_rule_data(data, file)


def _check_rule_references(data: Mapping[str, Any], file: str) -> None:
    """Every note, level or field the rules block names must exist in this definition."""
    rules = data.get("rules", {})
    levels = set(data["levels"])
    notes = {n["id"] for n in data.get("notes", ())}
    analysis = {
        f["id"] for key in ("section1", "section2", "section3") for f in data[key].get("fields", ())
    }

    def dangling(where: str, what: str) -> DefinitionError:
        return DefinitionError(ErrorCode.DANGLING_REFERENCE, file, where, what)

    for level in rules.get("review", {}).get("levels", {}):
        if level not in levels:
            raise dangling(f"rules.review.levels.{level}", f"the toolkit has no {level} level")
    note_refs = [
        ("rules.low_count_note", rules.get("low_count_note")),
        ("rules.scope.note", rules.get("scope", {}).get("note")),
        ("rules.review.note", rules.get("review", {}).get("note")),
        *((f"rules.floors.{f['when']}", f.get("note")) for f in rules.get("floors", ())),
    ]
    for where, ref in note_refs:
        if ref is not None and ref not in notes:
            raise dangling(ref, f"{where} names a note that does not exist")
    for ref in rules.get("information_report", {}).get("when_fields", ()):
        if ref not in analysis:
            raise dangling(ref, "rules.information_report names a field that does not exist")


def _content_hash(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _groups(data: Mapping[str, Any], section: int) -> tuple[Group, ...]:
    groups = []
    for g in data[f"section{section}"]["groups"]:
        band = cast("Band | None", g["band"])
        items = []
        for raw in g["items"]:
            ex = raw.get("examples")
            items.append(
                Item(
                    id=raw["id"],
                    text=raw["text"],
                    section=section,
                    group_id=g["id"],
                    group_title=g["title"],
                    band=band,
                    other=bool(raw.get("other", False)),
                    detail=tuple(raw.get("detail", ())),
                    examples=Examples(ex.get("title"), ex["low"], ex["medium"], ex["high"])
                    if ex
                    else None,
                    implies=tuple(raw.get("implies", ())),
                    implies_column=raw.get("implies_column"),
                    implies_reading=raw.get("implies_reading"),
                )
            )
        groups.append(Group(g["id"], g["title"], band, tuple(items), g.get("kind")))
    return tuple(groups)


def load_definition(
    text: str,
    file: str,
    monitoring: list[dict[str, Any]] | None = None,
    trusted: frozenset[str] = frozenset(),
) -> Toolkit:
    """Check one definition's text and return it with the monitoring fields appended.

    `trusted`: stamps of texts that passed the schema before (app.forms.validated); a
    text among them skips only the schema stage.
    """
    checked = validated.stamp(_schema(), text) in trusted
    if monitoring is None:
        return definition_from_data(_parse(text, file), file, None, schema_checked=checked)
    return _definition(text, file, json.dumps(monitoring, sort_keys=True), checked)


@lru_cache(maxsize=32)
def _definition(text: str, file: str, monitoring: str, checked: bool) -> Toolkit:
    """A checked definition remembered by its exact text (and monitoring fields): every
    registry a process opens (the app after a toolkit is installed, the in-process test
    sweeps) would otherwise re-parse the YAML, most of the cost of a command. A Toolkit is
    frozen and nothing writes to its data, so registries can share it."""
    fields = json.loads(monitoring)
    return definition_from_data(_parse(text, file), file, fields, schema_checked=checked)


def check_semantics(data: Mapping[str, Any], file: str, monitoring: list[dict[str, Any]]) -> None:
    """The checks the schema cannot express (for a definition that matches the schema)."""
    _check_semantics(data, file, {f["id"] for f in monitoring})


def definition_from_data(
    data: dict[str, Any],
    file: str,
    monitoring: list[dict[str, Any]] | None = None,
    *,
    schema_checked: bool = False,
) -> Toolkit:
    """Check a parsed definition (from YAML or from a spreadsheet) and return it with the
    monitoring fields appended. `data` is taken over, not copied."""
    monitoring = monitoring if monitoring is not None else load_monitoring_fields()
    if not schema_checked:
        _check_schema(data, file)
    reserved = {f["id"] for f in monitoring}
    _check_semantics(data, file, reserved)
    data["child_fields"] = [*data["child_fields"], *monitoring]
    return Toolkit(
        id=data["id"],
        title=data["title"],
        short_title=data["short_title"],
        version=data["version"],
        partnership=data["partnership"],
        source_date=data["source_date"],
        marking=cast(Marking, data["marking"]),
        content_hash=_content_hash(data),
        file=file,
        data=data,
        section1_groups=_groups(data, 1),
        section2_groups=_groups(data, 2),
    )


class UnknownToolkitError(KeyError):
    def __init__(self, toolkit_id: str, known: Iterable[str]) -> None:
        super().__init__(toolkit_id)
        self.toolkit_id = toolkit_id
        self.known = tuple(known)

    def __str__(self) -> str:
        return f"unknown toolkit '{self.toolkit_id}' (known: {', '.join(self.known)})"


class Registry:
    """The loaded toolkits, passed explicitly to whatever needs them (no global).

    Definitions are read and checked on first use, so a command that needs one toolkit
    does not parse all of them. File name and toolkit id must agree (DEF009), which also
    rules out two files defining one id.
    """

    def __init__(
        self,
        toolkits: Iterable[Toolkit] = (),
        sources: Mapping[str, Any] | None = None,
        monitoring: list[dict[str, Any]] | None = None,
        trusted: frozenset[str] = frozenset(),
    ) -> None:
        self._by_id: dict[str, Toolkit] = {}
        self._trusted = trusted
        self.installed: dict[str, str] = {}  # id -> where it came from (issued by / unsigned)
        self._sources: dict[str, Any] = dict(sources or {})
        self._monitoring = monitoring
        for tk in toolkits:
            if tk.id in self._by_id or tk.id in self._sources:
                where = self._by_id[tk.id].file if tk.id in self._by_id else f"{tk.id}.yaml"
                raise DefinitionError(
                    ErrorCode.DUPLICATE_TOOLKIT, tk.file, tk.id, f"already defined in {where}"
                )
            self._by_id[tk.id] = tk

    def _load(self, toolkit_id: str) -> Toolkit:
        entry = self._sources.pop(toolkit_id)
        if self._monitoring is None:
            self._monitoring = load_monitoring_fields(
                entry.parent if hasattr(entry, "parent") else None
            )
        tk = load_definition(entry.read_text("utf-8"), entry.name, self._monitoring, self._trusted)
        if tk.id != toolkit_id:
            raise DefinitionError(
                ErrorCode.FILE_NAME, entry.name, tk.id, f"expected the file to be {tk.id}.yaml"
            )
        self._by_id[tk.id] = tk
        return tk

    def get(self, toolkit_id: str) -> Toolkit:
        if toolkit_id in self._by_id:
            return self._by_id[toolkit_id]
        if toolkit_id in self._sources:
            return self._load(toolkit_id)
        raise UnknownToolkitError(toolkit_id, self.ids())

    def add_installed(self, toolkit: Toolkit, origin: str) -> None:
        """A toolkit installed while the app runs: offered at once, never over a shipped one."""
        if self.is_shipped(toolkit.id):
            raise DefinitionError(
                ErrorCode.DUPLICATE_TOOLKIT, toolkit.file, toolkit.id, "shipped with the app"
            )
        self._sources.pop(toolkit.id, None)
        self._by_id[toolkit.id] = toolkit
        self.installed[toolkit.id] = origin

    def is_shipped(self, toolkit_id: str) -> bool:
        return toolkit_id in self and toolkit_id not in self.installed

    def origin(self, toolkit_id: str) -> str:
        """'shipped with the app', or who issued an installed toolkit."""
        return self.installed.get(toolkit_id, "shipped with the app")

    def ids(self) -> list[str]:
        return sorted([*self._by_id, *self._sources])

    def __iter__(self) -> Iterator[Toolkit]:
        return iter([self.get(i) for i in self.ids()])

    def __contains__(self, toolkit_id: object) -> bool:
        return toolkit_id in self._by_id or toolkit_id in self._sources

    def __len__(self) -> int:
        return len(self._by_id) + len(self._sources)


def _yaml_files(base: Traversable | Path) -> dict[str, Any]:
    try:
        entries = sorted(base.iterdir(), key=lambda e: e.name)
    except OSError:
        return {}
    return {
        e.name.removesuffix(".yaml"): e
        for e in entries
        if e.name.endswith(".yaml") and not e.name.startswith(("_", "."))
    }


def load_registry(
    directory: Traversable | Path | None = None,
    *,
    eager: bool = False,
    installed: Path | bool | None = True,
) -> Registry:
    """The definitions in a directory (default: the packaged ones), checked on first use.

    With the packaged definitions come the toolkits this user installed from spreadsheets
    (`installed`: True for the usual folder, a path, or False/None for none); an installed
    file never replaces a shipped toolkit. `eager=True` checks every file now.
    """
    base = directory if directory is not None else _definitions_dir()
    sources = _yaml_files(base)
    trusted = validated.known(base)
    origins: dict[str, str] = {}
    if directory is None and installed:
        from app.forms.installed import installed_dir, origin_of

        extra = installed_dir() if installed is True else Path(installed)
        if extra.is_dir():
            for toolkit_id, entry in _yaml_files(extra).items():
                if toolkit_id not in sources:
                    sources[toolkit_id] = entry
                    origins[toolkit_id] = origin_of(toolkit_id, extra)
            trusted = trusted | validated.known(extra)
    registry = Registry(sources=sources, monitoring=load_monitoring_fields(base), trusted=trusted)
    registry.installed.update(origins)
    if eager:
        list(registry)
    return registry
