"""Plain terminal text without Rich: styled spans, paragraphs wrapped at spaces, and
tables with a rule under the header, fitted to the terminal's width.

The daily views (``today``, ``history``) need nothing more, and Rich costs about 14 ms
to import and a few milliseconds per ten rows to lay a table out (issue 16). The look
is Rich's ``SIMPLE_HEAD`` table: between blank lines, bold headers, a rule, one space of
padding each side of a column. Styles only on a terminal; NO_COLOR drops the colours
and keeps bold and dim, as Rich does. Text must already be made visible
(render/words.py ``visible``): this module lays out, it does not sanitise.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

Span = tuple[str, str]  # (text, style): style is space-separated words, "" for none
Cell = str | Sequence[Span]

CODES = {
    "bold": "1",
    "dim": "2",
    "underline": "4",
    "reverse": "7",
    "red": "31",
    "green": "32",
    "yellow": "33",
}
COLOURS = frozenset({"red", "green", "yellow"})
RULE = "─"
_RUNS = re.compile(r" +|[^ ]+")


class Column(NamedTuple):
    header: str
    min_width: int = 0
    no_wrap: bool = False  # ids and times: never cut or folded
    style: str = ""  # the whole column's style (under each span's own)


def terminal_width() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil (and with it bz2 and
    lzma: about 2 ms of a daily command): $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class Styler:
    """ANSI styles for a stream: none off a terminal or with TERM=dumb; no colours with NO_COLOR."""

    def __init__(self, styled: bool | None = None) -> None:
        if styled is None:  # as Rich decided for table.py
            styled = sys.stdout.isatty() and os.environ.get("TERM") not in ("dumb", "unknown")
        self.styled = styled
        self.colour = not os.environ.get("NO_COLOR")

    def paint(self, text: str, style: str) -> str:
        if not (self.styled and style and text):
            return text
        codes = [
            CODES[word]
            for word in style.split()
            if word in CODES and (self.colour or word not in COLOURS)
        ]
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


def width_of(text: str) -> int:
    """Terminal cells ``text`` takes: wide (East Asian) characters two, combining ones none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def _spans(cell: Cell, style: str = "") -> list[Span]:
    spans = [(cell, "")] if isinstance(cell, str) else list(cell)
    return [(text, f"{style} {own}".strip()) for text, own in spans] if style else spans


def _lines(spans: Sequence[Span]) -> list[list[Span]]:
    """The spans split at newlines: one list of spans per line."""
    lines: list[list[Span]] = [[]]
    for text, style in spans:
        first, *rest = text.split("\n")
        if first:
            lines[-1].append((first, style))
        for part in rest:
            lines.append([(part, style)] if part else [])
    return lines


def _words(line: Sequence[Span]) -> list[tuple[str, str, bool]]:
    """(text, style, is_space) runs of one line, for wrapping."""
    return [(run, style, run[0] == " ") for text, style in line for run in _RUNS.findall(text)]


def _fold(word: str, width: int) -> list[str]:
    """A word wider than ``width`` cut into pieces that fit."""
    pieces, piece = [], ""
    for char in word:
        if piece and width_of(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def wrap(cell: Cell, width: int, fold: bool = True) -> list[list[Span]]:
    """``cell`` as lines of at most ``width`` cells, broken at spaces; a word wider than
    the width is folded (or, without ``fold``, left whole to overflow)."""
    out: list[list[Span]] = []
    for line in _lines(_spans(cell)):
        if width_of("".join(text for text, _ in line)) <= width:
            out.append(line)
            continue
        current: list[Span] = []
        used = 0
        for text, style, space in _words(line):
            size = width_of(text)
            if space:
                if current:  # kept only if a word follows on this line
                    current.append((text, style))
                    used += size
                continue
            if used + size > width and any(not t.isspace() for t, _ in current):
                out.append(_rstrip(current))
                current, used = [], 0
            elif used + size > width:
                current, used = [], 0  # only spaces so far: drop them
            pieces = _fold(text, width) if fold and size > width else [text]
            for piece in pieces[:-1]:
                out.append([(piece, style)])
            current.append((pieces[-1], style))
            used += width_of(pieces[-1])
        out.append(_rstrip(current))
    return out


def _rstrip(line: list[Span]) -> list[Span]:
    while line and line[-1][0].isspace():
        line = line[:-1]
    return line


def _plain(line: Sequence[Span]) -> str:
    return "".join(text for text, _ in line)


def paint_line(line: Sequence[Span], styler: Styler) -> str:
    return "".join(styler.paint(text, style) for text, style in line)


def paragraph(cell: Cell, width: int, styler: Styler, style: str = "") -> list[str]:
    """Text wrapped at spaces to ``width``, each line painted."""
    return [paint_line(line, styler).rstrip() for line in wrap(_spans(cell, style), width)]


def _min_width(line: Sequence[Span]) -> int:
    """The widest word: a column narrower than this would fold it."""
    return max((width_of(word) for word in _plain(line).split()), default=0)


def fit_widths(
    natural: list[int], least: list[int], fixed: list[bool], available: int
) -> list[int]:
    """Column widths within ``available``: the natural ones when they fit; else the widest
    column gives up a cell at a time (as Rich does), down to its widest word; past that,
    words fold, but a ``fixed`` column keeps its width (the line may overflow)."""
    widths = list(natural)
    excess = sum(widths) - available
    for floors in (least, [n if f else 1 for n, f in zip(natural, fixed, strict=True)]):
        while excess > 0:
            shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    width: int,
    styler: Styler,
    header: bool = True,
    gap: int = 3,
    edge: int = 2,
    margin: int = 2,
) -> list[str]:
    """Rows under bold headers and a rule (``header``), columns ``gap`` cells apart,
    ``edge`` cells in from the left and ``margin`` free at the right, all within ``width``
    (a no-wrap column may still overflow a very narrow terminal: an id is never cut).
    Lines come painted, without trailing spaces."""
    # each cell as its lines, each line as (spans, width): measured once
    cells = [
        [
            [(line, width_of(_plain(line))) for line in _lines(_spans(cell, column.style))]
            for cell, column in zip(row, columns, strict=True)
        ]
        for row in rows
    ]
    if header:
        cells.insert(0, [[([(c.header, "bold")], width_of(c.header))] for c in columns])
    natural = [
        max([column.min_width, *(size for row in cells for _, size in row[index])])
        for index, column in enumerate(columns)
    ]
    available = width - edge - gap * (len(columns) - 1) - margin
    if sum(natural) > available:
        least = [
            natural[index]
            if column.no_wrap
            else max(
                [
                    min(column.min_width, natural[index]),
                    *(_min_width(line) for row in cells for line, _ in row[index]),
                ]
            )
            for index, column in enumerate(columns)
        ]
        widths = fit_widths(natural, least, [c.no_wrap for c in columns], available)
    else:
        widths = natural
    out = [""] if header else []
    for number, row in enumerate(cells):
        out += _row(row, widths, columns, styler, gap, edge)
        if header and number == 0:
            out.append(" " * (edge - 1) + RULE * (sum(widths) + gap * (len(columns) - 1) + 2))
    return [*out, ""] if header else out


def _row(
    row: Sequence[list[tuple[list[Span], int]]],
    widths: list[int],
    columns: Sequence[Column],
    styler: Styler,
    gap: int,
    edge: int,
) -> list[str]:
    wrapped = [
        lines
        if all(size <= width for _, size in lines)
        else [
            (line, width_of(_plain(line))) for line in wrap(_join(lines), width, not column.no_wrap)
        ]
        for lines, width, column in zip(row, widths, columns, strict=True)
    ]
    height = max(len(lines) for lines in wrapped)
    out = []
    separator = " " * gap
    for number in range(height):
        parts = []
        for lines, width in zip(wrapped, widths, strict=True):
            if number < len(lines):
                line, size = lines[number]
                parts.append(paint_line(line, styler) + " " * (width - size))
            else:
                parts.append(" " * width)
        out.append((" " * edge + separator.join(parts)).rstrip())
    return out


def _join(lines: list[tuple[list[Span], int]]) -> list[Span]:
    """Lines back into spans (newlines between them), to wrap."""
    spans: list[Span] = []
    for number, (line, _) in enumerate(lines):
        spans += [("\n", "")] if number else []
        spans += line
    return spans
