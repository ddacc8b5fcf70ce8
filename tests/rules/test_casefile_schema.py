"""docs/casefile.schema.json and the case-file parser describe the same format.

The schema is what outsiders read; the parser is what the app enforces. If one gains a key
the other does not know, this fails, so the published format never drifts from the code.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.forms import Registry
from app.rules import CaseFileError, parse_case
from app.rules import casefile as parser
from tests.casework.support import complete_case

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "casefile.schema.json").read_text("utf-8")
)
TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


def test_top_level_keys_and_required_agree() -> None:
    assert set(SCHEMA["required"]) == set(parser.TOP_REQUIRED)
    assert set(SCHEMA["properties"]) == set(parser.TOP_REQUIRED) | set(parser.TOP_OPTIONAL)
    assert SCHEMA["additionalProperties"] is False


def test_child_practitioner_and_levels_agree(registry: Registry) -> None:
    child = SCHEMA["properties"]["child"]
    assert set(child["required"]) == {"name", "date_of_birth", *parser.CHILD_REQUIRED_BOOLS}
    every_toolkit = set.intersection(*({f.id for f in tk.child_fields} for tk in registry))
    assert set(child["properties"]) <= every_toolkit  # nothing published that a parser refuses
    practitioner = SCHEMA["properties"]["practitioner"]["properties"]
    assert set(practitioner) == set(parser.PRACTITIONER_KEYS)
    levels = {v for v in SCHEMA["properties"]["final_level"]["enum"] if v is not None}
    assert levels == set(parser.LEVELS)
    assert set(SCHEMA["properties"]["toolkit"]["enum"]) == {tk.id for tk in registry}


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_a_valid_case_passes_both(registry: Registry, toolkit: str) -> None:
    data = complete_case(registry, toolkit)
    jsonschema.validate(data, SCHEMA)
    parse_case(data, registry)


@pytest.mark.parametrize("key", sorted(parser.TOP_REQUIRED))
def test_each_required_key_is_required_by_both(registry: Registry, key: str) -> None:
    data: dict[str, Any] = complete_case(registry, "derby-cre-2020")
    del data[key]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(CaseFileError) as refused:
        parse_case(data, registry)
    assert refused.value.field == key


@pytest.mark.parametrize("key", ["name", "date_of_birth", *parser.CHILD_REQUIRED_BOOLS])
def test_each_required_child_key_is_required_by_both(registry: Registry, key: str) -> None:
    data = copy.deepcopy(complete_case(registry, "bedfordshire-cse"))
    del data["child"][key]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(CaseFileError) as refused:
        parse_case(data, registry)
    assert refused.value.field == f"child.{key}"


def test_an_unknown_key_is_refused_by_both(registry: Registry) -> None:
    data = {**complete_case(registry, "portsmouth-cse-2016"), "surprise": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(CaseFileError):
        parse_case(data, registry)


def test_schema_and_parser_agree_on_the_hostile_corpus(registry: Registry, tmp_path: Path) -> None:
    """Over the generated corpus (a wrong type at every nested path, hostile text at every
    text path, counts over the limits): a file the schema refuses, the parser refuses, and
    a file the parser accepts, the schema accepts. The schema covers every nested part:
    it alone refuses most of the wrong types, though it cannot know a toolkit's ids."""
    from app.fileio import InputFileError, read_json_file
    from tests.hostile_corpus import generate

    validator = jsonschema.Draft202012Validator(SCHEMA)
    by_schema = typed = 0
    for sample in generate(registry, tmp_path):
        if sample.kind in ("special", "raw"):
            continue
        try:
            data = read_json_file(sample.path)
        except InputFileError:
            continue  # the file guards' business (tests/cli/test_hostile_corpus.py)
        if isinstance(data, dict) and data.get("format") == "cre-case-export":
            continue
        schema_ok = validator.is_valid(data)
        try:
            parse_case(data, registry)
            parser_ok = True
        except CaseFileError:
            parser_ok = False
        assert schema_ok or not parser_ok, (sample, "the schema refuses what the app takes")
        if sample.kind == "type":
            typed += 1
            by_schema += not schema_ok
    assert typed > 500 and by_schema / typed > 0.8, (by_schema, typed)
