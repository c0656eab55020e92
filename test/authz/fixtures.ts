// Fixtures for the authorization matrix: two tenants (A: the callers' own, B: someone else's),
// one client per role, and for every route parameter its value per object kind.
import { newId } from '../../server/src/lib/ids';
import type { TestApp } from '../helpers/app';
import type { ApiClient } from '../helpers/client';
import { ApiClient as Client } from '../helpers/client';
import { addMember, makeTenant, makeUser, type TestUser } from '../helpers/factories';
import type { Role } from './matrix-table';

export type ObjectKind = 'own' | 'foreign' | 'otherTenant' | 'missing' | 'missingTenant';

export interface ParamValues {
  /** The caller's own object (may depend on who calls, e.g. their own API token). */
  own: (role: Role) => string;
  /** An object of tenant B (or of another user), reached through the caller's own tenant. */
  foreign: string;
  missing: string;
}

export interface Fixtures {
  tenantA: string;
  tenantB: string;
  users: Partial<Record<Role, TestUser>>;
  clients: Record<Role, ApiClient>;
  params: Record<string, ParamValues>;
}

/** Extra fixture steps for params that other modules add (servers, vms, tasks, …). */
export type FixtureStep = (t: TestApp, fx: Fixtures) => Promise<void>;

export async function createFixtures(t: TestApp, steps: FixtureStep[] = []): Promise<Fixtures> {
  const globalAdmin = await makeUser(t, { globalRole: 'admin' });
  const tenantA = (await makeTenant(t, globalAdmin, { name: 'Tenant A' })).id;
  const tenantB = (await makeTenant(t, globalAdmin, { name: 'Tenant B' })).id;
  const users: Partial<Record<Role, TestUser>> = { globalAdmin };
  for (const [role, tenantRole] of [
    ['tenantAdmin', 'admin'],
    ['manager', 'manager'],
    ['viewer', 'viewer'],
    ['restrictedViewer', 'viewer'],
    ['restrictedManager', 'manager'],
  ] as const) {
    // Memberships first, then sign in, so the session sees them.
    const u = await makeUser(t, { login: false });
    await addMember(t, tenantA, u, tenantRole);
    await u.client.login(u.email, u.password);
    users[role] = u;
  }
  const other = await makeUser(t, { login: false });
  await addMember(t, tenantB, other, 'admin');
  await other.client.login(other.email, other.password);
  users.otherTenant = other;

  // Members whose membership routes act on: one in A, one in B.
  const memberA = await makeUser(t, { login: false });
  await addMember(t, tenantA, memberA, 'viewer');
  const memberB = await makeUser(t, { login: false });
  await addMember(t, tenantB, memberB, 'viewer');

  const clients = {
    anonymous: new Client(t.url),
    globalAdmin: globalAdmin.client,
  } as Record<Role, ApiClient>;
  for (const role of [
    'tenantAdmin',
    'manager',
    'viewer',
    'restrictedViewer',
    'restrictedManager',
    'otherTenant',
  ] as const) {
    const u = users[role];
    if (u) clients[role] = u.client;
  }

  // Each signed-in role gets an API token of its own; B's admin holds the "foreign" one.
  const tokens: Partial<Record<Role, string>> = {};
  for (const role of Object.keys(users) as Role[]) {
    const res = await clients[role].post('/api/auth/tokens', { name: `matrix ${role}` });
    tokens[role] = res.body.id;
  }

  const fx: Fixtures = {
    tenantA,
    tenantB,
    users,
    clients,
    params: {
      tenantId: { own: () => tenantA, foreign: tenantB, missing: newId() },
      userId: { own: () => memberA.id, foreign: memberB.id, missing: newId() },
      tokenId: { own: (role) => tokens[role] ?? newId(), foreign: tokens.otherTenant ?? newId(), missing: newId() },
      token: { own: () => 'x'.repeat(43), foreign: 'y'.repeat(43), missing: 'z'.repeat(43) },
      invitationId: { own: () => newId(), foreign: newId(), missing: newId() },
      shareId: { own: () => newId(), foreign: newId(), missing: newId() },
      sessionId: { own: () => 'a'.repeat(32), foreign: 'b'.repeat(32), missing: 'c'.repeat(32) },
      passkeyId: { own: () => newId(), foreign: newId(), missing: newId() },
      providerId: { own: () => 'matrix-idp', foreign: 'foreign-idp', missing: 'missing-idp' },
      name: { own: () => 'matrix-snap', foreign: 'foreign-snap', missing: 'missing-snap' },
      node: { own: () => 'pve1', foreign: 'pve1', missing: 'nowhere' },
    },
  };
  for (const step of steps) await step(t, fx);
  await restrictMembers(t, fx);
  // Node shells are off by default; on in tenant A so the matrix reaches the route's own answer.
  const shell = await fx.clients.tenantAdmin.put(`/api/tenants/${fx.tenantA}/settings`, { nodeShell: true });
  if (shell.status !== 200) throw new Error(`could not turn node shells on: ${shell.status} ${shell.text}`);
  return fx;
}

/** The restricted roles may reach exactly one guest: vmid 100 on A's first server. */
async function restrictMembers(t: TestApp, fx: Fixtures): Promise<void> {
  let serverId = fx.params.serverId?.own('restrictedViewer');
  if (!serverId) {
    // No servers module fixture: a stored row is enough for the policy (nothing contacts it).
    serverId = newId();
    const now = Date.now();
    await t.database.db
      .insertInto('proxmox_servers')
      .values({
        id: serverId,
        tenant_id: fx.tenantA,
        name: 'matrix placeholder',
        host: '127.0.0.1',
        port: 9,
        token_id: 'root@pam!matrix',
        token_secret_encrypted: 'not-a-secret',
        tls_mode: 'insecure',
        tls_fingerprint: null,
        ca_pem: null,
        use_tailscale: 0,
        tailscale_hostname: null,
        connection_timeout_ms: 1000,
        is_active: 0,
        connection_status: 'unknown',
        last_health_check_at: null,
        health_check_error: null,
        avg_response_time_ms: null,
        success_rate: null,
        learned_timeout_ms: null,
        consecutive_failures: 0,
        next_check_at: null,
        status_changed_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  for (const [role, permissions] of [
    ['restrictedViewer', ['view', 'console']],
    ['restrictedManager', ['view', 'console', 'power', 'snapshot']],
  ] as const) {
    const user = fx.users[role];
    if (!user) continue;
    const res = await fx.clients.tenantAdmin.put(`/api/tenants/${fx.tenantA}/members/${user.id}/assignments`, {
      assignments: [{ serverId, vmid: 100, permissions }],
    });
    if (res.status !== 200) throw new Error(`could not restrict ${role}: ${res.status} ${res.text}`);
  }
}

/** Fills a route pattern for one caller and one kind of object (`missing`: the last param, or `missingParam`). */
export function fillUrl(pattern: string, fx: Fixtures, role: Role, kind: ObjectKind, missingParam?: string): string {
  const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
  const last = missingParam ?? names.at(-1);
  return pattern.replace(/:(\w+)/g, (_m, name: string) => {
    const p = fx.params[name];
    if (!p) throw new Error(`no fixture for route param :${name} — add it to test/authz/fixtures.ts`);
    if (name === 'tenantId') {
      if (kind === 'otherTenant') return fx.tenantB;
      if (kind === 'missingTenant' || (kind === 'missing' && last === 'tenantId')) return p.missing;
      return fx.tenantA;
    }
    switch (kind) {
      case 'own':
        return p.own(role);
      case 'foreign':
      case 'otherTenant':
      case 'missingTenant':
        return p.foreign;
      case 'missing':
        return name === last ? p.missing : p.own(role);
    }
  });
}
