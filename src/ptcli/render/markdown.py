"""A routine as Markdown: printable, pasteable into a message or a notes system.

Names, steps, notes and messages come from users and catalogues: every such text is
escaped (``_inline``), so a name like ``[x](javascript:...)`` or ``<img onerror=...>``
shows as typed and no text starts a heading, a list or a quote of its own.
"""

from __future__ import annotations

import re

from ptcli.render import paper, words
from ptcli.views import Handout

# Inline markup (emphasis, code, links, raw HTML, tables, strike-through) and the
# backslash itself; a character reference (&lt;) is escaped through its "&".
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# What makes a line a block of its own when it starts it: heading, quote, list, rule.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def _inline(text: str) -> str:
    """``text`` as literal Markdown: on one line, every markup character escaped."""
    flat = " ".join(words.printable(text).split())
    escaped = _SPECIAL.sub(r"\\\1", flat)
    # A list number keeps its digits and escapes what follows them: a backslash before a
    # digit is no escape in CommonMark, and would show.
    return _LINE_START.sub(_escape_start, escaped)


def _escape_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"


def render(view: object) -> str:
    """The handout (``routine --format markdown``): the same safety box and programme as
    the printed page, without the pictures and the grid; ``--explain`` adds today's rules."""
    assert isinstance(view, Handout)
    routine, programme = view.routine, view.programme
    blocked = routine.status == "blocked"
    title = paper.EMERGENCY_TITLE if blocked else paper.TITLE
    lines = [f"# {title}", ""]
    people = [
        f"{label}: {_inline(value)}"
        for label, value in (
            ("Patient", view.patient),
            ("Therapist", view.therapist),
            ("Clinic", view.clinic),
            ("Date", words.day_words(routine.date)),
            ("Contact", view.contact),
        )
        if value
    ]
    lines += [" · ".join(people), ""]
    if routine.quick:
        lines += [f"> **Quick routine.** {_inline(words.QUICK_NOTE)}", ""]
    if view.note:
        lines += [f"> **From your therapist:** {_inline(view.note)}", ""]
    if (appointment := paper.appointment_line(view)) is not None:
        lines += [f"**Next appointment:** {_inline(appointment)}", ""]
    if blocked:
        lines += [f"> **No exercises.** {_inline(paper.emergency_text(programme))}", ""]
    lines += _safety_box(view.paper)
    lines += [f"> **{_inline(n.text)}**\n" for n in paper.notices(programme, view.paper)]
    if not blocked:
        lines += ["## Your pain decides the day", ""]
        lines += [
            "Score your pain from 0 to 10 each morning; the worst score of the day counts. "
            + _inline(paper.during_exercise()),
            "",
        ]
        lines += [
            f"- **{p.heading}** ({p.band}): {_inline(p.text)}"
            for p in paper.day_plans(programme, view.paper)
        ]
        lines += ["", *[f"- {_inline(rule)}" for rule in paper.easier_rules()], ""]
        lines += [f"**Today:** {_inline(paper.today_line(programme))}", ""]
    numbers = {p.item.exercise.id: n for n, p in enumerate(programme.planned, 1)}
    for number, planned in enumerate(programme.planned, 1):
        exercise = planned.item.exercise
        marks = paper.marks(planned, programme, numbers)
        lines += [f"## {number}. {_inline(exercise.name)}", "", f"*{_inline(marks.often)}*", ""]
        extra = " ".join(m for m in (marks.days, marks.bad_day, marks.step_up) if m)
        if extra:
            lines += [_inline(extra), ""]
        if marks.today:
            lines += [f"**{_inline(marks.today)}**", ""]
        lines += [_inline(exercise.purpose), "", f"Start: {_inline(exercise.position)}", ""]
        lines += [f"{n}. {_inline(step)}" for n, step in enumerate(exercise.steps, 1)]
        cautions = [*exercise.cautions, paper.stop_rule(view.fallbacks.get(exercise.id))]
        lines += ["", "Take care:", *[f"- {_inline(caution)}" for caution in cautions], ""]
    if view.explain:
        lines += ["## Why this routine today", ""]
        for reason in words.reasons_shown(routine):
            lines.append(f"- **{_inline(reason.rule)}**: {_inline(reason.text)}")
            lines += [f"  - read: {_inline(line)}" for line in reason.evidence]
        for item in routine.items:
            if item.reason is not None:
                lines.append(f"- **{_inline(item.exercise.id)}**: {_inline(item.why)}")
        lines += [
            f"- **left out** {_inline(exercise)}: {_inline(why)} [{rule}]"
            for exercise, why, rule in routine.left_out
        ]
        lines.append("")
    return "\n".join(lines)


def _safety_box(paper_size: str) -> list[str]:
    return [
        f"**{_inline(paper.emergency_advice())}**",
        "",
        *[f"- {_inline(sign)}" for sign in words.emergency_signs()],
        "",
        f"**{_inline(paper.urgent_advice(paper_size))}** {_inline(words.urgent_list())}.",
        "",
    ]
