"""Time the brief in each format and print the figures (target: under 3 s for the seed PDF).

"import" is loading the brief's modules (reportlab, python-docx, Altair, pandas).
"first call" is the first render of that format in a fresh process (the first PDF
also starts vl-convert's JavaScript engine and registers the fonts). "median" is over
later calls. PDF and DOCX hold the charts; Markdown gives their numbers as tables.
"charts" is the time spent rendering the four charts to PNG. The seed case runs without uncertainty;
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
    from analysis.report.brief.output import render
    from analysis.testing.synthetic import synthetic_case

    imported = time.perf_counter() - start

    cases = {
        "nk-hamas (seed)": analyze(load_case("nk-hamas", ROOT)),
        "synthetic K=8 N=60": analyze(synthetic_case(k=8, n=60, seed=3)),
    }
    print(f"import the brief and its dependencies: {imported:.2f} s")
    print(
        f"{'case':<20} {'format':<6} {'first call (s)':>15} {'median (s)':>11} "
        f"{'pages':>6} {'size (kB)':>10}"
    )
    for name, analysis in cases.items():
        for fmt in (".pdf", ".docx", ".md"):
            first = _seconds(lambda a=analysis, f=fmt: render(a, f))
            runs = [_seconds(lambda a=analysis, f=fmt: render(a, f)) for _ in range(args.repeat)]
            data = render(analysis, fmt)
            pages = str(len(PdfReader(BytesIO(data)).pages)) if fmt == ".pdf" else "-"
            print(
                f"{name:<20} {fmt:<6} {first:>15.2f} {statistics.median(runs):>11.2f} "
                f"{pages:>6} {len(data) / 1024:>10.0f}"
            )
        chart_time = statistics.median(
            _seconds(
                lambda a=analysis: [
                    charts.chart_png(c, scale=2.0)
                    for c in (
                        charts.posterior_chart(a, width=440),
                        charts.contribution_chart(a),
                        charts.waterfall_chart(a, top=12),
                        charts.trajectory_chart(a, width=420),
                    )
                ]
            )
            for _ in range(3)
        )
        print(f"{name:<20} charts to PNG (each PDF and DOCX): {chart_time:.2f} s")


if __name__ == "__main__":
    main()
