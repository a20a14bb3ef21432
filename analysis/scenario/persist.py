"""A scenario as files: the YAML download and the save under a new case name."""

from __future__ import annotations

from pathlib import Path

from analysis.case import Case
from analysis.casefile.save import save_texts
from analysis.casefile.writer import dump_yaml
from analysis.scenario.adjustments import Adjustments, apply
from analysis.scenario.describe import Change, describe
from analysis.wording import count


def scenario_header(
    name: str, origin: str, changes: list[Change], broken: tuple[str, ...] = ()
) -> list[str]:
    """The comment lines that say where a saved scenario came from and what moved."""
    lines = [f"Scenario '{name}', adjusted from case '{origin}' in the ACH workbench."]
    if changes:
        lines.append(f"{count(len(changes), 'number')} differ from '{origin}':")
        lines += [f"  {change}" for change in changes]
    if broken:
        lines.append(
            "Key assumptions broken in the dashboard, not saved (a case file records "
            f"assumptions, not their failure): {', '.join(broken)}"
        )
    return lines


def scenario_documents(case: Case, adjustments: Adjustments, name: str) -> tuple[str, str]:
    """The hypotheses and evidence YAML of the adjusted scenario, saved as ``name``.

    The moved numbers are saved (an event's under the event); broken assumptions are not
    (their items would be written as retracted), the header names them.
    """
    numbers = adjustments.numbers
    broken = tuple(a.id for a in case.assumptions if a.id in adjustments.broken)
    return dump_yaml(
        apply(case, numbers),
        name,
        scenario_header(name, case.name, describe(case, numbers), broken),
    )


def scenario_yaml(case: Case, adjustments: Adjustments, name: str) -> str:
    """Both documents of the adjusted scenario in one download (``---`` between them)."""
    hyp, ev = scenario_documents(case, adjustments, name)
    return (
        f"# Save the first document as hypotheses/{name}.yaml and the second as "
        f"evidence/{name}.yaml.\n{hyp}---\n{ev}"
    )


def save(
    case: Case,
    adjustments: Adjustments,
    name: str,
    root: str | Path = ".",
    overwrite: bool = False,
) -> Case:
    """Save the adjusted scenario as case ``name`` under ``root``; return it as loaded back.

    See :func:`analysis.casefile.save.save_texts` for what is refused and rolled back.
    """
    hyp_text, ev_text = scenario_documents(case, adjustments, name)
    return save_texts(name, hyp_text, ev_text, root, overwrite)
