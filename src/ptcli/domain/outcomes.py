"""Is it working? Findings over a period, from the corrected log (issue 18).

Pure: no I/O, no clock (``today`` is passed in). Choices of ours are marked †:
- Morning pain is the day's first pain entry, whatever the hour (``monitoring.Mornings``,
  the same morning the engine reads) †; a check-out after exercise is never a morning.
- Weeks are 7-day blocks from the period's first day; a week's mean needs mornings on at
  least 3 of its days (``monitoring.MIN_MORNINGS``) †.
- The change in pain compares the first and the last week that have a mean; it is
  clinically meaningful at 2 points or 30 % of the first (DOMAIN 6, NPRS).
- How far symptoms reach: each morning's extent; centralizing when the last is nearer
  the spine than the first, peripheralizing when further down the leg (DOMAIN 3).
- Adherence: each day's prescription is the routine the engine built for that day
  (``engine.build_routine``: the one place that decides, rest days left out), from the
  log as it stood at the end of that day. A prescribed exercise counts as done when a
  session of its chain (any level) was logged that day; today's not done yet are not
  missed †. Times a day are not counted: one session makes the day †.
- The streak: days in a row within the period, back from today (from yesterday while
  nothing is logged today), on which a session was logged; a day with nothing prescribed (an emergency
  stop, every exercise resting) neither counts nor breaks it †.
- "Days without exercise" is said from 2 days on †.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from ptcli.domain.models import Extent, PainEntry, PatientLog, Routine, RoutineItem, SessionEntry
from ptcli.domain.monitoring import MIN_MORNINGS, WEEK, Mornings
from ptcli.domain.when import local_day
from ptcli.domain.wording import days

if TYPE_CHECKING:
    from ptcli.domain.catalogue import Catalogue

_Dated = TypeVar("_Dated", PainEntry, SessionEntry)
NPRS_POINTS = 2.0  # DOMAIN 6: a meaningful change in pain 0-10
NPRS_PERCENT = 30.0
QUIET_DAYS = 2  # † "N days without exercise" from this many days on


class Morning(NamedTuple):
    day: date
    score: int
    where: Extent | None


class WeekMean(NamedTuple):
    first: date  # the week's first day
    mornings: int  # mornings logged in it
    mean: float | None  # None: fewer than 3 mornings


class Change(NamedTuple):
    """A change from ``before`` to ``after`` and whether it is clinically meaningful."""

    before: float
    after: float
    weeks: int  # weeks from the first to the last (inclusive)
    meaningful: bool

    @property
    def points(self) -> float:
        return self.after - self.before

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.before if self.before else None


class Adherence(NamedTuple):
    """Sessions done against prescribed: a day's prescribed exercise done or not."""

    done: int
    prescribed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.prescribed) if self.prescribed else None


class WeekAdherence(NamedTuple):
    first: date
    adherence: Adherence


class ExerciseAdherence(NamedTuple):
    exercise: str  # its id
    name: str
    adherence: Adherence


class DayPlan(NamedTuple):
    """What the engine prescribed on a day, and which of it was done."""

    day: date
    routine: Routine
    done: frozenset[str]  # ids of the prescribed exercises done that day


class Outcomes(NamedTuple):
    first: date
    last: date
    mornings: tuple[Morning, ...]
    weeks: tuple[WeekMean, ...]
    pain_change: Change | None
    extent_trend: str | None  # "centralizing", "peripheralizing", "unchanged"; None: not known
    extent_since: tuple[Extent, Extent, date] | None  # (from, to, since): the last move
    adherence: Adherence
    weekly: tuple[WeekAdherence, ...]
    by_exercise: tuple[ExerciseAdherence, ...]
    streak: int
    quiet_days: int | None  # days since the last session (None: none in the period)
    last_session: date | None
    findings: tuple[str, ...]


def meaningful(before: float, after: float) -> bool:
    """A change in NPRS of 2 points or 30 % of ``before`` (DOMAIN 6), either way."""
    change = abs(after - before)
    if change >= NPRS_POINTS - 1e-9:
        return True
    return before > 0 and 100 * change / before >= NPRS_PERCENT - 1e-9


def mornings(pain: Iterable[PainEntry], first: date, last: date) -> list[Morning]:
    """The first pain entry of each day from ``first`` to ``last``."""
    by_day = Mornings(list(pain)).by_day
    return [
        Morning(day, e.score, e.where) for day, e in sorted(by_day.items()) if first <= day <= last
    ]


def weekly_means(days: Sequence[Morning], first: date, last: date) -> list[WeekMean]:
    weeks = []
    start = first
    while start <= last:
        scores = [m.score for m in days if start <= m.day < start + timedelta(days=WEEK)]
        mean = sum(scores) / len(scores) if len(scores) >= MIN_MORNINGS else None
        weeks.append(WeekMean(start, len(scores), mean))
        start += timedelta(days=WEEK)
    return weeks


def pain_change(weeks: Sequence[WeekMean]) -> Change | None:
    """First against last week with a mean (None: fewer than two such weeks)."""
    known = [(n, w) for n, w in enumerate(weeks) if w.mean is not None]
    if len(known) < 2:
        return None
    (i, before), (j, after) = known[0], known[-1]
    assert before.mean is not None and after.mean is not None
    b, a = round(before.mean, 1), round(after.mean, 1)
    return Change(b, a, j - i + 1, meaningful(b, a))


def extent_trend(days: Sequence[Morning]) -> str | None:
    known = [m.where for m in days if m.where is not None]
    if len(known) < 2:
        return None
    if known[-1] < known[0]:
        return "centralizing"
    return "peripheralizing" if known[-1] > known[0] else "unchanged"


def extent_move(days: Sequence[Morning]) -> tuple[Extent, Extent, date] | None:
    """The last change of how far the mornings reach: (from, to, the day of the change)."""
    known = [(m.day, m.where) for m in days if m.where is not None]
    for (_, before), (day, after) in reversed(list(pairwise(known))):
        if after != before:
            return before, after, day
    return None


def day_plans(
    catalogue: "Catalogue", log: PatientLog, first: date, last: date, history_days: int
) -> list[DayPlan]:
    """Each day's routine as the engine built it from the log as it stood at that day's
    end, and which of its exercises were done that day (a session of the chain)."""
    from ptcli.domain.engine import build_routine

    pain, sessions = _ByDay(log.pain), _ByDay(log.sessions)
    plans = []
    day = first
    while day <= last:
        since = day - timedelta(days=history_days)
        on = log._replace(
            pain=pain.between(since, day),
            sessions=sessions.between(since, day),
            screens=tuple(s for s in log.screens if local_day(s.at) <= day),
            clearances=tuple(c for c in log.clearances if local_day(c.at) <= day),
            plan=tuple(c for c in log.plan if local_day(c.at) <= day),
        )
        routine = build_routine(catalogue, on, day)
        chains = {s.exercise for s in sessions.between(day, day)}
        done = frozenset(
            item.exercise.id
            for item in routine.items
            if any(e.id in chains for e in catalogue.chain(item.exercise.chain))
        )
        plans.append(DayPlan(day, routine, done))
        day += timedelta(days=1)
    return plans


class _ByDay(Generic[_Dated]):
    """Entries in the order of their days, each day read once: a period is two bisects."""

    def __init__(self, entries: Iterable[_Dated]) -> None:
        dated = sorted(((local_day(e.at), e) for e in entries), key=lambda p: (p[0], p[1].at))
        self.days: list[date] = [d for d, _ in dated]
        self.entries: list[_Dated] = [e for _, e in dated]

    def between(self, first: date, last: date) -> tuple[_Dated, ...]:
        return tuple(self.entries[bisect_left(self.days, first) : bisect_right(self.days, last)])


def _between(entries: Sequence[_Dated], first: date, last: date) -> tuple[_Dated, ...]:
    return tuple(e for e in entries if first <= local_day(e.at) <= last)


def adherence(plans: Sequence[DayPlan], today: date) -> Adherence:
    done = prescribed = 0
    for plan in plans:
        for item in plan.routine.items:
            is_done = item.exercise.id in plan.done
            if plan.day < today or is_done:  # today's not done yet are not missed
                prescribed += 1
                done += is_done
    return Adherence(done, prescribed)


def streak(plans: Sequence[DayPlan], sessions: Sequence[SessionEntry], today: date) -> int:
    logged = {local_day(s.at) for s in sessions}
    count = 0
    for plan in sorted(plans, key=lambda p: p.day, reverse=True):
        if plan.day > today or (plan.day == today and plan.day not in logged):
            continue
        if plan.day in logged:
            count += 1
        elif plan.routine.items:
            break
    return count


def outcomes(
    log: PatientLog, plans: Sequence[DayPlan], first: date, last: date, today: date
) -> Outcomes:
    """The findings from ``first`` to ``last``: ``log`` holds the period (and more),
    ``plans`` each of its days up to today (``day_plans``)."""
    days = mornings(log.pain, first, last)
    weeks = weekly_means(days, first, last)
    change = pain_change(weeks)
    weekly = [
        WeekAdherence(
            w.first,
            adherence(
                [p for p in plans if w.first <= p.day < w.first + timedelta(days=WEEK)], today
            ),
        )
        for w in weeks
    ]
    names: dict[str, str] = {}
    for plan in plans:
        for item in plan.routine.items:
            names.setdefault(item.exercise.id, item.exercise.name)
    by_exercise = [
        ExerciseAdherence(
            exercise_id, name, adherence([_only(p, exercise_id) for p in plans], today)
        )
        for exercise_id, name in names.items()
    ]
    period_sessions = _between(log.sessions, first, last)
    last_session = max((local_day(s.at) for s in period_sessions), default=None)
    quiet = (min(last, today) - last_session).days if last_session is not None else None
    total = adherence(plans, today)
    result = Outcomes(
        first=first,
        last=last,
        mornings=tuple(days),
        weeks=tuple(weeks),
        pain_change=change,
        extent_trend=extent_trend(days),
        extent_since=extent_move(days),
        adherence=total,
        weekly=tuple(weekly),
        by_exercise=tuple(by_exercise),
        streak=streak(plans, period_sessions, today),
        quiet_days=quiet,
        last_session=last_session,
        findings=(),
    )
    return result._replace(findings=tuple(findings(result)))


def _only(plan: DayPlan, exercise_id: str) -> DayPlan:
    """The day's plan with one exercise (for adherence by exercise)."""
    items = tuple(i for i in plan.routine.items if i.exercise.id == exercise_id)
    return plan._replace(routine=plan.routine._replace(items=items))


def short_day(day: date) -> str:
    """'12 May'."""
    return f"{day.day} {day:%b}"


def findings(result: Outcomes) -> list[str]:
    """The findings in plain words, most telling first."""
    said = []
    change = result.pain_change
    if change is not None:
        weeks = f"over {change.weeks} weeks"
        if change.points == 0:
            head = f"morning pain unchanged at {change.before:.1f} {weeks}"
        else:
            way = "down" if change.points < 0 else "up"
            head = f"morning pain {way} from {change.before:.1f} to {change.after:.1f} {weeks}"
        verdict = (
            "a clinically meaningful change"
            if change.meaningful
            else "not yet a clinically meaningful change"
        )
        said.append(f"{head}: {verdict} ({NPRS_POINTS:g} points or {NPRS_PERCENT:g} %)")
    elif result.mornings:
        said.append(
            f"morning pain logged on {days(len(result.mornings))}: too few for weekly means "
            f"({MIN_MORNINGS} mornings a week) to compare"
        )
    else:
        said.append("no pain logged in this period")
    move = result.extent_since
    if move is not None:
        before, after, day = move
        if after < before:
            said.append(
                f"{before.place} pain has moved back to the {after.place} since {short_day(day)}"
            )
        else:
            said.append(
                f"{before.place} pain has spread to the {after.place} since {short_day(day)}"
            )
    elif result.extent_trend == "unchanged" and result.mornings:
        where = next(m.where for m in reversed(result.mornings) if m.where is not None)
        said.append(f"symptoms reach the {where.place}, unchanged")
    if result.quiet_days is None:
        said.append("no exercise logged in this period")
    elif result.quiet_days >= QUIET_DAYS:
        assert result.last_session is not None
        said.append(
            f"{days(result.quiet_days)} without exercise (last on {short_day(result.last_session)})"
        )
    elif result.streak >= QUIET_DAYS:
        said.append(f"exercised {result.streak} days in a row")
    total = result.adherence
    if total.percent is not None:
        said.append(
            f"{total.done} of {total.prescribed} prescribed exercises done ({total.percent} %)"
        )
    return said


class DoseChange(NamedTuple):
    """A day the engine prescribed an exercise of a chain at another dose or level than
    the day before it was last prescribed, and the rule that did it."""

    day: date
    before: RoutineItem
    after: RoutineItem
    rule: str
    text: str  # the rule in words, as ``routine --explain`` says it

    @property
    def direction(self) -> str:
        """'stepped up', 'stepped down' or 'changed' (by the engine's dose order)."""
        from ptcli.domain.progression import Dosed

        old = Dosed(self.before.exercise, self.before.sets, self.before.reps, self.before.hold_s)
        new = Dosed(self.after.exercise, self.after.sets, self.after.reps, self.after.hold_s)
        if new.key > old.key:
            return "stepped up"
        return "stepped down" if new.key < old.key else "changed"


def dose_changes(plans: Sequence[DayPlan]) -> list[DoseChange]:
    """Each change of an exercise's prescription along its chain, oldest first."""
    last: dict[str, RoutineItem] = {}
    changes = []
    for plan in plans:
        for item in plan.routine.items:
            chain = item.exercise.chain or item.exercise.id
            before = last.get(chain)
            if before is not None and _dose(before) != _dose(item):
                reason = item.reason
                rule, text = (reason.rule, reason.text) if reason else ("", item.why)
                changes.append(DoseChange(plan.day, before, item, rule, text))
            last[chain] = item
    return changes


def _dose(item: RoutineItem) -> tuple[str, int, int, int | None, int]:
    return (item.exercise.id, item.sets, item.reps, item.hold_s, item.times_per_day)
