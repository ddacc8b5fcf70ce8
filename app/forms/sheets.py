"""A toolkit as a spreadsheet (.xlsx): any definition written as sheets, sheets read back.

Why: a partnership revises its toolkit every year or two, and its safeguarding lead has
Excel, not a developer. The mapping is generic, so whatever a YAML definition can say the
sheets can say, and a shipped toolkit written out and read back is the same definition
(the same content hash):

- the "Toolkit" sheet holds every single value as a `setting | value` row (a dotted path
  such as `section1.title`);
- every list of records (Section 1 indicators, child details, steps, ...) is a sheet of its
  own, a row per record and a column per value, with a `parent` column naming the record
  it belongs to (a Section 1 indicator names its group);
- a map of records (the levels, the review intervals) is a sheet with a `key` column;
- the "Sheets" sheet says where each sheet belongs in the toolkit.

A column ending in `[]` holds a list, one entry per line; one ending in ` (json)` holds a
value only JSON can write; the word `null` is an explicit empty value. The workbook is
hostile input: it is size-checked before it is opened, read without evaluating anything
(a formula is an error, external links are dropped, openpyxl parses with defusedxml), and
every problem is reported at once with its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT_SHEET = "Toolkit"
INDEX_SHEET = "Sheets"
SIGNATURE_SHEET = "Signature"
NULL = "null"
LIST = "[]"
JSON = " (json)"
PARENT = "parent"
KEY = "key"

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 500
MAX_ROWS = 5000
MAX_COLUMNS = 80
MAX_CELL_CHARS = 32_000  # Excel's own limit is 32,767

# Friendly names for the sheets the four shipped toolkits need; any other list gets a
# name made from its place in the toolkit (and the Sheets index says where it belongs).
SHEET_NAMES: dict[str, str] = {
    "child_fields[]": "Child details",
    "child_fields[].options[]": "Child details choices",
    "section1.groups[]": "Section 1 groups",
    "section1.groups[].items[]": "Section 1",
    "section1.fields[]": "Section 1 questions",
    "section1.fields[].options[]": "Section 1 question choices",
    "section2.columns[]": "Section 2 columns",
    "section2.groups[]": "Section 2 groups",
    "section2.groups[].items[]": "Section 2",
    "section2.fields[]": "Section 2 questions",
    "section2.fields[].options[]": "Section 2 question choices",
    "section3.fields[]": "Section 3",
    "section3.fields[].options[]": "Section 3 choices",
    "section3.fields[].columns[]": "Section 3 table columns",
    "section3.checklist[]": "Section 3 checklist",
    "section3.checklist[].entries[]": "Section 3 checklist entries",
    "levels{}": "Levels",
    "levels{}.next_steps[]": "Steps",
    "rules.floors[]": "Floors",
    "rules.review.levels{}": "Reviews",
    "notes[]": "Notes",
    "contacts[]": "Contacts",
    "information_forms[]": "Forms",
    "information_forms[].recipients[]": "Form recipients",
    "information_forms[].sections[]": "Form sections",
    "information_forms[].sections[].fields[]": "Form fields",
    "information_forms[].sections[].fields[].options[]": "Form field choices",
    "disruption_letter.fields[]": "Letter fields",
    "disruption_letter.conditions[]": "Letter conditions",
    "disruption_letter.local_authorities[]": "Letter areas",
    "disruption_tool.columns[]": "Disruption columns",
    "disruption_tool.aims[]": "Disruption aims",
    "disruption_tool.aims[].options[]": "Disruption options",
    "repairs[]": "Repairs",
}

_PATTERN = re.compile(r"[a-z_][a-z0-9_]*((\[\]|\{\})?\.[a-z_][a-z0-9_]*)*(\[\]|\{\})")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_SHEET_CHARS = re.compile(r"[\[\]\\/*?:{}]")
# Characters no author types and a reader cannot see: controls (C0 and C1, which a terminal
# may obey), zero-width marks, bidirectional overrides (text that reads other than it is
# stored) and lone surrogates. A cell holding one is refused; a message quoting one shows '?'.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2069\ufeff\ud800-\udfff]"
)
MAX_MESSAGE_CHARS = 300


class SheetWriteError(ValueError):
    """A definition that cannot be written as sheets (it never happens to a valid one)."""


@dataclass(frozen=True)
class SheetIssue:
    """One problem in a workbook, in the author's terms: code, sheet, row and column."""

    code: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __post_init__(self) -> None:
        # the sheet, column and message may quote the hostile file: one short visible line
        for name in ("sheet", "column", "message"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, _visible(value))

    def line(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.sheet,
                f"row {self.row}" if self.row else None,
                f"column {self.column}" if self.column else None,
            )
            if part
        )
        return f"{self.code} {where}: {self.message}" if where else f"{self.code} {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _visible(text: str) -> str:
    """Text from a workbook made safe to print: hidden characters and line breaks shown
    as '?' and ' ', and at most MAX_MESSAGE_CHARS long."""
    text = _HIDDEN.sub("?", text).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _hidden_char(value: Any) -> str | None:
    """The first hidden character in a value (strings inside lists and maps too), or None."""
    if isinstance(value, str):
        found = _HIDDEN.search(value)
        return f"U+{ord(found.group()):04X}" if found else None
    if isinstance(value, list):
        return next((h for h in map(_hidden_char, value) if h), None)
    if isinstance(value, dict):
        return next((h for v in value.items() for h in map(_hidden_char, v) if h), None)
    return None


@dataclass(frozen=True)
class Location:
    sheet: str
    row: int
    column: str | None


@dataclass
class SheetRead:
    """What a workbook gave: the definition (None if it could not be assembled), the
    problems found, where each value came from, and the signature sheet's rows if any."""

    data: dict[str, Any] | None
    issues: list[SheetIssue]
    where: dict[tuple[Any, ...], Location] = field(default_factory=dict)
    signature: dict[str, str] | None = None
    sheets: list[str] = field(default_factory=list)  # the workbook's sheets, in order

    def locate(self, path: Iterable[Any]) -> Location | None:
        """The cell (or row) a JSON path came from: the deepest part of the path known."""
        parts = tuple(path)
        while True:
            if parts in self.where:
                return self.where[parts]
            if not parts:
                return None
            parts = parts[:-1]

    def locate_id(self, ident: str | None) -> Location | None:
        """The row of the record whose id (or key) is `ident`, for the semantic checks."""
        if not ident or self.data is None:
            return None
        for path, loc in self.where.items():
            if path and path[-1] == "id" and _get(self.data, path) == ident:
                return Location(loc.sheet, loc.row, None)
        for path, loc in self.where.items():
            if path and path[-1] == ident and loc.column is None:
                return loc
        return None


# --- writing -----------------------------------------------------------------------


@dataclass
class _Table:
    pattern: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _cell_safe(value: Any) -> bool:
    """Whether a scalar reads back from a cell exactly as it was written."""
    if isinstance(value, str):
        return value not in ("", NULL) and not _ILLEGAL.search(value) and value == value.strip("\r")
    if isinstance(value, float):
        return not value.is_integer()
    return True


def _is_map_of_records(value: Mapping[str, Any]) -> bool:
    """A map whose entries are records (the levels), not a map of maps (rules.review)."""
    return (
        bool(value)
        and all(isinstance(v, Mapping) and v for v in value.values())
        and any(not isinstance(x, Mapping) for v in value.values() for x in v.values())
    )


def _ident(record: Any, index: int) -> str:
    ident = record.get("id") if isinstance(record, Mapping) else None
    return ident if isinstance(ident, str) and ident else f"#{index}"


def _join(parent_ref: str, ident: str) -> str:
    return f"{parent_ref} / {ident}" if parent_ref else ident


class _Flattener:
    def __init__(self) -> None:
        self.tables: dict[str, _Table] = {}

    def table(self, pattern: str) -> _Table:
        return self.tables.setdefault(pattern, _Table(pattern))

    def record(
        self, pattern: str, ref: str, obj: Mapping[str, Any], row: dict[str, Any], prefix: str = ""
    ) -> None:
        for key, value in obj.items():
            if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                raise SheetWriteError(f"a key cannot be written as a column: {key!r}")
            if pattern and not prefix and key in (PARENT, KEY):
                raise SheetWriteError(f"{pattern}: a record cannot have its own '{key}'")
            col = prefix + key
            where = f"{pattern}.{col}" if pattern else col
            if _is_scalar(value):
                if value is None:
                    row[col] = NULL
                elif _cell_safe(value):
                    row[col] = value
                else:
                    row[col + JSON] = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, list):
                if value and all(isinstance(v, Mapping) for v in value):
                    self.records(where + "[]", ref, value)
                elif (
                    value
                    and all(isinstance(v, str) and "\n" not in v for v in value)
                    and all(_cell_safe(v) for v in value)
                ):
                    row[col + LIST] = "\n".join(value)
                else:
                    row[col + JSON] = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, Mapping):
                if _is_map_of_records(value):
                    table = self.table(where + "{}")
                    for name, child in value.items():
                        child_row: dict[str, Any] = {PARENT: ref} if ref else {}
                        child_row[KEY] = name
                        table.rows.append(child_row)
                        self.record(where + "{}", _join(ref, name), child, child_row)
                elif value:
                    self.record(pattern, ref, value, row, col + ".")
                else:
                    row[col + JSON] = "{}"
            else:
                raise SheetWriteError(f"{where}: a value of type {type(value).__name__}")

    def records(self, pattern: str, parent_ref: str, values: list[Any]) -> None:
        table = self.table(pattern)
        seen: set[str] = set()
        for index, child in enumerate(values, 1):
            ident = _ident(child, index)
            if ident in seen:
                raise SheetWriteError(f"{pattern}: the id '{ident}' appears twice")
            seen.add(ident)
            row: dict[str, Any] = {PARENT: parent_ref} if parent_ref else {}
            table.rows.append(row)
            self.record(pattern, _join(parent_ref, ident), child, row)


def _sheet_names(patterns: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    used = {ROOT_SHEET.lower(), INDEX_SHEET.lower(), SIGNATURE_SHEET.lower()}
    for pattern in patterns:
        name = SHEET_NAMES.get(pattern)
        if name is None:
            plain = _BAD_SHEET_CHARS.sub("", pattern).replace("_", " ").replace(".", " - ")
            name = plain[:28].strip() or "Sheet"
        base, n = name, 2
        while name.lower() in used:
            name = f"{base[:27]} {n}"
            n += 1
        used.add(name.lower())
        names[pattern] = name
    return names


def _depth(pattern: str) -> int:
    return pattern.count("[]") + pattern.count("{}")


def write_workbook(data: Mapping[str, Any], path: Path) -> None:
    """Write a definition (as in its YAML file, without the monitoring fields) as sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    flat = _Flattener()
    root: dict[str, Any] = {}
    flat.record("", "", data, root)
    patterns = list(flat.tables)  # as the toolkit reads: each list after its parent
    names = _sheet_names(patterns)

    book = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws: Any, row: int, col: int, value: Any) -> None:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise SheetWriteError(f"{ws.title}: a value longer than {MAX_CELL_CHARS} characters")
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = wrap

    index = book.create_sheet(INDEX_SHEET)
    book.remove(book.worksheets[0])
    index.title = INDEX_SHEET
    for col, head in enumerate(("sheet", "holds"), 1):
        put(index, 1, col, head)
        index.cell(row=1, column=col).font = bold
    put(index, 2, 1, ROOT_SHEET)
    put(index, 2, 2, "(the toolkit's single values)")
    for n, pattern in enumerate(patterns, 3):
        put(index, n, 1, names[pattern])
        put(index, n, 2, pattern)
    index.column_dimensions["A"].width = 32
    index.column_dimensions["B"].width = 60

    ws = book.create_sheet(ROOT_SHEET)
    for col, head in enumerate(("setting", "value"), 1):
        put(ws, 1, col, head)
        ws.cell(row=1, column=col).font = bold
    for n, (setting, value) in enumerate(root.items(), 2):
        put(ws, n, 1, setting)
        put(ws, n, 2, value)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    ws.freeze_panes = "A2"

    for pattern in patterns:
        table = flat.tables[pattern]
        columns: list[str] = []
        for row in table.rows:
            columns.extend(c for c in row if c not in columns)
        firsts = [c for c in (PARENT, KEY, "id") if c in columns]
        columns = firsts + [c for c in columns if c not in firsts]
        if len(columns) > MAX_COLUMNS:
            raise SheetWriteError(f"{pattern}: more than {MAX_COLUMNS} columns")
        ws = book.create_sheet(names[pattern])
        for col, head in enumerate(columns, 1):
            put(ws, 1, col, head)
            ws.cell(row=1, column=col).font = bold
            letter = ws.cell(row=1, column=col).column_letter
            long = any(isinstance(r.get(head), str) and len(r[head]) > 40 for r in table.rows)
            ws.column_dimensions[letter].width = 60 if long else 18
        for n, row in enumerate(table.rows, 2):
            for col, head in enumerate(columns, 1):
                if head in row:
                    put(ws, n, col, row[head])
        ws.freeze_panes = "A2"
    book.save(path)


# --- reading -----------------------------------------------------------------------


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _split(pattern: str) -> tuple[str, str, str]:
    """(parent pattern, key path inside the parent record, '[]' or '{}')."""
    kind = pattern[-2:]
    body = pattern[:-2]
    cut = max(body.rfind("[]."), body.rfind("{}."))
    if cut < 0:
        return "", body, kind
    return body[: cut + 2], body[cut + 3 :], kind


def _check_pattern(pattern: str) -> bool:
    return bool(_PATTERN.fullmatch(pattern))


class _Reader:
    def __init__(self) -> None:
        self.issues: list[SheetIssue] = []
        self.where: dict[tuple[Any, ...], Location] = {}

    def issue(
        self, code: str, sheet: str | None, row: int | None, column: str | None, message: str
    ) -> None:
        self.issues.append(SheetIssue(code, sheet, row, column, message))

    def value(self, sheet: str, row: int, column: str, raw: Any) -> tuple[bool, Any]:
        """(ok, value) for one cell under a heading; problems are recorded, not raised."""
        if isinstance(raw, str) and len(raw) > MAX_CELL_CHARS:
            self.issue("DEF015", sheet, row, column, f"longer than {MAX_CELL_CHARS} characters")
            return False, None
        ok, value = self._value(sheet, row, column, raw)
        hidden = _hidden_char(value) if ok else None
        if hidden:
            self.issue(
                "DEF015",
                sheet,
                row,
                column,
                f"holds a hidden character ({hidden}) that readers cannot see; "
                "delete it and type the text again",
            )
            return False, None
        return ok, value

    def _value(self, sheet: str, row: int, column: str, raw: Any) -> tuple[bool, Any]:
        if isinstance(raw, dt.datetime | dt.date | dt.time):
            self.issue(
                "DEF015",
                sheet,
                row,
                column,
                "Excel turned this value into a date; format the cell as Text and type it again",
            )
            return False, None
        if column.endswith(JSON):
            if not isinstance(raw, str):
                self.issue("DEF015", sheet, row, column, "expected JSON text")
                return False, None
            try:
                return True, json.loads(
                    raw, object_pairs_hook=_no_duplicates, parse_constant=_no_nan
                )
            except (ValueError, RecursionError) as exc:
                self.issue("DEF015", sheet, row, column, f"not valid JSON ({exc})")
                return False, None
        if column.endswith(LIST):
            text = str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw
            if not isinstance(text, str):
                self.issue("DEF015", sheet, row, column, "expected text, one entry per line")
                return False, None
            return True, [line.rstrip("\r") for line in text.split("\n") if line.strip()]
        if raw == NULL:
            return True, None
        if isinstance(raw, str | int | float | bool):
            return True, raw
        self.issue("DEF015", sheet, row, column, f"a value of an unexpected kind ({raw!r})")
        return False, None

    def place(
        self, record: dict[str, Any], base: tuple[Any, ...], column: str, value: Any, loc: Location
    ) -> bool:
        name = column.removesuffix(JSON).removesuffix(LIST)
        keys = name.split(".")
        if not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) for k in keys):
            self.issue("DEF012", loc.sheet, 1, column, "this column heading is not a valid name")
            return False
        node = record
        for step in keys[:-1]:
            nxt = node.setdefault(step, {})
            if not isinstance(nxt, dict):
                self.issue("DEF012", loc.sheet, loc.row, column, f"'{step}' is used twice")
                return False
            node = nxt
        if keys[-1] in node:
            self.issue("DEF012", loc.sheet, loc.row, column, f"'{name}' is given twice")
            return False
        node[keys[-1]] = value
        self.where[(*base, *keys)] = loc
        return True


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key '{key}' appears twice")
        out[key] = value
    return out


def _no_nan(word: str) -> Any:
    raise ValueError(f"{word} is not a number JSON allows")


def _guard_file(path: Path) -> str | None:
    """Why the file cannot be opened safely, or None."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc.__class__.__name__})"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "is not an .xlsx workbook (Excel 2007 or later)"
    if len(members) > MAX_MEMBERS:
        return "holds too many parts to be a toolkit workbook"
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        return "unpacks to more than 100 MB"
    return None


def read_workbook(path: Path) -> SheetRead:
    """Read a workbook into a definition; every problem found is reported, none raised."""
    reader = _Reader()
    problem = _guard_file(path)
    if problem:
        reader.issue("DEF010", None, None, None, f"{path.name} {problem}")
        return SheetRead(None, reader.issues)
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        if _refused_xml(exc):
            reader.issue(
                "DEF010",
                None,
                None,
                None,
                f"{path.name} holds XML declarations a workbook never needs "
                "(entities or a DTD); it was not read",
            )
            return SheetRead(None, reader.issues)
        reader.issue(
            "DEF010",
            None,
            None,
            None,
            f"{path.name} cannot be read as a workbook ({exc.__class__.__name__})",
        )
        return SheetRead(None, reader.issues)
    try:
        return _read_book(book, reader)
    finally:
        book.close()


def _refused_xml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps its error in a ValueError)."""
    seen = 0
    while exc is not None and seen < 10:
        if exc.__class__.__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _rows(ws: Any, reader: _Reader) -> list[tuple[int, list[Any]]] | None:
    """The sheet's non-empty rows as (row number, values); None if it is too large or holds
    a formula (each such cell is reported)."""
    from openpyxl.cell.read_only import EMPTY_CELL

    out: list[tuple[int, list[Any]]] = []
    ok = True
    for number, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1), 1):
        if number > MAX_ROWS + 1:
            reader.issue("DEF016", ws.title, None, None, f"more than {MAX_ROWS} rows")
            return None
        end = len(cells)  # read-only rows come padded to MAX_COLUMNS + 1 with one empty cell
        while end and cells[end - 1] is EMPTY_CELL:
            end -= 1
        values: list[Any] = []
        for cell in cells[:end]:
            if getattr(cell, "data_type", None) == "f":
                head = cell.column_letter if hasattr(cell, "column_letter") else None
                reader.issue(
                    "DEF013", ws.title, number, head, "a formula; type the value itself instead"
                )
                ok = False
                values.append(None)
                continue
            value = cell.value
            if isinstance(value, str):
                value = value if value.strip() else None
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        if len(values) > MAX_COLUMNS:
            reader.issue("DEF016", ws.title, number, None, f"more than {MAX_COLUMNS} columns")
            return None
        if values:
            out.append((number, values))
    return out if ok else None


def _headings(sheet: str, rows: list[tuple[int, list[Any]]], reader: _Reader) -> list[str] | None:
    if not rows or rows[0][0] != 1:
        reader.issue("DEF012", sheet, 1, None, "the first row must hold the column headings")
        return None
    heads: list[str] = []
    for value in rows[0][1]:
        head = value.strip() if isinstance(value, str) else value
        if head is None:
            heads.append("")
            continue
        if not isinstance(head, str):
            reader.issue("DEF012", sheet, 1, None, f"the heading {head!r} is not text")
            return None
        if head in heads:
            reader.issue("DEF012", sheet, 1, head, "this heading appears twice")
            return None
        heads.append(head)
    return heads


def _read_book(book: Any, reader: _Reader) -> SheetRead:
    titles = list(book.sheetnames)
    for needed in (INDEX_SHEET, ROOT_SHEET):
        if needed not in titles:
            reader.issue(
                "DEF011",
                needed,
                None,
                None,
                f"the sheet '{needed}' is missing or renamed (it must be called '{needed}')",
            )
    if reader.issues:
        return SheetRead(None, reader.issues)

    # The index: which sheet holds which part of the toolkit.
    index_rows = _rows(book[INDEX_SHEET], reader)
    if index_rows is None:
        return SheetRead(None, reader.issues)
    heads = _headings(INDEX_SHEET, index_rows, reader)
    if heads is None or heads[:2] != ["sheet", "holds"]:
        if heads is not None:
            reader.issue("DEF012", INDEX_SHEET, 1, None, "the headings must be 'sheet' and 'holds'")
        return SheetRead(None, reader.issues)
    tables: list[tuple[str, str, int]] = []
    seen_patterns: set[str] = set()
    for number, values in index_rows[1:]:
        name: Any = values[0] if values else None
        holds: Any = values[1] if len(values) > 1 else None
        if name == ROOT_SHEET:
            continue
        if not isinstance(name, str) or not isinstance(holds, str):
            reader.issue(
                "DEF012", INDEX_SHEET, number, None, "each row needs a sheet and what it holds"
            )
            continue
        if not _check_pattern(holds):
            reader.issue(
                "DEF012", INDEX_SHEET, number, "holds", f"'{holds}' is not a place in a toolkit"
            )
            continue
        if holds in seen_patterns:
            reader.issue("DEF012", INDEX_SHEET, number, "holds", f"'{holds}' is listed twice")
            continue
        if name not in titles:
            reader.issue(
                "DEF011",
                name,
                None,
                None,
                "this sheet is listed in 'Sheets' but missing or renamed",
            )
            continue
        seen_patterns.add(holds)
        tables.append((name, holds, number))

    # The single values.
    data: dict[str, Any] = {}
    root_rows = _rows(book[ROOT_SHEET], reader)
    if root_rows is not None:
        heads = _headings(ROOT_SHEET, root_rows, reader)
        if heads is not None and heads[:2] != ["setting", "value"]:
            reader.issue(
                "DEF012", ROOT_SHEET, 1, None, "the headings must be 'setting' and 'value'"
            )
        elif heads is not None:
            for number, values in root_rows[1:]:
                setting = values[0] if values else None
                if setting is None:
                    if len(values) > 1:
                        reader.issue(
                            "DEF012", ROOT_SHEET, number, "setting", "a value with no setting"
                        )
                    continue
                if not isinstance(setting, str):
                    reader.issue(
                        "DEF012", ROOT_SHEET, number, "setting", "the setting must be text"
                    )
                    continue
                raw = values[1] if len(values) > 1 else None
                if raw is None:
                    continue  # an empty value: the setting is left out
                ok, value = reader.value(ROOT_SHEET, number, setting, raw)
                if ok:
                    reader.place(data, (), setting, value, Location(ROOT_SHEET, number, "value"))

    # The lists and maps, parents before children.
    refs: dict[str, dict[str, tuple[dict[str, Any], tuple[Any, ...]]]] = {"": {"": (data, ())}}
    for name, pattern, index_row in sorted(tables, key=lambda t: _depth(t[1])):
        parent_pattern, rel, kind = _split(pattern)
        if parent_pattern not in refs:
            reader.issue(
                "DEF012",
                INDEX_SHEET,
                index_row,
                "holds",
                f"'{pattern}' belongs inside '{parent_pattern}', which no sheet holds",
            )
            continue
        rows = _rows(book[name], reader)
        if rows is None:
            continue
        heads = _headings(name, rows, reader)
        if heads is None:
            continue
        nested = parent_pattern != ""
        if nested and PARENT not in heads:
            reader.issue("DEF012", name, 1, PARENT, "the 'parent' column is missing or renamed")
            continue
        if kind == "{}" and KEY not in heads:
            reader.issue("DEF012", name, 1, KEY, "the 'key' column is missing or renamed")
            continue
        mine: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {}
        refs[pattern] = mine
        counts: dict[str, int] = {}
        for number, values in rows[1:]:
            cells = dict(zip(heads, values, strict=False))
            for extra in range(len(heads), len(values)):
                if values[extra] is not None:
                    reader.issue("DEF012", name, number, None, "a value under no heading")
            if "" in cells and cells[""] is not None:
                reader.issue("DEF012", name, number, None, "a value under an empty heading")
            parent_ref = ""
            if nested:
                parent_ref = str(cells.get(PARENT) or "").strip()
                if parent_ref not in refs[parent_pattern]:
                    reader.issue(
                        "DEF014",
                        name,
                        number,
                        PARENT,
                        f"'{parent_ref}' is not a row of the sheet that holds {parent_pattern}"
                        if parent_ref
                        else "every row must name its parent",
                    )
                    continue
            parent, parent_path = refs[parent_pattern][parent_ref]
            container_keys = rel.split(".")
            node: Any = parent
            bad = False
            for step in container_keys[:-1]:
                node = node.setdefault(step, {})
                if not isinstance(node, dict):
                    bad = True
                    break
            last = container_keys[-1]
            if bad or (last in node and not isinstance(node[last], list | dict)):
                reader.issue("DEF012", name, number, None, f"'{rel}' is given twice")
                continue
            record: dict[str, Any] = {}
            if kind == "{}":
                key = cells.get(KEY)
                if not isinstance(key, str) or not key.strip():
                    reader.issue("DEF012", name, number, KEY, "every row needs a key")
                    continue
                key = key.strip()
                holder = node.setdefault(last, {})
                if not isinstance(holder, dict) or key in holder:
                    reader.issue("DEF012", name, number, KEY, f"the key '{key}' appears twice")
                    continue
                holder[key] = record
                path: tuple[Any, ...] = (*parent_path, *container_keys, key)
                ident = key
            else:
                holder = node.setdefault(last, [])
                if not isinstance(holder, list):
                    reader.issue("DEF012", name, number, None, f"'{rel}' is given twice")
                    continue
                holder.append(record)
                path = (*parent_path, *container_keys, len(holder) - 1)
                counts[parent_ref] = counts.get(parent_ref, 0) + 1
                raw_id = cells.get("id")
                ident = raw_id if isinstance(raw_id, str) and raw_id else f"#{counts[parent_ref]}"
            reader.where[path] = Location(name, number, None)
            for head, raw in cells.items():
                if head in ("", PARENT) or (head == KEY and kind == "{}") or raw is None:
                    continue
                ok, value = reader.value(name, number, head, raw)
                if ok:
                    reader.place(record, path, head, value, Location(name, number, head))
            full = _join(parent_ref, ident)
            if full in mine:
                reader.issue("DEF003", name, number, "id", f"'{ident}' appears twice here")
                continue
            mine[full] = (record, path)
    return SheetRead(data, reader.issues, reader.where, _signature(book, titles), titles)


def _signature(book: Any, titles: list[str]) -> dict[str, str] | None:
    """The hidden 'Signature' sheet's field/value rows, if the workbook has one."""
    if SIGNATURE_SHEET not in titles:
        return None
    out: dict[str, str] = {}
    for number, cells in enumerate(book[SIGNATURE_SHEET].iter_rows(max_col=2, max_row=20), 1):
        values = [c.value for c in cells]
        if number == 1 or len(values) < 2:
            continue
        if isinstance(values[0], str) and isinstance(values[1], str):
            out[values[0]] = values[1]
    return out
