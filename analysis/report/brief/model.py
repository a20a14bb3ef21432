"""The brief as plain structured text: one model that every format renders.

:mod:`analysis.report.brief.content` builds a :class:`Document` from an
:class:`~analysis.engine.analyzer.Analysis`; the PDF, DOCX and Markdown renderers and
the dashboard's Overview page only lay it out, so the formats cannot drift apart.

All text in the model is *plain*: no markup of any format. Each renderer escapes every
string it is given (user text and the brief's own words alike), so a label such as
``<b>x</b>`` or ``![x](http://...)`` prints as written everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Style = Literal["body", "small", "lead", "meta"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look. ``colour`` is an ink colour (#RRGGBB) for the
    formats that have colour (a hypothesis's swatch)."""

    text: str
    bold: bool = False
    italic: bool = False
    colour: str | None = None


#: A line of text: its runs in order.
Line = tuple[Run, ...]


def line(*parts: str | Run) -> Line:
    """A line from strings (plain runs) and runs."""
    return tuple(p if isinstance(p, Run) else Run(p) for p in parts if p != "")


def bold(text: str) -> Run:
    return Run(text, bold=True)


def italic(text: str) -> Run:
    return Run(text, italic=True)


def plain_text(runs: Iterable[Run]) -> str:
    """The text of some runs, without their looks (for tests and the PDF's metadata)."""
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 section, 2 subsection


@dataclass(frozen=True)
class Para:
    runs: Line
    style: Style = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Line, ...]


@dataclass(frozen=True)
class Callout:
    """Paragraphs set apart in a shaded box (the bottom line)."""

    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class Cell:
    """A table cell: one or more lines, an optional background tint (#RRGGBB)."""

    lines: tuple[Line, ...]
    tint: str | None = None
    align: Literal["left", "right"] = "left"


def cell(*parts: str | Run, tint: str | None = None, right: bool = False) -> Cell:
    """A one-line cell."""
    return Cell((line(*parts),), tint, "right" if right else "left")


@dataclass(frozen=True)
class Table:
    """A table: a header row, body rows, and ``foot`` trailing summary rows (shaded).

    ``widths`` are relative column widths (a renderer scales them to its page)."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    foot: int = 0
    small: bool = True


@dataclass(frozen=True)
class Chart:
    """A chart from :mod:`analysis.report.charts`; ``make`` builds the Altair object on
    demand (formats without images, such as Markdown, never call it, and show
    ``fallback``, the chart's numbers as text, instead). ``height`` is the largest share
    of a page the image may take."""

    make: Callable[[], Any]
    caption: str
    height: float = 1.0
    width: float = 1.0
    fallback: tuple[Block, ...] = ()


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (where the format has pages)."""


Block = Heading | Para | Bullets | Callout | Table | Chart | PageBreak


@dataclass(frozen=True)
class Document:
    """The whole brief. ``marking`` goes at the top and bottom of every page; ``footer``
    is the provenance line; ``page_one`` is the blocks of the first page, ``rest`` the
    supporting sections and the annex."""

    title: str
    subject: str
    marking: str | None
    footer: str
    page_one: tuple[Block, ...]
    rest: tuple[Block, ...] = field(default=())

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every block in reading order, with the break after page one."""
        return (*self.page_one, PageBreak(), *self.rest) if self.rest else self.page_one
