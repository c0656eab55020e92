// What happens to an open console when the world around it changes, as on a real server: the
// guest stops (its QEMU and with it the VNC server go away), the guest migrates to another
// node, pveproxy drops every connection, or the network black-holes an established connection
// (silence both ways, no reset) and later heals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import { RfbTestClient } from './rfb/index';
import type { SimServer } from './sim-server';
import { type RawWebSocket, rawUpgrade } from './test-support/raw-websocket';
import { call, waitForTask } from './test-support/sim-client';

let sim: PveSim;
let s: SimServer;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 20,
    taskDurationMs: 40,
    scenario: {
      clusters: [
        {
          name: 'life',
          nodes: [{ name: 'pve1' }, { name: 'pve2' }],
          guests: [
            { vmid: 100, type: 'qemu', node: 'pve1', name: 'stop-me', status: 'running' },
            { vmid: 101, type: 'qemu', node: 'pve1', name: 'shut-me-down', status: 'running' },
            { vmid: 102, type: 'lxc', node: 'pve1', name: 'ct-stop-me', status: 'running' },
            { vmid: 103, type: 'qemu', node: 'pve1', name: 'move-me', status: 'running' },
            { vmid: 104, type: 'qemu', node: 'pve1', name: 'keep-me', status: 'running' },
            { vmid: 105, type: 'qemu', node: 'pve1', name: 'quiet', status: 'running' },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not in ${ms} ms`)), ms)),
  ]);

/** vncproxy, vncwebsocket and the RFB handshake of one guest, as a client of Proxmox does it. */
async function openConsole(path: string): Promise<{ ws: RawWebSocket; rfb: RfbTestClient; port: number }> {
  const res = await call(s, 'POST', `${path}/vncproxy`, { token: s.token, form: { websocket: 1 } });
  expect(res.status, res.reason).toBe(200);
  const { port, ticket, password } = res.body.data as { port: string; ticket: string; password: string };
  const up = await rawUpgrade(
    s,
    `/api2/json${path}/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`,
    {
      token: s.token,
      protocol: 'binary',
    },
  );
  if (up.kind !== 'upgraded') throw new Error(`no upgrade: ${JSON.stringify(up)}`);
  const rfb = await RfbTestClient.connect(up.ws, { password });
  await rfb.update(false);
  return { ws: up.ws, rfb, port: Number(port) };
}

describe('a guest that stops ends its consoles', () => {
  for (const [vmid, type, action] of [
    [100, 'qemu', 'stop'],
    [101, 'qemu', 'shutdown'],
    [102, 'lxc', 'stop'],
  ] as const) {
    it(`${type} ${action}`, async () => {
      const path = `/nodes/pve1/${type}/${vmid}`;
      const { ws, port } = await openConsole(path);
      const started = Date.now();
      const res = await call(s, 'POST', `${path}/status/${action}`, { token: s.token });
      expect(res.status).toBe(200);
      expect(await waitForTask(s, res.body.data)).toMatchObject({ exitstatus: 'OK' });
      await within(ws.whenClosed(), 2000, 'the console to close');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(s.guest(vmid)?.consoleSessions.size).toBe(0);
      expect(s.node.consoles.has(port)).toBe(false);
    });
  }

  it('a reset keeps the console (same QEMU process)', async () => {
    const path = '/nodes/pve1/qemu/104';
    const { ws, rfb } = await openConsole(path);
    const res = await call(s, 'POST', `${path}/status/reset`, { token: s.token });
    expect(await waitForTask(s, res.body.data)).toMatchObject({ exitstatus: 'OK' });
    await rfb.update(false);
    expect(ws.socket.destroyed).toBe(false);
    rfb.close();
  });
});

describe('migrateGuest', () => {
  it('moves the config to the other node and ends the open console', async () => {
    const { ws } = await openConsole('/nodes/pve1/qemu/103');
    s.migrateGuest(103, 'pve2');
    await within(ws.whenClosed(), 2000, 'the console to close');
    expect(s.guest(103)?.node).toBe('pve2');
    const old = await call(s, 'POST', '/nodes/pve1/qemu/103/vncproxy', { token: s.token, form: { websocket: 1 } });
    expect([old.status, old.reason]).toEqual([
      500,
      "Configuration file 'nodes/pve1/qemu-server/103.conf' does not exist",
    ]);
    const resources = await call(s, 'GET', '/cluster/resources', { token: s.token, query: { type: 'vm' } });
    expect(resources.body.data.find((g: { vmid: number }) => g.vmid === 103)?.node).toBe('pve2');
    const moved = await openConsole('/nodes/pve2/qemu/103');
    expect(moved.rfb.desktopName).toBe('move-me');
    moved.rfb.close();
  });

  it('refuses an unknown guest or node', () => {
    expect(() => s.migrateGuest(999, 'pve2')).toThrow(/no guest 999/);
    expect(() => s.migrateGuest(104, 'pve9')).toThrow(/no node 'pve9'/);
  });
});

describe('connection faults on an open console', () => {
  it('dropConnections resets it', async () => {
    const { ws } = await openConsole('/nodes/pve1/qemu/104');
    s.dropConnections();
    await within(ws.whenClosed(), 2000, 'the reset');
  });

  it('a black hole silences it both ways without closing it; healing lets it speak again', async () => {
    const { ws, rfb } = await openConsole('/nodes/pve1/qemu/105');
    const framesBefore = ws.frames.length;
    s.setFault({ blackhole: true });
    try {
      ws.sendFrame(9, Buffer.from('are you there'));
      rfb.requestUpdate(false);
      await new Promise((r) => setTimeout(r, 400));
      expect(ws.frames.length).toBe(framesBefore); // no pong, no picture
      expect(ws.socket.destroyed).toBe(false);
      expect(s.connectionCount).toBeGreaterThan(0);
    } finally {
      s.clearFaults();
    }
    // What was held flows once the partition heals: the pong and the picture arrive.
    await rfb.waitFor(() => ws.frames.some((f, i) => i >= framesBefore && f.opcode === 10), 2000, 'the pong');
    await rfb.update(false);
    rfb.close();
  });
});
