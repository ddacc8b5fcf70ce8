"""Shared test set-up: Qt runs offscreen, the toolkit registry is loaded once, and one
definition of the real encrypted vault fixtures (`vault_path`, `vault`, `repo`) serves
every folder. Nothing here is mocked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Toolkits installed from spreadsheets go to a folder of this run's own, never the user's
# (set before anything loads a registry; subprocesses inherit it).
os.environ["CRE_TOOLKITS_DIR"] = tempfile.mkdtemp(prefix="cre-toolkits-")
# The kill and fault sweeps start a Python per write position: with PYTHONDONTWRITEBYTECODE
# set each child compiled every app module from source (~0.2 s of its ~0.8 s start-up).
# Children write the usual (git-ignored) __pycache__ so later ones load it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import pytest

from app.forms import Registry, load_registry
from app.storage import Repository, Vault


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests (marked `long`) first: pytest-xdist's work stealing hands each
    worker a run of tests and lets the idle ones take from the end of the others'; a long
    sweep left near the end kept one worker busy while the rest waited."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)  # stable


@pytest.fixture(autouse=True)
def cheap_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process tests derive keys at a low scrypt cost (N=2^10 instead of 2^17).

    Only the cost changes, not the code path; tests marked `real_kdf` (and every CLI test
    that runs `python -m app` in a subprocess) use the real parameters.
    """
    if request.node.get_closest_marker("real_kdf"):
        return
    from app.storage import keys

    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)
    monkeypatch.setattr(keys, "LEGACY_N", (2**11,))


PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "vault.cre"


@pytest.fixture
def vault(request: pytest.FixtureRequest, vault_path: Path) -> Iterator[Vault]:
    """A new real encrypted vault (PASSPHRASE), closed after the test: a copy of one that
    `Vault.create` made for this process (tests/helpers/vaults.py), or made by
    Vault.create itself for tests marked `real_kdf`."""
    from tests.helpers.vaults import new_vault

    if request.node.get_closest_marker("real_kdf"):
        v = Vault.create(vault_path, PASSPHRASE)
    else:
        v = new_vault(vault_path, PASSPHRASE)
    yield v
    v.close()


@pytest.fixture
def repo(vault: Vault) -> Repository:
    return Repository(vault)


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder of installed toolkits for this test alone."""
    folder = tmp_path / "installed"
    monkeypatch.setenv("CRE_TOOLKITS_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(eager=True)  # every definition checked once per run


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def require_seed(path: Path) -> Path:
    """The word-for-word tests need ../shared/seeds. Locally a missing seed skips; in CI
    (where `CI` is set and shared/ is laid beside the clone) it fails, so fidelity is
    never silently untested."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seed text missing in CI: {path}")
        pytest.skip(f"seed not available: {path}")
    return path
