// API fuzzing from /api/openapi.json (issue 10): for every operation, generated requests —
// valid and invalid bodies, queries and path parameters — sent with the credentials of every
// role. Zero 5xx, zero unhandled errors in the logs, and every answer matching the zod schema
// its route documents for that status. CI runs a short version; `npm run fuzz` the long one
// (NEXUS_FUZZ_RUNS, default 40 here, 1000 on demand).

import { ErrorEnvelope } from '@common/errors';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createFixtures, type Fixtures } from '../authz/fixtures';
import { ROLES, type Role } from '../authz/matrix-table';
import { FIXTURE_STEPS } from '../authz/steps';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { invalidArb, type JsonSchema, oddString, validArb } from './schema-arbitrary';

const RUNS = Number(process.env.NEXUS_FUZZ_RUNS ?? 40);

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  body?: JsonSchema;
}

let t: TestApp;
let fx: Fixtures;
let operations: Operation[] = [];

beforeAll(async () => {
  t = await startTestApp();
  fx = await createFixtures(t, FIXTURE_STEPS);
  ApiClient.registerBodySecrets = false;
  const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Operation['params']; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
      >
    >;
  };
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  // Destructive operations last, so the others run against live fixtures; logout at the very end.
  const rank = (o: Operation) =>
    o.path === '/api/auth/logout' ? 3 : o.method === 'DELETE' ? (o.path === '/api/tenants/{tenantId}' ? 2 : 1) : 0;
  operations = operations.filter((o) => o.path !== '/api/tenants/{tenantId}/events').sort((a, b) => rank(a) - rank(b));
}, 180_000);

afterAll(async () => t?.close());

const EXPLORER_PATHS = ['version', 'nodes', 'cluster/resources', 'nodes/pve1/qemu', 'access/permissions'];

function pathValue(name: string, role: Role, schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const fixture = fx.params[name];
  const junk = fc.oneof(
    oddString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 300)))),
    fc.constantFrom('..', '%2e%2e', '%2f', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', '-1', '1e3'),
  );
  if (name === '*') return fc.oneof(fc.constantFrom(...EXPLORER_PATHS), junk);
  const valid: fc.Arbitrary<string>[] = [];
  if (fixture) valid.push(fc.constantFrom(fixture.own(role), fixture.foreign, fixture.missing));
  if (schema?.enum) valid.push(fc.constantFrom(...schema.enum.map(String)));
  if (name === 'upid') valid.push(fc.constant('UPID:pve1:0000ABCD:00012345:65000000:qmstart:100:root@pam:'));
  return valid.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...valid) }, { weight: 1, arbitrary: junk }) : junk;
}

function caseArb(op: Operation) {
  const role = fc.constantFrom(...ROLES);
  return role.chain((r) => {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const path = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(p.name, r, p.schema)])));
    const query = fc.oneof(
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name, p.schema ? validArb(p.schema) : oddString])), {
        requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name),
      }),
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name, p.schema ? invalidArb(p.schema) : oddString])), {
        requiredKeys: [],
      }),
      fc.constant({ unknownParam: 'x' }),
    );
    const body = op.body ? fc.oneof(validArb(op.body), invalidArb(op.body)).map(loopbackOnly) : fc.constant(undefined);
    return fc.record({ role: fc.constant(r), path, query, body });
  });
}

/** Lone surrogates cannot be percent-encoded; replace them as a browser would. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Tests reach only 127.0.0.0/8: addresses in generated bodies are pinned to loopback. */
function loopbackOnly(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = { ...(body as Record<string, unknown>) };
  if ('host' in b) b.host = typeof b.host === 'string' && b.host.length % 2 ? '127.0.0.1' : '127.0.0.2';
  if ('tailscaleHostname' in b) b.tailscaleHostname = '127.0.0.3';
  if (typeof b.csv === 'string') b.csv = b.csv.replace(/[a-z0-9.-]+\.[a-z]{2,}/gi, '127.0.0.1');
  return b;
}

function urlOf(op: Operation, path: Record<string, unknown>, query: Record<string, unknown>): string {
  let url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => String(path[name] ?? ''));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    qs.set(k, wellFormed(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')));
  }
  const s = qs.toString();
  if (s) url += `?${s}`;
  return url;
}

function schemaFor(op: Operation, status: number): z.ZodType | undefined {
  const fastifyUrl = op.path.replace(/\{([^}]+)\}/g, (_m, n: string) => (n === '*' ? '*' : `:${n}`));
  const route = t.nexus.routes.find((r) => r.method === op.method && r.url === fastifyUrl);
  const responses = route?.responses ?? {};
  const pick = responses[String(status)] ?? responses[`${String(status)[0]}xx`];
  if (pick && typeof (pick as z.ZodType).safeParse === 'function') return pick as z.ZodType;
  return status >= 400 ? ErrorEnvelope : undefined;
}

describe(`API fuzzing (${TEST_DIALECT}, ${RUNS} cases per operation)`, () => {
  it('answers every generated request without a 5xx, within the documented schemas', async () => {
    const problems: string[] = [];
    let sent = 0;
    for (const op of operations) {
      const cases = fc.sample(caseArb(op), { numRuns: RUNS, seed: 4242 });
      for (const c of cases) {
        const url = urlOf(op, c.path, c.query as Record<string, unknown>);
        const client = fx.clients[c.role];
        let res: Awaited<ReturnType<typeof client.request<any>>>;
        try {
          res = await client.request(op.method, url, c.body);
        } catch (err) {
          problems.push(`${op.method} ${url.slice(0, 150)} as ${c.role}: request failed: ${String(err)}`);
          continue;
        }
        sent++;
        const label = `${op.method} ${op.path} → ${res.status} as ${c.role} (${url.slice(0, 120)})`;
        // An upstream that says no (Proxmox answered an error, or is unreachable) is a 502/504
        // with a proxmox.* code by design; anything else at 5xx is a Nexus failure.
        const upstream = (res.status === 502 || res.status === 504) && /^proxmox\./.test(res.body?.error?.code ?? '');
        if (res.status >= 500 && !upstream) {
          problems.push(`${label}: ${res.text.slice(0, 200)}`);
          continue;
        }
        const schema = schemaFor(op, res.status);
        const json = (res.headers.get('content-type') ?? '').includes('json');
        if (schema && json) {
          const parsed = schema.safeParse(res.body);
          if (!parsed.success)
            problems.push(`${label}: body does not match its schema: ${parsed.error.message.slice(0, 300)}`);
        }
      }
    }
    const unhandled = t.logs.filter((l) => /"level":(50|60)/.test(l));
    expect(problems.slice(0, 40)).toEqual([]);
    expect(unhandled.slice(0, 5)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(operations.length * RUNS * 0.99);
  }, 900_000);
});
