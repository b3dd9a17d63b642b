"""The printed handout's words (HTML, PDF and Markdown): a programme for weeks.

A therapist hands the sheet over, so it speaks to the patient in plain words: no
command, no rule name, no ISO date, and "GP" only on A4 paper (letter paper says
"doctor"). Every number comes from the rules the engine keeps (the bands' scores, the
pain limits, the stop rule's days, the step down), so the sheet cannot drift from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from ptcli.domain.models import Band, Routine, RoutineItem
from ptcli.domain.monitoring import ACCEPTABLE, EASY, FLARE_POINTS
from ptcli.domain.programme import Planned, Programme, scores
from ptcli.domain.progression import KEEP
from ptcli.domain.spreading import PERIPHERALIZED_DAYS
from ptcli.render import words

TITLE = "Your home exercise programme"
EMERGENCY_TITLE = "Do not exercise: seek emergency care now"
DAY_NAMES = {Band.GREEN: "a good day", Band.AMBER: "a harder day", Band.RED: "a bad day"}


def short_day(day: date) -> str:
    """'Mon 2 Mar'."""
    return f"{day:%a} {day.day} {day:%b}"


def clinician(paper: str) -> str:
    """Who a patient sees first: a GP where A4 is the paper, a doctor where letter is."""
    return "doctor" if paper == "letter" else "GP"


def band_scores(band: Band) -> str:
    low, high = scores(band)
    return f"{low} to {high}"


def join(items: Sequence[str], last: str = "and") -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


class Scale(NamedTuple):
    band: str  # the colour, as the chart and ``today`` show it
    scores: str
    meaning: str


def scale() -> list[Scale]:
    """The one pain scale of the sheet, the chart and ``today``: the day's band."""
    return [Scale(band.value, band_scores(band), DAY_NAMES[band]) for band in Band]


def during_exercise() -> str:
    return (
        f"During an exercise your pain may reach {ACCEPTABLE}. If it was already above "
        f"{ACCEPTABLE} before you started, it must not rise. It should settle by the next "
        "morning. Stop at once if the pain spreads further down your leg."
    )


class DayPlan(NamedTuple):
    band: str
    heading: str  # "Pain 0 to 3: a good day"
    text: str


def day_plans(programme: Programme, paper: str) -> list[DayPlan]:
    """What to do on a good, a harder and a bad day, from the engine's programme of each."""
    plans = []
    for band in Band:
        numbers = [str(n) for n in programme.numbers(band)]
        heading = f"Pain {band_scores(band)}: {DAY_NAMES[band]}"
        if not numbers:
            text = "Rest, and walk a little if you can."
        elif band is Band.GREEN and programme.best is not Band.GREEN:
            text = f"For now, the gentle programme only: exercises {join(numbers)}; do not step up."
        elif band is Band.GREEN:
            text = f"Do exercises {join(numbers)}."
            if not programme.frozen:
                text += (
                    f" After two easy sessions of an exercise in a row (pain {EASY} or less "
                    "afterwards, settled by the next morning, not spreading), you may step it "
                    'up once, to the dose marked "Step up".'
                )
            else:
                text += " Do not step up for now: keep the doses shown."
        elif band is Band.AMBER:
            text = f"Do only exercises {join(numbers)}, at the same dose; do not step up."
        else:
            text = (
                f"Do only exercises {join(numbers)}, at the lowest dose (marked "
                f'"On a bad day"). If the pain keeps rising or spreads down your leg, call '
                f"your physiotherapist or {clinician(paper)}."
            )
        plans.append(DayPlan(band.value, heading, text))
    return plans


def easier_rules() -> list[str]:
    """When to do less, in words: the engine's step down and morning flare."""
    less = f"{round((1 - KEEP[1]) * 100)} to {round((1 - KEEP[0]) * 100)} %"
    return [
        f"If the pain after an exercise was above {ACCEPTABLE}, or had not settled by the next "
        f"morning, do {less} less of it next time (fewer repetitions or a shorter hold).",
        f"If your morning pain is {FLARE_POINTS} or more points above your usual mornings, do "
        "every exercise one step easier that day.",
    ]


def today_line(programme: Programme) -> str:
    """What today is, and what to do today."""
    routine = programme.today
    numbers = [str(n) for n, p in enumerate(programme.planned, 1) if p.today is not None]
    listed = {p.item.exercise.id for p in programme.planned}
    swaps = [
        f"{p.instead.exercise.name} in place of {n}"
        for n, p in enumerate(programme.planned, 1)
        if p.instead is not None and p.instead.exercise.id not in listed
    ]
    pain = routine.pain
    band = f"{DAY_NAMES[routine.band]} ({routine.band.value})"
    if routine.quick and pain is not None:
        start = f"built for pain {pain.score}, {band}"
    elif pain is not None:
        start = f"pain {pain.score}, {band}"
    else:
        start = "no pain score logged yet, so the gentle programme"
    todo = f"do exercises {join(numbers + swaps)}" if numbers or swaps else "no exercises"
    return f"{words.day_words(routine.date)}, {start}: {todo}."


def stop_rule(easier: str | None) -> str:
    """The M2 stop rule for one exercise, with where to go back to."""
    spread = "Stop if the pain spreads further down your leg"
    if easier:
        return f"{spread}, and go back to the easier version, {easier}."
    return f"{spread}, and leave this exercise out that day and the next {PERIPHERALIZED_DAYS - 1}."


class Marks(NamedTuple):
    """What the sheet says beside one exercise, besides its steps."""

    often: str  # the dose, how often a day, and how many days a week
    days: str  # where its rest days are ("": none)
    bad_day: str | None  # its dose on a bad day, or that it rests then
    step_up: str | None
    today: str | None  # today differs from the programme: why, in words


def marks(planned: Planned, programme: Programme, numbers: dict[str, int]) -> Marks:
    item = planned.item
    often = words.dose(item)
    per_week = item.days_per_week
    if per_week >= 7:
        often += ", every day"
        days = ""
    elif per_week <= 3 or item.exercise.category == "isotonic":
        days = "Never two days running: rest days are shaded in your record."
    else:
        days = "Rest days are shaded in your record."
    return Marks(
        often=often[:1].upper() + often[1:] + ".",
        days=days,
        bad_day=_bad_day(planned),
        step_up=_step_up(planned.step_up),
        today=_today(planned, programme, numbers),
    )


def _bad_day(planned: Planned) -> str | None:
    red = f"pain {band_scores(Band.RED)}"
    if not planned.bands:
        return 'Only while another exercise is paused (see its "Not today").'
    if planned.bands == frozenset({Band.RED}):
        return f"Only on a bad day ({red})."
    if planned.red is None:
        if Band.AMBER not in planned.bands:
            return f"Only on a good day (pain {band_scores(Band.GREEN)})."
        return f"Not on a bad day ({red})."
    if _amount(planned.red) != _amount(planned.item):
        return f"On a bad day ({red}): {_amount(planned.red)}."
    return None


def _step_up(step: RoutineItem | None) -> str | None:
    return f"Step up: {_amount(step)}." if step is not None else None


def _amount(item: RoutineItem) -> str:
    return words.amount(item.sets, item.reps, item.hold_s, item.exercise.dose.per_side)


def _today(planned: Planned, programme: Programme, numbers: dict[str, int]) -> str | None:
    routine = programme.today
    if planned.today is not None:
        if _amount(planned.today) != _amount(planned.item):
            return f"Today: {_amount(planned.today)}."
        return None
    if planned.instead is not None:
        instead = planned.instead
        number = numbers.get(instead.exercise.id)
        because = _pause_words(planned, routine)
        if number:
            return f"Not today{because}: exercise {number} takes its place."
        return f"Not today{because}: do {instead.exercise.name} instead, {_amount(instead)}."
    return f"Not today{_pause_words(planned, routine)}."


def _pause_words(planned: Planned, routine: Routine) -> str:
    pause = planned.paused
    if pause is None:
        return ""
    if pause.rule == "stop" and pause.since and pause.until:
        return (
            f" (the pain spread further down your leg after it on {words.day_words(pause.since)}): "
            f"leave it out up to {words.day_words(pause.until)}"
        )
    if pause.rule == "rest-day":
        return ": a rest day"
    if pause.rule == "band":
        if routine.pain is None:
            return " (no pain score logged today: the gentle programme)"
        return f" (pain {routine.pain.score} today, {DAY_NAMES[routine.band]})"
    return ""


class Notice(NamedTuple):
    level: str  # "urgent" or "caution"
    text: str


def notices(programme: Programme, paper: str) -> list[Notice]:
    """The flags and cautions that change the programme, in words for the patient (an
    emergency sheet keeps only the urgent flags: there is no programme to change)."""
    found = []
    for flag in programme.flags:
        if flag.item.level == "urgent":
            found.append(
                Notice(
                    "urgent",
                    f"You reported {flag.item.symptom} on {words.day_words(flag.since.astimezone().date())}: "
                    f"contact your {clinician(paper)} or physiotherapist soon. Until it has been "
                    "seen to, the gentle programme only, and do not step up.",
                )
            )
    if programme.today.status == "blocked":
        return found
    if programme.unscreened:
        found.append(
            Notice(
                "caution",
                "Not every safety question has been answered yet: the gentle programme only "
                "until they are.",
            )
        )
    if programme.spreading:
        found.append(
            Notice(
                "caution",
                "Your morning pain has been reaching further down your leg: do not step up "
                "until it settles.",
            )
        )
    if any(a.item == "both-legs" for a in programme.today.alerts):
        found.append(
            Notice(
                "caution",
                "Pain or numbness in both legs can be an emergency: if it is new or getting "
                "worse, seek emergency care now.",
            )
        )
    return found


def emergency_text(programme: Programme) -> str:
    """Why this sheet says not to exercise, and what to do now."""
    symptoms = [f.item.symptom for f in programme.flags if f.item.level == "emergency"]
    return (
        f"You reported {join(symptoms)}. Call your emergency number or go to an emergency "
        "department now: this can be a sign of nerve compression (cauda equina syndrome) that "
        "needs treatment within hours. Do no exercises until a clinician has seen you."
    )


def emergency_advice() -> str:
    return "Stop, and call your emergency number or go to an emergency department now, if you have:"


def urgent_advice(paper: str) -> str:
    return (
        f"Do not step up, and contact your {clinician(paper)} or physiotherapist soon, if you have:"
    )


def appointment_line(view: Any) -> str | None:
    """'Friday 4 December at 10:30, massage with Anna, Riverside Clinic' (its link after),
    the next appointment a handout names; None without one."""
    visit = view.appointment
    if visit is None:
        return None
    line = words.appointment(visit)  # a sheet is read later: the date, never "tomorrow"
    return line + (f" ({visit.link})" if visit.link else "")
