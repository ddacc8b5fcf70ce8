"""Every document window, typed into and closed with X, with Esc and with Lock, keeps what
was typed: reopened, the text is there; or, where a save must be explicit, the window asked
and stayed open. Lock never asks anything (the conftest fails a test on any message box)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository, Vault
from app.ui.main_window import MainWindow
from app.ui.referral_hooks import open_case_view
from tests.documents.test_documents import full_case
from tests.helpers.vaults import new_vault
from tests.helpers.windows import close_quietly

PASS = "fictional every-window passphrase"
TYPED = "Fictional typed words"


@pytest.fixture()
def main(qtbot: QtBot, registry: Registry, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "every.cre"
    vault = new_vault(path, PASS)
    repo = Repository(vault)
    data: dict[str, Any] = full_case(registry, "derby-cre-2020")
    for key in ("information_reports", "letter"):
        data.pop(key)
    data["child"]["name"] = "Test Child Everywindow"
    record = repo.create_case(registry.get("derby-cre-2020"), data)
    repo.complete(record.id, "high", None)
    window = MainWindow(registry, vault, relock=lambda: Vault.open(path, PASS))
    qtbot.addWidget(window, before_close_func=close_quietly)  # may hold an invalid date
    window.show()
    window.table.selectRow(0)
    yield window
    close_quietly(window)  # qtbot did this before closing it; harmless again
    window.vault.close()


def free_text(window: QWidget, holding: str = "") -> QWidget:
    """The first text box a practitioner can type words into (empty, or holding the words)."""
    boxes: list[QPlainTextEdit | QTextEdit] = [
        *window.findChildren(QPlainTextEdit),
        *window.findChildren(QTextEdit),
    ]
    for box in boxes:
        usable = box.isVisible() and box.isEnabled() and not box.isReadOnly()
        if usable and (holding in box.toPlainText() if holding else not box.toPlainText()):
            return box
    raise AssertionError(f"no text box holding {holding!r}")


def text_of(box: QWidget) -> str:
    if isinstance(box, QLineEdit):
        return box.text()
    assert isinstance(box, QPlainTextEdit | QTextEdit)
    return box.toPlainText()


# each kind: open (main -> window), type (window -> the box and what it should hold)
Opener = Callable[[MainWindow], QWidget]


def open_report(main: MainWindow) -> QWidget:
    view = open_case_view(main)
    assert view is not None
    found = [k for k in view.items if k[0] == "information_report"]
    window = view.open_item(view.items[found[0]]) if found else view.new_report("operation_liberty")
    assert window is not None
    return window


def open_letter(main: MainWindow) -> QWidget:
    view = open_case_view(main)
    assert view is not None
    found = [k for k in view.items if k[0] == "disruption_letter"]
    window = view.open_item(view.items[found[0]]) if found else view.new_letter()
    assert window is not None
    return window


def registered(kind: str) -> Opener:
    def opener(main: MainWindow) -> QWidget:
        getattr(main, kind)()
        shown = [w for w in main.windows.windows() if w.isVisible()]
        assert shown, f"{kind} did not open through the registry"
        return shown[-1]

    return opener


def type_text(window: QWidget) -> tuple[QWidget, str]:
    box = free_text(window)
    box.setFocus()
    if isinstance(box, QPlainTextEdit | QTextEdit):
        box.insertPlainText(TYPED)
    return box, TYPED


def type_folder(window: QWidget) -> tuple[QWidget, str]:
    box = window.folder  # type: ignore[attr-defined]
    box.setText("/tmp/fictional-export-folder")
    return box, "/tmp/fictional-export-folder"


def type_profile(window: QWidget) -> tuple[QWidget, str]:
    box = window.fields["name"]  # type: ignore[attr-defined]
    box.setText("Fictional Practitioner Typed")
    return box, "Fictional Practitioner Typed"


def type_dates(window: QWidget) -> tuple[QWidget, str]:
    box = window.start  # type: ignore[attr-defined]
    box.setText("01/05/2026")
    return box, "01/05/2026"


def type_case_details(window: QWidget) -> tuple[QWidget, str]:
    box = window.closed_on.edit  # type: ignore[attr-defined]
    window.reason.setCurrentIndex(1)  # type: ignore[attr-defined]
    box.setText("02/06/2026")
    return box, "02/06/2026"


def type_plans(window: QWidget) -> tuple[QWidget, str]:
    first = next(iter(window.options))  # type: ignore[attr-defined]
    _check, lead, _progress = window.options[first]  # type: ignore[attr-defined]
    lead.setText("Fictional Lead Typed")
    return lead, "Fictional Lead Typed"


def type_meeting(window: QWidget) -> tuple[QWidget, str]:
    box = window.chair  # type: ignore[attr-defined]
    box.setText("Fictional Chair Typed")
    return box, "Fictional Chair Typed"


# kind -> (open, type, the box in a reopened window, asks on close?)
KINDS: dict[str, tuple[Opener, Callable[[QWidget], tuple[QWidget, str]], bool]] = {
    "information report": (open_report, type_text, False),
    "disruption letter": (open_letter, type_text, False),
    "case details": (registered("case_details"), type_case_details, True),
    "profile and settings": (registered("settings"), type_profile, True),
    "export": (registered("export"), type_folder, False),
    "statistics": (registered("statistics"), type_dates, False),
    "plans": (registered("plans"), type_plans, False),
    "meetings": (registered("meetings"), type_meeting, False),
}


def reopen_and_find(main: MainWindow, kind: str, expected: str) -> None:
    opener, typer, _asks = KINDS[kind]
    main.table.selectRow(0)  # after unlock the case is chosen again
    window = opener(main)
    if kind == "meetings":  # the meeting being typed was saved: it is in the list now
        from app.casework.meetings import list_meetings

        case_id = window.case_id  # type: ignore[attr-defined]
        assert [m.data["chair"] for m in list_meetings(main.repo, case_id)] == [expected]
        return
    if kind == "information report" or kind == "disruption letter":
        box = free_text(window, expected)
    else:
        box, _ = _box_only(window, typer)
    assert expected in text_of(box), f"{kind}: {text_of(box)!r}"


def _box_only(
    window: QWidget, typer: Callable[[QWidget], tuple[QWidget, str]]
) -> tuple[QWidget, str]:
    """Which box the typer writes to, without writing to it."""
    boxes: dict[Callable[[QWidget], tuple[QWidget, str]], Callable[[], Any]] = {
        type_folder: lambda: window.folder,  # type: ignore[attr-defined]
        type_profile: lambda: window.fields["name"],  # type: ignore[attr-defined]
        type_dates: lambda: window.start,  # type: ignore[attr-defined]
        type_case_details: lambda: window.closed_on.edit,  # type: ignore[attr-defined]
        type_plans: lambda: window.options[next(iter(window.options))][1],  # type: ignore[attr-defined]
        type_meeting: lambda: window.chair,  # type: ignore[attr-defined]
    }
    return boxes[typer](), ""


def answer(monkeypatch: pytest.MonkeyPatch, asked: list[str], button: str) -> None:
    def reply(box: QMessageBox) -> int:
        asked.append(box.text())
        next(b for b in box.buttons() if button in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", reply)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("how", ["x", "esc", "lock"])
def test_typed_text_survives_every_way_of_closing(
    qtbot: QtBot, main: MainWindow, monkeypatch: pytest.MonkeyPatch, kind: str, how: str
) -> None:
    opener, typer, asks = KINDS[kind]
    window = opener(main)
    _box, expected = typer(window)
    if how == "lock":
        main.lock()  # never asks: the conftest fails the test on any message box
        if kind in ("information report", "disruption letter"):
            assert not window.isVisible() if not _deleted(window) else True
        reopen_and_find(main, kind, expected)
        return
    asked: list[str] = []
    if asks:
        answer(monkeypatch, asked, "Keep editing")
    if how == "x":
        window.close()
    else:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    if asks:
        assert asked, f"{kind} closed without asking"
        assert window.isVisible(), f"{kind} closed though Keep editing was chosen"
        assert text_of(_box_only(window, typer)[0]) == expected
        answer(monkeypatch, asked, "lose it")
        window.close()
        assert not window.isVisible()
        return
    assert not window.isVisible()
    reopen_and_find(main, kind, expected)


def _deleted(widget: QWidget) -> bool:
    try:
        widget.isVisible()
    except RuntimeError:
        return True
    return False
