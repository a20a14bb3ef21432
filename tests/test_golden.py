"""Golden tests over every bundled case: expected leaders, the JSON contract, sanity."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from analysis import analyze
from analysis.casefile.layout import list_cases
from analysis.casefile.loader import load_case
from analysis.cli import app
from analysis.engine.bayes import DB
from analysis.scales import estimative_word

#: case -> (hypotheses from most to least probable, confidence level)
GOLDEN = {
    "nk-hamas": (("transfer", "legacy", "direct", "none"), "low"),
    "nk-hamas-extended": (("transfer", "legacy", "direct", "none"), "low"),
    "office-leak": (("analyst", "manager", "contractor"), "low"),
}


CONTRACT = Path("docs") / "contract" / "analyze-output.schema.json"


@pytest.fixture(scope="module")
def schema(repo_root):
    """The JSON contract, as kept in this repository (docs/contract/)."""
    return json.loads((repo_root / CONTRACT).read_text())


def test_the_kept_contract_is_the_shared_one(repo_root):
    """The copy in docs/contract/ must not drift from the project's shared contract."""
    shared = repo_root.parent / "shared" / "contract" / "analyze-output.schema.json"
    if not shared.exists():  # only where shared/ lies beside the clone, as in CI
        pytest.skip(f"shared contract not found at {shared}")
    assert json.loads((repo_root / CONTRACT).read_text()) == json.loads(shared.read_text())


def test_every_bundled_case_has_a_golden_entry(repo_root):
    assert set(list_cases(repo_root)) == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_ranking(name, repo_root):
    ranking, confidence = GOLDEN[name]
    case = load_case(name, repo_root)
    result = analyze(case)
    assert tuple(case.hypothesis_ids[k] for k in result.ranking) == ranking
    assert result.confidence.level == confidence


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_json_output_meets_the_contract(name, repo_root, schema):
    result = CliRunner().invoke(app, ["analyze", name, "--root", str(repo_root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, schema)
    case = load_case(name, repo_root)
    assert data["hypotheses"] == list(case.hypothesis_ids)
    assert [e["id"] for e in data["evidence"]] == [i.id for i in case.evidence]
    assert abs(sum(data["posterior"].values()) - 1) < 1e-9
    assert data["words"] == {h: estimative_word(p) for h, p in data["posterior"].items()}
    assert data["content_hash"] == case.content_hash and data["engine_version"]
    # contributions plus the prior's add up to the posterior logits in decibans
    ids = data["hypotheses"]
    logits = np.array([DB * np.log(data["posterior"][h]) for h in ids])
    total = np.array(
        [
            data["prior_contribution"][h] + sum(e["contribution"][h] for e in data["evidence"])
            for h in ids
        ]
    )
    np.testing.assert_allclose(total, logits - logits.mean(), atol=1e-6)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_likelihood_has_a_rationale(name, repo_root):
    case = load_case(name, repo_root)
    assert all(item.rationale.strip() for item in case.evidence)
    assert all(item.date is None or len(item.date) == 10 for item in case.evidence)


def test_seed_case_is_substantial(repo_root):
    case = load_case("nk-hamas", repo_root)
    assert len(case.evidence) >= 14 and len(case.indicators) >= 4
    assert case.hypothesis_ids == ("direct", "legacy", "transfer", "none")
    assert len({item.source for item in case.evidence}) >= 5


def test_teaching_case_uses_ratings_only(repo_root):
    case = load_case("office-leak", repo_root)
    for item in case.evidence + case.indicators:
        assert set(item.ratings) == set(case.hypothesis_ids)
        assert all(p.origin == "rating" for p in item.likelihoods.values())
