"""What the installer ships may be shipped: every runtime library's licence is known and
not copyleft beyond the LGPL, each has its licence text to go beside it, and the notice
tells the user which libraries are LGPL and that they can be replaced (tools/licences.py,
called by packaging/cre-toolkit.spec)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import licences
from tools.licences import Shipped

ROOT = Path(__file__).resolve().parents[2]
LGPL_LIBRARIES = {"pyside6-essentials", "shiboken6", "python-bidi"}


@pytest.fixture(scope="module")
def shipped() -> list[Shipped]:
    return licences.runtime()


def test_every_runtime_library_is_permissive_or_lgpl(shipped: list[Shipped]) -> None:
    names = {s.name for s in shipped}
    assert {"pyside6-essentials", "sqlcipher3", "reportlab", "pyhanko", "cryptography"} <= names
    assert "pytest" not in names and "hypothesis" not in names  # test extras are not shipped
    refused = [(s.name, s.licence) for s in shipped if s.kind == "refused"]
    assert refused == [], "add its licence to tools/licences.py only if it may be shipped"
    assert {s.name for s in shipped if s.kind == "lgpl"} == LGPL_LIBRARIES


@pytest.mark.parametrize(
    ("licence", "kind"),
    [
        ("MIT", "permissive"),
        ("Apache-2.0 AND MIT", "permissive"),
        ("Apache-2.0 OR BSD-3-Clause", "permissive"),
        ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", "lgpl"),
        ("GPL-3.0-only", "refused"),
        ("AGPL-3.0-or-later", "refused"),
        ("MIT AND GPL-2.0-only", "refused"),
        ("", "refused"),
    ],
)
def test_a_copyleft_or_unknown_licence_is_refused(licence: str, kind: str) -> None:
    assert Shipped("x", "1", licence, ()).kind == kind


def test_every_library_has_its_licence_text(shipped: list[Shipped]) -> None:
    for item in shipped:
        assert item.texts, f"{item.name} ships no licence text"
        assert all(t.is_file() for t in item.texts), item
    for item in shipped:
        if item.name in LGPL_LIBRARIES:
            texts = " ".join(t.read_text("utf-8", "replace") for t in item.texts)
            assert "GNU LESSER GENERAL PUBLIC LICENSE" in texts, item.name
            assert "Version 3, 29 June 2007" in texts, item.name
    sqlcipher = next(s for s in shipped if s.name == "sqlcipher3")
    assert any("ZETETIC LLC" in t.read_text("utf-8") for t in sqlcipher.texts)


def test_the_notice_names_every_library_and_says_the_lgpl_ones_can_be_replaced(
    shipped: list[Shipped], tmp_path: Path
) -> None:
    notice = licences.write(tmp_path / "licences", shipped).read_text("utf-8")
    for item in shipped:
        assert f"{item.name} {item.version}: {item.licence}" in notice
        folder = tmp_path / "licences" / f"{item.name}-{item.version}"
        assert len(list(folder.iterdir())) == len(item.texts)  # none overwritten by a namesake
    assert "GNU Lesser" in notice and "replace them with a modified version" in notice
    assert "SQLCipher" in notice and "OpenSSL" in notice


def test_the_build_ships_the_notice_one_folder() -> None:
    spec = (ROOT / "packaging" / "cre-toolkit.spec").read_text("utf-8")
    assert "licences.write(" in spec and '"licences")' in spec
    assert "onefile" not in spec.lower()  # the LGPL libraries stay replaceable files
