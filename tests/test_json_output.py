"""``ach analyze --json``'s text: orjson's output reads back as the standard library's."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from analysis.casefile.loader import load_case
from analysis.engine.analyzer import analyze
from analysis.report.json_output import dumps, to_json

plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), plain, max_size=5))
def test_any_json_value_reads_back_as_written(data):
    assert json.loads(dumps(data)) == data  # floats may be spelled differently (1e-5)


def test_the_seed_analysis_reads_back_equal_to_the_standard_librarys(repo_root):
    out = to_json(analyze(load_case("nk-hamas", repo_root)))
    text = dumps(out)
    assert json.loads(text) == json.loads(json.dumps(out))
    assert text.startswith('{\n  "case": "nk-hamas",\n')  # two-space indent, file order


def test_non_ascii_text_is_written_as_is():
    assert dumps({"claim": "Пхеньян — 平壤"}) == '{\n  "claim": "Пхеньян — 平壤"\n}'


def test_what_orjson_refuses_is_written_by_the_standard_library():
    data = {"big": 2**70, "row": np.arange(2.0), "count": np.int64(3)}
    assert json.loads(dumps({"big": 2**70})) == {"big": 2**70}
    assert json.loads(dumps(data | {"big": 1})) == {"big": 1, "row": [0.0, 1.0], "count": 3}
    # both at once: the standard library writes the NumPy values as orjson would
    assert json.loads(dumps(data)) == {"big": 2**70, "row": [0.0, 1.0], "count": 3}
    assert dumps(data).startswith('{\n  "big": ')  # indented alike
