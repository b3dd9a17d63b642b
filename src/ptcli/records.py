"""The JSON shape of ptcli's records: one mapping for the store, the exports and ``--json``.

``*_from_record`` validate a mapping from outside (an import file, the store) and
raise ValueError with a message that names the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeGuard

from ptcli.domain.models import SIDES, Extent, PainEntry, PainReading, Profile, SessionEntry

PAIN_FIELDS = ("id", "at", "score", "where", "note")
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
)
PROFILE_FIELDS = ("name", "side", "pool", "preference")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def new_id() -> str:
    """16 random hex digits: unique across devices, so stores can be merged."""
    return os.urandom(8).hex()


def timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def pain_to_record(entry: PainEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": timestamp(entry.at),
        "score": entry.score,
        "where": entry.where.label if entry.where is not None else None,
        "note": entry.note,
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
    }


def profile_to_record(profile: Profile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in PROFILE_FIELDS}


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
    )


def session_from_record(record: Mapping[str, Any]) -> SessionEntry:
    _only(record, SESSION_FIELDS)
    exercise = record.get("exercise")
    if not isinstance(exercise, str) or not exercise:
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
    )


def profile_from_record(record: Mapping[str, Any]) -> Profile:
    if not isinstance(record, Mapping):
        raise ValueError("'profile' must be a mapping")
    name, side, pool = record.get("name"), record.get("side"), record.get("pool", False)
    preference = record.get("preference")
    if name is not None and not isinstance(name, str):
        raise ValueError("'name' must be text or null")
    if side is not None and side not in SIDES:
        raise ValueError(f"'side' must be one of {', '.join(SIDES)} or null")
    if not isinstance(pool, bool):
        raise ValueError("'pool' must be true or false")
    if preference is not None and preference not in ("extension", "flexion"):
        raise ValueError("'preference' must be extension, flexion or null")
    return Profile(name=name, side=side, pool=pool, preference=preference)


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
    return value


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
