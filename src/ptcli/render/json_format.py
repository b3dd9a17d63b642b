"""JSON output: the documented contract that scripts rely on (see README, "JSON output")."""

from __future__ import annotations

import json
from functools import singledispatch
from typing import Any

from ptcli import records
from ptcli.domain.models import (
    Alert,
    Appointment,
    Exercise,
    PainEntry,
    Reason,
    Routine,
    RoutineItem,
    SessionEntry,
)
from ptcli.render import words
from ptcli.views import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    Appointments,
    Exercises,
    Explained,
    Export,
    Flags,
    History,
    Lesson,
    Lessons,
    Plan,
    PlanHistory,
    Today,
)


def render(view: object) -> str:
    return json.dumps(to_json(view), indent=2, ensure_ascii=False) + "\n"


@singledispatch
def to_json(view: object) -> Any:
    raise TypeError(f"no JSON form for {type(view).__name__}")


@to_json.register
def _(view: list) -> Any:  # type: ignore[type-arg]
    return [to_json(item) for item in view]


@to_json.register
def _(view: Exercises) -> Any:
    return [to_json(exercise) for exercise in view.items]


@to_json.register
def _(entry: PainEntry) -> Any:
    return records.pain_to_record(entry)


@to_json.register
def _(entry: SessionEntry) -> Any:
    return records.session_to_record(entry)


@to_json.register
def _(view: History) -> Any:
    return [
        {
            "type": records.KIND_OF[type(e)].line_type,
            **to_json(e),
            **_corrected(view, e.id),
        }
        for e in view.entries
    ]


def _corrected(view: History, record_id: str) -> dict[str, Any]:
    """With --all: each record's status, and for a corrected one the record as first
    written and the corrections that changed it."""
    if view.corrected is None:
        return {}
    found = view.corrected.get(record_id)
    if found is None:
        return {"status": "as written"}
    kind = records.KIND_OF[type(found.original)]
    return {
        "status": found.status,
        "original": kind.to_record(found.original),
        "corrections": [records.correction_to_record(c) for c in found.corrections],
    }


@to_json.register
def _(routine: Routine) -> Any:
    return {
        "date": routine.date.isoformat(),
        "status": routine.status,
        # The quick routine (``routine --pain``) read no log, flags or plan: it says so, and
        # carries the warning signs a screen asks about (null for a routine from the log).
        "quick": routine.quick,
        "quick_note": words.QUICK_NOTE if routine.quick else None,
        "band": routine.band.value,
        "pain": records.reading_to_record(routine.pain),
        "message": routine.message,
        "alerts": [to_json(alert) for alert in routine.alerts],
        "warning_signs": _warning_signs() if routine.quick else None,
        "exercises": [to_json(item) for item in routine.items],
        "reasons": [to_json(reason) for reason in routine.reasons],
        "left_out": [{"id": id_, "why": why, "rule": rule} for id_, why, rule in routine.left_out],
    }


def _warning_signs() -> list[dict[str, Any]]:
    return [
        {
            "level": "emergency",
            "advice": words.EMERGENCY_SIGNS_ADVICE,
            "signs": words.emergency_signs(),
        },
        {"level": "urgent", "advice": words.URGENT_SIGNS_ADVICE, "signs": words.urgent_signs()},
    ]


@to_json.register
def _(view: Explained) -> Any:
    return to_json(view.routine)  # the JSON form always carries the reasons


@to_json.register
def _(alert: Alert) -> Any:
    return alert._asdict()


@to_json.register
def _(reason: Reason) -> Any:
    return {"rule": reason.rule, "text": reason.text, "evidence": list(reason.evidence)}


@to_json.register
def _(item: RoutineItem) -> Any:
    exercise = item.exercise
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "chain": exercise.chain,
        "level": exercise.level,
        "change": item.change,
        "reason": to_json(item.reason) if item.reason else None,
        "sets": item.sets,
        "reps": item.reps,
        "hold_s": item.hold_s,
        "times_per_day": item.times_per_day,
        "days_per_week": item.days_per_week,
        "per_side": exercise.dose.per_side,
        "why": item.why,
    }


@to_json.register
def _(exercise: Exercise) -> Any:
    dose = exercise.dose
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "direction": exercise.direction,
        "chain": exercise.chain,
        "level": exercise.level,
        "bands": sorted(band.value for band in exercise.bands),
        "purpose": exercise.purpose,
        "position": exercise.position,
        "steps": list(exercise.steps),
        "dose": {
            "sets": dose.sets,
            "reps": dose.reps,
            "hold_s": dose.hold_s,
            "times_per_day": dose.times_per_day,
            "days_per_week": dose.days_per_week,
            "per_side": dose.per_side,
            "range": {
                "sets": list(dose.range.sets),
                "reps": list(dose.range.reps),
                "hold_s": list(dose.range.hold_s) if dose.range.hold_s else None,
            },
        },
        "cautions": list(exercise.cautions),
        "needs": {
            "pool": exercise.pool,
            "equipment": list(exercise.equipment),
            "minimal_symptoms": exercise.minimal_symptoms,
        },
        "therapist_only": exercise.therapist_only,
    }


@to_json.register
def _(view: Flags) -> Any:
    return {
        "flags": [
            {
                "item": flag.item.id,
                "level": flag.item.level,
                "active": flag.cleared is None,
                "since": records.timestamp(flag.since),
                "last_reported": records.timestamp(flag.last),
                "cleared": records.clearance_to_record(flag.cleared) if flag.cleared else None,
            }
            for flag in view.flags
        ],
        "last_full_screen": records.timestamp(view.last_screen.at) if view.last_screen else None,
        **(
            {
                "deleted": [
                    {
                        "type": records.KIND_OF[type(record)].line_type,
                        "record": records.KIND_OF[type(record)].to_record(record),
                        "correction": records.correction_to_record(void),
                    }
                    for record, void in view.deleted
                ]
            }
            if view.deleted
            else {}
        ),
    }


@to_json.register
def _(view: Plan) -> Any:
    return [records.plan_change_to_record(change) for _, change in view.pins]


@to_json.register
def _(view: PlanHistory) -> Any:
    return [records.plan_change_to_record(change) for change in view.changes]


@to_json.register
def _(view: Export) -> Any:
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": records.timestamp(view.exported_at),
        "profile": records.profile_to_record(view.profile),
    }
    for table, entries in view.tables.items():
        document[table] = [records.KIND_OF[type(e)].to_record(e) for e in entries]
    return document


@to_json.register
def _(view: Today) -> Any:
    """Today's routine, with the next appointment and the next lesson to read (or null),
    and the outcome measures due."""
    lesson = view.lesson
    return {
        **to_json(view.routine),
        "next_appointment": (
            records.appointment_to_record(view.appointment) if view.appointment else None
        ),
        "next_lesson": (
            {"number": lesson.number, "id": lesson.id, "title": lesson.title} if lesson else None
        ),
        "measures_due": list(view.measures_due),
    }


@to_json.register
def _(view: Appointments) -> Any:
    return [records.appointment_to_record(item) for item in view.items]


@to_json.register
def _(view: Lessons) -> Any:
    return [
        {"number": x.number, "id": x.id, "title": x.title, "read": x.id in view.read}
        for x in view.lessons
    ]


@to_json.register
def _(lesson: Lesson) -> Any:
    return lesson._asdict()


@to_json.register
def _(entry: Appointment) -> Any:
    return records.appointment_to_record(entry)
