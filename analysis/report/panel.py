"""Several analysts' results as JSON (``ach analyze --analysts --json``) and as tables.

Renders a :class:`~analysis.engine.pooling.Panel`; computes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis.engine.pooling import Disagreement, Panel, consistency_word
from analysis.report.console import labelled, safe, table_console
from analysis.scales import format_percent

#: How many disagreements the terminal shows (JSON carries all).
TOP = 10


def _dist(ids: tuple[str, ...], values: np.ndarray) -> dict[str, float]:
    return {h: float(v) for h, v in zip(ids, values, strict=True)}


def cell_name(panel: Panel, d: Disagreement, labelled: bool = False) -> str:
    """``jcs-rockets / direct`` or ``jcs (credibility)``: ids, as the files write them;
    ``labelled``: the hypothesis by its label, ``jcs-rockets under 'Direct supply'``."""
    if d.cell.hypothesis is None:
        return f"{d.cell.id} (credibility)"
    if labelled:
        return f"{d.cell.id} under '{panel.case.labels[d.cell.hypothesis]}'"
    return f"{d.cell.id} / {d.cell.hypothesis}"


def panel_json(panel: Panel) -> dict[str, Any]:
    """The ``analysts``, ``pooled`` and ``disagreements`` keys of the JSON contract."""
    ids = panel.case.hypothesis_ids
    pooled = panel.pooled
    out_pooled: dict[str, Any] = {
        "method": pooled.method,
        "posterior": _dist(ids, pooled.posterior),
    }
    if pooled.method == "bayes":
        out_pooled["sigma"] = dict(pooled.sigma)
        out_pooled["consistency"] = {a: consistency_word(s) for a, s in pooled.sigma.items()}
        if pooled.low is not None and pooled.high is not None:
            out_pooled["interval"] = {
                h: {"low": float(pooled.low[k]), "high": float(pooled.high[k])}
                for k, h in enumerate(ids)
            }
        out_pooled["diagnostics"] = {
            "r_hat_max": pooled.r_hat_max,
            "ess_min": pooled.ess_min,
            "draws": pooled.draws,
            "chains": pooled.chains,
            "seconds": pooled.seconds,
        }
        out_pooled["warnings"] = list(pooled.warnings)
    return {
        "analysts": {
            view.name: {
                "posterior": _dist(ids, view.posterior),
                "leader": ids[view.analysis.leader],
                "words": dict(zip(ids, view.analysis.words(), strict=True)),
                "confidence": view.analysis.confidence.level,
                "notes": view.judgments.notes if view.judgments else "",
            }
            for view in panel.analysts
        },
        "pooled": out_pooled,
        "middle_ground": _dist(ids, panel.middle_posterior),
        "disagreements": [
            {
                "id": d.cell.id,
                "kind": d.cell.kind,
                "hypothesis": d.cell.hypothesis,
                "values": dict(d.values),
                "explicit": list(d.explicit),
                "swing": d.swing,
                "leader": ids[d.leader],
                "leader_probability": dict(d.leader_probability),
                "changes_leader": d.changes_leader,
            }
            for d in panel.disagreements
        ],
    }


def _posterior_table(panel: Panel) -> Table:
    table = Table(title="Each analyst's posterior, and pooled", title_justify="left")
    table.add_column("Hypothesis")
    for name in panel.names:
        table.add_column(safe(name), justify="right")
    table.add_column(f"pooled ({panel.pooled.method})", justify="right", style="bold")
    posteriors = panel.posteriors
    for k in np.argsort(-panel.pooled.posterior, kind="stable"):
        h = panel.case.hypotheses[k]
        cells = [format_percent(float(p)) for p in posteriors[:, k]]
        pooled = format_percent(float(panel.pooled.posterior[k]))
        if panel.pooled.low is not None and panel.pooled.high is not None:
            low, high = panel.pooled.low[k], panel.pooled.high[k]
            pooled += f" ({format_percent(float(low))}-{format_percent(float(high))})"
        table.add_row(safe(f"{h.label} ({h.id})"), *cells, pooled)
    leaders = [panel.case.hypotheses[a.analysis.leader].id for a in panel.analysts]
    pooled_leader = panel.case.hypothesis_ids[int(np.argmax(panel.pooled.posterior))]
    table.add_row("leads", *map(safe, leaders), safe(pooled_leader))
    return table


def _disagreement_table(panel: Panel) -> Table:
    leader = panel.case.hypotheses[panel.disagreements[0].leader].label
    table = Table(
        title=Text.assemble(
            "Where the analysts disagree, largest swing first (swing: how far the cell alone "
            "moves ",
            safe(leader),
            ", the middle ground's leader; * set by the analyst)",
        ),
        title_justify="left",
    )
    table.add_column("Cell", overflow="fold")
    for name in panel.names:
        table.add_column(safe(name), justify="right")
    table.add_column("Swing", justify="right")
    table.add_column("Leader changes")
    for d in panel.disagreements[:TOP]:
        marks = [
            f"{d.values[n]:.2f}{'*' if n in d.explicit and n != 'case' else ''}"
            for n in panel.names
        ]
        table.add_row(
            safe(cell_name(panel, d)),
            *marks,
            f"{100 * d.swing:.1f} pts",
            "yes" if d.changes_leader else "",
        )
    return table


def print_panel(panel: Panel, console: Console | None = None) -> None:
    """Print the analysts' posteriors, the pool and the top disagreements."""
    console = console or table_console()
    case = panel.case
    console.print(safe(case.title, "bold"))
    console.print(safe(case.question))
    if len(panel.analysts) == 1:
        console.print(
            safe(f"No judgments under judgments/{case.name}/: the case file is the only analyst.")
        )
    console.print(_posterior_table(panel))
    if panel.pooled.sigma:
        parts = [
            f"{name} sigma {sigma:.2f} ({consistency_word(sigma)})"
            for name, sigma in panel.pooled.sigma.items()
        ]
        console.print(safe("How consistent each analyst is with the others: " + "; ".join(parts)))
        console.print(
            f"Bayes pool: {panel.pooled.chains} chains x {panel.pooled.draws} draws, max R-hat "
            f"{panel.pooled.r_hat_max:.3f}, min ESS {panel.pooled.ess_min:.0f}, "
            f"{panel.pooled.seconds:.1f} s"
        )
    if panel.disagreements:
        console.print(_disagreement_table(panel))
        if len(panel.disagreements) > TOP:
            console.print(f"... and {len(panel.disagreements) - TOP} more (see --json).")
    elif len(panel.analysts) > 1:
        console.print("The analysts agree on every number.")
    for note in panel.pooled.warnings:
        console.print(labelled("Note:", note, "yellow"))
