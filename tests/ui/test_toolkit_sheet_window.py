"""Profile and settings → Add a toolkit from a spreadsheet: problems by sheet and row, a
preview of the real wizard rows, and an installed toolkit offered in the picker with its
issuer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.forms import Registry, load_registry
from app.ui.main_window import toolkit_choice
from app.ui.toolkit_sheet import ToolkitSheetDialog
from app.ui.wizard.rows import MarkRow
from tests.forms.test_toolkit_sheets import _band_typo, edit, new_toolkit_sheet


def test_a_broken_sheet_lists_its_problems_and_cannot_be_installed(
    qtbot: QtBot, registry: Registry, installed: Path, tmp_path: Path
) -> None:
    path = new_toolkit_sheet(registry, tmp_path / "broken.xlsx")
    edit(path, "Section 1 groups", _band_typo)
    fresh = load_registry()
    dialog = ToolkitSheetDialog(fresh)
    qtbot.addWidget(dialog)
    dialog.load(path)
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert lines and lines[0].startswith("DEF002 Section 1 groups, row 3, column band:")
    assert not dialog.install_button.isEnabled()
    assert "nothing was installed" in dialog.status.text()
    assert not installed.exists()


def test_a_good_sheet_is_previewed_with_the_wizard_rows_then_installed_and_offered(
    qtbot: QtBot, registry: Registry, installed: Path, tmp_path: Path
) -> None:
    path = new_toolkit_sheet(registry, tmp_path / "shire.xlsx")
    fresh = load_registry()
    dialog = ToolkitSheetDialog(fresh)
    qtbot.addWidget(dialog)
    dialog.load(path)
    tabs = [dialog.preview.tabText(i) for i in range(dialog.preview.count())]
    assert tabs == ["Child", "Section 1", "Section 2", "Section 3", "Levels and steps"]
    page = dialog.preview.widget(1)
    assert page is not None
    rows: list[Any] = page.findChildren(MarkRow)
    assert rows[0].item.text == "Seen with an adult not known to the family"
    assert len(rows) == len(fresh_toolkit_items(dialog))
    assert dialog.install_button.isEnabled()
    assert "made locally, unsigned" in dialog.status.text()
    dialog.install_button.click()
    assert (installed / "fictional-shire-cse-2027.yaml").is_file()
    assert "Installed: Fictional Shire CSE 2027" in dialog.status.text()
    tk = fresh.get("fictional-shire-cse-2027")
    assert toolkit_choice(fresh, tk) == (
        "Fictional Shire CSE 2027 (Version 2, January 2027), made locally, unsigned"
    )
    assert toolkit_choice(fresh, fresh.get("derby-cse-2017")) == "Derby & Derbyshire CSE 2017"
    # a second look at the same file: already there, nothing to install
    dialog.load(path)
    assert not dialog.install_button.isEnabled()
    assert "already installed" in dialog.status.text()
    labels = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("Levels" in t or "Low" in t for t in labels)


def fresh_toolkit_items(dialog: ToolkitSheetDialog) -> list[Any]:
    assert dialog.check is not None and dialog.check.toolkit is not None
    return list(dialog.check.toolkit.section1_items)
