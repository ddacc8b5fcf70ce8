"""Case import validates everything first and writes nothing on any error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.forms import Registry, load_registry
from app.rules import CaseFileError
from app.storage import Repository
from app.storage.casefiles import export_cases, import_cases, import_file
from tests.helpers.vaults import new_vault
from tests.rules.cases import case
from tests.storage.conftest import PASSPHRASE, sample

REGISTRY = load_registry()


def test_export_then_import_round_trips(
    registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    data = sample(registry, "derby-cre-2020", final="medium")
    # complete by app.rules' one definition (required Section 3 fields filled in)
    data["analysis"] = {"date_completed": "2026-06-01", "practitioner_name": "Test Practitioner"}
    rec = repo.create_case(registry.get("derby-cre-2020"), data)
    export_cases(repo, tmp_path / "one.json", rec.case_id)
    assert json.loads((tmp_path / "one.json").read_text("utf-8")) == data
    export_cases(repo, tmp_path / "all.json")
    ids = import_file(repo, registry, tmp_path / "all.json")
    assert len(ids) == 1
    imported = repo.assessments(ids[0])[0]
    assert imported.status == "completed" and imported.level == "medium"
    assert imported.review_due == "2026-07-13"


def test_one_bad_case_in_a_bundle_writes_nothing(registry: Registry, repo: Repository) -> None:
    good = sample(registry)
    bad = sample(registry)
    bad["child"]["date_of_birth"] = "2014-02-31"
    with pytest.raises(CaseFileError) as caught:
        import_cases(
            repo, registry, {"format": "cre-case-export", "version": 1, "cases": [good, bad]}
        )
    assert caught.value.field == "cases[1].child.date_of_birth"
    assert repo.count_cases() == 0


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def malformed(draw: st.DrawFn) -> Any:
    base = case(REGISTRY, draw(st.sampled_from(REGISTRY.ids())))
    where = draw(st.sampled_from(["", "child", "section1", "analysis", "practitioner"]))
    target = base if not where else base[where]
    key = draw(st.sampled_from([*target.keys(), "unexpected"]))
    target[key] = draw(JSON)
    if draw(st.booleans()):
        return {
            "format": "cre-case-export",
            "version": 1,
            "cases": [case(REGISTRY, "derby-cse-2017"), base],
        }
    return base


@pytest.mark.long
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=malformed())
def test_malformed_import_raises_only_the_named_error_and_writes_nothing(
    tmp_path_factory: pytest.TempPathFactory, data: Any
) -> None:
    path = tmp_path_factory.mktemp("v") / "vault.cre"
    with new_vault(path, PASSPHRASE) as vault:
        repo = Repository(vault)
        try:
            ids = import_cases(repo, REGISTRY, data)
        except CaseFileError as exc:
            assert exc.field
            assert repo.count_cases() == 0
            assert vault.pragma("SELECT count(*) FROM assessments") == [(0,)]
        else:
            assert repo.count_cases() == len(ids)
