// Console recordings (issue 21, DESIGN.md §9 "Recordings") against pve-sim: a recorded console
// replays to the picture the browser saw, from the start and from a keyframe; the file holds no
// plaintext RFB; a crash leaves a playable recording; storage refusal, retention, terminals and
// who may see, play and delete what.
import crypto, { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import { RecordType } from '../../server/src/modules/recordings/recording-format';
import {
  type ConsoleEnv,
  member,
  openConsole,
  openConsoleSocket,
  startConsoleEnv,
  waitUntil,
} from '../consoles/console-kit';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import type { TestUser } from '../helpers/factories';
import { singleNodeScenario } from '../helpers/scenario';
import { fetchData, parseRecords, replay } from './replay';

let env: ConsoleEnv;
let alice: TestUser;
let bob: TestUser;
let viewer: TestUser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-recordings-'));

const SCENARIO = singleNodeScenario(21, [
  { vmid: 100, name: 'web-01' },
  { vmid: 101, name: 'ct-01', type: 'lxc' },
]);

const base = () => `/api/tenants/${env.tenantId}/recordings`;
const db = () => env.t.database.db;
const hash = (fb: Uint32Array) =>
  createHash('sha256')
    .update(Buffer.from(fb.buffer, fb.byteOffset, fb.byteLength))
    .digest('hex');

beforeAll(async () => {
  env = await startConsoleEnv({ sim: { scenario: SCENARIO }, app: { env: { NEXUS_RECORDINGS_DIR: dir } } });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
  alice = await member(env, 'manager');
  bob = await member(env, 'manager');
  viewer = await member(env, 'viewer');
  const res = await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { consoleRecording: 'all' });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await env?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A recorded console session: a full picture, some typing, incremental updates; closed cleanly.
 * Returns the live browser's final picture and the recording's row. */
async function recordedSession(
  user: TestUser,
  opts: { typing?: string; updates?: number; during?: () => Promise<void> } = {},
) {
  const c = await openConsole(env, user.client, 100);
  expect(c.ticket).toMatchObject({ recorded: true });
  await c.rfb.update(false);
  for (const ch of opts.typing ?? 'hello') {
    c.rfb.key(ch, true);
    c.rfb.key(ch, false);
    await c.rfb.update(true);
  }
  for (let i = 0; i < (opts.updates ?? 2); i++) await c.rfb.update(true);
  await opts.during?.();
  const live = hash(c.rfb.framebuffer);
  const consoleId = (
    await db()
      .selectFrom('console_sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
  ).id;
  c.rfb.close();
  await c.socket.closed;
  await waitUntil(
    async () =>
      (
        await db()
          .selectFrom('console_recordings')
          .select('status')
          .where('console_id', '=', consoleId)
          .executeTakeFirst()
      )?.status === 'complete',
    5000,
    'the recording to be complete',
  );
  const row = await db()
    .selectFrom('console_recordings')
    .selectAll()
    .where('console_id', '=', consoleId)
    .executeTakeFirstOrThrow();
  return { live, row, consoleId, rfb: c.rfb };
}

describe(`console recordings (${TEST_DIALECT})`, () => {
  it('replays a recorded console to the same picture; the audit log links the console to it', async () => {
    const { live, row, consoleId } = await recordedSession(alice, { typing: 'nexus' });
    expect(row).toMatchObject({ kind: 'vnc', user_id: alice.id, server_id: env.serverId, vmid: 100 });
    expect(Number(row.bytes)).toBeGreaterThan(0);

    const list = await alice.client.get(base());
    expect(list.status).toBe(200);
    expect(list.body.recordings.map((r: { id: string }) => r.id)).toContain(row.id);

    const data = await fetchData(env.t.url, alice.client, `${base()}/${row.id}/data`);
    expect(data.status).toBe(200);
    expect(data.headers.get('cache-control')).toBe('no-store');
    const records = parseRecords(data.body);
    const replayed = await replay(records);
    expect(hash(replayed.framebuffer)).toBe(live);
    expect(replayed.desktopName).toBe('web-01');
    // Keys are masked by default (recordingMaskKeys): pressed, but not which.
    const keys = records.filter((r) => r.type === RecordType.Key);
    expect(keys.length).toBe(10);
    expect(keys.every((k) => k.payload.readUInt32BE(1) === 0)).toBe(true);

    const detail = await alice.client.get(`${base()}/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.input.some((m: { keys: boolean }) => m.keys)).toBe(true);
    expect(detail.body.events.map((e: { action: string }) => e.action)).toContain('console.opened');

    const audit = await db()
      .selectFrom('audit_logs')
      .select(['action', 'details'])
      .where('target_id', '=', consoleId)
      .execute();
    const opened = audit.find((a) => a.action === 'console.opened');
    const closed = audit.find((a) => a.action === 'console.closed');
    expect(JSON.parse(opened?.details ?? '{}').recordingId).toBe(row.id);
    expect(JSON.parse(closed?.details ?? '{}').recordingId).toBe(row.id);
  });

  it('seeks: a keyframe chunk replays alone to the final picture; keys are kept when the tenant says so', async () => {
    const recordings = env.t.nexus.services.recordings;
    recordings.tuning.keyframeEveryMs = 150;
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { recordingMaskKeys: false });
    try {
      const c = await openConsole(env, alice.client, 100);
      await c.rfb.update(false);
      // Updates for a while, so that keyframes are asked for and cut.
      const until = Date.now() + 900;
      let typed = 0;
      while (Date.now() < until) {
        c.rfb.key('x', true);
        c.rfb.key('x', false);
        typed++;
        await c.rfb.update(true);
        await new Promise((r) => setTimeout(r, 30));
      }
      const live = hash(c.rfb.framebuffer);
      c.rfb.close();
      await c.socket.closed;
      const row = await waitForRecording(alice.id);
      const detail = await alice.client.get(`${base()}/${row.id}`);
      const keyframes: number[] = detail.body.keyframesMs;
      expect(keyframes.length).toBeGreaterThanOrEqual(2);
      const last = keyframes.at(-1) as number;
      const from = await fetchData(env.t.url, alice.client, `${base()}/${row.id}/data?from=${last + 1}`);
      const records = parseRecords(from.body);
      expect(records[0]?.type).toBe(RecordType.State);
      expect(records[0]?.atMs).toBeGreaterThanOrEqual(last);
      expect(hash((await replay(records)).framebuffer)).toBe(live);
      // The whole stream is longer than the part from the last keyframe.
      const whole = await fetchData(env.t.url, alice.client, `${base()}/${row.id}/data`);
      expect(whole.body.length).toBeGreaterThan(from.body.length);
      // In windows: the first part up to 300 ms, then on from the chunk it names, is the whole.
      const head = await fetchData(env.t.url, alice.client, `${base()}/${row.id}/data?to=300`);
      const next = head.headers.get('x-recording-next-chunk');
      expect(Number(next)).toBeGreaterThan(0);
      const rest = await fetchData(env.t.url, alice.client, `${base()}/${row.id}/data?chunk=${next}`);
      expect(rest.headers.get('x-recording-next-chunk')).toBeNull();
      expect(Buffer.concat([head.body, rest.body]).equals(whole.body)).toBe(true);
      const keys = parseRecords(whole.body).filter((r) => r.type === RecordType.Key);
      expect(keys.length).toBe(typed * 2);
      expect(keys[0]?.payload.readUInt32BE(1)).toBe('x'.charCodeAt(0));
    } finally {
      recordings.tuning.keyframeEveryMs = 10_000;
      await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { recordingMaskKeys: true });
    }
  });

  it('holds no plaintext: neither the desktop name nor pixels nor RFB messages are in the file', async () => {
    const { row, rfb } = await recordedSession(bob);
    const file = fs.readFileSync(path.join(dir, row.file));
    expect(file.subarray(0, 6).toString('latin1')).toBe('NXREC\0');
    expect(file.includes(Buffer.from('web-01'))).toBe(false);
    // A run of the picture's pixels as the server sent them (Raw, 32 bits per pixel).
    const pixels = Buffer.from(rfb.framebuffer.buffer).subarray(4 * 200 * rfb.width, 4 * 200 * rfb.width + 64);
    expect(file.includes(pixels)).toBe(false);
    // A FramebufferUpdate header (type 0, padding, one or more rectangles) does not show either.
    expect(file.includes(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]))).toBe(false);
  });

  it('a crash leaves a playable recording: the last whole chunk is the end', async () => {
    const { row } = await recordedSession(bob, { updates: 3 });
    // As a killed instance leaves it: still marked as recording, the last chunk half-written.
    const file = path.join(dir, row.file);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, bytes.length - 10), Buffer.from('garbage')]));
    await db()
      .updateTable('console_recordings')
      .set({ status: 'recording', ended_at: null })
      .where('id', '=', row.id)
      .execute();
    expect((await bob.client.get(base())).body.recordings.map((r: { id: string }) => r.id)).not.toContain(row.id);
    const past = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(file, past, past);
    expect(await env.t.nexus.services.recordings.recoverStale(60_000)).toBe(1);
    const listed = (await bob.client.get(base())).body.recordings.find((r: { id: string }) => r.id === row.id);
    expect(listed).toMatchObject({ status: 'interrupted' });
    const data = await fetchData(env.t.url, bob.client, `${base()}/${row.id}/data`);
    expect(data.status).toBe(200);
    const records = parseRecords(data.body);
    expect(records.some((r) => r.type === RecordType.Server)).toBe(true);
    // Replays without error up to where it was cut.
    await replay(records);
  });

  it('members see and play only their own; only tenant and global admins delete (audited, file gone)', async () => {
    const { row } = await recordedSession(alice);
    // Bob (another manager) and a viewer: not found, as if it did not exist.
    expect((await bob.client.get(`${base()}/${row.id}`)).status).toBe(404);
    expect((await fetchData(env.t.url, bob.client, `${base()}/${row.id}/data`)).status).toBe(404);
    expect((await bob.client.get(base())).body.recordings.map((r: { id: string }) => r.id)).not.toContain(row.id);
    expect((await viewer.client.get(`${base()}/${row.id}`)).status).toBe(404);
    // Alice plays her own but may not delete it.
    expect((await alice.client.get(`${base()}/${row.id}`)).body.can).toEqual({ delete: false });
    expect((await alice.client.delete(`${base()}/${row.id}`)).status).toBe(403);
    // The tenant admin (here the global admin who made the tenant) sees everyone's and deletes.
    const all = await env.admin.client.get(base());
    expect(all.body.recordings.map((r: { userId: string }) => r.userId)).toEqual(
      expect.arrayContaining([alice.id, bob.id]),
    );
    const stats = await env.admin.client.get(`/api/tenants/${env.tenantId}/stats`);
    expect(stats.body.recordings.bytes).toBeGreaterThan(0);
    expect((await alice.client.get(`/api/tenants/${env.tenantId}/stats`)).body.recordings).toBeNull();
    const del = await env.admin.client.delete(`${base()}/${row.id}`);
    expect(del.status).toBe(200);
    expect(fs.existsSync(path.join(dir, row.file))).toBe(false);
    expect((await env.admin.client.get(`${base()}/${row.id}`)).status).toBe(404);
    const audit = await db()
      .selectFrom('audit_logs')
      .selectAll()
      .where('action', '=', 'recording.deleted')
      .where('target_id', '=', row.id)
      .execute();
    expect(audit).toHaveLength(1);
    const metrics = await env.admin.client.get('/metrics');
    expect(metrics.text).toMatch(new RegExp(`nexus_recording_bytes\\{tenant="${env.tenantId}"\\} \\d+`));
  });

  it('a member replays their own only while they may open that console: a guest taken away takes its recordings', async () => {
    const carol = await member(env, 'manager');
    const assign = (permissions: string[]) =>
      env.admin.client.put(`/api/tenants/${env.tenantId}/members/${carol.id}/assignments`, {
        assignments: [{ serverId: env.serverId, vmid: 100, permissions }],
      });
    expect((await assign(['view', 'console'])).status).toBe(200);
    const { row } = await recordedSession(carol);
    const listed = async () => (await carol.client.get(base())).body.recordings.map((r: { id: string }) => r.id);
    expect(await listed()).toContain(row.id);
    expect((await carol.client.get(`${base()}/${row.id}`)).status).toBe(200);
    // A newer one of hers of a guest she may not open (101) is left out, and a page of one still
    // finds the one she may replay behind it.
    const hiddenId = crypto.randomUUID();
    await db()
      .insertInto('console_recordings')
      .values({ ...row, id: hiddenId, console_id: null, vmid: 101, started_at: row.started_at + 1 })
      .execute();
    const page = await carol.client.get(`${base()}?limit=1`);
    expect(page.body.recordings.map((r: { id: string }) => r.id)).toEqual([row.id]);
    expect((await carol.client.get(`${base()}/${hiddenId}`)).status).toBe(404);

    // The console taken away (the guest still visible): the recording goes with it, everywhere.
    expect((await assign(['view'])).status).toBe(200);
    expect(await listed()).not.toContain(row.id);
    expect((await carol.client.get(`${base()}/${row.id}`)).status).toBe(404);
    expect((await fetchData(env.t.url, carol.client, `${base()}/${row.id}/data`)).status).toBe(404);
    // Given back: there again; the tenant admin saw it all along.
    expect((await assign(['view', 'console'])).status).toBe(200);
    expect((await carol.client.get(`${base()}/${row.id}`)).status).toBe(200);
    expect((await env.admin.client.get(`${base()}/${row.id}`)).status).toBe(200);
    await db().deleteFrom('console_recordings').where('id', '=', hiddenId).execute();
  });

  it('the timeline shows the audit events the caller could read: a viewer their own, admins everyone’s', async () => {
    const { row } = await recordedSession(viewer, {
      typing: '',
      during: async () => {
        const other = await openConsole(env, alice.client, 100);
        other.rfb.close();
        await other.socket.closed;
      },
    });
    const events = async (u: { client: ApiClient }) => {
      const res = await u.client.get(`${base()}/${row.id}`);
      expect(res.status).toBe(200);
      return (res.body.events as { action: string; actorEmail: string | null }[]).map(
        (e) => `${e.action} ${e.actorEmail}`,
      );
    };
    const asAdmin = await events(env.admin);
    expect(asAdmin).toEqual(
      expect.arrayContaining([`console.opened ${viewer.email}`, `console.opened ${alice.email}`]),
    );
    const asViewer = await events(viewer);
    expect(asViewer).toContain(`console.opened ${viewer.email}`);
    expect(asViewer.filter((e) => e.includes(alice.email))).toEqual([]);
  });

  it('retention deletes recordings older than recordingRetentionDays (files too)', async () => {
    const { row } = await recordedSession(bob);
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { recordingRetentionDays: 7 });
    const eightDaysAgo = Date.now() - 8 * 86_400_000;
    await db().updateTable('console_recordings').set({ started_at: eightDaysAgo }).where('id', '=', row.id).execute();
    const removed = await env.t.nexus.services.recordings.enforceRetention();
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(
      await db().selectFrom('console_recordings').select('id').where('id', '=', row.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(fs.existsSync(path.join(dir, row.file))).toBe(false);
    const audit = await db()
      .selectFrom('audit_logs')
      .select('action')
      .where('action', '=', 'recording.expired')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('storage too full: the console still opens, the recording is marked failed and audited', async () => {
    env.t.config.recordings.minFreeBytes = Number.MAX_SAFE_INTEGER;
    try {
      const c = await openConsole(env, bob.client, 100);
      await c.rfb.update(false);
      c.rfb.close();
      await c.socket.closed;
      const row = await db()
        .selectFrom('console_recordings')
        .selectAll()
        .where('user_id', '=', bob.id)
        .orderBy('started_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', error: 'recording storage is full' });
      const audit = await db()
        .selectFrom('audit_logs')
        .selectAll()
        .where('action', '=', 'recording.failed')
        .where('target_id', '=', row.id)
        .execute();
      expect(audit).toHaveLength(1);
    } finally {
      env.t.config.recordings.minFreeBytes = 0;
    }
  });

  it('records share-link consoles in the creator’s name; a global admin can force recording, a tenant admin cannot lift it', async () => {
    const created = await alice.client.post(`/api/tenants/${env.tenantId}/servers/${env.serverId}/vms/100/shares`, {
      mode: 'view',
    });
    expect(created.status, created.text).toBe(201);
    const token = String(created.body.url).slice(String(created.body.url).lastIndexOf('/') + 1);
    const stranger = new ApiClient(env.t.url);
    const ticket = await stranger.post(`/api/shares/${token}/console`, {});
    expect(ticket.status).toBe(201);
    expect(ticket.body.recorded).toBe(true);
    const socket = await openConsoleSocket(env, ticket.body.wsPath, null);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    await rfb.update(false);
    rfb.close();
    await socket.closed;
    let row: { share_id: string | null; user_id: string | null; status: string } | undefined;
    await waitUntil(async () => {
      row = await db()
        .selectFrom('console_recordings')
        .select(['share_id', 'user_id', 'status'])
        .where('share_id', '=', created.body.id)
        .executeTakeFirst();
      return row?.status === 'complete';
    });
    expect(row).toMatchObject({ share_id: created.body.id, user_id: alice.id });

    // Forced by the operator: recorded although the tenant turned recording off.
    const tenantAdmin = await member(env, 'admin');
    const settings = `/api/tenants/${env.tenantId}/settings`;
    expect((await env.admin.client.put(settings, { consoleRecordingForced: true })).status).toBe(200);
    expect((await tenantAdmin.client.put(settings, { consoleRecording: 'off' })).status).toBe(200);
    const refused = await tenantAdmin.client.put(settings, { consoleRecordingForced: false });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('settings.quota_forbidden');
    try {
      const forced = await openConsole(env, bob.client, 100);
      expect(forced.ticket).toMatchObject({ recorded: true });
      forced.rfb.close();
      await forced.socket.closed;
      await env.admin.client.put(settings, { consoleRecordingForced: false });
      const unrecorded = await openConsole(env, bob.client, 100);
      expect(unrecorded.ticket).toMatchObject({ recorded: false });
      unrecorded.rfb.close();
      await unrecorded.socket.closed;
    } finally {
      await env.admin.client.put(settings, { consoleRecording: 'all', consoleRecordingForced: false });
    }
  });

  it('records a terminal as asciicast v2: output, resizes, and input only when keys are not masked', async () => {
    const res = await alice.client.post(`/api/tenants/${env.tenantId}/servers/${env.serverId}/vms/101/terminal`);
    expect(res.status).toBe(201);
    expect(res.body.recorded).toBe(true);
    const s = await openConsoleSocket(env, res.body.wsPath, alice.client);
    s.ws.send(Buffer.from('1:100:30:'));
    const text = () => Buffer.concat(s.received).toString('utf8');
    await waitUntil(() => /[#$] $/m.test(text()), 5000, 'a prompt');
    s.ws.send(Buffer.from('0:20:echo recorded-shell\r'));
    await waitUntil(() => /\nrecorded-shell\r?\n/.test(text()), 5000, 'the echo');
    s.ws.close(1000);
    await s.closed;
    const row = await waitForRecording(alice.id);
    const data = await fetchData(env.t.url, alice.client, `${base()}/${row.id}/data`);
    expect(data.status).toBe(200);
    expect(data.headers.get('content-type')).toContain('application/x-asciicast');
    const [header, ...events] = data.body
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({ version: 2, width: 100, height: 30 });
    const out = events
      .filter((e) => e[1] === 'o')
      .map((e) => e[2])
      .join('');
    expect(out).toContain('recorded-shell');
    expect(events.some((e) => e[1] === 'r' && e[2] === '100x30')).toBe(true);
    // Keys are masked by default: the input events are there, empty.
    const input = events.filter((e) => e[1] === 'i');
    expect(input.length).toBeGreaterThan(0);
    expect(input.every((e) => e[2] === '')).toBe(true);
    expect(events.every((e, i) => i === 0 || e[0] >= events[i - 1][0])).toBe(true);
  });
});

async function waitForRecording(userId: string) {
  let row: { id: string; status: string } | undefined;
  await waitUntil(async () => {
    row = await db()
      .selectFrom('console_recordings')
      .select(['id', 'status'])
      .where('user_id', '=', userId)
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
    return row?.status === 'complete';
  });
  return row as { id: string; status: string };
}
