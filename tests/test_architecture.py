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
