"""The brief as Markdown (CommonMark with pipe tables, as wikis read it).

Same :class:`~analysis.report.brief.model.Document` as the PDF and DOCX, so the same
text; a chart, which Markdown cannot hold, gives way to its numbers as a table (or to
nothing, where the text beside it already says it). The marking (when the case gives
one) is the first and the last line. Every string goes through :func:`md_escape`:
Markdown's metacharacters, HTML, and a table's pipes print as written.
"""

from __future__ import annotations

import re

from analysis.report.brief import model as m

#: Punctuation that is Markdown syntax anywhere in a line: emphasis, code, links and
#: images, HTML and entities, table pipes, strike-through, math (CommonMark lets any
#: ASCII punctuation be backslash-escaped).
_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!$])")
#: Syntax at the start of a line: headings, lists, quotes, setext rules, numbered lists.
_LINE_START = re.compile(r"^([#+\-=>]|\d+(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_escape(text: object) -> str:
    """Text that prints literally in Markdown: one line, every metacharacter escaped
    (and a leading one that would start a list, heading or quote)."""
    flat = re.sub(r"\s+", " ", _CONTROL.sub("", str(text)))
    flat = _SPECIAL.sub(r"\\\1", flat)
    match = _LINE_START.match(flat)
    if match is None:
        return flat
    if match.group(1)[0].isdigit():  # "1." -> "1\."
        end = match.end()
        return flat[:end] + "\\" + flat[end:]
    return "\\" + flat


def inline(runs: m.Line) -> str:
    out = []
    for run in runs:
        if run.colour:  # a colour swatch: nothing to see without colour
            continue
        text = md_escape(run.text)
        if not text.strip():
            out.append(text)
            continue
        # emphasis markers must touch the text: keep the run's outer spaces outside
        core = text.strip(" ")
        left = " " if text.startswith(" ") else ""
        right = " " if text.endswith(" ") else ""
        if run.bold:
            core = f"**{core}**"
        if run.italic:
            core = f"*{core}*"
        out.append(f"{left}{core}{right}")
    return "".join(out)


def _cell(c: m.Cell) -> str:
    return " / ".join(inline(runs) for runs in c.lines) or " "


def _table(block: m.Table) -> list[str]:
    head = "| " + " | ".join(_cell(c) for c in block.header) + " |"
    rule = "|" + "|".join("---:" if c.align == "right" else "---" for c in block.header) + "|"
    rows = ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    return [head, rule, *rows]


def block_lines(block: m.Block) -> list[str]:
    """One block as Markdown lines (no trailing blank line)."""
    if isinstance(block, m.Heading):
        return [f"{'#' * (block.level + 1)} {md_escape(block.text)}"]
    if isinstance(block, m.Para):
        return [inline(block.runs)]
    if isinstance(block, m.Bullets):
        return [f"- {inline(item)}" for item in block.items]
    if isinstance(block, m.Callout):
        out: list[str] = []
        for p in block.paragraphs:
            out += [f"> {inline(p.runs)}", ">"]
        return out[:-1]
    if isinstance(block, m.Table):
        return _table(block)
    if isinstance(block, m.PageBreak):
        return ["---"]
    if isinstance(block, m.Chart):  # no images in Markdown: the chart's numbers as text
        out = []
        for fallback in block.fallback:
            out += [*block_lines(fallback), ""]
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
