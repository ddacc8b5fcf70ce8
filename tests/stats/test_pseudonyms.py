"""Two laptops assess the same fictional child: with a shared secret the merge counts it once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.forms import Registry
from app.stats import BundleError, build_report, merge_bundles, to_bundle
from app.stats.pseudonyms import key_check, normalise, pseudonym
from app.stats.source import facts_from_vault
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases
from tests.casework.support import sign_off
from tests.rules.cases import case, tick

SECRET = "fictional partnership secret"
SPAN = (dt.date(2026, 4, 1), dt.date(2026, 9, 30))
TODAY = dt.date(2026, 11, 25)


def laptop(registry: Registry, path: Path, names: list[str], secret: str | None) -> dict[str, Any]:
    tk = registry.get("derby-cse-2017")
    files = []
    for n, name in enumerate(names):
        data = case(registry, tk.id, identified=tick(tk, "medium"), final="medium")
        data["assessment_date"] = f"2026-0{5 + n}-10"
        data["analysis"] = sign_off(tk, data["assessment_date"])
        data["child"].update(name=name, date_of_birth="2011-02-03", gender="female")
        files.append(data)
    repo = Repository(Vault.create(path, "fictional laptop passphrase"))
    import_cases(repo, registry, {"format": "cre-case-export", "version": 1, "cases": files})
    report = build_report(facts_from_vault(repo, registry, secret=secret), *SPAN, today=TODAY)
    repo.vault.close()
    check = key_check(secret) if secret else ""
    return to_bundle(report, source_id=path.name, key_check=check)


def test_a_child_on_two_laptops_is_counted_once_with_the_secret(
    registry: Registry, tmp_path: Path
) -> None:
    a = laptop(registry, tmp_path / "a.cre", ["Test Child Zoë", "Test Child Alpha"], SECRET)
    b = laptop(registry, tmp_path / "b.cre", ["test  child zoe", "Test Child Beta"], SECRET)
    merged = merge_bundles([("a", a), ("b", b)])
    assert merged.row("Requests", "requests").total == 3  # Zoë once, Alpha, Beta
    assert merged.row("Gender", "female").total == 3
    assert merged.row("Requests", "requests").counts == (3, 0)  # all in Q1 (May and June)
    text = json.dumps(a)
    assert "Zo" not in text and "Alpha" not in text and "2011-02-03" not in text
    assert SECRET not in text and a["pseudonyms"] == key_check(SECRET)
    plain_a = laptop(registry, tmp_path / "c.cre", ["Test Child Zoë"], None)
    plain_b = laptop(registry, tmp_path / "d.cre", ["Test Child Zoë"], None)
    assert "pseudonyms" not in plain_a and all("children" not in r for r in plain_a["rows"])
    plain = merge_bundles([("c", plain_a), ("d", plain_b)])
    assert plain.row("Requests", "requests").total == 2  # without the secret: as before
    other = laptop(registry, tmp_path / "e.cre", ["Test Child Zoë"], "another fictional secret")
    with pytest.raises(BundleError, match="another partnership secret"):
        merge_bundles([("a", a), ("e", other)])
    with pytest.raises(BundleError, match="another partnership secret"):
        merge_bundles([("a", a), ("c", plain_a)])


def test_pseudonyms_are_keyed_and_normalised() -> None:
    assert normalise("  Zoë   SAMPLE ") == "zoe sample"
    one = pseudonym(SECRET, "Test Child Zoë", "2011-02-03")
    assert one == pseudonym(SECRET, "test child zoe", "2011-02-03")
    assert one != pseudonym("another fictional secret", "Test Child Zoë", "2011-02-03")
    assert one != pseudonym(SECRET, "Test Child Zoë", "2011-02-04")
    assert pseudonym(SECRET, "", None) != pseudonym(SECRET, "", None)  # never matched
