"""Windows fit a 1366x768 screen at 150% scaling and with a 1.5x larger font."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.long
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


@pytest.mark.long
def test_every_window_fits_a_real_x11_screen_at_150_percent(tmp_path: Path) -> None:
    """The same probe on the real xcb platform: a 1366x768 Xvfb screen, QT_SCALE_FACTOR=1.5."""
    import shutil
    import time

    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if os.environ.get("CI"):
            pytest.fail("Xvfb missing in CI (.ci/run installs xvfb)")
        pytest.skip("Xvfb is not installed")
    for number in range(140, 240):  # a display nobody else is using
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    display = f":{number}"
    server = subprocess.Popen(
        [xvfb, display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.1)
        run = subprocess.run(
            [sys.executable, "-m", "tests.ui.layout_probe", "--xcb"],
            cwd=ROOT,
            env={**os.environ, "DISPLAY": display, "QT_SCALE_FACTOR": "1.5"},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["screen"][2] <= 911 + 1  # 1366 / 1.5: the scale factor applied
    assert report["problems"] == []


LETTER_TOOLKITS = ["derby-cre-2020", "derby-cse-2017", "portsmouth-cse-2016", "bedfordshire-cse"]


@pytest.mark.usefixtures("letterhead")
@pytest.mark.parametrize("toolkit", LETTER_TOOLKITS)
@pytest.mark.parametrize("eligible", [False, True], ids=["refused", "eligible"])
def test_nothing_in_the_letter_window_overlaps_or_is_cut_at_784_px_or_its_narrowest(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str, eligible: bool
) -> None:
    """The checklist once lay under the letter's fields when the window was 784 px wide
    (at 150% on 1366x768, or narrowed by hand): its column shrank below its content. The
    height is the window's on that screen (768 / 1.5 less the title bar)."""
    from PySide6.QtWidgets import QApplication

    from app.casework import documents
    from app.ui.fields import BoolEditor, ChoiceEditor
    from app.ui.letter import LetterWindow
    from tests.ui.overlap import layout_faults
    from tests.ui.test_referral_forms import completed_case

    case_id = completed_case(registry, repo, toolkit)
    window = LetterWindow(repo, registry, documents.new_letter(repo, case_id).id)
    qtbot.addWidget(window)
    window.show()
    if eligible:  # the letter's own fields open: the right column at its fullest
        for editor in window.checks.values():
            if isinstance(editor, ChoiceEditor):
                editor.set_value("no")
            elif isinstance(editor, BoolEditor):
                editor.set_value(True)
        assert window.eligible
    narrowest = window.minimumSizeHint().width()
    assert narrowest <= 784  # the window still narrows to 784 px
    for width in (784, narrowest):
        window.resize(width, 464)
        QApplication.processEvents()  # the layouts follow the new size
        assert (window.width(), window.height()) == (width, 464)
        assert layout_faults(window) == [], f"{width} px wide"
