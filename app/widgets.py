"""Small pieces several pages share: the posterior panel, item details, matrix colours.

Nothing here computes the analysis: every number comes from an
:class:`~analysis.engine.analyzer.Analysis` and is formatted with :mod:`analysis.scales`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from analysis.case import Case
from analysis.casefile.text import plain_markdown
from analysis.engine.analyzer import Analysis
from analysis.errors import shown_lines
from analysis.report.colours import heat_colours
from analysis.scales import estimative_word, format_percent, jeffreys_grade
from analysis.wording import count, estimative_opening

#: How every chart sizes itself in the dashboard: as wide as the column, axes and labels
#: included, and its own height for its plot with the axes and legend added around it.
#: Streamlit's default ("fit") squeezed all of them into the height the chart gives its
#: plot: 15 tornado rows of 18 px drew at about 10 px, and a 5-row chart drew no bars
#: at all; "pad" alone let stretched charts run past the column (both seen in Chromium).
#: Composed charts (a heatmap beside its legend) keep their own size: Streamlit draws
#: them at their content's width, and fitting one squeezed its columns to nothing.
AUTOSIZE = {"type": "fit-x", "contains": "padding"}


#: Under this window width (px) side-by-side columns wrap: beside the open sidebar, a
#: 900 px window left the Weigh page's four sliders about 30 px each (labels a few
#: letters a line) and its posterior panel no width at all. A column then takes a row
#: of its own unless it is at least :data:`NARROW_COLUMN` wide.
NARROW_WINDOW, NARROW_COLUMN = 1100, "16rem"
#: A container keyed so gets its last column (a result beside its controls) first when
#: the columns wrap: the Weigh page's posterior above its sliders, not under 760 px of them.
RESULT_FIRST = "result_first"
NARROW_STYLE = (
    f"<style>@media (max-width: {NARROW_WINDOW}px) {{"
    ".stHorizontalBlock {flex-wrap: wrap;}"
    f".stHorizontalBlock > .stColumn {{min-width: min(100%, {NARROW_COLUMN});}}"
    f".st-key-{RESULT_FIRST} .stHorizontalBlock > .stColumn:last-child {{order: -1;}}"
    "}</style>"
)


def narrow_windows() -> None:
    """Let columns wrap in a narrow window (see :data:`NARROW_WINDOW`); once per run."""
    st.html(NARROW_STYLE)


def sized(chart):
    """``chart`` with :data:`AUTOSIZE`, unless it is composed of several views."""
    import altair as alt

    return (
        chart.properties(autosize=AUTOSIZE)
        if isinstance(chart, alt.Chart | alt.LayerChart)
        else chart
    )


def show_chart(chart) -> None:
    """An Altair chart from :mod:`analysis.report.charts`, drawn as defined there (a
    single or layered chart as wide as the column)."""
    st.altair_chart(sized(chart), theme=None)


@st.cache_resource(max_entries=64, show_spinner=False)
def _chart_spec(key: tuple, _build: Callable[[], Any]) -> dict:
    # Streamlit's own conversion, the one st.altair_chart makes on every call; it (schema
    # validation, deep copies, hashing the data) and building the chart are most of a
    # slider move's rerun, and all but the data depends only on ``key``
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    spec = _convert_altair_to_vega_lite_spec(sized(_build()))
    if len(spec.get("datasets") or ()) != 1:
        raise ValueError("show_chart_with: the chart must hold exactly one data frame")
    return spec


def chart_spec_with(key: tuple, build: Callable[[], Any], data) -> dict:
    """The Vega-Lite spec of the chart ``build()`` returns, its one data frame replaced
    by ``data`` (rows of the same columns).

    The chart is built and converted once per ``key``, which must identify everything it
    shows but its data (labels, colours, sizes, titles). Its dataset keeps its name, so a
    browser showing it updates the data in place rather than drawing a new chart.
    """
    from streamlit import dataframe_util

    spec = _chart_spec(key, build)
    (name,) = spec["datasets"]
    return {**spec, "datasets": {name: dataframe_util.convert_anything_to_arrow_bytes(data)}}


def show_chart_with(key: tuple, build: Callable[[], Any], data) -> None:
    """:func:`show_chart` of ``build()`` with ``data`` as its data (:func:`chart_spec_with`)."""
    st.vega_lite_chart(spec=chart_spec_with(key, build, data), theme=None)


def colour_chip(colour: str) -> str:
    return f'<span style="color:{colour};font-size:1.1em">&#9632;</span>'


#: Case text as plain text inside any Streamlit markdown: the one helper for it, for every
#: piece of case text in st.markdown, st.caption, st.error and the like, and in widget
#: labels and ``help`` texts (Streamlit reads those as markdown). It lives beside the
#: other rules for case text, where the Learn course's texts use it too.
esc = plain_markdown


def heat_style(decibans: float) -> str:
    """CSS for a matrix cell coloured by its contribution (purple against, green for)."""
    background, ink = heat_colours(decibans)
    return f"background-color: {background}; color: {ink}"


def posterior_lines(analysis: Analysis, reference: Analysis | None = None) -> None:
    """One line per hypothesis: colour, label, percentage and ICD 203 words (one element
    of a paragraph each, so a move sends one element, not one per hypothesis).

    With ``reference`` (the file's analysis), a changed percentage also shows the file's.
    """
    from analysis.report.charts import hypothesis_colours

    case = analysis.case
    colours = hypothesis_colours(case)
    words = analysis.words()
    lines = []
    for k in analysis.ranking:
        h = case.hypotheses[k]
        line = (
            f"{colour_chip(colours[h.id])} **{esc(h.label)}**: {analysis.percent(k)} · {words[k]}"
        )
        if reference is not None and reference.percent(k) != analysis.percent(k):
            line += f" <small>(file: {reference.percent(k)})</small>"
        lines.append(line)
    st.markdown("\n\n".join(lines), unsafe_allow_html=True)


def confidence_line(analysis: Analysis) -> None:
    """The confidence level in its own sentence (ICD 203), with what limits it."""
    confidence = analysis.confidence
    st.markdown(f"Analytic confidence in this judgment: **{confidence.level}**.")
    limiting = confidence.limiting
    if limiting:
        st.caption(
            "Limited by: " + "; ".join(f"{esc(r.name)} ({esc(r.reason)})" for r in limiting) + "."
        )


def bottom_line(analysis: Analysis) -> str:
    """The leading judgment as a sentence (ICD 203 word first, then the number)."""
    k = analysis.leader
    label = analysis.case.hypotheses[k].label
    word = analysis.words()[k]
    opening = estimative_opening(word).removesuffix(word)  # "It is ", "There is a "
    return f"{opening}**{word}** ({analysis.percent(k)}) that the answer is **{esc(label)}**."


def posterior_panel(
    analysis: Analysis, reference: Analysis | None = None, structure: tuple | None = None
) -> None:
    """Posterior chart, the per-hypothesis lines and the confidence statement.

    ``structure`` identifies what the chart shows but its numbers (the case version and
    the yardstick: :attr:`View.structure`); with it the chart is built once, and a move
    only sends its new numbers.
    """
    from analysis.report.charts import posterior_chart
    from analysis.report.charts.posterior import posterior_data

    st.markdown(bottom_line(analysis))

    def chart():
        # the lines below give each percentage with its word, so the bars stand alone here
        return posterior_chart(analysis, width=250, words=False)

    if structure is None or analysis.uncertainty is not None:
        show_chart(chart())
    else:
        show_chart_with(("posterior", 250, structure), chart, posterior_data(analysis))
    posterior_lines(analysis, reference)
    confidence_line(analysis)


def source_name(case: Case, source_id: str | None) -> str:
    if source_id is None:
        return "(no source named)"
    return case.source_by_id[source_id].name


def item_details(analysis: Analysis, i: int) -> None:
    """Everything behind one evidence item: claim, source, credibility, rationale, cells."""
    case = analysis.case
    item = case.evidence[i]
    credibility = case.credibility_of(item)
    st.markdown(f"**Claim.** {esc(item.claim)}", unsafe_allow_html=True)
    facts = [
        f"**Source:** {esc(source_name(case, item.source))}",
        f"**credibility** {credibility.describe()} (used: {analysis.credibility[i]:.2f})",
        f"**date** {esc(item.date) if item.date else 'undated'}",
        f"**relevance** {item.relevance_or_default}",
    ]
    st.markdown(" · ".join(facts), unsafe_allow_html=True)
    if item.rationale:
        st.markdown(f"**Rationale.** {esc(item.rationale)}", unsafe_allow_html=True)
    rows = []
    for k, h in enumerate(case.hypotheses):
        db = float(analysis.contribution[i, k])
        rows.append(
            f"| {esc(h.label)} | {item.likelihoods[h.id].describe()} | "
            f"{analysis.heuer.ratings[i][k]} | {analysis.effective[i, k]:.3f} | {db:+.1f} |"
        )
    st.markdown(
        "| Hypothesis | Likelihood (as written) | Heuer rating | Effective P | dB |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows),
        unsafe_allow_html=True,
    )
    woe = float(analysis.weight_of_evidence(analysis.leader, analysis.runner_up)[i])
    lead = esc(case.hypotheses[analysis.leader].label)
    run = esc(case.hypotheses[analysis.runner_up].label)
    st.caption(
        f"Weight of evidence for {lead} over {run}: {woe:+.1f} dB ({jeffreys_grade(woe)}). "
        f"Diagnosticity {analysis.diagnosticity[i]:.1f} dB."
        + (
            " **Linchpin**: without it the leading hypothesis changes."
            if analysis.linchpin[i]
            else ""
        )
    )


def percent_words(probability: float, yardstick: str) -> str:
    """A probability as the posterior lines show it: percentage · estimative words."""
    return f"{format_percent(probability)} · {estimative_word(probability, yardstick)}"


def percent_row(case: Case, values, yardstick: str) -> dict[str, str]:
    """``label -> percentage · words`` for a probability vector in hypothesis order."""
    return {
        h.label: percent_words(float(v), yardstick)
        for h, v in zip(case.hypotheses, values, strict=True)
    }


def changes_panel(
    changes: list,
    key: str,
    on_reset,
    limit: int = 12,
    unchanged: str = "All numbers as in the file.",
) -> None:
    """The list of changes from the file (at most ``limit`` shown) and the Reset button;
    ``unchanged``: what is said when there are none (whose numbers they are)."""
    if changes:
        st.markdown(f"**{count(len(changes), 'change')} from the file**")
        st.caption("\n".join(f"- {esc(str(c))}" for c in changes[:limit]))
        if len(changes) > limit:
            st.caption(f"... and {len(changes) - limit} more (all on the Save and export page)")
    else:
        st.caption(unchanged)
    st.button("Reset to the file's values", key=key, on_click=on_reset, disabled=not changes)


def problem_lines(lines: Iterable[object], where: Any = st) -> None:
    """Problems one per line as the CLI prints them, wrapped: unwrapped, a narrow column
    (the sidebar) showed only each line's file name."""
    shown = shown_lines([str(line) for line in lines])
    where.code("\n".join(shown), language=None, wrap_lines=True)
