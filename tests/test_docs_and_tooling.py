"""The README's two commands, CI running the second, and the linters the suite enforces."""

from __future__ import annotations

import json
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
    crontab = scripting_blocks("crontab")
    # A variable line (PATH=...) is cron's own setting; the others are schedule + command.
    assert crontab[0].startswith("PATH=") and "/.venv/bin:" in crontab[0]
    cron = [" ".join(line.split()[5:]) for line in crontab[1:]]
    lines = scripting_blocks("sh") + cron
    assert len(lines) >= 7
    printed = {}
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
        printed[line] = process.stdout
    assert (
        (tmp_path / "pain-week.csv")
        .read_text()
        .startswith("id,at,score,where,note,after_exercise,local_time\n")
    )
    assert (tmp_path / "laptop.json").exists()
    # The reminder prints what the README says: the name of today's first exercise.
    today = json.loads(run_line("ptcli today --json", tmp_path, env))
    assert printed[cron[-1]] == f"{today['exercises'][0]['name']}\n"


def run_line(line: str, cwd: Path, env: dict[str, str], stdin: str = "") -> str:
    process = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert process.returncode == 0, (line, process.stdout[-2000:], process.stderr)
    return process.stdout


def walkthrough_lines(heading: str) -> list[str]:
    section = (ROOT / "README.md").read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ")[0]
    blocks = re.findall(r"```sh\n(.+?)\n```", section, re.S)
    joined = [
        block.replace("\\\n", " ") for block in blocks
    ]  # a command continued on the next line
    return [line for block in joined for line in block.splitlines() if line.strip()]


def test_the_walkthrough_examples_run_as_written(tmp_path: Path) -> None:
    """The examples of the sections after the Quick start, each line as written in a shell
    whose PATH starts with the virtual environment's bin (what activating it does)."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PTCLI_DB": str(tmp_path / "ptcli.json"),
        "HOME": str(tmp_path),
    }
    first_day = walkthrough_lines("A patient's first day")
    guided = walkthrough_lines("A guided session")
    plan = walkthrough_lines("A therapist's plan")
    quick = walkthrough_lines("A therapist's quick routine")
    printing = walkthrough_lines("Printing a routine")
    assert first_day[0].startswith("ptcli init ") and len(first_day) >= 8
    questions = "n\n" * 13  # `ptcli screen` asks one question per warning sign
    ran = []
    for line in first_day:
        if line.startswith("ptcli session start "):
            continue  # real-time timers: the guided section's own example runs it at --pace 0
        ran.append(run_line(line, tmp_path, env, questions if "ptcli screen " in line else ""))
    assert "Lying face down" in ran[3]  # today
    for line in guided + plan + quick + printing:
        if not line.startswith("#"):
            run_line(line, tmp_path, env)
    assert (tmp_path / "routine.md").read_text().startswith("# ")
    assert (tmp_path / "sam.pdf").read_bytes().startswith(b"%PDF")
    assert "Sam Patient" in (tmp_path / "quick.html").read_text()
