"""``ptcli push``: the FHIR transaction bundle sent to a clinic's FHIR server.

Each entry is a PUT at the resource's stable id (``render.fhir``), so a push is safe to
repeat. Only the standard library speaks to the server (urllib): one POST of a
``transaction`` Bundle to the server's base URL per ``PART`` entries, each all or nothing
on the server's side.

What was pushed is remembered per server, in the store (``Repository.pushed``), as a
short digest of each resource: ``--since last`` sends only the resources whose digest
changed, and the report counts a resource sent again with the same digest as unchanged.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ptcli.errors import BadInput, PtcliError
from ptcli.render.words import visible

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
PART = 500  # entries per transaction: servers cap a request's size (Medplum's: 1 MB by default)
TIMEOUT_S = 60.0
MEDIA_TYPE = "application/fhir+json"
SHOWN = 160  # characters of a server's message shown


@dataclass
class Outcome:
    """What a push did (or, dry, would do): resources per answer, and per resource type."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    types: Counter[str] = field(default_factory=Counter)


def target(url: str) -> str:
    """The server's base URL as given, checked: HTTPS, or HTTP to this machine only."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        raise BadInput(f"{url!r} is not a URL: give the server's FHIR base, https://...") from None
    if parts.scheme not in ("https", "http") or not host:
        raise BadInput(
            f"{visible(url)!r} is not an http(s) URL: give the server's FHIR base, "
            "e.g. https://fhir.example.org/fhir"
        )
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise BadInput(
            f"push sends health data: use https:// for {visible(host)} "
            "(plain http only to localhost, 127.0.0.1 or ::1)"
        )
    if parts.username or parts.password:
        raise BadInput("put no credentials in the URL: give a token with --token-env VAR")
    if parts.query or parts.fragment:
        raise BadInput("give the server's FHIR base URL, without '?' or '#'")
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/")))


def digest(resource: dict[str, Any]) -> str:
    """A short digest of a resource's content: what the push ledger remembers."""
    text = json.dumps(resource, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def count(entries: Iterable[dict[str, Any]], known: dict[str, str]) -> Outcome:
    """What a push of ``entries`` would do, judged by the ledger alone (a dry run)."""
    outcome = Outcome()
    for entry in entries:
        resource = entry["resource"]
        outcome.types[resource["resourceType"]] += 1
        before = known.get(resource["id"])
        if before is None:
            outcome.created += 1
        elif before == digest(resource):
            outcome.unchanged += 1
        else:
            outcome.updated += 1
    return outcome


def send(
    url: str,
    entries: Sequence[dict[str, Any]],
    known: dict[str, str],
    token: str | None,
    bundle: Any,
) -> tuple[Outcome, dict[str, str], PtcliError | None]:
    """Post ``entries`` in parts of ``PART``; ``bundle(part)`` gives a part's JSON text.

    Returns what was done, the digests of the resources the server took, and the error
    that stopped it (None when every part loaded); the parts before an error stay loaded.
    """
    outcome, taken = Outcome(), dict[str, str]()
    parts = [entries[start : start + PART] for start in range(0, len(entries), PART)]
    for number, part in enumerate(parts):
        try:
            answers = _post(url, bundle(part), token, len(part))
        except PtcliError as error:
            loaded = sum(len(p) for p in parts[:number])
            done = (
                f"the first {loaded} of {len(entries)} resources were loaded before it: "
                "push again to send the rest"
                if loaded
                else "nothing was loaded"
            )
            return outcome, taken, PtcliError(f"{error.message}; {done}")
        for entry, answer in zip(part, answers, strict=True):
            resource = entry["resource"]
            outcome.types[resource["resourceType"]] += 1
            fresh = digest(resource)
            before = known.get(resource["id"])
            if answer.startswith("201") or (before is None and not _said_unchanged(answer)):
                outcome.created += 1
            elif before == fresh or _said_unchanged(answer):
                outcome.unchanged += 1
            else:
                outcome.updated += 1
            taken[resource["id"]] = fresh
    return outcome, taken, None


def _said_unchanged(answer: str) -> bool:
    """A server's own word that an update changed nothing (304, or HAPI's outcome)."""
    return answer.startswith("304") or "NO_CHANGE" in answer or "not-modified" in answer


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is refused: it would carry the token and the data elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(url: str, body: str, token: str | None, expected: int) -> list[str]:
    """POST one transaction; each entry's answer (its status, with the server's outcome
    words), in the entries' order."""
    headers = {"Content-Type": MEDIA_TYPE, "Accept": MEDIA_TYPE, "User-Agent": "ptcli"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    host = visible(urllib.parse.urlsplit(url).netloc)
    try:
        with opener.open(request, timeout=TIMEOUT_S) as response:
            text = response.read()
    except urllib.error.HTTPError as error:
        raise PtcliError(_refusal(error.code, error.read(), error.headers, bool(token))) from None
    except (TimeoutError, urllib.error.URLError, OSError, ssl.SSLError) as error:
        reason = getattr(error, "reason", error)
        raise PtcliError(f"cannot reach {host}: {visible(str(reason))[:SHOWN]}") from None
    try:
        document = json.loads(text)
        if document.get("resourceType") != "Bundle" or not document.get("type", "").endswith(
            "transaction-response"
        ):
            raise ValueError
        answers = [_answer(entry["response"]) for entry in document.get("entry", [])]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise PtcliError(
            f"{host} did not answer with a transaction-response Bundle: is {visible(url)} a FHIR base URL?"
        ) from None
    if len(answers) != expected:
        raise PtcliError(f"{host} answered for {len(answers)} of {expected} resources")
    refused = [a for a in answers if a[:1] not in ("2", "3")]
    if refused:
        raise PtcliError(f"{host} refused {len(refused)} resources: {visible(refused[0])[:SHOWN]}")
    return answers


def _answer(response: dict[str, Any]) -> str:
    """An entry's status, then any words of its outcome ("200 OK SUCCESSFUL_UPDATE_NO_CHANGE")."""
    words = [str(response["status"])]
    outcome = response.get("outcome")
    if isinstance(outcome, dict):
        words.append(str(outcome.get("id", "")))
        words += [_issue_text(issue) for issue in outcome.get("issue", [])]
    return " ".join(word for word in words if word)


def _issue_text(issue: Any) -> str:
    if not isinstance(issue, dict):
        return ""
    details = issue.get("details")
    text = details.get("text") if isinstance(details, dict) else None
    return str(issue.get("diagnostics") or text or issue.get("code") or "")


def _refusal(status: int, body: bytes, headers: Any, with_token: bool) -> str:
    """One line for an HTTP error: the status and the server's first OperationOutcome issue."""
    said = ""
    try:
        document = json.loads(body)
        if isinstance(document, dict) and document.get("resourceType") == "OperationOutcome":
            said = "; ".join(t for t in map(_issue_text, document.get("issue", [])) if t)
    except ValueError:
        pass
    said = visible(" ".join(said.split()))[:SHOWN]
    location = headers.get("Location") if 300 <= status < 400 else None
    hint = (
        f" (it redirects to {visible(location)[:SHOWN]}: push to that URL)"
        if location
        else " (give a token with --token-env VAR)"
        if status in (401, 403) and not with_token
        else ""
    )
    return f"the server refused the push: HTTP {status}{': ' + said if said else ''}{hint}"
