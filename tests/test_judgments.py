"""Judgment files: every bad-file class is a located problem; the overlay is exact."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import numpy as np
import pytest
import yaml
from conftest import ROOT

from analysis.case import Prob
from analysis.casefile.judgments import (
    Judgments,
    load_analyst,
    load_judgments,
    overlay,
    parse_judgments,
)
from analysis.engine.analyzer import analyze
from analysis.errors import CaseError
from analysis.scales import RATING_LIKELIHOOD
from analysis.testing.synthetic import make_case

# h0..h2, items e0..e2 (sources s0..s2), indicator x0
CASE = make_case(
    [[0.8, 0.3, 0.1], [0.5, 0.6, 0.2], [0.2, 0.2, 0.9]],
    credibility=[0.9, 0.7, 0.5],
    indicators=[[0.6, 0.1, 0.3]],
    name="toy",
)

GOOD = """\
case: toy
analyst: kim
priors: {h0: 0.5, h1: 0.25, h2: 0.25}
likelihoods:
  e0: {h0: 0.6, h2: [0.05, 0.2]}
  x0: {h1: 0.4}
ratings:
  e1: {h2: I}
credibility: {s1: high, s2: 0.4}
rationale:
  e0: The rockets could be copies.
  s2: Never reliable before.
notes: Sceptical of the first report.
"""


def write(tmp_path, analyst: str, text: str):
    folder = tmp_path / "judgments" / "toy"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{analyst}.yaml").write_text(textwrap.dedent(text))
    return tmp_path


def problems(tmp_path, analyst: str, text: str) -> list[str]:
    root = write(tmp_path, analyst, text)
    with pytest.raises(CaseError) as caught:
        load_judgments(CASE, root)
    return caught.value.lines()


def test_good_file_loads(tmp_path):
    root = write(tmp_path, "kim", GOOD)
    found = load_judgments(CASE, root)
    kim = found["kim"]
    assert kim.priors == {"h0": 0.5, "h1": 0.25, "h2": 0.25}
    assert kim.likelihoods[("e0", "h0")] == Prob(0.6)
    assert kim.likelihoods[("e0", "h2")].is_range
    assert kim.ratings == {("e1", "h2"): "I"}
    assert kim.credibility["s1"].word == "high"
    assert kim.rationale["s2"] == "Never reliable before."
    assert kim.path == "judgments/toy/kim.yaml"


def test_no_folder_means_no_analysts(tmp_path):
    assert load_judgments(CASE, tmp_path) == {}


def test_round_trip(tmp_path):
    root = write(tmp_path, "kim", GOOD)
    kim = load_analyst(CASE, "kim", root)
    again = parse_judgments(CASE, yaml.safe_dump(kim.to_data()), "kim")
    assert again == kim


BAD = [
    # (class, text, expected line, expected words)
    ("unknown item", "likelihoods:\n  e9: {h0: 0.5}\n", 4, "names 'e9', which is no item"),
    ("unknown hypothesis", "likelihoods:\n  e0: {h7: 0.5}\n", 4, "names 'h7', which is no hypo"),
    ("unknown rated item", "ratings:\n  e00: {h0: C}\n", 4, "(did you mean 'e0'?)"),
    ("unknown source", "credibility: {s9: 0.5}\n", 3, "names 's9', which is no source"),
    ("unknown prior", "priors: {h0: 0.5, h1: 0.25, h2: 0.2, hx: 0.05}\n", 3, "names 'hx'"),
    ("priors partial", "priors: {h0: 0.5, h1: 0.5}\n", 3, "priors leave out 'h2'"),
    ("priors sum", "priors: {h0: 0.5, h1: 0.5, h2: 0.5}\n", 3, "priors sum to 1.5"),
    ("prior zero", "priors: {h0: 0, h1: 0.5, h2: 0.5}\n", 3, "hypothesis 'h0' prior is 0"),
    ("likelihood range", "likelihoods:\n  e0: {h0: 1.4}\n", 4, "is 1.4; must be between 0 and 1"),
    ("credibility range", "credibility: {s0: -0.1}\n", 3, "credibility of 's0' is -0.1"),
    ("reversed range", "likelihoods:\n  e0: {h0: [0.8, 0.2]}\n", 4, "the range is reversed"),
    ("beta range", "likelihoods:\n  e0: {h0: [0.0, 1.0]}\n", 4, "no Beta distribution"),
    ("bad rating", "ratings:\n  e0: {h0: X}\n", 4, "must be one of II, I, N, NA, C, CC"),
    ("bad word", "credibility: {s0: hihg}\n", 3, "(did you mean 'high'?)"),
    ("unknown key", "likelyhoods: {}\n", 3, "unknown key 'likelyhoods'"),
    ("unknown rationale", "rationale: {e7: why}\n", 3, "rationale names 'e7'"),
    ("impossible", "likelihoods:\n  e0: {h0: 0, h1: 0, h2: 0}\n", 4, "impossible under every"),
    ("not a mapping", "likelihoods:\n  e0: 0.5\n", 4, "likelihood of 'e0' is 0.5"),
    ("notes not text", "notes: 3\n", 3, "notes is 3; must be text"),
]


@pytest.mark.parametrize(("kind", "body", "line", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_located(tmp_path, kind, body, line, words):
    text = "case: toy\nanalyst: kim\n" + body
    found = problems(tmp_path, "kim", text)
    assert any(p.startswith(f"judgments/toy/kim.yaml:{line}: ") and words in p for p in found), (
        found
    )


def test_analyst_must_match_the_file_name(tmp_path):
    found = problems(tmp_path, "kim", "case: toy\nanalyst: lee\n")
    assert found == [
        "judgments/toy/kim.yaml:2: analyst is 'lee'; must be 'kim' to match the file name kim.yaml"
    ]


def test_analyst_may_not_be_case(tmp_path):
    found = problems(tmp_path, "kim", "case: toy\nanalyst: case\n")
    assert any(":2: analyst is 'case'" in p and "the case file itself" in p for p in found)
    found = problems(tmp_path, "case", "case: toy\nanalyst: case\n")
    assert any(p.startswith("judgments/toy/case.yaml") and "file name 'case'" in p for p in found)


def test_bad_file_name(tmp_path):
    found = problems(tmp_path, "Kim", "case: toy\nanalyst: kim\n")
    assert found[0].startswith("judgments/toy/Kim.yaml: the file name 'Kim' is not an analyst")


def test_case_must_match(tmp_path):
    found = problems(tmp_path, "kim", "case: other\nanalyst: kim\n")
    assert found == [
        "judgments/toy/kim.yaml:1: case is 'other'; must be 'toy', the case these judgments are of"
    ]


def test_missing_keys_empty_file_and_syntax(tmp_path):
    assert any("has no key 'analyst'" in p for p in problems(tmp_path, "kim", "case: toy\n"))
    assert any("is empty" in p for p in problems(tmp_path, "kim", ""))
    found = problems(tmp_path, "kim", "case: toy\nanalyst: !!python/object kim\n")
    assert any(":2: YAML tag" in p for p in found)


def test_every_problem_of_every_file_at_once(tmp_path):
    write(tmp_path, "kim", "case: toy\nanalyst: kim\ncredibility: {s9: 0.5}\n")
    found = problems(tmp_path, "lee", "case: toy\nanalyst: lee\nlikelihoods:\n  e9: {h0: 1}\n")
    assert [p.split(":")[0] for p in found] == ["judgments/toy/kim.yaml", "judgments/toy/lee.yaml"]


# -- overlay --------------------------------------------------------------------------------
def test_overlay_replaces_only_what_is_given(tmp_path):
    kim = load_analyst(CASE, "kim", write(tmp_path, "kim", GOOD))
    seen = overlay(CASE, kim)
    e0, e1, e2 = seen.evidence
    assert e0.likelihoods["h0"].value == 0.6
    assert e0.likelihoods["h1"] == CASE.evidence[0].likelihoods["h1"]
    assert e1.likelihoods["h2"] == Prob(0.15, "rating", word="I") and e1.ratings == {"h2": "I"}
    assert e2 == CASE.evidence[2]
    assert seen.indicators[0].likelihoods["h1"].value == 0.4
    assert [s.credibility.value for s in seen.sources] == [0.9, 0.9, 0.4]
    assert list(seen.prior) == [0.5, 0.25, 0.25]
    assert overlay(CASE, None) is CASE
    assert overlay(CASE, Judgments("toy", "nobody")) is CASE


def test_a_number_drops_the_case_rating_unless_rated_again():
    first = replace(CASE.evidence[0], ratings={"h0": "C"})
    rated = CASE.with_changes(evidence=(first, *CASE.evidence[1:]))
    number = Judgments("toy", "kim", likelihoods={("e0", "h0"): Prob(0.3)})
    assert overlay(rated, number).evidence[0].ratings == {}
    both = Judgments(
        "toy", "kim", likelihoods={("e0", "h0"): Prob(0.3)}, ratings={("e0", "h0"): "I"}
    )
    seen = overlay(rated, both).evidence[0]
    assert seen.ratings == {"h0": "I"} and seen.likelihoods["h0"].value == 0.3


# -- the bundled example ------------------------------------------------------------------
BUNDLED = sorted(p.name for p in (ROOT / "judgments").iterdir() if p.is_dir())


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_judgments_load_and_differ(name):
    from analysis.casefile.loader import load_case

    case = load_case(name, ROOT)
    found = load_judgments(case, ROOT)
    assert len(found) >= 3
    for analyst, judgments in found.items():
        assert judgments and judgments.notes and judgments.rationale, analyst


# -- events -----------------------------------------------------------------------------------
EVENTS = make_case(
    [[0.8, 0.3, 0.1], [0.5, 0.6, 0.2], [0.2, 0.2, 0.9]],
    credibility=[0.9, 0.7, 0.5],
    events=[[0.9, 0.5, 0.1]],
    item_events=[None, 0, 0],
    name="toy",
)


def test_an_event_is_judged_and_its_reports_follow():
    found = parse_judgments(
        EVENTS, "case: toy\nanalyst: kim\nlikelihoods:\n  ev0: {h2: 0.4}\n", "kim"
    )
    seen = overlay(EVENTS, found)
    assert seen.event_by_id["ev0"].likelihoods["h2"].value == 0.4
    assert [i.likelihoods["h2"].value for i in seen.evidence[1:]] == [0.4, 0.4]


def test_a_report_of_an_event_is_refused_with_the_fix():
    with pytest.raises(CaseError) as caught:
        parse_judgments(EVENTS, "case: toy\nanalyst: kim\nratings:\n  e1: {h2: I}\n", "kim")
    assert caught.value.lines() == [
        "judgments/toy/kim.yaml:4: ratings names 'e1', which reports event 'ev0' and takes "
        "its likelihoods from it; judge the event instead (ratings: {ev0: ...})"
    ]


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        # an unknown event id, with the nearest id offered
        (
            "likelihoods:\n  ev1: {h0: 0.5}\n",
            4,
            "'ev1', which is no item, event or indicator",
        ),
        ("ratings:\n  evO: {h0: C}\n", 4, "(did you mean 'ev0'?)"),
        # a report of an event: judge the event
        ("likelihoods:\n  e2: {h0: 0.5}\n", 4, "judge the event instead (likelihoods: {ev0: ...})"),
        # an event made impossible under every hypothesis
        ("likelihoods:\n  ev0: {h0: 0, h1: 0, h2: 0}\n", 4, "impossible under every"),
        ("likelihoods:\n  ev0: {h9: 0.5}\n", 4, "names 'h9', which is no hypothesis"),
        ("rationale: {ev9: why}\n", 3, "rationale names 'ev9'"),
    ],
    ids=["unknown event", "unknown event rated", "report", "impossible", "hypothesis", "why"],
)
def test_event_cells_are_located(body, line, words):
    with pytest.raises(CaseError) as caught:
        parse_judgments(EVENTS, "case: toy\nanalyst: kim\n" + body, "kim")
    found = caught.value.lines()
    assert any(p.startswith(f"judgments/toy/kim.yaml:{line}: ") and words in p for p in found), (
        found
    )


def test_event_overlay_equals_the_case_edited_by_hand():
    text = (
        "case: toy\nanalyst: kim\nlikelihoods:\n  ev0: {h0: 0.6, h2: [0.1, 0.3]}\n"
        "ratings:\n  ev0: {h1: I}\nrationale: {ev0: Copies look the same., e1: Old photo.}\n"
    )
    kim = parse_judgments(EVENTS, text, "kim")
    assert kim.rationale["ev0"] == "Copies look the same."
    event = EVENTS.events[0]
    cells = {**event.likelihoods, "h0": Prob(0.6), "h2": kim.likelihoods[("ev0", "h2")]}
    cells["h1"] = Prob(RATING_LIKELIHOOD["I"], "rating", word="I")
    by_hand = EVENTS.with_changes(
        events=(replace(event, likelihoods=cells, ratings={**event.ratings, "h1": "I"}),)
    )
    seen = overlay(EVENTS, kim)
    assert seen == by_hand
    for report in seen.evidence[1:]:
        assert report.likelihoods == cells and report.ratings == {"h1": "I"}
    np.testing.assert_array_equal(analyze(seen).posterior, analyze(by_hand).posterior)
    assert analyze(seen).posterior[2] != analyze(EVENTS).posterior[2]


def test_saving_a_report_cell_judges_its_event(tmp_path):
    from analysis.casefile.judgment_save import save_judgments

    saved = save_judgments(tmp_path, EVENTS, "kim", likelihoods={("e1", "h2"): 0.4})
    assert saved.likelihoods == {("ev0", "h2"): Prob(0.4)}
    again = save_judgments(tmp_path, EVENTS, "kim", ratings={("e2", "h0"): "C"})
    assert again.likelihoods == {("ev0", "h2"): Prob(0.4)} and again.ratings == {("ev0", "h0"): "C"}
    assert load_analyst(EVENTS, "kim", tmp_path) == again


def test_bundled_reyes_judges_the_f7_event():
    """The analyst who distrusts the photographs says so on the F-7 event they report."""
    from analysis.casefile.loader import load_case

    case = load_case("nk-hamas", ROOT)
    reyes = load_judgments(case, ROOT)["reyes"]
    events = {e.id for e in case.events}
    judged = {item for item, _ in reyes.likelihoods}
    assert judged & events and reyes.rationale.keys() & events


def test_a_merged_save_keeps_the_analysts_comments_and_layout(tmp_path):
    """The merge rewrote the whole file: the analyst's own comments went."""
    import difflib
    import shutil

    from analysis.casefile.judgment_save import save_judgments
    from analysis.casefile.judgments import load_analyst
    from analysis.casefile.loader import load_case

    for folder in ("hypotheses", "evidence"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    folder = tmp_path / "judgments" / "nk-hamas"
    folder.mkdir(parents=True)
    written = textwrap.dedent(
        """\
        # Analyst kim: my own notes, kept.
        case: nk-hamas
        analyst: kim
        likelihoods:
          # the JCS item first
          jcs-channel-unstated: {direct: 0.72}  # why: the briefing
          bechtol-via-iran-syria: {transfer: 0.9}
        credibility:
          jcs: [0.35, 0.7]
        """
    )
    (folder / "kim.yaml").write_text(written)
    case = load_case("nk-hamas", tmp_path)
    moves = {("bechtol-via-iran-syria", "transfer"): 0.8, ("kcna-groundless-rumour", "none"): 0.6}
    save_judgments(tmp_path, case, "kim", credibility={"jcs": "high"}, likelihoods=moves)
    now = (folder / "kim.yaml").read_text()
    for comment in (
        "# Analyst kim: my own notes, kept.",
        "# the JCS item first",
        "# why: the briefing",
    ):
        assert comment in now, now
    changed = [
        line
        for line in difflib.unified_diff(written.splitlines(), now.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        [
            "-  bechtol-via-iran-syria: {transfer: 0.9}",
            "+  bechtol-via-iran-syria: {transfer: 0.8}",
            "+  kcna-groundless-rumour: {none: 0.6}",
            "-  jcs: [0.35, 0.7]",
            "+  jcs: high",
        ]
    ), changed
    loaded = load_analyst(case, "kim", tmp_path)
    assert loaded.likelihoods[("bechtol-via-iran-syria", "transfer")].value == 0.8
    assert loaded.credibility["jcs"].word == "high"


def _judgment_root(tmp_path):
    import shutil

    from analysis.casefile.loader import load_case

    for folder in ("hypotheses", "evidence"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "judgments" / "nk-hamas").mkdir(parents=True)
    return load_case("nk-hamas", tmp_path), tmp_path / "judgments" / "nk-hamas" / "kim.yaml"


def test_a_merge_into_an_anchor_changes_only_the_cell_moved(tmp_path):
    """The merge wrote through the shared node: a move of the anchored item was undone by
    its alias, and a move of the alias landed on both."""
    from analysis.casefile.judgment_save import save_judgments
    from analysis.casefile.judgments import load_analyst

    case, path = _judgment_root(tmp_path)
    path.write_text(
        "case: nk-hamas\nanalyst: kim\nlikelihoods:\n"
        "  jcs-channel-unstated: &same {direct: 0.7, legacy: 0.7}\n  jcs-shells-exported: *same\n"
    )
    save_judgments(tmp_path, case, "kim", likelihoods={("jcs-channel-unstated", "direct"): 0.6})
    save_judgments(tmp_path, case, "kim", likelihoods={("jcs-shells-exported", "none"): 0.2})
    cells = {k: p.value for k, p in load_analyst(case, "kim", tmp_path).likelihoods.items()}
    assert cells == {
        ("jcs-channel-unstated", "direct"): 0.6,
        ("jcs-channel-unstated", "legacy"): 0.7,
        ("jcs-shells-exported", "direct"): 0.7,
        ("jcs-shells-exported", "legacy"): 0.7,
        ("jcs-shells-exported", "none"): 0.2,
    }


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"rationale": {"bechtol": "yes"}}, "rationale: {bechtol: 'yes'}"),
        ({"rationale": {"bechtol": "12:30"}}, "rationale: {bechtol: '12:30'}"),
        ({"likelihoods": {("jcs-channel-unstated", "none"): 1e-05}}, "{none: 1.0e-05}"),
        ({"notes": "line one\nline two"}, "notes: |-\n  line one\n  line two"),
    ],
)
def test_a_merge_writes_what_yaml_1_1_reads_back(tmp_path, cells, expected):
    """ruamel writes YAML 1.2: 'yes', '12:30' and 1e-05 came back as True, 750 and text,
    and the save was refused."""
    from analysis.casefile.judgment_save import save_judgments
    from analysis.casefile.judgments import load_analyst

    case, path = _judgment_root(tmp_path)
    path.write_text("# mine\ncase: nk-hamas\nanalyst: kim\n")
    save_judgments(tmp_path, case, "kim", **cells)
    text = path.read_text()
    assert text.startswith("# mine\n") and expected in text, text
    loaded = load_analyst(case, "kim", tmp_path)
    if "rationale" in cells:
        assert loaded.rationale == cells["rationale"]
    if "notes" in cells:
        assert loaded.notes == cells["notes"]


def test_a_merge_keeps_line_ends_byte_order_mark_document_start_and_list_layout(tmp_path):
    from analysis.casefile.judgment_save import save_judgments

    case, path = _judgment_root(tmp_path)
    written = (
        "\ufeff---\r\n# mine\r\ncase: nk-hamas\r\nanalyst: kim\r\ncredibility:\r\n"
        "  bechtol:\r\n    - 0.6  # low end\r\n    - 0.9\r\n"
    )
    path.write_bytes(written.encode("utf-8"))
    save_judgments(tmp_path, case, "kim", credibility={"bechtol": [0.65, 0.9]})
    now = path.read_bytes().decode("utf-8")
    assert now.startswith("\ufeff---\r\n# mine\r\n") and "\r" not in now.replace("\r\n", "")
    assert "    - 0.65 # low end\r\n    - 0.9\r\n" in now, now


def test_a_file_ruamel_cannot_read_round_trip_is_written_afresh_not_a_traceback(tmp_path):
    """A tab before a comment: PyYAML reads it, ruamel does not (a ScannerError reached
    the dashboard's page)."""
    from analysis.casefile.judgment_save import save_judgments

    case, path = _judgment_root(tmp_path)
    path.write_text(
        "case: nk-hamas\t# tab comment\nanalyst: kim\nlikelihoods:\n"
        "  jcs-shells-exported: {direct: 0.5}\n"
    )
    saved = save_judgments(
        tmp_path, case, "kim", likelihoods={("bechtol-via-iran-syria", "transfer"): 0.8}
    )
    assert saved.likelihoods[("jcs-shells-exported", "direct")].value == 0.5
    assert saved.likelihoods[("bechtol-via-iran-syria", "transfer")].value == 0.8


def test_a_merge_leaves_an_anchor_nobody_moved_as_written(tmp_path):
    from analysis.casefile.judgment_save import save_judgments

    case, path = _judgment_root(tmp_path)
    path.write_text(
        "case: nk-hamas\nanalyst: kim\nlikelihoods:\n"
        "  jcs-channel-unstated: &same {direct: 0.7, legacy: 0.7}\n  jcs-shells-exported: *same\n"
    )
    save_judgments(tmp_path, case, "kim", credibility={"jcs": "high"})
    text = path.read_text()
    assert "&same {direct: 0.7, legacy: 0.7}" in text and "jcs-shells-exported: *same" in text
