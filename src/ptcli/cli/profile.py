"""ptcli init | profile"""

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from ptcli.cli import options, workspace
from ptcli.domain.models import PREFERENCES, SIDES
from ptcli.errors import BadInput

Side = StrEnum("Side", {side: side for side in SIDES})  # type: ignore[misc]
Preference = StrEnum("Preference", {p: p for p in (*PREFERENCES, "none")})  # type: ignore[misc]


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("profile")(profile)


def init(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Patient's name (kept in the store and its exports); empty: asked for.",
            show_default=False,
        ),
    ] = None,
    side: Annotated[
        Side | None,
        typer.Option(
            metavar="SIDE",
            help="The side of the leg pain: left, right or both.",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    pool: Annotated[
        bool | None,
        typer.Option(
            "--pool/--no-pool", help="Has access to a pool (adds hydrotherapy).", show_default=False
        ),
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="How to reach the therapist, printed on every page of a handout "
            "(such as a phone number; '' removes it).",
            show_default=False,
        ),
    ] = None,
    preference: Annotated[
        Preference | None,
        typer.Option(
            metavar="PREFERENCE",
            help="Directional preference found by the therapist: extension, flexion or none "
            "(none: not assessed, "
            "extension is used).",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Create the store, or change the profile: only the options given change."""
    from ptcli import services

    ws = workspace(ctx)
    if name is not None and not name.strip():
        name = _ask_name(ws)  # an empty --name never clears a name by accident
    given = {"name": name, "side": side.value if side else None, "pool": pool}
    changes: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    if contact is not None:
        changes["contact"] = contact.strip() or None
    if preference is not None:
        changes["preference"] = None if preference.value == "none" else preference.value
    if not changes and ws.db_path.exists():
        _show(ws, services.profile(ws))
        print(
            "Nothing changed: give --name, --side, --pool/--no-pool, --preference or "
            "--contact to change the profile."
        )
        return
    profile = services.update_profile(ws, changes)
    from ptcli.render.words import visible

    if not changes:  # a new store, its profile still empty
        print(
            f"Created the store {visible(str(ws.db_path))}. Fill in the profile with --name, "
            "--side, --pool/--no-pool, --preference or --contact."
        )
    else:
        print(
            f"Profile saved in {visible(str(ws.db_path))}: name {visible(profile.name or '-')}, "
            f"side {profile.side or '-'}, "
            f"pool {'yes' if profile.pool else 'no'}, preference {profile.preference or '-'}"
            + (f", contact {visible(profile.contact)}." if profile.contact else ".")
        )
    if profile.side == "both":
        print(
            "Pain or numbness in both legs can be an emergency: "
            "if it is new or getting worse, seek emergency care now."
        )
        if sys.stdin.isatty():  # DOMAIN 1: a profile changed to both legs asks the question
            from ptcli.cli.safety import ask_now

            ask_now(ws, "both-legs")
        else:
            print("Answer the both-legs question with 'ptcli screen' before exercising.")
    print(f"Next: {services.next_step(ws)}")


def _ask_name(ws: Any) -> str | None:
    """``--name ""``: on a terminal ask for the name (Enter keeps it); from a pipe, refuse."""
    if not sys.stdin.isatty():
        raise BadInput(
            '--name is empty: give the name (--name "Sam Patient"), or leave --name out '
            "to keep it; nothing was written"
        )
    from ptcli import services
    from ptcli.cli.terminal import Keys
    from ptcli.render.words import visible

    current = services.profile(ws).name
    keep = f" (Enter: keep {visible(current)})" if current else " (Enter: none)"
    answer = Keys().line(f"Patient's name{keep}: ")
    return answer.strip() if answer and answer.strip() else None


def profile(ctx: typer.Context, json: options.Json = False) -> None:
    """Show the profile: name, side, pool access, directional preference, and the store."""
    from ptcli import services

    ws = workspace(ctx)
    found = services.profile(ws)
    if json:
        import json as json_module

        from ptcli import records

        document = {**records.profile_to_record(found), "store": str(ws.db_path)}
        print(json_module.dumps(document, indent=2, ensure_ascii=False))
        return
    _show(ws, found)
    if found.id is None:
        print("No profile yet: set it with 'ptcli init --name NAME --side left|right|both'.")


def _show(ws: Any, found: Any) -> None:
    from ptcli.render.words import visible

    preference = found.preference or "not assessed (extension is used)"
    print(f"Name:        {visible(found.name) if found.name else '-'}")
    print(f"Side:        {found.side or '-'}")
    print(f"Pool:        {'yes' if found.pool else 'no'}")
    print(f"Preference:  {preference}")
    print(f"Contact:     {visible(found.contact) if found.contact else '-'}")
    print(f"Store:       {visible(str(ws.db_path))}")
