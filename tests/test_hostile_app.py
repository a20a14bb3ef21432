"""Hostile case text in the dashboard (issue 9): never fetched or rendered as markup,
labels that look like the matrix's own columns, long save names, a failing brief."""

from __future__ import annotations

import html
import re
import shutil

import pytest
import yaml
from conftest import ROOT, start_app
from streamlit.testing.v1 import AppTest

from app.views import PAGE_TITLES
from app.widgets import esc

APP = ROOT / "app" / "streamlit_app.py"
pytestmark = pytest.mark.xdist_group("app")

#: Markdown and HTML that would fetch a beacon, link out or restyle the page.
EVIL = "![i](http://127.0.0.1:9/x.png) [l](http://127.0.0.1:9/) www.example.com <img src=x> *b* |c|"
MARKERS = ("![", "](", "http://", "www.", "<img", "*b*", "|c|")

HYP = f"""\
case: evil
title: "T {EVIL}"
question: "Q {EVIL}"
hypotheses:
  - id: a
    label: "{{label_a}}"
    description: "D {EVIL}"
  - id: b
    label: "{{label_b}}"
"""
EVI = f"""\
case: evil
sources:
  - id: s
    name: "S {EVIL}"
    credibility: 0.8
evidence:
  - id: e1
    claim: "C1 {EVIL}"
    source: s
    date: 2023-10-11
    likelihoods: {{{{a: 0.7, b: [0.1, 0.3]}}}}
    rationale: "R {EVIL}"
  - id: e2
    claim: "C2 {EVIL}"
    source: s
    likelihoods: {{{{a: 0.2, b: 0.6}}}}
indicators:
  - id: i1
    claim: "I {EVIL}"
    rationale: "IR {EVIL}"
    likelihoods: {{{{a: 0.9, b: 0.1}}}}
"""


def _root(tmp_path, label_a: str, label_b: str):
    for folder, text in (("hypotheses", HYP), ("evidence", EVI)):
        (tmp_path / folder).mkdir(exist_ok=True)
        text = text.format(label_a=label_a, label_b=label_b)
        (tmp_path / folder / "evil.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _start(root, page: str) -> AppTest:
    return start_app(root, page, timeout=600)


def _texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's markdown renderer."""
    texts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "subheader"):
        texts += [e.value for e in at.get(kind)]
    for kind in ("expander", "slider", "checkbox", "toggle", "radio", "button"):
        for element in at.get(kind):
            texts.append(element.label if hasattr(element, "label") else "")
            texts.append(getattr(element, "help", None) or "")
    for element in at.get("radio"):
        texts += [str(option) for option in element.options]
    return texts


def _assert_plain(at: AppTest, where: str) -> None:
    for text in _texts(at):
        for marker in MARKERS:
            assert marker not in text, (where, marker, text)


def test_markdown_in_case_text_is_shown_as_text_on_every_page(tmp_path):
    root = _root(tmp_path, f"A {EVIL}", f"B {EVIL}")
    for page in PAGE_TITLES:
        at = _start(root, page)
        if page == "weigh":
            for expander in at.get("expander"):
                expander.proto.expanded = True
        _assert_plain(at, page)
        assert any(esc(f"C1 {EVIL}") in t for t in _texts(at)) or page != "matrix"
        if page == "overview":  # page one of the brief, through the same escape
            assert any(esc(f"D {EVIL}") in t for t in _texts(at))


def _hostile_bundled_cases(folder):
    """The bundled cases with hostile text in every text field."""
    for sub in ("hypotheses", "evidence"):
        (folder / sub).mkdir(parents=True)
        for path in (ROOT / sub).glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for key in ("title", "question"):
                if key in data:
                    data[key] = f"{data[key]} {EVIL}"
            for key, fields in (
                ("hypotheses", ("label", "description")),
                ("sources", ("name",)),
                ("evidence", ("claim", "rationale")),
                ("indicators", ("claim", "rationale")),
            ):
                for entry in data.get(key, []):
                    for name in fields:
                        if entry.get(name):
                            entry[name] = f"{entry[name]} {EVIL}"
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
            (folder / sub / path.name).write_text(text, encoding="utf-8")
    return folder


def test_the_learn_pages_show_case_text_as_text(tmp_path, monkeypatch):
    from analysis.course.lessons import LESSON_IDS
    from app.views import learn

    monkeypatch.setattr(learn, "REPO_ROOT", _hostile_bundled_cases(tmp_path / "bundled"))
    learn.lesson_analysis.clear()
    try:
        at = _start(tmp_path / "bundled", "learn")
        shown = []
        for lesson_id in LESSON_IDS:
            at.radio(key="learn_lesson").set_value(lesson_id).run()
            assert not at.exception, at.exception
            _assert_plain(at, lesson_id)
            shown += _texts(at)
            commit = f"learn_commit_{lesson_id}"
            if commit in [b.key for b in at.button]:
                at.button(key=commit).click().run()
                assert not at.exception, at.exception
                _assert_plain(at, f"{lesson_id} (graded)")
                shown += _texts(at)
        assert sum(esc(EVIL) in text for text in shown) > 20  # the case text is there
    finally:
        learn.lesson_analysis.clear()  # the next test reads the real bundled cases


def test_a_brief_that_fails_says_why_in_one_line(tmp_path, monkeypatch):
    from analysis.errors import BriefError
    from analysis.report.brief import output

    real = output.render

    def render(analysis, fmt, scenario=None, panel=None):
        if fmt == ".pdf":
            raise BriefError("the PDF brief cannot be laid out (Flowable too large)")
        return real(analysis, fmt, scenario, panel=panel)

    monkeypatch.setattr(output, "render", render)
    for folder in ("hypotheses", "evidence"):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / "office-leak.yaml", tmp_path / folder)
    at = _start(tmp_path, "export")
    at.button(key="make_brief_pdf").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "The PDF brief could not be made: the PDF brief cannot be laid out "
        "&#40;Flowable too large&#41;"
    ]
    at.button(key="make_brief_md").click().run()  # another format still works
    assert not at.exception, at.exception
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("download_brief_md" in key for key in keys), keys


def test_the_plain_text_helper_leaves_no_markup():
    shown = esc("a ![i](http://x/y.png)\n# h | <b> $x$ :red[y] _z_ `c` ~s~ www.e.com")
    assert "\n" not in shown
    bare = re.sub(r"&#\d+;", "", shown)  # what is left besides the character references
    for char in "![]()#|<>$:_`~.&;":
        assert char not in bare
    assert esc("Alpha beta") == "Alpha beta"
    # what the browser's renderer would link, decoded: each pattern broken by a zero-width
    # space (the browser test checks that the page then holds no such link)
    decoded = html.unescape(esc("http://a.b HTTPS://c.d www.e.com kim@example.com"))
    assert decoded == "http\u200b://a.b HTTPS\u200b://c.d www\u200b.e.com kim\u200b@example.com"


@pytest.mark.parametrize(
    "labels",
    [("Claim", "Item"), ("Date", "Linchpin"), ("Diag. dB", "Changed"), ("Hypothesis", "Claim")],
)
def test_labels_like_the_matrix_columns_render(tmp_path, labels):
    root = _root(tmp_path, *labels)
    at = _start(root, "matrix")
    at.radio(key="matrix_show").set_value("ratings").run()
    assert not at.exception, at.exception
    at.toggle(key="matrix_edit").set_value(True).run()
    assert not at.exception, at.exception


def test_a_300_character_save_name_is_refused_in_one_line(tmp_path):
    for folder in ("hypotheses", "evidence"):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / "office-leak.yaml", tmp_path / folder)
    at = _start(tmp_path, "export")
    at.text_input(key="save_name").set_value("a" * 300).run()
    assert not at.exception, at.exception
    assert any("at most 64" in e.value for e in at.error)
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    assert list((tmp_path / "hypotheses").glob("a*.yaml")) == []


def test_a_long_linchpin_claim_is_clipped_on_sensitivity_with_the_rest_on_request(tmp_path):
    """A 10,000-character claim once filled the Sensitivity page under its linchpin."""
    long_claim = "Seen at the port. " * 560  # 10,080 characters
    root = _root(tmp_path, "Alpha", "Beta")
    evidence = yaml.safe_load((root / "evidence" / "evil.yaml").read_text(encoding="utf-8"))
    evidence["evidence"] = [  # without e1, b leads: e1 is a linchpin
        {"id": "e1", "claim": long_claim, "source": "s", "likelihoods": {"a": 0.9, "b": 0.1}},
        {"id": "e2", "claim": "Short", "source": "s", "likelihoods": {"a": 0.4, "b": 0.6}},
    ]
    evidence.pop("indicators")
    (root / "evidence" / "evil.yaml").write_text(yaml.safe_dump(evidence), encoding="utf-8")
    at = _start(root, "sensitivity")
    assert not at.exception
    shown = [c.value for c in at.caption if c.value.startswith(esc("Seen at the port."))]
    assert shown == [esc(long_claim[:297].rstrip() + "...")]
    whole = [e for e in at.expander if e.label == "The whole claim"]
    assert len(whole) == 1 and [m.value for m in whole[0].markdown] == [esc(long_claim)]
