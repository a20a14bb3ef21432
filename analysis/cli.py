"""The ``ach`` command line: a thin layer over the loader and the engine.

User errors never show a traceback: they print one located line per problem on
stderr and exit with status 2.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from analysis.errors import AchError, CaseError, shown_lines
from analysis.nogc import paused_gc
from analysis.uncertainty import MAX_DRAWS, MAX_SEED, MIN_DRAWS
from analysis.wording import count

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="A Bayesian workbench for Analysis of Competing Hypotheses.",
)

RootOption = Annotated[
    Path, typer.Option("--root", help="Folder holding hypotheses/ and evidence/.")
]
UncertaintyOption = Annotated[
    bool,
    typer.Option("--uncertainty", help="Also sample the analyst's imprecision with PyMC."),
]
SeedOption = Annotated[
    int,
    typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed of the uncertainty run."),
]
DrawsOption = Annotated[
    int | None,
    typer.Option(
        "--draws",
        min=MIN_DRAWS,
        max=MAX_DRAWS,
        help="Draws per chain of the uncertainty run (default: by size).",
    ),
]
AnalystsOption = Annotated[
    bool,
    typer.Option(
        "--analysts",
        help="Each analyst's judgments (judgments/CASE/*.yaml), pooled, and where they disagree.",
    ),
]
PoolOption = Annotated[
    str | None,
    typer.Option("--pool", help="How --analysts pools: linear (default), log or bayes (PyMC)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
YardstickOption = Annotated[
    str, typer.Option("--yardstick", help="Estimative language: icd203 or phia.")
]


#: what a failed check of an output path asks for
_WRITABLE = "a file path in a folder you can write"


def _say(text: str, err: bool = False) -> None:
    """Print one line, control characters shown as escapes (nothing drives the terminal)."""
    from analysis.casefile.text import terminal_safe

    typer.echo(terminal_safe(text, keep_newlines=False), err=err)


def _fail(lines: list[str]) -> NoReturn:
    for line in shown_lines(lines):
        _say(line, err=True)
    raise typer.Exit(code=2)


def _load(case: str, root: Path):
    from analysis.casefile.loader import load_case

    _check_root(root)
    try:
        return load_case(case, root)
    except CaseError as error:
        _fail(error.lines())


def _checked(test: Callable[[], bool], path: Path, wanted: str) -> bool:
    """``test()``, a pathlib question about ``path``; where the system cannot answer it
    (a name too long, a folder that cannot be searched), one line naming ``wanted``."""
    try:
        return test()
    except OSError as error:
        _fail([f"{path}: cannot be checked ({error.strerror}); give {wanted}"])


def _check_root(root: Path) -> None:
    """Fail, in one line, when ``--root`` names no folder (rather than a line per file)."""
    wanted = "a folder you can read as --root"
    if not _checked(root.exists, root, wanted):
        _fail([f"{root}: no such folder; --root must name the folder holding hypotheses/"])
    if not _checked(root.is_dir, root, wanted):
        _fail([f"{root}: is not a folder; --root must name the folder holding hypotheses/"])


def _refuse_existing(output: Path, force: bool) -> None:
    """Fail if ``output`` is a file that ``--force`` was not given to replace: nothing
    a user wrote is replaced unasked."""
    if _checked(output.is_file, output, _WRITABLE) and not force:
        _fail([f"{output}: exists; pass --force to replace it, or give another -o"])


def _analyze(
    case_name: str, root: Path, uncertainty: bool, seed: int, yardstick: str, draws: int | None
):
    from analysis.engine.run import YardstickError, check_yardstick, run

    try:
        check_yardstick(yardstick)
    except YardstickError as error:
        _fail([str(error)])
    case = _load(case_name, root)
    if not uncertainty:
        return run(case, yardstick)
    from rich.console import Console

    from analysis.uncertainty.sampler import TooLarge

    # a spinner on stderr (stdout may be JSON); silent when stderr is not a terminal
    try:
        with Console(stderr=True).status("Uncertainty run: starting") as status:
            return run(
                case,
                yardstick,
                uncertainty=True,
                seed=seed,
                draws=draws,
                progress=lambda _fraction, message: status.update(f"Uncertainty run: {message}"),
            )
    except TooLarge as error:
        _fail([f"{case_name}: --uncertainty refused: {error}; leave --uncertainty out"])


@app.command("list")
def list_command(root: RootOption = Path(".")) -> None:
    """List the cases found under ROOT."""
    from analysis.casefile.layout import list_cases

    _check_root(root)
    try:
        names = list_cases(root)
    except OSError as error:
        where = error.filename or root
        _fail([f"{where}: cannot be read ({error.strerror}); check the folder's permissions"])
    for name in names:
        _say(name)


@app.command()
def validate(case: str, root: RootOption = Path(".")) -> None:
    """Check a case's two files and its analysts' judgments (judgments/CASE/*.yaml);
    print every problem, one per line."""
    from analysis.casefile.judgments import load_judgments

    loaded = _load(case, root)
    try:
        judged = load_judgments(loaded, root)
    except CaseError as error:
        _fail(error.lines())
    parts = (
        count(len(loaded.hypotheses), "hypothesis", "hypotheses"),
        count(len(loaded.evidence), "evidence item"),
        count(len(loaded.indicators), "indicator"),
        count(len(loaded.sources), "source"),
        *([count(len(judged), "analyst's judgments", "analysts' judgments")] if judged else []),
    )
    for note in shown_lines(list(loaded.warnings), kind="warning"):
        _say(f"warning: {note}")
    _say(f"{loaded.name}: ok ({', '.join(parts)})")


@app.command()
def analyze(
    case: str,
    root: RootOption = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    uncertainty: UncertaintyOption = False,
    seed: SeedOption = 0,
    yardstick: YardstickOption = "icd203",
    draws: DrawsOption = None,
    analysts: AnalystsOption = False,
    pool: PoolOption = None,
) -> None:
    """Analyse a case: posterior, how each item moved it, Heuer's scores, indicators."""
    # The command ends once it has printed, and the exact path allocates no reference
    # cycles: the cyclic collector would walk the whole case again and again to find
    # nothing (a tenth of the run at 5,000 items, benchmarks/cli.py). PyMC's graphs
    # (--uncertainty, --pool bayes) are full of cycles, so those runs keep it.
    sampled = uncertainty or pool == "bayes"
    with nullcontext() if sampled else paused_gc():
        panel_wanted = analysts or pool is not None
        result = _analyze(case, root, uncertainty, seed, yardstick, draws)
        panel = _panel(result.case, root, pool or "linear", seed, draws) if panel_wanted else None
        if as_json:
            from analysis.report.json_output import dumps, to_json

            out = to_json(result)
            if panel is not None:
                from analysis.report.panel import panel_json

                out.update(panel_json(panel))
            typer.echo(dumps(out))
        elif panel is not None:
            from analysis.report.panel import print_panel

            print_panel(panel)
        else:
            from analysis.report.console import print_analysis

            print_analysis(result)


def _panel(case, root: Path, pool: str, seed: int, draws: int | None, only_if_judged: bool = False):
    """Every analyst's judgments of ``case`` under ``root``, analysed and pooled (None
    when ``only_if_judged`` and there are none)."""
    from analysis.casefile.judgments import load_judgments
    from analysis.engine.pooling import POOLS, analyse_panel

    if pool not in POOLS:
        _fail([f"--pool is '{pool}'; choose one of: {', '.join(POOLS)}"])
    try:
        judgments = load_judgments(case, root)
    except CaseError as error:
        _fail(error.lines())
    if only_if_judged and not judgments:
        return None
    if pool != "bayes":
        return analyse_panel(case, judgments, pool, seed=seed, draws=draws)
    from rich.console import Console

    with Console(stderr=True).status("Bayes pool: starting") as status:
        return analyse_panel(
            case,
            judgments,
            pool,
            seed=seed,
            draws=draws,
            progress=lambda _fraction, message: status.update(f"Bayes pool: {message}"),
        )


@app.command()
def brief(
    case: str,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Where to write the brief: .pdf, .docx or .md (by extension)."
        ),
    ],
    root: RootOption = Path("."),
    uncertainty: UncertaintyOption = False,
    seed: SeedOption = 0,
    yardstick: YardstickOption = "icd203",
    draws: DrawsOption = None,
    force: ForceOption = False,
) -> None:
    """Write a brief of a case (PDF, Word or Markdown) for readers who never open the tool."""
    from analysis.report.brief.output import UnknownFormat, format_of, write_brief

    _refuse_existing(output, force)  # before the analysis: fails at once
    if not _checked(lambda: output.is_symlink() or output.exists(), output, _WRITABLE):
        try:
            format_of(output)  # before the analysis: a wrong name fails at once
        except UnknownFormat as error:
            _fail([f"-o {error}"])
    result = _analyze(case, root, uncertainty, seed, yardstick, draws)
    panel = _panel(result.case, root, "linear", seed, draws, only_if_judged=True)
    try:
        write_brief(result, output, panel=panel, replace=force)
    except UnknownFormat as error:
        _fail([f"-o {error}"])
    except FileExistsError:  # made while the brief was being written
        _refuse_existing(output, force=False)
    except AchError as error:  # a chart that cannot be rendered, a layout no page holds
        _fail([f"{output}: the brief was not written: {error}"])
    except OSError as error:
        _fail(
            [
                f"{output}: cannot write the brief ({error.strerror}); "
                "give a file path in a writable folder"
            ]
        )
    _say(f"wrote {output}")


@app.command("import")
def import_command(
    file: Path,
    case: Annotated[str, typer.Option("--case", help="Name of the new case.")],
    root: RootOption = Path("."),
    fmt: Annotated[
        str | None, typer.Option("--format", help="achz, csv or xlsx (default: the extension).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing case files.")] = False,
) -> None:
    """Read a PARC ACH .achz matrix or a CSV/XLSX sheet into case NAME under ROOT."""
    from analysis import interchange
    from analysis.interchange.guard import read_bounded

    try:
        kind = interchange.format_of(file, fmt, interchange.IMPORT_FORMATS)
        data = read_bounded(file, str(file))
        loaded, hypotheses, evidence, warnings = interchange.imported_case(
            data, str(file), kind, case
        )
        saved = interchange.save_imported(case, hypotheses, evidence, root, force)
    except CaseError as error:
        _fail(error.lines())
    except FileExistsError as error:
        _fail([f"{error}; or pass --force to replace them"])
    except OSError as error:
        where = error.filename or root  # the file or folder at fault, where the OS names it
        _fail([f"{where}: cannot write the case ({error.strerror}); move it away or choose --root"])
    for warning in shown_lines([str(w) for w in warnings], kind="warning"):
        _say(warning, err=True)
    _say(
        f"wrote hypotheses/{saved.name}.yaml and evidence/{saved.name}.yaml under {root} "
        f"({count(len(loaded.hypotheses), 'hypothesis', 'hypotheses')}, "
        f"{count(len(loaded.evidence), 'evidence item')})"
    )


@app.command("export")
def export_command(
    case: str,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, json or achz.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the file.")],
    root: RootOption = Path("."),
    force: ForceOption = False,
) -> None:
    """Write a case as CSV, XLSX, JSON or PARC ACH .achz (for other ACH tools)."""
    from analysis import interchange
    from analysis.atomic import write_atomically

    _refuse_existing(output, force)
    try:
        kind = interchange.format_of(output, fmt, interchange.EXPORT_FORMATS)
    except CaseError as error:
        _fail(error.lines())
    loaded = _load(case, root)
    data = interchange.export_case(loaded, kind)
    if _checked(
        lambda: output.is_symlink() or (output.exists() and not output.is_file()),
        output,
        _WRITABLE,
    ):
        _fail([f"{output}: exists and is not a regular file; give a file path"])
    try:
        write_atomically(output, data, replace=force)
    except FileExistsError:  # made while the case was being exported
        _refuse_existing(output, force=False)
    except OSError as error:
        _fail([f"{output}: cannot write ({error.strerror}); give a file path in a writable folder"])
    for warning in interchange.export_warnings(loaded, kind):
        _say(f"{output}: warning: {warning}", err=True)
    _say(f"wrote {output}")


@app.command("app")
def app_command(
    case: Annotated[str | None, typer.Argument(help="Case to open first.")] = None,
    root: RootOption = Path("."),
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Address to serve on (default: Streamlit's server.address, else 127.0.0.1).",
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port", help="Port to serve on (default: Streamlit's, moving on if it is taken)."
        ),
    ] = None,
) -> None:
    """Start the dashboard (Streamlit) on CASE, or on the first case under ROOT.

    Streamlit prints the address it actually serves on.
    """

    from analysis.serve import ServeError, streamlit_command

    if case is not None:  # refused here, as every command refuses it, not in the page
        from analysis.casefile.loader import unopenable

        _check_root(root)
        problems = unopenable(case, root)
        if problems:
            _fail(CaseError(problems).lines())
    try:
        command = streamlit_command(root, case, host, port)
    except ServeError as error:
        _fail([str(error)])
    typer.echo("Starting the dashboard; Streamlit prints its address below (Ctrl-C stops it).")
    sys.stdout.flush()
    # the dashboard compiles the open case's uncertainty model in the background
    os.environ.setdefault("ACH_PRECOMPILE", "1")
    # Replace this process, so that signals (Ctrl-C, SIGTERM) reach Streamlit itself.
    os.execv(sys.executable, command)


def main() -> None:
    """Entry point of the ``ach`` console script."""
    # pydantic looks for third-party plugins (validation hooks other packages install)
    # before building each schema: a scan of every installed package's entry points,
    # 4 ms of the seed case's 0.24 s. The case files' checks are this program's own and
    # run no one else's hooks (nor does the dashboard `ach app` starts, which inherits
    # the variable); setting it yourself still decides.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        try:
            app()
        finally:
            if sys.stdout is not None:  # None when the shell closed it (>&-)
                sys.stdout.flush()  # here, not at exit: a full disk is then one line, not a trace
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS:
            raise
        _output_failed(error)


#: What only writing can fail with: a full disk or quota, a reader that went away (an
#: error reading a case file is the command's own, located message).
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EPIPE})


def _output_failed(error: OSError) -> NoReturn:
    """One line on stderr (none for a reader that went away, as ``| head`` does), exit 2;
    stdout then points at /dev/null, so that Python's own flush at exit stays quiet."""
    if error.errno != errno.EPIPE:
        sys.stderr.write(
            f"stdout: cannot write the output ({error.strerror}); free some space, or "
            "redirect it to a file on another disk\n"
        )
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(2)


if __name__ == "__main__":
    main()
