"""What each document holds: drafts marked, one report per victim, computed fields and
notes printed, UK dates, no damaged address, every font embedded, nothing as boxes."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader

from app.documents.export import NotFinal, export_case
from app.documents.signing import Identity, verify
from app.forms import Registry
from app.rules import CaseFileError
from tests.documents.test_documents import full_case, text_of, written

TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def pages(path: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def signature_dict(path: Path) -> Any:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return cast(Any, reader.trailer)["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"]


def rich_case(registry: Registry, toolkit: str) -> dict[str, Any]:
    """Two victims' reports, a support plan with a review date and a note on an indicator."""
    data = full_case(registry, toolkit)
    tk = registry.get(toolkit)
    form = tk.data["information_forms"][0]
    data["information_reports"].append({"form": form["id"], "answers": {}})
    data["support_plan"] = {
        "rows": [{"outcome": "Fictional outcome", "review": "Unit 2026-12-01"}],
        "review_date": "2026-07-01",
    }
    first = next(iter(data["section1"]))
    if "note" in data["section1"][first]:
        data["section1"][first]["note"] = "Fictional note on this indicator"
    return data


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_final_documents_one_report_per_victim_uk_dates_and_notes(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    result = export_case(rich_case(registry, toolkit), registry, tmp_path, identity)
    reports = [d for d in result.documents if d.kind.startswith("information")]
    assert len(reports) == 2 and len({d.reference for d in reports}) == 2
    pem = identity.certificate_pem()
    for doc in result.documents:
        text = " ".join(pages(doc.path))
        assert "DRAFT" not in text
        verdict = verify(doc.path.read_bytes(), pem)
        assert verdict.intact and verdict.valid and verdict.trusted
        assert "Completed" in str(signature_dict(doc.path)["/Reason"])
        if doc.kind == "plans":  # a typed cell prints as typed; only date fields change
            assert "Unit 2026-12-01" in text
            text = text.replace("Unit 2026-12-01", "")
        assert not ISO.search(text), (doc.path.name, ISO.search(text))
        if doc.kind != "letter":
            assert doc.reference in text and doc.reference in doc.path.name
    (first, second) = (" ".join(pages(d.path)) for d in reports)
    assert "Form 1 of 2" in first and "Form 2 of 2" in second
    assert "Fictional detail" in first and "Fictional detail" not in second
    assessment = " ".join(pages(written(result, "assessment")))
    assert "1 June 2026" in assessment  # the assessment date, written the UK way
    if tk.marking != "tick_comment":
        assert "Note: Fictional note on this indicator" in assessment
    assert "1 July 2026" in " ".join(pages(written(result, "plans")))


def test_each_serac_form_prints_its_own_victims_level(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    """The assessed child's form shows the assessed level; another victim's form shows
    the level chosen for them, the toolkit's floor when they are under 13, else blank."""
    tk = registry.get("bedfordshire-cse")
    data = full_case(registry, "bedfordshire-cse")
    child = data["child"]
    victims = [
        {"child_young_person_name": child["name"], "child_young_person_dob": child["date_of_birth"]},
        {"child_young_person_name": "Fictional Victim Two", "age": 15},
        {"child_young_person_name": "Fictional Victim Three", "age": 15,
         "level_risk_identified": "low"},
        {"child_young_person_name": "Fictional Victim Four", "child_young_person_dob": "2015-01-02"},
    ]  # fmt: skip
    data["information_reports"] = [{"form": "csep_referral", "answers": v} for v in victims]
    result = export_case(data, registry, tmp_path, identity, now=dt.datetime(2026, 6, 2, 9))
    forms = [d for d in result.documents if d.kind.startswith("information")]
    texts = [" ".join(pages(d.path)) for d in forms]
    level = [re.search(r"Level of risk identified\W*(.*?) Section Two b", t) for t in texts]
    shown = [m.group(1).strip() if m else None for m in level]
    assert shown[0] == tk.level_label("high")  # the assessed child: the assessment's level
    assert shown[1] == ""  # unknown for this victim: blank, never the assessed child's
    assert shown[2] == tk.level_label("low")  # chosen for this victim
    assert shown[3] == f"{tk.level_label('high')} (under 13: the toolkit's minimum)"
    assert "Fictional Victim Two" in texts[1]


def test_the_2020_other_indicator_is_expanded_by_its_note(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cre-2020")
    data["section1"]["other"] = {"cce": True, "cse": False, "level": "M", "note": "Fictional X"}
    result = export_case(data, registry, tmp_path, identity)
    assert "Note: Fictional X" in text_of(written(result, "assessment").read_bytes())


@pytest.mark.parametrize("toolkit", ["derby-cse-2017", "portsmouth-cse-2016"])
def test_a_draft_is_marked_on_every_page_and_its_signature_says_so(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    data = rich_case(registry, toolkit)
    data["final_level"] = None
    data["analysis"] = {}
    with pytest.raises(NotFinal) as refused:
        export_case(data, registry, tmp_path / "final", identity)
    assert "Choose the final level" in str(refused.value)
    assert not list((tmp_path / "final").glob("*.pdf")) if (tmp_path / "final").exists() else True
    result = export_case(data, registry, tmp_path / "draft", identity, draft=True)
    assert result.draft and result.letter_refused
    assert not [d for d in result.documents if d.kind == "letter"]
    assert len(result.documents) == 4
    for doc in result.documents:
        for page in pages(doc.path):
            assert "DRAFT" in page
        reason = str(signature_dict(doc.path)["/Reason"])
        assert "DRAFT" in reason and "Completed" not in reason
        assert doc.path.name.endswith("-DRAFT.pdf")  # the file and its title say so
        meta = PdfReader(io.BytesIO(doc.path.read_bytes())).metadata
        assert meta is not None and str(meta.title).startswith("DRAFT: ")
        assert verify(doc.path.read_bytes(), identity.certificate_pem()).valid


def test_cpi1_prints_no_damaged_address(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    result = export_case(full_case(registry, "portsmouth-cse-2016"), registry, tmp_path, identity)
    for doc in result.documents:
        text = " ".join(pages(doc.path))
        assert "protected]" not in text and "24/[" not in text
    report = text_of(written(result, "information").read_bytes())
    assert "Completed forms should be sent electronically to (address not given in" in report
    assert "use your local address" in report  # the definition says the address was lost


def fonts_of(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font any page (or its annotations) uses."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    found: list[tuple[str, bool]] = []

    def walk(resources: Any) -> None:
        fonts = (resources or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor) and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found.append((str(font.get("/BaseFont")), embedded))

    for page in reader.pages:
        walk(page.get("/Resources"))
        for annot in page.get("/Annots") or []:
            ap = annot.get_object().get("/AP")
            if ap:
                normal = ap.get_object()["/N"].get_object()
                walk(normal.get("/Resources"))
    return found


def test_every_font_is_embedded(registry: Registry, identity: Identity, tmp_path: Path) -> None:
    result = export_case(rich_case(registry, "derby-cre-2020"), registry, tmp_path, identity)
    for doc in result.documents:
        fonts = fonts_of(doc.path)
        assert fonts and all(embedded for _name, embedded in fonts), (doc.path.name, fonts)


@pytest.mark.parametrize("name", ["王小明", "प्रिया"])
def test_a_name_the_font_cannot_draw_is_refused_with_the_field_named(
    registry: Registry, identity: Identity, tmp_path: Path, name: str
) -> None:
    data = full_case(registry, "derby-cse-2017")
    data["child"]["name"] = name
    with pytest.raises(CaseFileError) as refused:
        export_case(data, registry, tmp_path, identity)
    label = registry.get("derby-cse-2017").child_fields[0].label.rstrip(":")
    assert refused.value.field == "child.name" and label in str(refused.value)
    assert not list(tmp_path.glob("*.pdf"))


def test_the_signature_never_stands_alone_on_a_page(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    for toolkit in TOOLKITS:
        result = export_case(rich_case(registry, toolkit), registry, tmp_path / toolkit, identity)
        for doc in result.documents:
            (page,) = [t for t in pages(doc.path) if "Digitally signed by" in t]
            before = page.split("Signed by:")[0] if "Signed by:" in page else page
            assert len(before.split()) > 10, (doc.path.name, page[:200])


def test_typed_values_print_as_typed_and_only_date_fields_are_formatted(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "bedfordshire-cse")
    data["information_reports"] = [
        {
            "form": "csep_referral",
            "answers": {
                "unique_reference_number": "CAD-2026-11-30-0042",
                "area_residence": "Unit 2026-12-01",
                "child_young_person_dob": "2012-06-01",
                "date_time_form_completed": "2026-06-02T09:30",
            },
        }
    ]
    result = export_case(data, registry, tmp_path, identity)
    text = " ".join(pages(written(result, "information")))
    assert "CAD-2026-11-30-0042" in text and "Unit 2026-12-01" in text
    assert "CAD-30/11/2026" not in text and "01/12/2026" not in text
    assert "01/06/2012" in text and "02/06/2026 09:30" in text  # the date fields, UK style


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_every_pdf_has_a_language_a_displayed_title_and_bookmarks(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    result = export_case(rich_case(registry, toolkit), registry, tmp_path, identity)
    assert {d.kind for d in result.documents} >= {"assessment", "plans", "letter"}
    for doc in result.documents:
        reader = PdfReader(io.BytesIO(doc.path.read_bytes()))
        root = cast(Any, reader.trailer["/Root"])
        assert root["/Lang"] == "en-GB", doc.kind
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], doc.kind
        assert reader.metadata is not None and reader.metadata.title, doc.kind
        titles = [str(item.title) for item in reader.outline if not isinstance(item, list)]
        assert titles, doc.kind
        if doc.kind == "assessment":
            nested = [i for i in reader.outline if isinstance(i, list)]
            assert nested and len(nested[0]) >= 3  # the sections under the toolkit's title


def test_the_2020_actions_table_prints_each_cell_with_its_column(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cre-2020")
    data["analysis"]["immediate_actions"] = [
        {"action": "Fictional action", "responsible": "Fictional Team", "timescale": "A week"}
    ]
    text = text_of(written(export_case(data, registry, tmp_path, identity), "assessment")
                   .read_bytes())  # fmt: skip
    assert "Action: Fictional action" in text and "Responsible: Fictional Team" in text
    assert "Timescale: A week" in text and " | " not in text
