"""The page frame every document shares, and the font that renders every name.

Internal documents carry the toolkit's name and version, "Page x of y", the protective
marking OFFICIAL-SENSITIVE, the generated-on date and the document reference; a letter to
someone outside the partnership carries none of them (see `Frame`). DejaVu Sans is
embedded (TrueType subset) so names such as Zoë, Łukasz, Siobhán Ní Bhriain, Ŵyn or
Þórunn render and extract exactly.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import PTOContainer

from app.documents.scripts import base_direction, has_rtl, shape, unshape, visual
from app.resources import resource_path

MARKING = "OFFICIAL-SENSITIVE"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 18 * mm
NOTE_INDENT = 6 * mm


class MeasuredFont(TTFont):
    """A TrueType font that remembers the width of each word it has measured. Breaking a
    long document into lines measures the same words thousands of times, and reportlab
    sums each word's glyph widths in pure Python (about a sixth of a 20-page assessment)."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._widths: dict[tuple[str, float, str], float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        key = (text, size, encoding)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 100_000:  # bounded: a long-running app exports all day
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(MeasuredFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(MeasuredFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=6.5, leading=8),
        "longhead": ParagraphStyle(
            "longhead",
            parent=base,
            fontName=BOLD,
            fontSize=8.5,
            leading=10.5,
            backColor=colors.HexColor("#eef2f5"),
            borderPadding=3,
            spaceBefore=6,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5),
        "notehead": ParagraphStyle(
            "notehead",
            parent=base,
            fontName=BOLD,
            fontSize=8.5,
            leading=10.5,
            leftIndent=NOTE_INDENT,
            spaceBefore=4,
            spaceAfter=2,
        ),
        "note": ParagraphStyle("note", parent=base, leftIndent=NOTE_INDENT, spaceAfter=2),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            textColor=colors.HexColor("#1d4f6e"),
        ),
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            fontName=BOLD,
            fontSize=9,
            borderColor=colors.black,
            borderWidth=0.8,
            borderPadding=4,
            spaceBefore=6,
            spaceAfter=6,
        ),
    }


_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?\b")


def uk_dates(text: str) -> str:
    """An ISO date (or date and time) value the UK way: 2013-09-14 → 14/09/2013. Only for
    a date field's value: free text prints exactly as typed ("CAD-2026-11-30-0042")."""

    def swap(m: re.Match[str]) -> str:
        day = f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
        return f"{day} {m.group(4)}" if m.group(4) else day

    m = _ISO.fullmatch(text.strip())
    return swap(m) if m else text


def long_date(value: dt.date | str) -> str:
    """14 September 2013 (no leading zero), as a letter or a heading writes it."""
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


# An address the source text lost to e-mail obfuscation ("24/[email protected]"): printing
# it would send forms nowhere, so a document prints no address there rather than a broken one.
DAMAGED_ADDRESS = re.compile(r"\S*\[email(?:\s|\xa0)protected\]")
NO_ADDRESS = "(address not given here: confirm it locally)"


class BidiParagraph(Paragraph):
    """A paragraph with Arabic or Hebrew in it: its letters were joined before its lines
    were broken (`scripts.shape`), and each line is drawn in display order, right-to-left
    runs reversed (`scripts.visual`). Lines are measured, broken and split across pages
    in the order typed; only drawing sees the display order."""

    def drawPara(self, debug: int = 0) -> None:
        para = self.blPara
        lines = para.lines
        typed = " ".join(_line_text(line) for line in lines)
        base = base_direction(typed)
        para.lines = [_visual_line(line, base) for line in lines]
        try:
            super().drawPara(debug)
        finally:
            para.lines = lines


def _line_text(line: Any) -> str:
    if isinstance(line, tuple):  # a one-style paragraph: (extra space, words)
        return " ".join(line[1])
    return "".join(getattr(frag, "text", "") for frag in line.words)


def _visual_line(line: Any, base: str) -> Any:
    """The same line, its words in display order: widths are unchanged, as reordering
    keeps every character and space."""
    if isinstance(line, tuple):
        extra, words = line[0], line[1]
        return (extra, visual(" ".join(words), base).split(" "), *line[2:])
    shown = copy.copy(line)
    shown.words = []
    for frag in line.words:
        if getattr(frag, "text", ""):
            frag = frag.clone(text=visual(frag.text, base))
        shown.words.append(frag)
    return shown


def p(text: Any, style: str = "cell") -> Paragraph:
    """A paragraph of plain text, as typed: escaped, line breaks kept, never clipped in a
    cell. Dates are formatted by their fields (`content.show`), never by pattern here.
    Arabic and Hebrew are joined and drawn right to left (`BidiParagraph`)."""
    value = DAMAGED_ADDRESS.sub(NO_ADDRESS, "" if text is None else str(text))
    if has_rtl(value):
        return BidiParagraph(escape(shape(value)).replace("\n", "<br/>"), styles()[style])
    return Paragraph(escape(value).replace("\n", "<br/>"), styles()[style])


def drawn(text: str) -> str:
    """One line for the canvas (page headers and footers), joined and in display order."""
    return visual(shape(text)) if has_rtl(text) else text


def head_width(label: str, minimum: float = 14 * mm) -> float:
    """A column wide enough for its heading's longest word: headings never break mid-word."""
    register_fonts()
    longest = max((pdfmetrics.stringWidth(w, BOLD, 8.5) for w in label.split()), default=0)
    return max(minimum, longest + 8)


class Blank(Flowable):
    """An empty cell: nothing to wrap or draw (an empty Paragraph costs a markup parse,
    and a long assessment has over a hundred empty cells)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class KeepingTable(Table):
    """A table whose group titles (rows kept with the next by NOSPLIT) are never left
    alone at a page foot. reportlab honours NOSPLIT when it splits between rows, but when
    no split between rows is allowed it falls back to splitting inside a row, and then
    chooses the title row itself: the title fits whole (or in less than its padding), so
    it ends the page and its first row starts the next. Here that fallback splits the
    row after the title instead, when a line of it fits (a long answer still flows on
    under its title); otherwise nothing is split and the table starts on the next page,
    title first."""

    def _kept(self) -> set[int]:
        ranges = getattr(self, "_nosplitRanges", None) or {}  # none without NOSPLIT
        return {r[1] for r in ranges.values() if r and r[1] != r[3]}

    def _getFirstPossibleSplitRowPosition(self, availHeight: float, ignoreSpans: int = 0) -> int:
        n: int = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        if (
            ignoreSpans
            and n in self._kept()
            and n + 1 < len(self._rowHeights)
            and sum(self._rowHeights[: n + 1]) + ROW_LINE <= availHeight
        ):
            return n + 1  # split the title's first row, the title above it
        return n

    def _splitRows(self, availHeight: float, doInRowSplit: int = 0) -> list[Any]:
        if doInRowSplit:
            n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
            if n in self._kept():
                return []  # never split inside a title row
        parts: list[Any] = super()._splitRows(availHeight, doInRowSplit)
        return parts


ROW_LINE = 18  # points: one line of a cell with its padding


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    header_rows: int = 1,
    keep_with_next: Sequence[int] = (),
) -> Table:
    """`keep_with_next`: rows (a group's title) never left alone at the foot of a page."""
    cells = [[(p(c) if c else Blank()) if isinstance(c, str) else c for c in row] for row in rows]
    # splitInRow: a row taller than the room left (a 50,000-character answer) is split
    # across pages instead of raising LayoutError; header rows repeat on every page.
    t = KeepingTable(cells, colWidths=list(widths), repeatRows=header_rows, splitInRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#7a7a7a")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # else cells set the unembedded Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#dfe8ee")))
    style += [("NOSPLIT", (0, r), (-1, r + 1)) for r in keep_with_next if r + 1 < len(rows)]
    t.setStyle(TableStyle(style))
    return t


NOTE_ROOM = 25 * mm  # under a row whose note follows: the note's heading and first lines


class RowsBeforeNote(Flowable):
    """Table rows the last of which has a long note printed below it (a note inside a cell
    made the table split on it page after page, and reportlab wraps every remaining cell
    again at each split; below the row it is wrapped once). The last row never ends a page
    without room under it for the note to begin: it moves to the next page instead, under
    the repeated column headings, so a row and its note are read together."""

    def __init__(self, rows: Table) -> None:
        super().__init__()
        self.rows = rows
        self.hAlign = rows.hAlign  # placed where the table itself would be

    def _at_top(self) -> bool:
        return bool(getattr(getattr(self, "_frame", None), "_atTop", False))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.rows.wrap(avail_width, avail_height)
        if self.height <= avail_height < self.height + NOTE_ROOM and not self._at_top():
            return self.width, avail_height + 1  # too little room for the note: split
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.height > avail_height or self._at_top():
            parts = self.rows.split(avail_width, avail_height)
        else:  # it fits, but the note would not start under it: only whole rows move
            in_row, self.rows.splitInRow = self.rows.splitInRow, 0
            try:
                parts = self.rows.split(avail_width, avail_height - NOTE_ROOM)
            finally:
                self.rows.splitInRow = in_row
        if len(parts) < 2:
            return list(parts)
        return [parts[0], RowsBeforeNote(parts[1])]

    def draw(self) -> None:
        self.rows.drawOn(self.canv, 0, 0)


def note_below(heading: str, text: str) -> list[Flowable]:
    """A long note printed under its table row, indented and headed with what it is about,
    so it reads as attached to that row even when it runs onto the next page. The heading
    starts the next page rather than stand at the foot of one with no room for the note
    (keepWithNext would move a whole long paragraph, leaving a gap)."""
    return [
        CondPageBreak(NOTE_ROOM),
        p(heading, "notehead"),
        continued(flow(text, "note"), f"{heading} (continued)", "notehead"),
        Spacer(1, 2 * mm),
    ]


def continued(body: list[Flowable], heading: str, style: str) -> Flowable:
    """Paragraphs that, when they run onto another page, start it with their heading
    marked "(continued)": a reader turning to the page knows whose words they are."""
    return _Continued(body, header=[p(heading, style)])


class _Continued(PTOContainer):
    """reportlab's PTOContainer measures all of its content at every page it is offered,
    which made a long answer's cost grow with the square of its length; measuring stops
    here once the content no longer fits the room offered (all the frame needs to know)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        height = 0.0
        for flowable in self._content:
            _, h = flowable.wrapOn(self.canv, avail_width, 0xFFFFFFF)
            height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
            if height > avail_height:
                self.width, self.height = avail_width, height
                return self.width, self.height
        return super().wrap(avail_width, avail_height)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = list(super().split(avail_width, avail_height))
        if parts and type(parts[-1]) is PTOContainer:
            parts[-1].__class__ = _Continued  # the rest keeps measuring cheaply
        return parts


PIECE = 2000  # characters: reportlab re-wraps a paragraph's rest at every page it spills
WORD_PIECE = 200


def pieces(line: str, size: int = PIECE) -> list[str]:
    """A line cut into pieces of at most `size` characters, at a space where there is one
    in the second half of the piece, else (one enormous word) after WORD_PIECE characters,
    about two lines (reportlab breaks a long word letter by letter). reportlab wraps
    what is left of a paragraph again at every page break and pops words from the front of
    a list, so one 200 KB paragraph cost seconds per page: pieces keep export linear."""
    out = []
    while len(line) > size:
        cut = line.rfind(" ", size // 2, size)
        cut = WORD_PIECE if cut < 0 else cut + 1
        out.append(line[:cut])
        line = line[cut:]
    return [*out, line]


@cache
def _joined(style: str) -> ParagraphStyle:
    """The style of a piece that the next piece continues: no space after it."""
    return ParagraphStyle(f"{style}-joined", parent=styles()[style], spaceAfter=0)


def flow(text: str, style: str) -> list[Flowable]:
    """Long text as paragraphs, one per line of it, each line in linear-cost pieces."""
    out: list[Flowable] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        parts = pieces(line)
        for part in parts[:-1]:
            para = p(part, style)
            para.style = _joined(style)
            out.append(para)
        out.append(p(parts[-1], style))
    return out


LONG = 1500  # characters: a longer answer is printed full width, outside the table


def field_rows(pairs: Sequence[tuple[str, Any]], width: float) -> list[Flowable]:
    """Label | answer rows. A long answer (an "Analysis of Above Information" can run to
    many pages) is printed full width under its label so it flows page after page."""
    out: list[Flowable] = []
    rows: list[list[Any]] = []
    for label, value in pairs:
        text = "" if value is None else str(value)
        if len(text) <= LONG:
            rows.append([p(label, "head"), text])  # table() makes the paragraph
            continue
        if rows:
            out.append(table(rows, [width * 0.38, width * 0.62], header_rows=0))
            rows = []
        out.append(CondPageBreak(30 * mm))  # a label never stands alone at a page foot
        out.append(p(label, "longhead"))
        out.append(continued(flow(text, "body"), f"{label} (continued)", "longhead"))
        out.append(Spacer(1, 2 * mm))
    if rows:
        out.append(table(rows, [width * 0.38, width * 0.62], header_rows=0))
    return out


@dataclass(frozen=True)
class Frame:
    """What every page of one document prints around its content, and its PDF metadata.

    A letter to a recipient outside the partnership has no marking, no header lines and
    no footer line (`marking=None`, empty `header`, empty `footer`): only "Page x of y".
    """

    header: tuple[str, ...]
    footer: str
    title: str
    subject: str = ""
    author: str = ""
    marking: str | None = MARKING
    draft: bool = False


def _fit(text: str, width: float, size: float = 7.5) -> str:
    """Shorten a header line with an ellipsis so it never runs off the page (cut at the
    end of what was typed, then put in display order)."""
    if pdfmetrics.stringWidth(drawn(text), FONT, size) <= width:
        return drawn(text)
    while text and pdfmetrics.stringWidth(drawn(text + "…"), FONT, size) > width:
        text = text[:-1]
    return drawn(text.rstrip() + "…")


def _numbered_canvas(frame: Frame, headings: list[tuple[str, int, int]]) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):
        """Two passes: pages are kept until the end so "of y" is known. As each page is
        written its headings are bookmarked: the first steps to an accessible PDF are the
        document's language (the doc's `lang`), its title shown in the viewer's title bar
        instead of the file name, and bookmarks for its headings, all written here rather
        than by rewriting the finished file (which took a sixth of the rendering)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = FONT  # never reference the unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            marked = 0
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self._decorate(number, total)
                for text, level, page in headings:
                    if page != number - 1:
                        continue
                    marked += 1
                    key = f"heading-{marked}"
                    self.bookmarkPage(key)  # the whole page, as a viewer's "fit page"
                    # the first heading stands at the top level, whatever its own
                    self.addOutlineEntry(text, key, level=level if marked > 1 else 0)
                super().showPage()
            self.setViewerPreference("DisplayDocTitle", "true")
            if marked:
                self.showOutline()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = A4
            room = width - 2 * MARGIN
            if frame.draft:
                _watermark(self, width, height)
            if frame.marking:
                self.setFont(BOLD, 9)
                self.drawCentredString(width / 2, height - 10 * mm, frame.marking)
                self.drawCentredString(width / 2, 8 * mm, frame.marking)
            self.setFont(FONT, 7.5)
            for n, line in enumerate(frame.header):
                self.drawString(MARGIN, height - (14 + 3 * n) * mm, _fit(line, room))
            if frame.footer:
                self.drawString(MARGIN, 12.5 * mm, _fit(frame.footer, room - 25 * mm))
            self.drawRightString(width - MARGIN, 12.5 * mm, f"Page {number} of {total}")

    return NumberedCanvas


def _watermark(canvas: rl_canvas.Canvas, width: float, height: float) -> None:
    """DRAFT across the page and in a banner: a draft can never pass as the final document."""
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#b00020"))
    canvas.setFont(BOLD, 9)
    canvas.drawRightString(width - MARGIN, height - 10 * mm, "DRAFT: NOT COMPLETED")
    canvas.setFillAlpha(0.13)
    canvas.setFont(BOLD, 110)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()


def _headings_start_low_pages(story: list[Any]) -> list[Any]:
    """A heading never stands at the foot of a page: with less than 35 mm left it starts
    the next one. (keepWithNext would move a whole long table, leaving a gap.)"""
    out: list[Any] = []
    for flowable in story:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            out.append(CondPageBreak(35 * mm))
        out.append(flowable)
    return out


LANG = "en-GB"


class _OutlinedDoc(SimpleDocTemplate):
    """Notes where each heading lands, for the bookmarks (a heading that flows on to a
    second page, or repeats as "(continued)", is bookmarked once, where it starts)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headings: list[tuple[str, int, int]] = []

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            text = unshape(" ".join(flowable.getPlainText().split()))
            if text and text not in {t for t, _level, _page in self.headings}:
                level = 0 if flowable.style.name == "h1" else 1
                self.headings.append((text, level, self.page - 1))


def render(frame: Frame, story: list[Any]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = _OutlinedDoc(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=(19 + 3 * len(frame.header)) * mm if frame.header else 16 * mm,
        bottomMargin=20 * mm,
        title=frame.title,
        author=frame.author,
        subject=frame.subject,
        creator="",
        producer="",
        keywords="",
        lang=LANG,
    )
    doc.build(_headings_start_low_pages(story), canvasmaker=_numbered_canvas(frame, doc.headings))
    return buffer.getvalue()


def content_width() -> float:
    return A4[0] - 2 * MARGIN


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)
