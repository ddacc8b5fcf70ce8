"""The casework functions the windows call instead of the repository: settings by name,
reading cases, plans and the passphrase check, each on a real encrypted vault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.casework import assessments, passphrase, plans, reading, settings
from app.casework.oversight import set_profile
from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from app.storage.errors import RecordNotFoundError
from app.storage.models import AuditRow
from tests.helpers.vaults import new_vault

PASSPHRASE = "fictional services passphrase"


@pytest.fixture()
def repo(tmp_path: Path) -> Iterator[Repository]:
    vault = new_vault(tmp_path / "services.cre", PASSPHRASE)
    yield Repository(vault)
    vault.close()


def _audit_count(repo: Repository) -> int:
    with repo.vault.session() as s:
        return int(s.scalar(select(func.count(AuditRow.id))) or 0)


def _case(repo: Repository, registry: Registry, name: str = "") -> int:
    tk = registry.get("derby-cre-2020")
    answers = new_case(tk, dt.date(2026, 6, 1))
    if name:
        answers["child"] = {**(answers.get("child") or {}), "name": name}
    return repo.create_case(tk, answers).case_id


# -- settings ----------------------------------------------------------------------------
def test_settings_have_their_defaults_in_a_new_vault(repo: Repository) -> None:
    assert settings.profile(repo) == {}
    assert settings.is_demo(repo) is False
    assert settings.auto_lock_minutes(repo) == 10
    assert settings.auto_lock_minutes(repo, 3) == 3
    assert settings.export_folder(repo) is None
    assert settings.last_toolkit(repo) is None
    assert settings.statistics_period(repo) is None
    assert settings.window_size(repo, "main") is None


def test_settings_written_are_read_back_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "reopened.cre"
    vault = new_vault(path, PASSPHRASE)
    repo = Repository(vault)
    set_profile(repo, name="Alex Example", agency="Fictional Council")
    settings.set_auto_lock_minutes(repo, 5)
    settings.set_export_folder(repo, "  /tmp/exports  ")
    settings.set_last_toolkit(repo, "portsmouth-cse-2016")
    settings.set_statistics_period(repo, ("01/04/2026", "31/03/2027"))
    settings.remember_window_size(repo, "main", 1200, 700)
    source = settings.statistics_source_id(repo)
    vault.close()
    vault = Vault.open(path, PASSPHRASE)
    try:
        repo = Repository(vault)
        assert settings.profile(repo)["name"] == "Alex Example"
        assert settings.auto_lock_minutes(repo) == 5
        assert settings.export_folder(repo) == "/tmp/exports"
        assert settings.last_toolkit(repo) == "portsmouth-cse-2016"
        assert settings.statistics_period(repo) == ("01/04/2026", "31/03/2027")
        assert settings.window_size(repo, "main") == (1200, 700)
        assert settings.statistics_source_id(repo) == source  # made once, then kept
    finally:
        vault.close()


def test_a_setting_is_audited_only_when_it_changes(repo: Repository) -> None:
    before = _audit_count(repo)
    settings.set_auto_lock_minutes(repo, 7)
    assert _audit_count(repo) == before + 1
    settings.set_auto_lock_minutes(repo, 7)
    settings.set_export_folder(repo, "")  # None already: nothing to write
    settings.remember_window_size(repo, "x", 800, 600)
    settings.remember_window_size(repo, "x", 800, 600)
    assert _audit_count(repo) == before + 2


def test_the_default_statistics_period_is_forgotten(repo: Repository) -> None:
    settings.set_statistics_period(repo, ("01/01/2026", "30/06/2026"))
    settings.set_statistics_period(repo, None)
    assert settings.statistics_period(repo) is None


def test_auto_lock_refuses_less_than_a_minute_and_keeps_the_old_value(repo: Repository) -> None:
    settings.set_auto_lock_minutes(repo, 4)
    with pytest.raises(ValueError, match="Lock after"):
        settings.set_auto_lock_minutes(repo, 0)
    assert settings.auto_lock_minutes(repo) == 4


def test_the_profile_read_is_a_copy(repo: Repository) -> None:
    set_profile(repo, name="Alex Example")
    settings.profile(repo)["name"] = "Someone Else"
    assert settings.profile(repo)["name"] == "Alex Example"


# -- reading cases -----------------------------------------------------------------------
def test_cases_are_found_and_read_by_id(repo: Repository, registry: Registry) -> None:
    first = _case(repo, registry, "Zoë Fictional")
    second = _case(repo, registry)
    assert [c.id for c in reading.find_cases(repo, "zoe")] == [first]  # accents ignored
    assert {c.id for c in reading.find_cases(repo)} == {first, second}
    assert reading.prepare_search(repo) == 0  # keys already follow today's rule
    assert reading.child_name(repo, first) == "Zoë Fictional"
    assert reading.child_name(repo, second) == ""
    assert reading.case_summary(repo, first).toolkit == "derby-cre-2020"
    (record,) = reading.case_assessments(repo, first)
    assert reading.assessment(repo, record.id) == record
    assert reading.is_draft(repo, record.id)
    assert reading.open_draft(repo, first) == record
    assert reading.previous_answers(repo, record) is None
    with pytest.raises(RecordNotFoundError):
        reading.case_summary(repo, 9999)


def test_a_review_reads_the_answers_it_was_copied_from(
    repo: Repository, registry: Registry
) -> None:
    from tests.casework.support import complete_case

    tk = registry.get("derby-cre-2020")
    record = repo.create_case(tk, complete_case(registry, "derby-cre-2020"))
    done = assessments.complete(repo, registry, record.id)
    review = assessments.start_review(repo, registry, record.case_id)
    assert not reading.is_draft(repo, done.id)
    assert reading.previous_answers(repo, review) == done.answers
    assert reading.open_draft(repo, record.case_id) == review


def test_an_untouched_new_case_is_discarded_and_a_named_one_kept(
    repo: Repository, registry: Registry
) -> None:
    blank = _case(repo, registry)
    named = _case(repo, registry, "Sam Fictional")
    (blank_draft,) = reading.case_assessments(repo, blank)
    (named_draft,) = reading.case_assessments(repo, named)
    assert assessments.discard_if_untouched(repo, named_draft.id) is False
    assert assessments.discard_if_untouched(repo, blank_draft.id) is True
    assert [c.id for c in reading.find_cases(repo)] == [named]
    assert assessments.discard_if_untouched(repo, blank_draft.id) is False  # already gone


# -- plans -------------------------------------------------------------------------------
def test_plans_start_empty_and_are_saved_and_audited(repo: Repository, registry: Registry) -> None:
    case_id = _case(repo, registry, "Sam Fictional")
    empty = plans.case_plans(repo, case_id)
    assert empty == {"disruption_plan": {}, "support_plan": {"rows": []}}
    empty["support_plan"]["rows"].append({"action": "changed in memory only"})
    assert plans.case_plans(repo, case_id)["support_plan"]["rows"] == []  # never shared
    assert plans.stored_plans(repo, case_id) == []
    written = {"disruption_plan": {"curfew": {"chosen": True}}, "support_plan": {"rows": []}}
    before = _audit_count(repo)
    doc_id = plans.save_plans(repo, case_id, written)
    assert plans.case_plans(repo, case_id) == written
    assert plans.stored_plans(repo, case_id) == [(doc_id, written)]
    assert _audit_count(repo) > before
    assert plans.save_plans(repo, case_id, written) == doc_id  # one plans document per case
    with pytest.raises(RecordNotFoundError):
        plans.save_plans(repo, 9999, written)


# -- passphrase --------------------------------------------------------------------------
def test_the_passphrase_is_confirmed_only_when_it_is_the_vaults(repo: Repository) -> None:
    assert passphrase.confirm_passphrase(repo, PASSPHRASE)
    assert not passphrase.confirm_passphrase(repo, PASSPHRASE + " ")


# -- the wizard's autosave ---------------------------------------------------------------
def test_draft_autosave_saves_through_casework_and_reports_a_refusal(
    repo: Repository, registry: Registry
) -> None:
    from app.storage.errors import ImmutableRecordError
    from tests.casework.support import complete_case

    tk = registry.get("derby-cre-2020")
    record = repo.create_case(tk, complete_case(registry, "derby-cre-2020"))
    saved: list[int] = []
    errors: list[Exception] = []
    writer = assessments.draft_autosave(
        repo, on_saved=saved.append, on_error=lambda _i, e: errors.append(e)
    )
    try:
        typed = {**record.answers, "child": {**record.answers["child"], "name": "Kit Fictional"}}
        writer.submit(record.id, typed, 2)
        assert writer.flush(timeout=5)
        stored = reading.assessment(repo, record.id)
        assert stored.answers["child"]["name"] == "Kit Fictional" and stored.page == 2
        assert saved == [record.id] and errors == []
        assessments.complete(repo, registry, record.id)
        writer.submit(record.id, record.answers, 0)
        assert writer.flush(timeout=0.5) is False  # kept pending, never dropped
        assert errors and isinstance(errors[0], ImmutableRecordError)
    finally:
        writer.stop(timeout=0.2)


# -- importing a case file (File → Import…) ---------------------------------------------
def test_an_import_lists_every_bad_case_and_writes_nothing(
    repo: Repository, registry: Registry, tmp_path: Path
) -> None:
    import json

    from app.casework.importing import import_path
    from tests.casework.support import complete_case

    good = complete_case(registry, "derby-cre-2020")
    bad = [dict(good, toolkit="no-such-toolkit"), dict(good, toolkit="nor-this-one")]
    path = tmp_path / "two bad cases.json"
    path.write_text(json.dumps({"format": "cre-case-export", "version": 1, "cases": bad}))
    result = import_path(repo, registry, path)
    assert result.case_ids == []
    assert [p.split(":")[0] for p in result.problems] == ["Case 1", "Case 2"]
    assert reading.find_cases(repo) == []
    path.write_text(json.dumps({"format": "cre-case-export", "version": 1, "cases": [good]}))
    result = import_path(repo, registry, path)
    assert result.problems == [] and len(result.case_ids) == 1
    assert [c.id for c in reading.find_cases(repo)] == result.case_ids


def test_a_demo_vault_is_known_as_one(registry: Registry, tmp_path: Path) -> None:
    from app.casework.importing import make_demo_vault

    vault = make_demo_vault(tmp_path / "demo.cre", registry, dt.date(2026, 6, 1))
    try:
        assert settings.is_demo(Repository(vault))
    finally:
        vault.close()
