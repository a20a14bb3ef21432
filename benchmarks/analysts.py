"""Time several analysts' analysis on the bundled example (the README's performance table).

For ``nk-hamas`` with its bundled ``judgments/nk-hamas/`` analysts:

* the exact panel (every analyst's analysis, the linear pool, every disagreement's
  swing), median of 20;
* the ``bayes`` pool's first run in this process (building the PyMC model and nutpie's
  compile included), then a re-sample after one judgment changes (the compiled model is
  reused), with R-hat and ESS.

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

    start = time.perf_counter()
    first = analyse_panel(case, judgments, "bayes", seed=0)
    seconds = time.perf_counter() - start
    p = first.pooled
    print(
        f"bayes pool, first run in this process (compile included): {seconds:.1f} s "
        f"(R-hat {p.r_hat_max:.3f}, ESS {p.ess_min:.0f}, {p.chains}x{p.draws} draws)"
    )

    name = sorted(judgments)[0]
    mine = judgments[name]
    changed = {**mine.credibility}
    source = next(iter(changed), case.sources[0].id)
    changed[source] = Prob(0.55 if changed.get(source, Prob(0.5)).value != 0.55 else 0.6)
    nudged = {**judgments, name: replace(mine, credibility=changed)}
    if set(changed) != set(mine.credibility):
        print("(the nudge adds a cell, so the re-sample compiles a new structure)")
    start = time.perf_counter()
    again = analyse_panel(case, nudged, "bayes", seed=1)
    seconds = time.perf_counter() - start
    p = again.pooled
    print(
        f"bayes pool, re-sample after one judgment changes: {seconds:.2f} s "
        f"(R-hat {p.r_hat_max:.3f}, ESS {p.ess_min:.0f})"
    )
    print("sigma: " + ", ".join(f"{a} {s:.2f}" for a, s in p.sigma.items()))


if __name__ == "__main__":
    main()
