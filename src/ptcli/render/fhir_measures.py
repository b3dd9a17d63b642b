"""Outcome measures in the FHIR export (``render.fhir`` calls ``resources``).

* ODI: an Observation with its LOINC code for the total, 97909-6 "Oswestry disability
  index score ODI" (https://loinc.org/97909-6), ``valueQuantity`` in percent.
* RMDQ, PSFS and PEG: no LOINC code for their totals was verified for ptcli (README,
  "Outcome measures"), so each is a QuestionnaireResponse: one item per answer
  (``valueInteger``; PSFS items carry the activity's name as their text) and the total
  as an item of its own (linkId ``total``, ``valueDecimal``). Their ``questionnaire``
  names ptcli's own canonical URL: no question text is shipped.

A measure deleted as entered in error keeps its resource, with that status.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ptcli.domain import measures
from ptcli.domain.models import MeasureEntry

if TYPE_CHECKING:
    from ptcli.domain.corrections import Corrections

ODI_CODE = "97909-6"
ODI_DISPLAY = "Oswestry disability index score ODI"
UCUM = "http://unitsofmeasure.org"


def resources(
    entries: Iterable[object], subject: dict[str, str], fixes: Corrections | None
) -> Iterator[dict[str, Any]]:
    """A resource per measure, in time order."""
    for entry in entries:
        assert isinstance(entry, MeasureEntry)
        void = fixes is not None and fixes.apply("measures", entry) is None
        resource = (
            _observation(entry, subject) if entry.measure == "odi" else _response(entry, subject)
        )
        if void:
            resource["status"] = "entered-in-error"
        yield resource


def _observation(entry: MeasureEntry, subject: dict[str, str]) -> dict[str, Any]:
    from ptcli.render.fhir import CATEGORY_SYSTEM, LOINC, _identifier, _moment, resource_id

    total = measures.score(entry.measure, entry.answers)
    return {
        "resourceType": "Observation",
        "id": resource_id("measure", entry.id),
        "identifier": [_identifier(entry.id)],
        "status": "final",
        "category": [
            {"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": LOINC, "code": ODI_CODE, "display": ODI_DISPLAY}],
            "text": "Oswestry Disability Index (percent)",
        },
        "subject": subject,
        "effectiveDateTime": _moment(entry.at),
        "performer": [subject],
        "valueQuantity": {
            "value": round(float(total), 2),
            "unit": "%",
            "system": UCUM,
            "code": "%",
        },
    }


def _response(entry: MeasureEntry, subject: dict[str, str]) -> dict[str, Any]:
    from ptcli.render.fhir import BASE, _identifier, _moment, resource_id

    items: list[dict[str, Any]] = []
    for number, answer in enumerate(entry.answers, 1):
        item: dict[str, Any] = {"linkId": f"{entry.measure}-{number}"}
        if entry.activities:
            item["text"] = entry.activities[number - 1]
        if answer is not None:
            item["answer"] = [{"valueInteger": answer}]
        items.append(item)
    total = measures.score(entry.measure, entry.answers)
    items.append(
        {"linkId": "total", "text": "Total", "answer": [{"valueDecimal": round(float(total), 2)}]}
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id("measure", entry.id),
        "identifier": _identifier(entry.id),
        "questionnaire": f"{BASE}/Questionnaire/{entry.measure}",
        "status": "completed",
        "subject": subject,
        "authored": _moment(entry.at),
        "author": subject,
        "source": subject,
        "item": items,
    }
