"""Nothing readable on disk: 100 sentinels in every text field, none found anywhere."""

from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path

import pytest

from app.forms import Registry
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases
from tests.storage.conftest import PASSPHRASE, sample


def test_sentinels_never_reach_the_disk_or_logs(
    registry: Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    caplog.set_level(logging.DEBUG)
    sentinels = [f"SENTINEL{secrets.token_hex(8).upper()}" for _ in range(100)]
    it = iter(sentinels)
    path = tmp_path / "vault.cre"
    vault = Vault.create(path, PASSPHRASE)
    repo = Repository(vault)
    for toolkit in ("derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"):
        tk = registry.get(toolkit)
        data = sample(registry, toolkit)
        data["child"]["name"] = next(it)
        for f in tk.child_fields:
            if f.type in {"text", "multiline"} and f.id != "name":
                data["child"][f.id] = next(it)
        for f in tk.analysis_fields:
            if f.type in {"text", "multiline"}:
                data["analysis"][f.id] = next(it)
        text_col = next(c["id"] for c in tk.section2_columns if c["type"] == "multiline")
        data["section2"] = {tk.section2_items[0].id: {text_col: next(it)}}
        for marks in data["section1"].values():
            marks["note" if "note" in marks else "comment"] = next(it)
        data["practitioner"]["name"] = next(it)
        data["override_reason"] = next(it)
        rec = repo.create_case(tk, data)
        repo.save_draft(rec.id, data)
        repo.add_document(rec.case_id, "information_report", {"victim": next(it)})
        import_cases(repo, registry, data)
    repo.set_setting("profile", {"name": next(it), "post": next(it)})
    left = list(it)
    assert len(left) < 40, "most sentinels should sit in the assessment's own fields"
    for sentinel in left:  # the rest go into settings, so all 100 are stored
        repo.set_setting(f"note_{sentinel[-4:]}", sentinel)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files), "the WAL should hold recent commits"
    for p in files:
        blob = p.read_bytes()
        for sentinel in sentinels:
            assert sentinel.encode() not in blob, f"{sentinel} found in {p.name}"
            assert sentinel.encode("utf-16-le") not in blob
    vault.close()
    for p in [q for q in tmp_path.rglob("*") if q.is_file()]:
        blob = p.read_bytes()
        assert not any(s.encode() in blob for s in sentinels), p.name
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert not any(s in logged for s in sentinels)
