"""The exercise catalogue: validation of the raw entries and look-ups over the result.

``validate`` checks everything and reports every problem at once, each naming the
file, the entry and the field, so a therapist editing ``exercises.yaml`` can fix
them all in one pass.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, TypeGuard

from ptcli.domain import ceilings as ceiling_rules
from ptcli.domain.ceilings import DEFAULTS, Ceilings
from ptcli.domain.models import CATEGORIES, DIRECTIONS, Band, Dose, DoseRange, Exercise
from ptcli.domain.pose import read as read_pose

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FIELDS = [
    "id",
    "name",
    "category",
    "direction",
    "chain",
    "level",
    "bands",
    "purpose",
    "position",
    "steps",
    "dose",
    "cautions",
    "needs",
    "therapist_only",
    "image",
    "pose",
]
# † The longest text a catalogue entry may hold, per field (each step or caution on its own).
TEXT_LIMITS = {
    "id": 64,
    "chain": 64,
    "name": 100,
    "purpose": 1000,
    "position": 1000,
    "steps": 1000,
    "cautions": 1000,
    "image": 255,
}
LIST_FIELDS = ("steps", "cautions")
MAX_LIST = 20  # † steps or cautions an entry may list
_DOSE_FIELDS = ["sets", "reps", "hold_s", "times_per_day", "days_per_week", "per_side", "range"]


class Problem(NamedTuple):
    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        subject = ".".join(part for part in (self.entry, self.field) if part)
        return f"{where}: {subject}: {self.message}" if subject else f"{where}: {self.message}"


class Catalogue:
    """Validated exercises in file order (the order is the therapist's priority).

    ``ceilings`` are the dose ceilings in force: the defaults of ``domain.ceilings``
    as the catalogue's ``ceilings:`` block changed them.
    """

    def __init__(self, exercises: list[Exercise], ceilings: Ceilings = DEFAULTS) -> None:
        self._by_id = {exercise.id: exercise for exercise in exercises}
        self.ceilings = ceilings
        self._chains: dict[str, list[Exercise]] = {}
        for exercise in sorted(exercises, key=lambda e: e.level):  # stable: file order
            self._chains.setdefault(exercise.chain, []).append(exercise)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise | None:
        return self._by_id.get(exercise_id)

    def chain(self, name: str) -> list[Exercise]:
        """The exercises of one progression chain, easiest first."""
        return list(self._chains.get(name, ()))

    def ids(self) -> list[str]:
        return list(self._by_id)

    def find(self, text: str) -> list[Exercise]:
        """The exercises ``text`` names: its id as given, else every exercise whose id or
        name it spells in any case and spacing ("lying face down", "Prone Lying").
        More than one is an ambiguity for the caller to report; none, see ``near``."""
        exact = self._by_id.get(text)
        if exact is not None:
            return [exact]
        key = spelling(text)
        return [e for e in self if key and key in (spelling(e.id), spelling(e.name))]

    def near(self, text: str, count: int = 3) -> list[Exercise]:
        """Up to ``count`` exercises ``text`` may have meant: those whose id or name holds
        it (``nerve-glide``), then the closest spellings (``prone-lyin``)."""
        import difflib

        key = spelling(text)
        if not key:
            return []
        holding = [e for e in self if key in spelling(e.id) or key in spelling(e.name)]
        spellings = {spelling(k): e for e in self for k in (e.id, e.name)}
        close = [spellings[k] for k in difflib.get_close_matches(key, spellings, n=count)]
        return list(dict.fromkeys([*holding, *close]))[:count]


def spelling(text: str) -> str:
    """``text`` as compared when looking an exercise up: case, punctuation and spacing
    left out ("Both knees to chest, lying" and "both-knees-to-chest lying" are one)."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


LineOf = Callable[[int, str | None], int | None]


def validate(
    data: Any, file: str, line_of: LineOf | None = None
) -> tuple[Catalogue, list[Problem]]:
    """Build a catalogue from plain data (as read from YAML) and list every problem found."""
    checker = _Checker(file, line_of or (lambda index, field: None))
    exercises = checker.catalogue(data)
    return Catalogue(exercises, checker.ceilings), checker.problems


class _Checker:
    def __init__(self, file: str, line_of: LineOf) -> None:
        self.file = file
        self.line_of = line_of
        self.problems: list[Problem] = []
        self.ceilings = DEFAULTS

    def report(self, index: int | None, entry: str | None, field: str | None, message: str) -> None:
        line = self.line_of(-1 if index is None else index, field)
        self.problems.append(Problem(self.file, line, entry, field, message))

    def catalogue(self, data: Any) -> list[Exercise]:
        if not isinstance(data, Mapping) or not isinstance(data.get("exercises"), list):
            self.report(
                None, None, None, "expected a mapping with 'version: 1' and a list 'exercises'"
            )
            return []
        if data.get("version") != 1:
            self.report(None, None, "version", "must be 1")
        for key in data:
            if key not in ("version", "ceilings", "exercises"):
                self.report(None, None, str(key), "unknown top-level key")
        self.ceilings, found = ceiling_rules.parse(data.get("ceilings"))
        for field, message in found:
            self.report(None, None, field, message)
        exercises: list[Exercise] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(data["exercises"]):
            exercise_id = raw.get("id") if isinstance(raw, Mapping) else None
            duplicate = False
            if isinstance(exercise_id, str) and exercise_id in seen:
                # Still checked in full (issue 20), but only the first entry is kept.
                duplicate = True
                self.report(
                    index, exercise_id, "id", f"duplicate id (entry {seen[exercise_id] + 1})"
                )
            elif isinstance(exercise_id, str):
                seen[exercise_id] = index
            exercise = self.entry(index, raw)
            if exercise is not None and not duplicate:
                exercises.append(exercise)
        self.chains(exercises, seen)
        return exercises

    def entry(self, index: int, raw: Any) -> Exercise | None:
        if not isinstance(raw, Mapping):
            self.report(index, f"entry {index + 1}", None, "expected a mapping of fields")
            return None
        raw_id = raw.get("id")
        name = raw_id if isinstance(raw_id, str) else f"entry {index + 1}"
        before = len(self.problems)

        def need(field: str, kind: type | tuple[type, ...], what: str) -> Any:
            if field not in raw:
                self.report(index, name, field, "missing")
                return None
            value = raw[field]
            if not isinstance(value, kind) or (
                isinstance(value, bool) and bool not in _as_tuple(kind)
            ):
                self.report(index, name, field, f"must be {what}, not {value!r}")
                return None
            return value

        for key in raw:
            if key not in _FIELDS:
                self.report(index, name, str(key), "unknown field")
        exercise_id = need("id", str, "a kebab-case text")
        if exercise_id is not None and not _KEBAB.fullmatch(exercise_id):
            self.report(index, name, "id", "must be kebab-case (lowercase words joined by '-')")
        title = need("name", str, "a text")
        category = self.choice(index, name, raw, "category", CATEGORIES)
        direction = self.choice(index, name, raw, "direction", DIRECTIONS)
        chain = need("chain", str, "a kebab-case text")
        if chain is not None and not _KEBAB.fullmatch(chain):
            self.report(index, name, "chain", "must be kebab-case")
        level = need("level", int, "a whole number from 1")
        if level is not None and level < 1:
            self.report(index, name, "level", "must be 1 or more")
        bands = self.bands(index, name, raw)
        purpose = need("purpose", str, "a text")
        position = need("position", str, "a text")
        steps = self.texts(index, name, raw, "steps", allow_empty=False)
        cautions = self.texts(index, name, raw, "cautions", allow_empty=True)
        dose = self.dose(index, name, raw.get("dose")) if "dose" in raw else None
        if "dose" not in raw:
            self.report(index, name, "dose", "missing")
        pool, equipment, minimal_symptoms = self.needs(index, name, raw)
        therapist_only = need("therapist_only", bool, "true or false")
        image = raw.get("image")
        if image is not None and not (isinstance(image, str) and image.strip()):
            self.report(index, name, "image", "must be a file name (relative to the catalogue)")
        pose = None
        if raw.get("pose") is not None:  # none: a picture file, or a blank frame
            pose, found = read_pose(raw["pose"])
            for field, message in found:
                self.report(index, name, field, message)
        if category == "hydrotherapy" and pool is False:
            self.report(index, name, "needs", "a hydrotherapy exercise needs 'pool: true'")
        if category == "massage" and Band.RED in bands:
            self.report(
                index, name, "bands", "self-massage is never offered in the red band: leave out red"
            )
        if dose is not None and category in CATEGORIES:
            self.ceiling_problems(index, name, category, dose)
        self.lengths(index, name, raw)
        if len(self.problems) > before:
            return None
        return Exercise(
            id=exercise_id,
            name=title,
            category=category,
            direction=direction,
            chain=chain,
            level=level,
            bands=bands,
            purpose=purpose,
            position=position,
            steps=steps,
            dose=dose,  # type: ignore[arg-type]  # None only when a problem was reported
            cautions=cautions,
            pool=bool(pool),
            equipment=equipment,
            therapist_only=therapist_only,
            image=image,
            minimal_symptoms=minimal_symptoms,
            pose=pose,
        )

    def ceiling_problems(self, index: int, name: str, category: str, dose: Dose) -> None:
        """The default dose and the range's maxima against the dose ceilings."""
        for excess in ceiling_rules.excesses(
            self.ceilings,
            category,
            sets=dose.sets,
            reps=dose.reps,
            hold_s=dose.hold_s,
            times_per_day=dose.times_per_day,
            days_per_week=dose.days_per_week,
        ):
            self.report(index, name, f"dose.{excess.field}", str(excess))
        top = dose.range
        for excess in ceiling_rules.excesses(
            self.ceilings,
            category,
            sets=top.sets[1],
            reps=top.reps[1],
            hold_s=top.hold_s[1] if top.hold_s else None,
        ):
            self.report(index, name, f"dose.range.{excess.field}", str(excess))

    def choice(
        self, index: int, name: str, raw: Mapping[str, Any], field: str, allowed: tuple[str, ...]
    ) -> Any:
        value = raw.get(field)
        if field not in raw:
            self.report(index, name, field, "missing")
        elif value not in allowed:
            self.report(
                index, name, field, f"unknown {field} {value!r} (one of: {', '.join(allowed)})"
            )
        return value

    def bands(self, index: int, name: str, raw: Mapping[str, Any]) -> frozenset[Band]:
        value = raw.get("bands")
        allowed = [band.value for band in Band]
        if not isinstance(value, list) or not value or any(item not in allowed for item in value):
            self.report(index, name, "bands", f"must be a non-empty list of: {', '.join(allowed)}")
            return frozenset()
        return frozenset(Band(item) for item in value)

    def lengths(self, index: int, name: str, raw: Mapping[str, Any]) -> None:
        """Text no longer than a handout can show: an entry's text reaches every routine,
        table and printout, so a 10 MB name would make each of them crawl (issue 12)."""
        for field, most in TEXT_LIMITS.items():
            value = raw.get(field)
            texts = value if isinstance(value, list) else [value]
            if field in LIST_FIELDS and isinstance(value, list) and len(value) > MAX_LIST:
                self.report(index, name, field, f"has {len(value)} items: at most {MAX_LIST} †")
            longest = max((len(t) for t in texts if isinstance(t, str)), default=0)
            if longest > most:
                self.report(index, name, field, f"is {longest} characters long: at most {most} †")

    def texts(
        self, index: int, name: str, raw: Mapping[str, Any], field: str, *, allow_empty: bool
    ) -> tuple[str, ...]:
        value = raw.get(field)
        if field not in raw:
            self.report(index, name, field, "missing")
        elif not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.report(index, name, field, "must be a list of texts")
        elif not value and not allow_empty:
            self.report(index, name, field, "must list at least one step")
        else:
            return tuple(value)
        return ()

    def needs(
        self, index: int, name: str, raw: Mapping[str, Any]
    ) -> tuple[bool | None, tuple[str, ...], bool]:
        value = raw.get("needs")
        if "needs" not in raw:
            self.report(index, name, "needs", "missing")
            return None, (), False
        if not (
            isinstance(value, Mapping)
            and {"pool", "equipment"} <= set(value) <= {"pool", "equipment", "minimal_symptoms"}
        ):
            self.report(
                index,
                name,
                "needs",
                "must have 'pool' and 'equipment' (and optionally 'minimal_symptoms')",
            )
            return None, (), False
        pool, equipment = value["pool"], value["equipment"]
        minimal_symptoms = value.get("minimal_symptoms", False)
        if not isinstance(pool, bool):
            self.report(index, name, "needs.pool", "must be true or false")
            pool = None
        if not isinstance(equipment, list) or not all(isinstance(item, str) for item in equipment):
            self.report(index, name, "needs.equipment", "must be a list of texts")
            equipment = []
        if not isinstance(minimal_symptoms, bool):
            self.report(index, name, "needs.minimal_symptoms", "must be true or false")
            minimal_symptoms = False
        return pool, tuple(equipment), minimal_symptoms

    def dose(self, index: int, name: str, raw: Any) -> Dose | None:
        if not isinstance(raw, Mapping):
            self.report(index, name, "dose", "must be a mapping")
            return None
        before = len(self.problems)
        for key in raw:
            if key not in _DOSE_FIELDS:
                self.report(index, name, f"dose.{key}", "unknown field")

        def whole(
            field: str, low: int, high: int | None = None, optional: bool = False
        ) -> int | None:
            value = raw.get(field)
            if value is None and optional and field in raw:
                return None
            if not _is_int(value) or value < low or (high is not None and value > high):
                bound = f"from {low} to {high}" if high else f"from {low}"
                self.report(
                    index,
                    name,
                    f"dose.{field}",
                    f"must be a whole number {bound}" + (" or null" if optional else ""),
                )
                return None
            return int(value)

        sets, reps = whole("sets", 1), whole("reps", 1)
        hold_s = whole("hold_s", 1, optional=True)
        times_per_day, days_per_week = whole("times_per_day", 1), whole("days_per_week", 1, 7)
        per_side = raw.get("per_side")
        if not isinstance(per_side, bool):
            self.report(index, name, "dose.per_side", "must be true or false")
        dose_range = self.dose_range(
            index, name, raw.get("range"), {"sets": sets, "reps": reps, "hold_s": hold_s}
        )
        if len(self.problems) > before:
            return None
        return Dose(sets, reps, hold_s, times_per_day, days_per_week, per_side, dose_range)  # type: ignore[arg-type]

    def dose_range(
        self, index: int, name: str, raw: Any, defaults: dict[str, int | None]
    ) -> DoseRange | None:
        if not isinstance(raw, Mapping):
            self.report(
                index, name, "dose.range", "must map sets, reps (and hold_s) to [low, high]"
            )
            return None
        bounds: dict[str, tuple[int, int] | None] = {}
        for field, default in defaults.items():
            value = raw.get(field)
            if field == "hold_s" and default is None:
                if value is not None:
                    self.report(index, name, "dose.range.hold_s", "given, but the dose has no hold")
                bounds[field] = None
                continue
            if not (isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value)):
                self.report(index, name, f"dose.range.{field}", "must be [low, high] whole numbers")
                continue
            low, high = value
            if not 1 <= low <= high:
                self.report(
                    index,
                    name,
                    f"dose.range.{field}",
                    f"[{low}, {high}] must run from 1 upwards, low first",
                )
            elif default is not None and not low <= default <= high:
                self.report(
                    index,
                    name,
                    f"dose.range.{field}",
                    f"[{low}, {high}] must contain the dose {default}",
                )
            bounds[field] = (low, high)
        for key in raw:
            if key not in defaults:
                self.report(index, name, f"dose.range.{key}", "unknown field")
        if set(bounds) != set(defaults):
            return None
        return DoseRange(bounds["sets"], bounds["reps"], bounds["hold_s"])  # type: ignore[arg-type]

    def chains(self, exercises: list[Exercise], index_of: dict[str, int]) -> None:
        levels: dict[str, list[Exercise]] = {}
        for exercise in exercises:
            levels.setdefault(exercise.chain, []).append(exercise)
        for chain, members in levels.items():
            self.one_category(chain, members, index_of)
            found = sorted(member.level for member in members)
            if found != list(range(1, len(found) + 1)):
                first = min(members, key=lambda e: index_of[e.id])
                self.report(
                    index_of[first.id],
                    first.id,
                    "level",
                    f"chain {chain!r} has levels {found}: it must run 1..{len(found)} with no gap",
                )

    def one_category(self, chain: str, members: list[Exercise], index_of: dict[str, int]) -> None:
        """A chain keeps one category: a level must not turn isometric work into loaded work."""
        ordered = sorted(members, key=lambda e: (e.level, index_of[e.id]))
        first = ordered[0]
        for member in ordered[1:]:
            if member.category != first.category:
                self.report(
                    index_of[member.id],
                    member.id,
                    "category",
                    f"chain {chain!r} mixes categories: {first.id} (level {first.level}) is "
                    f"{first.category}, {member.id} (level {member.level}) is {member.category}; "
                    "a chain keeps one category",
                )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
