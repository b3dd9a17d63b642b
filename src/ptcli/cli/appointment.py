"""ptcli appointment add | list | done | cancel"""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ptcli.cli import emit, options, workspace
from ptcli.domain.models import APPOINTMENT_KINDS

group = typer.Typer(no_args_is_help=True)
Kind = StrEnum("Kind", {kind: kind for kind in APPOINTMENT_KINDS})  # type: ignore[misc]
WHEN_HELP = (
    "When it starts, a day and a time: 'friday 10:30' (the next Friday), 'tomorrow 9am', "
    "'today 16:00', 2026-12-03T14:00."
)


def register(app: typer.Typer) -> None:
    app.add_typer(
        group,
        name="appointment",
        help="Appointments with your therapist: book, list, mark done or cancelled.",
    )


def _text(flag: str, help_text: str) -> object:
    return typer.Option(flag, metavar="TEXT", help=help_text, show_default=False)


@group.command("add")
def add(
    ctx: typer.Context,
    when: Annotated[str, typer.Argument(metavar="WHEN", help=WHEN_HELP, show_default=False)],
    who: Annotated[str | None, _text("--with", "With whom: 'Anna (physio)'.")] = None,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            metavar="KIND",
            case_sensitive=False,
            help=f"What it is for: {', '.join(APPOINTMENT_KINDS)}.",
        ),
    ] = Kind["treatment"],
    link: Annotated[
        str | None,
        typer.Option(
            "--link",
            metavar="URL",
            help="An online session's address (https://...): shown, never opened.",
            show_default=False,
        ),
    ] = None,
    place: Annotated[str | None, _text("--place", "Where: 'Riverside Clinic'.")] = None,
    note: options.Note = None,
    done: Annotated[
        bool, typer.Option("--done", help="It already happened: record it as done.")
    ] = False,
) -> None:
    """Book an appointment (or record one that happened, with --done).

    The next one shows in 'ptcli today', on the printed handout and in the calendar
    export. An online session needs its --link.
    """
    from ptcli import appointments
    from ptcli.render.words import appointment, visible

    ws = workspace(ctx)
    booked = appointments.add(ws, when, kind.value, who, link, place, note, done)
    verb = "Recorded" if done else "Booked"
    print(visible(f"{verb} {appointment(booked, ws.now.date())} (id {booked.id})."))
    if booked.link:
        print(visible(f"Link: {booked.link}"))
    if not done and booked.at < ws.now:
        print(
            f"ptcli: that time has passed: once it happened, 'ptcli appointment done {booked.id}'",
            file=sys.stderr,
        )


@group.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[
        bool,
        typer.Option("--all", help="Every appointment, past, done and cancelled ones too."),
    ] = False,
    json: options.Json = False,
) -> None:
    """The appointments booked from today on, soonest first (--all: every one)."""
    from ptcli import appointments
    from ptcli.render import render

    emit(render("json" if json else "table", appointments.listing(workspace(ctx), all_)))


AppointmentId = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The appointment's id (see 'ptcli appointment list'): whole, or 6+ of its "
        "first or last characters; 'last' for the latest one booked that has started, "
        "'next' for the next one.",
        show_default=False,
    ),
]


@group.command("done")
def done(
    ctx: typer.Context,
    appointment_id: AppointmentId,
    note: Annotated[str | None, _text("--note", "How it went: added to its note.")] = None,
) -> None:
    """Mark an appointment as done: it shows in 'ptcli history' (a water class done counts
    as the day's pool exercise)."""
    _mark(ctx, appointment_id, "done", note)


@group.command("cancel")
def cancel(ctx: typer.Context, appointment_id: AppointmentId) -> None:
    """Cancel an appointment: it leaves 'today' and the handout, and the calendar export
    cancels its event. 'ptcli undo' takes the cancel back."""
    _mark(ctx, appointment_id, "cancelled")


def _mark(ctx: typer.Context, given: str, status: str, note: str | None = None) -> None:
    from ptcli import appointments
    from ptcli.render.words import appointment, visible

    ws = workspace(ctx)
    after = appointments.mark(ws, given, status, note)
    word = "Done" if status == "done" else "Cancelled"
    print(visible(f"{word}: {appointment(after, ws.now.date())} (id {after.id})."))
