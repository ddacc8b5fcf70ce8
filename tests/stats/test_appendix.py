"""Every Appendix A cell from a real vault of fictional cases, against a hand-worked table.

The story of each child is in tests/stats/fictional.py; each count below is worked out
from it by hand (the comments say which children make it up).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from app.forms import Registry
from app.stats import build_report, merge_bundles, to_bundle
from app.stats.appendix import (
    ATTENDANCE,
    KEY_WORKERS,
    LEVEL_END,
    MODELS,
    OPEN,
    OUTCOME,
    PRIORITIES,
    SEQUENCE,
    TYPES,
    VIEWS,
)
from app.stats.report import percent
from app.stats.source import facts_from_vault
from tests.stats import fictional

FY = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
N = None  # a percentage with no eligible meeting

# (section, key): (Q1, Q2, Q3, Q4, total). Every other row must be all zeros.
EXPECTED: dict[tuple[str, str], tuple[int | None, ...]] = {
    ("Requests", "requests"): (2, 0, 1, 2, 5),  # A B | - | C | E G
    ("Gender", "female"): (1, 0, 1, 1, 3),  # A, C, G (from its draft)
    ("Gender", "male"): (1, 0, 0, 1, 2),  # B, E
    ("Disability", "send"): (1, 0, 0, 0, 1),  # B
    ("Children in Care", "looked_after"): (1, 0, 0, 0, 1),  # A
    ("Children in Care", "in_care_due_to_exploitation"): (1, 0, 0, 0, 1),
    ("Children in Care", "from_another_la"): (1, 0, 0, 0, 1),
    ("Ethnicity", "white_british"): (1, 0, 0, 1, 2),  # A, E
    ("Ethnicity", "black_african"): (1, 0, 0, 0, 1),  # B
    ("Ethnicity", "gypsy_roma"): (0, 0, 1, 0, 1),  # C
    ("Ethnicity", "dual_white_asian"): (0, 0, 0, 1, 1),  # G (D is not a request this year)
    ("Ethnicity summary", "white_british"): (1, 0, 0, 1, 2),
    ("Ethnicity summary", "bme"): (1, 0, 1, 1, 3),  # B, C, G
    ("Ethnicity summary", "white_not_british"): (0, 0, 1, 0, 1),  # C (Gypsy/Roma)
    ("Sexual Identity", "bisexual"): (0, 0, 1, 0, 1),
    ("Sexual Identity", "not_recorded"): (2, 0, 0, 2, 4),
    ("Source of Requests", "education"): (1, 0, 0, 0, 1),
    ("Source of Requests", "police"): (1, 0, 0, 0, 1),
    ("Source of Requests", "health"): (0, 0, 1, 0, 1),
    ("Source of Requests", "social_care"): (0, 0, 0, 1, 1),
    ("Source of Requests", "not_recorded"): (0, 0, 0, 1, 1),
    (MODELS, "one_to_one"): (1, 0, 0, 0, 1),  # A's Section 3 "Adult on Child"
    (MODELS, "online"): (1, 0, 1, 0, 2),  # A's Section 3, C's case dialog
    (MODELS, "gangs"): (1, 0, 0, 0, 1),  # B's Section 3 (A's dialog "gangs" is not asked)
    (MODELS, "peer_on_peer"): (0, 0, 1, 0, 1),  # C
    (OPEN, "open_cases"): (3, 3, 3, 5, 6),  # ABD | ABD | ABC | ABCEG | ABCDEG
    (LEVEL_END, "high"): (1, 1, 1, 2, 2),  # A | B | B | B, C escalated | B, C
    (LEVEL_END, "medium"): (1, 1, 1, 0, 0),  # B | A | C
    (LEVEL_END, "low"): (1, 1, 1, 1, 2),  # D | D closed | A | A closed | A, D
    (LEVEL_END, "unknown"): (0, 0, 0, 2, 2),  # E below its floor, G no level
    ("Closures", "total"): (0, 1, 0, 2, 3),
    ("Closures", "low_risk"): (0, 0, 0, 1, 1),
    ("Closures", "risk_reduced"): (0, 1, 0, 0, 1),
    ("Closures", "risk_escalated"): (0, 0, 0, 1, 1),
    (KEY_WORKERS, "social_care"): (1, 1, 1, 1, 1),
    (KEY_WORKERS, "mat"): (1, 1, 1, 1, 1),
    (KEY_WORKERS, "other"): (0, 0, 1, 1, 1),
    (KEY_WORKERS, "not_recorded"): (1, 1, 0, 2, 3),  # D | D | - | E G | D E G
    (PRIORITIES, "police_involvement"): (1, 1, 1, 1, 1),
    (PRIORITIES, "any_missing"): (1, 1, 1, 1, 1),
    (PRIORITIES, "gangs"): (1, 1, 1, 1, 1),
    (PRIORITIES, "offending"): (1, 1, 1, 1, 1),
    (PRIORITIES, "self_harm"): (0, 0, 1, 1, 1),
    (TYPES, "professionals"): (1, 0, 2, 1, 4),  # A | - | C C | G
    (TYPES, "initial"): (2, 0, 0, 1, 3),  # A B | C (D's was in 2024-25)
    (TYPES, "first_review"): (1, 2, 0, 0, 3),  # D | A B
    (TYPES, "further_review"): (0, 0, 2, 1, 3),  # A B | B
    (TYPES, "total"): (4, 2, 4, 3, 13),
    # eligible meetings (initial and reviews): 3, 2, 2, 2; 9 in the year
    (ATTENDANCE, "young_people"): (2, 1, 1, 2, 6),
    (ATTENDANCE, "parents"): (2, 2, 1, 2, 7),
    (ATTENDANCE, "young_people_pct"): (67, 50, 50, 100, 67),
    (ATTENDANCE, "parents_pct"): (67, 100, 50, 100, 78),
    (VIEWS, "views"): (3, 2, 0, 2, 7),
    (VIEWS, "views_pct"): (100, 100, 0, 100, 78),
    (OUTCOME, "high"): (1, 0, 0, 0, 1),  # A's professionals meeting
    (OUTCOME, "medium"): (1, 0, 0, 0, 1),  # B's initial meeting
    (OUTCOME, "low"): (0, 0, 1, 0, 1),  # C's professionals meeting (G agreed none)
    (SEQUENCE, "high:professionals_1"): (1, 1, 1, 1, 1),  # A
    (SEQUENCE, "high:initial_1"): (1, 1, 1, 1, 1),  # A
    (SEQUENCE, "high:review_1"): (0, 1, 1, 1, 1),  # B
    (SEQUENCE, "high:review_2"): (0, 0, 1, 1, 1),  # B
    (SEQUENCE, "high:review_3"): (0, 0, 0, 1, 1),  # B
    (SEQUENCE, "medium:professionals_2"): (0, 0, 1, 1, 1),  # C
    (SEQUENCE, "medium:initial_1"): (2, 2, 1, 2, 3),  # B D | B D | B | B C | B C D
    (SEQUENCE, "medium:review_1"): (0, 1, 1, 1, 1),  # A
    (SEQUENCE, "low:professionals_1"): (0, 0, 1, 1, 1),  # C
    (SEQUENCE, "low:review_1"): (1, 1, 0, 0, 1),  # D, open only until July
    (SEQUENCE, "low:review_2"): (0, 0, 1, 1, 1),  # A
    # beyond the report
    ("Assessments", "assessments"): (2, 0, 1, 1, 4),
    ("Assessments", "children"): (2, 0, 1, 1, 4),
    ("Level at first assessment", "high"): (1, 0, 0, 0, 1),
    ("Level at first assessment", "medium"): (1, 0, 0, 0, 1),
    ("Level at first assessment", "low"): (0, 0, 1, 0, 1),
    ("Level at first assessment", "unknown"): (0, 0, 0, 1, 1),  # E: fails its floor
}


def test_every_appendix_a_cell_matches_the_hand_worked_table(
    registry: Registry, tmp_path: Path
) -> None:
    repo = fictional.build(registry, tmp_path / "v.cre")
    report = build_report(facts_from_vault(repo, registry), *FY, today=fictional.TODAY)
    repo.vault.close()
    assert len(report.periods) == 4
    for (section, key), cells in EXPECTED.items():
        row = report.row(section, key)
        assert (*row.counts, row.total) == cells, (section, key)
    for row in report.rows:
        if (row.section, row.key) not in EXPECTED:
            zero: tuple[int | None, ...] = (N,) * 5 if row.is_percent else (0,) * 5
            assert (*row.counts, row.total) == zero, (row.section, row.key)
    text = report.to_csv()
    assert "Young people (% attending at eligible meetings),67%,50%,50%,100%,67%" in text


def test_percentages_round_halves_up_as_the_report_does() -> None:
    assert percent(2, 16) == 13 and percent(4, 14) == 29 and percent(1, 17) == 6
    assert percent(0, 0) is None


def test_merging_two_laptops_adds_counts_and_recomputes_percentages(
    registry: Registry, tmp_path: Path
) -> None:
    repo = fictional.build(registry, tmp_path / "v.cre")
    report = build_report(facts_from_vault(repo, registry), *FY, today=fictional.TODAY)
    repo.vault.close()
    merged = merge_bundles(
        [("a", to_bundle(report, source_id="laptop-a")), ("b", to_bundle(report, "laptop-b"))]
    )
    assert merged.row(TYPES, "total").total == 26
    assert merged.row(ATTENDANCE, "parents").counts == (4, 4, 2, 4)
    assert merged.row(ATTENDANCE, "parents_pct").counts == (67, 100, 50, 100)
    assert merged.row(SEQUENCE, "medium:initial_1").total == 6


def test_quarters_not_yet_started_are_not_shown(registry: Registry, tmp_path: Path) -> None:
    repo = fictional.build(registry, tmp_path / "v.cre")
    facts = facts_from_vault(repo, registry)
    repo.vault.close()
    report = build_report(facts, dt.date(2026, 4, 1), dt.date(2027, 3, 31), today=fictional.TODAY)
    assert [p.label for p in report.periods] == [
        "Q1 2026-27 (Apr-Jun 2026)",
        "Q2 2026-27 (Jul-Sep 2026)",
        "Q3 2026-27 (Oct-Dec 2026)",
    ]  # Q4 (January to March 2027) has not started on 25 November 2026
    assert report.end == fictional.TODAY
    assert report.row(OPEN, "open_cases").counts == (3, 3, 3)  # B, E and G are not closed
    assert report.row(OPEN, "open_cases").total == 3
    assert report.row(TYPES, "total").total == 0


def test_a_draft_only_case_counts_nowhere(registry: Registry, tmp_path: Path) -> None:
    repo = fictional.build(registry, tmp_path / "v.cre")
    facts = facts_from_vault(repo, registry)
    # each completed assessment is checked against the rules once (E fails its floor)
    assert repo.vault.pragma("SELECT count(*), sum(passes) FROM rule_checks") == [(5, 4)]
    assert facts_from_vault(repo, registry) == facts  # the second count uses the checks
    repo.vault.close()
    assert len(facts) == 6  # F, a draft with no meeting, is not a case the partnership counts
    assert all(f.ethnicity != "other_chinese" for f in facts)


# Appendix A of the Derby CSE annual report 2015-16 (seed 004), its row labels in order.
REPORT_ROWS = [
    ("Requests", ["Total number of requests received"]),
    ("Gender", ["Male", "Female"]),
    ("Disability", ["Disability"]),
    ("Children in Care", ["Children in care", "Children in care as a result of CSE",
                          "Of which, children are from another LA"]),
    ("Ethnicity", [
        "Asian or Asian British - Bangladeshi", "Asian or Asian British - Indian",
        "Asian or Asian British - Other", "Asian or Asian British - Pakistani",
        "Black or Black British - African", "Black or Black British - Caribbean",
        "Black or Black British - Other", "Dual Heritage - Other",
        "Dual Heritage - White and Asian", "Dual Heritage - White and Black African",
        "Dual Heritage - White and Black Caribbean", "Gypsy/Roma", "Not Declared Not Known",
        "Other", "Other - Chinese", "Traveller of Irish Heritage", "White - British",
        "White - Irish", "White - Non-European", "White - Other European"]),
    ("Ethnicity summary", ["White British", "BME", "Of which; White – Not British"]),
    ("Sexual Identity", ["Heterosexual", "Bisexual", "Gay man", "Gay woman/Lesbian", "Other"]),
    ("Source of Requests", [
        "Careline", "CAMHS", "Children's Home", "Children's Practitioner", "Education",
        "Enthusiasm", "Family", "FIP", "Foster Carer", "GUM Clinic", "Health", "Housing", "MAT",
        "Other LA", "Police", "Probation", "Runaways", "Safe and Sound", "Social Care", "YOS",
        "Other"]),
    (MODELS, [
        "Boyfriend/Girlfriend model", "Peer on peer abuse/Youth culture/Sexting",
        "CSE in context to gangs and gang association", "Trafficking - into - within - out of UK",
        "Online via any internet enabled technology", "Offline/street grooming",
        "Constrained choices", "Risk taking making a young person vulnerable to CSE",
        "The party model", "1:1 grooming/exploitation (adult on child)",
        "Organised abuse (group exploitation)", "Other"]),
    (OPEN, ["Total number of cases worked within the quarter"]),
    (LEVEL_END, ["High (including escalated)", "Medium", "Low (including closed)",
                 "Not yet assessed/unknown"]),
    ("Closures", ["TOTAL", "In Low Risk", "Risk Reduced (including CiN)",
                  "Risk Escalated (includes CP)", "Moved", "Age",
                  "Meeting not held - threshold not met", "Other"]),
    (KEY_WORKERS, ["Social Care", "MAT", "Other"]),
    (PRIORITIES, ["Police Involvement", "Underage Pregnancy/false negatives", "Gangs",
                  "Substance misuse", "Family/Young person DV",
                  "Channel Report/Violent Extremism", "Self Harm", "Any Missing", "Homeless",
                  "Offending"]),
    (TYPES, ["Professionals meeting", "Initial CSE meeting", "First review", "Further reviews",
             "TOTAL"]),
    (ATTENDANCE, ["Young People", "Parents/Carers",
                  "Young people (% attending at eligible meetings)",
                  "Parents/Carers (% attending at eligible meetings)"]),
    (VIEWS, ["Young person seen or conveys views prior to meeting", "% from eligible meeting"]),
    (OUTCOME, ["Low risk", "Medium", "High risk"]),
    (SEQUENCE, [
        f"{level}: {meeting}"
        for level in ("High", "Medium", "Low")
        for meeting in ("First Professionals meeting", "Second Professionals meeting",
                        "Initial CSE Meeting", "First review", "Second review", "Third review",
                        "Fourth review", "Fifth review")]),
]  # fmt: skip
# Rows the app adds to the report's own, each at the end of its section: categories the
# monitoring fields also offer, and cases where nothing was recorded.
ADDED = {"Other", "Not known", "Not recorded"}
BEYOND = ["Assessments", "Level at first assessment", "Level at review"]


def test_the_csv_reproduces_the_2015_16_appendix_a_row_labels_in_order() -> None:
    text = build_report([], dt.date(2015, 4, 1), dt.date(2016, 3, 31)).to_csv()
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == [
        "Section", "Category", "Q1 2015-16 (Apr-Jun 2015)", "Q2 2015-16 (Jul-Sep 2015)",
        "Q3 2015-16 (Oct-Dec 2015)", "Q4 2015-16 (Jan-Mar 2016)", "Total",
    ]  # fmt: skip
    sections: dict[str, list[str]] = {}
    for section, label, *_ in lines[1:]:
        sections.setdefault(section, []).append(label)
    assert list(sections) == [s for s, _ in REPORT_ROWS] + BEYOND
    for section, labels in REPORT_ROWS:
        got = sections[section]
        assert got[: len(labels)] == labels, section
        assert set(got[len(labels) :]) <= ADDED, section


def test_the_pdf_has_every_table_and_the_report_shaped_sequence_grid(
    registry: Registry, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.documents.statistics import statistics_pdf

    repo = fictional.build(registry, tmp_path / "v.cre")
    report = build_report(facts_from_vault(repo, registry), *FY, today=fictional.TODAY)
    repo.vault.close()
    (tmp_path / "s.pdf").write_bytes(statistics_pdf(report))
    pages = PdfReader(tmp_path / "s.pdf").pages
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    for section, _ in REPORT_ROWS:
        assert " ".join(section.split()) in text, section
    assert "Risk Level of all cases open: Total" in text and "Fifth review" in text
    assert "67%" in text and "78%" in text
