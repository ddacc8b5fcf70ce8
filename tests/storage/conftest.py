"""Real encrypted vaults in temporary folders; nothing here is mocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.forms import Registry
from app.storage import Repository, Vault
from tests.casework.support import sign_off
from tests.rules.cases import case, tick

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "vault.cre"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    v = Vault.create(vault_path, PASSPHRASE)
    yield v
    v.close()


@pytest.fixture
def repo(vault: Vault) -> Repository:
    return Repository(vault)


def sample(registry: Registry, toolkit: str = "derby-cse-2017", **kw: Any) -> dict[str, Any]:
    tk = registry.get(toolkit)
    band = None if toolkit == "derby-cre-2020" else "medium"
    data = case(registry, toolkit, identified=tick(tk, band), **kw)
    data["analysis"] = sign_off(tk, data["assessment_date"])  # completable once a level is set
    return data
