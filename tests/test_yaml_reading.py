"""The case-file YAML reader against PyYAML itself: same values, same lines.

``analysis.casefile.yamlbuild`` reads plain scalars on an inlined path and converts
the common numbers directly. PyYAML's pure-Python safe loader is the oracle for every
value (numbers in all their YAML 1.1 spellings, booleans, nulls, text), and its
composed nodes are the oracle for the line recorded for each entry and list item.
"""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.casefile import yamlio
from analysis.casefile.limits import MAX_DEPTH
from analysis.casefile.yamlio import parse_yaml

SEED_EVIDENCE = Path(__file__).resolve().parent.parent / "evidence" / "nk-hamas.yaml"

#: Plain scalars in the spellings YAML 1.1 resolves in unusual ways (no timestamps:
#: the reader keeps those as the text written, on purpose).
SPELLINGS = [
    "0", "7", "012", "0x1f", "0b101", "+5", "-5", "1_000", "190:20:30", "08",
    "0.5", "-0.0", "+.5", ".5", "1.", "1_0.5", "1._5", "1.5_", "1.0e+5", "1.0e5", "1e5",
    "1e-3", "190:20:30.15", ".inf", "-.inf", ".NaN", "true", "No", "on", "OFF", "~",
    "null", "Null", "word", "two words", "a-id_1", "0.1.2", "0o17", "1__0.5",
    "00.5", "+0.", "-1.", "1.5e-05", "1.0e-5", "2023.5", "1.2.3", "Yes", "e0",
]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(SPELLINGS),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-(10**20), 10**20).map(str),
    # plain decimals (the reader's fast path) and words of any first letter
    st.from_regex(r"[-+]?[0-9]{1,4}\.[0-9]{0,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 _.-]{0,8}[A-Za-z0-9]", fullmatch=True),
)
#: Keys that resolve to text in YAML 1.1 too (the reader keeps every key as written,
#: where PyYAML would make ``no:`` the boolean False).
keys = st.from_regex(r"k[a-z0-9_]{0,6}", fullmatch=True)
trees = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=4)
        | st.dictionaries(keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=25,
)


def _block(value, indent: int = 0) -> list[str]:
    """``value`` (texts, lists, dicts) as block YAML lines, every scalar plain."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list):
                lines += [f"{pad}{key}:", *_block(item, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {item}")
        return lines
    lines = []
    for item in value:
        if isinstance(item, dict | list):
            inner = _block(item, indent + 2)
            lines += [f"{pad}- {inner[0].lstrip()}", *inner[1:]]
        else:
            lines.append(f"{pad}- {item}")
    return lines


def _same(ours, theirs) -> bool:
    if isinstance(theirs, float) and math.isnan(theirs):
        return isinstance(ours, float) and math.isnan(ours)
    if isinstance(theirs, dict):
        return (
            isinstance(ours, dict)
            and ours.keys() == theirs.keys()
            and all(_same(ours[k], theirs[k]) for k in theirs)
        )
    if isinstance(theirs, list):
        return (
            isinstance(ours, list)
            and len(ours) == len(theirs)
            and all(_same(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    return type(ours) is type(theirs) and (ours == theirs or repr(ours) == repr(theirs))


def _node_lines(node, path=(), out=None) -> dict:
    """The line of every mapping entry (its key) and list item, from composed nodes."""
    out = {(): node.start_mark.line + 1} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value)] = key.start_mark.line + 1
            _node_lines(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            out[(*path, index)] = value.start_mark.line + 1
            _node_lines(value, (*path, index), out)
    return out


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=5))
def test_values_and_lines_are_pyyamls(tree):
    text = "\n".join(_block(tree)) + "\n"
    document = parse_yaml(text, "case.yaml")
    assert document.problems == ()
    assert _same(document.data, yaml.load(text, Loader=yaml.SafeLoader))
    assert document.lines == _node_lines(yaml.compose(text, Loader=yaml.SafeLoader))


@given(st.sampled_from(SPELLINGS))
def test_each_spelling_alone_and_in_a_flow_list_reads_as_pyyaml_reads_it(word):
    for text in (f"{word}\n", f"a: [{word}, {word}]\n", f"- - {word}\n"):
        assert _same(parse_yaml(text, "x.yaml").data, yaml.safe_load(text))


def test_a_scalar_at_the_depth_limit_is_refused_with_its_line():
    text = "a:\n" + "".join(f"{'  ' * d}- \n" for d in range(1, MAX_DEPTH + 2))
    nested = "x: " + "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH + "\n"
    for source in (text, nested):
        document = parse_yaml(source, "deep.yaml")
        assert [p.message for p in document.problems if "nests deeper" in p.message]


def test_keys_stay_the_text_written_and_a_repeat_is_located():
    document = parse_yaml("no: 1\n1.5: 2\n~: 3\n'no': 4\n", "x.yaml")
    assert document.data == {"no": 1, "1.5": 2, "~": 3}
    assert [str(p) for p in document.problems] == [
        "x.yaml:4: key 'no' appears twice in the top level (first on line 1); YAML would "
        "keep only the last one, so remove or rename one of them"
    ]


def test_anchored_scalars_and_their_aliases_keep_their_values():
    document = parse_yaml("a: &x 0.25\nb: *x\nc: [&y 3, *y]\n", "x.yaml")
    assert document.problems == ()
    assert document.data == {"a": 0.25, "b": 0.25, "c": [3, 3]}


def test_deep_lines_are_read_again_only_when_one_is_wanted(monkeypatch):
    """A valid document records the lines of its top two levels; the first lookup of a
    deeper path reads the text again, once, and every line then matches PyYAML's."""
    text = SEED_EVIDENCE.read_text(encoding="utf-8")
    expected = _node_lines(yaml.compose(text, Loader=yaml.SafeLoader))
    document = parse_yaml(text, "evidence/nk-hamas.yaml")
    reads = []
    real_read = yamlio._read
    monkeypatch.setattr(yamlio, "_read", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    shallow = {path: line for path, line in expected.items() if len(path) <= 2}
    assert {path: document.line(path) for path in shallow} == shallow
    assert reads == []
    deep = [path for path in expected if len(path) >= 4]
    assert deep and {p: document.line(p) for p in deep} == {p: expected[p] for p in deep}
    assert dict(document.lines) == expected
    assert len(reads) == 1


def test_a_problem_deep_in_a_document_cites_lines_the_first_reading_left_out():
    # the top-level "a" makes the deeper ones take the reader's quick path for keys
    text = "a: 1\nevidence:\n  - id: e1\n    likelihoods:\n      a: 0.5\n      a: 0.6\n"
    document = parse_yaml(text, "e.yaml")
    assert [str(p) for p in document.problems] == [
        "e.yaml:6: key 'a' appears twice in evidence[0].likelihoods (first on line 5); "
        "YAML would keep only the last one, so remove or rename one of them"
    ]
    assert document.line(("evidence", 0, "likelihoods", "a")) == 5


def test_a_problem_that_cites_no_other_line_costs_one_reading(monkeypatch):
    """A rejected tag is located by its own line: the text is read once, and the deep
    lines still come on first need (a hostile upload is not parsed twice at once)."""
    text = SEED_EVIDENCE.read_text(encoding="utf-8") + "bad: !tag 1\n"
    reads = []
    real_read = yamlio._read
    monkeypatch.setattr(yamlio, "_read", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    document = parse_yaml(text, "evidence/nk-hamas.yaml")
    assert [p.message.split(" (")[0] for p in document.problems] == ["YAML tag !tag is not allowed"]
    assert len(reads) == 1
    expected = _node_lines(yaml.compose(text.replace("!tag ", ""), Loader=yaml.SafeLoader))
    assert dict(document.lines) == expected and len(reads) == 2


def test_every_line_at_once_and_lines_pickle_as_a_plain_dict(monkeypatch):
    text = SEED_EVIDENCE.read_text(encoding="utf-8")
    expected = _node_lines(yaml.compose(text, Loader=yaml.SafeLoader))
    lazy = parse_yaml(text, "e.yaml")
    assert pickle.loads(pickle.dumps(lazy.lines)) == expected
    reads = []
    real_read = yamlio._read
    monkeypatch.setattr(yamlio, "_read", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    assert dict(parse_yaml(text, "e.yaml", every_line=True).lines) == expected
    assert len(reads) == 1


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_line_break_only_yaml_sees_is_located_by_the_lines_an_editor_counts(char):
    # PyYAML counts these as line breaks: every line it named after one was off by one
    text = f"case: t\ntitle: T\nquestion: Q{char}x\nhypotheses: []\n"
    document = parse_yaml(text, "hypotheses/t.yaml")
    assert [p.line for p in document.problems] == [3]
    name = {"\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR", "\x85": "NEL"}[char]
    assert f"U+{ord(char):04X} ({name})" in document.problems[0].message
