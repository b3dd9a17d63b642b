"""ptcli progress | report"""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ptcli.cli import emit, options, workspace
from ptcli.domain.when import WHEN_HELP
from ptcli.errors import BadInput

ReportFormat = StrEnum("ReportFormat", {n: n for n in ("html", "pdf", "markdown")})  # type: ignore[misc]
Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="WHEN",
        help=f"From that day on (default: the last 4 weeks): {WHEN_HELP}.",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
    app.command("report")(report)


def progress(ctx: typer.Context, since: Since = None, json: options.Json = False) -> None:
    """Is it working? Morning pain, how far it reaches, and exercise done, with findings."""
    from ptcli import reports

    ws = workspace(ctx)
    view = reports.progress(ws, since)
    if json:
        from ptcli.render.progress import as_json

        emit(as_json(view))
        return
    import shutil

    from ptcli.cli.terminal import fancy
    from ptcli.render.progress import terminal

    emit(terminal(view, shutil.get_terminal_size().columns, color=fancy()))


def report(
    ctx: typer.Context,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", metavar="FORMAT", help="html, pdf or markdown."),
    ] = ReportFormat["html"],
    output: options.Output = None,
    force: options.Force = False,
    since: Since = None,
) -> None:
    """A therapist's page: pain, extent, adherence, measures, flags, the plan and notes."""
    from ptcli import reports
    from ptcli.render.report import html, markdown, pdf

    if format.value == "pdf" and output is None and sys.stdout.isatty():
        raise BadInput("a PDF is not for the terminal: add --output FILE")
    ws = workspace(ctx)
    view = reports.report(ws, since)
    text: str | bytes
    if format.value == "markdown":
        text = markdown(view)
    elif format.value == "html":
        text = html(view)
    else:
        text = pdf(view)
    emit(text, output, ws.db_path, force)
