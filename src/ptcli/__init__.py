"""ptcli: a home exercise programme tracker for sciatica."""

# The C module: ``signal`` imports enum, and Ctrl-C could land in that import.
import _signal  # type: ignore[import-not-found]
import os
import sys

__version__ = "0.1.0"


def interrupted_at_start(signum: int, frame: object) -> None:
    """Ctrl-C before ``ptcli.cli.main`` is ready for it: one line and exit code 130."""
    os.write(2, b"ptcli: interrupted\n")
    os._exit(130)


# Run as a program (``python -m ptcli``: argv[0] is "-m" while the package is found; the
# ``ptcli`` script), this is the first ptcli code to run: the imports that follow take most
# of start-up, and Ctrl-C in one of them would end in a traceback. main() takes Ctrl-C back.
if (sys.argv[:1] == ["-m"] or os.path.basename(sys.argv[0] if sys.argv else "") == "ptcli") and (
    _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
):
    _signal.signal(_signal.SIGINT, interrupted_at_start)
