"""What the command line's values mean, without Typer: the daily commands' quick path
(quick.py) and their Typer options (options.py) both read them here."""

from enum import StrEnum

from ptcli.domain.models import Extent
from ptcli.errors import BadInput

Where = StrEnum("Where", {label: label for label in Extent.labels()})  # type: ignore[misc]
"""How far down the leg the symptoms reach, nearest the spine first."""

PLACES = "none < back < side (one side of the lower back) < buttock < thigh < calf < foot"


def extent(where: str | None) -> Extent | None:
    """The extent of a ``--where`` value (a ``Where``, or its text from the quick path)."""
    return Extent.parse(where) if where is not None else None


SCORES = frozenset(str(score) for score in range(11)) | {f"0{score}" for score in range(10)}


def parse_score(text: str) -> int:
    """A pain score: a whole number from 0 to 10 (ASCII digits: '²' is no score)."""
    if text.strip() not in SCORES:
        from typer import (
            BadParameter,  # Typer shows the message (the quick path leaves it to Typer)
        )

        raise BadParameter(f"{text!r} is not a pain score: use a whole number from 0 to 10")
    return int(text)


PACE_MAX = 10.0  # a guided session's timers at most ten times slower than real time


def check_pace(value: float) -> float:
    """``--pace``: a finite factor from 0 to PACE_MAX (click's range lets 'nan' through)."""
    if not 0 <= value <= PACE_MAX:  # false for nan too
        from typer import BadParameter

        raise BadParameter(f"{value} is not a number from 0 to {PACE_MAX:g}")
    return value


def hold_seconds(hold: int | None, minutes: int | None) -> int | None:
    """One hold from ``--hold SECONDS`` or ``--minutes N`` (never both)."""
    if hold is not None and minutes is not None:
        raise BadInput("give --hold or --minutes, not both: nothing was written")
    return minutes * 60 if minutes is not None else hold
