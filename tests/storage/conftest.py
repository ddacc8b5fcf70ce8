"""Storage test data; the vault fixtures (`vault_path`, `vault`, `repo`) are shared by every
folder from tests/conftest.py."""

from __future__ import annotations

from typing import Any

from app.forms import Registry
from tests.casework.support import sign_off
from tests.conftest import PASSPHRASE as PASSPHRASE  # re-exported: many tests import it here
from tests.rules.cases import case, tick


def sample(registry: Registry, toolkit: str = "derby-cse-2017", **kw: Any) -> dict[str, Any]:
    tk = registry.get(toolkit)
    band = None if toolkit == "derby-cre-2020" else "medium"
    data = case(registry, toolkit, identified=tick(tk, band), **kw)
    data["analysis"] = sign_off(tk, data["assessment_date"])  # completable once a level is set
    return data
