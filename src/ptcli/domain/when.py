"""Reading the WHEN values users type, for every date and time option (one parser).

Forms: ISO 8601 (``2026-11-27``, ``2026-11-27T08:10``, ``2026-11-27 08:10``, with an
optional offset); a day word (``today``, ``yesterday``, a weekday such as ``monday``
or ``mon``: the latest one, today included), optionally followed by a time of day;
a time of day alone (``08:00``, ``8pm``, ``8:30am``: today); ``now``; and an amount
ago (``-3d``, ``-2h``, ``-30m``, ``-1w``).

A day without a time means a whole day: ``--since`` starts at its first moment,
``--until`` ends at its last, and ``--at`` takes that day at the current time of day
(so that "yesterday" means this time yesterday). Times without an offset are local
time. Whether a moment may be in the future is the caller's rule, not the parser's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

WHEN_HELP = (
    "a day (YYYY-MM-DD, today, yesterday, monday), a time (08:00, 8pm, 'yesterday 08:00', "
    "YYYY-MM-DDTHH:MM) or an amount ago (-3d, -2h, -30m)"
)
_AGO = re.compile(r"([-+])(\d{1,5})\s*([wdhm])")
_AGO_UNIT = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_when(text: str, now: datetime, ahead: bool = False) -> date | datetime:
    """A calendar day or an aware moment; ValueError with a user-facing message otherwise.

    ``now`` is an aware local moment; weekdays count back from its date, or with ``ahead``
    (an appointment) forward: ``friday`` is the next one, today included, and ``tomorrow``
    and an amount ahead (``+3d``) are read too."""
    value = " ".join(text.strip().lower().split())
    if value == "now":
        return now
    if (match := _AGO.fullmatch(value)) and (ahead or match.group(1) == "-"):
        amount = timedelta(**{_AGO_UNIT[match.group(3)]: int(match.group(2))})
        amount = -amount if match.group(1) == "-" else amount
        return now.date() + amount if match.group(3) in "wd" else now + amount
    day_word, _, clock = value.partition(" ")
    day = _day(day_word, now.date(), ahead)
    if day is not None:
        if not clock:
            return day
        at = _clock(clock)
        if at is not None:
            return datetime.combine(day, at).astimezone()
    elif (at := _clock(value)) is not None:
        return datetime.combine(now.date(), at).astimezone()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"cannot read the date {text!r}: use {WHEN_HELP}") from None
    return moment if moment.tzinfo else moment.astimezone()


def _day(word: str, today: date, ahead: bool = False) -> date | None:
    """``today``, ``yesterday`` or a weekday (full or its first three letters, the latest
    such day, today included); with ``ahead``, ``tomorrow`` too and a weekday is the next
    such day. None for anything else."""
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if word == "tomorrow" and ahead:
        return today + timedelta(days=1)
    for number, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            if ahead:
                return today + timedelta(days=(number - today.weekday()) % 7)
            return today - timedelta(days=(today.weekday() - number) % 7)
    return None


def _clock(text: str) -> time | None:
    """A time of day: ``08:00``, ``8:30pm``, ``8pm`` (a bare number is not a time)."""
    match = _CLOCK.fullmatch(text)
    if match is None or (match.group(2) is None and match.group(3) is None):
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def is_time_of_day(text: str) -> bool:
    """Does ``text`` name a time of day alone (``23:00``), meaning today?"""
    return _clock(" ".join(text.strip().lower().split())) is not None


def moment_of(value: date | datetime, now: datetime) -> datetime:
    """The moment an entry logged ``--at value`` happened."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, now.time().replace(microsecond=0)).astimezone()


def start_of(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min).astimezone()


def end_of(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max).astimezone()


def day_of(value: date | datetime) -> date:
    return local_day(value) if isinstance(value, datetime) else value


def local_day(moment: datetime) -> date:
    """The calendar day of a stored moment for the reader: its instant in the local time zone.

    Never ``moment.date()``: that is the day in the offset the record was logged with, so an
    entry made in Auckland would fall on another day when read in London (DOMAIN.md section 1).
    Every comparison of days in ptcli goes through here.
    """
    return moment.astimezone().date()
