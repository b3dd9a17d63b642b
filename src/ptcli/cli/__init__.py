"""The command line: parse, call a service, render. The one place errors become exit codes.

Start-up time matters here (a patient runs ``ptcli pain log`` several times a day):
this package's ``__init__`` does not import Typer. The daily commands' plain arguments
are read by quick.py, which calls their work (daily.py) directly; everything else
builds the Typer app (app.py). Command modules import services, storage, the catalogue
reader and renderers inside the command functions, so each command pays only for what
it uses.
"""

import io
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from ptcli import interrupted_at_start
from ptcli.errors import BadInput, ExitCode, PtcliError, SafetyStop

GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--catalogue")


def command_name(args: list[str]) -> str | None:
    """The first word of ``args`` that is not a global option or its value."""
    words = iter(args)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


Paths = Mapping[str, Path | None]
"""The global options' values: {"db": --db, "catalogue": --catalogue} (None: not given)."""


def workspace(ctx: Any) -> Any:
    """The services' Workspace for a Typer command's click context (see open_workspace)."""
    return open_workspace(store_paths(ctx))


def store_paths(ctx: Any) -> Paths:
    """The global options' values, from a Typer command's click context."""
    paths: Paths = ctx.find_root().obj or {}
    return paths


def open_workspace(paths: Paths) -> Any:
    """The services' Workspace for this invocation (paths resolved, clock read once)."""
    from ptcli.catalogue_file import packaged_path
    from ptcli.folders import user_folder
    from ptcli.services import Workspace

    for key, variable in (("db", "PTCLI_DB"), ("catalogue", "PTCLI_CATALOGUE")):
        if paths.get(key) is None and os.environ.get(variable) == "":
            raise BadInput(f"{variable} is empty: set it to a file, or unset it for the default")
    return Workspace(
        db_path=given_path(paths.get("db"), "--db") or user_folder("data") / "ptcli.json",
        catalogue_path=given_path(paths.get("catalogue"), "--catalogue") or packaged_path(),
        cache_dir=user_folder("cache"),
    )


def given_path(path: Path | None, option: str) -> Path | None:
    """A path from the command line as a shell would take it: ``~`` expanded, never empty."""
    if path is None:
        return None
    if str(path) == ".":  # click refuses a folder, so "." here was an empty value
        raise BadInput(f"{option} is empty: give a file name")
    return Path(os.path.expanduser(path))


def emit(
    text: str | Iterable[str] | bytes,
    output: Path | None = None,
    store: Path | None = None,
    force: bool = False,
) -> None:
    """Data to stdout, or to ``--output``: a file written atomically (see fileio.write_output).

    Text in pieces (a streaming format) goes to stdout piece by piece; bytes (a PDF, a calendar) as is.
    ``-`` and ``/dev/stdout`` are stdout. Never over ``store``; over another ptcli store,
    its backup or its lock only with ``force``.
    """
    if output is not None and (str(output) == "-" or _is_stdout(output)):
        output = None
    if output is None:
        if isinstance(text, bytes):
            from ptcli.render import EncodedText

            if sys.stdout.isatty() and not isinstance(text, EncodedText):
                raise BadInput("a PDF is not for the terminal: add --output FILE")
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        elif isinstance(text, str):
            sys.stdout.write(text)
        else:
            sys.stdout.writelines(text)
        return
    from ptcli.fileio import write_output

    output = given_path(output, "--output")
    assert output is not None
    _refuse_stores(output, store, force)
    if isinstance(text, bytes):
        data = text
    else:
        data = (text if isinstance(text, str) else "".join(text)).encode()
    try:
        write_output(output, data)
    except IsADirectoryError:
        raise BadInput(f"--output {output} is a folder: give a file name") from None
    except OSError as error:
        raise PtcliError(f"cannot write {output}: {error.strerror}") from None
    from ptcli.render.words import visible

    print(visible(f"Wrote {output}"), file=sys.stderr)


def _is_stdout(output: Path) -> bool:
    return os.path.abspath(output) in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _refuse_stores(output: Path, store: Path | None, force: bool) -> None:
    """The current store is never an output; another store, its backup or lock, only forced."""
    target = os.path.realpath(output)
    if store is not None:
        real = os.path.realpath(store)
        backup = os.path.realpath(f"{store}.bak")  # beside the name given, a symlink's too
        inside = target.startswith(real + ".parts" + os.sep)  # one of its months' files
        if inside or target in (real, real + ".bak", real + ".lock", backup):
            raise BadInput(f"--output {output} is the store itself: choose another file")
    if force:
        return
    for suffix in ("", ".bak", ".lock"):
        if target.endswith(suffix) and _is_store(target[: len(target) - len(suffix)]):
            kind = {"": "a ptcli store", ".bak": "a store's backup", ".lock": "a store's lock"}
            raise PtcliError(
                f"--output {output} is {kind[suffix]}: choose another file, "
                "or add --force to replace it"
            )


def _is_store(path: str) -> bool:
    """``path`` is a regular file that starts with a ptcli store header."""
    import stat

    from ptcli.storage.file_storage import FORMAT

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as file:
            return file.read(64).startswith(b'{"format":"%s"' % FORMAT.encode())
    except OSError:
        return False


class _CheckedStdout(io.RawIOBase):
    """Standard output that reports every failed write: Python's buffer can drop a short one.

    A file past ``ulimit -f`` takes part of a write and refuses the rest; the buffered
    writer then loses the error and the command would exit 0 with a truncated export.
    Here a write writes all or raises, once: after a failure the rest is discarded, so
    the interpreter's last flush at exit cannot print a second message.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._failed:
            return size
        try:
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError:
            self._failed = True
            raise
        return size


def check_stdout() -> None:
    """Make every write to the real standard output checked (see _CheckedStdout)."""
    out = sys.stdout
    if out is not sys.__stdout__ or not isinstance(out, io.TextIOWrapper):
        return  # already replaced (tests capture it): leave it alone
    try:
        fd = out.fileno()
    except (OSError, ValueError):
        return
    out.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_CheckedStdout(fd)),
        encoding=out.encoding,
        errors=out.errors,
        line_buffering=out.line_buffering,
        write_through=out.write_through,
    )
    import atexit

    atexit.register(_last_flush)


def _last_flush() -> None:
    """What was printed after main's own flush (help text, say) is checked too, at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader went away: quiet, as Unix tools are (the rest is discarded)
    except OSError as error:
        print(f"ptcli: could not read or write: {error.strerror}", file=sys.stderr, flush=True)
        os._exit(ExitCode.FAILURE)


def _refuse_unreadable(args: list[str]) -> None:
    """An argument that is not valid text (bytes that are not UTF-8, a NUL) is refused
    before anything runs, naming the option it was given to."""
    for index, arg in enumerate(args):
        if _is_text(arg):
            continue
        option, _, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
        if not option and index and args[index - 1].startswith("-"):
            option = args[index - 1]
        where = f"{option}: " if option and _is_text(option) else ""
        raise BadInput(f"{where}{value!r} is not valid text (UTF-8): type it again")


def run() -> NoReturn:
    """The ``ptcli`` program: ``main``, then the end of the process without Python's
    teardown (freeing every module and object: about 10 ms of a daily command). Nothing
    is lost: every store write is fsynced before it returns, and output is flushed here."""
    code = main()
    _last_flush()
    if not sys.stderr.closed:  # closed after a broken pipe
        sys.stderr.flush()
    os._exit(code)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C while a command runs: a KeyboardInterrupt, which ``main`` answers in one line.

    Except inside an import (commands import lazily): there Python may raise it in a
    callback that prints "Exception ignored ... Traceback" and goes on, so the process
    ends at once instead. Nothing acknowledged is lost: every write is atomic and every
    answer of the screen is saved as it is given."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            interrupted_at_start(signum, frame)
        frame = frame.f_back
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and turn every failure into one line on stderr and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    command = command_name(args)
    leading = args[: args.index(command)] if command else args
    debug = "--debug" in leading or os.environ.get("PTCLI_DEBUG") == "1"
    check_stdout()  # stdout is flushed and checked after the command below
    at_start = signal.getsignal(signal.SIGINT)
    ours = at_start is interrupted_at_start  # installed at start-up (ptcli/__init__.py)
    action: Callable[[], object] | None = None
    try:
        if ours:  # from here on Ctrl-C is a KeyboardInterrupt (but in imports), handled below
            signal.signal(signal.SIGINT, _interrupt)
        _refuse_unreadable(args)
        from ptcli.cli.quick import quick_action

        action = quick_action(args)
        if action is not None:  # a daily command's plain arguments: no Typer (quick.py)
            result = action()
        else:
            from ptcli.cli.app import build_app

            result = build_app(args)(args=args, prog_name="ptcli", standalone_mode=False)
        sys.stdout.flush()  # fail here, with a message, rather than at exit
    except SafetyStop as stop:  # not a failure: what was asked is saved, and this is the answer
        from ptcli.cli.emergency import show_emergency

        sys.stdout.flush()
        show_emergency(stop.items)
        return stop.exit_code
    except PtcliError as error:
        return fail(error.message, error.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted", ExitCode.INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`ptcli export | head`): nothing to say
        return ExitCode.FAILURE
    except OSError as error:  # writing to stdout failed (a full disk behind a redirect)
        return fail(f"could not read or write: {error.strerror}", ExitCode.FAILURE)
    except Exception as error:
        if action is None:  # Typer ran (or was to): its usage errors, Abort
            from ptcli.cli.app import typer_failure

            answered = typer_failure(error)
            if answered is not None:
                return answered
        if debug:
            raise
        # No message: it could quote stored health data. The type is enough to report a bug.
        return fail(
            f"unexpected error ({type(error).__name__}); run again with --debug to see the details",
            ExitCode.FAILURE,
        )
    finally:
        if ours:  # Ctrl-C while Python shuts down: the same one line, never a traceback
            signal.signal(signal.SIGINT, at_start)
    if result == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C into this exit code itself
        return fail("interrupted", ExitCode.INTERRUPTED)
    return result if isinstance(result, int) else ExitCode.OK


def _is_text(arg: str) -> bool:
    """Is ``arg`` text? Bytes that are not UTF-8 reach Python as lone surrogates; a NUL
    cannot be in a real argument (only a caller in this process can pass one)."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in arg


def fail(message: str, code: int) -> int:
    """One line on stderr: whatever the message quotes (a note, a catalogue's text, an
    argument) is shown with its control characters and newlines made visible."""
    from ptcli.render.words import visible

    print(f"ptcli: {visible(message)}", file=sys.stderr)
    return code
