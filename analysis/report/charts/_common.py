"""What every chart shares: colours, palette, font, sizes, text helpers and rendering.

Rendering is offline, to PNG or SVG through vl-convert (imported only when a chart is
rendered), with the DejaVu fonts registered first.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt

from analysis.report.colours import (  # noqa: F401  (re-exported to the charts)
    DIVERGING_SCHEME,
    OKABE_ITO,
    PALETTE,
    SATURATION_DB,
    TOL_MUTED,
    hypothesis_colours,
)

# Charts are drawn for cases of any size the loader accepts (its item cap bounds them),
# so Altair's 5000-row guard, meant for notebooks, would only break large briefs.
alt.data_transformers.disable_max_rows()

if TYPE_CHECKING:
    from analysis.case import Case, Item
    from analysis.engine import Analysis


#: The font every chart asks for; :func:`chart_png` registers it with vl-convert.
FONT = "DejaVu Sans"
NEUTRAL = "#555555"

#: Default sizes (pixels at scale 1). The dashboard may override with ``width=``.
WIDTH = 460
ROW = 18


# -- fonts --------------------------------------------------------------------------


@cache
def font_directory() -> Path | None:
    """A folder holding DejaVuSans.ttf: matplotlib's copy, else Debian's, else None.

    matplotlib is located without being imported (its import is slow).
    """
    candidates: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        candidates += [
            Path(p) / "mpl-data" / "fonts" / "ttf" for p in spec.submodule_search_locations
        ]
    candidates.append(Path("/usr/share/fonts/truetype/dejavu"))
    for folder in candidates:
        if (folder / "DejaVuSans.ttf").is_file() and (folder / "DejaVuSans-Bold.ttf").is_file():
            return folder
    return None


# -- colours ------------------------------------------------------------------------


def _colour_scale(case: Case, field: str = "label") -> alt.Scale:
    colours = hypothesis_colours(case)
    domain = [getattr(h, field) for h in case.hypotheses]
    return alt.Scale(domain=domain, range=[colours[h.id] for h in case.hypotheses])


def _labels(case: Case) -> list[str]:
    return [h.label for h in case.hypotheses]


# -- shared text helpers ----------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap of ``text`` into lines of at most ``width`` characters; a longer
    word is cut into pieces of ``width`` (whole, it ran over the next column's head)."""
    lines: list[str] = []
    words = [word[k : k + width] for word in text.split() for k in range(0, len(word), width)]
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _db(value: float) -> float:
    """Decibans as shown: one decimal (and never ``-0.0``)."""
    return round(float(value), 1) + 0.0


def _db_text(value: float) -> str:
    return f"{_db(value):+.1f} dB"


def _source_name(case: Case, item: Item) -> str:
    if item.source is None:
        return "(no source named)"
    return case.source_by_id[item.source].name


def _likelihood_text(case: Case, item: Item) -> str:
    return "; ".join(f"{case.labels[h]}: {item.likelihoods[h].describe()}" for h in case.labels)


def _item_fields(analysis: Analysis, i: int) -> dict[str, Any]:
    """The traceable facts behind item ``i``, for tooltips."""
    case = analysis.case
    item = case.evidence[i]
    return {
        "item": item.id,
        "claim": item.claim,
        "date": item.date or "undated",
        "source": _source_name(case, item),
        "credibility": case.credibility_of(item).describe(),
        "likelihoods": _likelihood_text(case, item),
    }


def _finish(chart: alt.TopLevelMixin, title: str | None, subtitle: str | None = None):
    """Common look: font, no view border, optional title and subtitle."""
    if title is not None:
        chart = chart.properties(
            title=alt.TitleParams(title, subtitle=subtitle or "", anchor="start", fontSize=13)
        )
    return chart.configure(font=FONT).configure_view(stroke=None)


# -- rendering ---------------------------------------------------------------------------------


def _render(chart, fmt: str, scale: float = 1.0) -> bytes:
    from analysis.report.charts.worker import render

    folder = font_directory()
    return render(chart.to_dict(), fmt, scale, None if folder is None else str(folder))


def chart_png(chart, scale: float = 2.0) -> bytes:
    """Render ``chart`` to PNG offline (vl-convert; no remote data, fonts or URLs).

    Rendering runs in a child process (:mod:`analysis.report.charts.worker`): a failure
    or crash there raises :class:`~analysis.errors.ChartRenderError`.
    """
    return _render(chart, "png", scale)


def chart_svg(chart) -> str:
    """Render ``chart`` to SVG offline (in the same child process)."""
    return _render(chart, "svg").decode("utf-8")
