"""The command-line contract: help, version, exit codes and one-line errors that write nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ptcli import __version__
from ptcli.cli.app import build_app
from tests.conftest import ROOT

COMMANDS = [
    ["init"],
    ["profile"],
    ["pain", "log"],
    ["pain", "list"],
    ["catalogue", "list"],
    ["catalogue", "show"],
    ["catalogue", "check"],
    ["today"],
    ["routine"],
    ["session", "log"],
    ["session", "start"],
    ["history"],
    ["export"],
    ["import"],
    ["push"],
    ["screen"],
    ["flag", "list"],
    ["flag", "clear"],
    ["plan", "set"],
    ["plan", "drop"],
    ["plan", "show"],
    ["plan", "clear"],
    ["plan", "history"],
    ["pain", "edit"],
    ["session", "edit"],
    ["delete"],
    ["undo"],
    ["db", "check"],
    ["db", "backups"],
    ["db", "restore"],
    ["appointment", "add"],
    ["appointment", "list"],
    ["appointment", "done"],
    ["appointment", "cancel"],
    ["learn"],
    ["assess"],
    ["progress"],
    ["report"],
    ["measure", "psfs"],
    ["measure", "peg"],
    ["measure", "odi"],
    ["measure", "rmdq"],
    ["measure", "list"],
    ["patients"],
]


def test_every_command_is_registered_and_tested_here() -> None:
    import typer.main

    group = typer.main.get_command(build_app([]))
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        found += [[name, child] for child in sub] if sub else [[name]]
    assert sorted(found) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_a_readme_section(run: Any, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"Usage: ptcli {' '.join(command)}")
    description = result.out.split("\n\n")[1].strip()
    assert len(description) > 20, description
    readme = (ROOT / "README.md").read_text()
    assert f"ptcli {' '.join(command)}" in readme


def test_version(run: Any) -> None:
    result = run("--version")
    assert (result.code, result.out) == (0, f"ptcli {__version__}\n")


def test_python_dash_m_works() -> None:
    from tests.conftest import run_process

    process = run_process("--version")
    assert (process.returncode, process.stdout) == (0, f"ptcli {__version__}\n")


BAD_INPUT = [
    (
        ["pain", "log", "11"],
        "Invalid value for 'SCORE': '11' is not a pain score: use a whole number from 0 to 10",
    ),
    (["pain", "log", "-1"], "No such option: -1"),
    (["pain", "log", "three"], "'three' is not a pain score"),
    (
        ["pain", "log", "3", "--where", "knee"],
        "'knee' is not one of 'none', 'back', 'side', 'buttock', 'thigh', 'calf', 'foot'",
    ),
    (["pain", "log", "3", "--at", "last tuesday"], "--at: cannot read the date 'last tuesday'"),
    (["pain", "log", "3", "--at", "2999-01-01"], "--at: '2999-01-01' is in the future"),
    (["pain", "list", "--since", "2026-13-01"], "--since: cannot read the date '2026-13-01'"),
    (["pain", "list", "--since", "today", "--until", "-3d"], "--since today is after --until -3d"),
    (
        ["session", "log", "prone-lyin"],
        "unknown exercise 'prone-lyin': did you mean prone-lying (Lying face down)?",
    ),
    (
        ["session", "log", "prone-lying", "--sets", "0"],
        "--sets must be 1 or more",
    ),
    (
        ["session", "log", "prone-lying", "--reps", "-2"],
        "--reps must be 1 or more",
    ),
    (
        ["session", "log", "prone-lying", "--pain-after", "12"],
        "Invalid value for '--pain-after': '12' is not a pain score",
    ),
    (["routine", "--pain", "ten"], "Invalid value for '--pain': 'ten' is not a pain score"),
    (["routine", "--where", "calf"], "--where goes with --pain"),
    (["routine", "--date", "someday"], "--date: cannot read the date 'someday'"),
    (
        ["session", "start", "--pace", "-1"],
        "Invalid value for '--pace': -1.0 is not a number from 0 to 10",
    ),
    (
        ["session", "start", "prone-lyin"],
        "unknown exercise 'prone-lyin': did you mean prone-lying (Lying face down)?",
    ),
    (
        ["routine", "--format", "docx"],
        "'docx' is not one of 'table', 'json', 'markdown', 'html', 'pdf'",
    ),
    (
        ["routine", "--patient", "Ana"],
        "--patient is for printing: add --format html, pdf or markdown",
    ),
    (["routine", "--format", "html", "--weeks", "0"], "--weeks must be from 1 to 12"),
    (["routine", "--format", "html", "--paper", "a5"], "'a5' is not one of 'a4', 'letter'"),
    (
        ["export", "--format", "csv"],
        "a CSV file holds one table: add --table pain (or sessions, screens, ...)",
    ),
    (["screen", "--yes", "headache"], "'headache' is not one of 'saddle-numbness'"),
    (["flag", "clear", "bladder", "--note", "seen"], "bladder is not an active flag"),
    (["flag", "clear", "bladder"], "Missing option '--note'"),
    (["pain", "log", "3", "--flag", "fever", "--at", "tomorrow"], "--at: cannot read the date"),
    (
        ["plan", "set", "bird-dogg"],
        "unknown exercise 'bird-dogg': did you mean bird-dog (Opposite arm and leg lift)?",
    ),
    (["plan", "set", "walking", "--sets", "0"], "--sets must be 1 or more"),
    (["plan", "set", "dynamic-bridge", "--hold", "10"], "dynamic-bridge has no hold"),
    (["plan", "drop", "walking"], "walking is not in the plan"),
    (
        ["init", "--preference", "rotation"],
        "'rotation' is not one of 'extension', 'flexion', 'none'",
    ),
    (["catalogue", "show", "yoga"], "unknown exercise 'yoga'"),
    (["init", "--side", "middle"], "'middle' is not one of 'left', 'right', 'both'"),
    (["import", "missing.json"], "cannot read missing.json: No such file or directory"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (
        ["pain", "log", "3", "--at", "0001-01-01"],
        "--at: '0001-01-01' is out of range: use a date from 1900 to 2999",
    ),
    (["history", "--until", "9999-12-31"], "--until: '9999-12-31' is out of range"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_INPUT, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    run: Any, db: Path, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("ptcli: "), result.err
    assert message in result.err
    assert not db.exists()


def test_bad_input_leaves_an_existing_store_byte_for_byte(run: Any, db: Path) -> None:
    assert run("pain", "log", "4", "--where", "thigh").code == 0
    before = db.read_bytes()
    for args, _ in BAD_INPUT:
        assert run(*args).code == 2
    assert db.read_bytes() == before


def test_unexpected_errors_show_no_traceback_and_no_data(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptcli import services

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret note: pain 9/10")

    monkeypatch.setattr(services, "log_pain", broken)
    result = run("pain", "log", "3")
    assert result.code == 1
    assert (
        result.err
        == "ptcli: unexpected error (RuntimeError); run again with --debug to see the details\n"
    )
    with pytest.raises(RuntimeError):
        run("--debug", "pain", "log", "3")


@pytest.mark.parametrize("args", [[], ["pain"], ["catalogue"]])
def test_a_command_group_alone_shows_its_help(run: Any, args: list[str]) -> None:
    result = run(*args)
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(f"Usage: ptcli {' '.join(args)}".rstrip())


def test_places_are_read_in_any_case(run: Any) -> None:
    assert run("pain", "log", "3", "--where", "THIGH").code == 0
    assert run("pain", "list", "--json").json()[0]["where"] == "thigh"


def test_help_lists_the_global_options(run: Any) -> None:
    out = run("--help").out
    for option in ("--db", "--catalogue", "--version", "--debug", "PTCLI_DB", "PTCLI_CATALOGUE"):
        assert option in out
    assert re.search(r"today\s+Today's exercises", out)
