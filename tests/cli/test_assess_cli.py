"""`python -m app assess` run as a user would, on real files: through app.cli.main in this
process, and the refusals once more as a real `python -m app` process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from app.forms import Registry
from tests.helpers.cli import in_process, subprocess_cli
from tests.rules.cases import case, tick

KEYS = {
    "toolkit", "age", "in_scope", "suggested_level", "minimum_level", "final_level", "counts",
    "review_due", "next_steps", "reasons", "warnings", "errors",
}  # fmt: skip


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return in_process(*args)


def write(tmp_path: Path, data: Any, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_assess_json_for_a_valid_case(registry: Registry, tmp_path: Path) -> None:
    tk = registry.get("derby-cre-2020")
    data = case(registry, tk.id, age=12, identified=tick(tk, None, 2, rating="L"))
    result = run_cli("assess", str(write(tmp_path, data)), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= KEYS
    assert out["age"] == 12
    assert out["suggested_level"] == "medium"
    assert out["minimum_level"] == "medium"
    assert out["review_due"] == "2026-07-13"
    assert "letter" not in out


def test_assess_reports_letter_eligibility_when_the_case_has_one(
    registry: Registry, tmp_path: Path
) -> None:
    data = case(
        registry, "derby-cse-2017", age=16, identified=tick(registry.get("derby-cse-2017"), "high")
    )
    data["letter"] = {"la_parental_responsibility": False, "care_order": False,
                      "parent_consent": True, "child_consent": True}  # fmt: skip
    out = json.loads(run_cli("assess", str(write(tmp_path, data)), "--json").stdout)
    assert out["letter"]["eligible"] is False
    assert [u["code"] for u in out["letter"]["unmet"]] == ["letter.under_16"]


def test_assess_text_for_a_person(registry: Registry, tmp_path: Path) -> None:
    tk = registry.get("portsmouth-cse-2016")
    data = case(registry, tk.id, identified=tick(tk, "low", 5))
    result = run_cli("assess", str(write(tmp_path, data)))
    assert result.returncode == 0, result.stderr
    assert "Suggested level:  " in result.stdout
    assert "5 low level behaviours are identified" in result.stdout


def test_invalid_case_exits_2_with_one_line_naming_the_field(
    registry: Registry, tmp_path: Path
) -> None:
    data = case(registry, "bedfordshire-cse")
    data["child"]["date_of_birth"] = "2014-02-31"
    result = run_cli("assess", str(write(tmp_path, data)), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "child.date_of_birth" in lines[0] and "not a real date" in lines[0]


def test_rule_error_exits_2_and_names_it(registry: Registry, tmp_path: Path) -> None:
    tk = registry.get("derby-cse-2017")
    data = case(registry, tk.id, age=12, identified=tick(tk, "low"), final="low")
    result = run_cli("assess", str(write(tmp_path, data)), "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["field"] == "final_level"
    assert result.stderr.strip().count("\n") == 0 and "final_level" in result.stderr


def test_not_json_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    for run in (run_cli, subprocess_cli):  # assess's smoke test: a real process too
        result = run("assess", str(bad))
        assert result.returncode == 2 and "not valid JSON" in result.stderr
        missing = run("assess", str(tmp_path / "missing.json"))
        assert missing.returncode == 2 and "no such file" in missing.stderr
        assert "Traceback" not in result.stderr + missing.stderr


def test_toolkits_json_lists_all_four(registry: Registry) -> None:
    result = run_cli("toolkits", "--json")
    assert result.returncode == 0
    listed = {t["id"]: t for t in json.loads(result.stdout)["toolkits"]}
    assert set(listed) == {
        "derby-cse-2017",
        "derby-cre-2020",
        "portsmouth-cse-2016",
        "bedfordshire-cse",
    }
    for tk in listed.values():
        for item in tk["section1"] + tk["section2"]:
            assert set(item) >= {"id", "text", "band"}


def test_assess_bedfordshire_looked_after_ticked_in_the_factors(
    registry: Registry, tmp_path: Path
) -> None:
    """Issue 18: the tool's own "C/YP 'Looked After'" factor sets the floor, flags left false."""
    tk = registry.get("bedfordshire-cse")
    data = case(registry, tk.id, age=14, identified=tick(tk, "low"))
    data["section2"] = {"looked_after": {"ticked": True, "comment": ""}}
    path = write(tmp_path, data)
    out = json.loads(run_cli("assess", str(path), "--json").stdout)
    assert out["minimum_level"] == "medium"
    assert out["suggested_level"] == "medium"
    floor = [r for r in out["reasons"] if r.startswith("Floor:")]
    assert floor == [
        "Floor: \"C/YP 'Looked After'\" is ticked in Underlying Vulnerability Factors, so the "
        'level cannot be Low. The toolkit says: "No Looked after child or young person can be '
        'categorised as LOW"'
    ]
    text = run_cli("assess", str(path)).stdout
    assert "Minimum level:    Medium Risk" in text
