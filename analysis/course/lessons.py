"""The course's eight lessons as data: what each teaches, on which bundled case, and
which biases it shows. The exercises are built from the case itself
(:mod:`analysis.course.exercises`), so their answers follow the case files.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The teaching case most lessons use, and the seed case the biases are shown on.
TEACHING_CASE = "office-leak"
SEED_CASE = "nk-hamas"


@dataclass(frozen=True)
class Lesson:
    id: str
    number: int
    title: str
    case: str
    #: short paragraphs (markdown) read before the exercise
    teach: tuple[str, ...]
    #: the biases (ids in :mod:`analysis.course.biases`) this lesson shows
    biases: tuple[str, ...] = ()


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "hypotheses", 1, "Hypotheses", TEACHING_CASE,
        (
            "Analysis of Competing Hypotheses starts from a **set** of explanations, not a "
            "favourite. The set must be **mutually exclusive** (at most one can be true, so "
            "evidence for one is evidence against the others) and **exhaustive** (one of them "
            "must be true, so the probabilities add up to 1 and nothing true is left out).",
            "A set that overlaps counts the same possibility twice; a set that is not "
            "exhaustive makes the best of a bad lot look certain. When unsure, add a "
            "\"someone or something else\" hypothesis and let the evidence weigh it.",
            "Below is a first draft for the teaching case. Find what is wrong with it.",
        ),
        ("anchoring",),
    ),
    Lesson(
        "evidence", 2, "Evidence and sources", TEACHING_CASE,
        (
            "Every item is a **report** from a source. Tell apart an **observation** (a record "
            "or measurement the source made itself, such as a log), a **report** (the source "
            "passes on what someone saw or said), and an **opinion** (a judgment or "
            "inference, however expert).",
            "A source's **credibility** is the chance its report is accurate. In this tool a "
            "weak source caps how far any report of it can move the odds (Schum's cascade: a "
            "report from a source that is not accurate is as likely under every hypothesis).",
            "A report that *is* certain can still tell you little: a denial is certainly a "
            "denial, but it is what a guilty and an innocent party would both say.",
        ),
        ("vividness",),
    ),
    Lesson(
        "diagnosticity", 3, "Diagnosticity", TEACHING_CASE,
        (
            "For each item and each hypothesis ask one question: **if this hypothesis were "
            "true, how likely is this report?** Not \"does it support my view?\".",
            "An item is **diagnostic** when that answer differs between hypotheses. Evidence "
            "consistent with every hypothesis is worthless for choosing among them, however "
            "relevant it feels: it multiplies every hypothesis by the same factor.",
            "Small differences still count: items of under 1 dB each add up, so a long list "
            "of weak items can move the odds as much as one strong one.",
        ),
        ("absence",),
    ),
    Lesson(
        "matrix", 4, "The matrix", TEACHING_CASE,
        (
            "Now rate the whole teaching case: evidence down the side, hypotheses across. "
            "CC very consistent, C consistent, N neutral, I inconsistent, II very "
            "inconsistent, NA not applicable. Work **across each row** (one item against "
            "every hypothesis), not down a column: that keeps your eye on diagnosticity.",
            "A cell you leave blank counts as *not rated*. A rating on the wrong side of "
            "neutral (C where the case says I) is an error of **direction**; the right side "
            "but another strength (C where the case says CC) is an error of **degree**.",
        ),
        ("satisficing",),
    ),
    Lesson(
        "conclusions", 5, "Tentative conclusions", TEACHING_CASE,
        (
            "Work **to reject**, not to confirm: the hypothesis to keep is the one with the "
            "least evidence against it, not the one with the most for it. Heuer's score counts "
            "inconsistencies against each hypothesis (I = 1, II = 2; fewest wins).",
            "Bayes weighs every item by how much more expected it is under one hypothesis "
            "than another, consistent evidence included, and discounts weak sources. The two "
            "usually agree; when they do not, the reason is in particular items. The engine "
            "finds them.",
        ),
        ("confirmation",),
    ),
    Lesson(
        "sensitivity", 6, "Sensitivity", TEACHING_CASE,
        (
            "A conclusion is only as strong as the few items it hangs on. A **linchpin** is an "
            "item whose removal changes the leading hypothesis: check it first, and twice.",
            "The **key assumptions check**: list what must be true for the conclusion to hold, "
            "even what seems too obvious to say, and ask how you would know if it were false.",
            "**Deception and denial**: which items could an adversary have planted or hidden? "
            "Evidence that is easy to fake and decisive is where deception pays.",
        ),
        ("circular",),
    ),
    Lesson(
        "reporting", 7, "Reporting", TEACHING_CASE,
        (
            "Say how likely, and how sure, in **two** statements (ICD 203). The probability "
            "takes an **estimative phrase** from a fixed yardstick (\"likely\" is 55-80%). "
            "**Confidence** (low, moderate, high) says how good the evidence base is: how many "
            "independent sources, whether it rests on a linchpin, how credible the sources are.",
            "This tool sets confidence by rules, and the lowest cap wins: too few "
            "independent sources favouring the leader, a conclusion resting on linchpins, one "
            "source carrying most of the weight, or weak sources each cap it.",
            "\"Likely, with low confidence\" is a coherent judgment. Never let confidence leak "
            "into the probability (\"almost certainly, we think\") or the reverse.",
            "Lead with the bottom line: one sentence a reader can act on.",
        ),
        ("overconfidence",),
    ),
    Lesson(
        "milestones", 8, "Milestones", TEACHING_CASE,
        (
            "A judgment is provisional. **Indicators** are what you would expect to see next "
            "if one hypothesis were true; watching them tells you early if you are wrong.",
            "Rank them by **expected information**: how much, on average, seeing or not seeing "
            "the indicator would shrink the uncertainty (in bits). An indicator expected "
            "under every hypothesis is worth nothing to watch, like a non-diagnostic item.",
        ),
        ("premature-closure",),
    ),
)  # fmt: skip

LESSON_IDS: tuple[str, ...] = tuple(lesson.id for lesson in LESSONS)


def lesson(lesson_id: str) -> Lesson:
    return LESSONS[LESSON_IDS.index(lesson_id)]
