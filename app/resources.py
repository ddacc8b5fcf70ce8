"""Files shipped beside the code (fonts, icons): found the same way from source and bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """`resources/<parts>` in a PyInstaller bundle (sys._MEIPASS) or the source tree."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)
