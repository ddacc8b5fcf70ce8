"""Render resources/icons/cre-toolkit.svg to the PNG, ICO and ICNS the installers need.

Run once after changing the SVG: `.venv/bin/python packaging/make_icons.py`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / "cre-toolkit.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    for name, size in (
        ("cre-toolkit.png", 256),
        ("cre-toolkit.ico", 256),
        ("cre-toolkit.icns", 512),
    ):
        ok = render(size).save(str(ICONS / name))
        print(f"{name}: {'written' if ok else 'not written (no Qt image plugin for it)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
