"""An assessment (``ptcli assess``) as a FHIR R4 Observation, for the bundle of ``render.fhir``.

No LOINC or SNOMED CT code names a McKenzie repeated-movement assessment as such, so the
Observation's code is ptcli's own (``CONCEPT_SYSTEM`` ``repeated-movement-assessment``),
category ``exam``. Its components:

* the baseline: pain (LOINC 72514-3, ``valueInteger``), how far down the leg (ptcli's
  ``symptom-extent``), fingertips-to-floor (ptcli ``fingertips-to-floor``, a
  ``valueQuantity`` in cm, UCUM) and extension in standing (ptcli ``extension-range``);
* per direction tested (extension, flexion, side-glide-left/right): its response
  (ptcli ``response-<direction>``, coded in ``RESPONSE_SYSTEM``: centralized,
  peripheralized, no-effect), whether pain eased (``eased-<direction>``, ``valueBoolean``)
  and the range change (``range-<direction>``: better, same, worse), when answered;
* the suggested directional preference (``suggested-preference``), only when there is
  one: a suggestion for the therapist to confirm, never the profile's preference.

A test stopped part way is ``preliminary``; a finished one ``final``.
"""

from typing import Any

from ptcli.domain import assessment
from ptcli.domain.models import Assessment
from ptcli.render.fhir import (
    BASE,
    CATEGORY_SYSTEM,
    CONCEPT_SYSTEM,
    LOINC,
    PAIN_CODE,
    PAIN_DISPLAY,
    _extent,
    _identifier,
    _moment,
    resource_id,
)

RESPONSE_SYSTEM = f"{BASE}/CodeSystem/movement-response"
"""centralized, peripheralized, no-effect (DOMAIN 8.5)."""
CHOICE_SYSTEM = f"{BASE}/CodeSystem/assessment-answer"
"""Extension range (none, a-little, half, full), range change (better, same, worse) and
directions (extension, flexion)."""


def observation(test: Assessment, subject: dict[str, str]) -> dict[str, Any]:
    result = assessment.evaluate(test)
    components = [
        _component(LOINC, PAIN_CODE, PAIN_DISPLAY, valueInteger=test.pain),
        _component(
            CONCEPT_SYSTEM,
            "symptom-extent",
            "Symptom extent",
            valueCodeableConcept=_extent(test.where),
        ),
    ]
    if test.fingertips_cm is not None:
        quantity = {
            "value": test.fingertips_cm,
            "unit": "cm",
            "system": "http://unitsofmeasure.org",
            "code": "cm",
        }
        components.append(
            _component(
                CONCEPT_SYSTEM, "fingertips-to-floor", "Fingertips to floor", valueQuantity=quantity
            )
        )
    if test.extension is not None:
        components.append(_choice("extension-range", "Extension in standing", test.extension))
    for direction in result.directions:
        if not direction.sets or direction.response is None:
            continue
        name = direction.direction
        response = direction.response.replace(" ", "-")
        components.append(
            _component(
                CONCEPT_SYSTEM,
                f"response-{name}",
                f"Response to {name.replace('-', ' ')}",
                valueCodeableConcept={
                    "coding": [{"system": RESPONSE_SYSTEM, "code": response, "display": response}],
                    "text": direction.response,
                },
            )
        )
        components.append(
            _component(CONCEPT_SYSTEM, f"eased-{name}", "Pain eased", valueBoolean=direction.eased)
        )
        if direction.range is not None:
            components.append(_choice(f"range-{name}", "Range of movement", direction.range))
    if result.suggestion is not None:
        components.append(
            _choice(
                "suggested-preference",
                f"Suggested directional preference, {assessment.CONFIRM}",
                result.suggestion,
            )
        )
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id("assessment", test.id),
        "identifier": [_identifier(test.id)],
        "status": "preliminary" if test.partial else "final",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "exam", "display": "Exam"}]}],
        "code": {
            "coding": [
                {
                    "system": CONCEPT_SYSTEM,
                    "code": "repeated-movement-assessment",
                    "display": "Repeated-movement assessment (McKenzie)",
                }
            ],
            "text": "Repeated-movement assessment",
        },
        "subject": subject,
        "effectiveDateTime": _moment(test.at),
        "component": components,
    }
    if test.by == "patient":
        resource["performer"] = [subject]  # self-assessed
    if test.note:
        resource["note"] = [{"text": test.note}]
    return resource


def _component(system: str, code: str, display: str, **value: Any) -> dict[str, Any]:
    return {
        "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
        **value,
    }


def _choice(code: str, display: str, answer: str) -> dict[str, Any]:
    return _component(
        CONCEPT_SYSTEM,
        code,
        display,
        valueCodeableConcept={
            "coding": [{"system": CHOICE_SYSTEM, "code": answer, "display": answer}],
            "text": answer,
        },
    )
