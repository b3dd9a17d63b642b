"""ptcli db check | backups | restore"""

from pathlib import Path
from typing import Annotated

import typer

from ptcli.cli import given_path, workspace
from ptcli.cli.corrections import Yes, say
from ptcli.errors import BadInput, StoreError

group = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="db", help="Check the store, list its snapshots, restore one.")


@group.command("check")
def check(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[FILE]",
            help="A store or snapshot to check (default: the store).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Read every record of the store and say what is wrong (exit 1) or that it is sound."""
    from ptcli.records import KINDS
    from ptcli.render.words import visible
    from ptcli.storage.check import check as check_store

    path = given_path(file, "FILE") or workspace(ctx).db_path
    checked = check_store(path)
    from ptcli.cli.data import TABLE_WORDS

    counts = ", ".join(
        f"{checked.counts[k.table]:,} {TABLE_WORDS[k.table][checked.counts[k.table] != 1]}"
        for k in KINDS
    )
    say(visible(f"{path} is sound: {counts}."))
    for note in checked.notes:
        say(f"Note: {note}.")


@group.command("backups")
def backups(ctx: typer.Context) -> None:
    """List the snapshots kept beside the store (the last 7 days), oldest first."""
    from ptcli.render.words import visible
    from ptcli.storage import snapshots

    ws = workspace(ctx)
    found = snapshots.listed(ws.db_path)
    if not found:
        say(
            visible(
                f"No snapshots beside {ws.db_path} yet: one is kept on each day's first change."
            )
        )
        return
    say(visible(f"Snapshots beside {ws.db_path}, oldest first:"))
    for snapshot in found:
        size = f"{snapshot.size / 1024:,.0f} KB" if snapshot.size >= 1024 else f"{snapshot.size} B"
        say(
            visible(
                f"  {snapshot.path.name}  ({snapshot.why}; the store of "
                f"{snapshot.taken:%Y-%m-%d %H:%M}, {size})"
            ),
            4,
        )
    print("Put one back with 'ptcli db restore NAME'.")


@group.command("restore")
def restore(
    ctx: typer.Context,
    snapshot: Annotated[
        str,
        typer.Argument(
            metavar="SNAPSHOT",
            help="A snapshot's name from 'ptcli db backups', or its path.",
            show_default=False,
        ),
    ],
    yes: Yes = False,
) -> None:
    """Put a snapshot back in the store's place after a yes; the current store is kept
    as a snapshot too, so a restore can itself be taken back."""
    from ptcli import services
    from ptcli.cli.corrections import confirm
    from ptcli.render.words import visible
    from ptcli.storage.check import check as check_store

    ws = workspace(ctx)
    path = Path(snapshot).expanduser()
    if not path.is_absolute() and not path.exists():
        path = ws.db_path.parent / snapshot
    if not path.is_file():
        raise BadInput(f"no snapshot {snapshot!r}: see 'ptcli db backups'")
    if path.resolve() == ws.db_path.resolve():
        raise BadInput(f"{snapshot} is the store itself: give a snapshot from 'ptcli db backups'")
    try:
        checked = check_store(path)
    except StoreError as error:
        raise StoreError(f"the snapshot cannot be restored: {error.message}") from None
    total = sum(checked.counts.values())
    say(visible(f"{path.name} holds {total:,} records; the store will become it."))
    if not yes:
        confirm("Restore it? [y/n] ", "nothing was restored")
    kept = services.restore_snapshot(ws, path)
    say(visible(f"Restored {path.name}; the store as it was is kept as a snapshot."))
    if kept:
        say(
            f"Kept {kept} safety record{'s' * (kept != 1)} made after the snapshot (screen "
            "answers, flag clearances): a restore never loses a safety answer."
        )
