"""Private, crash-safe file writes: the one place ptcli replaces a file on disk."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

TEMP_MARK = ".tmp-"


def write_atomically(path: Path, data: bytes, *, keep_previous: Path | None = None) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    The data goes to a temporary file (mode 0600) in the same folder, is flushed and
    fsynced, then renamed over the target, and the folder is fsynced so the rename
    itself survives a power cut. With ``keep_previous`` the old file is kept under
    that name (a hard link: no copy). On failure the temporary file is removed and
    the target is untouched; the OSError propagates.
    """
    folder = path.parent
    temp = folder / f".{path.name}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep_previous is not None and path.exists():
            _keep_previous(path, keep_previous, temp.with_name(temp.name + "-bak"))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def remove_stale_temps(path: Path) -> None:
    """Remove temporary files left by writers of ``path`` that died mid-write.

    Only call this while holding the writer's lock: then no live writer owns one.
    """
    prefix = f".{path.name}{TEMP_MARK}"
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if entry.name.startswith(prefix):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) readable by the owner only, if it is missing."""
    os.makedirs(folder, mode=0o700, exist_ok=True)


def _keep_previous(path: Path, backup: Path, link: Path) -> None:
    try:
        os.link(path, link)
        os.replace(link, backup)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(link)  # file systems without hard links simply get no backup


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
