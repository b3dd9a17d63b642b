"""ptcli screen | flag list | flag clear"""

import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer

from ptcli.cli import emit, options, workspace
from ptcli.cli.emergency import stop_for_emergency
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
            case_sensitive=False,
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
    """The safety screen: a yes/no question for each warning sign (asked when no option is given).

    Exit code 3 when an emergency flag is active after it (the emergency panel on stderr).
    """
    from ptcli import services

    ws = workspace(ctx)
    given = [item.value for item in yes or []]
    if given or no_others:
        answers_no = [item for item in ITEMS if item not in given] if no_others else []
        recorded, active = services.record_screen(ws, given, answers_no, at)
    else:
        recorded, active = _ask(ws, at)
    _recorded(recorded)
    stop_for_emergency(active)
    if active:
        symptoms = "; ".join(f.item.symptom for f in active)
        print(
            f"ptcli: {symptoms}: contact your GP or physiotherapist soon; "
            "gentle exercises only until then.",
            file=sys.stderr,
        )
    else:
        print("No warning signs: no flags are active.")


def _ask(ws: Any, at: str | None) -> tuple[Any, list[Any]]:
    """Ask every question in turn, saving the screen after each answer (answers as given).

    When input ends early, the answers given are kept: with an emergency flag active the
    command stops for safety (exit 3), otherwise it says how many were saved (exit 2).
    """
    from ptcli import services
    from ptcli.cli.terminal import Keys, fit

    screen = services.new_screen(ws, at)  # a bad --at fails before any question
    questions = services.screen_questions(ws)
    intro = "Answer each question y (yes) or n (no). Think of new or worsening symptoms."
    print(fit(intro) + "\n")
    keys = Keys()
    numbered = [(item, f"{n:2}. {question}") for n, (item, question) in enumerate(questions, 1)]
    screen = answer_as_given(ws, screen, numbered, lambda q: keys.yes_no(f"{q} [y/n] ", print), at)
    print()
    answered = len(screen.yes) + len(screen.no)
    if answered < len(questions):
        if answered:
            _recorded(screen)
        stop_for_emergency(services.active_flags(ws))
        if not answered:
            raise BadInput(
                "the screen needs an answer to every question; nothing was recorded "
                "(scripts: use --yes ITEM ... --no-others)"
            )
        raise BadInput(
            f"input ended after {answered} of {len(questions)} answers: those are saved; "
            "run 'ptcli screen' again to finish"
        )
    return screen, services.active_flags(ws)


def answer_as_given(
    ws: Any,
    screen: Any,
    questions: list[tuple[str, str]],
    ask: Callable[[str], bool | None],
    at: str | None = None,
    say: Callable[[str], None] = lambda text: print(text, flush=True),
) -> Any:
    """Ask each (item, question), saving ``screen`` after every answer; an emergency yes
    shows its advice at once (DOMAIN 1: answers as given). Returns the screen when the
    questions or the input end; Ctrl-C after an emergency yes stops for safety."""
    from ptcli import services

    try:
        for item, question in questions:
            answer = ask(question)
            if answer is None:
                break
            if answer:
                screen = screen._replace(yes=(*screen.yes, item))
            else:
                screen = screen._replace(no=(*screen.no, item))
            screen = services.save_answers(ws, screen, at)
            if answer and ITEMS[item].level == EMERGENCY:
                say(f"    {emergency_now(ITEMS[item].symptom)}")
    except KeyboardInterrupt:
        stop_for_emergency(services.active_flags(ws))  # the yes is saved: say what to do
        raise
    return screen


def ask_now(ws: Any, item: str) -> None:
    """Ask one question of the screen now and save the answer (``init --side both`` asks
    the both-legs question); a yes stops for safety. Nothing is saved when input ends."""
    from ptcli import services
    from ptcli.cli.terminal import Keys

    question = dict(services.screen_questions(ws))[item]
    answer = Keys().yes_no(f"{question} [y/n] ", print)
    if answer is None:
        return
    screen = services.new_screen(ws, None)
    screen = screen._replace(yes=(item,)) if answer else screen._replace(no=(item,))
    services.save_answers(ws, screen)
    stop_for_emergency(services.active_flags(ws))


def _recorded(screen: Any) -> None:
    from ptcli.cli.terminal import fit

    answered = len(screen.yes) + len(screen.no)
    print(
        fit(
            f"Screen recorded at {screen.at.astimezone():%Y-%m-%d %H:%M}: {answered} answer{'s' if answered != 1 else ''} (id {screen.id})."
        )
    )


def emergency_now(symptom: str) -> str:
    """The advice shown the moment an emergency question is answered yes."""
    return (
        f"EMERGENCY: {symptom}. Seek emergency care now: call your emergency number or go to "
        "an emergency department. Your answer is saved."
    )


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
        typer.Argument(
            metavar="ITEM", case_sensitive=False, help=f"The flag: {ITEM_LIST}.", show_default=False
        ),
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
    """Record that a flag was seen to: it clears the reports so far, up to --at (not later).

    A report that comes after it, from any device, raises the flag again.
    """
    from ptcli import services
    from ptcli.render.words import visible

    cleared = services.clear_flag(workspace(ctx), item.value, note, at)
    count = len(cleared.reports)
    print(
        f"Cleared {cleared.item} ({count} report{'s' if count != 1 else ''}) at "
        f"{cleared.at.astimezone():%Y-%m-%d %H:%M}: {visible(cleared.note)} (id {cleared.id})."
    )
