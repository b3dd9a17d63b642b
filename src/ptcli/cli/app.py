"""The Typer app: every command's definition and its help, built for one invocation.

Typer's start-up (importing it and click: about 55 ms) is paid here only; the daily
commands usually skip it (see quick.py), and this module answers the rest.
"""

import importlib
from pathlib import Path
from typing import Annotated, Any

import typer

from ptcli import __version__
from ptcli.cli import GLOBAL_OPTIONS_WITH_VALUE, command_name, fail
from ptcli.errors import ExitCode

COMMANDS = {
    "init": "profile",
    "profile": "profile",
    "today": "routine",
    "routine": "routine",
    "history": "data",
    "appointment": "appointment",
    "learn": "learn",
    "progress": "progress",
    "export": "data",
    "import": "data",
    "push": "push",
    "pain": "pain",
    "session": "session",
    "screen": "safety",
    "flag": "safety",
    "plan": "plan",
    "report": "progress",
    "measure": "measure",
    "patients": "patients",
    "catalogue": "catalogue",
    "delete": "corrections",
    "undo": "corrections",
    "db": "db",
    "assess": "assess",
}
GROUPS = (
    "pain",
    "session",
    "flag",
    "plan",
    "catalogue",
    "appointment",
    "measure",
)  # alone, they show their help
GLOBAL_OPTIONS = (*GLOBAL_OPTIONS_WITH_VALUE, "--debug", "--version")
# The top help lists the commands by what they are for, each in a few words.
HELP_GROUPS = {
    "Start": {
        "init": "Create the store, or change the profile.",
        "profile": "Show the profile.",
    },
    "Daily": {
        "today": "Today's exercises, in plain words.",
        "pain": "Log and list your pain.",
        "session": "Log an exercise, or do today's routine guided.",
        "history": "Pain and sessions together, oldest first.",
        "appointment": "Book, list and mark your appointments.",
        "learn": "Short lessons in plain words.",
        "assess": "Test which movement eases your pain.",
        "progress": "Is it working? Pain, extent, exercise done: charts.",
        "measure": "Outcome measures: PSFS, PEG, ODI, RMDQ.",
    },
    "Safety": {
        "screen": "Answer the safety questions.",
        "flag": "List and clear safety flags.",
    },
    "Therapist": {
        "plan": "Pin exercises and doses; their history.",
        "routine": "The routine for a day or a stated pain; print it.",
        "report": "A one-page report of the last weeks (HTML, PDF).",
        "catalogue": "Browse and check the exercise catalogue.",
        "patients": "Every patient in a folder of stores, who needs you first.",
    },
    "Data": {
        "export": "Export the store: JSON, CSV, FHIR, calendar.",
        "import": "Merge an export into the store.",
        "push": "Send the records to a clinic's FHIR server.",
    },
    "Mistakes": {
        "delete": "Mark a record as entered in error.",
        "undo": "Take back the last change.",
        "db": "Check the store; its snapshots; restore one.",
    },
}
TOP_EXAMPLES = """\b
Examples:
  ptcli pain log 4 --where thigh
  ptcli today
  ptcli session start
  ptcli COMMAND --help"""


class _GroupedHelp(typer.core.TyperGroup):
    """Help that lists the commands in HELP_GROUPS' groups (plain text, no Rich)."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        grouped = {name for names in HELP_GROUPS.values() for name in names}
        others = {n: c.get_short_help_str() for n, c in self.commands.items() if n not in grouped}
        width = max(map(len, self.commands), default=0)  # one column across the groups
        for title, names in {**HELP_GROUPS, "Other": others}.items():
            rows = [(n.ljust(width), short) for n, short in names.items() if n in self.commands]
            if rows:
                with formatter.section(f"{title} commands"):
                    formatter.write_dl(rows)


def build_app(args: list[str]) -> typer.Typer:
    """The app with the commands ``args`` can reach: only the invoked one when it is known.

    Typer turns every registered function signature into a click command at each start,
    which costs about a millisecond per command; loading just the invoked command's
    module (click's "lazy subcommands" idea) keeps daily commands quick. Help, and
    anything unrecognised, get every command.
    """
    app = typer.Typer(
        name="ptcli",
        help="Home exercise programme tracker for sciatica: log pain and exercise, get today's routine.",
        epilog=TOP_EXAMPLES,
        cls=_GroupedHelp,
        no_args_is_help=True,
        add_completion=True,  # --install-completion: about 0.4 ms a command (README, Speed)
        rich_markup_mode=None,  # plain help: Rich costs start-up time and breaks one-line errors
        pretty_exceptions_enable=False,  # pretty tracebacks show local variables: health data
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_global_options)
    command = command_name(args)
    modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"ptcli.cli.{name}").register(app)
    if (
        "-h" in args
        or "--help" in args
        or command is None
        or (command in GROUPS and args[-1] == command)
    ):
        _add_examples(app, "")  # a help will be shown
        _help_ranges_in_words()
    return app


def _add_examples(app: typer.Typer, path: str) -> None:
    """Each command's examples (cli/examples.py) as its help's epilog."""
    from ptcli.cli.examples import epilog

    for info in app.registered_commands:
        info.epilog = info.epilog or epilog(f"{path}{info.name}")
    for group in app.registered_groups:
        if group.typer_instance is not None and group.name:
            _add_examples(group.typer_instance, f"{path}{group.name} ")


def _version(value: bool) -> None:
    if value:
        print(f"ptcli {__version__}")
        raise typer.Exit()


def _global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="PTCLI_DB",
            metavar="FILE",
            help="Store file (one per patient). Default: ptcli.json in the user data folder.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    catalogue: Annotated[
        Path | None,
        typer.Option(
            "--catalogue",
            envvar="PTCLI_CATALOGUE",
            metavar="FILE",
            help="Exercise catalogue (YAML). Default: the exercises.yaml shipped with ptcli.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = {"db": db, "catalogue": catalogue}


def typer_failure(error: Exception) -> int | None:
    """Typer's and click's own exceptions as an answer: a usage error in one line, a help
    for a command given alone, Abort as an interruption (None: not one of theirs)."""
    if isinstance(error, typer.Abort):
        return fail("interrupted", ExitCode.INTERRUPTED)
    if not isinstance(error, typer.TyperException):  # click's usage and parameter errors
        return None
    context = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
        print(context.get_help())  # `ptcli` or `ptcli pain` alone: the help is the answer
        return ExitCode.OK
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    message = _in_words(error) or error.format_message() + hint
    return fail(message, getattr(error, "exit_code", ExitCode.FAILURE))


def _in_words(error: Exception) -> str | None:
    """Click's terse messages a person may meet, said in words (None: its own is fine).

    A global option after the command: where it goes. A number out of its range: the
    range ("--sets must be 1 or more"), not click's ``x>=1``.
    """
    option = getattr(error, "option_name", None)
    if type(error).__name__ == "NoSuchOption" and option in GLOBAL_OPTIONS:
        return f"{option} goes before the command: ptcli {option}{' FILE' if option in GLOBAL_OPTIONS_WITH_VALUE else ''} COMMAND ..."
    param = getattr(error, "param", None)
    kind = getattr(param, "type", None)
    if type(error).__name__ != "BadParameter" or type(kind).__name__ not in (
        "IntRange",
        "FloatRange",
    ):
        return None
    allowed = range_words(getattr(kind, "min", None), getattr(kind, "max", None))
    opts = getattr(param, "opts", None) or [getattr(param, "name", "the value")]
    return f"{max(opts, key=len)} must be {allowed}" if allowed else None


def range_words(low: float | None, high: float | None) -> str:
    """'1 or more', 'from 1 to 12', '10 or less' ('' for no limit)."""
    if low is not None and high is not None:
        return f"from {low} to {high}"
    if low is not None:
        return f"{low} or more"
    return f"{high} or less" if high is not None else ""


def _help_ranges_in_words() -> None:
    """Help shows an option's range as '[1 or more]', not click's '[x>=1]' (only when a
    help is shown: the range check itself is click's, and its error is _in_words')."""
    from typer._click import types

    ranges = getattr(types, "_NumberRangeBase", None)
    if ranges is not None:
        ranges._describe_range = lambda self: range_words(self.min, self.max)
