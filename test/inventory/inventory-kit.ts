// Shared set-up for the inventory tests: the servers kit (real app, pve-sim, a tenant with an
// admin, a manager and a viewer) with short inventory timings, and small helpers.
import http from 'node:http';
import type { SimServer } from '../../pve-sim/index';
import type { ApiClient } from '../helpers/client';
import { type Kit, registerSim, startKit } from '../servers/server-kit';

export { eventually, type Kit, registerSim, simAt, sleep, tokenOf } from '../servers/server-kit';

/** Inventory timings short enough for tests; each test file may override. */
export const FAST_INVENTORY = {
  cache: { ttlMs: 2_000, maxStaleMs: 60_000, graceMs: 250 },
  tasks: { firstPollMs: 40, maxPollMs: 200, factor: 1.5, maxFollowMs: 20_000 },
  missRefreshMs: 200,
};

export async function startInventoryKit(
  opts: Parameters<typeof startKit>[0] & { inventory?: Partial<typeof FAST_INVENTORY> } = {},
): Promise<Kit> {
  return startKit({
    ...opts,
    app: { ...opts.app, deps: { ...opts.app?.deps, inventory: { ...FAST_INVENTORY, ...opts.inventory } } },
  });
}

/** Registers every sim server of the kit (1 s deadline unless given) and returns their ids. */
export async function registerAll(
  k: Kit,
  sims: SimServer[] = k.sim.servers,
  over: Record<string, unknown> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (const sim of sims) {
    const created = await registerSim(k.root.client, k.tenantId, sim, { connectionTimeoutMs: 1000, ...over });
    ids.push(created.id);
  }
  return ids;
}

/** `/cluster/resources` calls a sim server has seen. */
export const resourceCalls = (sim: SimServer) =>
  sim.requestLog.filter((r) => r.path === '/api2/json/cluster/resources').length;

/** Requests with this method a sim server has seen. */
export const callsOf = (sim: SimServer, method: string) => sim.requestLog.filter((r) => r.method === method);

/**
 * A request whose target is sent exactly as written (fetch would resolve `..` and `//` first),
 * with the client's session cookie and CSRF token.
 */
export function rawRequest(
  client: ApiClient,
  method: string,
  target: string,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; json: any }> {
  const url = new URL(client.baseUrl);
  const headers: Record<string, string> = {};
  if (client.cookie) headers.cookie = client.cookie;
  if (client.csrf && method !== 'GET') headers['x-csrf-token'] = client.csrf;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
