"""Hostile input on the command line (issue 9): no traceback, exit 2 with one located
line, and nothing a case file holds can drive the analyst's terminal."""

from __future__ import annotations

import dataclasses
import errno
import io
import os
import pathlib
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from analysis.cli import app
from analysis.engine import analyze
from analysis.report.console import print_analysis
from analysis.testing.synthetic import make_case

runner = CliRunner()

HYP = """\
case: demo
title: "Demo [bold]case[/bold]"
question: Which is it?
hypotheses:
  - id: a
    label: "[link=http://evil.example/]Alpha[/link]"
  - id: b
    label: "Beta [blink]x[/blink]"
"""
EVI = """\
case: demo
sources:
  - id: s
    name: Source S
evidence:
  - id: e1
    claim: First claim
    source: s
    likelihoods: {a: 0.7, b: RANGE}
"""


def write(root: Path, hyp: str = HYP, evi: str = EVI, likelihood: str = "0.2") -> Path:
    for folder, text in (("hypotheses", hyp), ("evidence", evi.replace("RANGE", likelihood))):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "demo.yaml").write_text(text, encoding="utf-8")
    return root


def test_rich_markup_in_case_text_prints_literally(tmp_path):
    result = runner.invoke(app, ["analyze", "demo", "--root", str(write(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "[link=http://evil.example/]Alpha[/link]" in result.output
    assert "[blink]x[/blink]" in result.output and "[bold]case[/bold]" in result.output
    assert "\x1b" not in result.output


TRICKY = ["[/]", "\\[x", "[red]RED", ":smile:", "end\\", "[/bold]"]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("extra", [[], ["--analysts"]])
def test_text_rich_would_read_as_markup_prints_as_written(tmp_path, text, extra):
    """'[/]' in a label crashed the assumptions table (MarkupError) and, with --analysts,
    the title; '\\[' lost its backslash; ':smile:' printed an emoji."""
    quoted = text.replace("\\", "\\\\")
    hyp = HYP.replace('"Demo [bold]case[/bold]"', f'"T {quoted}"').replace(
        '"Beta [blink]x[/blink]"', f'"B {quoted}"'
    )
    evi = EVI + "assumptions:\n  - id: as1\n    statement: S\n    rests_on: [e1]\n"
    root = write(tmp_path, hyp=hyp, evi=evi)
    result = runner.invoke(app, ["analyze", "demo", "--root", str(root), *extra])
    assert result.exit_code == 0, result.output
    assert f"T {text}" in result.output and "\U0001f604" not in result.output
    if not extra:
        assert f"B {text}" in result.output


def test_control_sequences_never_reach_the_terminal():
    """A case built in code (not through the loader) with escape sequences in every text."""
    case = make_case([[0.7, 0.2], [0.4, 0.5]])
    evil = "\x1b[2J\x1b]52;c;SGVsbG8=\x07\x9b1m"
    case = dataclasses.replace(
        case,
        title="T" + evil,
        question="Q" + evil,
        hypotheses=tuple(dataclasses.replace(h, label=h.label + evil) for h in case.hypotheses),
        sources=tuple(dataclasses.replace(s, name=s.name + evil) for s in case.sources),
    )
    out = io.StringIO()
    print_analysis(analyze(case), Console(file=out, width=200, force_terminal=True))
    text = out.getvalue()
    for raw in ("\x1b[2J", "\x1b]52", "\x07", "\x9b"):
        assert raw not in text
    assert "\\x1b[2J" in text  # shown, as a visible escape


def test_error_lines_show_control_characters_as_escapes(tmp_path):
    hyp = HYP.replace('label: "Beta [blink]x[/blink]"', 'label: "Be\\e[2Jta"')
    result = runner.invoke(app, ["validate", "demo", "--root", str(write(tmp_path, hyp=hyp))])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "hypotheses/demo.yaml:8: hypothesis 'b' label contains the control character" in (
        result.output
    )


@pytest.fixture
def unsearchable(tmp_path, monkeypatch):
    """evidence/ readable but not searchable: listing works, reaching a file does not.

    Set with chmod 0o644 when not root; root bypasses permissions, so there ``stat``
    below the folder fails as the kernel would make it.
    """
    root = write(tmp_path)
    folder = root / "evidence"
    if os.geteuid() != 0:
        folder.chmod(0o644)
        yield root
        folder.chmod(0o755)
        return
    real = pathlib.Path.stat

    def stat(self, *args, **kwargs):
        if self.parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "stat", stat)
    yield root


def test_an_unsearchable_folder_is_one_line_not_a_traceback(unsearchable):
    result = runner.invoke(app, ["list", "--root", str(unsearchable)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert "cannot be read (Permission denied)" in line
    result = runner.invoke(app, ["validate", "demo", "--root", str(unsearchable)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        "evidence/demo.yaml: cannot be read (Permission denied); check the permissions of "
        "evidence/ and the file"
    ]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--uncertainty", "--seed", "-1"], "--seed"),
        (["--uncertainty", "--seed", "99999999999999999999"], "--seed"),
        (["--analysts", "--pool", "bayes", "--seed", "-1"], "--seed"),
        (["--uncertainty", "--draws", "100000000"], "--draws"),
    ],
)
def test_seeds_and_draws_out_of_range_are_refused_before_sampling(args, option, repo_root):
    """Before these bounds a negative or 65-bit seed ended in nutpie's OverflowError and a
    hundred million draws aborted the process asking for 51 GB."""
    result = runner.invoke(app, ["analyze", "nk-hamas", "--root", str(repo_root), *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_sampler_refuses_a_seed_or_draws_out_of_range_itself():
    from analysis.uncertainty import MAX_DRAWS, MAX_SEED
    from analysis.uncertainty.sampler import check_draws, check_seed

    check_seed(MAX_SEED), check_draws(MAX_DRAWS)  # the bounds themselves are taken
    with pytest.raises(ValueError, match="from 0 to"):
        check_seed(-1)
    with pytest.raises(ValueError, match=f"at most {MAX_DRAWS}"):
        check_draws(MAX_DRAWS + 1)


def test_a_case_too_large_to_sample_is_refused_before_any_compile(tmp_path):
    """1000 items x 10 (10 248 uncertain numbers) ran past 120 s and 3.4 GB."""
    import sys

    from analysis.casefile.writer import dump_yaml
    from analysis.testing.synthetic import synthetic_case
    from analysis.uncertainty import MAX_UNCERTAIN
    from analysis.uncertainty.sampler import TooLarge, check_size, sizes_at_hand

    case = synthetic_case(10, 200, seed=1)  # 2 000 likelihoods and 200 credibilities
    for folder, text in zip(("hypotheses", "evidence"), dump_yaml(case), strict=True):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{case.name}.yaml").write_text(text, encoding="utf-8")
    loaded = "pymc" in sys.modules
    result = runner.invoke(app, ["analyze", case.name, "--root", str(tmp_path), "--uncertainty"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"{case.name}: --uncertainty refused: the uncertainty run samples at")
    assert line.endswith("leave --uncertainty out")
    assert loaded or "pymc" not in sys.modules  # refused before PyMC was imported
    check_size(MAX_UNCERTAIN)
    with pytest.raises(TooLarge):
        check_size(MAX_UNCERTAIN + 1)
    assert sizes_at_hand(MAX_UNCERTAIN + 1) == () and max(sizes_at_hand(1500)) == 2048


def test_thousands_of_problems_print_a_readable_screen(tmp_path):
    """A file with 300 faulty items: the first 100 located lines, then one line counting
    the other 200, still exit 2."""
    items = "".join(
        f"  - id: e{k}\n    claim: Claim {k}\n    source: s\n    likelihoods: {{a: 7, b: 0.2}}\n"
        for k in range(300)
    )
    evi = EVI.split("evidence:\n")[0] + "evidence:\n" + items
    result = runner.invoke(app, ["validate", "demo", "--root", str(write(tmp_path, evi=evi))])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 101
    assert all("evidence/demo.yaml:" in line for line in lines[:100])
    assert lines[-1] == "... and 200 more problems not shown; fix these and run again to see them"


# -- found by the hostile review of 4 December 2026 ----------------------------------------
def _judge(root: Path, text: str) -> Path:
    folder = root / "judgments" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kim.yaml").write_text(text, encoding="utf-8")
    return root


def _refused_lines(args: list[str]) -> list[str]:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no crash
    return result.output.strip().splitlines()


def test_an_item_judged_twice_with_mappings_is_a_located_problem(tmp_path):
    root = _judge(
        write(tmp_path), "case: demo\nanalyst: kim\nlikelihoods:\n  e1: {a: 0.6}\n  e1: {a: 0.3}\n"
    )
    lines = _refused_lines(["validate", "demo", "--root", str(root)])
    assert (
        "judgments/demo/kim.yaml:5: key 'e1' appears twice in likelihoods (first on line 4)"
        in lines[0]
    )


def test_a_repeated_key_below_an_unlisted_top_level_key_is_a_located_problem(tmp_path):
    evi = EVI + "defaults:\n  concentration: {a: 1}\n  concentration: {b: 1}\n"
    lines = _refused_lines(["validate", "demo", "--root", str(write(tmp_path, evi=evi))])
    assert any("evidence/demo.yaml:" in line and "appears twice" in line for line in lines), lines


def test_an_integer_past_pythons_digit_limit_is_a_located_problem(tmp_path):
    lines = _refused_lines(
        ["validate", "demo", "--root", str(write(tmp_path, likelihood="1" + "0" * 4400))]
    )
    assert lines == [  # the 4,401 digits are not printed
        "evidence/demo.yaml:9: '1000000000000000000000000000000000000...' cannot be read as "
        "!!int (at evidence[0].likelihoods.b); fix the value"
    ]


@pytest.mark.parametrize("command", ["brief", "export"])
def test_an_output_path_the_system_cannot_check_is_one_line(tmp_path, command):
    output = tmp_path / ("x" * 300 + ".md")  # a name longer than any file system takes
    extra = ["--format", "csv"] if command == "export" else []
    lines = _refused_lines(
        [command, "demo", "-o", str(output), *extra, "--root", str(write(tmp_path))]
    )
    assert lines == [
        f"{output}: cannot be checked (File name too long); give a file path in a folder "
        "you can write"
    ]


def test_list_with_a_root_the_system_cannot_check_is_one_line(tmp_path):
    root = tmp_path / ("x" * 300)
    lines = _refused_lines(["list", "--root", str(root)])
    assert lines == [
        f"{root}: cannot be checked (File name too long); give a folder you can read as --root"
    ]


def _unlistable(monkeypatch, folder_name: str) -> None:
    """``os.listdir`` of a folder named ``folder_name`` fails as without permission (the
    tests run as root, whom chmod does not stop)."""
    real = os.listdir

    def listdir(path="."):
        if Path(path).name == folder_name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)


def test_an_unreadable_judgments_folder_is_not_taken_for_no_judgments(tmp_path, monkeypatch):
    root = _judge(write(tmp_path), "case: demo\nanalyst: kim\n")
    _unlistable(monkeypatch, "demo")
    for args in (["validate", "demo"], ["analyze", "demo", "--analysts"]):
        lines = _refused_lines([*args, "--root", str(root)])
        assert lines == [
            "judgments/demo/: cannot be read (Permission denied); check the folder's permissions"
        ]


def test_list_with_an_unreadable_hypotheses_folder_says_so(tmp_path, monkeypatch):
    root = write(tmp_path)
    _unlistable(monkeypatch, "hypotheses")
    lines = _refused_lines(["list", "--root", str(root)])
    assert lines == [
        f"{root / 'hypotheses'}: cannot be read (Permission denied); check the folder's permissions"
    ]


def test_the_written_line_of_export_shows_control_characters_as_escapes(tmp_path):
    output = tmp_path / "bell\x07.csv"
    result = runner.invoke(
        app,
        ["export", "demo", "--format", "csv", "-o", str(output), "--root", str(write(tmp_path))],
    )
    assert result.exit_code == 0, result.output
    assert "\x07" not in result.output and "bell" in result.output


def test_a_root_that_is_missing_or_a_file_is_one_line_saying_so(tmp_path):
    missing, a_file = tmp_path / "nope", tmp_path / "file"
    a_file.write_text("x")
    for command in ("validate", "analyze"):
        assert _refused_lines([command, "demo", "--root", str(missing)]) == [
            f"{missing}: no such folder; --root must name the folder holding hypotheses/"
        ]
        assert _refused_lines([command, "demo", "--root", str(a_file)]) == [
            f"{a_file}: is not a folder; --root must name the folder holding hypotheses/"
        ]


def test_an_evidence_folder_that_is_a_file_is_not_called_a_permission_problem(tmp_path):
    root = write(tmp_path)
    (root / "evidence" / "demo.yaml").unlink()
    (root / "evidence").rmdir()
    (root / "evidence").write_text("x")
    lines = _refused_lines(["validate", "demo", "--root", str(root)])
    assert lines == ["evidence/demo.yaml: cannot be read: evidence/ or the root is not a folder"]


def test_a_case_name_too_long_is_told_the_whole_rule(tmp_path):
    lines = _refused_lines(["validate", "t" * 65, "--root", str(write(tmp_path))])
    assert len(lines) == 1 and "at most 64 of them" in lines[0], lines


def test_judgments_that_would_never_be_read_are_problems_not_silence(tmp_path):
    root = _judge(write(tmp_path), "case: demo\nanalyst: kim\n")
    (root / "judgments" / "demo" / "lee.yml").write_text("case: demo\nanalyst: lee\n")
    assert _refused_lines(["validate", "demo", "--root", str(root)]) == [
        "judgments/demo/lee.yml: is not read; a judgment file ends in .yaml: rename it lee.yaml"
    ]
    other = tmp_path / "other"
    other.mkdir()
    write(other)
    (other / "judgments").write_text("not a folder")
    assert _refused_lines(["analyze", "demo", "--analysts", "--root", str(other)]) == [
        "judgments: is not a folder; judgment files go in judgments/demo/<analyst>.yaml"
    ]


@pytest.mark.parametrize("command", [["analyze", "nk-hamas"], ["analyze", "nk-hamas", "--json"]])
def test_a_full_disk_under_stdout_is_one_line_not_a_traceback(command):
    import subprocess
    import sys

    from conftest import ROOT

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", "from analysis.cli import main; main()", *command],
            cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "stdout: cannot write the output (No space left on device); free some space, or "
        "redirect it to a file on another disk"
    ]


def test_a_closed_stdout_is_no_traceback():
    """`ach list >&-`: sys.stdout is None, and the flush that turns a full disk into one
    line raised AttributeError."""
    import shlex
    import subprocess
    import sys

    from conftest import ROOT

    command = f"{shlex.quote(sys.executable)} -c 'from analysis.cli import main; main()' list >&-"
    done = subprocess.run(
        ["sh", "-c", command], cwd=ROOT, stderr=subprocess.PIPE, text=True, timeout=120
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
