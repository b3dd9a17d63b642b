"""Option types shared by several commands, so each is spelt and explained once (their
values' checks, which run without Typer too, are in values.py)."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ptcli.cli.values import PLACES, Where, check_pace, parse_score
from ptcli.domain.when import WHEN_HELP

WHERE_HELP = f"How far the pain reaches: {PLACES}."


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
