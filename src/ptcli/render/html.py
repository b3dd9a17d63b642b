"""A routine as a printable HTML page: the handout a therapist gives a patient.

One Jinja2 template (``templates/handout.html``, escaping on) serves both the HTML and
the PDF (``render.pdf`` prints this page). This module only prepares plain values
for it: wording, the tracking grid's days and the pain chart's geometry.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from ptcli import __version__
from ptcli.domain import programme
from ptcli.domain.models import Band, PainEntry
from ptcli.domain.programme import Planned
from ptcli.domain.when import local_day
from ptcli.render import paper, words
from ptcli.views import TREND_DAYS, Handout

TEMPLATES = Path(__file__).parent / "templates"
PAPER = {"a4": "A4", "letter": "letter"}


def render(view: object) -> str:
    assert isinstance(view, Handout)
    from markupsafe import Markup

    page: str = environment().get_template("handout.html").render(_context(view, Markup))
    return page


def environment() -> Any:
    """The templates' Jinja2 environment: escaping on, every value printable."""
    import jinja2  # deferred: only the printable formats need it
    from markupsafe import Markup

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # a note such as "<script>" prints as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Every value printed, as render/words.printable: no reordering marks or controls
        # from a note or a catalogue (the drawings are Markup, ptcli's own, left as made).
        finalize=lambda value: (
            words.printable(value)
            if isinstance(value, str) and not isinstance(value, Markup)
            else value
        ),
    )


def _context(view: Handout, markup: Any) -> dict[str, Any]:
    routine = view.routine
    programme = view.programme
    numbers = {p.item.exercise.id: n for n, p in enumerate(programme.planned, 1)}
    exercises = [
        _exercise(number, planned, view, markup, numbers)
        for number, planned in enumerate(programme.planned, 1)
    ]
    blocked = routine.status == "blocked"
    return {
        "view": view,
        "routine": routine,
        "blocked": blocked,
        "title": paper.EMERGENCY_TITLE if blocked else paper.TITLE,
        "paper": PAPER[view.paper],
        "day": words.day_words(routine.date),
        "exercises": exercises,
        "emergency_text": paper.emergency_text(programme) if blocked else None,
        "emergency_advice": paper.emergency_advice(),
        "emergency": words.emergency_signs(),
        "urgent_advice": paper.urgent_advice(view.paper),
        "urgent": words.urgent_list(),
        "notices": paper.notices(programme, view.paper),
        "scale": paper.scale(),
        "during": paper.during_exercise(),
        "day_plans": paper.day_plans(programme, view.paper),
        "easier": paper.easier_rules(),
        "today": paper.today_line(programme),
        "pages": _pages(view, exercises) if exercises else [],
        "chart": _chart(view.trend, routine.date)
        if view.trend is not None and not blocked
        else None,
        "version": __version__,
        "quick_note": words.QUICK_NOTE if routine.quick else None,
        "appointment": paper.appointment_line(view),
    }


def _exercise(
    number: int, planned: Planned, view: Handout, markup: Any, numbers: dict[str, int]
) -> dict[str, Any]:
    exercise = planned.item.exercise
    picture = view.pictures.get(exercise.id)
    return {
        "number": number,
        "id": exercise.id,
        "name": exercise.name,
        "purpose": exercise.purpose,
        "position": exercise.position,
        "steps": exercise.steps,
        "marks": paper.marks(planned, view.programme, numbers),
        "times": planned.item.times_per_day,
        "equipment": exercise.equipment,
        "cautions": exercise.cautions,
        "stop": paper.stop_rule(view.fallbacks.get(exercise.id)),
        # The figure drawn from a pose is trusted markup (render/figure.py writes every
        # element and escapes its one text); a catalogue's own image is only ever an <img>
        # with a data: URI, its SVG rebuilt without scripts or outside references
        # (ptcli.pictures).
        "svg": markup(picture.content) if picture and picture.kind == "svg" else None,
        "image": picture.content if picture and picture.kind == "image" else None,
    }


class Week(NamedTuple):
    number: int
    days: list[str]  # column heads: 'Mon 2 Mar'
    rows: list[tuple[dict[str, Any], list[int]]]  # exercise, then ticks a day (0: rest)


def _pages(view: Handout, exercises: list[dict[str, Any]]) -> list[list[Week]]:
    """The tracking grid: a week a table, two weeks a page; a box for each time a day the
    exercise is done, and its rest days marked."""
    first = view.routine.date
    resting = programme.resting(view.programme)
    done_on = [
        set(programme.days(p, first, view.weeks, p.item.exercise.id in resting))
        for p in view.programme.planned
    ]
    weeks = []
    for week in range(view.weeks):
        dates = [first + timedelta(days=week * 7 + n) for n in range(7)]
        rows = [
            (exercise, [exercise["times"] if d in done else 0 for d in dates])
            for exercise, done in zip(exercises, done_on, strict=True)
        ]
        weeks.append(Week(week + 1, [paper.short_day(d) for d in dates], rows))
    return [weeks[n : n + 2] for n in range(0, len(weeks), 2)]


class Chart(NamedTuple):
    """The pain chart's drawing, in SVG user units (viewBox 0 0 width height)."""

    points: list[tuple[float, float, int]]  # x, y, score
    lines: list[str]  # polylines' points, one per run of consecutive days (no line over a gap)
    ticks: list[tuple[float, str]]  # x, date label
    bands: list[tuple[float, float, str]]  # y, height, colour: the traffic light behind the line
    scale: list[tuple[float, int]]  # y, score
    summary: str
    width: int = 400
    height: int = 130
    left: int = 30  # the plot area: from left to width - right, from top to baseline
    right: int = 28
    top: int = 8
    baseline: int = 100

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    def y_of(self, score: float) -> float:
        return round(self.baseline - (self.baseline - self.top) * score / 10, 1)


def _chart(mornings: tuple[PainEntry, ...], last: date) -> Chart:
    frame = Chart([], [], [], [], [], "")
    first = last - timedelta(days=TREND_DAYS - 1)
    step = frame.plot_width / (TREND_DAYS - 1)

    def x_of(day: date) -> float:
        return round(frame.left + (day - first).days * step, 1)

    points = [(x_of(local_day(e.at)), frame.y_of(e.score), e.score) for e in mornings]
    return frame._replace(
        points=points,
        lines=[" ".join(f"{x},{y}" for x, y, _ in run) for run in _runs(points, step)],
        ticks=[
            (x_of(first + timedelta(days=n)), _short(first + timedelta(days=n)))
            for n in range(0, TREND_DAYS, 7)
        ]
        + [(x_of(last), _short(last))],
        bands=[
            (frame.y_of(top), round(frame.y_of(bottom) - frame.y_of(top), 1), TINTS[band])
            for band, (top, bottom) in _edges().items()
        ],
        scale=[(frame.y_of(score), score) for score in (0, 5, 10)],
        summary=_trend_summary(mornings),
    )


TINTS = {Band.GREEN: "#e3f2e6", Band.AMBER: "#fdf1d3", Band.RED: "#fbe3e3"}


def _edges() -> dict[Band, tuple[float, float]]:
    """Each band's stretch of the chart's 0-10 scale, halfway between its scores and the
    next band's (the same scale as the sheet's and ``today``'s)."""
    edges = {}
    for band in Band:
        low, high = programme.scores(band)
        edges[band] = (min(high + 0.5, 10), max(low - 0.5, 0))
    return edges


def _runs(
    points: list[tuple[float, float, int]], step: float
) -> list[list[tuple[float, float, int]]]:
    """The points split where a day is missing (x further than one day's step apart)."""
    runs: list[list[tuple[float, float, int]]] = []
    for point in points:
        if runs and point[0] - runs[-1][-1][0] <= step * 1.5:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def _trend_summary(mornings: tuple[PainEntry, ...]) -> str:
    if not mornings:
        return "No pain was logged in the last 4 weeks."
    first, last = mornings[0], mornings[-1]
    if len(mornings) == 1:
        return f"Morning pain logged on 1 day: {first.score}/10 on {_short(first.at)}."
    mean = sum(e.score for e in mornings) / len(mornings)
    return (
        f"Morning pain logged on {len(mornings)} days: {first.score}/10 on {_short(first.at)}, "
        f"{last.score}/10 on {_short(last.at)}; average {mean:.1f}/10."
    )
