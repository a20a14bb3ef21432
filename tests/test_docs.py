"""The README covers every command, option and documented scale, from their sources."""

from __future__ import annotations

import click
import pytest
import typer.main

from analysis import scales
from analysis.cli import app


@pytest.fixture(scope="module")
def readme(repo_root) -> str:
    return (repo_root / "README.md").read_text()


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_readme_names_every_command_and_option(readme):
    for name, command in _commands().items():
        assert f"ach {name}" in readme, name
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--") and flag != "--help":
                    assert flag in readme, f"{name} {flag}"


@pytest.mark.parametrize(
    "table",
    [scales.CREDIBILITY_WORDS, scales.RATING_LIKELIHOOD],
    ids=["credibility words", "rating scale"],
)
def test_readme_gives_every_scale_value(readme, table):
    for key, value in table.items():
        assert f"{key} = {value:g}" in readme or f"{key} = " in readme, key
        assert f"{value:g}" in readme


@pytest.mark.parametrize("yardstick", [scales.ICD203, scales.PHIA, scales.JEFFREYS])
def test_readme_gives_every_phrase(readme, yardstick):
    for _, phrase in yardstick:
        assert phrase in readme, phrase
