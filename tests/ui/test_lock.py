"""Lock leaves no child's details on screen, saves first, and unlock puts every window back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from app.ui.main_window import MainWindow
from app.ui.plans import PlansDialog
from app.ui.wizard import AssessmentWizard
from tests.helpers.vaults import new_vault

PASS = "fictional ui passphrase"
NAMES = ("Test Child Lockone", "Test Child Locktwo")


def texts_on_screen() -> list[str]:
    """Every piece of text any visible widget shows (titles, fields, labels, cells)."""
    found: list[str] = []
    for w in QApplication.allWidgets():
        if not w.isVisible():
            continue
        found.append(w.windowTitle())
        if isinstance(w, QLineEdit | QLabel | QAbstractButton):
            found.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            found.append(w.toPlainText())
        elif isinstance(w, QTableWidget):
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    found.append(item.text() if item else "")
    return found


def live_fields() -> list[str]:
    """Text held by any widget that still exists, shown or not."""
    return [w.text() for w in QApplication.allWidgets() if isinstance(w, QLineEdit)]


def test_lock_hides_and_clears_every_window_and_unlock_restores_them(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "lock.cre"
    vault = new_vault(path, PASS)
    repo = Repository(vault)
    tk = registry.get("derby-cre-2020")
    records = []
    for name in NAMES:
        data = new_case(tk, dt.date(2026, 6, 1))
        data["child"]["name"] = name
        records.append(repo.create_case(tk, data))
    seen: dict[str, list[str]] = {}

    def relock() -> Vault:
        seen["screen"] = texts_on_screen()
        seen["fields"] = live_fields()
        seen["visible"] = [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]
        return Vault.open(path, PASS)

    window = MainWindow(registry, vault, relock=relock)
    qtbot.addWidget(window)
    window.show()
    first = window.open_wizard(records[0].id)
    second = window.open_wizard(records[1].id)
    assert window.open_wizard(records[0].id) is first  # the same case: the same window
    assert len([w for w in window.windows.windows() if isinstance(w, AssessmentWizard)]) == 2
    first.next()
    window.table.selectRow(0)
    window.plans()
    plans = next(w for w in window.windows.windows() if isinstance(w, PlansDialog))
    plans.review_date.edit.setText("2026-07-01")  # typed, not yet saved
    second.editors["child.name"].set_value("Test Child Locktwo Edited")  # pending autosave
    assert any(NAMES[0] in t for t in texts_on_screen())
    window.actions_by_name["Lock"].trigger()
    assert seen["visible"] == []
    assert not any("Test Child" in t for t in seen["screen"])
    assert not any("Test Child" in t for t in seen["fields"])  # cleared, not just hidden
    reopened = window.repo
    assert reopened.get_assessment(records[1].id).answers["child"]["name"] == (
        "Test Child Locktwo Edited"
    )
    from app.ui.plans import load_plans

    assert load_plans(reopened, records[0].case_id)["support_plan"]["review_date"] == "2026-07-01"
    # unlock restores both assessments (the first on its page) and the plans
    wizards = [w for w in window.windows.windows() if isinstance(w, AssessmentWizard)]
    assert sorted(w.assessment_id for w in wizards) == [records[0].id, records[1].id]
    assert all(w.isVisible() for w in window.windows.windows())
    restored = next(w for w in wizards if w.assessment_id == records[0].id)
    assert restored.currentId() == 1
    assert any(isinstance(w, PlansDialog) for w in window.windows.windows())
    # the idle timer locks the same way, and saving after unlock reaches the new vault
    window.last_activity = dt.datetime.now() - dt.timedelta(hours=1)
    seen.clear()
    window._check_idle()
    assert seen["visible"] == []
    assert not any("Test Child" in t for t in seen["screen"])
    again = next(w for w in window.windows.windows() if isinstance(w, PlansDialog))
    again.review_date.edit.setText("2026-08-01")
    again.save()
    assert load_plans(window.repo, records[0].case_id)["support_plan"]["review_date"] == (
        "2026-08-01"
    )
    for w in list(window.windows.windows()):
        w.close()
    window.vault.close()


def test_opening_plans_twice_focuses_the_same_window(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    vault = new_vault(tmp_path / "p.cre", PASS)
    repo = Repository(vault)
    tk = registry.get("bedfordshire-cse")
    repo.create_case(tk, new_case(tk, dt.date(2026, 6, 1)))
    window = MainWindow(registry, vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.table.selectRow(0)
    window.plans()
    window.plans()
    window.case_details()
    window.case_details()
    kinds = [type(w).__name__ for w in window.windows.windows()]
    assert sorted(kinds) == ["CaseDialog", "PlansDialog"]
    for w in window.windows.windows():
        assert isinstance(w, QWidget) and w.parentWidget() is window
        w.close()
    vault.close()


def test_plan_rows_wrap_and_can_be_added_removed_and_reordered(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    from app.ui.plans import load_plans

    vault = new_vault(tmp_path / "rows.cre", PASS)
    repo = Repository(vault)
    tk = registry.get("derby-cre-2020")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Plans"
    record = repo.create_case(tk, data)
    dialog = PlansDialog(repo, tk, record.case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Test Child Plans" in dialog.windowTitle() and tk.short_title in dialog.windowTitle()
    table = dialog.table
    assert table.wordWrap()
    long = "Fictional outcome that is long enough to wrap over several lines\nand a second line"
    table.add_row([long, "Action one", "Test Worker", "Weekly", ""])
    table.add_row(["Second outcome", "Action two", "Test Worker", "Monthly", ""])
    table.add_row(["Third outcome", "Action three", "", "", ""])
    table.setCurrentCell(2, 0)
    table.move_current(-1)  # third above second
    tabs = dialog.findChild(QTabWidget)
    assert tabs is not None
    tabs.setCurrentIndex(1)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table.setCurrentCell(0, 0)
    remove = next(b for b in dialog.findChildren(QAbstractButton) if b.text() == "Re&move row")
    assert remove.shortcut().toString() == "Ctrl+Shift+Del"
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 2
    dialog.save()
    rows = load_plans(repo, record.case_id)["support_plan"]["rows"]
    assert [r["outcome"] for r in rows] == ["Third outcome", "Second outcome"]
    assert table.rowHeight(0) >= table.fontMetrics().lineSpacing() * 2
    vault.close()


def test_a_key_or_a_click_anywhere_is_activity_and_a_passing_pointer_is_not(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    """The application-wide filter the app installs (app/ui/main.py) keeps the idle lock
    away while the user types or clicks in any window, and only then."""
    from app.ui.main_window import ActivityFilter

    vault = new_vault(tmp_path / "activity.cre", PASS)
    window = MainWindow(registry, vault, relock=lambda: None)
    qtbot.addWidget(window)
    spy = ActivityFilter(window)
    QApplication.instance().installEventFilter(spy)  # type: ignore[union-attr]
    try:
        window.show()
        other = QLineEdit()  # a field in another window
        qtbot.addWidget(other)
        other.show()
        long_ago = dt.datetime.now() - dt.timedelta(hours=1)
        window.last_activity = long_ago
        qtbot.mouseMove(other)
        assert window.last_activity == long_ago  # the pointer passing is not activity
        qtbot.keyClick(other, Qt.Key.Key_A)
        assert window.last_activity > long_ago
        window.last_activity = long_ago
        qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
        assert window.last_activity > long_ago
    finally:
        QApplication.instance().removeEventFilter(spy)  # type: ignore[union-attr]
        window.close()
        vault.close()
