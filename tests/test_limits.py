"""Input limits (issue 9, point 10): checked before parsing, each named in its message,
the same for files, uploads and imports, and wide enough for the benchmarks' cases."""

from __future__ import annotations

import tomllib

import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from analysis.casefile import limits, yamlio
from analysis.casefile.loader import load_case_texts
from analysis.casefile.writer import dump_yaml
from analysis.cli import app
from analysis.errors import CaseError
from analysis.serve import streamlit_command
from analysis.testing.synthetic import synthetic_case

runner = CliRunner()

HYP = """\
case: big
title: Big
question: Which?
hypotheses:
{hypotheses}"""
EVI = """\
case: big
sources:
  - id: s
    name: S
evidence:
{items}"""


def _hypotheses(k: int) -> str:
    return "".join(f"  - {{id: h{j}, label: H{j}}}\n" for j in range(k))


def _items(n: int, k: int = 2) -> str:
    likelihoods = ", ".join(f"h{j}: 0.5" for j in range(k))
    return "".join(
        f"  - {{id: e{i}, claim: c, source: s, likelihoods: {{{likelihoods}}}}}\n" for i in range(n)
    )


def _write(root, hyp: str, evi: str):
    for folder, text in (("hypotheses", hyp), ("evidence", evi)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "big.yaml").write_text(text, encoding="utf-8")
    return root


def _never_parse(monkeypatch, above: int = 0):
    """The YAML parser fails the test if it is given more than ``above`` characters."""
    real = yaml.parse

    def parse(text, *args, **kwargs):
        assert len(text) <= above, "the YAML parser ran on the large file"
        return real(text, *args, **kwargs)

    monkeypatch.setattr(yaml, "parse", parse)


def test_a_100000_item_file_is_refused_by_its_size_before_parsing(tmp_path, monkeypatch):
    hyp = HYP.format(hypotheses=_hypotheses(2))
    root = _write(tmp_path, hyp, EVI.format(items=_items(100_000)))
    size = (root / "evidence" / "big.yaml").stat().st_size
    assert size > limits.MAX_BYTES
    _never_parse(monkeypatch, above=10_000)  # the hypotheses file is parsed, not the other
    result = runner.invoke(app, ["validate", "big", "--root", str(root)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"evidence/big.yaml:1: is {limits.shown_mebibytes(size)} MiB; the limit for a case file "
        "is 4 MiB: split the case or remove what does not belong in it"
    ]


def test_uploaded_text_past_the_limit_is_refused_before_parsing(monkeypatch):
    _never_parse(monkeypatch)
    text = "evidence:\n" + "#" * limits.MAX_BYTES
    with pytest.raises(CaseError) as raised:
        load_case_texts(text, text.encode())
    lines = raised.value.lines()
    assert len(lines) == 2
    assert all("the limit for a case file is 4 MiB" in line for line in lines)


def test_more_items_than_the_limit_stop_the_reading_at_the_first_past_it(tmp_path):
    n = limits.MAX_ITEMS + 50
    evi = EVI.format(items=_items(n))
    assert len(evi.encode()) < limits.MAX_BYTES  # not the size: the count
    root = _write(tmp_path, HYP.format(hypotheses=_hypotheses(2)), evi)
    result = runner.invoke(app, ["validate", "big", "--root", str(root)])
    assert result.exit_code == 2, result.output
    line = evi.splitlines().index(f"  - {_items(limits.MAX_ITEMS + 1).splitlines()[-1][4:]}") + 1
    assert result.output.strip().splitlines() == [
        f"evidence/big.yaml:{line}: evidence lists more than 5,000 entries; a case may hold "
        "at most 5,000 evidence items: split the case or remove some"
    ]


def test_more_hypotheses_than_the_limit_are_refused_with_that_limit(tmp_path):
    hyp = HYP.format(hypotheses=_hypotheses(limits.MAX_HYPOTHESES + 1))
    root = _write(tmp_path, hyp, EVI.format(items=_items(1, limits.MAX_HYPOTHESES + 1)))
    result = runner.invoke(app, ["validate", "big", "--root", str(root)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"hypotheses/big.yaml:{5 + limits.MAX_HYPOTHESES}: hypotheses lists more than 100 "
        "entries; a case may hold at most 100 hypotheses: split the case or remove some"
    ]


def test_many_values_without_aliases_do_not_blame_aliases():
    text = "case: big\nnotes: [" + ",".join(["1"] * (limits.MAX_NODES + 5)) + "]\n"
    assert len(text) < limits.MAX_BYTES  # the value limit, not the byte limit, refuses it
    doc = yamlio.parse_yaml(text, "evidence/big.yaml")
    (problem,) = doc.problems
    assert f"expands to more than {limits.MAX_NODES} values, the limit" in problem.message
    assert "aliases" not in problem.message and problem.message.endswith("split the case")


def test_a_case_within_every_list_limit_is_not_refused_for_its_values():
    """1,000 items x 100 hypotheses (2.9 MB, inside the byte limit): at a value limit of
    200,000 its keys and likelihoods were refused though every list kept its limit."""
    hyp, evi = dump_yaml(synthetic_case(limits.MAX_HYPOTHESES, 1000, seed=1))
    assert len(evi.encode()) < limits.MAX_BYTES
    case = load_case_texts(hyp, evi)
    assert (len(case.hypotheses), len(case.evidence)) == (limits.MAX_HYPOTHESES, 1000)


@pytest.mark.parametrize(("k", "n"), [(10, 1000), (10, limits.MAX_ITEMS)])
def test_the_benchmark_cases_are_within_the_limits(k, n):
    hyp, evi = dump_yaml(synthetic_case(k, n, seed=1))
    assert max(len(hyp.encode()), len(evi.encode())) < limits.MAX_BYTES / 2
    case = load_case_texts(hyp, evi)
    assert (len(case.hypotheses), len(case.evidence)) == (k, n)


def test_imports_keep_the_case_file_limits(tmp_path):
    from analysis.interchange import guard

    assert guard.MAX_FILE_BYTES == limits.MAX_BYTES
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (limits.MAX_BYTES + 1))
    result = runner.invoke(app, ["import", str(big), "--case", "big", "--root", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "is larger than 4 MB; refused" in result.output


def test_uploads_are_capped_to_the_case_file_limit_from_any_folder():
    command = streamlit_command(ROOT, None, None, None)
    at = command.index("--server.maxUploadSize")
    assert int(command[at + 1]) == limits.MAX_UPLOAD_MB == 4
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == limits.MAX_UPLOAD_MB


def test_a_file_just_past_the_limit_never_reads_as_the_limit():
    assert limits.size_problem(limits.MAX_BYTES) is None
    assert limits.size_problem(limits.MAX_BYTES + 13).startswith("is 4.1 MiB; the limit")
    assert limits.shown_mebibytes(3 * limits.MEBIBYTE) == "3.0"
