"""Files on disk under hostile or concurrent use (issue 9): modes kept, saves race-free."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from analysis.atomic import write_atomically


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_replaced_file_keeps_its_mode(tmp_path, umask_027):
    private = tmp_path / "priv.pdf"
    private.write_bytes(b"old")
    private.chmod(0o600)
    write_atomically(private, b"new")
    assert private.read_bytes() == b"new" and _mode(private) == 0o600
    shared = tmp_path / "shared.pdf"
    shared.write_bytes(b"old")
    shared.chmod(0o664)
    write_atomically(shared, b"new")
    assert _mode(shared) == 0o664


def test_a_new_file_gets_the_umask_mode(tmp_path, umask_027):
    fresh = tmp_path / "fresh.pdf"
    write_atomically(fresh, b"x")
    assert _mode(fresh) == 0o640
    assert os.umask(0o027) == 0o027  # reading the umask left it as it was


def test_the_brief_written_over_a_private_file_stays_private(tmp_path, repo_root):
    from typer.testing import CliRunner

    from analysis.cli import app

    target = tmp_path / "priv.pdf"
    target.write_bytes(b"")
    target.chmod(0o600)
    args = ["brief", "office-leak", "--root", str(repo_root), "-o", str(target)]
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF") and _mode(target) == 0o600


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "office-leak", "-o", "OUT.md"],
        ["brief", "office-leak", "-o", "OUT.pdf"],
        ["export", "office-leak", "--format", "csv", "-o", "OUT.csv"],
    ],
)
def test_an_existing_file_is_replaced_only_with_force(tmp_path, repo_root, args):
    """``ach brief`` and ``ach export`` once replaced a user's notes.md unasked."""
    from typer.testing import CliRunner

    from analysis.cli import app

    target = tmp_path / args[-1]
    target.write_text("the analyst's own notes\n")
    args = [*args[:-1], str(target), "--root", str(repo_root)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2, refused.output
    assert refused.output == f"{target}: exists; pass --force to replace it, or give another -o\n"
    assert target.read_text() == "the analyst's own notes\n"
    replaced = CliRunner().invoke(app, [*args, "--force"])
    assert replaced.exit_code == 0, replaced.output
    assert target.read_text(errors="replace") != "the analyst's own notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary left


def test_a_write_that_must_not_replace_refuses_a_file_made_meanwhile(tmp_path):
    target = tmp_path / "brief.md"
    write_atomically(target, b"first", replace=False)
    with pytest.raises(FileExistsError):
        write_atomically(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


# -- concurrent saves under one name ---------------------------------------------------------
HYP = """\
case: NAME
title: Written by WRITER
question: Which?
hypotheses:
  - {id: a, label: Alpha}
  - {id: b, label: Beta}
"""
EVI = """\
case: NAME
sources:
  - {id: s, name: Source of WRITER}
evidence:
  - {id: e1, claim: Seen, source: s, likelihoods: {a: 0.7, b: 0.2}}
"""


def _texts(name: str, writer: str) -> tuple[str, str]:
    return tuple(t.replace("NAME", name).replace("WRITER", writer) for t in (HYP, EVI))


def _check_one_winner(root: Path, name: str, outcomes: dict[str, str]) -> None:
    saved = [w for w, outcome in outcomes.items() if outcome == "saved"]
    assert len(saved) == 1, outcomes
    assert all(o in ("saved", "exists") for o in outcomes.values()), outcomes
    hyp, evi = _texts(name, saved[0])
    assert (root / "hypotheses" / f"{name}.yaml").read_text() == hyp
    assert (root / "evidence" / f"{name}.yaml").read_text() == evi
    leftovers = [p.name for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def _save(root: Path, name: str, writer: str) -> str:
    from analysis.casefile.save import save_texts
    from analysis.errors import CaseExists

    try:
        save_texts(name, *_texts(name, writer), root=root)
    except CaseExists:
        return "exists"
    return "saved"


def test_concurrent_saves_in_threads_save_one_and_refuse_the_rest(tmp_path):
    import threading

    for round_ in range(10):
        name = f"race-{round_}"
        barrier = threading.Barrier(6)
        outcomes: dict[str, str] = {}

        def run(writer: str, name: str = name, barrier=barrier, outcomes=outcomes) -> None:
            barrier.wait()
            outcomes[writer] = _save(tmp_path, name, writer)

        threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _check_one_winner(tmp_path, name, outcomes)


def test_concurrent_saves_in_two_processes_save_one_and_refuse_the_other(tmp_path):
    import subprocess
    import sys
    import time

    go = tmp_path / "go"
    script = (
        "import sys, time, pathlib\n"
        "sys.path.insert(0, sys.argv[4])\n"
        "from test_hostile_files import _save\n"
        "go = pathlib.Path(sys.argv[3])\n"
        "while not go.exists(): time.sleep(0.001)\n"
        "print(_save(pathlib.Path(sys.argv[1]), 'race', sys.argv[2]))\n"
    )
    here = str(Path(__file__).parent)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), f"p{i}", str(go), here],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    time.sleep(3)  # both processes import and wait at the line
    go.touch()
    outcomes = {
        f"p{i}": child.communicate(timeout=300)[0].strip() for i, child in enumerate(children)
    }
    _check_one_winner(tmp_path, "race", outcomes)


def test_a_failed_save_never_removes_files_it_did_not_write(tmp_path):
    from analysis.casefile.save import save_texts
    from analysis.errors import CaseError, CaseExists

    hyp, evi = _texts("taken", "first")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "taken.yaml").write_text(evi)  # someone else's half case
    with pytest.raises(CaseExists):
        save_texts("taken", hyp, evi, root=tmp_path)
    assert (tmp_path / "evidence" / "taken.yaml").read_text() == evi
    assert not (tmp_path / "hypotheses" / "taken.yaml").exists()
    bad = hyp.replace("label: Beta", "label: Alpha")  # duplicate labels: fails to load back
    with pytest.raises(CaseError):
        save_texts("fresh", bad, _texts("fresh", "x")[1], root=tmp_path)
    assert not (tmp_path / "hypotheses" / "fresh.yaml").exists()


def test_a_300_character_name_is_refused_before_the_disk(tmp_path):
    from analysis.casefile.save import save_texts
    from analysis.errors import CaseNameError

    with pytest.raises(CaseNameError, match="at most 64"):
        save_texts("a" * 300, *_texts("a" * 300, "x"), root=tmp_path)
