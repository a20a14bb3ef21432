"""The biases ACH counters, each shown on the seed case's own items.

Where the case data can say which items show a bias (the earliest report, items
expected under every hypothesis, several items from one source, the item that favours
the leader most, the indicator most worth watching), the example is computed; where it
takes a reader's judgment (which item is vivid, which one reports an absence) the item
ids are named here and their claims read from the case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.engine.analyzer import Analysis
from analysis.scales import estimative_word, format_percent

#: items of the seed case that take a reader's judgment to pick out
VIVID_ITEMS = ("photos-possible-f7",)
ABSENCE_ITEMS = ("jcs-channel-unstated",)
#: an item counts as expected under every hypothesis below this diagnosticity (dB)
FLAT_DB = 1.0
FITS = 0.6  # and with every likelihood at least this


@dataclass(frozen=True)
class Bias:
    id: str
    name: str
    what: str
    counter: str
    #: how it shows on the case: markdown naming the items
    example: str
    items: tuple[str, ...]


def _ids(analysis: Analysis, wanted: tuple[str, ...]) -> list[int]:
    ids = [item.id for item in analysis.case.evidence]
    return [ids.index(w) for w in wanted if w in ids]


def _claims(analysis: Analysis, rows: list[int]) -> str:
    case = analysis.case
    parts = []
    for i in rows:
        item = case.evidence[i]
        claim = item.claim.rstrip(".")
        parts.append(f"'{item.id}' ({analysis.diagnosticity[i]:.1f} dB): “{claim}”")
    return "; ".join(parts)


def _confirmation(analysis: Analysis) -> Bias:
    flat = [
        i
        for i in range(len(analysis.case.evidence))
        if analysis.diagnosticity[i] < FLAT_DB and analysis.likelihood[i].min() >= FITS
    ][:3]
    return Bias(
        "confirmation", "Confirmation bias",
        "Seeing evidence that fits a favoured hypothesis as support for it.",
        "Rate each item against every hypothesis and work to reject: an item that fits "
        "everything supports nothing.",
        "These items fit every hypothesis, so a believer in any one of them reads them as "
        "support: " + _claims(analysis, flat) + ".",
        tuple(analysis.case.evidence[i].id for i in flat),
    )  # fmt: skip


def _anchoring(analysis: Analysis) -> Bias:
    case = analysis.case
    first = int(analysis.trajectory_order[0])
    labels = [h.label for h in case.hypotheses]
    early = analysis.trajectory[0]
    k = int(early.argmax())
    return Bias(
        "anchoring", "Anchoring",
        "Letting the first report or number set the frame that later evidence only adjusts.",
        "Write down every hypothesis before weighing anything, and let each item move all "
        "of them; watch the trajectory, not the first impression.",
        f"The first report, '{case.evidence[first].id}' (“{case.evidence[first].claim}”), alone "
        f"puts {labels[k]} at {format_percent(early[k])}; with all the evidence it is at "
        f"{format_percent(analysis.posterior[k])}, and {labels[analysis.leader]} leads.",
        (case.evidence[first].id,),
    )  # fmt: skip


def _vividness(analysis: Analysis) -> Bias:
    case = analysis.case
    labels = [h.label for h in case.hypotheses]
    rows = _ids(analysis, VIVID_ITEMS)
    leader, rival = analysis.leader, analysis.runner_up
    # what each item says about the two leading hypotheses, in dB
    between = np.abs(analysis.weight_of_evidence(leader, rival))
    separating = int(np.argmax(between)) if len(between) else 0
    vivid = max((between[i] for i in rows), default=0.0)
    if separating in rows:
        verdict = "the most of any item, so here the striking item is also the weighty one"
    else:
        item = case.evidence[separating]
        verdict = (
            f"what separates them most is a duller report, '{item.id}' "
            f"({between[separating]:.1f} dB): “{item.claim.rstrip('.')}”"
        )
    return Bias(
        "vividness", "Vividness",
        "Giving concrete, striking evidence (a photograph, a first-hand story) more weight "
        "than dull but more diagnostic evidence.",
        "Weigh each item by how much more expected it is under one hypothesis than another, "
        "whatever it looks like.",
        "Photographs grab attention: " + _claims(analysis, rows) + ". That weight sets "
        f"the {len(labels)} hypotheses apart, but between the two leading ones, "
        f"{labels[leader]} and {labels[rival]}, they weigh {vivid:.1f} dB; {verdict}.",
        tuple(case.evidence[i].id for i in rows),
    )  # fmt: skip


def _absence(analysis: Analysis) -> Bias:
    rows = _ids(analysis, ABSENCE_ITEMS)
    return Bias(
        "absence", "Absence of evidence",
        "Overlooking what is missing, or reading silence as proof.",
        "Ask what each hypothesis predicts you should see and did not; rate the absence "
        "as an item, with the odds that you would have heard of it.",
        "Something not said is an item too: " + _claims(analysis, rows) + ".",
        tuple(analysis.case.evidence[i].id for i in rows),
    )  # fmt: skip


def _circular(analysis: Analysis) -> Bias:
    load = max(analysis.sources, key=lambda s: len(s.items))
    rows = list(load.items)[:4]
    return Bias(
        "circular", "Circular reporting",
        "Counting one observation several times because several reports repeat it.",
        "Trace each report to its origin; items resting on one observation are one piece "
        "of evidence, and a linchpin check shows how much the conclusion leans on it.",
        f"{len(load.items)} items rest on '{load.name}': " + _claims(analysis, rows) + ". "
        "If they echo one observation, each still multiplies the odds as if independent.",
        tuple(analysis.case.evidence[i].id for i in rows),
    )  # fmt: skip


def _satisficing(analysis: Analysis) -> Bias:
    case = analysis.case
    labels = [h.label for h in case.hypotheses]
    first = next((h for h in range(len(labels)) if h != analysis.leader), analysis.leader)
    fits = np.flatnonzero(analysis.likelihood[:, first] >= FITS)
    shared = [int(i) for i in fits if analysis.likelihood[i, analysis.leader] >= FITS]
    # the items that fit the two most alike first (the likelihood ratio nearest 1)
    ratio = np.abs(np.log(analysis.likelihood[:, first] / analysis.likelihood[:, analysis.leader]))
    alike = sorted(shared, key=lambda i: ratio[i])[:2]
    listed = " (listed first)" if first == 0 else ""
    return Bias(
        "satisficing", "Satisficing",
        "Settling on the first hypothesis that fits the evidence well enough, without "
        "asking how well the same evidence fits the others.",
        "Fill the matrix across each row, one item against every hypothesis, before "
        "choosing; an item that fits two hypotheses alike cannot choose between them.",
        f"Read down its column alone, {labels[first]}{listed} fits {len(fits)} of the "
        f"{len(case.evidence)} items (a likelihood of {FITS:g} or more); {len(shared)} of "
        f"them fit {labels[analysis.leader]} as well, and with every item weighed across "
        f"the rows it is {labels[analysis.leader]} that leads, at "
        f"{format_percent(analysis.posterior[analysis.leader])} against "
        f"{format_percent(analysis.posterior[first])}. Two that fit both alike: "
        + _claims(analysis, alike) + ".",
        tuple(case.evidence[i].id for i in alike),
    )  # fmt: skip


def _overconfidence(analysis: Analysis) -> Bias:
    case = analysis.case
    labels = [h.label for h in case.hypotheses]
    leader, rival = analysis.leader, analysis.runner_up
    weight = analysis.weight_of_evidence(leader, rival)
    strongest = int(np.argmax(weight)) if len(weight) else 0
    reasons = "; ".join(rule.plain or rule.reason for rule in analysis.confidence.reasons)
    word = estimative_word(analysis.posterior[leader], analysis.yardstick)
    return Bias(
        "overconfidence", "Overconfidence",
        "Stating a judgment more surely than its evidence allows: reading the leading "
        "hypothesis as the answer, or letting the probability stand in for how good the "
        "evidence is.",
        "Give two statements: the probability in an estimative phrase, and the confidence "
        "the evidence base earns (its independent sources, its linchpins), each on its own.",
        f"{labels[leader]} leads at {format_percent(analysis.posterior[leader])}, which the "
        f"yardstick calls “{word}”, "
        f"ahead of {labels[rival]} at {format_percent(analysis.posterior[rival])}, and "
        f"confidence is {analysis.confidence.level}: {reasons}. The item that favours it "
        f"most over {labels[rival]} is " + _claims(analysis, [strongest]) + ".",
        (case.evidence[strongest].id,),
    )  # fmt: skip


def _premature_closure(analysis: Analysis) -> Bias:
    labels = [h.label for h in analysis.case.hypotheses]
    top = analysis.indicators[0]
    seen, unseen = int(np.argmax(top.if_seen)), int(np.argmax(top.if_not_seen))
    claim = top.item.claim.rstrip(".")
    return Bias(
        "premature-closure", "Premature closure",
        "Treating a judgment as settled, and so no longer looking for what would overturn it.",
        "Before concluding, name the indicators that would change the answer, watch the "
        "most informative ones, and weigh each again when it is seen or fails to appear.",
        f"The indicator most worth watching is '{top.item.id}' (“{claim}”, "
        f"{top.expected_information_bits:.2f} bits): seen, it would put {labels[seen]} at "
        f"{format_percent(top.if_seen[seen])}; not seen, {labels[unseen]} would lead at "
        f"{format_percent(top.if_not_seen[unseen])}. Today {labels[analysis.leader]} leads "
        f"at {format_percent(analysis.posterior[analysis.leader])}.",
        (top.item.id,),
    )  # fmt: skip


BIASES = {
    "confirmation": _confirmation,
    "anchoring": _anchoring,
    "vividness": _vividness,
    "absence": _absence,
    "circular": _circular,
    "satisficing": _satisficing,
    "overconfidence": _overconfidence,
    "premature-closure": _premature_closure,
}


def bias(bias_id: str, analysis: Analysis) -> Bias:
    """Bias ``bias_id`` shown on ``analysis`` (of the seed case)."""
    return BIASES[bias_id](analysis)
