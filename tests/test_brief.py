"""The PDF brief: stands alone, shows exactly the engine's numbers, survives odd input."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from analysis.case import Hypothesis
from analysis.casefile.loader import load_case
from analysis.cli import app
from analysis.engine.analyzer import UncertaintySummary, analyze
from analysis.report.brief.pdf import render_brief, write_brief
from analysis.scales import format_percent
from analysis.testing.synthetic import make_case, synthetic_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.stem for p in (ROOT / "hypotheses").glob("*.yaml"))
runner = CliRunner()


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text with whitespace collapsed (table cells wrap anywhere)."""
    reader = PdfReader(BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


def analyze_json(case: str) -> dict:
    result = runner.invoke(app, ["analyze", case, "--root", str(ROOT), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=CASES)
def bundled(request):
    analysis = analyze(load_case(request.param, ROOT))
    data = render_brief(analysis)
    return request.param, analysis, data, pdf_text(data)


def test_brief_is_a_pdf_with_metadata(bundled):
    _, analysis, data, _ = bundled
    assert data.startswith(b"%PDF")
    reader = PdfReader(BytesIO(data))
    assert reader.metadata.title == analysis.case.title


def test_brief_text_has_title_labels_and_question(bundled):
    _, analysis, _, text = bundled
    case = analysis.case
    assert " ".join(case.title.split()) in text
    assert " ".join(case.question.split()) in text
    for h in case.hypotheses:
        assert h.label in text


def test_brief_percentages_match_analyze_json(bundled):
    name, _, _, text = bundled
    out = analyze_json(name)
    for h in out["hypotheses"]:
        percent = format_percent(out["posterior"][h])
        word = out["words"][h]
        assert f"{word} ({percent})" in text, (h, percent, word)


def test_brief_bottom_line_names_leader_then_confidence_separately(bundled):
    name, _, _, text = bundled
    out = analyze_json(name)
    leader = out["leader"]
    label = out["labels"][leader]
    sentence = f"Bottom line. {label} is {out['words'][leader]}"
    assert sentence in text
    confidence = f"We have {out['confidence']} confidence in this judgment"
    assert confidence in text
    # ICD 203: the likelihood word and the confidence never share a sentence
    start = text.index(confidence)
    assert out["words"][leader] not in text[start : text.index(".", start)]


def test_brief_lists_linchpins_sources_and_indicators(bundled):
    _, analysis, _, text = bundled
    case = analysis.case
    for i in analysis.linchpin_items:
        assert case.evidence[i].id in text
    if not analysis.linchpin_items:
        assert "No single item is a linchpin" in text
    for load in analysis.sources:
        assert load.source_id in text
    for ind in analysis.indicators[:12]:
        assert ind.item.id in text
    for item in case.evidence:
        assert item.id in text


def test_brief_footer_has_provenance_and_page_numbers(bundled):
    _, analysis, data, _ = bundled
    from analysis import __version__

    pages = pdf_pages(data)
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert analysis.case.content_hash in page
        assert f"ACH workbench {__version__}" in page


def test_brief_embeds_only_unicode_truetype_fonts(bundled):
    _, _, data, _ = bundled
    reader = PdfReader(BytesIO(data))
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("DejaVu" in f for f in fonts), fonts


def test_scenario_is_stated():
    analysis = analyze(load_case("nk-hamas", ROOT))
    assert "scenario: as in the case files" in pdf_text(render_brief(analysis))
    text = pdf_text(render_brief(analysis, scenario="adjusted from file"))
    assert "scenario: adjusted from file" in text
    assert "adjusted scenario" in text


def test_uncertainty_intervals_are_shown():
    analysis = analyze(load_case("nk-hamas", ROOT))
    p = analysis.posterior
    low, high = np.clip(p - 0.1, 0, 1), np.clip(p + 0.1, 0, 1)
    summary = UncertaintySummary(p, low, high, 1.002, 812.0, draws=500, chains=2, sampler="nuts")
    text = pdf_text(render_brief(analyze(analysis.case, uncertainty=summary)))
    lead = analysis.leader
    interval = f"90% interval {format_percent(low[lead])} to {format_percent(high[lead])}"
    assert f"({analysis.percent(lead)}; {interval})" in text
    assert "largest R-hat 1.002" in text


MARKUP = ["<b>bold</b>", "A & B", "</para>", '<font color="red">x</font>']


def test_markup_in_user_text_renders_literally():
    case = make_case([[0.8, 0.3], [0.4, 0.6], [0.7, 0.2]], dates=["2024-01-01", None, None])
    hypotheses = (
        Hypothesis("h0", "Label <b>one</b> & co", "Desc </para> here"),
        Hypothesis("h1", "Zweite Hypothese — Ωμέγα Привет café", "Ünïcødé ✓"),
    )
    evidence = tuple(
        item.__class__(
            id=item.id,
            claim=claim,
            likelihoods=item.likelihoods,
            source=item.source,
            date=item.date,
        )
        for item, claim in zip(case.evidence, MARKUP, strict=False)
    )
    case = case.with_changes(
        hypotheses=hypotheses, evidence=evidence, title="Title <i>not italic</i> & more"
    )
    text = pdf_text(render_brief(analyze(case)))
    for claim in MARKUP[:3]:
        assert claim in text
    assert "Label <b>one</b> & co" in text
    assert "Desc </para> here" in text
    assert "Zweite Hypothese — Ωμέγα Привет café" in text
    assert "Ünïcødé ✓" in text
    assert "Title <i>not italic</i> & more" in text


def test_long_case_paginates_with_repeated_headers():
    analysis = analyze(synthetic_case(k=8, n=60, seed=3))
    data = render_brief(analysis)
    pages = pdf_pages(data)
    assert len(pages) >= 4
    header = "Evidence item (source, date): claim"
    assert sum(header in page for page in pages) >= 2
    text = " ".join(pages)
    for h in analysis.case.hypotheses:
        assert h.label in text


def test_write_brief_is_atomic(tmp_path):
    analysis = analyze(load_case("office-leak", ROOT))
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    assert write_brief(analysis, target) == target
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_cli_brief_writes_a_pdf(tmp_path):
    target = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", "office-leak", "-o", str(target), "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert "Junior analyst" in pdf_text(target.read_bytes())


def test_cli_brief_bad_case_exits_2_without_traceback(tmp_path):
    target = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", "no-such-case", "-o", str(target), "--root", str(ROOT)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert not target.exists()


def test_case_without_evidence_still_renders():
    case = make_case([[0.8, 0.2]]).with_changes(evidence=())
    text = pdf_text(render_brief(analyze(case)))
    assert "Bottom line." in text
    assert "No single item is a linchpin" in text
