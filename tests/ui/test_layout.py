"""Windows fit a 1366x768 screen at 150% scaling and with a 1.5x larger font."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"QT_SCALE_FACTOR": "1.5"}, []),
        ({"QT_SCALE_FACTOR": "1.25"}, []),
        ({}, ["--font-scale", "1.5"]),
    ],
    ids=["scale-150", "scale-125", "font-150"],
)
def test_buttons_and_columns_lie_inside_the_screen(env: dict[str, str], args: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.ui.layout_probe", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["problems"] == []
    if "QT_SCALE_FACTOR" in env:
        assert report["screen"][2] < 1366  # the scale factor really applied
