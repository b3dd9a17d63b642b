"""Use cases of appointments (DOMAIN 10): add, list, done and cancel.

An appointment is written once, as booked. Done and cancelled are corrections of its
``status`` (``domain.corrections``), as an edit is: the booking stays as written, every
reader sees the corrected view, and ``undo`` takes a done or a cancel back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ptcli import records
from ptcli.domain.models import Appointment, Correction
from ptcli.domain.when import local_day, start_of
from ptcli.errors import BadInput
from ptcli.services import Workspace
from ptcli.views import Appointments


def add(
    ws: Workspace,
    when: str,
    kind: str,
    who: str | None = None,
    link: str | None = None,
    place: str | None = None,
    note: str | None = None,
    done: bool = False,
) -> Appointment:
    """Book an appointment (or, with ``done``, record one that happened)."""
    at = _moment(ws, when)
    for option, value, limit in (
        ("--with", who, records.PLACE_MAX),
        ("--place", place, records.PLACE_MAX),
        ("--note", note, records.NOTE_MAX),
    ):
        problem = None if value is None else records.text_problem(value, limit)
        if problem:
            raise BadInput(f"{option} {problem}: nothing was written")
    link = (link or "").strip() or None
    if link is not None and (problem := records.link_problem(link)):
        raise BadInput(f"--link {problem}: nothing was written")
    if kind == "online" and link is None:
        raise BadInput("an online appointment needs its --link (https://...): nothing was written")
    if done and local_day(at) > ws.now.date():
        raise BadInput(f"{when!r} is after today: --done is for an appointment that happened")
    appointment = Appointment(
        records.new_id(),
        at,
        kind,
        _blank(who),
        link,
        _blank(place),
        _blank(note),
        "done" if done else "booked",
    )
    with ws.store.transaction():
        ws.store.add(appointment)
    return appointment


def _blank(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _moment(ws: Workspace, text: str) -> datetime:
    value = ws.when(text, "WHEN", ahead=True)
    if not isinstance(value, datetime):
        raise BadInput(f"WHEN {text!r} needs a time of day too, such as '{text.strip()} 10:30'")
    return value.replace(second=0, microsecond=0)


def listing(ws: Workspace, everything: bool) -> Appointments:
    """The appointments booked from today on, soonest first; with ``everything`` all of
    them (done and cancelled ones too), oldest first."""
    if everything:
        return Appointments(ws.select(Appointment), True)
    found = [a for a in ws.select(Appointment, start_of(ws.now.date())) if a.status == "booked"]
    return Appointments(found, False)


def next_one(ws: Workspace) -> Appointment | None:
    """The next appointment booked (from now on): the one ``today`` shows."""
    return next(
        (a for a in ws.select(Appointment, ws.now) if a.status == "booked"),
        None,
    )


def mark(ws: Workspace, given: str, status: str, note: str | None = None) -> Appointment:
    """Mark an appointment done or cancelled (a correction of its status); ``note`` is added
    to its note. Returns the appointment as it now is."""
    from ptcli.corrections import current

    problem = None if note is None else records.text_problem(note, records.NOTE_MAX)
    if problem:
        raise BadInput(f"--note {problem}: nothing was written")
    with ws.store.transaction():
        ws.forget_corrections()
        record = _named(ws, given)
        if not isinstance(record, Appointment):
            raise BadInput(
                f"{record.id} is not an appointment: see 'ptcli appointment list --all' for ids"
            )
        before = current(ws, record)
        if before is None:
            raise BadInput(f"{record.id} was deleted: 'ptcli undo' can bring it back")
        assert isinstance(before, Appointment)
        if before.status == status:
            raise BadInput(f"that appointment is already {status}")
        if before.status != "booked":
            raise BadInput(
                f"that appointment is {before.status}: 'ptcli undo' takes that back first"
            )
        if status == "done" and local_day(before.at) > ws.now.date():
            raise BadInput(
                f"that appointment is on {before.at.astimezone():%Y-%m-%d}: "
                "mark it done once it has happened"
            )
        changes: list[tuple[str, object]] = [("status", status)]
        if note is not None and note.strip():
            joined = f"{before.note} / {note.strip()}" if before.note else note.strip()
            if len(joined) > records.NOTE_MAX:
                raise BadInput(f"--note would make the note longer than {records.NOTE_MAX:,}")
            changes.append(("note", joined))
        amend = Correction(
            records.new_id(),
            ws.now,
            record.id,
            "appointments",
            record.at,
            "amend",
            tuple(sorted(changes)),
        )
        ws.store.add(amend)
        ws.forget_corrections()
    after = current(ws, record)
    assert isinstance(after, Appointment)
    return after


LAST, NEXT = "last", "next"  # in place of an id


def _named(ws: Workspace, given: str) -> Any:
    """The appointment ``given`` names: an id (whole, or 6+ of its first or last
    characters); ``last``, the latest one booked that has started; ``next``, the next one
    booked. Returned as written (a correction names the record as written)."""
    from ptcli.corrections import find

    word = given.strip().lower()
    if word not in (LAST, NEXT):
        return find(ws, given, (Appointment,), "ptcli appointment list --all")
    booked = [a for a in ws.select(Appointment) if a.status == "booked"]
    if word == LAST:
        found = [a for a in booked if a.at <= ws.now][-1:]
    else:
        found = [a for a in booked if a.at >= ws.now][:1]
    if not found:
        when = "that has started" if word == LAST else "from now on"
        raise BadInput(f"no appointment booked {when}: see 'ptcli appointment list --all'")
    status = ws.corrections.status("appointments", found[0].id)
    written_at = status.amends[0].target_at if status and status.amends else found[0].at
    return ws.store.find(Appointment, found[0].id, written_at) or found[0]
