"""The brief's tables as plain structured text (:class:`~analysis.report.brief.model.Table`).

The numbers come from the :class:`~analysis.engine.analyzer.Analysis`; nothing is
recomputed. Each renderer lays the same table out in its own format.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from analysis.engine import bayes
from analysis.engine.analyzer import Analysis
from analysis.report.brief.model import Cell, Run, Table, bold, cell, italic, line
from analysis.report.colours import RATING_TINT, hypothesis_colours
from analysis.scales import RATING_MEANING, reader_percent
from analysis.wording import short_label

#: Indicators listed in the annex's table (the rest are counted).
INDICATORS_LISTED = 12


def _head(*titles: str) -> tuple[Cell, ...]:
    return tuple(cell(bold(t)) for t in titles)


#: Hypotheses one matrix table holds: a page's width gives each of more too little to
#: read (at 50 every column was 2 mm and the PDF could not be laid out); more hypotheses
#: are shown in several tables, each repeating the items.
MATRIX_COLUMNS = 8


def column_parts(k: int) -> list[range]:
    """The hypotheses ``0..k-1`` in runs of at most :data:`MATRIX_COLUMNS`, one per table."""
    return [range(start, min(start + MATRIX_COLUMNS, k)) for start in range(0, k, MATRIX_COLUMNS)]


def matrix_tables(analysis: Analysis, items: Collection[int] | None = None) -> list[Table]:
    """The ACH matrix as one table, or as several of at most :data:`MATRIX_COLUMNS`
    hypotheses each (in the case's order)."""
    parts = column_parts(len(analysis.case.hypotheses))
    return [matrix_table(analysis, items, columns=part) for part in parts]


def matrix_table(
    analysis: Analysis, items: Collection[int] | None = None, columns: range | None = None
) -> Table:
    """The ACH matrix: items (most diagnostic first; ``items``: only these) by hypotheses
    (``columns``: only these); each cell gives Heuer's rating and the analyst's
    likelihood, tinted by rating; Heuer's scores (of every item) at the foot."""
    case = analysis.case
    colours = hypothesis_colours(case)
    shown = list(columns if columns is not None else range(len(case.hypotheses)))
    hypotheses = [case.hypotheses[j] for j in shown]
    k = len(shown)
    header = (
        cell(bold("Evidence item (source, date): claim")),
        *(
            cell(Run("\u25a0 ", colour=colours[h.id]), bold(short_label(h.label)))
            for h in hypotheses
        ),
        cell(bold("Diag. dB"), right=True),
    )
    rows = []
    kept = set(range(len(case.evidence)) if items is None else items)
    order = [int(i) for i in analysis.by_diagnosticity if int(i) in kept]
    for i in order:
        item = case.evidence[i]
        where = ", ".join(x for x in (item.source or "no source", item.date) if x)
        flag = [bold(" [linchpin]")] if analysis.linchpin[i] else []
        row = [cell(bold(item.id), f" ({where})", *flag, f": {item.claim}")]
        for j, h in zip(shown, hypotheses, strict=True):
            rating = analysis.heuer.ratings[i][j]
            given = analysis.heuer.given[i][j]
            mark = bold(rating) if given else italic(rating)
            value = f"{item.likelihoods[h.id].value:.2f}"
            row.append(Cell((line(mark), line(value)), RATING_TINT[rating]))
        row.append(cell(f"{analysis.diagnosticity[i]:.1f}", right=True))
        rows.append(tuple(row))
    foot = [
        ("Inconsistency (Heuer: I = 1, II = 2)", analysis.heuer.inconsistency, "{:g}"),
        ("Weighted inconsistency (PARC)", analysis.heuer.weighted_inconsistency, "{:.2f}"),
    ]
    for label, values, fmt in foot:
        numbers = (cell(fmt.format(float(values[j]))) for j in shown)
        rows.append((cell(bold(label)), *numbers, cell("")))
    posterior = (cell(bold(reader_percent(float(analysis.posterior[j])))) for j in shown)
    rows.append((cell(bold("Posterior (Bayes)")), *posterior, cell("")))
    hyp = (1.0 - 0.38 - 0.08) / k
    return Table(header, tuple(rows), (0.38, *([hyp] * k), 0.08), foot=3)


def rating_key() -> str:
    """One line explaining the matrix cells (generated from the rating table)."""
    meanings = ", ".join(f"{r} {m}" for r, m in RATING_MEANING.items())
    return (
        f"Each cell: Heuer's rating ({meanings}); bold where the case gives it, italic where "
        "derived from the likelihood; below it the likelihood P(item | hypothesis) as the "
        "analyst set it. Diag. dB: the item's diagnosticity (largest pairwise weight of "
        "evidence). Items most diagnostic first."
    )


def top_two(analysis: Analysis, posterior) -> str:
    """The two most likely hypotheses with their probabilities; every one of a tie for
    the lead, however many (a three-way tie once showed two of the three)."""
    case = analysis.case
    tied = bayes.leaders(np.asarray(posterior))
    best = tied if len(tied) > 2 else sorted(range(len(posterior)), key=lambda k: -posterior[k])[:2]
    return "; ".join(
        f"{case.hypotheses[k].label} {reader_percent(float(posterior[k]))}" for k in best
    )


def indicator_table(analysis: Analysis) -> Table | None:
    """Indicators to watch, most informative first, with what each outcome would mean."""
    if not analysis.indicators:
        return None
    header = (
        cell(bold("Indicator: what to look for")),
        cell(bold("Chance seen"), right=True),
        cell(bold("Info (bits)"), right=True),
        cell(bold("If seen")),
        cell(bold("If not seen")),
    )
    rows = tuple(
        (
            cell(bold(ind.item.id), f": {ind.item.claim}"),
            cell(reader_percent(ind.probability_seen), right=True),
            cell(f"{ind.expected_information_bits:.2f}", right=True),
            cell(top_two(analysis, ind.if_seen)),
            cell(top_two(analysis, ind.if_not_seen)),
        )
        for ind in analysis.indicators[:INDICATORS_LISTED]
    )
    return Table(header, rows, (0.42, 0.09, 0.08, 0.205, 0.205))


def source_table(analysis: Analysis, shown: int | None = None) -> Table:
    """Each source (``shown``: only that many, of most weight) with its credibility, how
    many items rest on it and its share of the weight separating the leader from the
    runner-up."""
    case = analysis.case
    lead = short_label(case.hypotheses[analysis.leader].label)
    run = short_label(case.hypotheses[analysis.runner_up].label)
    header = (
        *_head("Source", "Credibility"),
        cell(bold("Items"), right=True),
        cell(bold("Share of deciding weight"), right=True),
        cell(bold(f"Net dB for {lead} over {run}"), right=True),
    )
    rows = []
    for load in sorted(analysis.sources, key=lambda x: -x.share)[:shown]:
        source = case.source_by_id[load.source_id]
        rows.append(
            (
                cell(bold(load.source_id), f": {load.name}"),
                cell(source.credibility.describe()),
                cell(str(len(load.items)), right=True),
                cell(f"{100 * load.share:.0f}%", right=True),
                cell(f"{load.leader_weight_db:+.1f}", right=True),
            )
        )
    return Table(header, tuple(rows), (0.46, 0.16, 0.07, 0.15, 0.16))


def yardstick_table(table: tuple[tuple[float, str], ...]) -> Table:
    """A probability yardstick (ICD 203 or PHIA) as a key, from the scales table."""
    lows = [0.0] + [upper for upper, _ in table[:-1]]
    header = tuple(cell(bold(word)) for _, word in table)
    row = tuple(
        cell(f"{100 * lo:.0f}-{100 * hi:.0f}%") for (hi, _), lo in zip(table, lows, strict=True)
    )
    return Table(header, (row,), tuple([1.0 / len(table)] * len(table)))


def posterior_table(analysis: Analysis) -> Table:
    """Each hypothesis's probability and words, most likely first (the posterior chart's
    numbers, for formats without images)."""
    u = analysis.uncertainty
    words = analysis.words()
    header = (
        cell(bold("Explanation")),
        cell(bold("Probability"), right=True),
        cell(bold("In words")),
        *((cell(bold("90% range")),) if u is not None else ()),
    )
    rows = []
    for k in (int(k) for k in analysis.ranking):
        rng = (
            ()
            if u is None
            else (cell(f"{reader_percent(u.low[k])} to {reader_percent(u.high[k])}"),)
        )
        rows.append(
            (
                cell(analysis.case.hypotheses[k].label),
                cell(reader_percent(float(analysis.posterior[k])), right=True),
                cell(words[k]),
                *rng,
            )
        )
    widths = (0.5, 0.15, 0.35) if u is None else (0.4, 0.15, 0.25, 0.2)
    return Table(header, tuple(rows), widths, small=False)


def contribution_tables(analysis: Analysis, items: Collection[int] | None = None) -> list[Table]:
    """The contribution chart's numbers: each item's weight (dB) for each hypothesis
    (``items``: only these items' rows; the total counts every item), in tables of at
    most :data:`MATRIX_COLUMNS` hypotheses."""
    return [
        _contribution_table(analysis, items, part)
        for part in column_parts(len(analysis.case.hypotheses))
    ]


def _contribution_table(analysis: Analysis, items: Collection[int] | None, part: range) -> Table:
    case = analysis.case
    shown = list(part)
    header = (
        cell(bold("Item")),
        *(cell(bold(short_label(case.hypotheses[j].label)), right=True) for j in shown),
    )

    def numbers(values, strong: bool = False):
        return (
            cell(bold(f"{values[j]:+.1f}") if strong else f"{values[j]:+.1f}", right=True)
            for j in shown
        )

    rows = [(cell("prior"), *numbers(analysis.prior_contribution))]
    kept = set(range(len(case.evidence)) if items is None else items)
    for i, item in enumerate(case.evidence):
        if i in kept:
            rows.append((cell(item.id), *numbers(analysis.contribution[i])))
    total = analysis.prior_contribution + analysis.contribution.sum(axis=0)
    rows.append((cell(bold("total")), *numbers(total, strong=True)))
    k = len(shown)
    return Table(header, tuple(rows), (0.4, *([0.6 / k] * k)), foot=1)
