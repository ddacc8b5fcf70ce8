"""Which characters the embedded font prints correctly, so nothing is printed as boxes.

DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew, Arabic (with the joined forms) and
many symbols; Arabic and Hebrew are joined and put right to left in `scripts.py`.
Chinese, Japanese and Korean are not in the font; Syriac, Thaana, N'Ko and the Indic,
Thai, Tibetan, Myanmar and Khmer scripts need shaping reportlab does not do here, so
they would print unjoined or in the wrong order. Such text is refused with a message
naming the field and the character, never printed wrongly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

from app.forms import Toolkit

# Scripts that need shaping or right-to-left layout that the documents do not do (Syriac,
# Thaana, N'Ko, Samaritan, Mandaic, Arabic Extended-B, Indic, Thai and Lao, Tibetan,
# Myanmar, Khmer). Hebrew and Arabic are done in `scripts.py`.
_SHAPED = (
    (0x0700, 0x074F),
    (0x0780, 0x089F),
    (0x0900, 0x0DFF),
    (0x0E00, 0x0EFF),
    (0x0F00, 0x0FFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
)
# Arabic letters (not marks, digits or punctuation): printed only when the joiner knows
# their joined forms and the font has every one of them, else they would print unjoined.
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))


@cache
def _covered() -> frozenset[int]:
    """The body font's characters, from the font the documents register (parsing the
    750 KB file once more cost ~50 ms of every export)."""
    from reportlab.pdfbase import pdfmetrics

    from app.documents.layout import FONT, register_fonts

    register_fonts()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def body_font_characters() -> frozenset[int]:
    """The code points the body font draws (for the Arabic joiner's ligatures)."""
    return _covered()


@cache
def _joinable() -> frozenset[int]:
    """Arabic letters whose every joined form the font has."""
    from arabic_reshaper.letters import LETTERS_ARABIC

    covered = _covered()
    return frozenset(
        ord(letter)
        for letter, forms in LETTERS_ARABIC.items()
        if all(ord(ch) in covered for form in forms for ch in form)
    )


def _arabic_letter(code: int) -> bool:
    return any(a <= code <= b for a, b in _ARABIC) and unicodedata.category(chr(code)) == "Lo"


@cache
def _printable() -> frozenset[str]:
    """Covered and needing no shaping we do not do: checked once, not per character of
    every answer."""
    from app.rules.safe import is_control

    joinable = _joinable()
    return frozenset(
        chr(code)
        for code in _covered()
        if not any(a <= code <= b for a, b in _SHAPED)
        and (not _arabic_letter(code) or code in joinable)
        and (not is_control(chr(code)) or chr(code) == "\u00ad")  # soft hyphens from Word
    ) | frozenset("\n\r\t")


def unprintable(text: str) -> str:
    """The characters of `text` the documents cannot print correctly (empty if none)."""
    printable = _printable()
    return "".join(ch for ch in dict.fromkeys(text) if ch not in printable)  # first-seen order


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _strings(inner, f"{path}[{n}]")


def _label(tk: Toolkit, path: str) -> str:
    from app.rules.casefile import label_for

    return label_for(tk, path) or path


def _shaped(ch: str) -> bool:
    code = ord(ch)
    return (
        any(a <= code <= b for a, b in _SHAPED) or _arabic_letter(code) or 0x2E80 <= code <= 0xD7FF
    )


def why_unprintable(bad: str) -> str:
    """What the characters are and why they cannot be printed, from what they actually
    are: a form feed is a control character, not "Chinese or Arabic"."""
    from app.rules.safe import describe_character, is_control

    named = ", ".join(describe_character(ch) for ch in bad[:5])
    if all(is_control(ch) or not ch.isprintable() for ch in bad):
        return (
            f"contains {named}: a control character, not text to print. Delete it (it often "
            "comes with text pasted from another program) and type the words again."
        )
    if any(_shaped(ch) for ch in bad):
        return (
            f"contains {named}, which the documents cannot print (the PDF font has no "
            "Chinese, Japanese or Korean characters, and the documents cannot join Indic, "
            "Thai, Syriac or Thaana script or these Arabic letters; Arabic and Hebrew "
            "otherwise print). Please also write it in Latin letters, e.g. the name as it "
            "is spelled on a passport, and use that for the documents."
        )
    return (
        f"contains {named}, which the PDF font does not have, so the documents cannot "
        "print it. Please write it with other characters."
    )


def first_unprintable(tk: Toolkit, data: Any) -> tuple[str, str] | None:
    """(field, message) for the first answer the documents would print as boxes."""
    for path, text in _strings(data, ""):
        bad = unprintable(text)
        if bad:
            return path, f"{_label(tk, path)} {why_unprintable(bad)}"
    return None
