"""Reading the WHEN values users type: ISO 8601, ``today``, ``yesterday`` or ``-Nd``.

A date alone means a whole day: ``--since`` starts at its first moment, ``--until``
ends at its last, and ``--at`` takes that day at the current time of day (so that
"yesterday" means this time yesterday). Times without an offset are local time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

WHEN_HELP = "YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday or -Nd (N days ago)"
_DAYS_AGO = re.compile(r"-(\d{1,5})d")


def parse_when(text: str, now: datetime) -> date | datetime:
    """A calendar day or an aware moment; ValueError with a user-facing message otherwise."""
    value = text.strip().lower()
    today = now.date()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if match := _DAYS_AGO.fullmatch(value):
        return today - timedelta(days=int(match.group(1)))
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"cannot read the date {text!r}: use {WHEN_HELP}") from None
    return moment if moment.tzinfo else moment.astimezone()


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
