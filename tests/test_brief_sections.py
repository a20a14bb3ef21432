"""The brief's sections that appear when the case supports them: "Key assumptions" (when
the case states assumptions) and "Where analysts disagree" (when judgment files exist),
the same text in PDF, DOCX and Markdown, user text printed literally."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import TOY_HYPOTHESES, write_case
from test_analysts_cli import EVIDENCE, KIM, LEE
from test_brief import _text, markdown_html
from typer.testing import CliRunner

from analysis.case import Assumption, Prob
from analysis.casefile.judgments import Judgments
from analysis.cli import app
from analysis.engine.analyzer import analyze
from analysis.engine.pooling import analyse_panel
from analysis.report.brief import model as m
from analysis.report.brief.analysts import that_matter
from analysis.report.brief.content import gist
from analysis.report.brief.document import brief_document
from analysis.report.brief.output import render
from analysis.testing.synthetic import make_case

FORMATS = (".pdf", ".docx", ".md")
HOSTILE = "The <b>rounds</b> & *copies* | [x](http://e.x) are real"
runner = CliRunner()
EVENTS = make_case(
    [[0.8, 0.3, 0.1], [0.5, 0.6, 0.2], [0.2, 0.2, 0.9]],
    credibility=[0.9, 0.7, 0.5],
    events=[[0.9, 0.5, 0.1]],
    item_events=[None, 0, 0],
)


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
            out += [m.plain_text(r for r in item if not r.colour) for item in b.items]
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


# -- where analysts disagree -----------------------------------------------------------------
CASE = make_case([[0.8, 0.3, 0.2], [0.4, 0.7, 0.5]], credibility=[0.8, 0.7])
NOTE = "Trusts <b>nobody</b> | *ever*"


def _doc(case, judgments: dict, pool: str = "linear") -> m.Document:
    panel = analyse_panel(case, judgments, pool)
    return brief_document(analyze(case), panel=panel)


def _headings(doc: m.Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, m.Heading)]


def test_no_judgment_files_no_section():
    for doc in (brief_document(analyze(CASE)), _doc(CASE, {})):
        assert "Where analysts disagree" not in _headings(doc)
        assert "Analysts' numbers" not in _headings(doc)


def test_agreeing_leaders_do_not_change_the_bottom_line():
    kim = Judgments(
        CASE.name, "kim", credibility={"s1": Prob(0.3)}, rationale={"s1": "Paid."}, notes=NOTE
    )
    panel = analyse_panel(CASE, {"kim": kim})
    lines = _plain(_section(_doc(CASE, {"kim": kim}), "Where analysts disagree"))
    text = " ".join(lines)
    assert (
        lines[0]
        == "Besides the case file, 1 analyst judged this case with numbers of their own: kim."
    )
    assert lines[1].startswith("The case file: Hypothesis 0 is the most likely, ")
    assert lines[2].startswith("kim: Hypothesis 0 is the most likely") and lines[2].endswith(
        NOTE + "."
    )
    assert "Their differences do not change the bottom line" in text
    assert "Pooled (the average of their conclusions), Hypothesis 0 leads" in text
    top = panel.disagreements[0]
    assert top.cell.key == "s1"
    assert "How far to trust Source 1. The case file says 70%; kim 30%." in text
    assert f"by {round(100 * top.swing)} percentage points" in text and "kim: Paid." in text
    assert "s1" not in text.replace("kim: Paid", "") and "e0" not in text  # ids in the annex


def test_a_split_changes_the_bottom_line_and_names_who_favours_what():
    kim = Judgments(
        CASE.name, "kim", likelihoods={("e0", "h0"): Prob(0.05), ("e1", "h1"): Prob(0.95)}
    )
    panel = analyse_panel(CASE, {"kim": kim})
    assert panel.view("kim").analysis.leader != panel.view("case").analysis.leader
    text = " ".join(_plain(_section(_doc(CASE, {"kim": kim}), "Where analysts disagree")))
    case_lead = CASE.hypotheses[panel.view("case").analysis.leader].label
    kim_lead = CASE.hypotheses[panel.view("kim").analysis.leader].label
    assert (
        "Their differences change the bottom line: "
        f"the case file favours {case_lead}; kim favours {kim_lead}." in text
    )
    assert "How likely “claim 0” would be if Hypothesis 0 were true." in text
    assert "It alone can change which explanation leads." in text


def test_an_event_cell_is_said_by_its_description():
    kim = Judgments(EVENTS.name, "kim", likelihoods={("ev0", "h0"): Prob(0.3)})
    panel = analyse_panel(EVENTS, {"kim": kim})
    assert panel.disagreements[0].cell.key == ("ev0", "h0")
    text = " ".join(_plain(_section(_doc(EVENTS, {"kim": kim}), "Where analysts disagree")))
    assert "How likely “event 0” would be if Hypothesis 0 were true." in text


def test_the_annex_lists_cells_by_id_with_every_value():
    kim = Judgments(CASE.name, "kim", credibility={"s1": Prob(0.3)})
    lee = Judgments(CASE.name, "lee", likelihoods={("e0", "h2"): Prob(0.6)})
    doc = _doc(CASE, {"kim": kim, "lee": lee}, "log")
    blocks = _section(doc, "Analysts' numbers")
    posteriors, cells = (b for b in blocks if isinstance(b, m.Table))
    assert [m.plain_text(c.lines[0]) for c in posteriors.header][-1] == "pooled (log)"
    rows = {
        m.plain_text(r[0].lines[0]): [m.plain_text(c.lines[0]) for c in r[1:]] for r in cells.rows
    }
    assert rows["s1 (credibility)"][:3] == ["0.70", "0.30*", "0.70"]
    assert rows["e0 / h2"][:3] == ["0.20", "0.20", "0.60*"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_where_analysts_disagree_in_every_format_literally(fmt):
    kim = Judgments(
        CASE.name, "kim", credibility={"s1": Prob(0.3)}, rationale={"s1": HOSTILE}, notes=NOTE
    )
    case = CASE.with_changes(sources=(CASE.sources[0], replace(CASE.sources[1], name=HOSTILE)))
    panel = analyse_panel(case, {"kim": kim})
    data = render(analyze(case), fmt, panel=panel)
    text = _text(data, fmt)
    doc = brief_document(analyze(case), panel=panel)
    for sentence in _plain(_section(doc, "Where analysts disagree")):
        assert sentence in text, (fmt, sentence)
    assert "Analysts' numbers" in text and NOTE in text and HOSTILE in text
    if fmt == ".md":
        html = markdown_html(data)
        assert "<a " not in html and "<b>" not in html


def test_cli_brief_has_the_section_only_when_judged(tmp_path):
    write_case(tmp_path, TOY_HYPOTHESES, EVIDENCE)
    out = tmp_path / "brief.md"
    args = ["brief", "toy", "--root", str(tmp_path), "-o", str(out), "--force"]  # re-written
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Where analysts disagree" not in out.read_text()
    judged = tmp_path / "judgments" / "toy"
    judged.mkdir(parents=True)
    (judged / "kim.yaml").write_text(KIM)
    (judged / "lee.yaml").write_text(LEE)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Where analysts disagree" in text and "of their own: kim and lee." in text
    (judged / "lee.yaml").write_text("case: toy\nanalyst: lee\ncredibility: {s9: 0.5}\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "judgments/toy/lee.yaml:3: " in result.output
    assert "Traceback" not in result.output


# -- what each explanation covers -----------------------------------------------------------


def test_page_one_states_the_gist_and_the_body_the_whole_description():
    case = make_case([[0.8, 0.3], [0.4, 0.6]])
    long = "The weapons came first. Includes: resale. Excludes: the (other) route."
    case = case.with_changes(
        hypotheses=(
            replace(case.hypotheses[0], description=long),
            replace(case.hypotheses[1], description="Nothing else happened."),
        )
    )
    assert gist(long) == "The weapons came first." and gist("One, e.g. two.") == "One, e.g. two."
    doc = brief_document(analyze(case))
    page_one = " ".join(
        m.plain_text(p.runs) for b in doc.page_one if isinstance(b, m.Callout) for p in b.paragraphs
    )
    assert "that the weapons came first" in page_one and "Includes" not in page_one
    lines = _plain(_section(doc, "What each explanation covers"))
    assert (
        lines[1] == "Hypothesis 0. " + long and lines[2] == "Hypothesis 1. Nothing else happened."
    )
    short = brief_document(analyze(make_case([[0.8, 0.3], [0.4, 0.6]])))
    assert "What each explanation covers" not in _headings(short)


def test_one_disagreement_per_item_the_largest():
    kim = Judgments(
        CASE.name,
        "kim",
        likelihoods={("e0", "h0"): Prob(0.1), ("e0", "h1"): Prob(0.9), ("e1", "h2"): Prob(0.9)},
        credibility={"s1": Prob(0.2)},
    )
    panel = analyse_panel(CASE, {"kim": kim})
    chosen = that_matter(panel)
    assert len({d.cell.id for d in chosen}) == len(chosen) <= 3
    for d in chosen:
        same = [o.swing for o in panel.disagreements if o.cell.id == d.cell.id]
        assert d.swing == max(same) and d.swing >= 0.01
    assert [d.swing for d in chosen] == sorted((d.swing for d in chosen), reverse=True)
