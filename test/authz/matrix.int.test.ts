// The authorization matrix (issue 4): every route × every role × every kind of object against
// the expected table in matrix-table.ts. Zero unexpected allows; foreign and other-tenant objects
// answered exactly like missing ones; no route without a row; public routes an explicit list.
// Issue 14: every other spelling of a vmid on every guest route, and restricted members after
// the server holding their guests is deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import type { ApiClient, ApiResponse } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD } from '../helpers/factories';
import { createFixtures, type Fixtures, fillUrl, type ObjectKind } from './fixtures';
import { MATRIX, type MatrixRow, RESTRICTED, ROLES, type Role } from './matrix-table';
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

  it('refuses every other spelling of a vmid, assigned or not, on every guest route for every role', async () => {
    // Guest 100 is the restricted members' own, 102 is on the same server and not theirs. Each
    // spelling below is read as one of them by some lenient parser (Number(), parseInt, URL decoding).
    const spellings = {
      100: ['0x64', '1e2', '100.0', '+100', '%20100', '100%20', '0100', '%2B100', '100.'],
      102: ['0x66', '1.02e2', '102.0', '+102', '%20102', '102%09', '0102', '0o146', '0b1100110'],
    };
    const guestRows = MATRIX.filter((r) => r.url.includes(':vmid'));
    expect(guestRows.length).toBeGreaterThanOrEqual(5);
    const problems: string[] = [];
    for (const row of guestRows) {
      for (const role of ROLES) {
        for (const spelling of [...spellings[100], ...spellings[102]]) {
          const url = fillUrl(row.url, fx, role, 'own').replace('/vms/100', `/vms/${spelling}`);
          // No body: an action or console request that got through would act.
          const res = await fx.clients[role].request(row.method, url);
          const code = res.body?.error?.code;
          const malformed = res.status === 400 && code === 'http.validation_failed';
          if (!malformed && !isDenied(res)) {
            problems.push(`${row.method} ${url} as ${role}: ${res.status} ${res.text.slice(0, 100)}`);
          }
          // Whoever could reach guests at all is told the id is malformed, not "allowed".
          if (row.allow.includes(role) && !malformed) {
            problems.push(`${row.method} ${url} as ${role}: expected 400 http.validation_failed, got ${res.status}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('leaves restricted members with nothing, not everything, once their server is deleted', async () => {
    // A second server in tenant A holding the only guest of two new restricted members.
    const server = await fx.clients.globalAdmin.post(`/api/tenants/${fx.tenantA}/servers`, {
      name: 'matrix doomed',
      host: '127.0.0.2',
      port: 8006,
      apiToken: 'root@pam!matrix=00000000-0000-4000-8000-000000000001',
      tlsMode: 'pinned',
      tlsFingerprint: Array.from({ length: 32 }, () => 'AB').join(':'),
    });
    expect(server.status, server.text).toBe(201);
    const doomed = server.body.id as string;
    const members: Partial<Record<Role, ApiClient>> = {};
    for (const [role, tenantRole] of [
      ['restrictedViewer', 'viewer'],
      ['restrictedManager', 'manager'],
    ] as const) {
      const u = await makeUser(t, { login: false });
      await addMember(t, fx.tenantA, u, tenantRole);
      const put = await fx.clients.tenantAdmin.put(`/api/tenants/${fx.tenantA}/members/${u.id}/assignments`, {
        assignments: [{ serverId: doomed, vmid: 100, permissions: ['view', 'console', 'power'] }],
      });
      expect(put.status).toBe(200);
      await u.client.login(u.email, PASSWORD);
      members[role] = u.client;
    }
    expect((await fx.clients.globalAdmin.delete(`/api/tenants/${fx.tenantA}/servers/${doomed}`)).status).toBe(200);

    // Every route the restricted roles may use, against tenant A's remaining server and guest.
    const mainServer = fx.params.serverId?.own('globalAdmin') ?? '';
    const problems: string[] = [];
    for (const role of RESTRICTED) {
      const client = members[role];
      if (!client) continue;
      for (const row of MATRIX.filter((r) => r.allow.includes(role) && r.url.includes(':tenantId'))) {
        if (row.ownProbe === 'skip') continue;
        const url = fillUrl(row.url, fx, role, 'own');
        const res = await client.request(row.method, url);
        if (row.url.includes(':serverId')) {
          if (!isDenied(res)) problems.push(`${row.method} ${url} as ${role}: ${res.status} ${res.text.slice(0, 100)}`);
        } else if (res.status < 400 && (res.text.includes(mainServer) || res.text.includes(doomed))) {
          problems.push(`${row.method} ${url} as ${role} mentions a server: ${res.text.slice(0, 160)}`);
        }
      }
      const vms = await client.get(`/api/tenants/${fx.tenantA}/vms`);
      expect(vms.body).toEqual({ vms: [], servers: [] });
      const servers = await client.get(`/api/tenants/${fx.tenantA}/servers`);
      expect(servers.body).toEqual({ servers: [] });
    }
    expect(problems).toEqual([]);
  });
});
