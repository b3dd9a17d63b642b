"""Use cases: what each command does, over a store and a catalogue, returning plain views.

The CLI parses arguments and picks a renderer; everything in between lives here.
Heavy pieces (the store, the catalogue) are opened on first use, so a command that
needs neither pays for neither.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptcli import records
from ptcli.domain.models import (
    Appointment,
    Assessment,
    Clearance,
    Correction,
    Exercise,
    Extent,
    MeasureEntry,
    PainEntry,
    PainReading,
    PatientLog,
    PlanChange,
    Profile,
    Routine,
    RoutineItem,
    Screen,
    SessionEntry,
)
from ptcli.domain.when import (
    day_of,
    end_of,
    is_time_of_day,
    local_day,
    moment_of,
    parse_when,
    start_of,
)
from ptcli.errors import BadInput, SafetyStop
from ptcli.views import (
    CALENDAR_DAYS,
    EXPORT_FORMAT,
    IMPORTED_VERSIONS,
    TREND_DAYS,
    Calendar,
    Corrected,
    Exercises,
    Export,
    Flags,
    Handout,
    History,
    ImportResult,
    LoggedSession,
    Picture,
    Plan,
    PlanHistory,
    SessionInput,
    Today,
)

if TYPE_CHECKING:  # the engine and the catalogue load only for commands that use them
    from ptcli.domain.catalogue import Catalogue, Problem
    from ptcli.domain.corrections import Corrections
    from ptcli.domain.safety import Flag
    from ptcli.storage.repository import R, Record, Repository

DEFAULT_LIST_DAYS = 30  # † `pain list` and `history` without --since show the last 30 days
CLOCK_TOLERANCE = timedelta(minutes=5)  # † a time this far ahead is a clock a little fast


class Workspace:
    """Where this invocation's data lives, and the moment it runs at."""

    def __init__(self, db_path: Path, catalogue_path: Path, cache_dir: Path | None = None) -> None:
        self.db_path = db_path
        self.catalogue_path = catalogue_path
        self.cache_dir = cache_dir
        self.now = datetime.now().astimezone().replace(microsecond=0)
        self._corrections_of: dict[tuple[str, datetime | None], Corrections] = {}

    @cached_property
    def store(self) -> Repository:
        from ptcli.storage.tinydb_store import open_file_store

        return open_file_store(self.db_path)

    @cached_property
    def corrections(self) -> Corrections:
        """The corrections in force (read once; ``forget_corrections`` after writing one)."""
        from ptcli.domain.corrections import Corrections

        return Corrections(self.store.select(Correction))

    def forget_corrections(self) -> None:
        self.__dict__.pop("corrections", None)
        self._corrections_of.clear()

    def corrections_of(self, table: str, since: datetime | None) -> Corrections:
        """The corrections in force over ``table`` from ``since`` on: a daily read parses
        those of the last weeks, not years of them."""
        from ptcli.domain.corrections import Corrections

        key = (table, since)
        if key not in self._corrections_of:
            self._corrections_of[key] = Corrections(self.store.corrections_of(table, since))
        return self._corrections_of[key]

    def select(
        self, kind: type[R], since: datetime | None = None, until: datetime | None = None
    ) -> list[R]:
        """Records of one kind in a period as corrected (``domain.corrections``): what every
        reader sees. ``store.select`` gives them as written."""
        found = self.store.select(kind, since, until)
        if kind is Correction:
            return found
        table = records.KIND_OF[kind].table
        fixes = self.corrections_of(table, since)
        if not fixes:
            return found
        for target, written_at, moved_to in fixes.moved(table):
            outside = (since and written_at < since) or (until and written_at > until)
            if outside and not ((since and moved_to < since) or (until and moved_to > until)):
                moved = self.store.find(kind, target, written_at)
                if moved is not None:
                    found.append(moved)
        return fixes.view(table, found, since, until)

    @cached_property
    def catalogue(self) -> Catalogue:
        from ptcli import catalogue_file

        return catalogue_file.load(self.catalogue_path, self.cache_dir)

    def clock(self) -> datetime:
        """Read the clock again (a guided session runs for minutes): the new ``now``."""
        self.now = datetime.now().astimezone().replace(microsecond=0)
        return self.now

    def when(self, text: str, option: str, ahead: bool = False) -> date | datetime:
        try:
            value = parse_when(text, self.now, ahead)
        except ValueError as error:
            raise BadInput(f"{option}: {error}") from None
        if not 1900 <= value.year <= 2999:
            raise BadInput(f"{option}: {text!r} is out of range: use a date from 1900 to 2999")
        return value

    def moment(
        self,
        text: str | None,
        option: str = "--at",
        ahead: timedelta = CLOCK_TOLERANCE,
        advice: str = "log what has happened",
    ) -> datetime:
        """The moment ``text`` names; up to ``ahead`` in the future (a clock a little fast)
        is taken as now, anything later refused with ``advice``."""
        if text is None:
            return self.now
        moment = moment_of(self.when(text, option), self.now)
        if moment > self.now + ahead:
            if is_time_of_day(text):  # last night needs its day
                advice += (
                    f" (a time alone is today's: for yesterday, say 'yesterday {text.strip()}')"
                )
            raise BadInput(f"{option}: {text!r} is in the future; {advice}")
        return min(moment, self.now)

    def safety_log(self) -> tuple[list[Screen], list[Clearance]]:
        """Every screen and clearance. One dated after now (imported from a device whose
        clock runs ahead) counts from now, so a report is never invisible today (DOMAIN 1:
        whatever time it claims)."""
        now = self.now
        screens = [s if s.at <= now else s._replace(at=now) for s in self.select(Screen)]
        clearances = [c if c.at <= now else c._replace(at=now) for c in self.select(Clearance)]
        return screens, clearances

    def window(
        self, since: str | None, until: str | None, default_days: int | None
    ) -> tuple[datetime | None, datetime | None]:
        start = start_of(self.when(since, "--since")) if since else None
        end = end_of(self.when(until, "--until")) if until else None
        if start is None and default_days is not None:  # the last N days, up to --until if given
            start = start_of((end or self.now).date() - timedelta(days=default_days))
        if start and end and start > end:
            raise BadInput(f"--since {since} is after --until {until}: swap them")
        return start, end

    def exercise(self, text: str) -> Exercise:
        """The exercise ``text`` names, by id or by name (``Catalogue.find``): the one
        resolver of every command that takes an exercise. An unknown or ambiguous one is
        a BadInput naming the closest ids and names."""
        found = self.catalogue.find(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise BadInput(f"{text!r} names {_either(found, 'and')}: give its id")
        near = self.catalogue.near(text)
        hint = f"did you mean {_either(near, 'or')}? " if near else ""
        raise BadInput(f"unknown exercise {text!r}: {hint}see 'ptcli catalogue list'")


def _either(exercises: Sequence[Exercise], word: str) -> str:
    """'a (Name A), b (Name B) or c (Name C)'."""
    named = [f"{e.id} ({e.name})" for e in exercises]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} {word} {named[-1]}"


# Profile


def update_profile(ws: Workspace, changes: Mapping[str, Any]) -> Profile:
    """Change only the profile fields given (re-running ``init`` keeps the rest)."""
    _check_text(changes.get("name"), "--name", records.NAME_MAX)
    _check_text(changes.get("contact"), "--contact", records.CONTACT_MAX)
    with ws.store.transaction():
        current = records.profile_to_record(ws.store.profile())
        current["id"] = current["id"] or records.new_id()
        current.pop("provisional", None)  # init makes a provisional id the patient's own
        profile = records.profile_from_record({**current, **changes})
        ws.store.save_profile(profile)
    return profile


def profile(ws: Workspace) -> Profile:
    return ws.store.profile()


def next_step(ws: Workspace) -> str:
    """What a patient does next after ``init``: the screen, then the morning's pain, then
    today's routine."""
    if emergency_check_due(ws):
        return "answer the safety questions with 'ptcli screen'."
    if last_pain_today(ws) is None:
        return (
            "log your pain now with 'ptcli pain log SCORE --where LOC' (such as 4 --where thigh)."
        )
    return "see today's routine with 'ptcli today'."


# Pain and sessions


def log_pain(
    ws: Workspace,
    score: int,
    where: Extent | None,
    at: str | None,
    note: str | None,
    flags: Sequence[str] = (),
) -> PainEntry:
    """Log a pain entry; ``flags`` (screen items) are recorded with it as a partial screen."""
    _check_note(note)
    entry = PainEntry(id=records.new_id(), at=ws.moment(at), score=score, where=where, note=note)
    screen = Screen(records.new_id(), entry.at, tuple(dict.fromkeys(flags)))  # a report each
    ws.store.add(entry, *([screen] if flags else []))
    return entry


def _check_note(note: str | None) -> None:
    _check_text(note, "--note", records.NOTE_MAX)


def _check_text(value: str | None, option: str, limit: int) -> None:
    """Text given with ``option`` is refused above ``limit`` characters, or when it is
    not valid text (``records.text_problem``)."""
    problem = None if value is None else records.text_problem(value, limit)
    if problem:
        raise BadInput(f"{option} {problem}: nothing was written")


PAIN_JUMP = 5  # † points from the last entry that ask "did you mean ...?" on a terminal
PAIN_JUMP_HOURS = 12  # † ... when the last entry is this recent


def last_pain_before(ws: Workspace, at: str | None) -> PainEntry | None:
    """The latest pain entry of the 12 hours before ``at`` (now), as corrected."""
    moment = ws.moment(at)
    entries = ws.select(PainEntry, moment - timedelta(hours=PAIN_JUMP_HOURS), moment)
    return entries[-1] if entries else None


def list_pain(ws: Workspace, since: str | None, until: str | None) -> list[PainEntry]:
    start, end = ws.window(since, until, DEFAULT_LIST_DAYS)
    return ws.select(PainEntry, start, end)


def log_session(ws: Workspace, exercise: str, given: SessionInput) -> LoggedSession:
    """Log a session of one exercise (by id or name); a dose left out is today's (or, for
    an exercise the gate refuses today, the catalogue's usual one). A refused exercise is
    still recorded, since it was done: the view says which rule it broke, and whether the
    dose was above today's."""
    return _log_sessions(ws, [checked_session(ws, exercise, given).id], given)[1][0]


def checked_session(ws: Workspace, exercise: str, given: SessionInput) -> Exercise:
    """The exercise a session names, once everything given is known to be acceptable: a
    command checks this before it asks anything (the baseline question writes)."""
    found = ws.exercise(exercise)
    if given.hold_s is not None and found.dose.hold_s is None:
        raise BadInput(f"{found.id} has no hold or time: leave out --hold and --minutes")
    _check_note(given.note)
    ws.moment(given.at)
    return found


def log_routine(ws: Workspace, given: SessionInput) -> tuple[Routine, list[LoggedSession]]:
    """``session log --routine``: every exercise of the day's routine (the day of
    ``given.at``), each at the routine's dose, with one pain after for all. Only the pain
    after, the time and a note may be given: spreading is logged per exercise.

    The routine and each dose come from the same gate as ``log_session`` (engine.offer);
    a blocked routine (an emergency flag) logs nothing and stops for safety.
    """
    doses = {"--sets": given.sets, "--reps": given.reps, "--hold/--minutes": given.hold_s}
    per_exercise = [option for option, value in doses.items() if value is not None]
    if per_exercise:
        raise BadInput(
            f"--routine logs today's doses: leave out {', '.join(per_exercise)}, or log "
            "that exercise on its own with 'ptcli session log ID'"
        )
    if given.where_after is not None:
        raise BadInput(
            "--routine takes no --where-after: spreading belongs to one exercise, so log it "
            "with 'ptcli session log ID --where-after LOC'"
        )
    return _log_sessions(ws, None, given)


def _log_sessions(
    ws: Workspace, ids: Sequence[str] | None, given: SessionInput
) -> tuple[Routine, list[LoggedSession]]:
    """Log ``ids`` (None: the day's routine) as done at ``given.at``, in one write. Each
    exercise is offered by the gate (``engine.offer``): its dose today, or why not."""
    from ptcli.domain import engine, spreading

    _check_note(given.note)
    at = ws.moment(given.at)
    day = local_day(at)
    log = patient_log(ws, day)
    routine, offered = engine.offer(ws.catalogue, log, day, ids or [])
    if ids is None:
        if routine.status == "blocked":  # nothing was prescribed, so nothing was done
            from ptcli.domain.safety import ITEMS

            alerts = [a.item for a in routine.alerts if a.level == "emergency" and a.item in ITEMS]
            raise SafetyStop(alerts)  # the emergency items: the panel names each
        if not routine.items:
            raise BadInput("the day's routine has no exercise to log: nothing was written")
        ids, offered = [item.exercise.id for item in routine.items], list(routine.items)
    entries: list[SessionEntry] = []
    # One moment for all: ids made in order keep the routine's order in history (at, id).
    new_ids = iter(sorted(records.new_id() for _ in offered))
    for exercise_id, choice in zip(ids, offered, strict=True):
        dose = choice if isinstance(choice, RoutineItem) else ws.exercise(exercise_id).dose
        entries.append(
            SessionEntry(
                id=next(new_ids),
                at=at,
                exercise=exercise_id,
                sets=given.sets or dose.sets,
                reps=given.reps or dose.reps,
                hold_s=given.hold_s if given.hold_s is not None else dose.hold_s,
                pain_after=given.pain_after,
                where_after=given.where_after,
                note=given.note,
            )
        )
    ws.store.add(*entries)
    logged = []
    for entry, choice in zip(entries, offered, strict=True):
        item = choice if isinstance(choice, RoutineItem) else None
        spread = spreading.spread_after(entry, log.pain, log.sessions)
        above = item is not None and _above(entry, item)
        refused = choice.reason if not isinstance(choice, RoutineItem) else None
        logged.append(LoggedSession(entry, spread, refused, item if above else None))
    return routine, logged


def needs_baseline(ws: Workspace, given: SessionInput) -> bool:
    """Is there no record of how far the pain reached in the 24 hours before this session
    (DOMAIN 3's baseline for spreading)? Only asked when ``--where-after`` is given."""
    if given.where_after is None:
        return False
    from ptcli.domain import spreading

    at = ws.moment(given.at)
    log = patient_log(ws, local_day(at))
    probe = SessionEntry("", at, "", 1, 1, None, None, given.where_after)
    return spreading.baseline_before(probe, log.pain, log.sessions) is None


def log_baseline(ws: Workspace, given: SessionInput, score: int, where: Extent) -> PainEntry:
    """The pain just before a session, as the patient remembers it: a pain entry a second
    before the session, so the session's spreading is judged against it."""
    at = ws.moment(given.at) - timedelta(seconds=1)
    entry = PainEntry(records.new_id(), at, score, where, "just before an exercise")
    ws.store.add(entry)
    return entry


def _above(entry: SessionEntry, item: RoutineItem) -> bool:
    """More than today's dose in any respect (sets, repetitions or hold)."""
    hold_above = entry.hold_s is not None and item.hold_s is not None and entry.hold_s > item.hold_s
    return entry.sets > item.sets or entry.reps > item.reps or hold_above


def history(
    ws: Workspace,
    since: str | None,
    until: str | None,
    everything: bool = False,
    names: bool = False,
) -> History:
    """The period's pain entries and sessions as corrected; with ``everything`` the
    deleted ones too, and how each record shown was corrected; ``names``: with the
    exercises' names (the catalogue is read)."""
    start, end = ws.window(since, until, DEFAULT_LIST_DAYS)
    entries: list[PainEntry | SessionEntry | Appointment] = [
        *ws.select(PainEntry, start, end),
        *ws.select(SessionEntry, start, end),
        # Appointments done (a treatment, a water class): what happened, beside the log.
        *(a for a in ws.select(Appointment, start, end) if a.status == "done"),
    ]
    corrected: dict[str, Corrected] | None = None
    if everything:
        corrected = {}
        kinds: dict[str, type[PainEntry] | type[SessionEntry]] = {
            "pain": PainEntry,
            "sessions": SessionEntry,
        }
        for entry in entries:
            status = ws.corrections.status(records.KIND_OF[type(entry)].table, entry.id)
            if status is not None and status.amends:
                amends = list(status.amends)
                original = ws.store.find(type(entry), entry.id, amends[0].target_at)  # type: ignore[type-var]
                corrected[entry.id] = Corrected("edited", original or entry, amends)
        day = timedelta(days=1)
        for (table, target), void in ws.corrections.voids.items():
            kind = kinds.get(table)
            # A deleted record is shown where it was written: look only near the period.
            if kind is None or (start and void.target_at < start - day):
                continue
            if end and void.target_at > end + day:
                continue
            deleted = ws.store.find(kind, target, void.target_at)  # type: ignore[type-var]
            if deleted is not None and not (
                (start and deleted.at < start) or (end and deleted.at > end)
            ):
                entries.append(deleted)
                corrected[target] = Corrected("deleted", deleted, [void])
    entries.sort(key=lambda entry: (entry.at, entry.id))
    done = {e.exercise for e in entries if isinstance(e, SessionEntry)}
    known = {e.id: e.name for e in ws.catalogue if e.id in done} if names and done else {}
    return History(entries, start, end, known, corrected)


# Safety screen and flags


def record_screen(
    ws: Workspace, yes: Sequence[str], no: Sequence[str], at: str | None = None
) -> tuple[Screen, list[Flag]]:
    """Record screen answers; returns the screen and the flags active after it."""
    from ptcli.domain import safety

    both = sorted(set(yes) & set(no))
    if both:
        raise BadInput(f"{both[0]} is answered both yes and no: give one answer")
    screen = Screen(
        records.new_id(), ws.moment(at), tuple(dict.fromkeys(yes)), tuple(dict.fromkeys(no))
    )
    with ws.store.transaction():
        ws.store.add(screen)
        screens, clearances = ws.safety_log()
    return screen, safety.active_flags(screens, clearances, ws.now.date())


def list_flags(ws: Workspace, include_cleared: bool) -> Flags:
    from ptcli.domain import safety

    screens, clearances = ws.safety_log()
    found = safety.flags(screens, clearances, ws.now.date())
    shown = [f for f in found if include_cleared or f.cleared is None]
    deleted = []
    for (table, target), void in ws.corrections.voids.items() if include_cleared else ():
        record: Screen | Clearance | None = None
        if table == "screens":
            record = ws.store.find(Screen, target, void.target_at)
        elif table == "clearances":
            record = ws.store.find(Clearance, target, void.target_at)
        if record is not None:
            deleted.append((record, void))
    deleted.sort(key=lambda pair: (pair[1].at, pair[1].id))
    return Flags(shown, safety.last_full_screen(screens, ws.now.date()), tuple(deleted))


def clear_flag(ws: Workspace, item: str, note: str, at: str | None) -> Clearance:
    """Clear every uncleared report of ``item`` up to ``at``, naming each one (DOMAIN.md 1).

    Refused when a report came after ``at`` (the clearance could not have seen it) and
    when ``at`` is in the future: a clearance never claims more than it saw.
    """
    from ptcli.domain import safety

    _check_note(note)
    if not note.strip():
        raise BadInput("--note must say how the flag was seen to, such as 'seen by GP 2026-03-02'")
    advice = "record a clearance when the flag has been seen to"
    moment = ws.moment(at, ahead=timedelta(0), advice=advice)
    with ws.store.transaction():
        reports = safety.uncleared(item, *ws.safety_log())
        if not reports:
            raise BadInput(f"{item} is not an active flag: see 'ptcli flag list'")
        if reports[-1].at > moment:
            when = f"--at {_local(moment)}" if at is not None else f"now ({_local(moment)})"
            raise BadInput(
                f"{item} was reported at {_local(reports[-1].at)}, after {when}: "
                "clear it at or after that time"
            )
        clearance = Clearance(
            records.new_id(), moment, item, note.strip(), tuple(r.id for r in reports)
        )
        ws.store.add(clearance)
    return clearance


def _local(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def new_screen(ws: Workspace, at: str | None) -> Screen:
    """An interactive screen not yet answered (nothing is saved until its first answer)."""
    return Screen(records.new_id(), ws.moment(at), ())


def save_answers(ws: Workspace, screen: Screen, at: str | None = None) -> Screen:
    """Save a screen as it stands, in place of its earlier version: each answer is kept the
    moment it is given, so input that ends early never loses an emergency yes.

    Without ``at`` it is stamped now, so each version is later than the one before: an
    export taken mid-screen and merged back can never win over the fuller version.
    """
    both = sorted(set(screen.yes) & set(screen.no))
    if both:
        raise BadInput(f"{both[0]} is answered both yes and no: give one answer")
    if at is None:
        screen = screen._replace(at=ws.clock())
    ws.store.put(screen)
    return screen


def screen_questions(ws: Workspace, level: str | None = None) -> list[tuple[str, str]]:
    """The items to ask (of one level, or all) with their questions: a lasting fact
    already reported is asked as "anything new?"."""
    from ptcli.domain import safety

    screens = ws.select(Screen)
    return [
        (item.id, safety.question(item, screens))
        for item in safety.ITEMS.values()
        if level in (None, item.level)
    ]


def active_flags(ws: Workspace) -> list[Flag]:
    """The flags active now (a select of screens and clearances: cheap)."""
    from ptcli.domain import safety

    return safety.active_flags(*ws.safety_log(), ws.now.date())


# The therapist's plan


def change_plan(
    ws: Workspace,
    action: str,
    exercise_id: str | None = None,
    dose: Mapping[str, int | None] | None = None,
) -> PlanChange:
    """Pin (``set``) or unpin (``drop``) an exercise, or ``clear`` the plan; kept in its history."""
    from ptcli.domain import plan

    dose = dose or {}
    if action == "drop" and exercise_id is not None and ws.catalogue.get(exercise_id) is None:
        # A pin the catalogue no longer has (a changed catalogue, an import) can still go.
        with ws.store.transaction():
            if exercise_id in plan.current(ws.select(PlanChange)):
                dropped = PlanChange(records.new_id(), ws.now, action, exercise_id, **dose)
                ws.store.add(dropped)
                return dropped
    exercise = ws.exercise(exercise_id) if exercise_id is not None else None
    if exercise is not None and dose.get("hold_s") is not None and exercise.dose.hold_s is None:
        raise BadInput(f"{exercise.id} has no hold or time: leave out --hold and --minutes")
    if exercise is not None and action == "set":
        # The pinned dose (the catalogue's where left out) within the dose ceilings.
        from ptcli.domain import ceilings

        pinned = {key: value for key, value in dose.items() if value is not None}
        found = ceilings.problems(
            ws.catalogue.ceilings,
            exercise.category,
            sets=pinned.get("sets", exercise.dose.sets),
            reps=pinned.get("reps", exercise.dose.reps),
            hold_s=pinned.get("hold_s", exercise.dose.hold_s),
            times_per_day=pinned.get("per_day", exercise.dose.times_per_day),
            days_per_week=exercise.dose.days_per_week,
        )
        if found:
            raise BadInput(f"cannot pin {exercise.id}: {'; '.join(found)}")
    change = PlanChange(records.new_id(), ws.now, action, exercise.id if exercise else None, **dose)
    with ws.store.transaction():
        pins = plan.current(ws.select(PlanChange))
        if action == "drop" and change.exercise not in pins:
            raise BadInput(f"{change.exercise} is not in the plan: see 'ptcli plan show'")
        ws.store.add(change)
    return change


def current_plan(ws: Workspace) -> Plan:
    from ptcli.domain import plan

    pins = plan.current(ws.select(PlanChange))
    # A pin the catalogue lacks is shown as unknown (None), never an error: the engine
    # ignores it, and 'plan drop' removes it.
    return Plan([(ws.catalogue.get(e), change) for e, change in pins.items()])


def plan_history(ws: Workspace) -> PlanHistory:
    return PlanHistory(ws.select(PlanChange))


# Routines


def calendar(ws: Workspace) -> Calendar:
    """Today's programme for a calendar, the programmes earlier exports may have held, and
    the moment it last changed: the store's last write, the catalogue's, or midnight."""
    import os

    from ptcli.domain import engine
    from ptcli.zone import machine_zone

    today = ws.now.date()
    earlier = tuple(
        engine.build_routine(ws.catalogue, log, day, rest_days=False)
        for day, log in _earlier_logs(ws, today - timedelta(days=CALENDAR_DAYS - 1))
    )
    changes = [start_of(today)]
    for path in (ws.db_path, ws.catalogue_path):
        with contextlib.suppress(OSError):
            changes.append(datetime.fromtimestamp(os.stat(path).st_mtime).astimezone())
    revised = min(max(changes), ws.now).astimezone(UTC).replace(microsecond=0)
    profile = ws.store.profile()
    # A provisional id comes at the first write: UIDs keep "no-profile" until init, as before.
    patient = (not profile.provisional and profile.id) or "no-profile"
    from ptcli.domain.gate import open_gate

    # The programme with what rests today: the week's (a water class done today counts
    # for today only, so it does not take the pool slot of the weeks scheduled).
    log = patient_log(ws, today)._replace(appointments=())
    programme = engine.build_routine(ws.catalogue, log, today, rest_days=False)
    gate = open_gate(ws.catalogue, log, today, None)
    starts = {item.exercise.id: gate.first_day(item.exercise) for item in programme.items}
    visits = tuple(ws.select(Appointment, start_of(today - timedelta(days=CALENDAR_DAYS))))
    return Calendar(patient, programme, earlier, revised, machine_zone(), starts, visits)


def _earlier_logs(ws: Workspace, first: date) -> list[tuple[date, PatientLog]]:
    """The log as it stood at the moments from ``first`` on when an export could have read
    another programme: the end of each day before today, and just before each record made
    since ``first`` that can drop an exercise (pain, screens, clearances, plan changes; and
    today's sessions, for one that made pain spread). A record's id tells when it was made;
    one without that is taken as always there. Sessions of earlier days count at the day's
    end only: replaying before each of them too would triple the work for a rare case.
    Corrections (edits, deletions) count from when they were made, as records do."""
    from ptcli.domain.corrections import Corrections
    from ptcli.domain.engine import HISTORY_DAYS

    start = start_of(first)
    pain = ws.store.select(PainEntry, start_of(first - timedelta(days=HISTORY_DAYS)))
    sessions = ws.store.select(SessionEntry, start_of(first - timedelta(days=HISTORY_DAYS)))
    screens, clearances = ws.store.select(Screen), ws.store.select(Clearance)
    plan = ws.store.select(PlanChange)
    corrections = ws.store.select(Correction)
    profile = ws.store.profile()
    everything: list[Any] = [*pain, *sessions, *screens, *clearances, *plan, *corrections]
    made = {entry.id: records.created(entry.id) for entry in everything}
    moments = {end_of(first + timedelta(days=n)) for n in range((ws.now.date() - first).days)}
    # Every record in the store is already made: one "made" after now (by a clock ahead, or
    # within this second, as now has no fraction) counts as made now.
    today = start_of(ws.now.date())
    for entry in everything:
        at = made[entry.id]
        if at is not None and (today if isinstance(entry, SessionEntry) else start) <= at:
            moments.add(min(at, ws.now))

    def there(entry: Any, before: datetime) -> bool:
        at = made[entry.id]
        return (at is None or at < before) and entry.at <= before

    def known(
        entries: Sequence[Any],
        before: datetime,
        fixes: Corrections,
        since: datetime | None = None,
    ) -> Any:
        table = records.KIND_OF[type(entries[0])].table if entries else ""
        return tuple(fixes.view(table, [e for e in entries if there(e, before)], since))

    logs = []
    for moment in sorted(moments):
        day = local_day(moment)
        since = start_of(day - timedelta(days=HISTORY_DAYS))
        fixes = Corrections(c for c in corrections if there(c, moment))
        log = PatientLog(
            profile=profile,
            pain=known(pain, moment, fixes, since),
            sessions=known(sessions, moment, fixes, since),
            screens=known(screens, moment, fixes),
            clearances=known(clearances, moment, fixes),
            plan=known(plan, moment, fixes),
        )
        logs.append((day, log))
    return logs


def routine_for(ws: Workspace, day: date, stated: PainReading | None = None) -> Routine:
    """The routine for ``day`` from the log; with ``stated`` pain the store is not opened at all."""
    from ptcli.domain import engine

    if stated is not None:
        return engine.build_routine(ws.catalogue, PatientLog(), day, stated)
    return engine.build_routine(ws.catalogue, patient_log(ws, day), day)


def patient_log(ws: Workspace, day: date, since: date | None = None) -> PatientLog:
    """The part of the log the engine reads for ``day`` (two weeks, and all flags and plan),
    or with ``since`` for every day from ``since`` to ``day`` (progress, reports)."""
    from ptcli.domain.engine import HISTORY_DAYS

    first = day if since is None else since
    start, end = start_of(first - timedelta(days=HISTORY_DAYS)), end_of(day)
    if day >= ws.now.date():  # today: every report, one dated ahead counted from now
        screens, clearances = ws.safety_log()
    else:  # a day past: what had been reported by its end
        screens, clearances = (
            ws.select(Screen, until=end),
            ws.select(Clearance, until=end),
        )
    return PatientLog(
        profile=ws.store.profile(),
        pain=tuple(ws.select(PainEntry, start, end)),
        sessions=tuple(ws.select(SessionEntry, start, end)),
        screens=tuple(screens),
        clearances=tuple(clearances),
        plan=tuple(ws.select(PlanChange, until=end)),
        appointments=tuple(ws.select(Appointment, start_of(first), end)),
        assessments=tuple(ws.select(Assessment, start, end)),
    )


def today(ws: Workspace) -> Today:
    """``ptcli today``: the routine, the next appointment, the next lesson to read and the
    outcome measures due."""
    from ptcli import appointments, lessons

    routine = routine_for(ws, ws.now.date())
    due = tuple(measures_due(ws))
    return Today(routine, appointments.next_one(ws), lessons.next_unread(ws), due)


def routine(ws: Workspace, day: str | None, stated: PainReading | None) -> Routine:
    return routine_for(ws, day_of(ws.when(day, "--date")) if day else ws.now.date(), stated)


def handout(
    ws: Workspace,
    day: str | None,
    stated: PainReading | None,
    people: Mapping[str, str | None],
    weeks: int,
    paper: str,
    explain: bool = False,
) -> tuple[Handout, list[str]]:
    """The programme to print for weeks (``domain.programme``: what the gate allows on a
    good day, today marked in it), its pictures and (from a store) the pain of the last
    4 weeks.

    ``people`` holds patient, therapist, clinic, note and contact; the patient and the
    contact default to the profile's. The second value lists warnings (a picture that
    could not be used).
    """
    from ptcli.domain import programme

    _check_note(people.get("note"))
    for option in ("patient", "therapist", "clinic"):
        _check_text(people.get(option), f"--{option}", records.NAME_MAX)
    _check_text(people.get("contact"), "--contact", records.CONTACT_MAX)
    on = day_of(ws.when(day, "--date")) if day else ws.now.date()
    trend: tuple[PainEntry, ...] | None = None
    patient, contact = people.get("patient"), people.get("contact")
    if stated is None:
        from ptcli.domain.monitoring import Mornings

        log = patient_log(ws, on)._replace(appointments=())  # a sheet for weeks, as above
        start = start_of(on - timedelta(days=TREND_DAYS - 1))
        mornings = Mornings(list(ws.select(PainEntry, start, end_of(on))))
        trend = tuple(mornings.by_day[morning] for morning in sorted(mornings.by_day))
        patient = patient or log.profile.name
        contact = contact or log.profile.contact
    else:
        log = PatientLog()
    programme_ = programme.build(ws.catalogue, log, on, stated)
    warnings: list[str] = []
    exercises = [p.item.exercise for p in programme_.planned]
    view = Handout(
        programme=programme_,
        patient=patient,
        therapist=people.get("therapist"),
        clinic=people.get("clinic"),
        note=people.get("note"),
        weeks=weeks,
        paper=paper,
        pictures={p.item.exercise.id: _picture(ws, p.item, warnings) for p in programme_.planned},
        fallbacks={e.id: easier.name for e in exercises if (easier := _fallback(ws, e))},
        trend=trend,
        contact=" ".join(contact.split()) if contact else None,
        explain=explain,
        appointment=_next_appointment(ws) if stated is None else None,
    )
    return view, warnings


def _next_appointment(ws: Workspace) -> Appointment | None:
    from ptcli import appointments

    return appointments.next_one(ws)


def _picture(ws: Workspace, item: RoutineItem, warnings: list[str]) -> Picture:
    """The catalogue's own image for an exercise, else the figure drawn from its pose."""
    exercise = item.exercise
    if exercise.image is None:
        if exercise.pose is not None:
            from ptcli.domain.engine import KEEP_GOING_CATEGORIES
            from ptcli.render import figure

            label = figure.hold_label(item.hold_s, exercise.category in KEEP_GOING_CATEGORIES)
            return Picture("svg", figure.svg(exercise.pose, label))
        warnings.append(
            f"no picture for {exercise.id!r}: add a 'pose:' block or 'image: FILE' to its "
            "catalogue entry; printed a blank frame instead"
        )
        return Picture("missing", "")
    from ptcli import pictures

    try:
        media_type, data = pictures.read_picture(ws.catalogue_path.parent, exercise.image)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        path = ws.catalogue_path.parent / exercise.image
        warnings.append(
            f"cannot use the picture {str(path)!r} of {exercise.id!r} ({reason}); "
            "printed a blank frame instead"
        )
        return Picture("missing", "")
    import base64

    return Picture("image", f"data:{media_type};base64,{base64.b64encode(data).decode()}")


def _fallback(ws: Workspace, exercise: Exercise) -> Exercise | None:
    """Where the stop rule sends a patient back to: the chain's first level for McKenzie
    exercises (DOMAIN section 3), the level below for the others; None at the first level."""
    easier = [e for e in ws.catalogue.chain(exercise.chain) if e.level < exercise.level]
    if not easier:
        return None
    return easier[0] if exercise.category == "mckenzie" else easier[-1]


# Guided sessions (ptcli session start): the runner in cli/guide.py asks and times;
# these read and write.


def emergency_check_due(ws: Workspace) -> bool:
    from ptcli.domain import safety

    return safety.emergency_check_due(ws.select(Screen), ws.now.date())


def last_pain_today(ws: Workspace) -> PainEntry | None:
    entries = ws.select(PainEntry, start_of(ws.now.date()), ws.now)
    return max(entries, key=lambda e: (e.at, e.id)) if entries else None


def check_in(
    ws: Workspace, score: int | None, where: Extent | None, ids: Sequence[str]
) -> tuple[Routine, list[RoutineItem]]:
    """Record the check-in's pain now (None: nothing new to log, such as today's entry
    kept as it is) and build today's routine after it, with the exercises to do (see
    ``guided_items``). The emergency answers, if asked, are already saved
    (``save_answers``, as each was given).

    A named exercise that the gate refuses writes no pain entry (the answers stay:
    they are safety data); a blocked routine keeps the check-in.
    """
    with ws.store.transaction():
        if score is not None:
            note = "before a guided session"
            ws.store.add(PainEntry(records.new_id(), ws.clock(), score, where, note))
        today, items = guided_items(ws, ids)
    return today, items


def guided_items(ws: Workspace, ids: Sequence[str]) -> tuple[Routine, list[RoutineItem]]:
    """Today's routine and what to lead: its items, or the named exercises as the gate
    offers them today (``engine.offer``); one the gate refuses is a BadInput naming its rule."""
    from ptcli.domain import engine

    day = ws.now.date()
    log = patient_log(ws, day)
    if not ids:
        today = engine.build_routine(ws.catalogue, log, day)
        return today, [] if today.status == "blocked" else list(today.items)
    today, offered = engine.offer(ws.catalogue, log, day, list(dict.fromkeys(ids)))
    if today.status == "blocked":
        return today, []
    items = []
    for exercise_id, item in zip(dict.fromkeys(ids), offered, strict=True):
        if not isinstance(item, RoutineItem):
            raise BadInput(
                f"{exercise_id} is not for today ({item.text}; rule {item.rule}): "
                "see 'ptcli today --explain'"
            )
        items.append(item)
    return today, items


def save_progress(ws: Workspace, entry: SessionEntry) -> SessionEntry:
    """Save a guided exercise as it stands (a set just ended, or the pain after it), stamped now."""
    entry = entry._replace(at=ws.clock())
    ws.store.put(entry)
    return entry


def spread_after(ws: Workspace, entry: SessionEntry) -> bool | None:
    """Did the pain reach further down the leg after this saved session (the M2 check)?"""
    from ptcli.domain import spreading

    log = patient_log(ws, local_day(entry.at))
    return spreading.spread_after(entry, log.pain, log.sessions)


def check_out(
    ws: Workspace, score: int, where: Extent | None, done: Sequence[SessionEntry]
) -> PainEntry:
    """The pain at the end: a pain entry, and the pain after each exercise that lacks one."""
    entry = PainEntry(
        records.new_id(), ws.clock(), score, where, "after a guided session", after_exercise=True
    )
    with ws.store.transaction():
        ws.store.add(entry)
        for session in done:
            if session.pain_after is None:
                ws.store.put(session._replace(pain_after=score))
    return entry


# Catalogue


def check_catalogue(path: Path) -> tuple[Catalogue, list[Problem]]:
    from ptcli import catalogue_file

    return catalogue_file.check(path)


def exercises(ws: Workspace, category: str | None) -> Exercises:
    return Exercises([e for e in ws.catalogue if category is None or e.category == category])


# Export and import


def export(
    ws: Workspace,
    table: str | None,
    since: str | None,
    until: str | None,
    corrected: bool = False,
    marked: bool = False,
) -> Export:
    """Everything (or one table) in a window; the records come lazily, a month at a time.

    As written, with the corrections table (JSON, NDJSON: for import); with
    ``corrected``, as every reader sees them (CSV); with ``marked``, as written with the
    corrections in force beside them, for the renderer to mark (FHIR)."""
    from ptcli.domain import plan

    start, end = ws.window(since, until, None)
    fixes = ws.corrections if corrected or marked else None

    def stream(kind: records.Kind) -> Iterable[Record]:
        if not corrected or not fixes or kind.type is Correction:
            return ws.store.stream(kind.type, start, end)
        if fixes.moved(kind.table):  # an edited time can take a record in or out of the window
            return ws.select(kind.type, start, end)
        entries = ws.store.stream(kind.type, start, end)
        return (fixed for e in entries if (fixed := fixes.apply(kind.table, e)) is not None)

    changes = ws.select(PlanChange, until=end) if table in (None, "plan") else []
    flags, flags_in_error = (
        _flags_for_export(ws, end)
        if marked and table in (None, "screens", "clearances")
        else ((), ())
    )
    return Export(
        exported_at=ws.now,
        profile=ws.store.profile(),
        tables={kind.table: stream(kind) for kind in records.KINDS if table in (None, kind.table)},
        pins=plan.current(changes),
        names={exercise.id: exercise.name for exercise in ws.catalogue},
        corrections=fixes if marked and fixes else None,
        plan_changes=tuple(changes),
        flags=flags,
        flags_in_error=flags_in_error,
    )


def _flags_for_export(
    ws: Workspace, end: datetime | None
) -> tuple[tuple[Flag, ...], tuple[Flag, ...]]:
    """The flags raised up to ``end`` as corrected (what the gate sees), and those raised
    only by reports since taken back (entered in error): the first report names a flag."""
    from ptcli.domain import safety
    from ptcli.render.fhir import flag_id

    day = local_day(end) if end else ws.now.date()
    live = safety.flags(ws.select(Screen), ws.select(Clearance), day)
    written = safety.flags(ws.store.select(Screen), ws.store.select(Clearance), day)
    known = {flag_id(flag) for flag in live}
    return tuple(live), tuple(flag for flag in written if flag_id(flag) not in known)


def push(
    ws: Workspace, url: str, token_env: str | None, since: str | None, dry_run: bool
) -> tuple[str, Any, int]:
    """Send the FHIR transaction bundle to the server at ``url`` (``ptcli push``): the
    base URL pushed to, what was (or, dry, would be) done, and how many resources went.

    Every check runs before the network is touched; ``since`` ("last") sends only what
    changed since the last successful push there. A server's refusal raises PtcliError
    after the ledger has noted the parts it took."""
    from ptcli import push as pushing
    from ptcli.render import fhir

    base = pushing.target(url)
    if since not in (None, "last"):
        raise BadInput("--since takes 'last': what changed since the last push to this server")
    token = None
    if token_env is not None:
        token = os.environ.get(token_env, "").strip()
        if not token:
            raise BadInput(f"the environment variable {token_env} is empty or not set")
    profile = ws.store.profile()
    if profile.id is None and not dry_run:  # a store that never held a record: its own Patient
        ws.store.save_profile(profile._replace(id=records.new_id(), provisional=True))
    view = export(ws, None, None, None, marked=True)._replace(bundle=fhir.TRANSACTION)
    known = ws.store.pushed(base)
    entries = [
        entry
        for entry in fhir.entries(view, transaction=True)
        if since is None or known.get(entry["resource"]["id"]) != pushing.digest(entry["resource"])
    ]
    if dry_run or not entries:
        return base, pushing.count(entries, known), len(entries)

    def bundle(part: Sequence[dict[str, Any]]) -> str:
        return "".join(fhir.bundle_text(fhir.TRANSACTION, part, ws.now))

    outcome, taken, error = pushing.send(base, entries, known, token, bundle)
    if taken:
        ws.store.save_pushed(base, taken)
    if error is not None:
        raise error
    return base, outcome, len(entries)


def export_schema() -> str:
    """The JSON Schema of the json export (shipped in the package)."""
    from importlib.resources import files

    return files("ptcli").joinpath("data", "export.schema.json").read_text(encoding="utf-8")


class _DryRun(Exception):
    """Raised inside the import's transaction to discard everything it did."""


def import_export(
    ws: Workspace,
    data: bytes,
    source: str,
    dry_run: bool = False,
    into_this_patient: bool = False,
) -> ImportResult:
    """Merge a JSON or NDJSON export into the store; every record is checked before any write.

    With ``dry_run`` the merge runs in a transaction that is then thrown away, so the
    report says exactly what would change: every check below runs in both.
    An export of another patient (both profiles given ids by ``init``, and different)
    is refused unless ``into_this_patient``.
    """
    document = _read_export(data, source)
    if document.get("format") != EXPORT_FORMAT:
        raise BadInput(f'{source} is not a ptcli export (no "format": "{EXPORT_FORMAT}")')
    version = document.get("version")
    if (
        not (isinstance(version, int) and not isinstance(version, bool))
        or version not in IMPORTED_VERSIONS
    ):
        shown = repr(version) if isinstance(version, int | float | bool) else "unknown"
        raise BadInput(
            f"{source} is export version {shown}; this ptcli reads versions "
            f"{' and '.join(map(str, IMPORTED_VERSIONS))}"
        )
    profile = _parse_part(source, "profile", document.get("profile"), records.profile_from_import)
    entries: list[Record] = []
    for kind in records.KINDS:
        parse = kind.from_import or kind.from_record  # screen items must be known
        # Popped: each kind's raw list is let go once parsed (an import of years stays lean).
        entries += _parse_list(source, kind.table, document.pop(kind.table, []), parse)
    _check_writable(source, profile, entries)
    ahead = [e for e in entries if isinstance(e, Clearance) and e.at > ws.now + CLOCK_TOLERANCE]
    if ahead:  # it would clear reports not yet made (DOMAIN 1: never dated in the future)
        raise BadInput(
            f"{source}: clearance {ahead[0].id} is dated {_local(ahead[0].at)}, in the future: "
            "a clearance records a flag already seen to; nothing was imported"
        )
    from ptcli.domain.corrections import Corrections

    imported = [e for e in entries if isinstance(e, Correction)]
    known = Corrections([*ws.store.select(Correction), *imported])
    silent = [e for e in imported if e.action == "void" and not known.counts(e)]
    if silent:  # DOMAIN 1: safety data is never taken back without saying why
        raise BadInput(
            f"{source}: correction {silent[0].id} takes back safety data (a screen's answers or "
            "a flag clearance) without a reason: safety data is only taken back with one; "
            "nothing was imported"
        )
    named = {e.exercise for e in entries if isinstance(e, SessionEntry | PlanChange) and e.exercise}
    unknown = sorted(named - set(ws.catalogue.ids()))
    safety = any(
        isinstance(e, Screen | Clearance) or (isinstance(e, Correction) and known.on_safety_data(e))
        for e in entries
    )
    before = routine_for(ws, ws.now.date()) if safety and not dry_run else None
    try:
        with ws.store.transaction():
            profile, adopted = _whose(ws.store.profile(), profile, source, into_this_patient)
            if adopted:  # an id for a profile made before ids (merge keeps a stored profile)
                ws.store.save_profile(adopted)
            ws.store.snapshot("import")  # kept only if the import writes
            report = ws.store.merge(profile, entries)
            report.profile_updated = report.profile_updated or adopted is not None
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    ws.forget_corrections()
    after = routine_for(ws, ws.now.date()) if before is not None else None
    return ImportResult(report, unknown, (before, after) if before and after else None)


def _whose(
    mine: Profile, theirs: Profile | None, source: str, into_this_patient: bool
) -> tuple[Profile | None, Profile | None]:
    """The profile to merge (taken by a store without one), and the store's profile to
    save instead, if any. Another patient's export is refused (unless told it is this
    patient's); a store whose profile ``init`` never gave an id takes the export's id."""
    if theirs is None:
        return None, None
    if theirs.provisional:  # a store that never ran init: kept by a store with a real profile
        assert theirs.id is not None
        if mine.provisional and mine.id and theirs.id < mine.id:
            # Two devices before init: the older id (ids start with their time) wins, so
            # stores that import each other end with one Patient.
            return None, mine._replace(id=theirs.id)
        return theirs, None
    if mine.provisional and theirs.id is not None:  # given at a first write: the import's wins
        only_id = mine == Profile(id=mine.id, provisional=True)
        return None, theirs if only_id else mine._replace(id=theirs.id, provisional=False)
    if mine.id is not None and theirs.id is not None and mine.id != theirs.id:
        if into_this_patient:
            return None, None  # this store keeps its own profile
        this, that = _patient(mine), _patient(theirs)
        if this == that:
            this, that = f"{this}, id {mine.id}", f"{that}, id {theirs.id}"
        raise BadInput(
            f"{source} holds another patient's records ({that}), not this store's ({this}); "
            "nothing was imported: add --into-this-patient if they are this patient's"
        )
    if mine != Profile() and mine.id is None and theirs.id is not None:
        # Made by a ptcli from before profile ids: the same patient's other device.
        return None, mine._replace(id=theirs.id)
    return theirs, None


def _patient(profile: Profile) -> str:
    name = profile.name
    if name and name.isprintable():
        return name
    return f"id {profile.id}" if not name else ascii(name)


def _check_writable(source: str, profile: Profile | None, entries: Sequence[Record]) -> None:
    """Every record as the store will write it (UTF-8 JSON), before anything is written:
    the dry run and the import fail alike on text that cannot be saved."""
    parts: Iterable[tuple[str, dict[str, Any]]] = (
        (records.KIND_OF[type(e)].table, records.KIND_OF[type(e)].to_record(e)) for e in entries
    )
    if profile is not None:
        parts = itertools.chain(parts, [("profile", records.profile_to_record(profile))])
    for name, record in parts:  # one at a time: not a second copy of the import
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, ValueError, TypeError):
            raise BadInput(
                f"{source}: {name} {record.get('id')}: its text cannot be saved "
                "(not valid Unicode); nothing was imported"
            ) from None


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(data: bytes, source: str) -> str:
    """The file's text: UTF-8, with or without a byte order mark."""
    if data.startswith(UTF16_BOMS):
        raise BadInput(
            f"{source} is UTF-16 text: import reads the UTF-8 files 'ptcli export' writes"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"{source} is not UTF-8 text (byte {error.start + 1}): "
            "import reads files from 'ptcli export'"
        ) from None


def _read_export(data: bytes, source: str) -> dict[str, Any]:
    """The export as one document, from JSON or from NDJSON (a header line, then typed lines)."""
    text = _decode(data, source)
    try:
        document = _loads(text, source)
    except ValueError:
        return _read_ndjson(text, source)
    if not isinstance(document, dict):
        raise BadInput(f'{source} is not a ptcli export (no "format": "{EXPORT_FORMAT}")')
    return document


def _loads(text: str, where: str) -> Any:
    """JSON text; ValueError if it is not JSON, BadInput if nested too deeply to read."""
    try:
        return json.loads(text)
    except RecursionError:
        raise BadInput(
            f"{where}: JSON nested too deeply: import reads files written by 'ptcli export'"
        ) from None


NDJSON_HEADER = ("format", "version", "exported_at")


def _read_ndjson(text: str, source: str) -> dict[str, Any]:
    tables = {kind.line_type: kind.table for kind in records.KINDS}
    document: dict[str, Any] = {table: [] for table in tables.values()}
    # Lines end at "\n" only: a note may hold U+2028, U+0085 or a lone "\r" (json.dumps
    # writes them as they are), which str.splitlines would split on.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            item = _loads(line, where)
        except ValueError:
            start = f"{where}: not" if number > 1 else f"{source} is not"
            raise BadInput(f"{start} JSON: import reads files written by 'ptcli export'") from None
        kind = item.pop("type", None) if isinstance(item, dict) else None
        if number == 1 and kind != "export":
            raise BadInput(
                f'{source} is not a ptcli export (its first line has no "type": "export")'
            )
        if not isinstance(item, dict) or not isinstance(kind, str):
            raise BadInput(f'{where}: not a record (an object with a "type"); nothing was imported')
        if kind == "export":
            document.update({key: item[key] for key in NDJSON_HEADER if key in item})
        elif kind == "profile":
            document["profile"] = item
        elif kind in tables:
            document[tables[kind]].append(item)
        else:
            raise BadInput(f"{where}: unknown line type {kind[:40]!r}; nothing was imported")
    return document


def _parse_part(source: str, name: str, value: Any, parse: Any) -> Any:
    if value is None:
        return None
    try:
        return parse(value)
    except (ValueError, TypeError) as error:
        raise BadInput(f"{source}: {name}: {error}") from None


def _parse_list(source: str, name: str, value: Any, parse: Any) -> list[Any]:
    if not isinstance(value, list):
        raise BadInput(f"{source}: {name!r} must be a list")
    parsed: list[Any] = []
    seen: dict[str, Any] = {}
    for index, item in enumerate(value):
        try:
            entry = parse(item)
        except (ValueError, TypeError) as error:
            raise BadInput(f"{source}: {name}[{index}]: {error}; nothing was imported") from None
        if entry.id in seen and seen[entry.id] != entry:
            raise BadInput(
                f"{source}: {name}[{index}]: id {entry.id!r} appears twice with different data"
            )
        seen[entry.id] = entry
        parsed.append(entry)
    return parsed


def restore_snapshot(ws: Workspace, snapshot: Path) -> int:
    """Put ``snapshot`` in the store's place, keeping the safety data made since: every
    screen, flag clearance and correction of one in the store now is merged back into
    the restored store (DOMAIN 1: a restore never loses an emergency answer). Returns
    how many such records the snapshot lacked."""
    from ptcli.storage import snapshots
    from ptcli.storage.tinydb_store import open_file_store

    safety: list[Record] = [*ws.store.select(Screen), *ws.store.select(Clearance)]
    safety += [c for c in ws.store.select(Correction) if ws.corrections.on_safety_data(c)]
    snapshots.restore(ws.db_path, snapshot)
    if not safety:
        return 0
    report = open_file_store(ws.db_path).merge(None, safety)
    return sum(report.added.values())


# Outcome measures


def record_measure(
    ws: Workspace,
    measure: str,
    answers: Sequence[int | None],
    activities: Sequence[str] = (),
    at: str | None = None,
) -> MeasureEntry:
    """Score and save a completed measure; anything that does not score is refused."""
    from ptcli.domain import measures

    for name in activities:
        _check_text(name, "--activity", records.ACTIVITY_MAX)
    problem = measures.problem(measure, answers, activities)
    if problem:
        raise BadInput(f"{problem}: nothing was written")
    entry = MeasureEntry(
        records.new_id(),
        ws.moment(at),
        measure,
        tuple(answers),
        tuple(a.strip() for a in activities),
    )
    ws.store.add(entry)
    return entry


def last_activities(ws: Workspace) -> tuple[str, ...]:
    """The activities the patient named in their last PSFS (asked again next time)."""
    done = [e for e in ws.select(MeasureEntry) if e.measure == "psfs"]
    return done[-1].activities if done else ()


def measure_history(ws: Workspace, measure: str | None = None) -> list[Any]:
    """``domain.measures.history`` of the store (as corrected), one measure or all."""
    from ptcli.domain import measures

    rows = measures.history(ws.select(MeasureEntry))
    return [row for row in rows if measure in (None, row.measure)]


def measures_due(ws: Workspace) -> list[str]:
    """The measures due today (``domain.questionnaires.due``)."""
    from ptcli.domain.questionnaires import due

    return due(ws.select(MeasureEntry), ws.now.date())
