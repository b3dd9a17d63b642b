"""Today's routine as calendar reminders: an iCalendar file (RFC 5545) for ``export --format ics``.

The file imports into any calendar application (issue #5). The icalendar package
writes it: escaping, CRLF line endings and lines folded at 75 octets. Choices
marked † are ours, not from a guideline or the standard.

Calendar: one VCALENDAR (PRODID ``-//ptcli//home exercise programme//EN``, VERSION
2.0, CALSCALE GREGORIAN, X-WR-CALNAME "ptcli routine") holding one VEVENT per
reminder series; each has a VALARM (ACTION DISPLAY, TRIGGER 0 minutes: at the
start) so the calendar reminds instead of just showing a block.

Schedule: exercises that share a dose schedule (times a day, days a week) share
its events †, one reminder rather than several at the same minute.

- Several times a day (McKenzie: 6 a day, "every 2 to 3 hours while awake"):
  that many events spread evenly over waking hours, 08:00 to 20:00 †, rounded to
  5 minutes †: 6 a day gives 08:00, 10:25, 12:50, 15:10, 17:35, 20:00.
- Once a day, every day (nerve glides, stretches, walking): one event at 09:00 †,
  "Daily exercises" listing them all.
- Fewer than 7 days a week (strengthening, pool): a weekly event at 17:30 † (later
  in the day, not in the first hours after rising †) on fixed weekdays, never two
  days running up to 3 days a week (isotonic work: 2-3 non-consecutive days a
  week, DOMAIN.md section 5; the engine's rule too) †: 1: WE; 2: TU FR; 3: MO WE
  FR; 4: MO TU TH FR (weekend free); 5: MO TU TH FR SA (rest on Wednesday and
  Sunday); 6: MO to SA. The first event is
  the first of those weekdays from the routine's date on, so DTSTART is itself an
  occurrence. The engine's rest-day rule reads the real log, so on a given day
  'ptcli today' may differ from the calendar; the routine wins.
- Several times a day on fewer days a week (a therapist's plan): the spread times
  on those weekdays.

Each event lasts 15 minutes † (DTEND), is TRANSP TRANSPARENT (a reminder, not
busy time) and CLASS PRIVATE † (health data: where the application honours it,
people the calendar is shared with do not see the details).

Times are in the exporting machine's time zone by its IANA name (``ptcli.zone``):
DTSTART with a TZID and a VTIMEZONE for the weeks covered (the icalendar package makes
it from ``zoneinfo``), so a calendar in another zone shows the right hour across
daylight-saving changes. Without such a name the times are in UTC (the machine's local
time converted), and the CLI says so.

Bounds: two weeks † (RRULE UNTIL the 14th day, 23:59:59 local, in UTC as RFC 5545 asks):
the routine changes with the log (doses step up, the band changes), so the
calendar runs out and the user exports again. SUMMARY: "Name (id)" for one
exercise; for several, "Daily exercises: A, B" or "Exercises, 5 days a week: A,
B" (the schedule in words); DESCRIPTION: the routine's safety advice first (its
alerts, most serious first: "contact your GP or physiotherapist soon", an
exercise that made pain spread, a screen that is due), then for each exercise its
dose in words, starting position, numbered steps, cautions and the command that
logs it, then the stop rule (the sentence that ends every routine's message) and
the routine's date.

Safety advice at a glance: a routine with alerts also gets an all-day event,
"ptcli: safety advice" (": contact your GP or physiotherapist soon" for an
urgent flag), with the alerts as its DESCRIPTION, repeated every day the
reminders run † (RRULE daily, UNTIL the 14th day): a patient who only glances at
the calendar sees it on each day, not only in the reminders' details. No alarm,
as for the other all-day event.

A calendar that stays true (issue 17): an event's UID is the patient (the profile id)
and its slot (``ID-6-a-day-2@ptcli``, ``ID-safety-advice@ptcli``), so a re-export updates
the same events. DTSTAMP and LAST-MODIFIED are the view's revision (when what the
calendar shows last changed) and SEQUENCE the seconds from SEQUENCE_FROM to it: a later
export wins, and two exports with nothing changed between them are byte for byte the
same. The slots of the programmes earlier exports may have held (``Calendar.earlier``,
replayed from the store) that today's programme lacks come STATUS CANCELLED: one
instance, no RRULE, no alarm, so a re-import removes the series.

A blocked routine (an emergency flag) or one with no exercises gives no reminder
series but one all-day event on the routine's date, "No exercises today", with
the routine's message as its DESCRIPTION (for a blocked routine the emergency
advice, first; then any other alert): the calendar is never silently empty.
It has no alarm: an all-day alarm at TRIGGER 0 would sound at midnight. Its UID is a slot
like any other, so it moves to the day of the latest export, and is cancelled once the
routine has exercises again; every exercise slot is cancelled while it stands.

The text is returned as EncodedText (UTF-8 with CRLF, lines folded at 75 octets), so the
CLI writes it to stdout as it writes it to a file: no newline translation.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

import icalendar

from ptcli.domain.engine import STOP_RULE
from ptcli.domain.models import EXERCISE_APPOINTMENTS, Alert, Appointment, Routine, RoutineItem
from ptcli.render import EncodedText, words
from ptcli.views import CALENDAR_DAYS, Calendar

PRODID = "-//ptcli//home exercise programme//EN"
CALENDAR_NAME = "ptcli routine"
FIRST = time(8)  # † the waking hours a several-times-a-day exercise spreads over
LAST = time(20)
ROUND_MINUTES = 5  # †
ONCE_DAILY_AT = time(9)  # †
WEEKLY_AT = time(17, 30)  # †
LENGTH = timedelta(minutes=15)  # †
# † Weekdays for an exercise done N days a week: never two days running up to 3 a week.
WEEKDAYS = {
    1: ("WE",),
    2: ("TU", "FR"),
    3: ("MO", "WE", "FR"),
    4: ("MO", "TU", "TH", "FR"),
    5: ("MO", "TU", "TH", "FR", "SA"),
    6: ("MO", "TU", "WE", "TH", "FR", "SA"),
}
SAFETY_SUMMARY = "ptcli: safety advice"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # date.weekday() order
SEQUENCE_FROM = datetime(2026, 1, 1, tzinfo=UTC)  # SEQUENCE: seconds from here to the revision
NO_EXERCISE = "NO EXERCISE (emergency flag)"
APPOINTMENT_LENGTH = timedelta(hours=1)  # † an appointment's event, when nothing says
APPOINTMENT_REMINDER = timedelta(days=-1)  # the day before, at the same time (issue 19)
CANCELLED_TEXT = (
    "No longer in your programme: run 'ptcli today' for today's routine, "
    "and export the calendar again when it changes."
)


class Schedule(NamedTuple):
    """When a group of exercises is due: times of day, and weekdays (empty: every day)."""

    key: str  # names the schedule in UIDs: "daily", "6-a-day", "3-days-a-week", ...
    times: tuple[time, ...]
    weekdays: tuple[str, ...]


class Slot(NamedTuple):
    """One event a routine gives: a reminder series, the safety advice, or no exercises."""

    key: str  # the UID's second part: "6-a-day-2", "daily-1", "safety-advice", "no-exercises"
    plan: Schedule | None = None  # reminders only: their schedule, time and exercises
    at: time | None = None
    items: tuple[RoutineItem, ...] = ()


class Stamp(NamedTuple):
    """What every event of one export shares: whose it is, its revision, its time zone."""

    patient: str
    revised: datetime  # UTC
    zone: tzinfo | None  # None: times in UTC


def render(view: object) -> EncodedText:
    assert isinstance(view, Calendar)
    from zoneinfo import ZoneInfo

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = Stamp(view.patient, view.revised, ZoneInfo(view.zone) if view.zone else None)
    live = slots(view.routine)
    for slot in live.values():
        calendar.add_component(_event(view.routine, slot, stamp, view.starts))
    gone: dict[str, tuple[Routine, Slot]] = {}
    for routine in view.earlier:  # oldest first: the latest programme that had a slot wins
        gone.update((key, (routine, slot)) for key, slot in slots(routine).items())
    for key, (routine, slot) in sorted(gone.items()):
        if key not in live:
            calendar.add_component(_cancelled(_event(routine, slot, stamp)))
    blocked = view.routine.message if view.routine.status == "blocked" else None
    for visit in view.appointments:
        calendar.add_component(appointment_event(visit, stamp, blocked))
    if stamp.zone is not None:
        earliest = min([view.routine.date, *(routine.date for routine in view.earlier)])
        latest = max(
            [view.routine.date + timedelta(days=CALENDAR_DAYS + 7)]
            + [visit.at.astimezone(stamp.zone).date() for visit in view.appointments]
        )
        calendar.add_missing_timezones(
            first_date=earliest - timedelta(days=1),
            last_date=latest + timedelta(days=1),
        )
    return EncodedText(calendar.to_ical())


def slots(routine: Routine) -> dict[str, Slot]:
    """The events ``routine`` gives, by slot; a blocked or empty routine gives one, no exercises."""
    if routine.status == "blocked" or not routine.items:
        return {"no-exercises": Slot("no-exercises")}
    found = {"safety-advice": Slot("safety-advice")} if routine.alerts else {}
    groups: dict[Schedule, list[RoutineItem]] = {}
    for item in routine.items:
        groups.setdefault(schedule(item.times_per_day, item.days_per_week), []).append(item)
    for plan, items in groups.items():
        for number, at in enumerate(plan.times, 1):
            key = f"{plan.key}-{number}"
            found[key] = Slot(key, plan, at, tuple(items))
    return found


def _event(
    routine: Routine, slot: Slot, stamp: Stamp, starts: Mapping[str, date | None] | None = None
) -> icalendar.Event:
    if slot.plan is not None and slot.at is not None:
        event = _reminder(routine, slot.plan, slot.at, list(slot.items), stamp.zone, starts or {})
    elif slot.key == "safety-advice":
        event = _safety_advice(routine)
    else:
        event = _no_exercises(routine)
    event.add("uid", f"{stamp.patient}-{slot.key}@ptcli")
    event.add("dtstamp", stamp.revised)
    event.add("last-modified", stamp.revised)
    event.add("sequence", max(0, int((stamp.revised - SEQUENCE_FROM).total_seconds())))
    event.add("transp", "TRANSPARENT")
    event.add("class", "PRIVATE")
    return event


def _cancelled(event: icalendar.Event) -> icalendar.Event:
    """``event`` as the cancellation of its series: one instance, no repeats, no alarm."""
    event.pop("RRULE", None)
    event.subcomponents.clear()
    event["DESCRIPTION"] = icalendar.vText(CANCELLED_TEXT)
    event.add("status", "CANCELLED")
    return event


def _local(day: date, at: time, zone: tzinfo | None) -> datetime:
    """``at`` on ``day`` in ``zone``; without one, the machine's local time in UTC."""
    if zone is not None:
        return datetime.combine(day, at, tzinfo=zone)
    return datetime.combine(day, at).astimezone().astimezone(UTC)


def schedule(times_per_day: int, days_per_week: int) -> Schedule:
    """The times and weekdays of an exercise done ``times_per_day`` on ``days_per_week``."""
    weekdays = () if days_per_week >= 7 else WEEKDAYS[max(days_per_week, 1)]
    if times_per_day >= 2:
        times = spread(times_per_day)
        key = f"{times_per_day}-a-day"
        key += f"-{days_per_week}-days-a-week" if weekdays else ""
    elif weekdays:
        times, key = (WEEKLY_AT,), f"{days_per_week}-days-a-week"
    else:
        times, key = (ONCE_DAILY_AT,), "daily"
    return Schedule(key, times, weekdays)


def spread(count: int) -> tuple[time, ...]:
    """``count`` times from FIRST to LAST, evenly apart, rounded to ROUND_MINUTES."""
    start = FIRST.hour * 60 + FIRST.minute
    span = LAST.hour * 60 + LAST.minute - start
    minutes = [
        start + round(span * index / (count - 1) / ROUND_MINUTES) * ROUND_MINUTES
        for index in range(count)
    ]
    return tuple(time(*divmod(minute, 60)) for minute in minutes)


def _reminder(
    routine: Routine,
    plan: Schedule,
    at: time,
    items: list[RoutineItem],
    zone: tzinfo | None,
    starts: Mapping[str, date | None],
) -> icalendar.Event:
    # Not before any of its exercises may be done again (an event serves them all: the
    # latest start wins, so no reminder falls on a rest day); a week on when none says.
    week_on = routine.date + timedelta(days=7)
    first = max(
        [routine.date, *(starts.get(i.exercise.id, routine.date) or week_on for i in items)]
    )
    while plan.weekdays and DAY_CODES[first.weekday()] not in plan.weekdays:
        first += timedelta(days=1)
    start = _local(first, at, zone)
    last = routine.date + timedelta(days=CALENDAR_DAYS - 1)
    # UNTIL in UTC, as RFC 5545 asks of a DTSTART with a time zone (and in UTC itself)
    until = _local(last, time(23, 59, 59), zone).astimezone(UTC)
    rule: dict[str, object] = {"freq": "weekly" if plan.weekdays else "daily"}
    if plan.weekdays:
        rule["byday"] = list(plan.weekdays)
    rule["until"] = until
    summary = _summary(items, plan)
    event = icalendar.Event()
    event.add("dtstart", start)
    event.add("dtend", start + LENGTH)
    event.add("rrule", rule)
    event.add("summary", words.printable(summary))
    event.add("description", words.printable(_description(routine, items)))
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(0))
    alarm.add("description", words.printable(summary))
    event.add_component(alarm)
    return event


def _summary(items: list[RoutineItem], plan: Schedule) -> str:
    if len(items) == 1:
        return f"{items[0].exercise.name} ({items[0].exercise.id})"
    names = ", ".join(item.exercise.name for item in items)
    label = "Daily exercises" if plan.key == "daily" else f"Exercises, {plan.key.replace('-', ' ')}"
    return f"{label}: {names}"


def _description(routine: Routine, items: list[RoutineItem]) -> str:
    sections = [_exercise_text(item) for item in items]
    advice = [_advice(routine.alerts)] if routine.alerts else []
    return "\n\n".join([*advice, *sections, STOP_RULE, _footer(routine.date)])


def _advice(alerts: Sequence[Alert]) -> str:
    """The routine's alerts, most serious first: at the top of every event's description."""
    ranked = sorted(alerts, key=lambda alert: words.alert_rank(alert.level))
    return "\n".join(
        ["Safety advice:", *[f"{words.alert_label(a.level)}: {a.text}" for a in ranked]]
    )


def _safety_advice(routine: Routine) -> icalendar.Event:
    """An all-day event with the alerts on every day the reminders run: seen at a glance."""
    urgent = any(alert.level != "caution" for alert in routine.alerts)
    summary = SAFETY_SUMMARY + (": contact your GP or physiotherapist soon" if urgent else "")
    last = routine.date + timedelta(days=CALENDAR_DAYS - 1)
    event = icalendar.Event()
    event.add("dtstart", routine.date)
    event.add("dtend", routine.date + timedelta(days=1))
    event.add("rrule", {"freq": "daily", "until": last})
    event.add("summary", words.printable(summary))
    event.add(
        "description", words.printable(f"{_advice(routine.alerts)}\n\n{_footer(routine.date)}")
    )
    return event


def _exercise_text(item: RoutineItem) -> str:
    exercise = item.exercise
    lines = [f"{exercise.name} ({exercise.id}): {words.dose(item)}"]
    lines.append(f"Start: {exercise.position}")
    lines += [f"{number}. {step}" for number, step in enumerate(exercise.steps, 1)]
    if exercise.cautions:
        lines += ["Cautions:", *[f"- {caution}" for caution in exercise.cautions]]
    lines.append(f"Done? ptcli session log {exercise.id}")
    return "\n".join(lines)


def _footer(day: date) -> str:
    return (
        f"From ptcli's routine for {words.day_words(day)}. The routine follows your pain log: "
        "run 'ptcli today' for the day's routine, and export the calendar again when it changes."
    )


def _no_exercises(routine: Routine) -> icalendar.Event:
    emergency = any(alert.level == "emergency" for alert in routine.alerts)
    event = icalendar.Event()
    event.add("dtstart", routine.date)
    event.add("dtend", routine.date + timedelta(days=1))
    summary = "No exercises today" + (": seek emergency care now" if emergency else "")
    event.add("summary", words.printable(summary))
    # The message first (for a blocked routine it names the emergency); then the other alerts.
    others = [alert for alert in routine.alerts if alert.level != "emergency"]
    advice = [_advice(others)] if others else []
    event.add(
        "description",
        words.printable("\n\n".join([routine.message, *advice, _footer(routine.date)])),
    )
    return event


def appointment_event(
    visit: Appointment, stamp: Stamp, blocked: str | None = None
) -> icalendar.Event:
    """An appointment: an hour † of busy time, a reminder the day before, its UID the
    appointment's id (a re-export updates it); a cancelled one is STATUS CANCELLED, with
    no reminder. Under an emergency (``blocked``: the routine's message), one where the
    patient exercises says not to, in its title, details and reminder."""
    start = visit.at.astimezone(stamp.zone) if stamp.zone else visit.at.astimezone(UTC)
    event = icalendar.Event()
    event.add("uid", f"{stamp.patient}-appointment-{visit.id}@ptcli")
    event.add("dtstamp", stamp.revised)
    event.add("last-modified", stamp.revised)
    event.add("sequence", max(0, int((stamp.revised - SEQUENCE_FROM).total_seconds())))
    event.add("dtstart", start)
    event.add("dtend", start + APPOINTMENT_LENGTH)
    summary = f"Appointment: {words.appointment_what(visit)}"
    warning = blocked if blocked is not None and visit.kind in EXERCISE_APPOINTMENTS else None
    if warning is not None:
        summary = f"{NO_EXERCISE}: {summary}"
    event.add("summary", words.printable(summary))
    details = [text for text in (warning, visit.link, visit.note) if text]
    details.append("From ptcli: 'ptcli appointment list' shows your appointments.")
    event.add("description", words.printable("\n\n".join(details)))
    if visit.place:
        event.add("location", words.printable(visit.place))
    if visit.link:
        event.add("url", visit.link)
    event.add("class", "PRIVATE")
    if visit.status == "cancelled":
        event.add("status", "CANCELLED")
        event.add("transp", "TRANSPARENT")
        return event
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    if visit.status == "booked":  # one done needs no reminder
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", APPOINTMENT_REMINDER)
        text = f"Tomorrow at {start:%H:%M}: {words.appointment_what(visit)}"
        text = f"{NO_EXERCISE}: {text}. {warning}" if warning is not None else text
        alarm.add("description", words.printable(text))
        event.add_component(alarm)
    return event
