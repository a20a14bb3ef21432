"""Plain data as JSON bytes: orjson, and the standard library for what orjson refuses.

One rule for both JSON texts the tool writes, the content hash's
(:func:`analysis.case.canonical_json`) and ``ach analyze --json``'s
(:func:`analysis.report.json_output.dumps`). orjson writes a 5,000-item analysis
(11 MB) in 0.05 s where ``json.dumps(indent=2)`` takes 1.1 s (``benchmarks/cli.py``);
content it refuses (an integer past 64 bits) is written by ``json`` instead, every time,
so the same content always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson


def json_bytes(
    data: Any,
    *,
    sort_keys: bool = False,
    indent: bool = False,
    default: Callable[[Any], Any] | None = None,
) -> bytes:
    """``data`` as UTF-8 JSON, non-ASCII text as written and a NumPy number or array as
    the numbers it holds; ``indent`` indents by two spaces, else the text is compact
    (orjson's) or ``json``'s default spacing; ``default`` turns any other object into
    something JSON can hold."""
    options = orjson.OPT_SERIALIZE_NUMPY
    options |= orjson.OPT_SORT_KEYS if sort_keys else 0
    options |= orjson.OPT_INDENT_2 if indent else 0
    try:
        return orjson.dumps(data, option=options, default=default)
    except TypeError:  # orjson.JSONEncodeError: e.g. an integer past 64 bits
        text = json.dumps(
            data,
            sort_keys=sort_keys,
            indent=2 if indent else None,
            ensure_ascii=False,
            default=default if default is not None else _plain_numpy,
        )
        return text.encode("utf-8")


def _plain_numpy(value: Any) -> Any:
    """A NumPy number or array as Python numbers, as orjson writes them."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
