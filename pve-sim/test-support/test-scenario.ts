// The scenario most pve-sim tests run against: a two-node cluster with both nodes serving HTTPS,
// guests in every state that matters, pools, users and tokens; plus a standalone node.
import type { Scenario } from '../scenario/scenario.schema';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

export function testScenario(): Scenario {
  return {
    seed: 7,
    clusters: [
      {
        name: 'lab',
        nodes: [{ name: 'pve-a' }, { name: 'pve-b' }],
        endpoints: ['pve-a', 'pve-b'],
        pools: [{ poolid: 'lab', comment: 'Lab <b>pool</b>' }, { poolid: 'prod' }],
        rootPassword: 'root-secret',
        users: [
          { userid: 'alice@pve', password: 'alice-pw', acls: [{ path: '/vms', role: 'PVEVMUser' }] },
          { userid: 'bob@pve', password: 'bob-pw', enabled: false },
        ],
        tokens: [
          {
            userid: 'alice@pve',
            tokenid: 'full',
            secret: '11111111-2222-4333-8444-555555555555',
            privsep: false,
          },
        ],
        guests: [
          {
            vmid: 100,
            type: 'qemu',
            node: 'pve-a',
            name: 'web',
            status: 'running',
            tags: ['prod', 'web'],
            pool: 'prod',
            agent: true,
            snapshots: [{ name: 'base', description: 'fresh install' }],
            backups: [{ notes: 'weekly' }],
          },
          {
            vmid: 101,
            type: 'qemu',
            node: 'pve-a',
            name: HOSTILE_NAME,
            pool: 'lab',
            description: '<script>x</script>',
          },
          { vmid: 102, type: 'qemu', node: 'pve-a', name: 'paused-vm', status: 'paused' },
          { vmid: 103, type: 'qemu', node: 'pve-a', name: 'ha-vm', ha: true },
          { vmid: 104, type: 'qemu', node: 'pve-a', name: 'locked', status: 'running', lock: 'backup' },
          { vmid: 105, type: 'qemu', node: 'pve-a', name: 'tmpl', template: true },
          { vmid: 200, type: 'lxc', node: 'pve-a', name: 'ct-running', status: 'running', pool: 'lab' },
          { vmid: 201, type: 'lxc', node: 'pve-a', name: 'ct-stopped' },
          { vmid: 300, type: 'qemu', node: 'pve-b', name: 'remote', status: 'running' },
          { vmid: 301, type: 'lxc', node: 'pve-b', name: 'remote-ct', status: 'running' },
        ],
      },
      {
        name: null,
        nodes: [{ name: 'solo' }],
        guests: [{ vmid: 100, type: 'qemu', node: 'solo', name: 'solo-vm', status: 'running' }],
      },
    ],
  };
}

/** Fast timings for tests. */
export const FAST = { authFailDelayMs: 60, taskDurationMs: 40 } as const;
