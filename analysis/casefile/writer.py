"""A :class:`~analysis.case.Case` back to the two YAML documents the loader reads.

The output is plain block YAML in the key order of the case-file contract, so loading
it gives the same case (``tests/test_loader.py`` round-trips every bundled case).
An optional comment header says where the case came from.
"""

from __future__ import annotations

import yaml

from analysis.case import Case
from analysis.casefile.layout import check_name


def renamed(case: Case, name: str) -> Case:
    """``case`` under a new case name (no longer tied to the files it came from)."""
    check_name(name)
    return case.with_changes(name=name, hypotheses_path=None, evidence_path=None)


def comment_block(lines: list[str]) -> str:
    """``lines`` as YAML comments, one ``# `` line each (empty for no lines)."""
    return "".join(f"# {line}\n" for line in lines)


def dump_yaml(
    case: Case, name: str | None = None, header: list[str] | None = None
) -> tuple[str, str]:
    """The two YAML documents (hypotheses, evidence) of ``case``, renamed to ``name``.

    ``header`` lines go at the top of both documents as comments.
    """
    if name is not None:
        case = renamed(case, name)
    hypotheses, evidence = case.to_data()
    top = comment_block(header or [])

    def dump(data: dict) -> str:
        return top + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )

    return dump(hypotheses), dump(evidence)
