"""The licences of everything the installer ships, and the notices it must carry.

The one-folder build (packaging/cre-toolkit.spec) bundles every runtime dependency of
cre-toolkit. Most are permissive (MIT, BSD, Apache, PSF, MPL); two are LGPL-3.0 (PySide6 with
shiboken6, and python-bidi). The LGPL lets a proprietary app use them if the user is told,
gets the licence texts, and can replace the library: in a one-folder build each one stays a
separate, replaceable module or shared library, which is why the build must stay one-folder.

    python tools/licences.py OUTDIR   # writes OUTDIR/THIRD-PARTY-NOTICES.txt and the texts

The spec calls `write()`; tests/packaging/test_licences.py refuses a new dependency whose
licence is unknown or copyleft beyond the LGPL, so a GPL-only library cannot slip in.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "resources" / "licences"  # licence texts a wheel does not carry itself
PERMISSIVE = {
    "MIT", "MIT-0", "MIT-CMU", "BSD", "BSD-3-Clause", "Apache-2.0", "PSF-2.0", "MPL-2.0",
    "Zlib",
}  # fmt: skip
LGPL = {"LGPL-3.0-only", "LGPL-3.0-or-later", "LGPL"}
# What a wheel's metadata says when it gives no SPDX expression, read from its classifiers
# or (for sqlcipher3, whose metadata is empty) from its licence file, checked by hand.
CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: BSD License": "BSD",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)": "LGPL",
    "License :: OSI Approved :: zlib/libpng License": "Zlib",
}
READ_BY_HAND = {"sqlcipher3": "Zlib"}  # its LICENSE is the zlib licence (pysqlite's)
# Wheels that ship no licence text: the text kept in resources/licences/ stands in for it.
SUPPLIED = {
    "pyside6-essentials": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "shiboken6": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "sqlcipher3": ["SQLCipher.txt"],  # SQLCipher and OpenSSL are compiled into its module
}
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Shipped:
    name: str
    version: str
    licence: str  # an SPDX expression, or the short name read from a classifier
    texts: tuple[Path, ...]  # the licence files to ship beside it

    @property
    def kind(self) -> str:
        """`permissive`, `lgpl` (a choice that includes the LGPL counts as LGPL), or
        `refused` for anything else (GPL-only, AGPL, unknown)."""
        choices = [c.strip(" ()") for c in re.split(r"\bOR\b", self.licence)]
        kinds = set()
        for choice in choices:
            parts = [p.strip(" ()") for p in re.split(r"\bAND\b", choice)]
            if all(p in PERMISSIVE for p in parts):
                kinds.add("permissive")
            elif all(p in PERMISSIVE | LGPL for p in parts):
                kinds.add("lgpl")
        if "permissive" in kinds:
            return "permissive"
        return "lgpl" if "lgpl" in kinds else "refused"


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence(dist: metadata.Distribution) -> str:
    md = dist.metadata
    name = _key(md["Name"])
    if name in READ_BY_HAND:
        return READ_BY_HAND[name]
    expression = (md.get_all("License-Expression") or [""])[0]
    if expression:
        return str(expression).strip()
    for classifier in md.get_all("Classifier") or []:
        if classifier in CLASSIFIERS:
            return CLASSIFIERS[classifier]
    free_text = str((md.get_all("License") or [""])[0]).strip()
    return free_text.splitlines()[0] if free_text else ""


def runtime(root: str = "cre-toolkit") -> list[Shipped]:
    """Every distribution installed for `root` at run time (its requirements, recursively,
    without test or other extras), with its licence and the licence files to ship."""
    seen: dict[str, Shipped] = {}

    def walk(name: str, top: bool) -> None:
        key = _key(name)
        if key in seen:
            return
        dist = metadata.distribution(name)
        texts = tuple(
            Path(str(dist.locate_file(f)))
            for f in dist.files or []
            if LICENCE_FILE.search(str(f)) and "/fonts/" not in str(f)
        )
        texts += tuple(TEXTS / t for t in SUPPLIED.get(key, []))
        if not top:
            seen[key] = Shipped(key, dist.version, _licence(dist), texts)
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                walk(req.name, False)

    walk(root, True)
    return sorted(seen.values(), key=lambda s: s.name)


NOTICE = """CRE Toolkit: third-party software

This program is built with the libraries below. Each keeps its own licence; the licence
texts are in the folder beside this file, one folder per library.

PySide6 and shiboken6 (Qt for Python) and python-bidi are used under the GNU Lesser
General Public License version 3. They are installed as separate, replaceable files in
this program's folder: you may replace them with a modified version of the same
interface. Their source code is published by their authors (https://code.qt.io/cgit/
pyside/pyside-setup.git and https://github.com/MeirKriheli/python-bidi); the versions
used are listed below.

The sqlcipher3 module has SQLCipher (BSD licence, Zetetic LLC), SQLite (public domain) and
OpenSSL 3 (Apache License 2.0) compiled into it; the cryptography module has OpenSSL too.
The DejaVu fonts are under their own licence: resources/fonts/LICENSE-DejaVu.txt.

"""


def write(out: Path, shipped: list[Shipped] | None = None) -> Path:
    """THIRD-PARTY-NOTICES.txt and a folder of licence texts per library, in `out`."""
    shipped = runtime() if shipped is None else shipped
    out.mkdir(parents=True, exist_ok=True)
    lines = [NOTICE]
    for item in shipped:
        folder = out / f"{item.name}-{item.version}"
        folder.mkdir(exist_ok=True)
        names: list[str] = []
        for text in item.texts:  # two files of one name (LICENSE, vendor/x/LICENSE) both kept
            name = text.name if text.name not in names else f"{text.parent.name}-{text.name}"
            shutil.copyfile(text, folder / name)
            names.append(name)
        files = ", ".join(names) or "none shipped"
        lines.append(f"{item.name} {item.version}: {item.licence} ({files})\n")
    notices = out / "THIRD-PARTY-NOTICES.txt"
    notices.write_text("".join(lines), "utf-8")
    return notices


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tools/licences.py OUTDIR", file=sys.stderr)
        return 2
    refused = [s for s in runtime() if s.kind == "refused"]
    for item in refused:
        print(f"refused: {item.name} {item.version} is {item.licence or 'unlicensed'}",
              file=sys.stderr)  # fmt: skip
    print(write(Path(argv[0])))
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
