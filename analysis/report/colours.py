"""Colours, shared by the charts, the dashboard's matrix and the brief's tables.

Hypotheses take colour-blind-safe colours in file order (Okabe-Ito, then Paul Tol's
"muted"); "for / against" is ColorBrewer's PRGn, purple against and green for, and
saturates at :data:`SATURATION_DB`. No Altair here, so the dashboard and the brief
can read these without loading the chart package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.case import Case


#: Okabe & Ito's colour-blind-safe palette, in the order hypotheses take it (yellow and
#: black last: yellow is the weakest on white). Beyond eight hypotheses, Paul Tol's
#: colour-blind-safe "muted" scheme continues the sequence.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
TOL_MUTED: tuple[str, ...] = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED

#: Vega's name for PRGn, the diverging scheme for "for / against": colour-blind safe,
#: and unlike the hypothesis colours, so a cell's colour never reads as a hypothesis.
DIVERGING_SCHEME = "purplegreen"
#: Decibans at which the contribution grid's colour saturates (Jeffreys: "strong"; a
#: single item rarely moves a centred logit further).
SATURATION_DB = 10.0

#: ColorBrewer PRGn's eleven steps, purple (against) to green (for).
PRGN: tuple[str, ...] = (
    "#40004b",
    "#762a83",
    "#9970ab",
    "#c2a5cf",
    "#e7d4e8",
    "#f7f7f7",
    "#d9f0d3",
    "#a6dba0",
    "#5aae61",
    "#1b7837",
    "#00441b",
)

#: Cell tints for Heuer's ratings: PRGn steps, green for consistent, purple against.
RATING_TINT: dict[str, str] = {
    "CC": PRGN[7],
    "C": PRGN[6],
    "N": PRGN[5],
    "NA": PRGN[5],
    "I": PRGN[4],
    "II": PRGN[3],
}


def hypothesis_colours(case: Case) -> dict[str, str]:
    """One colour per hypothesis id, by file order, the same in every chart and the PDF."""
    return {h.id: PALETTE[k % len(PALETTE)] for k, h in enumerate(case.hypotheses)}


def _mix(a: str, b: str, t: float) -> str:
    ra, ga, ba = (int(a[i : i + 2], 16) for i in (1, 3, 5))
    rb, gb, bb = (int(b[i : i + 2], 16) for i in (1, 3, 5))
    r, g, b_ = (round(x + (y - x) * t) for x, y in ((ra, rb), (ga, gb), (ba, bb)))
    return f"#{r:02x}{g:02x}{b_:02x}"


def heat_colours(decibans: float) -> tuple[str, str]:
    """(background, ink) of a cell coloured by its contribution on the PRGn scale."""
    x = (max(-SATURATION_DB, min(SATURATION_DB, float(decibans))) + SATURATION_DB) / (
        2 * SATURATION_DB
    )
    pos = x * (len(PRGN) - 1)
    lo = min(int(pos), len(PRGN) - 2)
    ink = "white" if abs(decibans) > INK_FLIP * SATURATION_DB else "black"
    return _mix(PRGN[lo], PRGN[lo + 1], pos - lo), ink


#: Beyond this share of the saturation, text on a heat cell is white.
INK_FLIP = 0.6
