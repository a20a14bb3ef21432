"""The brief: page one for a two-minute reader, the annex, and the same text in PDF, DOCX
and Markdown; every format escapes user text and carries the marking on every page."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from io import BytesIO
from pathlib import Path

import docx
import numpy as np
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader
from typer.testing import CliRunner

from analysis.case import Hypothesis
from analysis.casefile.loader import load_case
from analysis.cli import app
from analysis.engine.analyzer import UncertaintySummary, analyze
from analysis.report.brief import model as m
from analysis.report.brief.content import cut_off, long_date
from analysis.report.brief.document import brief_document
from analysis.report.brief.output import render, write_brief
from analysis.report.brief.pdf import render_brief
from analysis.scales import reader_percent
from analysis.testing.synthetic import make_case, synthetic_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.stem for p in (ROOT / "hypotheses").glob("*.yaml"))
runner = CliRunner()


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text with whitespace collapsed (table cells wrap anywhere)."""
    return [squash(page.extract_text() or "") for page in PdfReader(BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    document = docx.Document(BytesIO(data))
    section = document.sections[0]
    parts = [p.text for p in section.header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return squash(" ".join(parts))


def markdown_html(data: bytes) -> str:
    return MarkdownIt("commonmark").enable("table").render(data.decode("utf-8"))


def markdown_text(data: bytes) -> str:
    """What a reader of the rendered Markdown sees."""
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", markdown_html(data))))


def with_marking(case, marking: str):
    """The case with a handling marking."""
    return case.with_changes(marking=marking)


def judgments(doc: m.Document) -> list[str]:
    """Page one's judgments as plain text: the bottom line and each bullet."""
    out = []
    for block in doc.page_one:
        if isinstance(block, m.Callout):
            out += [m.plain_text(p.runs) for p in block.paragraphs]
        if isinstance(block, m.Bullets):
            out += [m.plain_text(r for r in item if not r.colour) for item in block.items]
    return [squash(t) for t in out]


@cache
def seed(name: str):
    return analyze(load_case(name, ROOT))


@cache
def rendered(name: str, fmt: str) -> bytes:
    """A bundled case's brief, rendered once per test module run."""
    return render(seed(name), fmt)


@pytest.fixture(scope="module", params=CASES)
def bundled(request):
    data = rendered(request.param, ".pdf")
    return request.param, seed(request.param), data, pdf_pages(data)


def analyze_json(case: str) -> dict:
    result = runner.invoke(app, ["analyze", case, "--root", str(ROOT), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- page one -----------------------------------------------------------------------------


def test_page_one_has_cut_off_and_no_ids_or_decibans(bundled):
    _, analysis, _, pages = bundled
    first = pages[0]
    assert f"Information cut-off: {cut_off(analysis)}" in first
    case = analysis.case
    ids = [i.id for i in case.evidence] + [i.id for i in case.indicators]
    assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", first)]
    assert not re.search(r"\bdB\b|decibans?", first)


def test_page_one_leads_with_the_bottom_line_then_confidence_apart(bundled):
    name, _, _, pages = bundled
    out = analyze_json(name)
    first = pages[0]
    assert first.index("Bottom line.") < first.index("Key judgments")
    confidence = f"We have {out['confidence']} confidence in"
    assert confidence in first
    sentence = first[first.index(confidence) :].split(". ")[0]
    assert out["words"][out["leader"]] not in sentence  # ICD 203: never one sentence
    assert "What would change this judgment" in first


def test_seed_bottom_line_states_the_robust_judgment_first():
    first = pdf_pages(rendered("nk-hamas", ".pdf"))[0]
    robust = first.index("It is almost certain (96%) that the answer is one of")
    assert "Not North Korean-made has almost no chance (4%)" in first
    assert robust < first.index("Which of them it is remains open: it is unlikely (40%)")
    # judgments are possibilities, never stated as fact, in the definition's own words
    assert "There is almost no chance (4%) that none of the weapons" in first
    # the definition only: what a hypothesis includes and excludes stays in the files
    assert "Includes:" not in first and "Excludes:" not in first


def test_percentages_match_analyze_json(bundled):
    name, _, _, pages = bundled
    out = analyze_json(name)
    text = " ".join(pages)
    for h in out["hypotheses"]:
        assert f"{out['words'][h]} ({reader_percent(out['posterior'][h])}" in text, h


def test_tiny_and_huge_probabilities_read_under_and_over_one_percent():
    assert reader_percent(0.001) == "under 1%" == reader_percent(0.0)
    assert reader_percent(0.9995) == "over 99%" == reader_percent(1.0)
    assert reader_percent(0.5) == "50%" and reader_percent(0.01) == "1%"
    assert reader_percent(0.99) == "99%"
    case = make_case([[0.999, 0.001], [0.99, 0.01]])
    for fmt in (".pdf", ".docx", ".md"):
        text = _text(render(analyze(case), fmt), fmt)
        assert "under 1%" in text and "over 99%" in text
        assert not re.search(r"\d\.\d%", text), fmt


def test_cut_off_is_as_of_else_the_latest_item():
    case = make_case([[0.8, 0.3], [0.4, 0.6]], dates=["2023-10-07", "2023-11"])
    assert cut_off(analyze(case)) == "November 2023"
    dated = case.with_changes(as_of="2024-01-08")
    assert cut_off(analyze(dated)) == "8 January 2024"
    # as_of wins even when an item is dated later (information after the cut-off)
    assert cut_off(analyze(case.with_changes(as_of="2023-10-20"))) == "20 October 2023"
    assert cut_off(analyze(make_case([[0.8, 0.3]]))) is None
    assert long_date("2023") == "2023" and long_date("not a date") == "not a date"


def test_the_annex_holds_ids_decibans_matrix_and_method(bundled):
    _, analysis, _, pages = bundled
    annex = " ".join(pages[1:])
    for item in analysis.case.evidence:
        assert item.id in annex
    for heading in ("Annex", "The ACH matrix and Heuer's scores", "Method note", "dB"):
        assert heading in annex
    assert "Inconsistency (Heuer: I = 1, II = 2)" in annex


def test_footer_has_provenance_and_page_numbers(bundled):
    _, analysis, _, pages = bundled
    from analysis import __version__

    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert analysis.case.content_hash in page
        assert f"ACH workbench {__version__}" in page


def test_pdf_embeds_only_unicode_truetype_fonts(bundled):
    _, analysis, data, _ = bundled
    reader = PdfReader(BytesIO(data))
    assert reader.metadata.title == analysis.case.title
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("DejaVu" in f for f in fonts), fonts


def test_yardstick_is_followed_everywhere():
    analysis = analyze(load_case("nk-hamas", ROOT), yardstick="phia")
    for fmt in (".pdf", ".md"):
        text = _text(render(analysis, fmt), fmt)
        assert "ICD 203" not in text and "PHIA" in text
        assert "There is a realistic possibility" in text or "It is likely or probable" in text


# -- the three formats ---------------------------------------------------------------------


def _text(data: bytes, fmt: str) -> str:
    if fmt == ".pdf":
        return " ".join(pdf_pages(data))
    return docx_text(data) if fmt == ".docx" else markdown_text(data)


@pytest.mark.parametrize("name", ["nk-hamas", "office-leak"])
def test_docx_and_markdown_hold_the_same_judgments_as_the_pdf(name):
    said = judgments(brief_document(seed(name)))
    assert len(said) >= 5
    texts = {fmt: _text(rendered(name, fmt), fmt) for fmt in (".pdf", ".docx", ".md")}
    for sentence in said:
        for fmt, text in texts.items():
            assert sentence in text, (fmt, sentence)


def test_marking_is_on_every_page_of_every_format():
    marking = "OFFICIAL-SENSITIVE <b>&</b>"
    analysis = analyze(with_marking(load_case("nk-hamas", ROOT), marking))
    pages = pdf_pages(render(analysis, ".pdf"))
    assert len(pages) >= 3
    for page in pages:
        assert page.count(marking) == 2  # top and bottom
    document = docx.Document(BytesIO(render(analysis, ".docx")))
    section = document.sections[0]
    assert marking in section.header.paragraphs[0].text
    assert marking in section.footer.paragraphs[0].text
    assert len(document.sections) == 1  # one header and footer for every page
    lines = [ln for ln in markdown_text(render(analysis, ".md")).split("  ") if ln]
    md = markdown_text(render(analysis, ".md"))
    assert md.startswith(marking) and md.endswith(marking) and lines


INJECTIONS = [
    "<b>bold</b>",
    "A & B &amp;",
    "</para>",
    "![x](http://evil.example/x.png)",
    "a | b",
    "=cmd|' /C calc'!A0",
    "# not a heading",
    "*not emphasis*",
]


def _hostile_case():
    case = make_case(
        [[0.8, 0.3], [0.4, 0.6], [0.7, 0.2], [0.6, 0.5], [0.5, 0.4], [0.3, 0.6], [0.6, 0.3]],
        dates=["2024-01-01"] + [None] * 6,
        indicators=[[0.9, 0.1]],
    )
    hypotheses = (
        Hypothesis("h0", "Label <b>one</b> & co | x", "Desc </para> here ![x](http://e.x/i.png)."),
        Hypothesis("h1", "=cmd|' /C calc'!A0", "Ünïcødé ✓ *not emphasis*"),
    )
    evidence = tuple(
        item.__class__(id=item.id, claim=claim, likelihoods=item.likelihoods, source=item.source)
        for item, claim in zip(case.evidence, INJECTIONS, strict=False)
    )
    indicator = case.indicators[0]
    indicators = (
        indicator.__class__(
            id=indicator.id,
            claim="Seen: ![y](http://e.x/y.png) <i>x</i> | z",
            likelihoods=indicator.likelihoods,
        ),
    )
    return case.with_changes(
        hypotheses=hypotheses,
        evidence=evidence,
        indicators=indicators,
        title="Title <i>not italic</i> & more",
        question="Q | with [a link](http://e.x) & `code`?",
    )


@pytest.mark.parametrize("fmt", [".pdf", ".docx", ".md"])
def test_injection_attempts_print_literally(fmt):
    analysis = analyze(with_marking(_hostile_case(), "<b>MARK</b> | x"))
    data = render(analysis, fmt)
    text = _text(data, fmt)
    for literal in [
        *INJECTIONS,
        "Label <b>one</b> & co | x",
        "Desc </para> here ![x](http://e.x/i.png)",
        "=cmd|' /C calc'!A0",
        "Ünïcødé ✓ *not emphasis*",
        "Title <i>not italic</i> & more",
        "Q | with [a link](http://e.x) & `code`?",
        "Seen: ![y](http://e.x/y.png) <i>x</i> | z",
        "<b>MARK</b> | x",
    ]:
        if fmt == ".pdf" and literal in INJECTIONS[3:]:
            continue  # claims appear in the annex's narrow matrix cells, wrapped anywhere
        assert literal in text, (fmt, literal)
    if fmt == ".md":
        rendered = markdown_html(data)
        assert "<img" not in rendered and "<a " not in rendered
        assert "<b>" not in rendered and "<i>" not in rendered and "<code>" not in rendered
        assert "<h1>not a heading" not in rendered


def test_pdf_claims_with_markup_print_literally_in_the_matrix():
    text = " ".join(pdf_pages(render(analyze(_hostile_case()), ".pdf")))
    compact = text.replace(" ", "")
    for literal in INJECTIONS:
        assert literal.replace(" ", "") in compact, literal


# -- more layouts ---------------------------------------------------------------------------


def test_uncertainty_ranges_and_diagnostics_are_shown():
    analysis = analyze(load_case("nk-hamas", ROOT))
    p = analysis.posterior
    low, high = np.clip(p - 0.1, 0, 1), np.clip(p + 0.1, 0, 1)
    summary = UncertaintySummary(p, low, high, 1.002, 812.0, draws=500, chains=2, sampler="nuts")
    pages = pdf_pages(render_brief(analyze(analysis.case, uncertainty=summary)))
    lead = analysis.leader
    span = f"90% range {reader_percent(low[lead])} to {reader_percent(high[lead])}"
    assert span in pages[0]
    assert "R-hat" not in pages[0] and "largest R-hat 1.002" in " ".join(pages[1:])


def test_scenario_is_stated():
    analysis = analyze(load_case("nk-hamas", ROOT))
    pages = pdf_pages(render_brief(analysis, scenario="adjusted from file"))
    assert "scenario: adjusted from file" in pages[0] and "adjusted scenario" in pages[0]


def test_long_case_paginates_and_pools_the_least_likely():
    analysis = analyze(synthetic_case(k=8, n=60, seed=3))
    pages = pdf_pages(render_brief(analysis))
    assert len(pages) >= 4 and "Key judgments" in pages[0]
    assert "The other 2 explanations." in pages[0]
    assert sum("Evidence item (source, date): claim" in page for page in pages) >= 2


def test_case_without_evidence_still_renders():
    case = make_case([[0.8, 0.2]]).with_changes(evidence=())
    for fmt in (".pdf", ".docx", ".md"):
        text = _text(render(analyze(case), fmt), fmt)
        assert "Bottom line." in text and "Information cut-off: not stated" in text


# -- writing files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [".pdf", ".docx", ".md"])
def test_cli_picks_the_format_from_the_extension(tmp_path, fmt):
    target = tmp_path / f"brief{fmt}"
    result = runner.invoke(app, ["brief", "office-leak", "-o", str(target), "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert "Junior analyst" in _text(data, fmt)
    start = {".pdf": b"%PDF", ".docx": b"PK", ".md": b"**UNCLASSIFIED**\n\n# "}[fmt]
    assert data.startswith(start)  # office-leak is marked UNCLASSIFIED


def test_cli_unknown_extension_is_a_located_exit_2(tmp_path):
    target = tmp_path / "brief.txt"
    result = runner.invoke(app, ["brief", "nk-hamas", "-o", str(target), "--root", str(ROOT)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.startswith(f"-o {target}: ") and ".pdf, .docx, .md" in result.output
    assert "Traceback" not in result.output and not target.exists()


def test_cli_bad_case_exits_2_without_traceback(tmp_path):
    target = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", "no-such-case", "-o", str(target), "--root", str(ROOT)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not target.exists()


def test_write_brief_is_atomic(tmp_path):
    analysis = analyze(load_case("office-leak", ROOT))
    target = tmp_path / "brief.md"
    target.write_bytes(b"old")
    assert write_brief(analysis, target) == target
    assert target.read_bytes().startswith(b"**UNCLASSIFIED**\n\n# ")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


@pytest.mark.parametrize(("k", "label_length"), [(10, 300), (50, 10)])
def test_a_case_of_many_hypotheses_or_long_labels_makes_every_format(k, label_length):
    """50 hypotheses gave a matrix column of 2 mm (reportlab: negative availWidth, a
    traceback); ten 300-character labels a header row taller than a page; a 300-letter
    word a 420 000 px heatmap (3 GB)."""
    import dataclasses

    from analysis.report.brief.output import render
    from analysis.report.brief.tables import MATRIX_COLUMNS
    from analysis.testing.synthetic import make_case

    rng = np.random.default_rng(k)
    case = make_case(rng.uniform(0.05, 0.95, size=(3, k)))
    word = "W" * (label_length - 8)  # one unbreakable word, the worst case for wrapping
    labels = [f"H{j:02d} {word}"[:label_length] for j in range(k)]
    case = dataclasses.replace(
        case,
        hypotheses=tuple(
            dataclasses.replace(h, label=label)
            for h, label in zip(case.hypotheses, labels, strict=True)
        ),
    )
    analysis = analyze(case)
    document = brief_document(analysis)
    matrices = [
        b for b in document.blocks if isinstance(b, m.Table) and "Evidence item" in str(b.header)
    ]
    assert len(matrices) == -(-k // MATRIX_COLUMNS)  # every hypothesis, in tables of 8 at most
    pdf = render(analysis, ".pdf", "")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "H00" in text and f"H{k - 1:02d}" in text
    assert render(analysis, ".docx", "") and render(analysis, ".md", "")
