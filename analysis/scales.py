"""Every documented scale in one place: the single source of truth for the engine,
the validation messages, the README and the tests.

Nothing here computes; other modules look values up in these tables.
"""

from __future__ import annotations

import math
from typing import Final

#: Credibility words -> the probability that the source's report is accurate
#: (Bayesian view) and the Beta concentration used when uncertainty is sampled.
CREDIBILITY_WORDS: Final[dict[str, float]] = {"low": 0.5, "medium": 0.7, "high": 0.9}
CREDIBILITY_WORD_CONCENTRATION: Final[float] = 10.0

#: PARC ACH weights for credibility and relevance words.
PARC_WEIGHTS: Final[dict[str, float]] = {
    "low": 1 / math.sqrt(2),
    "medium": 1.0,
    "high": math.sqrt(2),
}

#: A numeric credibility c maps to a PARC word through these bands:
#: c < 0.6 -> low, 0.6 <= c < 0.8 -> medium, c >= 0.8 -> high.
CREDIBILITY_BANDS: Final[tuple[tuple[float, str], ...]] = ((0.6, "low"), (0.8, "medium"))

#: Default relevance when an item gives none.
DEFAULT_RELEVANCE: Final[str] = "medium"

#: Heuer's consistency ratings, most inconsistent first, with the likelihood each
#: stands for when an item gives a rating instead of a number. Strictly ordered:
#: II < I < N = NA < C < CC.
RATING_LIKELIHOOD: Final[dict[str, float]] = {
    "II": 0.02,
    "I": 0.15,
    "N": 0.5,
    "NA": 0.5,
    "C": 0.8,
    "CC": 0.95,
}
RATING_MEANING: Final[dict[str, str]] = {
    "CC": "very consistent",
    "C": "consistent",
    "N": "neutral",
    "NA": "not applicable",
    "I": "inconsistent",
    "II": "very inconsistent",
}
#: Heuer's inconsistency points per rating (I = 1, II = 2, all others 0).
RATING_INCONSISTENCY: Final[dict[str, int]] = {"II": 2, "I": 1, "N": 0, "NA": 0, "C": 0, "CC": 0}

#: A likelihood maps back to a rating by *relative diagnosticity*: it is divided by the
#: item's mean likelihood over the hypotheses and scaled so that mean sits at N (0.5),
#: then takes the rating whose scale value is nearest on a log scale (the cut points
#: are the geometric means of neighbouring scale values). An item equally expected
#: under every hypothesis is therefore N everywhere, however likely it is in itself.
RATING_CUTS: Final[tuple[tuple[float, str], ...]] = (
    (math.sqrt(0.02 * 0.15), "II"),
    (math.sqrt(0.15 * 0.5), "I"),
    (math.sqrt(0.5 * 0.8), "N"),
    (math.sqrt(0.8 * 0.95), "C"),
)

#: ODNI ICD 203 expressions of likelihood: (upper bound, phrase). A probability p
#: takes the first phrase whose bound is >= p ... except the last, which is open.
ICD203: Final[tuple[tuple[float, str], ...]] = (
    (0.05, "almost no chance"),
    (0.20, "very unlikely"),
    (0.45, "unlikely"),
    (0.55, "roughly even chance"),
    (0.80, "likely"),
    (0.95, "very likely"),
    (1.00, "almost certain"),
)

#: UK Professional Head of Intelligence Assessment (PHIA) yardstick. Its published
#: ranges leave gaps (e.g. 5-10%); a probability in a gap takes the nearer phrase,
#: so the bounds below are the midpoints of the gaps.
PHIA: Final[tuple[tuple[float, str], ...]] = (
    (0.075, "remote chance"),
    (0.225, "highly unlikely"),
    (0.375, "unlikely"),
    (0.525, "realistic possibility"),
    (0.775, "likely or probable"),
    (0.925, "highly likely"),
    (1.00, "almost certain"),
)

YARDSTICKS: Final[dict[str, tuple[tuple[float, str], ...]]] = {"icd203": ICD203, "phia": PHIA}
YARDSTICK_TITLES: Final[dict[str, str]] = {"icd203": "ICD 203", "phia": "PHIA"}

#: Jeffreys' grades of the weight of evidence, in decibans: (upper bound, grade).
JEFFREYS: Final[tuple[tuple[float, str], ...]] = (
    (5.0, "barely worth mentioning"),
    (10.0, "substantial"),
    (15.0, "strong"),
    (20.0, "very strong"),
    (math.inf, "decisive"),
)

#: The Beta concentration used for point likelihoods when a case gives no
#: ``defaults.concentration``.
DEFAULT_CONCENTRATION: Final[float] = 20.0

#: Smallest effective likelihood the engine uses: keeps log space finite when an
#: analyst writes 0 for a hypothesis with a fully credible source.
LIKELIHOOD_FLOOR: Final[float] = 1e-300


def band(value: float, table: tuple[tuple[float, str], ...]) -> str:
    """The label of the first band whose upper bound is >= ``value``."""
    for upper, label in table:
        if value <= upper:
            return label
    return table[-1][1]


def credibility_word(credibility: float) -> str:
    """The PARC credibility word for a numeric credibility (see CREDIBILITY_BANDS)."""
    for upper, word in CREDIBILITY_BANDS:
        if credibility < upper:
            return word
    return "high"


def rating_for_likelihood(likelihood: float, item_mean: float = RATING_LIKELIHOOD["N"]) -> str:
    """The Heuer rating of ``likelihood`` relative to its item's mean likelihood.

    The likelihood is scaled by ``0.5 / item_mean`` (so the item's mean reads as N) and
    rated by the nearest point of RATING_LIKELIHOOD on a log scale. With the default
    mean of 0.5 a scale value maps back to its own rating.
    """
    scaled = likelihood * RATING_LIKELIHOOD["N"] / item_mean if item_mean > 0 else 0.0
    for upper, rating in RATING_CUTS:
        if scaled < upper:
            return rating
    return "CC"


def neutral_band() -> tuple[float, float]:
    """The likelihoods :func:`rating_for_likelihood` rates N, as multiples of the item's
    mean likelihood (about 0.55 to 1.26): a difference milder than that stays N."""
    mid = RATING_LIKELIHOOD["N"]
    return RATING_CUTS[1][0] / mid, RATING_CUTS[2][0] / mid


def shown_probability(probability: float) -> float:
    """``probability`` as a reader sees it printed: rounded to the whole percent that
    format_percent and reader_percent print (their ends, under 1% and over 99%, lie
    inside the outer bands of both yardsticks, so no finer rounding is needed)."""
    return float(f"{100.0 * probability:.0f}") / 100.0


def estimative_word(probability: float, yardstick: str = "icd203") -> str:
    """The estimative phrase for ``probability`` on the ICD 203 (or PHIA) yardstick.

    The phrase follows the printed percentage, so one percentage never gets two
    phrases: 5.02% and 4.98% both print as 5% and both read "almost no chance".
    """
    return band(shown_probability(probability), YARDSTICKS[yardstick])


def jeffreys_grade(decibans: float) -> str:
    """Jeffreys' grade for the absolute weight of evidence ``decibans``, as printed (to
    one decimal), so 4.96 dB and 5.04 dB, both shown as 5.0 dB, get one grade."""
    return band(float(f"{abs(decibans):.1f}"), JEFFREYS)


def format_percent(probability: float) -> str:
    """A probability as a whole percentage, one decimal under 1% or over 99%."""
    percent = 100.0 * probability
    if percent < 1.0 or percent > 99.0:
        text = f"{percent:.1f}%"
        # 99.96% must not print as 100.0%, nor 0.04% as 0.0%: keep the honest bound.
        if text == "100.0%" and probability < 1.0:
            return ">99.9%"
        if text == "0.0%" and probability > 0.0:
            return "<0.1%"
        return text
    return f"{percent:.0f}%"


#: The brief's precision: below this a probability reads "under 1%", above 1 minus it
#: "over 99%" (no false precision for a reader without training in the method).
READER_FLOOR: Final[float] = 0.01


def reader_percent(probability: float) -> str:
    """A probability as a reader of the brief sees it: a whole percentage, or "under 1%" /
    "over 99%" at the ends (every brief format and the dashboard's Overview use this)."""
    if probability > 1.0 - READER_FLOOR:
        return "over 99%"
    if probability < READER_FLOOR:
        return "under 1%"
    return f"{100.0 * probability:.0f}%"
