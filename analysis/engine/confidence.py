"""Analytic confidence (low / moderate / high) from documented rules.

Confidence describes the evidence base behind the leading judgment, not its
probability: ICD 203 keeps the two in separate sentences. Every rule below may cap
the level; the result is the lowest cap (``high`` when none applies).

1. **Breadth** — how many independent sources favour the leader over the runner-up
   by at least :data:`SUPPORT_DB` decibans, counting each source once however many
   items it gave: fewer than 2 caps at *low*, fewer than 3 at *moderate*.
2. **Linchpins** — an item whose removal changes the leader: one caps at
   *moderate*, two or more at *low*.
3. **Concentration** — one source carrying at least :data:`CONCENTRATION_SHARE`
   of the weight separating leader and runner-up caps at *moderate*.
4. **Source quality** — if the weight-averaged credibility of the items behind the
   leader is under :data:`QUALITY_FLOOR`, cap at *moderate* (not applied when no item
   favours the leader).
5. **Interval width** (only when the uncertainty run is present) — if the leader's
   90% interval overlaps the runner-up's, cap at *low*; if it is wider than
   :data:`WIDE_INTERVAL`, cap at *moderate*.

Each :class:`Rule` gives its finding twice: ``reason`` for analysts (counts and
shares) and ``plain`` for a reader of the brief (plain words naming the sources the
rule looked at, which are also in ``sources``).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.wording import count, joined

LEVELS = ("low", "moderate", "high")
SUPPORT_DB = 1.0
CONCENTRATION_SHARE = 0.5
QUALITY_FLOOR = 0.6
WIDE_INTERVAL = 0.3


@dataclass(frozen=True)
class Rule:
    """One confidence rule as applied to a case."""

    name: str
    cap: str  # the level this rule allows at most ("high" when it does not bite)
    reason: str
    #: the same finding in plain words for a decision maker, naming its sources
    plain: str = ""
    #: the names of the sources the finding rests on
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Confidence:
    level: str
    rules: tuple[Rule, ...]

    @property
    def limiting(self) -> tuple[Rule, ...]:
        """The rules that set the level (empty when confidence is high)."""
        return tuple(r for r in self.rules if r.cap == self.level and r.cap != "high")

    @property
    def reasons(self) -> tuple[Rule, ...]:
        """The rules that explain the level to a reader: the limiting ones, or, when
        confidence is high, the breadth of support that earns it."""
        return self.limiting or tuple(r for r in self.rules if r.name == "breadth")


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _names(names: tuple[str, ...], most: int = 3) -> str:
    """``A``, ``A and B``, ``A, B, C and 2 others``."""
    if len(names) <= most:
        return joined(list(names))
    return ", ".join(names[:most]) + f" and {count(len(names) - most, 'other')}"


def _breadth_plain(names: tuple[str, ...]) -> str:
    n = len(names)
    if n == 0:
        return "no independent source clearly favours it over its nearest rival"
    noun = "independent source" if n == 1 else "independent sources"
    verb = "favours" if n == 1 else "favour"
    only = "only " if n < 3 else ""
    return f"{only}{_number(n)} {noun}, {_names(names)}, clearly {verb} it over its nearest rival"


def _linchpin_plain(n: int, sources: tuple[str, ...]) -> str:
    if n == 0:
        return "no single report decides it"
    whose = f" (from {_names(sources)})" if sources else ""
    if n == 1:
        return f"it hangs on a single report{whose}: without it, another explanation would lead"
    return (
        f"it hangs on {_number(n)} single reports{whose}: without any one of them, another "
        "explanation would lead"
    )


def _quality_rule(credibility: float | None, names: tuple[str, ...]) -> Rule:
    if credibility is None:
        return Rule(
            "source quality",
            "high",
            "no evidence favours the leader (rule not applied)",
            "no evidence favours it",
        )
    weak = credibility < QUALITY_FLOOR
    who = f" ({_names(names)})" if names else ""
    return Rule(
        "source quality",
        _cap("moderate", weak),
        f"the evidence for the leader comes from sources of average credibility {credibility:.2f}",
        f"the sources behind it{who} are {'of doubtful' if weak else 'of fair'} reliability",
        names,
    )


def _cap(level: str, condition: bool) -> str:
    return level if condition else "high"


def assess_confidence(
    supporting_sources: int,
    linchpins: int,
    top_source_share: float,
    top_source_name: str,
    supporting_credibility: float | None,
    interval: tuple[float, float, float, float] | None = None,
    *,
    supporting_names: tuple[str, ...] = (),
    linchpin_sources: tuple[str, ...] = (),
    favouring_names: tuple[str, ...] = (),
) -> Confidence:
    """Apply the rules. ``interval`` is (leader low, leader high, runner low, runner high);
    ``supporting_names`` are the sources counted by the breadth rule (strongest first),
    ``linchpin_sources`` the sources of the linchpin items and ``favouring_names`` every
    source whose items on balance favour the leader (the plain words name them)."""
    breadth = "low" if supporting_sources < 2 else "moderate" if supporting_sources < 3 else "high"
    names = tuple(supporting_names)
    if len(names) != supporting_sources:  # no names given: say the count only
        names = ()
    concentrated = top_source_share >= CONCENTRATION_SHARE
    supporters = (
        count(supporting_sources, "independent source")
        if supporting_sources
        else "no independent source"
    )
    rules = [
        Rule(
            "breadth",
            breadth,
            f"{supporters} {'favour' if supporting_sources > 1 else 'favours'} the leading "
            "hypothesis",
            _breadth_plain(names)
            if names or not supporting_sources
            else f"{_number(supporting_sources)} independent sources clearly favour it",
            names,
        ),
        Rule(
            "linchpins",
            "low" if linchpins >= 2 else "moderate" if linchpins == 1 else "high",
            f"{count(linchpins, 'item')} would change the leading hypothesis if removed",
            _linchpin_plain(linchpins, tuple(linchpin_sources)),
            tuple(linchpin_sources),
        ),
        Rule(
            "concentration",
            _cap("moderate", concentrated),
            f"the largest share of the deciding weight from one source is "
            f"{100 * top_source_share:.0f}% ({top_source_name})",
            f"most of what separates it from the nearest alternative comes from one source, "
            f"{top_source_name}"
            if concentrated
            else "no one source carries most of the evidence",
            (top_source_name,) if concentrated else (),
        ),
        _quality_rule(supporting_credibility, tuple(favouring_names)),
    ]
    if interval is not None:
        lead_low, lead_high, _run_low, run_high = interval
        overlap = lead_low <= run_high
        width = lead_high - lead_low
        cap = "low" if overlap else _cap("moderate", width > WIDE_INTERVAL)
        rules.append(
            Rule(
                "interval width",
                cap,
                f"the leader's 90% interval is {100 * lead_low:.0f}-{100 * lead_high:.0f}%"
                + (" and overlaps the runner-up's" if overlap else ""),
                "allowing for the analysts' uncertainty about their own numbers, it may be no "
                "more probable than the nearest alternative"
                if overlap
                else "allowing for the analysts' uncertainty about their own numbers, its "
                f"probability could lie anywhere from {100 * lead_low:.0f}% to "
                f"{100 * lead_high:.0f}%",
            )
        )
    level = min((r.cap for r in rules), key=LEVELS.index)
    return Confidence(level, tuple(rules))
