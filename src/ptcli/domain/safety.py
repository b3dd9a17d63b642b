"""The safety screen (DOMAIN.md section 1): its questions, and which flags are active.

A flag is raised by a screen answer of yes (or ``pain log --flag``): each such screen
is a *report* of the item. A report stays active until a clearance names it (with a
note); a later "no" does not clear it, because someone who has had saddle numbness
should be seen before ptcli prescribes again. A clearance clears only the reports it
saw, so a report from another device, whatever time it claims, is never swallowed.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ptcli.domain.models import Clearance, Screen
from ptcli.domain.when import local_day

EMERGENCY, URGENT, CAUTION = "emergency", "urgent", "caution"
SCREEN_DUE_DAYS = 7  # † remind to screen when no full screen was done in the last 7 days
EMERGENCY_ADVICE = (
    "Seek emergency care now: call your emergency number or go to an emergency department. "
    "This can be a sign of nerve compression (cauda equina syndrome) that needs treatment within "
    "hours. No exercises until a clinician has seen you; then record it with "
    "'ptcli flag clear ITEM --note TEXT'."
)


class Item(NamedTuple):
    id: str
    level: str
    question: str
    symptom: str  # for messages: "you reported {symptom}"
    sign: str  # for the printed safety box: the warning sign as a statement
    # A lasting fact (DOMAIN.md section 1): once reported, asked as "anything new about ...?"
    lasting: str | None = None


ITEMS: dict[str, Item] = {
    item.id: item
    for item in (
        # Emergency questions ask about new or worse symptoms: longstanding, unchanged ones
        # are not an emergency (DOMAIN.md section 1).
        Item(
            "saddle-numbness",
            EMERGENCY,
            "Is there new or worse numbness or pins and needles around your back passage, "
            "between your legs or around your genitals?",
            "numbness around the saddle area",
            "Numbness or pins and needles around your back passage, between your legs or around your genitals",
        ),
        Item(
            "bladder",
            EMERGENCY,
            "Is there new trouble passing urine, leaking, or not feeling when your bladder is full?",
            "a change in bladder control",
            "New trouble passing urine, leaking, or not feeling when your bladder is full",
        ),
        Item(
            "bowel",
            EMERGENCY,
            "Is there new loss of bowel control, or not feeling when you need to open your bowels?",
            "a change in bowel control",
            "New loss of bowel control, or not feeling when you need to open your bowels",
        ),
        Item(
            "sexual-function",
            EMERGENCY,
            "Is there new loss of feeling in your genitals or of sexual function?",
            "a loss of genital feeling or sexual function",
            "New loss of feeling in your genitals or of sexual function",
        ),
        Item(
            "both-legs",
            EMERGENCY,
            "Is there new or worse pain, numbness or pins and needles in both legs "
            "(or has pain in one leg spread to the other)?",
            "symptoms in both legs",
            "Pain, numbness or pins and needles in both legs",
        ),
        Item(
            "leg-weakness",
            EMERGENCY,
            "Is there new weakness in both legs, or is a leg getting weaker quickly, "
            "or is walking getting harder, or does a foot drop or slap?",
            "weakness in both legs or a leg getting weaker quickly",
            "Weakness in both legs, a leg getting weaker quickly, walking getting harder, "
            "or a foot that drops or slaps",
        ),
        Item(
            "fever",
            URGENT,
            "Do you have a fever or chills, or feel unwell?",
            "a fever or feeling unwell",
            "Fever or chills, or feeling unwell",
        ),
        Item(
            "cancer-history",
            URGENT,
            "Have you ever had cancer?",
            "a history of cancer",
            "A history of cancer",
            lasting="cancer (a new diagnosis, a return, new treatment)",
        ),
        Item(
            "weight-loss",
            URGENT,
            "Have you lost weight recently without trying?",
            "unexplained weight loss",
            "Weight loss without trying",
        ),
        Item(
            "immunosuppression",
            URGENT,
            "Do you take steroids long-term or drugs that weaken the immune system, "
            "or inject drugs?",
            "a weakened immune system",
            "Long-term steroids, drugs that weaken the immune system, or injecting drugs",
            lasting="steroids, drugs that weaken the immune system or injecting drugs "
            "(a new medicine, a higher dose)",
        ),
        Item(
            "trauma",
            URGENT,
            "Did your pain start after a fall, accident or injury "
            "(or a small knock if you have thin bones)?",
            "an injury",
            "Pain that started after a fall, accident or injury (or a small knock with thin bones)",
        ),
        Item(
            "night-pain",
            URGENT,
            "Is the pain constant, or severe at night whatever position you lie in?",
            "constant or severe night pain",
            "Constant pain, or severe pain at night whatever position you lie in",
        ),
        Item(
            "one-leg-weakness",
            URGENT,
            "Is one leg slowly getting weaker (over days or weeks)?",
            "weakness getting worse in one leg",
            "Weakness slowly getting worse in one leg",
        ),
    )
}


def question(item: Item, screens: Iterable[Screen]) -> str:
    """The question to ask for ``item``: a lasting fact once reported becomes "anything new?"

    A yes to it is still a yes (a new report), so only something new raises the flag again
    after a clinician cleared it (DOMAIN.md section 1).
    """
    if item.lasting is not None and any(item.id in screen.yes for screen in screens):
        return (
            f"Anything new about {item.lasting} since you last told us? "
            "(Answer n if nothing has changed.)"
        )
    return item.question


EMERGENCY_ITEMS = frozenset(item.id for item in ITEMS.values() if item.level == EMERGENCY)


class Flag(NamedTuple):
    item: Item
    since: datetime  # first uncleared report (for a cleared flag: first report it cleared)
    last: datetime  # latest uncleared report (for a cleared flag: latest report it cleared)
    cleared: Clearance | None = None  # set when the flag is no longer active
    reports: tuple[str, ...] = ()  # the ids of the screens that reported it


def clears(clearance: Clearance, report: Screen) -> bool:
    """Does ``clearance`` clear ``report`` (a screen with a yes to the clearance's item)?

    A clearance names the reports it saw. One from before ptcli recorded them (no
    ``reports``) clears the reports made before it and dated at or before it (below).
    """
    if clearance.item not in report.yes:
        return False
    if clearance.reports:
        return report.id in clearance.reports
    # A legacy clearance saw the reports that existed when it was made: ptcli's ids begin
    # with their creation time, so a report made later (another device, a backdated
    # --at) is never swallowed. Ids from elsewhere fall back to the times they claim.
    report_made, clearance_made = made_at(report.id), made_at(clearance.id)
    if report_made is not None and clearance_made is not None:
        return report_made <= clearance_made and report.at <= clearance.at
    return report.at <= clearance.at


def made_at(record_id: str) -> int | None:
    """When a record was made (milliseconds since the epoch), from an id ptcli gave it
    (``records.new_id``: 12 hex digits of the time, then 8 random ones); None otherwise."""
    if len(record_id) != 20:
        return None
    try:
        return int(record_id[:12], 16)
    except ValueError:
        return None


def uncleared(
    item: str, screens: Iterable[Screen], clearances: Iterable[Clearance]
) -> list[Screen]:
    """The reports of ``item`` that no clearance clears, oldest first (whatever their day)."""
    mine = [c for c in clearances if c.item == item]
    return sorted(
        (s for s in screens if item in s.yes and not any(clears(c, s) for c in mine)),
        key=lambda s: (s.at, s.id),
    )


def flags(screens: Iterable[Screen], clearances: Iterable[Clearance], day: date) -> list[Flag]:
    """Every flag raised up to the end of ``day``: active ones first, then the cleared ones.

    Only reports and clearances on or before ``day`` (in the reader's time zone) count. An
    item is active while any of its reports is cleared by no clearance; each clearance that
    cleared something gives a cleared flag. Since a report is matched by id, not by time,
    stores merged in any order give the same flags.
    """
    reports: dict[str, list[Screen]] = {}
    for screen in sorted(screens, key=lambda s: (s.at, s.id)):
        if local_day(screen.at) <= day:
            for item in dict.fromkeys(screen.yes):
                if item in ITEMS:
                    reports.setdefault(item, []).append(screen)
    claimed: set[tuple[str, str]] = set()
    done: list[Flag] = []
    for clearance in sorted(clearances, key=lambda c: (c.at, c.id)):
        if local_day(clearance.at) > day:
            continue
        seen = [
            report
            for report in reports.get(clearance.item, [])
            if (clearance.item, report.id) not in claimed and clears(clearance, report)
        ]
        if seen:
            claimed.update((clearance.item, report.id) for report in seen)
            done.append(_flag(clearance.item, seen, clearance))
    active = []
    for item in ITEMS:
        left = [r for r in reports.get(item, []) if (item, r.id) not in claimed]
        if left:
            active.append(_flag(item, left, None))
    return active + sorted(done, key=lambda flag: flag.since, reverse=True)


def _flag(item: str, reports: list[Screen], cleared: Clearance | None) -> Flag:
    return Flag(ITEMS[item], reports[0].at, reports[-1].at, cleared, tuple(r.id for r in reports))


def active_flags(
    screens: Iterable[Screen], clearances: Iterable[Clearance], day: date
) -> list[Flag]:
    return [flag for flag in flags(screens, clearances, day) if flag.cleared is None]


def emergencies(flags: Iterable[Flag]) -> list[Flag]:
    return [flag for flag in flags if flag.item.level == EMERGENCY and flag.cleared is None]


def is_complete(screen: Screen) -> bool:
    """Every question answered (a ``pain log --flag`` or ``screen --yes`` alone is not)."""
    return set(screen.yes) | set(screen.no) >= set(ITEMS)


def last_full_screen(screens: Iterable[Screen], day: date) -> Screen | None:
    done = [s for s in screens if is_complete(s) and local_day(s.at) <= day]
    return max(done, key=lambda s: (s.at, s.id)) if done else None


def emergency_check_due(screens: Iterable[Screen], day: date) -> bool:
    """No screen in the last 7 days answered every emergency question (a guided session
    then asks them before it starts)."""
    since = day - timedelta(days=SCREEN_DUE_DAYS)
    return not any(
        since < local_day(s.at) <= day and set(s.yes) | set(s.no) >= EMERGENCY_ITEMS
        for s in screens
    )


def screen_due(screens: Iterable[Screen], day: date) -> bool:
    last = last_full_screen(screens, day)
    return last is None or local_day(last.at) <= day - timedelta(days=SCREEN_DUE_DAYS)


def emergency_answered(screens: Iterable[Screen], day: date) -> bool:
    """Was every emergency question answered, yes or no, by the end of ``day`` (across
    partial screens)? Until then only the gentle programme is offered (DOMAIN 1)."""
    answered: set[str] = set()
    for screen in screens:
        if local_day(screen.at) <= day:
            answered.update(screen.yes, screen.no)
    return answered >= EMERGENCY_ITEMS
