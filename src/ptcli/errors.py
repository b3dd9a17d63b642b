"""Errors written for the user, each carrying the exit code the CLI reports.

The library raises these; only ``ptcli.cli`` turns them into a line on stderr.
Messages never contain health data beyond what the user typed on the command line.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # a corrupt or unreadable store, an invalid catalogue, I/O
    BAD_INPUT = 2  # bad usage or bad input: nothing was written
    STOPPED_FOR_SAFETY = 3  # an active emergency flag: not an error, the emergency panel
    INTERRUPTED = 130


class PtcliError(Exception):
    """An error whose message is fit to show the user as it is."""

    exit_code = ExitCode.FAILURE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(PtcliError):
    """The user gave a value we cannot accept; nothing was written."""

    exit_code = ExitCode.BAD_INPUT


class StoreError(PtcliError):
    """The store could not be read or written."""


class CatalogueError(PtcliError):
    """The exercise catalogue is missing or invalid."""


class SafetyStop(PtcliError):
    """An active emergency flag stops the command (DOMAIN.md section 1): not an error.

    Raised after whatever the command had to record is saved. The CLI shows the emergency
    panel (the symptoms and what to do) instead of a one-line error.
    """

    exit_code = ExitCode.STOPPED_FOR_SAFETY

    def __init__(self, items: list[str]) -> None:
        super().__init__(f"stopped for safety: {'; '.join(items)}")
        self.items = items  # the active emergency flags' screen items
