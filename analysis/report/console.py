"""The readable terminal view of an analysis (``ach analyze`` without ``--json``).

Every piece of case text reaches rich as a :class:`~rich.text.Text` made by :func:`safe`,
never as markup: ``[bold]``, ``[/]``, ``\\[`` and ``:smile:`` in it print as written
(escaping markup did not cover them all: ``[/]`` crashed the command and ``\\[`` lost its
backslash), and control characters show as visible escapes, so a case file cannot style,
link, move the cursor or set the clipboard in the analyst's terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis.case import Item
from analysis.casefile.text import terminal_safe
from analysis.engine.analyzer import Analysis
from analysis.scales import format_percent
from analysis.wording import leaders_cell


def safe(text: object, style: str = "") -> Text:
    """Case (or any outside) text made inert for a rich console: plain text, never read as
    markup or emoji codes, with no controls; ``style`` is ours (``"bold"``)."""
    return Text(terminal_safe(str(text), keep_newlines=False), style=style)


def labelled(label: str, text: object, style: str = "bold") -> Text:
    """``label`` in ``style``, then outside ``text`` as plain text (``Note: ...``)."""
    return Text.assemble((label, style), " ", safe(text))


def _conclusion(analysis: Analysis) -> Text:
    """The brief's bottom line (:func:`~analysis.report.brief.content.bottom_line`): the
    robust judgment first, then what stays contested, then the confidence, one
    paragraph each, so the terminal and the brief say the same thing."""
    from analysis.report.brief.content import bottom_line

    paragraphs = [
        Text.assemble(*(safe(run.text, "bold" if run.bold else "") for run in p.runs))
        for block in bottom_line(analysis)
        for p in block.paragraphs
    ]
    return Text("\n").join(paragraphs)


def _hypothesis_table(analysis: Analysis) -> Table:
    table = Table(title="Hypotheses", title_justify="left")
    table.add_column("Hypothesis")
    table.add_column("Prior", justify="right")
    table.add_column("Posterior", justify="right")
    table.add_column("In words")
    u = analysis.uncertainty
    if u is not None:
        table.add_column("90% interval", justify="right")
    table.add_column("Heuer I", justify="right")
    table.add_column("Weighted", justify="right")
    words = analysis.words()
    for k in analysis.ranking:
        h = analysis.case.hypotheses[k]
        row = [
            safe(f"{h.label} ({h.id})"),
            format_percent(float(analysis.prior[k])),
            format_percent(float(analysis.posterior[k])),
            safe(words[k]),
        ]
        if u is not None:
            row.append(f"{format_percent(float(u.low[k]))}-{format_percent(float(u.high[k]))}")
        row += [
            f"{analysis.heuer.inconsistency[k]:g}",
            f"{analysis.heuer.weighted_inconsistency[k]:.2f}",
        ]
        table.add_row(*row)
    return table


def _evidence_table(analysis: Analysis) -> Table:
    case = analysis.case
    lead, runner = analysis.leader, analysis.runner_up
    table = Table(
        title=Text.assemble(
            "Evidence, most diagnostic first: contribution per hypothesis (dB), weight for ",
            safe(case.hypotheses[lead].label),
            " over ",
            safe(case.hypotheses[runner].label),
        ),
        title_justify="left",
    )
    table.add_column("Item", overflow="fold")
    table.add_column("Source", overflow="fold")
    table.add_column("Date", no_wrap=True)
    for h in case.hypotheses:
        table.add_column(safe(h.id), justify="right", no_wrap=True)
    table.add_column("Diag.", justify="right", no_wrap=True)
    table.add_column("Lead", justify="right", no_wrap=True)
    table.add_column("Grade")
    table.add_column("Linchpin")
    woe = analysis.weight_of_evidence(lead, runner)
    for i in analysis.by_diagnosticity:
        item = case.evidence[i]
        table.add_row(
            _item_name(item),
            safe(item.source or "-"),
            safe(item.date or "-"),
            *[f"{c:+.1f}" for c in analysis.contribution[i]],
            f"{analysis.diagnosticity[i]:.1f}",
            f"{woe[i]:+.1f}",
            analysis.grade(float(woe[i])),
            "yes" if analysis.linchpin[i] else "",
        )
    return table


def _item_name(item: Item) -> Text:
    """The item's id, with the event it reports and whether it was retracted."""
    name = item.id if item.event is None else f"{item.id} (event {item.event})"
    return Text.assemble(safe(name, "strike"), " retracted") if item.retracted else safe(name)


def _dist(analysis: Analysis, p) -> Text:
    ids = analysis.case.hypothesis_ids
    return safe(", ".join(f"{h} {format_percent(float(v))}" for h, v in zip(ids, p, strict=True)))


def _event_table(analysis: Analysis) -> Table:
    case = analysis.case
    table = Table(
        title="Events: reports of one observation weighed once (contribution per hypothesis, dB)",
        title_justify="left",
    )
    table.add_column("Event", overflow="fold")
    table.add_column("Reports", overflow="fold")
    for h in case.hypotheses:
        table.add_column(safe(h.id), justify="right", no_wrap=True)
    table.add_column("Without it")
    table.add_column("Linchpin")
    for e in analysis.events:
        table.add_row(
            safe(e.event.id),
            safe(", ".join(case.evidence[i].id for i in e.items) or "none"),
            *[f"{c:+.1f}" for c in e.contribution],
            _dist(analysis, e.posterior_without),
            "yes" if e.linchpin else "",
        )
    return table


def _assumption_table(analysis: Analysis) -> Table:
    case = analysis.case
    table = Table(title="Key assumptions: if one fails", title_justify="left")
    table.add_column("Assumption", overflow="fold")
    table.add_column("Rests on it", overflow="fold")
    table.add_column("Posterior if it fails")
    table.add_column("Leader if it fails")
    table.add_column("Linchpin")
    for a in analysis.assumptions:
        table.add_row(
            safe(f"{a.assumption.id}: {a.assumption.statement}"),
            safe(", ".join(a.assumption.rests_on)),
            _dist(analysis, a.posterior_if_fails),
            safe(
                leaders_cell(
                    [case.hypotheses[k].label for k in a.leaders_if_fails],
                    format_percent(float(a.posterior_if_fails[a.leader_if_fails])),
                )
            ),
            "yes" if a.linchpin else "",
        )
    return table


def _indicator_table(analysis: Analysis) -> Table:
    table = Table(title="Indicators to watch", title_justify="left")
    table.add_column("Indicator")
    table.add_column("Info (bits)", justify="right")
    table.add_column("If seen")
    table.add_column("If not seen")
    for ind in analysis.indicators:
        table.add_row(
            safe(ind.item.id),
            f"{ind.expected_information_bits:.3f}",
            _dist(analysis, ind.if_seen),
            _dist(analysis, ind.if_not_seen),
        )
    return table


def table_console() -> Console:
    """The terminal, or a 160-column console when it is narrow or not a terminal."""
    console = Console(emoji=False)
    if console.is_terminal and console.width >= 140:
        return console
    return Console(width=160, emoji=False)


def print_analysis(analysis: Analysis, console: Console | None = None) -> None:
    """Print the whole analysis as tables."""
    console = console or table_console()
    case = analysis.case
    console.print(safe(case.title, "bold"))
    console.print(safe(case.question))
    console.print(_conclusion(analysis))
    console.print(_hypothesis_table(analysis))
    console.print(_evidence_table(analysis))
    if analysis.events:
        console.print(_event_table(analysis))
    if analysis.assumptions:
        console.print(_assumption_table(analysis))
    if analysis.indicators:
        console.print(_indicator_table(analysis))
    rules = "; ".join(f"{r.name}: {r.cap} ({r.reason})" for r in analysis.confidence.rules)
    console.print(Text.assemble("Confidence rules: ", safe(rules)))
    if analysis.disagreement:
        console.print(labelled("Heuer vs Bayes:", analysis.disagreement.explanation))
    if analysis.heuer.note:
        console.print(labelled("Heuer's count:", analysis.heuer.note))
    u = analysis.uncertainty
    if u is not None:
        console.print(
            f"Uncertainty run: {u.sampler}, {u.chains} chains x {u.draws} draws, "
            f"max R-hat {u.r_hat_max:.3f}, min ESS {u.ess_min:.0f}, {u.seconds:.1f} s"
        )
    for note in analysis.warnings:
        console.print(labelled("Note:", note, "yellow"))
