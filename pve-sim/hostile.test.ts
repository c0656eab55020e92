// Hostile faults: huge bodies (chunked or declared, streamed with back-pressure), wrong JSON
// types, invalid UTF-8 in free text, redirects (API and websocket upgrades, loopback only),
// slowloris answers; and hostile task logs and exit statuses as scenario data.
import { request } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { rawUpgrade } from './test-support/raw-websocket';
import { call, waitForTask } from './test-support/sim-client';

const SCRIPT = '<script>alert("log")</script>';
let sim: PveSim;
let s: SimServer;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 50,
    taskDurationMs: 30,
    scenario: {
      clusters: [
        {
          name: null,
          nodes: [{ name: 'pve1' }],
          guests: [
            { vmid: 100, type: 'qemu', node: 'pve1', name: 'plain', tags: ['a', 'b'] },
            { vmid: 101, type: 'qemu', node: 'pve1', name: 'hooked', taskLog: [SCRIPT, 'line 2'] },
            { vmid: 102, type: 'lxc', node: 'pve1', name: 'failing', taskError: `<img src=x onerror=alert(1)>` },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());
beforeEach(() => s.clearFaults());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Bytes received before the client gave up (limit or timeout). */
  received: number;
}

/** GET with the raw bytes of the answer; stops reading after `limit` bytes or `timeoutMs`. */
function raw(path: string, opts: { limit?: number; timeoutMs?: number } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const chunks: Buffer[] = [];
    let answer: Omit<Raw, 'body' | 'received'> | null = null;
    const finish = () => resolve({ ...(answer ?? { status: 0, headers: {} }), body: Buffer.concat(chunks), received });
    const req = request(new URL(`/api2/json${path}`, s.url), {
      headers: { Authorization: `PVEAPIToken=${s.token}` },
      rejectUnauthorized: false,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish();
    }, opts.timeoutMs ?? 10_000);
    req.on('socket', (socket) => socket.on('data', (c: Buffer) => (received += answer ? 0 : c.length)));
    req.on('response', (res) => {
      answer = { status: res.statusCode ?? 0, headers: res.headers };
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (opts.limit !== undefined && received > opts.limit) {
          clearTimeout(timer);
          req.destroy();
          finish();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        finish();
      });
    });
    req.on('error', (err) => {
      if (!req.destroyed || !answer) reject(err);
    });
    req.end();
  });
}

const version = () => call(s, 'GET', '/version', { token: s.token });

describe('huge bodies', () => {
  it('sends a valid JSON body of exactly the given size, chunked by default', async () => {
    s.setFault({ hugeBody: { bytes: 1_000_003 } });
    const res = await raw('/cluster/resources');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body.length).toBe(1_000_003);
    const parsed = JSON.parse(res.body.toString('utf8'));
    expect(parsed.data.length).toBeGreaterThan(5000);
    expect(parsed.data[0]).toMatchObject({ type: 'qemu', vmid: 100_000_000, node: 'pve' });
    const vmids = new Set(parsed.data.map((g: { vmid?: number }) => g.vmid).filter(Boolean));
    expect(vmids.size).toBe(parsed.data.length - 1); // distinct guests, then `{}`
  });

  it('declares the length when asked', async () => {
    s.setFault({ hugeBody: { bytes: 200_000, declareLength: true } });
    const res = await raw('/version');
    expect(res.headers['content-length']).toBe('200000');
    expect(res.body.length).toBe(200_000);
  });

  it('streams 50 MB with back-pressure: a client that hangs up costs the simulator nothing', async () => {
    s.setFault({ hugeBody: { bytes: 50 * 1024 * 1024 } });
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 3; i++) {
      const res = await raw('/cluster/resources', { limit: 2 * 1024 * 1024 });
      expect(res.received).toBeGreaterThan(2 * 1024 * 1024);
      expect(res.received).toBeLessThan(8 * 1024 * 1024);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    for (let i = 0; i < 100 && s.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.connectionCount).toBe(0);
    s.clearFaults();
    expect((await version()).status).toBe(200);
  });
});

describe('wrong JSON types', () => {
  it("'data': lists become objects, objects lists, text numbers", async () => {
    s.setFault({ wrongTypes: 'data' });
    const list = await call(s, 'GET', '/cluster/resources', { token: s.token });
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body.data)).toBe(false);
    expect(list.body.data['0']).toMatchObject({ vmid: 100 });
    expect(Array.isArray((await version()).body.data)).toBe(true);
    const upid = await call(s, 'POST', '/nodes/pve1/qemu/100/status/start', { token: s.token });
    expect(typeof upid.body.data).toBe('number');
  });

  it("'fields': the shape stays, every field has a wrong type; errors stay errors", async () => {
    s.setFault({ wrongTypes: 'fields' });
    expect((await version()).body.data.version).toEqual(expect.any(Number));
    const list = await call(s, 'GET', '/cluster/resources', { token: s.token });
    const entry = list.body.data[0];
    expect(entry).toMatchObject({ type: 4, vmid: 'NaN', node: 4 });
    const denied = await call(s, 'GET', '/version', { token: null });
    expect(denied.status).toBe(401);
    expect(denied.body.data).toBeNull();
  });
});

describe('deep nesting', () => {
  it("'deep': data inside 100,000 nested lists, valid JSON", async () => {
    s.setFault({ wrongTypes: 'deep', invalidUtf8: true });
    const res = await raw('/version');
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    let value = JSON.parse(res.body.toString('utf8')).data;
    let depth = 0;
    while (Array.isArray(value)) {
      value = value[0];
      depth++;
    }
    expect(depth).toBe(100_000);
    expect(value.version).toEqual(expect.any(String));
    const denied = await call(s, 'GET', '/version', { token: null });
    expect(denied.body.data).toBeNull();
  });
});

describe('invalid UTF-8', () => {
  it('free text ends in bytes that are not UTF-8; the JSON still parses after replacement', async () => {
    s.setFault({ invalidUtf8: true });
    const res = await raw('/cluster/resources');
    expect(res.body.includes(Buffer.from([0xc0, 0xaf]))).toBe(true);
    expect(res.body.includes(Buffer.from([0xe2, 0x82, 0x22]))).toBe(true); // truncated, then the quote
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const text = res.body.toString('utf8');
    expect(Buffer.from(text, 'utf8').equals(res.body)).toBe(false);
    const guests = JSON.parse(text).data;
    const plain = guests.find((g: { vmid: number }) => g.vmid === 100);
    expect(res.body.includes(Buffer.from('\\ud800\\u0000'))).toBe(true);
    expect(plain.name.startsWith('plain\uD800\u0000\uFFFD')).toBe(true);
    expect(plain.tags.startsWith('a;b\uD800\u0000\uFFFD')).toBe(true);
    expect(plain).toMatchObject({ type: 'qemu', node: 'pve1', id: 'qemu/100' });
  });
});

describe('redirects', () => {
  it('answers every request, API or not, with the redirect', async () => {
    s.setFault({ redirect: { location: 'https://127.0.0.2:1/api2/json/version' } });
    const res = await version();
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('https://127.0.0.2:1/api2/json/version');
    s.setFault({ redirect: { location: '/elsewhere', status: 308 } });
    const page = await raw('/../../');
    expect([page.status, page.headers.location]).toEqual([308, '/elsewhere']);
  });

  it('redirects websocket upgrades too', async () => {
    s.setFault({ redirect: { location: 'http://localhost:1/', status: 307 } });
    const res = await rawUpgrade(s, '/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=5900&vncticket=x', {
      token: s.token,
      protocol: 'binary',
    });
    expect(res).toMatchObject({ kind: 'refused', status: 307 });
  });

  it('refuses targets off loopback', () => {
    expect(() => s.setFault({ redirect: { location: 'https://example.com/' } })).toThrow(/loopback/);
    expect(() => s.setFault({ redirect: { location: 'http://10.0.0.1/' } })).toThrow(/loopback/);
    expect(s.currentFaults.redirect).toBeNull();
  });
});

describe('slowloris', () => {
  it('dribbles out the status line at the given rate', async () => {
    s.setFault({ slowloris: { bytesPerSecond: 20 } });
    const res = await raw('/version', { timeoutMs: 600 });
    expect(res.status).toBe(0); // not even the status line in 600 ms
    expect(res.received).toBeGreaterThan(3);
    expect(res.received).toBeLessThan(30);
  });

  it('completes a whole answer at a higher rate', async () => {
    s.setFault({ slowloris: { bytesPerSecond: 20_000 } });
    const start = Date.now();
    const res = await version();
    expect(res.status).toBe(200);
    expect(res.body.data.version).toEqual(expect.any(String));
    expect(Date.now() - start).toBeGreaterThanOrEqual(90);
  });
});

describe('hostile task logs (scenario data)', () => {
  it('logs the lines first and fails with the given text', async () => {
    const started = await call(s, 'POST', '/nodes/pve1/qemu/101/status/start', { token: s.token });
    const upid = started.body.data as string;
    expect(await waitForTask(s, upid)).toMatchObject({ exitstatus: 'OK' });
    const log = await call(s, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { token: s.token });
    expect(log.body.data.slice(0, 2)).toEqual([
      { n: 1, t: SCRIPT },
      { n: 2, t: 'line 2' },
    ]);

    const failing = await call(s, 'POST', '/nodes/pve1/lxc/102/status/start', { token: s.token });
    const failed = await waitForTask(s, failing.body.data);
    expect(failed.exitstatus).toBe('<img src=x onerror=alert(1)>');
    expect(s.guest(102)?.status).toBe('stopped');
  });
});
