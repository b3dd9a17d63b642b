"""The therapist's overview of a folder of patient stores (``ptcli patients``).

Each store is opened to read only (``storage.stores``) and read as ``today`` reads it:
the routine the engine builds for today says whether a flag is active, whether pain is
spreading or flaring and today's band (one place decides: the gate and the engine).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ptcli.domain.models import Band, MeasureEntry, PainEntry, SessionEntry
from ptcli.domain.when import local_day
from ptcli.errors import PtcliError
from ptcli.services import Workspace, patient_log

if TYPE_CHECKING:
    from ptcli.domain.catalogue import Catalogue

SILENT_DAYS = 5  # † no pain entry or session for 5 days: the therapist should ask why
WEEK = 7
LAST_LOG_DAYS = 92  # how far back the last entry is looked for before reading everything
# Who needs the therapist first (lowest first); then by name.
ATTENTION = ("emergency flag", "urgent flag", "spreading", "flare", "silent")


class PatientLine(NamedTuple):
    path: Path
    name: str
    attention: tuple[str, ...]  # what needs the therapist, most urgent first (ATTENTION)
    last_log: datetime | None
    flags: tuple[str, ...]  # active flags' items
    # The band of the pain that set the day (gate.todays_pain) a week ago and today; None
    # without one. The pain's own band: today's routine may be gentler (an urgent flag).
    band_week_ago: Band | None
    band_today: Band | None
    days_exercised: int  # days with a session in the last 7 (today included)
    last_measure: str | None  # 'ODI 40 % on 2026-11-20'
    damaged: str | None = None  # why the store could not be read (then nothing else is known)

    @property
    def rank(self) -> int:
        if self.damaged:
            return len(ATTENTION)  # a broken file is looked at after the patients at risk
        first = self.attention[0].split(" (")[0] if self.attention else None
        return ATTENTION.index(first) if first in ATTENTION else len(ATTENTION) + 1


def overview(folder: Path, catalogue: Catalogue, now: datetime) -> list[PatientLine]:
    """A line for each store in ``folder``, who needs attention first."""
    from ptcli.storage.stores import stores_in

    paths = stores_in(folder)
    lines = _in_parallel(paths, catalogue, now) if len(paths) >= PARALLEL_FROM else None
    if lines is None:
        lines = [_line(path, catalogue, now) for path in paths]
    return sorted(lines, key=lambda line: (line.rank, line.name.casefold(), str(line.path)))


PARALLEL_FROM = 20  # † stores: from this many, they are read by a process per CPU
_SHARED: dict[str, object] = {}  # what forked workers inherit (the catalogue, the moment)


def _in_parallel(
    paths: list[Path], catalogue: Catalogue, now: datetime
) -> list[PatientLine] | None:
    """Every store's line, read by a process per CPU (stores are independent; the engine's
    work for each is what ``today`` does). None where processes cannot be forked."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _SHARED.update(catalogue=catalogue, now=now)
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(paths) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_forked_line, paths, chunksize=chunk))


def _forked_line(path: Path) -> PatientLine:
    return _line(path, _SHARED["catalogue"], _SHARED["now"])  # type: ignore[arg-type]


class _Reader(Workspace):
    """A workspace over one patient's store, opened to read only, sharing one catalogue."""

    def __init__(self, path: Path, catalogue: Catalogue, now: datetime) -> None:
        super().__init__(path, Path())
        from ptcli.storage.stores import open_to_read

        self.now = now
        self.__dict__["catalogue"] = catalogue  # the cached_property, loaded once for all
        self.__dict__["store"] = open_to_read(path)


def _line(path: Path, catalogue: Catalogue, now: datetime) -> PatientLine:
    try:
        return _read(_Reader(path, catalogue, now))
    except PtcliError as error:
        return PatientLine(path, path.name, (), None, (), None, None, 0, None, error.message)
    except (OSError, ValueError, RecursionError) as error:
        detail = f"cannot be read ({type(error).__name__})"
        return PatientLine(path, path.name, (), None, (), None, None, 0, None, detail)


def _read(ws: _Reader) -> PatientLine:
    from ptcli.domain import engine, gate

    today = ws.now.date()
    log = patient_log(ws, today)
    routine = engine.build_routine(ws.catalogue, log, today)  # as services.routine_for
    week_ago = today - timedelta(days=WEEK)
    then = gate.todays_pain(log.pain, week_ago)
    flags = tuple(alert.item for alert in routine.alerts if alert.level in ("emergency", "urgent"))
    recent = [e.at for e in log.pain] + [e.at for e in log.sessions]  # the engine's 2 weeks
    last = max(recent) if recent else _last_log(ws)
    rules = {reason.rule for reason in routine.reasons}
    attention = [
        *(f"emergency flag ({a.item})" for a in routine.alerts if a.level == "emergency"),
        *(f"urgent flag ({a.item})" for a in routine.alerts if a.level == "urgent"),
        *(["spreading"] if rules & {"spreading-mornings", "peripheralization"} else []),
        *(["flare"] if "morning-flare" in rules else []),
    ]
    if last is None or (today - local_day(last)).days >= SILENT_DAYS:
        silent = "never logged" if last is None else f"{(today - local_day(last)).days} days"
        attention.append(f"silent ({silent})")
    exercised = {
        local_day(s.at)
        for s in log.sessions
        if today - timedelta(days=WEEK - 1) <= local_day(s.at) <= today
    }
    return PatientLine(
        path=ws.db_path,
        name=ws.store.profile().name or ws.db_path.name,
        attention=tuple(attention),
        last_log=last,
        flags=flags,
        band_week_ago=Band.for_score(then.score) if then is not None else None,
        band_today=Band.for_score(routine.pain.score) if routine.pain is not None else None,
        days_exercised=len(exercised),
        last_measure=_last_measure(ws),
    )


def _last_log(ws: Workspace) -> datetime | None:
    """The latest pain entry or session, for a patient silent for two weeks (the last
    three months first: a year is read only for one silent longer)."""
    end = ws.now + timedelta(days=1)
    for since in (ws.now - timedelta(days=LAST_LOG_DAYS), None):
        pain, sessions = ws.select(PainEntry, since, end), ws.select(SessionEntry, since, end)
        found = [entries[-1].at for entries in (pain, sessions) if entries]
        if found:
            return max(found)
    return None


def _last_measure(ws: Workspace) -> str | None:
    from ptcli.domain import measures

    rows = measures.history(ws.select(MeasureEntry))
    if not rows:
        return None
    row = rows[-1]
    unit = measures.MEASURES[row.measure].unit
    shown = f"{row.measure.upper()} {measures.number(row.score)}{' %' if unit == '%' else unit}"
    if row.change is not None and row.change.meaningful:
        shown += " (meaningful " + ("improvement" if row.change.better else "worsening") + ")"
    return f"{shown} on {local_day(row.at):%Y-%m-%d}"


def band_trend(line: PatientLine) -> str:
    """'amber > green' (a week ago, today), 'green' (unchanged), or what is known."""
    then, now = line.band_week_ago, line.band_today
    if now is None:
        return f"{then.value} a week ago, none today" if then else "none logged lately"
    if then is None or then is now:
        return now.value
    return f"{then.value} > {now.value}"


def day_words(moment: datetime | None, today: date) -> str:
    if moment is None:
        return "never"
    days = (today - local_day(moment)).days
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
