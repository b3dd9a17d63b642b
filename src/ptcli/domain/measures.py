"""Outcome measures (DOMAIN.md section 6): scores, and whether a change is meaningful.

The questionnaires themselves (answers, ranges, thresholds, when due) are in
``domain.questionnaires``, which a store read loads without this module's cost.

Pure: answers in, exact scores out. Scores are Fractions so that a threshold such as
"30 % of the baseline" is met or not without rounding (a 30 % drop is meaningful, a
29.99... % one is not); renderers round them for display.

"10 points or 30 %" is read as *either*: a change is meaningful when it reaches the
points or the percentage of the baseline (Ostelo 2008 gives both; the smaller bar wins).
A baseline of 0 has no percentage: only the points decide (PEG, with no points bar,
then never shows a meaningful change). Meaningful is said of a change either way
(better or worse); ``better`` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ptcli.domain.questionnaires import MEASURES as MEASURES
from ptcli.domain.questionnaires import NAMES as NAMES
from ptcli.domain.questionnaires import Answers, ratio
from ptcli.domain.questionnaires import problem as problem

if TYPE_CHECKING:  # fractions (and decimal) cost 15 ms: loaded only to score, not by `today`
    from fractions import Fraction


def score(measure: str, answers: Answers) -> Fraction:
    """The total (answers already checked by ``problem``):

    ODI: sum / (5 x sections answered) x 100; RMDQ: the count of yes (0-24);
    PSFS and PEG: the mean of the items (0-10)."""
    from fractions import Fraction

    return Fraction(*ratio(measure, answers))


class Change(NamedTuple):
    """A score against the baseline (the first of that measure)."""

    points: Fraction  # score - baseline
    percent: Fraction | None  # points / baseline x 100; None for a baseline of 0
    meaningful: bool
    better: bool | None  # None: no change


def change(measure: str, baseline: Fraction, now: Fraction) -> Change:
    spec = MEASURES[measure]
    points = now - baseline
    percent = points * 100 / baseline if baseline else None
    by_points = spec.points is not None and abs(points) >= spec.points
    by_percent = spec.percent is not None and percent is not None and abs(percent) >= spec.percent
    better = None if not points else (points > 0) == spec.higher_is_better
    return Change(points, percent, points != 0 and (by_points or by_percent), better)


def threshold_words(measure: str) -> str:
    """'10 points or 30 %', '2 points', '30 %'."""
    spec = MEASURES[measure]
    parts = []
    if spec.points is not None:
        parts.append(f"{spec.points} points")
    if spec.percent is not None:
        parts.append(f"{spec.percent} %")
    return " or ".join(parts)


def number(value: Fraction) -> str:
    """A score in words: whole numbers as such, others to one decimal."""
    return str(int(value)) if value.denominator == 1 else f"{float(value):.1f}"


class Stored(Protocol):
    """What this module reads of a stored measure (models.MeasureEntry)."""

    @property
    def id(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def measure(self) -> str: ...
    @property
    def answers(self) -> Answers: ...


class Row(NamedTuple):
    """One measure in the history, against the first of its kind (the baseline)."""

    id: str
    measure: str
    at: datetime
    score: Fraction
    baseline: bool  # the first of this measure: nothing to compare with
    change: Change | None  # None for the baseline
    words: str


def history(entries: Sequence[Stored]) -> list[Row]:
    """Each measure (oldest first) with its change since the first of the same measure,
    whether that change is meaningful, and a sentence saying so. Pure: the report and
    ``measure list`` both show these rows."""
    first: dict[str, Fraction] = {}
    rows = []
    for entry in sorted(entries, key=lambda e: (e.at, e.id)):
        now = score(entry.measure, entry.answers)
        is_baseline = entry.measure not in first
        base = first.setdefault(entry.measure, now)
        moved = None if is_baseline else change(entry.measure, base, now)
        rows.append(
            Row(
                entry.id,
                entry.measure,
                entry.at,
                now,
                is_baseline,
                moved,
                sentence(entry.measure, now, base, moved),
            )
        )
    return rows


def sentence(measure: str, now: Fraction, base: Fraction, moved: Change | None) -> str:
    """'ODI 24 %: baseline'; 'ODI 12 % (from 24 %, down 12 points, 50 %): a meaningful
    improvement (10 points or 30 %)'."""
    spec = MEASURES[measure]
    unit = "%" if spec.unit == "%" else spec.unit
    shown = f"{spec.name.upper()} {number(now)}{' %' if unit == '%' else unit}"
    if moved is None:
        return f"{shown}: baseline"
    start = f"{number(base)}{' %' if unit == '%' else ''}"
    if not moved.points:
        return f"{shown} (from {start}): no change"
    way = "up" if moved.points > 0 else "down"
    share = f", {number(abs(moved.percent))} %" if moved.percent is not None else ""
    points = "point" if abs(moved.points) == 1 else "points"
    how = f"{way} {number(abs(moved.points))} {points}{share}"
    better = "improvement" if moved.better else "worsening"
    verdict = (
        f"a meaningful {better}"
        if moved.meaningful
        else f"{'an' if moved.better else 'a'} {better}, not yet meaningful"
    )
    return f"{shown} (from {start}, {how}): {verdict} ({threshold_words(measure)})"
