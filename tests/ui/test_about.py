"""Help → About: the version, where the vault is, the licences the program is built under,
and every licence text the installer carries (or, from source, how to make them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app import __version__
from app.forms import Registry
from app.ui.about import AboutDialog, LicencesDialog
from app.ui.main_window import MainWindow
from tests.helpers.vaults import new_vault
from tests.storage.conftest import PASSPHRASE


@pytest.fixture
def window(qtbot: QtBot, registry: Registry, tmp_path: Path) -> MainWindow:
    vault = new_vault(tmp_path / "about.cre", PASSPHRASE)
    window = MainWindow(registry, vault, relock=lambda: None)
    qtbot.addWidget(window)
    return window


def test_help_about_names_the_version_the_vault_and_the_lgpl(
    qtbot: QtBot, window: MainWindow
) -> None:
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus[-1] == "Help"
    seen: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AboutDialog), dialog
        seen.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    window.actions_by_name["About CRE Toolkit"].trigger()
    text = " ".join(seen)
    assert f"CRE Toolkit {__version__}" in text
    assert str(window.vault.path) in text
    assert "GNU Lesser General Public License version 3" in text and "replaced" in text


def test_the_licences_from_source_say_how_to_write_them(qtbot: QtBot) -> None:
    dialog = LicencesDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "python tools/licences.py OUTDIR" in text and "GNU Lesser" in text


def test_the_installed_program_shows_its_notice_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tools import licences

    licences.write(tmp_path / "licences")  # as the spec writes it into the bundle
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    dialog = LicencesDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert text.startswith("CRE Toolkit: third-party software")
    assert "pyside6-essentials" in text and "python-bidi" in text and "sqlcipher3" in text
