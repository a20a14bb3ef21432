"""Right-to-left text in the PDF brief: Arabic and Hebrew in their reading order.

reportlab lays text out left to right in the order it is stored, so a Hebrew or Arabic
name printed backwards, and Arabic printed as isolated letters. Here a paragraph that
holds right-to-left letters is reshaped (``arabic_reshaper``: each Arabic letter in its
joined form) and reordered line by line (``python-bidi``, the Unicode bidirectional
algorithm). Lines are broken in reading order first, at the width the layout gives, and
only then reordered, so a right-to-left passage that wraps reads from its first line
down. A paragraph with Latin letters keeps a left-to-right base (an English brief
quoting a name); one with none is set right to left and aligned right.

Inline formatting (bold, italics, colour) is kept: each stretch of text between two
tags is reordered on its own, so a right-to-left passage that crosses a change of
format keeps its parts in stored order. (reportlab's own right-to-left support needs
``rlbidi``, which PyPI does not serve; its HarfBuzz shaping alone left the words of a
right-to-left passage in stored order, and turned on discretionary ligatures in
English text.)
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from html import unescape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from analysis.report.brief.pdf_style import esc

#: Unicode bidirectional classes of right-to-left letters (Hebrew, Arabic, Syriac...).
_RIGHT_TO_LEFT = frozenset({"R", "AL"})
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG_NAME = re.compile(r"<\s*(\w+)")
#: The isolate marks (first strong isolate, pop directional isolate) and the brackets a
#: right-to-left passage shows mirrored.
_FSI, _PDI = "\u2068", "\u2069"
_OPENING, _CLOSING = "([{<«‹", ")]}>»›"
_MIRROR = str.maketrans(_OPENING + _CLOSING, _CLOSING + _OPENING)
#: Lines are filled to this share of the width the layout offers, so that reportlab,
#: measuring the same text, never breaks one of them again.
_FILL = 0.98


def _is_right_to_left(char: str) -> bool:
    return ord(char) >= 0x0590 and unicodedata.bidirectional(char) in _RIGHT_TO_LEFT


def needs_bidi(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter."""
    return any(_is_right_to_left(c) for c in text)


def _has_left_to_right(text: str) -> bool:
    return any(unicodedata.bidirectional(c) == "L" for c in text)


def _base(markup: str) -> str:
    """The base direction of a paragraph of ``markup``: "L" if its text has a Latin or
    other left-to-right letter, else "R"."""
    return "L" if _has_left_to_right(unescape(_TAG.sub("", markup))) else "R"


@cache
def _reshaper():
    import arabic_reshaper

    # the vowel marks (harakat) are part of the text: the default drops them
    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def _shaped(text: str) -> str:
    return _reshaper().reshape(text)


def _isolated(text: str) -> str:
    """``text`` with each right-to-left stretch (from a right-to-left letter to the last
    one before the next left-to-right letter: the words, spaces, digits and marks of one
    Arabic or Hebrew passage) between the isolate marks FSI and PDI, so that neither a
    number nor a mark beside it joins it ("for <name>; 37% of" printed "for 37 ;<name>%
    of")."""
    out, i, n = [], 0, len(text)
    while i < n:
        if not _is_right_to_left(text[i]):
            out.append(text[i])
            i += 1
            continue
        last = j = i
        while j < n and unicodedata.bidirectional(text[j]) != "L":
            if _is_right_to_left(text[j]):
                last = j
            j += 1
        # the brackets the passage opens close inside it: "(name [note])" stays whole
        opened = sum(text[i : last + 1].count(c) for c in _OPENING)
        opened -= sum(text[i : last + 1].count(c) for c in _CLOSING)
        while opened > 0 and last + 1 < n and text[last + 1] in _CLOSING:
            last, opened = last + 1, opened - 1
        out.append(_FSI + text[i : last + 1] + _PDI)
        i = last + 1
    return "".join(out)


def _mirrored(shown: str, whole: bool) -> str:
    """``shown`` (visual order) with the brackets of its right-to-left passages mirrored
    (the bidi library reorders them but leaves "(" as "("), the isolate marks removed;
    ``whole``: the line is right to left throughout."""
    if whole:
        return _marks_after(shown.translate(_MIRROR).replace(_FSI, "").replace(_PDI, ""))
    parts = re.split(f"({_FSI}[^{_PDI}]*{_PDI})", shown)
    return "".join(
        _marks_after(p[1:-1].translate(_MIRROR)) if p.startswith(_FSI) else p for p in parts
    )


def _marks_after(shown: str) -> str:
    """A right-to-left passage in visual order with each vowel mark moved back after its
    letter: reversed, a mark came before it, and a font's marks sit over the glyph drawn
    before them."""
    out: list[str] = []
    marks: list[str] = []
    for char in shown:
        if unicodedata.combining(char):
            marks.append(char)
        else:
            out += [char, *marks]
            marks = []
    return "".join(out + marks)


def visual(text: str, base: str | None = None) -> str:
    """One line of ``text`` as it prints: reshaped and in visual order, brackets mirrored
    (``base``: "L" or "R"; by default "L" if the text has a Latin or other
    left-to-right letter). On a left-to-right line each right-to-left passage is
    isolated (:func:`_isolated`)."""
    if not needs_bidi(text):
        return text
    from bidi import get_display

    base = base or ("L" if _has_left_to_right(text) else "R")
    marked = _isolated(text) if base == "L" else text
    return _mirrored(get_display(_shaped(marked), base_dir=base), whole=base == "R")


def _font(style: ParagraphStyle, bold: bool, italic: bool) -> str:
    from reportlab.lib.fonts import tt2ps

    return tt2ps(style.fontName, int(bold), int(italic))


def visual_markup(markup: str, style: ParagraphStyle, width: float, base: str | None = None) -> str:
    """``markup`` (escaped text and reportlab's inline tags) as lines no wider than
    ``width``, broken in reading order at spaces (each word measured in the font its
    tags set; a word wider than the line cut into pieces, :func:`_pieces`), then each
    stretch of text between tags reordered by :func:`visual` (``base``: the paragraph's
    direction, :func:`_base` by default). The tags open at a line's end are closed
    there and opened again on the next line, so every line keeps its formatting."""
    base = base or _base(markup)
    space = stringWidth(" ", style.fontName, style.fontSize)
    stack: list[str] = []  # the tags open at this point
    lines: list[tuple[list[str], list[tuple[str, str]]]] = [([], [])]
    used = 0.0
    for token in re.split(r"(<[^>]*>)", markup):
        if not token:
            continue
        if _BREAK.fullmatch(token):
            lines.append((list(stack), []))
            used = 0.0
            continue
        if token.startswith("<"):
            if not token.startswith("</"):
                stack.append(token)
            elif stack:
                stack.pop()
            lines[-1][1].append(("tag", token))
            continue
        bold = any(t.startswith("<b") for t in stack)
        font = _font(style, bold, any(t.startswith("<i") for t in stack))
        for k, whole in enumerate(unescape(token).split(" ")):
            for m, word in enumerate(_pieces(whole, font, style.fontSize, width)):
                gap = space if k and not m else 0.0
                wide = stringWidth(_shaped(word), font, style.fontSize)
                if used and (m or (k and used + gap + wide > width)):
                    lines.append((list(stack), []))
                    used, gap = 0.0, 0.0
                lines[-1][1].append(("text", (" " if gap else "") + word))
                used += gap + wide
    return "<br/>".join(_line_markup(opened, items, base) for opened, items in lines)


def _pieces(word: str, font: str, size: float, width: float) -> list[str]:
    """``word`` as it fits the line: whole, or cut in reading order into pieces no wider
    than ``width`` (reportlab, cutting a word too long for its line after the reordering,
    put a long right-to-left word's end on its first line)."""
    if stringWidth(_shaped(word), font, size) <= width or len(word) < 2:
        return [word]
    pieces, piece = [], ""
    for char in word:
        if piece and stringWidth(_shaped(piece + char), font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def _line_markup(opened: list[str], items: list[tuple[str, str]], base: str) -> str:
    """One line: the tags open at its start opened again, each stretch of text between
    tags in visual order, and the tags still open closed at its end."""
    parts, stack, text = list(opened), list(opened), ""
    for kind, value in items:
        if kind == "text":
            text += value
            continue
        parts += [esc(visual(text, base)), value]
        text = ""
        if not value.startswith("</"):
            stack.append(value)
        elif stack:
            stack.pop()
    parts.append(esc(visual(text, base)))
    names = [_TAG_NAME.match(tag) for tag in reversed(stack)]
    parts += [f"</{name.group(1)}>" for name in names if name]
    return "".join(parts)


@cache
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


class BidiParagraph(Flowable):
    """A Paragraph of markup that holds right-to-left letters (see the module's note):
    its lines are laid out at the width the layout offers, then reordered."""

    def __init__(self, markup: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.markup = markup
        self.base = _base(markup)
        self.style = style if self.base == "L" else _right_aligned(style)
        self._laid: tuple[float, Paragraph] | None = None

    def _paragraph(self, width: float) -> Paragraph:
        if self._laid is None or self._laid[0] != width:
            text = visual_markup(self.markup, self.style, width * _FILL, self.base)
            self._laid = (width, Paragraph(text, self.style))
        return self._laid[1]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self._paragraph(available_width).wrap(
            available_width, available_height
        )
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return self._paragraph(available_width).split(available_width, available_height)

    def draw(self) -> None:
        if self._laid is None:
            raise RuntimeError("a BidiParagraph is drawn after it is wrapped")
        self._laid[1].drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter


def para(markup: str, style: ParagraphStyle) -> Flowable:
    """The brief's paragraph of ``markup`` (already escaped) in ``style``: a reportlab
    Paragraph, or a :class:`BidiParagraph` if the text holds right-to-left letters."""
    return BidiParagraph(markup, style) if needs_bidi(markup) else Paragraph(markup, style)
