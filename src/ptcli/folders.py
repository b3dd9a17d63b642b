"""The user's data and cache folders for ptcli.

On Linux these follow the XDG base directory spec, computed here because importing
platformdirs costs a third of an interpreter start-up, which a daily command cannot
spare; elsewhere platformdirs knows the conventions.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_XDG = {"data": ("XDG_DATA_HOME", ".local/share"), "cache": ("XDG_CACHE_HOME", ".cache")}


def user_folder(kind: str) -> Path:
    """The ``data`` or ``cache`` folder of ptcli for this user."""
    if sys.platform.startswith("linux"):
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "")
        return (Path(base) if os.path.isabs(base) else Path.home() / fallback) / "ptcli"
    import platformdirs

    return (
        platformdirs.user_data_path("ptcli")
        if kind == "data"
        else platformdirs.user_cache_path("ptcli")
    )
