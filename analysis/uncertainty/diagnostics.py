"""Convergence diagnostics of a sampler run, in NumPy alone.

ArviZ's rank-normalised split R-hat and bulk ESS (Vehtari et al. 2021), vectorised over
the last axis: ``az.rhat``/``az.ess`` loop over variables in Python, which costs 0.5 s
for the 380 parameters of a K=6, N=60 case. The ranks and the normal quantiles are
written here rather than taken from SciPy, whose import costs a first uncertainty run
more than a second. tests/test_uncertainty.py checks all of it against ArviZ and SciPy.
"""

from __future__ import annotations

import numpy as np

from analysis.uncertainty.threads import in_two_threads

#: Above this many columns, :func:`convergence` runs half of them in a second thread.
SPLIT_COLUMNS = 8


def _split(x: np.ndarray) -> np.ndarray:
    """``(chains, draws, P)`` -> ``(2 chains, draws // 2, P)``."""
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, -half:]], axis=0)


def _z_scale(x: np.ndarray) -> np.ndarray:
    n = x.shape[0] * x.shape[1]
    doubled, missing = _doubled_ranks(x.reshape(n, -1))
    # An average rank is a whole or half number in [1, n], so its normal score is read
    # from a table of the 2n possible ones: the same arithmetic on the same numbers as
    # one quantile per draw, a hundredth of the quantiles.
    table = normal_quantile((np.arange(1, 2 * n + 1) / 2.0 - 0.375) / (n + 0.25))
    scores = table[doubled - 1]
    scores[missing] = np.nan
    return scores.T.reshape(x.shape)


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of each column of ``(n, P)``, ties given their average rank
    (``scipy.stats.rankdata(method="average", axis=0)``); a column holding NaN is all NaN."""
    doubled, missing = _doubled_ranks(x)
    ranks = doubled / 2.0
    ranks[missing] = np.nan
    return ranks.T


def _doubled_ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Twice the average rank of each value of ``(n, P)``, as integers ``(P, n)`` (one
    row per column), and which columns hold NaN."""
    rows = np.ascontiguousarray(np.asarray(x, dtype=float).T)  # sorting along rows is faster
    n = rows.shape[1]
    order = np.argsort(rows, axis=1)  # tied values share one rank: any order of them will do
    ordered = np.take_along_axis(rows, order, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    if starts.all():  # no ties: the rank is the position in the sorted order
        doubled = np.broadcast_to(2 * np.arange(n) + 2, rows.shape)
    else:
        # runs of equal values, numbered over all rows (each row starts a run); a run
        # from sorted position ``first`` to ``last`` has the rank (first + last) / 2 + 1
        flat = starts.ravel()
        firsts = np.flatnonzero(flat)
        lasts = np.append(firsts[1:] - 1, flat.size - 1)
        run = np.cumsum(flat) - 1
        doubled = ((firsts % n) + (lasts % n) + 2)[run].reshape(rows.shape)
    ranks = np.empty(rows.shape, dtype=np.intp)
    np.put_along_axis(ranks, order, doubled, axis=1)
    return ranks, np.isnan(rows).any(axis=1)


# Wichura's AS241 (PPND16, Applied Statistics 37, 1988), as Python's
# statistics.NormalDist.inv_cdf has it, for arrays: relative error about 1e-16.
_CENTRAL = (
    (3.387132872796366608, 133.14166789178437745, 1971.5909503065514427,
     13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
     33430.575583588128105, 2509.0809287301226727),
    (1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
     21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
     5226.495278852854561),
)  # fmt: skip
_NEAR = (
    (1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055,
     3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
     0.0227238449892691845833, 7.7454501427834140764e-4),
    (1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
     0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
     1.05075007164441684324e-9),
)  # fmt: skip
_FAR = (
    (6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358,
     0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
     2.71155556874348757815e-5, 2.01033439929228813265e-7),
    (1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
     7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
     2.04426310338993978564e-15),
)  # fmt: skip


def _ratio(coefficients: tuple, r: np.ndarray) -> np.ndarray:
    """``top(r) / bottom(r)``, each polynomial evaluated by Horner's rule."""
    top, bottom = coefficients
    num, den = np.full_like(r, top[-1]), np.full_like(r, bottom[-1])
    for a, b in zip(top[-2::-1], bottom[-2::-1], strict=True):
        num *= r
        num += a
        den *= r
        den += b
    return np.divide(num, den, out=num)


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """The standard normal quantile of each ``p`` in (0, 1) (``scipy.special.ndtri``)."""
    p = np.asarray(p, dtype=float)
    q = p - 0.5
    out = np.empty_like(q)
    central = np.abs(q) <= 0.425
    qc = q[central]
    out[central] = qc * _ratio(_CENTRAL, 0.180625 - qc * qc)
    tails = ~central
    qt = q[tails]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.sqrt(-np.log(np.where(qt <= 0.0, p[tails], 1.0 - p[tails])))
    near = r <= 5.0
    x = np.empty_like(r)
    x[near] = _ratio(_NEAR, r[near] - 1.6)
    x[~near] = _ratio(_FAR, r[~near] - 5.0)
    out[tails] = np.where(qt < 0.0, -x, x)
    return out


def _rhat(x: np.ndarray) -> np.ndarray:
    n = x.shape[1]
    between = n * np.var(x.mean(axis=1), axis=0, ddof=1)
    within = np.var(x, axis=1, ddof=1).mean(axis=0)
    return np.sqrt((between / within + n - 1) / n)


def convergence(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank-normalised split R-hat and bulk ESS of each column of ``(chains, draws, P)``.

    Columns are independent, so with more than :data:`SPLIT_COLUMNS` of them a second
    thread takes half (NumPy's sorts, transforms and array loops release the GIL, and
    the sampler's second core is idle by then): half the time on two cores, the same
    numbers (the ESS's transforms to rounding)."""
    x = np.asarray(x, dtype=float)
    if x.shape[-1] <= SPLIT_COLUMNS:
        return _convergence(x)
    half = x.shape[-1] // 2
    (r_first, ess_first), (r_second, ess_second) = in_two_threads(
        _convergence, [x[..., :half], x[..., half:]]
    )
    return np.concatenate([r_first, r_second]), np.concatenate([ess_first, ess_second])


def _convergence(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    split = _split(x)
    z = _z_scale(split)
    folded = np.abs(split - np.median(split.reshape(-1, split.shape[-1]), axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r_hat = np.maximum(_rhat(z), _rhat(_z_scale(folded)))
        ess = _ess(z)
    return r_hat, ess


def _ess(z: np.ndarray) -> np.ndarray:
    """Effective sample size of split, z-scaled draws ``(chains, draws, P)``."""
    m, n, _ = z.shape
    centred = z - z.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    acov = np.fft.irfft(spectrum * np.conjugate(spectrum), n=size, axis=1)[:, :n] / n
    mean_var = acov[:, 0].mean(axis=0) * n / (n - 1.0)
    var_plus = mean_var * (n - 1.0) / n + np.var(z.mean(axis=1), axis=0, ddof=1)
    rho = 1.0 - (mean_var - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer's initial positive then monotone sequence over pairs (rho[2k], rho[2k+1]);
    # the sum stops before the first pair that is not positive.
    n_pairs = (n - 1) // 2
    pairs = rho[: 2 * n_pairs].reshape(n_pairs, 2, -1).sum(axis=1)
    ends = np.vstack([pairs[1:] <= 0, np.ones((1, pairs.shape[1]), bool)])
    first = np.argmax(ends, axis=0) + 1
    ran_out = first >= n_pairs
    stop = np.where(ran_out, n_pairs - 1, first)
    kept = np.arange(n_pairs)[:, None] < stop[None, :]
    monotone = np.minimum.accumulate(pairs, axis=0)
    tail = rho[2 * stop, np.arange(rho.shape[1])]
    tail = np.where(ran_out, tail, np.maximum(tail, 0.0))
    tau = -1.0 + 2.0 * np.where(kept, monotone, 0.0).sum(axis=0) + tail
    total = m * n
    tau = np.maximum(tau, 1.0 / np.log10(total))
    return np.where(np.isfinite(tau), total / tau, np.nan)
