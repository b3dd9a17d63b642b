"""Every test gets its own store, cache and terminal width; nothing touches the user's folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from ptcli.cli import main

ROOT = Path(__file__).resolve().parent.parent

# The suite writes its moments in UTC and ptcli reads days in the machine's zone, as a
# patient's machine would: the zone is pinned, so that the suite checks the same thing on
# a developer's machine in Tokyo as in CI (46 tests failed there). A test of another
# zone sets it with the ``zone`` fixture.
os.environ["TZ"] = "UTC"
time.tzset()


def at_hour(day: date, hour: int) -> str:
    """``day`` at ``hour`` as ``--at`` takes it; today at the latest at this hour's start
    (the suite may run at 1 am, when 7 am is still ahead and would be refused)."""
    if day == date.today():
        hour = min(hour, datetime.now().hour)
    return f"{day.isoformat()} {hour:02d}:00"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PTCLI_DB", str(tmp_path / "data" / "ptcli.json"))
    monkeypatch.delenv("PTCLI_CATALOGUE", raising=False)
    monkeypatch.delenv("PTCLI_DEBUG", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@pytest.fixture
def zone() -> Iterator[Callable[[str], None]]:
    """Set this process's time zone (TZ) as a machine's would be; restored afterwards."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def db(isolated: Path) -> Path:
    return isolated / "data" / "ptcli.json"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ptcli in this process as a user would type it: exit code, stdout and stderr apart."""

    def invoke(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(int(code), captured.out, captured.err)

    return invoke


def start_writer(script: str, path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    """A process running ``script`` (a writer of ``count`` records to the store ``path``,
    ids starting ``prefix``), printing each number once written: a test kills it midway."""
    return subprocess.Popen(
        [sys.executable, "-c", script, str(path), prefix, str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )


def run_process(
    *args: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run ptcli as a real process (for crashes, concurrency and resource limits)."""
    return subprocess.run(
        [sys.executable, "-m", "ptcli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kwargs,
    )
