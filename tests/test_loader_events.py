"""Case-file keys for events, assumptions, tags, retracted items, as_of and marking."""

from __future__ import annotations

import pytest
from test_loader import HYP, edit, problems, write

from analysis import analyze
from analysis.casefile.loader import load_case, load_case_texts
from analysis.cli import app

EVI = """\
case: demo
sources:
  - id: s
    name: Source S
    credibility: 0.8
  - id: t
    name: Source T
evidence:
  - id: e1
    claim: First report of the photograph
    source: s
    event: photo
    tags: [imagery, official]
  - id: e2
    claim: Second report of the photograph
    source: t
    event: photo
    retracted: true
  - id: e3
    claim: A lone item
    source: t
    likelihoods: {a: 0.7, b: 0.2, c: 0.4}
events:
  - id: photo
    description: The photograph was taken.
    date: 2023-10-07
    likelihoods: {a: 0.9, b: 0.3, c: 0.05}
    rationale: Expected if a; unlikely if c.
  - id: rated
    description: Seen only in ratings.
    ratings: {a: C, b: I, c: N}
assumptions:
  - id: genuine
    statement: The photograph is genuine.
    rests_on: [photo, e3]
    rationale: Nobody has shown it altered.
"""

E = "evidence/demo.yaml"
H = "hypotheses/demo.yaml"


def evidence_problems(tmp_path, old: str, new: str) -> list[str]:
    return problems(write(tmp_path, evi=edit(EVI, old, new)))


def test_events_assumptions_tags_and_retracted_load(tmp_path):
    hyp = edit(HYP, "question: Which is it?", "question: Which is it?\nas_of: 2024-01-08\n"
               "marking: UNCLASSIFIED")  # fmt: skip
    case = load_case("demo", write(tmp_path, hyp=hyp, evi=EVI))
    assert (case.as_of, case.marking, case.cutoff) == ("2024-01-08", "UNCLASSIFIED", "2024-01-08")
    e1, e2, e3 = case.evidence
    photo, rated = case.events
    assert (e1.event, e1.tags, e1.retracted) == ("photo", ("imagery", "official"), False)
    assert (e2.event, e2.retracted, e3.event) == ("photo", True, None)
    assert e1.likelihoods is photo.likelihoods and e1.likelihoods["a"].value == 0.9
    assert (photo.date, photo.line, rated.line) == ("2023-10-07", 24, 29)
    assert rated.likelihoods["b"].origin == "rating" and rated.ratings == {
        "a": "C",
        "b": "I",
        "c": "N",
    }
    (genuine,) = case.assumptions
    assert genuine.rests_on == ("photo", "e3") and genuine.line == 33
    assert case.resting_on(genuine) == (0, 1, 2)
    assert case.event_reports == {"photo": (0, 1), "rated": ()}
    assert case.warnings == (
        f"{E}:29: event 'rated' is reported by no item, so it carries no weight; add "
        "'event: rated' to the items that report it, or remove it",
    )
    result = analyze(case)
    assert case.warnings[0] in result.warnings
    assert [a.id for a in (r.assumption for r in result.assumptions)] == ["genuine"]
    assert result.events[0].items == (0,)  # the retracted report does not count


def test_case_round_trips_through_its_data(tmp_path):
    import yaml

    case = load_case("demo", write(tmp_path))
    case = load_case("demo", write(tmp_path, evi=EVI))
    hyp, evi = case.to_data()
    again = load_case_texts(yaml.safe_dump(hyp), yaml.safe_dump(evi))
    assert again.to_data() == case.to_data()
    assert again.content_hash == case.content_hash
    assert "likelihoods" not in evi["evidence"][0] and evi["evidence"][1]["retracted"] is True


def test_item_with_event_and_its_own_numbers(tmp_path):
    found = evidence_problems(
        tmp_path, "    event: photo\n    tags", "    event: photo\n    ratings: {a: C}\n    tags"
    )
    assert found == [
        f"{E}:13: evidence 'e1' reports event 'photo' and also gives ratings; remove them: an "
        "item that reports an event takes the event's likelihoods"
    ]
    found = evidence_problems(
        tmp_path, "    event: photo\n    retracted", "    event: photo\n    likelihoods: {a: 0.1}\n"
        "    retracted",
    )  # fmt: skip
    assert found == [
        f"{E}:18: evidence 'e2' reports event 'photo' and also gives likelihoods; remove them: "
        "an item that reports an event takes the event's likelihoods"
    ]


def test_unknown_event(tmp_path):
    assert evidence_problems(
        tmp_path, "    event: photo\n    tags", "    event: fhoto\n    tags"
    ) == [
        f"{E}:12: evidence 'e1' event is 'fhoto'; must be one of the events (photo, rated) "
        "(did you mean 'photo'?), or add it under events"
    ]


def test_assumption_resting_on_an_unknown_id(tmp_path):
    assert evidence_problems(tmp_path, "rests_on: [photo, e3]", "rests_on: [photo, e31]") == [
        f"{E}:35: assumption 'genuine' rests_on 'e31' names no evidence item or event (did you "
        "mean 'e3'?); list the ids of the evidence items and events that rest on it"
    ]
    assert evidence_problems(tmp_path, "rests_on: [photo, e3]", "rests_on: []") == [
        f"{E}:35: assumption 'genuine' rests_on is []; name at least one evidence item or "
        "event that rests on it"
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "first", "other"),
    [
        ("  - id: rated", "  - id: e3", 29, "event 'e3'", "evidence on line 19"),
        ("  - id: genuine", "  - id: photo", 33, "assumption 'photo'", "event on line 24"),
        ("  - id: genuine", "  - id: e1", 33, "assumption 'e1'", "evidence on line 9"),
    ],
)
def test_id_used_in_two_sections(tmp_path, old, new, line, first, other):
    assert (
        f"{E}:{line}: {first} has the same id as the {other}; every evidence item, event, "
        "assumption and indicator needs its own id"
    ) in evidence_problems(tmp_path, old, new)


def test_id_shared_with_an_indicator(tmp_path):
    evi = (
        EVI + "indicators:\n  - id: photo\n    claim: Watch\n    likelihoods: {a: 1, b: 0, c: 0}\n"
    )
    assert problems(write(tmp_path, evi=evi)) == [
        f"{E}:38: indicator 'photo' has the same id as the event on line 24; every evidence "
        "item, event, assumption and indicator needs its own id"
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [("08/01/2024", "'08/01/2024'"), ("2024-13-01", "'2024-13-01'"),
                         ("yes", "true")]
)  # fmt: skip
def test_as_of_not_a_date(tmp_path, value, shown):
    hyp = edit(HYP, "question: Which is it?", f"question: Which is it?\nas_of: {value}")
    assert problems(write(tmp_path, hyp=hyp, evi=EVI)) == [
        f"{H}:4: as_of is {shown}; must be an ISO date like 2023-10-11"
    ]


def test_event_needs_every_hypothesis_and_is_checked_like_an_item(tmp_path):
    assert evidence_problems(tmp_path, "{a: 0.9, b: 0.3, c: 0.05}", "{a: 0.9, b: 1.3}") == [
        f"{E}:27: event 'photo' has no likelihood or rating for 'c'; every hypothesis needs one",
        f"{E}:27: event 'photo' likelihood for 'b' is 1.3; must be between 0 and 1",
    ]
    assert evidence_problems(tmp_path, "{a: 0.9, b: 0.3, c: 0.05}", "{a: 0, b: 0, c: 0}") == [
        f"{E}:27: event 'photo' is impossible under every hypothesis (every likelihood is 0); "
        "raise a likelihood above 0"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    retracted: true", "    retracted: maybe",
         f"{E}:18: evidence 'e2' retracted is 'maybe'; must be true or false"),
        ("    tags: [imagery, official]", "    tags: imagery",
         f"{E}:13: evidence 'e1' tags is 'imagery'; must be a list (one '- ' entry per line)"),
        ("    tags: [imagery, official]", "    tags: [imagery, 3]",
         f"{E}:13: evidence 'e1' tags 1 is 3; must be text; put it in quotes"),
        ("    statement: The photograph is genuine.\n", "",
         f"{E}:33: assumption 'genuine' has no key 'statement'; add it (required keys: id, "
         "statement, rests_on)"),
        ("    description: Seen only in ratings.\n", "    descripton: x\n",
         f"{E}:30: event 'rated' has unknown key 'descripton'; allowed keys: id, description, "
         "date, likelihoods, ratings, rationale (did you mean 'description'?)"),
    ],
)  # fmt: skip
def test_bad_values_of_the_new_keys(tmp_path, old, new, expected):
    assert expected in evidence_problems(tmp_path, old, new)


def test_validate_prints_the_warning_and_succeeds(tmp_path):
    from typer.testing import CliRunner

    root = write(tmp_path, evi=EVI)
    result = CliRunner().invoke(app, ["validate", "demo", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert f"warning: {E}:29: event 'rated' is reported by no item" in result.output
    bad = write(tmp_path, evi=edit(EVI, "rests_on: [photo, e3]", "rests_on: [nope]"))
    result = CliRunner().invoke(app, ["validate", "demo", "--root", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{E}:35: assumption 'genuine' rests_on 'nope'")
