"""FHIR export: the store as a FHIR R4 Bundle, a ``collection`` (a file) or a
``transaction`` (to load into a server: ``export --bundle transaction``, ``ptcli push``).

What the bundle holds, in this order (``CONTRIBUTORS`` after the Patient):

* one Patient: the profile id as its identifier (``PATIENT_ID_SYSTEM``) and the name, if
  the profile has one (as ``HumanName.text``); nothing else identifying (ptcli keeps no
  birth date, sex or address);
* an Observation per pain entry: LOINC 72514-3, the score as a ``valueQuantity`` in UCUM's
  ``{score}``, the entry's time as ``effectiveDateTime``, how far down the leg the
  symptoms reach as a component (coded in ``EXTENT_SYSTEM``) and the note as an Annotation;
* a Procedure per session: SNOMED CT 229065009 "Exercise therapy" plus the exercise's
  catalogue id (coded in ``EXERCISE_SYSTEM``), ``performedDateTime``, and the dose and
  the pain just after as extensions (``EXTENSIONS``) so that they stay machine-readable;
* outcome measures (``render.fhir_measures``);
* the safety screen as a Questionnaire, and a QuestionnaireResponse per screen;
* a Flag per flag raised (``domain.safety.flags``): active, or inactive once cleared;
* one CarePlan per store: the plan in force (``ptcli.domain.plan.current``), an activity
  per pinned exercise; ``revoked`` once the plan is cleared.

A record deleted as entered in error keeps its resource with the status
``entered-in-error``; an edited pain entry's Observation is ``amended``.

Every resource's id is a UUID 5 of the record's kind and id (record ids may hold ``:``
and ``_``, which FHIR ids do not allow), so exporting the same store twice gives the same
resources; each ``fullUrl`` is ``urn:uuid:<id>``. References point at those URNs in a
collection, and at ``Patient/<id>`` in a transaction, whose entries are each a PUT at
the resource's own id (loading one twice changes nothing). The bundle's own id and
identifier are a UUID 5 of its entries, so two exports of the same data differ only in
``Bundle.timestamp`` (the time of the export).

The ``https://ptcli.example/fhir/`` URLs below name ptcli's own code systems and
extensions; ``.example`` is a reserved domain, so they cannot clash with anyone else's.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from ptcli import records
from ptcli.domain.models import Extent, PainEntry, PlanChange, Profile, Screen, SessionEntry
from ptcli.domain.safety import ITEMS, Flag
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
PATIENT_ID_SYSTEM = f"{BASE}/NamingSystem/profile-id"
"""Identifier system of the Patient: the profile id (``ptcli init`` or the first write)."""
SAFETY_ITEM_SYSTEM = f"{BASE}/CodeSystem/safety-item"
"""The safety screen's items (``ptcli screen``): saddle-numbness, bladder, fever, ..."""
FLAG_LEVEL_SYSTEM = f"{BASE}/CodeSystem/flag-level"
"""How soon a flag needs a clinician: emergency (now) or urgent (within days)."""
SCREEN_URL = f"{BASE}/Questionnaire/safety-screen"
"""The canonical URL of the safety screen's Questionnaire."""

EXTENSION_BASE = f"{BASE}/StructureDefinition"
SETS_URL = f"{EXTENSION_BASE}/exercise-sets"  # valueInteger
REPS_URL = f"{EXTENSION_BASE}/exercise-reps"  # valueInteger, repetitions per set
HOLD_URL = f"{EXTENSION_BASE}/exercise-hold-seconds"  # valueInteger, seconds each hold
PAIN_AFTER_URL = f"{EXTENSION_BASE}/pain-after"  # valueInteger 0-10, just after the session
EXTENT_AFTER_URL = f"{EXTENSION_BASE}/symptom-extent-after"  # valueCodeableConcept
CLEARANCE_NOTE_URL = f"{EXTENSION_BASE}/clearance-note"  # valueString, on a cleared Flag
EXTENSIONS = (SETS_URL, REPS_URL, HOLD_URL, PAIN_AFTER_URL, EXTENT_AFTER_URL, CLEARANCE_NOTE_URL)

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SNOMED = "http://snomed.info/sct"
EXERCISE_THERAPY_CODE = "229065009"
EXERCISE_THERAPY_DISPLAY = "Exercise therapy"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category"
EXTENT_TEXT = "Symptom extent (how far down the leg)"
_CODE = re.compile(r"[^\s]+( [^\s]+)*")  # FHIR's code type


def render(view: object) -> Iterator[str]:
    """The Bundle as JSON text, written entry by entry (ten years are 25,000 resources).

    The bundle's id is a UUID 5 of its entries' text, hashed as they are written; JSON
    objects are unordered, so the id and identifier come after the entries.
    """
    assert isinstance(view, Export)
    yield from bundle_text(
        view.bundle, entries(view, transaction=view.bundle == TRANSACTION), view.exported_at
    )


def bundle_text(kind: str, items: Iterable[dict[str, Any]], at: datetime) -> Iterator[str]:
    """A Bundle of ``kind`` holding ``items`` (its entries) as JSON text, an entry a line."""
    digest = hashlib.sha1(NAMESPACE.bytes + b"bundle/")  # how uuid.uuid5 hashes
    head = {"resourceType": "Bundle", "type": kind, "timestamp": _moment(at)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": [\n'
    for number, entry in enumerate(items):
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        digest.update(text.encode())
        yield ("" if number == 0 else ",\n") + text
    bundle_id = _uuid_text(digest.digest())
    tail = {
        "id": bundle_id,
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(bundle_id)},
    }
    yield "\n], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n"


def entries(view: Export, transaction: bool = False) -> Iterator[dict[str, Any]]:
    """The bundle's entries; in a ``transaction`` each says how to load it: PUT at its own
    stable id (an update that creates it when new), so loading twice changes nothing, and
    references are ``Patient/<id>`` so that part of a bundle (``push --since``) still resolves."""
    for resource in resources(view, transaction):
        entry: dict[str, Any] = {"fullUrl": _urn(resource["id"]), "resource": resource}
        if transaction:
            entry["request"] = {
                "method": "PUT",
                "url": f"{resource['resourceType']}/{resource['id']}",
            }
        yield entry


Contributor = Callable[[Export, dict[str, str]], Iterable[dict[str, Any]]]


def resources(view: Export, transaction: bool = False) -> Iterator[dict[str, Any]]:
    """The Patient, then what each contributor makes of ``view`` (each table is read once,
    a month at a time). ``subject`` is the reference to the Patient."""
    patient = _patient(view.profile)
    yield patient
    subject = {"reference": f"Patient/{patient['id']}" if transaction else _urn(patient["id"])}
    for contribute in CONTRIBUTORS:
        yield from contribute(view, subject)


def _observations(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """An Observation per pain entry, in time order."""
    fixes = view.corrections
    for entry in view.tables.get("pain", ()):
        assert isinstance(entry, PainEntry)
        fixed = fixes.apply("pain", entry) if fixes else entry
        yield _corrected(_observation(fixed or entry, subject), fixed, entry, "amended")


def _procedures(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """A Procedure per session, in time order."""
    fixes = view.corrections
    for entry in view.tables.get("sessions", ()):
        assert isinstance(entry, SessionEntry)
        fixed = fixes.apply("sessions", entry) if fixes else entry
        yield _corrected(_procedure(fixed or entry, subject, view.names), fixed, entry, None)


def _appointments(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """An Appointment per appointment (``ptcli appointment``)."""
    from ptcli.render.fhir_appointment import appointment

    for visit in view.tables.get("appointments", ()):
        yield appointment(visit, subject, view.corrections)  # type: ignore[arg-type]


def _assessments(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """An Observation per self-assessment (``ptcli assess``)."""
    from ptcli.render.fhir_assessment import observation

    fixes = view.corrections
    for test in view.tables.get("assessments", ()):
        fixed = fixes.apply("assessments", test) if fixes else test
        yield _corrected(observation(fixed or test, subject), fixed, test, None)  # type: ignore[arg-type]


def _measures(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Outcome measures (``ptcli measure``): ``render.fhir_measures``."""
    from ptcli.render import fhir_measures

    yield from fhir_measures.resources(view.tables.get("measures", ()), subject, view.corrections)


def _care_plans(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The plan in force, whatever window the records were exported for (one per store)."""
    if view.plan_changes:
        yield _care_plan(view, subject)


def _screens(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The safety screen's Questionnaire (if any screen is exported), then a
    QuestionnaireResponse per screen, in time order."""
    fixes = view.corrections
    for number, entry in enumerate(view.tables.get("screens", ())):
        assert isinstance(entry, Screen)
        if number == 0:
            yield _questionnaire()
        fixed = fixes.apply("screens", entry) if fixes else entry
        yield _corrected(_response(fixed or entry, subject), fixed, entry, "amended")


def _flags(view: Export, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """A Flag per flag raised (active, or inactive once cleared), and ``entered-in-error``
    for one whose reports were all taken back."""
    for flag in view.flags:
        yield _flag(flag, subject, "active" if flag.cleared is None else "inactive")
    for flag in view.flags_in_error:
        yield _flag(flag, subject, "entered-in-error")


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
    """The profile id as the Patient's identifier (under ``PATIENT_ID_SYSTEM``) and, in a
    UUID 5, its id; a store gets a provisional profile id at its first write, so no two
    stores share a Patient (only one that never held a record has none)."""
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": resource_id("patient", profile.id or ""),
    }
    if profile.id:
        use = {"use": "temp"} if profile.provisional else {}  # until init or an import
        patient["identifier"] = [{**use, "system": PATIENT_ID_SYSTEM, "value": profile.id}]
    if profile.name and profile.name.strip():
        patient["name"] = [{"text": profile.name.strip()}]
    return patient


def _questionnaire() -> dict[str, Any]:
    """The safety screen's questions (``domain.safety.ITEMS``), each a yes/no item."""
    return {
        "resourceType": "Questionnaire",
        "id": resource_id("questionnaire", "safety-screen"),
        "url": SCREEN_URL,
        "name": "SafetyScreen",
        "title": "Sciatica safety screen (red flags)",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": item.id,
                "code": [{"system": SAFETY_ITEM_SYSTEM, "code": item.id, "display": item.sign}],
                "prefix": item.level,
                "text": item.question,
                "type": "boolean",
            }
            for item in ITEMS.values()
        ],
    }


def _response(screen: Screen, subject: dict[str, str]) -> dict[str, Any]:
    """A screen's answers; a partial screen (``pain log --flag``) holds only those given."""
    yes, answered = set(screen.yes), set(screen.yes) | set(screen.no)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id("screen", screen.id),
        "identifier": _identifier(screen.id),
        "questionnaire": SCREEN_URL,
        "status": "completed",
        "subject": subject,
        "authored": _moment(screen.at),
        "author": subject,  # self-reported
        "item": [
            {
                "linkId": item,
                "text": ITEMS[item].question if item in ITEMS else item,
                "answer": [{"valueBoolean": item in yes}],
            }
            for item in [*ITEMS, *sorted(answered - set(ITEMS))]
            if item in answered
        ],
    }


def _flag(flag: Flag, subject: dict[str, str], status: str) -> dict[str, Any]:
    """A flag of the safety screen: its level as the category, the item as the code, from
    its first report to its clearance (whose note comes as an extension)."""
    item, cleared = flag.item, flag.cleared
    resource: dict[str, Any] = {"resourceType": "Flag", "id": flag_id(flag)}
    if cleared is not None and status == "inactive":
        resource["extension"] = [{"url": CLEARANCE_NOTE_URL, "valueString": cleared.note}]
    period = {"start": _moment(flag.since)}
    if cleared is not None and status == "inactive":
        period["end"] = _moment(cleared.at)
    return resource | {
        "identifier": [_identifier(report) for report in flag.reports],
        "status": status,
        "category": [
            {
                "coding": [
                    {"system": FLAG_LEVEL_SYSTEM, "code": item.level, "display": item.level.title()}
                ],
                "text": item.level,
            },
            {
                "coding": [
                    {"system": FLAG_CATEGORY_SYSTEM, "code": "clinical", "display": "Clinical"}
                ]
            },
        ],
        "code": {
            "coding": [{"system": SAFETY_ITEM_SYSTEM, "code": item.id, "display": item.sign}],
            "text": item.sign,
        },
        "subject": subject,
        "period": period,
    }


def flag_id(flag: Flag) -> str:
    """A flag's FHIR id: its item and first report, so clearing it updates the same Flag."""
    return resource_id("flag", f"{flag.item.id}/{flag.reports[0] if flag.reports else ''}")


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
        "valueQuantity": _score(entry.score),
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


def _care_plan(view: Export, subject: dict[str, str]) -> dict[str, Any]:
    """One CarePlan per store, the same id through every change: ``active`` with the pins
    in force, from the last change on; ``revoked`` once the plan is cleared (ptcli cannot
    tell a plan that met its goals from one stopped), its period ending then."""
    pins = list(view.pins.values())
    changes = sorted(view.plan_changes, key=lambda change: (change.at, change.id))
    last = _moment(changes[-1].at)
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": resource_id("careplan", view.profile.id or ""),
    }
    if pins:
        care_plan["identifier"] = [_identifier(pin_id) for pin_id in sorted(p.id for p in pins)]
    care_plan |= {
        "status": "active" if pins else "revoked",
        "intent": "plan",
        "title": "Home exercise plan",
        "description": "The exercises the therapist pinned (ptcli plan), with their doses; "
        "a dose left out is the catalogue's."
        if pins
        else "The therapist cleared the plan (ptcli plan clear): no exercise is pinned.",
        "subject": subject,
        "period": {"start": last}
        if pins
        else {"start": _moment(changes[max(0, len(changes) - 2)].at), "end": last},
        "created": _moment(changes[0].at),
    }
    if pins:
        care_plan["activity"] = [{"detail": _activity(pin, view.names)} for pin in pins]
    return care_plan


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


def _score(score: int) -> dict[str, Any]:
    """A 0-10 score as UCUM's unitless ``{score}``, as HL7 Europe's examples give LOINC 72514-3."""
    return {"value": score, "unit": "{score}", "system": UCUM, "code": "{score}"}


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
    """The stable FHIR id of the record ``record_id`` of ``kind`` (pain, session, ...):
    ``uuid.uuid5(NAMESPACE, f"{kind}/{record_id}")``, hashed here as uuid5 does, without
    the UUID object (a tenth of a 10-year export's time, 25,000 ids)."""
    return _uuid_text(hashlib.sha1(NAMESPACE.bytes + f"{kind}/{record_id}".encode()).digest())


def _uuid_text(sha1: bytes) -> str:
    """The UUID 5 text of a SHA-1 digest: its first 16 bytes, version and variant set."""
    digits = bytearray(sha1[:16])
    digits[6] = digits[6] & 0x0F | 0x50
    digits[8] = digits[8] & 0x3F | 0x80
    h = digits.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


TRANSACTION = "transaction"
"""The Bundle type to post to a server (``--bundle transaction``, ``ptcli push``)."""

CONTRIBUTORS: tuple[Contributor, ...] = (
    # Each makes its resources from the export view; add yours on a line of its own.
    _observations,
    _procedures,
    _appointments,
    _assessments,
    _measures,
    _screens,
    _flags,
    _care_plans,
)
"""What goes into the bundle after the Patient, in this order."""
