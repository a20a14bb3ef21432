"""The analysis as one JSON-ready dict: the ``ach analyze --json`` contract.

The keys of the JSON contract (``docs/contract/analyze-output.schema.json`` pins them)
are always present; a few more (labels, provenance, Heuer ratings) help consumers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from analysis import __version__
from analysis.engine.analyzer import Analysis
from analysis.jsontext import json_bytes


def _dist(ids: tuple[str, ...], values: np.ndarray | list[float]) -> dict[str, float]:
    """``{hypothesis: value}``; a NumPy row becomes Python floats in one ``tolist``."""
    row = values.tolist() if isinstance(values, np.ndarray) else values
    return dict(zip(ids, row, strict=True))


def _plain(array: np.ndarray) -> list:
    """An array (a row per item, or one number per item) as Python floats, converted in
    one ``tolist``, not one number at a time."""
    return np.asarray(array, dtype=float).tolist()


def to_json(analysis: Analysis) -> dict[str, Any]:
    """Every result of ``analysis`` as plain JSON types, in hypothesis file order."""
    case = analysis.case
    ids = case.hypothesis_ids
    leader, runner = analysis.leader, analysis.runner_up
    woe = np.asarray(analysis.weight_of_evidence(leader, runner), dtype=float).tolist()
    effective, contribution = _plain(analysis.effective), _plain(analysis.contribution)
    without, trajectory = _plain(analysis.posterior_without), _plain(analysis.trajectory)
    credibility = _plain(analysis.credibility)
    diagnosticity, linchpin = _plain(analysis.diagnosticity), analysis.linchpin.tolist()
    ratings = analysis.heuer.ratings.tolist()  # Python strings, not one NumPy scalar each
    out: dict[str, Any] = {
        "case": case.name,
        "title": case.title,
        "question": case.question,
        "engine_version": __version__,
        "content_hash": case.content_hash,
        "hypotheses": list(ids),
        "labels": dict(case.labels),
        "prior": _dist(ids, analysis.prior),
        "posterior": _dist(ids, analysis.posterior),
        "words": dict(zip(ids, analysis.words(), strict=True)),
        "yardstick": analysis.yardstick,
        "leader": ids[leader],
        "confidence": analysis.confidence.level,
        "confidence_rules": [
            {"rule": r.name, "cap": r.cap, "reason": r.reason} for r in analysis.confidence.rules
        ],
        "evidence": [
            {
                "id": item.id,
                "source": item.source,
                "date": item.date,
                "credibility": credibility[i],
                "effective_likelihood": _dist(ids, effective[i]),
                "contribution": _dist(ids, contribution[i]),
                "posterior_without": _dist(ids, without[i]),
                "diagnosticity": diagnosticity[i],
                "leader_vs_runner_up_db": woe[i],
                "grade": analysis.grade(woe[i]),
                "linchpin": bool(linchpin[i]),
                "ratings": dict(zip(ids, ratings[i], strict=True)),
                "event": item.event,
                "tags": list(item.tags),
                "retracted": item.retracted,
            }
            for i, item in enumerate(case.evidence)
        ],
        "prior_contribution": _dist(ids, analysis.prior_contribution),
        "trajectory": [
            {
                "after": case.evidence[i].id,
                "date": case.evidence[i].date,
                "posterior": _dist(ids, trajectory[step]),
            }
            for step, i in enumerate(analysis.trajectory_order)
        ],
        "heuer": {
            "inconsistency": _dist(ids, analysis.heuer.inconsistency),
            "weighted_inconsistency": _dist(ids, analysis.heuer.weighted_inconsistency),
            "ranking": [ids[k] for k in analysis.heuer.ranking],
            "disagreement": (analysis.disagreement.explanation if analysis.disagreement else None),
            "note": analysis.heuer.note,
        },
        "indicators": [
            {
                "id": ind.item.id,
                "claim": ind.item.claim,
                "probability_seen": ind.probability_seen,
                "expected_information_bits": ind.expected_information_bits,
                "if_seen": _dist(ids, ind.if_seen),
                "if_not_seen": _dist(ids, ind.if_not_seen),
            }
            for ind in analysis.indicators
        ],
        "sources": [
            {
                "id": s.source_id,
                "name": s.name,
                "items": len(s.items),
                "leader_weight_db": s.leader_weight_db,
                "share": s.share,
            }
            for s in analysis.sources
        ],
        "warnings": list(analysis.warnings),
        "as_of": case.as_of,
        "cutoff": case.cutoff,
        "marking": case.marking,
    }
    if case.events:
        out["events"] = _events(analysis)
    if case.assumptions:
        out["assumptions"] = _assumptions(analysis)
    u = analysis.uncertainty
    if u is not None:
        out["uncertainty"] = {
            h: {"mean": float(u.mean[k]), "low": float(u.low[k]), "high": float(u.high[k])}
            for k, h in enumerate(ids)
        }
        out["diagnostics"] = {
            "r_hat_max": float(u.r_hat_max),
            "ess_min": float(u.ess_min),
            "draws": u.draws,
            "chains": u.chains,
            "sampler": u.sampler,
            "seconds": u.seconds,
        }
    return out


def dumps(data: dict[str, Any]) -> str:
    """``data`` as JSON text indented by two spaces, non-ASCII characters as written
    (:func:`analysis.jsontext.json_bytes`). Every number the engine reports is finite
    (its probabilities are floored at 1e-300), so no NaN or infinity needs JSON's
    workaround."""
    return json_bytes(data, indent=True).decode("utf-8")


def _events(analysis: Analysis) -> list[dict[str, Any]]:
    """Each event (file order) with the reports that count, in trajectory order."""
    case = analysis.case
    ids = case.hypothesis_ids
    return [
        {
            "id": e.event.id,
            "description": e.event.description,
            "date": e.event.date,
            "items": [case.evidence[i].id for i in e.items],
            "contribution": _dist(ids, e.contribution),
            "posterior_without": _dist(ids, e.posterior_without),
            "linchpin": e.linchpin,
        }
        for e in analysis.events
    ]


def _assumptions(analysis: Analysis) -> list[dict[str, Any]]:
    """Each key assumption (file order): what rests on it and the result if it fails."""
    case = analysis.case
    ids = case.hypothesis_ids
    return [
        {
            "id": a.assumption.id,
            "statement": a.assumption.statement,
            "rests_on": list(a.assumption.rests_on),
            "items": [case.evidence[i].id for i in a.items],
            "posterior_if_fails": _dist(ids, a.posterior_if_fails),
            "leader_if_fails": ids[a.leader_if_fails],
            "leaders_if_fails": [ids[k] for k in a.leaders_if_fails],  # several: a tie
            "linchpin": a.linchpin,
        }
        for a in analysis.assumptions
    ]
