"""Plain value types shared by the catalogue, the engine, storage and the renderers.

They are NamedTuples rather than frozen dataclasses: as immutable and comparable, and
about seven times cheaper to define, which every command pays at start-up.
"""

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple

from ptcli.domain.pose import Pose


class Extent(IntEnum):
    """How far the symptoms reach (DOMAIN.md section 3): a larger value is further down the leg.

    DOMAIN's level 2 is "one-sided back or buttock"; ptcli names both †, with one side of
    the back nearer the spine than the buttock (pain moving from the buttock to one side
    of the back is centralizing), so central back pain moving to one side is seen.
    """

    NONE = 0
    BACK = 1  # the middle of the lower back
    SIDE = 2  # one side of the lower back
    BUTTOCK = 3
    THIGH = 4
    CALF = 5
    FOOT = 6

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def place(self) -> str:
        """The label in words: 'side' alone would not say which side of what."""
        return "side of the back" if self is Extent.SIDE else self.label

    @classmethod
    def parse(cls, text: str) -> "Extent":
        """The extent named by ``text`` (``none``, ``back``, ... ``foot``); ValueError otherwise."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(text) from None

    @classmethod
    def labels(cls) -> list[str]:
        return [member.label for member in cls]


class Band(StrEnum):
    """Traffic-light band of today's pain (DOMAIN.md section 4)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @classmethod
    def for_score(cls, score: int) -> "Band":
        if score <= 3:
            return cls.GREEN
        if score <= 6:
            return cls.AMBER
        return cls.RED

    @property
    def rank(self) -> int:
        """0 for green, 1 for amber, 2 for red: higher means more pain."""
        return list(Band).index(self)


CATEGORIES = (
    "mckenzie",
    "isometric",
    "isotonic",
    "hydrotherapy",
    "neural",
    "stretch",
    "aerobic",
    "massage",
)
DIRECTIONS = ("extension", "flexion", "lateral", "neutral")
SIDES = ("left", "right", "both")
PREFERENCES = ("extension", "flexion")


class DoseRange(NamedTuple):
    sets: tuple[int, int]
    reps: tuple[int, int]
    hold_s: tuple[int, int] | None


class Dose(NamedTuple):
    sets: int
    reps: int
    hold_s: int | None
    times_per_day: int
    days_per_week: int
    per_side: bool
    range: DoseRange


class Exercise(NamedTuple):
    id: str
    name: str
    category: str
    direction: str
    chain: str
    level: int
    bands: frozenset[Band]
    purpose: str
    position: str
    steps: tuple[str, ...]
    dose: Dose
    cautions: tuple[str, ...]
    pool: bool
    equipment: tuple[str, ...]
    therapist_only: bool
    # A picture for the printed routine, relative to the catalogue file; it wins over
    # ``pose``, the figure drawn from the catalogue's ``pose:`` block (render/figure.py).
    image: str | None = None
    # Only with minimal symptoms (DOMAIN.md section 5: nerve tensioners): catalogue
    # ``needs: {minimal_symptoms: true}``.
    minimal_symptoms: bool = False
    pose: Pose | None = None


class Profile(NamedTuple):
    name: str | None = None
    side: str | None = None
    pool: bool = False
    # Directional preference found by the therapist; None means not assessed.
    preference: str | None = None
    # A random id given at ``init``: one patient's records across devices and exports
    # (the FHIR Patient), and never anyone else's. Not identifying.
    id: str | None = None
    # How to reach the therapist, printed on every page of a handout (``init --contact``).
    contact: str | None = None
    # An id given at a store's first write before ``init``: an imported profile replaces it.
    provisional: bool = False


class PainEntry(NamedTuple):
    id: str
    at: datetime
    score: int
    where: Extent | None
    note: str | None = None
    # Pain just after exercise (a guided session's check-out): never a morning, never
    # the day's band (DOMAIN 4).
    after_exercise: bool = False


class SessionEntry(NamedTuple):
    id: str
    at: datetime
    exercise: str
    sets: int
    reps: int
    hold_s: int | None
    pain_after: int | None
    where_after: Extent | None
    note: str | None = None
    partial: bool = False  # a guided session stopped before every set was done


class PainReading(NamedTuple):
    """Pain at one moment: a score 0-10 and how far down the leg it reaches (if known)."""

    score: int
    where: Extent | None


class Screen(NamedTuple):
    """Answers to the safety screen (DOMAIN.md section 1): the items answered yes and no.

    ``pain log --flag`` records a partial screen (yes to the flagged items only).
    """

    id: str
    at: datetime
    yes: tuple[str, ...]
    no: tuple[str, ...] = ()


class Clearance(NamedTuple):
    """A flag seen to: the reports it names (screen ids) are cleared; any other report of
    the item keeps the flag active (DOMAIN.md section 1)."""

    id: str
    at: datetime
    item: str
    note: str
    reports: tuple[str, ...] = ()  # empty only in clearances from before ptcli recorded them


class PlanChange(NamedTuple):
    """One change to the therapist's plan: pin an exercise (``set``), unpin it, or clear all."""

    id: str
    at: datetime
    action: str  # "set", "drop" or "clear"
    exercise: str | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    per_day: int | None = None


PLAN_ACTIONS = ("set", "drop", "clear")


class Correction(NamedTuple):
    """A change to a record already written, itself a record: the original is never
    touched. ``amend`` gives new values for some fields; ``void`` says the target was
    entered in error (a void of a correction takes that correction back: ``undo``)."""

    id: str
    at: datetime  # when the correction was made
    target: str  # the id of the record it corrects
    table: str  # the target's table ("pain", "sessions", ... or "corrections")
    target_at: datetime  # the target's own time: where to find it in the store
    action: str  # "amend" or "void"
    changes: tuple[tuple[str, Any], ...] = ()  # amend: (field, new value), values as in the model
    reason: str | None = None


CORRECTION_ACTIONS = ("amend", "void")


class Appointment(NamedTuple):
    """A visit booked with a clinician (DOMAIN 10): ``appointment add``. Done and cancelled
    are corrections of ``status`` (``appointment done | cancel``): the record as booked stays."""

    id: str
    at: datetime  # when it starts
    kind: str  # APPOINTMENT_KINDS
    who: str | None = None  # with whom: a therapist, an instructor
    link: str | None = None  # an online session's address (http or https): shown, never opened
    place: str | None = None
    note: str | None = None
    status: str = "booked"  # APPOINTMENT_STATUSES


APPOINTMENT_KINDS = (
    "assessment",
    "treatment",
    "massage",
    "hydrotherapy",
    "hydrotherapy-class",
    "review",
    "online",
)
APPOINTMENT_STATUSES = ("booked", "done", "cancelled")
# The kinds where the patient exercises (in the pool): under an emergency flag, the
# calendar's event and reminder say not to go (DOMAIN 1: no exercise until seen).
EXERCISE_APPOINTMENTS = ("hydrotherapy", "hydrotherapy-class")


class LessonRead(NamedTuple):
    """A short lesson read (``ptcli learn TOPIC``): the lesson's id, when first read."""

    id: str
    at: datetime
    lesson: str


class MeasureEntry(NamedTuple):
    """One completed outcome measure (DOMAIN.md section 6): its answers as given (ODI:
    section scores 0-5, None for a section left out; RMDQ: 24 answers, 1 for yes; PSFS:
    each activity's score 0-10, named in ``activities``; PEG: 3 scores 0-10). The score
    is computed from them (``domain.measures``), never stored alone."""

    id: str
    at: datetime
    measure: str  # "odi", "rmdq", "psfs" or "peg"
    answers: tuple[int | None, ...]
    activities: tuple[str, ...] = ()  # PSFS only


class Alert(NamedTuple):
    level: str  # "emergency", "urgent" or "caution"
    item: str
    text: str


class Reason(NamedTuple):
    """A rule that fired, in words, and the log entries it read (for ``routine --explain``)."""

    rule: str
    text: str
    evidence: tuple[str, ...] = ()


class RoutineItem(NamedTuple):
    exercise: Exercise
    sets: int
    reps: int
    hold_s: int | None
    times_per_day: int
    days_per_week: int
    why: str
    change: str = "new"  # new, progressed, held or regressed
    reason: Reason | None = None


class LeftOut(NamedTuple):
    """An exercise the routine leaves out today, why, and the gate's rule (for --explain)."""

    exercise: str
    why: str
    rule: str


class Resting(NamedTuple):
    """An exercise of the routine that rests today (days a week), and when it comes back."""

    exercise: Exercise
    next_day: date | None  # None: not within a week


_Day = date  # Routine has a field named date


class Routine(NamedTuple):
    date: date
    status: str  # "ok" or "blocked"
    band: Band
    pain: PainReading | None
    message: str
    items: tuple[RoutineItem, ...] = ()
    alerts: tuple[Alert, ...] = ()
    reasons: tuple[Reason, ...] = ()  # the routine-wide rules, for --explain
    left_out: tuple[LeftOut, ...] = ()  # for --explain
    # Built from a stated pain alone (``routine --pain``): no log, flags or plan were read.
    quick: bool = False
    pain_day: _Day | None = None  # the day of the pain entry the band was read from
    resting: tuple[Resting, ...] = ()  # listed, with the day each comes back


class PatientLog(NamedTuple):
    """What the engine reads: the profile and the records of the recent past (flags and plan: all)."""

    profile: Profile = Profile()
    pain: tuple[PainEntry, ...] = ()
    sessions: tuple[SessionEntry, ...] = ()
    screens: tuple[Screen, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    plan: tuple[PlanChange, ...] = ()
    # The period's appointments (a water class done counts as the day's pool exercise).
    appointments: tuple[Appointment, ...] = ()
    assessments: "tuple[Assessment, ...]" = ()  # of the last days (M2: a direction that spread)


class MovementSet(NamedTuple):
    """One set of a self-assessment (DOMAIN.md section 8): the symptoms just after it, and
    whether the movement went more easily (range ``better``, ``same`` or ``worse``; None:
    not answered yet)."""

    movement: str  # an id of ``domain.assessment.MOVEMENTS``
    pain: int
    where: Extent
    range: str | None = None


class Assessment(NamedTuple):
    """A McKenzie self-assessment with repeated movements (``ptcli assess``), saved as its
    answers are given: the baseline, then each set in the order done. It never sets the
    profile's preference (``domain.assessment`` suggests one for the therapist)."""

    id: str
    at: datetime
    by: str  # "patient" (the guided test) or "therapist" (``assess --record``)
    pain: int  # the baseline
    where: Extent
    fingertips_cm: int | None = None  # flexion in standing, once: fingertips to the floor
    extension: str | None = None  # extension in standing, once: none, a-little, half or full
    sets: tuple[MovementSet, ...] = ()
    side_glides: bool = False  # a therapist asked for the side-glides
    partial: bool = False  # stopped before its end
    note: str | None = None
