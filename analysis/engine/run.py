"""One entry point every front end calls: the exact analysis, plus the PyMC run when asked.

The CLI, the dashboard and the brief all go through :func:`run`, so they agree on
what a yardstick name means and on how an uncertainty run joins the exact result.
PyMC is imported only when ``uncertainty`` is True.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.case import Case
from analysis.engine.analyzer import Analysis, UncertaintySummary, analyze
from analysis.errors import AchError
from analysis.scales import YARDSTICKS


class YardstickError(AchError, ValueError):
    """A yardstick name that is not one of :data:`analysis.scales.YARDSTICKS`."""


def check_yardstick(yardstick: str) -> str:
    """``yardstick`` itself when it names a yardstick; otherwise :class:`YardstickError`."""
    if yardstick not in YARDSTICKS:
        raise YardstickError(
            f"--yardstick is '{yardstick}'; choose one of: {', '.join(YARDSTICKS)}"
        )
    return yardstick


def run(
    case: Case,
    yardstick: str = "icd203",
    uncertainty: bool | UncertaintySummary = False,
    *,
    seed: int = 0,
    draws: int | None = None,
    chains: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Analysis:
    """The analysis of ``case`` in ``yardstick``'s words.

    ``uncertainty`` True samples the analyst's imprecision with PyMC (``seed``,
    ``draws``, ``chains`` and ``progress`` go to the sampler); a finished
    :class:`UncertaintySummary` is used as it is; False gives the exact result alone.
    """
    check_yardstick(yardstick)
    summary = uncertainty if isinstance(uncertainty, UncertaintySummary) else None
    if uncertainty is True:
        from analysis.uncertainty.sampler import run_uncertainty

        options = {"seed": seed, "draws": draws, "progress": progress}
        if chains is not None:
            options["chains"] = chains
        summary = run_uncertainty(case, **options)
    return analyze(case, yardstick=yardstick, uncertainty=summary)
