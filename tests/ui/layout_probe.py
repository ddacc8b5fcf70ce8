"""Run in a fresh process (the scale factor is read when Qt starts): opens the main window and
every wizard page on a 1366x768 offscreen screen and prints, as JSON, every place where a
button or a case-list column falls outside the screen.

    QT_SCALE_FACTOR=1.5 python -m tests.ui.layout_probe [--font-scale 1.5]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

SCREEN = {"screens": [{"name": "probe", "x": 0, "y": 0, "width": 1366, "height": 768,
                       "logicalDpi": 96, "dpr": 1}]}  # fmt: skip


def main(argv: list[str]) -> int:
    folder = Path(tempfile.mkdtemp(prefix="cre-layout-"))
    config = folder / "screen.json"
    config.write_text(json.dumps(SCREEN), "utf-8")
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
    print(json.dumps({"screen": screen.getRect(), "problems": problems}))
    vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
