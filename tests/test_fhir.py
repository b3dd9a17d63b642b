"""export --format fhir: a FHIR R4 Bundle that the fhir.resources R4B models accept."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given
from hypothesis import strategies as st

from ptcli.render import fhir

LOINC_PAIN = ("http://loinc.org", "72514-3")
SNOMED_EXERCISE_THERAPY = ("http://snomed.info/sct", "229065009")


@pytest.fixture
def logged(run: Any) -> None:
    run("init", "--name", "Ann Example", "--side", "left")
    run(
        "pain",
        "log",
        "6",
        "--where",
        "calf",
        "--at",
        "2026-03-01T08:00",
        "--note",
        "nuit blanche ☹",
    )
    run("pain", "log", "3", "--at", "2026-03-02T08:00")
    run("pain", "log", "2", "--where", "back", "--at", "2026-03-04T08:00")
    run(
        "session",
        "log",
        "prone-lying",
        "--at",
        "2026-03-02T09:00",
        "--pain-after",
        "2",
        "--where-after",
        "buttock",
        "--note",
        "easier",
    )
    run("session", "log", "walking", "--hold", "900", "--at", "2026-03-02T17:00")
    run("plan", "set", "bird-dog", "--sets", "2", "--reps", "8", "--per-day", "2")
    run("plan", "set", "walking")


def export_fhir(run: Any, *args: str) -> dict[str, Any]:
    """The bundle of ``export --format fhir``, after the R4B models accepted it."""
    result = run("export", "--format", "fhir", *args)
    assert (result.code, result.err) == (0, "")
    document: dict[str, Any] = result.json()
    Bundle.model_validate(document)  # raises pydantic.ValidationError on anything off
    return document


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(coding["system"], coding["code"]) for coding in concept["coding"]}


def extensions(element: dict[str, Any]) -> dict[str, Any]:
    return {ext["url"]: ext for ext in element.get("extension", [])}


def references(value: Any) -> Iterator[str]:
    """Every Reference.reference anywhere in ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference":
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def test_the_bundle_is_a_valid_collection_of_the_logged_records(run: Any, logged: None) -> None:
    bundle = export_fhir(run)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert Counter(e["resource"]["resourceType"] for e in bundle["entry"]) == {
        "Patient": 1,
        "Observation": 3,
        "Procedure": 2,
        "CarePlan": 1,
    }
    parsed = Bundle.model_validate(bundle)
    assert [type(e.resource).__name__ for e in parsed.entry or []] == [
        "Patient",
        *["Observation"] * 3,
        *["Procedure"] * 2,
        "CarePlan",
    ]
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_every_reference_resolves_to_the_patient(run: Any, logged: None) -> None:
    bundle = export_fhir(run)
    [patient_entry] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    found = list(references(bundle))
    assert found and set(found) == {patient_entry["fullUrl"]}
    for resource in bundle["entry"][1:]:
        assert resource["resource"]["subject"] == {"reference": patient_entry["fullUrl"]}


def test_pain_entries_are_loinc_pain_scores_at_their_time(run: Any, logged: None) -> None:
    bundle = export_fhir(run)
    pain = {entry["id"]: entry for entry in run("export").json()["pain"]}
    observations = resources(bundle, "Observation")
    assert [o["identifier"][0]["value"] for o in observations] == list(pain)
    for observation in observations:
        entry = pain[observation["identifier"][0]["value"]]
        assert observation["status"] == "final"
        assert codes(observation["code"]) == {LOINC_PAIN}
        assert observation["code"]["coding"][0]["display"] == fhir.PAIN_DISPLAY
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        # UCUM's unitless {score}, as HL7 Europe's examples give LOINC 72514-3 (README).
        assert observation["valueQuantity"] == {
            "value": entry["score"],
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        }
        assert observation["effectiveDateTime"] == entry["at"]
        assert datetime.fromisoformat(observation["effectiveDateTime"]).tzinfo  # FHIR needs it
        extent = [
            c["valueCodeableConcept"]["coding"][0]["code"] for c in observation.get("component", [])
        ]
        assert extent == ([entry["where"]] if entry["where"] else [])
        assert observation.get("note", [{}])[0].get("text") == entry["note"]
    first = observations[0]
    assert first["component"][0]["code"]["text"] == fhir.EXTENT_TEXT
    assert (
        first["component"][0]["valueCodeableConcept"]["coding"][0]["system"] == fhir.EXTENT_SYSTEM
    )


def test_sessions_are_exercise_therapy_procedures_with_dose_and_pain_after(
    run: Any, logged: None
) -> None:
    bundle = export_fhir(run)
    sessions = run("export").json()["sessions"]
    procedures = resources(bundle, "Procedure")
    assert len(procedures) == len(sessions) == 2
    for procedure, session in zip(procedures, sessions, strict=True):
        assert procedure["status"] == "completed"
        assert procedure["identifier"][0]["value"] == session["id"]
        assert codes(procedure["code"]) == {
            SNOMED_EXERCISE_THERAPY,
            (fhir.EXERCISE_SYSTEM, session["exercise"]),
        }
        assert procedure["performedDateTime"] == session["at"]
        found = {url: ext.get("valueInteger") for url, ext in extensions(procedure).items()}
        assert found[fhir.SETS_URL] == session["sets"]
        assert found[fhir.REPS_URL] == session["reps"]
        assert found.get(fhir.HOLD_URL) == session["hold_s"]
        assert found.get(fhir.PAIN_AFTER_URL) == session["pain_after"]
    prone, walking = procedures
    after = extensions(prone)[fhir.EXTENT_AFTER_URL]["valueCodeableConcept"]
    assert codes(after) == {(fhir.EXTENT_SYSTEM, "buttock")}
    assert prone["note"] == [{"text": "easier"}]
    assert extensions(walking)[fhir.HOLD_URL]["valueInteger"] == 900
    assert fhir.PAIN_AFTER_URL not in extensions(walking)
    assert fhir.EXTENT_AFTER_URL not in extensions(walking)


def test_the_plan_in_force_is_one_care_plan(run: Any, logged: None) -> None:
    run("plan", "set", "prone-lying")
    run("plan", "drop", "prone-lying")
    [care_plan] = resources(export_fhir(run), "CarePlan")
    assert (care_plan["status"], care_plan["intent"]) == ("active", "plan")
    details = [activity["detail"] for activity in care_plan["activity"]]
    assert [d["code"]["text"] for d in details] == ["Opposite arm and leg lift", "Walking"]
    # The plan in force, even when the records are exported from a later day on.
    later = export_fhir(run, "--since", "2026-12-31")
    assert [r["id"] for r in resources(later, "CarePlan")] == [care_plan["id"]]
    bird_dog, walking = details
    assert codes(bird_dog["code"]) == {SNOMED_EXERCISE_THERAPY, (fhir.EXERCISE_SYSTEM, "bird-dog")}
    dose = {url: ext["valueInteger"] for url, ext in extensions(bird_dog).items()}
    assert dose == {fhir.SETS_URL: 2, fhir.REPS_URL: 8}
    assert bird_dog["scheduledTiming"]["repeat"] == {"frequency": 2, "period": 1, "periodUnit": "d"}
    assert "extension" not in walking and "scheduledTiming" not in walking  # the catalogue's dose
    pins = {change["id"] for change in run("plan", "show", "--json").json()}
    assert {identifier["value"] for identifier in care_plan["identifier"]} == pins


def test_the_care_plan_keeps_its_id_through_changes_and_is_revoked_when_cleared(
    run: Any, logged: None
) -> None:
    [before] = resources(export_fhir(run), "CarePlan")
    run("plan", "set", "prone-lying")
    [changed] = resources(export_fhir(run), "CarePlan")
    assert changed["id"] == before["id"] and changed["status"] == "active"
    latest = max(change["at"] for change in run("plan", "show", "--json").json())
    assert changed["period"]["start"] == latest >= before["period"]["start"]  # one per change
    assert changed["identifier"] != before["identifier"]
    assert "end" not in changed["period"]
    run("plan", "clear")
    [cleared] = resources(export_fhir(run), "CarePlan")
    assert (cleared["id"], cleared["status"]) == (before["id"], "revoked")
    assert "activity" not in cleared and cleared["period"]["end"] >= changed["period"]["start"]


def test_no_care_plan_without_a_plan(run: Any) -> None:
    run("pain", "log", "3")
    assert resources(export_fhir(run), "CarePlan") == []


def test_two_stores_never_share_a_care_plan(run: Any, tmp_path: Path) -> None:
    ids = []
    for name in ("ann", "bob"):
        store = str(tmp_path / f"{name}.json")
        run("--db", store, "plan", "set", "walking")  # neither ran init
        ids.append(resources(run("--db", store, "export", "--format", "fhir").json(), "CarePlan"))
    assert ids[0][0]["id"] != ids[1][0]["id"]


def test_ids_are_stable_and_only_the_timestamp_changes(run: Any, logged: None) -> None:
    first, second = export_fhir(run), export_fhir(run)
    assert {**first, "timestamp": None} == {**second, "timestamp": None}
    ids = [entry["resource"]["id"] for entry in first["entry"]]
    assert len(set(ids)) == len(ids)  # different records, different ids
    assert fhir.resource_id("pain", "a1") != fhir.resource_id("session", "a1")
    run("pain", "log", "4", "--at", "2026-03-05T08:00")
    third = export_fhir(run)
    assert {e["resource"]["id"] for e in first["entry"]} < {
        e["resource"]["id"] for e in third["entry"]
    }
    assert third["id"] != first["id"]  # the bundle's id follows its content


def test_the_output_is_deterministic_text(run: Any, logged: None) -> None:
    texts = [run("export", "--format", "fhir").out for _ in range(2)]
    strip = [re.sub(r'"timestamp": "[^"]+"', '"timestamp": "T"', text) for text in texts]
    assert strip[0] == strip[1] and strip[0] != texts[0]
    assert "nuit blanche ☹" in texts[0]  # ensure_ascii=False
    assert texts[0].startswith('{"resourceType": "Bundle",')
    assert texts[0].count("\n") == len(json.loads(texts[0])["entry"]) + 2  # an entry a line


def test_the_patient_holds_the_name_and_nothing_else(run: Any, logged: None) -> None:
    [patient] = resources(export_fhir(run), "Patient")
    assert set(patient) == {"resourceType", "id", "identifier", "name"}
    assert patient["name"] == [{"text": "Ann Example"}]
    profile_id = run("profile", "--json").json()["id"]
    assert patient["identifier"] == [{"system": fhir.PATIENT_ID_SYSTEM, "value": profile_id}]


def test_no_name_in_the_patient_when_the_profile_has_none(run: Any) -> None:
    run("init", "--side", "right", "--pool")
    run("pain", "log", "5", "--at", "2026-03-01T08:00")
    [patient] = resources(export_fhir(run), "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}


def test_since_and_until_narrow_the_export(run: Any, logged: None) -> None:
    def observed(*args: str) -> list[str]:
        return [
            o["effectiveDateTime"][:10] for o in resources(export_fhir(run, *args), "Observation")
        ]

    assert observed() == ["2026-03-01", "2026-03-02", "2026-03-04"]
    assert observed("--since", "2026-03-02") == ["2026-03-02", "2026-03-04"]
    assert observed("--until", "2026-03-02") == ["2026-03-01", "2026-03-02"]
    assert observed("--since", "2026-03-02", "--until", "2026-03-03") == ["2026-03-02"]
    narrowed = export_fhir(run, "--since", "2026-03-03")
    assert resources(narrowed, "Procedure") == []


def test_one_table_gives_the_patient_and_that_table(run: Any, logged: None) -> None:
    bundle = export_fhir(run, "--table", "sessions")
    assert Counter(e["resource"]["resourceType"] for e in bundle["entry"]) == {
        "Patient": 1,
        "Procedure": 2,
    }


def test_an_empty_store_gives_a_bundle_with_just_the_patient(run: Any) -> None:
    bundle = export_fhir(run)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert "name" not in bundle["entry"][0]["resource"]


def test_exercises_the_catalogue_lacks_are_exported_as_given(run: Any, tmp_path: Path) -> None:
    record = {"at": "2026-03-02T09:00:00+01:00", "exercise": "no-such-exercise"}
    document = {
        "format": "ptcli-export",
        "version": 1,
        "profile": None,
        "sessions": [
            {**record, "id": "s:1_a", "sets": 1, "reps": 5, "hold_s": None, "pain_after": None}
        ],
        "plan": [{**record, "id": "p:1_a", "action": "set", "sets": 2}],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run("import", str(path)).code == 0
    bundle = export_fhir(run)
    [procedure] = resources(bundle, "Procedure")
    [care_plan] = resources(bundle, "CarePlan")
    assert (fhir.EXERCISE_SYSTEM, "no-such-exercise") in codes(procedure["code"])
    assert care_plan["activity"][0]["detail"]["code"]["text"] == "no-such-exercise"
    assert procedure["id"] == fhir.resource_id("session", "s:1_a")  # ':' and '_' kept out of ids
    assert procedure["performedDateTime"] == "2026-03-02T09:00:00+01:00"


def test_two_patients_never_share_a_patient_id_and_devices_of_one_do(
    run: Any, tmp_path: Path
) -> None:
    ann, bob, ann_laptop = (str(tmp_path / f"{name}.json") for name in ("ann", "bob", "laptop"))
    run("--db", ann, "init", "--name", "Ann")
    run("--db", bob, "init", "--name", "Bob")
    run("--db", ann, "export", "--output", str(tmp_path / "ann-export.json"))
    run("--db", ann_laptop, "import", str(tmp_path / "ann-export.json"))

    def patient_id(store: str) -> str:
        bundle = run("--db", store, "export", "--format", "fhir").json()
        Bundle.model_validate(bundle)
        [patient] = resources(bundle, "Patient")
        return str(patient["id"])

    assert patient_id(ann) != patient_id(bob)
    assert patient_id(ann) == patient_id(ann_laptop) == patient_id(ann)
    run("--db", ann, "init", "--side", "left")  # re-running init keeps the id
    assert patient_id(ann) == patient_id(ann_laptop)


def test_a_store_without_init_is_a_provisional_patient_until_an_import_names_it(
    run: Any, tmp_path: Path
) -> None:
    ann, phone, bob = (str(tmp_path / f"{name}-store.json") for name in ("ann", "phone", "bob"))
    run("--db", ann, "init", "--name", "Ann")
    run("--db", ann, "export", "--output", str(tmp_path / "ann.json"))
    run("--db", phone, "pain", "log", "3")  # never ran init
    provisional = run("--db", phone, "profile", "--json").json()
    assert provisional["id"] and provisional["provisional"] is True

    def patient(store: str) -> dict[str, Any]:
        bundle = run("--db", store, "export", "--format", "fhir").json()
        Bundle.model_validate(bundle)
        [found] = resources(bundle, "Patient")
        return found

    assert patient(phone)["identifier"][0] == {
        "use": "temp",
        "system": fhir.PATIENT_ID_SYSTEM,
        "value": provisional["id"],
    }
    # The phone's export goes into a store with a profile of its own: its id is kept.
    run("--db", phone, "export", "--output", str(tmp_path / "phone.json"))
    run("--db", bob, "init", "--name", "Bob")
    assert run("--db", bob, "import", str(tmp_path / "phone.json")).code == 0
    assert run("--db", bob, "profile", "--json").json()["name"] == "Bob"
    # Ann's export names the phone's patient: the provisional id gives way to hers.
    imported = run("--db", phone, "import", str(tmp_path / "ann.json"))
    assert imported.code == 0, imported.err
    adopted = run("--db", phone, "profile", "--json").json()
    ann_profile = run("--db", ann, "profile", "--json").json()
    assert (adopted["id"], adopted["name"]) == (ann_profile["id"], "Ann")
    assert "provisional" not in adopted
    assert patient(phone)["id"] == patient(ann)["id"]


def test_init_makes_a_provisional_id_the_patient_s_own(run: Any) -> None:
    run("pain", "log", "3")
    before = run("profile", "--json").json()
    run("init", "--name", "Ann")
    after = run("profile", "--json").json()
    assert after["id"] == before["id"] and "provisional" not in after
    [patient] = resources(export_fhir(run), "Patient")
    assert "use" not in patient["identifier"][0]


def test_a_transaction_bundle_puts_every_resource_at_its_id(run: Any, logged: None) -> None:
    run("screen", "--yes", "fever", "--no-others")
    bundle = export_fhir(run, "--bundle", "transaction")
    assert bundle["type"] == "transaction"
    [patient] = resources(bundle, "Patient")
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["request"] == {
            "method": "PUT",
            "url": f"{resource['resourceType']}/{resource['id']}",
        }
        assert re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", resource["id"])  # FHIR's id rule
    assert {ref for ref in references(bundle) if "Patient" in ref} == {f"Patient/{patient['id']}"}
    collection = export_fhir(run)
    assert [e["resource"]["id"] for e in collection["entry"]] == [
        e["resource"]["id"] for e in bundle["entry"]
    ]
    assert "request" not in collection["entry"][0]
    refused = run("export", "--bundle", "transaction")
    assert (refused.code, refused.err) == (2, "ptcli: --bundle is for --format fhir\n")


def test_screens_and_flags_are_in_the_bundle(run: Any, logged: None) -> None:
    run("screen", "--no-others", "--at", "2026-03-01T07:00")
    run("pain", "log", "5", "--flag", "fever")
    bundle = export_fhir(run)
    [questionnaire] = resources(bundle, "Questionnaire")
    assert questionnaire["url"] == fhir.SCREEN_URL
    items = [item["linkId"] for item in questionnaire["item"]]
    assert "saddle-numbness" in items and len(items) == len(set(items)) >= 12
    full, partial = resources(bundle, "QuestionnaireResponse")
    assert len(full["item"]) == len(items) and partial["item"] == [
        {"linkId": "fever", "text": questionnaire["item"][items.index("fever")]["text"],
         "answer": [{"valueBoolean": True}]}
    ]  # fmt: skip
    [flag] = resources(bundle, "Flag")
    assert (flag["status"], flag["code"]["coding"][0]["code"]) == ("active", "fever")
    assert flag["category"][0]["coding"][0]["code"] == "urgent"
    run("flag", "clear", "fever", "--note", "seen by GP: a cold")
    [cleared] = resources(export_fhir(run), "Flag")
    assert (cleared["id"], cleared["status"]) == (flag["id"], "inactive")
    assert cleared["extension"][0]["valueString"] == "seen by GP: a cold"
    # A report taken back as entered in error takes its flag with it.
    run("pain", "log", "5", "--flag", "night-pain")
    [night] = [f for f in resources(export_fhir(run), "Flag") if f["status"] == "active"]
    screen_id = night["identifier"][0]["value"]
    assert run("delete", screen_id, "--note", "pressed the wrong key").code == 0
    voided = [f for f in resources(export_fhir(run), "Flag") if f["id"] == night["id"]]
    assert [f["status"] for f in voided] == ["entered-in-error"]


def test_two_devices_before_init_that_sync_become_one_patient(run: Any, tmp_path: Path) -> None:
    phone, laptop = (str(tmp_path / f"{name}-store.json") for name in ("phone", "laptop"))
    run("--db", phone, "pain", "log", "3")
    run("--db", laptop, "pain", "log", "4")  # a later provisional id
    ids = {s: run("--db", s, "profile", "--json").json()["id"] for s in (phone, laptop)}
    assert ids[phone] < ids[laptop]
    for source, target in ((laptop, phone), (phone, laptop)):
        out = str(tmp_path / "out.json")
        run("--db", source, "export", "--output", out, "--force")
        assert run("--db", target, "import", out).code == 0
    after = {s: run("--db", s, "profile", "--json").json() for s in (phone, laptop)}
    assert after[phone]["id"] == after[laptop]["id"] == ids[phone]  # the older id
    assert after[phone]["provisional"] is after[laptop]["provisional"] is True


@given(st.text(max_size=20), st.text(max_size=40))
def test_a_resource_id_is_the_uuid5_of_its_kind_and_record(kind: str, record_id: str) -> None:
    """resource_id hashes as uuid.uuid5 does, without its UUID object (export speed):
    the ids a clinic's server already holds must never change."""
    import uuid

    expected = str(uuid.uuid5(fhir.NAMESPACE, f"{kind}/{record_id}"))
    assert fhir.resource_id(kind, record_id) == expected
