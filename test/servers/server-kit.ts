// Shared set-up for the servers tests: the real app, pve-sim on loopback, a tenant with an
// admin, a manager and a viewer, and helpers to register sim servers through the API.
import { type PveSim, type PveSimOptions, type SimServer, startPveSim } from '../../pve-sim/index';
import type { AppDeps } from '../../server/src/app';
import { startTestApp, type TestApp } from '../helpers/app';
import type { ApiClient } from '../helpers/client';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { registerSecret } from '../helpers/secrets';

export interface Kit {
  t: TestApp;
  sim: PveSim;
  root: TestUser;
  manager: TestUser;
  viewer: TestUser;
  tenantId: string;
  close(): Promise<void>;
}

/** The secret part of `USER@REALM!TOKENID=SECRET`, registered for the secrets scan. */
export function tokenOf(sim: SimServer | string): { apiToken: string; tokenId: string; secret: string } {
  const apiToken = typeof sim === 'string' ? sim : sim.token;
  const i = apiToken.lastIndexOf('=');
  const secret = apiToken.slice(i + 1);
  registerSecret(secret, 'PVE token secret');
  return { apiToken, tokenId: apiToken.slice(0, i), secret };
}

export async function startKit(
  opts: {
    sim?: PveSimOptions;
    app?: { env?: Record<string, string>; deps?: Partial<AppDeps>; background?: boolean };
  } = {},
): Promise<Kit> {
  const sim = await startPveSim({ servers: 1, vms: 3, authFailDelayMs: 20, ...opts.sim });
  for (const s of sim.servers) tokenOf(s);
  const t = await startTestApp(opts.app);
  const root = await makeUser(t, { globalRole: 'admin' });
  const tenantId = (await makeTenant(t, root)).id;
  const member = async (role: 'manager' | 'viewer') => {
    const u = await makeUser(t, { login: false });
    await addMember(t, tenantId, u, role);
    await u.client.login(u.email, PASSWORD);
    return u;
  };
  const manager = await member('manager');
  const viewer = await member('viewer');
  return {
    t,
    sim,
    root,
    manager,
    viewer,
    tenantId,
    async close() {
      await t.close();
      await sim.close();
    },
  };
}

/** Registers a sim server, pinned to its fingerprint unless overridden. */
export async function registerSim(
  client: ApiClient,
  tenantId: string,
  sim: SimServer,
  over: Record<string, unknown> = {},
): Promise<any> {
  const res = await client.post(`/api/tenants/${tenantId}/servers`, {
    name: sim.name,
    host: sim.host,
    port: sim.port,
    apiToken: tokenOf(sim).apiToken,
    tlsMode: 'pinned',
    tlsFingerprint: sim.fingerprint,
    ...over,
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return res.body;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** The i-th simulated server (throws when the sim has fewer). */
export function simAt(k: Kit, i: number): SimServer {
  const s = k.sim.servers[i];
  if (!s) throw new Error(`pve-sim has no server ${i}`);
  return s;
}
