"""Altair charts of an :class:`~analysis.engine.Analysis`, shared by the dashboard and PDF.

Every chart is defined once here: the dashboard shows the Altair object, the brief
renders the same object to PNG with :func:`chart_png` (vl-convert, offline). Charts only
*present* the engine's arrays; none recomputes the maths.

Conventions (the README, "Presentation"):

* each hypothesis keeps one colour everywhere (:func:`hypothesis_colours`, Okabe-Ito);
* people read hypothesis *labels*, items are named by id;
* probabilities via :func:`~analysis.scales.format_percent` beside the ICD 203 word,
  decibans rounded to one decimal;
* tooltips trace each number to the item, source, credibility and likelihoods.

Modules: :mod:`._common` (colours, font, sizes, shared helpers, PNG/SVG rendering),
:mod:`.posterior`, :mod:`.contribution`, :mod:`.trajectory`, :mod:`.waterfall` and
:mod:`.tornado` (one chart and its data table each).

Altair, pandas and vl-convert are imported in this package only, so ``import analysis``
stays light.
"""

from __future__ import annotations

from analysis.report.charts._common import (
    DIVERGING_SCHEME,
    FONT,
    NEUTRAL,
    OKABE_ITO,
    PALETTE,
    ROW,
    SATURATION_DB,
    TOL_MUTED,
    WIDTH,
    chart_png,
    chart_svg,
    font_directory,
    hypothesis_colours,
)
from analysis.report.charts.contribution import contribution_chart, contribution_data
from analysis.report.charts.posterior import posterior_chart, posterior_data
from analysis.report.charts.tornado import tornado_chart, tornado_data
from analysis.report.charts.trajectory import trajectory_chart, trajectory_data, trajectory_note
from analysis.report.charts.waterfall import waterfall_chart, waterfall_data

__all__ = [
    "DIVERGING_SCHEME",
    "FONT",
    "NEUTRAL",
    "OKABE_ITO",
    "PALETTE",
    "ROW",
    "SATURATION_DB",
    "TOL_MUTED",
    "WIDTH",
    "chart_png",
    "chart_svg",
    "contribution_chart",
    "contribution_data",
    "font_directory",
    "hypothesis_colours",
    "posterior_chart",
    "posterior_data",
    "tornado_chart",
    "tornado_data",
    "trajectory_chart",
    "trajectory_data",
    "trajectory_note",
    "waterfall_chart",
    "waterfall_data",
]
