"""Option types shared by several commands, so each is spelt and explained once."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ptcli.domain.models import Extent
from ptcli.domain.when import WHEN_HELP

Where = StrEnum("Where", {label: label for label in Extent.labels()})  # type: ignore[misc]
"""How far down the leg the symptoms reach, nearest the spine first."""


def extent(where: Where | None) -> Extent | None:
    return Extent.parse(where.value) if where is not None else None


PLACES = "none < back < side (one side of the lower back) < buttock < thigh < calf < foot"
WHERE_HELP = f"How far the pain reaches: {PLACES}."


SCORES = frozenset(str(score) for score in range(11)) | {f"0{score}" for score in range(10)}


def parse_score(text: str) -> int:
    """A pain score: a whole number from 0 to 10 (ASCII digits: '²' is no score)."""
    if text.strip() not in SCORES:
        raise typer.BadParameter(f"{text!r} is not a pain score: use a whole number from 0 to 10")
    return int(text)


PACE_MAX = 10.0  # a guided session's timers at most ten times slower than real time


def check_pace(value: float) -> float:
    """``--pace``: a finite factor from 0 to PACE_MAX (click's range lets 'nan' through)."""
    if not 0 <= value <= PACE_MAX:  # false for nan too
        raise typer.BadParameter(f"{value} is not a number from 0 to {PACE_MAX:g}")
    return value


Score = Annotated[
    int,
    typer.Argument(
        parser=parse_score,
        metavar="SCORE",
        help="Pain now, 0 (none) to 10 (worst imaginable).",
        show_default=False,
    ),
]
WhereOption = Annotated[
    Where | None,
    typer.Option(
        "--where", metavar="LOC", help=WHERE_HELP, show_default=False, case_sensitive=False
    ),
]
At = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help=f"When it happened (default now): {WHEN_HELP}.",
        show_default=False,
    ),
]
Note = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="A short note.", show_default=False)
]
Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="WHEN",
        help=f"From this day on (default 30 days ago): {WHEN_HELP}.",
        show_default=False,
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="WHEN",
        help="Up to the end of this day (default: no limit).",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (a new file is mode 0600; - is standard output) "
        "instead of standard output.",
        dir_okay=False,
        show_default=False,
    ),
]
Force = Annotated[
    bool,
    typer.Option("--force", help="Let --output replace another ptcli store, backup or lock."),
]
