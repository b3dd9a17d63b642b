"""The pain-monitoring model (DOMAIN.md section 4): what the log says about a chain.

Numbers marked † are ours (README, "How the routine is chosen"):
- Morning pain is the first pain entry of a day †, whatever the hour: people log once,
  when they remember.
- Settled: the next morning's pain is no higher than the last pain logged before the
  session (within 24 hours) †.
- A week's mean needs mornings on at least 3 of its days †.
- Two easy sessions progress only when both lie in the 7 days before today (DOMAIN 4) †.
- A pain entry marked ``after_exercise`` (a guided session's check-out) never sets a
  morning or the day's band †.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ptcli.domain import wording
from ptcli.domain.models import PainEntry, Reason, SessionEntry
from ptcli.domain.when import local_day

EASY = 3  # pain during/after up to 3: safe
ACCEPTABLE = 5  # 4-5 acceptable, more is too much
FLARE_POINTS = 2  # morning pain this far above the 7-day baseline: regress
MIN_MORNINGS = 3  # †
WEEK = 7


def after_exercise(entry: PainEntry) -> bool:
    return entry.after_exercise


def cite(entry: PainEntry | SessionEntry) -> str:
    """One log entry in a line, for ``--explain``."""
    when = f"{entry.at.astimezone():%Y-%m-%d %H:%M}"  # in the reader's zone
    if isinstance(entry, PainEntry):
        where = f", reaching the {entry.where.place}" if entry.where is not None else ""
        return f"{when} pain {entry.score}/10{where} ({entry.id})"
    after = f", pain after {entry.pain_after}/10" if entry.pain_after is not None else ""
    where = f", reaching the {entry.where_after.place}" if entry.where_after is not None else ""
    dose = wording.amount(entry.sets, entry.reps, entry.hold_s)
    return f"{when} {entry.exercise}: {dose}{after}{where} ({entry.id})"


class Mornings:
    """The first pain entry of each day (the reader's days; check-outs are not mornings)."""

    def __init__(self, pain: Sequence[PainEntry]) -> None:
        self.by_day: dict[date, PainEntry] = {}
        for entry in sorted(pain, key=lambda e: (e.at, e.id)):
            if not after_exercise(entry):
                self.by_day.setdefault(local_day(entry.at), entry)

    def week(self, last_day: date) -> list[PainEntry]:
        days = (last_day - timedelta(days=n) for n in range(WEEK))
        return [self.by_day[day] for day in sorted(days) if day in self.by_day]

    def mean(self, entries: Sequence[PainEntry]) -> float | None:
        # statistics.fmean would do, but importing statistics costs every command a few ms
        return (
            sum(e.score for e in entries) / len(entries) if len(entries) >= MIN_MORNINGS else None
        )


def worsening_week(mornings: Mornings, day: date) -> Reason | None:
    """Mean morning pain of the 7 days to ``day`` above the 7 days before: no progression."""
    this, last = mornings.week(day), mornings.week(day - timedelta(days=WEEK))
    this_mean, last_mean = mornings.mean(this), mornings.mean(last)
    if this_mean is None or last_mean is None or this_mean <= last_mean:
        return None
    return Reason(
        "worsening-week",
        f"Mean morning pain this week ({this_mean:.1f}) is above last week's ({last_mean:.1f}): "
        "no progression this week.",
        tuple(cite(e) for e in [*last, *this]),
    )


def morning_flare(mornings: Mornings, day: date) -> Reason | None:
    """Today's morning pain 2 or more points above the mean of the 7 mornings before: regress."""
    today = mornings.by_day.get(day)
    before = mornings.week(day - timedelta(days=1))
    baseline = mornings.mean(before)
    if today is None or baseline is None or today.score < baseline + FLARE_POINTS:
        return None
    return Reason(
        "morning-flare",
        f"This morning's pain ({today.score}/10) is {FLARE_POINTS} or more points above the "
        f"7-day baseline ({baseline:.1f}): every exercise goes one step easier.",
        tuple(cite(e) for e in [*before, today]),
    )


def settled(
    session: SessionEntry, pain: Sequence[PainEntry], mornings: Mornings
) -> tuple[bool | None, tuple[PainEntry, ...]]:
    """Had pain settled by the morning after ``session``? None: not known yet."""
    after = mornings.by_day.get(local_day(session.at) + timedelta(days=1))
    window = [e for e in pain if session.at - timedelta(hours=24) <= e.at <= session.at]
    if after is None or not window:
        return None, ()
    before = max(window, key=lambda e: (e.at, e.id))
    return after.score <= before.score, (before, after)


class Verdict(NamedTuple):
    action: str  # "progress", "repeat" or "regress"
    reason: Reason


def judge(
    done: Sequence[SessionEntry],
    pain: Sequence[PainEntry],
    mornings: Mornings,
    spread: frozenset[str],
    day: date,
) -> Verdict:
    """Section 4's table for one chain, from its sessions before ``day`` (oldest first).

    ``spread``: ids of sessions after which symptoms reached further down the leg.
    """
    last = done[-1]
    evidence = [cite(last)]
    calm, read = settled(last, pain, mornings)
    evidence += [cite(e) for e in read]
    pain_after = last.pain_after

    def verdict(action: str, rule: str, text: str) -> Verdict:
        return Verdict(action, Reason(rule, text, tuple(evidence)))

    if last.id in spread:
        return verdict(
            "regress", "spread", "Pain spread further down the leg after the last session."
        )
    if pain_after is not None and pain_after > ACCEPTABLE:
        return verdict(
            "regress",
            "too-painful",
            f"Pain reached {pain_after}/10 after the last session (over 5).",
        )
    if calm is False:
        return verdict(
            "regress",
            "not-settled",
            "Pain had not settled by the next morning "
            f"({read[1].score}/10 against {read[0].score}/10 before the session).",
        )
    if pain_after is None:
        return verdict(
            "repeat", "no-pain-after", "Pain after the last session was not logged (--pain-after)."
        )
    if pain_after > EASY:
        return verdict(
            "repeat", "acceptable", f"Pain {pain_after}/10 after the last session (4-5): same dose."
        )
    if calm is None:
        return verdict("repeat", "not-known-settled", "Waiting for the next morning's pain entry.")
    before = done[-2] if len(done) >= 2 else None
    if before is not None and local_day(before.at) < day - timedelta(days=WEEK):
        return verdict(
            "repeat",
            "easy-sessions-too-old",
            f"Easy sessions ({pain_after}/10 after), but the one before it is over a week old: "
            "two in the last 7 days progress.",
        )
    if (
        before is None
        or _dose(before) != _dose(last)
        or before.pain_after is None
        or before.pain_after > EASY
        or before.id in spread
        or settled(before, pain, mornings)[0] is False
    ):
        return verdict(
            "repeat",
            "one-easy-session",
            f"One easy session at this dose ({pain_after}/10 after, settled); two in a row progress.",
        )
    evidence.insert(0, cite(before))
    return verdict(
        "progress",
        "two-easy-sessions",
        f"Two easy sessions in a row ({before.pain_after}/10 and {pain_after}/10 after, "
        "settled by the morning, no spreading).",
    )


def _dose(session: SessionEntry) -> tuple[str, int, int, int | None]:
    return (session.exercise, session.sets, session.reps, session.hold_s)
