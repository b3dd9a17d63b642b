"""A routine as Markdown: printable, pasteable into a message or a notes system.

Names, steps, notes and messages come from users and catalogues: every such text is
escaped (``_inline``), so a name like ``[x](javascript:...)`` or ``<img onerror=...>``
shows as typed and no text starts a heading, a list or a quote of its own.
"""

from __future__ import annotations

import re

from ptcli.domain.models import Alert, Routine
from ptcli.render import words
from ptcli.views import Explained

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
    explained = isinstance(view, Explained)
    if isinstance(view, Explained):
        view = view.routine
    assert isinstance(view, Routine)
    day = f"{view.date:%A %d %B %Y}"
    if view.status == "blocked":
        # No band beside an emergency: the message names it, once and first.
        others = [alert for alert in view.alerts if alert.level != "emergency"]
        lines = [
            f"# Routine for {day}: no exercises today",
            "",
            f"> **EMERGENCY: no exercises today.** {_inline(view.message)}",
            "",
            *[_alert(alert) for alert in others],
        ]
    else:
        lines = [f"# Routine for {day}", ""]
        if view.quick:
            lines += [f"> **Quick routine.** {_inline(words.QUICK_NOTE)}", ""]
        lines += [_alert(alert) for alert in view.alerts]
        lines += [f"**{view.band.value.upper()}**: {_inline(view.message)}", ""]
        if view.quick:
            lines += _warning_signs()
    for number, item in enumerate(view.items, 1):
        exercise = item.exercise
        lines += [
            f"## {number}. {_inline(exercise.name)}",
            "",
            f"*{_inline(words.dose(item))}*",
            "",
            _inline(exercise.purpose),
            "",
        ]
        lines += [f"Start: {_inline(exercise.position)}", ""]
        lines += [
            f"{step_number}. {_inline(step)}" for step_number, step in enumerate(exercise.steps, 1)
        ]
        if exercise.cautions:
            lines += ["", "Cautions:", *[f"- {_inline(caution)}" for caution in exercise.cautions]]
        lines += ["", f"_Why today: {_inline(item.why)}_", ""]
    if explained:
        lines += ["## Why this routine", ""]
        for reason in words.reasons_shown(view):
            lines.append(f"- **{_inline(reason.rule)}**: {_inline(reason.text)}")
            lines += [f"  - read: {_inline(line)}" for line in reason.evidence]
        lines += [
            f"- **left out** {_inline(exercise)}: {_inline(why)} [{rule}]"
            for exercise, why, rule in view.left_out
        ]
        lines.append("")
    return "\n".join(lines)


def _alert(alert: Alert) -> str:
    return f"> **{words.alert_label(alert.level)}**: {_inline(alert.text)}\n"


def _warning_signs() -> list[str]:
    """The warning signs no screen was asked about (the quick routine read no flags)."""
    return [
        "## Warning signs",
        "",
        _bold_head(words.EMERGENCY_SIGNS_ADVICE),
        "",
        *[f"- {_inline(sign)}" for sign in words.emergency_signs()],
        "",
        f"{_bold_head(words.URGENT_SIGNS_ADVICE)} {_inline(words.urgent_list())}.",
        "",
    ]


def _bold_head(advice: str) -> str:
    """'**What to do** if you have any of these:': the action in bold."""
    action, condition, rest = advice.partition(" if you have")
    return f"**{_inline(action)}**{condition}{rest}"
