"""Terminal tables (Rich). Colour only on a terminal, and never with NO_COLOR set."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Iterable
from functools import singledispatch
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ptcli.domain import wording
from ptcli.domain.models import (
    Alert,
    Appointment,
    Band,
    Clearance,
    Exercise,
    PainEntry,
    PlanChange,
    Reason,
    Routine,
    SessionEntry,
)
from ptcli.render import words
from ptcli.views import (
    Appointments,
    Exercises,
    Explained,
    Flags,
    History,
    Lesson,
    Lessons,
    Plan,
    PlanHistory,
    Today,
)

BAND_STYLE = {Band.GREEN: "bold green", Band.AMBER: "bold yellow", Band.RED: "bold red"}
ALERT_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on yellow",
    "caution": "bold",
}
NARROW = 90  # columns
STEPS_HINT = "Steps and cautions: ptcli catalogue show ID"
TODAY_HINT = "Guided: ptcli session start   Why: ptcli today --explain"
STOP_SHORT = "Stop any exercise that spreads pain down your leg."
CHANGE_MARK = {"new": "new", "progressed": "up", "held": "same", "regressed": "down"}


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
    # Every string of the view (notes, names, catalogue text) is made visible before Rich
    # sees it: an escape sequence in a note is shown as text (U+241B), never sent.
    for part in _parts(words.visible_all(view)):
        console.print(part)
    return out.getvalue()


@singledispatch
def _parts(view: object) -> list[object]:
    raise TypeError(f"no table form for {type(view).__name__}")


@_parts.register
def _(routine: Routine) -> list[object]:
    """The patient's view: a short list in words (rules, levels and evidence: --explain)."""
    if routine.status == "blocked":
        return _blocked(routine)
    alerts = [_alert(alert) for alert in routine.alerts]
    title = Text(words.day_words(routine.date, year=False), style="bold")
    exercises = Table.grid(padding=(0, 2, 0, 0))
    exercises.add_column(ratio=2)
    exercises.add_column(ratio=3)
    changes, said_once = words.changes(routine)
    for item, change in zip(routine.items, changes, strict=True):
        dose = Text(words.dose(item, brief=True) + ("\n" if change else ""))
        dose.append(change, style="dim")
        exercises.add_row(Text(item.exercise.name, style="bold"), dose)
    for rest in routine.resting:  # not gone: listed with the day it comes back
        exercises.add_row(Text(rest.exercise.name, style="bold"), words.rest_day(rest.next_day))
    band = Text(words.band_line(routine), style=BAND_STYLE[routine.band].replace("bold ", ""))
    once = [Text(said_once, style="dim")] if said_once else []
    body = [title, *alerts, "", exercises, *once, "", band, Text(STOP_SHORT)]
    if not routine.quick:
        return [*body, Text(TODAY_HINT, style="dim")]
    quick = Panel(Text(f"Quick routine. {words.QUICK_NOTE}"), style="bold", expand=False)
    return [quick, *body, _warning_signs()]


def _blocked(routine: Routine) -> list[object]:
    """No exercises today: the message names the emergency; say it once, loudly."""
    others = [_alert(alert) for alert in routine.alerts if alert.level != "emergency"]
    title = Text(f"Routine for {words.day_words(routine.date)}: NO EXERCISES TODAY", style="bold")
    items = [alert.item for alert in routine.alerts if alert.level == "emergency"]
    return [title, emergency_panel(items, "EMERGENCY: no exercises today"), *others]


def _detailed(routine: Routine) -> list[object]:
    """The therapist's view (--explain): levels, chains, the why of each choice."""
    if routine.status == "blocked":
        return _blocked(routine)
    alerts = [_alert(alert) for alert in routine.alerts]
    title = Text(f"Routine for {words.day_words(routine.date)}  ")
    title.append(f" {routine.band.value.upper()} ", style=f"reverse {BAND_STYLE[routine.band]}")
    # Below 90 columns the why goes under the exercise: a column of its own would be cropped.
    narrow = shutil.get_terminal_size().columns < NARROW
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("#", justify="right")
    widest_id = max((len(item.exercise.id) for item in routine.items), default=8)
    # ids are typed by users: never cut or fold them
    table.add_column("Exercise", overflow="fold", min_width=widest_id)
    table.add_column("Dose", min_width=12)
    if not narrow:
        table.add_column("Change", no_wrap=True)
        table.add_column("Why", style="dim", overflow="fold")
    for number, item in enumerate(routine.items, 1):
        name = Text.assemble(item.exercise.name, "\n", (item.exercise.id, "dim"))
        if narrow:  # the change under the dose, the why under the name: no column is cut
            name.append(f"\n{item.why}", style="dim")
            dose = Text(words.dose(item))
            dose.append(f"\nChange: {CHANGE_MARK[item.change]}", style="bold")
            table.add_row(str(number), name, dose)
        else:
            table.add_row(str(number), name, words.dose(item), CHANGE_MARK[item.change], item.why)
    if not routine.quick:
        return [*alerts, title, table, routine.message, _pain_scale(), STEPS_HINT]
    # The quick routine read no log, flags or plan: it says so first, and ends with the signs.
    quick = Panel(Text(f"Quick routine. {words.QUICK_NOTE}"), style="bold", expand=False)
    parts = [routine.message, _pain_scale(), _warning_signs(), STEPS_HINT]
    return [quick, *alerts, title, table, *parts]


def _pain_scale() -> Text:
    """The one pain scale, in the words and colours of the printed handout and its chart."""
    from ptcli.render import paper

    text = Text("Pain scale: ")
    for n, light in enumerate(paper.scale()):
        text.append(f"{light.band} {light.scores}", style=BAND_STYLE[Band(light.band)])
        text.append(f" {light.meaning}" + ("; " if n < 2 else ". "))
    text.append(paper.during_exercise())
    return text


def emergency_panel(items: list[str], title: str) -> Panel:
    """The red emergency panel: ``today`` when the routine is blocked, and every command
    that stops for safety (``screen``, ``pain log --flag``, the guided check-in)."""
    paragraphs = words.emergency_stop(items)
    body = Text(paragraphs[0], style="bold")
    for paragraph in paragraphs[1:]:
        body.append("\n\n" + paragraph)
    return Panel(
        body,
        title=Text(title, style="bold"),
        title_align="left",
        border_style="bold red",
        style="red",
    )


def _warning_signs() -> object:
    """The warning signs a screen asks about, for the quick routine (no flags were read)."""
    signs = Table.grid(padding=(0, 1))
    signs.add_column(no_wrap=True)
    signs.add_column()
    for sign in words.emergency_signs():
        signs.add_row(" -", sign)
    urgent = Text(words.URGENT_SIGNS_ADVICE, style="bold")
    urgent.append(f" {words.urgent_list()}.")
    body = Group(Text(words.EMERGENCY_SIGNS_ADVICE, style="bold"), signs, urgent)
    return Panel(body, title="Warning signs", title_align="left", border_style="red")


@_parts.register
def _(view: Explained) -> list[object]:
    routine = view.routine
    parts = _detailed(routine)
    parts += ["", Text("Why this routine", style="bold underline")]
    for reason in words.reasons_shown(routine):
        parts += _reason_lines(None, reason)
    for item in routine.items:
        if item.reason is not None:
            parts += _reason_lines(f"{item.exercise.id} ({item.change})", item.reason)
    if routine.left_out:
        parts.append(Text("Left out", style="bold"))
        parts += [Text(f"  {exercise}: {why} [{rule}]") for exercise, why, rule in routine.left_out]
    return parts


def _reason_lines(subject: str | None, reason: Reason) -> list[object]:
    head = Text(f"{subject}: " if subject else "", style="bold")
    head.append(f"[{reason.rule}] {reason.text}")
    return [head, *[Text(f"    read: {line}", style="dim") for line in reason.evidence]]


def _alert(alert: Alert) -> object:
    text = Text(f"{words.alert_label(alert.level)}: {alert.text}")
    if alert.level == "caution":
        text.stylize("yellow")
        return text
    return Panel(text, style=ALERT_STYLE.get(alert.level, "bold"), expand=False)


@_parts.register
def _(view: Flags) -> list[object]:
    screened = (
        f"Last full screen: {view.last_screen.at.astimezone():%Y-%m-%d %H:%M}."
        if view.last_screen
        else "No full screen on record: run 'ptcli screen'."
    )
    deleted = [_deleted(record, void) for record, void in view.deleted]
    if not view.flags:
        return ["No active flags.", *deleted, screened]
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Flag", no_wrap=True)  # an item id, typed in 'flag clear': never cut
    table.add_column("Level", no_wrap=True)
    table.add_column("Reported")
    table.add_column("Status")
    for flag in view.flags:
        reported = f"{flag.since.astimezone():%Y-%m-%d %H:%M}"
        if flag.last != flag.since:
            reported += f" (last {flag.last.astimezone():%Y-%m-%d})"
        status = (
            f"cleared {flag.cleared.at.astimezone():%Y-%m-%d}: {flag.cleared.note}"
            if flag.cleared
            else "ACTIVE"
        )
        table.add_row(flag.item.id, flag.item.level, reported, status)
    return [
        table,
        *deleted,
        screened,
        "Clear a flag once seen to: ptcli flag clear ITEM --note TEXT",
    ]


def _deleted(record: Any, void: Any) -> str:
    """A screen or clearance taken back as entered in error, and why (flag list --all)."""
    if isinstance(record, Clearance):
        what = f"clearance of {record.item} at {record.at.astimezone():%Y-%m-%d %H:%M}"
    else:
        answers = f"yes: {', '.join(record.yes)}" if record.yes else "no flags"
        what = f"screen at {record.at.astimezone():%Y-%m-%d %H:%M} ({answers})"
    return (
        f"Deleted as entered in error on {void.at.astimezone():%Y-%m-%d %H:%M}: {what}; "
        f"why: {void.reason}"
    )


@_parts.register
def _(view: Plan) -> list[object]:
    if not view.pins:
        return ["The plan pins nothing: the routine follows the log."]
    table = Table(box=box.SIMPLE_HEAD)
    widest_id = max(len(change.exercise or "") for _, change in view.pins)
    table.add_column("Exercise", min_width=min(widest_id, 24))  # names wrap at spaces
    table.add_column("Pinned dose")
    table.add_column("Since", no_wrap=True)
    for exercise, change in view.pins:
        table.add_row(
            Text.assemble(exercise.name, "\n", (exercise.id, "dim"))
            if exercise
            else f"{change.exercise} (unknown)",
            _pinned_dose(exercise, change) if exercise else "not in the catalogue",
            f"{change.at.astimezone():%Y-%m-%d %H:%M}",
        )
    return [table]


@_parts.register
def _(view: PlanHistory) -> list[object]:
    if not view.changes:
        return ["The plan has never been changed."]
    narrow = shutil.get_terminal_size().columns < NARROW
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("When", no_wrap=True)
    table.add_column("Change", no_wrap=True)
    widest = max((len(change.exercise or "") for change in view.changes), default=8)
    table.add_column("Exercise", no_wrap=True, min_width=min(widest, 24))  # ids: never folded
    table.add_column("Dose")
    if not narrow:
        table.add_column("Id", no_wrap=True, style="dim")
    for change in view.changes:
        dose = ", ".join(
            text
            for text, value in (
                (f"{change.sets} sets", change.sets),
                (f"{change.reps} repetitions", change.reps),
                (f"{words.duration(change.hold_s or 0)} each", change.hold_s),
                (words.per_day(change.per_day or 1, brief=True), change.per_day),
            )
            if value is not None
        )
        when = Text(f"{change.at.astimezone():%Y-%m-%d %H:%M}")
        if narrow:  # the id under the time: a column of its own would be cut
            when.append(f"\n{change.id}", style="dim")
        ids = [] if narrow else [change.id]
        table.add_row(when, change.action, change.exercise or "", dose, *ids)
    return [table]


def _pinned_dose(exercise: Exercise, change: PlanChange) -> str:
    from ptcli.domain.plan import dose_of

    sets, reps, hold, times = dose_of(change, exercise)
    return wording.dose(sets, reps, hold, exercise.dose.per_side, times)


@_parts.register
def _(entries: list) -> list[object]:  # type: ignore[type-arg]
    return _history(entries, {}, "Nothing logged in this period.")


@_parts.register
def _(view: History) -> list[object]:
    marks = {key: found.status for key, found in (view.corrected or {}).items()}
    return _history(view.entries, view.names, "Nothing logged in this period.", marks)


def _history(
    entries: list[PainEntry | SessionEntry | Appointment],
    names: dict[str, str],
    empty: str,
    marks: dict[str, str] | None = None,
) -> list[object]:
    """Pain and sessions in time order; pain scores coloured by band. Below 90 columns the
    id goes under the time and the note under what was done, so nothing is cut. With
    ``marks`` (history --all), a corrected record says how: "(edited)", "(deleted)"."""
    marks = marks or {}
    if not entries:
        return [empty]
    narrow = shutil.get_terminal_size().columns < NARROW
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("When", no_wrap=True)
    table.add_column("What", min_width=12)
    table.add_column("Pain", min_width=9)
    if not narrow:
        table.add_column("Note", min_width=8)
        table.add_column("Id", style="dim", no_wrap=True, min_width=20)
    for entry in entries:
        when = Text(f"{entry.at.astimezone():%Y-%m-%d %H:%M}")
        if isinstance(entry, PainEntry):
            what = Text("pain")
            pain = _score(entry.score, words.extent(entry.where))
        elif isinstance(entry, Appointment):  # one done: a treatment, a water class
            what = Text(f"Appointment: {words.appointment_what(entry)}")
            pain = Text()
        else:
            dose = words.amount(entry.sets, entry.reps, entry.hold_s)
            dose += " (partial)" if entry.partial else ""
            what = Text(f"{names.get(entry.exercise, entry.exercise)}: {dose}")
            pain = Text("after: ") if entry.pain_after is not None or entry.where_after else Text()
            if entry.pain_after is not None:
                pain.append_text(_score(entry.pain_after, ""))
            if entry.where_after is not None:
                pain.append(f" {entry.where_after.place}")
        if entry.id in marks:
            what.append(f" ({marks[entry.id]})")
        note = entry.note or ""
        if narrow:
            when.append(f"\n{entry.id}", style="dim")
            if note:
                what.append(f"\n{note}", style="dim")
            table.add_row(when, what, pain)
        else:
            table.add_row(when, what, pain, note, entry.id)
    return [table]


def _score(score: int, where: str) -> Text:
    """'6/10 foot', the score in its band's colour (none without colour)."""
    return Text.assemble(
        (f"{score}/10", BAND_STYLE[Band.for_score(score)]), f" {where}" if where else ""
    )


@_parts.register
def _(view: Exercises) -> list[object]:
    if not view.items:
        return ["No exercises match."]
    narrow = shutil.get_terminal_size().columns < NARROW
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Id", no_wrap=True, min_width=max(len(e.id) for e in view.items))
    # Words wrap at spaces, never inside; below 90 columns the details go under the name.
    for column in ("Name",) if narrow else ("Name", "Category", "Chain", "Bands"):
        table.add_column(column)
    for e in view.items:
        chain = f"{e.chain} {e.level}" + (" (therapist)" if e.therapist_only else "")
        bands = ", ".join(b.value for b in Band if b in e.bands)
        if narrow:
            table.add_row(
                e.id, Text.assemble(e.name, "\n", (f"{e.category}, {chain}; {bands}", "dim"))
            )
        else:
            table.add_row(e.id, e.name, e.category, chain, bands)
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
        "Dose: " + wording.dose(*dose[:3], dose.per_side, dose.times_per_day, dose.days_per_week),
    ]
    needs = [
        *(["a pool"] if e.pool else []),
        *e.equipment,
        *(["only with minimal symptoms"] if e.minimal_symptoms else []),
    ]
    if needs:
        lines.append("Needs: " + ", ".join(needs))
    lines += ["Cautions:", *[f"  - {caution}" for caution in e.cautions]] if e.cautions else []
    return [Text(line) if isinstance(line, str) else line for line in lines]


@_parts.register
def _(view: Today) -> list[object]:
    """Today's routine, then a line each: the next appointment, the next lesson to read
    (not under an emergency: its panel is the one thing to read)."""
    parts = _parts(view.routine)
    if view.routine.status == "blocked":
        return parts
    return [*parts, *[Text(line) for line in words.today_lines(view)]]


@_parts.register
def _(view: Appointments) -> list[object]:
    if not view.items:
        return [
            "No appointments."
            if view.everything
            else "No appointments booked: add one with 'ptcli appointment add'."
        ]
    narrow = shutil.get_terminal_size().columns < NARROW
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("When", no_wrap=True)
    table.add_column("What", min_width=12, overflow="fold")  # a link is never cut short
    if view.everything:
        table.add_column("Status", no_wrap=True)
    if not narrow:
        table.add_column("Id", style="dim", no_wrap=True, min_width=20)
    for item in view.items:
        when = Text(f"{item.at.astimezone():%a %Y-%m-%d %H:%M}")
        what = Text(words.appointment_what(item))
        for extra in (item.link, item.note):
            if extra:
                what.append(f"\n{extra}", style="dim")
        if narrow:
            when.append(f"\n{item.id}", style="dim")
        row: list[Text | str] = [when, what, *([item.status] if view.everything else [])]
        table.add_row(*row, *([] if narrow else [item.id]))
    return [table]


@_parts.register
def _(view: Lessons) -> list[object]:
    lines: list[object] = [Text("Short lessons (read one: ptcli learn NUMBER)", style="bold")]
    for lesson in view.lessons:
        line = Text(f"{lesson.number:>3}. {lesson.title}")
        if lesson.id in view.read:
            line.append("  (read)", style="dim")
        lines.append(line)
    return lines


@_parts.register
def _(lesson: Lesson) -> list[object]:
    parts: list[object] = [Text(f"{lesson.number}. {lesson.title}", style="bold"), ""]
    for paragraph in lesson.text.split("\n\n"):
        if paragraph.startswith("- "):  # a list
            parts += [_dashes(line.removeprefix("- ") for line in paragraph.split("\n")), ""]
        else:
            parts += [Text(paragraph), ""]
    return [*parts, Text("Sources:", style="dim"), _dashes(lesson.sources, "dim")]


def _dashes(lines: Iterable[str], style: str = "") -> Table:
    """A list, each item's lines indented under its dash."""
    items = Table.grid(padding=(0, 1, 0, 0))
    for line in lines:
        items.add_row(Text("-", style=style), Text(line, style=style))
    return items
