// The browser tests' world: pve-sim in-process, the real Nexus app serving the built SPA (with
// its health scheduler running), a global admin, a tenant, and helpers to add members.
import type { TenantRole } from '@common/permissions';
import { type PveSim, type PveSimOptions, type SimServer, startPveSim } from '../../pve-sim/index';
import { startTestApp, type TestApp } from '../../test/helpers/app';
import { ApiClient } from '../../test/helpers/client';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../../test/helpers/factories';
import { ensureWebBuild } from './web-build';

export { PASSWORD };

export interface E2eEnv {
  t: TestApp;
  sim: PveSim;
  url: string;
  admin: TestUser;
  tenantId: string;
  tenantName: string;
  close(): Promise<void>;
}

export async function startE2eEnv(
  opts: { sim?: PveSimOptions; tenantName?: string; env?: Record<string, string> } = {},
): Promise<E2eEnv> {
  const webDir = ensureWebBuild();
  const sim = await startPveSim({ servers: 1, vms: 6, authFailDelayMs: 20, taskDurationMs: 300, ...opts.sim });
  // Consoles as a multi-core install runs them: relays in worker processes, under a real browser.
  const t = await startTestApp({
    deps: { webDir },
    background: true,
    env: { NEXUS_RELAY_WORKERS: '2', ...opts.env },
  });
  // The browser's Origin is this listener's (port 0 until now): allow it like NEXUS_PUBLIC_URL would.
  t.config.allowedOrigins.push(t.url);
  const admin = await makeUser(t, { globalRole: 'admin', email: `admin-${Date.now().toString(36)}@example.test` });
  const tenant = await makeTenant(t, admin, { name: opts.tenantName ?? 'Acme Hosting' });
  // Quick health checks so statuses settle within a test.
  await admin.client.put(`/api/tenants/${tenant.id}/settings`, { healthCheckIntervalSeconds: 5 });
  return {
    t,
    sim,
    url: t.url,
    admin,
    tenantId: tenant.id,
    tenantName: tenant.name,
    async close() {
      await t.close();
      await sim.close();
    },
  };
}

/** A new user in the env's tenant with the given role (signed in through the API client only). */
export async function makeMember(env: E2eEnv, role: TenantRole, tenantId = env.tenantId): Promise<TestUser> {
  const u = await makeUser(env.t, { login: false });
  await addMember(env.t, tenantId, u, role);
  await u.client.login(u.email, PASSWORD);
  return u;
}

/** Registers a simulated server through the API, pinned to its certificate, and tests it once as
 * an operator would: the explorer relays only from a server that has proven to be Proxmox. */
export async function registerSim(
  client: ApiClient,
  tenantId: string,
  sim: SimServer,
  name = sim.name,
): Promise<string> {
  const res = await client.post(`/api/tenants/${tenantId}/servers`, {
    name,
    host: sim.host,
    port: sim.port,
    apiToken: sim.token,
    tlsMode: 'pinned',
    tlsFingerprint: sim.fingerprint,
  });
  if (res.status !== 201) throw new Error(`server registration failed: ${res.status} ${res.text}`);
  await client.post(`/api/tenants/${tenantId}/servers/${res.body.id}/test`);
  return res.body.id as string;
}

export function simAt(sim: PveSim, i: number): SimServer {
  const s = sim.servers[i];
  if (!s) throw new Error(`pve-sim has no server ${i}`);
  return s;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { ApiClient };
