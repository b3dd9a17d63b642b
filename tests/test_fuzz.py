"""Fuzzing the whole command line: hypothesis builds argument lists from the real commands
(``ptcli --help`` and each group's), with hostile values, and runs each in this process
against a fresh store.

Every invocation must end with a documented exit code (0 done, 1 failure, 2 bad input,
3 stopped for safety); a failure says so in one line on stderr starting ``ptcli: ``,
never a traceback nor "unexpected error", and leaves the store byte for byte as it was.
Nothing printed on stderr, or by a table on stdout, carries a control character.

A few hundred examples run in the suite (the same ones each time); set
PTCLI_FUZZ_EXAMPLES=25000 for a long random run:

    PTCLI_FUZZ_EXAMPLES=25000 .venv/bin/pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptcli.cli import main
from ptcli.cli.app import build_app
from tests.conftest import ROOT

EXAMPLES = int(os.environ.get("PTCLI_FUZZ_EXAMPLES", "600"))

# Text a user, a catalogue or an import could bring: control characters, escapes, bidi
# overrides, separators, lone surrogates (bytes that are not UTF-8), markup, long runs.
HOSTILE_PIECES = [
    "\x1b]0;PWNED\x07",
    "\x1b[2J",
    "\x1b[8m",
    "\x00",
    "\r",
    "\n",
    "\x9b",
    "\u202e",
    "\u2066",
    "\u2028",
    "\x85",
    "\udcff",
    "\ud800",
    "[bold]x[/]",
    "%s%n{0}",
    "=cmd|' /C calc'!A0",
    "²",
    "①",
    "٣",
    "🙂",
    "x" * 300,
]
hostile_text = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=12),
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=3).map("".join),
)
numbers = st.one_of(
    st.integers(-3, 40).map(str),
    st.sampled_from(
        [
            "0",
            "00",
            "011",
            " 3 ",
            "-0",
            "3.0",
            "1e300",
            "inf",
            "nan",
            "0x10",
            "²",
            "①",
            "٣",
            "9" * 4301,
            "99999999999999999999",
            "",
        ]
    ),
)
dates = st.one_of(
    st.sampled_from(
        [
            "today",
            "yesterday",
            "-0d",
            "-1d",
            "-3d",
            "-99999999999d",
            "2026-02-30",
            "1899-12-31",
            "1900-01-01",
            "2999-12-31",
            "3000-01-01",
            "9999-12-31",
            "2026-01-01T00:00:00+14:00",
            "2026-01-01T25:61",
            "2026-01-01T00:00:00-23:59",
            "0000-00-00",
            "tomorrow",
            "",
            "2026-03-01T10:00:00Z",
            "1e300",
        ]
    ),
    hostile_text,
)
exercise_ids = st.one_of(
    st.sampled_from(
        [
            "prone-lying",
            "walking",
            "bird-dog",
            "dynamic-bridge",
            "PRONE-LYING",
            "prone-lyin",
            "unknown-id",
            "",
        ]
    ),
    hostile_text,
)
# Paths stay inside the example's own folder (the working directory): never a device.
paths = st.sampled_from(
    [
        "out.txt",
        "sub/out.json",
        "data/ptcli.json",
        "data/ptcli.json.bak",
        "missing.json",
        "export.json",
        "export.ndjson",
        "garbage.json",
        "dir",
        "-",
        "",
        "~/x.json",
    ]
)
# and names a user could type: hostile text, kept relative and inside the folder
paths = st.one_of(
    paths,
    hostile_text.filter(lambda text: not text.startswith(("/", "~")) and ".." not in text),
)
catalogues = st.sampled_from(["hostile.yaml", "missing.yaml", "garbage.json", "dir", ""])
stdin_lines = st.lists(
    st.one_of(numbers, st.sampled_from(["y", "n", "", "thigh", "s", "q"]), hostile_text),
    max_size=12,
)
# Values that keep a guided session from waiting in real time (only 0 is a valid pace)
paces = st.sampled_from(["0", "inf", "-inf", "nan", "1e300", "-1", "11", "x"])
# A PDF is printed by WeasyPrint (seconds each): the other formats only, for speed.
SLOW = {"pdf"}


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if hasattr(command, "commands"):
        found = []
        for name, child in command.commands.items():
            found += _leaves(child, (*path, name))
        return found
    return [(path, command)]


GROUP = typer.main.get_command(build_app([]))
COMMANDS = _leaves(GROUP)


def _values(param: Any) -> st.SearchStrategy[str]:
    kind = type(param.type).__name__
    name = param.name or ""
    choices = getattr(param.type, "choices", None)
    if name == "pace":
        return paces
    if choices:
        shown = [str(c) for c in choices if str(c) not in SLOW]
        return st.one_of(
            st.sampled_from(shown), st.sampled_from(shown).map(str.upper), hostile_text
        )
    if kind == "TyperPath":
        return paths
    if kind in ("IntRange", "IntParamType", "FuncParamType", "FloatParamType"):
        return numbers
    if name in ("at", "since", "until", "date"):
        return dates
    if "exercise" in name:
        return exercise_ids
    return hostile_text


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(COMMANDS))
    args: list[str] = []
    for option, values in (("--db", paths), ("--catalogue", catalogues)):
        if draw(st.booleans()) and draw(st.booleans()):
            args += [option, draw(values)]
    args += path
    if path == ("session", "start"):
        args += ["--pace", "0"]
    options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        count = draw(st.integers(0, 2)) if param.nargs == -1 else 1
        if draw(st.integers(0, 9)) == 0:
            count = 0  # a missing argument now and then
        args += [draw(_values(param)) for _ in range(count)]
    for param in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        if param.is_flag:
            args.append(draw(st.sampled_from([*param.opts, *param.secondary_opts])))
        else:
            args += [param.opts[0], draw(_values(param))]
    if draw(st.integers(0, 19)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(hostile_text))  # a stray word
    return args


UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Commands that save each answer as it is given (README "ptcli screen", "A guided
# session"): input that ends early exits 2 with those answers kept.
ANSWERS_AS_GIVEN = {("screen",), ("session", "start"), ("init",)}


def _runs(args: list[str], words: tuple[str, ...]) -> bool:
    """Do ``args`` contain the command ``words``?"""
    return any(tuple(args[i : i + len(words)]) == words for i in range(len(args)))


@functools.cache
def seed() -> dict[str, bytes]:
    """Files an example may start from: a store with a little of everything, exports, a
    catalogue with hostile text (built once: each example copies them)."""
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "ptcli.json"
        old = os.environ.get("PTCLI_DB")
        os.environ["PTCLI_DB"] = str(store)
        try:
            for args in (
                ["init", "--name", "Sam \x1b[2J", "--side", "left"],
                ["screen", "--yes", "fever", "--no-others"],
                ["pain", "log", "5", "--where", "thigh", "--at", "-1d", "--note", "x\x1b]0;t\x07"],
                ["session", "log", "prone-lying", "--pain-after", "3", "--where-after", "buttock"],
                ["plan", "set", "walking", "--reps", "1"],
                ["export", "--output", str(Path(folder) / "export.json")],
                ["export", "--format", "ndjson", "--output", str(Path(folder) / "export.ndjson")],
            ):
                with (
                    contextlib.redirect_stdout(io.StringIO()),
                    contextlib.redirect_stderr(io.StringIO()),
                ):
                    assert main(args) == 0, args
        finally:
            if old is None:
                del os.environ["PTCLI_DB"]
            else:
                os.environ["PTCLI_DB"] = old
        text = (ROOT / "exercises.yaml").read_text()
        hostile = text.replace("name: Lying face down", 'name: "Lying \\e]0;PWNED\\a down"', 1)
        return {
            "store": store.read_bytes(),
            "export.json": (Path(folder) / "export.json").read_bytes(),
            "export.ndjson": (Path(folder) / "export.ndjson").read_bytes(),
            "garbage.json": b'{"version": true, "records": [[[[]]]]}\n\xff\xfe',
            "hostile.yaml": hostile.encode(),
        }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize="PTCLI_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
)
@given(args=invocations(), seeded=st.booleans(), answers=stdin_lines)
def test_fuzz_the_command_line(
    args: list[str],
    seeded: bool,
    answers: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        store = home / "data" / "ptcli.json"
        store.parent.mkdir()
        (home / "dir").mkdir()
        for name in ("export.json", "export.ndjson", "garbage.json", "hostile.yaml"):
            (home / name).write_bytes(seed()[name])
        if seeded:
            store.write_bytes(seed()["store"])
        monkeypatch.chdir(home)
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.setenv("PTCLI_DB", str(store))
        monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
        monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg"))
        stdin = "".join(f"{line}\n" for line in answers).encode("utf-8", "surrogatepass")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        before = store.read_bytes() if store.exists() else None

        code = main(list(args))
        out, err = capsys.readouterr()

        shown = f"ptcli {args!r} -> {code}\nstdout: {out[-500:]!r}\nstderr: {err!r}"
        assert code in (0, 1, 2, 3), shown
        assert "Traceback" not in err and "unexpected error" not in err, shown
        assert not UNSHOWABLE.search(err), shown
        if code in (1, 2) and not (_runs(args, ("catalogue", "check")) and out):
            assert err.startswith("ptcli: ") and err.count("\n") == 1, shown
        if code in (1, 2) and not any(_runs(args, words) for words in ANSWERS_AS_GIVEN):
            after = store.read_bytes() if store.exists() else None
            assert after == before, f"the store changed on failure: {shown}"
        if code == 3:
            assert all(line.startswith("ptcli: ") for line in err.splitlines()), shown
        table = not {"--json", "--format", "export", "--help", "-h"} & set(args)
        if table:
            assert not UNSHOWABLE.search(out.replace("\n", "").replace("\t", "")), shown
