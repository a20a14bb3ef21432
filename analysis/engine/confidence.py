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
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.wording import count

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


@dataclass(frozen=True)
class Confidence:
    level: str
    rules: tuple[Rule, ...]

    @property
    def limiting(self) -> tuple[Rule, ...]:
        """The rules that set the level (empty when confidence is high)."""
        return tuple(r for r in self.rules if r.cap == self.level and r.cap != "high")


def _quality_rule(credibility: float | None) -> Rule:
    if credibility is None:
        return Rule("source quality", "high", "no evidence favours the leader (rule not applied)")
    return Rule(
        "source quality",
        _cap("moderate", credibility < QUALITY_FLOOR),
        f"the evidence for the leader comes from sources of average credibility {credibility:.2f}",
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
) -> Confidence:
    """Apply the rules. ``interval`` is (leader low, leader high, runner low, runner high)."""
    breadth = "low" if supporting_sources < 2 else "moderate" if supporting_sources < 3 else "high"
    rules = [
        Rule(
            "breadth",
            breadth,
            f"{count(supporting_sources, 'independent source')} "
            f"{'favours' if supporting_sources == 1 else 'favour'} the leading hypothesis",
        ),
        Rule(
            "linchpins",
            "low" if linchpins >= 2 else "moderate" if linchpins == 1 else "high",
            f"{count(linchpins, 'item')} would change the leading hypothesis if removed",
        ),
        Rule(
            "concentration",
            _cap("moderate", top_source_share >= CONCENTRATION_SHARE),
            f"the largest share of the deciding weight from one source is "
            f"{100 * top_source_share:.0f}% ({top_source_name})",
        ),
        _quality_rule(supporting_credibility),
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
            )
        )
    level = min((r.cap for r in rules), key=LEVELS.index)
    return Confidence(level, tuple(rules))
