"""Edge cases found by trying to break the tool as a hostile user would."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pytest
from factories import make_case
from pypdf import PdfReader
from test_loader import EVI, HYP, edit, problems, write
from typer.testing import CliRunner

from analysis import analyze
from analysis.case import Assumption
from analysis.cli import app
from analysis.report.brief.pdf import render_brief
from analysis.testing.synthetic import synthetic_case


# -- validation ------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["      a: 0.7", "    prior: 0.5"])
def test_an_integer_too_big_for_a_float_is_a_located_problem(tmp_path, field):
    huge = "1" + "0" * 400
    hyp, evi = HYP, EVI
    if "prior" in field:
        hyp = edit(HYP, field, "    prior: " + huge)
    else:
        evi = edit(EVI, field, "      a: " + huge)
    found = problems(write(tmp_path, hyp, evi))
    assert any("must be a number between 0 and 1" in line for line in found), found


def test_scientific_notation_gets_a_hint(tmp_path):
    found = problems(write(tmp_path, HYP, edit(EVI, "      a: 0.7", "      a: 1e-3")))
    assert any("write a decimal such as 0.001" in line for line in found), found


def test_a_prior_of_zero_is_refused(tmp_path):
    hyp = edit(edit(HYP, "prior: 0.5", "prior: 0.75"), "prior: 0.25", "prior: 0")
    found = problems(write(tmp_path, hyp))
    assert found == [
        "hypotheses/demo.yaml:10: hypothesis 'b' prior is 0; no evidence could ever support "
        "it: remove the hypothesis or give it a small prior"
    ]


def test_two_hypotheses_may_not_share_a_label(tmp_path):
    found = problems(write(tmp_path, edit(HYP, "label: Beta", "label: alpha ")))
    assert found == [
        "hypotheses/demo.yaml:9: hypothesis 'b' label 'alpha' is the same as the label on "
        "line 6; give every hypothesis its own label"
    ]


@pytest.mark.parametrize("date", ["20231011", "2023-W41", "2023-10-11X", "11/10/2023"])
def test_only_year_month_day_dates(tmp_path, date):
    found = problems(write(tmp_path, HYP, edit(EVI, "date: 2023-10-11", f"date: '{date}'")))
    assert any("must be an ISO date like 2023-10-11" in line for line in found), found


def test_a_symlink_loop_is_a_problem_not_a_crash(tmp_path):
    write(tmp_path)
    looped = tmp_path / "hypotheses" / "demo.yaml"
    looped.unlink()
    os.symlink("demo.yaml", looped)
    found = problems(tmp_path)
    assert any(line.startswith("hypotheses/demo.yaml: cannot be resolved") for line in found)


def test_a_directory_named_like_a_case_file_is_not_a_case(tmp_path):
    write(tmp_path)
    (tmp_path / "evidence" / "demo.yaml").unlink()
    (tmp_path / "evidence" / "demo.yaml").mkdir()
    assert problems(tmp_path) == [
        "evidence/demo.yaml: is not a regular file; a case file must be one"
    ]
    result = CliRunner().invoke(app, ["list", "--root", str(tmp_path)])
    assert result.exit_code == 0 and result.output == ""


def test_list_of_a_missing_folder_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["list", "--root", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such folder" in result.output


# -- the engine ----------------------------------------------------------------------------
def test_exact_ties_are_reported_as_ties():
    result = analyze(make_case([[0.5, 0.5, 0.2]]))
    assert result.tied == (0, 1)
    assert analyze(make_case([[0.6, 0.5, 0.2]])).tied == (0,)


def test_evidence_impossible_under_every_hypothesis_is_flagged():
    contradictory = make_case([[0.0, 1.0], [1.0, 0.0], [0.6, 0.4]])
    result = analyze(contradictory)
    assert np.all(np.isfinite(result.posterior))
    assert any("impossible under every hypothesis" in w for w in result.warnings)
    merely_unlikely = make_case([[0.0, 1.0], [1.0, 0.5]])
    assert not any("impossible" in w for w in analyze(merely_unlikely).warnings)


def test_a_hypothesis_ruled_out_but_kept_alive_by_the_floor_is_flagged():
    """A prior of 1e-301 against a hypothesis ruled out by a fully credible item: the
    floor (1e-300) made them level, 56% for the impossible one, with no warning."""
    from analysis.testing.synthetic import make_case as from_arrays

    floored = analyze(from_arrays([[1.0, 0.0]], prior=[1e-301, 1.0]))
    assert floored.posterior[1] > 0.4  # the floor's answer (exactly: 0)
    (note,) = [w for w in floored.warnings if "rules it out" in w]
    assert note.startswith("Hypothesis 1 holds") and "1e-300" in note
    # ruled out as usual: no warning
    plain = analyze(from_arrays([[1.0, 0.0], [0.6, 0.4]], prior=[0.5, 0.5]))
    assert plain.posterior[1] < 1e-200 and not any("rules it out" in w for w in plain.warnings)


def test_a_tie_made_or_broken_changes_the_lead_and_a_tie_kept_does_not():
    from analysis.engine.bayes import lead_changes, leaders

    clear, tie = np.array([0.6, 0.3, 0.1]), np.array([0.45, 0.45, 0.1])
    rows = np.array([[0.6, 0.3, 0.1], [0.45, 0.45, 0.1], [0.2, 0.7, 0.1], [0.4, 0.4, 0.2]])
    assert lead_changes(rows, clear).tolist() == [False, True, True, True]
    assert lead_changes(rows, tie).tolist() == [True, False, True, False]
    assert leaders(tie) == (0, 1) and leaders(np.array([0.2, 0.4, 0.4 + 1e-12])) == (1, 2)


def test_items_that_only_together_make_a_tie_are_linchpins_alike():
    """Two opposite items of equal weight: leaving either out puts the other's hypothesis
    in the lead. The lead once went to the first of the tie, so only one was a linchpin
    and the Heuer note said Bayes favoured it."""
    result = analyze(make_case([[0.9, 0.1], [0.1, 0.9]]))
    assert result.tied == (0, 1)
    assert result.linchpin.tolist() == [True, True]
    assert result.disagreement is None


def test_an_assumption_whose_failure_makes_a_tie_names_the_tie():
    from analysis.engine.analyzer import analyze as analyse_case
    from analysis.report.brief.content import outcome

    case = make_case([[0.9, 0.1], [0.5, 0.5]])
    case = replace(case, assumptions=(Assumption("rests", "It holds.", (case.evidence[0].id,)),))
    result = analyse_case(case)
    failing = result.assumptions[0]
    assert failing.linchpin and failing.leaders_if_fails == (0, 1)
    from analysis.report.json_output import to_json

    (said,) = to_json(result)["assumptions"]
    assert said["leaders_if_fails"] == ["h0", "h1"] and said["leader_if_fails"] == "h0"
    assert outcome(result, failing.posterior_if_fails) == (
        "Hypothesis 0 and Hypothesis 1 would be tied at 50% each, roughly even chance"
    )


def test_source_quality_rule_is_not_applied_without_supporting_evidence():
    result = analyze(make_case([[0.5, 0.5]]))
    rule = next(r for r in result.confidence.rules if r.name == "source quality")
    assert rule.cap == "high" and "not applied" in rule.reason


# -- the brief -------------------------------------------------------------------------------
def _text(pdf: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_brief_with_thirty_hypotheses_lays_out():
    pdf = render_brief(analyze(synthetic_case(30, 4, seed=3)))
    assert pdf.startswith(b"%PDF") and "Hypothesis 29" in _text(pdf)


def test_a_tie_is_said_plainly_in_the_brief_and_the_terminal():
    case = make_case([[0.5, 0.5, 0.2]])
    text = " ".join(_text(render_brief(analyze(case))).split())
    assert "No hypothesis leads: Hypothesis 0 and Hypothesis 1 are tied at" in text
    assert "nearest alternative" not in text


def test_the_brief_never_replaces_a_device_or_a_folder(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for target in (folder, "/dev/null"):
        result = CliRunner().invoke(app, ["brief", "nk-hamas", "-o", str(target)])
        assert result.exit_code == 2 and "not a regular file" in result.output
    assert folder.is_dir() and os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_written_files_get_ordinary_permissions(tmp_path):
    from analysis.atomic import write_atomically

    target = tmp_path / "x.txt"
    write_atomically(target, b"hello")
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_bytes() == b"hello"
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_a_brief_of_a_large_case_shows_the_most_diagnostic_items_and_heaviest_sources():
    """A 5,000-item case made a contribution chart no renderer would draw (the brief
    failed) and 77 pages, 60 of them one caution per source."""
    from analysis.report.brief.content import BRIEF_ROWS
    from analysis.report.brief.output import render

    result = analyze(synthetic_case(3, 300, seed=2, n_sources=60))
    text = render(result, ".md").decode()
    assert f"Only the {BRIEF_ROWS} most diagnostic of the 300 items are shown" in text
    assert f"The {BRIEF_ROWS} sources of most weight, of 60." in text
    matrix = text[text.index("## The ACH matrix") :]
    matrix = matrix[: matrix.index("\n#", 1)]  # to the next heading
    rows = [i for i, item in enumerate(result.case.evidence) if f"**{item.id}** (" in matrix]
    assert sorted(rows) == sorted(int(i) for i in result.by_diagnosticity[:BRIEF_ROWS])

    cautions = [w for w in result.warnings if "items rest on" in w or "sources carry" in w]
    several = sum(len(load.items) >= 3 for load in result.sources)
    assert several > 3 and len(cautions) == 1
    assert cautions[0].startswith(f"{several} sources carry 3 or more items")


def test_the_brief_lists_forty_linchpins_and_says_how_many_more():
    from analysis.report.brief.content import BRIEF_ROWS
    from analysis.report.brief.output import render

    # 45 items for one hypothesis, 44 for the other: without any one of the 45, a tie
    case = make_case([[0.6, 0.4]] * 45 + [[0.4, 0.6]] * 44)
    result = analyze(case)
    assert len(result.linchpin_items) == 45
    text = render(result, ".md").decode()
    assert f"The {BRIEF_ROWS} most diagnostic of 45 are listed" in text
    assert text.count("Without it, Hypothesis 0 and Hypothesis 1 would be tied") == BRIEF_ROWS


def test_up_to_three_sources_of_several_items_are_named_one_by_one():
    shared = make_case([[0.6, 0.4]] * 6, sources=[0, 0, 0, 1, 1, 1], credibility=[0.8, 0.7])
    cautions = [w for w in analyze(shared).warnings if "items rest on" in w]
    assert len(cautions) == 2 and cautions[0].startswith("3 items rest on")


def test_a_three_way_tie_is_shown_whole_where_the_brief_names_the_two_most_likely():
    from analysis.report.brief.tables import top_two

    result = analyze(make_case([[0.6, 0.3, 0.3, 0.3]]))
    three = np.array([0.3, 0.3, 0.3, 0.1])
    assert top_two(result, three).count("30%") == 3
    assert top_two(result, np.array([0.5, 0.3, 0.1, 0.1])).count(";") == 1


def test_the_confidence_sentence_of_a_tie_names_no_leader():
    from analysis.report.brief.content import confidence_sentence

    tied = confidence_sentence(analyze(make_case([[0.5, 0.5, 0.2]])), "this judgment")
    assert tied.endswith("the evidence does not separate the tied explanations.")
    assert " it " not in f" {tied} "  # "favours it" had nothing to point at
    clear = confidence_sentence(analyze(make_case([[0.6, 0.5, 0.2]])), "this judgment")
    assert "tied" not in clear
