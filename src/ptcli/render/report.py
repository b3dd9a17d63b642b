"""``ptcli report``: a therapist's page (HTML, printed to PDF, or Markdown).

One Jinja2 template (``templates/report.html``, escaping on, as the handout's) serves
HTML and PDF (printed by ``render.pdf``, which fetches nothing). This module prepares
plain values: dates and doses in words, the charts (``render.charts``: SVG by pygal).
Everything the patient typed (names, notes) is escaped by the template, and made
printable (no control characters); the Markdown escapes it too.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from ptcli import __version__
from ptcli.domain import measures, safety, wording
from ptcli.domain.models import RoutineItem
from ptcli.domain.outcomes import Adherence, DoseChange, Outcomes, short_day
from ptcli.domain.when import local_day
from ptcli.render import words

TITLE = "Progress report"
WEEKS_SHOWN = 8  # † the table by week: the latest 8 (the charts show every week)


class Row(NamedTuple):
    """One line of a table: its cells, as text."""

    cells: tuple[str, ...]
    strong: bool = False  # an active flag, a missed week: shown in bold


def _day(day: date) -> str:
    return f"{short_day(day)} {day.year}"


def _measure(row: measures.Row) -> Row:
    """Measure, day, score, change since the baseline in points (and percent), meaningful."""
    spec = measures.MEASURES[row.measure]
    moved = row.change
    if moved is None:
        change = "baseline"
    else:
        change = f"{'+' if moved.points > 0 else ''}{measures.number(moved.points)}"
        change += "" if moved.percent is None else f" ({float(moved.percent):+.0f}\u00a0%)"
    score = measures.number(row.score) + ("\u00a0%" if spec.unit == "%" else spec.unit)
    meaningful = "" if moved is None else ("yes" if moved.meaningful else "no")
    day = short_day(local_day(row.at)).replace(" ", "\u00a0")  # the period gives the year
    cells = (spec.name.upper(), day, score, change.replace(" ", "\u00a0"), meaningful)
    return Row(cells, strong=moved is not None and moved.meaningful)


def _percent(a: Adherence) -> str:
    if a.percent is None:
        return "nothing prescribed"
    return f"{a.done} of {a.prescribed} ({a.percent} %)"


def _dose(item: RoutineItem) -> str:
    return f"{item.exercise.name}: {words.dose(item, brief=True)}"


def context(view: Any) -> dict[str, Any]:
    progress = view.progress
    found: Outcomes = progress.outcomes
    routine = view.routine
    pins = view.pins
    plan = [
        Row(
            (
                item.exercise.name,
                words.dose(item),
                "therapist's pin" if item.exercise.id in pins else item.change,
            )
        )
        for item in routine.items
    ]
    plan += [
        Row((r.exercise.name, "rests today", "therapist's pin" if r.exercise.id in pins else ""))
        for r in routine.resting
    ]
    return {
        "title": TITLE,
        "patient": progress.profile.name,
        "side": progress.profile.side,
        "preference": progress.profile.preference,
        "first": _day(found.first),
        "last": _day(found.last),
        "made": _day(progress.today),
        "version": __version__,
        "findings": found.findings,
        "found": found,
        "weeks": [
            Row(
                (
                    f"{short_day(w.first)}",
                    f"{w.mean:.1f}" if w.mean is not None else "-",
                    str(w.mornings),
                    _percent(a.adherence),
                ),
                strong=a.adherence.percent is not None and a.adherence.percent < 50,
            )
            for w, a in list(zip(found.weeks, found.weekly, strict=True))[-WEEKS_SHOWN:]
        ],
        "weeks_left_out": max(0, len(found.weeks) - WEEKS_SHOWN),
        "exercises": [Row((e.name, _percent(e.adherence))) for e in found.by_exercise],
        "streak": found.streak,
        "measures": [_measure(m) for m in view.measures],
        "flags": [_flag(f) for f in view.flags],
        "blocked": routine.status == "blocked",
        "message": routine.message,
        "band": routine.band.value,
        "plan": plan,
        "changes": [_change(c) for c in view.changes],
        "notes": [Row((short_day(n.at), n.what, n.text)) for n in view.notes],
    }


def _flag(flag: safety.Flag) -> Row:
    level = "EMERGENCY" if flag.item.level == safety.EMERGENCY else flag.item.level
    reported = _day(flag.since.astimezone().date())
    if flag.cleared is None:
        return Row((flag.item.symptom, level, reported, "ACTIVE: not cleared"), strong=True)
    cleared = flag.cleared
    return Row(
        (
            flag.item.symptom,
            level,
            reported,
            f"cleared {_day(cleared.at.astimezone().date())}: {cleared.note}",
        )
    )


def _change(change: DoseChange) -> Row:
    return Row(
        (
            short_day(change.day),
            f"{change.direction}: {_dose(change.before)} to {_dose(change.after)}"
            if change.before.exercise.id != change.after.exercise.id
            else f"{change.after.exercise.name} {change.direction}: "
            f"{words.dose(change.before, brief=True)} to {words.dose(change.after, brief=True)}",
            change.text,
        )
    )


def html(view: Any) -> str:
    from markupsafe import Markup

    from ptcli.render import charts
    from ptcli.render.html import environment

    found: Outcomes = view.progress.outcomes
    values = context(view)
    values["charts"] = {
        "pain": Markup(charts.pain(found)) if found.mornings else None,
        "extent": Markup(charts.extent(found))
        if any(m.where is not None for m in found.mornings)
        else None,
        "adherence": Markup(charts.adherence(found)) if found.adherence.prescribed else None,
    }
    page: str = environment().get_template("report.html").render(values)
    return page


def pdf(view: Any) -> bytes:
    from ptcli.render.pdf import print_page

    return print_page(html(view))


def markdown(view: Any) -> str:
    """The same page in Markdown (for a message): the charts as their tables."""
    values = context(view)
    out = [f"# {TITLE}: {_md(values['patient'] or 'patient')}", ""]
    out.append(f"{values['first']} to {values['last']} (made {values['made']} by ptcli)")
    out += ["", "## Findings", ""]
    out += [f"- {_md(text)}" for text in values["findings"]]
    found: Outcomes = values["found"]
    out += ["", "## Pain and exercise by week", ""]
    out += _table(
        ("week of", "mean morning pain", "mornings logged", "exercises done"), values["weeks"]
    )
    if values["weeks_left_out"]:
        out += ["", f"The latest {WEEKS_SHOWN} weeks of {len(found.weeks)}."]
    reached = _runs(found)
    if reached:
        out += ["", "How far the pain reached in the mornings: " + ", ".join(reached) + "."]
    out += ["", "## Exercises done against prescribed", ""]
    out += _table(("exercise", "done"), values["exercises"])
    streak = values["streak"]
    out += ["", f"Current streak: {wording.days(streak)} in a row."]
    out += ["", "## Outcome measures", ""]
    if values["measures"]:
        out += _table(
            ("measure", "day", "score", "change since first", "meaningful"), values["measures"]
        )
    else:
        out.append("No outcome measures recorded yet.")
    out += ["", "## Red flags", ""]
    if values["flags"]:
        out += _table(("symptom", "level", "reported", "now"), values["flags"])
    else:
        out.append("No red flag reported.")
    out += ["", "## The plan in force", ""]
    if values["blocked"]:
        out.append(_md(values["message"]))
    else:
        out += _table(("exercise", "dose", "today"), values["plan"])
    out += ["", "## How the engine changed doses", ""]
    if values["changes"]:
        out += _table(("day", "change", "why"), values["changes"])
    else:
        out.append("No dose changed in this period.")
    out += ["", "## Notes", ""]
    if values["notes"]:
        out += _table(("day", "with", "note"), values["notes"])
    else:
        out.append("No notes in this period.")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Untrusted text for Markdown, as the handout's Markdown escapes it."""
    from ptcli.render.markdown import _inline

    return _inline(text)


def _cell(text: str) -> str:
    """Untrusted text in a table cell: one line, every inline markup character escaped
    (a cell starts no block, so '6.0' stays as it is)."""
    from ptcli.render.markdown import _SPECIAL

    return _SPECIAL.sub(r"\\\1", " ".join(words.printable(text).split()))


def _runs(found: Outcomes) -> list[str]:
    """How far the pain reached, a run of mornings at a time: 'thigh 2-4 Nov'."""
    runs: list[tuple[str, date, date]] = []
    for m in found.mornings:
        if m.where is None:
            continue
        if runs and runs[-1][0] == m.where.label:
            runs[-1] = (runs[-1][0], runs[-1][1], m.day)
        else:
            runs.append((m.where.label, m.day, m.day))
    return [
        f"{place} {short_day(a)}" if a == b else f"{place} {short_day(a)} to {short_day(b)}"
        for place, a, b in runs
    ]


def _table(head: tuple[str, ...], rows: list[Row]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [_cell(c) for c in row.cells]
        if row.strong:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
