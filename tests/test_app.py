"""The dashboard through Streamlit's AppTest: widgets found by key, no exceptions."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import textwrap
import types
from dataclasses import replace
from html import unescape

import numpy as np
import pytest
from conftest import ROOT, start_app, weigh_tab
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from analysis.case import Prob
from analysis.casefile.layout import list_cases
from analysis.casefile.loader import load_case
from analysis.cli import app as cli
from analysis.engine.analyzer import UncertaintySummary, analyze
from analysis.scales import format_percent
from analysis.scenario.adjustments import Adjustments, apply
from app.views import PAGE_TITLES
from app.views.weigh import open_key

APP = ROOT / "app" / "streamlit_app.py"
PAGES = tuple(PAGE_TITLES)
ITEM, HYPOTHESIS, FILE_VALUE = "jcs-channel-unstated", "direct", "0.65"  # as in the file
SLIDER = f"likelihood|{ITEM}|{HYPOTHESIS}"

pytestmark = pytest.mark.xdist_group("app")


def likelihood_of(case) -> float:
    """The file value of the slider's cell (ITEM, HYPOTHESIS) in ``case``."""
    return next(i for i in case.evidence if i.id == ITEM).likelihoods[HYPOTHESIS].value


def start(root=None, page: str | None = None) -> AppTest:
    """The app on ``page``; on the Weigh page, ITEM's expander is open (its sliders drawn)."""
    return start_app(root, page, **({open_key(ITEM): True} if page == "weigh" else {}))


def go(at: AppTest, page: str) -> AppTest:
    """Another page (on the Weigh page, ITEM's expander opened again)."""
    if page == "weigh":
        at.session_state[open_key(ITEM)] = True
    at.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def shown_posterior(at: AppTest, label: str) -> str:
    """The percentage shown beside ``label`` on the page (first match: the main area)."""
    for md in at.main.markdown:
        value = unescape(md.value)  # case text is shown through character references
        if f"**{label}**: " in value:
            return value.split(f"**{label}**: ")[1].split(" ·")[0]
    raise AssertionError(f"no posterior line for {label!r}")


@pytest.fixture
def seed_root(tmp_path):
    """A root holding a copy of the seed case."""
    for folder in ("hypotheses", "evidence"):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / "nk-hamas.yaml", tmp_path / folder)
    return tmp_path


@pytest.mark.parametrize("name", list_cases(ROOT))
def test_every_page_of_every_bundled_case(name):
    at = start()
    at.selectbox(key="case").set_value(name).run()
    assert not at.exception
    for page in PAGES:
        go(at, page)
        assert not at.error, [e.value for e in at.error]
    go(at, "matrix")
    at.radio(key="matrix_show").set_value("ratings").run()
    at.radio(key="matrix_sort").set_value("date").run()
    assert not at.exception


def test_opens_on_the_seed_case():
    at = start()
    assert at.selectbox(key="case").value == "nk-hamas"
    assert at.sidebar.radio(key="page").value == "overview"


def test_a_likelihood_slider_gives_exactly_the_engines_posterior():
    case = load_case("nk-hamas", ROOT)
    at = start(page="weigh")
    assert at.slider(key=SLIDER).value == pytest.approx(
        case.evidence[[i.id for i in case.evidence].index(ITEM)].likelihoods[HYPOTHESIS].value
    )
    before = analyze(case)
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == before.percent(k)

    at.slider(key=SLIDER).set_value(0.9).run()
    assert not at.exception
    expected = analyze(apply(case, Adjustments(likelihoods={(ITEM, HYPOTHESIS): 0.9})))
    item = next(i for i in case.evidence if i.id == ITEM)
    moved = replace(item, likelihoods={**item.likelihoods, HYPOTHESIS: Prob(0.9, "point")})
    by_hand = analyze(
        case.with_changes(evidence=tuple(moved if i.id == ITEM else i for i in case.evidence))
    )
    np.testing.assert_array_equal(expected.posterior, by_hand.posterior)
    changed = False
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == format_percent(float(expected.posterior[k]))
        changed |= expected.percent(k) != before.percent(k)
    assert changed, "the move should change at least one shown percentage"
    # the change is marked, and survives a visit to another page
    assert any("changed" in c.value for c in at.caption)
    go(at, "matrix")
    go(at, "weigh")
    assert at.slider(key=SLIDER).value == 0.9
    # reset goes back to the file
    at.button(key="reset_weigh").click().run()
    assert at.slider(key=SLIDER).value == pytest.approx(float(FILE_VALUE))
    assert shown_posterior(at, case.hypotheses[0].label) == before.percent(0)


def editor_ids(case) -> list[str]:
    """The ids of the editor's rows: lone items in file order, each event once."""
    from app.state import likelihood_rows

    return [holder.id for holder in likelihood_rows(case)]


def edit_matrix(at: AppTest, cells: dict[int, dict]) -> AppTest:
    """Type into the Matrix page's editor (rows as :func:`editor_ids`; columns labels)."""
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": cells, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    return at


def test_editing_a_matrix_cell_gives_exactly_the_engines_posterior():
    case = load_case("nk-hamas", ROOT)
    before = analyze(case)
    at = start(page="matrix")
    assert not at.data_editor  # the heat-mapped, read-only matrix is the default
    at.toggle(key="matrix_edit").set_value(True).run()
    assert not at.exception
    editor = at.data_editor[0]
    row = editor_ids(case).index(ITEM)
    label = case.labels[HYPOTHESIS]
    assert list(editor.value["Item"]) == editor_ids(case)
    assert editor.value.loc[row, label] == pytest.approx(float(FILE_VALUE))

    edit_matrix(at, {row: {label: 0.9}})
    expected = analyze(apply(case, Adjustments(likelihoods={(ITEM, HYPOTHESIS): 0.9})))
    changed = False
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == format_percent(float(expected.posterior[k]))
        changed |= expected.percent(k) != before.percent(k)
    assert changed, "the edit should change at least one shown percentage"
    # listed, marked in the table, counted in the sidebar
    assert any(f"{ITEM} / {label}: {FILE_VALUE} -" in unescape(c.value) for c in at.main.caption)
    assert at.data_editor[0].value.loc[row, "Changed"] == f"● {label}"
    assert at.data_editor[0].value.loc[row, label] == 0.9
    assert any("1 change**" in m.value for m in at.sidebar.markdown)
    # the same override as the slider: Weigh starts from it, the read-only matrix marks it
    go(at, "weigh")
    assert at.slider(key=SLIDER).value == 0.9
    assert shown_posterior(at, label) == expected.percent(case.hypothesis_ids.index(HYPOTHESIS))
    go(at, "matrix")
    at.toggle(key="matrix_edit").set_value(False).run()
    table = at.dataframe[0].value
    assert table.loc[table["Item"] == ITEM, label].item() == "● 0.9"
    go(at, "export")
    assert any(f"{ITEM} / {label}: {FILE_VALUE} -> 0.9" in unescape(m.value) for m in at.markdown)
    # reset from the Matrix page goes back to the file
    go(at, "matrix")
    at.toggle(key="matrix_edit").set_value(True).run()
    at.button(key="reset_matrix").click().run()
    assert not at.exception
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == before.percent(k)
    assert at.data_editor[0].value.loc[row, label] == pytest.approx(float(FILE_VALUE))
    assert at.data_editor[0].value.loc[row, "Changed"] == ""


def test_a_matrix_edit_then_a_slider_move_are_one_scenario():
    case = load_case("nk-hamas", ROOT)
    at = start(page="weigh")
    weigh_tab(at, "Source credibility")
    at.slider(key="credibility|jcs").set_value(0.3).run()
    go(at, "matrix")
    at.toggle(key="matrix_edit").set_value(True).run()
    edit_matrix(at, {0: {case.hypotheses[0].label: 0.2}})
    expected = analyze(
        apply(
            case,
            Adjustments(
                likelihoods={(case.evidence[0].id, case.hypothesis_ids[0]): 0.2},
                credibilities={"jcs": 0.3},
            ),
        )
    )
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == expected.percent(k)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (1.4, "1.4 is outside 0..1"),
        (-0.2, "-0.2 is outside 0..1"),
        (None, "is empty"),
        ("lots", "'lots' is not a number"),
    ],
)
def test_a_bad_matrix_entry_is_rejected_inline(typed, message):
    case = load_case("nk-hamas", ROOT)
    before = analyze(case)
    at = start(page="matrix")
    at.toggle(key="matrix_edit").set_value(True).run()
    label = case.labels[HYPOTHESIS]
    row = editor_ids(case).index(ITEM)
    edit_matrix(at, {row: {label: typed}, 0: {case.hypotheses[0].label: 0.2}})
    errors = html.unescape(" ".join(e.value for e in at.error))
    assert f"{ITEM} / {label}: {message}" in errors and f"Kept {FILE_VALUE}" in errors
    # the good cell of the same edit is applied; the bad one changes nothing
    expected = analyze(
        apply(case, Adjustments(likelihoods={(case.evidence[0].id, case.hypothesis_ids[0]): 0.2}))
    )
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == expected.percent(k)
    assert expected.percent(0) != before.percent(0) or expected.percent(1) != before.percent(1)
    assert at.data_editor[0].value.loc[row, label] == pytest.approx(float(FILE_VALUE))
    at.run()
    assert not at.error  # said once; the editor starts afresh with the values in force


def test_the_matrix_editor_leaves_checking_to_the_app():
    """No clamping in the browser (1.5 -> 1, -0.2 -> 0.2) and no truncating display."""
    import json

    case = load_case("nk-hamas", ROOT)
    at = start(page="matrix")
    at.toggle(key="matrix_edit").set_value(True).run()
    columns = json.loads(at.data_editor[0].proto.columns)
    for h in case.hypotheses:
        number = columns[h.label]["type_config"]
        assert number["type"] == "number"
        for clamp in ("min_value", "max_value", "step"):  # a step truncates to its decimals
            assert clamp not in number, (h.label, clamp)
        assert not columns[h.label].get("required")  # an emptied cell reaches the check
        assert number["format"] == "%.3f"  # rounds: a mean of 0.4999998 shows 0.500


def test_ratings_view_says_when_ratings_follow_a_moved_number():
    at = start(page="matrix")
    at.selectbox(key="case").set_value("office-leak").run()
    at.radio(key="matrix_show").set_value("ratings").run()
    assert not any("Ratings follow the numbers" in c.value for c in at.caption)
    case = load_case("office-leak", ROOT)
    row = [i.id for i in case.evidence].index("print-log")
    at.toggle(key="matrix_edit").set_value(True).run()
    edit_matrix(at, {row: {case.labels["analyst"]: 0.1}})
    at.toggle(key="matrix_edit").set_value(False).run()
    assert at.radio(key="matrix_show").value == "ratings"  # kept through the edit mode
    table = at.dataframe[0].value
    assert table.loc[table["Item"] == "print-log", case.labels["analyst"]].item() == "● (I)"
    notes = [c.value for c in at.caption if "Ratings follow the numbers" in c.value]
    assert len(notes) == 1 and "print-log / Junior analyst" in unescape(notes[0])


def test_credibility_and_prior_sliders_drive_the_posterior():
    case = load_case("nk-hamas", ROOT)
    at = start(page="weigh")
    weigh_tab(at, "Source credibility")
    at.slider(key="credibility|jcs").set_value(0.1).run()
    weigh_tab(at, "Priors")
    at.slider(key="prior|direct").set_value(0.7).run()
    assert not at.exception
    expected = analyze(apply(case, Adjustments(priors={"direct": 0.7}, credibilities={"jcs": 0.1})))
    for k, h in enumerate(case.hypotheses):
        assert shown_posterior(at, h.label) == expected.percent(k)


def test_switching_case_starts_from_the_file():
    at = start(page="weigh")
    at.slider(key=SLIDER).set_value(0.5).run()
    at.selectbox(key="case").set_value("nk-hamas-extended").run()
    assert not at.exception
    at.selectbox(key="case").set_value("nk-hamas").run()
    assert at.slider(key=SLIDER).value != 0.5


BAD_EVIDENCE = textwrap.dedent(
    """\
    case: nk-hamas
    sources:
      - id: s
        name: A source
    evidence:
      - id: e1
        claim: Something seen.
        source: s
        likelihoods: {direct: 1.4, legacy: 0.5, transfer: 0.5, none: 0.5}
    """
)


def test_a_bad_upload_shows_the_located_error():
    at = start()
    hyp = (ROOT / "hypotheses" / "nk-hamas.yaml").read_bytes()
    at.file_uploader(key="upload_hypotheses").set_value(("nk-hamas.yaml", hyp, "text/yaml"))
    at.file_uploader(key="upload_evidence").set_value(
        ("bad.yaml", BAD_EVIDENCE.encode(), "text/yaml")
    ).run()
    assert not at.exception
    assert any("The uploaded case has" in e.value for e in at.error)
    # said once, one line per problem, in a code block (not also in the red box)
    shown = [c.value for c in at.sidebar.code]
    assert len(shown) == 1 and "evidence/bad.yaml:9:" in shown[0]
    assert "1.4" in shown[0] and "'direct'" in shown[0]
    assert at.sidebar.code[0].proto.wrap_lines  # the narrow sidebar cut each line short
    assert not any("bad.yaml:9:" in e.value for e in at.error)
    assert at.selectbox(key="case").value == "nk-hamas"  # nothing was opened


def test_a_good_upload_opens_the_case():
    at = start()
    for key, folder in (("upload_hypotheses", "hypotheses"), ("upload_evidence", "evidence")):
        data = (ROOT / folder / "office-leak.yaml").read_bytes()
        at.file_uploader(key=key).set_value(("office-leak.yaml", data, "text/yaml"))
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="case").value == "upload: office-leak"
    go(at, "weigh")


def _save(at: AppTest, name: str) -> AppTest:
    go(at, "export")
    at.text_input(key="save_name").set_value(name).run()
    at.button(key="save").click().run()
    assert not at.exception
    return at


def test_saving_writes_a_case_that_validates(seed_root):
    at = start(root=seed_root, page="weigh")
    at.slider(key=SLIDER).set_value(0.4).run()
    _save(at, "my-scenario")
    assert any("Saved case 'my-scenario'" in s.value for s in at.success)
    result = CliRunner().invoke(cli, ["validate", "my-scenario", "--root", str(seed_root)])
    assert result.exit_code == 0, result.output
    saved = load_case("my-scenario", seed_root)
    item = next(i for i in saved.evidence if i.id == ITEM)
    assert item.likelihoods[HYPOTHESIS].value == 0.4
    assert "my-scenario" in at.selectbox(key="case").options


def test_an_existing_file_is_not_overwritten_without_confirmation(seed_root):
    at = start(root=seed_root, page="weigh")
    at.slider(key=SLIDER).set_value(0.3).run()
    target = seed_root / "evidence" / "nk-hamas.yaml"
    original = target.read_bytes()
    _save(at, "nk-hamas")
    assert target.read_bytes() == original
    assert any("not be replaced" in w.value for w in at.warning)
    assert any("Not saved" in e.value for e in at.error)

    _save(at, "copy")
    copy = seed_root / "evidence" / "copy.yaml"
    first = copy.read_bytes()
    go(at, "weigh")
    at.slider(key=SLIDER).set_value(0.2).run()
    _save(at, "copy")
    assert copy.read_bytes() == first
    replace_box(at).check().run()
    at.button(key="save").click().run()
    assert not at.exception
    assert copy.read_bytes() != first
    assert likelihood_of(load_case("copy", seed_root)) == 0.2
    assert target.read_bytes() == original


def replace_box(at: AppTest):
    """The "Replace the existing files" box (the only checkbox of the page)."""
    (box,) = [b for b in at.checkbox if b.label == "Replace the existing files"]
    return box


def test_a_confirmed_replace_covers_one_save_of_one_name(seed_root):
    for folder in ("hypotheses", "evidence"):
        shutil.copy(ROOT / folder / "office-leak.yaml", seed_root / folder)
    leak = seed_root / "evidence" / "office-leak.yaml"
    original = leak.read_bytes()
    at = start(root=seed_root, page="weigh")
    at.slider(key=SLIDER).set_value(0.3).run()
    _save(at, "copy")  # a new name: saved, and no warning about the case just written
    assert any("Saved case 'copy'" in s.value for s in at.success)
    assert not at.warning and not any(b.label.startswith("Replace") for b in at.checkbox)
    go(at, "weigh")
    at.slider(key=SLIDER).set_value(0.2).run()
    _save(at, "copy")  # refused, then confirmed and replaced
    assert any("Not saved" in e.value for e in at.error)
    replace_box(at).check().run()
    at.button(key="save").click().run()
    assert likelihood_of(load_case("copy", seed_root)) == 0.2
    assert any("Saved case 'copy'" in s.value for s in at.success)
    # another existing case: a fresh, unticked box, and Save refuses
    at.text_input(key="save_name").set_value("office-leak").run()
    assert replace_box(at).value is False
    at.button(key="save").click().run()
    assert not at.exception
    assert any("Not saved" in e.value for e in at.error)
    assert leak.read_bytes() == original
    # a box ticked for one name does not confirm another
    at.text_input(key="save_name").set_value("copy").run()
    replace_box(at).check().run()
    at.text_input(key="save_name").set_value("office-leak").run()
    assert replace_box(at).value is False
    at.button(key="save").click().run()
    assert any("Not saved" in e.value for e in at.error)
    assert leak.read_bytes() == original


def test_the_yaml_download_holds_the_scenario():
    at = start(page="weigh")
    at.slider(key=SLIDER).set_value(0.25).run()
    go(at, "export")
    assert at.get("download_button")
    assert any("0.25" in unescape(m.value) for m in at.markdown)


def test_too_few_draws_are_refused_with_what_to_do():
    # The field takes any number; fewer than MIN_DRAWS are refused before any sampling.
    at = start(page="uncertainty")
    at.number_input(key="u_draws").set_value(5)
    at.button[0].click().run()
    assert not at.exception
    (error,) = at.error
    assert "5 draws per chain are too few" in error.value and "at least 100" in error.value
    assert error.value.startswith("Draws per chain:")  # the setting, not a failed run
    assert "failed" not in error.value
    assert not at.get("progress")  # no run was started


def test_uncertainty_runs_once_per_input_and_shows_diagnostics(monkeypatch):
    """The page imports analysis.uncertainty only on the button press (faked here)."""
    calls = []
    case = load_case("nk-hamas", ROOT)
    k = len(case.hypotheses)

    def run_uncertainty(case, *, draws, chains, seed, progress=None):
        calls.append((case.content_hash, draws, chains, seed))
        if progress:
            progress(0.5, "Sampling")
        post = analyze(case).posterior
        return UncertaintySummary(
            mean=post, low=post * 0.5, high=np.minimum(post * 1.5, 1), r_hat_max=1.002,
            ess_min=900.0, draws=draws, chains=chains, sampler="fake", seconds=0.1,
        )  # fmt: skip

    import analysis.uncertainty.sampler as real

    fake = types.ModuleType("analysis.uncertainty.sampler")
    fake.run_uncertainty = run_uncertainty
    fake.DRAWS, fake.DRAWS_LARGE, fake.LARGE_MODEL = real.DRAWS, real.DRAWS_LARGE, real.LARGE_MODEL
    fake.check_draws = real.check_draws
    monkeypatch.setitem(sys.modules, "analysis.uncertainty.sampler", fake)
    at = start(page="uncertainty")
    at.number_input(key="u_seed").set_value(12345)
    at.button[0].click().run()
    assert not at.exception
    assert len(calls) == 1 and calls[0][3] == 12345
    text = " ".join(m.value for m in at.markdown)
    assert "The chains agree" in text and "enough independent draws" in text
    assert at.dataframe and len(at.dataframe[0].value) == k
    go(at, "matrix")
    go(at, "uncertainty")
    at.button[0].click().run()
    assert len(calls) == 1  # cached by its inputs
    # the brief made next carries the run (it once said no run was made)
    go(at, "export")
    assert any("includes the uncertainty run" in c.value for c in at.caption)
    at.button(key="make_brief_md").click().run()
    assert not at.exception, at.exception
    brief = at.session_state["briefs_made"][".md"][1].decode("utf-8")
    assert "No uncertainty run" not in brief and "fake" in brief
    # the Overview is the brief's page one: the run's intervals there too
    go(at, "overview")
    overview = " ".join(unescape(m.value) for m in at.markdown)
    intervals = [line for line in brief.splitlines() if "90%" in line][:2]
    assert intervals and "90%" in overview, intervals


def test_slider_moves_never_import_pymc():
    """Run in a fresh interpreter: pymc must not be imported by loading or sliding."""
    script = textwrap.dedent(
        f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(APP)!r}, default_timeout=180)
        at.session_state["page"] = "weigh"
        at.session_state[{open_key(ITEM)!r}] = True
        at.run()
        for value in (0.2, 0.4, 0.6):
            at.session_state["weigh_tab"] = "Likelihoods"
            at.run()
            at.slider(key={SLIDER!r}).set_value(value).run()
            at.session_state["weigh_tab"] = "Source credibility"
            at.run()
            at.slider(key="credibility|jcs").set_value(value).run()
        assert not at.exception, at.exception
        for page in ("matrix", "movement", "sensitivity", "indicators", "uncertainty", "learn"):
            at.radio(key="page").set_value(page).run()
            assert not at.exception, at.exception
        assert "pymc" not in sys.modules, "pymc was imported"
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=400, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ok" in done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["streamlit_app.py", "--root", "/cases", "--case", "demo"],  # as streamlit hands it
        ["streamlit_app.py", "--", "--root", "/cases", "--case", "demo"],
    ],
)
def test_root_and_case_come_from_the_command_line(argv):
    from pathlib import Path

    from app.state import parse_args

    assert parse_args(argv) == (Path("/cases"), "demo")


def test_the_automatic_draws_are_the_samplers_own():
    from analysis.uncertainty.sampler import DRAWS, DRAWS_LARGE, LARGE_MODEL

    at = start(page="uncertainty")
    hint = at.number_input(key="u_draws").proto.help
    assert f"automatic ({DRAWS}, or {DRAWS_LARGE}" in hint and str(LARGE_MODEL) in hint


def test_no_page_icon_is_fetched_from_the_internet(monkeypatch):
    import streamlit

    calls = []
    real = streamlit.set_page_config

    def recording(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit, "set_page_config", recording)
    start()
    assert calls, "set_page_config was not called"
    for kwargs in calls:
        icon = str(kwargs.get("page_icon") or "")
        assert not icon.startswith(":material"), icon  # drawn from fonts.gstatic.com


def test_indicators_show_their_claims_and_words():
    import json

    from analysis.scales import estimative_word

    analysis = analyze(load_case("nk-hamas", ROOT))
    assert analysis.indicators
    at = start(page="indicators")
    table = at.dataframe[0].value
    assert list(table["Claim"]) == [ind.item.claim for ind in analysis.indicators]
    for ind, shown in zip(analysis.indicators, table["P(seen)"], strict=True):
        p = ind.probability_seen
        assert shown == f"{format_percent(p)} · {estimative_word(p)}"
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["Expected information (bits)"]["type_config"]["format"] == "%.3f"
    first = analysis.indicators[0]
    assert any(
        e.label.endswith(f"{first.item.id} · {first.expected_information_bits:.3f} bits")
        for e in at.expander
    )
    now = at.dataframe[1].value  # the first expander's table: words beside every number
    assert all(" · " in str(v) for v in now.to_numpy().ravel())


@pytest.mark.parametrize("name", ["office-leak", "nk-hamas"])  # priors given; none given
def test_the_priors_caption_has_no_stray_space(name):
    at = start(page="weigh")
    at.selectbox(key="case").set_value(name).run()
    weigh_tab(at, "Priors")
    captions = [c.value for c in at.caption if "normalised to sum to 1" in c.value]
    assert len(captions) == 1
    assert captions[0].endswith("sum to 1.") or "sum to 1 (the file gives no priors" in captions[0]


def test_the_overview_shows_the_bottom_line_of_the_pdf():
    """The dashboard opens on page one of the brief, drawn from the same text."""
    import html
    import re
    from io import BytesIO

    from pypdf import PdfReader

    from analysis.report.brief.pdf import render_brief

    at = start()
    assert at.sidebar.radio(key="page").value == "overview"
    texts = [html.unescape(md.value) for md in at.main.markdown]  # case text is escaped
    shown = [text for text in texts if text.startswith("**Bottom line.**")]
    assert len(shown) == 1
    pdf = render_brief(analyze(load_case("nk-hamas", ROOT)))
    first = " ".join((PdfReader(BytesIO(pdf)).pages[0].extract_text() or "").split())
    text = html.unescape(re.sub(r"\\(.)", r"\1", shown[0]).replace("**", ""))
    assert " ".join(text.split()) in first
    confidence = [text for text in texts if text.startswith("We have ")]
    assert confidence and confidence[0] in first
    assert any("What would change this judgment" in text for text in texts)


def test_the_address_keeps_the_case_page_and_analyst_over_a_reload():
    """A reload starts a new session: what the address holds (?case, ?page, ?analyst)
    reopens the same view; choosing another case rewrites it, a bad name is left out."""
    from app import state
    from app.identity import NAME

    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=180)
    at.query_params.update({"case": "office-leak", "page": "matrix", "analyst": "kim"})
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key=state.CASE).value == "office-leak"
    assert at.radio(key="page").value == "matrix"
    assert at.text_input(key=NAME).value == "kim"
    at.selectbox(key=state.CASE).set_value("nk-hamas").run()
    at.text_input(key=NAME).set_value("Not a name!").run()
    assert at.query_params["case"] == "nk-hamas" and at.query_params["page"] == "matrix"
    assert "analyst" not in at.query_params
    # an address naming no case of the folder is ignored
    other = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=180)
    other.query_params["case"] = "../etc"
    other.run()
    assert not other.exception and other.selectbox(key=state.CASE).value == state.first_case(
        list_cases(ROOT)
    )


def test_dashboard_charts_fit_the_column_and_keep_their_height():
    """Streamlit's default sizing squeezed a chart's axes and legend into the height it
    gives its plot (a 5-row tornado drew no bars in Chromium): single and layered charts
    fit the column's width and pad their height; a composed chart keeps its own size."""
    import altair as alt
    import pandas as pd

    from app.widgets import AUTOSIZE, sized

    frame = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    bars = alt.Chart(frame).mark_bar().encode(x="x:Q", y="y:N")
    assert sized(bars).to_dict()["autosize"] == AUTOSIZE == {"type": "fit-x", "contains": "padding"}
    assert sized(alt.layer(bars, bars)).to_dict()["autosize"] == AUTOSIZE
    assert "autosize" not in sized(alt.hconcat(bars, bars)).to_dict()


def test_weigh_lists_the_weightiest_items_first_unless_file_order_is_chosen():
    case = load_case("nk-hamas", ROOT)
    analysis = analyze(case)
    at = start(page="weigh")
    labels = [e.label for e in at.main.expander]
    rows = [label.split(" ", 1)[0] for label in labels]
    # the event f7-in-hamas-hands carries the most weight in the file's numbers (6.7 dB)
    assert labels[0].startswith("event f7-in-hamas-hands"), labels[:3]
    lone = [i for i, item in enumerate(case.evidence) if item.event is None]
    weightiest = case.evidence[max(lone, key=lambda i: analysis.diagnosticity[i])].id
    assert labels[1].startswith(weightiest), labels[:3]
    at.radio(key="weigh_order").set_value("file").run()
    assert not at.exception
    assert next(e.label for e in at.main.expander).startswith(case.evidence[0].id), rows[:3]
