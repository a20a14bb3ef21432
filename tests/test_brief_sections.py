"""The brief's sections that appear when the case supports them: "Key assumptions" (when
the case states assumptions) and "Where analysts disagree" (when judgment files exist),
the same text in PDF, DOCX and Markdown, user text printed literally."""

from __future__ import annotations

import pytest
from test_brief import _text, markdown_html

from analysis.case import Assumption
from analysis.engine.analyzer import analyze
from analysis.report.brief import model as m
from analysis.report.brief.document import brief_document
from analysis.report.brief.output import render
from analysis.testing.synthetic import make_case

FORMATS = (".pdf", ".docx", ".md")
HOSTILE = "The <b>rounds</b> & *copies* | [x](http://e.x) are real"


def _with_assumptions():
    """h0 leads on e0 alone (a linchpin assumption rests on it); e1 barely matters."""
    case = make_case(
        [[0.9, 0.2, 0.3], [0.5, 0.45, 0.5], [0.4, 0.5, 0.45]],
        credibility=[0.9, 0.8, 0.8],
        events=[[0.9, 0.1, 0.2]],
        item_events=[0, None, None],
    )
    return case.with_changes(
        assumptions=(
            Assumption("small", "The second report is honest", ("e1",), "It could be spin."),
            Assumption("big", HOSTILE, ("ev0",), "Copies <i>look</i> the same."),
        )
    )


def _section(doc: m.Document, title: str) -> list[m.Block]:
    """The blocks from heading ``title`` to the next heading of its level or higher."""
    blocks = list(doc.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, m.Heading) and b.text == title)
    level = blocks[start].level
    end = next(
        (
            i
            for i in range(start + 1, len(blocks))
            if isinstance(blocks[i], m.Heading | m.PageBreak)
            and (isinstance(blocks[i], m.PageBreak) or blocks[i].level <= level)
        ),
        len(blocks),
    )
    return blocks[start:end]


def _plain(blocks: list[m.Block]) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, m.Para):
            out.append(m.plain_text(b.runs))
        elif isinstance(b, m.Bullets):
            out += [m.plain_text(item) for item in b.items]
    return [" ".join(t.split()) for t in out]


# -- key assumptions -------------------------------------------------------------------------


def test_key_assumptions_say_what_fails_linchpins_first():
    analysis = analyze(_with_assumptions())
    assert [a.linchpin for a in analysis.assumptions] == [False, True]
    lines = _plain(_section(brief_document(analysis), "Key assumptions"))
    big, small = lines[1], lines[2]  # the linchpin first, whatever the file order
    fails = analysis.assumptions[1]
    new = analysis.case.hypotheses[fails.leader_if_fails].label
    assert big.startswith(HOSTILE + ". A linchpin: if it fails, " + new + " would take the lead")
    assert "1 report rests on it." in big and big.endswith("Copies <i>look</i> the same.")
    assert small.startswith("The second report is honest. If it fails, Hypothesis 0 would stay")
    assert "ev0" not in " ".join(lines) and "dB" not in " ".join(lines)  # ids in the annex


def test_key_assumptions_in_the_annex_name_the_ids():
    doc = brief_document(analyze(_with_assumptions()))
    table = next(b for b in _section(doc, "Key assumptions in detail") if isinstance(b, m.Table))
    first = [m.plain_text(c.lines[0]) for c in table.rows[0]]
    assert first[0] == f"big: {HOSTILE}" and first[1] == "ev0" and first[2].endswith("[linchpin]")


def test_no_assumptions_no_section():
    doc = brief_document(analyze(make_case([[0.8, 0.3], [0.4, 0.6]])))
    headings = [b.text for b in doc.blocks if isinstance(b, m.Heading)]
    assert "Key assumptions" not in headings and "Key assumptions in detail" not in headings


def test_no_linchpin_is_said():
    case = _with_assumptions()
    case = case.with_changes(assumptions=case.assumptions[:1])
    lines = _plain(_section(brief_document(analyze(case)), "Key assumptions"))
    said = "None of these is a linchpin: if any one fails, Hypothesis 0 still leads."
    assert lines[0].endswith(said)


@pytest.mark.parametrize("fmt", FORMATS)
def test_key_assumptions_in_every_format_literally(fmt):
    analysis = analyze(_with_assumptions())
    data = render(analysis, fmt)
    text = _text(data, fmt)
    for sentence in _plain(_section(brief_document(analysis), "Key assumptions")):
        assert sentence in text, (fmt, sentence)
    assert HOSTILE in text and "Copies <i>look</i> the same." in text
    if fmt == ".md":
        html = markdown_html(data)
        assert "<a " not in html and "<b>rounds" not in html and "<i>look" not in html
