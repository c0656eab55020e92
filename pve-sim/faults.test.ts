// Faults switched at run time: latency, error rate, fixed 5xx, down, black hole, slow body,
// wrong certificate, flapping; and certificate renewal.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call } from './test-support/sim-client';

let sim: PveSim;
let s: SimServer;

beforeAll(async () => {
  sim = await startPveSim({ servers: 2, vms: 2, authFailDelayMs: 50 });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());
beforeEach(() => s.clearFaults());

const version = (timeoutMs = 5000) => call(s, 'GET', '/version', { token: s.token, timeoutMs });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const result = await fn();
  return [result, Date.now() - start];
}

/** Whether a TCP connection to the port is accepted. */
function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('faults', () => {
  it('adds latency', async () => {
    s.setFault({ latencyMs: 200 });
    const [res, ms] = await timed(() => version());
    expect(res.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(195);
    s.clearFaults();
    expect((await timed(() => version()))[1]).toBeLessThan(150);
  });

  it('answers every request with a given 5xx status', async () => {
    s.setFault({ status5xx: 503 });
    const res = await version();
    expect([res.status, res.reason]).toEqual([503, 'Service Unavailable']);
    expect(res.body.data).toBeNull();
  });

  it('fails a fraction of the requests', async () => {
    s.setFault({ errorRate: 1 });
    expect((await version()).status).toBe(500);
    s.setFault({ errorRate: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 40 }, () => version().then((r) => r.status)));
    const failed = statuses.filter((st) => st === 500).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    expect(statuses.every((st) => st === 200 || st === 500)).toBe(true);
  });

  it('goes down (connection refused) and comes back on the same port', async () => {
    const port = s.port;
    s.setFault({ down: true });
    await expect(version()).rejects.toThrow(/ECONNREFUSED/);
    expect(await tcpAccepts(port)).toBe(false);
    s.setFault({ down: false });
    expect(s.port).toBe(port);
    expect((await version()).status).toBe(200);
  });

  it('black-holes: accepts the connection and never answers', async () => {
    s.setFault({ blackhole: true });
    const before = s.requestLog.length;
    expect(await tcpAccepts(s.port)).toBe(true);
    await expect(version(300)).rejects.toThrow(/timeout/);
    expect(s.requestLog.length).toBe(before);
    s.clearFaults();
    expect((await version()).status).toBe(200);
  });

  it('sends the body slowly', async () => {
    s.setFault({ slowBodyMs: 300 });
    const [res, ms] = await timed(() => version());
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(res.body.data.version).toEqual(expect.any(String));
  });

  it('presents a wrong certificate, then the right one again', async () => {
    s.setFault({ wrongCert: true });
    const wrong = await version();
    expect(wrong.fingerprint).not.toBe(s.fingerprint);
    const nodes = (await call(s, 'GET', '/nodes', { token: s.token })).body.data;
    expect(nodes[0].ssl_fingerprint).toBe(s.fingerprint);
    s.setFault({ wrongCert: false });
    expect((await version()).fingerprint).toBe(s.fingerprint);
  });

  it('flaps between up and down', async () => {
    s.setFault({ flapping: 80 });
    const seen = new Set<string>();
    const deadline = Date.now() + 1500;
    while (seen.size < 2 && Date.now() < deadline) {
      seen.add((await tcpAccepts(s.port)) ? 'up' : 'down');
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(seen).toEqual(new Set(['up', 'down']));
    s.clearFaults();
    expect(await tcpAccepts(s.port)).toBe(true);
  });

  it('affects only the server it is set on', async () => {
    s.setFault({ down: true });
    const other = sim.servers[1] as SimServer;
    expect((await call(other, 'GET', '/version', { token: other.token })).status).toBe(200);
  });
});

describe('certificate renewal', () => {
  it('swaps the certificate; the new fingerprint is served and reported', async () => {
    const old = s.fingerprint;
    const renewed = await s.swapCertificate();
    expect(renewed).not.toBe(old);
    expect(s.fingerprint).toBe(renewed);
    expect((await version()).fingerprint).toBe(renewed);
    const nodes = (await call(s, 'GET', '/nodes', { token: s.token })).body.data;
    expect(nodes[0].ssl_fingerprint).toBe(renewed);
  });
});
