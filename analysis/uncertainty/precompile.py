"""Compile a case's uncertainty model into the store before anyone waits for it.

``make run`` and ``make test`` run this once per install for the seed case
(``python -m analysis.uncertainty.precompile nk-hamas``), so the first uncertainty run
and the first Bayes pool of a new process load machine code from ``.venv/ach-models``
instead of importing PyMC and compiling for most of a minute (see
:mod:`analysis.uncertainty.native`). A model already stored is only loaded; a stale
one (changed model source or libraries) is compiled again under its new name.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.errors import AchError, CaseError


def precompile(name: str, root: Path) -> str:
    """Compile (or find stored) the models of case ``name`` under ``root``: its size and
    the next one up, the sizes the dashboard's warm-up wants (so the first uncertainty
    run of a new dashboard does not share the cores with a compile), and the Bayes pool
    of its analysts' judgments; what was done."""
    from analysis.casefile.judgments import load_judgments
    from analysis.casefile.loader import load_case
    from analysis.uncertainty.model import describe
    from analysis.uncertainty.pool import warm_up_pool
    from analysis.uncertainty.sampler import compiled_for_size, sizes_at_hand

    case = load_case(name, root)
    done = []
    for size in sizes_at_hand(describe(case)[0].n_parameters):
        model = compiled_for_size(size, case)
        done.append(f"size {size} {model.origin} in {model.seconds:.1f} s")
    try:
        judgments = load_judgments(case, root)
    except CaseError as error:  # the dashboard shows these; the case's models still count
        judgments = {}
        done.append(f"no Bayes pool ({len(error.problems)} problems in its judgment files)")
    for model in warm_up_pool(case, judgments, next_size=False):
        latent, panel = model.key[1]
        done.append(f"the Bayes pool of {latent} x {panel} {model.origin} in {model.seconds:.1f} s")
    if not done:
        return f"{name}: every number is fixed and no analyst's differs, no model to compile"
    return f"{name}: models of " + ", ".join(done)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="+", help="case names (folders under cases/)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder")
    args = parser.parse_args(argv)
    for name in args.cases:
        try:
            print(precompile(name, args.root), flush=True)
        except CaseError as error:
            print("\n".join(error.lines()), file=sys.stderr)
            return 2
        except AchError as error:
            print(f"{name}: {error}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
