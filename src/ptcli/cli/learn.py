"""ptcli learn [TOPIC]"""

from typing import Annotated

import typer

from ptcli.cli import emit, options, workspace


def register(app: typer.Typer) -> None:
    app.command("learn")(learn)


def learn(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC",
            help="A lesson's number, or a word of its title ('centralization', 'pool').",
            show_default=False,
        ),
    ] = None,
    json: options.Json = False,
) -> None:
    """Short lessons in plain words: alone, the list (with those you read marked); with a
    TOPIC, that lesson, which is then marked read."""
    from ptcli import lessons
    from ptcli.render import render

    ws = workspace(ctx)
    view = lessons.listing(ws) if topic is None else lessons.read(ws, topic)
    emit(render("json" if json else "table", view))
