"""The Build page through AppTest: from an empty folder to a saved case, undo, conflicts."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, start_app
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from analysis.casefile.loader import load_case
from analysis.cli import app as cli

pytestmark = pytest.mark.xdist_group("app")
runner = CliRunner()


def start(root) -> AppTest:
    return start_app(root, "build")


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def key(at: AppTest, kind: str, index: int, name: str) -> str:
    return f"b|{kind}|{index}|{at.session_state['build_generation']}|{name}"


def apply(at: AppTest, kind: str, index: int) -> AppTest:
    at.button(key=key(at, kind, index, "apply")).click()
    return run(at)


def step(at: AppTest, name: str) -> AppTest:
    at.radio(key="build_step").set_value(name)
    return run(at)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def new_case(at: AppTest, name="demo") -> AppTest:
    at.text_input(key="build_new_name").input(name)
    at.text_input(key="build_new_title").input("Who took the cake?")
    at.text_area(key="build_new_question").input("Who ate the cake left in the office kitchen?")
    at.button(key="build_new_start").click()
    return run(at)


def add(at: AppTest, kind: str, **fields: str) -> int:
    at.button(key=f"build_add_{kind}").click()
    run(at)
    index = at.session_state[f"build_pick_{kind}"]
    for name, value in fields.items():
        k = key(at, kind, index, name)
        widget = next(w for w in (*at.text_input, *at.text_area, *at.selectbox) if w.key == k)
        widget.set_value(value)
    apply(at, kind, index)
    return index


def open_case(root, name: str) -> AppTest:
    """The Build page with case ``name`` under ``root`` opened for editing."""
    at = start(root)
    at.selectbox(key="build_open_name").set_value(name)
    at.button(key="build_open").click()
    return run(at)


def fill(at: AppTest, hypothesis: str, how: str, answer: str) -> AppTest:
    """Press the fill panel's button for ``hypothesis``: ``how`` is "neutral" or "one"
    (then ``answer`` is typed for all)."""
    prefix = f"b|fill|{hypothesis}|{at.session_state['build_generation']}"
    at.radio(key=f"{prefix}|how").set_value(how)
    if how == "one":
        at.text_input(key=f"{prefix}|answer").set_value(answer)
    at.button(key=f"{prefix}|go").click()
    return run(at)


def build_small_case(at: AppTest) -> None:
    new_case(at)
    assert at.session_state["build_step"] == "hypotheses"
    add(at, "hypotheses", id="ann", label="Ann")
    add(at, "hypotheses", id="bob", label="Bob")
    at.radio(key="build_exhaustive").set_value("Not sure")
    run(at)
    at.button(key="build_something_else").click()
    run(at)
    step(at, "sources")
    add(at, "sources", id="cam", name="Kitchen camera", credibility="0.9")
    step(at, "evidence")
    answers = {"answer|ann": "CC", "answer|bob": "0.2", "answer|something-else": "[0.1, 0.3]"}
    add(at, "evidence", id="crumbs", claim="Crumbs on Ann's desk.", source="cam",
        date="2024-05-01", rationale="Ann sits there.", **answers)  # fmt: skip


def test_build_from_an_empty_folder_to_a_saved_valid_case(tmp_path):
    at = start(tmp_path)
    build_small_case(at)
    step(at, "save")
    assert not errors(at), errors(at)
    at.button(key="build_save").click()
    run(at)
    assert any("Saved case 'demo'" in s.value for s in at.success)
    case = load_case("demo", tmp_path)
    assert case.hypothesis_ids == ("ann", "bob", "something-else")
    item = case.evidence[0]
    assert item.ratings == {"ann": "CC"} and item.likelihoods["bob"].value == 0.2
    assert item.likelihoods["something-else"].is_range and item.date == "2024-05-01"
    assert runner.invoke(cli, ["validate", "demo", "--root", str(tmp_path)]).exit_code == 0
    assert runner.invoke(cli, ["analyze", "demo", "--root", str(tmp_path)]).exit_code == 0


def test_problems_show_beside_the_field_and_block_the_save(tmp_path):
    at = start(tmp_path)
    build_small_case(at)
    index = at.session_state["build_pick_evidence"]
    at.text_input(key=key(at, "evidence", index, "answer|bob")).set_value("1.4")
    at.text_area(key=key(at, "evidence", index, "rationale")).set_value("")
    apply(at, "evidence", index)
    assert "evidence 'crumbs' likelihood for 'bob' is 1.4; must be between 0 and 1" in errors(at)
    assert any("No rationale" in w.value for w in at.warning)
    step(at, "save")
    assert at.button(key="build_save").disabled
    assert not (tmp_path / "evidence").exists()


def test_undo_reverts_the_last_edit(tmp_path):
    at = start(tmp_path)
    new_case(at)
    add(at, "hypotheses", id="ann", label="Ann")
    add(at, "hypotheses", id="bob", label="Bob")
    assert len(at.session_state["build_draft"].entries("hypotheses")) == 2
    at.button(key="build_undo").click()
    run(at)
    labels = [h["label"] for h in at.session_state["build_draft"].entries("hypotheses")]
    assert labels == ["Ann", "Hypothesis 2"]  # the label edit undone, the added row kept
    at.button(key="build_undo").click()
    run(at)
    assert len(at.session_state["build_draft"].entries("hypotheses")) == 1


def _copy_cases(tmp_path):
    for folder in ("hypotheses", "evidence"):
        shutil.copytree(ROOT / folder, tmp_path / folder)


def test_a_save_over_a_file_changed_on_disk_is_refused(tmp_path):
    _copy_cases(tmp_path)
    at = open_case(tmp_path, "office-leak")
    step(at, "question")
    prefix = f"build_q|{at.session_state['build_generation']}"
    at.text_input(key=f"{prefix}|title").set_value("Mine")
    at.button(key=f"{prefix}|apply").click()
    run(at)
    path = tmp_path / "hypotheses" / "office-leak.yaml"
    theirs = path.read_text().replace("Who leaked", "Who really leaked")
    path.write_text(theirs)
    step(at, "save")
    at.button(key="build_save").click()
    run(at)
    assert any("changed on disk" in e and "Who really leaked" in e for e in errors(at))
    assert path.read_text() == theirs
    at.text_input(key="build_copy_name").input("office-leak-mine")
    run(at)
    at.button(key="build_copy").click()
    run(at)
    assert load_case("office-leak-mine", tmp_path).title == "Mine"
    assert path.read_text() == theirs


@pytest.mark.parametrize("how", ["neutral", "one"])
def test_a_new_hypothesis_is_filled_in_every_entry_at_once(tmp_path, how):
    """Adding a hypothesis to a case once took an edit per item, event and indicator."""
    _copy_cases(tmp_path)
    path = tmp_path / "hypotheses" / "office-leak.yaml"  # a uniform prior: no prior to add
    path.write_text("".join(ln for ln in path.read_text().splitlines(True) if "prior:" not in ln))
    at = open_case(tmp_path, "office-leak")
    step(at, "hypotheses")
    add(at, "hypotheses", id="cleaner", label="The night cleaner")
    draft = at.session_state["build_draft"]
    unrated = draft.unrated("cleaner")
    before = load_case("office-leak", tmp_path)
    assert len(unrated) == len(before.evidence) - sum(1 for i in before.evidence if i.event) + len(
        before.events
    ) + len(before.indicators)
    fill(at, "cleaner", how, "I")
    draft = at.session_state["build_draft"]
    assert draft.unrated("cleaner") == []
    # one undo takes the whole fill back
    at.button(key="build_undo").click()
    run(at)
    assert len(at.session_state["build_draft"].unrated("cleaner")) == len(unrated)
    fill(at, "cleaner", how, "I")
    step(at, "save")
    assert not errors(at), errors(at)
    at.button(key="build_save").click()
    run(at)
    after = load_case("office-leak", tmp_path)
    for item in after.evidence:
        if item.event is None:
            cell = item.likelihoods["cleaner"]
            if how == "one":
                assert cell.origin == "rating" and cell.word == "I"
            else:  # the mean of the item's other numbers, as the file gives them
                others = [p.value for h, p in item.likelihoods.items() if h != "cleaner"]
                assert cell.value == pytest.approx(sum(others) / len(others), abs=0.0051)


def test_a_fill_with_no_readable_answer_changes_nothing(tmp_path):
    _copy_cases(tmp_path)
    at = open_case(tmp_path, "office-leak")
    step(at, "hypotheses")
    add(at, "hypotheses", id="cleaner", label="The night cleaner")
    texts = at.session_state["build_draft"].texts()
    fill(at, "cleaner", "one", "maybe")
    assert any("'maybe' is not an answer" in e for e in errors(at))
    assert at.session_state["build_draft"].texts() == texts


def test_reload_after_a_conflict_reads_the_disk(tmp_path):
    _copy_cases(tmp_path)
    at = open_case(tmp_path, "office-leak")
    step(at, "sources")
    add(at, "sources", id="extra", name="Extra")
    path = tmp_path / "evidence" / "office-leak.yaml"
    path.write_text(path.read_text() + "# edited elsewhere\n")
    step(at, "save")
    at.button(key="build_save").click()
    run(at)
    at.button(key="build_reload").click()
    run(at)
    assert at.session_state["build_draft"].texts()[1].endswith("# edited elsewhere\n")


def test_duplicate_a_case_under_a_new_name(tmp_path):
    _copy_cases(tmp_path)
    at = open_case(tmp_path, "office-leak")
    step(at, "save")
    at.text_input(key="build_copy_name").input("nk-hamas")
    run(at)
    at.button(key="build_copy").click()
    run(at)
    assert any("already exists" in e for e in errors(at))
    at.text_input(key="build_copy_name").input("leak-variant")
    run(at)
    at.button(key="build_copy").click()
    run(at)
    copy, original = load_case("leak-variant", tmp_path), load_case("office-leak", tmp_path)
    assert copy.content_hash != original.content_hash  # the name differs
    assert [i.id for i in copy.evidence] == [i.id for i in original.evidence]
    assert at.session_state["build_draft"].name == "leak-variant"


def test_an_uploaded_file_becomes_a_draft_that_saves(tmp_path):
    from analysis.casefile.edit import save_draft
    from analysis.errors import CaseError
    from app.views.build_io import imported_draft

    data = (ROOT / "tests" / "data" / "parc-sample.achz").read_bytes()
    draft, warnings = imported_draft("parc-sample.achz", data, "ferry")
    assert warnings == [] and draft.problems() == []
    assert save_draft(draft, tmp_path).name == "ferry"
    with pytest.raises(CaseError, match="is empty"):
        imported_draft("empty.csv", b"", "other")


def test_a_hundred_items_draw_one_editor(tmp_path):
    _copy_cases(tmp_path)
    from analysis.casefile.edit import Draft, save_draft

    draft = Draft.read(tmp_path, "office-leak")
    template = dict(draft.entries("evidence")[0])
    for n in range(100):
        draft.add("evidence", {**template, "id": f"extra-{n}"})
    save_draft(draft, tmp_path, "big")
    at = start(tmp_path)
    at.selectbox(key="build_open_name").set_value("big")
    at.button(key="build_open").click()
    run(at)
    step(at, "evidence")
    assert len(at.text_area) <= 4  # one item's claim and rationale, not 100 of each
    assert at.dataframe[0].value.shape[0] >= 100


def test_events_and_assumptions_are_built_and_saved(tmp_path):
    at = start(tmp_path)
    build_small_case(at)
    step(at, "events")
    add(at, "events", id="cake-gone", description="The cake was eaten at noon.",
        **{"answer|ann": "0.6", "answer|bob": "0.6", "answer|something-else": "0.5"})  # fmt: skip
    step(at, "evidence")
    add(at, "evidence", id="witness", claim="A colleague saw the empty plate at 12:10.",
        source="cam", event="cake-gone", tags="witness, kitchen")  # fmt: skip
    step(at, "assumptions")
    add(at, "assumptions", id="plate", statement="The plate held the cake.",
        rests_on="cake-gone, crumbs")  # fmt: skip
    step(at, "save")
    assert not errors(at), errors(at)
    at.button(key="build_save").click()
    run(at)
    case = load_case("demo", tmp_path)
    assert [e.id for e in case.events] == ["cake-gone"]
    witness = case.evidence[1]
    assert witness.event == "cake-gone" and witness.tags == ("witness", "kitchen")
    assert case.assumptions[0].rests_on == ("cake-gone", "crumbs")
    assert runner.invoke(cli, ["analyze", "demo", "--root", str(tmp_path)]).exit_code == 0


def test_two_bad_likelihoods_on_one_line_are_each_shown_under_their_own_field():
    """{h1: 2, h2: xyz} once put both messages under both hypotheses' fields."""
    from analysis.casefile.edit import Draft
    from analysis.casefile.loader import load_case_texts
    from analysis.errors import CaseError
    from app.build_state import locate

    hypotheses = (
        "case: two\ntitle: Two\nquestion: Which?\nhypotheses:\n"
        "  - {id: h1, label: One}\n  - {id: h2, label: Two}\n"
    )
    evidence = (
        "case: two\nsources:\n  - {id: s, name: S}\nevidence:\n"
        "  - {id: e1, claim: Seen, source: s, likelihoods: {h1: 2, h2: xyz}}\n"
    )
    draft = Draft.from_texts("two", (hypotheses, evidence))
    with pytest.raises(CaseError) as caught:
        load_case_texts(*draft.texts(), *draft.displays())
    located = locate(draft, caught.value.problems)
    one = located[("evidence", 0, "likelihoods", "h1")]
    two = located[("evidence", 0, "likelihoods", "h2")]
    assert len(one) == 1 and "for 'h1' is 2" in one[0]
    assert len(two) == 1 and "for 'h2' is 'xyz'" in two[0]


@pytest.mark.parametrize(
    "written",
    [
        "likelihoods: {h1: 0.5, h2: 0.4}",  # one line: it once sat under h1 and h2
        "likelihoods:\n      h1: 0.5\n      h2: 0.4",
        "tags: [x]",  # no likelihoods at all: it once sat under the item's id
    ],
)
def test_a_hypothesis_an_item_gives_no_number_is_shown_under_its_empty_field(written):
    from analysis.casefile.edit import Draft
    from analysis.casefile.loader import load_case_texts
    from analysis.errors import CaseError
    from app.build_state import locate

    hypotheses = (
        "case: two\ntitle: Two\nquestion: Which?\nhypotheses:\n  - {id: h1, label: One}\n"
        "  - {id: h2, label: Two}\n  - {id: h3, label: Three}\n"
    )
    evidence = (
        "case: two\nsources:\n  - {id: s, name: S}\nevidence:\n"
        "  - {id: e0, claim: Fine, source: s, likelihoods: {h1: 0.5, h2: 0.4, h3: 0.3}}\n"
        f"  - id: e1\n    claim: Seen\n    source: s\n    {written}\n"
    )
    draft = Draft.from_texts("two", (hypotheses, evidence))
    with pytest.raises(CaseError) as caught:
        load_case_texts(*draft.texts(), *draft.displays())
    located = locate(draft, caught.value.problems)
    missing = ["h3"] if "h1" in written else ["h1", "h2", "h3"]
    shown = {
        path for path, messages in located.items() if any("no likelihood" in m for m in messages)
    }
    assert shown == {("evidence", 1, "likelihoods", h) for h in missing}, located


def test_a_label_with_markdown_is_shown_as_written_in_the_evidence_step(tmp_path):
    """'**bold** $x^2$' showed as bold text and a formula in the 'If ... were true' fields."""
    at = start(tmp_path)
    new_case(at)
    add(at, "hypotheses", id="ann", label="**bold** $x^2$")
    add(at, "hypotheses", id="bob", label="Bob")
    step(at, "evidence")
    index = add(at, "evidence", id="e1", claim="Seen.")
    label = at.text_input(key=key(at, "evidence", index, "answer|ann")).label
    assert "**bold**" not in label and "$x^2$" not in label
    assert "&#42;&#42;bold&#42;&#42; &#36;x&#94;2&#36;" in label  # shown, never read


def test_a_message_naming_another_line_names_the_entry_on_the_build_page():
    """ "the same id as the evidence item on line 6": the Build page shows forms, so the
    line is told as the entry written there."""
    from analysis.casefile.edit import Draft
    from analysis.casefile.loader import load_case_texts
    from analysis.errors import CaseError
    from app.build_state import locate

    hypotheses = (
        "case: two\ntitle: Two\nquestion: Which?\nhypotheses:\n"
        "  - {id: h1, label: One}\n  - {id: h2, label: Two}\n"
    )
    evidence = (
        "case: two\nsources:\n  - {id: s, name: S}\nevidence:\n"
        "  - {id: e1, claim: Seen, source: s, likelihoods: {h1: 0.5, h2: 0.4}}\n"
        "  - {id: e1, claim: Again, source: s, likelihoods: {h1: 0.5, h2: 0.4}}\n"
    )
    draft = Draft.from_texts("two", (hypotheses, evidence))
    with pytest.raises(CaseError) as caught:
        load_case_texts(*draft.texts(), *draft.displays())
    assert any("on line 5" in p.message for p in caught.value.problems)  # the file's words
    shown = [m for messages in locate(draft, caught.value.problems).values() for m in messages]
    repeated = [m for m in shown if "same id" in m]
    assert repeated and all("on line" not in m for m in repeated)
    assert "the same id as the evidence in row #1 of the Evidence step" in repeated[0]


def test_a_new_case_says_on_its_hypotheses_step_why_it_cannot_be_saved(tmp_path):
    at = new_case(start(tmp_path))
    assert at.session_state["build_step"] == "hypotheses"
    # the list's own problem, shown where it is fixed, not only on the save step
    assert any("hypotheses lists 0" in e and "at least two" in e for e in errors(at)), errors(at)
    add(at, "hypotheses", id="ann", label="Ann")
    add(at, "hypotheses", id="bob", label="Bob")
    assert not any("hypotheses lists" in e for e in errors(at)), errors(at)
