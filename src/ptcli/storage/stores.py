"""Finding patient stores in a folder, and opening one to read only (``ptcli patients``).

The one place that says what a store looks like from outside: a change of layout (a
store as a folder with a marker, say) changes ``is_store`` and ``open_to_read`` only.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ptcli.storage.file_storage import FORMAT

if TYPE_CHECKING:
    from ptcli.storage.repository import Repository

HEADER = b'{"format":"%s"' % FORMAT.encode()


def is_store(path: Path) -> bool:
    """``path`` is a ptcli store: a regular file whose first line is a ptcli-store header
    (its backup ``.bak`` is one too, and is left out by ``stores_in``)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as file:
            return file.read(len(HEADER)) == HEADER
    except OSError:
        return False


def stores_in(folder: Path) -> list[Path]:
    """The stores directly in ``folder``, by name (backups and snapshots left out)."""
    return sorted(
        path
        for path in folder.iterdir()
        if not path.name.endswith((".bak", ".lock")) and is_store(path)
    )


def open_to_read(path: Path) -> Repository:
    """A store opened for reading only: no lock is taken (a patient writing to it is
    never blocked) and a pending migration is applied to what is read, never saved.
    Callers must not write to it."""
    from ptcli.storage.tinydb_store import open_file_store

    return open_file_store(path)
