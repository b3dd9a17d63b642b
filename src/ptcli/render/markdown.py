"""A routine as Markdown: printable, pasteable into a message or a notes system."""

from __future__ import annotations

from ptcli.domain.models import Routine
from ptcli.render import words
from ptcli.views import Explained


def render(view: object) -> str:
    explained = isinstance(view, Explained)
    if isinstance(view, Explained):
        view = view.routine
    assert isinstance(view, Routine)
    lines = [
        f"# Routine for {view.date:%A %d %B %Y}",
        "",
        *[f"> **{alert.level.upper()}**: {alert.text}\n" for alert in view.alerts],
        f"**{view.band.value.upper()}**: {view.message}",
        "",
    ]
    for number, item in enumerate(view.items, 1):
        exercise = item.exercise
        lines += [
            f"## {number}. {exercise.name}",
            "",
            f"*{words.dose(item)}*",
            "",
            exercise.purpose,
            "",
        ]
        lines += [f"Start: {exercise.position}", ""]
        lines += [f"{step_number}. {step}" for step_number, step in enumerate(exercise.steps, 1)]
        if exercise.cautions:
            lines += ["", "Cautions:", *[f"- {caution}" for caution in exercise.cautions]]
        lines += ["", f"_Why today: {item.why}_", ""]
    if explained:
        lines += ["## Why this routine", ""]
        for reason in view.reasons:
            lines.append(f"- **{reason.rule}**: {reason.text}")
            lines += [f"  - read: {line}" for line in reason.evidence]
        lines += [f"- **left out** {exercise}: {why}" for exercise, why in view.left_out]
        lines.append("")
    return "\n".join(lines)
