"""The one gate (DOMAIN.md section 1): may this exercise be done on this day, and at what dose?

Every way an exercise reaches the patient asks here and nowhere else: the routine
(``engine.build_routine``), a guided session of named exercises and ``session log``
(``engine.offer``), plan pins, the printed handout and the calendar (both built from
the routine). A refusal names its rule (the README's table of rules lists them) and
the log entries it read, for ``--explain``.

What the gate reads is fixed when it opens (``open_gate``): today's band, the active
flags, spreading, whether symptoms are minimal. Its rules, in the order they are asked:

1. emergency-flag: nothing at all while an emergency flag is active.
2. therapist-only, preference: not without the therapist's plan (a pin overrides these).
3. never-in-red, band: loaded isotonic work and self-massage never in red, whatever the
   catalogue says; otherwise the exercise's own bands.
4. pool-access, pool-contraindication: pool work needs access, and never with a fever.
5. peripheralization: M2, the exercise that spread symptoms, harder levels, its direction.
6. minimal-symptoms: tensioners only with minimal symptoms (DOMAIN 5) †.
7. rest-day: days a week (``rests``; a calendar of the week leaves this out).

A dose that reaches the patient is ``cap``-ped: never above the dose ceilings
(``ceilings``), and in red every part of it the lowest of its range.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain import ceilings, safety
from ptcli.domain.catalogue import Catalogue
from ptcli.domain.models import (
    Band,
    Exercise,
    Extent,
    PainEntry,
    PainReading,
    PatientLog,
    Profile,
    Reason,
    SessionEntry,
)
from ptcli.domain.monitoring import Mornings, after_exercise, cite
from ptcli.domain.progression import Dosed, lowest
from ptcli.domain.spreading import (
    Peripheralization,
    peripheralizations,
    ruled_out_by,
    spread_sessions,
    spreading_mornings,
)
from ptcli.domain.when import local_day

DEFAULT_PREFERENCE = "extension"  # † until a therapist assesses the directional preference
ASSUMED = f"not assessed yet: {DEFAULT_PREFERENCE} assumed"
OPPOSITE = {"extension": "flexion", "flexion": "extension"}
LOADED = frozenset({"isotonic"})  # loaded work: never on consecutive days, never in red
# Never in the red band, whatever the catalogue says: loaded work, and self-massage
# (DOMAIN 9, issue 19): a safety rule, not a catalogue choice.
NEVER_IN_RED = LOADED | {"massage"}
NO_CONSECUTIVE_DAYS = 3  # † exercises done at most this many days a week rest between days
MINIMAL_PAIN = 3  # † minimal symptoms: pain 3 or less (DOMAIN 5)
MINIMAL_DAYS = 3  # † minimal symptoms: how far the pain reached, and spreading, over 3 days
IRRITABLE_DAYS = 7  # † minimal symptoms: no flare after the sliders in the last week
WEAKNESS_OR_NUMBNESS = ("leg-weakness", "one-leg-weakness", "saddle-numbness")
POOL_CONTRAINDICATIONS = ("fever",)  # DOMAIN 5: of the contraindications, what the screen asks


class Refusal(NamedTuple):
    """Why an exercise may not be done: the rule, in words, and the entries it read."""

    rule: str
    text: str
    evidence: tuple[str, ...] = ()

    @property
    def reason(self) -> Reason:
        return Reason(self.rule, self.text, self.evidence)


class Gate(NamedTuple):
    day: date
    band: Band  # the band doses follow: today's pain, raised to amber by an urgent flag
    reading: PainReading | None  # today's pain (None: nothing logged today or yesterday)
    read_from: PainEntry | None  # the entry it came from (None: stated, or nothing logged)
    profile: Profile
    preference: str
    flags: tuple[safety.Flag, ...]  # active
    unscreened: bool  # not every emergency question was ever answered
    spread_ids: frozenset[str]  # every session after which symptoms spread
    spread: tuple[Peripheralization, ...]  # those that rule exercises out today
    spreading: Reason | None  # mornings moving further down the leg
    not_minimal: Refusal | None  # why symptoms are not minimal today (None: they are)
    sessions: tuple[SessionEntry, ...]  # before today, oldest first
    today: tuple[SessionEntry, ...]
    catalogue: Catalogue

    @property
    def emergency(self) -> list[safety.Flag]:
        return safety.emergencies(self.flags)

    @property
    def urgent(self) -> list[safety.Flag]:
        return [f for f in self.flags if f.item.level == safety.URGENT]

    def refuses(self, exercise: Exercise, pinned: bool = False) -> Refusal | None:
        """Why ``exercise`` may not be done today (None: it may). A pin overrides rule 2 only."""
        if self.emergency:
            symptoms = ", ".join(f.item.symptom for f in self.emergency)
            return Refusal(
                "emergency-flag", f"no exercise while an emergency flag is active ({symptoms})"
            )
        if exercise.therapist_only and not pinned:
            return Refusal("therapist-only", "only with a therapist's plan")
        if not pinned and exercise.direction != "neutral":
            preference = self.preference
            assessed = self.profile.preference is not None
            if exercise.category == "mckenzie" and exercise.direction != preference:
                whose = "your directional preference" if assessed else ASSUMED
                return Refusal("preference", f"McKenzie work in {preference} only ({whose})")
            if exercise.direction == OPPOSITE.get(preference):
                text = f"{exercise.direction}-biased, the opposite of your {preference} preference"
                if not assessed:
                    text = f"{exercise.direction}-biased, against extension ({ASSUMED})"
                return Refusal("preference", text)
        if self.band is Band.RED and exercise.category in NEVER_IN_RED:
            what = "self-massage" if exercise.category == "massage" else "loaded exercise"
            return Refusal("never-in-red", f"no {what} in the red band")
        if self.band not in exercise.bands:
            return Refusal("band", f"not offered in the {self.band.value} band")
        if exercise.pool:
            if not self.profile.pool:
                return Refusal("pool-access", "needs a pool (ptcli init --pool)")
            for flag in self.flags:
                if flag.item.id in POOL_CONTRAINDICATIONS:
                    return Refusal(
                        "pool-contraindication",
                        f"no pool work with {flag.item.symptom} (reported {local_day(flag.since)})",
                    )
        for p in self.spread:
            if ruled_out_by(p.exercise, exercise):
                return Refusal(
                    "peripheralization",
                    f"pain spread further down the leg after {p.exercise.id} on {p.day}",
                    (cite(p.session),),
                )
        if exercise.minimal_symptoms and self.not_minimal is not None:
            return self.not_minimal
        return None

    def rests(self, exercise: Exercise) -> Refusal | None:
        """A rest day by the exercise's days a week (its chain counts as one exercise)."""
        per_week = self._days_a_week(exercise)
        if per_week >= 7:
            return None
        chain = self._chain_ids(exercise)
        if self._started_today(chain):
            return None
        first = self.day - timedelta(days=6)
        days = {d for s in self.sessions if s.exercise in chain and (d := local_day(s.at)) >= first}
        loaded = exercise.category in LOADED  # never two days running, whatever its days
        if (per_week <= NO_CONSECUTIVE_DAYS or loaded) and self.day - timedelta(days=1) in days:
            return Refusal(
                "rest-day",
                f"rest day: done yesterday, and at {per_week} days a week never on consecutive days",
            )
        if len(days) >= per_week:
            return Refusal(
                "rest-day",
                f"rest day: done on {len(days)} of the last 6 days, at most {per_week} days a week",
            )
        return None

    def first_day(self, exercise: Exercise) -> date | None:
        """The first day from this one on that ``exercise`` may be done again: today,
        unless it rests today or, done fewer than 7 days a week, was already done today
        (a calendar's first reminder: DOMAIN 5, loaded work never on consecutive days)."""
        weekly = self._days_a_week(exercise) < 7
        done_today = weekly and self._started_today(self._chain_ids(exercise))
        if not done_today and self.rests(exercise) is None:
            return self.day
        return self.next_day(exercise)

    def _days_a_week(self, exercise: Exercise) -> int:
        return min(exercise.dose.days_per_week, self.limits(exercise).days_per_week)

    def _chain_ids(self, exercise: Exercise) -> set[str]:
        """Its chain's exercises: for days a week a chain counts as one exercise."""
        return {e.id for e in self.catalogue.chain(exercise.chain)}

    def _started_today(self, chain: set[str]) -> bool:
        return any(s.exercise in chain for s in self.today)

    def next_day(self, exercise: Exercise) -> date | None:
        """The first day after this one that ``exercise`` does not rest, if today's log
        is all there is (None: not within a week)."""
        done = tuple(sorted((*self.sessions, *self.today), key=lambda s: (s.at, s.id)))
        for ahead in range(1, 8):
            later = self._replace(day=self.day + timedelta(days=ahead), sessions=done, today=())
            if later.rests(exercise) is None:
                return later.day
        return None

    def cap(self, dosed: Dosed) -> Dosed:
        """The most ``dosed`` may be today: never above the dose ceilings (DOMAIN 5: an
        imported pin may be), and in red the lowest of its range in every respect."""
        top = self.limits(dosed.exercise)
        ceiling = Dosed(dosed.exercise, top.sets, top.reps, top.hold_s)
        floor = lowest(dosed.exercise) if self.band is Band.RED else ceiling
        hold = dosed.hold_s
        if hold:
            hold = min(hold, top.hold_s, floor.hold_s or hold)
        return dosed._replace(
            sets=min(dosed.sets, top.sets, floor.sets),
            reps=min(dosed.reps, top.reps, floor.reps),
            hold_s=hold,
        )

    def times_a_day(self, exercise: Exercise, asked: int) -> int:
        return min(asked, self.limits(exercise).times_per_day)

    def limits(self, exercise: Exercise) -> ceilings.Limits:
        return ceilings.limits(self.catalogue.ceilings, exercise.category)


def open_gate(
    catalogue: Catalogue, log: PatientLog, day: date, stated: PainReading | None = None
) -> Gate:
    """What the gate reads for ``day``; ``stated`` pain replaces the log's (the quick routine)."""
    entry = None if stated is not None else todays_pain(log.pain, day)
    reading = stated or (PainReading(entry.score, entry.where) if entry else None)
    flags = tuple(safety.active_flags(log.screens, log.clearances, day))
    unscreened = stated is None and not safety.emergency_answered(log.screens, day)
    band = Band.for_score(reading.score) if reading is not None else Band.AMBER
    urgent = any(f.item.level == safety.URGENT for f in flags)
    if band is Band.GREEN and (urgent or unscreened):
        band = Band.AMBER  # gentle only: an urgent flag, or the emergency questions unanswered
    spread_ids = spread_sessions(log.pain, log.sessions)
    spread = tuple(peripheralizations(catalogue, log.pain, log.sessions, day, spread_ids))
    spreading = spreading_mornings(Mornings(log.pain), day) if stated is None else None
    sessions = tuple(
        sorted((s for s in log.sessions if local_day(s.at) < day), key=lambda s: (s.at, s.id))
    )
    gate = Gate(
        day=day,
        band=band,
        reading=reading,
        read_from=entry,
        profile=log.profile,
        preference=log.profile.preference or DEFAULT_PREFERENCE,
        flags=flags,
        unscreened=unscreened,
        spread_ids=spread_ids,
        spread=spread,
        spreading=spreading,
        not_minimal=None,
        sessions=sessions,
        today=tuple(s for s in log.sessions if local_day(s.at) == day),
        catalogue=catalogue,
    )
    return gate._replace(not_minimal=_not_minimal(gate, log.pain))


def todays_pain(pain: Sequence[PainEntry], day: date) -> PainEntry | None:
    """The entry that sets the day's band (DOMAIN 4): the worst pain entry or check-in of
    ``day``, else the last of the day before; never pain after exercise (a check-out).
    A better score later never lifts a worse one."""
    usable = [e for e in pain if not after_exercise(e)]
    today = [e for e in usable if local_day(e.at) == day]
    if today:
        return max(today, key=lambda e: (e.score, e.at, e.id))
    yesterday = [e for e in usable if local_day(e.at) == day - timedelta(days=1)]
    return max(yesterday, key=lambda e: (e.at, e.id)) if yesterday else None


def _not_minimal(gate: Gate, pain: Sequence[PainEntry]) -> Refusal | None:
    """Why symptoms are not minimal (DOMAIN 5 †): pain 3 or less, reaching no further than
    the thigh and not spreading over the last 3 days, no weakness or numbness reported,
    and no flare after the sliders in the last week."""

    def no(text: str, *evidence: str) -> Refusal:
        return Refusal("minimal-symptoms", f"only with minimal symptoms: {text}", evidence)

    if gate.reading is None:
        return no("no pain logged today")
    if gate.reading.score > MINIMAL_PAIN:
        return no(f"pain is {gate.reading.score}/10 ({MINIMAL_PAIN} or less needed)")
    first = gate.day - timedelta(days=MINIMAL_DAYS - 1)
    recent = [e for e in pain if first <= local_day(e.at) <= gate.day and e.where is not None]
    if gate.reading.where is None:
        return no("where the pain reaches today is not logged")
    below_knee = sorted(
        (e for e in recent if e.where is not None and e.where > Extent.THIGH),
        key=lambda e: (e.at, e.id),
    )
    if gate.reading.where is not None and gate.reading.where > Extent.THIGH:
        return no(f"pain reaches the {gate.reading.where.place}")
    if below_knee:
        last = below_knee[-1]
        assert last.where is not None
        return no(f"pain reached the {last.where.place} in the last 3 days", cite(last))
    if gate.spread:
        return no("pain spread down the leg in the last 3 days", cite(gate.spread[0].session))
    if gate.spreading is not None:
        return no("morning pain is moving down the leg", *gate.spreading.evidence)
    for flag in gate.flags:
        if flag.item.id in WEAKNESS_OR_NUMBNESS:
            return no(f"{flag.item.symptom} was reported")
    since = gate.day - timedelta(days=IRRITABLE_DAYS)
    for session in (*gate.sessions, *gate.today):
        exercise = gate.catalogue.get(session.exercise)
        if (
            exercise is not None
            and exercise.category == "neural"
            and not exercise.minimal_symptoms
            and local_day(session.at) >= since
            and session.pain_after is not None
            and session.pain_after > MINIMAL_PAIN
        ):
            return no(f"pain rose to {session.pain_after}/10 after {exercise.id}", cite(session))
    return None
