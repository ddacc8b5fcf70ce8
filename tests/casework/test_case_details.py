"""Recording a case's details: a closure needs its reason, a reason alone closes today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.casework.case_details import ClosureProblem, case_details, record_case_details
from app.forms import Registry
from app.rules import new_case
from app.storage import Repository
from tests.helpers.vaults import new_vault


@pytest.fixture()
def case(registry: Registry, tmp_path: Path) -> Iterator[tuple[Repository, int]]:
    vault = new_vault(tmp_path / "details.cre", "fictional details passphrase")
    repo = Repository(vault)
    tk = registry.get("derby-cre-2020")
    record = repo.create_case(tk, new_case(tk, dt.date(2026, 6, 1)))
    yield repo, record.case_id
    vault.close()


def test_a_date_without_a_reason_is_refused_and_nothing_written(
    case: tuple[Repository, int],
) -> None:
    repo, case_id = case
    with pytest.raises(ClosureProblem, match="closure reason"):
        record_case_details(
            repo, case_id, models_of_abuse=["cse"], closure_reason=None, closed_on="2026-06-02"
        )
    assert case_details(repo, case_id) == {
        "models_of_abuse": [], "closed_on": None, "closure_reason": None,
    }  # fmt: skip


def test_a_reason_alone_closes_the_case_today(case: tuple[Repository, int]) -> None:
    repo, case_id = case
    today = dt.date(2026, 7, 1)
    record_case_details(
        repo, case_id, models_of_abuse=[], closure_reason="moved", closed_on=None, today=today
    )
    details = case_details(repo, case_id)
    assert details["closed_on"] == "2026-07-01" and details["closure_reason"] == "moved"
