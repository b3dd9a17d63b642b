"""ptcli session log | edit | start"""

from typing import Annotated, Any

import typer

from ptcli.cli import daily, options, store_paths, values, workspace
from ptcli.errors import BadInput

group = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(
        group, name="session", help="Log and correct exercise sessions, or do one guided."
    )


@group.command("log")
def log(
    ctx: typer.Context,
    exercise: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help=options.EXERCISE_HELP,
            autocompletion=options.complete_exercise,
            show_default=False,
        ),
    ] = None,
    routine: Annotated[
        bool,
        typer.Option(
            "--routine",
            help="Log every exercise of today's routine at today's dose (instead of ID).",
        ),
    ] = False,
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
    minutes: options.Minutes = None,
    pain_after: Annotated[
        int | None,
        options.score_option("Pain just after, 0-10 (with --routine: after the whole routine)."),
    ] = None,
    where_after: Annotated[
        values.Where | None,
        options.where_option(f"How far the pain reaches just after: {values.PLACES}."),
    ] = None,
    at: options.At = None,
    note: options.Note = None,
) -> None:
    """Log an exercise you did (or --routine: all of today's); a dose left out is today's."""
    daily.session_log(
        store_paths(ctx),
        exercise,
        routine,
        sets,
        reps,
        hold,
        minutes,
        pain_after,
        where_after,
        at,
        note,
    )


@group.command("start")
def start(
    ctx: typer.Context,
    exercises: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...",
            help="Exercises to do, by id or name (default: today's routine).",
            autocompletion=options.complete_exercise,
            show_default=False,
        ),
    ] = None,
    pace: options.Pace = 1.0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell at the end of a hold.")] = False,
) -> None:
    """Do today's routine with ptcli: check-in, timed holds and rests, saved set by set.

    Exit code 3 when an emergency flag is active or the check-in raises one.

    Keys while an exercise runs: Enter next, s skip, p pause, q finish early. Questions
    are read from standard input when it is not a terminal.
    """
    from ptcli.cli.guide import Guide

    ws = workspace(ctx)
    # Named by id or by name: the guide reads ids (unknown names fail before any question).
    Guide(ws, pace, quiet).run([ws.exercise(text).id for text in exercises or []])


def _number(help_text: str, metavar: str = "N") -> Any:
    return typer.Option(min=1, metavar=metavar, help=help_text, show_default=False)


@group.command("edit")
def edit(
    ctx: typer.Context,
    record_id: options.RecordId,
    exercise: Annotated[
        str | None,
        typer.Option(metavar="ID", help="The exercise it really was.", show_default=False),
    ] = None,
    sets: Annotated[int | None, _number("The right number of sets.")] = None,
    reps: Annotated[int | None, _number("The right repetitions per set.")] = None,
    hold: Annotated[int | None, _number("The right hold, in seconds.", "SECONDS")] = None,
    pain_after: Annotated[
        int | None,
        options.score_option("Pain just after, 0-10."),
    ] = None,
    where_after: Annotated[
        values.Where | None,
        options.where_option(f"How far the pain reached just after: {values.PLACES}."),
    ] = None,
    at: options.At = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", metavar="TEXT", help='The right note ("" for none).', show_default=False
        ),
    ] = None,
) -> None:
    """Correct a logged session; the session as first written is kept, with this correction."""
    from ptcli import corrections
    from ptcli.cli.corrections import edited
    from ptcli.domain.models import SessionEntry

    given = {
        "exercise": exercise,
        "sets": sets,
        "reps": reps,
        "hold_s": hold,
        "pain_after": pain_after,
        "where_after": values.extent(where_after),
        "at": at,
        "note": note,
    }
    changes = {field: value for field, value in given.items() if value is not None}
    if not changes:
        raise BadInput(
            "say what to change: --exercise, --sets, --reps, --hold, --pain-after, "
            "--where-after, --at or --note"
        )
    edited(*corrections.edit(workspace(ctx), record_id, SessionEntry, changes))
