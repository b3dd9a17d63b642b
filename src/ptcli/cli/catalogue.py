"""ptcli catalogue list | show | check"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ptcli.cli import emit, options, workspace
from ptcli.domain.models import CATEGORIES
from ptcli.errors import CatalogueError

group = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="catalogue", help="Browse and check the exercise catalogue.")


Category = StrEnum("Category", {name: name for name in CATEGORIES})  # type: ignore[misc]


@group.command("list")
def list_(
    ctx: typer.Context,
    category: Annotated[
        Category | None,
        typer.Option(
            metavar="CATEGORY",
            help=f"Only this category: {', '.join(Category)}.",
            show_default=False,
        ),
    ] = None,
    json: options.Json = False,
) -> None:
    """List the exercises, in the catalogue's order."""
    from ptcli import services
    from ptcli.render import render

    emit(
        render(
            "json" if json else "table",
            services.exercises(workspace(ctx), category.value if category else None),
        )
    )


@group.command("show")
def show(
    ctx: typer.Context,
    exercise: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=options.EXERCISE_HELP,
            autocompletion=options.complete_exercise,
            show_default=False,
        ),
    ],
    json: options.Json = False,
) -> None:
    """Show one exercise: position, steps, dose and cautions."""
    from ptcli.render import render

    emit(render("json" if json else "table", workspace(ctx).exercise(exercise)))


@group.command("check")
def check(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]", help="Catalogue file (default: the one in use).", show_default=False
        ),
    ] = None,
    json: options.Json = False,
) -> None:
    """Validate a catalogue and list every problem (exit 1 when there is any)."""
    from ptcli import services

    target = path or workspace(ctx).catalogue_path
    catalogue, problems = services.check_catalogue(target)
    if json:
        import json as json_module

        found = [problem._asdict() for problem in problems]
        document = {"file": str(target), "exercises": len(catalogue), "problems": found}
        print(json_module.dumps(document, indent=2, ensure_ascii=False))
    else:
        from ptcli.render.words import visible  # a problem quotes the file's own text

        for problem in problems:
            print(visible(str(problem)))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {target}"
        if not json:
            print(visible(f"{count}."))
        # The list is the output (stdout); stderr still says in one line why the exit is 1.
        first = problems[0]
        where = f"line {first.line}: " if first.line else ""
        subject = ".".join(part for part in (first.entry, first.field) if part)
        more = f" (and {len(problems) - 1} more: see the list)" if len(problems) > 1 else ""
        raise CatalogueError(
            f"{count}: {where}{subject + ': ' if subject else ''}{first.message}{more}"
        )
    if not json:
        from ptcli.render.words import visible

        print(visible(f"{target}: {len(catalogue)} exercises, no problems."))
