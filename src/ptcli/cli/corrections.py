"""ptcli delete | undo, and what ``pain edit`` and ``session edit`` share."""

import sys
from datetime import datetime
from typing import Annotated, Any

import typer

from ptcli.cli import options, workspace
from ptcli.errors import BadInput

Reason = Annotated[
    str | None,
    typer.Option(
        "--reason",
        "--note",
        metavar="TEXT",
        help="Why it was wrong; needed for a screen's answers or a flag clearance.",
        show_default=False,
    ),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking.")]


def register(app: typer.Typer) -> None:
    app.command("delete")(delete)
    app.command("undo")(undo)


def delete(
    ctx: typer.Context,
    record_id: options.RecordId,
    reason: Reason = None,
) -> None:
    """Mark a record as entered in error: every list, routine and export leaves it out.

    The record stays in the store (and in exports, with its deletion); 'ptcli undo'
    brings it back. Deleting a screen's answers or a flag clearance needs --note.
    """
    from ptcli import corrections

    ws = workspace(ctx)
    record = corrections.find(ws, record_id)
    if corrections.needs_reason_for(ws, record) and not (reason and reason.strip()):
        reason = ask_reason("this is safety data (a screen's answers or a flag clearance)")
    record, before, after = corrections.delete(ws, record_id, reason)
    print(f"Deleted {describe(record)}. 'ptcli undo' brings it back.")
    say_routine(before, after)


def undo(
    ctx: typer.Context,
    list_: Annotated[
        bool, typer.Option("--list", help="Show the last 10 changes made in this store.")
    ] = False,
    yes: Yes = False,
    reason: Reason = None,
) -> None:
    """Take back the last change made in this store (a log entry, an edit, a delete, a
    plan change, a screen, a clearance, an import): it is shown, then undone after a yes.

    Repeat to go further back. Undoing a screen or a clearance needs --note; today's
    routine is shown when the undo changes it.
    """
    from ptcli import corrections

    ws = workspace(ctx)
    if list_:
        changes = corrections.pending(ws, corrections.UNDO_LIST)
        if not changes:
            print("Nothing to undo in this store.")
            return
        print("Changes that 'ptcli undo' takes back, newest first:")
        for number, change in enumerate(changes, 1):
            lines = [describe(record) for record in change.records]
            more = f" and {len(lines) - 3} more" if len(lines) > 3 else ""
            say(f"{number:>3}. {_when(change.at)}: {'; '.join(lines[:3])}{more}", 5)
        return
    changes = corrections.pending(ws, 1)
    if not changes:
        print("Nothing to undo in this store.")
        return
    change = changes[0]
    count = len(change.records)
    print(f"The last change ({_when(change.at)}), {count} record{'s' * (count != 1)}:")
    for record in change.records[:10]:
        say(f"  {describe(record)}", 4)
    if count > 10:
        print(f"  and {count - 10} more")
    if corrections.needs_reason(ws, change) and not (reason and reason.strip()):
        reason = ask_reason(
            "this change takes back safety data (a screen's answers or a flag clearance)"
        )
    if not yes:
        confirm("Undo it? [y/n] ", "nothing was undone")
    before, after = corrections.undo(ws, change, reason)
    print(f"Undone: {count} record{'s' * (count != 1)} marked as entered in error.")
    say_routine(before, after)


def say(text: str, indent: int = 0) -> None:
    """A line on stdout, wrapped to the terminal's width (text already made visible);
    whole in a pipe, for scripts."""
    from ptcli.cli.terminal import wrap

    print(wrap(text, indent) if sys.stdout.isatty() else text)


def ask_reason(what: str) -> str:
    """A note for voiding safety data: asked on a terminal, else required as --note."""
    from ptcli.cli.terminal import Keys

    if not sys.stdin.isatty():
        raise BadInput(
            f"{what}: add --note saying why it was wrong, such as 'answered yes by mistake'"
        )
    answer = Keys().line(f"{what[0].upper()}{what[1:]}: why was it wrong? ")
    if not answer or not answer.strip():
        raise BadInput("a note is needed to take back safety data: nothing was changed")
    return answer.strip()


def confirm(prompt: str, refused: str) -> None:
    """A yes from standard input (a terminal or a pipe); anything else changes nothing."""
    from ptcli.cli.terminal import Keys

    answer = Keys().yes_no(prompt, print)
    if answer is None:
        raise BadInput(f"no answer: {refused}; add --yes to do it without asking")
    if not answer:
        print(f"{refused[0].upper()}{refused[1:]}.")
        raise typer.Exit()


def say_routine(before: Any, after: Any) -> None:
    """What today's routine becomes, when a change makes it another one: never silent."""
    from ptcli.render.words import visible

    if before.status == after.status and [i.exercise.id for i in before.items] == [
        i.exercise.id for i in after.items
    ]:
        return
    if after.status == "blocked":
        print(visible(f"Today's routine is now blocked: {after.message}"))
    else:
        count = len(after.items)
        was = " (it was blocked)" if before.status == "blocked" else ""
        print(
            visible(
                f"Today's routine is now {after.band.value} with {count} "
                f"exercise{'s' * (count != 1)}{was}: see 'ptcli today'."
            )
        )


def edited(before: Any, after: Any) -> None:
    """The line after an edit: each field's value before and after."""
    from ptcli.render.words import visible

    changes = [
        f"{field.replace('_s', '').replace('_', ' ')} {_value(getattr(before, field))} -> "
        f"{_value(getattr(after, field))}"
        for field in before._fields
        if getattr(before, field) != getattr(after, field)
    ]
    print(visible(f"Changed {describe(before)}: {'; '.join(changes)}."))


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, datetime):
        return _when(value)
    label = getattr(value, "label", None)
    return str(label if label is not None else value)


def _when(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def describe(record: Any) -> str:
    """One line naming a record, with its id (user text made visible)."""
    from ptcli.domain.models import (
        Appointment,
        Assessment,
        Clearance,
        Correction,
        LessonRead,
        MeasureEntry,
        PainEntry,
        Screen,
        SessionEntry,
    )
    from ptcli.render.words import amount, appointment, extent, visible

    when = _when(record.at)
    if isinstance(record, PainEntry):
        reach = f" reaching the {extent(record.where)}" if record.where is not None else ""
        text = f"pain {record.score}/10{reach} at {when}"
    elif isinstance(record, SessionEntry):
        text = f"{record.exercise} {amount(record.sets, record.reps, record.hold_s)} at {when}"
    elif isinstance(record, Screen):
        answers = [f"yes: {', '.join(record.yes)}"] if record.yes else []
        answers += [f"{len(record.no)} no"] if record.no else []
        text = f"screen at {when} ({'; '.join(answers) or 'no answers'})"
    elif isinstance(record, Clearance):
        text = f"clearance of {record.item} at {when} ({record.note})"
    elif isinstance(record, Correction):
        if record.action == "void":
            text = f"delete of {record.target} at {when}"
        else:
            values = ", ".join(f"{field} {_value(value)}" for field, value in record.changes)
            text = f"edit of {record.target} at {when} ({values})"
    elif isinstance(record, Appointment):
        text = f"appointment {appointment(record)} ({record.status})"
    elif isinstance(record, LessonRead):
        text = f"lesson {record.lesson} read at {when}"
    elif isinstance(record, Assessment):
        text = f"assessment at {when} (pain {record.pain}/10 before)"
    elif isinstance(record, MeasureEntry):
        text = f"{record.measure.upper()} at {when}"
    else:  # a plan change
        text = f"plan {record.action} {record.exercise or ''} at {when}".replace("  ", " ")
    return visible(f"{text} (id {record.id})")
