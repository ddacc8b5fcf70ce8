"""The loader's staged checks: a broken definition names its code, file and item."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.forms import DefinitionError, ErrorCode, load_definition, load_registry
from app.forms.loader import MONITORING_FILE

FIXTURE = Path(__file__).parent / "fixtures" / "minimal.yaml"
REAL_DIR = Path(__file__).resolve().parents[2] / "app" / "forms" / "definitions"


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIXTURE.read_text("utf-8"))
    return data


def load(data: dict[str, Any], file: str = "test-toolkit.yaml") -> Any:
    return load_definition(yaml.safe_dump(data, allow_unicode=True), file)


def test_minimal_fixture_loads_with_monitoring_fields() -> None:
    tk = load(minimal())
    assert tk.id == "test-toolkit"
    assert [i.id for i in tk.section1_items] == ["low_one", "high_one"]
    assert [i.band for i in tk.section1_items] == ["low", "high"]
    child_ids = [f.id for f in tk.child_fields]
    assert child_ids[:2] == ["name", "date_of_birth"]
    for monitoring in ("gender", "ethnicity", "send", "looked_after", "care_leaver"):
        assert monitoring in child_ids
    assert tk.content_hash.startswith("sha256:") and len(tk.content_hash) == 71


def test_content_hash_changes_with_content() -> None:
    data = minimal()
    before = load(data).content_hash
    data["section1"]["groups"][0]["items"][0]["text"] = "Changed wording"
    assert load(data).content_hash != before


def _dup_item(d: dict[str, Any]) -> None:
    d["section2"]["groups"][0]["items"][0]["id"] = "low_one"


def _missing_title(d: dict[str, Any]) -> None:
    del d["title"]


def _missing_dob(d: dict[str, Any]) -> None:
    d["child_fields"] = [f for f in d["child_fields"] if f["id"] != "date_of_birth"]


def _reserved(d: dict[str, Any]) -> None:
    d["child_fields"].append({"id": "send", "label": "SEND?", "type": "bool"})


def _bad_placeholder(d: dict[str, Any]) -> None:
    d["disruption_letter"]["body"] = ["Dear {perpetrator_nickname}"]


def _bad_marking(d: dict[str, Any]) -> None:
    d["section1"]["column_labels"] = {"cce": "CCE"}


def _dangling_rule(d: dict[str, Any]) -> None:
    d["rules"]["floors"][0]["note"] = "no_such_note"


def _dangling_rule_field(d: dict[str, Any]) -> None:
    d["rules"]["information_report"] = {"when_fields": ["nope"], "step": "Report it."}


def _unknown_key(d: dict[str, Any]) -> None:
    d["section1"]["groups"][0]["items"][0]["txet"] = "typo"


def _dup_option(d: dict[str, Any]) -> None:
    d["section3"]["fields"].append(
        {
            "id": "choice",
            "label": "Choice",
            "type": "choice",
            "options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}],
        }
    )


@pytest.mark.parametrize(
    ("breakage", "code", "item"),
    [
        (_dup_item, ErrorCode.DUPLICATE_ID, "low_one"),
        (_missing_title, ErrorCode.SCHEMA, "(top level)"),
        (_missing_dob, ErrorCode.MISSING_FIELD, "date_of_birth"),
        (_reserved, ErrorCode.RESERVED_ID, "send"),
        (_bad_placeholder, ErrorCode.DANGLING_REFERENCE, "disruption_letter"),
        (_bad_marking, ErrorCode.MARKING, "cce"),
        (_dangling_rule, ErrorCode.DANGLING_REFERENCE, "no_such_note"),
        (_dangling_rule_field, ErrorCode.DANGLING_REFERENCE, "nope"),
        (_unknown_key, ErrorCode.SCHEMA, "low_one"),
        (_dup_option, ErrorCode.DUPLICATE_ID, "a"),
    ],
)
def test_broken_definition_names_code_file_and_item(
    breakage: Callable[[dict[str, Any]], None], code: ErrorCode, item: str
) -> None:
    data = minimal()
    breakage(data)
    with pytest.raises(DefinitionError) as caught:
        load(data, "broken.yaml")
    err = caught.value
    assert err.code is code
    assert err.file == "broken.yaml"
    assert err.item == item
    assert str(err).startswith(f"{code.code} broken.yaml, {item}: ")


def test_yaml_syntax_error_is_coded() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition("id: [unclosed", "bad.yaml")
    assert caught.value.code is ErrorCode.PARSE
    assert "DEF001 bad.yaml" in str(caught.value)


def _copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "defs"
    target.mkdir()
    shutil.copy(REAL_DIR / MONITORING_FILE, target / MONITORING_FILE)
    return target


def test_registry_rejects_two_files_with_one_id(tmp_path: Path) -> None:
    target = _copy_dir(tmp_path)
    shutil.copy(FIXTURE, target / "test-toolkit.yaml")
    data = minimal()
    (target / "zz-copy.yaml").write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_registry(target, eager=True)
    assert caught.value.code in {ErrorCode.DUPLICATE_TOOLKIT, ErrorCode.FILE_NAME}


def test_registry_requires_file_name_to_match_id(tmp_path: Path) -> None:
    target = _copy_dir(tmp_path)
    shutil.copy(FIXTURE, target / "other-name.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_registry(target, eager=True)
    assert caught.value.code is ErrorCode.FILE_NAME
    assert caught.value.file == "other-name.yaml"


def test_registry_from_directory(tmp_path: Path) -> None:
    target = _copy_dir(tmp_path)
    shutil.copy(FIXTURE, target / "test-toolkit.yaml")
    reg = load_registry(target)
    assert reg.ids() == ["test-toolkit"]
    assert "test-toolkit" in reg
    with pytest.raises(KeyError, match="unknown toolkit 'nope'"):
        reg.get("nope")


def test_registry_checks_a_definition_on_first_use(tmp_path: Path) -> None:
    target = _copy_dir(tmp_path)
    shutil.copy(FIXTURE, target / "test-toolkit.yaml")
    broken = minimal()
    broken["id"] = "broken-toolkit"
    del broken["title"]
    (target / "broken-toolkit.yaml").write_text(yaml.safe_dump(broken), "utf-8")
    reg = load_registry(target)
    assert reg.ids() == ["broken-toolkit", "test-toolkit"]
    assert reg.get("test-toolkit").id == "test-toolkit"
    with pytest.raises(DefinitionError) as caught:
        reg.get("broken-toolkit")
    assert caught.value.code is ErrorCode.SCHEMA and caught.value.file == "broken-toolkit.yaml"


def test_a_definition_is_parsed_once_per_text_and_an_edited_text_is_read_again(
    tmp_path: Path,
) -> None:
    """Registries share a checked definition when the file's text is the same (the
    in-process command-line sweeps open hundreds), and never when it has changed."""
    from app.forms.loader import definitions_dir

    source = definitions_dir().joinpath("derby-cse-2017.yaml").read_text("utf-8")
    folder = tmp_path / "defs"
    shutil.copytree(str(definitions_dir()), folder)
    first = load_registry(folder, installed=False).get("derby-cse-2017")
    again = load_registry(folder, installed=False).get("derby-cse-2017")
    assert again is first
    edited = source.replace(f"title: {first.title}", "title: An Edited Fictional Title", 1)
    assert edited != source
    (folder / "derby-cse-2017.yaml").write_text(edited, "utf-8")
    changed = load_registry(folder, installed=False).get("derby-cse-2017")
    assert changed is not first and changed.title == "An Edited Fictional Title"
