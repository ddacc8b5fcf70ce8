"""Run in a fresh process (the scale factor is read when Qt starts): opens the main window,
every wizard page and every other window on a 1366x768 screen and prints, as JSON, every
place where a window, a button or a case-list column falls outside the screen.

    QT_SCALE_FACTOR=1.5 python -m tests.ui.layout_probe [--font-scale 1.5] [--xcb]

`--xcb` uses the real X11 platform on the display in $DISPLAY (a 1366x768 Xvfb in the
tests) instead of Qt's offscreen screen.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

SCREEN = {"screens": [{"name": "probe", "x": 0, "y": 0, "width": 1366, "height": 768,
                       "logicalDpi": 96, "dpr": 1}]}  # fmt: skip


TITLE_BAR = 48  # what app.ui.sizing.fit_to_screen leaves for a window's title bar


def main(argv: list[str]) -> int:
    folder = Path(tempfile.mkdtemp(prefix="cre-layout-"))
    config = folder / "screen.json"
    config.write_text(json.dumps(SCREEN), "utf-8")
    if "--xcb" in argv:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    else:
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication, QWidget, QWizard

    from app.forms import load_registry
    from app.rules import new_case
    from app.storage import Repository, Vault
    from app.ui.main_window import MainWindow
    from app.ui.wizard import AssessmentWizard

    app = QApplication(sys.argv[:1])
    if "--font-scale" in argv:
        font = QFont(app.font())
        font.setPointSizeF(font.pointSizeF() * float(argv[argv.index("--font-scale") + 1]))
        app.setFont(font)
    screen = app.primaryScreen().availableGeometry()
    problems: list[str] = []

    def inside(widget: QWidget, what: str) -> None:
        rect = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
        if not widget.isVisible() or not screen.contains(rect):
            problems.append(f"{what}: {rect.getRect()} outside {screen.getRect()}")

    registry = load_registry()
    from app.storage import keys  # the tests' scrypt cost: this probe measures windows

    keys.SCRYPT_N, keys.LEGACY_N = 2**10, (2**11,)
    vault = Vault.create(folder / "layout.cre", "fictional layout passphrase")
    repo = Repository(vault)
    for toolkit in ("derby-cre-2020", "bedfordshire-cse", "portsmouth-cse-2016"):
        tk = registry.get(toolkit)
        data = new_case(tk, dt.date.today())
        data["child"].update(name="Test Child Layout Long-Surname-For-Width",
                             date_of_birth="2013-09-14")  # fmt: skip
        record = repo.create_case(tk, data)
        repo.save_draft(record.id, data)
    window = MainWindow(registry, vault, relock=lambda: None)
    window.show()
    app.processEvents()
    inside(window, "main window")
    header = window.table.horizontalHeader()
    for i in range(header.count()):
        x, w = header.sectionViewportPosition(i), header.sectionSize(i)
        if x < 0 or x + w > header.viewport().width():
            problems.append(f"column {i} at {x}+{w} beyond {header.viewport().width()}")
    inside(window.table.viewport(), "case list")
    for case in repo.list_cases():
        record = repo.assessments(case.id)[-1]
        wizard = AssessmentWizard(registry, repo, record.id, window)
        wizard.show()
        for page_id in wizard.pageIds():
            while wizard.currentId() < page_id:
                wizard.next()
            app.processEvents()
            name = f"{case.toolkit} page {page_id}"
            inside(wizard, name)
            buttons = [QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton]
            buttons.append(
                QWizard.WizardButton.FinishButton
                if page_id == wizard.pageIds()[-1]
                else QWizard.WizardButton.NextButton
            )
            for which in buttons:
                button = wizard.button(which)
                if page_id == 0 and which == QWizard.WizardButton.BackButton:
                    continue
                inside(button, f"{name} {button.text()}")
        wizard.done(0)
    problems.extend(every_other_window(app, window, registry, repo, inside))
    print(json.dumps({"screen": screen.getRect(), "problems": problems}))
    vault.close()
    return 0


def every_other_window(app: Any, window: Any, registry: Any, repo: Any, inside: Any) -> list[str]:
    """Open each document window in turn; its frame and every push button outside a
    scroll area (so always reachable) must lie on the screen."""
    from PySide6.QtWidgets import QAbstractScrollArea, QPushButton, QWidget

    from app.casework import documents
    from app.ui.about import AboutDialog, LicencesDialog
    from app.ui.actions import ProfileDialog
    from app.ui.case_dialog import CaseDialog
    from app.ui.case_view import CaseView
    from app.ui.export_dialog import ExportDialog
    from app.ui.letter import LetterWindow
    from app.ui.meetings import MeetingsDialog
    from app.ui.plans import PlansDialog
    from app.ui.reports import ReportWindow
    from app.ui.statistics import StatisticsDialog
    from app.ui.toolkit_sheet import ToolkitSheetDialog
    from app.ui.verify import VerifyDialog

    case = repo.list_cases()[0]
    tk = registry.get(case.toolkit)
    report = documents.new_report(repo, registry, case.id, documents.forms(tk)[0]["id"])
    letter = documents.new_letter(repo, case.id)
    makers: dict[str, Any] = {
        "plans": lambda: PlansDialog(repo, tk, case.id, window),
        "meetings": lambda: MeetingsDialog(repo, case.id, window),
        "case details": lambda: CaseDialog(repo, case.id, window, tk.short_title),
        "case view": lambda: CaseView(repo, registry, case.id, window),
        "statistics": lambda: StatisticsDialog(repo, window, registry=registry),
        "export": lambda: ExportDialog(repo, registry, case.id, window),
        "information report": lambda: ReportWindow(repo, registry, report.id, window),
        "letter": lambda: LetterWindow(repo, registry, letter.id, window),
        "profile and settings": lambda: ProfileDialog(repo, window, registry),
        "signatures": lambda: VerifyDialog(repo, window),
        "toolkit from a spreadsheet": lambda: ToolkitSheetDialog(registry, window),
        "about": lambda: AboutDialog(window),
        "third-party licences": lambda: LicencesDialog(window),
    }
    found: list[str] = []
    for name, make in makers.items():
        shown: QWidget = make()
        shown.show()
        app.processEvents()
        inside(shown, name)
        room = app.primaryScreen().availableGeometry().height() - TITLE_BAR
        if shown.height() > room:  # its title bar would be off the screen
            found.append(
                f"{name}: {shown.height()} px high, more than the {room} px below a title bar"
            )
        for button in shown.findChildren(QPushButton):
            parent = button.parentWidget()
            scrolled = False
            while parent is not None and parent is not shown:
                if isinstance(parent, QAbstractScrollArea):
                    scrolled = True
                parent = parent.parentWidget()
            if button.isVisible() and not scrolled and button.text():
                inside(button, f"{name}: {button.text()}")
        found.extend(cut_sideways(shown, name))
        if name == "letter":
            found.extend(letter_faults(app, shown))
        if isinstance(shown, CaseDialog):  # in two columns the models fit without scrolling
            hidden = [b.text() for b in shown.models.values() if b.visibleRegion().isEmpty()]
            found.extend(f"case details: {text!r} is scrolled out of sight" for text in hidden)
        shown.setProperty("closing_for_lock", True)  # no question: nothing was typed
        shown.close()
        shown.deleteLater()
        app.processEvents()
    return found


def letter_faults(app: Any, letter: Any) -> list[str]:
    """The letter window as opened, at 784 px and at its narrowest: nothing overlaps or is
    cut off (its checklist once lay under its fields at 784 px)."""
    from tests.ui.overlap import layout_faults

    found: list[str] = []
    for width in (letter.width(), 784, letter.minimumSizeHint().width()):
        letter.resize(max(width, letter.minimumSizeHint().width()), letter.height())
        app.processEvents()
        found.extend(f"letter at {letter.width()} px: {f}" for f in layout_faults(letter))
    return found


def cut_sideways(shown: Any, name: str) -> list[str]:
    """Content wider than a scroll area that cannot scroll sideways is cut off at its right
    edge (a checkbox's long text once pushed the letter's questions off the window)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    cut = []
    for area in shown.findChildren(QScrollArea):
        inner = area.widget()
        never = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if inner is None or not area.isVisible() or area.horizontalScrollBarPolicy() != never:
            continue
        if inner.width() > area.viewport().width() + 1:
            cut.append(f"{name}: content {inner.width()} wide in a {area.viewport().width()} "
                       f"wide area that cannot scroll sideways ({area.accessibleName()!r})")  # fmt: skip
    return cut


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
