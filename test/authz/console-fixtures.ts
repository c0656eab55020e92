// Matrix fixtures for the console routes: a simulated Proxmox server registered in tenant A (own)
// and in tenant B (foreign), guest 100 on it (the one restricted members are given) and guest 102
// (which they are not), and a ticket-shaped value for the upgrade route.
import { startPveSim } from '../../pve-sim/index';
import type { FixtureStep } from './fixtures';

export const consoleFixtures: FixtureStep = async (_t, fx) => {
  if (!fx.params.serverId) {
    const sim = await startPveSim({
      authFailDelayMs: 10,
      scenario: {
        seed: 1,
        clusters: [
          {
            name: null,
            nodes: [{ name: 'pve1' }],
            guests: [
              { vmid: 100, type: 'qemu', node: 'pve1', name: 'matrix', status: 'running' },
              { vmid: 102, type: 'qemu', node: 'pve1', name: 'unassigned', status: 'stopped' },
            ],
          },
        ],
      } as never,
    });
    const server = sim.servers[0];
    if (!server) throw new Error('pve-sim started no server');
    // The simulator lives as long as the test process (steps have no teardown).
    const register = async (tenantId: string) => {
      const res = await fx.clients.globalAdmin.post(`/api/tenants/${tenantId}/servers`, {
        name: 'matrix sim',
        host: server.host,
        port: server.port,
        apiToken: server.token,
        tlsMode: 'pinned',
        tlsFingerprint: server.fingerprint,
      });
      if (res.status !== 201) throw new Error(`matrix server registration failed: ${res.status} ${res.text}`);
      return res.body.id as string;
    };
    const own = await register(fx.tenantA);
    const foreign = await register(fx.tenantB);
    fx.params.serverId = { own: () => own, foreign, missing: '00000000-0000-4000-8000-000000000000' };
  }
  fx.params.vmid ??= { own: () => '100', foreign: '100', missing: '999999999' };
  fx.params.ticket ??= { own: () => 'a'.repeat(43), foreign: 'b'.repeat(43), missing: 'c'.repeat(43) };
};
