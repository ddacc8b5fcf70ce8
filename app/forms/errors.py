"""Catalogued definition errors, so a broken toolkit file names its code, file and item."""

from __future__ import annotations

from enum import Enum


class ErrorCode(Enum):
    """Each code has one meaning forever; tests and support notes refer to them."""

    PARSE = ("DEF001", "the file is not valid YAML")
    SCHEMA = ("DEF002", "the definition does not match the schema")
    DUPLICATE_ID = ("DEF003", "an id is used twice")
    DANGLING_REFERENCE = ("DEF004", "a reference names something that does not exist")
    MISSING_FIELD = ("DEF005", "a field every toolkit must have is missing")
    RESERVED_ID = ("DEF006", "an id reserved for the common monitoring fields is reused")
    DUPLICATE_TOOLKIT = ("DEF007", "two files define the same toolkit id")
    MARKING = ("DEF008", "column labels do not match the marking scheme")
    FILE_NAME = ("DEF009", "the file name does not match the toolkit id")
    # A toolkit spreadsheet (app.forms.sheets, docs/toolkit-sheets.md):
    WORKBOOK = ("DEF010", "the file is not a workbook the app can read safely")
    SHEET = ("DEF011", "a sheet is missing or renamed")
    HEADING = ("DEF012", "a column heading or row is malformed")
    FORMULA = ("DEF013", "a cell holds a formula")
    PARENT = ("DEF014", "a row names a parent that does not exist")
    CELL = ("DEF015", "a cell cannot be read as written")
    TOO_LARGE = ("DEF016", "a sheet is too large")
    ID_TAKEN = ("DEF017", "the toolkit id already has another meaning")
    SIGNATURE = ("DEF018", "the signed file was changed after signing")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def summary(self) -> str:
        return self.value[1]


class DefinitionError(Exception):
    """A toolkit definition that cannot be used; the app refuses to offer that toolkit."""

    def __init__(self, code: ErrorCode, file: str, item: str | None, detail: str) -> None:
        self.code = code
        self.file = file
        self.item = item
        self.detail = detail
        where = f"{file}" + (f", {item}" if item else "")
        super().__init__(f"{code.code} {where}: {code.summary}: {detail}")
