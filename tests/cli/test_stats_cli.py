"""`python -m app stats` on a real demo vault, and merging bundles from two vaults."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from app.demo import DEMO_PASSPHRASE
from tests.cli.test_vault_cli import cli


def test_stats_csv_and_bundles_from_two_vaults(tmp_path: Path) -> None:
    today = dt.date.today()
    span = ["--from", (today - dt.timedelta(days=400)).isoformat(), "--to", today.isoformat()]
    for name in ("a", "b"):
        assert cli("demo", "--vault", str(tmp_path / f"{name}.cre")).returncode == 0
        result = cli(
            "stats", "--vault", str(tmp_path / f"{name}.cre"), *span,
            "--csv", str(tmp_path / f"{name}.csv"), "--bundle", str(tmp_path / f"{name}.json"),
            secret=DEMO_PASSPHRASE,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    rows = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert rows[0][:2] == ["Section", "Category"] and rows[0][-1] == "Total"
    totals = {(r[0], r[1]): r[-1] for r in rows[1:]}  # counts, or "67%" / "-" for percentages
    assert totals[("Requests", "Total number of requests received")] == "10"  # not the draft
    bundle_text = (tmp_path / "a.json").read_text("utf-8")
    assert "Demo" not in bundle_text and "date_of_birth" not in bundle_text
    merged = cli(
        "stats",
        "merge",
        str(tmp_path / "a.json"),
        str(tmp_path / "b.json"),
        "--csv",
        str(tmp_path / "m.csv"),
        "--pdf",
        str(tmp_path / "m.pdf"),
    )
    assert merged.returncode == 0, merged.stderr
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    merged_rows = {
        (r[0], r[1]): r[-1]
        for r in list(csv.reader((tmp_path / "m.csv").open(encoding="utf-8")))[1:]
    }
    assert merged_rows[("Requests", "Total number of requests received")] == "20"
    again = cli(
        "stats",
        "merge",
        str(tmp_path / "a.json"),
        str(tmp_path / "a.json"),
        "--csv",
        str(tmp_path / "x.csv"),
    )
    assert again.returncode == 2 and "already merged" in again.stderr
    assert not (tmp_path / "x.csv").exists()
    reexport = cli(
        "stats",
        "--vault",
        str(tmp_path / "a.cre"),
        *span,
        "--bundle",
        str(tmp_path / "a2.json"),
        secret=DEMO_PASSPHRASE,
    )
    assert reexport.returncode == 0
    twice = cli(
        "stats",
        "merge",
        str(tmp_path / "a.json"),
        str(tmp_path / "a2.json"),
        "--csv",
        str(tmp_path / "y.csv"),
    )
    assert twice.returncode == 2 and "already merged" in twice.stderr
    assert json.loads(bundle_text)["format"] == "cre-stats-bundle"


def test_stats_pseudonyms_count_the_same_children_on_two_laptops_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRE_PARTNERSHIP_SECRET", "fictional partnership secret")
    for _attempt in range(2):  # demo children's birthdays follow today: not across midnight
        today = dt.date.today()
        span = ["--from", (today - dt.timedelta(days=400)).isoformat(), "--to", today.isoformat()]
        for name in ("a", "b"):  # two laptops holding the same fictional demo children
            for old in tmp_path.glob(f"{name}.cre*"):  # vault, its anchor and lock
                old.unlink()
            assert cli("demo", "--vault", str(tmp_path / f"{name}.cre")).returncode == 0
            made = cli(
                "stats", "--vault", str(tmp_path / f"{name}.cre"), *span,
                "--bundle", str(tmp_path / f"{name}.json"), "--pseudonyms",
                secret=DEMO_PASSPHRASE,
            )  # fmt: skip
            assert made.returncode == 0, made.stderr
        if dt.date.today() == today:
            break
    merged = cli("stats", "merge", str(tmp_path / "a.json"), str(tmp_path / "b.json"),
                 "--csv", str(tmp_path / "m.csv"))  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    totals = {(r[0], r[1]): r[-1] for r in csv.reader((tmp_path / "m.csv").open(encoding="utf-8"))}
    assert totals[("Requests", "Total number of requests received")] == "10"  # not 20
    assert "Demo" not in (tmp_path / "a.json").read_text("utf-8")
