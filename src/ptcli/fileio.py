"""Private, crash-safe file writes: the one place ptcli replaces a file on disk."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path

TEMP_MARK = ".tmp-"
PRIVATE = 0o600
STALE_AFTER_S = 60.0  # a temporary file older than this is a leftover: writes take well under it
_TEMP_NAME = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"(\d+)-[0-9a-f]{8}(-bak)?")
# Names that stand for an open descriptor of this process: written to, never replaced.
_DESCRIPTOR = re.compile(r"/dev/(?:std(in|out|err)|fd/(\d+))|/proc/self/fd/(\d+)")


def write_atomically(
    path: Path, data: bytes, *, keep_previous: Path | None = None, mode: int = PRIVATE
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    The data goes to a temporary file (mode 0600) in the same folder, is flushed and
    fsynced, then renamed over the target, and the folder is fsynced so the rename
    itself survives a power cut. With ``keep_previous`` the old file is kept under
    that name (a hard link: no copy). On failure the temporary file is removed and
    the target is untouched; the OSError propagates.
    """
    folder = path.parent
    temp = folder / f".{path.name}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    write_new(temp, data, mode)
    try:
        if keep_previous is not None and path.exists():
            _keep_previous(path, keep_previous, temp.with_name(temp.name + "-bak"))
        os.replace(temp, path)
        if keep_previous is not None:
            with contextlib.suppress(OSError):
                os.chmod(keep_previous, PRIVATE)  # the old file may have had a wider mode
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def write_new(path: Path, data: bytes, mode: int = PRIVATE) -> None:
    """Write ``data`` to ``path``, a file that must not exist yet, with exactly ``mode``,
    and fsync it (its folder is the caller's to fsync). On failure the file is removed
    and the OSError propagates."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE)
    try:
        try:
            with contextlib.suppress(OSError):  # some file systems have no modes
                os.fchmod(fd, mode)  # exactly this mode, whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


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
    """Create ``folder`` and any missing parents, each mode 0700 whatever the umask."""
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(level, 0o700)
            os.chmod(level, 0o700)  # mkdir's mode passes through the umask


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` where ``--output`` points, without destroying what is there.

    A regular file (or a symlink to one, followed) is replaced atomically: a new one
    is 0600, an existing one keeps its mode. A name for one of this process's own
    descriptors (``/dev/stdout``) writes to that descriptor; any other file that is
    not a regular one (a device, a FIFO, a socket) is written through, never
    replaced. Leftover temporary files of killed writers in the folder are removed
    first. OSError propagates; IsADirectoryError for a folder.
    """
    name = os.path.abspath(path)
    own = _DESCRIPTOR.fullmatch(name)
    if own:
        number = {"in": 0, "out": 1, "err": 2}.get(own.group(1) or "")
        _write_all(number if number is not None else int(own.group(2) or own.group(3)), data)
        return
    real = Path(os.path.realpath(name))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, os.strerror(21), str(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_through(real, info, data)
        return
    remove_abandoned_temps(real.parent)
    write_atomically(real, data, mode=stat.S_IMODE(info.st_mode) if info else PRIVATE)
    if info is not None and os.geteuid() == 0 and (info.st_uid, info.st_gid) != (0, 0):
        with contextlib.suppress(OSError):
            os.chown(real, info.st_uid, info.st_gid)  # root writing a user's file keeps it theirs


def remove_abandoned_temps(folder: Path) -> None:
    """Remove temporary files in ``folder`` whose writer died or that are over a minute old."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMP_NAME.fullmatch(entry.name)
            if not match:
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and (
                    now - info.st_mtime > STALE_AFTER_S or not _alive(int(match.group(1)))
                ):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process
    except (ProcessLookupError, OverflowError):
        return False
    return True


def _write_through(path: Path, info: os.stat_result, data: bytes) -> None:
    if stat.S_ISSOCK(info.st_mode):
        import socket

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(path))
            sock.sendall(data)
        return
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    if fd in (1, 2):
        import sys

        (sys.stdout if fd == 1 else sys.stderr).flush()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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
