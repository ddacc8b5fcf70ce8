"""Budgets for toolkits from spreadsheets (issue 26): checking a 200-indicator sheet, and
start-up with five installed toolkits against none. Called from run.py."""

from __future__ import annotations

import copy
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Report = Callable[..., None]


def _big_toolkit(registry: Any, n: int, toolkit_id: str) -> dict[str, Any]:
    from app.forms.installed import install_source

    data = install_source(registry, "derby-cre-2020")
    data["id"] = toolkit_id
    group = data["section1"]["groups"][0]
    template = copy.deepcopy(group["items"][0])
    template.pop("examples", None)
    items = []
    for i in range(n):
        item = copy.deepcopy(template)
        item["id"] = f"bench_indicator_{i}"
        item["text"] = f"Fictional benchmark indicator number {i}"
        items.append(item)
    group["items"] = items
    for other in data["section1"]["groups"][1:]:
        other["items"] = other["items"][:1]
    return data


def bench_sheets(registry: Any, report: Report, quick: bool) -> None:
    from app.forms import load_registry
    from app.forms.installed import check_sheet, install
    from app.forms.sheets import write_workbook

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        sheet = base / "big.xlsx"
        write_workbook(_big_toolkit(registry, 200, "bench-big-2027"), sheet)
        times = []
        for _ in range(3 if quick else 7):
            start = time.perf_counter()
            check = check_sheet(sheet)
            times.append(time.perf_counter() - start)
        assert check.ok, [i.line() for i in check.issues]
        report("check a 200-indicator toolkit sheet", statistics.median(times) * 1000, 1000)

        installed = base / "installed"
        empty = base / "none"
        empty.mkdir()
        for n in range(5):
            path = base / f"tk{n}.xlsx"
            write_workbook(_big_toolkit(registry, 40, f"bench-installed-{n}"), path)
            install(check_sheet(path), path, installed)
        old = os.environ.get("CRE_TOOLKITS_DIR")

        def load_time(folder: Path) -> float:
            os.environ["CRE_TOOLKITS_DIR"] = str(folder)
            began = time.perf_counter()
            loaded = load_registry()
            _ = [tk.short_title for tk in loaded]  # what the picker and main window read
            return time.perf_counter() - began

        try:
            with_five, with_none = [], []
            for _ in range(3 if quick else 9):
                with_five.append(load_time(installed))
                with_none.append(load_time(empty))
        finally:
            if old is None:
                os.environ.pop("CRE_TOOLKITS_DIR", None)
            else:
                os.environ["CRE_TOOLKITS_DIR"] = old
        extra = (statistics.median(with_five) - statistics.median(with_none)) * 1000
        report(
            "start-up: five installed toolkits, extra time over none",
            extra,
            50,
            with_none_ms=round(statistics.median(with_none) * 1000),
        )
