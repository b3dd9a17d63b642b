"""The README's two commands, CI running the second, and the linters the suite enforces."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    quick_start = (
        (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    )
    return re.findall(r"```sh\n(.+?)\n```", quick_start)


def test_the_readme_gives_two_commands_set_up_and_tests() -> None:
    setup, tests = readme_commands()
    assert setup.endswith("ptcli today") and "pip install ." in setup
    assert tests.endswith("pytest") and "[test]" in tests


def test_ci_runs_the_readme_test_command_and_nothing_else() -> None:
    script = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert script[-1] == readme_commands()[1]
    assert script[:-1] == ["set -euo pipefail", 'cd "$(dirname "$0")/.."']


def test_ruff_lint_and_format_are_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        process = subprocess.run(
            [str(BIN / "ruff"), *args], cwd=ROOT, capture_output=True, text=True
        )
        assert process.returncode == 0, process.stdout + process.stderr


def test_mypy_strict_is_clean() -> None:
    process = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    assert process.returncode == 0, process.stdout
