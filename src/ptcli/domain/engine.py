"""Today's routine: a pure function of (catalogue, patient log, date).

Whether an exercise may be done today, and at most at what dose, is the gate's
(``gate``: flags, band, preference, pool, spreading, minimal symptoms, rest days);
this module chooses among what the gate allows, in the order of DOMAIN.md section 4:
1. An active emergency flag blocks the routine; an urgent one, or emergency questions
   never all answered, freezes progression and keeps to the gentle (amber) programme †.
2. The band of today's pain (the worst entry of today, else yesterday's last †) sets
   the slots per category; with no pain logged the routine is the amber one.
3. Peripheralization (M2, ``spreading``): the chain falls back to its first allowed level.
4. The therapist's plan pins exercises and doses; they skip the slot count, the
   preference and "therapist only", never the safety rules, and never progress.
5. Each other chain continues from its last endorsed session (14 days †) and steps
   harder, holds or steps easier by the pain-monitoring model (``monitoring``,
   ``progression``); walking and pool minutes rise at most 5 a week (DOMAIN 4).

``_fill`` is the one place that fills the slots. Two slots have rules of their own †:
the day's pool exercise (``pool_done_today``) and self-massage, once done, keep their
slot for the rest of the day; and self-massage (DOMAIN 9) has a slot of its own in green
and amber (none in red: the gate refuses it there), filled last and only alongside
exercise, so it never takes the McKenzie slot or any other.

Every decision carries a ``Reason`` that names the rule and the log entries it read.
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain import monitoring, plan, safety
from ptcli.domain.catalogue import Catalogue
from ptcli.domain.gate import Gate, Refusal, open_gate
from ptcli.domain.models import (
    Alert,
    Band,
    Exercise,
    LeftOut,
    PainEntry,
    PainReading,
    PatientLog,
    PlanChange,
    Reason,
    Resting,
    Routine,
    RoutineItem,
    SessionEntry,
)
from ptcli.domain.monitoring import Mornings, Verdict, cite
from ptcli.domain.progression import (
    Dosed,
    at_top,
    easier,
    harder,
    lowest,
    usual,
    within_range,
)
from ptcli.domain.when import local_day

HISTORY_DAYS = 14  # how much of the log the engine reads (the caller may pass more)
MINUTES_CATEGORIES = ("aerobic", "hydrotherapy")  # holds in minutes: at most +5 a week
# Timed, not held: "for 10 min" on a drawing (self-massage: minutes a region).
KEEP_GOING_CATEGORIES = (*MINUTES_CATEGORIES, "massage")
WEEKLY_MINUTES_S = 300

# Order of the categories in a routine, and how many chains of each a band offers.
ORDER = (
    "mckenzie",
    "neural",
    "isometric",
    "isotonic",
    "stretch",
    "aerobic",
    "hydrotherapy",
    "massage",  # last: only alongside exercise (NICE), never in another category's slot
)
SLOTS: dict[Band, dict[str, int]] = {
    Band.GREEN: {
        "mckenzie": 1,
        "neural": 1,
        "isometric": 3,
        "isotonic": 1,
        "stretch": 1,
        "aerobic": 1,
        "hydrotherapy": 1,
        "massage": 1,
    },
    Band.AMBER: {
        "mckenzie": 1,
        "neural": 1,
        "isometric": 2,
        "aerobic": 1,
        "hydrotherapy": 1,
        "massage": 1,
    },
    Band.RED: {"mckenzie": 1, "isometric": 1, "aerobic": 1, "hydrotherapy": 1},
}
CATEGORY_NAMES = {"mckenzie": "McKenzie", "neural": "Nerve glide"}

STOP_RULE = (
    "Stop any exercise that makes pain spread further down your leg, and go back to the easier one."
)


class _LeftOut(NamedTuple):
    exercise: str
    refusal: Refusal
    resting: Resting | None = None  # a rest day: listed, "rest today (next: Tuesday)"

    @property
    def keeps_slot(self) -> bool:
        """A rest day keeps its slot, so no other exercise swaps in."""
        return self.refusal.rule == "rest-day"

    @property
    def shown(self) -> LeftOut:
        return LeftOut(self.exercise, self.refusal.text, self.refusal.rule)


class DoneToday(NamedTuple):
    """A one-a-day slot already done today: the chain that did it (None: no chain of
    the catalogue, such as a hydrotherapy class), and why, for --explain."""

    chain: str | None
    reason: Reason


def pool_done_today(gate: Gate, log: PatientLog) -> DoneToday | None:
    """Whether the day's pool exercise is done, and by what: the one place that decides.

    A water class done today (an appointment, DOMAIN 9) fills the slot: no chain, nothing
    more to do. Otherwise a session of a pool exercise logged today: its chain keeps the
    pool slot for the rest of the day (the routine does not swap to another one).
    """
    water_class = pool_class_done(log, gate.day)
    if water_class is not None:
        return DoneToday(None, water_class)
    return _first_today(gate, lambda e: e.pool, "pool-done-today", "the day's pool exercise")


def _massage_done_today(gate: Gate) -> DoneToday | None:
    """Self-massage at most once a day: one done today keeps the massage slot."""
    return _first_today(
        gate, lambda e: e.category == "massage", "massage-done-today", "the day's self-massage"
    )


def _first_today(
    gate: Gate, counts: Callable[[Exercise], bool], rule: str, what: str
) -> DoneToday | None:
    for session in sorted(gate.today, key=lambda s: (s.at, s.id)):
        exercise = gate.catalogue.get(session.exercise)
        if exercise is not None and counts(exercise):
            text = f"{exercise.name} was done today: it is {what}."
            return DoneToday(exercise.chain, Reason(rule, text, (cite(session),)))
    return None


class _Day(NamedTuple):
    """What every chain's decision reads: the gate, and the log's verdicts for the day."""

    gate: Gate
    pain: Sequence[PainEntry]
    mornings: Mornings
    plan: Sequence[PlanChange]  # every change, to know what was pinned when
    flare: Reason | None
    freeze: Reason | None  # why nothing may progress today
    pins: dict[str, PlanChange]
    rest_days: bool  # leave out what rests today (False: the week's programme, for calendars)
    # One-a-day slots done today, by category (only with rest_days: not in the week's
    # programme): the pool exercise and self-massage.
    done_today: dict[str, DoneToday]

    @property
    def catalogue(self) -> Catalogue:
        return self.gate.catalogue

    @property
    def day(self) -> date:
        return self.gate.day

    @property
    def band(self) -> Band:
        return self.gate.band


def build_routine(
    catalogue: Catalogue,
    log: PatientLog,
    day: date,
    stated: PainReading | None = None,
    rest_days: bool = True,
) -> Routine:
    """The routine for ``day``; ``stated`` replaces the log's pain (the therapist's quick routine).

    ``rest_days=False`` keeps the exercises that rest today: the programme of the week,
    as a calendar schedules it on its own days.
    """
    return _build(open_gate(catalogue, log, day, stated), log, stated, rest_days)[0]


def build_with(
    gate: Gate, log: PatientLog, rest_days: bool, stated: PainReading | None = None
) -> tuple[Routine, Reason | None]:
    """The routine the engine builds behind ``gate`` (a printout asks it for a day of each
    band), and why nothing may progress on it (None: doses may step up)."""
    routine, ctx = _build(gate, log, stated, rest_days)
    return routine, ctx.freeze


def offer(
    catalogue: Catalogue, log: PatientLog, day: date, ids: Sequence[str]
) -> tuple[Routine, list[RoutineItem | Refusal]]:
    """Today's routine, and each named exercise as it may be done today, or why not.

    A named exercise in the routine comes at the routine's dose. Any other passes the
    gate, may not be a level of its chain above what the chain has reached (the routine's
    level, else the highest level reached by its own steps), and comes at most at today's
    dose: the pin's or the usual dose, never more than last time, capped for the band.
    """
    gate = open_gate(catalogue, log, day)
    routine, ctx = _build(gate, log, None, True)
    prescribed = {item.exercise.id: item for item in routine.items}
    offered: list[RoutineItem | Refusal] = []
    for exercise_id in ids:
        exercise = catalogue.get(exercise_id)
        if exercise is None:
            raise ValueError(f"unknown exercise {exercise_id!r}")
        if exercise_id in prescribed:
            offered.append(prescribed[exercise_id])
            continue
        pin = ctx.pins.get(exercise_id)
        refusal = (
            gate.refuses(exercise, pinned=pin is not None)
            or gate.rests(exercise)
            or (None if pin else _level_ahead(ctx, routine, exercise))
        )
        if refusal is not None:
            offered.append(refusal)
            continue
        start = Dosed(exercise, *plan.dose_of(pin, exercise)[:3]) if pin else usual(exercise)
        done = _sessions_of(ctx, {exercise_id})
        whole = _whole(done)
        if whole is not None:
            last = within_range(exercise, whole.sets, whole.reps, whole.hold_s)
            start = min(start, last, key=lambda d: d.key)
        if done and _verdict(ctx, done).action == "regress":  # the log calls for less
            start = easier(start, None) or start
        reason = Reason("named", "Not in today's routine: asked for by name, at most today's dose.")
        item = _finish(ctx, start, None, reason, pin.per_day if pin else None, rest=False)
        assert isinstance(item, RoutineItem)
        offered.append(item)
    return routine, offered


def _build(
    gate: Gate, log: PatientLog, stated: PainReading | None, rest_days: bool
) -> tuple[Routine, _Day]:
    day, band, reading = gate.day, gate.band, gate.reading
    pain_reason = _pain_reason(gate, stated)
    alerts = [Alert(f.item.level, f.item.id, _flag_text(f)) for f in gate.flags]
    reasons: list[Reason | None] = [pain_reason, *(_flag_reason(f, log) for f in gate.flags)]
    mornings = Mornings(log.pain)
    ctx = _Day(
        gate=gate,
        pain=log.pain,
        mornings=mornings,
        plan=log.plan,
        flare=None,
        freeze=None,
        pins={},
        rest_days=rest_days,
        done_today=_done_today(gate, log) if rest_days else {},
    )
    logged = local_day(gate.read_from.at) if gate.read_from is not None else day
    if gate.emergency:
        symptoms = [f.item.symptom for f in gate.emergency]
        message = f"You reported {_join(symptoms)}. {safety.EMERGENCY_ADVICE}"
        known = tuple(r for r in reasons if r is not None)
        blocked = Routine(day, "blocked", band, reading, message, (), tuple(alerts), known)
        return blocked, ctx

    for p in gate.spread:
        when = "today" if p.day == day else f"on {p.day}"
        text = (
            f"{p.exercise.name} made pain spread further down the leg {when}: left out "
            "with harder exercises in its direction; tell your therapist."
        )
        alerts.append(Alert(safety.CAUTION, p.exercise.id, text))
        reasons.append(Reason("peripheralization", text, (cite(p.session),)))
    for reason in _too_painful_today(gate):
        alerts.append(Alert(safety.CAUTION, "pain-after", reason.text))
        reasons.append(reason)
    if gate.spreading is not None:
        alerts.append(Alert(safety.CAUTION, "spreading", gate.spreading.text))
    if stated is None:
        if gate.unscreened:
            text = (
                "Answer the safety questions first: run 'ptcli screen'. "
                "Until they are answered, only the gentle programme."
            )
            alerts.insert(0, Alert(safety.CAUTION, "screen", text))
        elif safety.screen_due(log.screens, day):
            text = "No safety screen in the last 7 days: run 'ptcli screen'."
            alerts.append(Alert(safety.CAUTION, "screen", text))
        if gate.profile.side == "both" and not _answered(log, "both-legs"):
            text = (
                "Your profile says both legs: answer whether this is new with 'ptcli screen' "
                "(symptoms in both legs can be an emergency)."
            )
            alerts.insert(0, Alert(safety.CAUTION, "both-legs", text))
    flare = monitoring.morning_flare(mornings, day) if stated is None else None
    worse = monitoring.worsening_week(mornings, day) if stated is None else None
    freeze = _freeze(gate, worse)
    reasons += [flare, worse, freeze if freeze is not worse else None]
    reasons += [done.reason for done in ctx.done_today.values()]
    pins = plan.current(c for c in log.plan if local_day(c.at) <= day)
    ctx = ctx._replace(flare=flare, freeze=freeze, pins=pins)
    if pins:
        reasons.append(
            Reason(
                "plan",
                "The therapist's plan pins " + ", ".join(pins) + ".",
                tuple(_cite_pin(change) for change in pins.values()),
            )
        )
    items, left_out, resting = _fill(ctx, pins)
    message = _message(ctx, reading, logged, gate.urgent)
    routine = Routine(
        date=day,
        status="ok",
        band=band,
        pain=reading,
        message=message,
        items=tuple(items),
        alerts=tuple(alerts),
        reasons=tuple(r for r in reasons if r is not None),
        left_out=tuple(left_out),
        quick=stated is not None,
        pain_day=logged if gate.read_from is not None else None,
        resting=tuple(resting),
    )
    return routine, ctx


def _fill(
    ctx: _Day, pins: dict[str, PlanChange]
) -> tuple[list[RoutineItem], list[LeftOut], list[Resting]]:
    items: list[RoutineItem] = []
    left_out: list[LeftOut] = []
    resting: list[Resting] = []
    for category in ORDER:
        if category == "massage" and not items:
            continue  # NICE: manual therapy only alongside exercise
        pinned = [e for e in ctx.catalogue if e.id in pins and e.category == category]
        wanted = SLOTS[ctx.band].get(category, 0)
        taken = set()  # chains a pin fills (a refused pin leaves its chain to fall back)
        done = ctx.done_today.get(category)
        if done is not None and done.chain is None:
            wanted = 0  # a class filled the slot: nothing of it is left to do today
        for exercise in pinned:
            if done is not None and exercise.chain != done.chain:
                left_out.append(LeftOut(exercise.id, done.reason.text, done.reason.rule))
                continue
            outcome = _pinned(ctx, exercise, pins[exercise.id])
            if isinstance(outcome, RoutineItem):
                items.append(outcome)
            else:
                left_out.append(outcome.shown)
                resting += [outcome.resting] if outcome.resting else []
            if isinstance(outcome, RoutineItem) or outcome.keeps_slot:
                taken.add(exercise.chain)
                wanted -= 1
        for chain in _chains(ctx.catalogue, category):
            if wanted <= 0:
                break
            if chain in taken or _needs_missing_pool(ctx, chain):
                continue  # a pool the patient has no access to is not a decision to explain
            if done is not None and chain != done.chain:
                continue  # the slot was done today (said once, in the reasons)
            result = _chain(ctx, chain)
            if isinstance(result, RoutineItem):
                items.append(result)
            else:
                left_out.append(result.shown)
                resting += [result.resting] if result.resting else []
            if isinstance(result, RoutineItem) or result.keeps_slot:
                wanted -= 1
    return items, left_out, resting


def _done_today(gate: Gate, log: PatientLog) -> dict[str, DoneToday]:
    found = {"hydrotherapy": pool_done_today(gate, log), "massage": _massage_done_today(gate)}
    return {category: done for category, done in found.items() if done is not None}


def _endorsed(ctx: _Day, done: Sequence[SessionEntry]) -> list[SessionEntry]:
    """The sessions of a chain at levels it reached by its own steps (DOMAIN 4 †).

    The first session read is taken as reached (it continues from history the engine
    does not read); after it a level counts when the plan pinned it then, when it is no
    higher than the highest reached, or one above it after a session at the top of that
    level's range. A level
    the patient jumped to alone is not endorsed: the chain continues from the highest
    level reached.
    """
    kept: list[SessionEntry] = []
    top: Dosed | None = None
    for session in done:
        exercise = ctx.catalogue.get(session.exercise)
        if exercise is None:
            continue
        dosed = within_range(exercise, session.sets, session.reps, session.hold_s)
        pinned = exercise.id in plan.current(ctx.plan, until=session.at)
        reached = top is None or pinned or exercise.level <= top.exercise.level
        stepped_up = top is not None and exercise.level == top.exercise.level + 1 and at_top(top)
        if not (reached or stepped_up):
            continue
        kept.append(session)
        if not session.partial and (top is None or dosed.key >= top.key):
            top = dosed
    return kept


def _chain(ctx: _Day, chain: str) -> RoutineItem | _LeftOut:
    """Today's item for one chain, continuing from its last session; or why there is none."""
    levels = ctx.catalogue.chain(chain)
    allowed = [e for e in levels if ctx.gate.refuses(e) is None]
    ids = {e.id for e in levels}
    recent = _sessions_of(ctx, ids)
    done = _endorsed(ctx, recent)
    if not done:
        refusal = ctx.gate.refuses(levels[0])
        if refusal is not None:
            return _LeftOut(levels[0].id, refusal)
        start = usual(levels[0])
        return _finish(
            ctx,
            start,
            None,
            Reason("new", "New: the first level of its chain at the usual dose."),
        )
    last = done[-1]
    exercise = ctx.catalogue.get(last.exercise)
    assert exercise is not None
    current = _dose_base(exercise, last, _whole(done))
    jumped = recent[-1] if recent[-1] is not last else None
    refusal = ctx.gate.refuses(exercise)
    if refusal is not None:
        lower = [e for e in allowed if e.level < exercise.level]
        if not lower:
            return _LeftOut(exercise.id, refusal)
        reason = Reason(
            "fallback",
            f"{exercise.name} is out today ({refusal.text}): back to {lower[0].name}.",
            (cite(last),),
        )
        return _finish(ctx, usual(lower[0]), current, reason)
    verdict = _verdict(ctx, done)
    chosen = current
    if verdict.action == "progress":
        nxt = next((e for e in allowed if e.level == exercise.level + 1), None)
        chosen = harder(current, nxt) or current
        chosen, note = _weekly_minutes(ctx, current, chosen, recent)
        if chosen is current or note:
            text = note or "Already the top of what is allowed today: same dose."
            if chosen is not current:
                rule = verdict.reason.rule  # stepped up, by less than the step
            else:
                rule = "weekly-minutes" if note else "top-allowed"
            verdict = Verdict(
                "repeat" if chosen is current else "progress",
                verdict.reason._replace(rule=rule, text=f"{verdict.reason.text} {text}"),
            )
    elif verdict.action == "regress":
        below = [e for e in allowed if e.level < exercise.level]
        if below and exercise.category == "mckenzie":
            chosen = usual(below[0])  # McKenzie: back to the first level (DOMAIN.md section 3)
        else:
            chosen = easier(current, below[-1] if below else None) or current
    if jumped is not None:
        jumped_to = ctx.catalogue.get(jumped.exercise)
        name = jumped_to.name if jumped_to else jumped.exercise
        verdict = verdict._replace(
            reason=verdict.reason._replace(
                rule="not-endorsed" if verdict.action != "regress" else verdict.reason.rule,
                text=f"{verdict.reason.text} {name} was done without being prescribed: "
                f"the chain continues from {exercise.name}.",
                evidence=(*verdict.reason.evidence, cite(jumped)),
            )
        )
    return _finish(ctx, chosen, current, verdict.reason)


def _weekly_minutes(
    ctx: _Day, current: Dosed, chosen: Dosed, recent: Sequence[SessionEntry]
) -> tuple[Dosed, str]:
    """Walking and pool minutes rise by at most 5 minutes a week (DOMAIN 4): against the
    first session of the exercise done whole in the last 7 days."""
    exercise = chosen.exercise
    if (
        exercise.category not in MINUTES_CATEGORIES
        or chosen.exercise != current.exercise
        or not chosen.hold_s
        or not current.hold_s
        or chosen.hold_s <= current.hold_s
    ):
        return chosen, ""
    first = ctx.day - timedelta(days=7)
    week = [
        s
        for s in recent
        if s.exercise == exercise.id and local_day(s.at) >= first and not s.partial
    ]
    if not week or week[0].hold_s is None:
        return chosen, ""
    cap = week[0].hold_s + WEEKLY_MINUTES_S
    if chosen.hold_s <= cap:
        return chosen, ""
    if cap <= current.hold_s:
        return current, "Minutes rise by at most 5 a week: same time this week."
    return chosen._replace(hold_s=cap), "Minutes rise by at most 5 a week."


def _level_ahead(ctx: _Day, routine: Routine, exercise: Exercise) -> Refusal | None:
    """A named level above what its chain has reached (the routine's level, else the
    highest level reached by its own steps, else the first)."""
    in_routine = [i.exercise for i in routine.items if i.exercise.chain == exercise.chain]
    if in_routine:
        reached = in_routine[0]
    else:
        ids = {e.id for e in ctx.catalogue.chain(exercise.chain)}
        done = _endorsed(ctx, _sessions_of(ctx, ids))
        levels = [ctx.catalogue.get(s.exercise) for s in done]
        reached = max(
            (e for e in levels if e is not None),
            key=lambda e: e.level,
            default=ctx.catalogue.chain(exercise.chain)[0],
        )
    if exercise.level <= reached.level:
        return None
    return Refusal(
        "level-ahead",
        f"level {exercise.level} of the {exercise.chain} chain, and you have reached "
        f"{reached.name} (level {reached.level}): it steps up when sessions go well",
    )


def _pinned(ctx: _Day, exercise: Exercise, pin: PlanChange) -> RoutineItem | _LeftOut:
    """A pinned exercise at its pinned dose: stepped down when the log says so, never up.

    "Never up" counts from what was done: while progression is frozen, or after a
    session that calls for less, a pin above the last dose done does not apply. A pinned
    McKenzie exercise that must step down goes back to its chain's first level (DOMAIN 3).
    """
    refusal = ctx.gate.refuses(exercise, pinned=True)
    if refusal is not None:
        return _LeftOut(exercise.id, refusal)
    sets, reps, hold_s, per_day = plan.dose_of(pin, exercise)
    pinned = Dosed(exercise, sets, reps, hold_s)
    evidence = (_cite_pin(pin),)
    reason = Reason("plan", f"Pinned by the therapist's plan at {pinned.amount}.", evidence)
    done = _sessions_of(ctx, {exercise.id})
    if not done:
        return _finish(ctx, pinned, None, reason, per_day)
    whole = _whole(done)
    last = Dosed(exercise, whole.sets, whole.reps, whole.hold_s) if whole else pinned
    verdict = _verdict(ctx, done)
    chosen = pinned
    if verdict.action == "regress":
        reason = Reason(
            verdict.reason.rule,
            f"{reason.text} {verdict.reason.text}",
            reason.evidence + verdict.reason.evidence,
        )
        base = min(pinned, last, key=lambda d: d.key)
        first = ctx.catalogue.chain(exercise.chain)[0]
        mckenzie = exercise.category == "mckenzie" and first.level < exercise.level
        if mckenzie and ctx.gate.refuses(first) is None:
            # The first level at its usual dose, never more than what was done in any respect.
            start = usual(first)
            hold = min(start.hold_s, base.hold_s) if start.hold_s and base.hold_s else start.hold_s
            start = start._replace(
                sets=min(start.sets, base.sets), reps=min(start.reps, base.reps), hold_s=hold
            )
            text = f"{reason.text} Back to the first level of the chain, {first.name}."
            return _finish(ctx, start, last, reason._replace(text=text))
        chosen = easier(base, None) or base
    elif ctx.freeze is not None and pinned.key > last.key:
        chosen = last
        reason = reason._replace(text=f"{reason.text} Not stepped up yet: {ctx.freeze.text}")
    return _finish(ctx, chosen, last, reason, per_day)


def _verdict(ctx: _Day, done: Sequence[SessionEntry]) -> Verdict:
    verdict = monitoring.judge(done, ctx.pain, ctx.mornings, ctx.gate.spread_ids, ctx.day)
    if ctx.flare is not None and verdict.action != "regress":
        return Verdict("regress", ctx.flare)
    if verdict.action == "progress" and ctx.freeze is not None:
        reason = verdict.reason
        frozen = f"{reason.text} {ctx.freeze.text}"
        return Verdict("repeat", reason._replace(rule=ctx.freeze.rule, text=frozen))
    return verdict


def _finish(
    ctx: _Day,
    chosen: Dosed,
    last: Dosed | None,
    reason: Reason,
    per_day: int | None = None,
    rest: bool = True,
) -> RoutineItem | _LeftOut:
    """The item at ``chosen`` capped by the gate (the lowest dose in red), or a rest day;
    ``change`` against ``last``."""
    exercise = chosen.exercise
    capped = ctx.gate.cap(chosen)
    if capped != chosen:
        chosen = capped
        why = "Red band: the lowest dose." if ctx.band is Band.RED else "Held to the dose ceilings."
        reason = reason._replace(text=f"{reason.text} {why}")
    resting = ctx.gate.rests(exercise) if rest and ctx.rest_days else None
    if resting is not None:
        return _LeftOut(exercise.id, resting, Resting(exercise, ctx.gate.next_day(exercise)))
    if last is None:
        change = "new"
    elif chosen.key > last.key:
        change = "progressed"
    elif chosen.key < last.key:
        change = "regressed"
    else:
        change = "held"
    return RoutineItem(
        exercise=exercise,
        sets=chosen.sets,
        reps=chosen.reps,
        hold_s=chosen.hold_s,
        times_per_day=ctx.gate.times_a_day(exercise, per_day or exercise.dose.times_per_day),
        days_per_week=min(exercise.dose.days_per_week, ctx.gate.limits(exercise).days_per_week),
        why=f"{_place(ctx.catalogue, exercise)}. {reason.text}",
        change=change,
        reason=reason,
    )


def pool_class_done(log: PatientLog, day: date) -> Reason | None:
    """A water class (appointment ``hydrotherapy-class``) done on ``day`` counts as the
    day's pool exercise (DOMAIN 9): it takes the hydrotherapy slot."""
    for visit in log.appointments:
        done = visit.kind == "hydrotherapy-class" and visit.status == "done"
        if done and local_day(visit.at) == day:
            text = (
                f"The water class at {visit.at.astimezone():%H:%M} was today's pool "
                "exercise: no other pool exercise today."
            )
            when = f"{visit.at.astimezone():%Y-%m-%d %H:%M}"
            return Reason("pool-class", text, (f"{when} water class done ({visit.id})",))
    return None


def _too_painful_today(gate: Gate) -> list[Reason]:
    """Pain after a session today above what is acceptable (DOMAIN 4: over 5), the worst
    per exercise: said at once. Today's doses stay as the day began (they read sessions
    before today); tomorrow's routine steps the exercise down."""
    worst: dict[str, SessionEntry] = {}
    for session in gate.today:
        if session.pain_after is not None and session.pain_after > monitoring.ACCEPTABLE:
            known = worst.get(session.exercise)
            if known is None or (session.pain_after or 0) > (known.pain_after or 0):
                worst[session.exercise] = session
    reasons = []
    for session in sorted(worst.values(), key=lambda s: (s.at, s.id)):
        exercise = gate.catalogue.get(session.exercise)
        name = exercise.name if exercise is not None else session.exercise
        reasons.append(
            Reason(
                "pain-after-today",
                f"Pain reached {session.pain_after}/10 after {name} today (over 5 is too much): "
                "go gently for the rest of the day; tomorrow it steps down.",
                (cite(session),),
            )
        )
    return reasons


def _pain_reason(gate: Gate, stated: PainReading | None) -> Reason:
    """Why the day has its band: the pain it was read from."""
    if stated is not None:
        band = Band.for_score(stated.score)
        return Reason("band", f"Stated pain {stated.score}/10: {band.value} band.")
    entry = gate.read_from
    if entry is None:
        return Reason("band", "No pain logged today or yesterday: the gentle (amber) programme.")
    band = Band.for_score(entry.score)
    worst = "Worst pain today" if local_day(entry.at) == gate.day else "Last pain yesterday"
    return Reason("band", f"{worst} {entry.score}/10: {band.value} band.", (cite(entry),))


def _flag_text(flag: safety.Flag) -> str:
    when = f"on {local_day(flag.since)}"
    if flag.item.level == safety.EMERGENCY:
        return f"You reported {flag.item.symptom} {when}: seek emergency care now."
    return (
        f"You reported {flag.item.symptom} {when}: contact your GP or physiotherapist soon. "
        "Gentle exercises only and no progression until then."
    )


def _flag_reason(flag: safety.Flag, log: PatientLog) -> Reason:
    reports = sorted((s for s in log.screens if s.id in flag.reports), key=lambda s: (s.at, s.id))
    evidence = tuple(
        f"{s.at.astimezone():%Y-%m-%d %H:%M} screen: yes to {flag.item.id} ({s.id})"
        for s in reports
    )
    return Reason(f"{flag.item.level}-flag", _flag_text(flag), evidence)


def _freeze(gate: Gate, worse: Reason | None) -> Reason | None:
    if gate.urgent:
        return Reason(
            "urgent-flag",
            "An urgent flag is active: gentle exercises only and no progression until it is cleared.",
        )
    if gate.unscreened:
        return Reason(
            "unscreened",
            "The emergency questions are not all answered yet ('ptcli screen'): "
            "the gentle (amber) programme and no progression.",
        )
    if worse is not None:
        return worse
    if gate.spreading is not None:
        return gate.spreading
    if gate.band is not Band.GREEN:
        return Reason("band-holds", f"{gate.band.value.capitalize()} band: no progression today.")
    return None


def _answered(log: PatientLog, item: str) -> bool:
    return any(item in s.yes or item in s.no for s in log.screens)


def _cite_pin(change: PlanChange) -> str:
    return f"{change.at.astimezone():%Y-%m-%d %H:%M} plan set {change.exercise} ({change.id})"


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _dose_base(exercise: Exercise, last: SessionEntry, whole: SessionEntry | None) -> Dosed:
    """The dose the next step starts from: the last session's, or when it stopped part way,
    the last one done whole at that level; with none, the level's usual dose (as a new
    chain starts), or its lowest after a step up to it (as ``harder`` gives)."""
    if whole is not None and whole.exercise == last.exercise:
        return within_range(exercise, whole.sets, whole.reps, whole.hold_s)
    return usual(exercise) if whole is None else lowest(exercise)


def _whole(done: Sequence[SessionEntry]) -> SessionEntry | None:
    """The last session done whole: a session stopped part way (``partial``) is never the
    dose the next step starts from."""
    return next((s for s in reversed(done) if not s.partial), None)


def _sessions_of(ctx: _Day, ids: set[str]) -> list[SessionEntry]:
    """Sessions of these exercises before today, in the last HISTORY_DAYS days, oldest first."""
    first = ctx.day - timedelta(days=HISTORY_DAYS)
    return [s for s in ctx.gate.sessions if s.exercise in ids and local_day(s.at) >= first]


def _needs_missing_pool(ctx: _Day, chain: str) -> bool:
    return not ctx.gate.profile.pool and all(e.pool for e in ctx.catalogue.chain(chain))


def _place(catalogue: Catalogue, exercise: Exercise) -> str:
    chain_length = len(catalogue.chain(exercise.chain))
    if chain_length > 1:
        return f"Level {exercise.level} of {chain_length} of the {exercise.chain} chain"
    return f"{CATEGORY_NAMES.get(exercise.category, exercise.category.capitalize())} exercise"


def _chains(catalogue: Catalogue, category: str) -> list[str]:
    """The chains of a category in the order they first appear in the catalogue."""
    return list(dict.fromkeys(e.chain for e in catalogue if e.category == category))


def _message(
    ctx: _Day, reading: PainReading | None, logged: date, urgent: Sequence[safety.Flag]
) -> str:
    if reading is None:
        parts = [
            "No pain logged for today, so this is the gentle programme.",
            "Log how you are with 'ptcli pain log SCORE --where PLACE' for a routine fitted to today.",
        ]
    else:
        where = (
            f" reaching the {reading.where.place}" if reading.where and reading.where.value else ""
        )
        when = " (logged yesterday)" if logged < ctx.day else ""
        pain_band = Band.for_score(reading.score)
        gentler = ""
        if ctx.band is not pain_band:  # the gate keeps a green day gentle
            why = "an urgent flag" if urgent else "the safety questions are not all answered"
            gentler = f", but gentle while {why}"
        parts = [f"Pain {reading.score}/10{where}{when}: {pain_band.value}{gentler}."]
        parts.append(
            {
                Band.GREEN: "Full programme; doses step up after easy sessions.",
                Band.AMBER: "Gentle programme: keep the same dose and do not push on.",
                Band.RED: "Relief positions and gentle movement only, at the lowest dose. "
                "If pain keeps rising or spreads down the leg, contact your physiotherapist.",
            }[ctx.band]
        )
    if urgent:
        symptoms = _join([f.item.symptom for f in urgent])
        parts.append(
            f"You reported {symptoms}: contact your GP or physiotherapist soon. "
            "Until then, gentle exercises only and no progression."
        )
    if ctx.flare is not None:
        parts.append("Pain is up on your usual mornings: every exercise is one step easier today.")
    for p in ctx.gate.spread:
        kind = (
            f" in {p.exercise.direction}" if p.exercise.direction != "neutral" else " of its kind"
        )
        parts.append(
            f"Left out: {p.exercise.name} and harder exercises{kind}, because pain spread "
            f"further down the leg after it on {p.day.isoformat()}; tell your therapist."
        )
    parts.append(STOP_RULE)
    return " ".join(parts)
