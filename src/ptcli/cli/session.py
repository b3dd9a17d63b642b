"""ptcli session log"""

import sys
from typing import Annotated

import typer

from ptcli.cli import options, workspace

group = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="session", help="Log exercise sessions.")


@group.command("log")
def log(
    ctx: typer.Context,
    exercise: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Exercise id (see 'ptcli catalogue list').", show_default=False
        ),
    ],
    sets: Annotated[
        int | None,
        typer.Option(
            min=1, metavar="N", help="Sets done (default: today's dose).", show_default=False
        ),
    ] = None,
    reps: Annotated[
        int | None,
        typer.Option(
            min=1,
            metavar="N",
            help="Repetitions per set (default: today's dose).",
            show_default=False,
        ),
    ] = None,
    hold: Annotated[
        int | None,
        typer.Option(
            min=1,
            metavar="SECONDS",
            help="Seconds each hold lasted (default: today's dose).",
            show_default=False,
        ),
    ] = None,
    pain_after: Annotated[
        int | None,
        typer.Option(
            parser=options.parse_score,
            metavar="SCORE",
            help="Pain just after, 0-10.",
            show_default=False,
        ),
    ] = None,
    where_after: Annotated[
        options.Where | None,
        typer.Option(
            metavar="LOC",
            help=f"How far the pain reaches just after: {options.PLACES}.",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    at: options.At = None,
    note: options.Note = None,
) -> None:
    """Log an exercise you did; a dose left out is the one today's routine gave."""
    from ptcli import services
    from ptcli.views import SessionInput

    given = SessionInput(sets, reps, hold, pain_after, options.extent(where_after), at, note)
    entry, spread, exercise_is_therapist_only = services.log_session(
        workspace(ctx), exercise, given
    )
    from ptcli.render.words import amount

    done = amount(entry.sets, entry.reps, entry.hold_s)
    after = f"; pain after {entry.pain_after}/10" if entry.pain_after is not None else ""
    print(f"Logged {entry.exercise}: {done}{after}, at {entry.at:%Y-%m-%d %H:%M} (id {entry.id}).")
    if spread:
        print(
            "ptcli: pain spread further down your leg after this exercise: stop it and harder ones "
            "in that direction for today, and tell your therapist.",
            file=sys.stderr,
        )
    if exercise_is_therapist_only:
        print(f"ptcli: {entry.exercise} is meant to be done with your therapist.", file=sys.stderr)
