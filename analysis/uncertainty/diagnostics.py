"""Convergence diagnostics of a sampler run, in NumPy alone.

ArviZ's rank-normalised split R-hat and bulk ESS (Vehtari et al. 2021), vectorised over
every column at once: ``az.rhat``/``az.ess`` loop over variables in Python, which costs
0.5 s for the 380 parameters of a K=6, N=60 case. The draws are laid out one contiguous
row per chain of each column, so that every sort, reduction and transform runs along
memory; one sort serves both R-hats, ties are visited alone, and Geyer's sum reads a
short transform first (see :func:`_ess`). The ranks and the normal quantiles are
written here rather than taken from SciPy, whose import costs a first uncertainty run
more than a second. tests/test_uncertainty.py checks all of it against ArviZ and SciPy.
"""

from __future__ import annotations

import numpy as np

from analysis.uncertainty.threads import in_two_threads

#: Above this many columns, :func:`convergence` runs half of them in a second thread.
SPLIT_COLUMNS = 8


def _split(x: np.ndarray) -> np.ndarray:
    """``(chains, draws, P)`` -> ``(P, 2 chains, draws // 2)``: each chain's halves as two
    chains, one contiguous row of draws per chain of each column (what every sort,
    reduction and transform below runs along)."""
    half = x.shape[1] // 2
    split = np.concatenate([x[:, :half], x[:, -half:]], axis=0)
    return np.ascontiguousarray(np.moveaxis(split, -1, 0))


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of each column of ``(n, P)``, ties given their average rank
    (``scipy.stats.rankdata(method="average", axis=0)``); a column holding NaN is all NaN."""
    rows = np.ascontiguousarray(np.asarray(x, dtype=float).T)
    order = np.argsort(rows, axis=1)
    ordered = np.take_along_axis(rows, order, axis=1)
    return _by_rank(ordered, order, np.arange(1, 2 * rows.shape[1] + 1) / 2.0).T


def _doubled_ranks(ordered: np.ndarray) -> np.ndarray:
    """Twice the average rank (1..n) of each value of the sorted rows ``(P, n)``, in the
    sorted order: a run of equal values from position ``first`` to ``last`` has the
    rank ``(first + last) / 2 + 1``, any other value its position + 1. Ties are few
    (a sampler repeats a draw now and then), so only their runs are visited."""
    p, n = ordered.shape
    doubled = np.tile(2 * np.arange(n) + 2, (p, 1))
    pairs = np.flatnonzero(ordered[:, 1:] == ordered[:, :-1])  # (row, j) with x[j] == x[j + 1]
    if pairs.size:
        row, j = np.divmod(pairs, n - 1)
        at = row * n + j  # where each equal pair starts, in the flat rows
        starts = np.r_[True, np.diff(at) != 1]  # a run of pairs ends where they stop touching
        ends = np.r_[starts[1:], True]
        run = np.cumsum(starts) - 1
        first, last = at[starts] % n, (at[ends] + 1) % n
        value = (first + last + 2)[run]
        flat = doubled.reshape(-1)
        flat[at] = value
        flat[at + 1] = value
    return doubled


def _normal_scores(ordered: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The rank-normalised values (Blom's normal scores of the average ranks) of rows
    ``(P, n)`` given sorted (``ordered``) and how (``order``), back in their places; a row
    holding NaN is all NaN.

    An average rank is a whole or half number in [1, n], so its score is read from a table
    of the 2n possible ones: the same arithmetic on the same numbers as one quantile per
    draw, a hundredth of the quantiles."""
    n = ordered.shape[1]
    return _by_rank(
        ordered, order, normal_quantile((np.arange(1, 2 * n + 1) / 2.0 - 0.375) / (n + 0.25))
    )


def _by_rank(ordered: np.ndarray, order: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``table[2 rank - 1]`` for each value of rows ``(P, n)`` sorted (``ordered``, by
    ``order``), back in its place; a row holding NaN is all NaN (NaN sorts last)."""
    found = np.empty(ordered.shape)
    np.put_along_axis(found, order, table[_doubled_ranks(ordered) - 1], axis=1)
    found[np.isnan(ordered[:, -1])] = np.nan
    return found


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


def _rhat(z: np.ndarray) -> np.ndarray:
    """Split R-hat of each column of ``(P, chains, draws)``."""
    n = z.shape[2]
    between = n * np.var(z.mean(axis=2), axis=1, ddof=1)
    within = np.var(z, axis=2, ddof=1).mean(axis=1)
    return np.sqrt((between / within + n - 1) / n)


def convergence(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank-normalised split R-hat and bulk ESS of each column of ``(chains, draws, P)``.

    Columns are independent, so with more than :data:`SPLIT_COLUMNS` of them a second
    thread takes half (NumPy's sorts, transforms and array loops release the GIL, and
    the sampler's second core is idle by then): half the time on two cores, the same
    numbers (the ESS's transforms to rounding)."""
    columns = _split(np.asarray(x, dtype=float))
    if columns.shape[0] <= SPLIT_COLUMNS:
        return _convergence(columns)
    half = columns.shape[0] // 2
    (r_first, ess_first), (r_second, ess_second) = in_two_threads(
        _convergence, [columns[:half], columns[half:]]
    )
    return np.concatenate([r_first, r_second]), np.concatenate([ess_first, ess_second])


def _convergence(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R-hat and ESS of split chains ``(P, chains, draws)``. One sort serves both
    R-hats: the median is read from it, and in sorted order the folded draws
    ``|x - median|`` fall and then rise, two runs a stable sort merges in linear time."""
    p, m, n = columns.shape
    flat = columns.reshape(p, m * n)
    order = np.argsort(flat, axis=1)
    ordered = np.take_along_axis(flat, order, axis=1)
    z = _normal_scores(ordered, order).reshape(p, m, n)
    with np.errstate(invalid="ignore", over="ignore"):  # infinite draws fold into NaN
        median = (ordered[:, (m * n - 1) // 2] + ordered[:, m * n // 2]) / 2.0
        folded = np.abs(ordered - median[:, None])  # in the sorted order
    folded_order = np.argsort(folded, axis=1, kind="stable")
    folded_ordered = np.take_along_axis(folded, folded_order, axis=1)
    places = np.take_along_axis(order, folded_order, axis=1)
    folded_z = _normal_scores(folded_ordered, places).reshape(p, m, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        bulk, tail = _rhat(z), _rhat(folded_z)
        # ArviZ's max(bulk, tail) keeps the bulk R-hat where the tail's is NaN (a median
        # at infinity), and NaN where the bulk's is
        return np.where(np.isnan(tail), bulk, np.maximum(bulk, tail)), _ess(z)


def _ess(z: np.ndarray) -> np.ndarray:
    """Effective sample size of split, z-scaled draws ``(P, chains, draws)``.

    Geyer's sum seldom reads more than a few dozen lags, so the autocovariances are first
    taken from a transform of the next power of two above ``draws``, exact up to lag
    ``size - draws``; only columns whose sum runs past those lags are transformed again at
    the full ``2 draws`` (ArviZ's size, which holds every lag)."""
    n = z.shape[2]
    centred = z - z.mean(axis=2, keepdims=True)
    chain_var = np.var(z.mean(axis=2), axis=1, ddof=1)
    short = 1 << n.bit_length()  # > n
    ess, exact = _geyer(_autocovariance(centred, short, short - n), chain_var, n)
    if not exact.all():
        again = ~exact
        full = 1 << (2 * n - 1).bit_length()
        ess[again], _ = _geyer(_autocovariance(centred[again], full, n - 1), chain_var[again], n)
    # a column whose scores are all one value (every draw tied) counts every draw, as in
    # ArviZ, where the sum above is 0 / 0
    spread = z.reshape(len(z), -1)
    constant = (spread.max(axis=1) - spread.min(axis=1)) < np.finfo(float).resolution
    ess[constant] = z.shape[1] * n
    return ess


def _autocovariance(centred: np.ndarray, size: int, last_lag: int) -> np.ndarray:
    """``(P, chains, last_lag + 1)``: each chain's autocovariance at lags 0..last_lag, by a
    real transform of ``size`` >= draws + last_lag (zero padding: no lag wraps around)."""
    n = centred.shape[2]
    spectrum = np.fft.rfft(centred, n=size, axis=2)
    # the power |s|^2 kept complex, in place (its imaginary part 0 to rounding): a real
    # array would be copied into a new complex one inside irfft, 8.3 -> 5.8 ms for the
    # seed's 300 rows
    np.multiply(spectrum, spectrum.conj(), out=spectrum)
    return np.fft.irfft(spectrum, n=size, axis=2)[:, :, : last_lag + 1] / n


def _geyer(acov: np.ndarray, chain_var: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Bulk ESS of each column from its chains' autocovariances ``(P, chains, lags)`` (lags
    0..n - 1, or fewer), and whether the lags held were enough (where not, the ESS is
    to be recomputed from all of them)."""
    m = acov.shape[1]
    mean_var = acov[:, :, 0].mean(axis=1) * n / (n - 1.0)
    var_plus = mean_var * (n - 1.0) / n + chain_var
    rho = (1.0 - (mean_var[:, None] - acov.mean(axis=1)) / var_plus[:, None]).T  # (lags, P)
    rho[0] = 1.0
    # Geyer's initial positive then monotone sequence over pairs (rho[2k], rho[2k+1]);
    # the sum stops before the first pair that is not positive.
    n_pairs = (n - 1) // 2
    held = min(n_pairs, rho.shape[0] // 2)  # pairs with both lags held
    pairs = rho[: 2 * held].reshape(held, 2, -1).sum(axis=1)
    ends = np.vstack([pairs[1:] <= 0, np.ones((1, pairs.shape[1]), bool)])
    first = np.argmax(ends, axis=0) + 1
    # with fewer pairs than n_pairs, a sum that ran to the last one held may go on
    exact = (first < held) | (held == n_pairs)
    ran_out = first >= n_pairs
    stop = np.minimum(np.where(ran_out, n_pairs - 1, first), held - 1)
    kept = np.arange(held)[:, None] < stop[None, :]
    monotone = np.minimum.accumulate(pairs, axis=0)
    tail = rho[2 * stop, np.arange(rho.shape[1])]
    tail = np.where(ran_out, tail, np.maximum(tail, 0.0))
    tau = -1.0 + 2.0 * np.where(kept, monotone, 0.0).sum(axis=0) + tail
    total = m * n
    tau = np.maximum(tau, 1.0 / np.log10(total))
    return np.where(np.isfinite(tau), total / tau, np.nan), exact
