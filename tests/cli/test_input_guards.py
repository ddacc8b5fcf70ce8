"""Every file the app reads goes through the same guards: JSON (duplicate keys, NaN,
Infinity), the signing identity (a FIFO or /dev/zero is refused at once), and folders
the export creates are 0700."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.fileio import InputFileError, make_private_dir, read_json_file
from app.forms import Registry
from tests.casework.support import complete_case
from tests.cli.test_hostile_corpus import deadline

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and modes")


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with deadline(20), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"child": {"name": "A", "name": "B"}}', 'the field "name" appears twice'),
        ('{"format": NaN}', "NaN is not a number JSON allows"),
        ('{"format": -Infinity}', "-Infinity is not a number JSON allows"),
        ('{"a": "\\ud800"}', "a: is not valid text"),
        ('{"a": ' + "[" * 70 + "]" * 70 + "}", "nested too deeply"),
    ],
)
def test_json_guards(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputFileError) as caught:
        read_json_file(path)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_sign_p12_that_is_a_fifo_or_a_device_is_refused_at_once(
    registry: Registry, tmp_path: Path
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(complete_case(registry, "derby-cre-2020")), "utf-8")
    fifo = tmp_path / "identity.p12"
    os.mkfifo(fifo)
    for p12 in (fifo, Path("/dev/zero"), tmp_path):
        code, err = run("export", str(case), "--out", str(tmp_path / "out"), "--sign-p12", str(p12))
        assert code == 2 and err.startswith("error: signing certificate ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_export_folders_are_created_0700(registry: Registry, tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(complete_case(registry, "derby-cre-2020")), "utf-8")
    out = tmp_path / "new" / "exports"
    code, err = run("export", str(case), "--out", str(out))
    assert code == 0, err
    for folder in (out, out.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    make_private_dir(out)  # an existing folder is left as it is
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


def test_a_hostile_file_name_is_shown_escaped_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines\x1b[31m.json"
    path.write_text("{", "utf-8")
    code, err = run("assess", str(path))
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err and "\\x0a" in err
