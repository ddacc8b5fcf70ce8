"""Arabic and Hebrew printed as they are read: letters joined, right to left.

reportlab draws characters one after another, left to right, in the order it is given
them, and its own right-to-left support needs a library (rlbidi) that is not published
on PyPI. So text in these scripts is prepared here before reportlab sees it:

- `shape`: Arabic letters become their joined forms (initial, medial, final, and the
  lam-alef ligatures), the Unicode presentation forms the embedded DejaVu Sans draws
  (arabic-reshaper). Done before lines are broken, because joined forms have other widths.
- `visual`: one line put in display order with the Unicode Bidirectional Algorithm
  (python-bidi gives each character's embedding level; the reordering of rule L2 and
  the mirroring of brackets in a right-to-left run, rule L4, are done here, as that
  library's own reordering does not mirror). Done after lines are broken, line by line,
  as the algorithm requires: a long Arabic answer wraps with its first words on the
  first line. A vowel mark is drawn just before its letter, as DejaVu Sans draws its
  Arabic and Hebrew marks (no advance) over the glyph that follows.

A PDF holds the glyphs in display order and in presentation forms; pypdf reads
right-to-left runs back in reading order, and NFKC turns the forms back into the
letters typed (as the tests do).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

# Hebrew, Arabic, Arabic Supplement and Extended-A, and their presentation forms: the
# right-to-left letters the documents can print (anything else there is refused in
# fonts.py by the character's name).
RTL_TEXT = re.compile("[\u0590-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_PRESENTATION = re.compile("[\ufb1d-\ufdff\ufe70-\ufefc]+")

# Rule L4's pairs that the body font has: a bracket in a right-to-left run is drawn as
# its mirror image, so "(مثال)" opens on the right.
_MIRROR = {
    **dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True)),
    "≤": "≥",
    "≥": "≤",
    "⁅": "⁆",
    "⁆": "⁅",
}


def has_rtl(text: str) -> bool:
    return RTL_TEXT.search(text) is not None


@cache
def _reshaper() -> Any:
    """Joined forms, keeping vowel marks (the library's default deletes them), and only
    the ligatures the body font has a glyph for (lam-alef is the one Arabic requires)."""
    import arabic_reshaper
    from arabic_reshaper.ligatures import LIGATURES

    from app.documents.fonts import body_font_characters

    have = body_font_characters()
    config: dict[str, object] = {"delete_harakat": False, "support_ligatures": True}
    for name, (_match, forms) in LIGATURES:
        config[name] = all(ord(f) in have for form in forms if form for f in form)
    return arabic_reshaper.ArabicReshaper(configuration=config)


def shape(text: str) -> str:
    """Arabic letters in their joined forms (other text unchanged); logical order kept."""
    if not _ARABIC.search(text):
        return text
    return "\n".join(str(_reshaper().reshape(line)) for line in text.split("\n"))


def _levels(line: str, base: str | None) -> list[int] | None:
    """Each character's embedding level (rules P to I of the algorithm), read from
    python-bidi's debug result, which gives one level per UTF-8 byte."""
    from bidi import get_display

    report = str(get_display(line, base_dir=base, debug=True))
    section = report.split("levels: [", 1)[-1].split("]", 1)[0]
    per_byte = [int(n) for n in re.findall(r"Level\(\s*(\d+)\s*,?\s*\)", section)]
    levels, at = [], 0
    for ch in line:
        if at >= len(per_byte):
            return None
        levels.append(per_byte[at])
        at += len(ch.encode("utf-8"))
    return levels if at == len(per_byte) else None


def base_direction(text: str) -> str:
    """The base direction: R when the first letter is a right-to-left one, else L (P2, P3)."""
    from bidi import get_base_level

    return "R" if has_rtl(text) and get_base_level(text) == 1 else "L"


def visual(line: str, base: str | None = None) -> str:
    """One line in the order it is drawn, left to right (rules L1 to L4)."""
    if not has_rtl(line):
        return line
    base = base or base_direction(line)
    levels = _levels(line, base)
    if levels is None:  # an unexpected report: the library's own reordering instead
        from bidi import get_display

        return str(get_display(line, base_dir=base))
    paragraph = 1 if base == "R" else 0
    for n in range(len(line) - 1, -1, -1):  # L1: trailing spaces at the paragraph level
        if not line[n].isspace():
            break
        levels[n] = paragraph
    # Character by character, so a vowel mark ends up before its letter: DejaVu Sans
    # draws its Arabic and Hebrew marks (no advance) over the glyph drawn next.
    chars = list(zip(levels, line, strict=True))
    top = max(level for level, _ in chars)
    lowest_odd = min((level for level, _ in chars if level % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # L2
        n = 0
        while n < len(chars):
            if chars[n][0] < level:
                n += 1
                continue
            end = n
            while end < len(chars) and chars[end][0] >= level:
                end += 1
            chars[n:end] = chars[n:end][::-1]
            n = end
    return "".join(_MIRROR.get(text, text) if level % 2 else text for level, text in chars)  # L4


def unshape(text: str) -> str:
    """Joined forms back to the letters as typed (logical order is kept by `shape`): a
    bookmark's title is shown by the viewer, which joins and orders it itself."""
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
