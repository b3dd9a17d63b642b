"""Dose ceilings (DOMAIN.md section 5): the most any dose may ask, whoever sets it.

The defaults below hold unless a catalogue's top-level ``ceilings:`` block changes
them; a catalogue may lower a ceiling, or raise it up to the hard cap in ``HARD_CAPS``
and never beyond. ``excesses`` is the one place that decides whether a dose is above
its ceiling (``problems`` gives its messages): ``catalogue check`` runs it on every
entry's dose and range maxima, and ``plan set`` on the dose a therapist pins; the
engine may read ``limits`` for one category. Pure: no I/O, no third-party import.

The catalogue block (every key optional; a key left out keeps its default)::

    ceilings:
      sets: 5
      reps: 30
      hold_s: {mckenzie: 300, isometric: 60, isotonic: 60, neural: 60,
               stretch: 60, aerobic: 3600, hydrotherapy: 2700, massage: 120}
      times_per_day: {mckenzie: 10, massage: 1, other: 3}
      days_per_week: {isotonic: 3, other: 7}
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple


class Ceilings(NamedTuple):
    """The highest dose allowed: sets and repetitions, and per category holds, times, days.

    ``hold_s`` maps every category to seconds; ``times_per_day`` has the keys
    ``mckenzie``, ``massage`` and ``other``; ``days_per_week`` the keys ``isotonic`` and ``other``.
    The mappings are read-only.
    """

    sets: int
    reps: int
    hold_s: Mapping[str, int]  # every category of domain.models.CATEGORIES
    times_per_day: Mapping[str, int]
    days_per_week: Mapping[str, int]


class Limits(NamedTuple):
    """The ceilings that apply to one category of exercise."""

    sets: int
    reps: int
    hold_s: int
    times_per_day: int
    days_per_week: int


class Excess(NamedTuple):
    """One quantity of a dose above its ceiling."""

    field: str  # sets, reps, hold_s, times_per_day or days_per_week
    value: int
    limit: int
    key: str  # the setting that holds the limit, e.g. ceilings.hold_s.aerobic

    def __str__(self) -> str:
        asked, limit = _amount(self.field, self.value), _amount(self.field, self.limit, bare=True)
        return f"{asked} is above the {_scope(self.key)}ceiling of {limit} ({self.key})"


def _frozen(values: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(values))


# DOMAIN.md section 5 (the numbers are the project's design, marked † there).
DEFAULTS = Ceilings(
    sets=5,
    reps=30,
    hold_s=_frozen(
        {
            "mckenzie": 300,  # relief positions (lying): 5 minutes
            "isometric": 60,
            "isotonic": 60,
            "neural": 60,
            "stretch": 60,
            "aerobic": 3600,  # walking: 60 minutes
            "hydrotherapy": 2700,  # pool exercise: 45 minutes
            "massage": 120,  # self-massage: 2 minutes a region
        }
    ),
    times_per_day=_frozen({"mckenzie": 10, "massage": 1, "other": 3}),
    days_per_week=_frozen({"isotonic": 3, "other": 7}),
)

# What no catalogue may raise a ceiling above: twice the default for counts and holds,
# except McKenzie times a day (16: once an hour through a waking day), massage (once a
# day: DOMAIN 5 gives no room above it) and loaded isotonic days (4: the most a week
# holds with no two days in a row).
HARD_CAPS = Ceilings(
    sets=10,
    reps=60,
    hold_s=_frozen({category: 2 * seconds for category, seconds in DEFAULTS.hold_s.items()}),
    times_per_day=_frozen({"mckenzie": 16, "massage": 1, "other": 6}),
    days_per_week=_frozen({"isotonic": 4, "other": 7}),
)


def times_key(category: str) -> str:
    """The ``times_per_day`` key for a category: ``mckenzie``, ``massage`` or ``other``."""
    return category if category in ("mckenzie", "massage") else "other"


def days_key(category: str) -> str:
    """The ``days_per_week`` key for a category: ``isotonic`` or ``other``."""
    return "isotonic" if category == "isotonic" else "other"


def limits(ceilings: Ceilings, category: str) -> Limits:
    """The ceilings for one category (an unknown category gets the strictest hold)."""
    return Limits(
        sets=ceilings.sets,
        reps=ceilings.reps,
        hold_s=ceilings.hold_s.get(category, min(ceilings.hold_s.values())),
        times_per_day=ceilings.times_per_day[times_key(category)],
        days_per_week=ceilings.days_per_week[days_key(category)],
    )


def excesses(
    ceilings: Ceilings,
    category: str,
    *,
    sets: int | None = None,
    reps: int | None = None,
    hold_s: int | None = None,
    times_per_day: int | None = None,
    days_per_week: int | None = None,
) -> list[Excess]:
    """Each given quantity that is above its ceiling (None: not checked), in that order."""
    top = limits(ceilings, category)
    checks = [
        ("sets", sets, top.sets, "ceilings.sets"),
        ("reps", reps, top.reps, "ceilings.reps"),
        ("hold_s", hold_s, top.hold_s, f"ceilings.hold_s.{category}"),
        (
            "times_per_day",
            times_per_day,
            top.times_per_day,
            f"ceilings.times_per_day.{times_key(category)}",
        ),
        (
            "days_per_week",
            days_per_week,
            top.days_per_week,
            f"ceilings.days_per_week.{days_key(category)}",
        ),
    ]
    return [
        Excess(field, value, limit, key)
        for field, value, limit, key in checks
        if value is not None and value > limit
    ]


def problems(
    ceilings: Ceilings,
    category: str,
    sets: int | None = None,
    reps: int | None = None,
    hold_s: int | None = None,
    times_per_day: int | None = None,
    days_per_week: int | None = None,
) -> list[str]:
    """Why a dose is above its ceilings, one message per quantity naming the limit; [] if none."""
    found = excesses(
        ceilings,
        category,
        sets=sets,
        reps=reps,
        hold_s=hold_s,
        times_per_day=times_per_day,
        days_per_week=days_per_week,
    )
    return [str(excess) for excess in found]


def parse(raw: Any) -> tuple[Ceilings, list[tuple[str, str]]]:
    """The ceilings a catalogue's ``ceilings:`` block asks for, and its problems as (field, message).

    A value that is missing keeps its default; a value that is wrong or above the hard
    cap is reported and the default kept, so the entries are still checked.
    """
    found: list[tuple[str, str]] = []
    if raw is None:
        return DEFAULTS, found
    if not isinstance(raw, Mapping):
        found.append(("ceilings", "must be a mapping (see the catalogue's header comment)"))
        return DEFAULTS, found

    def whole(field: str, value: Any, default: int, cap: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            found.append((field, f"must be a whole number from 1 to {_plain(field, cap)}"))
            return default
        if value > cap:
            found.append(
                (field, f"{_plain(field, value)} is above the hard cap of {_plain(field, cap)}")
            )
            return default
        return value

    def table(name: str) -> dict[str, int]:
        defaults: Mapping[str, int] = getattr(DEFAULTS, name)
        caps: Mapping[str, int] = getattr(HARD_CAPS, name)
        result = dict(defaults)
        value = raw.get(name)
        if name not in raw:
            return result
        if not isinstance(value, Mapping):
            found.append((f"ceilings.{name}", f"must map {', '.join(defaults)} to numbers"))
            return result
        for key, given in value.items():
            field = f"ceilings.{name}.{key}"
            if key not in defaults:
                found.append((field, f"unknown key (one of: {', '.join(defaults)})"))
                continue
            result[key] = whole(field, given, defaults[key], caps[key])
        return result

    for key in raw:
        if key not in Ceilings._fields:
            found.append(
                (f"ceilings.{key}", f"unknown key (one of: {', '.join(Ceilings._fields)})")
            )
    sets = (
        whole("ceilings.sets", raw["sets"], DEFAULTS.sets, HARD_CAPS.sets)
        if "sets" in raw
        else DEFAULTS.sets
    )
    reps = (
        whole("ceilings.reps", raw["reps"], DEFAULTS.reps, HARD_CAPS.reps)
        if "reps" in raw
        else DEFAULTS.reps
    )
    ceilings = Ceilings(
        sets=sets,
        reps=reps,
        hold_s=_frozen(table("hold_s")),
        times_per_day=_frozen(table("times_per_day")),
        days_per_week=_frozen(table("days_per_week")),
    )
    return ceilings, found


_UNITS = {
    "sets": ("sets", "set"),
    "reps": ("repetitions", "repetition"),
    "times_per_day": ("times a day", "time a day"),
    "days_per_week": ("days a week", "day a week"),
}


def _seconds(value: int) -> str:
    return f"{value} s ({value // 60} min)" if value >= 120 and value % 60 == 0 else f"{value} s"


def _amount(field: str, value: int, bare: bool = False) -> str:
    if field == "hold_s":
        return _seconds(value) if bare else f"a hold of {_seconds(value)}"
    many, one = _UNITS[field]
    return f"{value} {one if value == 1 else many}"


def _plain(field: str, value: int) -> str:
    """A ceiling setting's value as the catalogue writes it, with minutes for long holds."""
    return _seconds(value) if ".hold_s." in field else str(value)


def _scope(key: str) -> str:
    """Whose ceiling it is, for the message: 'aerobic ', 'McKenzie ', 'isotonic ' or ''."""
    kind = key.rsplit(".", 1)[1] if key.count(".") == 2 else ""
    return {"other": "", "mckenzie": "McKenzie ", "": ""}.get(kind, f"{kind} ")
