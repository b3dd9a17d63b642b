"""A dose in words, the one way every output says it (DOMAIN 5's doses, read by people).

Pure text, so the engine's reasons, ``--explain``'s evidence and every renderer (terminal,
HTML, Markdown, calendar, FHIR descriptions) say a dose the same way: never "1 x 1 x 1200 s".
"""

MINUTES_FROM_S = 90  # a duration over 90 seconds is said in minutes


def days(count: int) -> str:
    """'1 day', '3 days'."""
    return f"{count} day{'' if count == 1 else 's'}"


def duration(seconds: int) -> str:
    """'45 seconds', '90 seconds', '2 minutes', '4 minutes 15 seconds', '20 minutes'."""
    if seconds <= MINUTES_FROM_S:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes, rest = divmod(seconds, 60)
    text = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{text} {rest} second{'s' if rest != 1 else ''}" if rest else text


def amount(sets: int, reps: int, hold_s: int | None, per_side: bool = False) -> str:
    """'10 repetitions', '6 holds of 10 seconds each side', '2 minutes', '2 sets of ...'."""
    if hold_s and reps == 1:
        one = duration(hold_s)
    elif hold_s:
        one = f"{reps} holds of {duration(hold_s)}"
    else:
        one = f"{reps} repetition{'s' if reps != 1 else ''}"
    one += " each side" if per_side else ""
    return one if sets == 1 else f"{sets} sets of {one}"


def per_day(times: int, brief: bool = False) -> str:
    """'once a day', 'twice a day', '6 times a day (every 2 to 3 hours)'; ``brief``: without
    the spacing advice."""
    if times == 1:
        return "once a day"
    if times == 2:
        return "twice a day"
    if times >= 6 and not brief:
        return f"{times} times a day (every 2 to 3 hours)"
    return f"{times} times a day"


def dose(
    sets: int,
    reps: int,
    hold_s: int | None,
    per_side: bool,
    times: int,
    days: int = 7,
    brief: bool = False,
) -> str:
    """A whole dose: '2 minutes, 6 times a day (every 2 to 3 hours)', '..., 3 days a week'.

    ``brief``, for a list of today's exercises: '2 minutes, 6 times a day', '10 repetitions'
    (once a day goes without saying, and the list marks the days to rest)."""
    text = amount(sets, reps, hold_s, per_side)
    if brief:
        return text if times == 1 else f"{text}, {per_day(times, brief)}"
    text = f"{text}, {per_day(times)}"
    return text if days >= 7 else f"{text}, {days} day{'s' if days != 1 else ''} a week"
