"""FHIR export: the store as a FHIR R4 Bundle of type ``collection`` (JSON).

What the bundle holds, in this order:

* one Patient: only the name, and only if the profile has one (as ``HumanName.text``);
  nothing else identifying (ptcli keeps no birth date, sex or address);
* an Observation per pain entry: LOINC 72514-3, ``valueInteger`` the score, the entry's
  time as ``effectiveDateTime``, how far down the leg the symptoms reach as a component
  (coded in ``EXTENT_SYSTEM``) and the note as an Annotation;
* a Procedure per session: SNOMED CT 229065009 "Exercise therapy" plus the exercise's
  catalogue id (coded in ``EXERCISE_SYSTEM``), ``performedDateTime``, and the dose and
  the pain just after as extensions (``EXTENSIONS``) so that they stay machine-readable;
* the plan in force (``ptcli.domain.plan.current`` of the exported plan changes) as one
  CarePlan with an activity per pinned exercise, only if any exercise is pinned.

Screens and flag clearances are not exported here (use ``--format json``).

Every resource's id is a UUID 5 of the record's kind and id (record ids may hold ``:``
and ``_``, which FHIR ids do not allow), so exporting the same store twice gives the same
resources; each ``fullUrl`` is ``urn:uuid:<id>`` and references point at those URNs. The
bundle's own id and identifier are a UUID 5 of its entries, so two exports of the same
data differ only in ``Bundle.timestamp`` (the time of the export).

The ``https://ptcli.example/fhir/`` URLs below name ptcli's own code systems and
extensions; ``.example`` is a reserved domain, so they cannot clash with anyone else's.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ptcli import records
from ptcli.domain.models import Extent, PainEntry, PlanChange, Profile, SessionEntry
from ptcli.render.words import amount, duration, per_day
from ptcli.views import Export

BASE = "https://ptcli.example/fhir"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
"""The namespace of every resource id: uuid5(NAMESPACE, "<kind>/<record id>")."""

EXERCISE_SYSTEM = f"{BASE}/CodeSystem/exercise"
"""Codes are the exercise ids of ptcli's catalogue (``ptcli catalogue list``)."""
EXTENT_SYSTEM = f"{BASE}/CodeSystem/symptom-extent"
"""How far down the leg the symptoms reach: none, back, side, buttock, thigh, calf, foot."""
CONCEPT_SYSTEM = f"{BASE}/CodeSystem/concept"
"""ptcli's own concepts (the code of the symptom-extent component)."""
RECORD_ID_SYSTEM = f"{BASE}/NamingSystem/record-id"
"""Identifier system of ptcli's record ids (the ``id`` of the json export's records)."""

EXTENSION_BASE = f"{BASE}/StructureDefinition"
SETS_URL = f"{EXTENSION_BASE}/exercise-sets"  # valueInteger
REPS_URL = f"{EXTENSION_BASE}/exercise-reps"  # valueInteger, repetitions per set
HOLD_URL = f"{EXTENSION_BASE}/exercise-hold-seconds"  # valueInteger, seconds each hold
PAIN_AFTER_URL = f"{EXTENSION_BASE}/pain-after"  # valueInteger 0-10, just after the session
EXTENT_AFTER_URL = f"{EXTENSION_BASE}/symptom-extent-after"  # valueCodeableConcept
EXTENSIONS = (SETS_URL, REPS_URL, HOLD_URL, PAIN_AFTER_URL, EXTENT_AFTER_URL)

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SNOMED = "http://snomed.info/sct"
EXERCISE_THERAPY_CODE = "229065009"
EXERCISE_THERAPY_DISPLAY = "Exercise therapy"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
EXTENT_TEXT = "Symptom extent (how far down the leg)"
_CODE = re.compile(r"[^\s]+( [^\s]+)*")  # FHIR's code type


def render(view: object) -> Iterator[str]:
    """The Bundle as JSON text, written entry by entry (ten years are 25,000 resources).

    The bundle's id is a UUID 5 of its entries' text, hashed as they are written; JSON
    objects are unordered, so the id and identifier come after the entries.
    """
    assert isinstance(view, Export)
    digest = hashlib.sha1(NAMESPACE.bytes + b"bundle/")  # how uuid.uuid5 hashes
    head = {"resourceType": "Bundle", "type": "collection", "timestamp": _moment(view.exported_at)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": [\n'
    for number, resource in enumerate(_resources(view)):
        entry = {"fullUrl": _urn(resource["id"]), "resource": resource}
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        digest.update(text.encode())
        yield ("" if number == 0 else ",\n") + text
    bundle_id = str(uuid.UUID(bytes=digest.digest()[:16], version=5))
    tail = {
        "id": bundle_id,
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(bundle_id)},
    }
    yield "\n], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n"


def _resources(view: Export) -> Iterator[dict[str, Any]]:
    """Patient, then an Observation per pain entry and a Procedure per session in time
    order, then the CarePlan; each table of ``view`` is read once, a month at a time."""
    patient = _patient(view.profile)
    yield patient
    subject = {"reference": _urn(patient["id"])}
    fixes = view.corrections
    for entry in view.tables.get("pain", ()):
        assert isinstance(entry, PainEntry)
        fixed = fixes.apply("pain", entry) if fixes else entry
        yield _corrected(_observation(fixed or entry, subject), fixed, entry, "amended")
    for entry in view.tables.get("sessions", ()):
        assert isinstance(entry, SessionEntry)
        fixed = fixes.apply("sessions", entry) if fixes else entry
        yield _corrected(_procedure(fixed or entry, subject, view.names), fixed, entry, None)
    from ptcli.render.fhir_appointment import appointment

    for visit in view.tables.get("appointments", ()):
        yield appointment(visit, subject, fixes)  # type: ignore[arg-type]
    if view.pins:  # the plan in force, whatever window the records were exported for
        yield _care_plan(list(view.pins.values()), subject, view.names)


def _corrected(
    resource: dict[str, Any], fixed: object, entry: object, amended: str | None
) -> dict[str, Any]:
    """A record deleted as entered in error keeps its resource, marked so; an edited one
    has its corrected values (an Observation's status says it was amended)."""
    if fixed is None:
        return {**resource, "status": "entered-in-error"}
    if fixed != entry and amended:
        return {**resource, "status": amended}
    return resource


def _patient(profile: Profile) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        # The profile's random id keeps two patients' bundles apart; a store never
        # initialised has none, and all such stores share one Patient id.
        "id": str(uuid.uuid5(NAMESPACE, f"patient/{profile.id or ''}")),
    }
    if profile.name and profile.name.strip():
        patient["name"] = [{"text": profile.name.strip()}]
    return patient


def _observation(entry: PainEntry, subject: dict[str, str]) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id("pain", entry.id),
        "identifier": [_identifier(entry.id)],
        "status": "final",
        "category": [
            {"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
            "text": "Pain score (0-10)",
        },
        "subject": subject,
        "effectiveDateTime": _moment(entry.at),
        "performer": [subject],  # self-reported
        "valueInteger": entry.score,
    }
    if entry.note:
        observation["note"] = [{"text": entry.note}]
    if entry.where is not None:
        observation["component"] = [
            {
                "code": {
                    "coding": [
                        {"system": CONCEPT_SYSTEM, "code": "symptom-extent", "display": EXTENT_TEXT}
                    ],
                    "text": EXTENT_TEXT,
                },
                "valueCodeableConcept": _extent(entry.where),
            }
        ]
    return observation


def _procedure(
    entry: SessionEntry, subject: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    extensions = _dose(entry.sets, entry.reps, entry.hold_s)
    if entry.pain_after is not None:
        extensions.append({"url": PAIN_AFTER_URL, "valueInteger": entry.pain_after})
    if entry.where_after is not None:
        extensions.append(
            {"url": EXTENT_AFTER_URL, "valueCodeableConcept": _extent(entry.where_after)}
        )
    procedure: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": resource_id("session", entry.id),
        "extension": extensions,
        "identifier": [_identifier(entry.id)],
        # A guided session cut short: FHIR's "stopped" is "terminated before full completion".
        "status": "stopped" if entry.partial else "completed",
        "code": _exercise_code(entry.exercise, names),
        "subject": subject,
        "performedDateTime": _moment(entry.at),
        "performer": [{"actor": subject}],  # done by the patient, at home
    }
    if entry.note:
        procedure["note"] = [{"text": entry.note}]
    return procedure


def _care_plan(
    pins: list[PlanChange], subject: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    ids = sorted(pin.id for pin in pins)
    return {
        "resourceType": "CarePlan",
        "id": str(uuid.uuid5(NAMESPACE, "careplan/" + ",".join(ids))),
        "identifier": [_identifier(pin_id) for pin_id in ids],
        "status": "active",
        "intent": "plan",
        "title": "Home exercise plan",
        "description": "The exercises the therapist pinned (ptcli plan), with their doses; "
        "a dose left out is the catalogue's.",
        "subject": subject,
        "created": _moment(max(pin.at for pin in pins)),
        "activity": [{"detail": _activity(pin, names)} for pin in pins],
    }


def _activity(pin: PlanChange, names: dict[str, str]) -> dict[str, Any]:
    exercise = pin.exercise
    assert exercise is not None  # current() pins only changes that name an exercise
    detail: dict[str, Any] = {}
    extensions = _dose(pin.sets, pin.reps, pin.hold_s)
    if extensions:
        detail["extension"] = extensions
    detail |= {
        "kind": "ServiceRequest",
        "code": _exercise_code(exercise, names),
        "status": "in-progress",
    }
    if pin.per_day is not None:
        detail["scheduledTiming"] = {
            "repeat": {"frequency": pin.per_day, "period": 1, "periodUnit": "d"}
        }
    detail["description"] = _pin_words(exercise, pin)
    return detail


def _pin_words(exercise: str, pin: PlanChange) -> str:
    """'bird-dog: 2 sets of 8 repetitions, twice a day'; what the pin leaves out is the catalogue's."""
    if pin.sets is not None and pin.reps is not None:
        dose = amount(pin.sets, pin.reps, pin.hold_s)
    else:
        given = [
            f"{pin.sets} sets" if pin.sets is not None else "",
            f"{pin.reps} repetitions" if pin.reps is not None else "",
            f"holds of {duration(pin.hold_s)}" if pin.hold_s is not None else "",
        ]
        dose = ", ".join(part for part in given if part) or "the catalogue's dose"
    times = per_day(pin.per_day) if pin.per_day is not None else ""
    return ", ".join(part for part in (f"{exercise}: {dose}", times) if part)


def _dose(sets: int | None, reps: int | None, hold_s: int | None) -> list[dict[str, Any]]:
    fields = ((SETS_URL, sets), (REPS_URL, reps), (HOLD_URL, hold_s))
    return [{"url": url, "valueInteger": value} for url, value in fields if value is not None]


def _exercise_code(exercise: str, names: dict[str, str]) -> dict[str, Any]:
    """Exercise therapy, and which exercise (an id of ptcli's catalogue, known or not).

    The text is the exercise's name when the catalogue knows it, else its id. An imported
    id that is no FHIR code (spaces at an end, say) is kept as the text only.
    """
    coding = [
        {"system": SNOMED, "code": EXERCISE_THERAPY_CODE, "display": EXERCISE_THERAPY_DISPLAY}
    ]
    name = names.get(exercise)
    if _CODE.fullmatch(exercise):
        coding.append(
            {"system": EXERCISE_SYSTEM, "code": exercise, **({"display": name} if name else {})}
        )
    return {"coding": coding, "text": name or exercise}


def _extent(where: Extent) -> dict[str, Any]:
    return {
        "coding": [{"system": EXTENT_SYSTEM, "code": where.label, "display": where.label}],
        "text": where.label,
    }


def _identifier(record_id: str) -> dict[str, str]:
    return {"system": RECORD_ID_SYSTEM, "value": record_id}


def _urn(resource_id: str) -> str:
    return f"urn:uuid:{resource_id}"


def _moment(moment: datetime) -> str:
    """A FHIR dateTime/instant: seconds and the UTC offset (which FHIR requires with a time)."""
    return records.timestamp(moment if moment.tzinfo else moment.astimezone())


def resource_id(kind: str, record_id: str) -> str:
    """The stable FHIR id of the record ``record_id`` of ``kind`` (pain, session, ...)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{record_id}"))
