"""ptcli patients [DIR]: every patient in a folder of stores, who needs attention first."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ptcli.cli import emit, options, workspace
from ptcli.errors import BadInput


def register(app: typer.Typer) -> None:
    app.command("patients")(patients)


def patients(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="[DIR]",
            help="The folder of patient stores (default: the current folder).",
            show_default=False,
        ),
    ] = Path("."),
    json: options.Json = False,
) -> None:
    """One line per patient store in DIR, who needs you first: an emergency or urgent
    flag, pain spreading down the leg, a flare, or 5 days without a log.

    Each store is only read: never changed, migrated or locked (a patient logging at
    the same time is not held up). A damaged store is listed as such.
    """
    from ptcli.overview import overview

    folder = Path(str(folder)).expanduser()
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder: give the folder that holds the patient stores")
    ws = workspace(ctx)
    try:
        lines = overview(folder, ws.catalogue, ws.now)
    except OSError as error:
        raise BadInput(f"cannot read the folder {folder}: {error.strerror}") from None
    emit(_json(lines) if json else _table(lines, ws.now))


def _table(lines: list[Any], now: Any) -> str:
    """Two lines a patient: who and what needs attention; then the facts."""
    from ptcli.cli.terminal import wrap
    from ptcli.overview import band_trend, day_words
    from ptcli.render.words import visible

    if not lines:
        return "No patient stores in this folder.\n"
    shown = []
    for line in lines:
        if line.damaged:
            shown.append(wrap(visible(f"DAMAGED {line.path.name}: {line.damaged}"), 2))
            continue
        attention = f"NEEDS YOU: {line.name}: {'; '.join(line.attention)}"
        facts = [
            f"last log {day_words(line.last_log, now.date())}",
            f"pain {band_trend(line)}",
            f"exercised {line.days_exercised}/7 days",
            line.last_measure or "no measure",
        ]
        shown.append(wrap(visible(attention if line.attention else line.name), 2))
        shown.append(wrap(visible("  " + "; ".join(facts)).replace(" %", "\u00a0%"), 2))
    return "\n".join(shown) + "\n"


def _json(lines: list[Any]) -> str:
    import json

    from ptcli.records import timestamp

    return (
        json.dumps(
            [
                {
                    "store": str(line.path),
                    "name": None if line.damaged else line.name,
                    "damaged": line.damaged,
                    "attention": list(line.attention),
                    "last_log": timestamp(line.last_log) if line.last_log else None,
                    "flags": list(line.flags),
                    "band_week_ago": line.band_week_ago.value if line.band_week_ago else None,
                    "band_today": line.band_today.value if line.band_today else None,
                    "days_exercised_this_week": line.days_exercised,
                    "last_measure": line.last_measure,
                }
                for line in lines
            ],
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
