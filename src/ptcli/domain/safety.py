"""The safety screen (DOMAIN.md section 1): its questions, and which flags are active.

A flag is raised by a screen answer of yes (or ``pain log --flag``) and stays active
until it is cleared with a note; a later "no" does not clear it, because someone who
has had saddle numbness should be seen before ptcli prescribes again.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ptcli.domain.models import Clearance, Screen

EMERGENCY, URGENT, CAUTION = "emergency", "urgent", "caution"
SCREEN_DUE_DAYS = 7  # † remind to screen when no full screen was done in the last 7 days


class Item(NamedTuple):
    id: str
    level: str
    question: str
    symptom: str  # for messages: "you reported {symptom}"
    sign: str  # for the printed safety box: the warning sign as a statement


ITEMS: dict[str, Item] = {
    item.id: item
    for item in (
        Item(
            "saddle-numbness",
            EMERGENCY,
            "Is there numbness or pins and needles around your back passage, "
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
            "Do you have pain, numbness or pins and needles in both legs?",
            "symptoms in both legs",
            "Pain, numbness or pins and needles in both legs",
        ),
        Item(
            "leg-weakness",
            EMERGENCY,
            "Is a leg getting weaker, is walking getting harder, or does a foot drop or slap?",
            "leg weakness that is severe or getting worse",
            "A leg getting weaker, walking getting harder, or a foot that drops or slaps",
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
    )
}


class Flag(NamedTuple):
    item: Item
    since: datetime  # first report since it was last cleared
    last: datetime  # latest report
    cleared: Clearance | None = None  # set when the flag is no longer active


def flags(screens: Iterable[Screen], clearances: Iterable[Clearance], day: date) -> list[Flag]:
    """Every flag raised up to the end of ``day``: active ones first, then the cleared ones."""
    events: list[tuple[datetime, int, str, Screen | Clearance]] = []
    for screen in screens:
        events += [(screen.at, 0, item, screen) for item in screen.yes if item in ITEMS]
    for clearance in clearances:
        events.append((clearance.at, 1, clearance.item, clearance))
    found: dict[str, Flag] = {}
    done: list[Flag] = []
    for at, _, item, event in sorted(events, key=lambda e: (e[0], e[1], e[3].id)):
        if at.date() > day:
            continue
        current = found.get(item)
        if isinstance(event, Clearance):
            if current is not None:
                done.append(current._replace(cleared=event))
                del found[item]
        elif current is None:
            found[item] = Flag(ITEMS[item], since=at, last=at)
        else:
            found[item] = current._replace(last=at)
    order = list(ITEMS)
    active = sorted(found.values(), key=lambda flag: order.index(flag.item.id))
    return active + sorted(done, key=lambda flag: flag.since, reverse=True)


def active_flags(
    screens: Iterable[Screen], clearances: Iterable[Clearance], day: date
) -> list[Flag]:
    return [flag for flag in flags(screens, clearances, day) if flag.cleared is None]


def is_complete(screen: Screen) -> bool:
    """Every question answered (a ``pain log --flag`` or ``screen --yes`` alone is not)."""
    return set(screen.yes) | set(screen.no) >= set(ITEMS)


def last_full_screen(screens: Iterable[Screen], day: date) -> Screen | None:
    done = [s for s in screens if is_complete(s) and s.at.date() <= day]
    return max(done, key=lambda s: (s.at, s.id)) if done else None


def emergency_check_due(screens: Iterable[Screen], day: date) -> bool:
    """No screen in the last 7 days answered every emergency question (a guided session
    then asks them before it starts)."""
    emergency = {item.id for item in ITEMS.values() if item.level == EMERGENCY}
    since = day - timedelta(days=SCREEN_DUE_DAYS)
    return not any(
        since < s.at.date() <= day and set(s.yes) | set(s.no) >= emergency for s in screens
    )


def screen_due(screens: Iterable[Screen], day: date) -> bool:
    last = last_full_screen(screens, day)
    return last is None or last.at.date() <= day - timedelta(days=SCREEN_DUE_DAYS)


def emergency_answered(screens: Iterable[Screen], day: date) -> bool:
    """Was every emergency question answered, yes or no, by the end of ``day`` (across
    partial screens)? Until then only the gentle programme is offered (DOMAIN 1)."""
    from ptcli.domain.when import local_day

    emergency = {item.id for item in ITEMS.values() if item.level == EMERGENCY}
    answered: set[str] = set()
    for screen in screens:
        if local_day(screen.at) <= day:
            answered.update(screen.yes, screen.no)
    return answered >= emergency
