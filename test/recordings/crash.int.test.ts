// A recording survives `kill -9` of the instance relaying it (issue 21): after a restart on the
// same data directory the recording is listed as interrupted and plays up to its last sealed
// chunk (at most about a second before the kill). SQLite: one instance, so the restart recovers
// every recording still marked as recording at once (PostgreSQL waits until the file is stale,
// test/recordings/recordings.int.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPveSim } from '../../pve-sim/index';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import type { SimServer } from '../../pve-sim/sim-server';
import { RecordType } from '../../server/src/modules/recordings/recording-format';
import { type ConsoleEnv, openConsoleSocket, registerSimServer } from '../consoles/console-kit';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { type NexusProcess, startNexusProcess } from '../helpers/process';
import { singleNodeScenario } from '../helpers/scenario';
import { fetchData, parseRecords, replay } from './replay';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-rec-crash-'));
const procs: NexusProcess[] = [];
const sim = await startPveSim({ scenario: singleNodeScenario(31, [{ vmid: 100, name: 'web-01' }]) });

afterAll(async () => {
  for (const p of procs) await p.stop('SIGKILL');
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ proc: NexusProcess; api: ApiClient }> {
  const proc = await startNexusProcess(
    { NEXUS_ADMIN_EMAIL: ADMIN.email, NEXUS_ADMIN_PASSWORD: ADMIN.password, NEXUS_RELAY_WORKERS: '0' },
    { dataDir },
  );
  procs.push(proc);
  const api = new ApiClient(proc.url);
  const res = await api.login(ADMIN.email, ADMIN.password);
  if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
  return { proc, api };
}

describe.skipIf(TEST_DIALECT === 'postgres')('recordings after kill -9 (sqlite)', () => {
  it('lists the cut recording as interrupted and plays what was sealed', async () => {
    const first = await start();
    const tenant = (await first.api.post('/api/tenants', { name: 'Crash', slug: 'crash-rec' })).body as { id: string };
    const serverId = await registerSimServer(first.api, tenant.id, sim.servers[0] as SimServer);
    expect((await first.api.put(`/api/tenants/${tenant.id}/settings`, { consoleRecording: 'all' })).status).toBe(200);
    const ticket = await first.api.post(`/api/tenants/${tenant.id}/servers/${serverId}/vms/100/console`);
    expect(ticket.status).toBe(201);
    const env = { t: { url: first.proc.url, origin: first.proc.url } } as unknown as ConsoleEnv;
    const socket = await openConsoleSocket(env, ticket.body.wsPath, first.api);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    await rfb.update(false);
    for (let i = 0; i < 10; i++) {
      rfb.key('a', true);
      rfb.key('a', false);
      await rfb.update(true);
      await new Promise((r) => setTimeout(r, 150));
    }
    // Past the writer's one-second seal, then the instance dies mid-console.
    await new Promise((r) => setTimeout(r, 1_300));
    await first.proc.stop('SIGKILL');
    socket.ws.terminate();

    const second = await start();
    const list = await second.api.get(`/api/tenants/${tenant.id}/recordings`);
    expect(list.status).toBe(200);
    expect(list.body.recordings).toHaveLength(1);
    const rec = list.body.recordings[0];
    expect(rec).toMatchObject({ status: 'interrupted', kind: 'vnc', vmid: 100 });
    expect(rec.durationMs).toBeGreaterThan(1_000);
    const data = await fetchData(second.proc.url, second.api, `/api/tenants/${tenant.id}/recordings/${rec.id}/data`);
    expect(data.status).toBe(200);
    const records = parseRecords(data.body);
    expect(records.filter((r) => r.type === RecordType.Key).length).toBeGreaterThan(0);
    const replayed = await replay(records);
    expect(replayed.desktopName).toBe('web-01');
    expect(replayed.updates).toBeGreaterThan(1);
  }, 90_000);
});
