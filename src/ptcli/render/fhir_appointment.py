"""An appointment as a FHIR R4 ``Appointment`` (for the bundle of ``render.fhir``).

Status: booked, fulfilled (done), cancelled, or entered-in-error for one deleted.
The patient takes part (``participant`` with the bundle's Patient), and the clinician
and the place as display names only (ptcli has no Practitioner or Location records).
The end is the start plus an hour † (ptcli keeps no length). The link of an online
session goes in ``comment``, after the note.
"""

from datetime import timedelta
from typing import Any

from ptcli.domain.models import Appointment
from ptcli.render.fhir import _identifier, _moment, resource_id
from ptcli.render.words import APPOINTMENT_WORDS

STATUS = {"booked": "booked", "done": "fulfilled", "cancelled": "cancelled"}
LENGTH = timedelta(hours=1)  # †, as the calendar export's events


def appointment(entry: Appointment, subject: dict[str, str], fixes: Any) -> dict[str, Any]:
    """``entry`` as corrected by ``fixes`` (the corrections in force, or None)."""
    fixed = fixes.apply("appointments", entry) if fixes else entry
    shown = fixed or entry
    participants: list[dict[str, Any]] = [
        {"actor": subject, "required": "required", "status": "accepted"}
    ]
    if shown.who:
        participants.append({"actor": {"display": shown.who}, "status": "accepted"})
    if shown.place:
        participants.append({"actor": {"display": shown.place}, "status": "accepted"})
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": resource_id("appointment", entry.id),
        "identifier": [_identifier(entry.id)],
        "status": STATUS[shown.status] if fixed is not None else "entered-in-error",
        "serviceType": [{"text": APPOINTMENT_WORDS.get(shown.kind, shown.kind)}],
        "appointmentType": {"text": shown.kind},
        "start": _moment(shown.at),
        "end": _moment(shown.at + LENGTH),
        "participant": participants,
    }
    comment = [text for text in (shown.note, f"Link: {shown.link}" if shown.link else None) if text]
    if comment:
        resource["comment"] = "\n".join(comment)
    return resource
