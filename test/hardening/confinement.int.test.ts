// Confinement (issue 10): thousands of generated console and explorer requests — other tenants'
// server ids, odd vmids and node names, `..`, encoded slashes, absolute URLs, host and port
// injection — and not one outbound connection to anything but the registered server. Tenant B's
// "server" is a canary listener; an outbound-connection spy sees every socket this process opens.
// NEXUS_CONFINEMENT_CASES sets the count (default 10,000).
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from '../../pve-sim/index';
import { startTestApp, type TestApp } from '../helpers/app';
import type { ApiClient } from '../helpers/client';
import { PG_ADMIN_URL, TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { registerSim, tokenOf } from '../servers/server-kit';

const CASES = Number(process.env.NEXUS_CONFINEMENT_CASES ?? 10_000);

// The spy: every outbound TCP connection this process starts, whatever library starts it.
const outbound: { host: string; port: number }[] = [];
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function spy(this: net.Socket, ...args: unknown[]) {
  // net.connect() hands the socket its already-normalised arguments as one array.
  const raw = Array.isArray(args[0]) ? args[0][0] : args[0];
  const first = raw as { port?: number | string; host?: string; path?: string } | number | string;
  if (typeof first === 'object' && first && !first.path)
    outbound.push({ host: String(first.host ?? 'localhost'), port: Number(first.port) });
  else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    outbound.push({ host: String(typeof args[1] === 'string' ? args[1] : 'localhost'), port: Number(first) });
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

let t: TestApp;
let sim: PveSim;
let canary: net.Server;
let canaryPort = 0;
let canaryHits = 0;
let admin: TestUser;
let viewer: TestUser;
let tenantA: string;
let serverA: string;
let serverB: string;

beforeAll(async () => {
  canary = net.createServer((s) => {
    canaryHits++;
    s.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  canaryPort = (canary.address() as net.AddressInfo).port;
  sim = await startPveSim({ servers: 1, vms: 3, authFailDelayMs: 10 });
  t = await startTestApp();
  const root = await makeUser(t, { globalRole: 'admin' });
  tenantA = (await makeTenant(t, root)).id;
  const tenantB = (await makeTenant(t, root)).id;
  const simServer = sim.servers[0];
  if (!simServer) throw new Error('no sim server');
  serverA = (await registerSim(root.client, tenantA, simServer)).id;
  // The explorer relays only from a server that has proven to be Proxmox (issue 14): test it.
  await root.client.post(`/api/tenants/${tenantA}/servers/${serverA}/test`);
  const canaryReg = await root.client.post(`/api/tenants/${tenantB}/servers`, {
    name: 'canary',
    host: '127.0.0.1',
    port: canaryPort,
    apiToken: tokenOf('root@pam!canary=c0ffee00-1234-4abc-8def-0123456789ab').apiToken,
    tlsMode: 'insecure',
  });
  if (canaryReg.status !== 201) throw new Error(canaryReg.text);
  serverB = canaryReg.body.id;
  for (const role of ['admin', 'viewer'] as const) {
    const u = await makeUser(t, { login: false });
    await addMember(t, tenantA, u, role);
    await u.client.login(u.email, PASSWORD);
    if (role === 'admin') admin = u;
    else viewer = u;
  }
}, 120_000);

afterAll(async () => {
  net.Socket.prototype.connect = originalConnect;
  await t?.close();
  await sim?.close();
  await new Promise((r) => canary?.close(r));
});

const HOSTILE_SEGMENTS = [
  '..',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%2f',
  '%2F',
  '%5c',
  '\\',
  '//evil.example',
  'http:',
  'https:%2f%2f127.0.0.1',
  '@127.0.0.1',
  '127.0.0.1:CANARY',
  '%00',
  '%0d%0aHost:%20127.0.0.1',
  'nodes',
  'pve1',
  'qemu',
  '100',
  'version',
  'cluster',
  'resources',
  '%252e%252e',
  ';',
  '?',
  '#',
];

const hostileSegment = fc.oneof(
  fc.constantFrom(...HOSTILE_SEGMENTS),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

function explorerPath() {
  return fc.tuple(
    fc.array(hostileSegment, { minLength: 1, maxLength: 5 }),
    fc.constantFrom(
      '',
      '?host=127.0.0.1',
      `?port=CANARY`,
      '?url=http://127.0.0.1:CANARY/',
      '?target=//127.0.0.1:CANARY',
    ),
  );
}

const serverIdArb = () =>
  fc.constantFrom(serverA, serverB, '00000000-0000-4000-8000-000000000000', `${serverB}/../${serverA}`);
const requestArb = () =>
  fc.oneof(
    fc.record({
      kind: fc.constant('explorer' as const),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      serverId: serverIdArb(),
      path: explorerPath(),
      who: fc.constantFrom('admin', 'viewer'),
    }),
    fc.record({
      kind: fc.constant('console' as const),
      serverId: serverIdArb(),
      vmid: fc.oneof(
        fc.constantFrom('100', '101', '-1', '0', '99999999999', '100%2f..', '100;', 'abc'),
        fc.integer({ min: 0, max: 2e9 }).map(String),
      ),
      who: fc.constantFrom('admin', 'viewer'),
    }),
    fc.record({
      kind: fc.constant('upgrade' as const),
      ticket: fc.oneof(hostileSegment, fc.string({ minLength: 20, maxLength: 80 }).map(encodeURIComponent)),
    }),
  );

type Case = ReturnType<typeof requestArb> extends fc.Arbitrary<infer C> ? C : never;

async function send(c: Case): Promise<number> {
  const withCanary = (s: string) => s.replaceAll('CANARY', String(canaryPort));
  if (c.kind === 'upgrade') {
    const res = await fetch(`${t.url}/api/consoles/${withCanary(c.ticket)}/ws`, {
      headers: {
        connection: 'upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        cookie: admin.client.cookie ?? '',
      },
    }).catch(() => null);
    return res?.status ?? 0;
  }
  const client: ApiClient = c.who === 'admin' ? admin.client : viewer.client;
  if (c.kind === 'console') {
    return (await client.post(`/api/tenants/${tenantA}/servers/${c.serverId}/vms/${c.vmid}/console`)).status;
  }
  const [segments, query] = c.path;
  const url = `/api/tenants/${tenantA}/servers/${c.serverId}/pve/${withCanary(segments.join('/'))}${withCanary(query)}`;
  return (
    await client.request(
      c.method,
      url,
      c.method === 'GET' || c.method === 'DELETE' ? undefined : { node: 'pve1', vmid: 100 },
    )
  ).status;
}

describe(`confinement (${TEST_DIALECT}, ${CASES} requests)`, () => {
  it('never connects anywhere but the registered server, whatever the request says', async () => {
    outbound.length = 0;
    const cases = fc.sample(requestArb(), { numRuns: CASES, seed: 7 });
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        if (!c) break;
        const status = await send(c);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    const allowedPorts = new Set([Number(new URL(t.url).port), sim.servers[0]?.port]);
    if (TEST_DIALECT === 'postgres') allowedPorts.add(Number(new URL(PG_ADMIN_URL).port || 5432));
    const elsewhere = outbound.filter((o) => !allowedPorts.has(o.port) || !/^(127\.|localhost$|::1$)/.test(o.host));
    expect(canaryHits).toBe(0);
    expect(elsewhere.slice(0, 10)).toEqual([]);
    // The run really exercised both sides: some reached the sim, many were refused.
    expect(outbound.some((o) => o.port === sim.servers[0]?.port)).toBe(true);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect([...statuses.keys()].some((s) => s >= 400 && s < 500)).toBe(true);
  }, 600_000);
});
