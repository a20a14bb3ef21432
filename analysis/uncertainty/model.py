"""Case -> ``pm.Model``: the one module that turns a validated case into PyMC.

The model's *structure is data*, so one compiled model serves every case of up to
``size`` uncertain numbers, whatever its items, hypotheses or events:

* :class:`Structure` (hashable) describes a case's shape: its groups of reports (a
  lone item is a group of one; an event is a group of its reports), which likelihood
  cells and which source credibilities are uncertain, which report leans on which
  source. The conjugate sampler and the tests read it; the compiled model does not
  depend on it.
* :class:`ModelData` holds every number (Beta parameters, fixed values, ``b``, the
  prior).
* :func:`model_inputs` turns both into the flat arrays the model reads through
  ``pm.Data``: index arrays into one vector of numbers (fixed values, then the Beta
  variables), the group of each report, the floors. Only the length of the Beta
  vector is fixed at compile time (:func:`bucket`: a power of two, padded with
  variables that nothing reads), so an added item, hypothesis or event is new data
  for the same compiled model.

The model (see the README, "The model"): every uncertain likelihood, event likelihood
``q[e,h]`` and source credibility ``c[s]`` is a Beta variable (from
:func:`analysis.elicit.beta_parameters`); all reports from one source share its ``c``;
``b[i]`` is fixed at the analyst's value (``if_unreliable``, else the prior-weighted
mean of the central likelihoods). A group ``g`` of reports ``R_g`` (hit rate
``a = c + (1 - c) b``, false-positive rate ``f = (1 - c) b``) has

    log P(R_g | h) = log(q[g,h] prod a + (1 - q[g,h]) prod f),

floored at ``|R_g|`` likelihood floors; with one report this is ``log(c L + (1 - c) b)``
(:mod:`analysis.engine.events`). Retracted items are no reports at all. ``H`` is
marginalised by a logsumexp potential; :func:`posterior_given` gives ``P(H | E, theta)``
for each draw from the same arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.case import Case
from analysis.elicit import beta_parameters
from analysis.scales import LIKELIHOOD_FLOOR
from analysis.uncertainty.threads import in_two_threads

#: Variable names in the PyMC model (and so in the sampled trace).
THETA_VAR = "theta"
LOGIT_VAR = "z"
POSTERIOR_VAR = "p_h"
LOG_FLOOR = float(np.log(LIKELIHOOD_FLOOR))
#: The Beta parameters written in the padding slots of ``alpha`` and ``beta``: the model
#: reads neither (a padding variable is read by nothing and has a standard normal logit,
#: which costs the sampler no logarithm).
PAD_BETA = 10.0
SMALLEST_BUCKET = 8
#: A Beta parameter below this puts weight where the sampler cannot reach (see
#: :func:`beyond_reach`): at the default concentration, a point below 0.005 or above 0.995.
#: From 0.1 up, R-hat and ESS warn when the run falls short (points 0.005 to 0.015
#: against 10 and 70 items, two seeds each: right means, or a warning); far below, at
#: 2e-4 (six items at 1e-5), the run settled on a wrong answer with R-hat 1.004 and ESS
#: 2419.
SMALLEST_BETA_PARAMETER = 0.1
#: The log of the smallest prior factor the evidence term multiplies (see
#: :func:`prior_factors`): far above the smallest normal float (e^-708), and with the
#: largest exponent it then takes, about 601, far below the largest (e^709).
LIFTED_LOG_PRIOR = -600.0
#: :func:`posterior_given` splits its draws between two threads once they hold this many
#: group cells (draws x cells): at the seed case's 3000 x 60 the threads cost more than
#: they save (8.0 ms against 6.3 ms on one), at K=6, N=60's 4000 x 360 they halve it.
PARALLEL_CELLS = 500_000


@dataclass(frozen=True)
class Structure:
    """The shape of a case's model: what the numbers of :class:`ModelData` mean."""

    n_hypotheses: int
    n_items: int
    #: the counted (not retracted) reports of each group: a lone item, or an event
    groups: tuple[tuple[int, ...], ...]
    #: for each group, the index of its event in ``case.events``, or -1 for a lone item
    group_event: tuple[int, ...]
    #: ``(group, hypothesis)`` of every uncertain likelihood, row-major
    free_cells: tuple[tuple[int, int], ...]
    #: for each evidence item, the index of its uncertain credibility, or -1
    item_credibility: tuple[int, ...]
    #: how many uncertain credibilities (one per uncertain source with counted reports)
    n_credibilities: int
    #: the source of each uncertain credibility, in their order
    credibility_sources: tuple[str, ...]

    @property
    def n_parameters(self) -> int:
        return len(self.free_cells) + self.n_credibilities

    @property
    def reports(self) -> tuple[int, ...]:
        """Every counted report, group by group."""
        return tuple(i for group in self.groups for i in group)


@dataclass(frozen=True)
class ModelData:
    """Every number of the model."""

    log_prior: np.ndarray  # (K,)
    q_fixed: np.ndarray  # (G, K) central value of every group's likelihoods
    q_alpha: np.ndarray  # (M,) Beta parameters of the uncertain cells
    q_beta: np.ndarray  # (M,)
    c_fixed: np.ndarray  # (N,) central credibility of each item
    c_alpha: np.ndarray  # (S,)
    c_beta: np.ndarray  # (S,)
    b: np.ndarray  # (N,)


def describe(case: Case) -> tuple[Structure, ModelData]:
    """Split ``case`` into the model's structure and its numbers."""
    ids = case.hypothesis_ids
    k = case.effective_concentration
    retracted = case.retracted_mask
    event_index = {e.id: j for j, e in enumerate(case.events)}
    groups: list[tuple[int, ...]] = []
    group_event: list[int] = []
    rows = []  # the likelihood maps of the groups
    for i, item in enumerate(case.evidence):
        if item.event is None and not retracted[i]:
            groups.append((i,))
            group_event.append(-1)
            rows.append(item.likelihoods)
    for event_id, reporting in case.event_reports.items():
        counted = tuple(i for i in reporting if not retracted[i])
        if counted:
            groups.append(counted)
            group_event.append(event_index[event_id])
            rows.append(case.events[event_index[event_id]].likelihoods)

    free_cells, q_params = [], []
    for g, likelihoods in enumerate(rows):
        for h, hid in enumerate(ids):
            params = beta_parameters(likelihoods[hid], k)
            if params is not None:
                free_cells.append((g, h))
                q_params.append(params)

    counted = {i for group in groups for i in group}
    slots: dict[str, int] = {}
    c_params: list[tuple[float, float]] = []
    item_credibility: list[int] = []
    for i, item in enumerate(case.evidence):
        params = beta_parameters(case.credibility_of(item), k)
        if params is None or item.source is None or i not in counted:
            item_credibility.append(-1)
            continue
        if item.source not in slots:
            slots[item.source] = len(slots)
            c_params.append(params)
        item_credibility.append(slots[item.source])

    structure = Structure(
        n_hypotheses=len(ids),
        n_items=len(case.evidence),
        groups=tuple(groups),
        group_event=tuple(group_event),
        free_cells=tuple(free_cells),
        item_credibility=tuple(item_credibility),
        n_credibilities=len(slots),
        credibility_sources=tuple(slots),
    )
    _, credibility, unreliable = case.evidence_arrays
    qp = np.array(q_params, dtype=float).reshape(-1, 2)
    cp = np.array(c_params, dtype=float).reshape(-1, 2)
    q_fixed = np.array([[row[h].value for h in ids] for row in rows], dtype=float)
    data = ModelData(
        log_prior=np.log(case.prior),
        q_fixed=q_fixed.reshape(len(rows), len(ids)),
        q_alpha=qp[:, 0].copy(),
        q_beta=qp[:, 1].copy(),
        c_fixed=credibility.copy(),
        c_alpha=cp[:, 0].copy(),
        c_beta=cp[:, 1].copy(),
        b=unreliable.copy(),
    )
    return structure, data


def beyond_reach(case: Case) -> list[str]:
    """The uncertain numbers of ``case`` whose Beta has a parameter below
    :data:`SMALLEST_BETA_PARAMETER`, each named as people read it and shown as written
    (``"item e3 under 'Direct supply' (0.001)"``, ``"the credibility of source 'KCNA'
    (0.9995)"``, ``"event ev1 under 'Pre-2010 stock' ([0, 1e-06])"``).

    Such a Beta puts much of its weight within a hair of 0 or 1: ``Beta(0.02, 19.98)``, a
    point 0.001 at the default concentration, has two thirds of it below 1e-10 and a
    quarter below 1e-30 (logits below -23 and -69); ``Beta(2e-4, 20)``, a point 1e-5,
    has 87% below 1e-300. The sampler works on the logit, where that weight lies tens to
    hundreds of units out: it mixes badly there (R-hat and ESS then usually warn) or,
    past what a float holds, samples a cut-off version, the same in every chain, so R-hat
    and ESS look fine while the mean is wrong (a prior of 1e-25 against six items at
    1e-5 gave P = 3e-13 where the exact answer is 0.99999)."""
    structure, data = describe(case)
    ids = case.hypothesis_ids
    found = []
    for m, (g, h) in enumerate(structure.free_cells):
        if min(data.q_alpha[m], data.q_beta[m]) < SMALLEST_BETA_PARAMETER:
            event = structure.group_event[g]
            owner = case.evidence[structure.groups[g][0]] if event < 0 else case.events[event]
            kind = "item" if event < 0 else "event"
            label = case.labels[ids[h]]
            prob = owner.likelihoods[ids[h]]
            found.append(f"{kind} {owner.id} under '{label}' ({_as_written(prob)})")
    for slot, source_id in enumerate(structure.credibility_sources):
        if min(data.c_alpha[slot], data.c_beta[slot]) < SMALLEST_BETA_PARAMETER:
            source = case.source_by_id[source_id]
            found.append(
                f"the credibility of source '{source.name}' ({_as_written(source.credibility)})"
            )
    return found


def _as_written(prob) -> str:
    """``prob`` as the case file has it: ``0.001``, ``[0, 1e-06]``, a word."""
    written = prob.as_written()
    if isinstance(written, str):
        return written
    numbers = written if isinstance(written, list) else [written]
    shown = [str(int(x)) if float(x).is_integer() else repr(float(x)) for x in numbers]
    return f"[{', '.join(shown)}]" if isinstance(written, list) else shown[0]


def bucket(n_parameters: int) -> int:
    """The compiled size for ``n_parameters`` uncertain numbers: a power of two, >= 8."""
    return max(SMALLEST_BUCKET, 1 << max(n_parameters - 1, 0).bit_length())


def model_inputs(structure: Structure, data: ModelData, size: int) -> dict[str, np.ndarray]:
    """The ``pm.Data`` arrays of the model compiled for ``size`` Beta variables.

    ``numbers`` = fixed values (every group cell, then every report's credibility),
    followed by the Beta variables (uncertain cells, uncertain credibilities, padding);
    ``q_index`` and ``c_index`` pick each group cell and each report's credibility.
    """
    n_free = structure.n_parameters
    if n_free > size:
        raise ValueError(f"{n_free} uncertain numbers do not fit a model of {size}")
    reports = np.array(structure.reports, dtype=np.int64)
    slot = np.array(structure.item_credibility, dtype=np.int64)[reports]
    # the uncertain credibilities follow the uncertain cells among the variables
    variable = np.where(slot >= 0, len(structure.free_cells) + slot, -1)
    q_index, c_index = number_indices(
        len(structure.groups), structure.n_hypotheses, structure.free_cells, variable
    )
    pad = np.full(size - n_free, PAD_BETA)
    return {
        "n_free": np.array(n_free, dtype=np.int64),
        "log_prior": np.asarray(data.log_prior, dtype=float),
        **prior_factors(data.log_prior),
        "fixed": np.concatenate([data.q_fixed.ravel(), data.c_fixed[reports]]),
        "alpha": np.concatenate([data.q_alpha, data.c_alpha, pad]),
        "beta": np.concatenate([data.q_beta, data.c_beta, pad]),
        "q_index": q_index,
        "c_index": c_index,
        **report_arrays(structure, data),
    }


def number_indices(
    n_groups: int,
    n_hypotheses: int,
    variable_cells: Sequence[tuple[int, int]],
    report_variable: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``q_index`` and ``c_index``: where each group cell and each report's credibility
    is read from ``numbers`` = every group cell's fixed value (row-major), every
    report's fixed credibility, then the variables. Cell ``(g, h)`` number ``j`` of
    ``variable_cells`` reads variable ``j``; report ``r`` reads variable
    ``report_variable[r]``, or its fixed credibility where that is -1 (the uncertainty
    model's Beta variables and the bayes pool's latent values alike)."""
    n_cells = n_groups * n_hypotheses
    n_reports = len(report_variable)
    offset = n_cells + n_reports  # where the variables start
    q_index = np.arange(n_cells, dtype=np.int64)
    for j, (g, h) in enumerate(variable_cells):
        q_index[g * n_hypotheses + h] = offset + j
    variable = np.asarray(report_variable, dtype=np.int64)
    fixed = n_cells + np.arange(n_reports, dtype=np.int64)
    return q_index, np.where(variable >= 0, offset + variable, fixed).astype(np.int64)


def prior_factors(log_prior: np.ndarray) -> dict[str, np.ndarray]:
    """The prior as the evidence term reads it: ``prior = exp(log pi - shift)`` and
    ``shift`` (0, or what lifts a prior below e^-600 to about e^-600), so that
    ``prior * exp(log P(E | h) - top + shift)`` stays in range: written plainly, a
    hypothesis with a prior of 1e-320 (below the smallest normal float) that the
    evidence makes the leader needs exp(737) (past the largest float), and the run did
    not settle (R-hat 1.29) where the exact answer is 1."""
    log_prior = np.asarray(log_prior, dtype=float)
    lifted = np.minimum(0.0, np.floor(log_prior) - LIFTED_LOG_PRIOR)
    shift = np.where(np.isfinite(log_prior), lifted, 0.0)  # a prior of 0 stays 0
    return {"prior": np.exp(log_prior - shift), "prior_shift": shift}


def report_arrays(structure: Structure, data: ModelData) -> dict[str, np.ndarray]:
    """Each report's ``b`` and group, and each group's floor (what :func:`log_likelihood`
    reads besides the numbers)."""
    reports = np.array(structure.reports, dtype=np.int64)
    sizes = np.array([len(g) for g in structure.groups], dtype=np.int64)
    return {
        "report_b": data.b[reports].astype(float),
        "report_group": np.repeat(np.arange(len(sizes), dtype=np.int64), sizes),
        "group_floor": sizes * LOG_FLOOR,
    }


def build_model(size: int, inputs: dict[str, np.ndarray]):
    """The ``pm.Model`` of ``size`` Beta variables, its structure and numbers ``inputs``
    held in ``pm.Data`` containers (any case that fits ``size`` can be fed to it)."""
    import pymc as pm
    import pytensor.tensor as pt

    with pm.Model() as model:
        x = {name: pm.Data(name, value) for name, value in inputs.items()}
        # theta ~ Beta(alpha, beta), sampled as z = logit(theta): the density of z is
        # sigmoid(z)^alpha sigmoid(-z)^beta (the Beta with its logit Jacobian), up to the
        # constant B(alpha, beta). Written out, it costs a quarter of pm.Beta's logp
        # (gammaln and parameter checks on every evaluation; see the README), and as
        # (alpha + beta) log theta - beta z (log sigmoid(-z) = log sigmoid(z) - z) one
        # logarithm per number. Only the first n_free are numbers of the case; the
        # padding after them is read by nothing and has a standard normal logit.
        z = pm.Flat(LOGIT_VAR, shape=size)
        n = x["n_free"]
        free, alpha, beta = z[:n], x["alpha"][:n], x["beta"][:n]
        pm.Potential("padding", (-0.5 * pt.sqr(z[n:])).sum())
        theta = pt.sigmoid(free)
        numbers = pt.concatenate([x["fixed"], theta])
        # log theta is taken of the numbers' Beta part: PyTensor rewrites
        # log(sigmoid(z)) into -softplus(-z), which costs an exp and a log1p and whose
        # gradient is one more exp; read back from numbers it stays one log, and its
        # gradient reuses theta (d log theta / dz = 1 - theta): a tenth of the gradient's
        # time on the seed case, a quarter at K=6, N=60. A logit below -745 (theta = 0
        # in floating point) gives -inf, which the sampler rejects as a divergence.
        log_theta = pt.log(numbers[x["fixed"].shape[0] :])
        pm.Potential("beta_prior", ((alpha + beta) * log_theta - beta * free).sum())
        pm.Potential("evidence", log_evidence(numbers, x))
    return model


def log_evidence(numbers, x: dict):
    """PyTensor scalar: ``log P(E) = log sum_h pi_h P(E | h)`` with every group cell and
    report credibility picked from ``numbers`` by ``x["q_index"]`` and ``x["c_index"]``
    (the layout of :func:`model_inputs`; the bayes pool's model uses it too).

    The sum is scaled by the largest joint term: written with the prior as a factor,
    PyTensor keeps the sum as it is (a log of a sum of exps it rewrites with an infinity
    check and a second maximum, 8% of the gradient's time). The scale cancels; see
    :func:`log_likelihood` for why it is floored, and :func:`prior_factors` for the
    shift that keeps a prior below e^-600 in range."""
    import pytensor.tensor as pt

    n_groups = x["group_floor"].shape[0]
    q = numbers[x["q_index"]].reshape((n_groups, x["log_prior"].shape[0]))
    likelihood = log_likelihood(q, numbers[x["c_index"]], x)
    top = pt.floor((x["log_prior"] + likelihood).max())
    scaled = likelihood - top + x["prior_shift"]
    return top + pt.log((x["prior"] * pt.exp(scaled)).sum())


def theta_of(z: np.ndarray) -> np.ndarray:
    """The uncertain numbers from their logits (what the sampler stores): the logistic
    function ``1 / (1 + exp(-z))``, to a few units in the last place in both tails (a
    logit below -709 gives 0)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def log_likelihood(q, c, x: dict):
    """PyTensor ``(K,)``: ``sum_g log P(R_g | h)`` for group likelihoods ``q`` ``(G, K)``
    and report credibilities ``c`` ``(R,)``; ``x`` holds ``report_b``, ``report_group``
    and ``group_floor``."""
    import pytensor.tensor as pt

    b, tiny = x["report_b"], LIKELIHOOD_FLOOR
    n_groups = x["group_floor"].shape[0]

    def per_group(values):
        return pt.inc_subtensor(pt.zeros((n_groups,))[x["report_group"]], values)

    log_hit = per_group(pt.log(pt.maximum(c + (1.0 - c) * b, tiny)))
    log_false = per_group(pt.log(pt.maximum((1.0 - c) * b, tiny)))
    # log(q e^hit + (1 - q) e^false), each group's two terms scaled by about the larger:
    # one log per cell (a log-add-exp per cell took a fifth of the gradient's time). The
    # scale cancels, so it is rounded down to a whole number, whose gradient is zero: the
    # gradient graph leaves out the maximum's (nutpie's rewrites before the gradient
    # strip a disconnected_grad), 5% fewer operations.
    top = pt.floor(pt.maximum(log_hit, log_false))
    hit, false = pt.exp(log_hit - top)[:, None], pt.exp(log_false - top)[:, None]
    group = top[:, None] + pt.log(pt.maximum(q, tiny) * hit + pt.maximum(1.0 - q, tiny) * false)
    return pt.maximum(group, x["group_floor"][:, None]).sum(axis=0)


def posterior_given(theta: np.ndarray, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """``(S, K)``: ``P(H | E, theta)`` for each row of ``theta`` ``(S, n)``, the
    model's own sum in NumPy (the sampler stores only ``theta``); ``n`` is the model's
    size or, the padding left out, the number of uncertain numbers."""
    theta = np.atleast_2d(theta)
    cells = max(1, inputs["q_index"].size)
    chunk = max(1, 2_000_000 // cells)
    if len(theta) * cells >= PARALLEL_CELLS:  # two halves at least, one per core
        chunk = min(chunk, -(-len(theta) // 2))
    parts = [theta[i : i + chunk] for i in range(0, len(theta), chunk)]
    return np.concatenate(in_two_threads(lambda part: _posterior(part, inputs), parts))


def _posterior(theta: np.ndarray, inputs: dict[str, np.ndarray]) -> np.ndarray:
    fixed = inputs["fixed"]
    numbers = np.concatenate([np.broadcast_to(fixed, (len(theta), len(fixed))), theta], 1)
    n_groups, k = len(inputs["group_floor"]), len(inputs["log_prior"])
    q = numbers[:, inputs["q_index"]].reshape(len(theta), n_groups, k)
    c = numbers[:, inputs["c_index"]]
    b = inputs["report_b"]
    # reports are listed group by group, so a group's sum is a reduceat from its first
    starts = np.flatnonzero(np.r_[True, np.diff(inputs["report_group"]) != 0])
    log_hit = np.add.reduceat(np.log(np.maximum(c + (1.0 - c) * b, LIKELIHOOD_FLOOR)), starts, 1)
    log_false = np.add.reduceat(np.log(np.maximum((1.0 - c) * b, LIKELIHOOD_FLOOR)), starts, 1)
    # log(q e^hit + (1 - q) e^false), scaled by the larger of the two (as log_likelihood)
    top = np.maximum(log_hit, log_false)
    hit, false = np.exp(log_hit - top)[:, :, None], np.exp(log_false - top)[:, :, None]
    # the (draws, groups, K) steps work in place: half the time of a new array each
    mixed = np.maximum(q, LIKELIHOOD_FLOOR)
    mixed *= hit
    other = np.subtract(1.0, q, out=q)
    np.maximum(other, LIKELIHOOD_FLOOR, out=other)
    other *= false
    mixed += other
    group = np.log(mixed, out=mixed)
    np.add(top[:, :, None], group, out=group)
    np.maximum(group, inputs["group_floor"][None, :, None], out=group)
    joint = inputs["log_prior"] + group.sum(axis=1)
    joint -= joint.max(axis=1, keepdims=True)
    p = np.exp(joint)
    return p / p.sum(axis=1, keepdims=True)
