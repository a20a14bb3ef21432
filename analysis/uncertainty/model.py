"""Case -> ``pm.Model``: the one module that turns a validated case into PyMC.

The model is split in two, so that a compiled model can outlive a slider change:

* :class:`Structure` (hashable) fixes the *shape* of the model: how many hypotheses
  and items, which likelihood cells and which source credibilities are uncertain,
  which item leans on which source. Two cases with the same structure share one
  compiled model.
* :class:`ModelData` holds every *number* (Beta parameters, fixed values, ``b``,
  the prior). Each enters the model through ``pm.Data`` under the name of its field,
  so new numbers need only ``CompiledModel.with_data(**data.as_dict())``.

The model itself (see the README, "The model"): each uncertain likelihood ``L[i,h]``
and each uncertain credibility ``c[s]`` is a Beta variable (from
:func:`analysis.elicit.beta_parameters`); all items from one source share its ``c``;
``b[i]`` is fixed at the analyst's value (``if_unreliable``, else the prior-weighted
mean of the central likelihoods). ``H`` is marginalised by an explicit logsumexp
potential, and ``p_h`` records ``P(H | E, theta)`` for every draw.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from analysis.case import Case
from analysis.elicit import beta_parameters
from analysis.scales import LIKELIHOOD_FLOOR

#: Variable names in the PyMC model (and so in the returned InferenceData).
LIKELIHOOD_VAR = "L"
CREDIBILITY_VAR = "c"
POSTERIOR_VAR = "p_h"


@dataclass(frozen=True)
class Structure:
    """What a compiled model depends on; everything else is data."""

    n_hypotheses: int
    n_items: int
    #: ``(item, hypothesis)`` of every uncertain likelihood, row-major
    free_cells: tuple[tuple[int, int], ...]
    #: for each item, the index of its uncertain credibility, or -1 when fixed
    item_credibility: tuple[int, ...]
    #: how many uncertain credibilities (one per uncertain source with evidence)
    n_credibilities: int
    #: which items give ``if_unreliable`` (b is data either way; kept for the key)
    has_if_unreliable: tuple[bool, ...]

    @property
    def n_parameters(self) -> int:
        return len(self.free_cells) + self.n_credibilities


@dataclass(frozen=True)
class ModelData:
    """Every number of the model, one array per ``pm.Data`` variable."""

    log_prior: np.ndarray  # (K,)
    L_fixed: np.ndarray  # (N, K) value of every cell; the uncertain ones are overwritten
    L_alpha: np.ndarray  # (M,) Beta parameters of the uncertain cells
    L_beta: np.ndarray  # (M,)
    c_fixed: np.ndarray  # (N,) credibility of each item; overwritten where uncertain
    c_alpha: np.ndarray  # (S,)
    c_beta: np.ndarray  # (S,)
    b: np.ndarray  # (N,)

    def as_dict(self) -> dict[str, np.ndarray]:
        return asdict(self)


@dataclass(frozen=True)
class SourceSlot:
    """An uncertain credibility and the source it belongs to."""

    source_id: str
    alpha: float
    beta: float


def describe(case: Case) -> tuple[Structure, ModelData]:
    """Split ``case`` into the model's structure and its numbers."""
    items = case.evidence
    ids = case.hypothesis_ids
    k = case.effective_concentration
    free_cells: list[tuple[int, int]] = []
    l_params: list[tuple[float, float]] = []
    for i, item in enumerate(items):
        for h, hid in enumerate(ids):
            params = beta_parameters(item.likelihoods[hid], k)
            if params is not None:
                free_cells.append((i, h))
                l_params.append(params)

    slots: dict[str, int] = {}
    c_params: list[tuple[float, float]] = []
    item_credibility: list[int] = []
    for item in items:
        params = beta_parameters(case.credibility_of(item), k)
        if params is None or item.source is None:
            item_credibility.append(-1)
            continue
        if item.source not in slots:
            slots[item.source] = len(slots)
            c_params.append(params)
        item_credibility.append(slots[item.source])

    structure = Structure(
        n_hypotheses=len(ids),
        n_items=len(items),
        free_cells=tuple(free_cells),
        item_credibility=tuple(item_credibility),
        n_credibilities=len(slots),
        has_if_unreliable=tuple(item.if_unreliable is not None for item in items),
    )
    lp = np.array(l_params, dtype=float).reshape(-1, 2)
    cp = np.array(c_params, dtype=float).reshape(-1, 2)
    data = ModelData(
        log_prior=np.log(case.prior),
        L_fixed=case.likelihood_matrix(items),
        L_alpha=lp[:, 0].copy(),
        L_beta=lp[:, 1].copy(),
        c_fixed=case.credibility_vector(items),
        c_alpha=cp[:, 0].copy(),
        c_beta=cp[:, 1].copy(),
        b=case.unreliable_vector(items),
    )
    return structure, data


def build_model(structure: Structure, data: ModelData):
    """The ``pm.Model`` for ``structure``, holding ``data`` in ``pm.Data`` containers."""
    import pymc as pm
    import pytensor.tensor as pt

    with pm.Model() as model:
        shared = {name: pm.Data(name, value) for name, value in data.as_dict().items()}
        likelihood = shared["L_fixed"]
        if structure.free_cells:
            rows, cols = np.array(structure.free_cells, dtype=int).T
            free = pm.Beta(
                LIKELIHOOD_VAR,
                alpha=shared["L_alpha"],
                beta=shared["L_beta"],
                shape=len(structure.free_cells),
            )
            likelihood = pt.set_subtensor(likelihood[rows, cols], free)
        credibility = shared["c_fixed"]
        if structure.n_credibilities:
            slot = np.array(structure.item_credibility, dtype=int)
            uses = np.flatnonzero(slot >= 0)
            free_c = pm.Beta(
                CREDIBILITY_VAR,
                alpha=shared["c_alpha"],
                beta=shared["c_beta"],
                shape=structure.n_credibilities,
            )
            credibility = pt.set_subtensor(credibility[uses], free_c[slot[uses]])
        c = credibility[:, None]
        effective = c * likelihood + (1.0 - c) * shared["b"][:, None]
        log_effective = pt.log(pt.maximum(effective, LIKELIHOOD_FLOOR))
        joint = shared["log_prior"] + log_effective.sum(axis=0)
        evidence = pt.logsumexp(joint)
        pm.Potential("evidence", evidence)
        pm.Deterministic(POSTERIOR_VAR, pt.exp(joint - evidence))
    return model
