"""Smoke tests against the built Linux bundle (`bash packaging/linux/build.sh`).

Marked `bundle`: the default run skips them; run `python3 dev.py test -m bundle` after a
build (set CRE_BUNDLE to test a bundle elsewhere).
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("CRE_BUNDLE", ROOT / "dist" / "cre-toolkit"))
EXE = BUNDLE / "cre-toolkit"

pytestmark = pytest.mark.bundle


@pytest.fixture(scope="module")
def exe() -> Path:
    if not EXE.exists():
        pytest.fail(f"no bundle at {BUNDLE}: run bash packaging/linux/build.sh first")
    return EXE


def run(
    exe: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_version_matches_pyproject(exe: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    result = run(exe, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cre-toolkit {version}"


def test_bundle_loads_all_four_toolkits(exe: Path) -> None:
    result = run(exe, "toolkits")
    assert result.returncode == 0, result.stderr
    for tid in ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"):
        assert tid in result.stdout


def test_bundle_writes_nothing_next_to_itself(exe: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in BUNDLE.iterdir())
    run(exe, "toolkits", "--json", env={"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)})
    assert sorted(p.name for p in BUNDLE.iterdir()) == before


def test_bundle_creates_a_vault_imports_a_case_and_exports_signed_pdfs(
    exe: Path, tmp_path: Path
) -> None:
    import json

    from app.documents.signing import verify
    from app.forms import load_registry
    from tests.documents.test_documents import full_case

    registry = load_registry()
    case_file = tmp_path / "case.json"
    case_file.write_text(
        json.dumps(full_case(registry, "derby-cre-2020"), ensure_ascii=False), "utf-8"
    )
    env = {"CRE_VAULT_PASSPHRASE": "a fictional bundle passphrase", "HOME": str(tmp_path)}
    vault = str(tmp_path / "v.cre")
    for args in (
        ("vault", "create", "--vault", vault),
        ("vault", "import", str(case_file), "--vault", vault),
        ("vault", "check", "--vault", vault),
        ("export", str(case_file), "--out", str(tmp_path / "out")),
    ):
        result = run(exe, *args, env=env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    pem = (tmp_path / "out" / "signer-certificate.pem").read_bytes()
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    kinds = [p.name.split("-")[0] for p in pdfs]
    assert kinds == ["assessment", "authorisation", "information", "letter"]
    for path in pdfs:
        verdict = verify(path.read_bytes(), pem)
        assert verdict.intact and verdict.valid and verdict.trusted


def test_bundle_carries_the_licences(exe: Path) -> None:
    notices = list(BUNDLE.rglob("licences/THIRD-PARTY-NOTICES.txt"))
    assert len(notices) == 1, notices
    text = notices[0].read_text("utf-8")
    assert "pyside6-essentials" in text and "GNU Lesser" in text
    assert any(p.name.startswith("python-bidi-") for p in notices[0].parent.iterdir())
