"""The README's two commands, CI running the second, and the linters the suite enforces."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert script[:2] == ["set -euo pipefail", 'cd "$(dirname "$0")/.."']
    # Between them only Debian packages the tests need, installed where missing: no other
    # test step that a new user following the README would not run.
    system_packages = script[2:-1]
    assert system_packages[0] == "missing=()"
    assert all("|| missing+=(" in line for line in system_packages[1:-1])
    assert system_packages[-1] == (
        'if ((${#missing[@]})); then apt-get update -qq && apt-get install -y -qq "${missing[@]}"; fi'
    )


def test_ruff_lint_and_format_are_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        process = subprocess.run(
            [str(BIN / "ruff"), *args], cwd=ROOT, capture_output=True, text=True
        )
        assert process.returncode == 0, process.stdout + process.stderr


def test_mypy_strict_is_clean() -> None:
    process = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    assert process.returncode == 0, process.stdout


def scripting_blocks(language: str) -> list[str]:
    section = (ROOT / "README.md").read_text().split("## Scripting ptcli", 1)[1].split("\n## ")[0]
    return [
        line
        for block in re.findall(rf"```{language}\n(.+?)\n```", section, re.S)
        for line in block.splitlines()
    ]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (.ci/run installs it)")
def test_the_scripting_examples_run(tmp_path: Path) -> None:
    """Every line of the README's scripting examples, in bash, against a store with a log."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PTCLI_DB": str(tmp_path / "ptcli.json"),
        "HOME": str(tmp_path),
    }
    setup = [
        "ptcli pain log 3 --where thigh --at -2d",
        "ptcli session log prone-lying --pain-after 2 --at -2d",
        "ptcli pain log 2 --where buttock",
    ]
    cron = [" ".join(line.split()[5:]) for line in scripting_blocks("crontab")]
    lines = scripting_blocks("sh") + cron
    assert len(lines) >= 7
    for line in setup + lines:
        process = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert process.returncode == 0, (line, process.stderr)
        assert process.stdout.strip() or "--output" in line, line
    assert (
        (tmp_path / "pain-week.csv")
        .read_text()
        .startswith("id,at,score,where,note,after_exercise\n")
    )
    assert (tmp_path / "laptop.json").exists()
