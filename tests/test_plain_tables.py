"""`today` and `history` drawn without Rich (issue 16): the same text as Rich's tables
where both fit, every line within the terminal, styles only on a terminal, and no Rich
import on the daily paths."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from typing import Any

import pexpect
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptcli import render
from ptcli.render import grid
from tests.conftest import ROOT
from tests.test_engine_properties import PROPERTY
from tests.test_plain_terminal import seed_ten_days

LONG_NOTE = "woke up stiff after a long drive to see my sister, eased by lunch time"


def rich_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route the table format to render/table.py (Rich), as before issue 16."""
    rich = render.Renderer("ptcli.render.table", render.RENDERERS["table"].views)
    monkeypatch.setitem(render.RENDERERS, "table", rich)


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.split("\n")]


@pytest.mark.parametrize("columns", [80, 120])
def test_today_reads_exactly_as_richs_table_did(
    run: Any, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    seed_ten_days(run)
    monkeypatch.setenv("COLUMNS", str(columns))
    plain = run("today").out
    rich_tables(monkeypatch)
    assert lines_of(plain) == lines_of(run("today").out)


def test_history_reads_exactly_as_richs_table_did_where_it_fits(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_ten_days(run)
    run("pain", "log", "2", "--where", "back", "--note", "after a walk")
    monkeypatch.setenv("COLUMNS", "200")
    plain = run("history", "--since", "-3d").out
    rich_tables(monkeypatch)
    assert lines_of(plain) == lines_of(run("history", "--since", "-3d").out)


@pytest.mark.parametrize("columns", [40, 60, 80, 100, 120])
def test_every_line_fits_the_terminal_and_no_word_is_lost(
    run: Any, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    seed_ten_days(run)
    run("pain", "log", "5", "--where", "calf", "--note", LONG_NOTE)
    monkeypatch.setenv("COLUMNS", str(columns))
    for args in (["today"], ["history", "--since", "-2d"], ["pain", "list"]):
        out = run(*args).out
        assert max(map(len, out.split("\n"))) <= columns, (args, out)
    shown = run("history", "--since", "-2d").out
    if columns >= 60:  # narrower, a column may be narrower than a word: it is folded
        assert all(word in shown.split() for word in LONG_NOTE.split())
    ids = [entry["id"] for entry in run("history", "--since", "-2d", "--json").json()]
    assert all(entry_id in shown.split() for entry_id in ids)  # ids are never cut


def test_below_90_columns_the_id_and_note_go_under(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("pain", "log", "5", "--where", "calf", "--note", "after the drive")
    monkeypatch.setenv("COLUMNS", "60")
    out = run("history").out
    assert "Note" not in out and "Id" not in out
    [entry] = run("history", "--json").json()
    when, under = [line for line in out.split("\n") if line.strip()][2:4]
    assert "5/10 calf" in when and entry["id"] in under and "after the drive" in under


def terminal(args: list[str], env: dict[str, str]) -> str:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ptcli", *args],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    return out


def test_styles_only_on_a_terminal_and_no_colour_with_no_color(run: Any) -> None:
    run("pain", "log", "8", "--where", "foot")
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    coloured = terminal(["history"], env)
    assert "\x1b[1;31m8/10\x1b[0m" in coloured  # a red day's score, bold red
    assert "\x1b[1mWhen\x1b[0m" in coloured
    no_colour = terminal(["history"], {**env, "NO_COLOR": "1"})
    codes = re.findall(r"\x1b\[([0-9;]*)m", no_colour)
    assert "1" in codes  # bold stays, as with Rich
    assert not any(re.search(r"(^|;)3[0-7]($|;)", code) for code in codes)
    assert "\x1b" not in terminal(["history"], {**env, "TERM": "dumb"})
    assert "\x1b" not in run("history").out  # not a terminal


@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["history", "--since", "-30d"],
        ["pain", "list"],
        ["session", "start", "--pace", "0", "bird-dog"],
    ],
)
def test_the_daily_views_never_import_rich(run: Any, args: list[str]) -> None:
    seed_ten_days(run)
    code = (
        "import sys\nfrom ptcli.cli import main\ncode = main(sys.argv[1:])\n"
        "print('RICH' if any(m.split('.')[0] == 'rich' for m in sys.modules) else 'NO RICH',"
        " code, file=sys.stderr)"
    )
    child = subprocess.run(
        [sys.executable, "-c", code, *args],
        input="\n" * 40,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert child.stderr.strip().split("\n")[-1] == "NO RICH 0", child.stderr


words = st.text(alphabet="abcdefghij\u00e9\u4e2d", min_size=1, max_size=8)
cells = st.lists(words, min_size=0, max_size=12).map(" ".join)


@PROPERTY
@given(
    rows=st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=6),
    width=st.integers(min_value=60, max_value=160),
)
def test_a_table_fits_its_width_and_keeps_every_word(
    rows: list[tuple[str, str, str]], width: int
) -> None:
    columns = [grid.Column("When", no_wrap=True), grid.Column("What", 12), grid.Column("Note")]
    rows = [(f"2026-11-{n:02d} 08:00", what, note) for n, (_, what, note) in enumerate(rows)]
    lines = grid.table(columns, rows, width, grid.Styler(styled=False))
    assert all(grid.width_of(line) <= width for line in lines)
    given_words = Counter(word for row in rows for cell in row for word in cell.split())
    shown_words = Counter(word for line in lines[3:] for word in line.split())
    assert shown_words == given_words


@PROPERTY
@given(text=cells, width=st.integers(min_value=1, max_value=40))
def test_a_paragraph_fits_its_width_folding_only_words_wider_than_it(text: str, width: int) -> None:
    lines = grid.paragraph(text, width, grid.Styler(styled=False))
    assert all(grid.width_of(line) <= max(width, 2) for line in lines)  # a wide char is 2
    fits = all(grid.width_of(word) <= width for word in text.split())
    if fits:
        assert " ".join(lines).split() == text.split()
    else:
        assert "".join("".join(lines).split()) == "".join(text.split())
