"""Untrusted text (notes, catalogues, imports, arguments) is shown on the terminal, never
obeyed; errors are one line; Ctrl-C at start-up is one line and exit code 130; guided
answers and --pace that are not what they look like are asked again or refused."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect  # type: ignore[import-untyped]
import pytest

from ptcli.render.words import visible
from tests.conftest import ROOT

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J hi \x1b[8mhidden\u202egnp.exe [bold red]x[/] \x9b31m\r!"
# What a terminal must never receive from a note: OSC (retitle), CSI other than Rich's own
# colours, a user's own SGR (8m hides text), BEL, CR, C1 CSI, a bidi override.
FORBIDDEN = re.compile("\x1b\\]|\x1b\\[2J|\x1b\\[8m|\x07|\r|\x9b|\u202e")


def test_visible_shows_each_kind_of_unshowable_character() -> None:
    assert visible("a\x1bb") == "a\u241bb"  # ESC: its control picture
    assert visible("\x00\x07\x7f") == "\u2400\u2407\u2421"
    assert visible("\x9b") == "<U+009B>"  # C1
    for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert visible(f"x{char}y") == f"x<U+{ord(char):04X}>y"
    assert visible("\u2028\u2029") == "<U+2028><U+2029>"
    assert visible("\ud800") == "<U+D800>"  # a lone surrogate cannot be written at all
    assert visible("one\ntwo") == "one\u240atwo"
    assert visible("one\ntwo", lines=True) == "one\ntwo"
    assert visible("tab\tand [bold]markup[/] and émoji 🙂 and 中文") == (
        "tab\tand [bold]markup[/] and émoji 🙂 and 中文"
    )


def test_a_hostile_note_is_shown_not_obeyed_in_history_and_pain_list(run: Any) -> None:
    assert run("pain", "log", "3", "--note", HOSTILE).code == 0
    for args in (["history"], ["pain", "list"]):
        out = run(*args).out
        assert not FORBIDDEN.search(out), args
        assert "\u241b]0;PWNED\u2407" in out
        assert "\u241b[8mhidden" in out
        assert "<U+202E>" in out
        assert "[bold red]x[/]" in out  # markup shown as typed


def test_on_a_colour_terminal_only_richs_own_colours_reach_it(run: Any) -> None:
    assert run("pain", "log", "3", "--note", HOSTILE).code == 0
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT / "src")}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", "history"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0
    assert "\u241b]0;PWNED" in out
    assert not FORBIDDEN.search(out.replace("\r\n", "\n"))
    # Every escape sequence left is a colour or style from Rich: no 8 (hidden text)
    for sequence in re.findall("\x1b[^a-zA-Z]*[a-zA-Z]", out):
        assert re.fullmatch(r"\x1b\[[0-9;]*m", sequence), repr(sequence)
        assert not re.search(r"[\[;]8[;m]", sequence), repr(sequence)  # 8: hidden text


def test_flag_clear_echoes_the_note_visibly(run: Any) -> None:
    assert run("screen", "--yes", "fever", "--no-others").code == 0
    result = run("flag", "clear", "fever", "--note", HOSTILE)
    assert result.code == 0
    assert not FORBIDDEN.search(result.out)
    assert "\u241b]0;PWNED" in result.out
    listed = run("flag", "list", "--all").out
    assert not FORBIDDEN.search(listed) and "\u241b]0;PWNED" in listed


@pytest.mark.parametrize(
    "args",
    [
        ["session", "log", "prone\x1b]0;PWNED\x07"],
        ["catalogue", "show", "x\x1b[2J\ny"],
        ["frobnicate\x1b[2J\u202e"],
        ["pain", "log", "3", "--at", "x\x1b]0;t\x07\ny"],
        ["pain", "log", "3", "--where", "\x1b[2J"],
    ],
)
def test_errors_are_one_visible_line(run: Any, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 2
    assert result.err.startswith("ptcli: ") and result.err.count("\n") == 1, result.err
    assert not FORBIDDEN.search(result.err)
    assert "\x1b" not in result.err


def hostile_catalogue(tmp_path: Path) -> Path:
    text = (ROOT / "exercises.yaml").read_text()
    text = text.replace(
        "name: Lying face down", 'name: "Lying \\e]0;PWNED\\a face \\e[8mdown \\u202e [bold]"', 1
    )
    text = text.replace(
        "      - Take a few slow, deep breaths.",
        '      - "Breathe \\e[2J slowly [red]now[/]"',
        1,
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    return path


def test_a_hostile_catalogue_is_shown_not_obeyed(run: Any, tmp_path: Path) -> None:
    catalogue = str(hostile_catalogue(tmp_path))
    for args in (["catalogue", "show", "prone-lying"], ["catalogue", "list"], ["today"]):
        out = run("--catalogue", catalogue, *args).out
        assert not FORBIDDEN.search(out), args
        assert "\u241b]0;PWNED" in out, args
    shown = run("--catalogue", catalogue, "catalogue", "show", "prone-lying").out
    assert "Breathe \u241b[2J slowly [red]now[/]" in shown


def test_the_guided_session_shows_a_hostile_catalogue_and_answers_visibly(
    run: Any, tmp_path: Path
) -> None:
    catalogue = hostile_catalogue(tmp_path)
    assert run("screen", "--no-others").code == 0
    answers = "4\nthigh\x1b]0;x\x07\nthigh\n\n\n3\n\n"
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "ptcli",
            "--catalogue",
            str(catalogue),
            "session",
            "start",
            *["prone-lying", "--pace", "0"],
        ],
        input=answers.encode(),
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    out = process.stdout.decode()
    assert process.returncode == 0, process.stderr
    assert "Exercise 1 of 1: Lying \u241b]0;PWNED\u2407 face" in out
    assert "Breathe \u241b[2J slowly [red]now[/]" in out
    assert "thigh\u241b]0;x\u2407" in out  # the answer echoed, visibly, and asked again
    assert not FORBIDDEN.search(out)


@pytest.mark.parametrize(
    "bad",
    [b"\xc2\xb2", "①".encode(), b"9" * 4301, b"\xff\xfe", b"-0", b"3.0", b"\xd9\xa3"],
    ids=[
        "superscript-two",
        "circled-one",
        "4301-digits",
        "not-utf8",
        "minus-zero",
        "3.0",
        "arabic-3",
    ],
)
def test_guided_answers_that_are_not_scores_are_asked_again(run: Any, bad: bytes) -> None:
    assert run("screen", "--no-others").code == 0
    answers = b"\n".join([bad, b"4", b"thigh", b"", b"", b"3", b""]) + b"\n"
    process = subprocess.run(
        [sys.executable, "-m", "ptcli", "session", "start", "prone-lying", "--pace", "0"],
        input=answers,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    out = process.stdout.decode()
    assert process.returncode == 0, process.stderr
    assert process.stderr == b""
    assert "Please type a whole number from 0 to 10." in out
    assert "Saved 1 exercise to your log." in out


@pytest.mark.parametrize("pace", ["inf", "nan", "1e300", "-1", "10.5", "-inf"])
def test_pace_out_of_range_is_refused(run: Any, db: Path, pace: str) -> None:
    result = run("session", "start", "--pace", pace)
    assert result.code == 2
    assert result.err.startswith("ptcli: Invalid value for '--pace'")
    assert "is not a number from 0 to 10" in result.err and result.err.count("\n") == 1
    assert not db.exists()


@pytest.mark.parametrize("argument", ["\udcff", "a\ud800b", "\udfff", "a\x00b"])
def test_arguments_that_are_not_text_exit_2_in_one_line(run: Any, db: Path, argument: str) -> None:
    result = run("pain", "log", "3", "--note", argument)
    assert result.code == 2
    assert result.err.startswith("ptcli: --note: ") and result.err.count("\n") == 1
    assert "not valid text (UTF-8)" in result.err
    assert not db.exists()


def test_bytes_that_are_not_utf8_in_a_real_argument_exit_2(db: Path) -> None:
    process = subprocess.run(
        [sys.executable.encode(), b"-m", b"ptcli", b"pain", b"log", b"3", b"--note", b"\xff"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.returncode == 2
    assert process.stderr.startswith(b"ptcli: --note: ")
    assert process.stderr.count(b"\n") == 1
    assert not db.exists()


INTERRUPT_RUNS = int(os.environ.get("PTCLI_INTERRUPT_RUNS", "50"))


def test_ctrl_c_during_start_up_is_one_line_and_exit_130() -> None:
    """SIGINT at a random moment from the first line of ptcli's code to the end of a command.

    Python's own start-up (the interpreter, ``site``, ``runpy``: about 10 ms before any
    ptcli code runs) is out of ptcli's reach, so each run waits until the ``ptcli``
    package is imported (``-X importtime`` reports it on stderr; those lines are dropped)
    and then sends SIGINT after a random delay. Every run must end in one of: the command
    done (0, nothing on stderr), or interrupted: "ptcli: interrupted" and 130, or killed by
    the signal itself (while Python shuts down it restores the default action: the shell
    shows 130) with nothing or that one line on stderr. Never a traceback.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    rng = random.Random(12)
    outcomes = []
    for _ in range(INTERRUPT_RUNS):
        child = subprocess.Popen(
            [sys.executable, "-X", "importtime", "-m", "ptcli", "today"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert child.stderr is not None
        early = io.BytesIO()
        while True:
            line = child.stderr.readline()
            early.write(line)
            if not line or line.rstrip().endswith(b"| ptcli"):
                break
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(signal.SIGINT)
        _, rest = child.communicate(timeout=60)
        # -X importtime's lines, wherever they fall (a line of it once followed other output)
        err = re.sub(rb"import time:[^\n]*\n", b"", early.getvalue() + rest)
        outcomes.append((child.returncode, err))
        assert (child.returncode, err) in {
            (0, b""),
            (130, b"ptcli: interrupted\n"),
            (-signal.SIGINT, b""),
            (-signal.SIGINT, b"ptcli: interrupted\n"),
        }, (child.returncode, err.decode(errors="replace"))
    assert any(code == 130 for code, _ in outcomes)  # the test did reach start-up


def test_the_ptcli_command_arms_ctrl_c_before_any_slow_import() -> None:
    """The installed command is ptcli's own script, not pip's entry-point launcher (which
    imports ``re`` first: a Ctrl-C there printed a traceback)."""
    command = (Path(sys.executable).parent / "ptcli").read_text(encoding="utf-8")
    assert command.startswith("#!") and "import re" not in command
    armed = command.index("_signal.signal(_signal.SIGINT, _interrupted)")
    assert armed < command.index("from ptcli.cli import run")


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        # In importlib, Python may swallow the KeyboardInterrupt ("Exception ignored in
        # <function _get_module_lock.<locals>.cb>", a traceback, and the command goes on, as
        # CI once saw): there the handler ends the process at once.
        ("<frozen importlib._bootstrap>", (130, b"ptcli: interrupted\n")),
        # Anywhere else it raises KeyboardInterrupt, which main() answers (exit 130 too).
        ("ptcli/services.py", (7, b"")),
    ],
)
def test_ctrl_c_while_a_command_runs_ends_at_once_inside_an_import(
    where: str, expected: tuple[int, bytes]
) -> None:
    program = (
        "import sys\n"
        "from ptcli.cli import _interrupt\n"
        "code = compile('_interrupt(2, sys._getframe())', WHERE, 'exec')\n"
        "try:\n"
        "    exec(code, {'_interrupt': _interrupt, 'sys': sys})\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(7)\n"
    ).replace("WHERE", repr(where))
    process = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=60,
    )
    assert (process.returncode, process.stderr) == expected


def test_reordering_and_separator_characters_never_reach_a_file(run: Any, tmp_path: Path) -> None:
    """A catalogue name or a note with a bidi override (U+202E shows '5 x 01' for '10 x 5')
    or a line separator reaches Markdown, HTML and iCalendar without them (review,
    2026-11-29: Markdown on stdout and the calendar carried them raw)."""
    catalogue = tmp_path / "exercises.yaml"
    text = (ROOT / "exercises.yaml").read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace("name: Lying face down", 'name: "Lying face \\u202edown\\u2028now"', 1),
        encoding="utf-8",
    )
    base = ("--catalogue", str(catalogue))
    assert run(*base, "pain", "log", "2", "--where", "buttock").code == 0
    note = "Walk \u2066daily\u2069\u200f; call me\u2029if it spreads"
    html = tmp_path / "h.html"
    outputs = {
        "markdown": run(*base, "routine", "--format", "markdown", "--note", note).out,
        "html": run(*base, "routine", "--format", "html", "--output", str(html), "--note", note)
        and html.read_text(encoding="utf-8"),
        "ics": run(*base, "export", "--format", "ics").out,
    }
    for name, shown in outputs.items():
        assert "Lying face" in shown and "now" in shown, name
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u2028\u2029]", shown), name
    assert "Walk daily; call me if it spreads" in outputs["markdown"]
