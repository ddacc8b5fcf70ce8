"""Import contract: only app/ui may import Qt, so the domain runs (and tests) headless."""

from __future__ import annotations

import ast
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


# Repository calls app/ui still makes (file, method): casework functions should take them
# over, so this list may only shrink. A new call in a window goes through app/casework.
UI_REPOSITORY_CALLS: dict[tuple[str, str], int] = {
    ("app/ui/actions.py", "get_setting"): 3,
    ("app/ui/actions.py", "set_setting"): 2,
    ("app/ui/case_dialog.py", "get_case"): 1,
    ("app/ui/case_view.py", "assessments"): 2,
    ("app/ui/case_view.py", "documents"): 1,
    ("app/ui/case_view.py", "get_assessment"): 1,
    ("app/ui/case_view.py", "get_case"): 2,
    ("app/ui/export_dialog.py", "get_case"): 1,
    ("app/ui/export_dialog.py", "get_setting"): 1,
    ("app/ui/export_dialog.py", "set_setting"): 1,
    ("app/ui/export_dialog.py", "vault"): 1,
    ("app/ui/letter.py", "get_setting"): 1,
    ("app/ui/meetings.py", "get_case"): 1,
    ("app/ui/plans.py", "documents"): 1,
    ("app/ui/plans.py", "get_case"): 1,
    ("app/ui/plans.py", "save_document"): 1,
    ("app/ui/reports.py", "get_case"): 1,
    ("app/ui/retention.py", "get_case"): 2,
    ("app/ui/statistics.py", "get_setting"): 3,
    ("app/ui/statistics.py", "set_setting"): 2,
    ("app/ui/verify.py", "vault"): 1,
}


def _repository_calls() -> dict[tuple[str, str], int]:
    """Every `repo.<method>` (self.repo, window.repo, repo) used in app/ui, counted."""
    found: dict[tuple[str, str], int] = {}
    for path in sorted((APP / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            owner = node.value
            named = (isinstance(owner, ast.Name) and owner.id == "repo") or (
                isinstance(owner, ast.Attribute) and owner.attr == "repo"
            )
            if named:
                key = (path.relative_to(APP.parent).as_posix(), node.attr)
                found[key] = found.get(key, 0) + 1
    return found


def test_app_ui_repository_calls_only_shrink() -> None:
    found = _repository_calls()
    grown = {k: n for k, n in found.items() if n > UI_REPOSITORY_CALLS.get(k, 0)}
    assert not grown, f"new repository calls in app/ui (use app/casework): {grown}"
    shrunk = {k: n for k, n in UI_REPOSITORY_CALLS.items() if found.get(k, 0) < n}
    assert not shrunk, f"fewer repository calls than listed: lower the list to {found}"
