"""The brief after page one: the supporting sections, then the annex for analysts.

Both lists are data: each entry is ``(name, section)``, where a section takes the
:class:`~analysis.report.brief.content.BriefInput` and returns its blocks, or no blocks
when the case does not support it (no uncertainty run, no assumptions, no analysts'
judgment files). A new section is one function and one line in :data:`BODY` or
:data:`ANNEX`; every format (PDF, DOCX, Markdown) then shows it.

The body stays in plain words (no evidence ids, no decibans); the annex holds the ids,
decibans, the matrix, Heuer's scores, the uncertainty run's diagnostics and the method.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.engine import bayes
from analysis.engine.robust import ROBUST_PROBABILITY
from analysis.report import charts as ch
from analysis.report.brief.analysts import analysts_section, analysts_table
from analysis.report.brief.assumptions import assumption_table, key_assumptions
from analysis.report.brief.content import (
    BRIEF_ROWS,
    KEY_JUDGMENTS_SHOWN,
    BriefInput,
    brief_items,
    items_left_out,
    said,
)
from analysis.report.brief.definitions import explanations
from analysis.report.brief.model import (
    Block,
    Bullets,
    Chart,
    Heading,
    PageBreak,
    Para,
    bold,
    italic,
    line,
)
from analysis.report.brief.tables import (
    INDICATORS_LISTED,
    MATRIX_COLUMNS,
    contribution_tables,
    indicator_table,
    matrix_tables,
    posterior_table,
    rating_key,
    source_table,
    yardstick_table,
)
from analysis.scales import (
    JEFFREYS,
    YARDSTICK_TITLES,
    YARDSTICKS,
    credibility_word,
    reader_percent,
)
from analysis.wording import count, joined

Section = Callable[[BriefInput], list[Block]]
#: Items shown one by one in the waterfall; the rest are pooled into one step.
WATERFALL_TOP = 12
#: Sources named in "What the judgment rests on".
SOURCES_NAMED = 5


# -- body: plain words -------------------------------------------------------------------


def judgments_in_detail(source: BriefInput) -> list[Block]:
    analysis = source.analysis
    words = YARDSTICK_TITLES[analysis.yardstick]
    caption = (
        f"How likely each explanation is, in {words} words"
        + (
            ", with the range the analysts' own uncertainty about their numbers allows"
            if analysis.uncertainty
            else ""
        )
        + "."
    )
    pooled = len(analysis.case.hypotheses) > KEY_JUDGMENTS_SHOWN + 1
    table = posterior_table(analysis)
    return [
        Heading("The judgments in detail"),
        Chart(
            lambda: ch.posterior_chart(analysis, width=440, percent=reader_percent),
            caption,
            height=0.45,
            fallback=() if pooled else (table,),
        ),
        # page one pools the least likely: here every one is listed
        *((Para(line("Every explanation, most likely first:")), table) if pooled else ()),
    ]


def rests_on(source: BriefInput) -> list[Block]:
    """The sources the leading judgment rests on, and the reports it hangs on, in words."""
    analysis = source.analysis
    case = analysis.case
    lead = case.hypotheses[analysis.leader].label
    run = case.hypotheses[analysis.runner_up].label
    story: list[Block] = [Heading("What the judgment rests on")]
    loads = sorted(analysis.sources, key=lambda x: -x.share)[:SOURCES_NAMED]
    loads = [s for s in loads if s.share > 0]
    if loads:
        story.append(
            Para(
                line(
                    f"The sources that most separate {lead} from {run}, and how far each is "
                    "trusted:"
                )
            )
        )
        items = []
        for load in loads:
            cred = case.source_by_id[load.source_id].credibility
            leans = lead if load.leader_weight_db > 0 else run
            items.append(
                line(
                    bold(load.name),
                    f": {credibility_word(cred.value)} credibility; "
                    f"{count(len(load.items), 'report')}, on balance for {leans}; "
                    f"{100 * load.share:.0f}% of what separates the two.",
                )
            )
        story.append(Bullets(tuple(items)))
    if analysis.linchpin_items:
        story.append(
            Para(
                line(
                    "Reports the judgment hangs on (without any one of them, another "
                    "explanation would lead):"
                )
            )
        )
        story.append(
            Bullets(tuple(line(italic(case.evidence[i].claim)) for i in analysis.linchpin_items))
        )
    else:
        story.append(
            Para(
                line(
                    "No single report decides the judgment: without any one of them, "
                    f"{lead} still leads."
                )
            )
        )
    return story


def cautions(source: BriefInput) -> list[Block]:
    warnings = source.analysis.warnings
    if not warnings:
        return []
    return [Heading("Cautions", 2), Bullets(tuple(line(w) for w in warnings))]


# -- annex: for analysts ----------------------------------------------------------------------


def evidence_moves(source: BriefInput) -> list[Block]:
    analysis = source.analysis
    case = analysis.case
    lead, run = case.hypotheses[analysis.leader], case.hypotheses[analysis.runner_up]
    pooled = len(case.evidence) > WATERFALL_TOP
    shown = brief_items(analysis)
    return [
        Heading("How each item moved the conclusion"),
        Para(
            line(
                "Each cell is the weight of evidence, in decibans (dB), that an item adds to a "
                "hypothesis compared with the average hypothesis; the first row is the prior. "
                "Read down a column: the cells add up to the total, which sets the posterior. "
                "+10 dB multiplies the odds by ten, +3 dB roughly doubles them; 0 means the "
                "item does not discriminate."
            )
        ),
        *([Para(line(left_out), "small")] if (left_out := items_left_out(analysis)) else []),
        *(
            # past one table's hypotheses a page-wide heatmap's columns are too narrow
            # to read: its numbers in tables instead, as the matrix is
            contribution_tables(analysis, items=shown)
            if len(case.hypotheses) > MATRIX_COLUMNS
            else [
                Chart(
                    lambda: ch.contribution_chart(analysis, items=shown),
                    "",
                    height=0.85,
                    fallback=tuple(contribution_tables(analysis, items=shown)),
                )
            ]
        ),
        Heading(
            f"{lead.label} against {run.label}"
            if len(analysis.tied) > 1
            else f"Why {lead.label} leads {run.label}",
            2,
        ),
        Para(
            line(
                f"From the prior odds, each item adds or removes weight for {lead.label} over "
                f"{run.label}; the last bar is the posterior log-odds."
                + (
                    f" The {WATERFALL_TOP} weightiest items are shown one by one; the rest "
                    "are pooled."
                    if pooled
                    else ""
                )
            )
        ),
        Chart(lambda: ch.waterfall_chart(analysis, top=WATERFALL_TOP), "", height=0.6),
        Heading("How the picture evolved", 2),
        Para(line(ch.trajectory_note(analysis.case))),
        Chart(lambda: ch.trajectory_chart(analysis, width=420), "", height=0.5),
    ]


def matrix(source: BriefInput) -> list[Block]:
    analysis = source.analysis
    story: list[Block] = [
        Heading("The ACH matrix and Heuer's scores"),
        Para(line(rating_key()), "small"),
        *([Para(line(left_out), "small")] if (left_out := items_left_out(analysis)) else []),
        *matrix_tables(analysis, items=brief_items(analysis)),
    ]
    if analysis.disagreement is not None:
        story += [
            Heading("Heuer's count and Bayes disagree", 2),
            Para(line(analysis.disagreement.explanation)),
        ]
    return story


def linchpins(source: BriefInput) -> list[Block]:
    analysis = source.analysis
    case = analysis.case
    story: list[Block] = [Heading("Linchpins", 2)]
    if not analysis.linchpin_items:
        label = case.hypotheses[analysis.leader].label
        msg = f"No single item is a linchpin: removing any one of them leaves {label} in the lead."
        return [*story, Para(line(msg))]
    items = []
    linchpins = analysis.linchpin_items
    rank = {int(i): r for r, i in enumerate(analysis.by_diagnosticity)}
    shown = sorted(linchpins, key=rank.__getitem__)[:BRIEF_ROWS]
    for i in sorted(shown):
        item = case.evidence[i]
        without = analysis.posterior_without[i]
        tied = bayes.leaders(without)
        src = case.source_by_id[item.source].name if item.source else "no source named"
        if len(tied) > 1:
            labels = joined([case.hypotheses[k].label for k in tied])
            said_each = said(analysis, float(without[tied[0]]))
            then = f"Without it, {labels} would be tied: {said_each} each."
        else:
            then = (
                f"Without it, {case.hypotheses[tied[0]].label} would lead: "
                f"{said(analysis, float(without[tied[0]]))}."
            )
        items.append(
            line(
                bold(item.id),
                f" ({src}; credibility {case.credibility_of(item).describe()}): {item.claim} ",
                italic(then),
            )
        )
    intro = "Removing any one of these items would change the leading hypothesis (Heuer step 6)."
    if len(linchpins) > len(shown):
        intro += (
            f" The {len(shown)} most diagnostic of {len(linchpins):,} are listed; the "
            "dashboard's Matrix page marks them all."
        )
    return [*story, Para(line(intro)), Bullets(tuple(items))]


def indicators(source: BriefInput) -> list[Block]:
    analysis = source.analysis
    table = indicator_table(analysis)
    story: list[Block] = [Heading("Indicators to watch", 2)]
    if table is None:
        return [*story, Para(line("The case lists no indicators."))]
    story += [
        Para(
            line(
                "Observations not yet made, most informative first: the chance of seeing each "
                "under the current judgment, the information it would give (bits), and the "
                "two leading hypotheses if it is, or is not, seen (Heuer step 8)."
            ),
            "small",
        ),
        table,
    ]
    extra = len(analysis.indicators) - INDICATORS_LISTED
    if extra > 0:
        story.append(Para(line(f"{count(extra, 'more indicator')} in the tool."), "small"))
    return story


def sources(source: BriefInput) -> list[Block]:
    return [
        Heading("Sources", 2),
        Para(
            line(
                "Credibility is the probability that the source reports accurately; a weak "
                "source caps how far its reports can move the odds. The share is the part of "
                "the weight separating the two leading hypotheses that rests on the source."
            ),
            "small",
        ),
        *(
            [Para(line(f"The {BRIEF_ROWS} sources of most weight, of {n:,}."), "small")]
            if (n := len(source.analysis.sources)) > BRIEF_ROWS
            else []
        ),
        source_table(source.analysis, shown=BRIEF_ROWS),
    ]


def uncertainty_run(source: BriefInput) -> list[Block]:
    u = source.analysis.uncertainty
    if u is None:
        text = (
            "No uncertainty run: the numbers are the closed form's. The brief made with "
            "--uncertainty adds 90% ranges from the analysts' own imprecision."
        )
        return [Heading("Uncertainty run", 2), Para(line(text), "small")]
    warn = [Bullets(tuple(line(w) for w in u.warnings))] if u.warnings else []
    return [
        Heading("Uncertainty run", 2),
        Para(
            line(
                f"{u.sampler or 'PyMC'}, {u.chains} chains × {u.draws} draws; largest R-hat "
                f"{u.r_hat_max:.3f} (should be under 1.01), smallest effective sample size "
                f"{u.ess_min:.0f}. The ranges show how far the analyst's own imprecision "
                "(ranges, source credibility shared across items) moves the result."
            )
        ),
        *warn,
    ]


def method(source: BriefInput) -> list[Block]:
    analysis = source.analysis
    case = analysis.case
    yard = YARDSTICK_TITLES[analysis.yardstick]
    grades = ", ".join(
        f"{word} {'under' if i == 0 else 'to'} {upper:g} dB" if upper != float("inf") else word
        for i, (upper, word) in enumerate(JEFFREYS)
    )
    rules = tuple(
        line(bold(r.name), f" (allows {r.cap}): {r.reason}") for r in analysis.confidence.rules
    )
    size = (
        f"The case {case.name} has {count(len(case.hypotheses), 'hypothesis', 'hypotheses')}, "
        f"{count(len(case.evidence), 'evidence item')} and "
        f"{count(len(analysis.sources), 'source')}."
    )
    return [
        Heading("Method note"),
        Para(
            line(
                size + " The workbench applies Bayes' rule to the hypotheses, which are "
                "mutually exclusive and exhaustive. For each item the analyst states how likely "
                "such a report would be under each hypothesis. Source credibility discounts "
                "each report: a report from a source of credibility c counts as c × the "
                "analyst's likelihood plus (1 − c) × the chance of such a report from an "
                "unreliable source, so a weak source cannot move the odds far, whatever it "
                "says. Items are treated as independent given the hypothesis; several items "
                "from one source may be double-counted (see Cautions)."
            )
        ),
        Para(
            line(
                bold("What the numbers mean. "),
                "A percentage is the probability of a hypothesis given this evidence, these "
                "likelihoods and these credibilities: a statement about the analyst's judgment "
                "made consistent, not a frequency. It is only as good as those inputs, and it "
                "does not cover hypotheses outside the list. Under 1% and over 99% are not "
                f"narrowed further. Probabilities are shown in {yard} words:",
            )
        ),
        yardstick_table(YARDSTICKS[analysis.yardstick]),
        Para(
            line(
                bold("Robust judgments. "),
                "A group of the most likely hypotheses that together reach "
                f"{ROBUST_PROBABILITY:.0%} and still do with any single item left out is "
                "stated first; which of them is true is the contested judgment.",
            )
        ),
        Para(
            line(
                "Weights of evidence are in decibans (dB, 10 log10 of a likelihood ratio), "
                f"graded after Jeffreys: {grades}."
            )
        ),
        Para(
            line(
                bold("Confidence"),
                " (low, moderate, high) is a separate judgment about the evidence base, not a "
                "probability: each rule below may cap it, and the lowest cap applies.",
            )
        ),
        Bullets(rules),
    ]


#: The supporting sections after page one, in reading order.
BODY: list[tuple[str, Section]] = [
    ("the judgments in detail", judgments_in_detail),
    ("what each explanation covers", explanations),
    ("what the judgment rests on", rests_on),
    ("cautions", cautions),
    ("key assumptions", key_assumptions),
    ("where analysts disagree", analysts_section),
]
#: The annex for analysts, in reading order.
ANNEX: list[tuple[str, Section]] = [
    ("how each item moved the conclusion", evidence_moves),
    ("the ACH matrix", matrix),
    ("linchpins", linchpins),
    ("key assumptions in detail", assumption_table),
    ("analysts' numbers", analysts_table),
    ("indicators", indicators),
    ("sources", sources),
    ("uncertainty run", uncertainty_run),
    ("method note", method),
]
ANNEX_TITLE = "Annex: the analysis in detail"


def after_page_one(source: BriefInput) -> list[Block]:
    """The body sections, then the annex (on a new page)."""
    body = [block for _, section in BODY for block in section(source)]
    annex = [block for _, section in ANNEX for block in section(source)]
    return [*body, PageBreak(), Heading(ANNEX_TITLE, 0), *annex]
