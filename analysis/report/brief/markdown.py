"""The brief as Markdown (CommonMark with pipe tables, as wikis read it).

Same :class:`~analysis.report.brief.model.Document` as the PDF and DOCX, so the same
text; a chart, which Markdown cannot hold, gives way to its numbers as a table (or to
nothing, where the text beside it already says it). The marking (when the case gives
one) is the first and the last line. Every string goes through :func:`md_escape`:
Markdown's metacharacters, HTML, a table's pipes and the start of an autolink
(``http://``, ``www.``, ``a@b``) print as written. The dashboard's Overview renders the
same blocks with its own escape (``escape=``), the one every dashboard page uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from analysis.report.brief import model as m

#: Punctuation that is Markdown syntax anywhere in a line: emphasis, code, links and
#: images, HTML and entities, table pipes, strike-through, math (CommonMark lets any
#: ASCII punctuation be backslash-escaped).
_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!$])")
#: Syntax at the start of a line: headings, lists, quotes, setext rules, numbered lists.
_LINE_START = re.compile(r"^([#+\-=>]|\d+(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: What GFM turns into a link by itself: ``scheme://``, ``www.`` and an e-mail's ``@``.
_AUTOLINK = re.compile(r"(:)(?=//)|(?<=www)(\.)|(@)", re.IGNORECASE)


def md_escape(text: object) -> str:
    """Text that prints literally in Markdown: one line, every metacharacter escaped
    (and a leading one that would start a list, heading or quote)."""
    flat = re.sub(r"\s+", " ", _CONTROL.sub("", str(text)))
    flat = _SPECIAL.sub(r"\\\1", flat)
    flat = _AUTOLINK.sub(lambda m: "\\" + m.group(), flat)
    match = _LINE_START.match(flat)
    if match is None:
        return flat
    if match.group(1)[0].isdigit():  # "1." -> "1\."
        end = match.end()
        return flat[:end] + "\\" + flat[end:]
    return "\\" + flat


Escape = Callable[[object], str]


def inline(runs: m.Line, escape: Escape = md_escape) -> str:
    out = []
    for run in runs:
        if run.colour:  # a colour swatch: nothing to see without colour
            continue
        raw = str(run.text)
        # emphasis markers must touch the text: keep the run's outer spaces outside
        left = " " if raw[:1].isspace() else ""
        right = " " if raw[-1:].isspace() else ""
        core = escape(raw).strip(" ")
        if not core:
            out.append(left or right)
            continue
        if run.bold:
            core = f"**{core}**"
        if run.italic:
            core = f"*{core}*"
        out.append(f"{left}{core}{right}")
    return "".join(out)


def _cell(c: m.Cell, escape: Escape) -> str:
    return " / ".join(inline(runs, escape) for runs in c.lines) or " "


def _table(block: m.Table, escape: Escape) -> list[str]:
    head = "| " + " | ".join(_cell(c, escape) for c in block.header) + " |"
    rule = "|" + "|".join("---:" if c.align == "right" else "---" for c in block.header) + "|"
    rows = ["| " + " | ".join(_cell(c, escape) for c in row) + " |" for row in block.rows]
    return [head, rule, *rows]


def block_lines(block: m.Block, escape: Escape = md_escape) -> list[str]:
    """One block as Markdown lines (no trailing blank line), every text through ``escape``."""
    if isinstance(block, m.Heading):
        return [f"{'#' * (block.level + 1)} {escape(block.text)}"]
    if isinstance(block, m.Para):
        return [inline(block.runs, escape)]
    if isinstance(block, m.Bullets):
        return [f"- {inline(item, escape)}" for item in block.items]
    if isinstance(block, m.Callout):
        out: list[str] = []
        for p in block.paragraphs:
            out += [f"> {inline(p.runs, escape)}", ">"]
        return out[:-1]
    if isinstance(block, m.Table):
        return _table(block, escape)
    if isinstance(block, m.PageBreak):
        return ["---"]
    if isinstance(block, m.Chart):  # no images in Markdown: the chart's numbers as text
        out = []
        for fallback in block.fallback:
            out += [*block_lines(fallback, escape), ""]
        return out[:-1]
    raise TypeError(f"not a brief block: {block!r}")


def render_markdown(doc: m.Document) -> str:
    """The whole document as Markdown text."""
    parts: list[str] = []
    if doc.marking:
        parts.append(f"**{md_escape(doc.marking)}**")
    for block in doc.blocks:
        lines = block_lines(block)
        if lines:
            parts.append("\n".join(lines))
    parts.append(f"*{md_escape(doc.footer)}*")
    if doc.marking:
        parts.append(f"**{md_escape(doc.marking)}**")
    return "\n\n".join(parts) + "\n"


def render_document(doc: m.Document) -> bytes:
    """The document as UTF-8 Markdown bytes (the renderer interface of ``output``)."""
    return render_markdown(doc).encode("utf-8")
