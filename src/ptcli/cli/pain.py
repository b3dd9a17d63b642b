"""ptcli pain log | list | edit"""

from typing import Annotated

import typer

from ptcli.cli import daily, options, store_paths, values, workspace
from ptcli.cli.safety import ITEM_LIST, Item
from ptcli.errors import BadInput

group = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="pain", help="Log, list and correct pain scores.")


@group.command("log")
def log(
    ctx: typer.Context,
    score: options.Score,
    where: options.WhereOption = None,
    at: options.At = None,
    note: options.Note = None,
    flag: Annotated[
        list[Item] | None,
        typer.Option(
            "--flag",
            metavar="ITEM",
            case_sensitive=False,
            help=f"Report a warning sign with this entry (repeatable): {ITEM_LIST}.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Log your pain now (or --at another time) and how far down the leg it reaches.

    Exit code 3 when --flag reports an emergency sign (the emergency panel on stderr).
    """
    daily.pain_log(store_paths(ctx), score, where, at, note, flag)


@group.command("list")
def list_(
    ctx: typer.Context,
    since: options.Since = None,
    until: options.Until = None,
    json: options.Json = False,
) -> None:
    """List pain entries, oldest first."""
    daily.pain_list(store_paths(ctx), since, until, json)


@group.command("edit")
def edit(
    ctx: typer.Context,
    record_id: options.RecordId,
    score: Annotated[
        int | None,
        options.score_option("The right score, 0-10."),
    ] = None,
    where: options.WhereOption = None,
    at: options.At = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", metavar="TEXT", help='The right note ("" for none).', show_default=False
        ),
    ] = None,
) -> None:
    """Correct a pain entry; the entry as first written is kept, with this correction."""
    from ptcli import corrections
    from ptcli.cli.corrections import edited
    from ptcli.domain.models import PainEntry

    given = {"score": score, "where": values.extent(where), "at": at, "note": note}
    changes = {field: value for field, value in given.items() if value is not None}
    if not changes:
        raise BadInput("say what to change: --score, --where, --at or --note")
    edited(*corrections.edit(workspace(ctx), record_id, PainEntry, changes))
