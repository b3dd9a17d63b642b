"""ptcli session log | edit | start"""

import sys
from typing import Annotated, Any

import typer

from ptcli.cli import options, workspace
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
        options.Where | None,
        options.where_option(f"How far the pain reaches just after: {options.PLACES}."),
    ] = None,
    at: options.At = None,
    note: options.Note = None,
) -> None:
    """Log an exercise you did (or --routine: all of today's); a dose left out is today's."""
    from ptcli import services
    from ptcli.cli.safety import remind_of_emergency
    from ptcli.views import SessionInput

    ws = workspace(ctx)
    held = options.hold_seconds(hold, minutes)
    given = SessionInput(sets, reps, held, pain_after, options.extent(where_after), at, note)
    if routine:
        _log_routine(ws, exercise, given)
        return
    if exercise is None:
        raise BadInput(
            "give the exercise you did (its id or name), or --routine for all of today's"
        )
    found = services.checked_session(ws, exercise, given)  # before any question is asked
    if hold is not None and hold < 60 and sys.stdin.isatty() and sys.stdout.isatty():
        given = given._replace(hold_s=_check_minutes(found, hold))
    if given.where_after is not None and sys.stdin.isatty() and services.needs_baseline(ws, given):
        _ask_baseline(ws, given)
    logged = services.log_session(ws, found.id, given)
    _report(logged, found)
    remind_of_emergency(ws)  # a fact was recorded (exit 0), but the flag still needs care


def _log_routine(ws: Any, exercise: str | None, given: Any) -> None:
    """``session log --routine``: the whole routine at today's dose, one pain after for all."""
    from ptcli import services

    if exercise is not None:
        raise BadInput(f"give --routine or an exercise ({exercise!r}), not both")
    _, logged = services.log_routine(ws, given)
    when = f"{logged[0].entry.at.astimezone():%Y-%m-%d %H:%M}"
    count = f"{len(logged)} exercise{'s' if len(logged) != 1 else ''}"
    print(f"Logged {count} of the routine, at {when}:")  # short lines: a 60-column terminal
    for one in logged:  # (a blocked routine stopped for safety: nothing was logged)
        _report(one, ws.exercise(one.entry.exercise), in_routine=True)
    if given.pain_after is not None:
        print(f"Pain after: {given.pain_after}/10.")


def _report(logged: Any, exercise: Any, in_routine: bool = False) -> None:
    """What was logged, in words (one line of a routine's list), and on stderr what the
    gate or the stop rule says of it."""
    from ptcli.render.words import amount, visible

    entry = logged.entry._replace(exercise=visible(logged.entry.exercise))  # a catalogue's id
    done = amount(entry.sets, entry.reps, entry.hold_s, exercise.dose.per_side)
    if in_routine:
        print(f"  {visible(exercise.name)}: {done}")  # ids: 'ptcli history --json'
    else:
        after = f"; pain after {entry.pain_after}/10" if entry.pain_after is not None else ""
        print(
            f"Logged {entry.exercise}: {done}{after}, "
            f"at {entry.at.astimezone():%Y-%m-%d %H:%M} (id {entry.id})."
        )
    if logged.spread:
        print(
            "ptcli: pain spread further down your leg after this exercise: stop it and harder ones "
            "in that direction for today, and tell your therapist.",
            file=sys.stderr,
        )
    # With an emergency flag every exercise is refused: the reminder says it once.
    if logged.refused is not None and logged.refused.rule != "emergency-flag":
        print(
            f"ptcli: {entry.exercise} was not for today: {visible(logged.refused.text)} "
            f"(rule {logged.refused.rule}); see 'ptcli today --explain'.",
            file=sys.stderr,
        )
    elif logged.above is not None:
        today = amount(logged.above.sets, logged.above.reps, logged.above.hold_s)
        print(
            f"ptcli: that is more than today's dose of {entry.exercise} ({today}); "
            "next time keep to it.",
            file=sys.stderr,
        )


def _check_minutes(exercise: Any, hold: int) -> int:
    """Under a minute of walking or pool work: were minutes meant? (a terminal only)"""
    from ptcli.cli.terminal import Keys
    from ptcli.domain.engine import MINUTES_CATEGORIES
    from ptcli.render.words import visible

    if exercise.category not in MINUTES_CATEGORIES:
        return hold
    answer = Keys().yes_no(
        visible(f"--hold is in seconds: did you mean {hold} minutes of {exercise.name}? [y/n] "),
        print,
    )
    return hold * 60 if answer else hold


def _ask_baseline(ws: Any, given: Any) -> None:
    """No record of the pain in the 24 hours before: ask for it, so spreading is judged
    against it (DOMAIN 3). Without an answer a calf or foot after counts as spread."""
    from ptcli import services
    from ptcli.cli.terminal import Keys

    keys = Keys()
    print("Nothing says how far the pain reached before this exercise, so:")
    score = keys.score("Pain just before it, 0-10", None, print)
    where = keys.where("Where did it reach just before", None, print) if score is not None else None
    if score is not None and where is not None:
        services.log_baseline(ws, given, score, where)


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
        options.Where | None,
        options.where_option(f"How far the pain reached just after: {options.PLACES}."),
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
        "where_after": options.extent(where_after),
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
