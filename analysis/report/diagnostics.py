"""The uncertainty run's diagnostics in plain words (dashboard and brief alike)."""

from __future__ import annotations

from analysis.engine import UncertaintySummary
from analysis.uncertainty import ESS_LIMIT, R_HAT_LIMIT
from analysis.wording import count


def diagnostics_text(summary: UncertaintySummary) -> list[str]:
    """The sampler's diagnostics in plain words."""
    lines = []
    if summary.r_hat_max <= R_HAT_LIMIT:
        lines.append(
            f"The chains agree: the largest R-hat is {summary.r_hat_max:.3f} "
            f"(at most {R_HAT_LIMIT} is the usual bar)."
        )
    else:
        lines.append(
            f"The chains do not agree well: the largest R-hat is {summary.r_hat_max:.3f}, "
            f"above {R_HAT_LIMIT}. Treat the intervals as rough and run more draws."
        )
    if summary.ess_min >= ESS_LIMIT:
        lines.append(
            f"There are enough independent draws: the smallest effective sample size is "
            f"{summary.ess_min:.0f} (at least {ESS_LIMIT:.0f} gives stable 90% intervals)."
        )
    else:
        lines.append(
            f"Few independent draws: the smallest effective sample size is "
            f"{summary.ess_min:.0f}, under {ESS_LIMIT:.0f}; the interval ends may shift "
            "with more draws."
        )
    lines.append(
        f"{count(summary.chains, 'chain')} of {summary.draws} draws"
        + (f" with {summary.sampler}" if summary.sampler else "")
        + (f" in {summary.seconds:.1f} s." if summary.seconds else ".")
    )
    return lines
