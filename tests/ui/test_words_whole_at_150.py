"""Words a 150% screen used to cut: the Plans window's tab named by the toolkit's whole
title (it was sliced mid-word at 40 characters), and the Statistics chart's title and bar
labels wrapped inside their widget (the title ran past its edge, the third line of "Not
yet assessed/ unknown" fell off the bottom)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.ui.plans import TAB_LIMIT, add_tab
from app.ui.statistics import LevelBars

TOOL = "Disruption Strategies Interventions Options Tool"  # Derby 2020's own title


def test_a_tab_keeps_the_toolkits_whole_title_and_a_longer_one_ends_at_a_word(
    qtbot: QtBot,
) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    add_tab(tabs, QWidget(), TOOL)
    assert tabs.tabText(0) == TOOL
    long_title = "Fictional partnership disruption and intervention options for every agency"
    add_tab(tabs, QWidget(), long_title)
    shown = tabs.tabText(1)
    assert shown.endswith("…") and len(shown) <= TAB_LIMIT + 1
    assert long_title.startswith(shown[:-1]) and long_title[len(shown) - 1] == " "
    assert tabs.tabToolTip(1) == long_title


def dark_rows(image: QImage, x0: int, x1: int) -> list[int]:
    """Rows holding a dark (text) pixel between x0 and x1."""
    return [
        y
        for y in range(image.height())
        if any(QColor(image.pixel(x, y)).lightness() < 90 for x in range(x0, x1))
    ]


def test_the_chart_title_and_labels_wrap_inside_the_widget(qtbot: QtBot) -> None:
    bars = LevelBars("Level of risk of cases worked, at the end of Q3 2026-27 (Oct-Dec 2026)")
    qtbot.addWidget(bars)
    bars.set_values(
        [("high", "High (including escalated)", 4), ("unknown", "Not yet assessed/ unknown", 0)]
    )
    bars.resize(230, bars.minimumHeight())
    image = bars.grab().toImage()
    width, height = image.width(), image.height()
    line = bars.fontMetrics().lineSpacing()
    # the title wraps onto a second line instead of running past the right edge
    title_rows = [y for y in dark_rows(image, 0, width) if y < 2 * line + 4]
    assert title_rows and max(title_rows) > line, "the title did not wrap"
    edge = [y for y in dark_rows(image, width - 2, width) if y < 2 * line + 4]
    assert not edge, "the title ran past the widget's edge"
    # the last line of the longest label is drawn above the widget's foot
    foot = height - 3 * line - 4
    label_rows = [y for y in dark_rows(image, width // 2 + 8, width - 4) if y > foot]
    assert label_rows and max(label_rows) < height - 1
    assert len({y // line for y in label_rows}) >= 3, "the label's third line is missing"
