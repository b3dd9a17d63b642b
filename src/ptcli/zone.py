"""The machine's time zone by its IANA name (``Europe/Paris``): what a calendar needs to
say which zone its times are in, so another zone shows them at the right hour.

Read where the C library reads it: ``TZ`` when set (``:Europe/Paris``, a path into a
zoneinfo folder, or a name), else ``/etc/localtime`` (a link into the zoneinfo folder),
else ``/etc/timezone`` (Debian's copy of the name). A name is kept only if Python's
time zone database knows it and it gives the machine's current UTC offset, so a name
that does not match the clock is never written into a file. None when there is no such
name (a POSIX ``TZ`` rule like ``CET-1CEST``, Windows): the caller falls back to UTC.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")


def machine_zone() -> str | None:
    """The IANA name of the machine's time zone, or None if it has none that can be trusted."""
    given = os.environ.get("TZ")
    if given is not None:
        name = _from_path(given.removeprefix(":"))
    else:
        name = _from_path(os.path.realpath(LOCALTIME)) if LOCALTIME.is_symlink() else None
        if name is None:
            try:
                name = TIMEZONE_FILE.read_text(encoding="utf-8").strip() or None
            except (OSError, UnicodeDecodeError):
                name = None
    return name if name is not None and _matches_clock(name) else None


def _from_path(value: str) -> str | None:
    """``Europe/Paris`` from itself or from ``/usr/share/zoneinfo/Europe/Paris``."""
    if value.startswith("/"):
        parts = Path(value).parts
        if "zoneinfo" not in parts:
            return None
        value = "/".join(parts[len(parts) - parts[::-1].index("zoneinfo") :])
    return value or None


def _matches_clock(name: str) -> bool:
    """``name`` is in the time zone database and gives the clock's UTC offset now."""
    from zoneinfo import ZoneInfo

    try:
        zone = ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    now = datetime.now().astimezone()
    return now.astimezone(zone).utcoffset() == now.utcoffset()
