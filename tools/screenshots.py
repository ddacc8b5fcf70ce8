"""Show one window of the app on a demo vault, for screenshots under Xvfb.

    python tools/screenshots.py main
    python tools/screenshots.py wizard derby-cre-2020 1     # page 0-4

`tools/screenshots.sh OUTDIR` runs this under ../shared/tools/xshot for the main window
and every wizard page of two toolkits. All data is the fictional demo set.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog

from app.demo import DEMO_PASSPHRASE, demo_cases
from app.forms import load_registry
from app.storage import Repository, Vault
from app.storage.casefiles import import_cases
from app.ui.main_window import MainWindow
from app.ui.wizard import AssessmentWizard


def main(argv: list[str]) -> int:
    app = QApplication(sys.argv)
    registry = load_registry()
    folder = Path(tempfile.mkdtemp(prefix="cre-shot-"))
    vault = Vault.create(folder / "demo.cre", DEMO_PASSPHRASE)
    repo = Repository(vault)
    bundle = {
        "format": "cre-case-export",
        "version": 1,
        "cases": demo_cases(registry, dt.date.today()),
    }
    import_cases(repo, registry, bundle)
    if argv[0] == "main":
        case = next(c for c in repo.list_cases() if c.toolkit == "derby-cre-2020")
        review = repo.start_review(case.id)  # a fictional review three weeks later
        answers = dict(review.answers)
        answers["assessment_date"] = (dt.date.today() + dt.timedelta(days=21)).isoformat()
        first = next(iter(answers["section1"]))
        answers["section1"] = {first: {"cce": True, "cse": True, "level": "H", "note": ""}}
        repo.save_draft(review.id, answers)
        repo.complete(review.id, "high", None)
        _with_meetings(repo, case.toolkit)
        window = MainWindow(registry, vault, relock=lambda: None)
        window.show()
        window.table.selectRow(next(i for i, c in enumerate(window.cases) if c.id == case.id))
    elif argv[0] == "meetings":
        from app.ui.meetings import MeetingsDialog

        editor = MeetingsDialog(repo, _with_meetings(repo))
        editor.table.selectRow(1)
        editor.resize(1000, 740)
        editor.show()
    elif argv[0] in ("plans", "statistics"):
        from app.ui.plans import PlansDialog
        from app.ui.statistics import StatisticsDialog

        case = next(c for c in repo.list_cases() if c.toolkit == "portsmouth-cse-2016")
        if argv[0] == "plans":
            plans = PlansDialog(repo, registry.get(case.toolkit), case.id)
            dialog: QDialog = plans
            check, lead, progress = next(iter(plans.options.values()))
            check.setChecked(True)
            lead.setText("Test Social Worker")
            progress.setText("Fictional: first session held")
        else:
            _with_meetings(repo)
            stats = StatisticsDialog(repo, registry=registry)
            _counted(app, stats)  # the count it starts with runs on a worker thread
            stats.start_field.set_iso((dt.date.today() - dt.timedelta(days=180)).isoformat())
            stats.refresh()
            _counted(app, stats)
            if argv[1:] == ["meetings"]:  # scroll to the meeting tables
                [head] = stats.table.findItems("Types of meeting held", Qt.MatchFlag.MatchExactly)
                hint = QAbstractItemView.ScrollHint.PositionAtTop
                QTimer.singleShot(500, lambda: stats.table.scrollToItem(head, hint))
            dialog = stats
        dialog.show()
    else:
        toolkit, page = argv[1], int(argv[2])
        case = next(c for c in repo.list_cases() if c.toolkit == toolkit)
        record = repo.start_review(case.id)
        wizard = AssessmentWizard(registry, repo, record.id)
        wizard.show()
        for _ in range(page):
            wizard.next()
    shot = os.environ.get("SHOT_OUT")
    if shot:  # take the picture once the window is up, however slow the machine is

        def take() -> None:
            # Qt's screen grab crops wrongly under QT_SCALE_FACTOR (it returns a zoomed
            # corner), so the front window is rendered itself; xshot shows the whole screen.
            shown = [w for w in app.topLevelWidgets() if w.isVisible()]
            front = app.activeWindow() or (shown[-1] if shown else None)
            if front is not None:
                front.grab().save(shot)
            else:
                app.primaryScreen().grabWindow(0).save(shot)
            app.quit()

        QTimer.singleShot(2500, take)
    return int(app.exec())


def _counted(app: QApplication, stats: QDialog) -> None:
    """Wait (at most 30 s) for the statistics window's count to finish."""
    import time

    until = time.monotonic() + 30
    while getattr(stats, "running", False) and time.monotonic() < until:
        app.processEvents()
        time.sleep(0.02)


def _with_meetings(repo: Repository, toolkit: str = "derby-cse-2017") -> int:
    """Fictional meetings and case facts on the toolkit's first demo case; returns its id."""
    from app.casework.meetings import record_meeting, save_case_facts

    case = next(c for c in repo.list_cases() if c.toolkit == toolkit)
    today = dt.date.today()
    for n, (kind, level, days) in enumerate(
        [("professionals", "medium", 70), ("initial", "high", 50), ("first_review", "medium", 8)]
    ):
        record_meeting(
            repo,
            case.id,
            {
                "type": kind,
                "date": (today - dt.timedelta(days=days)).isoformat(),
                "chair": "Fictional Chair",
                "young_person_attended": n > 0,
                "parents_attended": True,
                "views_conveyed": n > 0,
                "level": level,
                "actions": "Fictional: weekly direct work; share information with the police",
                "next_meeting": (today + dt.timedelta(days=34 - days // 2)).isoformat(),
            },
        )
    save_case_facts(
        repo,
        case.id,
        {"key_worker": "social_care", "priority_areas": ["any_missing", "police_involvement"]},
    )
    return case.id


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
