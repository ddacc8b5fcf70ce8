"""Import contract: only app/ui may import Qt, so the domain runs (and tests) headless."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
QT_ROOTS = {"PySide6", "PyQt5", "PyQt6", "shiboken6", "pytestqt"}
HEADLESS_PACKAGES = ["app.forms", "app.rules", "app.storage", "app.documents", "app.cli"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_app_ui_imports_qt_in_source() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        rel = path.relative_to(APP)
        if rel.parts[0] == "ui":
            continue
        bad = _imports(path) & QT_ROOTS
        if bad:
            offenders.append(f"app/{rel}: {sorted(bad)}")
    assert offenders == []


@pytest.mark.parametrize("package", HEADLESS_PACKAGES)
def test_headless_packages_do_not_load_qt(package: str) -> None:
    """Catches indirect imports too: importing the package must not pull PySide6 in."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    if '.migrations.' in m.name or m.name.endswith('.migrations.env'):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] in "
        f"{sorted(QT_ROOTS)!r})\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=APP.parent
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Repository calls app/ui may make: none. A window reads and writes through app/casework
# (reading, settings, plans, meetings, documents, retention...), the same functions the
# command line calls. Passing the repository on to those functions is fine; calling its
# methods (or its vault's) from a window is what this fence catches.
UI_REPOSITORY_CALLS: dict[tuple[str, str], int] = {}

# Names a window holds the repository under: repo, self.repo, window.repo, self._repo,
# a_repository... A call on any of them is a call on the repository.
_REPO_NAME = re.compile(r"(^|_)repo(sitory)?$")


def _holds_repository(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return bool(_REPO_NAME.search(node.id))
    if isinstance(node, ast.Attribute):
        return bool(_REPO_NAME.search(node.attr))
    return False


def repository_calls_in(source: str) -> dict[str, int]:
    """Every `<repository>.<method>` in the source, counted by method (`repo.vault` too:
    the vault is reached through the repository)."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _holds_repository(node.value):
            found[node.attr] = found.get(node.attr, 0) + 1
        elif (  # getattr(self.repo, "get_case")(...) is a call all the same
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and node.args
            and _holds_repository(node.args[0])
        ):
            found["getattr"] = found.get("getattr", 0) + 1
    return found


def _repository_calls(app: Path = APP) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in sorted((app / "ui").rglob("*.py")):
        rel = path.relative_to(app.parent).as_posix()
        for method, n in repository_calls_in(path.read_text("utf-8")).items():
            found[(rel, method)] = n
    return found


def _beyond_the_fence(found: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    return {k: n for k, n in found.items() if n > UI_REPOSITORY_CALLS.get(k, 0)}


def test_app_ui_makes_no_repository_calls() -> None:
    grown = _beyond_the_fence(_repository_calls())
    assert not grown, f"repository calls in app/ui (call an app/casework function): {grown}"
    assert UI_REPOSITORY_CALLS == {}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("repo.get_case(1)", {"get_case": 1}),
        ("self.repo.set_setting('k', 1)\nself.repo.set_setting('k', 2)", {"set_setting": 2}),
        ("window.repo.open_draft(3)", {"open_draft": 1}),
        ("self._repo.documents(1, 'plans')", {"documents": 1}),
        ("repository.list_cases()", {"list_cases": 1}),
        ("self.repo.vault.confirm(text)", {"vault": 1}),
        ("getattr(self.repo, 'get_case')(1)", {"getattr": 1}),
    ],
)
def test_the_fence_detects_a_repository_call(source: str, expected: dict[str, int]) -> None:
    assert repository_calls_in(source) == expected


def test_the_fence_lets_the_repository_be_passed_on() -> None:
    """Handing the repository to a casework function, or keeping it, is not a call on it."""
    source = (
        "self.repo = repo\n"
        "reading.case_summary(self.repo, case_id)\n"
        "settings.profile(repo)\n"
        "Dialog(self.repo, registry, case_id)\n"
        "self.report.repository_name\n"
    )
    assert repository_calls_in(source) == {}


def test_a_window_with_a_new_repository_call_fails_the_fence(tmp_path: Path) -> None:
    """The fence's own scan, on a copy of app/ui with one call added, names that call."""
    import shutil

    copy = tmp_path / "app"
    shutil.copytree(APP / "ui", copy / "ui")
    with (copy / "ui" / "plans.py").open("a", encoding="utf-8") as f:
        f.write("\n\ndef _sneaky(self):\n    return self.repo.get_case(1)\n")
    assert _beyond_the_fence(_repository_calls()) == {}
    assert _beyond_the_fence(_repository_calls(copy)) == {("app/ui/plans.py", "get_case"): 1}
