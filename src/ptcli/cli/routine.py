"""ptcli today | routine"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ptcli.cli import daily, emit, options, store_paths, values, workspace
from ptcli.domain.models import PainReading
from ptcli.errors import BadInput
from ptcli.render import formats_for

PRINTABLE = formats_for("handout")  # markdown, html, pdf: a programme to hand over or mail
RoutineFormat = StrEnum(  # type: ignore[misc]
    "RoutineFormat", {name: name for name in formats_for("routine") + PRINTABLE}
)
Paper = StrEnum("Paper", {"a4": "a4", "letter": "letter"})
MAX_WEEKS = 12


def _text_option(flag: str, help: str) -> object:
    return typer.Option(flag, metavar="TEXT", help=help, show_default=False)


def register(app: typer.Typer) -> None:
    app.command("today")(today)
    app.command("routine")(routine)


Explain = Annotated[
    bool,
    typer.Option("--explain", help="Show the rule behind each choice and the log entries it read."),
]


def today(ctx: typer.Context, json: options.Json = False, explain: Explain = False) -> None:
    """Today's routine from your log (the same as: routine --date today), with the next
    appointment, the next short lesson to read and the outcome measures due."""
    daily.today(store_paths(ctx), json, explain)


def routine(
    ctx: typer.Context,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="WHEN",
            help="The day (default today): 2026-11-27, yesterday, monday, -3d.",
            show_default=False,
        ),
    ] = None,
    pain: Annotated[
        int | None,
        options.score_option(
            "Build for this pain instead of the log (the quick routine: no store is opened).",
            "--pain",
        ),
    ] = None,
    where: Annotated[
        values.Where | None,
        options.where_option(f"With --pain: how far it reaches, {values.PLACES}."),
    ] = None,
    format: Annotated[
        RoutineFormat,
        typer.Option(
            "--format", metavar="FORMAT", help=f"Output format: {', '.join(RoutineFormat)}."
        ),
    ] = RoutineFormat["table"],
    output: options.Output = None,
    force: options.Force = False,
    explain: Explain = False,
    patient: Annotated[
        str | None,
        _text_option("--patient", "Printed: the patient's name (default: the profile's)."),
    ] = None,
    therapist: Annotated[
        str | None, _text_option("--therapist", "Printed: the therapist's name.")
    ] = None,
    clinic: Annotated[str | None, _text_option("--clinic", "Printed: the clinic's name.")] = None,
    note: Annotated[str | None, _text_option("--note", "Printed: a note to the patient.")] = None,
    contact: Annotated[
        str | None,
        _text_option(
            "--contact", "Printed on every page: how to reach you (default: the profile's)."
        ),
    ] = None,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            min=1,
            max=MAX_WEEKS,
            metavar="N",
            help="Printed: weeks in the tracking grid.",
        ),
    ] = 2,
    paper: Annotated[
        Paper,
        typer.Option("--paper", metavar="SIZE", help="Printed: the paper size, a4 or letter."),
    ] = Paper["a4"],
) -> None:
    """The routine for a day, or for a stated pain level (a therapist's quick routine).

    --format html, pdf or markdown makes the handout: the programme for weeks (what
    the safety rules allow on a good day, with today marked in it), what to do on a
    good and a bad day, the safety box, a tracking grid and (from the log) the pain of
    the last 4 weeks.
    """
    if where is not None and pain is None:
        raise BadInput("--where goes with --pain: add the pain score it belongs to")
    stated = PainReading(pain, values.extent(where)) if pain is not None else None
    if format.value in PRINTABLE:
        people = {
            "patient": patient,
            "therapist": therapist,
            "clinic": clinic,
            "note": note,
            "contact": contact,
        }
        _print(ctx, date, stated, people, weeks, paper.value, format.value, output, explain)
        return
    given = [
        f"--{name}"
        for name in ("patient", "therapist", "clinic", "note", "contact", "weeks", "paper")
        if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"
    ]
    if given:
        raise BadInput(f"{given[0]} is for printing: add --format html, pdf or markdown")
    force = ctx.params.get("force", False)
    daily.show_routine(store_paths(ctx), date, stated, format.value, output, explain, force)


def _print(
    ctx: typer.Context,
    date: str | None,
    stated: PainReading | None,
    people: dict[str, str | None],
    weeks: int,
    paper: str,
    fmt: str,
    output: Path | None,
    explain: bool = False,
) -> None:
    import sys

    from ptcli import services
    from ptcli.render import render

    if fmt == "pdf" and output is None and sys.stdout.isatty():
        raise BadInput("a PDF is not for the terminal: add --output FILE")
    ws = workspace(ctx)
    view, warnings = services.handout(ws, date, stated, people, weeks, paper, explain)
    for warning in warnings:
        print(f"ptcli: warning: {warning}", file=sys.stderr)
    emit(render(fmt, view), output, ws.db_path, ctx.params.get("force", False))
    if view.routine.status == "blocked":  # the sheet says so; the therapist must know too
        print(
            "ptcli: the routine is blocked by an emergency flag: the handout says not to "
            "exercise and to seek emergency care now",
            file=sys.stderr,
        )
