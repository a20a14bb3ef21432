"""The case loader: every check, with the exact message shape ``path:line: message``."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
import yaml

from analysis.case import Case, Prob
from analysis.casefile.layout import list_cases
from analysis.casefile.limits import MAX_NODES
from analysis.casefile.loader import load_case, load_case_files, load_case_texts
from analysis.errors import CaseError
from analysis.scales import CREDIBILITY_WORDS, RATING_LIKELIHOOD

HYP = """\
case: demo
title: Demo case
question: Which is it?
hypotheses:
  - id: a
    label: Alpha
    prior: 0.5
  - id: b
    label: Beta
    prior: 0.25
  - id: c
    label: Gamma
    prior: 0.25
"""

EVI = """\
case: demo
defaults:
  concentration: 20
sources:
  - id: s
    name: Source S
    credibility: 0.8
  - id: t
    name: Source T
evidence:
  - id: e1
    claim: First claim
    date: 2023-10-11
    source: s
    likelihoods:
      a: 0.7
      b: 0.2
      c: [0.1, 0.4]
    rationale: Because.
  - id: e2
    claim: Second claim
    source: t
    ratings: {a: C, b: I, c: N}
indicators:
  - id: i1
    claim: Watch this
    likelihoods: {a: 0.9, b: 0.1, c: 0.5}
"""

H = "hypotheses/demo.yaml"
E = "evidence/demo.yaml"


def write(root: Path, hyp: str | bytes = HYP, evi: str | bytes = EVI, name: str = "demo") -> Path:
    for folder, text in (("hypotheses", hyp), ("evidence", evi)):
        (root / folder).mkdir(exist_ok=True)
        path = root / folder / f"{name}.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems(root: Path, name: str = "demo") -> list[str]:
    with pytest.raises(CaseError) as caught:
        load_case(name, root)
    lines = caught.value.lines()
    assert lines, "a CaseError must carry at least one problem"
    for line in lines:  # pydantic's own wording never leaks
        assert "Input should" not in line and "pydantic" not in line, line
    return lines


def evidence_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    return problems(write(tmp_path, evi=edit(EVI, old, new)))


def hypotheses_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    return problems(write(tmp_path, hyp=edit(HYP, old, new)))


# -- the valid case ----------------------------------------------------------------------
def test_valid_case_builds_as_case_py_describes(tmp_path):
    case = load_case("demo", write(tmp_path))
    assert isinstance(case, Case)
    assert case.name == "demo" and case.title == "Demo case"
    assert case.hypothesis_ids == ("a", "b", "c")
    assert [h.prior for h in case.hypotheses] == [0.5, 0.25, 0.25]
    assert [h.line for h in case.hypotheses] == [5, 8, 11]
    assert case.concentration == 20.0
    assert case.hypotheses_path == H and case.evidence_path == E

    s, t = case.sources
    assert s.credibility == Prob(0.8, "point") and s.line == 5
    assert t.credibility == Prob(1.0, "default") and t.line == 8

    e1, e2 = case.evidence
    assert (e1.line, e2.line) == (11, 20)
    assert e1.date == "2023-10-11" and e1.source == "s" and e1.rationale == "Because."
    assert e1.likelihoods["a"] == Prob(0.7, "point")
    c = e1.likelihoods["c"]
    assert c.origin == "range" and (c.low, c.high) == (0.1, 0.4)
    from analysis.elicit import range_mean

    assert c.value == pytest.approx(range_mean(0.1, 0.4))
    assert e1.ratings == {}
    # ratings fill the likelihoods; ratings keep only what the file gave
    assert list(e2.likelihoods) == ["a", "b", "c"]
    assert e2.likelihoods["b"] == Prob(RATING_LIKELIHOOD["I"], "rating", word="I")
    assert e2.ratings == {"a": "C", "b": "I", "c": "N"}
    (i1,) = case.indicators
    assert i1.source is None and i1.line == 25


def test_credibility_word_and_range(tmp_path):
    evi = edit(EVI, "    credibility: 0.8", "    credibility: medium")
    evi = edit(evi, "    name: Source T\n", "    name: Source T\n    credibility: [0.6, 0.9]\n")
    case = load_case("demo", write(tmp_path, evi=evi))
    s, t = case.sources
    assert s.credibility == Prob(CREDIBILITY_WORDS["medium"], "word", word="medium")
    assert t.credibility.origin == "range" and (t.credibility.low, t.credibility.high) == (0.6, 0.9)


def test_rating_covers_a_missing_likelihood(tmp_path):
    evi = edit(EVI, "      b: 0.2\n", "")
    evi = edit(evi, "    rationale: Because.", "    ratings: {b: II}\n    rationale: Because.")
    e1 = load_case("demo", write(tmp_path, evi=evi)).evidence[0]
    assert e1.likelihoods["b"] == Prob(RATING_LIKELIHOOD["II"], "rating", word="II")
    assert e1.ratings == {"b": "II"}


def test_given_likelihood_wins_over_rating(tmp_path):
    evi = edit(EVI, "    rationale: Because.", "    ratings: {a: II}\n    rationale: Because.")
    e1 = load_case("demo", write(tmp_path, evi=evi)).evidence[0]
    assert e1.likelihoods["a"] == Prob(0.7, "point")
    assert e1.ratings == {"a": "II"}


def test_no_priors_and_no_defaults_are_fine(tmp_path):
    hyp = HYP.replace("    prior: 0.5\n", "").replace("    prior: 0.25\n", "")
    evi = edit(EVI, "defaults:\n  concentration: 20\n", "")
    case = load_case("demo", write(tmp_path, hyp=hyp, evi=evi))
    assert all(h.prior is None for h in case.hypotheses)
    assert case.concentration is None


def test_quoted_and_timestamp_dates_display_as_written(tmp_path):
    evi = edit(EVI, "    date: 2023-10-11", "    date: 2023-10-11 14:30:00")
    evi = edit(evi, "    claim: Second claim", "    claim: Second claim\n    date: '2023-10-12'")
    case = load_case("demo", write(tmp_path, evi=evi))
    assert [i.date for i in case.evidence] == ["2023-10-11 14:30:00", "2023-10-12"]


# -- numbers -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "a: 0.7",
            "a: 1.4",
            f"{E}:16: evidence 'e1' likelihood for 'a' is 1.4; must be between 0 and 1",
        ),
        (
            "a: 0.7",
            "a: -0.1",
            f"{E}:16: evidence 'e1' likelihood for 'a' is -0.1; must be between 0 and 1",
        ),
        (
            "a: 0.7",
            "a: likely",
            f"{E}:16: evidence 'e1' likelihood for 'a' is 'likely'; must be a number between 0 "
            "and 1 or a range [low, high]",
        ),
        (
            "a: 0.7",
            "a: true",
            f"{E}:16: evidence 'e1' likelihood for 'a' is true; must be a number between 0 and 1 "
            "or a range [low, high]",
        ),
        (
            "a: 0.7",
            "a: .nan",
            f"{E}:16: evidence 'e1' likelihood for 'a' is .nan; must be a number between 0 and 1",
        ),
        (
            "a: 0.7",
            "a: .inf",
            f"{E}:16: evidence 'e1' likelihood for 'a' is .inf; must be between 0 and 1",
        ),
        (
            "c: [0.1, 0.4]",
            "c: [0.4, 0.1]",
            f"{E}:18: evidence 'e1' likelihood for 'c' is [0.4, 0.1]; the range is reversed; "
            "write [0.1, 0.4]",
        ),
        (
            "c: [0.1, 0.4]",
            "c: [0.4, 0.4]",
            f"{E}:18: evidence 'e1' likelihood for 'c' is [0.4, 0.4]; low must be less than high "
            "(write 0.4 for one value)",
        ),
        (
            "c: [0.1, 0.4]",
            "c: [0.1, 0.4, 0.5]",
            f"{E}:18: evidence 'e1' likelihood for 'c' is [0.1, 0.4, 0.5]; a range must be two "
            "numbers [low, high]",
        ),
        (
            "c: [0.1, 0.4]",
            "c: [0.1, 1.5]",
            f"{E}:18: evidence 'e1' likelihood for 'c' is [0.1, 1.5]; both ends of a range must "
            "be between 0 and 1",
        ),
        (
            "c: [0.1, 0.4]",
            "c: [0, 1]",
            f"{E}:18: evidence 'e1' likelihood for 'c' is [0, 1]; no Beta distribution puts 90% "
            "of its mass in that range; narrow it",
        ),
        (
            "credibility: 0.8",
            "credibility: [0.9, 0.6]",
            f"{E}:7: source 's' credibility is [0.9, 0.6]; the range is reversed; write [0.6, 0.9]",
        ),
        (
            "credibility: 0.8",
            "credibility: hihg",
            f"{E}:7: source 's' credibility is 'hihg'; must be a number between 0 and 1, a range "
            "[low, high] or one of low, medium, high (did you mean 'high'?)",
        ),
        (
            "credibility: 0.8",
            "credibility: 1.2",
            f"{E}:7: source 's' credibility is 1.2; must be between 0 and 1",
        ),
        (
            "concentration: 20",
            "concentration: 0",
            f"{E}:3: defaults concentration is 0; must be a finite number greater than 0",
        ),
        (
            "concentration: 20",
            "concentration: .inf",
            f"{E}:3: defaults concentration is .inf; must be a finite number greater than 0",
        ),
        (
            "    rationale: Because.",
            "    if_unreliable: 2",
            f"{E}:19: evidence 'e1' if_unreliable is 2; must be between 0 and 1",
        ),
        (
            "    rationale: Because.",
            "    relevance: huge",
            f"{E}:19: evidence 'e1' relevance is 'huge'; must be one of low, medium, high",
        ),
        (
            "ratings: {a: C, b: I, c: N}",
            "ratings: {a: C, b: X, c: cc}",
            f"{E}:23: evidence 'e2' rating for 'b' is 'X'; must be one of "
            f"{', '.join(RATING_LIKELIHOOD)}",
        ),
        (
            "date: 2023-10-11",
            "date: October 2023",
            f"{E}:13: evidence 'e1' date is 'October 2023'; must be an ISO date like 2023-10-11",
        ),
        (
            "date: 2023-10-11",
            "date: 2023-02-30",
            f"{E}:13: evidence 'e1' date is '2023-02-30'; must be an ISO date like 2023-10-11",
        ),
    ],
)
def test_bad_values_in_evidence(tmp_path, old, new, expected):
    assert expected in evidence_problems(tmp_path, old, new)


def test_rating_suggests_the_right_case(tmp_path):
    found = evidence_problems(tmp_path, "{a: C, b: I, c: N}", "{a: C, b: I, c: cc}")
    assert found == [
        f"{E}:23: evidence 'e2' rating for 'c' is 'cc'; must be one of "
        f"{', '.join(RATING_LIKELIHOOD)} (did you mean 'CC'?)"
    ]


def test_prior_out_of_range_and_not_numeric(tmp_path):
    hyp = edit(HYP, "prior: 0.5", "prior: 1.5")
    hyp = edit(hyp, "prior: 0.25", "prior: quarter")
    found = problems(write(tmp_path, hyp=hyp))
    assert f"{H}:7: hypothesis 'a' prior is 1.5; must be between 0 and 1" in found
    assert f"{H}:10: hypothesis 'b' prior is 'quarter'; must be a number between 0 and 1" in found


# -- likelihood maps -----------------------------------------------------------------------
def test_hypothesis_missing_from_likelihoods(tmp_path):
    assert evidence_problems(tmp_path, "      b: 0.2\n", "") == [
        f"{E}:15: evidence 'e1' has no likelihood or rating for 'b'; every hypothesis needs one"
    ]


def test_item_with_neither_likelihoods_nor_ratings(tmp_path):
    assert evidence_problems(tmp_path, "    ratings: {a: C, b: I, c: N}\n", "") == [
        f"{E}:20: evidence 'e2' has no likelihood or rating for 'a', 'b', 'c'; "
        "every hypothesis needs one"
    ]


def test_unknown_hypothesis_in_likelihoods(tmp_path):
    assert evidence_problems(tmp_path, "      b: 0.2", "      bb: 0.2") == [
        f"{E}:15: evidence 'e1' has no likelihood or rating for 'b'; every hypothesis needs one",
        f"{E}:17: evidence 'e1' likelihood for 'bb' names no hypothesis; hypotheses are a, b, c "
        "(did you mean 'b'?)",
    ]


def test_unknown_hypothesis_in_ratings(tmp_path):
    assert evidence_problems(tmp_path, "c: N}", "c: N, zed: C}") == [
        f"{E}:23: evidence 'e2' rating for 'zed' names no hypothesis; hypotheses are a, b, c"
    ]


def test_unknown_hypothesis_in_indicator(tmp_path):
    assert evidence_problems(tmp_path, "{a: 0.9, b: 0.1, c: 0.5}", "{a: 0.9, b: 0.1, d: 0.5}") == [
        f"{E}:27: indicator 'i1' has no likelihood or rating for 'c'; every hypothesis needs one",
        f"{E}:27: indicator 'i1' likelihood for 'd' names no hypothesis; hypotheses are a, b, c",
    ]


def test_impossible_item(tmp_path):
    evi = edit(EVI, "a: 0.9, b: 0.1, c: 0.5", "a: 0, b: 0.0, c: 0")
    assert problems(write(tmp_path, evi=evi)) == [
        f"{E}:27: indicator 'i1' is impossible under every hypothesis (every likelihood is 0); "
        "raise a likelihood above 0 or give a positive if_unreliable"
    ]
    allowed = edit(evi, "    claim: Watch this", "    claim: Watch this\n    if_unreliable: 0.1")
    assert load_case("demo", write(tmp_path, evi=allowed)).indicators[0].if_unreliable == 0.1


# -- ids and references ----------------------------------------------------------------------
def test_duplicate_hypothesis_ids(tmp_path):
    found = hypotheses_problems(tmp_path, "  - id: c", "  - id: a")
    assert (
        f"{H}:11: hypothesis 'a' has the same id as the hypothesis on line 5; "
        "every hypothesis needs its own id"
    ) in found
    # the priors (0.5 + 0.25 + 0.25) sum to 1: a sum over ids, one of them lost to the
    # repeat, once said they summed to 0.75
    assert not any("priors sum to" in line for line in found), found


def test_no_valid_hypothesis_leaves_no_follow_on_messages(tmp_path):
    """Every evidence likelihood once named 'no hypothesis; hypotheses are ' (empty)."""
    hyp = HYP[: HYP.index("hypotheses:")] + "hypotheses:\n  - null\n  - 5\n"
    found = problems(write(tmp_path, hyp=hyp))
    assert found and all(line.startswith(f"{H}:") for line in found), found


def test_duplicate_source_ids(tmp_path):
    assert evidence_problems(tmp_path, "  - id: t", "  - id: s") == [
        f"{E}:8: source 's' has the same id as the source on line 5; every source needs its own id",
        f"{E}:22: evidence 'e2' source is 't'; must be one of the sources (s), "
        "or add it under sources",
    ]


def test_duplicate_ids_across_evidence_and_indicators(tmp_path):
    assert evidence_problems(tmp_path, "  - id: i1", "  - id: e1") == [
        f"{E}:25: indicator 'e1' has the same id as the evidence on line 11; "
        "every evidence item, event, assumption and indicator needs its own id"
    ]


def test_unknown_source(tmp_path):
    assert evidence_problems(tmp_path, "    source: t", "    source: jcs") == [
        f"{E}:22: evidence 'e2' source is 'jcs'; must be one of the sources (s, t), "
        "or add it under sources"
    ]
    assert evidence_problems(tmp_path, "    source: t", "    source: tt") == [
        f"{E}:22: evidence 'e2' source is 'tt'; must be one of the sources (s, t) "
        "(did you mean 't'?), or add it under sources"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: b",
            "  - id: B",
            f"{H}:8: hypothesis 'B' id is 'B'; an id may use only a-z, 0-9, '_' and '-'",
        ),
        (
            "  - id: b",
            "  - id: no",
            f"{H}:8: hypothesis #2 id is false; must be text using only a-z, 0-9, '_' and '-'; "
            "put it in quotes (YAML reads unquoted yes, no, on, off as true/false)",
        ),
        (
            "case: demo",
            "case: demo_case",
            f"{H}:1: case is 'demo_case'; a case name may use only a-z, 0-9 and '-', "
            "at most 64 of them, and must not begin with '-'",
        ),
        (
            "case: demo",
            "case: -demo",
            f"{H}:1: case is '-demo'; a case name may use only a-z, 0-9 and '-', "
            "at most 64 of them, and must not begin with '-'",
        ),
    ],
)
def test_bad_ids(tmp_path, old, new, expected):
    assert expected in hypotheses_problems(tmp_path, old, new)


# -- priors and hypotheses ------------------------------------------------------------------
def test_priors_for_some_but_not_all(tmp_path):
    assert hypotheses_problems(tmp_path, "    prior: 0.5\n", "") == [
        f"{H}:4: priors are given for 'b', 'c' but not for 'a'; "
        "give every hypothesis a prior, or none for a uniform prior"
    ]


def test_priors_not_summing_to_one(tmp_path):
    assert hypotheses_problems(tmp_path, "prior: 0.5", "prior: 0.4") == [
        f"{H}:4: priors sum to 0.9; they must sum to 1 (within 1e-06)"
    ]
    assert load_case("demo", write(tmp_path, hyp=edit(HYP, "prior: 0.5", "prior: 0.5000001")))


def test_fewer_than_two_hypotheses(tmp_path):
    hyp = HYP.split("  - id: b")[0].replace("    prior: 0.5\n", "")
    assert problems(write(tmp_path, hyp=hyp)) == [
        f"{E}:17: evidence 'e1' likelihood for 'b' names no hypothesis; hypotheses are a",
        f"{E}:18: evidence 'e1' likelihood for 'c' names no hypothesis; hypotheses are a",
        f"{E}:23: evidence 'e2' rating for 'b' names no hypothesis; hypotheses are a",
        f"{E}:23: evidence 'e2' rating for 'c' names no hypothesis; hypotheses are a",
        f"{E}:27: indicator 'i1' likelihood for 'b' names no hypothesis; hypotheses are a",
        f"{E}:27: indicator 'i1' likelihood for 'c' names no hypothesis; hypotheses are a",
        f"{H}:4: hypotheses lists 1; ACH needs at least two competing hypotheses",
    ]


# -- case names -------------------------------------------------------------------------------
def test_case_name_must_match_file_stem(tmp_path):
    write(
        tmp_path,
        hyp=HYP.replace("case: demo", "case: other"),
        evi=EVI.replace("case: demo", "case: other"),
    )
    assert problems(tmp_path) == [
        f"{E}:1: case is 'other'; must be 'demo' to match the file name demo.yaml",
        f"{H}:1: case is 'other'; must be 'demo' to match the file name demo.yaml",
    ]


def test_two_files_naming_different_cases(tmp_path):
    hyp_path = tmp_path / "one.yaml"
    evi_path = tmp_path / "two.yaml"
    hyp_path.write_text(HYP, encoding="utf-8")
    evi_path.write_text(EVI.replace("case: demo", "case: other"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_case_files(hyp_path, evi_path)
    assert caught.value.lines() == [
        f"{evi_path}:1: case is 'other'; must be 'demo', the case named in {hyp_path}"
    ]


@pytest.mark.parametrize(
    "name", ["../x", "../../etc/passwd", "/etc/passwd", "Demo", "a b", "", "x.yaml"]
)
def test_case_name_that_could_escape_root_is_refused(tmp_path, name, monkeypatch):
    write(tmp_path)
    touched = []
    for method in ("resolve", "exists", "read_bytes", "read_text"):
        monkeypatch.setattr(Path, method, lambda self, *a, **k: touched.append(self))
    with pytest.raises(CaseError) as caught:
        load_case(name, tmp_path)
    assert touched == []  # refused before touching the filesystem
    (line,) = caught.value.lines()
    assert line.startswith("case name: ") and "may use only a-z, 0-9 and '-'" in line


def test_symlink_out_of_root_is_refused(tmp_path):
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    write(outside)
    write(root, name="other")
    os.symlink(outside / "hypotheses" / "demo.yaml", root / "hypotheses" / "demo.yaml")
    os.symlink(outside / "evidence" / "demo.yaml", root / "evidence" / "demo.yaml")
    assert problems(root) == [
        f"{E}: resolves outside {root}; case files must stay under it",
        f"{H}: resolves outside {root}; case files must stay under it",
    ]


# -- files -------------------------------------------------------------------------------------
def test_missing_files(tmp_path):
    write(tmp_path)
    assert problems(tmp_path, "nope") == [
        f"evidence/nope.yaml: file not found; cases under {tmp_path}: demo",
        f"hypotheses/nope.yaml: file not found; cases under {tmp_path}: demo",
    ]
    (tmp_path / "evidence" / "demo.yaml").unlink()
    assert problems(tmp_path) == [f"{E}: file not found; there are no cases under {tmp_path}"]


def test_empty_files(tmp_path):
    assert problems(write(tmp_path, hyp="", evi="# nothing yet\n")) == [
        f"{E}: is empty; it must be a mapping with keys case, sources, evidence",
        f"{H}: is empty; it must be a mapping with keys case, title, question, hypotheses",
    ]


def test_not_utf8(tmp_path):
    assert problems(write(tmp_path, evi=EVI.encode() + b"  - id: \xff\n")) == [
        f"{E}:28: is not UTF-8 text (byte 0xff); save the file as UTF-8"
    ]


def test_utf8_bom_and_non_ascii_text(tmp_path):
    evi = EVI.replace("First claim", "Première déclaration — “quoted”")
    case = load_case("demo", write(tmp_path, evi=b"\xef\xbb\xbf" + evi.encode()))
    assert case.evidence[0].claim == "Première déclaration — “quoted”"


def test_top_level_not_a_mapping(tmp_path):
    assert problems(write(tmp_path, hyp="- a\n- b\n")) == [
        f"{H}:1: the file is ['a', 'b']; must be a mapping with keys case, title, question, "
        "as_of, marking, hypotheses"
    ]


# -- YAML itself ---------------------------------------------------------------------------------
def test_yaml_syntax_error_is_located(tmp_path):
    found = evidence_problems(tmp_path, "    claim: Second claim", "    claim: Second: claim")
    assert found == [
        f"{E}:21: YAML syntax error: mapping values are not allowed here; "
        "check the indentation, colons and quotes"
    ]


def test_syntax_errors_in_both_files_are_both_reported(tmp_path):
    found = problems(write(tmp_path, hyp=HYP + "  - [unclosed\n", evi="a: b: c\n"))
    assert [line.split(":")[:2] for line in found] == [[E, "1"], [H, "15"]]


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['echo hacked']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!custom thing", "!custom"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {x, y}", "!!set"),
        ("!!omap [{x: 1}]", "!!omap"),
    ],
)
def test_yaml_tags_are_refused(tmp_path, value, tag):
    assert evidence_problems(tmp_path, "claim: First claim", f"claim: {value}") == [
        f"{E}:12: YAML tag {tag} is not allowed (at evidence[0].claim); "
        "case files hold only plain text, numbers, lists and mappings"
    ]


def test_explicit_standard_tag_that_cannot_be_read(tmp_path):
    assert evidence_problems(tmp_path, "a: 0.7", "a: !!float abc") == [
        f"{E}:16: 'abc' cannot be read as !!float (at evidence[0].likelihoods.a); fix the value"
    ]


def test_duplicate_keys(tmp_path):
    found = evidence_problems(tmp_path, "      b: 0.2", "      b: 0.2\n      a: 0.9")
    assert found == [
        f"{E}:18: key 'a' appears twice in evidence[0].likelihoods (first on line 16); "
        "YAML would keep only the last one, so remove or rename one of them"
    ]


def test_merge_keys_are_refused(tmp_path):
    found = evidence_problems(tmp_path, "    claim: Second claim", "    <<: {claim: Second claim}")
    assert (
        f"{E}:21: merge keys (<<) are not supported (at evidence[1]); write the keys out" in found
    )


def test_alias_bomb_is_cut_off(tmp_path):
    bomb = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    evi = EVI + bomb.replace("lol: &a", "bomb: &a")
    found = problems(write(tmp_path, evi=evi))
    assert any(f"expands to more than {MAX_NODES} values" in line for line in found)
    assert all(line.startswith(f"{E}:") for line in found)


def test_recursive_alias_is_cut_off(tmp_path):
    found = evidence_problems(tmp_path, "    claim: Second claim", "    claim: &r [*r]")
    assert len(found) == 1 and found[0].startswith(f"{E}:21: the document nests deeper than")


def test_alias_building_a_structure_in_a_text_field(tmp_path):
    evi = edit(EVI, "    claim: First claim", "    claim: &list [x, y]")
    evi = edit(evi, "    claim: Second claim", "    claim: *list")
    assert problems(write(tmp_path, evi=evi)) == [
        f"{E}:12: evidence 'e1' claim is ['x', 'y']; must be text",
        f"{E}:21: evidence 'e2' claim is ['x', 'y']; must be text",
    ]


# -- shapes --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Demo case",
            "title: 2024",
            f"{H}:2: title is 2024; must be text; put it in quotes",
        ),
        ("title: Demo case", "title: {a: 1}", f"{H}:2: title is {{a: 1}}; must be text"),
        ("title: Demo case", "title:", f"{H}:2: title is empty; must be text"),
        ("label: Beta", "label: [x]", f"{H}:9: hypothesis 'b' label is ['x']; must be text"),
        (
            "label: Beta",
            "label: yes",
            f"{H}:9: hypothesis 'b' label is true; must be text; "
            "put it in quotes (YAML reads unquoted yes, no, on, off as true/false)",
        ),
    ],
)
def test_text_fields_that_are_not_text_in_hypotheses(tmp_path, old, new, expected):
    assert hypotheses_problems(tmp_path, old, new) == [expected]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "claim: First claim",
            "claim: 12",
            f"{E}:12: evidence 'e1' claim is 12; must be text; put it in quotes",
        ),
        (
            "name: Source T",
            "name: 1.5",
            f"{E}:9: source 't' name is 1.5; must be text; put it in quotes",
        ),
        (
            "rationale: Because.",
            "rationale: [a, b]",
            f"{E}:19: evidence 'e1' rationale is ['a', 'b']; must be text (or leave the key out)",
        ),
        (
            "source: s",
            "source: 3",
            f"{E}:14: evidence 'e1' source is 3; must be text using only a-z, 0-9, '_' and '-'; "
            "put it in quotes",
        ),
    ],
)
def test_text_fields_that_are_not_text_in_evidence(tmp_path, old, new, expected):
    assert expected in evidence_problems(tmp_path, old, new)


def test_unknown_key_with_suggestion(tmp_path):
    found = evidence_problems(tmp_path, "    likelihoods:\n", "    likelyhoods:\n")
    assert (
        f"{E}:15: evidence 'e1' has unknown key 'likelyhoods'; allowed keys: id, claim, date, "
        "source, likelihoods, rationale, ratings, relevance, if_unreliable, tags, event, "
        "retracted (did you mean 'likelihoods'?)"
    ) in found


def test_unknown_key_without_suggestion(tmp_path):
    assert hypotheses_problems(
        tmp_path, "question: Which is it?", "question: Which is it?\nzzz: 1"
    ) == [
        f"{H}:4: the file has unknown key 'zzz'; "
        "allowed keys: case, title, question, as_of, marking, hypotheses"
    ]


def test_missing_key(tmp_path):
    assert evidence_problems(tmp_path, "    claim: Second claim\n", "") == [
        f"{E}:20: evidence 'e2' has no key 'claim'; add it (required keys: id, claim, source)"
    ]


def test_entry_that_is_not_a_mapping(tmp_path):
    assert evidence_problems(tmp_path, "  - id: t\n    name: Source T\n", "  - just a name\n") == [
        f"{E}:8: source #2 is 'just a name'; must be a mapping with keys id, name, credibility",
        f"{E}:21: evidence 'e2' source is 't'; must be one of the sources (s), "
        "or add it under sources",
    ]


def test_list_given_a_mapping(tmp_path):
    assert evidence_problems(
        tmp_path, "indicators:\n  - id: i1", "indicators:\n  i1:\n    id: i1"
    ) == [
        f"{E}:24: indicators is {{i1: {{id: 'i1', claim: 'Watch this', likelihoods: "
        "{a: 0.9, b: 0.1, c: 0.5}}}; must be a list (one '- ' entry per line)"
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    hyp = edit(HYP, "prior: 0.5", "prior: 2")
    evi = edit(EVI, "a: 0.7", "a: 1.4")
    evi = edit(evi, "    source: t", "    source: nobody")
    evi = edit(evi, "    claim: Watch this", "    clam: Watch this")
    found = problems(write(tmp_path, hyp=hyp, evi=evi))
    assert [line.split(": ", 1)[0] for line in found] == [
        f"{E}:16",
        f"{E}:22",
        f"{E}:25",
        f"{E}:26",
        f"{H}:7",
    ]


# -- other entry points ---------------------------------------------------------------------------
def test_load_case_texts_names_default_to_the_case(tmp_path):
    case = load_case_texts(HYP, EVI)
    assert case == load_case("demo", write(tmp_path))
    assert (case.hypotheses_path, case.evidence_path) == (H, E)
    with pytest.raises(CaseError) as caught:
        load_case_texts(HYP, edit(EVI, "a: 0.7", "a: 7"), evidence_name="upload.yaml")
    assert caught.value.lines() == [
        "upload.yaml:16: evidence 'e1' likelihood for 'a' is 7; must be between 0 and 1"
    ]


def test_load_case_texts_accepts_bytes_and_reports_unparsable_case():
    with pytest.raises(CaseError) as caught:
        load_case_texts(b"", b"case: [\n")
    assert caught.value.lines()[0].startswith("evidence/<case>.yaml:2: YAML syntax error")


def test_load_case_files_does_not_require_the_stem(tmp_path):
    hyp, evi = tmp_path / "upload-1.yaml", tmp_path / "upload-2.yaml"
    hyp.write_text(HYP, encoding="utf-8")
    evi.write_text(EVI, encoding="utf-8")
    case = load_case_files(hyp, evi)
    assert case.name == "demo" and case.evidence_path == str(evi)


def test_list_cases(tmp_path):
    assert list_cases(tmp_path) == []
    write(tmp_path)
    write(tmp_path, name="b-case")
    (tmp_path / "hypotheses" / "only-here.yaml").write_text(HYP, encoding="utf-8")
    (tmp_path / "evidence" / "Bad Name.yaml").write_text(EVI, encoding="utf-8")
    (tmp_path / "hypotheses" / "Bad Name.yaml").write_text(HYP, encoding="utf-8")
    assert list_cases(tmp_path) == ["b-case", "demo"]


# -- bundled cases ---------------------------------------------------------------------------------
def _bundled(root: Path) -> list[str]:
    return list_cases(root)


def _without_locations(case: Case) -> Case:
    def strip(items):
        return tuple(dataclasses.replace(x, line=0) for x in items)

    return dataclasses.replace(
        case,
        hypotheses=strip(case.hypotheses),
        sources=strip(case.sources),
        evidence=strip(case.evidence),
        indicators=strip(case.indicators),
        events=strip(case.events),
        assumptions=strip(case.assumptions),
        hypotheses_path=None,
        evidence_path=None,
    )


def test_there_are_bundled_cases(repo_root):
    assert _bundled(repo_root)


def test_every_bundled_case_round_trips(repo_root, tmp_path):
    for name in _bundled(repo_root):
        case = load_case(name, repo_root)
        hyp, evi = case.to_data()
        for folder, data in (("hypotheses", hyp), ("evidence", evi)):
            (tmp_path / folder).mkdir(exist_ok=True)
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
            (tmp_path / folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        again = load_case(name, tmp_path)
        assert again.content_hash == case.content_hash, name
        assert _without_locations(again) == _without_locations(case), name
        assert (
            load_case_texts(
                *(
                    Path(tmp_path, f, f"{name}.yaml").read_text("utf-8")
                    for f in ("hypotheses", "evidence")
                )
            )
            is not None
        )


def test_deep_nesting_is_a_located_problem(tmp_path):
    """libyaml parses the text; the build from its events is iterative, so any depth is
    a located problem, never a crashed stack."""
    deep = EVI + "deep: " + "[" * 200_000 + "]" * 200_000 + "\n"
    found = problems(write(tmp_path, evi=deep))
    line = EVI.count("\n") + 1
    assert found == [f"{E}:{line}: the document nests deeper than 64 levels; flatten it"]


def test_block_nesting_is_a_located_problem(tmp_path):
    deep = EVI + "deep:\n" + "".join("  " * i + "- \n" for i in range(1, 120)) + "\n"
    found = problems(write(tmp_path, evi=deep))
    assert any("nests deeper than 64 levels" in line for line in found)


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    from analysis.casefile import limits

    monkeypatch.setattr(limits, "MAX_BYTES", 2 * limits.MEBIBYTE)
    found = problems(write(tmp_path, evi=EVI + f"claim: {'y' * 3 * limits.MEBIBYTE}\n"))
    assert found == [  # 3 MiB and a few hundred bytes, rounded up
        f"{E}:1: is 3.1 MiB; the limit for a case file is 2 MiB: split the case or "
        "remove what does not belong in it"
    ]


def test_an_as_of_before_the_items_dates_is_warned_of():
    from conftest import ROOT

    hyp = (ROOT / "hypotheses" / "nk-hamas.yaml").read_text(encoding="utf-8")
    evi = (ROOT / "evidence" / "nk-hamas.yaml").read_text(encoding="utf-8")
    import re

    def with_as_of(day: str) -> str:
        return re.sub(r"^as_of: .*$", f"as_of: {day}", hyp, count=1, flags=re.M)

    early = with_as_of("2023-10-10")
    case = load_case_texts(early, evi)
    dated = [i.date for i in case.evidence if i.date and i.date > "2023-10-10"]
    notes = [n for n in case.warnings if "as_of is 2023-10-10" in n]
    assert len(notes) == 1 and f"before {len(dated)} of the items' dates" in notes[0]
    assert f"(the latest {max(dated)})" in notes[0]
    assert not [n for n in load_case_texts(with_as_of("2023-11-05"), evi).warnings if "as_of" in n]
    assert not [n for n in load_case_texts(hyp, evi).warnings if "as_of" in n]


def test_an_id_past_64_characters_is_refused(tmp_path):
    long_id = "e" * 65
    found = problems(write(tmp_path, evi=EVI.replace("  - id: e2\n", f"  - id: {long_id}\n")))
    assert any("an id has at most 64 characters (this one 65)" in p for p in found), found
    load_case("demo", write(tmp_path, evi=EVI.replace("  - id: e2\n", f"  - id: {'e' * 64}\n")))


def test_a_tag_is_one_line(tmp_path):
    tagged = EVI.replace(
        "    rationale: Because.\n", '    rationale: Because.\n    tags: ["a\\nb"]\n'
    )
    found = problems(write(tmp_path, evi=tagged))
    assert len(found) == 1 and "must be one line" in found[0], found
