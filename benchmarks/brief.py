"""Time the brief in each format and print the figures (target: under 3 s for the seed PDF).

"import" is loading the brief's modules (reportlab, python-docx, Altair, pandas).
"first call" is the first render of that format in a fresh process (the first PDF
also starts vl-convert's JavaScript engine and registers the fonts). "median" is over
later calls. PDF and DOCX hold the charts; Markdown gives their numbers as tables.
"charts" is the time spent rendering the four charts to PNG. The seed case runs without
uncertainty, as ``ach brief`` makes it: with its key assumptions and its bundled analysts'
judgments ("Where analysts disagree"; the panel's own time is printed apart); the
60-item, 8-hypothesis synthetic case shows how a long brief scales. The ratios, printed in
the same run so they hold however busy the machine is: each format against the PDF, and
the seed brief with its analysts' sections against the same brief without them.

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
    from analysis.casefile.judgments import load_judgments
    from analysis.casefile.loader import load_case
    from analysis.engine.analyzer import analyze
    from analysis.engine.pooling import analyse_panel
    from analysis.report import charts
    from analysis.report.brief.output import render
    from analysis.testing.synthetic import synthetic_case

    imported = time.perf_counter() - start

    seed = load_case("nk-hamas", ROOT)
    start = time.perf_counter()
    panel = analyse_panel(seed, load_judgments(seed, ROOT))
    panel_time = time.perf_counter() - start
    cases = {
        "nk-hamas (seed)": (analyze(seed), panel),
        "synthetic K=8 N=60": (analyze(synthetic_case(k=8, n=60, seed=3)), None),
    }
    print(f"import the brief and its dependencies: {imported:.2f} s")
    print(f"seed case's analysts' panel ({len(panel.analysts)} analysts): {panel_time:.2f} s")
    print(
        f"{'case':<20} {'format':<6} {'first call (s)':>15} {'median (s)':>11} "
        f"{'pages':>6} {'size (kB)':>10}"
    )
    medians: dict[tuple[str, str], float] = {}
    for name, (analysis, judged) in cases.items():
        for fmt in (".pdf", ".docx", ".md"):
            medians[name, fmt] = _report(name, fmt, analysis, judged, args.repeat)
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
    name, analysis = "nk-hamas (seed)", cases["nk-hamas (seed)"][0]
    for fmt in (".pdf", ".docx", ".md"):
        judged, bare = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same load
            judged.append(_seconds(lambda f=fmt: render(analysis, f, panel=panel)))
            bare.append(_seconds(lambda f=fmt: render(analysis, f)))
        with_, without = statistics.median(judged), statistics.median(bare)
        print(
            f"ratio {name} {fmt}: with / without the analysts' sections "
            f"{with_ / without:.2f}x ({with_:.2f} s / {without:.2f} s)"
        )
    for name in cases:
        pdf = medians[name, ".pdf"]
        print(
            f"ratio {name}: DOCX / PDF {medians[name, '.docx'] / pdf:.2f}x, "
            f"Markdown / PDF {medians[name, '.md'] / pdf:.3f}x"
        )


def _report(name: str, fmt: str, analysis, panel, repeat: int) -> float:
    """Print one format's first call, median, pages and size; return the median."""
    from analysis.report.brief.output import render

    first = _seconds(lambda: render(analysis, fmt, panel=panel))
    runs = [_seconds(lambda: render(analysis, fmt, panel=panel)) for _ in range(repeat)]
    data = render(analysis, fmt, panel=panel)
    pages = str(len(PdfReader(BytesIO(data)).pages)) if fmt == ".pdf" else "-"
    median = statistics.median(runs)
    print(
        f"{name:<20} {fmt:<6} {first:>15.2f} {median:>11.2f} {pages:>6} {len(data) / 1024:>10.0f}"
    )
    return median


if __name__ == "__main__":
    main()
