"""The report's charts as SVG, drawn by pygal (imported only here, for reports).

Readable in black and white: series differ by line style and marker size as well as by
shade, and every chart has its words beside it. The SVG is ptcli's own: its labels are
dates, numbers and fixed words (no patient text), and pygal's script is removed, so a
page inlines it as is.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from ptcli.domain.models import Extent
from ptcli.domain.outcomes import Outcomes, short_day

WIDTH = 720
HEIGHT = 210
HALF = 380  # a chart half the page wide: drawn smaller, so its words print as large
HALF_HEIGHT = 210
FULL_TICKS = 9  # † dates on the x axis of a chart the page wide, and of a half one
HALF_TICKS = 5
INK = "#000000"
GREY = "#6b6b6b"
LIGHT = "#c8c8c8"
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)


def _style(*colors: str) -> Any:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#999999",
        colors=colors,
        font_family="Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        title_font_size=15,
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        # Each line as wide as its series says: pygal's own rule would draw every line 1 wide.
        stroke_width="inherit",
        stroke_width_hover="inherit",
    )


def _common(colors: tuple[str, ...], width: int = WIDTH, height: int = HEIGHT) -> dict[str, Any]:
    return {
        "style": _style(*colors),
        "width": width,
        "height": height,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "show_legend": False,  # the caption beside the chart says which line is which
        "margin": 6,
        "spacing": 8,
        "show_x_guides": False,
        "tooltip_border_radius": 0,
        "truncate_label": -1,  # '29 Nov', never '29 N...'
        "truncate_legend": -1,
    }


def _days(found: Outcomes, most: int) -> tuple[list[int], Any]:
    """At most ``most`` x ticks, whole weeks apart from the first day, and their labels
    ('2 Nov')."""
    days = (found.last - found.first).days
    weeks = max(1, -(-days // (7 * max(1, most - 1))))
    ticks = list(range(0, days + 1, 7 * weeks))
    return ticks, lambda x: short_day(found.first + timedelta(days=round(x)))


def _svg(chart: Any) -> str:
    svg: str = chart.render(is_unicode=True)
    return _SCRIPT.sub("", svg)


def pain(found: Outcomes) -> str:
    """Morning pain each day (thin grey line, small dots) and the weekly mean (thick black
    dashes, large dots)."""
    import pygal  # deferred: only reports draw

    ticks, label = _days(found, FULL_TICKS)
    chart = pygal.XY(
        **_common((GREY, INK)),
        range=(0, 10),
        xrange=(0, (found.last - found.first).days),
        y_labels=list(range(0, 11, 2)),
        x_labels=ticks,
        x_value_formatter=label,
        show_y_guides=True,
        allow_interruptions=True,
    )
    points: list[tuple[int, int] | None] = []
    for m in found.mornings:  # a missing day breaks the line
        x = (m.day - found.first).days
        if points and points[-1] is not None and x - points[-1][0] > 1:
            points.append(None)
        points.append((x, m.score))
    chart.add("each morning", points, dots_size=3, stroke_style={"width": 2})
    means = [
        (min((w.first - found.first).days + 3, (found.last - found.first).days), round(w.mean, 1))
        for w in found.weeks
        if w.mean is not None
    ]
    chart.add(
        "weekly mean",
        means,
        dots_size=7,
        stroke_style={"width": 5, "dasharray": "14, 7"},
    )
    return _svg(chart)


def extent(found: Outcomes) -> str:
    """How far the symptoms reached each morning, none (0) to the foot (6)."""
    import pygal

    ticks, label = _days(found, HALF_TICKS)
    chart = pygal.XY(
        **_common((INK,), HALF, HALF_HEIGHT),
        range=(0, len(Extent) - 1),
        xrange=(0, (found.last - found.first).days),
        y_labels=[{"label": e.label, "value": int(e)} for e in Extent],
        x_labels=ticks,
        x_value_formatter=label,
        show_y_guides=True,
        allow_interruptions=True,
    )
    points: list[tuple[int, int] | None] = []
    for m in found.mornings:
        if m.where is None:
            continue
        x = (m.day - found.first).days
        if points and points[-1] is not None and x - points[-1][0] > 1:
            points.append(None)
        points.append((x, int(m.where)))
    chart.add("reaches", points, dots_size=4, stroke_style={"width": 2})
    return _svg(chart)


def adherence(found: Outcomes) -> str:
    """Each week's prescribed exercises: done (black) and missed (light grey, above)."""
    import pygal

    chart = pygal.StackedBar(
        **_common((INK, LIGHT), HALF, HALF_HEIGHT),
        x_labels=[short_day(w.first) for w in found.weekly],
        x_labels_major_every=-(-len(found.weekly) // HALF_TICKS),
        show_minor_x_labels=False,
        show_y_guides=True,
        min_scale=2,
        max_scale=6,
    )
    chart.add("done", [w.adherence.done for w in found.weekly])
    chart.add("missed", [w.adherence.prescribed - w.adherence.done for w in found.weekly])
    return _svg(chart)
