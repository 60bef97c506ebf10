"""The README's first two lines are the commands CI and a new user run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    lines = ROOT.joinpath("README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "```sh", "the README must open with the two commands"
    return lines[1:3]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the README's second command verbatim, then make check."""
    ci = ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    test_command = _readme_commands()[1]
    assert test_command in ci
    assert "make check" in ci
    assert test_command.endswith("pytest")


def test_first_command_sets_up_and_starts_the_demo() -> None:
    """The first command makes its own virtual environment and starts the product with demo data."""
    first = _readme_commands()[0]
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert first.endswith(".venv/bin/jixiao demo")
    assert (ROOT / "examples" / "demo").is_dir(), "the demo loads the project's own examples"


def test_ci_requires_the_data_and_the_browser_the_tests_may_skip() -> None:
    """.ci/run makes a missing ../shared or browser a failure before it runs the README's command."""
    ci = ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    required = next(n for n, line in enumerate(ci) if line.startswith("export JIXIAO_REQUIRE_SHARED=1"))
    assert "JIXIAO_REQUIRE_BROWSER=1" in ci[required]
    assert required < ci.index(_readme_commands()[1])
