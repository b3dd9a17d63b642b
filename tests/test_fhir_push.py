"""ptcli push: the transaction bundle loaded into a real FHIR server started here.

The server is Medplum's FHIR router (the code Medplum's server runs) over its in-memory
repository, behind the small HTTP shim tests/fhir_server/server.mjs. The first test installs
it from its lockfile (`npm ci`); `.ci/run` installs node and npm where missing. Without them
these tests are skipped, saying why, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from ptcli.render import fhir
from tests.conftest import ROOT

SERVER = ROOT / "tests" / "fhir_server"
TOKEN = "test-token-5f1c9a"  # the shim's, never a real one
LOINC_PAIN = "72514-3"


def _install() -> str | None:
    """Install the server's packages from its lockfile if they are missing (what `npm ci`
    does, quietly, from npm's cache when it can); why the server cannot run, or None."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node and npm are not installed (Debian: apt-get install nodejs npm)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if tuple(int(part) for part in version.strip().lstrip("v").split(".")[:2]) < (20, 19):
        return f"node {version.strip()} is older than the 20.19 that Medplum's router needs"
    if (SERVER / "node_modules" / "@medplum" / "fhir-router").is_dir():
        return None
    command = [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]
    installed = subprocess.run(command, cwd=SERVER, capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        return f"npm ci in tests/fhir_server failed: {installed.stderr.strip()[:300]}"
    return None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of a fresh FHIR server on a free localhost port (one per module)."""
    missing = _install()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"no FHIR server for the push tests: {missing}")
        pytest.skip(f"no FHIR server for the push tests: {missing}")
    process = subprocess.Popen(
        ["node", "server.mjs", "0"],
        cwd=SERVER,
        env={**os.environ, "FHIR_TEST_TOKEN": TOKEN},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "listening PORT", once the definitions are loaded
        if not line.startswith("listening "):
            process.kill()
            pytest.fail(f"the FHIR server did not start: {line}{process.communicate()[1]}")
        yield f"http://127.0.0.1:{line.split()[1]}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(base: str, path: str, **query: str) -> dict[str, Any]:
    url = f"{base}/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        document: dict[str, Any] = json.load(response)
    return document


def found(base: str, kind: str, **query: str) -> list[dict[str, Any]]:
    bundle = get(base, kind, _count="1000", **query)
    return [entry["resource"] for entry in bundle.get("entry", [])]


def patient_id(run: Any) -> str:
    bundle = run("export", "--format", "fhir").json()
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    return str(patient["id"])


def push(run: Any, base: str, *args: str) -> Any:
    return run("push", base, "--token-env", "CLINIC_TOKEN", *args)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_TOKEN", TOKEN)


def week(run: Any) -> None:
    run("init", "--name", "Ann Example", "--side", "left")
    for day, score in enumerate((6, 5, 4, 4, 3), start=1):
        run("pain", "log", str(score), "--where", "calf", "--at", f"2026-03-0{day}T08:00")
    run("session", "log", "prone-lying", "--at", "2026-03-02T09:00", "--pain-after", "2")
    run("screen", "--no-others", "--at", "2026-03-01T07:00")
    run("plan", "set", "bird-dog", "--sets", "2", "--reps", "8")


def test_pushing_twice_loads_once_and_changes_nothing(run: Any, server: str, token: None) -> None:
    week(run)
    first = push(run, server)
    assert (first.code, first.err) == (0, "")
    sent = len(run("export", "--format", "fhir", "--bundle", "transaction").json()["entry"])
    assert f"Pushed {sent} resources to {server} " in first.out
    assert f": {sent} created, 0 updated, 0 unchanged." in first.out
    patient = patient_id(run)
    observations = found(server, "Observation", code=LOINC_PAIN, subject=f"Patient/{patient}")
    assert sorted(o["valueQuantity"]["value"] for o in observations) == [3, 4, 4, 5, 6]
    assert {o["valueQuantity"]["code"] for o in observations} == {"{score}"}
    [loaded] = found(server, "Patient", _id=patient)
    profile = run("profile", "--json").json()
    assert loaded["identifier"] == [{"system": fhir.PATIENT_ID_SYSTEM, "value": profile["id"]}]
    versions = {o["id"]: o["meta"]["versionId"] for o in observations}

    second = push(run, server)
    assert (second.code, second.err) == (0, "")
    assert f": 0 created, 0 updated, {sent} unchanged." in second.out
    again = found(server, "Observation", code=LOINC_PAIN, subject=f"Patient/{patient}")
    assert {o["id"] for o in again} == set(versions)  # no duplicate, no orphan
    assert len(found(server, "Patient", identifier=profile["id"])) == 1
    [care_plan] = found(server, "CarePlan", subject=f"Patient/{patient}")
    assert care_plan["status"] == "active"
    [response] = found(server, "QuestionnaireResponse", subject=f"Patient/{patient}")
    assert {item["answer"][0]["valueBoolean"] for item in response["item"]} == {False}
    assert len(found(server, "Questionnaire", url=fhir.SCREEN_URL)) == 1


def test_since_last_sends_only_what_changed(run: Any, server: str, token: None) -> None:
    week(run)
    assert push(run, server).code == 0
    nothing = push(run, server, "--since", "last")
    assert (nothing.code, nothing.out) == (
        0,
        f"Nothing changed since the last push to {server}; nothing was sent.\n",
    )
    run("pain", "log", "2", "--at", "2026-03-06T08:00")
    run("plan", "clear")
    some = push(run, server, "--since", "last")
    assert some.code == 0, some.err
    assert "Pushed 2 resources" in some.out and "(1 CarePlan, 1 Observation)" in some.out
    patient = patient_id(run)
    observations = found(server, "Observation", code=LOINC_PAIN, subject=f"Patient/{patient}")
    assert len(observations) == 6
    [care_plan] = found(server, "CarePlan", subject=f"Patient/{patient}")  # one, not two
    assert care_plan["status"] == "revoked" and "end" in care_plan["period"]


def test_a_blocked_patient_s_flag_reaches_the_server_and_its_clearance_too(
    run: Any, server: str, token: None
) -> None:
    week(run)
    run("screen", "--yes", "saddle-numbness", "--no-others")
    assert push(run, server).code == 0
    patient = patient_id(run)
    [flag] = found(server, "Flag", subject=f"Patient/{patient}")
    assert flag["status"] == "active"
    assert flag["code"]["coding"][0]["code"] == "saddle-numbness"
    assert flag["category"][0]["coding"][0]["code"] == "emergency"
    run("flag", "clear", "saddle-numbness", "--note", "seen by Dr Lee, MRI clear")
    assert push(run, server, "--since", "last").code == 0
    [cleared] = found(server, "Flag", subject=f"Patient/{patient}")
    assert (cleared["id"], cleared["status"]) == (flag["id"], "inactive")
    assert cleared["extension"] == [
        {"url": fhir.CLEARANCE_NOTE_URL, "valueString": "seen by Dr Lee, MRI clear"}
    ]
    assert "end" in cleared["period"]


def test_a_deleted_entry_becomes_entered_in_error_on_the_server(
    run: Any, server: str, token: None
) -> None:
    week(run)
    assert push(run, server).code == 0
    last = run("export").json()["pain"][-1]
    assert run("delete", last["id"], "--reason", "logged twice").code == 0
    result = push(run, server, "--since", "last")
    assert result.code == 0 and "Pushed 1 resource to" in result.out, (result.out, result.err)
    statuses = Counter(
        o["status"]
        for o in found(server, "Observation", code=LOINC_PAIN, subject=f"Patient/{patient_id(run)}")
    )
    assert statuses == {"final": 4, "entered-in-error": 1}


def test_stores_that_never_ran_init_are_different_patients(
    run: Any, server: str, token: None, tmp_path: Path
) -> None:
    ids = []
    for name in ("a", "b"):
        store = str(tmp_path / f"{name}.json")
        assert run("--db", store, "pain", "log", "4").code == 0
        assert run("--db", store, "push", server, "--token-env", "CLINIC_TOKEN").code == 0
        bundle = run("--db", store, "export", "--format", "fhir").json()
        Bundle.model_validate(bundle)
        [patient] = [
            e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
        ]
        assert patient["identifier"][0]["use"] == "temp"  # provisional until init or an import
        ids.append(patient["id"])
    assert ids[0] != ids[1]
    for patient in ids:
        assert len(found(server, "Observation", code=LOINC_PAIN, subject=f"Patient/{patient}")) == 1


def test_without_the_token_the_server_refuses_in_one_line(run: Any, server: str) -> None:
    run("pain", "log", "4")
    result = run("push", server)
    assert result.code == 1 and result.out == ""
    assert result.err == (
        "ptcli: the server refused the push: HTTP 401: Unauthorized (give a token with "
        "--token-env VAR); nothing was loaded\n"
    )


def test_the_token_is_never_printed(
    run: Any, server: str, token: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("pain", "log", "4")
    for args in ((), ("--dry-run",), ("--since", "last")):
        result = push(run, server, *args)
        assert result.code == 0 and TOKEN not in result.out + result.err
    monkeypatch.setenv("CLINIC_TOKEN", "wrong-" + TOKEN)
    refused = push(run, server)
    assert refused.code == 1 and TOKEN not in refused.out + refused.err


def test_a_server_error_is_one_line_and_nothing_is_remembered(
    run: Any, server: str, token: None
) -> None:
    run("pain", "log", "4")
    wrong = push(run, f"{server}/Patient")  # not a base URL: the server answers 400
    assert wrong.code == 1 and wrong.out == ""
    assert wrong.err.startswith("ptcli: the server refused the push: HTTP 400: ")
    assert wrong.err.endswith("; nothing was loaded\n") and wrong.err.count("\n") == 1
    dry = push(run, f"{server}/Patient", "--since", "last", "--dry-run")
    assert "2 new, 0 updated, 0 unchanged" in dry.out  # the refused push was not noted


def test_a_dry_run_sends_nothing(run: Any, server: str, token: None) -> None:
    week(run)
    dry = push(run, server, "--dry-run")
    assert dry.code == 0 and "(dry run: nothing was sent)" in dry.out
    assert found(server, "Patient", _id=patient_id(run)) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://fhir.example.org/fhir",
            "ptcli: push sends health data: use https:// for fhir.example.org "
            "(plain http only to localhost, 127.0.0.1 or ::1)\n",
        ),
        ("ftp://example.org", None),
        ("https://user:secret@fhir.example.org", None),
    ],
)
def test_urls_that_would_leak_are_refused_before_anything(
    run: Any, url: str, message: str | None
) -> None:
    run("pain", "log", "4")
    result = run("push", url)
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert "secret" not in result.err
    if message:
        assert result.err == message


def test_a_server_that_cannot_be_reached_is_one_line(run: Any, tmp_path: Path) -> None:
    import socket

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    run("pain", "log", "4")
    result = run("push", f"http://127.0.0.1:{port}")
    assert result.code == 1 and result.err.startswith(f"ptcli: cannot reach 127.0.0.1:{port}: ")
    assert result.err.endswith("; nothing was loaded\n") and result.err.count("\n") == 1


def test_a_url_that_is_no_fhir_server_is_one_line(run: Any) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # a web page, not a FHIR server
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>welcome</html>")

        def log_message(self, *args: Any) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Page) as web:
        threading.Thread(target=web.serve_forever, daemon=True).start()
        run("pain", "log", "4")
        url = f"http://127.0.0.1:{web.server_address[1]}/"
        result = run("push", url)
        web.shutdown()
    assert result.code == 1 and result.err.count("\n") == 1
    assert "did not answer with a transaction-response Bundle" in result.err
    dry = run("push", url, "--since", "last", "--dry-run")  # nothing was noted as pushed
    assert "2 new, 0 updated, 0 unchanged" in dry.out
