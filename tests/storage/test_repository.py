"""Cases, drafts, immutability, reviews, audit chain and migrations on a real vault."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import sqlcipher3

from app.forms import Registry
from app.storage import (
    ImmutableRecordError,
    RecordNotFoundError,
    Repository,
    Vault,
    VaultLockedError,
)
from app.storage.autosave import AutosaveWriter
from app.storage.keys import derive, new_key
from tests.storage.conftest import PASSPHRASE, sample


def test_drafts_save_even_when_empty_and_resume_at_their_page(
    registry: Registry, repo: Repository
) -> None:
    tk = registry.get("derby-cre-2020")
    empty = {"format": 1, "toolkit": tk.id, "child": {"name": ""}}
    rec = repo.create_case(tk, empty, page=0)
    assert rec.status == "draft" and rec.definition_hash == tk.content_hash
    repo.save_draft(rec.id, {**empty, "section1": {"x": "half-typed"}}, page=3)
    again = repo.get_assessment(rec.id)
    assert again.page == 3 and again.answers["section1"] == {"x": "half-typed"}


def test_signed_records_cannot_change_through_the_api(registry: Registry, repo: Repository) -> None:
    tk = registry.get("derby-cse-2017")
    rec = repo.create_case(tk, sample(registry))
    repo.complete(rec.id, "medium", None)
    with pytest.raises(ImmutableRecordError, match="completed"):
        repo.save_draft(rec.id, sample(registry))
    repo.sign(rec.id)
    for attempt in (
        lambda: repo.save_draft(rec.id, sample(registry)),
        lambda: repo.complete(rec.id, "low", None),
        lambda: repo.sign(rec.id),
    ):
        with pytest.raises(ImmutableRecordError):
            attempt()
    new = repo.new_version(rec.id)
    assert new.status == "draft" and new.previous_id == rec.id and new.version == 2
    assert repo.get_assessment(rec.id).status == "signed"
    with pytest.raises(RecordNotFoundError):
        repo.get_assessment(9999)


def test_review_is_prefilled_from_the_latest(registry: Registry, repo: Repository) -> None:
    tk = registry.get("portsmouth-cse-2016")
    data = sample(registry, "portsmouth-cse-2016", final="medium")
    rec = repo.create_case(tk, data)
    repo.complete(rec.id, "medium", "2026-07-13")
    review = repo.start_review(rec.case_id)
    assert review.is_review and review.previous_id == rec.id
    assert review.answers["section1"] == data["section1"]
    assert review.answers["final_level"] is None
    case = repo.get_case(rec.case_id)
    assert case.level == "medium" and case.review_due == "2026-07-13" and case.status == "draft"


def test_search_and_filters(registry: Registry, repo: Repository) -> None:
    for name, tid in [("Test Zoë Alpha", "derby-cse-2017"), ("Test Łukasz Beta", "bedfordshire-cse"),
                      ("Test ZOË Gamma", "derby-cse-2017")]:  # fmt: skip
        data = sample(registry, tid)
        data["child"]["name"] = name
        repo.create_case(registry.get(tid), data)
    assert [c.child_name for c in repo.list_cases("zoë")] == ["Test Zoë Alpha", "Test ZOË Gamma"]
    assert [c.child_name for c in repo.list_cases("łuk")] == ["Test Łukasz Beta"]
    assert len(repo.list_cases(toolkit="derby-cse-2017")) == 2
    assert repo.list_cases("100%_") == []


def test_audit_chain_records_edits_and_detects_tampering(registry: Registry, vault: Vault) -> None:
    repo = Repository(vault)
    tk = registry.get("derby-cse-2017")
    data = sample(registry)
    rec = repo.create_case(tk, data)
    data["child"]["name"] = "Test Child Renamed"
    repo.save_draft(rec.id, data)
    assert repo.verify_audit() is None
    edits = vault.pragma("SELECT detail FROM audit WHERE action = 'edited'")
    change = json.loads(edits[0][0])
    assert change == {"field": "child.name", "old": "Test Child Alpha", "new": "Test Child Renamed"}
    target = vault.pragma("SELECT id FROM audit WHERE action = 'edited'")[0][0]
    vault.pragma(f"UPDATE audit SET detail = '{{}}' WHERE id = {int(target)}")
    broken = repo.verify_audit()
    assert broken is not None and broken.entry_id == target
    assert "changed" in str(broken)


def test_autosave_commits_within_a_second_and_reports_errors(
    registry: Registry, repo: Repository
) -> None:
    tk = registry.get("derby-cre-2020")
    rec = repo.create_case(tk, sample(registry, "derby-cre-2020"))
    saved: list[int] = []
    errors: list[tuple[int, Exception]] = []
    writer = AutosaveWriter(
        repo, on_saved=saved.append, on_error=lambda i, e: errors.append((i, e))
    )
    try:
        for n in range(20):  # a burst of keystrokes coalesces into few commits
            data = sample(registry, "derby-cre-2020")
            data["child"]["name"] = f"Test Typing {n}"
            writer.submit(rec.id, data, page=1)
        started = time.monotonic()
        while repo.get_assessment(rec.id).answers["child"]["name"] != "Test Typing 19":
            assert time.monotonic() - started < 1.0, "not durable within a second"
            time.sleep(0.02)
        assert 1 <= len(saved) <= 5
        repo.complete(rec.id, "low", None)
        writer.submit(rec.id, sample(registry, "derby-cre-2020"))
        assert writer.flush(timeout=0.5) is False  # kept pending, not dropped
        assert errors and isinstance(errors[0][1], ImmutableRecordError)
    finally:
        writer.stop(timeout=0.2)


def test_autosave_waits_for_nothing_once_the_vault_is_closed(
    registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A closed vault takes no save: flush says so at once (False) instead of retrying for
    its whole timeout, and stop does not join the worker, which makes its last attempt and
    ends by itself. The edit is reported as failed, never dropped without a word."""
    import threading

    tk = registry.get("derby-cre-2020")
    rec = repo.create_case(tk, sample(registry, "derby-cre-2020"))
    errors: list[Exception] = []
    writer = AutosaveWriter(  # saves only when asked to flush: the edit is surely pending
        repo, on_error=lambda _i, e: errors.append(e), quiet=3600, max_delay=3600
    )
    waits: list[object] = []
    real_wait = writer._cond.wait

    def wait(timeout: float | None = None) -> bool:
        if threading.current_thread() is threading.main_thread():
            waits.append(timeout)
        return real_wait(timeout)

    monkeypatch.setattr(writer._cond, "wait", wait)
    joins: list[object] = []
    real_join = writer._thread.join
    monkeypatch.setattr(writer._thread, "join", lambda timeout=None: joins.append(timeout))
    writer.submit(rec.id, sample(registry, "derby-cre-2020"))
    repo.vault.close()
    assert not writer.writable
    assert writer.flush(timeout=3600) is False and waits == []
    writer.stop(timeout=3600)
    assert waits == [] and joins == []
    real_join(timeout=60)  # the worker ends by itself (a generous bound: it is immediate)
    assert errors and all(isinstance(e, VaultLockedError) for e in errors)


def _head() -> str:
    """The newest revision, read from the migrations (so a new one needs no test edit)."""
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    location = resources.files("app.storage").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def test_migrates_an_older_vault_with_its_data(registry: Registry, tmp_path: Path) -> None:
    """A vault left at revision 0001 by an older version opens and upgrades in place."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from app.storage.connection import engine_for
    from app.storage.connection import tune as _tune

    path = tmp_path / "old.cre"
    key = new_key(PASSPHRASE)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f'PRAGMA key = "{key.pragma()}"')
    _tune(conn)
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("app.storage").joinpath("migrations"))
    )
    with engine_for(conn).begin() as sa_conn:
        cfg.attributes["connection"] = sa_conn
        command.upgrade(cfg, "0001")
    conn.execute(
        "INSERT INTO cases (child_name, name_key, toolkit, status, created_at, updated_at) "
        "VALUES ('Test Old Case', 'test old case', 'derby-cse-2017', 'draft', 'x', 'x')"
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert derive(PASSPHRASE, path.read_bytes()[:16]) == key
    with Vault.open(path, PASSPHRASE) as v:
        assert v.pragma("SELECT version_num FROM alembic_version") == [(_head(),)]
        assert v.pragma("SELECT child_name, models_of_abuse FROM cases") == [
            ("Test Old Case", "[]")
        ]
        assert v.check() == []


def test_new_vault_is_at_the_newest_revision(vault: Vault) -> None:
    assert vault.pragma("SELECT version_num FROM alembic_version") == [(_head(),)]


def test_the_skip_at_the_head_knows_the_newest_migration() -> None:
    """Opening a vault skips Alembic when the stored revision is HEAD_REVISION; were a new
    migration added without moving it, vaults would never reach the new schema."""
    from app.storage.connection import HEAD_REVISION

    assert _head() == HEAD_REVISION


def test_reviews_due_soonest_first_and_closure_reopening(
    registry: Registry, repo: Repository
) -> None:
    tk = registry.get("derby-cre-2020")
    ids = []
    for due in ("2026-07-13", "2026-06-20", "2026-08-01"):
        rec = repo.create_case(tk, sample(registry, "derby-cre-2020"))
        repo.complete(rec.id, "medium", due)
        ids.append(rec.case_id)
    assert [c.review_due for c in repo.list_cases(review_before="2026-07-31")] == [
        "2026-06-20",
        "2026-07-13",
    ]
    repo.set_case_details(
        ids[1],
        models_of_abuse=["online", "gangs"],
        closed_on="2026-06-25",
        closure_reason="risk_reduced",
    )
    assert repo.get_case(ids[1]).status == "closed"
    assert [c.review_due for c in repo.list_cases(review_before="2026-07-31")] == ["2026-07-13"]
    assert repo.case_details(ids[1])["models_of_abuse"] == ["online", "gangs"]
    repo.set_case_details(ids[1], closed_on=None, closure_reason=None)  # re-opened
    assert repo.get_case(ids[1]).status == "completed"
    assert repo.case_details(ids[1])["models_of_abuse"] == ["online", "gangs"]
