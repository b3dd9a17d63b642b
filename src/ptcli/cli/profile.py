"""ptcli init"""

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from ptcli.cli import workspace
from ptcli.domain.models import PREFERENCES, SIDES

Side = StrEnum("Side", {side: side for side in SIDES})  # type: ignore[misc]
Preference = StrEnum("Preference", {p: p for p in (*PREFERENCES, "none")})  # type: ignore[misc]


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Option(
            help="Patient's name (kept in the store and its exports).", show_default=False
        ),
    ] = None,
    side: Annotated[
        Side | None, typer.Option(help="The side of the leg pain.", show_default=False)
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
            help="Directional preference found by the therapist (none: not assessed, "
            "extension is used).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create the store, or change the profile: only the options given change."""
    from ptcli import services

    ws = workspace(ctx)
    given = {"name": name, "side": side.value if side else None, "pool": pool}
    changes: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    if contact is not None:
        changes["contact"] = contact.strip() or None
    if preference is not None:
        changes["preference"] = None if preference.value == "none" else preference.value
    profile = services.update_profile(ws, changes)
    from ptcli.render.words import visible

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
