// The default server from PROXMOX_HOST/PORT/API_TOKEN: registered once into tenant `default`,
// its certificate pinned on first use; unreachable, it is stored unpinned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from '../../pve-sim/index';
import { startTestApp, type TestApp } from '../helpers/app';
import { TEST_DIALECT } from '../helpers/db';
import { makeUser } from '../helpers/factories';
import { tokenOf } from './server-kit';

let sim: PveSim;
let t: TestApp;

beforeAll(async () => {
  sim = await startPveSim({ servers: 1, vms: 1, authFailDelayMs: 20 });
  const s = sim.servers[0];
  if (!s) throw new Error('no sim');
  tokenOf(s);
  t = await startTestApp({
    env: { PROXMOX_HOST: s.host, PROXMOX_PORT: String(s.port), PROXMOX_API_TOKEN: s.token },
  });
});
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

describe(`servers: default server (${TEST_DIALECT})`, () => {
  it('registers PROXMOX_HOST in tenant "default", pinned on first use, once', async () => {
    const s = sim.servers[0];
    const servers = t.nexus.services.serverBootstrap;
    const id = await servers.ensureDefaultServer(t.config.defaultServer);
    expect(id).toBeTruthy();
    expect(await servers.ensureDefaultServer(t.config.defaultServer)).toBeNull();
    const admin = await makeUser(t, { globalRole: 'admin' });
    const tenant = (await admin.client.get('/api/tenants')).body.tenants.find((x: any) => x.slug === 'default');
    expect(tenant).toBeTruthy();
    const list = (await admin.client.get(`/api/tenants/${tenant.id}/servers`)).body.servers;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id,
      host: '127.0.0.1',
      port: s?.port,
      tlsMode: 'pinned',
      tlsFingerprint: s?.fingerprint,
    });
    const test = await admin.client.post(`/api/tenants/${tenant.id}/servers/${id}/test`);
    expect(test.body.ok).toBe(true);
    const audit = await admin.client.get(`/api/tenants/${tenant.id}/audit?action=server.created`);
    expect(audit.body.events[0].details).toMatchObject({ source: 'PROXMOX_HOST', pinnedOnFirstUse: true });
  });

  it('stores an unreachable default server unpinned: it shows tls_error until pinned', async () => {
    const servers = t.nexus.services.serverBootstrap;
    const id = await servers.ensureDefaultServer({ host: '127.0.0.1', port: 1, apiToken: sim.servers[0]?.token ?? '' });
    expect(id).toBeTruthy();
    const admin = await makeUser(t, { globalRole: 'admin' });
    const tenant = (await admin.client.get('/api/tenants')).body.tenants.find((x: any) => x.slug === 'default');
    const server = (await admin.client.get(`/api/tenants/${tenant.id}/servers/${id}`)).body;
    expect(server).toMatchObject({ tlsMode: 'pinned', tlsFingerprint: null, port: 1 });
  });
});
