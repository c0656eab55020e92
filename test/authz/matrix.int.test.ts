// The authorization matrix (issue 4): every route × every role × every kind of object against
// the expected table in matrix-table.ts. Zero unexpected allows; foreign and other-tenant objects
// answered exactly like missing ones; no route without a row; public routes an explicit list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import type { ApiResponse } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { createFixtures, type Fixtures, fillUrl, type ObjectKind } from './fixtures';
import { MATRIX, type MatrixRow, ROLES, type Role } from './matrix-table';
import { FIXTURE_STEPS } from './steps';

let t: TestApp;
let fx: Fixtures;

beforeAll(async () => {
  t = await startTestApp();
  fx = await createFixtures(t, FIXTURE_STEPS);
}, 120_000);
afterAll(async () => t?.close());

const POLICY_DENIALS = new Set(['auth.unauthenticated', 'policy.forbidden', 'tenant.inactive', 'auth.csrf_failed']);
const NOT_FOUND = /\.not_found$/;

function isDenied(res: ApiResponse): boolean {
  const code: string | undefined = res.body?.error?.code;
  if (res.status === 401 || res.status === 403) return true;
  return res.status === 404 && code !== undefined && (NOT_FOUND.test(code) || POLICY_DENIALS.has(code));
}

/** What a client sees, minus what differs per request. */
function observable(res: ApiResponse) {
  return { status: res.status, code: res.body?.error?.code ?? null, message: res.body?.error?.message ?? null };
}

function send(row: MatrixRow, role: Role, kind: ObjectKind, probe = false) {
  const url = fillUrl(row.url, fx, role, kind, row.missingParam);
  const client = fx.clients[role];
  const mutating = row.method !== 'GET' && row.method !== 'DELETE';
  // Authorization precedes validation, so a JSON array reaches the policy and then fails
  // validation — an allowed caller is recognised without changing anything.
  const body = mutating && (!probe || (row.ownProbe ?? 'invalid-body') === 'invalid-body') ? [] : undefined;
  return client.request(row.method, url, body ?? (mutating ? {} : undefined));
}

const byRoute = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe(`authorization matrix (${TEST_DIALECT})`, () => {
  it('has a row for every registered route, and only for those', () => {
    const registered = new Set(t.nexus.routes.filter((r) => r.method !== 'HEAD').map(byRoute));
    const rows = new Set(MATRIX.map(byRoute));
    expect([...registered].filter((r) => !rows.has(r)).sort()).toEqual([]);
    expect([...rows].filter((r) => !registered.has(r)).sort()).toEqual([]);
  });

  it('every route declares its access and the public ones are the explicit short list', () => {
    for (const r of t.nexus.routes) expect(r.access, byRoute(r)).toBeTruthy();
    const publicRoutes = t.nexus.routes.filter((r) => r.access === 'public' && r.method !== 'HEAD').map(byRoute);
    const expectedPublic = MATRIX.filter((r) => r.public).map(byRoute);
    // Static assets and the SPA fallback are public too when a web build is served.
    expect(publicRoutes.filter((r) => !r.startsWith('GET /assets/')).sort()).toEqual(expectedPublic.sort());
  });

  it('denies every caller not in the table, and hides other tenants behind "not found"', async () => {
    const problems: string[] = [];
    for (const row of MATRIX.filter((r) => !r.public)) {
      const hasObjectParams = /:(?!tenantId)\w+/.test(row.url);
      const tenantScoped = row.url.includes(':tenantId');
      for (const role of ROLES) {
        const allowed = row.allow.includes(role);
        // 1. Callers outside the table never pass, whatever they send.
        if (!allowed) {
          const res = await send(row, role, 'own');
          if (!isDenied(res))
            problems.push(`${byRoute(row)} as ${role}: expected a denial, got ${res.status} ${res.text.slice(0, 120)}`);
        }
        if (role === 'globalAdmin' || role === 'anonymous') continue; // global admins may reach every tenant
        // 2. Another tenant's object looks exactly like a missing one. Tenant A is "the other
        //    tenant" for B's admin; tenant B is for everyone in A.
        if (tenantScoped) {
          const other = observable(await send(row, role, role === 'otherTenant' ? 'own' : 'otherTenant'));
          const missing = observable(await send(row, role, 'missingTenant'));
          if (JSON.stringify(other) !== JSON.stringify(missing)) {
            problems.push(
              `${byRoute(row)} as ${role}: other tenant ${JSON.stringify(other)} ≠ missing ${JSON.stringify(missing)}`,
            );
          }
        }
        if (hasObjectParams && row.method !== 'DELETE' && !row.url.startsWith('/api/users/')) {
          const foreign = observable(await send(row, role, 'foreign'));
          const missing = observable(await send(row, role, 'missing'));
          if (JSON.stringify(foreign) !== JSON.stringify(missing)) {
            problems.push(
              `${byRoute(row)} as ${role}: foreign object ${JSON.stringify(foreign)} ≠ missing ${JSON.stringify(missing)}`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets every caller in the table through on their own objects', async () => {
    const problems: string[] = [];
    for (const row of MATRIX.filter((r) => !r.public && r.ownProbe !== 'skip')) {
      for (const role of row.allow) {
        const kind: ObjectKind = row.ownProbe === 'missing-object' ? 'missing' : 'own';
        const res = await send(row, role, kind, true);
        const ok = row.allowedStatus
          ? row.allowedStatus.includes(res.status)
          : kind === 'missing'
            ? res.status === 404 && !POLICY_DENIALS.has(res.body?.error?.code)
            : !isDenied(res) || (res.status === 404 && !row.url.includes(':tenantId'));
        if (!ok) problems.push(`${byRoute(row)} as ${role} (${kind}): got ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
