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
from ptcli.domain.models import PainEntry, RoutineItem
from ptcli.domain.safety import EMERGENCY, ITEMS
from ptcli.domain.when import local_day
from ptcli.render import words
from ptcli.views import TREND_DAYS, Handout

TEMPLATES = Path(__file__).parent / "templates"
PAPER = {"a4": "A4", "letter": "letter"}


def render(view: object) -> str:
    assert isinstance(view, Handout)
    import jinja2  # deferred: only the printable formats need it
    from markupsafe import Markup

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # a note such as "<script>" prints as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("handout.html").render(_context(view, Markup))


def _context(view: Handout, markup: Any) -> dict[str, Any]:
    routine = view.routine
    exercises = [
        _exercise(number, item, view, markup) for number, item in enumerate(routine.items, 1)
    ]
    return {
        "view": view,
        "routine": routine,
        "paper": PAPER[view.paper],
        "day": f"{routine.date:%A} {routine.date.day} {routine.date:%B %Y}",
        "exercises": exercises,
        "emergency": [item.sign for item in ITEMS.values() if item.level == EMERGENCY],
        "urgent": [item.sign for item in ITEMS.values() if item.level != EMERGENCY],
        "grid": _grid(routine.date, view.weeks) if exercises else [],
        "chart": _chart(view.trend, routine.date) if view.trend is not None else None,
        "version": __version__,
        "quick_note": words.QUICK_NOTE if routine.quick else None,
    }


def _exercise(number: int, item: RoutineItem, view: Handout, markup: Any) -> dict[str, Any]:
    exercise = item.exercise
    picture = view.pictures.get(exercise.id)
    return {
        "number": number,
        "id": exercise.id,
        "name": exercise.name,
        "purpose": exercise.purpose,
        "position": exercise.position,
        "steps": exercise.steps,
        "dose": words.dose(item),
        "equipment": exercise.equipment,
        "cautions": exercise.cautions,
        "stop": words.stop_rule(view.fallbacks.get(exercise.id)),
        # The figure drawn from a pose is trusted markup (render/figure.py writes every
        # element and escapes its one text); a catalogue's own image is only ever an <img>
        # with a data: URI, its SVG rebuilt without scripts or outside references
        # (ptcli.pictures).
        "svg": markup(picture.content) if picture and picture.kind == "svg" else None,
        "image": picture.content if picture and picture.kind == "image" else None,
    }


def _grid(first: date, weeks: int) -> list[str]:
    """The tracking grid's days from ``first``, as row labels."""
    return [
        f"{day:%a} {_short(day)}" for day in (first + timedelta(days=n) for n in range(weeks * 7))
    ]


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
            (frame.y_of(top), round(frame.y_of(bottom) - frame.y_of(top), 1), colour)
            for top, bottom, colour in (
                (10, 6.5, "#fbe3e3"),
                (6.5, 3.5, "#fdf1d3"),
                (3.5, 0, "#e3f2e6"),
            )
        ],
        scale=[(frame.y_of(score), score) for score in (0, 5, 10)],
        summary=_trend_summary(mornings),
    )


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
