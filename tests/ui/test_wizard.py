"""The real wizard and windows, driven offscreen with pytest-qt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.rules import new_case
from app.storage import Repository, Vault
from app.ui.fields import DateEditor, MultilineEditor, TextEditor
from app.ui.main_window import MainWindow
from app.ui.unlock import UnlockDialog
from app.ui.wizard import AssessmentWizard
from tests.conftest import PASSPHRASE
from tests.helpers.vaults import new_vault

PASS = PASSPHRASE  # the shared `repo` fixture's (tests/conftest.py)
TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


def open_wizard(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str
) -> AssessmentWizard:
    tk = registry.get(toolkit)
    record = repo.create_case(tk, new_case(tk, dt.date(2026, 6, 1)))
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def type_into(qtbot: QtBot, wizard: AssessmentWizard, path: str, text: str) -> None:
    editor = wizard.editors[path]
    target = editor.focus_widget()
    target.setFocus()
    if isinstance(editor, TextEditor | DateEditor):
        editor.edit.clear()
    qtbot.keyClicks(target, text)


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_every_item_becomes_a_widget_named_with_its_text(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str
) -> None:
    wizard = open_wizard(qtbot, registry, repo, toolkit)
    tk = registry.get(toolkit)
    for item in tk.section1_items:
        row = wizard.mark_rows[item.id]
        assert row.accessibleName() == item.text
        assert all(box.accessibleName().endswith(f": {item.text}") for box in row.boxes.values())
        if row.level is not None:  # on Linux the value is the name a screen reader hears
            assert row.level.currentText() == f"Not rated: {item.text}"
            row.level.setCurrentIndex(2)
            assert row.level.currentText() == f"M: {item.text}" and row.level.short_text() == "M"
            spoken = [
                row.level.itemData(i, Qt.ItemDataRole.AccessibleTextRole)
                for i in range(row.level.count())
            ]
            assert spoken == ["–", "L", "M", "H"]  # the open list is heard as it is shown
    names = [
        w.accessibleName() or getattr(w, "text", lambda: "")()  # buttons: named by text
        for w in wizard.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(wizard)
    ]
    assert "" not in names
    shared = {n for n in names if names.count(n) > 1}
    assert not shared, shared  # every control's name is unique in the window
    for item in tk.section2_items:
        assert wizard.factor_rows[item.id].accessibleName() == item.text
    for f in tk.analysis_fields:
        assert wizard.editors[f"analysis.{f.id}"].accessibleName() == f.label
    for f in tk.child_fields:
        assert wizard.editors[f"child.{f.id}"].accessibleName() == f.label


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_complete_an_assessment_by_keyboard_and_clicks(
    qtbot: QtBot, registry: Registry, repo: Repository, toolkit: str
) -> None:
    wizard = open_wizard(qtbot, registry, repo, toolkit)
    assert wizard.summary.chip.text() == "No suggestion yet"
    type_into(qtbot, wizard, "child.name", "Test Child Zoe")
    type_into(qtbot, wizard, "child.date_of_birth", "2011-03-04")
    while wizard.currentId() != wizard.page_of["section1"]:  # Portsmouth: Step 2 comes first
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    tk = registry.get(toolkit)
    first = tk.section1_items[0]
    row = wizard.mark_rows[first.id]
    before = wizard.summary.chip.text()
    qtbot.mouseClick(
        next(iter(row.boxes.values())),
        Qt.MouseButton.LeftButton,
        pos=next(iter(row.boxes.values())).rect().center(),
    )
    if row.level is not None:
        row.level.setFocus()
        qtbot.keyClick(row.level, Qt.Key.Key_Down)
        qtbot.keyClick(row.level, Qt.Key.Key_Down)
        assert row.level.currentData() == "M"
    assert wizard.summary.chip.text() != before
    assert wizard.summary.chip.text().startswith("Suggested:")
    while wizard.currentId() != wizard.page_of["finish"]:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    finish = wizard.finish_page
    for problem in wizard.problems():
        if problem.field.startswith("analysis."):
            editor = wizard.editors[problem.field]
            value = (
                "2026-06-01" if editor.field.type == "date" else "Test Practitioner, Test Agency"
            )
            editor.set_value(value)
    suggested = (
        wizard.verdict.suggested_level.value
        if wizard.verdict and wizard.verdict.suggested_level
        else "low"
    )
    radio = finish.radios[suggested]
    radio.setFocus()
    qtbot.keyClick(radio, Qt.Key.Key_Space)  # choose the level from the keyboard
    assert wizard.answers["final_level"] == suggested
    with qtbot.waitSignal(wizard.completed, timeout=3000):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    record = repo.get_assessment(wizard.assessment_id)
    assert record.status == "completed"
    assert record.level == suggested
    assert record.answers["child"]["name"] == "Test Child Zoe"


def test_floor_disables_low_with_the_reason(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "derby-cse-2017")
    type_into(qtbot, wizard, "child.name", "Test Child Twelve")
    type_into(qtbot, wizard, "child.date_of_birth", "2014-01-01")
    low_item = next(i for i in registry.get("derby-cse-2017").section1_items if i.band == "low")
    wizard.mark_rows[low_item.id].boxes["risk"].setChecked(True)
    assert wizard.summary.chip.text() == "Suggested: Medium"
    assert "cannot be Low" in wizard.summary.body.text()
    wizard.jump_to("final_level")
    finish = wizard.finish_page
    assert not finish.radios["low"].isEnabled() and not finish.radios["none"].isEnabled()
    assert finish.radios["medium"].isEnabled()
    assert "the child is 12 (under 13), so the level cannot be Low" in finish.floor_reason.text()


def test_2020_override_asks_for_protective_factors(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "derby-cre-2020")
    wizard.editors["child.name"].set_value("Test Child Twelve")
    wizard.editors["child.date_of_birth"].set_value("2014-01-01")
    row = wizard.mark_rows[registry.get("derby-cre-2020").section1_items[0].id]
    row.boxes["cce"].setChecked(True)
    row.level.setCurrentIndex(1)  # type: ignore[union-attr]
    wizard.jump_to("final_level")
    finish = wizard.finish_page
    assert finish.radios["low"].isEnabled()
    assert finish.override.isVisibleTo(finish)
    finish.radios["low"].setChecked(True)
    assert any(p.field == "override_reason" for p in wizard.problems())
    finish.override.setPlainText("Protective factors: settled fictional foster home")
    assert not any(p.field == "override_reason" for p in wizard.problems())


def test_a_half_filled_draft_resumes_at_its_page_with_every_word(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "portsmouth-cse-2016")
    type_into(qtbot, wizard, "child.name", "Test Child Resume")
    wizard.next()
    item = registry.get("portsmouth-cse-2016").section1_items[3]
    wizard.mark_rows[item.id].boxes["ticked"].setChecked(True)
    comment = wizard.mark_rows[item.id].comment
    assert comment is not None
    qtbot.keyClicks(comment, "seen with fictional adult")
    wizard.next()
    left_at = wizard.currentId()
    assessment_id = wizard.assessment_id
    wizard.close()
    wizard.done(0)
    wizard.deleteLater()
    again = AssessmentWizard(registry, repo, assessment_id)
    qtbot.addWidget(again)
    again.show()
    assert again.currentId() == left_at
    assert again.editors["child.name"].value() == "Test Child Resume"
    restored = again.mark_rows[item.id]
    assert restored.boxes["ticked"].isChecked()
    assert restored.comment is not None and restored.comment.text() == "seen with fictional adult"


def test_multiline_and_table_fields_round_trip(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "derby-cre-2020")
    editor = wizard.editors["analysis.immediate_concerns"]
    assert isinstance(editor, MultilineEditor)
    qtbot.keyClicks(editor.edit, "Fictional concern")
    table = wizard.editors["analysis.immediate_actions"]
    table.set_value(
        [{"action": "Fictional action", "responsible": "Test Worker", "timescale": "1 week"}]
    )
    table.changed.emit()
    wizard.autosave.flush()
    saved = repo.get_assessment(wizard.assessment_id).answers["analysis"]
    assert saved["immediate_concerns"] == "Fictional concern"
    assert saved["immediate_actions"][0]["responsible"] == "Test Worker"


def test_unlock_dialog_wrong_passphrase_then_right(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "v.cre"
    create = UnlockDialog(path)
    qtbot.addWidget(create)
    assert create.creating and create.confirm.isVisibleTo(create)
    qtbot.keyClicks(create.passphrase, "short")
    assert "at least 12 characters" in create.feedback.text()
    create.passphrase.setText(PASS)
    create.confirm.setText(PASS)
    qtbot.mouseClick(create.go, Qt.MouseButton.LeftButton)
    assert create.vault is not None
    create.vault.close()
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.vault is None
    assert "Wrong passphrase" in dialog.feedback.text()
    dialog.passphrase.setText(PASS)
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.vault is not None
    dialog.vault.close()


def test_main_window_search_lock_and_return(
    qtbot: QtBot, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "m.cre"
    vault = new_vault(path, PASS)
    repo = Repository(vault)
    for name in ("Test Ada", "Test Zoë"):
        tk = registry.get("bedfordshire-cse")
        data = new_case(tk, dt.date(2026, 6, 1))
        data["child"]["name"] = name
        repo.create_case(tk, data)
    reopened: list[Vault] = []

    def relock() -> Vault:
        v = Vault.open(path, PASS)
        reopened.append(v)
        return v

    window = MainWindow(registry, vault, relock=relock)
    qtbot.addWidget(window)
    window.show()
    assert window.table.rowCount() == 2
    qtbot.keyClicks(window.search, "zo")  # QTest types ASCII only
    assert window.table.rowCount() == 1 and window.table.item(0, 0).text() == "Test Zoë"  # type: ignore[union-attr]
    window.table.selectRow(0)
    window.continue_assessment()
    wizard = window.wizard
    assert wizard is not None
    wizard.next()
    lock = window.actions_by_name["Lock"]
    assert lock.shortcut().toString() == "Ctrl+Shift+L"
    assert lock.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut  # works over the wizard
    lock.trigger()
    assert not vault.is_open and reopened
    assert window.wizard is not None and window.wizard.currentId() == 1
    window.wizard.done(0)
    reopened[0].close()


def test_profile_settings_and_export_from_the_vault(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    from app.casework import export_case, signing_identity
    from app.documents.signing import verify
    from app.ui.actions import ProfileDialog
    from tests.documents.test_documents import full_case

    dialog = ProfileDialog(repo)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.fields["name"], "Test Practitioner")
    dialog.fields["post"].setText("Designated Safeguarding Lead")
    dialog.fields["agency"].setText("Test Agency")
    dialog.fields["address"].setText("1 Fictional Street, Testville")
    dialog.fields["phone"].setText("01632 960003")
    dialog.minutes.setValue(5)
    dialog.save()
    assert repo.get_setting("profile")["post"] == "Designated Safeguarding Lead"
    assert repo.get_setting("auto_lock_minutes") == 5
    from app import casework
    from tests.casework.support import sign_off

    data = full_case(registry, "bedfordshire-cse")
    data.pop("practitioner")
    data["practitioner"] = {}
    data["analysis"].update(sign_off(registry.get("bedfordshire-cse")))
    [case_id] = casework.import_cases(repo, registry, data)  # complete: imported as completed
    result = export_case(repo, registry, case_id, tmp_path / "out", signing_identity(repo))
    kinds = sorted(p.name.split("-")[0] for p in result.written)
    # the case file's one-line information report is adopted as a draft, so it stays home
    assert kinds == ["assessment", "authorisation", "letter", "signer"], kinds
    assessment = next(p for p in result.written if p.name.startswith("assessment-"))
    pem = signing_identity(repo).certificate_pem()
    assert verify(assessment.read_bytes(), pem).trusted
    actions = [r[0] for r in repo.vault.pragma("SELECT action FROM audit ORDER BY id")]
    assert "exported" in actions
    assert (
        signing_identity(repo).pkcs12 == signing_identity(repo).pkcs12
    )  # made once, kept in the vault


def test_case_dialog_closes_and_main_window_filters_reviews_due(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from app.ui.case_dialog import CaseDialog

    tk = registry.get("derby-cre-2020")
    soon = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    records = []
    for due in (soon, later):
        data = new_case(tk, dt.date.today())
        data["child"]["name"] = f"Test Due {due}"
        rec = repo.create_case(tk, data)
        repo.complete(rec.id, "medium", due)
        records.append(rec)
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.review_filter.setCurrentIndex(window.review_filter.findData("14"))
    assert window.table.rowCount() == 1
    dialog = CaseDialog(repo, records[0].case_id)
    qtbot.addWidget(dialog)
    dialog.models["online"].setChecked(True)
    dialog.reason.setCurrentIndex(dialog.reason.findData("moved"))
    dialog.save()
    assert repo.get_case(records[0].case_id).status == "closed"
    assert repo.case_details(records[0].case_id)["closure_reason"] == "moved"
    window.reload()
    assert window.table.rowCount() == 0  # a closed case has no review due
    bad = CaseDialog(repo, records[1].case_id)
    qtbot.addWidget(bad)
    bad.closed_on.edit.setText("2026-02-31")
    bad.reason.setCurrentIndex(1)
    bad.save()
    assert bad.message.text() == "Closed on: 2026-02-31 is not a real date"


def test_chronology_shows_levels_by_date_and_changes(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    from tests.rules.cases import case, tick

    tk = registry.get("derby-cre-2020")
    first = case(registry, tk.id, identified=tick(tk, None, 1, rating="L"), final="low")
    rec = repo.create_case(tk, first)
    repo.complete(rec.id, "low", None)
    review = repo.start_review(rec.case_id)
    second = dict(review.answers)
    second["assessment_date"] = "2026-07-01"
    second["section1"] = tick(tk, None, 2, rating="H")
    repo.save_draft(review.id, second)
    repo.complete(review.id, "high", "2026-07-29")
    window = MainWindow(registry, repo.vault, relock=lambda: None)
    qtbot.addWidget(window)
    window.table.selectRow(0)
    chart = window.chronology.chart
    assert [level for _, level in chart.points] == ["low", "high"]
    assert "01/07/2026: high" in chart.accessibleDescription()
    text = window.chronology.changes.text()
    assert "Level: Low → High" in text
    assert "+ " + tk.section1_items[1].text in text


def test_plans_dialog_saves_and_export_prints_the_plans(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app import casework
    from app.casework import export_case, signing_identity
    from app.ui.plans import PlansDialog, load_plans
    from tests.casework.support import sign_off
    from tests.documents.test_documents import full_case

    repo.set_setting("profile", {"name": "Test Practitioner Ŵyn"})  # a name to sign in

    tk = registry.get("bedfordshire-cse")
    data = full_case(registry, tk.id)
    data["analysis"].update(sign_off(tk))
    rec = repo.create_case(tk, data)
    casework.complete(repo, registry, rec.id)
    dialog = PlansDialog(repo, tk, rec.case_id)
    qtbot.addWidget(dialog)
    option = tk.data["disruption_tool"]["aims"][0]["options"][0]
    check, lead, progress = dialog.options[option["id"]]
    check.setChecked(True)
    qtbot.keyClicks(lead, "Test Social Worker")
    progress.setText("Fictional progress noted")
    dialog._add_row(["Fictional outcome", "Fictional action", "Test Worker", "Weekly", ""])
    dialog.review_date.edit.setText("2026-07-01")
    dialog.save()
    plans = load_plans(repo, rec.case_id)
    assert plans["disruption_plan"][option["id"]]["lead_person"] == "Test Social Worker"
    assert plans["support_plan"]["rows"][0]["outcome"] == "Fictional outcome"
    result = export_case(repo, registry, rec.case_id, tmp_path, signing_identity(repo))
    plans_pdf = next(p for p in result.written if p.name.startswith("plans-"))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(plans_pdf).pages)
    assert " ".join(option["label"].split()) in text
    assert "Test Social Worker" in text and "Fictional outcome" in text and "1 July 2026" in text


def test_statistics_dialog_counts_and_exports(
    qtbot: QtBot, registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.storage.casefiles import import_cases
    from app.ui.statistics import StatisticsDialog
    from tests.casework.support import sign_off
    from tests.rules.cases import case, tick

    tk = registry.get("derby-cse-2017")
    today = dt.date.today().isoformat()
    cases = []
    for n, band in enumerate(["low", "medium", "high"]):
        data = case(registry, tk.id, identified=tick(tk, band), final=band)
        data["assessment_date"] = today
        data["analysis"].update(sign_off(tk, today))  # completed, so its level counts
        data["child"]["gender"] = "female" if n else "male"
        cases.append(data)
    import_cases(repo, registry, {"format": "cre-case-export", "version": 1, "cases": cases})
    dialog = StatisticsDialog(repo)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None)  # counted on a worker thread
    assert dialog.report is not None
    assert dialog.report.row("Requests", "requests").total == 3
    assert "High (including escalated): 1" in dialog.bars.accessibleDescription()
    dialog.save_csv(tmp_path / "s.csv")
    dialog.save_pdf(tmp_path / "s.pdf")  # made on a worker thread
    qtbot.waitUntil(lambda: not dialog.running)
    dialog.save_bundle(tmp_path / "b.json")
    assert "Total number of requests received" in (tmp_path / "s.csv").read_text("utf-8")
    text = " ".join((p.extract_text() or "") for p in PdfReader(tmp_path / "s.pdf").pages)
    assert "Level at first assessment" in text and "OFFICIAL-SENSITIVE" in text
    assert "Test Child" not in (tmp_path / "b.json").read_text("utf-8")
    dialog.start.setText("2026-02-31")
    dialog.refresh()
    assert dialog.message.text() == "From: 2026-02-31 is not a real date."


def test_practitioner_sets_the_review_date(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "derby-cse-2017")
    wizard.editors["child.name"].set_value("Test Child")
    wizard.editors["child.date_of_birth"].set_value("2011-01-01")
    wizard.jump_to("final_level")
    finish = wizard.finish_page
    qtbot.keyClicks(finish.review_date.edit, "20/06/2026")
    assert wizard.verdict is not None and wizard.verdict.review_due == dt.date(2026, 6, 20)
    assert wizard.answers["review_date"] == "2026-06-20"
    assert "Review due: 20/06/2026" in finish.outcome.text()
    finish.review_date.edit.setText("31/06/2026")
    assert any(p.field == "review_date" for p in wizard.problems())
    assert finish.review_error.text() == "Review date: 31/06/2026 is not a real date"


def test_an_edit_after_a_refused_complete_is_in_the_vault(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "derby-cre-2020")
    wizard.jump_to("final_level")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and wizard.finish_page.missing.count() > 0  # refused, and says why
    wizard.jump_to("child.name")
    type_into(qtbot, wizard, "child.name", "Test Child After Refusal")
    qtbot.waitUntil(lambda: wizard.summary.saved.text().startswith("Saved"), timeout=3000)
    stored = repo.get_assessment(wizard.assessment_id).answers  # read back from the vault
    assert stored["child"]["name"] == "Test Child After Refusal"
    wizard.reject()  # closing still flushes, then stops the writer
    assert not wizard.isVisible()


def test_a_failed_save_says_so_in_words_and_retries(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "bedfordshire-cse")
    real = repo.save_draft
    failures = [OSError(28, "No space left on device")]

    def flaky(*args: object, **kwargs: object) -> object:
        if failures:
            raise failures.pop()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repo, "save_draft", flaky)
    shown: list[str] = []
    show = wizard.saver.show

    def record(text: str, **kwargs: bool) -> None:
        shown.append(text)
        show(text, **kwargs)

    wizard.saver.show = record
    type_into(qtbot, wizard, "child.name", "Test Child Disk Full")
    qtbot.waitUntil(lambda: any("NOT saved" in t for t in shown), timeout=10000)
    failure = next(t for t in shown if "NOT saved" in t)
    assert "No space left on device" in failure and "Traceback" not in failure
    qtbot.waitUntil(lambda: wizard.summary.saved.text().startswith("Saved"), timeout=10000)
    assert repo.get_assessment(wizard.assessment_id).answers["child"]["name"] == (
        "Test Child Disk Full"
    )


def test_a_resumed_draft_goes_back_to_page_0_and_the_index_jumps(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    tk = registry.get("derby-cse-2017")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"].update(name="Test Child Resume", date_of_birth="2013-09-14")
    record = repo.create_case(tk, data, page=3)
    wizard = AssessmentWizard(registry, repo, record.id)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    assert wizard.currentId() == wizard.page_of["section3"]
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert back.isVisible() and back.isEnabled()
    for _ in range(3):
        qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == 0
    type_into(qtbot, wizard, "child.date_of_birth", "2013-09-15")  # correctable now
    assert wizard.answers["child"]["date_of_birth"] == "2013-09-15"
    # the side index: one row per page and per Section 1 group
    index = wizard.index
    titles = [index.item(i).text().strip() for i in range(index.count())]
    assert "Review and finish" in titles and "High" in titles
    high = titles.index("High")
    index.setCurrentRow(high)
    index.itemActivated.emit(index.item(high))
    assert wizard.currentId() == wizard.page_of["section1"]
    high_item = next(i for i in tk.section1_items if i.band == "high")
    focused = QApplication.focusWidget()
    assert focused is not None and wizard.mark_rows[high_item.id].isAncestorOf(focused)
    index.itemActivated.emit(index.item(titles.index("Review and finish")))
    assert wizard.currentId() == wizard.page_of["finish"]


def test_a_save_report_due_after_the_window_is_gone_is_dropped(
    qtbot: QtBot, registry: Registry, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Saving…" is looked at again 150 ms later while a batch is pending; if the window
    has been deleted by then, that look must not reach its deleted status line (it once
    raised in whatever test or window was running next)."""
    from app.storage.autosave import AutosaveWriter

    tk = registry.get("derby-cse-2017")
    data = new_case(tk, dt.date(2026, 6, 1))
    data["child"]["name"] = "Test Child Gone"
    wizard = AssessmentWizard(registry, repo, repo.create_case(tk, data).id)
    wizard.show()
    looks = iter([True])  # pending at the first look, done at the second
    monkeypatch.setattr(AutosaveWriter, "pending", property(lambda _self: next(looks, False)))
    wizard.saver._saved(wizard.assessment_id)  # schedules the second look
    wizard.saver.writer.stop()
    wizard.deleteLater()
    qtbot.wait(400)  # past the 150 ms: an exception here fails the test (pytest-qt)


def test_a_date_typed_then_a_click_straight_into_the_next_field_is_kept(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    """Typing a date and clicking the next field at once (no pause for the autosave's
    timer) used to lose the date; each keystroke is an answer, so the click cannot."""
    wizard = open_wizard(qtbot, registry, repo, "derby-cre-2020")
    dob = wizard.editors["child.date_of_birth"]
    assert isinstance(dob, DateEditor)
    dob.edit.setFocus()
    dob.edit.clear()
    qtbot.keyClicks(dob.edit, "14/02/2012")
    name = wizard.editors["child.name"].focus_widget()
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)  # at once: no wait after typing
    assert wizard.answers["child"]["date_of_birth"] == "2012-02-14"
    wizard.reject()  # X at once too: the close flushes what was typed
    stored = repo.get_assessment(wizard.assessment_id).answers
    assert stored["child"]["date_of_birth"] == "2012-02-14"
    again = AssessmentWizard(registry, repo, repo.get_assessment(wizard.assessment_id).case_id)
    qtbot.addWidget(again)
    assert again.editors["child.date_of_birth"].value() == "2012-02-14"
    again.reject()
