"""The daily commands' quick path (cli/quick.py) reads arguments exactly as Typer does.

For any argument list, the quick path either leaves it to Typer, or calls the same
function with the same values as the Typer command would: hypothesis draws argument
lists from the daily commands' own words, valid and not, and each runs both ways with
the work functions (cli/daily.py) replaced by a recorder.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli.cli import daily, quick
from ptcli.cli.app import build_app
from tests.conftest import ROOT


class Called(Exception):
    """Raised by the recorder: the work function was reached, with these values."""

    def __init__(self, name: str, values: dict[str, Any]) -> None:
        self.name, self.values = name, values


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every work function of daily.py records its call instead of running."""
    for path in quick.QUICK.values():
        name = path.partition(":")[2]
        signature = inspect.signature(getattr(daily, name))

        def record(*args: Any, _name: str = name, _sig: Any = signature, **kwargs: Any) -> None:
            bound = _sig.bind(*args, **kwargs)
            bound.apply_defaults()
            raise Called(_name, dict(bound.arguments))

        monkeypatch.setattr(daily, name, record)


def through_typer(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The call the Typer command makes for ``args`` (None: Typer refuses or helps)."""
    try:
        build_app(args)(args=args, prog_name="ptcli", standalone_mode=False)
    except Called as call:
        return call.name, call.values
    except Exception:
        return None
    return None


def through_quick(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    action = quick.quick_action(args)
    if action is None:
        return None
    try:
        action()
    except Called as call:
        return call.name, call.values
    raise AssertionError("the quick action did not reach its work function")


def test_quick_json_is_what_the_typer_app_says() -> None:
    written = json.loads(quick.SPEC_FILE.read_text())
    assert written == json.loads(json.dumps(quick.spec_of_app())), (
        "cli/quick.json is stale: run 'python -m ptcli.cli.quick' and commit it"
    )


# Words the daily commands take, and words that are near them or wrong.
OPTION_WORDS = [
    *("--json", "--explain", "--all", "--routine", "--since", "--until", "--at", "--note"),
    *("--where", "--flag", "--sets", "--reps", "--hold", "--minutes", "--pain-after"),
    *("--where-after", "--json=1", "--where=CALF", "--at=-2h", "--sets=0", "--no-json"),
    *("--wher", "-h", "--help", "--", "-", "--debug", "--version", "-o", "--db", "--pain"),
]
VALUE_WORDS = [
    *("0", "4", "10", "05", " 3", "11", "-1", "4.0", "²", "1_0", "٣", "+2", "", "x"),
    *("thigh", "CALF", "Foot", "knee", "bladder", "Saddle-Numbness", "Night-Pain", "numb"),
    *("bird-dog", "Prone lying", "yesterday", "-3d", "2026-11-28 08:00", "--note"),
]
PREFIXES = [
    [],
    ["--db", "other.json"],
    ["--db=other.json"],
    ["--catalogue", "exercises.yaml"],
    ["--debug"],
    ["--version"],
    ["-h"],
    ["--db"],
]
COMMANDS = [*(path.split() for path in quick.QUICK), ["pain"], ["session", "start"], ["todya"]]
noise = st.builds(
    lambda prefix, command, words: [*prefix, *command, *words],
    st.sampled_from(PREFIXES),
    st.sampled_from(COMMANDS),
    st.lists(st.sampled_from(OPTION_WORDS + VALUE_WORDS), max_size=6),
)
SPEC = json.loads(quick.SPEC_FILE.read_text())
VALUES = {  # mostly what Typer takes, some it does not
    "text": st.sampled_from(["yesterday", "-3d", "bird-dog", "Prone lying", "", "--x", "é"]),
    "int": st.sampled_from(["1", "3", "12", "0", "-2", "1_0", " 4", "2.5"]),
    "parser": st.sampled_from(["0", "5", "10", "05", " 7 ", "11", "²", "x"]),
}


@st.composite
def plausible(draw: Any) -> list[str]:
    """A daily command with some of its own options, in any order and either spelling."""
    path = draw(st.sampled_from(list(SPEC["commands"])))
    pieces: list[list[str]] = []
    for param in SPEC["commands"][path]["params"]:
        if not draw(st.booleans()):
            continue
        kind = param["type"]
        if kind["kind"] == "choice":
            choice = draw(st.sampled_from(kind["choices"]))
            value = draw(st.sampled_from([choice, choice.upper(), "knee"]))
        else:
            value = draw(VALUES.get(kind["kind"], VALUES["text"]))
        if param["argument"]:
            pieces.append([value])
        elif param["flag"]:
            pieces.append([param["opts"][0]])
        else:
            opt = param["opts"][0]
            pieces.append(draw(st.sampled_from([[opt, value], [f"{opt}={value}"]])))
            if param["multiple"] and draw(st.booleans()):
                pieces.append([opt, value])
    order = draw(st.permutations(pieces))
    prefix = draw(st.sampled_from([[], ["--db", "other.json"], ["--debug"]]))
    return [*prefix, *path.split(), *(word for piece in order for word in piece)]


argv = st.one_of(noise, plausible())


@pytest.mark.usefixtures("recorded")
@settings(
    max_examples=int(os.environ.get("PTCLI_FUZZ_EXAMPLES", "400")),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(args=argv)
def test_the_quick_path_calls_what_typer_calls_or_leaves_it_to_typer(args: list[str]) -> None:
    quick_call = through_quick(args)
    if quick_call is not None:
        assert through_typer(args) == quick_call


@pytest.mark.usefixtures("recorded")
@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["today", "--json"],
        ["today", "--explain", "--json"],
        ["--db", "other.json", "history", "--since", "-30d"],
        ["--db=other.json", "history", "--all", "--json", "--until", "yesterday"],
        ["pain", "log", "4"],
        ["pain", "log", "--where", "THIGH", "04", "--note", "-x", "--at=-2h"],
        ["pain", "log", "9", "--flag", "night-pain", "--flag", "Saddle-Numbness"],
        ["pain", "list", "--since", "monday"],
        ["session", "log", "bird-dog", "--reps", "6", "--pain-after", "3", "--where-after", "calf"],
        ["session", "log", "--routine", "--minutes", "10"],
        ["--debug", "session", "log", "walking", "--hold", "600", "--hold", "30"],
    ],
    ids=" ".join,
)
def test_plain_daily_arguments_take_the_quick_path(args: list[str]) -> None:
    quick_call = through_quick(args)
    assert quick_call is not None
    assert through_typer(args) == quick_call


@pytest.mark.parametrize(
    "args",
    [
        ["today", "--help"],
        ["pain", "log", "11"],
        ["pain", "log", "-1"],
        ["pain", "log", "4", "--where", "knee"],
        ["session", "log", "bird-dog", "--sets", "0"],
        ["history", "--json=1"],
        ["--version", "today"],
        ["today", "--db", "x.json"],
        ["pain", "log", "4", "--", "5"],
        ["pain", "--help", "log"],
    ],
    ids=" ".join,
)
def test_help_and_mistakes_are_left_to_typer(args: list[str]) -> None:
    assert quick.quick_action(args) is None


def test_a_folder_as_the_store_is_left_to_typer(tmp_path: Path) -> None:
    assert quick.quick_action(["--db", str(tmp_path), "today"]) is None


def test_an_empty_store_variable_is_no_value_as_for_typer(
    monkeypatch: pytest.MonkeyPatch, recorded: None
) -> None:
    monkeypatch.setenv("PTCLI_DB", "")
    assert through_quick(["today"]) == through_typer(["today"])
    assert through_quick(["today"]) == (
        "today",
        {"paths": {"db": None, "catalogue": None}, "json": False, "explain": False},
    )


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_PTCLI_COMPLETE", "bash_complete")
    assert quick.quick_action(["today"]) is None


@pytest.mark.parametrize(
    ("args", "typer_loaded"),
    [
        (["pain", "log", "3", "--where", "thigh"], False),
        (["today", "--json"], False),
        (["history", "--since", "-7d"], False),
        (["session", "log", "bird-dog"], False),
        (["pain", "log", "12"], True),  # the error is Typer's
        (["profile"], True),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_daily_commands_run_without_importing_typer(
    db: Path, args: list[str], typer_loaded: bool
) -> None:
    """A real process: whether Typer's 55 ms of imports were paid (see quick.py)."""
    script = (
        "import sys\nfrom ptcli.cli import main\ncode = main(sys.argv[1:])\n"
        "print('typer' in sys.modules, code, file=sys.stderr)\n"
    )
    subprocess.run(
        [sys.executable, "-m", "ptcli", "init", "--name", "Q"], check=True, capture_output=True
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PTCLI_DB": str(db)},
    )
    loaded = done.stderr.strip().splitlines()[-1].split()[0]
    assert loaded == str(typer_loaded), done.stderr
