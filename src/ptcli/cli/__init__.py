"""The command line: parse, call a service, render. The one place errors become exit codes.

Start-up time matters here (a patient runs ``ptcli pain log`` several times a day):
command modules import services, storage, the catalogue reader and renderers inside
the command functions, so each command pays only for what it uses.
"""

import importlib
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from ptcli import __version__, interrupted_at_start
from ptcli.errors import BadInput, ExitCode, PtcliError, SafetyStop

# Top-level command -> the module that defines it, in the order --help lists them.
COMMANDS = {
    "init": "profile",
    "today": "routine",
    "routine": "routine",
    "history": "data",
    "export": "data",
    "import": "data",
    "pain": "pain",
    "session": "session",
    "screen": "safety",
    "flag": "safety",
    "plan": "plan",
    "catalogue": "catalogue",
}
GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--catalogue")


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
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,  # plain help: Rich costs start-up time and breaks one-line errors
        pretty_exceptions_enable=False,  # pretty tracebacks show local variables: health data
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_global_options)
    command = _command_name(args)
    modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"ptcli.cli.{name}").register(app)
    return app


def _command_name(args: list[str]) -> str | None:
    """The first word of ``args`` that is not a global option or its value."""
    words = iter(args)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


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


def workspace(ctx: typer.Context) -> Any:
    """The services' Workspace for this invocation (paths resolved, clock read once)."""
    from ptcli.catalogue_file import packaged_path
    from ptcli.folders import user_folder
    from ptcli.services import Workspace

    options = ctx.find_root().obj or {}
    return Workspace(
        db_path=options.get("db") or user_folder("data") / "ptcli.json",
        catalogue_path=options.get("catalogue") or packaged_path(),
        cache_dir=user_folder("cache"),
    )


def emit(
    text: str | Iterable[str] | bytes, output: Path | None = None, store: Path | None = None
) -> None:
    """Data to stdout, or to a private file (mode 0600) written atomically, never over ``store``.

    Text in pieces (a streaming format) goes to stdout piece by piece; bytes (a PDF) as is.
    """
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        elif isinstance(text, str):
            sys.stdout.write(text)
        else:
            sys.stdout.writelines(text)
        return
    from ptcli.fileio import write_atomically

    if store is not None:
        target = os.path.realpath(output)
        real = os.path.realpath(store)
        if target in (real, real + ".bak", real + ".lock"):
            raise BadInput(f"--output {output} is the store itself: choose another file")
    if isinstance(text, bytes):
        data = text
    else:
        data = (text if isinstance(text, str) else "".join(text)).encode()
    try:
        write_atomically(output, data)
    except OSError as error:
        raise PtcliError(f"cannot write {output}: {error.strerror}") from None
    print(f"Wrote {output}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn every failure into one line on stderr and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    command = _command_name(args)
    leading = args[: args.index(command)] if command else args
    debug = "--debug" in leading or os.environ.get("PTCLI_DEBUG") == "1"
    at_start = signal.getsignal(signal.SIGINT)
    ours = at_start is interrupted_at_start  # installed at start-up (ptcli/__init__.py)
    try:
        if ours:  # from here on Ctrl-C is a KeyboardInterrupt, handled below
            signal.signal(signal.SIGINT, signal.default_int_handler)
        unreadable = next((arg for arg in args if not _is_text(arg)), None)
        if unreadable is not None:
            raise BadInput(f"the argument {unreadable!r} is not valid text (UTF-8): type it again")
        result = build_app(args)(args=args, prog_name="ptcli", standalone_mode=False)
        sys.stdout.flush()  # fail here, with a message, rather than at exit
    except SafetyStop as stop:  # not a failure: what was asked is saved, and this is the answer
        from ptcli.cli.safety import show_emergency

        sys.stdout.flush()
        show_emergency(stop.symptoms)
        return stop.exit_code
    except PtcliError as error:
        return _fail(error.message, error.exit_code)
    except typer.TyperException as error:  # click's usage and parameter errors
        context = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
            print(context.get_help())  # `ptcli` or `ptcli pain` alone: the help is the answer
            return ExitCode.OK
        hint = f" (see '{context.command_path} --help')" if context is not None else ""
        return _fail(error.format_message() + hint, getattr(error, "exit_code", ExitCode.FAILURE))
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", ExitCode.INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`ptcli export | head`): nothing to say
        return ExitCode.FAILURE
    except OSError as error:  # writing to stdout failed (a full disk behind a redirect)
        return _fail(f"could not read or write: {error.strerror}", ExitCode.FAILURE)
    except Exception as error:
        if debug:
            raise
        # No message: it could quote stored health data. The type is enough to report a bug.
        return _fail(
            f"unexpected error ({type(error).__name__}); run again with --debug to see the details",
            ExitCode.FAILURE,
        )
    finally:
        if ours:  # Ctrl-C while Python shuts down: the same one line, never a traceback
            signal.signal(signal.SIGINT, at_start)
    if result == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C into this exit code itself
        return _fail("interrupted", ExitCode.INTERRUPTED)
    return result if isinstance(result, int) else ExitCode.OK


def _is_text(arg: str) -> bool:
    """Is ``arg`` text? Bytes that are not UTF-8 reach Python as lone surrogates; a NUL
    cannot be in a real argument (only a caller in this process can pass one)."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in arg


def _fail(message: str, code: int) -> int:
    """One line on stderr: whatever the message quotes (a note, a catalogue's text, an
    argument) is shown with its control characters and newlines made visible."""
    from ptcli.render.words import visible

    print(f"ptcli: {visible(message)}", file=sys.stderr)
    return code
