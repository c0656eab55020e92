// Deadlines that survive garbage collection and leave nothing on the parent signal (found by the
// chaos soak: a console ticket for a guest on a black-holed Proxmox server never got an answer
// once a GC had run during the call; and every call left a WeakRef on a service-lifetime signal).
import { getEventListeners } from 'node:events';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxmoxClient } from '../proxmox/proxmox-client';
import { startDeadline } from './deadline';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Collects garbage a few times while `ms` pass. */
async function collectFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('startDeadline', () => {
  it('fires after garbage collection, with a TimeoutError like AbortSignal.timeout', async () => {
    const parent = new AbortController();
    const { signal } = startDeadline(100, parent.signal);
    let reason: unknown;
    signal.addEventListener('abort', () => {
      reason = signal.reason;
    });
    await collectFor(400);
    expect(signal.aborted).toBe(true);
    expect((reason as Error).name).toBe('TimeoutError');
  });

  it("passes the parent's abort on at once", () => {
    const parent = new AbortController();
    const { signal } = startDeadline(60_000, parent.signal);
    parent.abort(new Error('closing'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('closing');
  });

  it('works without a parent', async () => {
    const { signal } = startDeadline(50);
    await collectFor(200);
    expect(signal.aborted).toBe(true);
  });

  it('leaves nothing on a long-lived parent: listeners go with clear() or the deadline', async () => {
    const parent = new AbortController();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) startDeadline(60_000, parent.signal).clear();
    startDeadline(50, parent.signal); // never cleared: its deadline removes it
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    await collectFor(200);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    // AbortSignal.any([parent, …]) kept ~60 bytes per call in the parent (6 MB here).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(2 * 1024 * 1024);
  });

  it('is aborted at once when the parent already is', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    expect(startDeadline(1000, parent.signal).signal.aborted).toBe(true);
  });
});

describe('a Proxmox call to a black-holed server with a caller signal', () => {
  // Accepts connections and never sends a byte (not even the TLS handshake).
  const sockets = new Set<net.Socket>();
  const hole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    port = (hole.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => hole.close(r));
  });

  it('ends with proxmox.timeout at its deadline even when garbage is collected meanwhile', async () => {
    const conn = createProxmoxClient().forServer({
      tenantId: 't',
      serverId: 's',
      host: '127.0.0.1',
      port,
      tokenId: 'root@pam!x',
      tokenSecret: 'secret',
      tls: { mode: 'pinned', fingerprint: null },
      timeoutMs: 200,
    });
    // A long-lived signal, like the inventory's "closing" one.
    const closing = new AbortController();
    const call = conn.get('/version', undefined, { signal: closing.signal }).then(
      () => 'answered',
      (err: { code?: string }) => err.code ?? String(err),
    );
    const outcome = await Promise.race([call, collectFor(2000).then(() => 'still pending after 2 s')]);
    expect(outcome).toBe('proxmox.timeout');
    // The call is over: nothing of it is left on the caller's signal.
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  });
});
