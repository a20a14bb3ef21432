"""Hostile text in case files: control characters, line breaks, lengths (issue 9, class 1).

Every free-text field of the schema is found by walking the pydantic models, so a field
added later is covered too (the walk fails until the sample below places it).
"""

from __future__ import annotations

import re
from typing import get_args

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, PlainValidator

from analysis.casefile import schema
from analysis.casefile.loader import load_case_texts
from analysis.casefile.text import MAX_LINE, MAX_TEXT, terminal_safe, text_problem
from analysis.errors import CaseError

HYP = {
    "case": "demo",
    "title": "Demo",
    "question": "Which?",
    "hypotheses": [
        {"id": "a", "label": "Alpha", "description": "First."},
        {"id": "b", "label": "Beta"},
    ],
}
EVI = {
    "case": "demo",
    "sources": [{"id": "s", "name": "Source S"}],
    "evidence": [
        {"id": "e1", "claim": "Seen", "source": "s", "likelihoods": {"a": 0.7, "b": 0.2}},
        {"id": "e2", "claim": "Reported", "source": "s", "event": "ev1"},
    ],
    "events": [{"id": "ev1", "description": "Happened", "likelihoods": {"a": 0.8, "b": 0.3}}],
    "assumptions": [{"id": "as1", "statement": "Holds", "rests_on": ["e1"]}],
    "indicators": [{"id": "i1", "claim": "Watch", "likelihoods": {"a": 0.9, "b": 0.1}}],
}
#: Where each model sits in the sample documents: (which document, path to one entry).
PLACES: dict[type[BaseModel], tuple[str, tuple]] = {
    schema.HypothesesFile: ("hyp", ()),
    schema.HypothesisEntry: ("hyp", ("hypotheses", 0)),
    schema.EvidenceFile: ("evi", ()),
    schema.SourceEntry: ("evi", ("sources", 0)),
    schema.EvidenceEntry: ("evi", ("evidence", 0)),
    schema.IndicatorEntry: ("evi", ("indicators", 0)),
    schema.EventEntry: ("evi", ("events", 0)),
    schema.AssumptionEntry: ("evi", ("assumptions", 0)),
    schema.Defaults: ("evi", ("defaults",)),
}
TEXT_CHECKS = {schema.check_text, schema.check_line, schema.check_optional_text}


def _text_fields() -> list[tuple[type[BaseModel], str, bool]]:
    """(model, field, one-line?) for every free-text field of both documents."""
    found = []
    for model in PLACES:
        for name, info in model.model_fields.items():
            checks = [m.func for m in info.metadata if isinstance(m, PlainValidator)]
            if any(c in TEXT_CHECKS for c in checks):
                found.append((model, name, schema.check_line in checks))
    return found


def test_every_model_is_placed_in_the_sample():
    models, seen = [schema.HypothesesFile, schema.EvidenceFile], set()
    while models:
        model = models.pop()
        seen.add(model)
        for info in model.model_fields.values():
            for inner in (info.annotation, *get_args(info.annotation)):
                for t in (inner, *get_args(inner)):
                    if isinstance(t, type) and issubclass(t, BaseModel) and t not in seen:
                        models.append(t)
    assert seen <= set(PLACES), seen - set(PLACES)


FIELDS = _text_fields()
EACH_FIELD = pytest.mark.parametrize(
    ("model", "field", "one_line"), FIELDS, ids=lambda x: getattr(x, "__name__", str(x))
)


def _load_with(model, field: str, value: str):
    docs = {"hyp": yaml.safe_load(yaml.safe_dump(HYP)), "evi": yaml.safe_load(yaml.safe_dump(EVI))}
    which, path = PLACES[model]
    target = docs[which]
    for part in path:
        target = target.setdefault(part, {}) if isinstance(part, str) else target[part]
    target[field] = value
    texts = {k: yaml.safe_dump(v, allow_unicode=False, sort_keys=False) for k, v in docs.items()}
    return which, texts, lambda: load_case_texts(texts["hyp"], texts["evi"])


def _line_of(text: str, field: str, value_start: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*-?\s*{field}:", line) and value_start in line:
            return number
    raise AssertionError(f"{field} not found")


def test_the_walk_finds_the_text_fields():
    names = {(m.__name__, f) for m, f, _ in FIELDS}
    for expected in [
        ("HypothesesFile", "title"),
        ("HypothesesFile", "question"),
        ("HypothesisEntry", "label"),
        ("HypothesisEntry", "description"),
        ("SourceEntry", "name"),
        ("IndicatorEntry", "claim"),
        ("IndicatorEntry", "rationale"),
    ]:
        assert expected in names


CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\r", "\x0b", "\x7f", "\x85", "\x9b", "\ufffe"]


@EACH_FIELD
@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_character_in_any_text_field_is_a_located_problem(model, field, one_line, char):
    which, texts, load = _load_with(model, field, f"Zq{char}[2J end")
    with pytest.raises(CaseError) as caught:
        load()
    lines = caught.value.lines()
    assert len(lines) == 1, lines
    path = "hypotheses/demo.yaml" if which == "hyp" else "evidence/demo.yaml"
    line = _line_of(texts[which], field, "Zq")
    assert lines[0].startswith(f"{path}:{line}: "), lines
    assert f" {field} contains the control character U+{ord(char):04X}" in lines[0]
    assert "at character 3" in lines[0]
    assert char not in lines[0]


@EACH_FIELD
@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_a_unicode_line_separator_is_refused_in_every_field(model, field, one_line, char):
    # a case holding one would be written raw and read back as a line break
    _which, _texts, load = _load_with(model, field, f"Zq{char}more")
    with pytest.raises(CaseError) as caught:
        load()
    assert "which YAML reads as a line break" in "\n".join(caught.value.lines())


@EACH_FIELD
@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_a_direction_control_is_refused_in_every_field(model, field, one_line, char):
    # a right-to-left override makes a claim read one way and be another
    _which, _texts, load = _load_with(model, field, f"Zq{char}more")
    with pytest.raises(CaseError) as caught:
        load()
    assert "reorders how the text around it is shown" in "\n".join(caught.value.lines())


def test_the_direction_marks_arabic_and_hebrew_use_stay_allowed():
    for model, field, _ in FIELDS:
        _which, _texts, load = _load_with(model, field, "שלום\u200f ok \u200eسلام")
        load()


@EACH_FIELD
@pytest.mark.parametrize("char", ["\t", "\n"])
def test_tab_and_line_breaks_only_in_multi_line_fields(model, field, one_line, char):
    _which, _texts, load = _load_with(model, field, f"Zq{char}more")
    if one_line:
        with pytest.raises(CaseError) as caught:
            load()
        assert "must be one line" in caught.value.lines()[0]
    else:
        load()


@EACH_FIELD
def test_text_longer_than_the_limit_is_refused_with_the_limit(model, field, one_line):
    limit = MAX_LINE if one_line else MAX_TEXT
    _which, _texts, load = _load_with(model, field, "x" * limit)
    load()
    _which, _texts, load = _load_with(model, field, "x" * (limit + 1))
    with pytest.raises(CaseError) as caught:
        load()
    assert f"the limit is {limit}" in caught.value.lines()[0]


def test_printable_unicode_is_accepted_everywhere():
    text = "Ünïcødé — 中文 · עברית · emoji 🚀 · <b>&amp;</b> [x](y) |pipe|"
    for model, field, _ in FIELDS:
        _which, _texts, load = _load_with(model, field, text)
        load()


_PRINTABLE = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs"),
        blacklist_characters="\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff",
    ),
    min_size=1,
    max_size=40,
)


_CONTROL_CHARS = {chr(c) for c in [*range(32), *range(0x7F, 0xA0)]} - {"\t", "\n"}


@settings(max_examples=200, deadline=None)
@given(_PRINTABLE, st.sampled_from(sorted(_CONTROL_CHARS)))
def test_property_forbidden_iff_control(text, control):
    assert text_problem(text) is None
    assert text_problem(text, multiline=False) is None
    mixed = text[: len(text) // 2] + control + text[len(text) // 2 :]
    assert "control character" in text_problem(mixed)
    safe = terminal_safe(mixed)
    assert not any(c in safe for c in [chr(x) for x in range(32) if x != 10] + ["\x7f", "\x9b"])


def test_terminal_safe_shows_escapes_visibly():
    assert terminal_safe("a\x1b[2Jb\x1b]52;c;SGVsbG8=\x07") == "a\\x1b[2Jb\\x1b]52;c;SGVsbG8=\\x07"
    assert terminal_safe("one\ntwo") == "one\ntwo"
    assert terminal_safe("one\ntwo", keep_newlines=False) == "one\\ntwo"
    assert terminal_safe("lone \ud800") == "lone \\ud800"


def test_readme_states_the_accepted_text(repo_root):
    readme = (repo_root / "README.md").read_text()
    section = readme.split("### Input limits and accepted text", 1)[1].split("\n## ", 1)[0]
    assert f"{MAX_LINE} characters" in section
    assert f"{MAX_TEXT:,}" in section
    assert "U+0000 to U+001F" in section and "U+0080 to U+009F" in section
