"""Wall time and peak memory of ``ach analyze --json``, as ratios (issue 11's targets).

Every figure is a median of fresh processes, measured side by side in one run:

* the import floor: ``python -c "import numpy, pydantic, yaml, typer, rich"``;
* the seed case (nk-hamas), and synthetic cases of 1000 and 5000 items x 10
  hypotheses written to a temporary folder;
* a deeply nested and a huge YAML file: each must fail with a located error (exit 2)
  in bounded time and memory.

Targets: seed <= 1.5x the floor; N=1000 <= 1.5x the seed; N=5000 <= 3x the seed.

Run: .venv/bin/python benchmarks/cli.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR = "import numpy, pydantic, yaml, typer, rich"
ACH = [sys.executable, "-m", "analysis.cli"]


#: a small parent that times its one child and reads the child's peak memory (a parent
#: that has built big cases would lend its own peak to a forked child)
_WRAP = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(seconds, peak, code)\n"
)


def run(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Seconds, peak resident memory (MB) and exit status of one fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    seconds, peak, code = out.stdout.split()
    return float(seconds), int(peak) / 1024, int(code)


def median_run(args: list[str], cwd: Path, repeat: int) -> tuple[float, float, int]:
    runs = [run(args, cwd) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        runs[-1][2],
    )


def write_synthetic(folder: Path, n: int, k: int = 10) -> str:
    from analysis.casefile.writer import dump_yaml
    from analysis.testing.synthetic import synthetic_case

    case = synthetic_case(k, n, seed=1)
    hyp, ev = dump_yaml(case)
    for sub, text in (("hypotheses", hyp), ("evidence", ev)):
        (folder / sub).mkdir(exist_ok=True)
        (folder / sub / f"{case.name}.yaml").write_text(text, encoding="utf-8")
    return case.name


def write_hostile(folder: Path) -> dict[str, str]:
    """A case whose evidence file nests 100 000 deep, and one of 60 MB."""
    seed_hyp = (ROOT / "hypotheses" / "nk-hamas.yaml").read_text(encoding="utf-8")
    for sub in ("hypotheses", "evidence"):
        (folder / sub).mkdir(exist_ok=True)
    files = {
        "deep": "evidence:\n  - " + "[" * 100_000 + "]" * 100_000 + "\n",
        "huge": "evidence:\n" + "  - {id: x, claim: " + "y" * 60_000_000 + "}\n",
    }
    for name, text in files.items():
        (folder / "hypotheses" / f"{name}.yaml").write_text(seed_hyp, encoding="utf-8")
        (folder / "evidence" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return {name: name for name in files}


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = {n: write_synthetic(folder, n) for n in (1000, 5000)}
        hostile = write_hostile(folder)
        run([sys.executable, "-c", FLOOR], ROOT)  # warm the file cache
        floor = median_run([sys.executable, "-c", FLOOR], ROOT, args.repeat)
        seed = median_run([*ACH, "analyze", "nk-hamas", "--json"], ROOT, args.repeat)
        sizes = {
            n: median_run(
                [*ACH, "analyze", name, "--json", "--root", str(folder)], folder, args.repeat
            )
            for n, name in names.items()
        }
        bad = {
            what: run([*ACH, "analyze", name, "--json", "--root", str(folder)], folder)
            for what, name in hostile.items()
        }
    print(f"{'what':<44} {'median (s)':>10} {'peak (MB)':>10} {'ratio':>7}  target")
    print(f"{'import floor (' + FLOOR[7:27] + '...)':<44} {floor[0]:>10.2f} {floor[1]:>10.0f}")
    ratio = seed[0] / floor[0]
    print(
        f"{'ach analyze --json, seed (23 x 4)':<44} {seed[0]:>10.2f} {seed[1]:>10.0f} "
        f"{ratio:>6.2f}x  <= 1.5x the floor: {verdict(ratio, 1.5)}"
    )
    for n, target in ((1000, 1.5), (5000, 3.0)):
        seconds, peak, status = sizes[n]
        ratio = seconds / seed[0]
        label = f"ach analyze --json, synthetic {n} x 10"
        ok = verdict(ratio, target) if status == 0 else f"exit {status}"
        print(
            f"{label:<44} {seconds:>10.2f} {peak:>10.0f} {ratio:>6.2f}x  "
            f"<= {target:g}x the seed: {ok}"
        )
    for what, (seconds, peak, status) in bad.items():
        label = f"{what} YAML (located error expected)"
        print(
            f"{label:<44} {seconds:>10.2f} {peak:>10.0f} {seconds / seed[0]:>6.2f}x  "
            f"exit {status} (2 expected): {'met' if status == 2 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
