"""``ach brief`` on hostile sizes (issue 9, point 5): the longest text a case file
accepts, 10 hypotheses x 500 items, 200 hypotheses; a brief that cannot be made is
exit 2 and one line, never a traceback."""

from __future__ import annotations

import dataclasses

import pytest
from reportlab.platypus import Table
from typer.testing import CliRunner

from analysis.casefile.text import MAX_LINE, MAX_TEXT
from analysis.casefile.writer import dump_yaml
from analysis.cli import app
from analysis.engine import analyze
from analysis.report.brief import pdf
from analysis.report.brief.output import render
from analysis.report.charts import worker
from analysis.testing.synthetic import synthetic_case

runner = CliRunner()


def write(root, case):
    hyp, evi = dump_yaml(case)
    for folder, text in (("hypotheses", hyp), ("evidence", evi)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / f"{case.name}.yaml").write_text(text, encoding="utf-8")
    return root


def longest_text_case():
    """Every text field at the longest the format accepts: words, or one unbroken run."""
    case = synthetic_case(3, 3, seed=2, n_indicators=2)
    words = ("word " * MAX_TEXT)[: MAX_TEXT - 1]
    unbroken = "x" * MAX_TEXT
    return dataclasses.replace(
        case,
        name="longtext",
        title="T" * MAX_LINE,
        question=words,
        hypotheses=tuple(
            dataclasses.replace(h, label=str(j) + "L" * (MAX_LINE - 1), description=words)
            for j, h in enumerate(case.hypotheses)
        ),
        sources=tuple(dataclasses.replace(s, name="S" * MAX_LINE) for s in case.sources),
        evidence=tuple(
            dataclasses.replace(e, claim=unbroken, rationale=words) for e in case.evidence
        ),
        indicators=tuple(
            dataclasses.replace(e, claim=unbroken, rationale=words) for e in case.indicators
        ),
    )


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".md"])
def test_the_longest_text_a_case_accepts_makes_a_brief(tmp_path, suffix):
    root = write(tmp_path, longest_text_case())
    out = tmp_path / f"brief{suffix}"
    result = runner.invoke(app, ["brief", "longtext", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    if suffix == ".pdf":
        assert out.read_bytes().startswith(b"%PDF")


def test_a_brief_of_10_hypotheses_and_500_items_renders():
    analysis = analyze(synthetic_case(10, 500, seed=1))
    assert render(analysis, ".pdf").startswith(b"%PDF")


def test_200_hypotheses_are_refused_with_the_cap_not_a_traceback(tmp_path):
    root = write(tmp_path, synthetic_case(200, 20, seed=1))
    out = tmp_path / "brief.pdf"
    result = runner.invoke(
        app, ["brief", "synthetic-k200-n20", "--root", str(root), "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert "hypotheses lists more than 100 entries" in line
    assert not out.exists()


def test_a_layout_no_page_can_hold_is_one_line(tmp_path, monkeypatch):
    root = write(tmp_path, synthetic_case(3, 4, seed=1))

    def story(blocks):
        pdf.styles()  # registers the fonts, as the real story does
        return [Table([[""]], rowHeights=[5000])]

    monkeypatch.setattr(pdf, "story", story)
    out = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", "synthetic-k3-n4", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"{out}: the brief was not written: the PDF brief cannot be laid out")
    assert not out.exists()


def test_a_chart_that_cannot_be_rendered_is_one_line(tmp_path, monkeypatch):
    root = write(tmp_path, synthetic_case(3, 4, seed=1))
    monkeypatch.setattr(worker, "TIMEOUT", 0.0)
    out = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["brief", "synthetic-k3-n4", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line == (
        f"{out}: the brief was not written: the chart renderer stopped (it took longer than 0 s)"
    )


def test_the_markdown_brief_leaves_no_autolink_or_image():
    from analysis.report.brief.markdown import md_escape

    shown = md_escape("see http://x.org, WWW.example.com, a@b.c and ![i](https://h/x.png)")
    for live in ("http://", "https://", "WWW.", "a@b", "!["):
        assert live not in shown
    assert (
        shown.replace("\\", "")
        == "see http://x.org, WWW.example.com, a@b.c and ![i](https://h/x.png)"
    )
