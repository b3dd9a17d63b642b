"""Terminal tables (Rich). Colour only on a terminal, and never with NO_COLOR set."""

from __future__ import annotations

import io
import shutil
import sys
from functools import singledispatch

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ptcli.domain.models import Band, Exercise, PainEntry, Routine, SessionEntry
from ptcli.render import words
from ptcli.services import Exercises, History

BAND_STYLE = {Band.GREEN: "bold green", Band.AMBER: "bold yellow", Band.RED: "bold red"}


def render(view: object) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=shutil.get_terminal_size().columns,
        force_terminal=sys.stdout.isatty(),
        highlight=False,
        markup=False,  # notes and names are user text, never markup
        emoji=False,
    )
    for part in _parts(view):
        console.print(part)
    return out.getvalue()


@singledispatch
def _parts(view: object) -> list[object]:
    raise TypeError(f"no table form for {type(view).__name__}")


@_parts.register
def _(routine: Routine) -> list[object]:
    title = Text(f"Routine for {routine.date:%A %d %B %Y}  ")
    title.append(f" {routine.band.value.upper()} ", style=f"reverse {BAND_STYLE[routine.band]}")
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("#", justify="right")
    table.add_column("Exercise", overflow="fold")  # ids are typed by users: never cut them
    table.add_column("Dose")
    table.add_column("Why", style="dim")
    for number, item in enumerate(routine.items, 1):
        name = Text.assemble(item.exercise.name, "\n", (item.exercise.id, "dim"))
        table.add_row(str(number), name, words.dose(item), item.why)
    return [title, table, routine.message, "Steps and cautions: ptcli catalogue show ID"]


@_parts.register
def _(entries: list) -> list[object]:  # type: ignore[type-arg]
    return _history(entries, "Nothing logged in this period.")


@_parts.register
def _(view: History) -> list[object]:
    return _history(view.entries, "Nothing logged in this period.")


def _history(entries: list[PainEntry | SessionEntry], empty: str) -> list[object]:
    if not entries:
        return [empty]
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("When", no_wrap=True)
    table.add_column("What", min_width=12)
    table.add_column("Pain", min_width=10)
    table.add_column("Note", min_width=8)
    table.add_column("Id", style="dim", no_wrap=True, min_width=16)
    for entry in entries:
        when = f"{entry.at:%Y-%m-%d %H:%M}"
        if isinstance(entry, PainEntry):
            pain = f"{entry.score}/10 {words.extent(entry.where)}"
            table.add_row(when, "pain", pain, entry.note or "", entry.id)
        else:
            dose = words.amount(entry.sets, entry.reps, entry.hold_s)
            score = f"{entry.pain_after}/10 " if entry.pain_after is not None else ""
            after = (
                f"after: {score}{words.extent(entry.where_after)}"
                if score or entry.where_after
                else ""
            )
            table.add_row(when, f"{entry.exercise}: {dose}", after, entry.note or "", entry.id)
    return [table]


@_parts.register
def _(view: Exercises) -> list[object]:
    if not view.items:
        return ["No exercises match."]
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Id", no_wrap=True, min_width=max(len(e.id) for e in view.items))
    for column in ("Name", "Category", "Chain", "Bands"):
        table.add_column(column, overflow="fold")
    for e in view.items:
        chain = f"{e.chain} {e.level}" + (" (therapist)" if e.therapist_only else "")
        table.add_row(
            e.id, e.name, e.category, chain, ", ".join(b.value for b in Band if b in e.bands)
        )
    return [table]


@_parts.register
def _(e: Exercise) -> list[object]:
    dose = e.dose
    lines = [
        Text(e.name, style="bold"),
        f"{e.category}, {e.direction}; level {e.level} of the {e.chain} chain"
        + ("; therapist only" if e.therapist_only else ""),
        "",
        e.purpose,
        "",
        f"Start: {e.position}",
        *[f"  {number}. {step}" for number, step in enumerate(e.steps, 1)],
        "",
        f"Dose: {words.amount(dose.sets, dose.reps, dose.hold_s, dose.per_side)}, "
        f"{words.per_day(dose.times_per_day)}, {dose.days_per_week} days a week",
    ]
    if e.equipment or e.pool:
        lines.append("Needs: " + ", ".join([*(["a pool"] if e.pool else []), *e.equipment]))
    lines += ["Cautions:", *[f"  - {caution}" for caution in e.cautions]] if e.cautions else []
    return [Text(line) if isinstance(line, str) else line for line in lines]
