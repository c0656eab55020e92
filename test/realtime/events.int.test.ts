// The tenant event stream (SSE) and the notification center.

import type { TenantEvent } from '@common/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/lib/ids';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { openSse } from '../helpers/sse';

let t: TestApp;
let root: TestUser;
let tenantId: string;
let serverId: string;

beforeAll(async () => {
  t = await startTestApp({ deps: { sse: { heartbeatMs: 200, recheckMs: 300 } } });
  root = await makeUser(t, { globalRole: 'admin' });
  tenantId = (await makeTenant(t, root)).id;
  serverId = newId();
});
afterAll(async () => t?.close());

async function member(role: 'admin' | 'manager' | 'viewer', tenant = tenantId) {
  const u = await makeUser(t, { login: false });
  await addMember(t, tenant, u, role);
  await u.client.login(u.email, PASSWORD);
  return u;
}

const at = () => new Date().toISOString();
const statusChange = (to: 'offline' | 'online', from: 'online' | 'offline', sid = serverId): TenantEvent => ({
  type: 'server.status_changed',
  tenantId,
  at: at(),
  serverId: sid,
  name: 'pve-a',
  from,
  to,
  error: to === 'offline' ? 'connection refused' : null,
});

describe(`event stream (${TEST_DIALECT})`, () => {
  it('delivers the tenant’s events with ids and heartbeats', async () => {
    const viewer = await member('viewer');
    const stream = await openSse(viewer.client, `/api/tenants/${tenantId}/events`);
    expect(stream.status).toBe(200);
    await t.nexus.hub.publishTenant(statusChange('offline', 'online'));
    const e = await stream.waitFor((x) => x.event === 'server.status_changed');
    expect(e.data).toMatchObject({ serverId, to: 'offline' });
    expect(e.id).toMatch(/^\d+$/);
    await new Promise((r) => setTimeout(r, 500));
    expect(stream.comments).toBeGreaterThan(0);
    stream.close();
  });

  it('is refused to other tenants’ members exactly like a missing tenant', async () => {
    const otherTenant = (await makeTenant(t, root)).id;
    const outsider = await member('admin', otherTenant);
    const a = await openSse(outsider.client, `/api/tenants/${tenantId}/events`);
    const b = await openSse(outsider.client, `/api/tenants/${newId()}/events`);
    expect(a.status).toBe(404);
    expect(b.status).toBe(404);
  });

  it('resumes after Last-Event-ID', async () => {
    const viewer = await member('viewer');
    const first = await openSse(viewer.client, `/api/tenants/${tenantId}/events`);
    await t.nexus.hub.publishTenant({ type: 'tenant.updated', tenantId, at: at() });
    const seen = await first.waitFor((x) => x.event === 'tenant.updated');
    first.close();
    await t.nexus.hub.publishTenant({ type: 'server.deleted', tenantId, at: at(), serverId: 'missed-1' });
    await t.nexus.hub.publishTenant({ type: 'server.deleted', tenantId, at: at(), serverId: 'missed-2' });
    const again = await openSse(viewer.client, `/api/tenants/${tenantId}/events`, { 'last-event-id': seen.id ?? '' });
    await again.waitFor((x) => x.data?.serverId === 'missed-2');
    expect(again.events.filter((x) => x.event === 'server.deleted').map((x) => x.data.serverId)).toEqual([
      'missed-1',
      'missed-2',
    ]);
    again.close();
    const old = await openSse(viewer.client, `/api/tenants/${tenantId}/events`, { 'last-event-id': '999999999' });
    await old.waitFor((x) => x.event === 'resync');
    old.close();
  });

  it('ends when the member is removed, and on logout', async () => {
    const admin = await member('admin');
    const viewer = await member('viewer');
    const stream = await openSse(viewer.client, `/api/tenants/${tenantId}/events`);
    await admin.client.delete(`/api/tenants/${tenantId}/members/${viewer.id}`);
    await stream.waitFor((x) => x.event === 'revoked');
    await stream.ended;

    const other = await member('viewer');
    const s2 = await openSse(other.client, `/api/tenants/${tenantId}/events`);
    await other.client.post('/api/auth/logout');
    await s2.waitFor((x) => x.event === 'revoked');
    await s2.ended;
  });

  it('ends when that session is signed out from the security page (another browser), within 5 s', async () => {
    const viewer = await member('viewer');
    const laptop = new ApiClient(t.url);
    expect((await laptop.login(viewer.email, PASSWORD)).status).toBe(200);
    const stream = await openSse(laptop, `/api/tenants/${tenantId}/events`);
    const sessions = await viewer.client.get('/api/account/sessions');
    const other = sessions.body.sessions.find((s: { current: boolean }) => !s.current);
    const started = Date.now();
    expect((await viewer.client.delete(`/api/account/sessions/${other.id}`)).body).toEqual({ revoked: 1 });
    await stream.waitFor((x) => x.event === 'revoked');
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(5000);
    // The browser that signed it out keeps its own stream.
    const mine = await openSse(viewer.client, `/api/tenants/${tenantId}/events`);
    expect((await viewer.client.get('/api/auth/me')).status).toBe(200);
    mine.close();
  });

  it('ends at the next re-check when its session or API token is gone without a revocation event', async () => {
    // What another instance's housekeeping or an operator does to the database: no event comes.
    const viewer = await member('viewer');
    const stream = await openSse(viewer.client, `/api/tenants/${tenantId}/events`);
    await t.database.db.deleteFrom('sessions').where('user_id', '=', viewer.id).execute();
    const revoked = await stream.waitFor((x) => x.event === 'revoked');
    expect(revoked.data).toEqual({ reason: 'session ended' });
    await stream.ended;

    await viewer.client.login(viewer.email, PASSWORD);
    const token = await viewer.client.post('/api/auth/tokens', { name: 'sse', scopes: ['read'] });
    const tokenClient = new ApiClient(t.url);
    tokenClient.bearer = token.body.token;
    const s2 = await openSse(tokenClient, `/api/tenants/${tenantId}/events`);
    await t.database.db.deleteFrom('api_tokens').where('id', '=', token.body.id).execute();
    await s2.waitFor((x) => x.event === 'revoked');
    await s2.ended;
  });

  it('shows restricted members only events about their guests', async () => {
    const admin = await member('admin');
    const restricted = await member('viewer');
    const now = Date.now();
    const assigned = newId();
    await t.database.db
      .insertInto('proxmox_servers')
      .values({
        id: assigned,
        tenant_id: tenantId,
        name: 'a',
        host: '127.0.0.1',
        port: 9,
        token_id: 'x@pam!y',
        token_secret_encrypted: 'x',
        tls_mode: 'insecure',
        connection_timeout_ms: 1000,
        is_active: 1,
        connection_status: 'unknown',
        consecutive_failures: 0,
        use_tailscale: 0,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
    await admin.client.put(`/api/tenants/${tenantId}/members/${restricted.id}/assignments`, {
      assignments: [{ serverId: assigned, vmid: 101, permissions: ['view'] }],
    });
    const stream = await openSse(restricted.client, `/api/tenants/${tenantId}/events`);
    const vmEvent = (vmid: number, sid: string): TenantEvent => ({
      type: 'vm.status',
      tenantId,
      at: at(),
      serverId: sid,
      vmid,
      status: 'running',
    });
    await t.nexus.hub.publishTenant(vmEvent(999, assigned));
    await t.nexus.hub.publishTenant(vmEvent(101, serverId));
    await t.nexus.hub.publishTenant(statusChange('offline', 'online', serverId));
    await t.nexus.hub.publishTenant(vmEvent(101, assigned));
    await t.nexus.hub.publishTenant(statusChange('offline', 'online', assigned));
    await stream.waitFor((x) => x.event === 'server.status_changed');
    const seen = stream.events
      .filter((x) => x.event !== 'notification.created')
      .map((x) => `${x.event}:${x.data.serverId}:${x.data.vmid ?? ''}`);
    expect(seen).toEqual([`vm.status:${assigned}:101`, `server.status_changed:${assigned}:`]);
    stream.close();
  });
});

describe(`notifications (${TEST_DIALECT})`, () => {
  it('records what the tenant’s settings choose, hides one’s own actions, tracks read state', async () => {
    const tenant = (await makeTenant(t, root)).id;
    const admin = await member('admin', tenant);
    const manager = await member('manager', tenant);
    const publish = (e: TenantEvent) => t.nexus.hub.publishTenant(e);
    await publish({ ...statusChange('offline', 'online'), tenantId: tenant });
    await publish({ ...statusChange('online', 'offline'), tenantId: tenant });
    await publish({
      type: 'vm.action',
      tenantId: tenant,
      at: at(),
      serverId,
      vmid: 100,
      action: 'stop',
      upid: 'UPID:x',
      actorUserId: manager.id,
    });
    await admin.client.put(`/api/tenants/${tenant}/settings`, { notifications: { memberChanges: false } });
    await publish({ type: 'member.changed', tenantId: tenant, at: at(), userId: manager.id, role: 'viewer' });

    const forAdmin = await admin.client.get(`/api/tenants/${tenant}/notifications`);
    expect(forAdmin.status).toBe(200);
    expect(forAdmin.body.notifications.map((n: { kind: string }) => n.kind)).toEqual([
      'vm.action',
      'server.online',
      'server.offline',
    ]);
    expect(forAdmin.body.unreadCount).toBe(3);
    const forManager = await manager.client.get(`/api/tenants/${tenant}/notifications`);
    expect(forManager.body.notifications.map((n: { kind: string }) => n.kind)).toEqual([
      'server.online',
      'server.offline',
    ]);

    const first = forAdmin.body.notifications[0].id;
    const marked = await admin.client.post(`/api/tenants/${tenant}/notifications/read`, { ids: [first] });
    expect(marked.body).toEqual({ ok: true, unreadCount: 2 });
    const unread = await admin.client.get(`/api/tenants/${tenant}/notifications?unread=1`);
    expect(unread.body.notifications).toHaveLength(2);
    expect((await admin.client.post(`/api/tenants/${tenant}/notifications/read`, { all: true })).body.unreadCount).toBe(
      0,
    );
    expect((await manager.client.get(`/api/tenants/${tenant}/notifications`)).body.unreadCount).toBe(2);
    expect((await admin.client.post(`/api/tenants/${tenant}/notifications/read`, {})).status).toBe(400);
  });

  it('alerts on every status that needs a human — certificate, token, address, offline — once each, and back (issue 16)', async () => {
    const tenant = (await makeTenant(t, root)).id;
    const admin = await member('admin', tenant);
    const sid = newId();
    const other = newId();
    const change = (from: string, to: string, server = sid): TenantEvent =>
      ({ ...statusChange('offline', 'online', server), tenantId: tenant, from, to, error: `now ${to}` }) as TenantEvent;
    for (const [from, to, server] of [
      ['unknown', 'online', sid], // first contact: no news
      ['online', 'degraded', sid], // slow: no human needed
      ['degraded', 'tls_error', sid],
      ['tls_error', 'tls_error', sid],
      ['tls_error', 'offline', sid],
      ['offline', 'tls_error', sid], // flapping between two alerts: each once
      ['tls_error', 'online', sid],
      ['online', 'auth_error', sid],
      ['auth_error', 'auth_error', sid],
      ['auth_error', 'online', sid],
      ['online', 'refused', other],
      ['refused', 'online', other],
      ['online', 'online', other],
    ] as const) {
      await t.nexus.hub.publishTenant(change(from, to, server));
    }
    const list = await admin.client.get(`/api/tenants/${tenant}/notifications?limit=50`);
    expect(list.status).toBe(200);
    const seen = list.body.notifications
      .map(
        (n: { kind: string; payload: { serverId: string } }) => `${n.payload.serverId === sid ? 'a' : 'b'}:${n.kind}`,
      )
      .reverse();
    expect(seen).toEqual([
      'a:server.tls_error',
      'a:server.offline',
      'a:server.online',
      'a:server.auth_error',
      'a:server.online',
      'b:server.refused',
      'b:server.online',
    ]);
    const tls = list.body.notifications.find((n: { kind: string }) => n.kind === 'server.tls_error');
    expect(tls.payload).toMatchObject({ serverId: sid, status: 'tls_error', error: 'now tls_error' });
  });

  it('announces new notifications on the stream', async () => {
    const viewer = await member('viewer');
    const stream = await openSse(viewer.client, `/api/tenants/${tenantId}/events`);
    // A server of its own: an earlier test left this tenant's server offline (no repeat alert).
    await t.nexus.hub.publishTenant(statusChange('offline', 'online', newId()));
    const n = await stream.waitFor((x) => x.event === 'notification.created');
    expect(n.data.kind).toBe('server.offline');
    stream.close();
  });
});
