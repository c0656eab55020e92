// Event streams per user (issue 14, finding 10): one user holds at most 8 open streams on an
// instance, over all tenants; the next is refused with 429 in the error envelope (not by closing
// the oldest, which would set a user's tabs fighting over places) while other users are served,
// and a place is given back when a stream closes — also one dropped while it was still replaying.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHub } from '../../server/src/realtime/hub';
import { startTestApp, type TestApp } from '../helpers/app';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, type TestUser } from '../helpers/factories';
import { openSse, type SseStream } from '../helpers/sse';
import { openSocket } from './raw-http';

const MAX = 8;
let t: TestApp;
let admin: TestUser;
let tenants: { id: string }[];

beforeAll(async () => {
  t = await startTestApp({ deps: { sse: { heartbeatMs: 200 } } });
  admin = await makeUser(t, { globalRole: 'admin' });
  tenants = [await makeTenant(t, admin), await makeTenant(t, admin)];
});
afterAll(async () => t?.close());

const eventsPath = (tenantId: string) => `/api/tenants/${tenantId}/events`;

async function member(): Promise<TestUser> {
  const u = await makeUser(t);
  for (const tenant of tenants) await addMember(t, tenant.id, u, 'viewer');
  return u;
}

/** A raw request, to read the refusal's body (the SSE helper does not). */
async function refusal(u: TestUser, tenantId: string) {
  const controller = new AbortController();
  const res = await fetch(t.url + eventsPath(tenantId), {
    headers: { cookie: u.client.cookie ?? '', accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status === 200) {
    // Not refused: a live stream, which would never end.
    controller.abort();
    return { status: 200, retryAfter: null, body: null };
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`event streams per user (${TEST_DIALECT})`, () => {
  it(`holds a user to ${MAX} open streams over all tenants; others are served`, async () => {
    const u = await member();
    const streams: SseStream[] = [];
    for (let i = 0; i < MAX; i++) {
      const s = await openSse(u.client, eventsPath(tenants[i % 2]?.id ?? ''));
      expect(s.status).toBe(200);
      streams.push(s);
    }
    for (const tenant of tenants) {
      const refused = await refusal(u, tenant.id);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('realtime.too_many_streams');
      expect(refused.body.requestId).toEqual(expect.any(String));
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
    // Everyone else is unaffected.
    const other = await member();
    const theirs = await openSse(other.client, eventsPath(tenants[0]?.id ?? ''));
    expect(theirs.status).toBe(200);
    theirs.close();
    // The open streams keep working.
    await streams[0]?.waitFor(() => false, 600).catch(() => undefined);
    expect(streams[0]?.comments).toBeGreaterThan(0);

    // A stream closed gives its place back.
    streams.pop()?.close();
    const before = t.nexus.streams.count();
    await until(() => t.nexus.streams.count() < before, 'the server to see the close');
    const again = await openSse(u.client, eventsPath(tenants[1]?.id ?? ''));
    expect(again.status).toBe(200);
    for (const s of [...streams, again]) s.close();
  });

  it('a stream dropped during its replay gives its place back too', async () => {
    // A hub whose replay takes a while, so the client can leave in the middle of it.
    class SlowReplayHub extends MemoryHub {
      override async replay(tenantId: string, lastId: string) {
        await new Promise((r) => setTimeout(r, 300));
        return super.replay(tenantId, lastId);
      }
    }
    const slow = await startTestApp({ deps: { hub: new SlowReplayHub() } });
    try {
      const u = await makeUser(slow, { globalRole: 'admin' });
      const tenant = await makeTenant(slow, u);
      const { host } = new URL(slow.url);
      for (let i = 0; i < MAX + 2; i++) {
        const socket = await openSocket(slow.url);
        socket.on('error', () => {});
        socket.write(
          `GET ${eventsPath(tenant.id)} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${u.client.cookie}\r\n` +
            'Accept: text/event-stream\r\nLast-Event-ID: 1\r\n\r\n',
        );
        // The status line comes before the replay; leave as soon as it does.
        await new Promise<void>((resolve) => socket.once('data', () => resolve()));
        socket.destroy();
      }
      await until(() => slow.nexus.streams.count() === 0, 'every dropped stream to be let go');
      const streams: SseStream[] = [];
      for (let i = 0; i < MAX; i++) {
        const s = await openSse(u.client, eventsPath(tenant.id));
        expect(s.status).toBe(200);
        streams.push(s);
      }
      for (const s of streams) s.close();
    } finally {
      await slow.close();
    }
  });
});
