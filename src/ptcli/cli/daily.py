"""The work of the daily commands (today, history, pain log and list, session log).

Without Typer: their Typer commands (routine.py, data.py, pain.py, session.py) declare
the options and the help, and call these with the values; the quick path (quick.py)
calls them directly. Each takes the global options' ``paths`` first, then the command's
values under the names of its Typer parameters (a choice such as ``--where`` as text).
"""

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ptcli.cli import Paths, emit, open_workspace
from ptcli.cli.values import extent, hold_seconds
from ptcli.domain.models import PainReading
from ptcli.errors import BadInput


def today(paths: Paths, json: bool = False, explain: bool = False) -> None:
    from ptcli import services
    from ptcli.render import render

    fmt = "json" if json else "table"
    if explain:
        show_routine(paths, None, None, fmt, explain=True)
    else:
        emit(render(fmt, services.today(open_workspace(paths))))


def show_routine(
    paths: Paths,
    date: str | None,
    stated: PainReading | None,
    fmt: str,
    output: Path | None = None,
    explain: bool = False,
    force: bool = False,
) -> None:
    """The routine for ``date`` (default today), or for a ``stated`` pain (the quick
    routine), in ``fmt``; with the rule behind each choice when ``explain``."""
    from ptcli import services
    from ptcli.render import render
    from ptcli.views import Explained

    ws = open_workspace(paths)
    routine = services.routine(ws, date, stated)
    view = Explained(routine) if explain else routine
    emit(render(fmt, view), output, ws.db_path, force)


def history(
    paths: Paths,
    since: str | None = None,
    until: str | None = None,
    all_: bool = False,
    json: bool = False,
) -> None:
    from ptcli import services
    from ptcli.render import render

    view = services.history(open_workspace(paths), since, until, all_, names=not json)
    emit(render("json" if json else "table", view))


def pain_list(
    paths: Paths, since: str | None = None, until: str | None = None, json: bool = False
) -> None:
    from ptcli import services
    from ptcli.render import render

    emit(
        render("json" if json else "table", services.list_pain(open_workspace(paths), since, until))
    )


def pain_log(
    paths: Paths,
    score: int,
    where: str | None = None,
    at: str | None = None,
    note: str | None = None,
    flag: Sequence[str] | None = None,
) -> None:
    from ptcli import services
    from ptcli.cli.emergency import remind_of_emergency, stop_for_emergency
    from ptcli.domain.safety import EMERGENCY, ITEMS
    from ptcli.render.words import extent as in_words

    ws = open_workspace(paths)
    flags = [str(item) for item in flag or []]
    if sys.stdin.isatty() and sys.stdout.isatty():
        score = _check_jump(ws, score, at)
    entry = services.log_pain(ws, score, extent(where), at, note, flags)
    reach = f", reaching the {in_words(entry.where)}" if entry.where else ""
    print(
        f"Logged pain {entry.score}/10{reach} at {entry.at.astimezone():%Y-%m-%d %H:%M} (id {entry.id})."
    )
    if any(ITEMS[item].level == EMERGENCY for item in flags):
        stop_for_emergency(services.active_flags(ws))  # saved first, then the stop
    if flags:
        print(
            f"ptcli: flagged {', '.join(flags)}: see 'ptcli today' for what to do now.",
            file=sys.stderr,
        )
    remind_of_emergency(ws)


def _check_jump(ws: Any, score: int, at: str | None) -> int:
    """A score 5 or more points from the last entry of the 12 hours before: a typo? Asked
    on a terminal only (a script's input is taken as given)."""
    from ptcli import services
    from ptcli.cli.terminal import Keys

    last = services.last_pain_before(ws, at)
    if last is None or abs(score - last.score) < services.PAIN_JUMP:
        return score
    keys = Keys()
    print(
        f"Your last pain was {last.score}/10, at {last.at.astimezone():%H:%M}; "
        f"{score} is {abs(score - last.score)} points {'up' if score > last.score else 'down'}."
    )
    answer = keys.yes_no(f"Did you mean {score}/10? [y/n] ", print)
    if answer is not False:
        return score
    typed = keys.score("Pain now, 0-10", None, print)
    if typed is None:
        raise BadInput("no score given: nothing was logged")
    return typed


def session_log(
    paths: Paths,
    exercise: str | None = None,
    routine: bool = False,
    sets: int | None = None,
    reps: int | None = None,
    hold: int | None = None,
    minutes: int | None = None,
    pain_after: int | None = None,
    where_after: str | None = None,
    at: str | None = None,
    note: str | None = None,
) -> None:
    from ptcli import services
    from ptcli.cli.emergency import remind_of_emergency
    from ptcli.views import SessionInput

    ws = open_workspace(paths)
    held = hold_seconds(hold, minutes)
    given = SessionInput(sets, reps, held, pain_after, extent(where_after), at, note)
    if routine:
        _log_routine(ws, exercise, given)
        return
    if exercise is None:
        raise BadInput(
            "give the exercise you did (its id or name), or --routine for all of today's"
        )
    found = services.checked_session(ws, exercise, given)  # before any question is asked
    if hold is not None and hold < 60 and sys.stdin.isatty() and sys.stdout.isatty():
        given = given._replace(hold_s=_check_minutes(found, hold))
    if given.where_after is not None and sys.stdin.isatty() and services.needs_baseline(ws, given):
        _ask_baseline(ws, given)
    logged = services.log_session(ws, found.id, given)
    _report(logged, found)
    remind_of_emergency(ws)  # a fact was recorded (exit 0), but the flag still needs care


def _log_routine(ws: Any, exercise: str | None, given: Any) -> None:
    """``session log --routine``: the whole routine at today's dose, one pain after for all."""
    from ptcli import services

    if exercise is not None:
        raise BadInput(f"give --routine or an exercise ({exercise!r}), not both")
    _, logged = services.log_routine(ws, given)
    when = f"{logged[0].entry.at.astimezone():%Y-%m-%d %H:%M}"
    count = f"{len(logged)} exercise{'s' if len(logged) != 1 else ''}"
    print(f"Logged {count} of the routine, at {when}:")  # short lines: a 60-column terminal
    for one in logged:  # (a blocked routine stopped for safety: nothing was logged)
        _report(one, ws.exercise(one.entry.exercise), in_routine=True)
    if given.pain_after is not None:
        print(f"Pain after: {given.pain_after}/10.")


def _report(logged: Any, exercise: Any, in_routine: bool = False) -> None:
    """What was logged, in words (one line of a routine's list), and on stderr what the
    gate or the stop rule says of it."""
    from ptcli.render.words import amount, visible

    entry = logged.entry._replace(exercise=visible(logged.entry.exercise))  # a catalogue's id
    done = amount(entry.sets, entry.reps, entry.hold_s, exercise.dose.per_side)
    if in_routine:
        print(f"  {visible(exercise.name)}: {done}")  # ids: 'ptcli history --json'
    else:
        after = f"; pain after {entry.pain_after}/10" if entry.pain_after is not None else ""
        print(
            f"Logged {entry.exercise}: {done}{after}, "
            f"at {entry.at.astimezone():%Y-%m-%d %H:%M} (id {entry.id})."
        )
    if logged.spread:
        print(
            "ptcli: pain spread further down your leg after this exercise: stop it and harder ones "
            "in that direction for today, and tell your therapist.",
            file=sys.stderr,
        )
    # With an emergency flag every exercise is refused: the reminder says it once.
    if logged.refused is not None and logged.refused.rule != "emergency-flag":
        print(
            f"ptcli: {entry.exercise} was not for today: {visible(logged.refused.text)} "
            f"(rule {logged.refused.rule}); see 'ptcli today --explain'.",
            file=sys.stderr,
        )
    elif logged.above is not None:
        today = amount(logged.above.sets, logged.above.reps, logged.above.hold_s)
        print(
            f"ptcli: that is more than today's dose of {entry.exercise} ({today}); "
            "next time keep to it.",
            file=sys.stderr,
        )


def _check_minutes(exercise: Any, hold: int) -> int:
    """Under a minute of walking or pool work: were minutes meant? (a terminal only)"""
    from ptcli.cli.terminal import Keys
    from ptcli.domain.engine import MINUTES_CATEGORIES
    from ptcli.render.words import visible

    if exercise.category not in MINUTES_CATEGORIES:
        return hold
    answer = Keys().yes_no(
        visible(f"--hold is in seconds: did you mean {hold} minutes of {exercise.name}? [y/n] "),
        print,
    )
    return hold * 60 if answer else hold


def _ask_baseline(ws: Any, given: Any) -> None:
    """No record of the pain in the 24 hours before: ask for it, so spreading is judged
    against it (DOMAIN 3). Without an answer a calf or foot after counts as spread."""
    from ptcli import services
    from ptcli.cli.terminal import Keys

    keys = Keys()
    print("Nothing says how far the pain reached before this exercise, so:")
    score = keys.score("Pain just before it, 0-10", None, print)
    where = keys.where("Where did it reach just before", None, print) if score is not None else None
    if score is not None and where is not None:
        services.log_baseline(ws, given, score, where)
