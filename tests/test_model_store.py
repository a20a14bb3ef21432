"""Compiled models kept on disk (analysis/uncertainty/native.py): a stored model samples
exactly as the freshly compiled one, a new process loads it without PyMC, and a stale,
damaged or unwritable store costs a compile, never a wrong answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from analysis.testing.synthetic import make_case
from analysis.uncertainty import native
from analysis.uncertainty.model import bucket, describe, model_inputs

#: the small structure of tests/test_uncertainty.py (its worker has it compiled)
SMALL_L = [[0.8, 0.3, 0.5], [0.6, 0.2, 0.4], [0.7, 0.5, 0.3], [0.9, 0.4, 0.6]]
SMALL_C = [0.8, 0.7, 0.9, 0.6]

pytestmark = pytest.mark.xdist_group("uncertainty-small")


def small_inputs(likelihoods=SMALL_L):
    case = make_case(likelihoods, credibility=SMALL_C)
    structure, data = describe(case)
    return case, model_inputs(structure, data, bucket(structure.n_parameters))


@pytest.fixture(scope="module")
def small_model():
    from analysis.uncertainty.sampler import compiled_model_for

    return compiled_model_for(small_inputs()[0])


def test_stored_model_samples_exactly_as_the_compiled_one(small_model, tmp_path):
    path = tmp_path / "model.npz"
    assert native.save(small_model.compiled, path)
    loaded = native.load(path)
    assert loaded is not None
    _, inputs = small_inputs([[0.5, 0.3, 0.5], *SMALL_L[1:]])  # new numbers, same model
    settings = dict(draws=300, chains=2, tune=100, seed=4)
    before = native.sample(small_model.compiled, inputs, **settings)
    after = native.sample(loaded, inputs, **settings)
    assert before.keys() == after.keys() == {"z"}
    assert before["z"].shape == (2, 300, loaded.n_dim)
    np.testing.assert_array_equal(before["z"], after["z"])


def test_a_new_process_loads_the_model_without_pymc(small_model, tmp_path, repo_root):
    # The store holds the model under the name a new process computes for it.
    from analysis.uncertainty.sampler import compiled_model_for

    case, _ = small_inputs()
    key = compiled_model_for(case).key
    store = tmp_path / "store"
    os.environ[native.STORE_VARIABLE] = str(store)
    try:
        path = native.path_for((key, ("z",)))
    finally:
        del os.environ[native.STORE_VARIABLE]
    assert native.save(small_model.compiled, path)
    code = f"""
import json, sys
from analysis.testing.synthetic import make_case
from analysis.uncertainty.sampler import compiled_model_for, run_uncertainty
case = make_case({SMALL_L!r}, credibility={SMALL_C!r})
summary = run_uncertainty(case, draws=300, seed=2)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("pymc", "pytensor", "arviz"))
print(json.dumps([compiled_model_for(case).origin, heavy, summary.mean.tolist()]))
"""
    env = {**os.environ, native.STORE_VARIABLE: str(store)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=repo_root, env=env,
    )  # fmt: skip
    origin, heavy, mean = json.loads(out.stdout.strip().splitlines()[-1])
    assert origin == "stored" and heavy == []
    assert np.isclose(sum(mean), 1.0)


def test_damaged_or_missing_files_are_not_read(small_model, tmp_path):
    assert native.load(tmp_path / "absent.npz") is None
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(b"not a model")
    assert native.load(damaged) is None
    path = tmp_path / "model.npz"
    native.save(small_model.compiled, path)
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    assert native.load(path) is None


def test_the_name_changes_with_the_model_key(monkeypatch, tmp_path):
    monkeypatch.setenv(native.STORE_VARIABLE, str(tmp_path))
    names = {native.path_for((("uncertainty", size), ("z",))) for size in (8, 16)}
    assert len(names) == 2 and all(p.parent == tmp_path for p in names)
    assert native.path_for((("uncertainty", 8), ("z",))) in names  # stable


def test_an_unwritable_store_is_skipped(small_model, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    assert native.save(small_model.compiled, blocked / "model.npz") is False


def test_data_of_the_wrong_rank_is_refused(small_model):
    _, inputs = small_inputs()
    with pytest.raises(ValueError, match="rank"):
        native.bind(small_model.compiled, {**inputs, "alpha": inputs["alpha"][None, :]})


def test_precompile_stores_the_seed_size_and_the_next_one_up(capsys):
    # What `make` runs once per install: both sizes the dashboard's warm-up wants, so
    # its first uncertainty run shares the cores with no compile.
    from pathlib import Path

    from analysis.casefile.loader import load_case
    from analysis.uncertainty.precompile import main
    from analysis.uncertainty.sampler import sizes_at_hand

    root = Path(__file__).resolve().parent.parent
    assert main(["nk-hamas", "--root", str(root)]) == 0
    line = capsys.readouterr().out.strip()
    n = describe(load_case("nk-hamas", root))[0].n_parameters
    size = bucket(n)
    assert sizes_at_hand(n) == (size, 2 * size) and sizes_at_hand(0) == ()
    assert f"size {size} " in line and f"size {2 * size} " in line, line
    assert main(["no-such-case", "--root", str(root)]) == 2
    assert "no-such-case" in capsys.readouterr().err
