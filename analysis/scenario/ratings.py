"""The Learn exercise's view of a case: the student's Heuer ratings in place of the file's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from analysis.case import Case, Prob
from analysis.scales import RATING_LIKELIHOOD


def with_ratings(
    case: Case, ratings: Mapping[tuple[str, str], str], likelihoods: bool = False
) -> Case:
    """``case`` with the Heuer ratings of the evidence replaced by ``ratings``.

    ``ratings`` maps (item id, hypothesis id) to CC/C/N/NA/I/II; cells it leaves out
    keep no given rating (Heuer's scores then derive them from the likelihoods).

    By default the likelihoods are untouched: this is the student's classic view of
    the same case. With ``likelihoods=True`` every rated cell's likelihood becomes the
    number its rating stands for on the documented scale
    (:data:`~analysis.scales.RATING_LIKELIHOOD`, as the loader reads a rating-only
    cell), so ``analyze()`` of the result is the Bayesian posterior the ratings imply;
    priors and source credibilities stay the case's.
    """
    evidence = []
    for item in case.evidence:
        given = {h: ratings[(item.id, h)] for h in case.hypothesis_ids if (item.id, h) in ratings}
        changes: dict = {"ratings": given}
        if likelihoods:
            changes["likelihoods"] = {
                h: Prob(RATING_LIKELIHOOD[given[h]], "rating", word=given[h]) if h in given else p
                for h, p in item.likelihoods.items()
            }
        evidence.append(replace(item, **changes))
    return case.with_changes(evidence=tuple(evidence))
