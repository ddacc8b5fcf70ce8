"""The toolkits' own words on screen (issue 25): the level's description with its steps on
the finish page, the CSEP subheadings and the police's blank in the report window, and the
intervention strategies beside the disruption options."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget
from pytestqt.qtbot import QtBot

from app.forms import Registry
from app.storage import Repository
from app.ui.plans import PlansDialog
from tests.ui.test_referral_forms import completed_case, open_report
from tests.ui.test_wizard import open_wizard


def test_finish_page_shows_the_level_description_with_its_steps(
    qtbot: QtBot, registry: Registry, repo: Repository
) -> None:
    wizard = open_wizard(qtbot, registry, repo, "portsmouth-cse-2016")
    wizard.answers["child"].update(name="Test Child Alpha", date_of_birth="2012-01-15")
    wizard.answers["section1"]["repeat_missing_episodes"] = {"ticked": True, "comment": ""}
    wizard.refresh()
    wizard.finish_page.refresh()  # as when the page is shown
    text = wizard.finish_page.outcome.text()
    assert "The toolkit on this level:" in text
    assert "Achieving Best Evidence (ABE) training should not discuss disclosures" in text
    assert text.index("The toolkit on this level:") < text.index("Next steps:")


def test_csep_window_shows_the_forms_subheadings(
    qtbot: QtBot, registry: Registry, repo: Repository, letterhead: None
) -> None:
    case_id = completed_case(registry, repo, "bedfordshire-cse")
    window = open_report(qtbot, registry, repo, case_id, "csep_referral")
    shown = [label.text() for label in window.findChildren(QLabel)]
    for heading in ("Description of the child/young person", "Mobile Phone Activity"):
        assert heading in shown
    # the guidance, with the secure domains "identified below", is there to read before sending
    at = shown.index(
        "Although the CSE Panel and Bedfordshire Police intelligence email addresses are both "
        "secure, information is only secure if it is also sent from a secure email address, like "
        "the ones identified below;"
    )
    assert shown[at + 1].startswith("nhs.net, pnn.police.uk, gsi.gov.uk")


def test_police_information_request_leaves_the_categories_to_the_police(
    qtbot: QtBot, registry: Registry, repo: Repository, letterhead: None
) -> None:
    case_id = completed_case(registry, repo, "bedfordshire-cse")
    window = open_report(qtbot, registry, repo, case_id, "police_information_request")
    assert "category_answer" not in window.editors  # not the practitioner's to fill or sign
    assert "to_agency" in window.editors
    shown = [label.text() for label in window.findChildren(QLabel)]
    assert "For the police to complete: left blank on the form you send." in shown
    assert "category_answer" not in window.collect().get("answers", window.collect())


def test_plans_show_the_intervention_strategies_beside_the_options(
    qtbot: QtBot, registry: Registry, repo: Repository, letterhead: None
) -> None:
    case_id = completed_case(registry, repo, "derby-cre-2020")
    tk = registry.get("derby-cre-2020")
    dialog = PlansDialog(repo, tk, case_id)
    qtbot.addWidget(dialog)
    tabs = dialog.findChild(QTabWidget)
    assert tabs is not None
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[1] == "Intervention Strategies"
    page = tabs.widget(1)
    assert page is not None
    shown = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "Common strategies are outlined below:" in shown
    assert "Child Exploitation Disruption Toolkit: disruption tactics (2019)" in shown
