"""Names in Arabic and Hebrew script printed as they are read: letters joined, right to
left, in every document that prints the child's name; what the documents still cannot
print is refused with the character named. Names are fictional."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.export import export_case
from app.documents.fonts import first_unprintable
from app.documents.scripts import shape, visual
from app.documents.signing import Identity
from app.forms import Registry
from app.rules import CaseFileError
from tests.documents.test_content import pages
from tests.documents.test_documents import full_case

ARABIC = "سارة مثال"  # "Sara Mithal": a fictional name
HEBREW = "שרה דוגמה"  # "Sara Dugma": a fictional name


def typed(text: str) -> str:
    """Joined forms (presentation forms) back to the letters typed."""
    return unicodedata.normalize("NFKC", text)


def test_arabic_letters_are_joined_and_drawn_right_to_left() -> None:
    shaped = shape(ARABIC)
    # seen initial, alef final, reh isolated, teh marbuta isolated; meem initial, theh
    # medial, alef final, lam isolated: the forms a reader expects, not isolated letters
    assert shaped == "\ufeb3\ufe8e\ufead\ufe93 \ufee3\ufe9c\ufe8e\ufedd"
    assert typed(shaped) == ARABIC
    # Drawn left to right, the last word comes first and each word is reversed.
    assert visual(shaped) == "\ufedd\ufe8e\ufe9c\ufee3 \ufe93\ufead\ufe8e\ufeb3"
    assert visual(HEBREW) == HEBREW[::-1]
    assert shape("لا") == "\ufefb"  # lam-alef: the ligature Arabic requires


def test_mixed_lines_keep_english_order_and_mirror_brackets() -> None:
    line = "Seen with שרה (דוגמה) on 12 June"
    assert visual(line) == "Seen with (המגוד) הרש on 12 June"
    # a vowel mark is drawn just before its letter: DejaVu draws marks over the next glyph
    assert visual("לָה") == "הָל"


def test_a_long_right_to_left_answer_wraps_first_words_first() -> None:
    from app.documents.layout import p

    words = [f"كلمة{n}" for n in range(40)]  # "word0".."word39"
    para = p(" ".join(words))
    para.wrap(200, 1000)
    first_line = para.blPara.lines[0][1]
    assert typed(first_line[0]).startswith("كلمة0")  # broken in the order typed


@pytest.mark.parametrize(
    "toolkit", ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]
)
@pytest.mark.parametrize("name", [ARABIC, HEBREW])
def test_a_name_in_arabic_or_hebrew_prints_in_every_document(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str, name: str
) -> None:
    data = full_case(registry, toolkit)
    data["child"]["name"] = name
    report = data["information_reports"][0]["answers"]
    first = next(iter(report))
    report[first] = f"Fictional detail: seen with {name}"  # a name inside English text
    data["letter"]["perpetrator_name"] = name  # the letter's addressee, fictional too
    data["support_plan"] = {"rows": [{"outcome": f"Fictional outcome for {name}"}]}
    assert first_unprintable(registry.get(toolkit), data) is None
    result = export_case(data, registry, tmp_path, identity)
    assessment = next(d for d in result.documents if d.kind == "assessment")
    text = " ".join(pages(assessment.path))
    # pypdf reads right-to-left runs back in reading order: the name comes back as typed
    # only if it was drawn right to left; the joined forms normalise to the letters typed.
    assert name in typed(text)
    if name == ARABIC:
        assert "\ufeb3\ufe8e\ufead\ufe93" in text  # joined forms in the file itself
    for doc in result.documents:  # the child, the report's answer, the addressee
        assert name in typed(" ".join(pages(doc.path))), doc.path.name
    plans = next(d for d in result.documents if d.kind == "plans")
    outline = PdfReader(io.BytesIO(plans.path.read_bytes())).outline
    # a bookmark holds the letters as typed: the viewer joins and orders them itself
    assert f"Plans for {name}" in [getattr(item, "title", "") for item in outline]


@pytest.mark.parametrize(
    ("name", "character"),
    [
        ("प्रिया", "U+092A"),  # Devanagari: needs shaping the documents do not do
        ("ٱمينة", "U+0671"),  # Arabic alef wasla: no joined forms in the font
        ("ܫܪܐ", "U+072B"),  # Syriac
    ],
)
def test_what_still_cannot_print_is_refused_naming_the_character(
    registry: Registry, identity: Identity, tmp_path: Path, name: str, character: str
) -> None:
    data = full_case(registry, "derby-cse-2017")
    data["child"]["name"] = name
    with pytest.raises(CaseFileError) as refused:
        export_case(data, registry, tmp_path, identity)
    assert refused.value.field == "child.name"
    assert character in str(refused.value) and "Arabic and Hebrew" in str(refused.value)
    assert not list(tmp_path.glob("*.pdf"))
