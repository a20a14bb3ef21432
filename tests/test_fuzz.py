"""Fuzzing the loader: whatever the text, the only exception is a CaseError.

Random bytes, random text, mangled copies of the bundled case files, random YAML
structures, and valid cases with one value swapped for a random one all go through
:func:`load_case_texts`. Seeded (derandomized) so a failure reproduces.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loader import EVI, HYP

from analysis.case import Case
from analysis.casefile.layout import list_cases
from analysis.casefile.loader import load_case_texts
from analysis.errors import CaseError, Problem

ROOT = Path(__file__).resolve().parent.parent

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Whole bundled cases take ~30 ms each to parse, so those tests run fewer examples.
FUZZ_CASES = settings(FUZZ, max_examples=150)


def _case_texts() -> list[tuple[str, str]]:
    texts = [(HYP, EVI)]
    for name in list_cases(ROOT):
        texts.append(
            tuple(
                (ROOT / folder / f"{name}.yaml").read_text(encoding="utf-8")
                for folder in ("hypotheses", "evidence")
            )
        )
    return texts


CASES = _case_texts()

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["low", "medium", "high", "CC", "II", "NA", "a", "b", "c", "s", "t"])
)
keys = st.sampled_from(
    [
        "case",
        "title",
        "question",
        "hypotheses",
        "id",
        "label",
        "prior",
        "sources",
        "name",
        "credibility",
        "evidence",
        "indicators",
        "claim",
        "date",
        "source",
        "likelihoods",
        "ratings",
        "relevance",
        "if_unreliable",
        "rationale",
        "defaults",
        "concentration",
        "events",
        "event",
        "description",
        "assumptions",
        "statement",
        "rests_on",
        "tags",
        "retracted",
        "as_of",
        "marking",
        "a",
        "b",
        "c",
    ]
) | st.text(max_size=8)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)


def assert_only_case_error(hypotheses: str | bytes, evidence: str | bytes) -> None:
    try:
        case = load_case_texts(hypotheses, evidence)
    except CaseError as exc:
        assert exc.problems
        assert all(isinstance(p, Problem) and p.message for p in exc.problems)
        for line in exc.lines():
            assert "Input should" not in line, line
    else:
        assert isinstance(case, Case)


@FUZZ
@given(st.binary(max_size=400), st.binary(max_size=400))
def test_random_bytes(hypotheses, evidence):
    assert_only_case_error(hypotheses, evidence)


@FUZZ
@given(st.text(max_size=300), st.text(max_size=300))
def test_random_text(hypotheses, evidence):
    assert_only_case_error(hypotheses, evidence)


@st.composite
def mangled(draw, text: str) -> str:
    """``text`` truncated, cut, spliced or with a line replaced."""
    lines = text.splitlines(keepends=True)
    how = draw(st.sampled_from(["truncate", "cut", "insert", "line", "swap"]))
    at = draw(st.integers(0, len(text)))
    if how == "truncate":
        return text[:at]
    if how == "cut":
        return text[:at] + text[at + draw(st.integers(1, 200)) :]
    if how == "insert":
        noise = draw(
            st.text(max_size=20)
            | st.sampled_from(["- ", ": ", "\t", "&a ", "*a", "!!", "[", "{", "'", '"', "  ", "\n"])
        )
        return text[:at] + noise + text[at:]
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    if how == "line":
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())] if lines else ""
        lines[i : i + 1] = [indent + draw(st.text(max_size=30)) + "\n"]
    else:
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        if lines:
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@FUZZ_CASES
@given(st.data())
def test_mangled_bundled_cases(data):
    hypotheses, evidence = data.draw(st.sampled_from(CASES))
    which = data.draw(st.sampled_from(["hypotheses", "evidence", "both"]))
    if which in ("hypotheses", "both"):
        hypotheses = data.draw(mangled(hypotheses))
    if which in ("evidence", "both"):
        evidence = data.draw(mangled(evidence))
    assert_only_case_error(hypotheses, evidence)


@FUZZ
@given(structures, structures)
def test_random_structures(hypotheses, evidence):
    assert_only_case_error(yaml.safe_dump(hypotheses), yaml.safe_dump(evidence))


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _replace(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


@FUZZ_CASES
@given(st.data())
def test_one_value_replaced_in_a_valid_case(data):
    texts = data.draw(st.sampled_from(CASES))
    which = data.draw(st.integers(0, 1))
    document = yaml.safe_load(texts[which])
    path = data.draw(st.sampled_from(list(_paths(document))))
    document = _replace(document, path, data.draw(structures))
    changed = list(texts)
    changed[which] = yaml.safe_dump(document, allow_unicode=True)
    assert_only_case_error(*changed)
