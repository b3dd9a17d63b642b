"""``ptcli progress`` in the terminal (charts drawn by plotext) and as JSON.

plotext (35-50 ms to import) is loaded only here, and only for the terminal view.
Charts carry no meaning in colour alone: the daily points and the weekly means have
their own markers, and with NO_COLOR (or not a terminal) every colour code is removed.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from ptcli.domain import wording
from ptcli.domain.models import Extent
from ptcli.domain.outcomes import Adherence, Outcomes, short_day
from ptcli.render import words

MIN_WIDTH = 40
MAX_CHART = 100  # † a wider chart is no easier to read
PAIN_HEIGHT = 15
EXTENT_HEIGHT = 11  # one row for each place, none to foot
BAR = 10  # characters of an adherence bar
WEEKS_SHOWN = 8  # † adherence by week: the latest 8


def _title(view: Any) -> str:
    found: Outcomes = view.outcomes
    name = view.profile.name
    whose = f" of {words.visible(name)}" if name else ""
    weeks = ((found.last - found.first).days + 1) / 7
    span = (
        f"{weeks:.0f} weeks"
        if weeks == int(weeks)
        else wording.days((found.last - found.first).days + 1)
    )
    return f"Progress{whose}: {_day(found.first)} to {_day(found.last)} ({span})"


def _day(day: date) -> str:
    return f"{short_day(day)} {day.year}"


def terminal(view: Any, columns: int, color: bool) -> str:
    found: Outcomes = view.outcomes
    width = max(MIN_WIDTH, min(columns - 1, MAX_CHART))
    lines = [_wrap(_title(view), width), "", "Findings:"]
    lines += [_wrap(f"- {text}", width, "  ") for text in found.findings]
    lines.append("")
    if found.mornings:
        lines.append(_pain_chart(found, width, color))
        lines.append(
            _wrap("Morning pain: • each morning (the day's first entry), x the weekly mean.", width)
        )
        lines.append("")
        if any(m.where is not None for m in found.mornings):
            lines.append(_extent_chart(found, width, color))
            lines.append(
                _wrap("How far the pain reached each morning (lower is nearer the spine).", width)
            )
            lines.append("")
    lines.append(_wrap("Exercises done against prescribed (rest days not counted):", width))
    for week in found.weekly[-WEEKS_SHOWN:]:
        end = min(week.first + timedelta(days=6), found.last)
        lines.append(_bar_line(f"{short_day(week.first)} - {short_day(end)}", week.adherence, 16))
    if len(found.weekly) > WEEKS_SHOWN:
        lines.append(
            f"  (the latest {WEEKS_SHOWN} weeks of {len(found.weekly)}; --json has them all)"
        )
    if found.by_exercise:
        lines.append("")
        label = max(len(e.name) for e in found.by_exercise)
        label = min(label, max(12, width - 32))
        for row in found.by_exercise:
            lines.append(_bar_line(words.visible(row.name), row.adherence, label))
    lines.append("")
    lines.append(f"Current streak: {wording.days(found.streak)}")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str = "") -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, subsequent_indent=indent, break_long_words=False))


def _bar_line(label: str, adherence: Adherence, size: int) -> str:
    label = label if len(label) <= size else label[: size - 1] + "…"
    if adherence.prescribed == 0:
        return f"  {label:<{size}}  nothing prescribed"
    filled = round(BAR * adherence.done / adherence.prescribed)
    bar = "#" * filled + "." * (BAR - filled)
    return f"  {label:<{size}}  {bar}  {adherence.done:>3} of {adherence.prescribed:<3} {adherence.percent:>3} %"


def _plot(width: int, height: int, color: bool) -> Any:
    import plotext as plt  # deferred: only this view draws

    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    return plt


def _x_axis(plt: Any, found: Outcomes) -> None:
    days = (found.last - found.first).days
    step = 7 if days <= 70 else 28
    ticks = list(range(0, days + 1, step))
    plt.xticks(ticks, [short_day(found.first + timedelta(days=t)) for t in ticks])
    plt.xlim(-0.5, days + 0.5)


def _finish(plt: Any, color: bool) -> str:
    text: str = plt.build()
    if not color:
        text = plt.uncolorize(text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def _pain_chart(found: Outcomes, width: int, color: bool) -> str:
    plt = _plot(width, PAIN_HEIGHT, color)
    first = found.first
    xs = [(m.day - first).days for m in found.mornings]
    plt.plot(xs, [m.score for m in found.mornings], marker="•", color="blue" if color else None)
    means = [(w.first, w.mean) for w in found.weeks if w.mean is not None]
    if means:
        mx = [min((d - first).days + 3, (found.last - first).days) for d, _ in means]
        plt.plot(mx, [m for _, m in means], marker="x", color="red" if color else None)
    plt.ylim(0, 10)
    plt.yticks([0, 2, 4, 6, 8, 10])
    _x_axis(plt, found)
    plt.title("Morning pain, 0 to 10")
    return _finish(plt, color)


def _extent_chart(found: Outcomes, width: int, color: bool) -> str:
    plt = _plot(width, EXTENT_HEIGHT, color)
    first = found.first
    known = [m for m in found.mornings if m.where is not None]
    plt.plot(
        [(m.day - first).days for m in known],
        [int(m.where) for m in known if m.where is not None],
        marker="•",
        color="blue" if color else None,
    )
    plt.ylim(-0.5, len(Extent) - 0.5)
    plt.yticks([int(e) for e in Extent], [e.label for e in Extent])
    _x_axis(plt, found)
    plt.title("How far down the leg")
    return _finish(plt, color)


def as_json(view: Any) -> str:
    return json.dumps(to_json(view), indent=2, ensure_ascii=False) + "\n"


def to_json(view: Any) -> dict[str, Any]:
    found: Outcomes = view.outcomes
    change = found.pain_change
    move = found.extent_since
    return {
        "patient": view.profile.name,
        "first": found.first.isoformat(),
        "last": found.last.isoformat(),
        "mornings": [
            {
                "day": m.day.isoformat(),
                "score": m.score,
                "where": m.where.label if m.where is not None else None,
            }
            for m in found.mornings
        ],
        "weeks": [
            {
                "first": w.first.isoformat(),
                "mornings": w.mornings,
                "mean": round(w.mean, 2) if w.mean is not None else None,
            }
            for w in found.weeks
        ],
        "pain_change": None
        if change is None
        else {
            "before": change.before,
            "after": change.after,
            "points": round(change.points, 1),
            "percent": round(change.percent, 1) if change.percent is not None else None,
            "weeks": change.weeks,
            "meaningful": change.meaningful,
        },
        "extent": {
            "trend": found.extent_trend,
            "last_move": None
            if move is None
            else {"from": move[0].label, "to": move[1].label, "since": move[2].isoformat()},
        },
        "adherence": {
            **_adherence(found.adherence),
            "weeks": [
                {"first": w.first.isoformat(), **_adherence(w.adherence)} for w in found.weekly
            ],
            "exercises": [
                {"exercise": e.exercise, "name": e.name, **_adherence(e.adherence)}
                for e in found.by_exercise
            ],
        },
        "streak": found.streak,
        "days_without_exercise": found.quiet_days,
        "last_session": found.last_session.isoformat() if found.last_session else None,
        "findings": list(found.findings),
    }


def _adherence(a: Adherence) -> dict[str, Any]:
    return {"done": a.done, "prescribed": a.prescribed, "percent": a.percent}
