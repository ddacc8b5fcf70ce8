"""Schema stamps: only the exact text that passed its schema skips that stage; a changed
text, a changed schema or a missing stamp list is validated as before."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.cli.toolkits import write_stamps
from app.forms import DefinitionError, ErrorCode, load_registry, validated
from app.forms.loader import _schema

REAL_DIR = Path(__file__).resolve().parents[2] / "app" / "forms" / "definitions"


def copy_definitions(tmp_path: Path) -> Path:
    folder = tmp_path / "definitions"
    shutil.copytree(REAL_DIR, folder)
    return folder


def test_written_stamps_match_each_file_and_a_stamp_is_schema_and_text() -> None:
    text = (REAL_DIR / "derby-cre-2020.yaml").read_text("utf-8")
    first = validated.stamp(_schema(), text)
    assert first != validated.stamp(_schema(), text + "\n# edited")
    assert first != validated.stamp({**_schema(), "title": "another schema"}, text)


def test_a_stale_stamp_does_not_let_a_schema_error_through(tmp_path: Path) -> None:
    folder = copy_definitions(tmp_path)
    write_stamps(folder)
    path = folder / "derby-cse-2017.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["marking"] = "not_a_marking_scheme"  # the schema's enum refuses it
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_registry(folder).get("derby-cse-2017")
    assert caught.value.code == ErrorCode.SCHEMA


def test_stamped_definitions_load_the_same_without_importing_jsonschema(
    tmp_path: Path,
) -> None:
    folder = copy_definitions(tmp_path)
    write_stamps(folder)
    unstamped = tmp_path / "plain"
    shutil.copytree(REAL_DIR, unstamped)
    (unstamped / validated.STAMP_FILE).unlink(missing_ok=True)
    assert [tk.content_hash for tk in load_registry(folder, eager=True)] == [
        tk.content_hash for tk in load_registry(unstamped, eager=True)
    ]
    code = (
        "import sys; from pathlib import Path; from app.forms import load_registry;"
        f"r = load_registry(Path({str(folder)!r}), eager=True);"
        "print(len(r), 'jsonschema' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(len(load_registry(folder))), "False"]
