"""ptcli screen | flag list | flag clear"""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ptcli.cli import emit, options, workspace
from ptcli.domain.safety import EMERGENCY, ITEMS
from ptcli.errors import BadInput

Item = StrEnum("Item", {item: item for item in ITEMS})  # type: ignore[misc]
ITEM_LIST = ", ".join(ITEMS)

group = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)
    app.add_typer(group, name="flag", help="List and clear safety flags.")


def screen(
    ctx: typer.Context,
    yes: Annotated[
        list[Item] | None,
        typer.Option(
            "--yes",
            metavar="ITEM",
            help=f"Answer yes to ITEM (repeatable): {ITEM_LIST}.",
            show_default=False,
        ),
    ] = None,
    no_others: Annotated[
        bool,
        typer.Option("--no-others", help="Answer no to every item not given with --yes."),
    ] = False,
    at: options.At = None,
) -> None:
    """The safety screen: a yes/no question for each warning sign (asked when no option is given)."""
    from ptcli import services

    given = [item.value for item in yes or []]
    if given or no_others:
        answers_no = [item for item in ITEMS if item not in given] if no_others else []
    else:
        given, answers_no = _ask()
    ws = workspace(ctx)
    recorded, active = services.record_screen(ws, given, answers_no, at)
    answered = len(recorded.yes) + len(recorded.no)
    print(
        f"Screen recorded at {recorded.at:%Y-%m-%d %H:%M}: {answered} answer{'s' if answered != 1 else ''} (id {recorded.id})."
    )
    emergencies = [f for f in active if f.item.level == EMERGENCY]
    if emergencies:
        symptoms = "; ".join(f.item.symptom for f in emergencies)
        print(
            f"ptcli: EMERGENCY: {symptoms}. Seek emergency care now: call your emergency number "
            "or go to an emergency department. No exercises until a clinician has seen you.",
            file=sys.stderr,
        )
    elif active:
        symptoms = "; ".join(f.item.symptom for f in active)
        print(
            f"ptcli: {symptoms}: contact your GP or physiotherapist soon; "
            "gentle exercises only until then.",
            file=sys.stderr,
        )
    else:
        print("No warning signs: no flags are active.")


def _ask() -> tuple[list[str], list[str]]:
    """Ask every question in turn; nothing is recorded unless all are answered."""
    print("Answer each question y (yes) or n (no). Think of new or worsening symptoms.\n")
    yes: list[str] = []
    no: list[str] = []
    for number, item in enumerate(ITEMS.values(), 1):
        while True:
            try:
                # The prompt on stdout: input(prompt) writes it to stderr without readline.
                print(f"{number:2}. {item.question} [y/n] ", end="", flush=True)
                answer = input().strip().lower()
            except EOFError:
                raise BadInput(
                    "the screen needs an answer to every question; nothing was recorded "
                    "(scripts: use --yes ITEM ... --no-others)"
                ) from None
            if answer in ("y", "yes", "n", "no"):
                (yes if answer.startswith("y") else no).append(item.id)
                break
            print("    Please answer y or n.")
    print()
    return yes, no


@group.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include cleared flags.")] = False,
    json: options.Json = False,
) -> None:
    """Active safety flags (and with --all, cleared ones and how they were seen to)."""
    from ptcli import services
    from ptcli.render import render

    emit(render("json" if json else "table", services.list_flags(workspace(ctx), all_)))


@group.command("clear")
def clear(
    ctx: typer.Context,
    item: Annotated[
        Item,
        typer.Argument(metavar="ITEM", help=f"The flag: {ITEM_LIST}.", show_default=False),
    ],
    note: Annotated[
        str,
        typer.Option(
            "--note",
            metavar="TEXT",
            help="How it was seen to, such as 'seen by GP 2026-03-02' (required).",
            show_default=False,
        ),
    ],
    at: options.At = None,
) -> None:
    """Record that a flag was seen to by a clinician; it stays cleared until reported again."""
    from ptcli import services

    cleared = services.clear_flag(workspace(ctx), item.value, note, at)
    print(
        f"Cleared {cleared.item} at {cleared.at:%Y-%m-%d %H:%M}: {cleared.note} (id {cleared.id})."
    )
