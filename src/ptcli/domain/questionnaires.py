"""The outcome measures' questionnaires (DOMAIN.md section 6): how many answers each
takes and their range, the meaningful change, checking answers, the exact total as a
ratio, and when each is due. Cheap to load: a store read (records.py) and ``today`` use
it; the scores as Fractions and the words are in ``domain.measures``."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain.models import MeasureEntry
from ptcli.domain.when import local_day

NAMES = ("odi", "rmdq", "psfs", "peg")
# The measures ptcli asks itself, due for everyone; ODI and RMDQ (printed or licensed
# forms) are due only for a patient who has done one (their therapist chose it) †.
ASKED = ("psfs", "peg")
DUE_EVERY = timedelta(days=14)  # † a measure is due again 2 weeks after its last
ODI_SECTIONS = 10
ODI_MAX_MISSING = 2  # † DOMAIN 6: refuse more than 2 missing sections
RMDQ_ITEMS = 24
PSFS_ACTIVITIES = (3, 5)
PEG_ITEMS = 3


class Measure(NamedTuple):
    """One questionnaire: how many answers, their range, and its meaningful change."""

    name: str
    title: str
    answers: tuple[int, int]  # how many answers it takes: (fewest, most)
    low: int
    high: int
    points: int | None  # meaningful change in points (None: no such bar)
    percent: int | None  # meaningful change in percent of the baseline (None: no such bar)
    higher_is_better: bool
    unit: str  # "%", "/24", "/10"


MEASURES = {
    "odi": Measure(
        "odi", "Oswestry Disability Index", (ODI_SECTIONS, ODI_SECTIONS), 0, 5,
        10, 30, False, "%",
    ),
    "rmdq": Measure(
        "rmdq", "Roland-Morris Disability Questionnaire", (RMDQ_ITEMS, RMDQ_ITEMS), 0, 1,
        5, 30, False, "/24",
    ),
    "psfs": Measure(
        "psfs", "Patient-Specific Functional Scale", PSFS_ACTIVITIES, 0, 10,
        2, None, True, "/10",
    ),
    "peg": Measure(
        "peg", "PEG (pain, enjoyment of life, general activity)", (PEG_ITEMS, PEG_ITEMS), 0, 10,
        None, 30, False, "/10",
    ),
}  # fmt: skip

Answers = Sequence[int | None]


def problem(measure: str, answers: Answers, activities: Sequence[str] = ()) -> str | None:
    """What is wrong with these answers for ``measure``, in words; None when they score."""
    spec = MEASURES.get(measure)
    if spec is None:
        return f"unknown measure {measure!r}: use one of {', '.join(NAMES)}"
    fewest, most = spec.answers
    if not fewest <= len(answers) <= most:
        count = f"{fewest}" if fewest == most else f"{fewest} to {most}"
        return f"{spec.name.upper()} takes {count} answers, not {len(answers)}"
    for number, value in enumerate(answers, 1):
        if value is None:
            if measure != "odi":
                return f"{spec.name.upper()} answer {number} is missing: every one is needed"
        elif isinstance(value, bool) or not spec.low <= value <= spec.high:
            return f"{spec.name.upper()} answer {number} must be from {spec.low} to {spec.high}"
    missing = sum(value is None for value in answers)
    if missing > ODI_MAX_MISSING:
        return (
            f"ODI has {missing} sections missing: it is scored with at most "
            f"{ODI_MAX_MISSING} missing"
        )
    if measure == "psfs":
        if len(activities) != len(answers):
            return "PSFS needs one activity name for each score"
        if any(not name.strip() for name in activities):
            return "PSFS activity names cannot be empty"
    elif activities:
        return f"{spec.name.upper()} has no activities (only PSFS does)"
    return None


def ratio(measure: str, answers: Answers) -> tuple[int, int]:
    """``score`` as (numerator, denominator), without loading fractions (a store read)."""
    given = [value for value in answers if value is not None]
    if measure == "odi":
        return sum(given) * 100, 5 * len(given)
    if measure == "rmdq":
        return sum(given), 1
    return sum(given), len(given)


def due(done: Sequence[MeasureEntry], day: date) -> list[str]:
    """The measures due on ``day`` (†): PSFS and PEG first at start (never done), then 2
    weeks after the last of each; ODI and RMDQ, once done, every 2 weeks too."""
    last: dict[str, date] = {}
    for entry in done:
        on = local_day(entry.at)
        last[entry.measure] = max(last.get(entry.measure, on), on)
    names = [*ASKED, *(name for name in NAMES if name not in ASKED and name in last)]
    return [name for name in names if name not in last or day - last[name] >= DUE_EVERY]
