"""The emergency panel, and the stop when an emergency flag is active (without Typer: the
daily commands' quick path reaches them too)."""

import sys
from typing import Any

from ptcli.errors import SafetyStop


def stop_for_emergency(flags: list[Any]) -> None:
    """Stop for safety (exit 3, the emergency panel) when an emergency flag is active."""
    from ptcli.domain.safety import emergencies

    found = emergencies(flags)
    if found:
        raise SafetyStop([flag.item.id for flag in found])


def remind_of_emergency(ws: Any) -> None:
    """After a fact is logged while an emergency flag is active: the emergency panel again
    (on stderr; the exit code stays 0: what was asked is done)."""
    from ptcli import services
    from ptcli.domain.safety import emergencies

    found = emergencies(services.active_flags(ws))
    if found:
        show_emergency([flag.item.id for flag in found], "EMERGENCY: a flag is still active")


def show_emergency(items: list[str], title: str = "EMERGENCY: stopped for safety") -> None:
    """The emergency panel of ``today``, on stderr so that stdout stays the command's own
    output (``--json`` for a script). On a terminal, the red panel; otherwise the same words,
    a line each, every line starting 'ptcli: ' as all of ptcli's stderr does."""
    from ptcli.cli.terminal import fancy
    from ptcli.render.words import emergency_stop

    if not fancy(sys.stderr):
        lines = [f"{title.replace(': ', ' (', 1)}):" if ": " in title else title]
        paragraphs = emergency_stop(items)
        lines[0] += f" {paragraphs[0]}"
        for paragraph in paragraphs[1:]:
            lines += paragraph.split("\n")
        print("\n".join(f"ptcli: {line}" for line in lines), file=sys.stderr, flush=True)
        return
    from rich.console import Console

    from ptcli.render.table import emergency_panel

    Console(stderr=True, highlight=False).print(emergency_panel(items, title))
