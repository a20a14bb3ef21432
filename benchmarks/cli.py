"""Wall time and peak memory of ``ach analyze --json``, as ratios (issue 11's targets).

Every figure is a median of fresh processes, measured side by side in one run and
interleaved (one process of each command per round), so a busy moment of a shared
machine falls on all of them alike. Each is given as wall time and as CPU time (user +
system of the process): on a machine other sessions share, the CPU ratios hold better.

* the import floor: ``python -c "import numpy, pydantic, yaml, typer, rich"``, and for
  information the same libraries loaded for use (pydantic's ``import`` alone is lazy)
  and running a bare typer command (typer 0.29 builds pydantic adapters per option);
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR = "import numpy, pydantic, yaml, typer, rich"
#: For information, the same libraries ready to use: pydantic 2's ``import pydantic`` is
#: lazy, so the issue's floor loads none of its models, validators or plugin loader
#: (``importlib.metadata``), which any program validating with pydantic pays.
LOADED = "import numpy, yaml, typer, rich; from pydantic import TypeAdapter; TypeAdapter(int)"
#: For information, the floor's libraries running the smallest typer command (three
#: options): typer 0.29 parses options with pydantic TypeAdapters, built when a command
#: runs, so its import alone (the floor) leaves out what any command of it pays.
TYPER_COMMAND = (
    "import numpy, pydantic, yaml, rich, typer\n"
    "app = typer.Typer()\n"
    "@app.command()\n"
    "def analyze(case: str, seed: int = 0, root: str = '.'):\n"
    "    print(case, seed, root)\n"
    "@app.command()\n"
    "def other(draws: int = 1):\n"
    "    pass\n"
    "app(['analyze', 'nk-hamas', '--seed', '3'])\n"
)
ACH = [sys.executable, "-m", "analysis.cli"]


#: a small parent that times its one child and reads the child's peak memory (a parent
#: that has built big cases would lend its own peak to a forked child)
_WRAP = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code)\n"
)


@dataclass(frozen=True)
class Figure:
    """Medians over fresh processes: wall and CPU seconds; the peak memory (MB)."""

    wall: float
    cpu: float
    peak: float
    status: int


def run(args: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak resident memory (MB), exit status of one process."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    wall, cpu, peak, code = out.stdout.split()
    return float(wall), float(cpu), int(peak) / 1024, int(code)


def interleaved(commands: dict[str, tuple[list[str], Path]], repeat: int) -> dict[str, Figure]:
    """Each command run ``repeat`` times, one of each per round; their medians."""
    runs: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (args, cwd) in commands.items():
            runs[name].append(run(args, cwd))
    return {
        name: Figure(
            statistics.median(r[0] for r in found),
            statistics.median(r[1] for r in found),
            max(r[2] for r in found),
            found[-1][3],
        )
        for name, found in runs.items()
    }


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
    parser.add_argument("--repeat", type=int, default=7, help="fresh processes per figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = {n: write_synthetic(folder, n) for n in (1000, 5000)}
        hostile = write_hostile(folder)
        run([sys.executable, "-c", FLOOR], ROOT)  # warm the file cache
        commands = {
            "floor": ([sys.executable, "-c", FLOOR], ROOT),
            "loaded": ([sys.executable, "-c", LOADED], ROOT),
            "typer": ([sys.executable, "-c", TYPER_COMMAND], ROOT),
            "seed": ([*ACH, "analyze", "nk-hamas", "--json"], ROOT),
            **{
                n: ([*ACH, "analyze", name, "--json", "--root", str(folder)], folder)
                for n, name in names.items()
            },
        }
        figures = interleaved(commands, args.repeat)
        bad = {
            what: run([*ACH, "analyze", name, "--json", "--root", str(folder)], folder)
            for what, name in hostile.items()
        }
    floor, seed = figures["floor"], figures["seed"]
    print(f"{args.repeat} rounds; ratios as wall (CPU)")
    print(f"{'what':<40} {'wall (s)':>8} {'CPU (s)':>8} {'peak MB':>8} {'ratio':>15}  target")
    print(f"{'import floor (' + FLOOR[7:27] + '...)':<40} {_cells(floor)}")
    rows = [("ach analyze --json, seed (23 x 4)", seed, floor, 1.5, "the floor")]
    rows += [
        (f"ach analyze --json, synthetic {n} x 10", figures[n], seed, target, "the seed")
        for n, target in ((1000, 1.5), (5000, 3.0))
    ]
    for label, figure, base, target, against in rows:
        wall, cpu = figure.wall / base.wall, figure.cpu / base.cpu
        ok = verdict(wall, target) if figure.status == 0 else f"exit {figure.status}"
        print(
            f"{label:<40} {_cells(figure)} {wall:>6.2f}x ({cpu:.2f}x)  "
            f"<= {target:g}x {against}: {ok}"
        )
    for name, label in (
        ("loaded", "information: libraries loaded (pydantic)"),
        ("typer", "information: a bare typer command"),
    ):
        figure = figures[name]
        print(
            f"{label:<40} {_cells(figure)} {seed.wall / figure.wall:>6.2f}x "
            f"({seed.cpu / figure.cpu:.2f}x) the seed against it (no target)"
        )
    for what, (wall, cpu, peak, status) in bad.items():
        label = f"{what} YAML (located error expected)"
        print(
            f"{label:<40} {wall:>8.2f} {cpu:>8.2f} {peak:>8.0f} {wall / seed.wall:>6.2f}x the seed"
            f"  exit {status} (2 expected): {'met' if status == 2 else 'NOT met'}"
        )


def _cells(figure: Figure) -> str:
    return f"{figure.wall:>8.2f} {figure.cpu:>8.2f} {figure.peak:>8.0f}"


if __name__ == "__main__":
    main()
