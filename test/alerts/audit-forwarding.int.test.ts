// Audit rows forwarded to a SIEM: a loopback RFC 5424 listener (octet-counted frames over TCP,
// and over TLS with its own CA) gets every row in order; a listener down across a Nexus restart
// gets the rest afterwards, none twice; a signed webhook sink; global admins only; the secret
// never comes back; the egress policy applies.
import net from 'node:net';
import tls from 'node:tls';
import { parseTargetList } from '@common/egress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterCa, createNodeCert } from '../../pve-sim/http/tls-certs';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { registerSecret } from '../helpers/secrets';
import { startWebhookSink, type WebhookSink } from '../helpers/webhook-sink';

const SECRET = 'whsec-siem-0123456789abcdef';
registerSecret(SECRET, 'audit webhook secret');

interface SyslogListener {
  port: number;
  frames: string[];
  close(): Promise<void>;
}

/** Reads RFC 6587 octet-counted frames: `<length> <message>`. */
async function startSyslog(opts: { tls?: { key: string; cert: string }; port?: number } = {}): Promise<SyslogListener> {
  const frames: string[] = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (s: net.Socket) => {
    sockets.add(s);
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const space = buf.indexOf(0x20);
        if (space < 0) break;
        const len = Number(buf.subarray(0, space).toString());
        if (buf.length < space + 1 + len) break;
        frames.push(buf.subarray(space + 1, space + 1 + len).toString('utf8'));
        buf = buf.subarray(space + 1 + len);
      }
    });
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };
  const server = opts.tls ? tls.createServer(opts.tls, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    frames,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const seqOf = (frame: string) => Number(/ seq="(\d+)"/.exec(frame)?.[1]);

let testDb: TestDatabase;
let t: TestApp;
let root: TestUser;
const apps: TestApp[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  t = await startTestApp({ testDb });
  apps.push(t);
  root = await makeUser(t, { globalRole: 'admin' });
});
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => {});
  await testDb?.drop();
});

async function until(check: () => boolean | Promise<boolean>, app: TestApp, what: string) {
  for (let i = 0; i < 100; i++) {
    await app.nexus.services.auditForwarder.tick();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

const lastSeq = async (app: TestApp) =>
  Number(
    (await app.database.db.selectFrom('audit_logs').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst())
      ?.seq,
  );

describe(`audit forwarding (${TEST_DIALECT})`, () => {
  it('is for global admins only; a webhook secret never comes back and a new URL needs it again', async () => {
    const tenantAdmin = await makeUser(t, { login: true });
    expect((await tenantAdmin.client.get('/api/admin/audit-forwarding')).status).toBe(403);
    expect((await tenantAdmin.client.put('/api/admin/audit-forwarding', { syslog: null })).status).toBe(403);
    const set = await root.client.put('/api/admin/audit-forwarding', {
      webhook: { url: 'http://127.0.0.1:9/siem', secret: SECRET, enabled: false },
    });
    expect(set.status).toBe(200);
    expect(set.body.webhook).toMatchObject({ url: 'http://127.0.0.1:9/siem', hasSecret: true, enabled: false });
    expect(set.text).not.toContain(SECRET);
    const moved = await root.client.put('/api/admin/audit-forwarding', {
      webhook: { url: 'http://127.0.0.1:9/other', enabled: false },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('channel.secret_required');
    const bad = await root.client.put('/api/admin/audit-forwarding', { syslog: { url: 'udp://127.0.0.1:514' } });
    expect(bad.status).toBe(400);
    const rows = await t.database.db
      .selectFrom('audit_logs')
      .select('details')
      .where('action', '=', 'audit.forwarding_changed')
      .execute();
    expect(rows.length).toBe(1);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect((await root.client.put('/api/admin/audit-forwarding', { webhook: null })).status).toBe(200);
  });

  it('sends every row in order to syslog over TCP, and resumes after an outage across a restart', async () => {
    const listener = await startSyslog();
    const port = listener.port;
    const res = await root.client.put('/api/admin/audit-forwarding', { syslog: { url: `tcp://127.0.0.1:${port}` } });
    expect(res.status).toBe(200);
    await until(async () => listener.frames.length >= (await lastSeq(t)), t, 'the log forwarded');
    const seqs = listener.frames.map(seqOf);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const first = listener.frames[0] ?? '';
    expect(first).toMatch(/^<10[89]>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ nexus \d+ \S+ \[nexus@32473 seq="1" /);
    expect(JSON.parse(first.slice(first.indexOf('] ') + 2)).seq).toBe(1);

    // Down; rows keep coming; Nexus restarts; back on the same port: the rest, in order, once.
    await listener.close();
    await makeTenant(t, root);
    await t.nexus.services.auditForwarder.tick();
    const view = await root.client.get('/api/admin/audit-forwarding');
    expect(view.body.syslog.status.behind).toBeGreaterThan(0);
    expect(view.body.syslog.status.lastError).toMatch(/ECONNREFUSED|closed|EPIPE|reset/i);
    await t.close();
    apps.splice(apps.indexOf(t), 1);
    t = await startTestApp({ testDb });
    apps.push(t);
    root.client = new ApiClient(t.url);
    expect((await root.client.login(root.email, PASSWORD)).status).toBe(200);
    const back = await startSyslog({ port });
    try {
      await until(
        async () => {
          const all = [...listener.frames, ...back.frames].map(seqOf);
          return all.length > 0 && all.at(-1) === (await lastSeq(t));
        },
        t,
        'the rest forwarded',
      );
      const all = [...listener.frames, ...back.frames].map(seqOf);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(all.map((_, i) => i + 1));
    } finally {
      await back.close();
      await root.client.put('/api/admin/audit-forwarding', { syslog: null });
    }
  });

  it('speaks TLS with a given CA, and a signed webhook; the egress policy applies', async () => {
    const ca = await createClusterCa('siem');
    const id = await createNodeCert(ca, 'siem', '127.0.0.1');
    const listener = await startSyslog({ tls: { key: id.key, cert: id.cert } });
    const hook: WebhookSink = await startWebhookSink(SECRET);
    try {
      const res = await root.client.put('/api/admin/audit-forwarding', {
        syslog: { url: `tls://127.0.0.1:${listener.port}`, caPem: ca.cert },
        webhook: { url: hook.url, secret: SECRET },
      });
      expect(res.status).toBe(200);
      const test = await root.client.post('/api/admin/audit-forwarding/test');
      expect(test.body).toEqual({ syslog: { ok: true, error: null }, webhook: { ok: true, error: null } });
      await until(async () => listener.frames.length >= (await lastSeq(t)), t, 'TLS sink caught up');
      await until(
        async () => hook.hooks.flatMap((h) => h.body?.data?.rows ?? []).length >= (await lastSeq(t)),
        t,
        'webhook caught up',
      );
      const batch = hook.hooks.find((h) => h.body?.event === 'audit.batch');
      expect(batch?.signed).toBe(true);
      // Refused by the egress policy: the status says why, nothing is sent.
      t.config.allowedTargets = parseTargetList('10.0.0.0/8').rules;
      const sent = hook.hooks.length;
      await makeTenant(t, root);
      await t.nexus.services.auditForwarder.tick();
      expect(hook.hooks.length).toBe(sent);
      const view = await root.client.get('/api/admin/audit-forwarding');
      expect(view.body.webhook.status.lastError).toMatch(/egress policy/);
    } finally {
      t.config.allowedTargets = null;
      await listener.close();
      await hook.close();
    }
  });
});
