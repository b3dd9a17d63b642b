"""Today's routine: a pure function of (catalogue, patient log, date).

The order of the rules is the order of DOMAIN.md section 4's table, and safety wins:
1. An active emergency flag blocks the routine; an urgent one freezes progression and
   keeps to the gentle (amber) programme † (``safety``).
2. The band of today's pain (the latest entry from today or yesterday †) sets what may
   be offered: slots per category, no isotonic work in red, the lowest dose in red.
   With no pain logged the routine is the amber one and asks for a log.
3. Peripheralization (M2): a session after which symptoms reached further down the
   leg than the last record before it (24 h) † puts that exercise, the harder levels
   of its chain and every other exercise of its direction out for that day and the
   next two †; the chain falls back to its first level.
4. The therapist's plan pins exercises and doses; they skip the slot count, the
   preference and "therapist only", never the safety rules, and never progress.
5. Each other chain continues from its last session (14 days †) and steps harder,
   holds or steps easier by the pain-monitoring model (``monitoring``, ``progression``).
6. Exercises done at most 3 days a week (strengthening, pool) never come on
   consecutive days; every exercise at most its days a week in any 7 days.

Every decision carries a ``Reason`` that names the rule and the log entries it read.
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain import monitoring, plan, safety
from ptcli.domain.catalogue import Catalogue
from ptcli.domain.models import (
    Alert,
    Band,
    Exercise,
    Extent,
    PainEntry,
    PainReading,
    PatientLog,
    PlanChange,
    Profile,
    Reason,
    Routine,
    RoutineItem,
    SessionEntry,
)
from ptcli.domain.monitoring import Mornings, Verdict, cite
from ptcli.domain.progression import Dosed, easier, harder, lowest, usual, within_range

HISTORY_DAYS = 14  # how much of the log the engine reads (the caller may pass more)
PAIN_VALID_DAYS = 2  # † today's pain: an entry from today or yesterday
PERIPHERALIZED_DAYS = 3  # † an exercise that spread symptoms stays out this day and the next two
BASELINE_WINDOW = timedelta(hours=24)  # † the pain entry a session is compared with
DEFAULT_PREFERENCE = "extension"  # † until a therapist assesses the directional preference
OPPOSITE = {"extension": "flexion", "flexion": "extension"}
NO_CONSECUTIVE_DAYS = 3  # † exercises done at most this many days a week rest between days

# Order of the categories in a routine, and how many chains of each a band offers.
ORDER = ("mckenzie", "neural", "isometric", "isotonic", "stretch", "aerobic", "hydrotherapy")
SLOTS: dict[Band, dict[str, int]] = {
    Band.GREEN: {
        "mckenzie": 1,
        "neural": 1,
        "isometric": 3,
        "isotonic": 1,
        "stretch": 1,
        "aerobic": 1,
        "hydrotherapy": 1,
    },
    Band.AMBER: {"mckenzie": 1, "neural": 1, "isometric": 2, "aerobic": 1, "hydrotherapy": 1},
    Band.RED: {"mckenzie": 1, "isometric": 1, "aerobic": 1, "hydrotherapy": 1},
}
# Loaded isotonic work is never offered in red: a safety rule, not a catalogue choice.
NEVER_IN_RED = frozenset({"isotonic"})
CATEGORY_NAMES = {"mckenzie": "McKenzie", "neural": "Nerve glide"}

STOP_RULE = (
    "Stop any exercise that makes pain spread further down your leg, and go back to the easier one."
)
EMERGENCY_ADVICE = (
    "Seek emergency care now: call your emergency number or go to an emergency department. "
    "This can be a sign of nerve compression (cauda equina syndrome) that needs treatment within "
    "hours. No exercises until a clinician has seen you; then record it with "
    "'ptcli flag clear ITEM --note TEXT'."
)


class Peripheralization(NamedTuple):
    exercise: Exercise
    day: date
    session: SessionEntry


class _LeftOut(NamedTuple):
    exercise: str
    why: str
    keeps_slot: bool = False  # a rest day keeps its slot, so no other exercise swaps in


class _Day(NamedTuple):
    """What every chain's decision reads."""

    catalogue: Catalogue
    day: date
    band: Band
    profile: Profile
    preference: str
    pain: Sequence[PainEntry]
    sessions: Sequence[SessionEntry]  # before today, oldest first
    today: Sequence[SessionEntry]
    mornings: Mornings
    spread: Sequence[Peripheralization]
    spread_ids: set[str]
    flare: Reason | None
    freeze: Reason | None  # why nothing may progress today
    rest_days: bool  # leave out what rests today (False: the week's programme, for calendars)


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
    reading, pain_reason, logged = _reading(log.pain, day, stated)
    band = Band.for_score(reading.score) if reading is not None else Band.AMBER
    flags = safety.active_flags(log.screens, log.clearances, day)
    alerts = [Alert(f.item.level, f.item.id, _flag_text(f)) for f in flags]
    reasons: list[Reason | None] = [pain_reason, *(_flag_reason(f, log) for f in flags)]
    if any(f.item.level == safety.EMERGENCY for f in flags):
        symptoms = [f.item.symptom for f in flags if f.item.level == safety.EMERGENCY]
        message = f"You reported {_join(symptoms)}. {EMERGENCY_ADVICE}"
        known = tuple(r for r in reasons if r is not None)
        return Routine(day, "blocked", band, reading, message, (), tuple(alerts), known)

    urgent = [f for f in flags if f.item.level == safety.URGENT]
    if urgent and band is Band.GREEN:
        band = Band.AMBER
    mornings = Mornings(log.pain)
    spread_ids = {s.id for s in log.sessions if spread_after(s, log.pain, log.sessions)}
    spread = _peripheralized(catalogue, log.sessions, day, spread_ids)
    for p in spread:
        text = (
            f"{p.exercise.name} made pain spread further down the leg on {p.day}: left out "
            "with harder exercises in its direction; tell your therapist."
        )
        alerts.append(Alert(safety.CAUTION, p.exercise.id, text))
        reasons.append(Reason("peripheralization", text, (cite(p.session),)))
    if stated is None and safety.screen_due(log.screens, day):
        text = "No safety screen in the last 7 days: run 'ptcli screen'."
        alerts.append(Alert(safety.CAUTION, "screen", text))
    flare = monitoring.morning_flare(mornings, day) if stated is None else None
    worse = monitoring.worsening_week(mornings, day) if stated is None else None
    freeze = _freeze(band, urgent, worse)
    reasons += [flare, worse, freeze if freeze is not worse else None]
    ctx = _Day(
        catalogue=catalogue,
        day=day,
        band=band,
        profile=log.profile,
        preference=log.profile.preference or DEFAULT_PREFERENCE,
        pain=log.pain,
        sessions=sorted((s for s in log.sessions if s.at.date() < day), key=_order),
        today=[s for s in log.sessions if s.at.date() == day],
        mornings=mornings,
        spread=spread,
        spread_ids=spread_ids,
        flare=flare,
        freeze=freeze,
        rest_days=rest_days,
    )
    pins = plan.current(c for c in log.plan if c.at.date() <= day)
    if pins:
        reasons.append(
            Reason(
                "plan",
                "The therapist's plan pins " + ", ".join(pins) + ".",
                tuple(_cite_pin(change) for change in pins.values()),
            )
        )
    items, left_out = _fill(ctx, pins)
    message = _message(ctx, reading, logged, urgent)
    return Routine(
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
    )


def _fill(
    ctx: _Day, pins: dict[str, PlanChange]
) -> tuple[list[RoutineItem], list[tuple[str, str]]]:
    items: list[RoutineItem] = []
    left_out: list[tuple[str, str]] = []
    for category in ORDER:
        pinned = [e for e in ctx.catalogue if e.id in pins and e.category == category]
        if ctx.band is Band.RED and category in NEVER_IN_RED:
            left_out += [(e.id, "no loaded exercise in the red band") for e in pinned]
            continue
        wanted = SLOTS[ctx.band].get(category, 0)
        taken = {e.chain for e in pinned}
        for exercise in pinned:
            outcome = _pinned(ctx, exercise, pins[exercise.id])
            if isinstance(outcome, RoutineItem):
                items.append(outcome)
            else:
                left_out.append((outcome.exercise, outcome.why))
            wanted -= 1
        for chain in _chains(ctx.catalogue, category):
            if wanted <= 0:
                break
            if chain in taken or _needs_missing_pool(ctx, chain):
                continue  # a pool the patient has no access to is not a decision to explain
            result = _chain(ctx, chain)
            if isinstance(result, RoutineItem):
                items.append(result)
            else:
                left_out.append((result.exercise, result.why))
            if isinstance(result, RoutineItem) or result.keeps_slot:
                wanted -= 1
    return items, left_out


def _chain(ctx: _Day, chain: str) -> RoutineItem | _LeftOut:
    """Today's item for one chain, continuing from its last session; or why there is none."""
    levels = ctx.catalogue.chain(chain)
    allowed = [e for e in levels if _why_not(ctx, e) is None]
    ids = {e.id for e in levels}
    done = _recent(ctx, lambda s: s.exercise in ids)
    if not done:
        why_not = _why_not(ctx, levels[0])
        if why_not is not None:
            return _LeftOut(levels[0].id, why_not)
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
    current = within_range(exercise, last.sets, last.reps, last.hold_s)
    why_not = _why_not(ctx, exercise)
    if why_not is not None:
        lower = [e for e in allowed if e.level < exercise.level]
        if not lower:
            return _LeftOut(exercise.id, why_not)
        reason = Reason(
            "fallback",
            f"{exercise.name} is out today ({why_not}): back to {lower[0].name}.",
            (cite(last),),
        )
        return _finish(ctx, usual(lower[0]), current, reason)
    verdict = _verdict(ctx, done)
    chosen = current
    if verdict.action == "progress":
        nxt = next((e for e in allowed if e.level == exercise.level + 1), None)
        chosen = harder(current, nxt) or current
        if chosen is current:
            verdict = Verdict(
                "repeat",
                verdict.reason._replace(
                    text=verdict.reason.text
                    + " Already the top of what is allowed today: same dose."
                ),
            )
    elif verdict.action == "regress":
        below = [e for e in allowed if e.level < exercise.level]
        if below and exercise.category == "mckenzie":
            chosen = usual(below[0])  # McKenzie: back to the first level (DOMAIN.md section 3)
        else:
            chosen = easier(current, below[-1] if below else None) or current
    return _finish(ctx, chosen, current, verdict.reason)


def _pinned(ctx: _Day, exercise: Exercise, pin: PlanChange) -> RoutineItem | _LeftOut:
    """A pinned exercise at its pinned dose: stepped down when the log says so, never up.

    "Never up" counts from what was done: while progression is frozen, or after a
    session that calls for less, a pin above the last dose done does not apply.
    """
    why_not = _why_not(ctx, exercise, pinned=True)
    if why_not is not None:
        return _LeftOut(exercise.id, why_not)
    sets, reps, hold_s, per_day = plan.dose_of(pin, exercise)
    pinned = Dosed(exercise, sets, reps, hold_s)
    evidence = (_cite_pin(pin),)
    reason = Reason("plan", f"Pinned by the therapist's plan at {pinned.amount}.", evidence)
    done = _recent(ctx, lambda s: s.exercise == exercise.id)
    if not done:
        return _finish(ctx, pinned, None, reason, per_day)
    last = Dosed(exercise, done[-1].sets, done[-1].reps, done[-1].hold_s)
    verdict = _verdict(ctx, done)
    chosen = pinned
    if verdict.action == "regress":
        base = min(pinned, last, key=lambda d: d.key)
        chosen = easier(base, None) or base
        reason = Reason(
            verdict.reason.rule,
            f"{reason.text} {verdict.reason.text}",
            reason.evidence + verdict.reason.evidence,
        )
    elif ctx.freeze is not None and pinned.key > last.key:
        chosen = last
        reason = reason._replace(text=f"{reason.text} Not stepped up yet: {ctx.freeze.text}")
    return _finish(ctx, chosen, last, reason, per_day)


def _verdict(ctx: _Day, done: Sequence[SessionEntry]) -> Verdict:
    verdict = monitoring.judge(done, ctx.pain, ctx.mornings, ctx.spread_ids)
    if ctx.flare is not None and verdict.action != "regress":
        return Verdict("regress", ctx.flare)
    if verdict.action == "progress" and ctx.freeze is not None:
        reason = verdict.reason
        frozen = f"{reason.text} {ctx.freeze.text}"
        return Verdict("repeat", reason._replace(rule=ctx.freeze.rule, text=frozen))
    return verdict


def _finish(
    ctx: _Day, chosen: Dosed, last: Dosed | None, reason: Reason, per_day: int | None = None
) -> RoutineItem | _LeftOut:
    """The item at ``chosen`` (the lowest dose in red), or a rest day; ``change`` against ``last``."""
    exercise = chosen.exercise
    if ctx.band is Band.RED:  # the lowest dose of the range, and never more in any respect
        floor = lowest(exercise)
        red = Dosed(
            exercise,
            min(chosen.sets, floor.sets),
            min(chosen.reps, floor.reps),
            min(chosen.hold_s, floor.hold_s) if chosen.hold_s and floor.hold_s else chosen.hold_s,
        )
        if red != chosen:
            chosen = red
            reason = reason._replace(text=f"{reason.text} Red band: the lowest dose.")
    rest = _rest_day(ctx, exercise) if ctx.rest_days else None
    if rest is not None:
        return _LeftOut(exercise.id, rest, keeps_slot=True)
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
        times_per_day=per_day or exercise.dose.times_per_day,
        days_per_week=exercise.dose.days_per_week,
        why=f"{_place(ctx.catalogue, exercise)}. {reason.text}",
        change=change,
        reason=reason,
    )


def _reading(
    pain: Sequence[PainEntry], day: date, stated: PainReading | None
) -> tuple[PainReading | None, Reason, date]:
    """Today's pain, the reason it was chosen, and the day it was logged."""
    if stated is not None:
        band = Band.for_score(stated.score)
        return stated, Reason("band", f"Stated pain {stated.score}/10: {band.value} band."), day
    latest = todays_pain(pain, day)
    if latest is None:
        return (
            None,
            Reason("band", "No pain logged today or yesterday: the gentle (amber) programme."),
            day,
        )
    band = Band.for_score(latest.score)
    reason = Reason("band", f"Latest pain {latest.score}/10: {band.value} band.", (cite(latest),))
    return PainReading(latest.score, latest.where), reason, latest.at.date()


def _flag_text(flag: safety.Flag) -> str:
    when = f"on {flag.since:%Y-%m-%d}"
    if flag.item.level == safety.EMERGENCY:
        return f"You reported {flag.item.symptom} {when}: seek emergency care now."
    return (
        f"You reported {flag.item.symptom} {when}: contact your GP or physiotherapist soon. "
        "Gentle exercises only and no progression until then."
    )


def _flag_reason(flag: safety.Flag, log: PatientLog) -> Reason:
    reports = sorted(
        (s for s in log.screens if flag.item.id in s.yes and flag.since <= s.at <= flag.last),
        key=lambda s: (s.at, s.id),
    )
    evidence = tuple(
        f"{s.at:%Y-%m-%d %H:%M} screen: yes to {flag.item.id} ({s.id})" for s in reports
    )
    return Reason(f"{flag.item.level}-flag", _flag_text(flag), evidence)


def _freeze(band: Band, urgent: Sequence[safety.Flag], worse: Reason | None) -> Reason | None:
    if urgent:
        return Reason(
            "urgent-flag",
            "An urgent flag is active: gentle exercises only and no progression until it is cleared.",
        )
    if worse is not None:
        return worse
    if band is not Band.GREEN:
        return Reason("band-holds", f"{band.value.capitalize()} band: no progression today.")
    return None


def _cite_pin(change: PlanChange) -> str:
    return f"{change.at:%Y-%m-%d %H:%M} plan set {change.exercise} ({change.id})"


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _order(session: SessionEntry) -> tuple[object, str]:
    return (session.at, session.id)


def _recent(ctx: _Day, wanted: Callable[[SessionEntry], bool]) -> list[SessionEntry]:
    """Sessions before today, in the last HISTORY_DAYS days, that ``wanted`` picks."""
    first = ctx.day - timedelta(days=HISTORY_DAYS)
    return [s for s in ctx.sessions if s.at.date() >= first and wanted(s)]


def _why_not(ctx: _Day, exercise: Exercise, pinned: bool = False) -> str | None:
    """Why ``exercise`` may not be offered today (None: it may). A pin overrides the first two."""
    if exercise.therapist_only and not pinned:
        return "only with a therapist's plan"
    if not pinned and exercise.direction != "neutral":
        if exercise.category == "mckenzie" and exercise.direction != ctx.preference:
            return f"McKenzie work in {ctx.preference} only (your directional preference)"
        if exercise.direction == OPPOSITE.get(ctx.preference):
            return f"{exercise.direction}-biased, the opposite of your {ctx.preference} preference"
    if ctx.band not in exercise.bands:
        return f"not offered in the {ctx.band.value} band"
    if exercise.pool and not ctx.profile.pool:
        return "needs a pool (ptcli init --pool)"
    for p in ctx.spread:
        if ruled_out_by(p.exercise, exercise):
            return f"pain spread further down the leg after {p.exercise.id} on {p.day}"
    return None


def _needs_missing_pool(ctx: _Day, chain: str) -> bool:
    return not ctx.profile.pool and all(e.pool for e in ctx.catalogue.chain(chain))


def _rest_day(ctx: _Day, exercise: Exercise) -> str | None:
    per_week = exercise.dose.days_per_week
    if per_week >= 7:
        return None
    chain = {e.id for e in ctx.catalogue.chain(exercise.chain)}
    if any(s.exercise in chain for s in ctx.today):
        return None  # already started today
    first = ctx.day - timedelta(days=6)
    days = {s.at.date() for s in ctx.sessions if s.exercise in chain and s.at.date() >= first}
    if per_week <= NO_CONSECUTIVE_DAYS and ctx.day - timedelta(days=1) in days:
        return f"rest day: done yesterday, and at {per_week} days a week never on consecutive days"
    if len(days) >= per_week:
        return f"rest day: done on {len(days)} of the last 6 days, at most {per_week} days a week"
    return None


def _place(catalogue: Catalogue, exercise: Exercise) -> str:
    chain_length = len(catalogue.chain(exercise.chain))
    if chain_length > 1:
        return f"Level {exercise.level} of {chain_length} of the {exercise.chain} chain"
    return f"{CATEGORY_NAMES.get(exercise.category, exercise.category.capitalize())} exercise"


def todays_pain(pain: Sequence[PainEntry], day: date) -> PainEntry | None:
    """The latest pain entry from ``day`` or the day before (none later than ``day``)."""
    first = day - timedelta(days=PAIN_VALID_DAYS - 1)
    recent = [entry for entry in pain if first <= entry.at.date() <= day]
    return max(recent, key=lambda entry: (entry.at, entry.id)) if recent else None


def peripheralizations(
    catalogue: Catalogue, pain: Sequence[PainEntry], sessions: Sequence[SessionEntry], day: date
) -> list[Peripheralization]:
    """Sessions of the last days after which symptoms reached further down the leg."""
    spread = {s.id for s in sessions if spread_after(s, pain, sessions)}
    return _peripheralized(catalogue, sessions, day, spread)


def _peripheralized(
    catalogue: Catalogue, sessions: Sequence[SessionEntry], day: date, spread: set[str]
) -> list[Peripheralization]:
    """The sessions of ``spread`` (ids) within the last PERIPHERALIZED_DAYS, one per exercise."""
    first = day - timedelta(days=PERIPHERALIZED_DAYS - 1)
    found: dict[str, Peripheralization] = {}
    for session in sorted(sessions, key=_order):
        exercise = catalogue.get(session.exercise)
        if exercise is not None and session.id in spread and first <= session.at.date() <= day:
            found.setdefault(exercise.id, Peripheralization(exercise, session.at.date(), session))
    return sorted(found.values(), key=lambda p: (p.day, p.exercise.id))


def spread_after(
    session: SessionEntry, pain: Sequence[PainEntry], sessions: Sequence[SessionEntry]
) -> bool | None:
    """Did symptoms reach further down the leg after ``session``? None: nothing to compare with.

    The baseline is the last record of where symptoms reached in the 24 hours before
    it: a pain entry, or an earlier session's ``where_after`` (DOMAIN.md: compare
    after each set). Central back pain is never spreading, even when it is new.
    """
    if session.where_after is None:
        return None
    earlier = [(e.at, e.id, e.where) for e in pain]
    earlier += [(s.at, s.id, s.where_after) for s in sessions if s.id != session.id]
    # Before the session: an earlier time, or the same second and made earlier (ids begin
    # with their creation time), so a check-out logged in the session's second is after it.
    window = [
        record
        for record in earlier
        if session.at - BASELINE_WINDOW <= record[0]
        and (record[0], record[1]) < (session.at, session.id)
        and record[2] is not None
    ]
    if not window:
        return None
    baseline = max(window, key=lambda record: (record[0], record[1]))[2]
    assert baseline is not None
    return session.where_after > max(baseline, Extent.BACK)


def _chains(catalogue: Catalogue, category: str) -> list[str]:
    """The chains of a category in the order they first appear in the catalogue."""
    return list(dict.fromkeys(e.chain for e in catalogue if e.category == category))


def ruled_out_by(spread: Exercise, exercise: Exercise) -> bool:
    """M2: the exercise that spread symptoms, harder levels of its chain, and its direction."""
    if exercise.chain == spread.chain:
        return exercise.level >= spread.level
    return spread.direction != "neutral" and exercise.direction == spread.direction


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
            f" reaching the {reading.where.label}" if reading.where and reading.where.value else ""
        )
        when = " (logged yesterday)" if logged < ctx.day else ""
        parts = [f"Pain {reading.score}/10{where}{when}: {Band.for_score(reading.score).value}."]
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
    for p in ctx.spread:
        kind = (
            f" in {p.exercise.direction}" if p.exercise.direction != "neutral" else " of its kind"
        )
        parts.append(
            f"Left out: {p.exercise.name} and harder exercises{kind}, because pain spread "
            f"further down the leg after it on {p.day.isoformat()}; tell your therapist."
        )
    parts.append(STOP_RULE)
    return " ".join(parts)
