"""Time PDF brief generation and print the figures (target: under 3 s for the seed case).

"import" is loading ``analysis.brief`` (reportlab, Altair, pandas). "first call" is
the first ``render_brief`` in a fresh process: it also starts vl-convert's JavaScript
engine and registers the fonts. "median" is over later calls. "charts" is the share
spent rendering the four charts to PNG. The seed case runs without uncertainty;
the 60-item, 8-hypothesis synthetic case shows how a long brief scales.

Run: .venv/bin/python benchmarks/brief.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent


def _seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs after the first")
    args = parser.parse_args()

    start = time.perf_counter()
    from analysis.casefile.loader import load_case
    from analysis.engine.analyzer import analyze
    from analysis.report import charts
    from analysis.report.brief.pdf import render_brief
    from analysis.testing.synthetic import synthetic_case

    imported = time.perf_counter() - start

    cases = {
        "nk-hamas (seed)": analyze(load_case("nk-hamas", ROOT)),
        "synthetic K=8 N=60": analyze(synthetic_case(k=8, n=60, seed=3)),
    }
    print(f"import analysis.brief and its dependencies: {imported:.2f} s")
    print(
        f"{'case':<20} {'first call (s)':>15} {'median (s)':>11} {'charts (s)':>11} "
        f"{'pages':>6} {'size (kB)':>10}"
    )
    for name, analysis in cases.items():
        first = _seconds(lambda a=analysis: render_brief(a))
        runs = [_seconds(lambda a=analysis: render_brief(a)) for _ in range(args.repeat)]
        chart_time = statistics.median(
            _seconds(
                lambda a=analysis: [
                    charts.chart_png(c, scale=2.0)
                    for c in (
                        charts.posterior_chart(a, width=330),
                        charts.contribution_chart(a),
                        charts.waterfall_chart(a, top=12),
                        charts.trajectory_chart(a, width=420),
                    )
                ]
            )
            for _ in range(3)
        )
        data = render_brief(analysis)
        pages = len(PdfReader(BytesIO(data)).pages)
        print(
            f"{name:<20} {first:>15.2f} {statistics.median(runs):>11.2f} {chart_time:>11.2f} "
            f"{pages:>6} {len(data) / 1024:>10.0f}"
        )


if __name__ == "__main__":
    main()
