"""Editing case files in place (analysis.casefile.edit): nothing lost, nothing overwritten."""

from __future__ import annotations

import contextlib
import difflib
import shutil

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from analysis.casefile.edit import Conflict, Draft, save_draft
from analysis.casefile.layout import list_cases
from analysis.casefile.loader import load_case
from analysis.cli import app
from analysis.errors import CaseError, CaseExists

runner = CliRunner()


@pytest.fixture
def root(tmp_path):
    for folder in ("hypotheses", "evidence"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.parametrize("name", list_cases(ROOT))
def test_reading_and_writing_unchanged_is_byte_identical(name, root):
    draft = Draft.read(root, name)
    assert list(draft.texts()) == draft.base


def test_one_edit_changes_only_its_line(root):
    path = root / "evidence" / "nk-hamas.yaml"
    before = path.read_text()
    draft = Draft.read(root, "nk-hamas")
    draft.set(("evidence", 2, "likelihoods", "direct"), 0.33)
    save_draft(draft, root)
    changed = _changed_lines(before, path.read_text())
    assert len(changed) == 2 and "direct: 0.33" in changed[1]
    assert (root / "hypotheses" / "nk-hamas.yaml").read_text() == (
        ROOT / "hypotheses" / "nk-hamas.yaml"
    ).read_text()
    assert path.read_text().count("#") == before.count("#")  # every comment kept


def test_commented_line_keeps_its_comment(root):
    path = root / "evidence" / "nk-hamas.yaml"
    before = path.read_text()
    draft = Draft.read(root, "nk-hamas")
    draft.set(("sources", 1, "credibility"), 0.25)
    save_draft(draft, root)
    changed = _changed_lines(before, path.read_text())
    assert len(changed) == 2
    assert changed[1].startswith("+    credibility: 0.25")
    assert "# well placed on North Korean munitions" in changed[1]


def test_a_new_case_saved_is_valid_for_the_cli(tmp_path):
    draft = Draft.new("demo", "A title", "Who did it?")
    draft.add("hypotheses", {"id": "a", "label": "Alice"})
    draft.add("hypotheses", {"id": "b", "label": "Bob"})
    draft.add("sources", {"id": "log", "name": "Door log", "credibility": [0.6, 0.9]})
    draft.add("evidence", {"id": "e1", "claim": "The door opened at 9.", "source": "log",
                           "date": "2024-01-02", "likelihoods": {"a": 0.7, "b": [0.1, 0.3]},
                           "rationale": "Alice has the key."})  # fmt: skip
    save_draft(draft, tmp_path)
    text = (tmp_path / "evidence" / "demo.yaml").read_text()
    assert "likelihoods: {a: 0.7, b: [0.1, 0.3]}" in text and "date: 2024-01-02" in text
    result = runner.invoke(app, ["validate", "demo", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["analyze", "demo", "--root", str(tmp_path)]).exit_code == 0


def test_an_invalid_draft_is_never_written(tmp_path):
    draft = Draft.new("demo", "T", "Q?")
    draft.add("hypotheses", {"id": "a", "label": "A"})
    assert any("at least two" in p.message for p in draft.problems())
    with pytest.raises(CaseError):
        save_draft(draft, tmp_path)
    assert not (tmp_path / "hypotheses").exists() or not list(tmp_path.rglob("*.yaml"))


def test_a_file_changed_on_disk_is_not_overwritten(root):
    draft = Draft.read(root, "office-leak")
    draft.set(("title",), "Mine")
    path = root / "hypotheses" / "office-leak.yaml"
    theirs = path.read_text().replace("Who leaked", "Who really leaked")
    path.write_text(theirs)
    with pytest.raises(Conflict) as refused:
        save_draft(draft, root)
    assert "hypotheses/office-leak.yaml changed on disk" in str(refused.value)
    assert "Who really leaked" in str(refused.value)
    assert path.read_text() == theirs
    copy = save_draft(draft, root, "office-leak-mine")  # save under another name
    assert copy.title == "Mine" and path.read_text() == theirs


def test_deleted_file_is_a_conflict(root):
    draft = Draft.read(root, "office-leak")
    (root / "evidence" / "office-leak.yaml").unlink()
    with pytest.raises(Conflict, match="was deleted"):
        save_draft(draft, root)


def test_duplicate_never_replaces_another_case(root):
    draft = Draft.read(root, "office-leak")
    with pytest.raises(CaseExists):
        save_draft(draft, root, "nk-hamas")
    copy = save_draft(draft, root, "office-leak-variant")
    assert copy.name == "office-leak-variant" and draft.origin == "office-leak-variant"
    original = load_case("office-leak", root)
    assert [i.id for i in copy.evidence] == [i.id for i in original.evidence]
    assert (
        "case: office-leak-variant" in (root / "evidence" / "office-leak-variant.yaml").read_text()
    )


def test_renaming_a_hypothesis_follows_into_every_item(root):
    draft = Draft.read(root, "office-leak")
    draft.set(("hypotheses", 0, "id"), "junior")
    draft.rename_key("hypothesis", "analyst", "junior")
    case = save_draft(draft, root)
    assert case.hypothesis_ids[0] == "junior"
    assert all("junior" in item.likelihoods for item in case.evidence)


def test_removing_a_hypothesis_removes_its_cells(root):
    draft = Draft.read(root, "office-leak")
    draft.remove("hypotheses", 2)
    draft.drop_hypothesis_cells("contractor")
    for k, prior in enumerate((0.4, 0.3, 0.3)):
        draft.set(("hypotheses", k, "prior"), prior)
    case = save_draft(draft, root)
    assert case.hypothesis_ids == ("analyst", "manager", "other")


def test_moving_entries_reorders_them(root):
    draft = Draft.read(root, "office-leak")
    first = draft.entries("evidence")[0]["id"]
    draft.move("evidence", 0, 2)
    assert draft.entries("evidence")[2]["id"] == first
    assert save_draft(draft, root).evidence[2].id == first


_CELL = st.one_of(
    st.floats(0, 1).map(lambda x: ("point", x)),
    st.tuples(st.floats(0, 1), st.floats(0, 1)).map(lambda ab: ("range", sorted(ab))),
    st.sampled_from(["CC", "C", "N", "NA", "I", "II"]).map(lambda r: ("rating", r)),
    st.just(("word", "likely")),
)


@settings(deadline=None)  # a range from 0 is fitted by SciPy, imported on first need (0.6 s)
@given(st.lists(_CELL, min_size=1, max_size=6))
def test_the_neutral_likelihood_is_the_mean_of_the_entrys_readable_numbers(cells):
    from analysis.casefile.edit import neutral_likelihood
    from analysis.elicit import range_mean
    from analysis.scales import RATING_LIKELIHOOD

    likelihoods, ratings, expected = {}, {}, []
    for k, (kind, value) in enumerate(cells):
        if kind == "rating":
            ratings[f"h{k}"] = value
            expected.append(RATING_LIKELIHOOD[value])
        else:
            likelihoods[f"h{k}"] = value
            if kind == "point":
                expected.append(value)
            elif kind == "range":  # as the engine reads a range: its fitted Beta's mean
                with contextlib.suppress(ValueError):  # no Beta fits it: left out
                    expected.append(range_mean(*value))
    found = neutral_likelihood({"likelihoods": likelihoods, "ratings": ratings})
    mean = sum(expected) / len(expected) if expected else 0.5
    assert found == pytest.approx(mean, abs=0.0051)


def test_fill_unrated_skips_reports_of_an_event_and_names_what_it_filled():
    draft = Draft.from_texts(
        "two",
        (
            "case: two\ntitle: T\nquestion: Q?\nhypotheses:\n  - {id: a, label: A}\n"
            "  - {id: b, label: B}\n",
            "case: two\nsources:\n  - {id: s, name: S}\nevents:\n"
            "  - {id: ev, description: D, likelihoods: {a: 0.8}}\nevidence:\n"
            "  - {id: e1, claim: C, source: s, event: ev}\n"
            "  - {id: e2, claim: C, source: s, likelihoods: {a: 0.2}, ratings: {b: I}}\n",
        ),
    )
    assert draft.unrated("b") == [("events", 0)]
    draft.fill_unrated("b")
    assert "likelihoods: {a: 0.8, b: 0.8}" in draft.texts()[1]
    assert draft.unrated("b") == []
    draft.fill_unrated("a")  # nothing left unrated: nothing written
    assert draft.unrated("a") == []
