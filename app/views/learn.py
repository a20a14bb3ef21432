"""Learn: Heuer's eight steps walked through on the open case, Heuer beside Bayes, and
an exercise in which the student rates the matrix before seeing the case's analysis."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.engine.analyzer import Analysis, analyze
from analysis.engine.heuer import heuer_scores
from analysis.scales import (
    RATING_INCONSISTENCY,
    RATING_LIKELIHOOD,
    RATING_MEANING,
    YARDSTICK_TITLES,
)
from analysis.scenario import with_ratings
from app.views.context import View
from app.widgets import bottom_line, confidence_line, esc, posterior_lines, show_chart

STEPS = (
    "Hypotheses",
    "Evidence",
    "Matrix",
    "Refine",
    "Tentative conclusions",
    "Sensitivity",
    "Report",
    "Milestones",
)
STEP_KEY = "learn_step"
#: Below this many decibans an item hardly separates any two hypotheses (Jeffreys).
WEAK_DB = 1.0
RATINGS = ("CC", "C", "N", "NA", "I", "II")
#: column widths (px) of the exercise table, to fit the main area at 1400 px
ITEM_WIDTH, RATING_WIDTH, FIT_WIDTH = 190, 96, 926
#: Posteriors closer than this are a tie: the student's ratings pick no leader.
TIE = 1e-9
#: what the score columns mean (shown on hover of their headers)
SCORE_HELP = {
    "Inconsistency": st.column_config.NumberColumn(
        help="Heuer's count: each I rating scores 1, each II scores 2"
    ),
    "Weighted": st.column_config.NumberColumn(
        help="PARC ACH: each point times the credibility and relevance weights "
        "(low 1/sqrt 2, medium 1, high sqrt 2)",
        format="%.2f",
    ),
}


def _go(offset: int) -> None:
    current = STEPS.index(st.session_state.get(STEP_KEY, STEPS[0]))
    st.session_state[STEP_KEY] = STEPS[max(0, min(len(STEPS) - 1, current + offset))]


def ratings_frame(view: View, given_only: bool = False) -> pd.DataFrame:
    analysis = view.analysis
    case = view.case
    rows = []
    for i, item in enumerate(case.evidence):
        row = {"Item": item.id}
        for k, h in enumerate(case.hypotheses):
            row[h.label] = analysis.heuer.ratings[i][k]
        rows.append(row)
    return pd.DataFrame(rows)


def words_title(view: View) -> str:
    """The name of the yardstick the estimative words come from (ICD 203, PHIA)."""
    yardstick = view.analysis.yardstick
    return YARDSTICK_TITLES.get(yardstick, yardstick)


def competition_ranks(keys: list) -> list[int]:
    """Rank 1 for the best (smallest) key; equal keys share a rank (1, 1, 3, ...)."""
    return [1 + sum(other < key for other in keys) for key in keys]


def heuer_ranks(heuer) -> list[int]:
    """Heuer's rank of each hypothesis, by the key its ranking uses; ties share a rank."""
    keys = [
        (round(float(w), 9), int(n))
        for w, n in zip(heuer.weighted_inconsistency, heuer.inconsistency, strict=True)
    ]
    return competition_ranks(keys)


def bayes_ranks(analysis: Analysis) -> list[int]:
    """The rank of each posterior, highest first; equal posteriors share a rank."""
    top = float(analysis.posterior.max())
    keys = [round(-float(p) / top, 9) if top > 0 else 0.0 for p in analysis.posterior]
    return competition_ranks(keys)


def heuer_beside_bayes(view: View, heuer=None) -> pd.DataFrame:
    analysis = view.analysis
    heuer = heuer or analysis.heuer
    rank = heuer_ranks(heuer)
    bayes = bayes_ranks(analysis)
    words = analysis.words()
    return pd.DataFrame(
        [
            {
                "Hypothesis": h.label,
                "Inconsistency": int(heuer.inconsistency[k]),
                "Weighted": round(float(heuer.weighted_inconsistency[k]), 2),
                "Heuer rank": rank[k],
                "Posterior": analysis.percent(k),
                words_title(view): words[k],
                "Bayes rank": bayes[k],
            }
            for k, h in enumerate(view.case.hypotheses)
        ]
    )


def _step(view: View, step: str) -> None:
    analysis = view.analysis
    case = view.case
    n = len(case.evidence)
    if step == "Hypotheses":
        st.markdown(
            "**1. Identify the possible hypotheses.** List every reasonable explanation, "
            "mutually exclusive, and keep the ones you cannot yet reject. Here:"
        )
        st.markdown(f"*{esc(case.question)}*", unsafe_allow_html=True)
        for h in case.hypotheses:
            st.markdown(f"- **{esc(h.label)}**: {esc(h.description)}", unsafe_allow_html=True)
    elif step == "Evidence":
        st.markdown(
            f"**2. List the significant evidence and arguments.** This case has {n} items "
            f"from {len(case.sources)} sources, including assumptions and absences as well as "
            "reports. Each item is a report from a source; a source's credibility caps how "
            "much its reports can move the odds."
        )
        rows = [
            {
                "Source": s.name,
                "Credibility": s.credibility.describe(),
                "Items": sum(1 for item in case.evidence if item.source == s.id),
            }
            for s in case.sources
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    elif step == "Matrix":
        st.markdown(
            "**3. Prepare a matrix** with the hypotheses across the top and the evidence down "
            "the side, and rate each cell: is the item consistent (C, CC), inconsistent (I, "
            "II), or neutral (N) under that hypothesis? Heuer's key question is "
            "*diagnosticity*: evidence consistent with every hypothesis tells you nothing."
        )
        st.dataframe(ratings_frame(view), hide_index=True, width="stretch")
        st.caption(
            "Ratings as the case gives them, or derived from the likelihoods: "
            + ", ".join(f"{r} {RATING_MEANING[r]}" for r in RATINGS)
        )
    elif step == "Refine":
        weak = [i for i in range(n) if analysis.diagnosticity[i] < WEAK_DB]
        st.markdown(
            "**4. Refine the matrix.** Reconsider the hypotheses and set aside evidence with "
            f"no diagnostic value. Items here separating no two hypotheses by even {WEAK_DB:g} "
            f"dB: **{len(weak)}** of {n}."
        )
        for i in weak:
            st.markdown(
                f"- {esc(case.evidence[i].id)} ({analysis.diagnosticity[i]:.1f} dB)",
                unsafe_allow_html=True,
            )
        st.caption(
            "In the Bayesian reading such items change nothing, so keeping them is harmless; "
            "counting inconsistencies can still be swayed by them."
        )
    elif step == "Tentative conclusions":
        st.markdown(
            "**5. Draw tentative conclusions.** Work down the columns and try to *reject* "
            "hypotheses: Heuer's score counts the inconsistencies against each (fewest "
            "wins). The Bayesian posterior weighs every item by how much more expected it is "
            "under one hypothesis than another."
        )
        side_by_side(view)
    elif step == "Sensitivity":
        st.markdown(
            "**6. Analyse how sensitive the conclusion is** to a few critical items. Take "
            "each item away: if the leading hypothesis changes, the item is a linchpin."
        )
        if analysis.linchpin_items:
            for i in analysis.linchpin_items:
                new = analysis.leader_without(i)
                st.markdown(
                    f"- **{esc(case.evidence[i].id)}**: without it "
                    f"{esc(case.hypotheses[new].label)} would lead.",
                    unsafe_allow_html=True,
                )
        else:
            st.markdown("No single item changes the leader when left out.")
        st.caption("The Sensitivity page moves every number across its range.")
    elif step == "Report":
        st.markdown(
            "**7. Report conclusions**, with the relative likelihood of *all* the hypotheses, "
            f"in estimative words ({words_title(view)}), and the confidence in a separate "
            "sentence."
        )
        st.markdown(bottom_line(analysis))
        posterior_lines(analysis)
        confidence_line(analysis)
    else:
        st.markdown(
            "**8. Identify milestones** for future observation: what, if seen, would change "
            "the picture?"
        )
        for ind in analysis.indicators[:5]:
            st.markdown(
                f"- **{esc(ind.item.id)}** ({ind.expected_information_bits:.3f} bits): "
                f"{esc(ind.item.claim)}",
                unsafe_allow_html=True,
            )
        if not analysis.indicators:
            st.markdown("This case lists no indicators.")


def _disagreement(view: View) -> None:
    analysis = view.analysis
    if analysis.disagreement is None:
        st.success(
            "Counting inconsistencies and the Bayesian posterior pick the same leading "
            f"hypothesis: {view.case.hypotheses[analysis.leader].label}."
        )
    else:
        st.warning("Heuer and Bayes disagree. " + analysis.disagreement.explanation)


# -- the exercise ------------------------------------------------------------------------------
EXERCISE = "exercise"
EXERCISE_TABLE = "exercise_table"
EXERCISE_DONE = "exercise_done"
EXERCISE_CASE = "exercise_case"  # the case the exercise's ratings belong to
EXERCISE_GENERATION = "exercise_generation"  # bumped to give the editor a fresh state


def exercise_key() -> str:
    """The key of the ratings editor (a new one starts blank, in the browser too)."""
    return f"{EXERCISE_TABLE}_{st.session_state.get(EXERCISE_GENERATION, 0)}"


def follow_case(case_key: tuple) -> None:
    """Forget the exercise (ratings, comparison) when another case is opened."""
    if st.session_state.get(EXERCISE_CASE) != case_key:
        if EXERCISE_CASE in st.session_state:
            _reset_exercise()
        st.session_state[EXERCISE_CASE] = case_key


def hides_posterior(page: str) -> bool:
    """Whether the posterior must stay hidden: the exercise is open and not yet compared."""
    return (
        page == "learn"
        and bool(st.session_state.get(EXERCISE))
        and not st.session_state.get(EXERCISE_DONE)
    )


def _compare() -> None:
    st.session_state[EXERCISE_DONE] = True


def _blank(view: View) -> pd.DataFrame:
    case = view.case
    rows = []
    for item in case.evidence:
        row = {"Item": item.id, "Claim": item.claim}
        row |= {h.label: None for h in case.hypotheses}
        rows.append(row)
    return pd.DataFrame(rows)


def _student_ratings(view: View, table: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The student's ratings; a cell left empty counts as N (neutral)."""
    case = view.case
    ratings = {}
    for i, item in enumerate(case.evidence):
        for h in case.hypotheses:
            value = table.iloc[i][h.label] if i < len(table) else None
            ratings[(item.id, h.id)] = value if value in RATING_INCONSISTENCY else "N"
    return ratings


def _exercise(view: View) -> bool:
    """Draw the exercise; True once the student has asked to compare."""
    case = view.case
    st.markdown(
        "**Exercise.** Rate every cell before you look at the case's analysis: for each item, "
        "how consistent is it with each hypothesis? (CC very consistent, C consistent, "
        "N neutral, NA not applicable, I inconsistent, II very inconsistent; an empty cell "
        "counts as N.) Then press *Compare*."
    )
    config = {
        h.label: st.column_config.SelectboxColumn(
            h.label, options=list(RATINGS), width=RATING_WIDTH, help=h.description or None
        )
        for h in case.hypotheses
    }
    # every rating column in view at 1400 px: the claim gets what they leave
    claim = max(200, FIT_WIDTH - ITEM_WIDTH - RATING_WIDTH * len(case.hypotheses))
    config["Claim"] = st.column_config.TextColumn(
        "Claim",
        width=claim,
        disabled=True,
        help="The report to rate; widen the column to read more",
    )
    config["Item"] = st.column_config.TextColumn(
        "Item", disabled=True, pinned=True, width=ITEM_WIDTH
    )
    table = st.data_editor(
        _blank(view),
        column_config=config,
        hide_index=True,
        width="stretch",
        key=exercise_key(),
        num_rows="fixed",
        placeholder="–",
    )
    # a callback, so the sidebar (drawn before this page) knows the answer may show
    st.button("Compare with the case", key="exercise_compare", type="primary", on_click=_compare)
    if not st.session_state.get(EXERCISE_DONE):
        return False
    ratings = _student_ratings(view, table)
    analysis = view.analysis
    same = 0
    rows = []
    for i, item in enumerate(case.evidence):
        row = {"Item": item.id}
        for k, h in enumerate(case.hypotheses):
            mine, theirs = ratings[(item.id, h.id)], analysis.heuer.ratings[i][k]
            same += mine == theirs
            row[h.label] = mine if mine == theirs else f"{mine} (case: {theirs})"
        rows.append(row)
    total = len(case.evidence) * len(case.hypotheses)
    st.markdown(f"You matched the case's rating in **{same} of {total}** cells.")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    mine = heuer_scores(with_ratings(case, ratings))
    st.markdown("**Your Heuer scores beside the case's Bayesian posterior:**")
    st.dataframe(
        heuer_beside_bayes(view, mine), hide_index=True, width="stretch", column_config=SCORE_HELP
    )
    _student_posterior(view, ratings)
    st.button("Start again", key="exercise_reset", on_click=_reset_exercise)
    return True


def student_analysis(view: View, ratings: dict[tuple[str, str], str]) -> Analysis:
    """The engine's exact analysis of the case with the student's ratings as its numbers.

    Each rating stands for its likelihood on the documented scale (RATING_LIKELIHOOD);
    priors and source credibilities stay the case's.
    """
    return analyze(with_ratings(view.case, ratings, likelihoods=True), view.analysis.yardstick)


def posteriors_side_by_side(view: View, student: Analysis) -> pd.DataFrame:
    """Per hypothesis: the posterior the student's ratings imply beside the case's."""
    case_words, student_words = view.analysis.words(), student.words()
    return pd.DataFrame(
        [
            {
                "Hypothesis": h.label,
                "Your ratings imply": student.percent(k),
                "Your words": student_words[k],
                "The case's posterior": view.analysis.percent(k),
                "The case's words": case_words[k],
            }
            for k, h in enumerate(view.case.hypotheses)
        ]
    )


def leader_sentence(view: View, student: Analysis) -> str:
    """Whether the student's leading hypothesis is the case's, in one sentence."""
    labels = [h.label for h in view.case.hypotheses]
    mine, theirs = student.leader, view.analysis.leader
    top = [k for k, p in enumerate(student.posterior) if student.posterior[mine] - p < TIE]
    if len(top) > 1:
        tied = ", ".join(f"**{esc(labels[k])}**" for k in top)
        return (
            f"Your ratings single out no hypothesis: {tied} tie at {student.percent(mine)} "
            f"({student.words()[mine]}), while the case's analysis favours "
            f"**{esc(labels[theirs])}** ({view.analysis.words()[theirs]}, "
            f"{view.analysis.percent(theirs)})."
        )
    yours = (
        f"Your ratings make **{esc(labels[mine])}** the leading hypothesis "
        f"({student.words()[mine]}, {student.percent(mine)})"
    )
    if mine == theirs:
        return yours + ", as the case's analysis does."
    return (
        yours + f", but the case's analysis favours **{esc(labels[theirs])}** "
        f"({view.analysis.words()[theirs]}, {view.analysis.percent(theirs)})."
    )


def _student_posterior(view: View, ratings: dict[tuple[str, str], str]) -> None:
    student = student_analysis(view, ratings)
    st.markdown(f"**The Bayesian posterior your ratings imply** (in {words_title(view)} words):")
    st.dataframe(posteriors_side_by_side(view, student), hide_index=True, width="stretch")
    st.markdown(leader_sentence(view, student), unsafe_allow_html=True)
    scale = ", ".join(f"{r} = {RATING_LIKELIHOOD[r]:g}" for r in RATINGS)
    st.caption(
        "Each of your ratings is read as a likelihood on the tool's documented scale "
        f"({scale}; an empty cell counts as N), with the case's priors and source "
        "credibilities, and run through the same engine as the case."
    )


def _reset_exercise() -> None:
    st.session_state[EXERCISE_DONE] = False
    st.session_state[EXERCISE_GENERATION] = st.session_state.get(EXERCISE_GENERATION, 0) + 1


def show(view: View) -> None:
    st.header("Learn: Heuer's eight steps")
    st.caption(
        "Richards Heuer's Analysis of Competing Hypotheses, walked through on the open case, "
        "with the classic inconsistency count beside the Bayesian posterior."
    )
    if st.toggle("Exercise mode: rate the matrix yourself first", key=EXERCISE):
        if not _exercise(view):
            return
        st.divider()
    step = st.radio("Step", STEPS, horizontal=True, key=STEP_KEY)
    _step(view, step or STEPS[0])
    back, forward, _ = st.columns([1, 1, 6])
    back.button("Previous", key="learn_prev", on_click=_go, args=(-1,), disabled=step == STEPS[0])
    forward.button("Next", key="learn_next", on_click=_go, args=(1,), disabled=step == STEPS[-1])
    if step != "Tentative conclusions":
        st.divider()
        st.subheader("Heuer beside Bayes")
        side_by_side(view)


def side_by_side(view: View) -> None:
    """Heuer's scores and the Bayesian posterior next to each other, then why they differ."""
    from analysis.report.charts import posterior_chart

    scores, posterior = st.columns(2, gap="medium")
    with scores:
        st.markdown("**Heuer: inconsistencies against each hypothesis** (fewest wins)")
        table = heuer_beside_bayes(view)
        st.dataframe(
            table[["Hypothesis", "Inconsistency", "Weighted", "Heuer rank"]],
            hide_index=True,
            width="stretch",
            column_config=SCORE_HELP,
        )
    with posterior:
        st.markdown("**Bayes: posterior probability**")
        show_chart(posterior_chart(view.analysis, width=380))
    _disagreement(view)
