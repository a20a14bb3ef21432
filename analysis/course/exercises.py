"""Each lesson's exercise, built from its bundled case and the engine's analysis of it.

Answers that follow from the case (the author's ratings, the linchpin, the estimative
phrase, the best indicator, why Heuer and Bayes part) are read from the case and the
:class:`~analysis.engine.analyzer.Analysis`, never written here; only the teaching
material (a flawed draft, what kind of report an item is) is data, keyed by item id.

Prompts, explanations and reveals are markdown: every piece of case text in them goes
through :func:`md` (shown as written, never as markup). Options and model answers are
plain text, which the page escapes whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.case import Case
from analysis.casefile.text import plain_markdown as md
from analysis.course.grading import Choice
from analysis.engine.analyzer import Analysis
from analysis.engine.heuer import heuer_best
from analysis.scales import YARDSTICKS, format_percent
from analysis.wording import estimative_opening

KINDS = ("observation", "report", "opinion")
#: what kind of report an item of the teaching case is, and why
ITEM_KINDS: dict[str, tuple[str, str]] = {
    "print-log": ("observation", "The print server recorded the job itself."),
    "analyst-on-leave": ("report", "Colleagues pass on what they recall, unchecked."),
    "analyst-loyal": ("opinion", "A judgment of character, not of anything seen."),
}
#: lesson 3: the row the student rates, and the items offered as possibly worthless
DIAGNOSTIC_ROW = "analyst-on-leave"
WORTHLESS_CANDIDATES = ("wide-distribution", "print-log", "manager-in-flight", "analyst-loyal")
#: lesson 6: the item whose key assumption is checked, and the one that might be planted
ASSUMPTION_ITEM = "print-log"
DECEPTION_ITEM = "manager-in-flight"
CONFIDENCE_LEVELS = ("low", "moderate", "high")
#: the labels the count-and-Bayes reasons go by (Disagreement.main_mechanism)
MECHANISM_OPTIONS = {
    "unseen": "Items that fit one hypothesis and are neutral for the other: the count "
    "cannot see them, Bayes weighs them",
    "counted": "The inconsistencies themselves: the count scores each alike, Bayes weighs "
    "them by likelihood and by the source's credibility",
    "prior": "The priors: Bayes starts from unequal prior probabilities",
    "none": "They do not differ on this case",
}


@dataclass(frozen=True)
class RatingTask:
    prompt: str
    #: the cells to rate, with the case's ratings as the key
    key: dict[tuple[str, str], str]
    rationale: dict[str, str]
    items: tuple[str, ...]


@dataclass(frozen=True)
class BottomLineTask:
    prompt: str
    leader_names: tuple[str, ...]
    phrase: str
    other_phrases: tuple[str, ...]
    model_answer: str


@dataclass(frozen=True)
class Exercise:
    choices: tuple[Choice, ...] = ()
    rating: RatingTask | None = None
    bottom_line: BottomLineTask | None = None
    #: markdown shown once the student has committed (the engine's own findings)
    reveal: tuple[str, ...] = field(default_factory=tuple)


def _index(case: Case, item_id: str) -> int | None:
    ids = [item.id for item in case.evidence]
    return ids.index(item_id) if item_id in ids else None


def case_key(analysis: Analysis, items: tuple[str, ...] | None = None) -> RatingTask:
    """The case's own ratings (given, or derived from its likelihoods) of ``items``."""
    case = analysis.case
    chosen = items or tuple(item.id for item in case.evidence)
    key, rationale = {}, {}
    for item_id in chosen:
        i = _index(case, item_id)
        if i is None:
            continue
        rationale[item_id] = case.evidence[i].rationale or ""
        for k, h in enumerate(case.hypothesis_ids):
            key[(item_id, h)] = str(analysis.heuer.ratings[i, k])
    present = tuple(item_id for item_id in chosen if _index(case, item_id) is not None)
    return RatingTask("", key, rationale, present)


def _hypotheses(analysis: Analysis) -> Exercise:
    case = analysis.case
    labels = [h.label for h in case.hypotheses]
    overlap = Choice(
        "overlap",
        "Draft: *the junior analyst*, *the department manager*, *the IT contractor*, "
        "*someone in the finance team*. The junior analyst works on the finance team; the "
        "manager and the contractor do not. Which two are **not mutually exclusive**?",
        (
            "The manager and the contractor",
            "The junior analyst and someone in the finance team",
            "The contractor and someone in the finance team",
            "None: all four exclude each other",
        ),
        1,
        "The junior analyst works in the finance team, so if the analyst did it, "
        "'someone in the finance team' is true too: the draft counts one possibility twice.",
    )
    exhaustive = Choice(
        "exhaustive",
        "Why is the draft **not exhaustive**?",
        (
            "It is exhaustive: every suspect is named",
            "The memo went to 40 staff and sat on a shared drive: someone not named could "
            "have sent it",
            "The contractor's access was revoked",
            "Exhaustive only matters when there are more than four hypotheses",
        ),
        1,
        "Forty people received the memo. A set of named suspects leaves out every other "
        "recipient, so whichever suspect scores best would look more certain than it is.",
    )
    repair = Choice(
        "repair",
        "Which repair gives a sound set?",
        (
            "Keep all four: overlap does no harm",
            "Replace 'someone in the finance team' with 'another recipient of the memo' "
            "(anyone else)",
            "Merge everything into 'an insider did it'",
            "Drop the contractor, whose access was revoked",
        ),
        1,
        "The catch-all makes the set exhaustive and, because it means *anyone else*, keeps "
        "it exclusive. Dropping a suspect because of one item is a conclusion, not a set-up.",
    )
    reveal = (
        "The bundled case's set: "
        + "; ".join(f"**{md(label)}**" for label in labels)
        + (". It ends with a catch-all." if len(labels) > 3 else ". It names three suspects."),
    )
    return Exercise((overlap, exhaustive, repair), reveal=reveal)


def _evidence(analysis: Analysis) -> Exercise:
    case = analysis.case
    choices = []
    for item_id, (kind, why) in ITEM_KINDS.items():
        i = _index(case, item_id)
        if i is None:
            continue
        item = case.evidence[i]
        source = case.source_by_id[item.source].name if item.source else "no source"
        choices.append(
            Choice(
                f"kind-{item_id}",
                f"*{md(item.claim)}* ({md(source)}). Observation, report or opinion?",
                KINDS,
                KINDS.index(kind),
                why,
            )
        )
    weak = min(case.sources, key=lambda s: s.credibility.value)
    choices.append(
        Choice(
            "credibility",
            f"'{md(weak.name)}' has credibility {weak.credibility.describe()}. What does that do "
            "to its reports?",
            (
                "Nothing: the likelihoods decide",
                "Each of its reports can move the odds only a little, whatever its likelihoods",
                "Its reports count as evidence against the hypotheses they mention",
                "Its reports are dropped",
            ),
            1,
            "A report from a source that is not accurate is as likely under every hypothesis, "
            "so a low credibility pulls each likelihood towards the item's average.",
        )
    )
    return Exercise(tuple(choices))


def _diagnosticity(analysis: Analysis) -> Exercise:
    case = analysis.case
    task = case_key(analysis, (DIAGNOSTIC_ROW,))
    i = _index(case, DIAGNOSTIC_ROW)
    claim = case.evidence[i].claim if i is not None else ""
    rating = RatingTask(
        f"*{md(claim)}* For each hypothesis: **if it were true, how likely is this report?**",
        task.key,
        task.rationale,
        task.items,
    )
    offered = [c for c in WORTHLESS_CANDIDATES if _index(case, c) is not None]
    db = {c: float(analysis.diagnosticity[_index(case, c)]) for c in offered}
    worst = min(offered, key=db.get)
    worthless = Choice(
        "worthless",
        "Which of these items is worthless for telling the hypotheses apart?",
        tuple(case.evidence[_index(case, c)].claim for c in offered),
        offered.index(worst),
        "Diagnosticity (the largest weight of evidence between any two hypotheses): "
        + "; ".join(f"'{md(c)}' {db[c]:.1f} dB" for c in offered)
        + ". An item as expected under every hypothesis multiplies each by the same factor.",
    )
    return Exercise((worthless,), rating=rating)


def _matrix(analysis: Analysis) -> Exercise:
    task = case_key(analysis)
    prompt = "Rate every cell: if this hypothesis were true, how likely is this report?"
    return Exercise(rating=RatingTask(prompt, task.key, task.rationale, task.items))


def _conclusions(analysis: Analysis) -> Exercise:
    labels = [h.label for h in analysis.case.hypotheses]
    best = heuer_best(analysis.heuer)
    tie = "They tie"
    fewest = Choice(
        "fewest",
        "Counting inconsistencies in the case's matrix (I = 1, II = 2, weighted by credibility "
        "and relevance), which hypothesis has the **fewest** against it?",
        (*labels, tie),
        len(labels) if len(best) > 1 else best[0],
        "Heuer's weighted scores: "
        + "; ".join(
            f"{md(labels[k])} {analysis.heuer.weighted_inconsistency[k]:.1f}"
            for k in range(len(labels))
        )
        + ".",
    )
    disagreement = analysis.disagreement
    kind = disagreement.main_mechanism if disagreement else "none"
    keys = list(MECHANISM_OPTIONS)
    why = Choice(
        "why",
        f"Bayes puts **{md(labels[analysis.leader])}** first "
        f"({analysis.percent(analysis.leader)}). "
        "What decides the difference between counting and Bayes on this case?",
        tuple(MECHANISM_OPTIONS.values()),
        keys.index(kind),
        (
            md(disagreement.explanation)
            if disagreement
            else "Counting and Bayes pick the same leader."
        ),
    )
    return Exercise((fewest, why))


def _sensitivity(analysis: Analysis) -> Exercise:
    case = analysis.case
    labels = [h.label for h in case.hypotheses]
    linchpins = analysis.linchpin_items
    strongest = [int(i) for i in analysis.by_diagnosticity]
    offered = (linchpins[:1] + [i for i in strongest if i not in linchpins])[:4]
    offered.sort()
    none = "None: no single item changes the leader"
    linchpin = Choice(
        "linchpin",
        "Which single item, left out, changes the leading hypothesis?",
        (*(f"'{case.evidence[i].id}': {case.evidence[i].claim}" for i in offered), none),
        offered.index(linchpins[0]) if linchpins else len(offered),
        "; ".join(
            f"without '{md(case.evidence[i].id)}' {md(labels[analysis.leader_without(i)])}"
            f" leads ({format_percent(analysis.posterior_without[i].max())})"
            for i in offered
        )
        + ".",
    )
    choices = [linchpin]
    if _index(case, ASSUMPTION_ITEM) is not None:
        choices.append(
            Choice(
                "assumption",
                f"'{ASSUMPTION_ITEM}' counts for the analyst only if an assumption holds. "
                "Which one?",
                (
                    "The analyst had a motive",
                    "The log shows who stood at the printer, not only whose account sent the job",
                    "The memo was marked confidential",
                    "The newspaper printed the memo in full",
                ),
                1,
                "A print log records an account. If the analyst's login or a shared printer "
                "queue could be used by others, the item says much less than its CC rating.",
            )
        )
    d = _index(case, DECEPTION_ITEM)
    if d is not None:
        after = analysis.leader_without(d)
        choices.append(
            Choice(
                "deception",
                f"Suppose '{DECEPTION_ITEM}' is a planted alibi (a booking is easy to make and "
                "proves no boarding). Set it aside: which hypothesis leads?",
                tuple(labels),
                after,
                "Without it: "
                + "; ".join(
                    f"{md(labels[k])} {format_percent(analysis.posterior_without[d][k])}"
                    for k in range(len(labels))
                )
                + ".",
            )
        )
    return Exercise(tuple(choices))


def _reporting(analysis: Analysis) -> Exercise:
    case = analysis.case
    k = analysis.leader
    label = case.hypotheses[k].label
    phrases = tuple(phrase for _, phrase in YARDSTICKS[analysis.yardstick])
    word = analysis.words()[k]
    phrase = Choice(
        "phrase",
        f"Bayes gives **{md(label)}** {analysis.percent(k)}. Which estimative phrase fits?",
        phrases,
        phrases.index(word),
        f"{analysis.percent(k)} falls in the band of '{word}'.",
    )
    rules = "; ".join(f"{md(r.name)}: {md(r.reason)}" for r in analysis.confidence.rules)
    confidence = Choice(
        "confidence",
        "The evidence behind it: " + rules + ". What confidence does that support?",
        CONFIDENCE_LEVELS,
        CONFIDENCE_LEVELS.index(analysis.confidence.level),
        "The lowest cap of the confidence rules wins: "
        + (
            "; ".join(f"{md(r.name)} caps at {r.cap}" for r in analysis.confidence.limiting)
            or "none caps it"
        )
        + ".",
    )
    # one sentence, as the task asks (it once added the confidence sentence, and so
    # failed its own grading); confidence is the question above
    opening = estimative_opening(word)
    model = f"{opening} ({analysis.percent(k)}) that the {label.lower()} leaked the memo."
    task = BottomLineTask(
        "Write the bottom line in **one sentence**: the likeliest answer and how likely.",
        (label, case.hypotheses[k].id),
        word,
        phrases,
        model,
    )
    return Exercise((phrase, confidence), bottom_line=task)


def _milestones(analysis: Analysis) -> Exercise:
    labels = [h.label for h in analysis.case.hypotheses]
    ranked = analysis.indicators
    if not ranked:
        return Exercise(reveal=("This case lists no indicators.",))
    order = sorted(range(len(ranked)), key=lambda j: ranked[j].item.id)
    best = Choice(
        "best",
        "Which indicator is most worth watching (the most expected information)?",
        tuple(ranked[j].item.claim for j in order),
        order.index(0),
        "; ".join(f"'{md(ind.item.id)}' {ind.expected_information_bits:.2f} bits" for ind in ranked)
        + ".",
    )
    top = ranked[-1]  # not the best one: naming it would give the first answer away
    seen = int(top.if_seen.argmax())
    if_seen = Choice(
        "if-seen",
        f"If '{md(top.item.id)}' were seen, which hypothesis would lead?",
        tuple(labels),
        seen,
        "If seen: "
        + "; ".join(f"{md(labels[k])} {format_percent(top.if_seen[k])}" for k in range(len(labels)))
        + "; if not seen: "
        + "; ".join(
            f"{md(labels[k])} {format_percent(top.if_not_seen[k])}" for k in range(len(labels))
        )
        + ".",
    )
    return Exercise((best, if_seen))


BUILDERS = {
    "hypotheses": _hypotheses,
    "evidence": _evidence,
    "diagnosticity": _diagnosticity,
    "matrix": _matrix,
    "conclusions": _conclusions,
    "sensitivity": _sensitivity,
    "reporting": _reporting,
    "milestones": _milestones,
}


def exercise(lesson_id: str, analysis: Analysis) -> Exercise:
    """The exercise of lesson ``lesson_id`` on ``analysis`` (of the lesson's case)."""
    return BUILDERS[lesson_id](analysis)
