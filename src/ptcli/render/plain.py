"""The terminal form of the daily views without Rich: ``today`` and ``history`` (and
``pain list``, ``routine``). Everything else, and a routine with a panel to draw
(blocked, quick, an urgent alert) or --explain, goes to render/table.py's Rich tables.

The layout is table.py's: the same words, columns, styles and narrow-terminal rules
(below 90 columns the id goes under the time and the note under what was done).
"""

from __future__ import annotations

from ptcli.domain.models import Appointment, Band, PainEntry, Routine, SessionEntry
from ptcli.render import grid, words
from ptcli.render.grid import Column, Span
from ptcli.views import History, Today

NARROW = 90  # columns, as table.py
BAND_STYLE = {Band.GREEN: "bold green", Band.AMBER: "bold yellow", Band.RED: "bold red"}
STOP_SHORT = "Stop any exercise that spreads pain down your leg."
TODAY_HINT = "Guided: ptcli session start   Why: ptcli today --explain"
EMPTY = "Nothing logged in this period."


def render(view: object) -> str:
    if not _plain_enough(view):
        from ptcli.render import table

        return table.render(view)
    width = grid.terminal_width()
    styler = grid.Styler()
    if isinstance(view, (Routine, Today)):
        # notes, names, catalogue text: shown, never sent
        shown = words.visible_all(view)
        assert isinstance(shown, (Routine, Today))
        lines = _routine(shown if isinstance(shown, Routine) else shown.routine, width, styler)
        if isinstance(shown, Today):  # the next appointment, the next lesson: a line each
            for line in words.today_lines(shown):
                lines += grid.paragraph(line, width, styler)
    elif isinstance(view, History):
        marks = {key: found.status for key, found in (view.corrected or {}).items()}
        lines = _history(view.entries, view.names, marks, width, styler)
    else:
        assert isinstance(view, list)
        lines = _history(view, {}, {}, width, styler)
    return "".join(f"{line}\n" for line in lines)


def _plain_enough(view: object) -> bool:
    if isinstance(view, Today):
        view = view.routine
    if isinstance(view, Routine):
        plain_alerts = all(alert.level == "caution" for alert in view.alerts)
        return view.status != "blocked" and not view.quick and plain_alerts
    return isinstance(view, (History, list))


def _routine(routine: Routine, width: int, styler: grid.Styler) -> list[str]:
    """The patient's view: a short list in words (table.py's, line for line)."""
    lines = grid.paragraph(words.day_words(routine.date, year=False), width, styler, "bold")
    for alert in routine.alerts:
        label = f"{words.alert_label(alert.level)}: {alert.text}"
        lines += grid.paragraph(label, width, styler, "yellow")
    rows: list[list[grid.Cell]] = []
    changes, said_once = words.changes(routine)
    for item, change in zip(routine.items, changes, strict=True):
        dose = [(words.dose(item, brief=True), "")]
        dose += [("\n", ""), (change, "dim")] if change else []
        rows.append([[(item.exercise.name, "bold")], dose])
    for rest in routine.resting:  # not gone: listed with the day it comes back
        rows.append([[(rest.exercise.name, "bold")], words.rest_day(rest.next_day)])
    exercises = grid.table(
        [Column(""), Column("")], rows, width, styler, header=False, gap=2, edge=0
    )
    band = BAND_STYLE[routine.band].replace("bold ", "")
    lines += ["", *exercises]
    lines += grid.paragraph(said_once, width, styler, "dim") if said_once else []
    lines += [""]
    lines += grid.paragraph(words.band_line(routine), width, styler, band)
    lines += grid.paragraph(STOP_SHORT, width, styler)
    return lines + grid.paragraph(TODAY_HINT, width, styler, "dim")


def _history(
    entries: list[PainEntry | SessionEntry | Appointment],
    names: dict[str, str],
    marks: dict[str, str],
    width: int,
    styler: grid.Styler,
) -> list[str]:
    """Pain and sessions in time order, pain scores in their band's colour; with ``marks``
    (history --all) a corrected record says how: "(edited)", "(deleted)"."""
    if not entries:
        return [EMPTY]
    narrow = width < NARROW
    columns = [Column("When", no_wrap=True), Column("What", 12), Column("Pain", 9)]
    if not narrow:
        columns += [Column("Note", 8), Column("Id", no_wrap=True, style="dim")]
    rows: list[list[grid.Cell]] = []
    for entry in entries:
        when: list[Span] = [(f"{entry.at.astimezone():%Y-%m-%d %H:%M}", "")]
        if isinstance(entry, PainEntry):
            what = "pain"
            pain = _score(entry.score, words.extent(entry.where))
        elif isinstance(entry, Appointment):  # one done: a treatment, a water class
            what = f"Appointment: {words.appointment_what(entry)}"
            pain = []
        else:
            dose = words.amount(entry.sets, entry.reps, entry.hold_s)
            dose += " (partial)" if entry.partial else ""
            what = f"{names.get(entry.exercise, entry.exercise)}: {dose}"
            shown = entry.pain_after is not None or entry.where_after
            pain = [("after: ", "")] if shown else []
            if entry.pain_after is not None:
                pain += _score(entry.pain_after, "")
            if entry.where_after is not None:
                pain.append((f" {entry.where_after.place}", ""))
        if entry.id in marks:
            what += f" ({marks[entry.id]})"
        note = entry.note or ""
        row: list[grid.Cell]
        if narrow:
            when.append((f"\n{entry.id}", "dim"))
            row = [when, [(what, ""), *([(f"\n{note}", "dim")] if note else [])], pain]
        else:
            row = [when, what, pain, note, entry.id]
        rows.append(_visible(row))
    return grid.table(columns, rows, width, styler)


def _visible(row: list[grid.Cell]) -> list[grid.Cell]:
    """Every text of a row made visible (a note, a name, an imported id: shown, never
    sent): the history's entries are many, so only what is shown is, not the whole view."""
    return [
        words.visible(cell, lines=True)
        if isinstance(cell, str)
        else [(words.visible(text, lines=True), style) for text, style in cell]
        for cell in row
    ]


def _score(score: int, where: str) -> list[Span]:
    """'6/10 foot', the score in its band's colour (none without colour)."""
    return [(f"{score}/10", BAND_STYLE[Band.for_score(score)]), (f" {where}" if where else "", "")]
