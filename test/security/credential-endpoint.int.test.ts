// Issue 14, finding 2: a stored credential never follows a changed endpoint. A manager who moves
// a server to a listener they control (host, port, Tailscale name) or changes which certificate
// it is trusted by must give the API token again in the same request; without it nothing changes
// and the listener never sees `Authorization: PVEAPIToken=…`. Only tenant admins may choose
// `insecure`. Every such change is audited with before and after, never the secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../pve-sim/index';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { type Kit, registerSim, simAt, startKit, tokenOf } from '../servers/server-kit';
import { type CaptureListener, startCaptureListener } from './capture-listener';

let k: Kit;
let sim: SimServer;
let listener: CaptureListener;
let tenantAdmin: TestUser;
let serverId: string;
/** A token of the manager's own (what they could give the listener anyway). */
const OWN_TOKEN = tokenOf('mallory@pve!mine=0badc0de-0000-4000-8000-000000000001');

const base = () => `/api/tenants/${k.tenantId}/servers`;
const stored = () => tokenOf(sim).secret;
const leaked = () => listener.requests.filter((r) => r.authorization?.includes(stored()));

beforeAll(async () => {
  k = await startKit({ sim: { servers: 1, vms: 2 } });
  sim = simAt(k, 0);
  listener = await startCaptureListener('127.0.0.1');
  tenantAdmin = await makeUser(k.t, { login: false });
  await addMember(k.t, k.tenantId, tenantAdmin, 'admin');
  await tenantAdmin.client.login(tenantAdmin.email, PASSWORD);
  serverId = (await registerSim(tenantAdmin.client, k.tenantId, sim)).id;
});
afterAll(async () => {
  await k?.close();
  await listener?.close();
});

async function row() {
  return (await k.viewer.client.get(`${base()}/${serverId}`)).body;
}

describe(`a credential never follows a changed endpoint (${TEST_DIALECT})`, () => {
  it('refuses to move the server without the token: 400, nothing changed, nothing sent to the listener', async () => {
    const before = await row();
    const attempts: Record<string, unknown>[] = [
      { host: listener.host, port: listener.port, tlsFingerprint: listener.fingerprint },
      { port: listener.port },
      { host: 'localhost' },
      { useTailscale: true, tailscaleHostname: 'localhost' },
      { tlsFingerprint: listener.fingerprint },
      { tlsMode: 'ca', caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' },
    ];
    for (const patch of attempts) {
      const res = await k.manager.client.patch(`${base()}/${serverId}`, patch);
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error.code).toBe('server.token_required');
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'apiToken' })]);
    }
    expect(await row()).toEqual(before);

    // The next test and any other call still go to the registered server, never the listener.
    const test = await k.manager.client.post(`${base()}/${serverId}/test`);
    expect(test.body).toMatchObject({ ok: true });
    expect(listener.connections).toBe(0);
    expect(leaked()).toEqual([]);

    const refused = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=server.update_refused`);
    expect(refused.body.events.length).toBe(attempts.length);
    expect(refused.body.events[0]).toMatchObject({
      actorUserId: k.manager.id,
      result: 'denied',
      details: { reason: 'token_required' },
    });
    expect(JSON.stringify(refused.body)).not.toContain(stored());
  });

  it('lets only tenant admins turn verification off', async () => {
    for (const patch of [{ tlsMode: 'insecure' }, { tlsMode: 'insecure', apiToken: sim.token }]) {
      const res = await k.manager.client.patch(`${base()}/${serverId}`, patch);
      expect(res.status, JSON.stringify(patch)).toBe(403);
      expect(res.body.error.code).toBe('server.insecure_forbidden');
    }
    const create = await k.manager.client.post(base(), {
      name: 'insecure by a manager',
      host: listener.host,
      port: listener.port,
      apiToken: OWN_TOKEN.apiToken,
      tlsMode: 'insecure',
    });
    expect(create.status).toBe(403);
    const csv = `name,host,port,api_token,tls_mode\nx,${listener.host},${listener.port},${OWN_TOKEN.apiToken},insecure\n`;
    const imported = await k.manager.client.post(`${base()}/import`, { csv, dryRun: false });
    expect(imported.status).toBe(403);
    expect(imported.body.error.code).toBe('server.insecure_forbidden');
    expect((await row()).tlsMode).toBe('pinned');
    expect((await k.viewer.client.get(base())).body.servers).toHaveLength(1);
    expect(listener.connections).toBe(0);
  });

  it('with the token given again, verifies the new endpoint before a request carries it', async () => {
    // Moved with a token but still pinned to the sim's certificate: the handshake fails the pin
    // and the listener never gets a request (nor the new token).
    const moved = await k.manager.client.patch(`${base()}/${serverId}`, {
      host: listener.host,
      port: listener.port,
      apiToken: OWN_TOKEN.apiToken,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ host: listener.host, port: listener.port, tokenId: OWN_TOKEN.tokenId });
    const test = await k.manager.client.post(`${base()}/${serverId}/test`);
    expect(test.body).toMatchObject({ ok: false, pinMatches: false });
    expect(listener.requests).toEqual([]);

    // Pinned to the listener and with their own token: only that token reaches it.
    const repinned = await k.manager.client.patch(`${base()}/${serverId}`, {
      tlsFingerprint: listener.fingerprint,
      apiToken: OWN_TOKEN.apiToken,
    });
    expect(repinned.status).toBe(200);
    await k.manager.client.post(`${base()}/${serverId}/test`);
    expect(listener.requests.length).toBeGreaterThan(0);
    expect(listener.requests.every((r) => r.authorization === `PVEAPIToken=${OWN_TOKEN.apiToken}`)).toBe(true);
    expect(leaked()).toEqual([]);
  });

  it('audits the endpoint and trust changes with before and after, without secrets', async () => {
    const audit = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?limit=200`);
    const events = (audit.body.events as any[]).filter((e) => e.targetId === serverId);
    const endpoint = events.find((e) => e.action === 'server.endpoint_changed');
    expect(endpoint).toMatchObject({
      actorUserId: k.manager.id,
      details: {
        from: { host: sim.host, port: sim.port, useTailscale: false },
        to: { host: listener.host, port: listener.port, useTailscale: false },
        tokenReplaced: true,
      },
    });
    const trust = events.find((e) => e.action === 'server.tls_trust_changed');
    expect(trust).toMatchObject({
      details: {
        from: { tlsMode: 'pinned', fingerprint: sim.fingerprint },
        to: { tlsMode: 'pinned', fingerprint: listener.fingerprint },
      },
    });
    expect(JSON.stringify(audit.body)).not.toContain(stored());
    expect(JSON.stringify(audit.body)).not.toContain(OWN_TOKEN.secret);
  });

  it('lets a tenant admin choose insecure, with the token, audited as such', async () => {
    const res = await tenantAdmin.client.patch(`${base()}/${serverId}`, {
      host: sim.host,
      port: sim.port,
      tlsMode: 'insecure',
      apiToken: sim.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.tlsMode).toBe('insecure');
    const audit = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=server.tls_trust_changed`);
    expect(audit.body.events[0]).toMatchObject({
      actorUserId: tenantAdmin.id,
      details: { to: { tlsMode: 'insecure' }, insecure: true },
    });
    // Nothing to weaken any more: a manager may pin it again without the token.
    const pinned = await k.manager.client.patch(`${base()}/${serverId}`, {
      tlsMode: 'pinned',
      tlsFingerprint: sim.fingerprint,
    });
    expect(pinned.status).toBe(200);
  });
});
