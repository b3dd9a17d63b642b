"""The therapist's plan: pinned exercises and doses, folded from its history of changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ptcli.domain.models import PlanChange


def current(changes: Iterable[PlanChange], until: datetime | None = None) -> dict[str, PlanChange]:
    """The pins in force at ``until`` (default: now), by exercise id, in the order they were set."""
    pins: dict[str, PlanChange] = {}
    for change in sorted(changes, key=lambda c: (c.at, c.id)):
        if until is not None and change.at > until:
            break
        if change.action == "clear":
            pins.clear()
        elif change.action == "drop" and change.exercise is not None:
            pins.pop(change.exercise, None)
        elif change.exercise is not None:
            pins.pop(change.exercise, None)
            pins[change.exercise] = change
    return pins
