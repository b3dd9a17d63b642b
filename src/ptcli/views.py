"""The plain values the services return and the renderers show (and the CLI's inputs).

No ``from __future__ import annotations`` here: typing.NamedTuple turns every string
annotation into a ForwardRef, which costs about a millisecond per class at start-up.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from ptcli.domain.models import (
    Appointment,
    Clearance,
    Correction,
    Exercise,
    Extent,
    PainEntry,
    PlanChange,
    Profile,
    Reason,
    Routine,
    RoutineItem,
    Screen,
    SessionEntry,
)
from ptcli.domain.programme import Programme
from ptcli.domain.safety import Flag
from ptcli.storage.repository import MergeReport, Record

EXPORT_FORMAT = "ptcli-export"
EXPORT_VERSION = 2  # 2: the corrections table
IMPORTED_VERSIONS = (1, 2)  # a version 1 export is the same without corrections


class SessionInput(NamedTuple):
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    pain_after: int | None = None
    where_after: Extent | None = None
    at: str | None = None
    note: str | None = None


class LoggedSession(NamedTuple):
    entry: SessionEntry
    spread: bool | None  # did symptoms reach further down the leg after it? None: unknown
    refused: Reason | None  # the gate's rule the exercise broke today (it is recorded anyway)
    above: RoutineItem | None  # today's dose, when the session went above it


class Corrected(NamedTuple):
    """How a record shown by ``history --all`` was corrected."""

    status: str  # "edited" or "deleted"
    original: Record  # as first written
    corrections: list[Correction]  # those in force, oldest first


class History(NamedTuple):
    """Pain entries, sessions and appointments done of a period, in time order (as corrected)."""

    entries: list[PainEntry | SessionEntry | Appointment]
    since: datetime | None
    until: datetime | None
    names: dict[str, str]  # exercise id -> name, for people (the JSON form has ids)
    # With --all: the deleted entries are among ``entries`` too; by id, how each was corrected.
    corrected: dict[str, Corrected] | None = None


class Flags(NamedTuple):
    """The flags of ``flag list``: active ones first; cleared ones only with --all."""

    flags: list[Flag]
    last_screen: Screen | None
    # With --all: screens and clearances taken back (entered in error), with the void.
    deleted: tuple[tuple[Screen | Clearance, Correction], ...] = ()


class Plan(NamedTuple):
    """The pins in force: each exercise (None if the catalogue lacks it) with its change."""

    pins: list[tuple[Exercise | None, PlanChange]]


class PlanHistory(NamedTuple):
    changes: list[PlanChange]


class Appointments(NamedTuple):
    """``appointment list``: the upcoming ones (booked, from today on), or with --all every one."""

    items: list[Appointment]
    everything: bool


class Lesson(NamedTuple):
    """A short lesson (``ptcli learn``), numbered in the order of the lessons file."""

    number: int
    id: str
    title: str
    text: str  # paragraphs separated by blank lines
    sources: tuple[str, ...]  # full references


class Lessons(NamedTuple):
    """``ptcli learn``: every lesson, with the ids of those read."""

    lessons: list[Lesson]
    read: frozenset[str]


class Today(NamedTuple):
    """``ptcli today``: the routine, and a line each for the next appointment, the next
    lesson not yet read and the outcome measures due."""

    routine: Routine
    appointment: Appointment | None = None
    lesson: Lesson | None = None
    measures_due: tuple[str, ...] = ()


class Explained(NamedTuple):
    """A routine shown with the rules behind it (``--explain``)."""

    routine: Routine


class Exercises(NamedTuple):
    """Catalogue entries in catalogue order (the view of ``catalogue list``)."""

    items: list[Exercise]


class Export(NamedTuple):
    exported_at: datetime
    profile: Profile
    # By table name (records.KINDS), only those asked for; each read once, streamed from the store.
    tables: dict[str, Iterable[Record]]
    pins: dict[str, PlanChange]  # the plan in force at the end of the window, whatever --since
    names: dict[str, str]  # exercise id -> name, from the catalogue
    # The corrections in force (domain.corrections.Corrections), for a format that shows
    # the corrected log (FHIR); None when ``tables`` are already corrected or as written.
    corrections: Any = None
    # FHIR only: every plan change up to the window's end (the CarePlan's status and period),
    # the flags raised (as corrected), those whose reports were all taken back, and the
    # Bundle's type ("collection" for a file, "transaction" for a server).
    plan_changes: tuple[PlanChange, ...] = ()
    flags: tuple[Flag, ...] = ()
    flags_in_error: tuple[Flag, ...] = ()
    bundle: str = "collection"


CALENDAR_DAYS = 14  # † a calendar export's events run this many days, then end


class Calendar(NamedTuple):
    """Today's programme as calendar events (export --format ics), and what it replaces."""

    patient: str  # the profile id: with the slot, an event's UID, the same on every export
    routine: Routine  # today's programme, the exercises resting today included: live events
    # The programmes the store gave over the last CALENDAR_DAYS days (oldest first): an
    # export then may have held their events, so those not live now are cancelled.
    earlier: tuple[Routine, ...]
    revised: datetime  # UTC: when what the calendar shows last changed (DTSTAMP, SEQUENCE)
    zone: str | None  # the IANA zone of the times; None: the machine's has no name, so UTC
    # Exercise id -> the first day its reminders may fall on (Gate.first_day: not the day
    # after loaded work was done); None: not within the week.
    starts: Mapping[str, date | None] = {}
    # Appointments from CALENDAR_DAYS ago on, as corrected (cancelled ones too: a calendar
    # that held one cancels its event).
    appointments: tuple[Appointment, ...] = ()


class ImportResult(NamedTuple):
    report: MergeReport
    unknown_exercises: list[str]
    # Today's routine before and after, when the import brought safety data (screens,
    # clearances, corrections of them): what it becomes is said, never silent.
    routines: tuple[Routine, Routine] | None = None


TREND_DAYS = 28  # the pain chart on a printed routine covers the last 4 weeks


class Picture(NamedTuple):
    """An exercise's illustration on the printed routine."""

    kind: str  # "svg" (the figure drawn from the pose, inlined), "image" (a data: URI) or "missing"
    content: str


class Handout(NamedTuple):
    """A programme to print or mail (``routine --format html|pdf|markdown``) and what goes
    around it: the programme for weeks (``domain.programme``), today marked in it."""

    programme: Programme
    patient: str | None
    therapist: str | None
    clinic: str | None
    note: str | None
    weeks: int  # the tracking grid's weeks
    paper: str  # "a4" or "letter"
    pictures: dict[str, Picture]  # by exercise id
    fallbacks: dict[str, str]  # exercise id -> the easier exercise to go back to, by name
    trend: tuple[PainEntry, ...] | None  # mornings of the last 4 weeks; None: no store was read
    contact: str | None = None  # how to reach the therapist, on every page
    explain: bool = False  # Markdown: today's rules and the entries they read, at the end
    appointment: Appointment | None = None  # the next one booked (from a store)

    @property
    def routine(self) -> Routine:
        """Today's routine."""
        return self.programme.today
