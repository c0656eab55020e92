// Pinned TLS against pve-sim: a renewed certificate makes the next call fail with tls_error, one
// audit row and realtime events; an admin re-pins explicitly; insecure mode is visible and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { openSse } from '../helpers/sse';
import { eventually, type Kit, registerSim, simAt, startKit } from './server-kit';

let k: Kit;
const base = () => `/api/tenants/${k.tenantId}/servers`;

beforeAll(async () => {
  k = await startKit({
    sim: { servers: 3, vms: 2 },
    app: {
      background: true,
      deps: { servers: { health: { tickMs: 50, intervalMs: 300, backoff: { baseMs: 300, maxMs: 1000 } } } },
    },
  });
});
afterAll(async () => k?.close());

async function auditRows(action: string, serverId: string) {
  const res = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=${action}&limit=100`);
  return (res.body.events as any[]).filter((e) => e.targetId === serverId);
}

const serverStatus = async (id: string) => (await k.viewer.client.get(`${base()}/${id}`)).body.status as string;

describe(`servers: pinned TLS (${TEST_DIALECT})`, () => {
  it('works pinned; a swapped certificate gives tls_error, one audit row and SSE events; re-pinning recovers', async () => {
    const sim = simAt(k, 0);
    const s = await registerSim(k.manager.client, k.tenantId, sim);
    await eventually(async () => (await serverStatus(s.id)) === 'online');

    const stream = await openSse(k.viewer.client, `/api/tenants/${k.tenantId}/events`);
    expect(stream.status).toBe(200);
    const newFingerprint = await sim.swapCertificate();
    expect(newFingerprint).not.toBe(s.tlsFingerprint);

    // The next call of any module fails with the pin mismatch, before any request is sent.
    const requestsBefore = sim.requestLog.length;
    const conn = await k.t.nexus.services.serverDirectory.connect(k.tenantId, s.id);
    await expect(conn.get('/version')).rejects.toMatchObject({ code: 'proxmox.tls_mismatch' });
    expect(sim.requestLog.length).toBe(requestsBefore);

    const changed = await stream.waitFor((e) => e.event === 'server.status_changed' && e.data.serverId === s.id);
    expect(changed.data.to).toBe('tls_error');
    const mismatch = await stream.waitFor((e) => e.event === 'server.tls_mismatch');
    expect(mismatch.data).toMatchObject({ serverId: s.id, expected: s.tlsFingerprint, actual: newFingerprint });
    await eventually(async () => (await serverStatus(s.id)) === 'tls_error');

    // More failing calls and health checks do not repeat the alarm.
    await expect(conn.get('/version')).rejects.toMatchObject({ code: 'proxmox.tls_mismatch' });
    await new Promise((r) => setTimeout(r, 700));
    const rows = await auditRows('server.tls_mismatch', s.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ result: 'failure', actor: 'system' });
    expect(rows[0].details).toMatchObject({ pinned: s.tlsFingerprint, presented: newFingerprint });
    expect(stream.events.filter((e) => e.event === 'server.tls_mismatch')).toHaveLength(1);

    const test = await k.manager.client.post(`${base()}/${s.id}/test`);
    expect(test.body).toMatchObject({ ok: false, pinMatches: false, fingerprint: newFingerprint });
    expect(test.body.diagnosis[0]).toMatch(/re-pin/);

    // Explicit re-pin: probe, confirm, PATCH; audited; the server comes back.
    const probe = await k.manager.client.post(`${base()}/probe`, { host: sim.host, port: sim.port });
    expect(probe.body.fingerprint).toBe(newFingerprint);
    // A new pin needs the token in the same request (issue 14: a credential never follows a changed endpoint).
    const repinned = await k.manager.client.patch(`${base()}/${s.id}`, {
      tlsFingerprint: probe.body.fingerprint,
      apiToken: sim.token,
    });
    expect(repinned.status).toBe(200);
    expect(repinned.body.status).toBe('unknown');
    expect(await auditRows('server.tls_repinned', s.id)).toHaveLength(1);
    await eventually(async () => (await serverStatus(s.id)) === 'online');
    await stream.waitFor(
      (e) => e.event === 'server.status_changed' && e.data.serverId === s.id && e.data.to === 'online',
    );
    stream.close();
  });

  it('finds a swapped certificate by the health scheduler alone', async () => {
    const sim = simAt(k, 1);
    const s = await registerSim(k.manager.client, k.tenantId, sim);
    await eventually(async () => (await serverStatus(s.id)) === 'online');
    await sim.swapCertificate();
    await eventually(async () => (await serverStatus(s.id)) === 'tls_error', 3000);
    expect(await auditRows('server.tls_mismatch', s.id)).toHaveLength(1);
    const server = (await k.viewer.client.get(`${base()}/${s.id}`)).body;
    expect(server.healthCheckError).toMatch(/pinned fingerprint/);
  });

  it('shows and audits insecure mode, which ignores the certificate', async () => {
    const sim = simAt(k, 2);
    sim.setFault({ wrongCert: true });
    try {
      // Only tenant admins may choose insecure (issue 14); a manager may pin it afterwards.
      const s = await registerSim(k.root.client, k.tenantId, sim, { tlsMode: 'insecure', tlsFingerprint: null });
      expect(s.tlsMode).toBe('insecure');
      const listed = (await k.viewer.client.get(base())).body.servers.find((x: any) => x.id === s.id);
      expect(listed.tlsMode).toBe('insecure');
      const created = await auditRows('server.created', s.id);
      expect(created[0].details).toMatchObject({ tlsMode: 'insecure', insecure: true });
      const test = await k.manager.client.post(`${base()}/${s.id}/test`);
      expect(test.body).toMatchObject({ ok: true, pinMatches: null });
      // Pinning the real fingerprint now fails against the impostor certificate.
      await k.manager.client.patch(`${base()}/${s.id}`, { tlsMode: 'pinned', tlsFingerprint: sim.fingerprint });
      expect((await auditRows('server.tls_mode_changed', s.id))[0].details).toMatchObject({
        from: 'insecure',
        to: 'pinned',
      });
      await eventually(async () => (await serverStatus(s.id)) === 'tls_error', 3000);
    } finally {
      sim.clearFaults();
    }
  });
});
