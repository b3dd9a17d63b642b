"""Option types shared by several commands, so each is spelt and explained once."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ptcli.domain.models import Extent
from ptcli.domain.when import WHEN_HELP
from ptcli.errors import BadInput

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


def score_option(help: str, *names: str) -> Any:
    """An option that takes a pain score, 0-10 (``parse_score``)."""
    return typer.Option(*names, parser=parse_score, metavar="SCORE", help=help, show_default=False)


def where_option(help: str, *names: str) -> Any:
    """An option that takes how far the pain reaches (a ``Where``, any case)."""
    return typer.Option(*names, metavar="LOC", help=help, show_default=False, case_sensitive=False)


WhereOption = Annotated[Where | None, where_option(WHERE_HELP, "--where")]
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
        help=f"From then on (a day: from its start; default 30 days ago): {WHEN_HELP}.",
        show_default=False,
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="WHEN",
        help="Up to then (a day: to its end; default: no limit); forms as --since.",
        show_default=False,
    ),
]
EXERCISE_HELP = "Exercise id or name, in any case (see 'ptcli catalogue list')."


def complete_exercise(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of an exercise: the catalogue's ids that start as typed. Runs only
    when the shell asks (``--install-completion``), never for a command."""
    from ptcli.cli import workspace

    try:
        ids = workspace(ctx).catalogue.ids()
    except Exception:  # a completion never prints an error into the shell
        return []
    return [exercise_id for exercise_id in ids if exercise_id.startswith(incomplete)]


Minutes = Annotated[
    int | None,
    typer.Option(
        "--minutes",
        min=1,
        metavar="N",
        help="Minutes it lasted, for walking, pool work or a lying position (instead of --hold).",
        show_default=False,
    ),
]


def hold_seconds(hold: int | None, minutes: int | None) -> int | None:
    """One hold from ``--hold SECONDS`` or ``--minutes N`` (never both)."""
    if hold is not None and minutes is not None:
        raise BadInput("give --hold or --minutes, not both: nothing was written")
    return minutes * 60 if minutes is not None else hold


RecordId = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The record's id (see 'ptcli history --all'): whole, or 6+ of its first or last "
        "characters; 'last' for the latest entry.",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Pace = Annotated[  # a guided session's or a self-assessment's timers
    float,
    typer.Option(
        "--pace",
        callback=check_pace,
        metavar="FACTOR",
        help="Speed of the timers, 0 to 10: 1 real time, 0.5 twice as fast, 0 no waiting.",
    ),
]
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
