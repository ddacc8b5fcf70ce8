"""Appendix A counts, per quarter and in total, from fictional case facts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from app.stats import (
    AssessmentFact,
    BundleError,
    CaseFacts,
    build_report,
    merge_bundles,
    quarters,
    read_bundle,
    to_bundle,
    write_bundle,
)

D = dt.date


def a(day: dt.date, level: str | None) -> AssessmentFact:
    return AssessmentFact(day, level, "derby-cse-2017")


CASES = [
    # first assessed in Q1 at High, reviewed in Q2 at Medium, closed in Q2 (risk reduced)
    CaseFacts(
        (a(D(2025, 4, 10), "high"), a(D(2025, 7, 20), "medium")),
        gender="female",
        ethnicity="white_british",
        source_of_request="education",
        looked_after=True,
        models_of_abuse=("online", "boyfriend_girlfriend"),
        closed=D(2025, 8, 30),
        closure_reason="risk_reduced",
    ),
    # first assessed in Q2 at Low, never closed
    CaseFacts(
        (a(D(2025, 9, 1), "low"),),
        gender="male",
        ethnicity="black_african",
        send=True,
        models_of_abuse=("online",),
    ),
    # first assessed before the range: counts as open, not as a request
    CaseFacts((a(D(2025, 2, 1), "medium"), a(D(2025, 5, 5), "high")), gender="female"),
]


def test_financial_quarters_are_clipped_to_the_range() -> None:
    qs = quarters(D(2025, 5, 15), D(2025, 10, 2))
    assert [q.label for q in qs] == [
        "Q1 2025-26 (Apr-Jun 2025)",
        "Q2 2025-26 (Jul-Sep 2025)",
        "Q3 2025-26 (Oct-Dec 2025)",
    ]
    assert qs[0].start == D(2025, 5, 15) and qs[-1].end == D(2025, 10, 2)
    assert quarters(D(2026, 1, 1), D(2026, 3, 31))[0].label == "Q4 2025-26 (Jan-Mar 2026)"
    with pytest.raises(ValueError, match="before"):
        quarters(D(2025, 2, 1), D(2025, 1, 1))


def test_appendix_a_rows() -> None:
    report = build_report(CASES, D(2025, 4, 1), D(2025, 9, 30))
    assert report.row("Requests", "requests").counts == (1, 1)
    assert report.row("Requests", "requests").total == 2
    assert report.row("Assessments", "assessments").counts == (2, 2)
    assert report.row("Assessments", "children").total == 3
    open_cases = "Young people open to the CSE strategy"
    assert report.row(open_cases, "open_cases").counts == (2, 3)
    assert report.row("Gender", "female").counts == (1, 0)
    assert report.row("Gender", "male").counts == (0, 1)
    assert report.row("Disability", "send").total == 1
    assert report.row("Children in Care", "looked_after").total == 1
    assert report.row("Ethnicity", "black_african").total == 1
    assert report.row("Source of Requests", "not_recorded").total == 1
    assert report.row("Level at first assessment", "high").counts == (1, 0)
    assert report.row("Level at first assessment", "low").counts == (0, 1)
    assert report.row("Level at review", "high").counts == (1, 0)
    assert report.row("Level at review", "medium").counts == (0, 1)
    models = "CSE Model/Method (multiple can apply for each case)"
    assert report.row(models, "online").counts == (1, 1)  # counted per request
    assert report.row(models, "online").total == 2
    assert report.row("Closures", "total").counts == (0, 1)
    assert report.row("Closures", "risk_reduced").total == 1


def test_csv_has_a_column_per_quarter_and_a_total() -> None:
    text = build_report(CASES, D(2025, 4, 1), D(2025, 9, 30)).to_csv()
    lines = text.splitlines()
    assert lines[0] == (
        "Section,Category,Q1 2025-26 (Apr-Jun 2025),Q2 2025-26 (Jul-Sep 2025),Total"
    )
    assert "Requests,Total number of requests received,1,1,2" in lines


def test_bundle_holds_no_identifiers_and_merges(tmp_path: Path) -> None:
    report = build_report(CASES, D(2025, 4, 1), D(2025, 9, 30))
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    write_bundle(to_bundle(report, source_id="laptop-a"), one)
    write_bundle(to_bundle(report, source_id="laptop-a"), two)
    text = one.read_text("utf-8")
    assert "2025-04-10" not in text and "2025-08-30" not in text
    assert set(json.loads(text)) == {
        "format", "version", "bundle_id", "source", "source_id", "from", "to", "periods", "rows",
        "digest", "merged_from",
    }  # fmt: skip
    with pytest.raises(BundleError, match="already merged"):
        merge_bundles([("one", read_bundle(one)), ("two", read_bundle(two))])
    other = build_report(CASES[:1], D(2025, 4, 1), D(2025, 9, 30))
    three = tmp_path / "three.json"
    write_bundle(to_bundle(other, source_id="laptop-b"), three)
    merged = merge_bundles([("one", read_bundle(one)), ("three", read_bundle(three))])
    same_counts = to_bundle(report, source_id="laptop-c")  # another laptop, equal counts
    assert (
        merge_bundles([("one", read_bundle(one)), ("c", same_counts)])
        .row("Requests", "requests")
        .total
        == 4
    )
    assert merged.row("Requests", "requests").counts == (2, 1)
    assert merged.row("Requests", "requests").total == 3


def test_merging_the_same_file_twice_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_bundle(to_bundle(build_report(CASES, D(2025, 4, 1), D(2025, 6, 30))), path)
    with pytest.raises(BundleError, match="already merged"):
        merge_bundles([("first", read_bundle(path)), ("again", read_bundle(path))])


def test_edited_or_mismatched_bundles_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_bundle(to_bundle(build_report(CASES, D(2025, 4, 1), D(2025, 6, 30))), path)
    data = json.loads(path.read_text("utf-8"))
    data["rows"][0]["total"] += 1
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(BundleError, match="digest"):
        read_bundle(path)
    q1 = to_bundle(build_report(CASES, D(2025, 4, 1), D(2025, 6, 30)))
    q2 = to_bundle(build_report(CASES, D(2025, 7, 1), D(2025, 9, 30)))
    with pytest.raises(BundleError, match="other periods"):
        merge_bundles([("q1", q1), ("q2", q2)])


def test_csv_cells_a_spreadsheet_would_run_are_quoted() -> None:
    from app.stats.report import Period, StatsReport, StatsRow, csv_safe

    for hostile in ('=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_safe(hostile) == "'" + hostile
    assert csv_safe("-") == "-" and csv_safe("Low") == "Low" and csv_safe(3) == 3
    period = Period("Q1 2025-26 (Apr-Jun 2025)", D(2025, 4, 1), D(2025, 6, 30))
    report = StatsReport(
        D(2025, 4, 1), D(2025, 6, 30), (period,), (StatsRow("=cmd", "k", "@label", (1,), 1),)
    )
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert rows[1][:2] == ["'=cmd", "'@label"]
