"""ptcli today | routine"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ptcli.cli import emit, options, workspace
from ptcli.domain.models import Extent
from ptcli.errors import BadInput
from ptcli.render import formats_for

RoutineFormat = StrEnum("RoutineFormat", {name: name for name in formats_for("routine")})  # type: ignore[misc]


def register(app: typer.Typer) -> None:
    app.command("today")(today)
    app.command("routine")(routine)


Explain = Annotated[
    bool,
    typer.Option("--explain", help="Show the rule behind each choice and the log entries it read."),
]


def today(ctx: typer.Context, json: options.Json = False, explain: Explain = False) -> None:
    """Today's routine from your log (the same as: routine --date today)."""
    _show(ctx, None, None, None, "json" if json else "table", None, explain)


def routine(
    ctx: typer.Context,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="WHEN", help="The day (default today).", show_default=False),
    ] = None,
    pain: Annotated[
        int | None,
        typer.Option(
            "--pain",
            parser=options.parse_score,
            metavar="SCORE",
            help="Build for this pain instead of the log (the quick routine: no store is opened).",
            show_default=False,
        ),
    ] = None,
    where: Annotated[
        options.Where | None,
        typer.Option(
            help=f"With --pain: how far it reaches, {options.PLACES}.",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    format: Annotated[
        RoutineFormat, typer.Option("--format", help="Output format.")
    ] = RoutineFormat["table"],
    output: options.Output = None,
    explain: Explain = False,
) -> None:
    """The routine for a day, or for a stated pain level (a therapist's quick routine)."""
    if where is not None and pain is None:
        raise BadInput("--where goes with --pain: add the pain score it belongs to")
    _show(ctx, date, pain, options.extent(where), format.value, output, explain)


def _show(
    ctx: typer.Context,
    date: str | None,
    pain: int | None,
    where: Extent | None,
    fmt: str,
    output: Path | None,
    explain: bool,
) -> None:
    from ptcli import services
    from ptcli.domain.models import PainReading
    from ptcli.render import render

    stated = PainReading(pain, where) if pain is not None else None
    ws = workspace(ctx)
    from ptcli.views import Explained

    routine = services.routine(ws, date, stated)
    view = Explained(routine) if explain else routine
    emit(render(fmt, view), output, ws.db_path)
