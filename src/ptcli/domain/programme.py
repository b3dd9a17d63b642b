"""The programme a printout gives for weeks (DOMAIN.md section 1, "One gate").

A printed handout is used for two to four weeks, so it is not today's routine: it is
what the engine builds behind the same gate on a day of each band, from the same log.
Every refusal for safety stays as it is today (flags, preference, therapist only, pool,
minimal symptoms, spreading mornings); only the band of the day changes, never above
what the gate allows (amber while an urgent flag or an unanswered safety question keeps
the programme gentle), and the stop rule's pause of a few days is lifted, then marked.
Nothing rests: which days each exercise rests is the week's schedule (``days``).

Each exercise of the programme then says whether it is done today, at what dose, or why
not: today's band, a stop rule (until when) or a rest day. Pure: no I/O, no clock.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ptcli.domain import safety
from ptcli.domain.models import Band, PainReading, PatientLog, Routine, RoutineItem

if TYPE_CHECKING:  # the engine loads when a programme is built, not with the views
    from ptcli.domain.catalogue import Catalogue
    from ptcli.domain.gate import Gate


def scores(band: Band) -> tuple[int, int]:
    """The lowest and highest pain score of ``band`` (green 0-3, amber 4-6, red 7-10)."""
    inside = [score for score in range(11) if Band.for_score(score) is band]
    return inside[0], inside[-1]


class Pause(NamedTuple):
    """Why an exercise of the programme is not done today."""

    rule: str  # "band" (today's pain), "stop" (M2, until ``until``), "rest-day" or "safety"
    since: date | None = None  # stop: the day the pain spread after it
    until: date | None = None  # stop: the last day it stays out


class Planned(NamedTuple):
    """One exercise of the printed programme."""

    item: RoutineItem  # at the dose of the best day it is done on
    bands: frozenset[Band]  # the days it is done on, by band (none: a stand-in for today)
    red: RoutineItem | None  # its dose on a red day, when it is done on one
    step_up: RoutineItem | None  # the next dose after two easy sessions (None: none, or frozen)
    today: RoutineItem | None  # today's dose, when it is done today
    instead: RoutineItem | None  # what its chain does today in its place (another level)
    paused: Pause | None  # why it is not done today


class Programme(NamedTuple):
    today: Routine
    best: Band  # the best day the gate allows: green, or amber while kept gentle
    frozen: bool  # no stepping up, even on a good day
    planned: tuple[Planned, ...]
    flags: tuple[safety.Flag, ...] = ()  # active today
    unscreened: bool = False  # not every emergency question answered yet
    spreading: bool = False  # morning pain moving down the leg (no stepping up)

    def numbers(self, band: Band) -> list[int]:
        """The numbers (from 1) of the exercises done on a day of ``band``."""
        return [n for n, p in enumerate(self.planned, 1) if band in p.bands]


def build(
    catalogue: "Catalogue", log: PatientLog, day: date, stated: PainReading | None = None
) -> "Programme":
    """The programme for weeks from ``day`` (``stated`` pain: the quick routine, no log)."""
    from ptcli.domain import engine, plan
    from ptcli.domain.gate import open_gate
    from ptcli.domain.when import local_day

    gate = open_gate(catalogue, log, day, stated)
    today, _ = engine.build_with(gate, log, True, stated)
    best = Band.AMBER if gate.urgent or (gate.unscreened and stated is None) else Band.GREEN
    context = (gate.flags, gate.unscreened and stated is None, gate.spreading is not None)
    if today.status == "blocked":
        return Programme(today, best, True, (), *context)
    days: dict[Band, Routine] = {}
    frozen = False
    for band in Band:
        shown = band if band.rank >= best.rank else best
        days[band], freeze = engine.build_with(
            gate._replace(band=shown, spread=()), log, False, stated
        )
        if band is Band.GREEN:
            frozen = freeze is not None
    order: dict[str, RoutineItem] = {}
    for band in Band:  # green first: a good day's dose is the one printed
        for item in days[band].items:
            order.setdefault(item.exercise.id, item)
    for item in today.items:  # a stand-in while a stop rule pauses another chain
        order.setdefault(item.exercise.id, item)
    pins = plan.current(c for c in log.plan if local_day(c.at) <= day)
    planned = []
    for exercise_id, item in order.items():
        bands = frozenset(
            b for b in Band if any(i.exercise.id == exercise_id for i in days[b].items)
        )
        red = next((i for i in days[Band.RED].items if i.exercise.id == exercise_id), None)
        done = next((i for i in today.items if i.exercise.id == exercise_id), None)
        chain = item.exercise.chain
        instead = None
        if done is None:
            instead = next((i for i in today.items if i.exercise.chain == chain), None)
        paused = None if done else _pause(gate, item, exercise_id in pins)
        stopped = paused is not None and paused.rule == "stop"  # it steps down after a spread
        step = None if frozen or stopped or best is not Band.GREEN else _step_up(item)
        planned.append(Planned(item, bands, red, step, done, instead, paused))
    return Programme(today, best, frozen, tuple(planned), *context)


def _pause(gate: "Gate", item: RoutineItem, pinned: bool) -> Pause:
    from ptcli.domain.spreading import PERIPHERALIZED_DAYS, ruled_out_by

    exercise = item.exercise
    for p in gate.spread:
        if ruled_out_by(p.exercise, exercise):
            return Pause("stop", p.day, p.day + timedelta(days=PERIPHERALIZED_DAYS - 1))
    refusal = gate.refuses(exercise, pinned)
    if refusal is None and gate.rests(exercise) is not None:
        return Pause("rest-day")
    if refusal is None or refusal.rule in ("band", "never-in-red"):
        return Pause("band")  # refused by today's band, or a band with fewer exercises
    return Pause("safety")


def _step_up(item: RoutineItem) -> RoutineItem | None:
    """One step up within the exercise (the next level comes with a new sheet); walking and
    pool minutes by at most 5 a week."""
    from ptcli.domain.engine import MINUTES_CATEGORIES, WEEKLY_MINUTES_S
    from ptcli.domain.progression import Dosed, harder

    step = harder(Dosed(item.exercise, item.sets, item.reps, item.hold_s), None)
    if step is None or step.exercise != item.exercise:
        return None
    hold = step.hold_s
    if item.exercise.category in MINUTES_CATEGORIES and hold and item.hold_s:
        hold = min(hold, item.hold_s + WEEKLY_MINUTES_S)
    return item._replace(sets=step.sets, reps=step.reps, hold_s=hold)


def days(planned: Planned, first: date, weeks: int, resting_today: bool) -> list[date]:
    """The days from ``first`` on which ``planned`` is done: every day at 7 days a week,
    else its days spread evenly over each week (3 a week: days 1, 3 and 6), starting the
    day after ``first`` when it rests that day. Never a day it is paused: up to the last
    day of a stop rule's pause, or today for today's band (the record has no box there)."""
    per_week = planned.item.days_per_week
    all_days = [first + timedelta(days=n) for n in range(weeks * 7)]
    if per_week >= 7:
        found = all_days
    else:
        start = 1 if resting_today else 0
        offsets = {round(n * 7 / per_week) % 7 for n in range(per_week)}
        found = [d for n, d in enumerate(all_days) if n >= start and (n - start) % 7 in offsets]
    pause = planned.paused
    if pause is not None and pause.rule != "rest-day":
        last = pause.until or first
        found = [d for d in found if d > last]
    return found


def resting(programme: Programme) -> set[str]:
    """The exercises that rest today."""
    return {
        p.item.exercise.id
        for p in programme.planned
        if p.paused is not None and p.paused.rule == "rest-day"
    }
