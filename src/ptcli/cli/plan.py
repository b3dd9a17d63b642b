"""ptcli plan set | drop | show | clear | history"""

from typing import Annotated

import typer

from ptcli.cli import emit, options, values, workspace

group = typer.Typer(no_args_is_help=True)

ExerciseId = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help=options.EXERCISE_HELP,
        autocompletion=options.complete_exercise,
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(
        group, name="plan", help="The therapist's plan: pinned exercises and doses, with history."
    )


def _count(help_text: str, metavar: str = "N") -> object:
    # No upper bound here: the dose ceilings (domain.ceilings, which a catalogue may
    # change) refuse a dose that is too high, naming the limit.
    return typer.Option(min=1, metavar=metavar, help=help_text, show_default=False)


@group.command("set")
def set_(
    ctx: typer.Context,
    exercise: ExerciseId,
    sets: Annotated[int | None, _count("Sets (default: the catalogue's).")] = None,
    reps: Annotated[int | None, _count("Repetitions per set (default: the catalogue's).")] = None,
    hold: Annotated[
        int | None, _count("Seconds each hold (default: the catalogue's).", "SECONDS")
    ] = None,
    minutes: options.Minutes = None,
    per_day: Annotated[int | None, _count("Times a day (default: the catalogue's).")] = None,
) -> None:
    """Pin an exercise, and optionally its dose: the routine keeps it (safety rules still win)."""
    from ptcli import services
    from ptcli.render.words import amount, visible
    from ptcli.render.words import per_day as times_a_day

    ws = workspace(ctx)
    held = values.hold_seconds(hold, minutes)
    dose = {"sets": sets, "reps": reps, "hold_s": held, "per_day": per_day}
    change = services.change_plan(ws, "set", exercise, dose)
    found = ws.exercise(exercise)
    usual = found.dose  # the catalogue's, where the pin leaves it out
    pinned = amount(
        change.sets or usual.sets,
        change.reps or usual.reps,
        change.hold_s if change.hold_s is not None else usual.hold_s,
        usual.per_side,
    )
    print(
        f"Pinned {visible(found.id)} in the plan: {pinned}, "
        f"{times_a_day(change.per_day or usual.times_per_day)} (id {change.id})."
    )


@group.command("drop")
def drop(ctx: typer.Context, exercise: ExerciseId) -> None:
    """Unpin an exercise: the routine chooses for its slot again."""
    from ptcli import services

    change = services.change_plan(workspace(ctx), "drop", exercise)
    print(f"Dropped {change.exercise} from the plan (id {change.id}).")


@group.command("show")
def show(ctx: typer.Context, json: options.Json = False) -> None:
    """The exercises and doses the plan pins."""
    from ptcli import services
    from ptcli.render import render

    emit(render("json" if json else "table", services.current_plan(workspace(ctx))))


@group.command("clear")
def clear(ctx: typer.Context) -> None:
    """Unpin everything (kept in the plan's history)."""
    from ptcli import services

    change = services.change_plan(workspace(ctx), "clear")
    print(f"Plan cleared (id {change.id}).")


@group.command("history")
def history(ctx: typer.Context, json: options.Json = False) -> None:
    """Every change to the plan, oldest first: what was prescribed when."""
    from ptcli import services
    from ptcli.render import render

    emit(render("json" if json else "table", services.plan_history(workspace(ctx))))
