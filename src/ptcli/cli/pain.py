"""ptcli pain log | list | edit"""

import sys
from typing import Annotated, Any

import typer

from ptcli.cli import emit, options, workspace
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
    from ptcli import services
    from ptcli.cli.safety import remind_of_emergency, stop_for_emergency
    from ptcli.domain.safety import EMERGENCY, ITEMS
    from ptcli.render.words import extent

    ws = workspace(ctx)
    flags = [item.value for item in flag or []]
    if sys.stdin.isatty() and sys.stdout.isatty():
        score = _check_jump(ws, score, at)
    entry = services.log_pain(ws, score, options.extent(where), at, note, flags)
    reach = f", reaching the {extent(entry.where)}" if entry.where else ""
    print(
        f"Logged pain {entry.score}/10{reach} at {entry.at.astimezone():%Y-%m-%d %H:%M} (id {entry.id})."
    )
    if any(ITEMS[item].level == EMERGENCY for item in flags):
        stop_for_emergency(services.active_flags(ws))  # saved first, then the stop
    if flags:
        print(
            f"ptcli: flagged {', '.join(flags)}: see 'ptcli today' for what to do now.",
            file=sys.stderr,
        )
    remind_of_emergency(ws)


def _check_jump(ws: Any, score: int, at: str | None) -> int:
    """A score 5 or more points from the last entry of the 12 hours before: a typo? Asked
    on a terminal only (a script's input is taken as given)."""
    from ptcli import services
    from ptcli.cli.terminal import Keys

    last = services.last_pain_before(ws, at)
    if last is None or abs(score - last.score) < services.PAIN_JUMP:
        return score
    keys = Keys()
    print(
        f"Your last pain was {last.score}/10, at {last.at.astimezone():%H:%M}; "
        f"{score} is {abs(score - last.score)} points {'up' if score > last.score else 'down'}."
    )
    answer = keys.yes_no(f"Did you mean {score}/10? [y/n] ", print)
    if answer is not False:
        return score
    typed = keys.score("Pain now, 0-10", None, print)
    if typed is None:
        raise BadInput("no score given: nothing was logged")
    return typed


@group.command("list")
def list_(
    ctx: typer.Context,
    since: options.Since = None,
    until: options.Until = None,
    json: options.Json = False,
) -> None:
    """List pain entries, oldest first."""
    from ptcli import services
    from ptcli.render import render

    entries = services.list_pain(workspace(ctx), since, until)
    emit(render("json" if json else "table", entries))


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

    given = {"score": score, "where": options.extent(where), "at": at, "note": note}
    changes = {field: value for field, value in given.items() if value is not None}
    if not changes:
        raise BadInput("say what to change: --score, --where, --at or --note")
    edited(*corrections.edit(workspace(ctx), record_id, PainEntry, changes))
