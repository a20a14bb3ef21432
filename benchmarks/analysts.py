"""Time several analysts' analysis on the bundled example (the README's performance table).

For ``nk-hamas`` with its bundled ``judgments/nk-hamas/`` analysts:

* the exact panel (every analyst's analysis, the linear pool, every disagreement's
  swing), median of 20;
* the ``bayes`` pool: its first run in this process (the model ``make`` stored at
  install, loaded), a re-sample after one judgment changes (the reference), then after
  an analyst sets a cell nobody had set and after an item is added to the case (new
  structures of the same size: new data for the same compiled model), as ratios to
  the re-sample (target: at most 2x, issue 11's bound for any edit), with R-hat and
  ESS and how many models were compiled after the first run (0 expected).

Run: .venv/bin/python benchmarks/analysts.py
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.case import Prob  # noqa: E402
from analysis.casefile.judgments import load_judgments  # noqa: E402
from analysis.casefile.loader import load_case  # noqa: E402
from analysis.engine.pooling import analyse_panel  # noqa: E402

CASE = "nk-hamas"


def main() -> None:
    case = load_case(CASE, ROOT)
    judgments = load_judgments(case, ROOT)
    cells = sum(
        len(j.likelihoods) + len(j.ratings) + len(j.credibility) for j in judgments.values()
    )
    print(f"{CASE}: {len(judgments)} analysts besides the case, {cells} judged cells")

    times = []
    for _ in range(20):
        start = time.perf_counter()
        panel = analyse_panel(case, judgments, "linear")
        times.append(time.perf_counter() - start)
    print(
        f"exact panel (analyses, linear pool, {len(panel.disagreements)} swings): "
        f"{1000 * statistics.median(times):.1f} ms median of 20"
    )

    from analysis.uncertainty import sampler

    def timed(label: str, panel_case, panel_judgments, seed: int):
        start = time.perf_counter()
        pooled = analyse_panel(panel_case, panel_judgments, "bayes", seed=seed).pooled
        seconds = time.perf_counter() - start
        print(
            f"bayes pool, {label}: {seconds:.2f} s "
            f"(R-hat {pooled.r_hat_max:.3f}, ESS {pooled.ess_min:.0f}, "
            f"{pooled.chains}x{pooled.draws} draws)"
        )
        return seconds, pooled

    before = len(sampler._CACHE)
    first, _ = timed("first run in this process", case, judgments, 0)
    origins = [m.origin for k, m in sampler._CACHE.items() if k[0] == "pool"]
    print(f"  the pool's compiled model came {'/'.join(origins) or 'from nowhere'}")
    name = sorted(judgments)[0]
    mine = judgments[name]
    changed = {**mine.credibility}
    source = next(iter(changed), case.sources[0].id)
    changed[source] = Prob(0.55 if changed.get(source, Prob(0.5)).value != 0.55 else 0.6)
    nudged = {**judgments, name: replace(mine, credibility=changed)}
    resample, p = timed("re-sample after one judgment changes (the reference)", case, nudged, 1)
    print("  sigma: " + ", ".join(f"{a} {s:.2f}" for a, s in p.sigma.items()))

    # a cell nobody set before: a new structure (one more latent value, one more reading)
    unset = next(
        (i.id, h)
        for i in case.evidence
        for h in case.hypothesis_ids
        if i.event is None and all((i.id, h) not in j.likelihoods for j in judgments.values())
    )
    more = {
        **nudged,
        name: replace(nudged[name], likelihoods={**mine.likelihoods, unset: Prob(0.3)}),
    }
    one_more, _ = timed(f"after {name} sets one more cell ({unset[0]} / {unset[1]})", case, more, 2)
    added = _with_added_item(case)
    grown, _ = timed("after an item is added to the case", added, more, 3)
    compiled_here = len(sampler._CACHE) - before - len(origins)
    print()
    print(f"{'what':58} {'ratio':>7}  target")
    print(f"{'first run / re-sample':58} {first / resample:6.2f}x  (none: loading, reported)")
    for label, seconds in (("one more judged cell", one_more), ("an added item", grown)):
        verdict = "met" if seconds <= 2 * resample else "NOT met"
        print(f"{label + ' / re-sample':58} {seconds / resample:6.2f}x  <= 2x: {verdict}")
    print(f"models compiled after the first run: {compiled_here} (0 expected)")


def _with_added_item(case):
    """``case`` with one more item, a copy of its first lone item under a new id."""
    from dataclasses import replace as copy

    item = next(i for i in case.evidence if i.event is None)
    return copy(case, evidence=(*case.evidence, copy(item, id=f"{item.id}-again")))


if __name__ == "__main__":
    main()
