"""The JSON shape of ptcli's records: one mapping for the store, the exports and ``--json``.

``*_from_record`` validate a mapping from outside (an import file, the store) and
raise ValueError with a message that names the field.
"""

import os
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeGuard

from ptcli.domain.models import (
    APPOINTMENT_KINDS,
    APPOINTMENT_STATUSES,
    CORRECTION_ACTIONS,
    PLAN_ACTIONS,
    SIDES,
    Appointment,
    Assessment,
    Clearance,
    Correction,
    Extent,
    LessonRead,
    MeasureEntry,
    MovementSet,
    PainEntry,
    PainReading,
    PlanChange,
    Profile,
    Screen,
    SessionEntry,
)

PAIN_FIELDS = ("id", "at", "score", "where", "note", "after_exercise")
SESSION_FIELDS = (
    "id",
    "at",
    "exercise",
    "sets",
    "reps",
    "hold_s",
    "pain_after",
    "where_after",
    "note",
    "partial",
)
PROFILE_FIELDS = ("id", "name", "side", "pool", "preference", "contact")
SCREEN_FIELDS = ("id", "at", "yes", "no")
CLEARANCE_FIELDS = ("id", "at", "item", "note", "reports")
PLAN_FIELDS = ("id", "at", "action", "exercise", "sets", "reps", "hold_s", "per_day")
CORRECTION_FIELDS = ("id", "at", "target", "table", "target_at", "action", "changes", "reason")
APPOINTMENT_FIELDS = ("id", "at", "kind", "who", "link", "place", "note", "status")
LESSON_FIELDS = ("id", "at", "lesson")
ASSESSMENT_FIELDS = (
    "id",
    "at",
    "by",
    "pain",
    "where",
    "fingertips_cm",
    "extension",
    "sets",
    "side_glides",
    "partial",
    "note",
)
MOVEMENT_SET_FIELDS = ("movement", "pain", "where", "range")
MEASURE_FIELDS = ("id", "at", "measure", "answers", "activities", "score")
# The fields an amend may change, by the target's table (the rest are facts of how the
# record was made: a guided session's ``partial``, a check-out's ``after_exercise``).
EDITABLE = {
    "pain": ("at", "score", "where", "note"),
    "sessions": (
        "at",
        "exercise",
        "sets",
        "reps",
        "hold_s",
        "pain_after",
        "where_after",
        "note",
    ),
    # Done and cancelled are amends of the status (``appointment done | cancel``).
    "appointments": ("at", "kind", "who", "link", "place", "note", "status"),
}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")

# The longest text ptcli takes, typed or imported (README, "Limits"): enough for any
# note, and small enough that no file or command can make a listing slow.
NOTE_MAX = 2_000  # † characters in a note (pain, session, flag clearance)
NAME_MAX = 200  # † characters in the patient's name
CONTACT_MAX = 80  # † characters in the therapist's contact: one line of a page footer
EXERCISE_MAX = 100  # † characters in an exercise id named by a record
YEARS = (1000, 9000)  # the years a record's time may have
ACTIVITY_MAX = 100  # † characters in a PSFS activity's name
LINK_MAX = 500  # † characters in an appointment's link
PLACE_MAX = 200  # † characters in an appointment's place, or with whom
LIMITS = {
    "note": NOTE_MAX,
    "name": NAME_MAX,
    "exercise": EXERCISE_MAX,
    "contact": CONTACT_MAX,
    "who": PLACE_MAX,
    "place": PLACE_MAX,
    "link": LINK_MAX,
}


def text_problem(value: str, limit: int) -> str | None:
    """What is wrong with ``value`` as stored text, or None: too long, or not Unicode text
    that can be written (a lone surrogate, such as invalid UTF-8 bytes in an argument)."""
    if len(value) > limit:
        return f"is longer than {limit:,} characters ({len(value):,}), the most ptcli takes"
    if not _encodable(value):
        return "is not valid text (a lone surrogate, or bytes that are not UTF-8)"
    return None


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def within_limits(entry: Any) -> Any:
    """``entry`` (a record or profile) if none of its text is above its limit (imports)."""
    for field, limit in LIMITS.items():
        value = getattr(entry, field, None)
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(f"{field!r} {text_problem(value, limit)}")
    return entry


def new_id() -> str:
    """20 hex digits: the creation time in milliseconds, then 32 random bits.

    Random enough to stay unique across devices (so stores can be merged), and ordered
    by creation: records with the same ``at`` second sort by ``(at, id)`` in the order
    they were made (``plan set X`` then ``plan drop X`` in one second must stay in order).
    """
    return f"{time.time_ns() // 1_000_000:012x}{os.urandom(4).hex()}"


def created(record_id: str) -> datetime | None:
    """When the record with ``record_id`` was made (UTC, to the millisecond), read from the
    id ``new_id`` gave it; None for an id in another form (made by hand, or by an old ptcli)."""
    if not re.fullmatch(r"[0-9a-f]{20}", record_id):
        return None
    return datetime.fromtimestamp(int(record_id[:12], 16) / 1000, UTC)


def timestamp(moment: datetime) -> str:
    """ISO 8601 with its offset. An offset with seconds (local mean time before 1900-ish
    time zones, e.g. +00:19:32) is not valid RFC 3339, so such a moment is written in UTC."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")


def pain_to_record(entry: PainEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": timestamp(entry.at),
        "score": entry.score,
        "where": entry.where.label if entry.where is not None else None,
        "note": entry.note,
        # Only when true, so a store or export without check-outs reads as before.
        **({"after_exercise": True} if entry.after_exercise else {}),
    }


def session_to_record(entry: SessionEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": timestamp(entry.at),
        "exercise": entry.exercise,
        "sets": entry.sets,
        "reps": entry.reps,
        "hold_s": entry.hold_s,
        "pain_after": entry.pain_after,
        "where_after": entry.where_after.label if entry.where_after is not None else None,
        "note": entry.note,
        # Only when true, so a store or export without guided sessions reads as before.
        **({"partial": True} if entry.partial else {}),
    }


def profile_to_record(profile: Profile) -> dict[str, Any]:
    record = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    return record | ({"provisional": True} if profile.provisional else {})  # rare: only then


def screen_to_record(screen: Screen) -> dict[str, Any]:
    return {
        "id": screen.id,
        "at": timestamp(screen.at),
        "yes": list(screen.yes),
        "no": list(screen.no),
    }


def clearance_to_record(clearance: Clearance) -> dict[str, Any]:
    return {
        **clearance._asdict(),
        "at": timestamp(clearance.at),
        "reports": list(clearance.reports),
    }


def plan_change_to_record(change: PlanChange) -> dict[str, Any]:
    return {**change._asdict(), "at": timestamp(change.at)}


def correction_to_record(correction: Correction) -> dict[str, Any]:
    return {
        "id": correction.id,
        "at": timestamp(correction.at),
        "target": correction.target,
        "table": correction.table,
        "target_at": timestamp(correction.target_at),
        "action": correction.action,
        "changes": {field: _json_value(value) for field, value in sorted(correction.changes)},
        "reason": correction.reason,
    }


def appointment_to_record(appointment: Appointment) -> dict[str, Any]:
    return {**appointment._asdict(), "at": timestamp(appointment.at)}


def lesson_to_record(read: LessonRead) -> dict[str, Any]:
    return {**read._asdict(), "at": timestamp(read.at)}


def appointment_from_record(record: Mapping[str, Any]) -> Appointment:
    _only(record, APPOINTMENT_FIELDS)
    return Appointment(
        id=_id(record),
        at=_moment(record),
        kind=_appointment_kind(record.get("kind")),
        who=_text(record, "who"),
        link=_link(record.get("link")),
        place=_text(record, "place"),
        note=_text(record, "note"),
        status=_status(record.get("status", "booked")),
    )


def appointment_from_import(record: Mapping[str, Any]) -> Appointment:
    return within_limits(appointment_from_record(record))  # type: ignore[no-any-return]


def lesson_from_record(record: Mapping[str, Any]) -> LessonRead:
    _only(record, LESSON_FIELDS)
    lesson = record.get("lesson")
    if not isinstance(lesson, str) or not _ID.fullmatch(lesson):
        raise ValueError("'lesson' must be a lesson's id, such as 'centralization'")
    return LessonRead(id=_id(record), at=_moment(record), lesson=lesson)


def _appointment_kind(value: Any) -> str:
    if value not in APPOINTMENT_KINDS:
        raise ValueError(f"'kind' must be one of {', '.join(APPOINTMENT_KINDS)}")
    return str(value)


def _status(value: Any) -> str:
    if value not in APPOINTMENT_STATUSES:
        raise ValueError(f"'status' must be one of {', '.join(APPOINTMENT_STATUSES)}")
    return str(value)


def link_problem(text: str) -> str | None:
    """What is wrong with ``text`` as an appointment's link, or None: an http or https
    address with a host, without spaces or control characters. It is shown, never opened."""
    from urllib.parse import urlsplit

    if len(text) > LINK_MAX:
        return f"is longer than {LINK_MAX} characters"
    if not text.isprintable() or any(c.isspace() for c in text) or not _encodable(text):
        return "must be a web address without spaces, such as https://meet.example.org/abc"
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be a web address starting https:// (or http://), such as https://meet.example.org/abc"
    return None


def _link(value: Any) -> str | None:
    if value is None:
        return None
    problem = link_problem(value) if isinstance(value, str) else "must be text or null"
    if problem:
        raise ValueError(f"'link' {problem}")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, Extent):
        return value.label
    return value


def reading_to_record(reading: PainReading | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    return {
        "score": reading.score,
        "where": reading.where.label if reading.where is not None else None,
    }


def pain_from_record(record: Mapping[str, Any]) -> PainEntry:
    _only(record, PAIN_FIELDS)
    return PainEntry(
        id=_id(record),
        at=_moment(record),
        score=_score(record, "score", required=True),  # type: ignore[arg-type]
        where=_extent(record, "where"),
        note=_text(record, "note"),
        after_exercise=_flag(record, "after_exercise"),
    )


def session_from_record(record: Mapping[str, Any]) -> SessionEntry:
    _only(record, SESSION_FIELDS)
    exercise = record.get("exercise")
    if not isinstance(exercise, str) or not exercise or not _encodable(exercise):
        raise ValueError("'exercise' must be an exercise id")
    hold = record.get("hold_s")
    if hold is not None and not (_is_int(hold) and hold >= 1):
        raise ValueError("'hold_s' must be a whole number of seconds from 1, or null")
    return SessionEntry(
        id=_id(record),
        at=_moment(record),
        exercise=exercise,
        sets=_positive(record, "sets"),
        reps=_positive(record, "reps"),
        hold_s=hold,
        pain_after=_score(record, "pain_after", required=False),
        where_after=_extent(record, "where_after"),
        note=_text(record, "note"),
        partial=_flag(record, "partial"),
    )


def profile_from_record(record: Mapping[str, Any]) -> Profile:
    if not isinstance(record, Mapping):
        raise ValueError("'profile' must be a mapping")
    name, side, pool = record.get("name"), record.get("side"), record.get("pool", False)
    preference = record.get("preference")
    if name is not None and not (isinstance(name, str) and _encodable(name)):
        raise ValueError("'name' must be text or null")
    contact = record.get("contact")  # absent in stores and exports from before it existed
    if contact is not None and not (isinstance(contact, str) and _encodable(contact)):
        raise ValueError("'contact' must be text or null")
    if side is not None and side not in SIDES:
        raise ValueError(f"'side' must be one of {', '.join(SIDES)} or null")
    if not isinstance(pool, bool):
        raise ValueError("'pool' must be true or false")
    if preference is not None and preference not in ("extension", "flexion"):
        raise ValueError("'preference' must be extension, flexion or null")
    profile_id = record.get("id")  # absent in stores and exports from before it existed
    if profile_id is not None and not (isinstance(profile_id, str) and _ID.fullmatch(profile_id)):
        raise ValueError("'id' must be 1-64 letters, digits, '-', '_', '.' or ':', or null")
    provisional = record.get("provisional", False)
    if not isinstance(provisional, bool) or (provisional and profile_id is None):
        raise ValueError("'provisional' must be true (with an id) or false")
    return Profile(
        name=name,
        side=side,
        pool=pool,
        preference=preference,
        id=profile_id,
        contact=contact,
        provisional=provisional,
    )


def screen_from_record(record: Mapping[str, Any]) -> Screen:
    """A screen; item names are read in any case and around spaces (``' Bladder'``)."""
    _only(record, SCREEN_FIELDS)
    answers = {}
    for field in ("yes", "no"):
        value = record.get(field, [])
        if not isinstance(value, list) or not all(_is_item(item) for item in value):
            raise ValueError(f"{field!r} must be a list of screen items such as 'bladder'")
        answers[field] = tuple(dict.fromkeys(_item(item) for item in value))
    return Screen(id=_id(record), at=_moment(record), yes=answers["yes"], no=answers["no"])


def clearance_from_record(record: Mapping[str, Any]) -> Clearance:
    _only(record, CLEARANCE_FIELDS)
    item, note = record.get("item"), record.get("note")
    if not _is_item(item):
        raise ValueError("'item' must be a screen item such as 'bladder'")
    if not isinstance(note, str) or not note.strip() or not _encodable(note):
        raise ValueError("'note' must say how the flag was seen to")
    reports = record.get("reports", [])  # absent in clearances from before it existed
    if not isinstance(reports, list) or not all(
        isinstance(report, str) and _ID.fullmatch(report) for report in reports
    ):
        raise ValueError("'reports' must be a list of screen ids")
    return Clearance(
        id=_id(record),
        at=_moment(record),
        item=_item(str(item)),
        note=note,
        reports=tuple(dict.fromkeys(reports)),
    )


def screen_from_import(record: Mapping[str, Any]) -> Screen:
    """A screen from an import file: every item must be one this ptcli asks about (an
    unknown one would be stored and never raise a flag)."""
    screen = screen_from_record(record)
    _known(*screen.yes, *screen.no)
    return screen


def clearance_from_import(record: Mapping[str, Any]) -> Clearance:
    clearance = clearance_from_record(record)
    _known(clearance.item)
    return within_limits(clearance)  # type: ignore[no-any-return]


def _known(*items: str) -> None:
    from ptcli.domain.safety import ITEMS

    for item in items:
        if item not in ITEMS:
            raise ValueError(f"unknown screen item {item!r}: use one of {', '.join(ITEMS)}")


def plan_change_from_record(record: Mapping[str, Any]) -> PlanChange:
    _only(record, PLAN_FIELDS)
    action, exercise = record.get("action"), record.get("exercise")
    if action not in PLAN_ACTIONS:
        raise ValueError(f"'action' must be one of {', '.join(PLAN_ACTIONS)}")
    if (action == "clear") != (exercise is None) or not (
        exercise is None or (isinstance(exercise, str) and _encodable(exercise))
    ):
        raise ValueError("'exercise' must be an exercise id (null only for 'clear')")
    dose = {
        field: _optional_positive(record, field) for field in ("sets", "reps", "hold_s", "per_day")
    }
    return PlanChange(id=_id(record), at=_moment(record), action=action, exercise=exercise, **dose)


def correction_from_record(record: Mapping[str, Any]) -> Correction:
    _only(record, CORRECTION_FIELDS)
    action, table, target = record.get("action"), record.get("table"), record.get("target")
    if action not in CORRECTION_ACTIONS:
        raise ValueError(f"'action' must be one of {', '.join(CORRECTION_ACTIONS)}")
    if table not in TABLES:
        raise ValueError(f"'table' must be one of {', '.join(TABLES)}")
    if not isinstance(target, str) or not _ID.fullmatch(target):
        raise ValueError("'target' must be the id of a record")
    changes = record.get("changes", {})
    if not isinstance(changes, Mapping):
        raise ValueError("'changes' must be a mapping of field to new value")
    editable = EDITABLE.get(str(table), ()) if action == "amend" else ()
    parsed = []
    for field in sorted(changes):
        if field not in editable:
            raise ValueError(f"'changes' cannot change {str(field)[:40]!r} of a {table} record")
        parsed.append((field, _change(field, changes[field])))
    if action == "amend" and not parsed:
        raise ValueError("'changes' of an amend must change a field")
    try:
        target_at = _moment({"at": record.get("target_at")})
    except ValueError:
        raise ValueError("'target_at' must be an ISO 8601 date-time") from None
    return Correction(
        id=_id(record),
        at=_moment(record),
        target=target,
        table=str(table),
        target_at=target_at,
        action=str(action),
        changes=tuple(parsed),
        reason=_text(record, "reason"),
    )


def _change(field: str, value: Any) -> Any:
    """A new value for ``field``, checked as the field itself is."""
    record = {field: value}
    if field == "at":
        return _moment(record)
    if field in ("score", "pain_after"):
        return _score(record, field, required=field == "score")
    if field in ("where", "where_after"):
        return _extent(record, field)
    if field in ("sets", "reps"):
        return _positive(record, field)
    if field == "hold_s":
        if value is not None and not (_is_int(value) and value >= 1):
            raise ValueError("'hold_s' must be a whole number of seconds from 1, or null")
        return value
    if field == "exercise":
        if not isinstance(value, str) or not value or not _encodable(value):
            raise ValueError("'exercise' must be an exercise id")
        return value
    if field == "kind":
        return _appointment_kind(value)
    if field == "status":
        return _status(value)
    if field == "link":
        return _link(value)
    return _text(record, field)  # note, who, place


def correction_from_import(record: Mapping[str, Any]) -> Correction:
    correction = correction_from_record(record)
    texts = [*correction.changes, ("reason", correction.reason)]
    for field, value in texts:
        limit = LIMITS.get(field, NOTE_MAX)
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(f"{field!r} {text_problem(value, limit)}")
    return correction


def _only(record: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    if not isinstance(record, Mapping):
        raise ValueError("must be a mapping of fields")
    unknown = sorted(str(key) for key in record if key not in fields)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")


def _id(record: Mapping[str, Any]) -> str:
    value = record.get("id")
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError("'id' must be 1-64 letters, digits, '-', '_', '.' or ':'")
    return value


def _moment(record: Mapping[str, Any]) -> datetime:
    value = record.get("at")
    try:
        moment = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(
            "'at' must be an ISO 8601 date-time such as 2026-03-02T08:30:00+01:00"
        ) from None
    if not YEARS[0] <= moment.year <= YEARS[1]:  # and no overflow in offsets or margins
        raise ValueError(f"'at' must be in the years {YEARS[0]} to {YEARS[1]}")
    return moment if moment.tzinfo else moment.astimezone()


def _score(record: Mapping[str, Any], field: str, *, required: bool) -> int | None:
    value = record.get(field)
    if value is None and not required:
        return None
    if not _is_int(value) or not 0 <= value <= 10:
        raise ValueError(f"{field!r} must be a whole number from 0 to 10")
    return int(value)


def _positive(record: Mapping[str, Any], field: str) -> int:
    value = record.get(field)
    if not _is_int(value) or value < 1:
        raise ValueError(f"{field!r} must be a whole number from 1")
    return int(value)


def _optional_positive(record: Mapping[str, Any], field: str) -> int | None:
    return None if record.get(field) is None else _positive(record, field)


def _is_item(value: object) -> bool:
    """A screen item's id, in any case and with spaces around (``_item`` normalises it).

    The store keeps an unknown id it already holds (imports refuse them: ``_known``).
    """
    return isinstance(value, str) and _ID.fullmatch(value.strip().lower()) is not None


def _item(value: str) -> str:
    return value.strip().lower()


def _extent(record: Mapping[str, Any], field: str) -> Extent | None:
    value = record.get(field)
    if value is None:
        return None
    try:
        return Extent.parse(value)
    except (ValueError, AttributeError):
        raise ValueError(f"{field!r} must be one of {', '.join(Extent.labels())} or null") from None


def _text(record: Mapping[str, Any], field: str) -> str | None:
    value = record.get(field)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{field!r} must be text or null")
    if value is not None and not _encodable(value):
        raise ValueError(f"{field!r} is not valid text (a lone surrogate)")
    return value


def _flag(record: Mapping[str, Any], field: str) -> bool:
    value = record.get(field, False)
    if not isinstance(value, bool):
        raise ValueError(f"{field!r} must be true or false")
    return value


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class Kind(NamedTuple):
    """One kind of record: its table name, NDJSON type, fields and JSON form both ways."""

    table: str
    line_type: str  # the "type" of its lines in an NDJSON export
    type: type
    fields: tuple[str, ...]
    to_record: Callable[[Any], dict[str, Any]]
    from_record: Callable[[Mapping[str, Any]], Any]
    # Stricter, for an import file (default: from_record).
    from_import: Callable[[Mapping[str, Any]], Any] | None = None


def assessment_to_record(assessment: Assessment) -> dict[str, Any]:
    return {
        **assessment._asdict(),
        "at": timestamp(assessment.at),
        "where": assessment.where.label,
        "sets": [{**one._asdict(), "where": one.where.label} for one in assessment.sets],
        "partial": assessment.partial,
    }


def assessment_from_record(record: Mapping[str, Any]) -> Assessment:
    from ptcli.domain import assessment

    _only(record, ASSESSMENT_FIELDS)
    by, extension = record.get("by"), record.get("extension")
    if by not in assessment.BY:
        raise ValueError(f"'by' must be one of {', '.join(assessment.BY)}")
    if extension is not None and extension not in assessment.EXTENSION_RANGES:
        raise ValueError(
            f"'extension' must be one of {', '.join(assessment.EXTENSION_RANGES)} or null"
        )
    fingertips = record.get("fingertips_cm")
    if fingertips is not None and not (
        _is_int(fingertips) and 0 <= fingertips <= assessment.FINGERTIPS_MAX_CM
    ):
        raise ValueError(
            f"'fingertips_cm' must be a whole number of cm from 0 to "
            f"{assessment.FINGERTIPS_MAX_CM}, or null"
        )
    sets = record.get("sets", [])
    if not isinstance(sets, list):
        raise ValueError("'sets' must be a list of movement sets")
    parsed = tuple(_movement_set(one) for one in sets)
    where = _extent(record, "where")
    if where is None:
        raise ValueError(f"'where' must be one of {', '.join(Extent.labels())}")
    found = Assessment(
        id=_id(record),
        at=_moment(record),
        by=str(by),
        pain=_score(record, "pain", required=True),  # type: ignore[arg-type]
        where=where,
        fingertips_cm=fingertips,
        extension=extension,
        sets=parsed,
        side_glides=_flag(record, "side_glides"),
        partial=_flag(record, "partial"),
        note=_text(record, "note"),
    )
    try:
        assessment.check_order(found, frozenset())
    except ValueError as error:
        raise ValueError(f"'sets': {error}") from None
    return found


def _movement_set(record: Any) -> MovementSet:
    from ptcli.domain import assessment

    _only(record, MOVEMENT_SET_FIELDS)
    movement, change = record.get("movement"), record.get("range")
    if movement not in assessment.MOVEMENT:
        raise ValueError(f"'movement' must be one of {', '.join(assessment.MOVEMENT)}")
    if change is not None and change not in assessment.RANGE_CHANGES:
        raise ValueError(f"'range' must be one of {', '.join(assessment.RANGE_CHANGES)} or null")
    where = _extent(record, "where")
    if where is None:
        raise ValueError(f"'where' of a set must be one of {', '.join(Extent.labels())}")
    pain = _score(record, "pain", required=True)
    assert pain is not None
    return MovementSet(str(movement), pain, where, change)


def assessment_from_import(record: Mapping[str, Any]) -> Assessment:
    return within_limits(assessment_from_record(record))  # type: ignore[no-any-return]


def pain_from_import(record: Mapping[str, Any]) -> PainEntry:
    return within_limits(pain_from_record(record))  # type: ignore[no-any-return]


def session_from_import(record: Mapping[str, Any]) -> SessionEntry:
    return within_limits(session_from_record(record))  # type: ignore[no-any-return]


def plan_change_from_import(record: Mapping[str, Any]) -> PlanChange:
    return within_limits(plan_change_from_record(record))  # type: ignore[no-any-return]


def profile_from_import(record: Mapping[str, Any]) -> Profile:
    return within_limits(profile_from_record(record))  # type: ignore[no-any-return]


def measure_to_record(entry: MeasureEntry) -> dict[str, Any]:
    from ptcli.domain import questionnaires as measures

    return {
        "id": entry.id,
        "at": timestamp(entry.at),
        "measure": entry.measure,
        "answers": list(entry.answers),
        "activities": list(entry.activities),
        # For readers of an export; computed from the answers, and checked on the way in.
        "score": round(_divide(*measures.ratio(entry.measure, entry.answers)), 2),
    }


def measure_from_record(record: Mapping[str, Any]) -> MeasureEntry:
    from ptcli.domain import questionnaires as measures

    _only(record, MEASURE_FIELDS)
    measure, answers = record.get("measure"), record.get("answers")
    activities = record.get("activities", [])
    if measure not in measures.MEASURES:
        raise ValueError(f"'measure' must be one of {', '.join(measures.NAMES)}")
    if not isinstance(answers, list) or not all(a is None or _is_int(a) for a in answers):
        raise ValueError("'answers' must be a list of whole numbers (null for a missing one)")
    if not isinstance(activities, list) or not all(
        isinstance(a, str) and _encodable(a) for a in activities
    ):
        raise ValueError("'activities' must be a list of activity names")
    problem = measures.problem(str(measure), answers, activities)
    if problem:
        raise ValueError(f"'answers': {problem}")
    entry = MeasureEntry(
        id=_id(record),
        at=_moment(record),
        measure=str(measure),
        answers=tuple(answers),
        activities=tuple(activities),
    )
    given = record.get("score")
    computed = _divide(*measures.ratio(entry.measure, entry.answers))
    if given is not None and not (
        isinstance(given, int | float)
        and not isinstance(given, bool)
        and abs(given - computed) < 0.01
    ):
        raise ValueError(f"'score' does not match its answers ({computed:.2f})")
    return entry


def _divide(numerator: int, denominator: int) -> float:
    return numerator / denominator


def measure_from_import(record: Mapping[str, Any]) -> MeasureEntry:
    entry = measure_from_record(record)
    for name in entry.activities:
        problem = text_problem(name, ACTIVITY_MAX)
        if problem:
            raise ValueError(f"'activities' {problem}")
    return entry


KINDS = (
    Kind(
        "pain", "pain", PainEntry, PAIN_FIELDS, pain_to_record, pain_from_record, pain_from_import
    ),
    Kind(
        "sessions",
        "session",
        SessionEntry,
        SESSION_FIELDS,
        session_to_record,
        session_from_record,
        session_from_import,
    ),
    Kind(
        "screens",
        "screen",
        Screen,
        SCREEN_FIELDS,
        screen_to_record,
        screen_from_record,
        screen_from_import,
    ),
    Kind(
        "clearances",
        "clearance",
        Clearance,
        CLEARANCE_FIELDS,
        clearance_to_record,
        clearance_from_record,
        clearance_from_import,
    ),
    Kind(
        "plan",
        "plan",
        PlanChange,
        PLAN_FIELDS,
        plan_change_to_record,
        plan_change_from_record,
        plan_change_from_import,
    ),
    Kind(
        "corrections",
        "correction",
        Correction,
        CORRECTION_FIELDS,
        correction_to_record,
        correction_from_record,
        correction_from_import,
    ),
    Kind(
        "appointments",
        "appointment",
        Appointment,
        APPOINTMENT_FIELDS,
        appointment_to_record,
        appointment_from_record,
        appointment_from_import,
    ),
    Kind("lessons", "lesson", LessonRead, LESSON_FIELDS, lesson_to_record, lesson_from_record),
    Kind(
        "assessments",
        "assessment",
        Assessment,
        ASSESSMENT_FIELDS,
        assessment_to_record,
        assessment_from_record,
        assessment_from_import,
    ),
    Kind(
        "measures",
        "measure",
        MeasureEntry,
        MEASURE_FIELDS,
        measure_to_record,
        measure_from_record,
        measure_from_import,
    ),
)
TABLES = tuple(kind.table for kind in KINDS)
KIND_OF: dict[type, Kind] = {kind.type: kind for kind in KINDS}
