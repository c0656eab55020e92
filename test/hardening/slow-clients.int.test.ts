// Clients that hold sockets instead of sending requests (issue 14, finding 7): trickled headers,
// half-sent bodies and silent connections get 408 or are closed within the configured window;
// idle kept-alive connections are closed; one address cannot hold more than its share of
// connections while /healthz and sign-in keep answering for others; and the long-lived streams
// (console WebSockets, event streams) outlive every one of these timeouts. Timeouts are shortened
// here (AppDeps.http); the defaults are checked to be within 30 s.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config/config';
import type { HttpLimits } from '../../server/src/http/connection-guard';
import { type ConsoleEnv, openConsole, startConsoleEnv } from '../consoles/console-kit';
import { startTestApp, type TestApp } from '../helpers/app';
import { TEST_DIALECT } from '../helpers/db';
import { makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { openSse } from '../helpers/sse';

const CONSOLE_SCENARIO = {
  seed: 5,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [{ vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'idle', status: 'running' as const }],
    },
  ],
};

import { closedWithin, openSocket, type RawHttpResponse, rawHttp, readResponse } from './raw-http';

/** Short enough for a test, in the same proportions as the defaults. */
const SHORT: Partial<HttpLimits> = {
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  checkIntervalMs: 100,
  keepAliveTimeoutMs: 1_000,
  idleTimeoutMs: 2_500,
};
/** Longest a partial request may live: the request timeout plus one check interval, with slack. */
const CLOSED_WITHIN_MS = 2_000 + 100 + 1_000;
/** NEXUS_MAX_CONNECTIONS_PER_IP's default. */
const CAP = 256;

let t: TestApp;
let host: string;
let admin: TestUser;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp({ deps: { http: SHORT, sse: { heartbeatMs: 500 } } });
  host = new URL(t.url).host;
  admin = await makeUser(t, { globalRole: 'admin' });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await t?.close();
});

async function socket(localAddress = '127.0.0.1'): Promise<Socket> {
  const s = await openSocket(t.url, localAddress);
  s.on('error', () => {});
  sockets.push(s);
  return s;
}

function expect408(res: RawHttpResponse) {
  expect(res.status).toBe(408);
  expect(JSON.parse(res.body).error.code).toBe('http.request_timeout');
}

describe(`slow and half-sent requests (${TEST_DIALECT})`, () => {
  it('the defaults close a partial request within 30 s', async () => {
    const def = await startTestApp();
    try {
      const server = def.nexus.app.server;
      expect(server.requestTimeout).toBeGreaterThan(0);
      expect(server.requestTimeout).toBeLessThanOrEqual(29_000);
      expect(server.headersTimeout).toBeGreaterThan(0);
      expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
      expect(server.keepAliveTimeout).toBeGreaterThan(0);
      expect(server.keepAliveTimeout).toBeLessThanOrEqual(29_000);
      // Node checks them every connectionsCheckingInterval (default 30 s, which would double them).
      const interval = (server as unknown as { connectionsCheckingInterval?: number }).connectionsCheckingInterval;
      expect(interval).toBeLessThanOrEqual(1_000);
      const cfg = loadConfig({});
      expect(cfg.ok && cfg.config.maxConnectionsPerIp).toBe(CAP);
    } finally {
      await def.close();
    }
  });

  it('headers trickled a line at a time: 408 once the header timeout passes', async () => {
    const s = await socket();
    const answer = readResponse(s, CLOSED_WITHIN_MS + 2_000);
    s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
    const drip = setInterval(() => s.writable && s.write('X-Slow: a\r\n'), 200);
    const res = await answer;
    clearInterval(drip);
    expect408(res);
    expect(res.elapsedMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(await closedWithin(s, 1_000)).toBeLessThan(1_000);
  });

  it('a connection that never sends anything is closed', async () => {
    const s = await socket();
    const res = await readResponse(s, CLOSED_WITHIN_MS + 2_000);
    expect(res.elapsedMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect([0, 408]).toContain(res.status);
    expect(await closedWithin(s, 1_000)).toBeLessThan(1_000);
  });

  it('a body half-sent, then trickled: 408 once the request timeout passes', async () => {
    const s = await socket();
    const answer = readResponse(s, CLOSED_WITHIN_MS + 2_000);
    s.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"email":"`,
    );
    const drip = setInterval(() => s.writable && s.write('a'), 100);
    const res = await answer;
    clearInterval(drip);
    expect408(res);
    expect(res.elapsedMs).toBeLessThan(CLOSED_WITHIN_MS);
  });

  it('an idle kept-alive connection is closed after the keep-alive timeout', async () => {
    const s = await socket();
    const res = readResponse(s);
    s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect((await res).status).toBe(200);
    // Node allows a second on top of keepAliveTimeout before it closes.
    expect(await closedWithin(s, 4_000)).toBeLessThan(4_000);
  });

  it('an event stream outlives every timeout (its heartbeat keeps it busy)', async () => {
    const tenant = await makeTenant(t, admin);
    const stream = await openSse(admin.client, `/api/tenants/${tenant.id}/events`);
    expect(stream.status).toBe(200);
    await new Promise((r) => setTimeout(r, 4_000));
    await admin.client.put(`/api/tenants/${tenant.id}/settings`, { maxServers: 7 });
    await stream.waitFor((e) => e.event === 'tenant.updated', 3_000);
    expect(stream.comments).toBeGreaterThan(3);
    stream.close();
  });
});

describe(`connections per address (${TEST_DIALECT})`, () => {
  // Timeouts long enough that the attack's sockets are still held while the others are served.
  const HELD: Partial<HttpLimits> = {
    ...SHORT,
    headersTimeoutMs: 6_000,
    requestTimeoutMs: 6_000,
    idleTimeoutMs: 60_000,
  };
  let capped: TestApp;
  beforeAll(async () => {
    capped = await startTestApp({ deps: { http: HELD } });
  });
  afterAll(async () => capped?.close());

  it(`holds one address to ${CAP} connections while /healthz and sign-in answer for another`, async () => {
    const user = await makeUser(capped, { login: false });
    const url = capped.url;
    const at = (localAddress: string) =>
      openSocket(url, localAddress).then((s) => {
        s.on('error', () => {});
        sockets.push(s);
        return s;
      });
    // An attacker on 127.0.0.1 opens six times the cap of half-sent requests: all but the cap
    // are answered 503 at once, the rest are held until their request times out.
    const attack = await Promise.all(Array.from({ length: CAP * 6 }, () => at('127.0.0.1')));
    let refused = 0;
    const answers = attack.map((s) =>
      readResponse(s, 15_000).then((r) => {
        if (r.status === 503) refused++;
        return r;
      }),
    );
    for (const s of attack) s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
    const deadline = Date.now() + 8_000;
    while (refused < CAP * 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(refused).toBe(CAP * 5);

    // Another address is served meanwhile.
    const health = await rawHttp(url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, {
      localAddress: '127.0.0.2',
    });
    expect(health.status).toBe(200);
    const body = JSON.stringify({ email: user.email, password: PASSWORD });
    const login = await rawHttp(
      url,
      `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      { localAddress: '127.0.0.2' },
    );
    expect(login.status).toBe(200);

    // A new connection from the attacker's address is told why and closed.
    const extra = await rawHttp(url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`, { localAddress: '127.0.0.1' });
    expect(extra.status).toBe(503);
    expect(JSON.parse(extra.body).error.code).toBe('http.unavailable');

    // The half-sent requests time out (408); then the address is served again.
    const all = await Promise.all(answers);
    expect(all.filter((r) => r.status === 503).length).toBe(CAP * 5);
    expect(all.filter((r) => r.status === 408).length).toBe(CAP);
    for (const s of attack) s.destroy();
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      again = (await rawHttp(url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).status;
      if (again !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again).toBe(200);
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    const counted = Number(/^nexus_connections_refused_total (\d+)/m.exec(metrics)?.[1]);
    // The attack's refusals, the extra one, and any retries above while the held ones closed.
    expect(counted).toBeGreaterThanOrEqual(refused + 1);
  });
});

describe(`long-lived consoles (${TEST_DIALECT})`, () => {
  let env: ConsoleEnv;
  beforeAll(async () => {
    env = await startConsoleEnv({ sim: { scenario: CONSOLE_SCENARIO as never }, app: { deps: { http: SHORT } } });
  });
  afterAll(async () => env?.close());

  it('an idle console WebSocket outlives every timeout', async () => {
    const { rfb, socket: browser } = await openConsole(env, env.admin.client, 100);
    await rfb.update(false);
    // Longer than the idle, request and keep-alive timeouts together, with nothing sent.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(browser.ws.readyState).toBe(browser.ws.OPEN);
    await rfb.update(false);
    rfb.close();
    await browser.closed;
  });
});
