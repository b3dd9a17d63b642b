"""ptcli push"""

from typing import Annotated

import typer

from ptcli.cli import workspace


def register(app: typer.Typer) -> None:
    app.command("push")(push)


def push(
    ctx: typer.Context,
    url: Annotated[
        str,
        typer.Argument(
            metavar="URL",
            help="The FHIR server's base URL (https://; http:// only to localhost).",
            show_default=False,
        ),
    ],
    token_env: Annotated[
        str | None,
        typer.Option(
            "--token-env",
            metavar="VAR",
            help="Send the token in this environment variable as 'Authorization: Bearer' "
            "(never printed).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="'last': only what changed since the last successful push to this URL.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be sent, and send nothing.")
    ] = False,
) -> None:
    """Send the records to a clinic's FHIR server as one transaction (safe to repeat)."""
    from ptcli import services
    from ptcli.render.words import visible

    pushed_to, outcome, sent = services.push(workspace(ctx), url, token_env, since, dry_run)
    base = visible(pushed_to)
    if not sent:
        print(f"Nothing changed since the last push to {base}; nothing was sent.")
        return
    resources = f"{sent} resource{'' if sent == 1 else 's'}"
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(outcome.types.items()))
    counts = f"{outcome.created} new, {outcome.updated} updated, {outcome.unchanged} unchanged"
    if dry_run:
        print(
            f"Would send {resources} to {base} ({kinds}): {counts}, by this store's last push "
            "there (dry run: nothing was sent)."
        )
    else:
        print(
            f"Pushed {resources} to {base} ({kinds}): "
            f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged."
        )
