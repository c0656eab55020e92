// The Proxmox client against a local HTTPS server: TLS policies, encoding, deadlines, caps,
// error mapping, events and the WebSocket upgrade.
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { parseTargetList } from '@common/egress';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { createProxmoxClient, jsonNestsDeeper, type ProxmoxCallEvent, type ProxmoxTarget } from './proxmox-client';
import { pvePath } from './pve-encode';
import { normalizeFingerprint, type ResolvedAddress } from './tls-connect';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: string;
}

let server: https.Server;
let port: number;
let cert: { key: string; cert: string; fingerprint: string };
let otherCert: { cert: string };
const seen: Seen[] = [];

async function makeCert(cn: string) {
  const c = await generate([{ name: 'commonName', value: cn }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: c.private, cert: c.cert, fingerprint: new X509Certificate(c.cert).fingerprint256 };
}

beforeAll(async () => {
  cert = await makeCert('pve-test');
  otherCert = await makeCert('other');
  server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      const url = new URL(req.url ?? '/', 'https://x');
      const send = (status: number, reason: string, json: unknown) => {
        res.writeHead(status, reason, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify(json));
      };
      switch (url.pathname) {
        case '/api2/json/version':
          return send(200, 'OK', { data: { version: '9.1.2', release: '9.1', repoid: 'abc' } });
        case '/api2/json/echo':
          return send(200, 'OK', { data: { body, query: url.search } });
        case '/api2/json/unauth':
          return send(401, 'authentication failure', { data: null });
        case '/api2/json/forbidden':
          return send(403, 'Permission check failed (/vms/100, VM.PowerMgmt)', { data: null });
        case '/api2/json/offline':
          return send(595, 'Connection refused', { data: null });
        case '/api2/json/fail':
          return send(500, 'VM 100 not running', { data: null, message: 'VM 100 not running\n' });
        case '/api2/json/redirect':
          res.writeHead(301, { location: 'https://elsewhere.invalid/' });
          return res.end();
        case '/api2/json/big':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"data":"');
          res.write('x'.repeat(64 * 1024));
          return res.end('"}');
        case '/api2/json/deep':
          return res.end(`{"data":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`);
        case '/api2/json/html':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html></html>');
        case '/api2/json/hang':
          return; // never answers
        default:
          return send(501, `Method '${req.method} ${url.pathname}' not implemented`, { data: null });
      }
    });
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('binary') ? 'binary' : false) });
  server.on('upgrade', (req, socket, head) => {
    seen.push({ method: 'UPGRADE', url: req.url ?? '', auth: req.headers.authorization, body: '' });
    if (!req.url?.includes('vncticket=good')) {
      socket.end('HTTP/1.1 401 invalid ticket\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.send(Buffer.from('RFB 003.008\n')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const client = createProxmoxClient({ maxResponseBytes: 32 * 1024 });
const target = (over: Partial<ProxmoxTarget> = {}): ProxmoxTarget => ({
  tenantId: 't1',
  serverId: 's1',
  host: '127.0.0.1',
  port,
  tokenId: 'nexus@pve!broker',
  tokenSecret: '0b5c2a8e-1111-4222-8333-944455556666',
  tls: { mode: 'pinned', fingerprint: cert.fingerprint },
  timeoutMs: 2000,
  ...over,
});

async function codeOf(p: Promise<unknown>): Promise<{ code: string; details: any; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: string; details: unknown; message: string };
    return { code: e.code, details: e.details, message: e.message };
  }
  throw new Error('expected a failure');
}

describe('Proxmox client', () => {
  it('talks to a pinned server with the token header', async () => {
    const conn = client.forServer(target());
    const res = await conn.request('GET', '/version');
    expect(res.data).toMatchObject({ version: '9.1.2' });
    expect(res.peerFingerprint).toBe(cert.fingerprint);
    const last = seen.at(-1);
    expect(last?.url).toBe('/api2/json/version');
    expect(last?.auth).toBe('PVEAPIToken=nexus@pve!broker=0b5c2a8e-1111-4222-8333-944455556666');
    expect(conn.target).not.toHaveProperty('tokenSecret');
  });

  it('accepts a pin written in any case and without colons', () => {
    expect(normalizeFingerprint(cert.fingerprint.replaceAll(':', '').toLowerCase())).toBe(cert.fingerprint);
    expect(normalizeFingerprint('AA:BB')).toBeNull();
  });

  it('refuses a certificate that does not match the pin before sending anything', async () => {
    const before = seen.length;
    const other = new X509Certificate(otherCert.cert).fingerprint256;
    const err = await codeOf(client.forServer(target({ tls: { mode: 'pinned', fingerprint: other } })).get('/version'));
    expect(err.code).toBe('proxmox.tls_mismatch');
    expect(err.details).toEqual({ expected: other, actual: cert.fingerprint });
    expect(seen.length).toBe(before);
    const none = await codeOf(client.forServer(target({ tls: { mode: 'pinned', fingerprint: null } })).get('/version'));
    expect(none.code).toBe('proxmox.tls_mismatch');
  });

  it('verifies against a CA PEM in ca mode, and refuses without it', async () => {
    await expect(
      client.forServer(target({ tls: { mode: 'ca', caPem: cert.cert } })).get('/version'),
    ).resolves.toMatchObject({ version: '9.1.2' });
    expect(
      (await codeOf(client.forServer(target({ tls: { mode: 'ca', caPem: otherCert.cert } })).get('/version'))).code,
    ).toBe('proxmox.tls_error');
    expect((await codeOf(client.forServer(target({ tls: { mode: 'ca', caPem: null } })).get('/version'))).code).toBe(
      'proxmox.tls_error',
    );
  });

  it('connects without checks in insecure mode', async () => {
    await expect(client.forServer(target({ tls: { mode: 'insecure' } })).get('/version')).resolves.toBeTruthy();
  });

  it('encodes form and query values with encodeURIComponent and booleans as 1/0', async () => {
    const conn = client.forServer(target());
    const data = await conn.post<{ body: string }>('/echo', {
      a: 'x;y&z+ w',
      websocket: true,
      off: false,
      skip: undefined,
    });
    expect(data.body).toBe('a=x%3By%26z%2B%20w&websocket=1&off=0');
    const q = await conn.get<{ query: string }>('/echo', { type: 'vm', full: true });
    expect(q.query).toBe('?type=vm&full=1');
    expect(pvePath`/nodes/${'a/b'}/qemu/${100}`).toBe('/nodes/a%2Fb/qemu/100');
    await expect(conn.get('/../etc')).rejects.toThrow(TypeError);
    await expect(conn.get('/x?y=1')).rejects.toThrow(TypeError);
  });

  it('maps Proxmox statuses to error codes with the reason phrase as data', async () => {
    const conn = client.forServer(target());
    expect((await codeOf(conn.get('/unauth'))).code).toBe('proxmox.auth_failed');
    const forbidden = await codeOf(conn.get('/forbidden'));
    expect(forbidden.code).toBe('proxmox.permission_denied');
    expect(forbidden.details.reason).toBe('Permission check failed (/vms/100, VM.PowerMgmt)');
    expect((await codeOf(conn.get('/offline'))).code).toBe('proxmox.node_offline');
    const fail = await codeOf(conn.post('/fail'));
    expect(fail.code).toBe('proxmox.error');
    expect(fail.details).toMatchObject({ status: 500, reason: 'VM 100 not running' });
    expect((await codeOf(conn.get('/nope'))).details.status).toBe(501);
  });

  it('does not follow redirects and refuses non-API answers', async () => {
    const conn = client.forServer(target());
    expect((await codeOf(conn.get('/redirect'))).code).toBe('proxmox.bad_response');
    expect((await codeOf(conn.get('/html'))).code).toBe('proxmox.bad_response');
  });

  it('refuses JSON nested deeper than any Proxmox answer (it would overflow a serializer)', async () => {
    const err = await codeOf(createProxmoxClient().forServer(target()).get('/deep'));
    expect(err.code).toBe('proxmox.bad_response');
    expect(err.message).toMatch(/nests deeper than 64 levels/);
    const nested = (n: number) => Buffer.from(`{"data":${'['.repeat(n)}"[[{\\"[["${']'.repeat(n)}}`);
    expect(jsonNestsDeeper(nested(63), 64)).toBe(false); // brackets inside strings do not count
    expect(jsonNestsDeeper(nested(64), 64)).toBe(true);
  });

  it('caps the answer size', async () => {
    const err = await codeOf(client.forServer(target()).get('/big'));
    expect(err.code).toBe('proxmox.bad_response');
    expect(err.message).toMatch(/larger than/);
  });

  it('validates the shape when given a schema', async () => {
    const conn = client.forServer(target());
    await expect(conn.get('/version', undefined, { schema: z.object({ version: z.string() }) })).resolves.toEqual({
      version: '9.1.2',
    });
    expect(
      (await codeOf(conn.get('/version', undefined, { schema: z.object({ nodes: z.array(z.string()) }) }))).code,
    ).toBe('proxmox.bad_response');
  });

  it('gives up at the deadline, and reports unreachable servers', async () => {
    const started = Date.now();
    expect((await codeOf(client.forServer(target()).get('/hang', undefined, { timeoutMs: 300 }))).code).toBe(
      'proxmox.timeout',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    const closed = https.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await codeOf(client.forServer(target({ port: closedPort })).get('/version'))).code).toBe(
      'proxmox.unreachable',
    );
  });

  it('passes a caller abort through as is', async () => {
    const ac = new AbortController();
    const p = client.forServer(target()).get('/hang', undefined, { signal: ac.signal, timeoutMs: 5000 });
    setTimeout(() => ac.abort(new Error('caller gave up')), 50);
    await expect(p).rejects.toThrow('caller gave up');
  });

  it('emits a call event per request, with the metric flag and pin mismatches', async () => {
    const events: ProxmoxCallEvent[] = [];
    const off = client.onCall((e) => events.push(e));
    await client.forServer(target()).get('/version');
    await client.forServer(target()).get('/version', undefined, { metric: false });
    await codeOf(client.forServer(target({ tls: { mode: 'pinned', fingerprint: '00'.repeat(32) } })).get('/version'));
    off();
    expect(events.map((e) => [e.ok, e.metric, e.errorCode])).toEqual([
      [true, true, null],
      [true, false, null],
      [false, true, 'proxmox.tls_mismatch'],
    ]);
    expect(events[2]?.tlsMismatch?.actual).toBe(cert.fingerprint);
    expect(events[0]?.path).toBe('/api2/json/version');
  });

  it('opens a WebSocket with the same TLS policy and token', async () => {
    const conn = client.forServer(target());
    const ws = await conn.openWebSocket(
      '/nodes/pve1/qemu/100/vncwebsocket',
      { port: 5900, vncticket: 'good' },
      'binary',
    );
    expect(ws.protocol).toBe('binary');
    const first = await new Promise<Buffer>((r) => ws.once('message', (d) => r(d as Buffer)));
    expect(first.toString()).toBe('RFB 003.008\n');
    ws.close();
    const up = seen.filter((s) => s.method === 'UPGRADE').at(-1);
    expect(up?.auth).toMatch(/^PVEAPIToken=nexus@pve!broker=/);
    expect(up?.url).toBe('/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=5900&vncticket=good');
    expect((await codeOf(conn.openWebSocket('/nodes/pve1/qemu/100/vncwebsocket', { vncticket: 'bad' }))).code).toBe(
      'proxmox.auth_failed',
    );
    const pinned = client.forServer(target({ tls: { mode: 'pinned', fingerprint: '11'.repeat(32) } }));
    expect((await codeOf(pinned.openWebSocket('/x', {}))).code).toBe('proxmox.tls_mismatch');
  });

  it('probes a certificate without sending a request', async () => {
    const before = seen.length;
    const info = await client.probeCertificate('127.0.0.1', port);
    expect(info.fingerprint).toBe(cert.fingerprint);
    expect(info.subject).toContain('CN=pve-test');
    expect(info.selfSigned).toBe(true);
    expect(new Date(info.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(seen.length).toBe(before);
  });
});

describe('egress policy', () => {
  const rules = (text: string) => parseTargetList(text).rules;
  // Every outbound TCP connection this process starts goes through net.Socket#connect.
  const calls: unknown[][] = [];
  const original = net.Socket.prototype.connect;
  beforeAll(() => {
    net.Socket.prototype.connect = function spy(this: net.Socket, ...args: unknown[]) {
      calls.push(args);
      return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
  });
  afterAll(() => {
    net.Socket.prototype.connect = original;
  });
  beforeEach(() => {
    calls.length = 0;
  });
  const dialed = () =>
    calls.map((args) => {
      const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; port?: number } | number;
      return typeof first === 'object' ? `${first.host}:${first.port}` : String(first);
    });

  it('refuses metadata addresses in every spelling before any socket exists', async () => {
    for (const host of ['169.254.169.254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', 'fe80::1', '0.0.0.0']) {
      const err = await codeOf(client.forServer(target({ host, port: 80 })).get('/version'));
      expect(err.code, host).toBe('server.target_refused');
      expect(err.details).toEqual({ host, port: 80 });
      expect((await codeOf(client.probeCertificate(host, 80))).code).toBe('server.target_refused');
      const ws = await codeOf(client.forServer(target({ host, port: 80 })).openWebSocket('/x', {}));
      expect(ws.code).toBe('server.target_refused');
    }
    expect(dialed()).toEqual([]);
  });

  it('applies the operator list and the tenant list, both', async () => {
    const operator = createProxmoxClient({ allowedTargets: rules('127.0.0.1') });
    await expect(operator.forServer(target()).get('/version')).resolves.toMatchObject({ version: '9.1.2' });
    calls.length = 0;
    expect((await codeOf(operator.forServer(target({ host: '127.0.0.2' })).get('/version'))).code).toBe(
      'server.target_refused',
    );
    expect((await codeOf(operator.probeCertificate('127.0.0.2', port))).code).toBe('server.target_refused');
    const narrowed = target({ allowedTargets: rules(`127.0.0.2:${port}`) });
    expect((await codeOf(client.forServer(narrowed).get('/version'))).code).toBe('server.target_refused');
    expect(
      (await codeOf(client.probeCertificate('127.0.0.1', port, { allowedTargets: rules('10.0.0.0/8') }))).code,
    ).toBe('server.target_refused');
    expect(dialed()).toEqual([]);
    // A tenant cannot widen what the operator refuses.
    const widened = target({ host: '169.254.169.254', allowedTargets: rules('169.254.0.0/16') });
    expect((await codeOf(client.forServer(widened).get('/version'))).code).toBe('server.target_refused');
  });

  it('checks what a name resolves to, every address of it, and dials only the checked address', async () => {
    const answers: Record<string, ResolvedAddress[][]> = {
      'pve.test': [[{ address: '127.0.0.1', family: 4 }]],
      'meta.test': [[{ address: '169.254.169.254', family: 4 }]],
      'mapped.test': [[{ address: '::ffff:169.254.169.254', family: 6 }]],
      'mixed.test': [
        [
          { address: '127.0.0.1', family: 4 },
          { address: '169.254.169.254', family: 4 },
        ],
      ],
      // Rebinding: the second answer would point elsewhere; only the first is ever asked for.
      'rebind.test': [[{ address: '127.0.0.1', family: 4 }], [{ address: '169.254.169.254', family: 4 }]],
    };
    const asked: string[] = [];
    const resolve = async (name: string) => {
      asked.push(name);
      const list = answers[name];
      const next = list?.shift() ?? [];
      if (list && list.length === 0) list.push(next);
      return next;
    };
    const named = createProxmoxClient({ resolve, allowedTargets: rules('127.0.0.0/8') });
    for (const host of ['meta.test', 'mapped.test', 'mixed.test']) {
      const err = await codeOf(named.forServer(target({ host })).get('/version'));
      expect(err.code, host).toBe('server.target_refused');
      expect(err.message).not.toMatch(/169\.254/); // what a name resolves to is not told
    }
    expect(dialed()).toEqual([]);
    await expect(named.forServer(target({ host: 'pve.test' })).get('/version')).resolves.toMatchObject({
      version: '9.1.2',
    });
    asked.length = 0;
    await expect(named.forServer(target({ host: 'rebind.test' })).get('/version')).resolves.toMatchObject({
      version: '9.1.2',
    });
    expect(asked).toEqual(['rebind.test']);
    // One resolution per dial; the socket gets the checked answer (its lookup never asks again).
    expect(dialed()).toEqual([`pve.test:${port}`, `rebind.test:${port}`]);
    // The certificate is checked against the name, not the address dialed (the test cert has only the IP).
    const ca = await codeOf(
      named.forServer(target({ host: 'pve.test', tls: { mode: 'ca', caPem: cert.cert } })).get('/version'),
    );
    expect(ca.code).toBe('proxmox.tls_error');
  });

  it('reports a refusal as a call event', async () => {
    const events: ProxmoxCallEvent[] = [];
    const off = client.onCall((e) => events.push(e));
    await codeOf(client.forServer(target({ host: '169.254.169.254' })).get('/version'));
    off();
    expect(events).toMatchObject([{ ok: false, errorCode: 'server.target_refused' }]);
  });
});
